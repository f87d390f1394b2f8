#!/usr/bin/env bash
# The account-balances example in one command, from anywhere: a PostgreSQL of its own (target/postgres, port 5433,
# stopped again when this ends), then Solar Wind with the example's handlers (mvn liberty:run; Ctrl-C stops both).
# Builds first unless SKIP_BUILD=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
port=${BALANCES_DB_PORT:-5433}
"$here/postgres.sh" start "$here/target/postgres" "$port"
trap '"$here/postgres.sh" stop "$here/target/postgres"' EXIT
cd "$top"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q install -DskipTests
fi
mvn liberty:run -pl examples/account-balances -Dbalances.db.port="$port"
