#!/usr/bin/env bash
# Turn a fresh `debootstrap --variant=minbase trixie` tree into something close to
# the upstream `debian:trixie-slim` image. Run on the host by scripts/e2e-env.sh:
#
#   finalize-rootfs.sh ROOTFS MIRROR
#
# It points apt at MIRROR (trixie, trixie-updates, trixie-security), installs the
# same kind of dpkg/apt settings the slim images carry (no docs/man/locales, apt
# caches cleaned after each run) and strips everything a container does not need.
set -euo pipefail

rootfs=${1:?usage: finalize-rootfs.sh ROOTFS MIRROR}
mirror=${2:?usage: finalize-rootfs.sh ROOTFS MIRROR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ -x "$rootfs/usr/bin/apt-get" ] || { echo "finalize-rootfs: $rootfs is not a Debian rootfs" >&2; exit 1; }

# --- apt sources (deb822, like the upstream image) -------------------------------
security=${mirror%/debian}/debian-security
rm -f "$rootfs/etc/apt/sources.list"
mkdir -p "$rootfs/etc/apt/sources.list.d"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# --- slim settings ------------------------------------------------------------------
install -m 0644 "$here/dpkg-slim.cfg" "$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim"
install -m 0644 "$here/apt-docker-clean.conf" "$rootfs/etc/apt/apt.conf.d/docker-clean"
install -m 0644 "$here/apt-docker-container.conf" "$rootfs/etc/apt/apt.conf.d/docker-container"

# Remove what the dpkg path-excludes would not have installed in the first place.
(
  cd "$rootfs/usr/share"
  find doc -mindepth 1 -not -type d -not -name copyright -delete 2>/dev/null || true
  find doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf man/* groff/* info/* lintian/* linda/* locale/* 2>/dev/null || true
)

# --- strip state a container image must not carry -----------------------------------
rm -rf "$rootfs"/var/lib/apt/lists/* \
       "$rootfs"/var/cache/apt/* \
       "$rootfs"/var/cache/debconf/*-old \
       "$rootfs"/var/cache/ldconfig/aux-cache \
       "$rootfs"/var/lib/dpkg/*-old \
       "$rootfs"/var/log/* \
       "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
       "$rootfs"/root/.bash_history \
       "$rootfs"/debootstrap
mkdir -p "$rootfs/var/lib/apt/lists/partial" "$rootfs/var/cache/apt/archives/partial"
# The engine provides these at run time; debootstrap copied the host's.
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"
: >"$rootfs/etc/machine-id"
# Device nodes: the engine mounts its own /dev.
find "$rootfs/dev" -mindepth 1 -delete
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
