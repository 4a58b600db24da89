#!/bin/sh
# Runs inside the `rootfs` stage of this folder's Dockerfile (a trixie system with
# the runtime packages installed) and lays out three trees that the final stages
# copy into `scratch`:
#
#   /out/static   CA bundle, passwd/group, nsswitch, netbase files, tzdata,
#                 os-release, /tmp (1777), /root, /home/nonroot (65532)
#   /out/cc       the shared libraries of glibc, libgcc, libstdc++, OpenSSL 3,
#                 zlib and zstd, with the merged-/usr links /lib and /lib64
#   /out/busybox  a static busybox with its applet links (for the debug tag; empty
#                 when the target architecture is not the build platform's)
set -eu

defs=${1:-/tmp/defs}
arch=${2:-$(dpkg --print-architecture)}
static=/out/static
cc=/out/cc
bb=/out/busybox

# ---- static ----------------------------------------------------------------------
mkdir -p "$static/etc/ssl/certs" "$static/usr/lib" "$static/usr/share" \
         "$static/tmp" "$static/root" "$static/home/nonroot" "$static/var/run"
install -m 0644 "$defs/passwd" "$defs/group" "$defs/nsswitch.conf" "$static/etc/"
install -m 0644 "$defs/os-release" "$static/usr/lib/os-release"
ln -s ../usr/lib/os-release "$static/etc/os-release"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$static/etc/ssl/certs/ca-certificates.crt"
for f in services protocols rpc ethertypes; do
    [ -f "/etc/$f" ] && install -m 0644 "/etc/$f" "$static/etc/$f"
done
cp -a /usr/share/zoneinfo "$static/usr/share/zoneinfo"
chmod 1777 "$static/tmp"
chmod 0700 "$static/root"
chown 65532:65532 "$static/home/nonroot"
chmod 0700 "$static/home/nonroot"

# ---- cc: shared libraries ---------------------------------------------------------
# Every shared object of these packages, except glibc's iconv modules and audit libs.
# Paths are canonicalised (trixie is merged-/usr: /lib -> usr/lib).
copy_into() { # FILE DESTROOT
    src_dir=$(cd "$(dirname "$1")" && pwd -P)
    mkdir -p "$2$src_dir"
    cp -a "$src_dir/$(basename "$1")" "$2$src_dir/"
}
dpkg -L libc6:"$arch" libgcc-s1:"$arch" libstdc++6:"$arch" libssl3t64:"$arch" zlib1g:"$arch" libzstd1:"$arch" \
    | grep -E '\.so(\.[0-9]+)*$' \
    | grep -vE '/gconv/|/audit/' \
    | sort -u \
    | while read -r f; do
        if [ -L "$f" ] || [ -f "$f" ]; then copy_into "$f" "$cc"; fi
      done
# OpenSSL looks for its configuration and default CA paths under /usr/lib/ssl.
if [ -d /usr/lib/ssl ]; then
    mkdir -p "$cc/usr/lib/ssl"
    cp -a /usr/lib/ssl/. "$cc/usr/lib/ssl/"
fi
if [ -f /etc/ssl/openssl.cnf ]; then
    install -D -m 0644 /etc/ssl/openssl.cnf "$cc/etc/ssl/openssl.cnf"
fi
# Merged-/usr links so /lib64/ld-linux-x86-64.so.2 (the ELF interpreter) resolves.
for d in lib lib64; do
    if [ -d "$cc/usr/$d" ] && [ ! -e "$cc/$d" ]; then ln -s "usr/$d" "$cc/$d"; fi
done
for must in libc.so.6 libm.so.6 libgcc_s.so.1 libstdc++.so.6 libssl.so.3 libcrypto.so.3 libz.so.1 libzstd.so.1; do
    ls "$cc"/usr/lib/*/"$must" >/dev/null
done
ls "$cc"/lib64/ld-linux-*.so.* >/dev/null 2>&1 || ls "$cc"/lib/ld-linux-*.so.* >/dev/null

# ---- busybox (debug tag) ------------------------------------------------------------
mkdir -p "$bb/busybox"
# busybox-static is the build platform's: no debug tree for another architecture.
[ "$arch" = "$(dpkg --print-architecture)" ] || exit 0
install -m 0755 /bin/busybox "$bb/busybox/busybox"
for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$bb/busybox/$applet"
done
test -L "$bb/busybox/sh"
