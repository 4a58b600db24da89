#!/usr/bin/env bash
# Benchmarks for cargo-dockerize (issue 7). Run by hand, not by .ci/run:
#
#   bash scripts/bench.sh            # everything, ~40-60 min on 2 cores
#
# Measures, in one run, on tests/fixtures/shop (axum, tokio, tokio-postgres, 2 binaries):
#   - build times of the `production` target for the generated Dockerfile ("ours"), the
#     baselines in bench/baselines/ and the candidates in bench/candidates/: cold, warm
#     after a one-line edit of src/main.rs on the same builder ("local"), the same edit on
#     a fresh builder that only imports the cache the previous build exported with
#     `--cache-to type=local,mode=max` ("CI-like"), and after adding one dependency;
#     how many dependency crates each build compiled (0 = the dependency layer was reused);
#   - the floor: the host's own incremental `cargo build --release` after the same edit;
#   - production image size added on top of its base image, and the stripped binary;
#   - the dev loop: source edit -> `docker compose up` dev container answering with the
#     new behaviour, next to the host's incremental debug `cargo build`;
#   - the tool: `cargo dockerize init --yes --dry-run` on a generated 200-crate workspace,
#     and the share spent in `cargo metadata`.
#
# Builders. The docker-container buildx driver needs the moby/buildkit image, which
# cannot be pulled here (no registry), and the default `docker` driver refuses cache
# export. So the builds run on a private dockerd started by this script (own data-root,
# socket and managed containerd, containerd image store on, which lets the docker driver
# export and import `type=local` caches), with the stand-in base images copied into it by
# `docker save | docker load`. Its default network is a bridge of its own (bench-brPID,
# no iptables rules); builds use `--network host`. Never start a second dockerd with
# `--bridge=none`: at start-up it deletes the interface docker0, which belongs to the
# shared engine (its containers and builds then fail with "docker0 ... Device does not
# exist"). The script checks that docker0 is still there after the start.
# A "fresh builder" is that daemon after `docker builder prune -af` (its own cache only).
# The shared engine is used for the dev loop (compose) and for image sizes only, with
# names prefixed `bench-`; everything created is removed at the end.
#
# Environment:
#   BENCH_VARIANTS   variants to build (default: "ours naive cache-mounts chef-only"; any
#                    bench/candidates/NAME.Dockerfile is a variant NAME)
#   BENCH_REPEAT     local warm rebuilds per variant, median reported (default 3)
#   BENCH_SKIP       space-separated parts to skip: builds host devloop tool
#   BENCH_OUT        where to write the results table (default bench/results/latest.md)
#   BENCH_KEEP=1     keep the work directory and the private daemon
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
TOOL=$ROOT/target/release/cargo-dockerize
VARIANTS=${BENCH_VARIANTS:-ours naive cache-mounts chef-only}
REPEAT=${BENCH_REPEAT:-3}
SKIP=" ${BENCH_SKIP:-} "
OUT=${BENCH_OUT:-$BENCH/results/latest.md}
SHARED_DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}

WORK=$(mktemp -d /tmp/bench-run.XXXXXX)
PD=$WORK/dockerd                       # private daemon
PRIV=unix://$PD/docker.sock
PBRIDGE=bench-br$$                     # its bridge (a name of at most 15 characters)
RESULTS=$WORK/results.tsv              # key <tab> value
: >"$RESULTS"
DEVLOOP_PROJECT=bench-devloop-$$
SIZE_IMAGES=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
put() { printf '%s\t%s\n' "$1" "$2" >>"$RESULTS"; }
get() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print (v == "" ? "-" : v) }' "$RESULTS"; }
skip() { [[ $SKIP == *" $1 "* ]]; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
pdocker() { DOCKER_HOST=$PRIV docker "$@"; }
sdocker() { DOCKER_HOST=$SHARED_DOCKER_HOST docker "$@"; }

cleanup() {
    set +e
    if [ -n "${DEVLOOP_DIR:-}" ] && [ -d "$DEVLOOP_DIR" ]; then
        (cd "$DEVLOOP_DIR" && sdocker compose -p "$DEVLOOP_PROJECT" -f compose.yaml -f compose.override.yaml -f bench.compose.yaml down -v --remove-orphans >/dev/null 2>&1)
        sdocker rmi "bench-shop-development:$$" >/dev/null 2>&1
    fi
    for img in "${SIZE_IMAGES[@]}"; do sdocker rmi "$img" >/dev/null 2>&1; done
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        if [ -s "$PD/dockerd.pid" ]; then
            local pid; pid=$(cat "$PD/dockerd.pid")
            kill "$pid" 2>/dev/null
            for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        fi
        ip link del "$PBRIDGE" 2>/dev/null
        rm -rf "$WORK"
    else
        log "kept $WORK (private dockerd: DOCKER_HOST=$PRIV)"
    fi
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------
# set-up
# ------------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (it starts a private dockerd)"
sdocker info >/dev/null 2>&1 || die "no Docker engine: run scripts/e2e-env.sh first"
# always: the templates are compiled into the binary, a stale one renders old files
log "building cargo-dockerize (cargo build --release)"
(cd "$ROOT" && cargo build --release -q)

log "work directory $WORK"
SRC=$WORK/shop                         # the fixture with the generated files
cp -r "$ROOT/tests/fixtures/shop" "$SRC"
"$TOOL" dockerize init --yes --no-git --no-dockerfile-syntax -q --manifest-path "$SRC/Cargo.toml" >/dev/null
RUST_IMAGE=$(sed -n 's/^ARG RUST_IMAGE=//p' "$SRC/Dockerfile" | head -n1)
RUNTIME_IMAGE=$(sed -n 's/^ARG RUNTIME_IMAGE=//p' "$SRC/Dockerfile" | head -n1)
{ [ -n "$RUST_IMAGE" ] && [ -n "$RUNTIME_IMAGE" ]; } || die "cannot read the base images from the generated Dockerfile"

# The "add one dependency" change, resolved once on the host: `hex` is not in the
# fixture's graph, so every variant has exactly one new crate to compile.
DEP=$WORK/dep
cp -r "$SRC" "$DEP"
(cd "$DEP" && cargo add -q hex@0.4 && cargo metadata --format-version 1 >/dev/null)
grep -q '^name = "hex"' "$DEP/Cargo.lock" || die "could not add the hex dependency"

edit_source() { # DIR N: a one-line edit of src/main.rs (content changes; mtime alone is not enough for BuildKit)
    printf '// bench edit %s\n' "$2" >>"$1/src/main.rs"
}
add_dependency() { cp "$DEP/Cargo.toml" "$DEP/Cargo.lock" "$1/"; }

dockerfile_of() {
    case $1 in
        ours) echo "$SRC/Dockerfile" ;;
        naive|cache-mounts) echo "$BENCH/baselines/$1.Dockerfile" ;;
        *) [ -f "$BENCH/candidates/$1.Dockerfile" ] || die "no bench/candidates/$1.Dockerfile"; echo "$BENCH/candidates/$1.Dockerfile" ;;
    esac
}

start_private_daemon() {
    mkdir -p "$PD/root" "$PD/exec"
    printf '{"features":{"containerd-snapshotter":true}}\n' >"$PD/daemon.json"
    log "starting a private dockerd (containerd image store) at $PD"
    local had_docker0=0
    ip link show docker0 >/dev/null 2>&1 && had_docker0=1
    ip link add "$PBRIDGE" type bridge
    ip addr add 10.213.77.1/24 dev "$PBRIDGE"
    ip link set "$PBRIDGE" up
    setsid dockerd --config-file "$PD/daemon.json" --data-root "$PD/root" --exec-root "$PD/exec" \
        --pidfile "$PD/dockerd.pid" -H "$PRIV" --bridge="$PBRIDGE" --iptables=false --ip-masq=false \
        --ip6tables=false --userland-proxy=false >"$PD/log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do pdocker info >/dev/null 2>&1 && break; sleep 1; done
    pdocker info >/dev/null 2>&1 || { tail -n 20 "$PD/log" >&2; die "private dockerd did not start"; }
    if [ "$had_docker0" = 1 ] && ! ip link show docker0 >/dev/null 2>&1; then
        die "docker0 vanished when the private dockerd started: the shared engine needs it back"
    fi
    local img
    for img in "$RUST_IMAGE" "$RUNTIME_IMAGE"; do
        log "copying $img into the private daemon"
        sdocker save "$img" | pdocker load -q >/dev/null
    done
}

# build VARIANT LABEL CONTEXT [extra buildx args...]: times one build of `production`,
# records <variant>.<label>.{s,deps,load} and keeps the plain log.
build() {
    local v=$1 label=$2 ctx=$3; shift 3
    local logf=$WORK/logs/$v.$label.log t0 s deps
    mkdir -p "$WORK/logs"
    put "$v.$label.load" "$(load1)"
    t0=$(now)
    if ! pdocker buildx build --progress plain --network host -f "$(dockerfile_of "$v")" \
            --target production --provenance=false -t "bench-$v:latest" "$@" "$ctx" >"$logf" 2>&1; then
        tail -n 30 "$logf" >&2; die "build $v $label failed (log $logf)"
    fi
    s=$(since "$t0")
    # crates compiled other than the workspace's own (shop): 0 = dependencies reused
    deps=$(grep -E '^#[0-9]+ [0-9.]+ +Compiling ' "$logf" | grep -cv ' Compiling shop v' || true)
    put "$v.$label.s" "$s"
    put "$v.$label.deps" "$deps"
    log "$v $label: ${s}s, $deps dependency crates compiled (load $(get "$v.$label.load"))"
}

# In the CI-like build of a chef Dockerfile, the cook step must say CACHED.
cook_cached() { # LOG -> yes/no/n-a
    local n
    n=$(grep -E '^#[0-9]+ \[builder [0-9]+/[0-9]+\] RUN .*cargo chef cook' "$1" | head -n1 | sed -E 's/^#([0-9]+) .*/\1/')
    [ -n "$n" ] || { echo n/a; return; }
    if grep -qE "^#$n CACHED" "$1"; then echo yes; else echo no; fi
}

bench_variant() {
    local v=$1; local ctx=$WORK/ctx-$v i warm=()
    rm -rf "$ctx"; cp -r "$SRC" "$ctx"
    log "== $v ($(dockerfile_of "$v"))"
    pdocker builder prune -af >/dev/null
    build "$v" cold "$ctx" --cache-to "type=local,dest=$WORK/cache-$v,mode=max"
    size_of "$v"
    # the naive build recompiles everything every time: one warm rebuild is enough
    local n=$REPEAT; [ "$v" = naive ] && n=1
    put "$v.repeat" "$n"
    for i in $(seq 1 "$n"); do
        edit_source "$ctx" "$i"
        build "$v" "warm$i" "$ctx"
        warm+=("$(get "$v.warm$i.s")")
    done
    put "$v.warm.s" "$(echo "${warm[*]}" | median)"
    put "$v.warm.deps" "$(get "$v.warm$n.deps")"
    # CI-like: the cache exported by the cold build, imported by a fresh builder, after
    # the same kind of edit (the context now holds REPEAT edits, like a new commit).
    pdocker builder prune -af >/dev/null
    build "$v" ci "$ctx" --cache-from "type=local,src=$WORK/cache-$v"
    put "$v.ci.cook" "$(cook_cached "$WORK/logs/$v.ci.log")"
    add_dependency "$ctx"
    build "$v" dep "$ctx"
}

# Image added on top of its base, measured on the shared engine (overlay2 sizes are
# uncompressed, like `docker images`), and the binary inside it.
size_of() {
    local v=$1; local img=bench-size-$v:$$ base bytes basebytes bin
    pdocker save "bench-$v:latest" | sdocker load -q >/dev/null
    sdocker tag "bench-$v:latest" "$img"; sdocker rmi "bench-$v:latest" >/dev/null
    SIZE_IMAGES+=("$img")
    if [ "$v" = naive ]; then base=$RUST_IMAGE; else base=$RUNTIME_IMAGE; fi
    bytes=$(sdocker image inspect -f '{{.Size}}' "$img")
    basebytes=$(sdocker image inspect -f '{{.Size}}' "$base")
    put "$v.size.added" $((bytes - basebytes))
    local cid; cid=$(sdocker create "$img")
    if [ "$v" = naive ]; then bin=/app/target/release/shop; else bin=/usr/local/bin/shop; fi
    sdocker cp "$cid:$bin" "$WORK/shop-$v.bin" >/dev/null
    sdocker rm "$cid" >/dev/null
    put "$v.size.bin" "$(stat -c %s "$WORK/shop-$v.bin")"
}

# ------------------------------------------------------------------------------------
# host floor: incremental builds on a copy with a warm target dir
# ------------------------------------------------------------------------------------
HOST_REL=() HOST_DBG=()
host_rebuilds() { # DIR TAG: REPEAT one-line edits, each timed in release and in debug
    local h=$1 i t0
    for i in $(seq 1 "$REPEAT"); do
        edit_source "$h" "$2$i"
        put "host.release.$2$i.load" "$(load1)"
        t0=$(now); CARGO_PROFILE_RELEASE_STRIP=symbols cargo build -q --release --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
        HOST_REL+=("$(since "$t0")")
        put "host.release.$2$i.s" "${HOST_REL[-1]}"
        edit_source "$h" "d$2$i"
        t0=$(now); cargo build -q --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
        HOST_DBG+=("$(since "$t0")")
    done
    put host.release.warm.s "$(echo "${HOST_REL[*]}" | median)"
    put host.debug.warm.s "$(echo "${HOST_DBG[*]}" | median)"
}
bench_host_again() { # after the docker builds: the load may differ, the floor takes both
    local h=$WORK/host
    export CARGO_TARGET_DIR=$h/target CARGO_TERM_COLOR=never
    cp "$SRC/Cargo.toml" "$SRC/Cargo.lock" "$h/"   # back to the fixture's dependencies
    CARGO_PROFILE_RELEASE_STRIP=symbols cargo build -q --release --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
    cargo build -q --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
    host_rebuilds "$h" b
    unset CARGO_TARGET_DIR
    log "host again: release warm $(get host.release.warm.s)s, debug warm $(get host.debug.warm.s)s (medians of both passes)"
}
bench_host() {
    local h=$WORK/host t0
    rm -rf "$h"; cp -r "$SRC" "$h"
    export CARGO_TARGET_DIR=$h/target CARGO_TERM_COLOR=never
    log "== host floor (cargo $(cargo --version | cut -d' ' -f2))"
    t0=$(now); CARGO_PROFILE_RELEASE_STRIP=symbols cargo build -q --release --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
    put host.release.cold.s "$(since "$t0")"
    t0=$(now); cargo build -q --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
    put host.debug.cold.s "$(since "$t0")"
    host_rebuilds "$h" a
    add_dependency "$h"
    t0=$(now); CARGO_PROFILE_RELEASE_STRIP=symbols cargo build -q --release --locked --bin shop --bin worker --manifest-path "$h/Cargo.toml"
    put host.release.dep.s "$(since "$t0")"
    put host.bin "$(stat -c %s "$h/target/release/shop")"
    unset CARGO_TARGET_DIR
    log "host: release warm $(get host.release.warm.s)s, debug warm $(get host.debug.warm.s)s"
}

# ------------------------------------------------------------------------------------
# dev loop on the shared engine: compose up, edit, wait for the new answer
# ------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # URL TEXT TIMEOUT
    local end=$(( $(date +%s) + $3 ))
    while [ "$(date +%s)" -lt "$end" ]; do
        if curl -fsS --max-time 2 "$1" 2>/dev/null | grep -q "$2"; then return 0; fi
        sleep 0.2
    done
    return 1
}
bench_devloop() {
    DEVLOOP_DIR=$WORK/devloop
    rm -rf "$DEVLOOP_DIR"; cp -r "$SRC" "$DEVLOOP_DIR"
    cd "$DEVLOOP_DIR"
    # our own image name, so the other users of the engine are not touched
    printf 'services:\n  shop:\n    image: bench-shop-development:%s\n' "$$" >bench.compose.yaml
    local port; port=$(free_port)
    export SHOP_PORT=$port WORKER_PORT; WORKER_PORT=$(free_port)
    export POSTGRES_PORT; POSTGRES_PORT=$(free_port)
    local dc=(sdocker compose -p "$DEVLOOP_PROJECT" -f compose.yaml -f compose.override.yaml -f bench.compose.yaml)
    log "== dev loop (compose project $DEVLOOP_PROJECT, port $port)"
    local t0; t0=$(now)
    "${dc[@]}" up -d --build shop >"$WORK/devloop-up.log" 2>&1 || { tail -n 30 "$WORK/devloop-up.log" >&2; die "compose up failed"; }
    wait_for "http://127.0.0.1:$port/" "shop v1" 900 || { "${dc[@]}" logs --tail 40 shop >&2; die "dev container never answered 'shop v1'"; }
    put devloop.first.s "$(since "$t0")"
    local i loops=()
    for i in 2 3; do
        sleep 2   # the watcher settles
        put "devloop.v$i.load" "$(load1)"
        t0=$(now)
        sed -i "s/shop v$((i - 1))/shop v$i/" src/main.rs
        wait_for "http://127.0.0.1:$port/" "shop v$i" 600 || { "${dc[@]}" logs --tail 40 shop >&2; die "dev container never answered 'shop v$i'"; }
        loops+=("$(since "$t0")")
        log "dev loop v$i: ${loops[-1]}s"
    done
    put devloop.edit.s "$(echo "${loops[*]}" | median)"
    "${dc[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    sdocker rmi "bench-shop-development:$$" >/dev/null 2>&1 || true
    cd "$ROOT"
}

# ------------------------------------------------------------------------------------
# the tool on a 200-crate workspace
# ------------------------------------------------------------------------------------
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
bench_tool() {
    local ws=$WORK/ws200 i t0 tot=() meta=() cm=()
    log "== tool on a 200-crate workspace"
    bash "$BENCH/gen-workspace.sh" "$ws" 200
    "$TOOL" dockerize init --yes --dry-run --no-git --manifest-path "$ws/Cargo.toml" >/dev/null 2>&1   # warm the page cache
    for i in 1 2 3 4 5; do
        t0=$(now)
        NO_COLOR=1 "$TOOL" dockerize init --yes --dry-run --no-git -v --manifest-path "$ws/Cargo.toml" >"$WORK/tool.log" 2>&1
        tot+=("$(ms_since "$t0")")
        # the tool's own report of the time in cargo metadata (-v)
        meta+=("$(sed -nE 's/.*Reading the workspace \(cargo metadata\) in ([0-9.]+)(m?s).*/\1 \2/p' "$WORK/tool.log" \
                  | awk '{ print ($2 == "ms" ? $1 : $1 * 1000) }')")
        # and the same cargo metadata command lines, timed on their own
        t0=$(now)
        cargo metadata --format-version 1 --no-deps --manifest-path "$ws/Cargo.toml" >/dev/null
        cargo metadata --format-version 1 --manifest-path "$ws/Cargo.toml" --filter-platform x86_64-unknown-linux-gnu --locked >/dev/null
        cm+=("$(ms_since "$t0")")
    done
    put tool.total.ms "$(echo "${tot[*]}" | median)"
    put tool.meta.ms "$(echo "${meta[*]}" | median)"
    put tool.cargo.ms "$(echo "${cm[*]}" | median)"
    grep -E 'Running `cargo metadata' "$WORK/tool.log" | sed 's/^ *//' >"$WORK/tool-cmds.txt" || true
}

# ------------------------------------------------------------------------------------
# the run
# ------------------------------------------------------------------------------------
DATE=$(date -u +%Y-%m-%dT%H:%MZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if ! skip host; then bench_host; fi
if ! skip builds; then
    start_private_daemon
    for v in $VARIANTS; do bench_variant "$v"; done
    if ! skip host; then bench_host_again; fi
fi
if ! skip devloop; then bench_devloop; fi
if ! skip tool; then bench_tool; fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------
# the table
# ------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
mb() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.2f MB", a / 1e6 }'; }
verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && b != "-" && a + 0 <= b + 0) ? 1 : 0 }'; }

floor=$(get host.release.warm.s)
{
    echo "# cargo-dockerize benchmarks: $DATE"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, kernel $(uname -r), docker $(sdocker version -f '{{.Server.Version}}'), $(cargo --version)"
    echo "Load (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end. Warm figures are medians of $REPEAT."
    echo "Command: bash scripts/bench.sh (BENCH_VARIANTS=\"$VARIANTS\" BENCH_REPEAT=$REPEAT)"
    echo
    if ! skip builds; then
        echo "## Builds of the production target (seconds; [n] = dependency crates compiled)"
        echo
        echo "| variant | cold | warm local | vs floor | warm CI-like | cook CACHED | add a dependency | added image size | binary |"
        echo "|---|---|---|---|---|---|---|---|---|"
        for v in $VARIANTS; do
            printf '| %s | %s [%s] | %s [%s] | %s | %s [%s] | %s | %s [%s] | %s | %s |\n' "$v" \
                "$(get "$v.cold.s")" "$(get "$v.cold.deps")" "$(get "$v.warm.s")" "$(get "$v.warm.deps")" \
                "$(ratio "$(get "$v.warm.s")" "$floor")" "$(get "$v.ci.s")" "$(get "$v.ci.deps")" "$(get "$v.ci.cook")" \
                "$(get "$v.dep.s")" "$(get "$v.dep.deps")" "$(mb "$(get "$v.size.added")")" "$(mb "$(get "$v.size.bin")")"
        done
        echo "| host floor | $(get host.release.cold.s) | $floor | 1.00x | - | - | $(get host.release.dep.s) | - | $(mb "$(get host.bin)") |"
        echo
        echo "Ratios of ours to each other variant (lower is better for ours):"
        echo
        echo "| vs | cold | warm local | warm CI-like | add a dependency |"
        echo "|---|---|---|---|---|"
        for v in $VARIANTS; do
            [ "$v" = ours ] && continue
            printf '| %s | %s | %s | %s | %s |\n' "$v" "$(ratio "$(get ours.cold.s)" "$(get "$v.cold.s")")" \
                "$(ratio "$(get ours.warm.s)" "$(get "$v.warm.s")")" "$(ratio "$(get ours.ci.s)" "$(get "$v.ci.s")")" \
                "$(ratio "$(get ours.dep.s)" "$(get "$v.dep.s")")"
        done
        echo
        echo "Each warm local rebuild (s, load): $(for v in $VARIANTS; do printf '%s:' "$v"; for i in $(seq 1 "$(get "$v.repeat")"); do printf ' %s(%s)' "$(get "$v.warm$i.s")" "$(get "$v.warm$i.load")"; done; printf '; '; done)"
        echo "Host release rebuilds (s, load), before and after the docker builds: $(for t in a b; do for i in $(seq 1 "$REPEAT"); do printf '%s(%s) ' "$(get "host.release.$t$i.s")" "$(get "host.release.$t$i.load")"; done; done)"
        echo
    fi
    if ! skip devloop; then
        echo "## Dev loop"
        echo
        echo "| | seconds |"
        echo "|---|---|"
        echo "| first \`docker compose up\` until GET / answers | $(get devloop.first.s) |"
        echo "| edit src/main.rs -> dev container answers the new text (median of 2) | $(get devloop.edit.s) |"
        echo "| host incremental \`cargo build\` (debug) after an edit | $(get host.debug.warm.s) |"
        echo
    fi
    if ! skip tool; then
        echo "## The tool: \`cargo dockerize init --yes --dry-run\` on 200 crates (median of 5, ms)"
        echo
        echo "| total | in cargo metadata (-v) | beyond cargo metadata | cargo metadata alone |"
        echo "|---|---|---|---|"
        echo "| $(get tool.total.ms) | $(get tool.meta.ms) | $(awk -v a="$(get tool.total.ms)" -v b="$(get tool.meta.ms)" 'BEGIN { print a - b }') | $(get tool.cargo.ms) |"
        echo
    fi
    echo "## Targets"
    echo
    if ! skip builds; then
        w=$(get ours.warm.s); lim=$(awk -v f="$floor" 'BEGIN { if (f == "-") print "-"; else printf "%.1f", f * 1.5 }')
        echo "- local warm rebuild <= 1.5x host floor: $(verdict "$(le "$w" "$lim")") ($w s vs $floor s, $(ratio "$w" "$floor"))"
        c=$(get ours.ci.deps)
        echo "- CI-like warm rebuild reuses the dependency layer: $(verdict "$( [ "$(get ours.ci.cook)" = yes ] && [ "$c" = 0 ] && echo 1 || echo 0)") (cook CACHED: $(get ours.ci.cook), $c dependency crates compiled)"
        a=$(get ours.size.added); b=$(get ours.size.bin)
        echo "- image added size <= 1.1x binary: $(verdict "$(le "$a" "$(awk -v b="$b" 'BEGIN { print b * 1.1 }')")") ($(mb "$a") vs $(mb "$b"), $(ratio "$a" "$b"))"
    fi
    if ! skip tool; then
        beyond=$(awk -v a="$(get tool.total.ms)" -v b="$(get tool.meta.ms)" 'BEGIN { print a - b }')
        echo "- tool time beyond cargo metadata <= 50 ms: $(verdict "$(le "$beyond" 50)") ($beyond ms)"
    fi
} >"$WORK/table.md"

mkdir -p "$(dirname "$OUT")"
cp "$WORK/table.md" "$OUT"
cp "$RESULTS" "${OUT%.md}.tsv"
cat "$WORK/table.md"
log "written to $OUT"
