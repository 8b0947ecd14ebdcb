#!/bin/bash
# with_pg.sh CMD [ARG...] — runs CMD beside a throw-away PostgreSQL server: initdb and pg_ctl in
# a temporary directory, listening on a unix socket there and on 127.0.0.1 at a free port, with
# an empty database `nas`; the server is stopped and the directory removed however CMD ends.
# CMD sees NAS_TEST_PG (postgresql://postgres@127.0.0.1:PORT, no database), NAS_TEST_PG_SOCKET
# (the socket directory), NAS_TEST_PG_PORT and NAS_TEST_PG_CTL (the pg_ctl command for this
# server, e.g. `$NAS_TEST_PG_CTL restart -m fast`), and TMPDIR inside the server's directory.
# NAS_TEST_PG_HBA=CIDR (optional): the server also listens on every address and trusts clients
# from CIDR, for a test that makes hosts of network namespaces after the server started.
# Never skips: no server is a failure.
# As root the server runs as the `postgres` user the Debian package creates.
set -euo pipefail
BIN=${NAS_PG_BIN:-/usr/lib/postgresql/15/bin}
die() { echo "with_pg: $*" >&2; exit 1; }
[ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ] ||
    die "no PostgreSQL server in $BIN (Debian package postgresql-15; .ci/setup installs it)"
[ $# -gt 0 ] || die "usage: with_pg.sh CMD [ARG...]"

dir=$(mktemp -d /tmp/store-pg-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root and there is no postgres user to run the server as"
    chown postgres "$dir"
    as=(runuser -u postgres --)
fi
cleanup() {
    "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as[@]}" "$BIN/initdb" -N -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
listen=127.0.0.1
if [ -n "${NAS_TEST_PG_HBA:-}" ]; then
    listen="'*'"   # pg_ctl starts the server through sh: no glob
    echo "host all all $NAS_TEST_PG_HBA trust" >>"$dir/data/pg_hba.conf"
fi
started=0
for try in 1 2 3; do      # the free port can be taken between the probe and the start
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -p $port -c listen_addresses=$listen -c fsync=off -c max_connections=200" start >/dev/null; then
        started=1
        break
    fi
done
[ $started = 1 ] || { tail -20 "$dir/server.log" >&2 || true; die "the PostgreSQL server did not start"; }
# Killed outright (a ctest timeout sends SIGKILL: no trap runs), this script still leaves no
# server behind: a detached watchdog, not our child by then, stops it once we are gone.
(setsid bash -c "while kill -0 $$ 2>/dev/null; do sleep 1; done
                 ${as[*]} $BIN/pg_ctl -D $dir/data -m immediate stop; rm -rf $dir" </dev/null >/dev/null 2>&1 &)
"$BIN/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -c "CREATE DATABASE nas" ||
    die "cannot create the test database"

export NAS_TEST_PG="postgresql://postgres@127.0.0.1:$port" NAS_TEST_PG_SOCKET="$dir" NAS_TEST_PG_PORT="$port"
export NAS_TEST_PG_CTL="${as[*]} $BIN/pg_ctl -D $dir/data -w"
mkdir -m 1777 "$dir/tmp"          # CMD's temporary files live and die with the server's directory
export TMPDIR="$dir/tmp"
rc=0
"$@" || rc=$?
if [ $rc != 0 ]; then
    echo "with_pg: $1 exited $rc; the server's log ends:" >&2
    tail -15 "$dir/server.log" >&2 || true
fi
exit $rc
