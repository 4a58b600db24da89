#!/usr/bin/env bash
# Entrypoint of the postgres:17 stand-in (scripts/standins/postgres).
#
# Environment, as in the upstream image:
#   POSTGRES_USER       superuser name (default: postgres)
#   POSTGRES_PASSWORD   its password (required unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_DB         database created at first start (default: $POSTGRES_USER)
#   PGDATA              data directory (default: /var/lib/postgresql/data)
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default: scram-sha-256)
#   any of the first three also as *_FILE (read from a file, e.g. a secret, as root)
# On an empty data directory it runs initdb, lets host connections from anywhere in
# with the auth method, creates the database, runs /docker-entrypoint-initdb.d/*
# (*.sh, *.sql, *.sql.gz), then execs postgres as the postgres user (PID 1), listening
# on all addresses, port 5432.
set -Eeuo pipefail

export PGDATA=${PGDATA:-/var/lib/postgresql/data}

log() { printf 'entrypoint: %s\n' "$*" >&2; }

# VAR [DEFAULT]: take VAR, else the contents of the file named by VAR_FILE, else DEFAULT.
from_env_or_file() {
    local var=$1 file_var="${1}_FILE" value=${2:-}
    if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
        log "both $var and $file_var are set; use one"
        exit 1
    fi
    if [ -n "${!var:-}" ]; then
        value=${!var}
    elif [ -n "${!file_var:-}" ]; then
        value=$(<"${!file_var}")
    fi
    export "$var=$value"
    unset "$file_var"
}

# `docker run IMAGE -c foo=bar` means postgres options.
if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" != postgres ]; then
    exec "$@"
fi

# As upstream: the *_FILE variables are read first, while still root (a Compose secret
# is mounted with its host owner and mode, e.g. 600 root), and passed on as the plain ones.
from_env_or_file POSTGRES_USER postgres
from_env_or_file POSTGRES_PASSWORD
from_env_or_file POSTGRES_DB "$POSTGRES_USER"

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
    chmod 0700 "$PGDATA"
    chown postgres:postgres /var/run/postgresql
    chmod 3777 /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

    if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
        log "the database is uninitialized and POSTGRES_PASSWORD is not set;"
        log "set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections)"
        exit 1
    fi

    initdb_args=(-D "$PGDATA" --username="$POSTGRES_USER" --encoding=UTF8 --locale=C.UTF-8
                 --auth-local=trust --auth-host="$auth")
    pwfile=
    if [ -n "$POSTGRES_PASSWORD" ]; then
        pwfile=$(mktemp)
        printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
        initdb_args+=(--pwfile="$pwfile")
    fi
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words on purpose
    initdb "${initdb_args[@]}" ${POSTGRES_INITDB_ARGS:-} >/dev/null
    [ -z "$pwfile" ] || rm -f "$pwfile"

    printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

    # Temporary server for the database and the init scripts: no TCP, and its socket
    # in a private directory, so a healthcheck (pg_isready) cannot see it and report
    # ready before the real server runs.
    PGHOST=$(mktemp -d)
    export PGHOST
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories='$PGHOST'" -w -s start
    psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER")
    if [ "$POSTGRES_DB" != postgres ]; then
        "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" -q <<'SQL'
CREATE DATABASE :"db";
SQL
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] || continue
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then log "running $f"; "$f"
                else log "sourcing $f"; # shellcheck disable=SC1090
                     . "$f"; fi ;;
            *.sql) log "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -q -f "$f" ;;
            *.sql.gz) log "running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -q ;;
            *) log "ignoring $f" ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w -s stop
    rmdir "$PGHOST" 2>/dev/null || true
    unset PGHOST POSTGRES_PASSWORD
    log "initialised $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB, host auth $auth)"
fi

exec "$@"
