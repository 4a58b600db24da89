#!/usr/bin/env bash
# The whole test suite, as CI runs it: prepares the Docker engine, stand-in images and
# linters (scripts/e2e-env.sh; root on Debian 12), then formatting, lints, every unit and
# integration test, and the end-to-end tests against the real engine, one at a time.
# Without Docker, plain `cargo test` runs the rest and says why the end-to-end tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/e2e-env.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "==> cargo test"
cargo test --locked
echo "==> end-to-end tests (Docker engine, Compose, hadolint, check-jsonschema, shellcheck)"
DOCKERIZE_E2E=1 cargo test --locked --test integration e2e:: -- --test-threads=1 --nocapture
