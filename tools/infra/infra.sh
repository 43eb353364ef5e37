#!/usr/bin/env bash
# Local infrastructure without Docker: an Apache Kafka broker (KRaft, one combined broker+controller
# node, jars from Maven Central on the machine's Java 17+) and FerretDB (MongoDB wire protocol on
# SQLite, built from its Go module). Both listen on 127.0.0.1 only.
#
#   tools/infra/infra.sh up                  fetch/build what is missing, start, wait until ready
#   tools/infra/infra.sh down [kafka|ferretdb]  stop both, or one (success when already stopped)
#   tools/infra/infra.sh status              show both; exit 1 unless both are ready
#   tools/infra/infra.sh env                 print the export lines (eval "$(tools/infra/infra.sh env)")
#   tools/infra/infra.sh reset               down, then delete their data (Kafka topics, FerretDB databases)
#   tools/infra/infra.sh kafka-tool CLASS …  run a Kafka CLI tool, e.g. kafka-tool TopicCommand --list
#
# See tools/infra/README.md for the environment variables.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# `npm run` puts node_modules/.bin (the pinned Node 24) first on PATH; do the same when run directly.
if [[ -d "$REPO/node_modules/.bin" ]]; then PATH="$REPO/node_modules/.bin:$PATH"; fi

CACHE="${LEADSTREAM_INFRA_CACHE:-$HOME/.cache/leadstream-infra}"
STATE="${LEADSTREAM_INFRA_STATE:-$CACHE/state}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGODB_PORT="${MONGODB_PORT:-27017}"
# Same variable names as Kafka's own bin/kafka-run-class.sh; the GC flags are its defaults.
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent}"
KAFKA_AUTO_CREATE_TOPICS="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
FERRETDB_START_TIMEOUT="${FERRETDB_START_TIMEOUT:-30}"

# Versions live in one place each: the pom (Kafka) and the go.mod (FerretDB).
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
FERRETDB_VERSION="$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2 }' "$HERE/ferretdb/go.mod")"
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"          # lib/*.jar
FERRETDB_HOME="$CACHE/ferretdb-$FERRETDB_VERSION" # bin/ferretdb
KAFKA_DIR="$STATE/kafka"                          # server.properties, data/, kafka.log, kafka.pid
FERRETDB_DIR="$STATE/ferretdb"                    # data/ (SQLite files), ferretdb.log, ferretdb.pid

# ------------------------------------------------------------------ output

START_MS="$(date +%s%3N)"
elapsed() { local ms=$(($(date +%s%3N) - START_MS)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { printf '[infra %6s] %s\n' "$(elapsed)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
tail_log() { # file [lines]
  [[ -f "$1" ]] || return 0
  echo "----- last ${2:-40} lines of $1 -----" >&2
  tail -n "${2:-40}" "$1" >&2
  echo "-----" >&2
}
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH ($2)"; }
stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

# ------------------------------------------------------------------ processes

# Prints the pid recorded in a pid file if that process is alive and still the expected program.
running_pid() { # pidfile marker
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(<"$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

who_listens() { command -v ss >/dev/null && ss -Hltnp "sport = :$1" 2>/dev/null | sed 's/.*users://' | head -1; }

rss_mb() { awk '/^VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

# Starts a program in its own session (so Ctrl-C in this terminal does not reach it), writing its
# own pid to the pid file and appending its output to the log.
spawn() { # pidfile logfile command...
  local pidfile="$1" logfile="$2"
  shift 2
  # 9>&-: the server must not inherit (and so hold forever) the lock taken by take_lock.
  # shellcheck disable=SC2016 # $$, $0 and $@ are the inner shell's
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.02; done
  die "could not start $1"
}

# Polls the wire-protocol probe until it succeeds; gives up when the process exits or time runs out.
wait_ready() { # name pidfile marker probe-kind port timeout-seconds logfile
  local name="$1" pidfile="$2" marker="$3" kind="$4" port="$5" timeout="$6" logfile="$7"
  local deadline=$(($(date +%s%3N) + timeout * 1000)) out err
  err="$(mktemp)"
  while true; do
    if ! running_pid "$pidfile" "$marker" >/dev/null; then
      log "$name: the server exited during startup"
      tail_log "$logfile"
      rm -f "$err"
      return 1
    fi
    if out="$(node "$HERE/probe.mjs" "$kind" "127.0.0.1:$port" --timeout 2000 2>"$err")"; then
      log "$name: $out"
      rm -f "$err"
      return 0
    fi
    if (($(date +%s%3N) >= deadline)); then
      log "$name: not ready after ${timeout}s ($(<"$err")); stopping it"
      tail_log "$logfile"
      stop_one "$name" "$pidfile" "$marker" >/dev/null
      rm -f "$err"
      return 1
    fi
    sleep 0.25
  done
}

stop_one() { # name pidfile marker
  local name="$1" pidfile="$2" marker="$3" pid
  if ! pid="$(running_pid "$pidfile" "$marker")"; then
    log "$name: not running"
    rm -f "$pidfile"
    return 0
  fi
  log "$name: stopping pid $pid..."
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do # Kafka's controlled shutdown takes a few seconds
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still running after 30s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# Serialises up/down/reset so that two concurrent `infra:up`s do not both start servers.
take_lock() {
  mkdir -p "$STATE"
  if command -v flock >/dev/null; then
    exec 9>"$STATE/.lock"
    flock -w 600 9 || die "another infra.sh is holding $STATE/.lock"
  fi
}

# ------------------------------------------------------------------ Kafka

ensure_kafka_jars() {
  local want
  want="$(stamp_of "$HERE/kafka/pom.xml")"
  if [[ -f "$KAFKA_HOME/.stamp" && "$(<"$KAFKA_HOME/.stamp")" == "$want" ]]; then
    log "kafka: jars cached in $KAFKA_HOME ($(find "$KAFKA_HOME/lib" -name '*.jar' | wc -l) jars)"
    return 0
  fi
  need mvn "Maven resolves the Kafka jars"
  local t0 tmp="$KAFKA_HOME.tmp" mvnlog="$CACHE/kafka-$KAFKA_VERSION-mvn.log"
  t0="$(date +%s%3N)"
  log "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies with Maven..."
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! mvn -B -q -Dstyle.color=never -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/lib" >"$mvnlog" 2>&1; then
    tail_log "$mvnlog"
    die "kafka: Maven could not resolve the jars (log: $mvnlog)"
  fi
  echo "$want" >"$tmp/.stamp"
  rm -rf "$KAFKA_HOME"
  mv "$tmp" "$KAFKA_HOME"
  log "kafka: $(find "$KAFKA_HOME/lib" -name '*.jar' | wc -l) jars ($(du -sh "$KAFKA_HOME/lib" | cut -f1)) in $KAFKA_HOME, took $((($(date +%s%3N) - t0) / 1000))s"
}

kafka_java() { # main-class args... (a short-lived JVM on the Kafka classpath, for the tools)
  java -Xmx256m -cp "$KAFKA_HOME/lib/*" -Dlog4j2.configurationFile="$HERE/kafka/tools-log4j2.properties" "$@"
}

check_java() {
  need java "Kafka $KAFKA_VERSION needs Java 17 or newer"
  local v
  v="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')"
  ((${v%%.*} >= 17)) || die "kafka: Java $v found, Kafka $KAFKA_VERSION brokers need Java 17 or newer"
}

write_kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by tools/infra/infra.sh on every start: edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
auto.create.topics.enable=$KAFKA_AUTO_CREATE_TOPICS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# Prints "running" or "stopped"; dies when the ports are not usable (checked before starting anything).
preflight_kafka() {
  local pid
  if pid="$(running_pid "$KAFKA_DIR/kafka.pid" kafka.Kafka)"; then
    local was
    was="$(cat "$KAFKA_DIR/port" 2>/dev/null || echo '?')"
    [[ "$was" == "$KAFKA_PORT" ]] || die "kafka: already running on port $was (pid $pid), not $KAFKA_PORT: run infra:down first"
    echo running
    return 0
  fi
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_in_use "$port" && die "kafka: port $port on 127.0.0.1 is taken by another process $(who_listens "$port")"
  done
  check_java
  echo stopped
}

start_kafka() {
  write_kafka_config
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(node -e "let id; do id = require('node:crypto').randomBytes(16).toString('base64url'); while (id.startsWith('-')); console.log(id)")"
    log "kafka: formatting the KRaft storage in $KAFKA_DIR/data (cluster id $cluster_id)..."
    if ! kafka_java kafka.tools.StorageTool format --cluster-id "$cluster_id" \
      --config "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/format.log" 2>&1; then
      tail_log "$KAFKA_DIR/format.log"
      die "kafka: formatting the storage failed"
    fi
  fi
  [[ -f "$KAFKA_DIR/kafka.log" ]] && mv "$KAFKA_DIR/kafka.log" "$KAFKA_DIR/kafka.log.1"
  echo "$KAFKA_PORT" >"$KAFKA_DIR/port"
  # shellcheck disable=SC2086 # the *_OPTS are lists of JVM flags
  spawn "$KAFKA_DIR/kafka.pid" "$KAFKA_DIR/kafka.log" \
    java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dkafka.logs.dir="$KAFKA_DIR" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
    -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$KAFKA_DIR/server.properties"
  log "kafka: started Kafka $KAFKA_VERSION (pid $(<"$KAFKA_DIR/kafka.pid")) on 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT"
}

# ------------------------------------------------------------------ FerretDB

# FerretDB's main package refuses to run without build/version/version.txt, which is generated in
# its own repository and so missing from the Go module. The build therefore uses a writable copy of
# the module with that file added (a `replace` in a scratch copy of ferretdb/go.mod); every other
# dependency comes from the Go module proxy, checked against ferretdb/go.sum.
ensure_ferretdb() {
  local want
  want="$(stamp_of "$HERE/ferretdb/go.mod" "$HERE/ferretdb/go.sum")"
  if [[ -x "$FERRETDB_HOME/bin/ferretdb" && -f "$FERRETDB_HOME/.stamp" && "$(<"$FERRETDB_HOME/.stamp")" == "$want" ]]; then
    log "ferretdb: binary cached in $FERRETDB_HOME/bin"
    return 0
  fi
  need go "it builds FerretDB"
  local t0 build="$FERRETDB_HOME.build" buildlog="$CACHE/ferretdb-$FERRETDB_VERSION-build.log"
  t0="$(date +%s%3N)"
  log "ferretdb: building FerretDB $FERRETDB_VERSION with $(go env GOVERSION) (about a minute on 2 cores the first time)..."
  rm -rf "$build"
  mkdir -p "$build"
  cp "$HERE/ferretdb/go.mod" "$HERE/ferretdb/go.sum" "$build/"
  if ! (
    cd "$build"
    export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0
    set -x
    go mod download github.com/FerretDB/FerretDB
    src="$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)"
    cp -R "$src" ferretdb-src
    chmod -R u+w ferretdb-src
    echo "$FERRETDB_VERSION" >ferretdb-src/build/version/version.txt
    echo "leadstream-infra" >ferretdb-src/build/version/package.txt
    go mod edit -replace github.com/FerretDB/FerretDB=./ferretdb-src
    go build -trimpath -o ferretdb github.com/FerretDB/FerretDB/cmd/ferretdb
    ./ferretdb --version
  ) >"$buildlog" 2>&1; then
    tail_log "$buildlog"
    die "ferretdb: the build failed (log: $buildlog)"
  fi
  mkdir -p "$FERRETDB_HOME/bin"
  mv "$build/ferretdb" "$FERRETDB_HOME/bin/ferretdb"
  echo "$want" >"$FERRETDB_HOME/.stamp"
  rm -rf "$build"
  log "ferretdb: built $FERRETDB_HOME/bin/ferretdb, took $((($(date +%s%3N) - t0) / 1000))s"
}

# Prints "running" or "stopped"; dies when the port is not usable (checked before starting anything).
preflight_ferretdb() {
  local pid
  if pid="$(running_pid "$FERRETDB_DIR/ferretdb.pid" ferretdb)"; then
    local was
    was="$(cat "$FERRETDB_DIR/port" 2>/dev/null || echo '?')"
    [[ "$was" == "$MONGODB_PORT" ]] || die "ferretdb: already running on port $was (pid $pid), not $MONGODB_PORT: run infra:down first"
    echo running
    return 0
  fi
  port_in_use "$MONGODB_PORT" && die "ferretdb: port $MONGODB_PORT on 127.0.0.1 is taken by another process $(who_listens "$MONGODB_PORT")"
  echo stopped
}

start_ferretdb() {
  mkdir -p "$FERRETDB_DIR/data"
  [[ -f "$FERRETDB_DIR/ferretdb.log" ]] && mv "$FERRETDB_DIR/ferretdb.log" "$FERRETDB_DIR/ferretdb.log.1"
  echo "$MONGODB_PORT" >"$FERRETDB_DIR/port"
  # No network besides the listener: telemetry off, the debug/metrics HTTP listener off.
  spawn "$FERRETDB_DIR/ferretdb.pid" "$FERRETDB_DIR/ferretdb.log" \
    "$FERRETDB_HOME/bin/ferretdb" --handler=sqlite --sqlite-url="file:$FERRETDB_DIR/data/" \
    --listen-addr="127.0.0.1:$MONGODB_PORT" --state-dir="$FERRETDB_DIR" \
    --telemetry=disable --debug-addr=- --log-level="${FERRETDB_LOG_LEVEL:-info}"
  log "ferretdb: started FerretDB $FERRETDB_VERSION (pid $(<"$FERRETDB_DIR/ferretdb.pid")) on 127.0.0.1:$MONGODB_PORT"
}

# ------------------------------------------------------------------ commands

env_lines() {
  echo "export KAFKA_BROKERS=127.0.0.1:$(cat "$KAFKA_DIR/port" 2>/dev/null || echo "$KAFKA_PORT")"
  echo "export MONGODB_URL=mongodb://127.0.0.1:$(cat "$FERRETDB_DIR/port" 2>/dev/null || echo "$MONGODB_PORT")/"
}

cmd_up() {
  need node "the readiness probes run on Node"
  take_lock
  mkdir -p "$CACHE" "$KAFKA_DIR" "$FERRETDB_DIR"
  log "cache $CACHE, state $STATE"

  # 1. Jars and binary, in parallel (each returns at once when cached).
  local kafka_job ferret_job failed=0
  ensure_kafka_jars &
  kafka_job=$!
  ensure_ferretdb &
  ferret_job=$!
  wait "$kafka_job" || failed=1
  wait "$ferret_job" || failed=1
  ((failed == 0)) || die "setup failed"

  # 2. Start whatever is not running (FerretDB starts in milliseconds, Kafka's JVM in a few seconds).
  #    Port checks for both come first, so that a conflict starts nothing.
  local kafka_was ferret_was
  kafka_was="$(preflight_kafka)" || exit 1
  ferret_was="$(preflight_ferretdb)" || exit 1
  if [[ $kafka_was == running ]]; then
    log "kafka: already running (pid $(<"$KAFKA_DIR/kafka.pid"))"
  else
    start_kafka
  fi
  if [[ $ferret_was == running ]]; then
    log "ferretdb: already running (pid $(<"$FERRETDB_DIR/ferretdb.pid"))"
  else
    start_ferretdb
  fi

  # 3. Wait until each answers its own protocol.
  wait_ready kafka "$KAFKA_DIR/kafka.pid" kafka.Kafka kafka "$(<"$KAFKA_DIR/port")" \
    "$KAFKA_START_TIMEOUT" "$KAFKA_DIR/kafka.log" || failed=1
  wait_ready ferretdb "$FERRETDB_DIR/ferretdb.pid" ferretdb mongodb "$(<"$FERRETDB_DIR/port")" \
    "$FERRETDB_START_TIMEOUT" "$FERRETDB_DIR/ferretdb.log" || failed=1
  ((failed == 0)) || die "infra:up failed (see the log tails above; state in $STATE)"

  env_lines >"$STATE/infra.env"
  log "ready. Use these (also in $STATE/infra.env, or: eval \"\$(tools/infra/infra.sh env)\"):"
  sed 's/^/    /' "$STATE/infra.env"
}

cmd_down() { # [kafka|ferretdb]: only that one (the failure tests stop Kafka alone)
  local only="${1:-}"
  [[ -z $only || $only == kafka || $only == ferretdb ]] || die "usage: infra.sh down [kafka|ferretdb]"
  take_lock
  # In parallel: each takes a couple of seconds to shut down cleanly.
  [[ -z $only || $only == kafka ]] && stop_one kafka "$KAFKA_DIR/kafka.pid" kafka.Kafka &
  [[ -z $only || $only == ferretdb ]] && stop_one ferretdb "$FERRETDB_DIR/ferretdb.pid" ferretdb &
  wait
}

cmd_status() {
  local ok=0 pid port
  printf '%-9s %-8s %-7s %-17s %-8s %s\n' SERVER STATE PID ADDRESS RSS PROBE
  for s in kafka ferretdb; do
    local dir=$KAFKA_DIR marker=kafka.Kafka kind=kafka version="Kafka $KAFKA_VERSION"
    [[ $s == ferretdb ]] && dir=$FERRETDB_DIR marker=ferretdb kind=mongodb version="FerretDB $FERRETDB_VERSION"
    port="$(cat "$dir/port" 2>/dev/null || true)"
    if pid="$(running_pid "$dir/$s.pid" "$marker")"; then
      local probe
      if probe="$(node "$HERE/probe.mjs" "$kind" "127.0.0.1:$port" 2>&1)"; then state=ready; else state=starting; ok=1; fi
      printf '%-9s %-8s %-7s %-17s %-8s %s\n' "$s" "$state" "$pid" "127.0.0.1:$port" "$(rss_mb "$pid")" "$probe"
    else
      printf '%-9s %-8s %-7s %-17s %-8s %s\n' "$s" stopped - - - "($version; log: $dir/$s.log)"
      ok=1
    fi
  done
  if ((ok == 0)); then env_lines; fi
  return $ok
}

cmd_reset() {
  cmd_down
  log "deleting Kafka and FerretDB data under $STATE"
  rm -rf "$KAFKA_DIR" "$FERRETDB_DIR" "$STATE/infra.env"
}

cmd_kafka_tool() {
  (($# > 0)) || die "usage: infra.sh kafka-tool CLASS [ARGS...], e.g. kafka-tool TopicCommand --bootstrap-server 127.0.0.1:$KAFKA_PORT --list"
  [[ -d "$KAFKA_HOME/lib" ]] || die "no Kafka jars in $KAFKA_HOME: run infra:up first"
  local class="$1"
  shift
  [[ "$class" == *.* ]] || class="org.apache.kafka.tools.$class"
  kafka_java "$class" "$@"
}

case "${1:-}" in
up) cmd_up ;;
down) shift && cmd_down "$@" ;;
status) cmd_status ;;
env) env_lines ;;
reset) cmd_reset ;;
kafka-tool) shift && cmd_kafka_tool "$@" ;;
*)
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
  exit 2
  ;;
esac
