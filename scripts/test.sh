#!/usr/bin/env bash
# The whole test suite, as CI runs it: prepares the Docker engine, stand-in images and
# linters (scripts/e2e-env.sh; root on Debian 12), then formatting, lints, every unit and
# integration test, a publish dry run, and the end-to-end tests against the real engine,
# one at a time.
# Without Docker, plain `cargo test` runs the rest and reports the end-to-end tests as ignored, with the reason.
# Prints the time of each phase.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
phase() {
    local name=$1
    shift
    local t0=$SECONDS
    echo "==> $name"
    "$@"
    echo "==> $name: $((SECONDS - t0)) s"
}

phase "engine, stand-in images, linters (scripts/e2e-env.sh)" bash scripts/e2e-env.sh
phase "cargo fmt --check" cargo fmt --all -- --check
phase "cargo clippy --all-targets -- -D warnings" cargo clippy --locked --all-targets -- -D warnings
phase "cargo test" cargo test --locked
# The crate as crates.io would get it (templates and build.rs included) builds on its own;
# --allow-dirty lets uncommitted work through locally (a CI checkout is clean anyway).
phase "cargo publish --dry-run" cargo publish --dry-run --locked --allow-dirty
phase "end-to-end tests (Docker engine, Compose, hadolint, check-jsonschema, actionlint, shellcheck, kubectl kustomize, kubernetes-validate)" \
    env DOCKERIZE_E2E=1 cargo test --locked --test integration e2e:: -- --ignored --test-threads=1 --nocapture
echo "==> all phases: $((SECONDS - start)) s"
