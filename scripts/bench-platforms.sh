#!/usr/bin/env bash
# linux/arm64 cross-compiled against linux/amd64, the same `production` target of the same
# generated Dockerfile (by hand, not in .ci/run; after scripts/e2e-env.sh; ~10 min on 2
# cores). The shop (tests/fixtures/shop, ~100 crates) is initialised with
# `--platforms linux/amd64,linux/arm64`; as a second reference, a copy with the default
# (linux/amd64 only, no cross stages) is built too.
#
# The shared stages (toolchain, cargo-chef, each platform's cross stage) are built first.
# Then REPEAT rounds; in each, the three builds run back to back (order rotated per round),
# each compiling the whole dependency graph: `--no-cache-filter builder`, and a target/
# cache mount of its own (its id renamed in a copy of the Dockerfile, the only edit).
# Prints each build's seconds, the medians and the ratios to the amd64 build.
#
# The engine's image store holds one platform per name: for the arm64 builds the arm64
# runtime stand-in is tagged under the upstream name, and the amd64 one is tagged back
# after each. rustc under QEMU, the reference the issue names, cannot run here: this
# machine has no binfmt_misc, so an emulated RUN step fails instead of running slowly.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL=${TOOL:-$ROOT/target/release/cargo-dockerize}
REPEAT=${REPEAT:-2}
[ -x "$TOOL" ] || cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
RUNTIME=gcr.io/distroless/cc-debian13:nonroot
ARM64_RUNTIME=dockerize-e2e/arm64/$RUNTIME
AMD64_ID=$(docker image inspect -f '{{.Id}}' "$RUNTIME")
[ "$(docker image inspect -f '{{.Architecture}}' "$AMD64_ID")" = amd64 ] \
    || { echo "$RUNTIME is not the amd64 stand-in: run scripts/e2e-env.sh" >&2; exit 1; }
docker image inspect "$ARM64_RUNTIME" >/dev/null \
    || { echo "$ARM64_RUNTIME is missing: run scripts/e2e-env.sh" >&2; exit 1; }
WORK=$(mktemp -d /tmp/bench-platforms.XXXXXX)
TAG=bench-platforms-$$
trap 'docker tag "$AMD64_ID" "$RUNTIME"; docker rmi -f "$TAG" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

init() { # DIR FLAGS...
    cp -r "$ROOT/tests/fixtures/shop" "$1"
    (cd "$1" && "$TOOL" dockerize init --yes --no-git --no-dockerfile-syntax "${@:2}" >/dev/null)
}
init "$WORK/two" --platforms linux/amd64,linux/arm64
init "$WORK/one"

build() { # VARIANT DOCKERFILE [buildx args...]: the production image, quietly
    local platform=linux/amd64 dir=$WORK/two
    case $1 in arm64) platform=linux/arm64 ;; default) dir=$WORK/one ;; esac
    [ "$platform" = linux/arm64 ] && docker tag "$ARM64_RUNTIME" "$RUNTIME"
    local rc=0
    docker buildx build -q --platform "$platform" --target production -f "$2" --load -t "$TAG" \
        "${@:3}" "$dir" >/dev/null || rc=$?
    docker tag "$AMD64_ID" "$RUNTIME"
    return "$rc"
}

# The shared stages, and a first build of each so its cross stage is in the cache.
for v in amd64 arm64 default; do
    dir=$WORK/two; [ "$v" = default ] && dir=$WORK/one
    build "$v" "$dir/Dockerfile"
done

variants=(amd64 arm64 default)
declare -A times
for round in $(seq 1 "$REPEAT"); do
    for i in 0 1 2; do
        v=${variants[$(( (i + round - 1) % 3 ))]}
        dir=$WORK/two; [ "$v" = default ] && dir=$WORK/one
        dockerfile=$WORK/$v-$round.Dockerfile
        sed "s/id=shop-target-release/id=bench-$$-$v-$round/" "$dir/Dockerfile" >"$dockerfile"
        t=$(now)
        build "$v" "$dockerfile" --no-cache-filter builder
        s=$(since "$t")
        times[$v]="${times[$v]:-} $s"
        printf 'round %s  %-8s %6.1f s\n' "$round" "$v" "$s"
    done
done

amd64=$(tr ' ' '\n' <<<"${times[amd64]}" | grep . | median)
printf '\n%-58s %8s %8s\n' "production target, whole graph compiled (median of $REPEAT)" seconds ratio
for v in amd64 arm64 default; do
    m=$(tr ' ' '\n' <<<"${times[$v]}" | grep . | median)
    case $v in
        amd64) label="linux/amd64, two-platform Dockerfile (native)" ;;
        arm64) label="linux/arm64, two-platform Dockerfile (cross-compiled)" ;;
        default) label="linux/amd64, default Dockerfile (no cross stages)" ;;
    esac
    printf '%-58s %8.1f %7.2fx\n' "$label" "$m" "$(echo "$m / $amd64" | bc -l)"
done
