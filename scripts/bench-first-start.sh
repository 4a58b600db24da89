#!/usr/bin/env bash
# The first `docker compose up` of the sample workspace on an empty builder, until the app
# answers, against the host's cold `cargo build` of the same workspace (by hand, not in
# .ci/run; after scripts/e2e-env.sh; ~10 min on 2 cores).
#
# An empty builder is this engine's after `docker builder prune -af`: every build cache on
# it goes, so the next builds of every project start cold. The script refuses to prune
# unless BENCH_PRUNE=1 says so. Both sides start without downloaded crates: the host build
# gets an empty CARGO_HOME, the development image an empty registry volume. The stand-in
# base images stay (no registry is reachable here; a laptop would pull them).
#
# Prints the seconds of each side and their ratio, then the compose build's longest steps.
set -euo pipefail
[ "${BENCH_PRUNE:-0}" = 1 ] || {
    echo "this prunes the engine's whole build cache: run with BENCH_PRUNE=1" >&2
    exit 2
}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL=${TOOL:-$ROOT/target/release/cargo-dockerize}
[ -x "$TOOL" ] || cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
WORK=$(mktemp -d /tmp/bench-first-start.XXXXXX)
PROJECT=bench-first-start-$$
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
compose() { (cd "$WORK/shop" && SHOP_PORT=$PORT BUILDKIT_PROGRESS=plain docker compose -p "$PROJECT" "$@"); }
trap 'compose down -v --rmi local >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

cp -r "$ROOT/tests/fixtures/shop" "$WORK/shop"
(cd "$WORK/shop" && "$TOOL" dockerize init --yes --no-git --no-dockerfile-syntax >/dev/null)

# The host: a debug build (what `cargo run` in the container does), no crates downloaded.
cp -r "$ROOT/tests/fixtures/shop" "$WORK/host"
t=$(now)
(cd "$WORK/host" && CARGO_HOME=$WORK/cargo-home CARGO_TARGET_DIR=$WORK/host-target \
    cargo build --locked --quiet)
host=$(since "$t")
printf 'host cold cargo build (debug, empty CARGO_HOME)       %6.1f s\n' "$host"

docker builder prune -af >/dev/null
t=$(now)
compose up -d --build >"$WORK/compose.log" 2>&1 || { tail -n 40 "$WORK/compose.log"; exit 1; }
built=$(since "$t")
until curl -fsS "http://127.0.0.1:$PORT/" 2>/dev/null | grep -q "shop v1"; do
    [ "$(echo "$(since "$t") > 900" | bc)" = 1 ] && { compose logs --tail 40 shop; exit 1; }
    sleep 0.5
done
first=$(since "$t")
printf 'first docker compose up, empty builder, until GET / answers  %6.1f s (image built after %.1f s)\n' \
    "$first" "$built"
printf 'ratio                                                %6.2fx\n' "$(echo "$first / $host" | bc -l)"
echo "longest build steps (s):"
awk '/^#[0-9]+ \[/ { id = $1; sub(/^#[0-9]+ /, ""); name[id] = substr($0, 1, 90) }
     /^#[0-9]+ DONE [0-9.]+s$/ { t = $3; sub(/s$/, "", t); if (t + 0 >= 1) printf "%8.1f  %s\n", t, name[$1] }' \
    "$WORK/compose.log" | sort -rn | head -n 6
