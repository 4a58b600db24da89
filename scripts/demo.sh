#!/usr/bin/env bash
# Installs cargo-dockerize from this checkout and runs it on a copy of the sample
# workspace shipped in tests/fixtures/shop (two binaries, axum, tokio-postgres).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cargo install --locked --path "$repo"

demo=$(mktemp -d /tmp/dockerize-demo.XXXXXX)
cp -r "$repo/tests/fixtures/shop/." "$demo/"
cd "$demo"
echo
echo "==> cargo dockerize init --yes --no-git   (in $demo)"
cargo dockerize init --yes --no-git
echo
echo "==> Dockerfile"
cat Dockerfile
echo
echo "The generated files are in $demo; with a Docker engine: cd $demo && docker compose up"
