#!/usr/bin/env bash
# Runs Solar Wind's broker as a standalone Artemis process in the foreground, alone or as one half of a
# shared-store HA pair: creates the instance with artemis/create-instance.sh, then runs it.
#
#   artemis/start.sh [single|primary|backup]          (default single)
#
#   artemis/start.sh                                   # alone on tcp://localhost:61616, data in target/artemis-instance/data
#   SOLARWIND_BROKER_PORT=61618 artemis/start.sh       # another port
#   SOLARWIND_BROKER_CLUSTER_PASSWORD=s3cret artemis/start.sh primary     # 61616, peer on 61617
#   SOLARWIND_BROKER_CLUSTER_PASSWORD=s3cret artemis/start.sh backup      # 61617, peer on 61616
#
# Environment (relative paths are taken from the current directory):
#   SOLARWIND_BROKER_PORT              this broker's port (default 61616; backup: 61617)
#   SOLARWIND_BROKER_PEER_PORT         primary/backup: the other broker's port (default 61617; backup: 61616)
#   SOLARWIND_BROKER_HOST, SOLARWIND_BROKER_PEER_HOST   host names (default localhost), to bind to and to announce
#   SOLARWIND_BROKER_DATA_DIR          all broker data (default: data in the instance; primary/backup:
#                                      target/artemis-shared, the folder both brokers of the pair share)
#   SOLARWIND_BROKER_CLUSTER_PASSWORD  primary/backup: REQUIRED, the same on both brokers
#   SOLARWIND_RETENTION_DAYS           journal retention for replay (default 7)
#   SOLARWIND_ARTEMIS_INSTANCE         the instance folder (default target/artemis-instance; primary/backup:
#                                      target/artemis-primary, target/artemis-backup)
#   JAVA_ARGS_APPEND                   more JVM arguments for the broker
#   and those of create-instance.sh: ARTEMIS_HOME, SOLARWIND_BROKER_PLUGIN, SOLARWIND_BROKER_USERS/_ROLES
#
# Then start Solar Wind against it, as the broker user with role solarwind-server:
#   SOLARWIND_BROKER_EMBEDDED=false SOLARWIND_BROKER_URL=tcp://localhost:61616 \
#   SOLARWIND_BROKER_USER=solarwind SOLARWIND_BROKER_PASSWORD=solarwind-dev-only mvn -pl src -am package liberty:run
# (for a pair: SOLARWIND_BROKER_URL='(tcp://localhost:61616,tcp://localhost:61617)?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1')
set -euo pipefail
role=${1:-single}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

case "$role" in
  single)
    instance=${SOLARWIND_ARTEMIS_INSTANCE:-$root/target/artemis-instance}
    port=${SOLARWIND_BROKER_PORT:-61616}
    data=${SOLARWIND_BROKER_DATA_DIR:-}
    ;;
  primary|backup)
    instance=${SOLARWIND_ARTEMIS_INSTANCE:-$root/target/artemis-$role}
    if [ "$role" = primary ]; then
      port=${SOLARWIND_BROKER_PORT:-61616}
      peer_port=${SOLARWIND_BROKER_PEER_PORT:-61617}
    else
      port=${SOLARWIND_BROKER_PORT:-61617}
      peer_port=${SOLARWIND_BROKER_PEER_PORT:-61616}
    fi
    data=${SOLARWIND_BROKER_DATA_DIR:-$root/target/artemis-shared}
    if [ -z "${SOLARWIND_BROKER_CLUSTER_PASSWORD:-}" ]; then
      echo "$0: the $role broker of a pair needs SOLARWIND_BROKER_CLUSTER_PASSWORD (the same on both brokers)" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 [single|primary|backup]" >&2
    exit 2
    ;;
esac
instance=$(absolute "$instance")
# the values travel as words of JAVA_ARGS_APPEND
for value in "$port" "${peer_port:-}" "$data" "${SOLARWIND_BROKER_CLUSTER_PASSWORD:-}" "${SOLARWIND_BROKER_HOST:-}" \
    "${SOLARWIND_BROKER_PEER_HOST:-}" "${SOLARWIND_RETENTION_DAYS:-}"; do
  case "$value" in
    *[[:space:]]*) echo "$0: the SOLARWIND_BROKER_* and SOLARWIND_RETENTION_DAYS values may not hold spaces" >&2; exit 1 ;;
  esac
done

"$here/create-instance.sh" "$instance" "$role"

args="-Dsolarwind.broker.port=$port"
[ -z "${SOLARWIND_BROKER_HOST:-}" ] || args="$args -Dsolarwind.broker.host=$SOLARWIND_BROKER_HOST"
[ -z "${SOLARWIND_RETENTION_DAYS:-}" ] || args="$args -Dsolarwind.retention.days=$SOLARWIND_RETENTION_DAYS"
if [ -n "$data" ]; then
  # absolute: Artemis would take a relative one from the instance folder
  data=$(absolute "$data")
  mkdir -p "$data"
  args="$args -Dsolarwind.broker.data-dir=$data"
fi
if [ "$role" != single ]; then
  args="$args -Dsolarwind.broker.peer-port=$peer_port -Dsolarwind.broker.cluster-password=$SOLARWIND_BROKER_CLUSTER_PASSWORD"
  [ -z "${SOLARWIND_BROKER_PEER_HOST:-}" ] || args="$args -Dsolarwind.broker.peer-host=$SOLARWIND_BROKER_PEER_HOST"
fi
# appended to the instance profile's JAVA_ARGS (which keep their -Xmx and --add-opens)
export JAVA_ARGS_APPEND="${JAVA_ARGS_APPEND:-} $args"
exec "$instance/bin/artemis" run
