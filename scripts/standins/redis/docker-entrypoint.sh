#!/bin/sh
# Entrypoint of the redis:7 stand-in (scripts/standins/redis).
# Like the upstream image: arguments that start with "-" or name a .conf file are
# redis-server arguments; without a config file, protected mode is switched off so
# other containers can connect; redis-server runs as the redis user (PID 1).
set -eu

case "${1:-}" in
    -* | *.conf) set -- redis-server "$@" ;;
esac

if [ "${1:-}" = redis-server ]; then
    case "${2:-}" in
        *.conf) ;;
        *)
            case " $* " in
                *" --protected-mode "*) ;;
                *) set -- "$@" --protected-mode no ;;
            esac
            ;;
    esac
    if [ "$(id -u)" = 0 ]; then
        find . \! -user redis -exec chown redis '{}' + 2>/dev/null || true
        exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
    fi
fi

exec "$@"
