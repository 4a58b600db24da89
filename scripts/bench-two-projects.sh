#!/usr/bin/env bash
# Two projects on one builder (by hand, not in .ci/run; ~5 min on 2 cores, after
# scripts/e2e-env.sh): the shop's one-line rebuild of `production`, alone and while the
# ledger's dependencies cook, with the generated Dockerfile ("shared": cargo's locks in the
# shared registry cache) and with the same file holding that cache `sharing=locked` for
# every cargo step ("locked", the template before). Prints seconds and the ratio
# during/alone for each, measured in this run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL=${TOOL:-$ROOT/target/release/cargo-dockerize}
[ -x "$TOOL" ] || cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
WORK=$(mktemp -d /tmp/bench-two.XXXXXX)
IMAGES=()
trap 'docker rmi -f "${IMAGES[@]}" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
build() { # tag dir [extra args]
    IMAGES+=("$1")
    docker buildx build -q --target production -t "$1" "${@:3}" "$2" >/dev/null
}

run() { # variant
    local v=$1 w=$WORK/$1
    mkdir -p "$w"
    cp -r "$ROOT/tests/fixtures/shop" "$w/shop"
    cp -r "$ROOT/tests/fixtures/ledger" "$w/ledger"
    for p in shop ledger; do
        (cd "$w/$p" && "$TOOL" dockerize init --yes --no-git --no-dockerfile-syntax >/dev/null)
        if [ "$v" = locked ]; then
            sed -i -e 's/sharing=shared/sharing=locked/' \
                -e '/^RUN mkdir \/usr\/local\/cargo\/registry /,+2d' "$w/$p/Dockerfile"
        fi
    done
    local edit=0
    edit() { edit=$((edit + 1)); sed -i "s/shop v[0-9a-z-]*/shop v$v-$edit-$$/" "$w/shop/src/main.rs"; }
    build "bench-two-shop-$v:$$" "$w/shop"
    edit; local t; t=$(now); build "bench-two-shop-$v:$$" "$w/shop"; local alone; alone=$(since "$t")
    # The ledger's builder stage from scratch: its cook compiles every dependency.
    t=$(now)
    (build "bench-two-ledger-$v:$$" "$w/ledger" --no-cache-filter builder; since "$t" >"$w/ledger.s") &
    sleep 20
    edit; t=$(now); build "bench-two-shop-$v:$$" "$w/shop"; local during; during=$(since "$t")
    wait
    printf '%s\t%.1f\t%.1f\t%.2fx\t%.1f\n' "$v" "$alone" "$during" \
        "$(echo "$during / $alone" | bc -l)" "$(cat "$w/ledger.s")"
}

printf 'variant\tshop rebuild alone (s)\twhile the ledger cooks (s)\tratio\tledger build (s)\n'
run locked
run shared
