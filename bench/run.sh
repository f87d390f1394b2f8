#!/usr/bin/env bash
# Solar Wind's benchmark: builds everything, starts Solar Wind (Liberty + embedded Artemis) and
# RabbitMQ on this machine, runs the scenarios side by side, prints the table last and writes
# bench/results/bench-<date>.{md,png}.  Not part of the test suite.
#
#   bench/run.sh                          # scenarios 1-6, 3 rounds of 10 s
#   bench/run.sh --rounds 1 --seconds 5   # quicker
#   bench/run.sh --scenarios 4 --topics 1000   # scenario 4 on fewer topics
#
# Needs Debian's rabbitmq-server and libaio1 (installed here with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
HTTP_PORT=${BENCH_HTTP_PORT:-9180}
BROKER_PORT=${BENCH_BROKER_PORT:-61716}

if ! command -v rabbitmq-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi
# Artemis's ASYNCIO journal needs libaio; without it the broker falls back to NIO (about three times
# slower on synced sends), which is not what the benchmark compares
if ! ldconfig -p | grep -q 'libaio\.so\.1'; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libaio1 >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libaio1t64 >/dev/null
fi
mvn -q install -DskipTests
mvn -q -pl bench package -DskipTests

STARTED_RABBIT=
cleanup() {
  mvn -q -pl src liberty:stop -Dsolarwind.server.name=solarwind-bench >/dev/null 2>&1 || true
  # a RabbitMQ that was running before keeps running
  if [ -n "$STARTED_RABBIT" ]; then rabbitmqctl stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if ! rabbitmqctl status >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then
    # rabbitmq-server switches to its user through su, whose PAM limits give 1,024 file handles:
    # too few for scenario 4's 20,000 durable queues (RabbitMQ then hangs recovering them)
    su rabbitmq -s /bin/sh -c 'ulimit -n "$(ulimit -Hn)"; /usr/sbin/rabbitmq-server -detached' >/dev/null 2>&1
  else
    rabbitmq-server -detached >/dev/null 2>&1
  fi
  STARTED_RABBIT=yes
  sleep 2
fi
rabbitmqctl await_startup >/dev/null

# a server of its own, with an empty journal, so that earlier runs weigh nothing; BENCH_KEEP_JOURNAL=1
# keeps it, with the purposes scenario 4 registered in an earlier run (registering 30,000 takes long)
SERVER=(-Dsolarwind.server.name=solarwind-bench -Dsolarwind.http.port=$HTTP_PORT)
if [ -z "${BENCH_KEEP_JOURNAL:-}" ]; then
  rm -rf src/target/liberty/wlp/usr/servers/solarwind-bench/artemis
fi
mvn -q -pl src liberty:create liberty:deploy liberty:start "${SERVER[@]}" \
    -Dsolarwind.https.port=$((HTTP_PORT + 363)) -Dsolarwind.broker.port=$BROKER_PORT
for _ in $(seq 1 600); do
  curl -fs http://localhost:$HTTP_PORT/health/ready >/dev/null && break
  sleep 1
done

# the server's JVM, for its heap (scenario 4): the Liberty launched from this checkout
SERVER_PID=$(pgrep -f "$PWD/src/target/liberty/wlp/bin/tools/ws-server.jar solarwind-bench" | head -1 || true)

java -cp "bench/target/solarwind-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" io.solarwind.bench.Bench \
    --http http://localhost:$HTTP_PORT --broker tcp://localhost:$BROKER_PORT --rabbit localhost:5672 \
    --server-pid "${SERVER_PID:-0}" "$@"
