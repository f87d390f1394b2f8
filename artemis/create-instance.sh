#!/usr/bin/env bash
# Creates (or re-creates) a broker instance of Solar Wind's standalone Artemis broker; does not start it.
#
#   artemis/create-instance.sh <instance-dir> [single|primary|backup]      (default role: single)
#
# Runs `artemis create` of the apache-artemis distribution into <instance-dir> (existing data stays, the
# configuration is written anew), installs artemis/broker.xml as etc/broker.xml (for primary/backup with
# artemis/ha/<role>.xml inserted at its <!-- solarwind:ha --> marker), the Solar Wind broker plugin jar into
# lib/ and the users and roles files into etc/. Then run the broker with `<instance-dir>/bin/artemis run`,
# passing system properties for broker.xml in JAVA_ARGS_APPEND (artemis/start.sh does that), e.g.
#   -Dsolarwind.broker.port=61616              the port (default 61616); solarwind.broker.host (default localhost)
#   -Dsolarwind.broker.data-dir=/shared/dir    all data (default: data in the instance); one shared folder for a pair
#   -Dsolarwind.retention.days=7               journal retention for replay (default 7, must be above 0)
# and for primary/backup also
#   -Dsolarwind.broker.peer-port=61617         the other broker of the pair (default 61617); solarwind.broker.peer-host
#   -Dsolarwind.broker.cluster-password=...    REQUIRED: broker.xml has no default (Artemis would make it empty);
#                                              the instance's etc/artemis.profile refuses `run` without it
#   -Dsolarwind.broker.cluster-user=...        (default solarwind-cluster)
#
# Inputs (environment variables; relative paths are taken from the current directory):
#   ARTEMIS_HOME             the unpacked apache-artemis 2.40.0 distribution
#                            (default: target/artemis-dist/apache-artemis-2.40.0 of this project, unpacked there
#                            from Maven Central if missing)
#   SOLARWIND_BROKER_PLUGIN  the Solar Wind broker plugin jar
#                            (default: src/target/solarwind-broker.jar, built with Maven if missing)
#   SOLARWIND_BROKER_USERS   the users file for etc/artemis-users.properties
#                            (default: liberty/dev-broker-users.properties, development passwords only)
#   SOLARWIND_BROKER_ROLES   the roles file for etc/artemis-roles.properties
#                            (default: liberty/dev-broker-roles.properties)
# Works from any current directory.
set -euo pipefail

usage() {
  echo "usage: $0 <instance-dir> [single|primary|backup]" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
role=${2:-single}
case "$role" in
  single|primary|backup) ;;
  *) usage ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # artemis/
root=$(dirname "$here")                               # the project
absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

version=2.40.0
instance=$(absolute "$1")
if [ -n "${ARTEMIS_HOME:-}" ]; then
  home=$(absolute "$ARTEMIS_HOME")
else
  home=$root/target/artemis-dist/apache-artemis-$version
  if [ ! -x "$home/bin/artemis" ]; then
    (cd "$root" && mvn -q -B -N dependency:unpack -Dartifact=org.apache.activemq:apache-artemis:$version:zip:bin \
        -DoutputDirectory="$root/target/artemis-dist")
  fi
fi
if [ -n "${SOLARWIND_BROKER_PLUGIN:-}" ]; then
  plugin=$(absolute "$SOLARWIND_BROKER_PLUGIN")
else
  plugin=$root/src/target/solarwind-broker.jar
  if [ ! -f "$plugin" ]; then
    (cd "$root" && mvn -q -B -pl src -am -DskipTests package)
  fi
fi
users=$(absolute "${SOLARWIND_BROKER_USERS:-$root/liberty/dev-broker-users.properties}")
roles=$(absolute "${SOLARWIND_BROKER_ROLES:-$root/liberty/dev-broker-roles.properties}")
for f in "$home/bin/artemis" "$plugin" "$users" "$roles" "$here/broker.xml"; do
  [ -f "$f" ] || { echo "$0: missing $f" >&2; exit 1; }
done
marker='<!-- solarwind:ha -->'
if [ "$(grep -cF "$marker" "$here/broker.xml")" != 1 ]; then
  echo "$0: $here/broker.xml must hold the marker $marker exactly once" >&2
  exit 1
fi

"$home/bin/artemis" create --silent --force --no-web --require-login \
    --user solarwind --password solarwind-dev-only "$instance" >/dev/null

# broker.xml, with the role's HA part after the marker
if [ "$role" = single ]; then
  cp "$here/broker.xml" "$instance/etc/broker.xml"
else
  fragment=$here/ha/$role.xml
  [ -f "$fragment" ] || { echo "$0: missing $fragment" >&2; exit 1; }
  awk -v marker="$marker" -v fragment="$fragment" '
    { print }
    index($0, marker) { while ((getline line < fragment) > 0) print line; close(fragment) }
  ' "$here/broker.xml" > "$instance/etc/broker.xml"
fi

cp "$plugin" "$instance/lib/solarwind-broker.jar"
cp "$users" "$instance/etc/artemis-users.properties"
cp "$roles" "$instance/etc/artemis-roles.properties"

# A pair broker without a cluster password would run with an empty one: refuse to start it.
# (etc/artemis.profile is read only by `bin/artemis run`; `artemis create --force` writes it anew.)
if [ "$role" != single ]; then
  cat >> "$instance/etc/artemis.profile" <<'EOF'

# Solar Wind (artemis/create-instance.sh): this broker is one of an HA pair, and its broker.xml takes the
# cluster password from the system property solarwind.broker.cluster-password, which has no default.
case " ${JAVA_ARGS:-} ${JAVA_ARGS_APPEND:-} " in
  *" -Dsolarwind.broker.cluster-password= "*) solarwind_cluster_password=no ;;
  *" -Dsolarwind.broker.cluster-password="*) solarwind_cluster_password=yes ;;
  *) solarwind_cluster_password=no ;;
esac
if [ "$solarwind_cluster_password" = no ]; then
  echo "Solar Wind: set -Dsolarwind.broker.cluster-password=... in JAVA_ARGS_APPEND (the same on both brokers of the pair)" >&2
  exit 1
fi
EOF
fi
echo "created $role broker instance $instance"
