#!/usr/bin/env bash
# Runs Solar Wind's broker as a standalone Artemis process, from the apache-artemis
# distribution on Maven Central, with artemis/broker.xml and the Solar Wind broker plugin.
#
#   artemis/start.sh                 # broker on tcp://localhost:61616, data in target/artemis-instance/data
#   SOLARWIND_BROKER_PORT=61617 artemis/start.sh
#
# Then start Solar Wind against it, as the broker user with role solarwind-server:
#   SOLARWIND_BROKER_EMBEDDED=false SOLARWIND_BROKER_URL=tcp://localhost:61616 \
#   SOLARWIND_BROKER_USER=solarwind SOLARWIND_BROKER_PASSWORD=solarwind-dev-only mvn -pl src -am package liberty:run
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.40.0
dist=target/artemis-dist/apache-artemis-$version
instance=${SOLARWIND_ARTEMIS_INSTANCE:-target/artemis-instance}
port=${SOLARWIND_BROKER_PORT:-61616}

if [ ! -x "$dist/bin/artemis" ]; then
  mvn -q dependency:unpack -Dartifact=org.apache.activemq:apache-artemis:$version:zip:bin \
      -DoutputDirectory=target/artemis-dist
fi
if [ ! -f src/target/solarwind-broker.jar ]; then
  mvn -q -DskipTests package
fi
if [ ! -x "$instance/bin/artemis" ]; then
  "$dist/bin/artemis" create --silent --force --no-web --require-login \
      --user solarwind --password solarwind-dev-only "$instance" >/dev/null
fi
cp artemis/broker.xml "$instance/etc/broker.xml"
# the development users and roles (liberty/dev-broker-*.properties, README "Security"), unless
# SOLARWIND_BROKER_USERS/_ROLES name your own files
cp "${SOLARWIND_BROKER_USERS:-liberty/dev-broker-users.properties}" "$instance/etc/artemis-users.properties"
cp "${SOLARWIND_BROKER_ROLES:-liberty/dev-broker-roles.properties}" "$instance/etc/artemis-roles.properties"
cp src/target/solarwind-broker.jar "$instance/lib/"
export JAVA_ARGS_APPEND="${JAVA_ARGS_APPEND:-} -Dsolarwind.broker.port=$port"
exec "$instance/bin/artemis" run
