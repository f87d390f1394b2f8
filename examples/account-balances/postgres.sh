#!/usr/bin/env bash
# A throw-away PostgreSQL for the account-balances example and the tests that use it.
#
#   postgres.sh start DIR PORT   creates a cluster in DIR (once), starts it on localhost:PORT and makes
#                                the database "balances" (user "solarwind", no password: trust on localhost)
#   postgres.sh stop DIR         stops it (fast shutdown); rm -rf DIR deletes it
#
# Debian's postgresql package is installed when no PostgreSQL is found (as root, or through sudo without a
# password), like .ci/install-test-packages does for the browser. The server runs as an ordinary user:
# PostgreSQL refuses root, so under root it runs as the package's "postgres" user. max_prepared_transactions
# is above 0, which XA (two-phase commit) needs; fsync stays on, so a committed change survives a crash.
set -euo pipefail
action=${1:?start DIR PORT | stop DIR}
dir=$(realpath -m "${2:?directory}")

bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$candidate/pg_ctl" ] && { bin=$candidate; break; }
done
if [ -z "$bin" ] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
  bin=$(dirname "$(command -v pg_ctl)")
fi
if [ -z "$bin" ] && [ "$action" = start ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo -n); fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
  "${as_root[@]}" service postgresql stop >/dev/null 2>&1 || true   # the package's own cluster is not used
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V -r | head -1)
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

case "$action" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U solarwind --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start -o \
      "-p $port -c listen_addresses=localhost -c unix_socket_directories=$dir -c max_prepared_transactions=100 -c max_connections=120 -c shared_buffers=32MB" \
      >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/postgres.log" >&2; exit 1; }
    if ! "${as_owner[@]}" "$bin/psql" -h "$dir" -p "$port" -U solarwind -d postgres -tAc "select 1 from pg_database where datname='balances'" | grep -q 1; then
      "${as_owner[@]}" "$bin/psql" -h "$dir" -p "$port" -U solarwind -d postgres -qc "create database balances" >/dev/null
    fi
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running in $dir on localhost:$port (database balances, user solarwind)"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
