#!/usr/bin/env bash
# Solar Wind's benchmark: builds everything, starts Solar Wind (Liberty + embedded Artemis) and
# RabbitMQ on this machine, runs the scenarios side by side, prints the table last and writes
# bench/results/bench-<date>.{md,png}.  Not part of the test suite.
#
#   bench/run.sh                          # scenarios 1-6, 3 rounds of 10 s
#   bench/run.sh --rounds 1 --seconds 5   # quicker
#   bench/run.sh --scenarios 4 --topics 1000   # scenario 4 on fewer topics
#   bench/run.sh --scenarios 1 --systems "Solar Wind,Solar Wind pair,raw Artemis"   # also starts the pair's two servers
#   bench/run.sh --scenarios 1 --systems "Solar Wind,Kafka (defaults),Kafka (fsync each),NATS JetStream (defaults)"
#   bench/run.sh --scenarios 1 --systems "Solar Wind,Solar Wind (AMQP),Solar Wind push"   # AMQP 1.0 clients; push to a receiver in the bench
#
# Needs Debian's rabbitmq-server, nats-server and libaio1 (installed here with apt-get when missing;
# RabbitMQ and NATS only when the systems include them). Kafka runs from Maven Central's jars
# (bench/kafka/pom.xml), as one KRaft broker-and-controller process on a storage formatted here.
# BENCH_KAFKA_PORT (19092; the controller on the next port) and BENCH_NATS_PORT (14222) choose their ports.
set -euo pipefail
cd "$(dirname "$0")/.."
HTTP_PORT=${BENCH_HTTP_PORT:-9180}
BROKER_PORT=${BENCH_BROKER_PORT:-61716}

# the systems asked for, as Bench reads them (--option value pairs): RabbitMQ is started only when
# one of them, the pair's two servers only when "Solar Wind pair" is named
SYSTEMS="Solar Wind,raw Artemis,RabbitMQ"
ARGS=("$@")
for ((i = 0; i + 1 < ${#ARGS[@]}; i += 2)); do
  if [ "${ARGS[i]}" = --systems ]; then SYSTEMS=${ARGS[i + 1]}; fi
done
RABBIT=; PAIR=; KAFKA=; NATS=
case ",$SYSTEMS," in *,RabbitMQ,*) RABBIT=yes ;; esac
case ",$SYSTEMS," in *",Solar Wind pair,"*) PAIR=yes ;; esac
case ",$SYSTEMS," in *",Kafka ("*) KAFKA=yes ;; esac
case ",$SYSTEMS," in *",NATS JetStream"*) NATS=yes ;; esac
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
NATS_PORT=${BENCH_NATS_PORT:-14222}

if [ -n "$RABBIT" ] && ! command -v rabbitmq-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi
if [ -n "$NATS" ] && ! command -v nats-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
fi
# Artemis's ASYNCIO journal needs libaio; without it the broker falls back to NIO (about three times
# slower on synced sends), which is not what the benchmark compares
if ! ldconfig -p | grep -q 'libaio\.so\.1'; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libaio1 >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libaio1t64 >/dev/null
fi
# BENCH_SKIP_BUILD=1: the project was built already (mvn install -DskipTests), only the bench is packaged
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then mvn -q install -DskipTests; fi
mvn -q -pl bench package -DskipTests
if [ -n "$KAFKA" ]; then mvn -q -f bench/kafka/pom.xml package; fi

STARTED_RABBIT=; KAFKA_PID=; NATS_PID=
KAFKA_DIR=$PWD/bench/target/kafka; NATS_DIR=$PWD/bench/target/nats
stop_pid() { # a broker this script started: TERM, then KILL after 30 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}
# the pair's two servers (see below): name, HTTP port, broker port, role, the other half's broker port
PAIR_A=(solarwind-bench-pa $((HTTP_PORT + 1)) $((BROKER_PORT + 1)) primary $((BROKER_PORT + 2)))
PAIR_B=(solarwind-bench-pb $((HTTP_PORT + 2)) $((BROKER_PORT + 2)) backup $((BROKER_PORT + 1)))
cleanup() {
  mvn -q -pl src liberty:stop -Dsolarwind.server.name=solarwind-bench >/dev/null 2>&1 || true
  if [ -n "$PAIR" ]; then
    # the backup half first: stopping the primary first would make the backup's broker take over
    mvn -q -pl src liberty:stop -Dsolarwind.server.name="${PAIR_B[0]}" >/dev/null 2>&1 || true
    mvn -q -pl src liberty:stop -Dsolarwind.server.name="${PAIR_A[0]}" >/dev/null 2>&1 || true
  fi
  # a RabbitMQ that was running before keeps running
  if [ -n "$STARTED_RABBIT" ]; then rabbitmqctl stop >/dev/null 2>&1 || true; fi
  # Kafka and NATS: stopped, and their data deleted (each run formats or creates its own)
  if [ -n "$KAFKA_PID" ]; then stop_pid "$KAFKA_PID"; rm -rf "$KAFKA_DIR/data"; fi
  if [ -n "$NATS_PID" ]; then stop_pid "$NATS_PID"; rm -rf "$NATS_DIR/data"; fi
}
trap cleanup EXIT

if [ -n "$RABBIT" ] && ! rabbitmqctl status >/dev/null 2>&1; then
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
if [ -n "$RABBIT" ]; then rabbitmqctl await_startup >/dev/null; fi

await_port() { # port, name, log
  for _ in $(seq 1 240); do
    (exec 3<>"/dev/tcp/localhost/$1") 2>/dev/null && return
    sleep 0.5
  done
  echo "$2 did not open port $1; its log: $3" >&2
  exit 1
}
# Kafka 4: one KRaft process as broker and controller, storage formatted afresh (the format's default
# features at this version include share.version 2: share groups are on), no fsync unless a topic asks
# (KafkaRig's "fsync each" topics set flush.messages=1). Single-node settings: replication factor 1
# and 3 partitions (not 50) for the internal topics, which the first group creates (50 took long enough
# on a busy machine for the first share group to get nothing), no initial rebalance delay.
if [ -n "$KAFKA" ]; then
  rm -rf "$KAFKA_DIR"; mkdir -p "$KAFKA_DIR"
  cat > "$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
offsets.topic.num.partitions=3
share.coordinator.state.topic.num.partitions=3
group.initial.rebalance.delay.ms=0
EOF
  KAFKA_JAVA=(java -Xms512m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat bench/kafka/target/classpath.txt)")
  "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/format.log" 2>&1
  "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/kafka.log" 2>&1 &
  KAFKA_PID=$!
  await_port "$KAFKA_PORT" Kafka "$KAFKA_DIR/kafka.log"
fi
# NATS JetStream: Debian's nats-server, file storage in a directory of its own, its defaults otherwise
if [ -n "$NATS" ]; then
  rm -rf "$NATS_DIR"; mkdir -p "$NATS_DIR"
  printf 'listen: "localhost:%s"\njetstream {\n  store_dir: "%s"\n}\n' "$NATS_PORT" "$NATS_DIR/data" > "$NATS_DIR/nats.conf"
  nats-server -c "$NATS_DIR/nats.conf" > "$NATS_DIR/nats.log" 2>&1 &
  NATS_PID=$!
  await_port "$NATS_PORT" nats-server "$NATS_DIR/nats.log"
fi

# push delivery to the receiver in the bench's JVM ("Solar Wind push"): the server may POST to localhost
# (MicroProfile Config reads the setting solarwind.push.allowed-hosts from this variable; the server's
# JVM inherits liberty:start's environment). Set whatever the systems, so that the server is the same.
export SOLARWIND_PUSH_ALLOWED_HOSTS=localhost
# a server of its own, with an empty journal, so that earlier runs weigh nothing; BENCH_KEEP_JOURNAL=1
# keeps it, with the purposes scenario 4 registered in an earlier run (registering 30,000 takes long)
SERVER=(-Dsolarwind.server.name=solarwind-bench -Dsolarwind.http.port=$HTTP_PORT)
if [ -z "${BENCH_KEEP_JOURNAL:-}" ]; then
  rm -rf src/target/liberty/wlp/usr/servers/solarwind-bench/artemis
fi
mvn -q -pl src liberty:create liberty:deploy liberty:start "${SERVER[@]}" \
    -Dsolarwind.https.port=$((HTTP_PORT + 363)) -Dsolarwind.broker.port=$BROKER_PORT
await_ready() {
  for _ in $(seq 1 600); do
    curl -fs "http://localhost:$1/health/ready" >/dev/null && return
    sleep 1
  done
}
await_ready $HTTP_PORT

# the server's JVM, for its heap (scenario 4): the Liberty launched from this checkout
SERVER_PID=$(pgrep -f "$PWD/src/target/liberty/wlp/bin/tools/ws-server.jar solarwind-bench( |$)" | head -1 || true)

# "Solar Wind pair": two more servers, each embedding one half of a shared-store broker pair, with
# one data directory (emptied like the bench server's journal). The HA settings are environment
# variables of liberty:start, which the server's JVM inherits; the primary starts first, so its
# server dispatches and the backup's stands by. Bench registers on the backup's server.
PAIR_ARGS=()
if [ -n "$PAIR" ]; then
  PAIR_STORE=$PWD/src/target/bench-pair-store
  if [ -z "${BENCH_KEEP_JOURNAL:-}" ]; then
    rm -rf "$PAIR_STORE"
  fi
  start_half() { # name, HTTP port, broker port, role, the other half's broker port
    SOLARWIND_BROKER_HA=$4 SOLARWIND_BROKER_HA_PEER=localhost:$5 SOLARWIND_BROKER_DATA_DIR=$PAIR_STORE \
    SOLARWIND_BROKER_CLUSTER_PASSWORD=bench-pair-only \
      mvn -q -pl src liberty:create liberty:deploy liberty:start -Dsolarwind.server.name="$1" \
        -Dsolarwind.http.port="$2" -Dsolarwind.https.port=$(($2 + 363)) -Dsolarwind.broker.port="$3"
    await_ready "$2"
    # the settings reached the server's JVM: its broker is the half it was told to be
    if ! curl -fs -u admin:admin-dev-only "http://localhost:$2/api/v1/broker" | grep -q "\"embeddedRole\":\"$4\""; then
      echo "$1: its broker is not the pair's $4: $(curl -s -u admin:admin-dev-only "http://localhost:$2/api/v1/broker")" >&2
      exit 1
    fi
  }
  start_half "${PAIR_A[@]}"
  start_half "${PAIR_B[@]}"
  PAIR_ARGS=(--pair-broker "(tcp://localhost:${PAIR_A[2]},tcp://localhost:${PAIR_B[2]})?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1"
             --pair-http "http://localhost:${PAIR_B[1]}")
fi

BENCH_JAR=$(ls bench/target/solarwind-bench-*.jar | head -1)   # whatever the version
java -cp "$BENCH_JAR:$(cat bench/target/classpath.txt)" io.solarwind.bench.Bench \
    --http http://localhost:$HTTP_PORT --broker tcp://localhost:$BROKER_PORT --rabbit localhost:5672 \
    --kafka localhost:$KAFKA_PORT --nats nats://localhost:$NATS_PORT \
    --server-pid "${SERVER_PID:-0}" "${PAIR_ARGS[@]}" "$@"
