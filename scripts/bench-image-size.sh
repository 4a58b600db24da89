#!/usr/bin/env bash
# What the production image adds on top of its base image, against the binary it carries
# (built with cargo auditable, so it holds its crate list in the .dep-v0 section), for the
# sample workspace (by hand, not in .ci/run; after scripts/e2e-env.sh; a minute or two when
# the engine's cache is warm). Prints bytes and the ratio added/binary, measured in this run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL=${TOOL:-$ROOT/target/release/cargo-dockerize}
[ -x "$TOOL" ] || cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
WORK=$(mktemp -d /tmp/bench-image-size.XXXXXX)
TAG=bench-image-size-$$
trap 'docker rmi -f "$TAG" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

cp -r "$ROOT/tests/fixtures/shop" "$WORK/shop"
(cd "$WORK/shop" && "$TOOL" dockerize init --yes --no-git --no-dockerfile-syntax >/dev/null)
docker buildx build -q --target production --load -t "$TAG" "$WORK/shop" >/dev/null
base=$(sed -n 's/^ARG RUNTIME_IMAGE=//p' "$WORK/shop/Dockerfile")
image_size=$(docker image inspect -f '{{.Size}}' "$TAG")
base_size=$(docker image inspect -f '{{.Size}}' "$base")
id=$(docker create "$TAG")
docker cp -q "$id:/usr/local/bin/shop" "$WORK/shop-bin"
docker rm "$id" >/dev/null
binary=$(stat -c %s "$WORK/shop-bin")
# readelf: `[Nr] Name Type Address Off Size ...`, the size in hex.
dep_hex=$(readelf -S -W "$WORK/shop-bin" \
    | sed -nE 's/.* \.dep-v0 +[A-Z_]+ +[0-9a-f]+ +[0-9a-f]+ +([0-9a-f]+) .*/\1/p')
[ -n "$dep_hex" ] || { echo "the binary has no .dep-v0 section: not built with cargo auditable" >&2; exit 1; }
dep=$((16#$dep_hex))

printf '%-44s %12s\n' "production image (shop)" "$image_size" \
    "its base ($base)" "$base_size" \
    "added by the image" "$((image_size - base_size))" \
    "the binary, /usr/local/bin/shop" "$binary" \
    "  of which .dep-v0 (crate list, compressed)" "$dep"
printf '%-44s %11.3fx\n' "added / binary" "$(echo "($image_size - $base_size) / $binary" | bc -l)"
