#!/usr/bin/env bash
# The whole test suite, as CI runs it: prepares the Docker engine, stand-in images and
# linters (scripts/e2e-env.sh; root on Debian 12), then formatting, lints and every
# test including the end-to-end ones against the real engine.
# Without Docker, plain `cargo test` runs the rest and says why the end-to-end tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/e2e-env.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "==> cargo test (end-to-end tests enabled)"
DOCKERIZE_E2E=1 cargo test --locked -- --nocapture
