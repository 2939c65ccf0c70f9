#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) on 127.0.0.1,
# without Docker: the jars come from Maven Central through `mvn`, the JVM is the machine's Java 17.
#
#   bash infra/kafka/kafka.sh fetch     copy the Kafka jars into the cache (skipped when complete)
#   bash infra/kafka/kafka.sh start     fetch if needed, format storage once, start, wait until it answers
#   bash infra/kafka/kafka.sh stop      SIGTERM, wait for a clean shutdown, SIGKILL after a bound
#   bash infra/kafka/kafka.sh status    exit 0 when running and answering, 1 otherwise
#   bash infra/kafka/kafka.sh reset     stop, then delete the data directory
#   bash infra/kafka/kafka.sh brokers   print the bootstrap address (for KAFKA_BROKERS)
#   bash infra/kafka/kafka.sh logs [N]  print the last N (default 100) lines of the broker log
#   bash infra/kafka/kafka.sh topics|console-consumer|console-producer|consumer-groups|class CLASS  [args]
#                                       run one of Kafka's own command-line tools on the same classpath
#
# See README.md beside this file for the environment variables. Works from any directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
POM="$HERE/pom.xml"

CACHE=${NRM_KAFKA_CACHE:-$HERE/.cache}
DATA=${NRM_KAFKA_DATA:-$HERE/.data}
HOST=127.0.0.1
PORT=${NRM_KAFKA_PORT:-9092}
CONTROLLER_PORT=${NRM_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
HEAP_OPTS=${NRM_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
JVM_OPTS=${NRM_KAFKA_JVM_OPTS:-}
START_TIMEOUT=${NRM_KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=${NRM_KAFKA_STOP_TIMEOUT:-30}
FETCH_TIMEOUT=${NRM_KAFKA_FETCH_TIMEOUT:-300}
FETCH_ATTEMPTS=${NRM_KAFKA_FETCH_ATTEMPTS:-3}
MVN_ARGS=${NRM_KAFKA_MVN_ARGS:-}
# Optional second listener that demands SASL/PLAIN: NRM_KAFKA_SASL_PORT and the accounts it
# accepts, NRM_KAFKA_SASL_USERS="user:password[,user:password...]". The PLAINTEXT listener stays
# (inter-broker traffic and the readiness probe use it).
SASL_PORT=${NRM_KAFKA_SASL_PORT:-}
SASL_USERS=${NRM_KAFKA_SASL_USERS:-}

LIB="$CACHE/lib"
STAMP="$LIB/.complete"
KRAFT_DIR="$DATA/kraft-logs"
PROPS="$DATA/server.properties"
PIDFILE="$DATA/kafka.pid"
LOG="$DATA/broker.log"
MARKER="$DATA/.nrm-kafka-data"

pom_property() { sed -n "s:.*<$1>\\(.*\\)</$1>.*:\\1:p" "$POM" | head -n 1; }
KAFKA_VERSION=$(pom_property kafka.version)
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:$(pom_property dependency-plugin.version)"

now_ms() { date +%s%3N; }
secs_since() { local d=$(($(now_ms) - $1)); printf '%d.%d' $((d / 1000)) $((d % 1000 / 100)); }
say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (Kafka $KAFKA_VERSION needs Java 11+, 17 recommended): install openjdk-17-jre-headless or set JAVA_HOME"
  fi
}

# Run a Kafka command-line class on the cached classpath, tool logging (WARN, stderr).
run_class() {
  local cls=$1; shift
  exec "$(java_bin)" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/tools-log4j.properties" \
    -cp "$LIB/*" "$cls" "$@"
}
run_class_sub() { ( run_class "$@" ); }

# ---------------------------------------------------------------- fetch

lib_complete() {
  [ -f "$STAMP" ] && [ -f "$LIB/kafka_2.13-$KAFKA_VERSION.jar" ] &&
    [ "$(cat "$STAMP")" = "$(sha256sum "$POM" | cut -d' ' -f1)" ]
}

cmd_fetch() {
  lib_complete && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (apt-get install maven); it fetches Kafka $KAFKA_VERSION from Maven Central"
  mkdir -p "$CACHE"
  exec 8>"$CACHE/.fetch.lock"
  flock -w "$((FETCH_TIMEOUT * FETCH_ATTEMPTS + 60))" 8 || die "timed out waiting for another fetch into $CACHE"
  lib_complete && return 0 # another process fetched it while we waited

  local tmp="$CACHE/lib.tmp.$$" out="$CACHE/fetch.out" attempt ok=0 t0
  t0=$(now_ms)
  rm -rf "$tmp" "$CACHE"/lib.tmp.*
  # shellcheck disable=SC2206
  local common=(-B -q -Dstyle.color=never -f "$POM" "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$tmp" -DincludeScope=runtime
    -Dmaven.wagon.http.retryHandler.count=3 $MVN_ARGS)
  say "fetching Apache Kafka $KAFKA_VERSION jars with mvn into $LIB"
  # Offline first: costs a second or two, and needs no network when ~/.m2 already holds everything.
  if timeout 120 mvn -o "${common[@]}" >"$out" 2>&1; then
    ok=1
  else
    local rc
    for attempt in $(seq 1 "$FETCH_ATTEMPTS"); do
      rm -rf "$tmp"
      rc=0
      timeout "$FETCH_TIMEOUT" mvn "${common[@]}" >"$out" 2>&1 || rc=$?
      if [ "$rc" = 0 ]; then ok=1; break; fi
      if [ "$rc" = 124 ]; then
        say "mvn attempt $attempt/$FETCH_ATTEMPTS timed out after ${FETCH_TIMEOUT}s"
      else
        say "mvn attempt $attempt/$FETCH_ATTEMPTS failed (exit $rc)"
      fi
      if [ "$attempt" -lt "$FETCH_ATTEMPTS" ]; then sleep $((attempt * 5)); fi
    done
  fi
  if [ "$ok" != 1 ]; then
    tail -n 30 "$out" >&2 || true
    if grep -qiE 'UnknownHost|Connection refused|Connect to .* failed|timed out|Network is unreachable|Could not transfer|No route to host|Transfer failed|NoPluginFoundForPrefix' "$out"; then
      die "Maven Central (or the configured mirror) looks unreachable from this machine: could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (mvn output above, full in $out)"
    fi
    die "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (mvn output above, full in $out)"
  fi
  [ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || die "mvn succeeded but $tmp/kafka_2.13-$KAFKA_VERSION.jar is missing"
  sha256sum "$POM" | cut -d' ' -f1 >"$tmp/.complete"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  rm -f "$out"
  say "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1)) in $(secs_since "$t0") s"
}

# ---------------------------------------------------------------- process helpers

read_pid() { if [ -f "$PIDFILE" ]; then tr -dc '0-9' <"$PIDFILE"; fi; }

# True when $1 is a live process that is our broker (guards against a recycled pid).
is_our_broker() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $PROPS"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# A real Kafka request: list topics through the Admin client, bounded by $1 seconds (default 30).
probe_metadata() {
  local limit=${1:-30}
  mkdir -p "$DATA"
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=8000\nsocket.connection.setup.timeout.ms=2000\n' >"$DATA/probe.properties"
  ( timeout "$limit" "$(java_bin)" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dlog4j.configuration="file:$HERE/tools-log4j.properties" -cp "$LIB/*" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$PORT" \
      --command-config "$DATA/probe.properties" --list ) >/dev/null 2>"$DATA/probe.err"
}

# The last probe's error, for a start that gives up (why the broker did not answer).
probe_error() {
  if [ -s "$DATA/probe.err" ]; then
    say "last metadata probe said:"
    grep -v '^\s*at ' "$DATA/probe.err" | tail -n 8 >&2
  fi
}

log_tail() {
  if [ -f "$LOG" ]; then
    say "last lines of $LOG:"
    tail -n "${1:-60}" "$LOG" >&2
  fi
}

# ---------------------------------------------------------------- start

# The SASL_PLAINTEXT listener's lines, or nothing when NRM_KAFKA_SASL_PORT is not set.
sasl_listener_properties() {
  [ -n "$SASL_PORT" ] || return 0
  [ -n "$SASL_USERS" ] || die "NRM_KAFKA_SASL_PORT needs NRM_KAFKA_SASL_USERS=user:password[,user:password]"
  local accounts='' pair pairs
  IFS=',' read -r -a pairs <<<"$SASL_USERS"
  for pair in "${pairs[@]}"; do
    [[ "$pair" =~ ^[A-Za-z0-9._-]+:[^\"[:space:]]+$ ]] || die "NRM_KAFKA_SASL_USERS: '${pair%%:*}' is not user:password (no quotes or spaces)"
    accounts="$accounts user_${pair%%:*}=\"${pair#*:}\""
  done
  cat <<PROPERTIES
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$accounts;
PROPERTIES
}

write_properties() {
  local sasl_listener='' sasl_protocol=''
  if [ -n "$SASL_PORT" ]; then
    sasl_listener=",SASL_PLAINTEXT://$HOST:$SASL_PORT"
    sasl_protocol=",SASL_PLAINTEXT:SASL_PLAINTEXT"
  fi
  cat >"$PROPS" <<EOF
# Written by infra/kafka/kafka.sh on every start; edit the script, not this file.
# Single-node KRaft: this process is both the broker and the only controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT$sasl_listener
advertised.listeners=PLAINTEXT://$HOST:$PORT$sasl_listener
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT$sasl_protocol

log.dirs=$KRAFT_DIR
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
# Topics are created up front by the application.
auto.create.topics.enable=false

offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer internal partitions than the default 50: the first consumer group / transaction starts faster.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0

# Sized for a 2-core development machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF
  sasl_listener_properties >>"$PROPS"
}

cmd_start() {
  if [ ! -e "$DATA" ] || [ -z "$(ls -A "$DATA")" ]; then
    mkdir -p "$DATA"
    touch "$MARKER"
  fi
  exec 9>"$DATA/.lock"
  flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 60))" 9 || die "timed out waiting for another kafka.sh start/stop on $DATA"

  local pid
  pid=$(read_pid)
  if is_our_broker "$pid"; then
    if port_open "$PORT"; then
      say "already running (pid $pid)"
      echo "kafka ready on $HOST:$PORT"
      return 0
    fi
    say "pid $pid is running but $HOST:$PORT does not answer yet; waiting"
    wait_ready "$pid"
    return
  fi
  rm -f "$PIDFILE"

  if port_open "$PORT"; then
    # Something else holds the port: a broker started from another checkout or data dir, or another service.
    if lib_complete && probe_metadata; then
      say "warning: a Kafka broker not started from $DATA already answers on $HOST:$PORT; using it (kafka.sh stop will not stop it)"
      echo "kafka ready on $HOST:$PORT"
      return 0
    fi
    die "$HOST:$PORT is already in use by something that is not a Kafka broker: $(ss -ltnpH "sport = :$PORT" 2>/dev/null | head -n 1); free it or set NRM_KAFKA_PORT"
  fi
  if port_open "$CONTROLLER_PORT"; then
    die "controller port $HOST:$CONTROLLER_PORT is already in use: $(ss -ltnpH "sport = :$CONTROLLER_PORT" 2>/dev/null | head -n 1); free it or set NRM_KAFKA_CONTROLLER_PORT"
  fi

  cmd_fetch
  local java t0
  t0=$(now_ms)
  java=$(java_bin)
  touch "$MARKER"
  write_properties

  if [ ! -f "$KRAFT_DIR/meta.properties" ]; then
    local cluster_id
    cluster_id=$(run_class_sub kafka.tools.StorageTool random-uuid | tail -n 1)
    [ -n "$cluster_id" ] || die "kafka.tools.StorageTool random-uuid printed nothing"
    say "formatting KRaft storage in $KRAFT_DIR (cluster id $cluster_id)"
    run_class_sub kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$PROPS" >&2 ||
      die "kafka.tools.StorageTool format failed"
  fi

  [ -f "$LOG" ] && mv -f "$LOG" "$LOG.1"
  say "starting Apache Kafka $KAFKA_VERSION on $HOST:$PORT (controller $HOST:$CONTROLLER_PORT), log $LOG"
  # setsid: the broker gets its own session, so it outlives this shell and a Ctrl-C in its terminal.
  # The inner shell writes its own pid, then execs java, so the pid file names the JVM itself.
  # shellcheck disable=SC2086,SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    "$java" $HEAP_OPTS \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$DATA" \
    $JVM_OPTS \
    -cp "$LIB/*" kafka.Kafka "$PROPS" \
    </dev/null >"$LOG" 2>&1 8>&- 9>&- &
  for _ in $(seq 1 50); do pid=$(read_pid); [ -n "$pid" ] && break; sleep 0.1; done
  [ -n "$pid" ] || die "the broker did not write its pid file $PIDFILE"
  wait_ready "$pid" "$t0"
}

wait_ready() {
  local pid=$1 t0=${2:-$(now_ms)} deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail 80
      rm -f "$PIDFILE"
      die "the broker (pid $pid) exited during start-up; see $LOG"
    fi
    if port_open "$PORT" && probe_metadata "$((deadline - SECONDS + 1))"; then
      say "up after $(secs_since "$t0") s (pid $pid)"
      echo "kafka ready on $HOST:$PORT"
      return 0
    fi
    sleep 1
  done
  log_tail 80
  probe_error
  die "the broker (pid $pid) did not answer on $HOST:$PORT within ${START_TIMEOUT}s; it is left running: 'kafka.sh stop' stops it"
}

# ---------------------------------------------------------------- stop / status / reset

cmd_stop() {
  [ -d "$DATA" ] || { say "not running (no data directory $DATA)"; return 0; }
  exec 9>"$DATA/.lock"
  flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 60))" 9 || die "timed out waiting for another kafka.sh start/stop on $DATA"
  local pid t0
  t0=$(now_ms)
  pid=$(read_pid)
  if ! is_our_broker "$pid"; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid (SIGTERM, up to ${STOP_TIMEOUT}s)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after ${STOP_TIMEOUT}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  say "stopped after $(secs_since "$t0") s"
}

cmd_status() {
  local pid
  pid=$(read_pid)
  if is_our_broker "$pid"; then
    if port_open "$PORT"; then
      echo "running: pid $pid, answering on $HOST:$PORT, data $DATA, log $LOG"
      return 0
    fi
    echo "starting or stuck: pid $pid is alive but $HOST:$PORT does not answer; log $LOG"
    return 1
  fi
  if port_open "$PORT"; then
    echo "not started from $DATA, but something answers on $HOST:$PORT"
  else
    echo "stopped (data $DATA)"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  if [ -d "$DATA" ]; then
    # Only delete a directory this script created (it holds the marker), never an arbitrary NRM_KAFKA_DATA.
    [ -f "$MARKER" ] || die "$DATA does not look like a kafka.sh data directory (no $(basename "$MARKER")); not deleting it"
    rm -rf "$DATA"
    say "deleted $DATA"
  fi
}

# ---------------------------------------------------------------- main

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  fetch) cmd_fetch; say "jars in $LIB" ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  brokers) echo "$HOST:$PORT" ;;
  logs) [ -f "$LOG" ] && tail -n "${1:-100}" "$LOG" ;;
  classpath) cmd_fetch; echo "$LIB/*" ;;
  topics) cmd_fetch; run_class org.apache.kafka.tools.TopicCommand "$@" ;;
  console-consumer) cmd_fetch; run_class org.apache.kafka.tools.consumer.ConsoleConsumer "$@" ;;
  console-producer) cmd_fetch; run_class kafka.tools.ConsoleProducer "$@" ;;
  consumer-groups) cmd_fetch; run_class org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@" ;;
  class) [ $# -gt 0 ] || die "usage: kafka.sh class MAIN_CLASS [args]"; cmd_fetch; run_class "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
