#!/usr/bin/env bash
# Writes a Cargo workspace of N library crates (path dependencies only, no registry)
# plus one binary crate depending on all of them, for timing `cargo dockerize init`.
# Usage: bench/gen-workspace.sh DIR [N=200]
set -euo pipefail
dir=${1:?usage: gen-workspace.sh DIR [N]}
n=${2:-200}
rm -rf "$dir"
mkdir -p "$dir/crates"
{
    echo '[workspace]'
    echo 'resolver = "3"'
    echo 'members = ["app", "crates/*"]'
    echo
    echo '[workspace.package]'
    echo 'version = "0.1.0"'
    echo 'edition = "2024"'
    echo 'license = "MIT"'
} >"$dir/Cargo.toml"
for i in $(seq 0 $((n - 1))); do
    c=$(printf 'c%03d' "$i")
    mkdir -p "$dir/crates/$c/src"
    {
        printf '[package]\nname = "%s"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\n\n[dependencies]\n' "$c"
        # each crate depends on up to two earlier ones: a graph with depth, not a fan
        if [ "$i" -ge 1 ]; then printf '%s = { path = "../%s" }\n' "$(printf 'c%03d' $((i - 1)))" "$(printf 'c%03d' $((i - 1)))"; fi
        if [ "$i" -ge 10 ]; then printf '%s = { path = "../%s" }\n' "$(printf 'c%03d' $((i / 2)))" "$(printf 'c%03d' $((i / 2)))"; fi
    } >"$dir/crates/$c/Cargo.toml"
    printf 'pub fn f%d() -> u32 { %d }\n' "$i" "$i" >"$dir/crates/$c/src/lib.rs"
done
mkdir -p "$dir/app/src"
{
    printf '[package]\nname = "app"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\n\n[dependencies]\n'
    for i in $(seq 0 $((n - 1))); do c=$(printf 'c%03d' "$i"); printf '%s = { path = "../crates/%s" }\n' "$c" "$c"; done
} >"$dir/app/Cargo.toml"
printf 'fn main() {\n    println!("{}", c%03d::f%d());\n}\n' $((n - 1)) $((n - 1)) >"$dir/app/src/main.rs"
(cd "$dir" && cargo generate-lockfile --offline -q)
