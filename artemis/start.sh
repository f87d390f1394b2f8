#!/usr/bin/env bash
# Runs Solar Wind's broker as a standalone Artemis process, from the apache-artemis
# distribution on Maven Central, with artemis/broker.xml and the Solar Wind broker plugin.
#
#   artemis/start.sh                 # broker on tcp://localhost:61616, data in target/artemis-instance/data
#   SOLARWIND_BROKER_PORT=61617 artemis/start.sh
#
# Then start Solar Wind against it:
#   SOLARWIND_BROKER_EMBEDDED=false SOLARWIND_BROKER_URL=tcp://localhost:61616 mvn -pl src -am package liberty:run
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
  "$dist/bin/artemis" create --silent --force --no-web --allow-anonymous \
      --user solarwind --password solarwind "$instance" >/dev/null
fi
cp artemis/broker.xml "$instance/etc/broker.xml"
cp src/target/solarwind-broker.jar "$instance/lib/"
export JAVA_ARGS="${JAVA_ARGS:-} -Dsolarwind.broker.port=$port"
exec "$instance/bin/artemis" run
