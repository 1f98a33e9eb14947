#!/usr/bin/env bash
# A real S3 server for the integration and UI tests: a throwaway single-node
# Ceph cluster (1 mon, 1 memstore OSD, 1 radosgw) on 127.0.0.1 under $RGW_DIR.
# RGW, unlike moto or s3rver, verifies SigV4 and implements multipart fully.
#
# Usage: scripts/rgw.sh start|stop|status|env|gateway-stop|gateway-start
#   start          install ceph if needed, build the cluster, create user and
#                  bucket, write $RGW_DIR/env (idempotent)
#   stop           stop radosgw, osd, mon
#   gateway-stop   stop only radosgw ("S3 is down"); gateway-start restarts it
#   status         exit 0 if the gateway answers on the port
#   env            print the export lines for the tests
# Knobs: RGW_DIR RGW_PORT RGW_MON_PORT RGW_ACCESS_KEY RGW_SECRET_KEY RGW_BUCKET
#        PYTHON (must have boto3) RGW_TIMEOUT (seconds per wait)
set -euo pipefail

RGW_DIR=${RGW_DIR:-/tmp/datalake-rgw}
RGW_PORT=${RGW_PORT:-7480}
RGW_MON_PORT=${RGW_MON_PORT:-3300}
RGW_ACCESS_KEY=${RGW_ACCESS_KEY:-datalake-test}
RGW_SECRET_KEY=${RGW_SECRET_KEY:-datalake-test-secret-key}
RGW_BUCKET=${RGW_BUCKET:-datalake}
RGW_TIMEOUT=${RGW_TIMEOUT:-60}
PYTHON=${PYTHON:-python3}

CONF=$RGW_DIR/ceph.conf
RGW_UID=datalake-test
ENDPOINT=http://127.0.0.1:$RGW_PORT

log() { echo "rgw.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# A bare HTTP probe via bash's /dev/tcp, so that no curl is needed.
http_up() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "HEAD / HTTP/1.0\r\n\r\n" >&3 &&
    IFS= read -r line <&3 && [[ $line == HTTP/* ]]' _ "$RGW_PORT" 2>/dev/null
}

# Our daemon's pid: from its pid file, else by a process scan, because a daemon
# whose pid file is missing (a start that died half-way) still holds our ports.
# The command line must name our ceph.conf: pids get reused.
daemon_pid() {  # name (mon.a | osd.0 | client.rgw.a), binary
  local f=$RGW_DIR/run/$1.pid pid d
  if [[ -s $f ]]; then pid=$(<"$f"); is_ours "$pid" "$2" && { echo "$pid"; return 0; }; fi
  for d in /proc/[0-9]*; do
    is_ours "${d#/proc/}" "$2" && { echo "${d#/proc/}"; return 0; }
  done
  return 1
}
is_ours() {  # pid, binary
  local -a argv
  { mapfile -d '' -t argv <"/proc/$1/cmdline"; } 2>/dev/null || return 1
  [[ ${argv[0]:-} == "$2" && ${argv[1]:-} == -c && ${argv[2]:-} == "$CONF" ]]
}

show_log() { tail -n 25 "$RGW_DIR/log/$1.log" >&2 2>/dev/null || true; }

# Ceph tools fetch their config from the mon before daemonizing and retry for
# 5 minutes when they cannot, so every launch gets a deadline.
run_bounded() {  # daemon name whose log explains failures, command...
  local name=$1; shift
  timeout "$RGW_TIMEOUT" "$@" >>"$RGW_DIR/log/$name.log" 2>&1 && return 0
  log "ERROR: '$*' failed or took over ${RGW_TIMEOUT}s; last lines of $RGW_DIR/log/$name.log:"
  show_log "$name"; return 1
}

# Poll until a command succeeds. Gives up early if the daemon has died, and on
# failure shows the daemon's log, which is where the reason always is.
wait_for() {  # description, daemon name, its binary ("" = don't watch), command...
  local what=$1 name=$2 bin=$3 deadline=$((SECONDS + RGW_TIMEOUT)) why; shift 3
  until "$@" >/dev/null 2>&1; do
    why=
    if [[ -n $bin ]] && ! daemon_pid "$name" "$bin" >/dev/null; then why="$name exited"
    elif ((SECONDS >= deadline)); then why="timed out after ${RGW_TIMEOUT}s"; fi
    if [[ -n $why ]]; then
      log "ERROR: $why while waiting for $what; last lines of $RGW_DIR/log/$name.log:"
      show_log "$name"; return 1
    fi
    sleep 0.5
  done
}

stop_daemon() {  # name, binary
  local pid deadline=$((SECONDS + 20))
  pid=$(daemon_pid "$1" "$2") || { rm -f "$RGW_DIR/run/$1.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1 (pid $pid) ignored SIGTERM for 20s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$RGW_DIR/run/$1.pid"
  log "stopped $1"
}

ceph_() { timeout 15 ceph -c "$CONF" "$@"; }
osd_up() { [[ $(ceph_ osd stat) == *" 1 up"* ]]; }  # no grep -q: SIGPIPE + pipefail
port_down() { ! http_up; }

install_packages() {
  command -v radosgw >/dev/null && return 0
  log "installing ceph packages"
  # Another apt run may hold the dpkg lock (e.g. provisioning); wait for it.
  apt-get -o DPkg::Lock::Timeout=300 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
}

write_conf() {
  local fsid=$1
  # auth "none" is only between the daemons; S3 signatures are still verified.
  # \$name is expanded by ceph itself, so each daemon gets its own files.
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$RGW_MON_PORT
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# Ceph 16.2: without this radosgw cannot authenticate to the mon with auth none
# ("get_initial_auth_request returned -13") and hangs, then fails after 300 s.
ms mon client mode = crc secure
keyring = $RGW_DIR/keyring
run dir = $RGW_DIR/run
log file = $RGW_DIR/log/\$name.log
pid file = $RGW_DIR/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
# No mgr runs here, so keep pools small and fixed.
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
# The mon batches map changes for 1 s by default; rgw's first start makes a
# dozen pool changes one after another, so this roughly halves start time.
paxos propose interval = 0.1

[mon.a]
mon data = $RGW_DIR/mon.a
admin socket = $RGW_DIR/run/\$name.asok

[osd.0]
osd data = $RGW_DIR/osd.0
osd objectstore = memstore
# Objects live in RAM: this caps what the tests may store.
memstore device bytes = 4294967296
admin socket = $RGW_DIR/run/\$name.asok

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw dns name = localhost
rgw data = $RGW_DIR/rgw.a
admin socket = $RGW_DIR/run/\$name.asok
# Overwritten and deleted data is only freed by GC (default: after 2 h), so
# long test runs would grow the memstore without these.
rgw gc obj min wait = 30
rgw gc processor period = 30
rgw gc processor max time = 30
EOF
}

start_gateway() {
  daemon_pid mon.a ceph-mon >/dev/null || die "cluster is not running in $RGW_DIR; run '$0 start'"
  if ! daemon_pid client.rgw.a radosgw >/dev/null; then
    run_bounded client.rgw.a radosgw -c "$CONF" -n client.rgw.a
  fi
  wait_for "radosgw on port $RGW_PORT" client.rgw.a radosgw http_up
}

build_cluster() {
  local fsid id
  fsid=$(cat /proc/sys/kernel/random/uuid)
  # Nothing of ours is running here, so a leftover directory is only stale state.
  rm -rf "$RGW_DIR"
  mkdir -p "$RGW_DIR"/{run,log,mon.a,osd.0,rgw.a}
  write_conf "$fsid"

  monmaptool --create --addv a "[v2:127.0.0.1:$RGW_MON_PORT]" --fsid "$fsid" "$RGW_DIR/monmap" >/dev/null
  ceph-authtool --create-keyring "$RGW_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  run_bounded mon.a ceph-mon -c "$CONF" -i a --mkfs --monmap "$RGW_DIR/monmap" --keyring "$RGW_DIR/keyring"
  run_bounded mon.a ceph-mon -c "$CONF" -i a
  wait_for "the monitor" mon.a ceph-mon ceph_ -s

  id=$(ceph_ osd create)
  [[ $id == 0 ]] || die "expected osd id 0, got '$id'"
  run_bounded osd.0 ceph-osd -c "$CONF" -i 0 --mkfs
  ceph_ osd crush add osd.0 1 root=default host=localhost >/dev/null 2>&1 || die "crush add failed"
  run_bounded osd.0 ceph-osd -c "$CONF" -i 0
  wait_for "the OSD to be up" osd.0 ceph-osd osd_up

  start_gateway
  timeout "$RGW_TIMEOUT" radosgw-admin -c "$CONF" user create --uid="$RGW_UID" \
    --display-name="datalake tests" --access-key="$RGW_ACCESS_KEY" --secret-key="$RGW_SECRET_KEY" >/dev/null
}

# radosgw-admin cannot create buckets, so this goes through S3 itself.
ensure_bucket() {
  RGW_ACCESS_KEY=$RGW_ACCESS_KEY RGW_SECRET_KEY=$RGW_SECRET_KEY RGW_BUCKET=$RGW_BUCKET ENDPOINT=$ENDPOINT \
    "$PYTHON" - <<'EOF'
import os, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                  aws_access_key_id=os.environ["RGW_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["RGW_SECRET_KEY"],
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10}))
try:
    s3.create_bucket(Bucket=os.environ["RGW_BUCKET"])
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass
EOF
}

write_env() {
  printf 'export %s=%q\n' AWS_ENDPOINT_URL_S3 "$ENDPOINT" AWS_ACCESS_KEY_ID "$RGW_ACCESS_KEY" \
    AWS_SECRET_ACCESS_KEY "$RGW_SECRET_KEY" AWS_REGION us-east-1 DATALAKE_BUCKET "$RGW_BUCKET" >"$RGW_DIR/env"
}

cmd_stop() {
  stop_daemon client.rgw.a radosgw
  stop_daemon osd.0 ceph-osd
  stop_daemon mon.a ceph-mon
}

cmd_start() {
  # Checked first, so that a missing boto3 fails at once rather than after the build.
  "$PYTHON" -c 'import boto3' 2>/dev/null ||
    die "PYTHON=$PYTHON cannot import boto3; point PYTHON at an interpreter that has it"
  if ! http_up; then
    install_packages
    log "$(ceph -v)"
    # The config below was worked out on 16.x; newer majors may rename keys.
    [[ $(ceph -v) == "ceph version 16."* ]] || log "warning: only tested with ceph 16.2"
    if daemon_pid mon.a ceph-mon >/dev/null && daemon_pid osd.0 ceph-osd >/dev/null; then
      start_gateway  # after gateway-stop: the cluster (and its data) is still there
    else
      cmd_stop 2>/dev/null  # half-started leftovers would hold ports
      # A trap, not "build_cluster || ...": bash ignores set -e inside a || list.
      trap 'log "start failed; logs kept in $RGW_DIR/log"; cmd_stop' EXIT
      build_cluster
    fi
  fi
  ensure_bucket
  trap - EXIT
  write_env
  log "S3 up at $ENDPOINT, bucket '$RGW_BUCKET'; env: $RGW_DIR/env"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  gateway-stop)
    stop_daemon client.rgw.a radosgw
    wait_for "port $RGW_PORT to close" client.rgw.a "" port_down ;;
  gateway-start) start_gateway && log "radosgw up at $ENDPOINT" ;;
  status)
    if http_up; then echo "rgw: up at $ENDPOINT ($RGW_DIR)"
    else echo "rgw: down at $ENDPOINT ($RGW_DIR)"; exit 1; fi ;;
  env)
    [[ -f $RGW_DIR/env ]] || die "no $RGW_DIR/env; run '$0 start' first"
    cat "$RGW_DIR/env" ;;
  *) sed -n '6,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
