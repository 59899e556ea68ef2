#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for pmsim's Slurm tests (test/slurm-*.test.ts) and for
# trying `pmsim sweep --slurm` locally (docs/cluster.md).
#
#   scripts/slurm-local.sh start    install slurm-wlm + munge if missing, write /etc/slurm/slurm.conf
#                                   (this machine's CPUs and memory, one partition), start munged,
#                                   slurmctld and slurmd, wait until `sinfo` shows the node idle
#   scripts/slurm-local.sh stop     stop the daemons this script started (by their pid files)
#   scripts/slurm-local.sh status   print `sinfo`; exit 0 when the node is up, 1 otherwise
#
# Idempotent: start when everything runs only checks it; a slurm.conf not written by this script is
# never overwritten (the script stops instead). Runs as root (CI) or with sudo. The daemons run as
# root (SlurmUser=root), with proctrack/linuxproc and no cgroups, so it works in containers.
set -euo pipefail

CONF_DIR=/etc/slurm
CONF=$CONF_DIR/slurm.conf
MARK='# written by pmsim scripts/slurm-local.sh'
STATE=/var/lib/slurm
LOGS=/var/log/slurm
RUN=/run/slurm
PARTITION=${PMSIM_SLURM_PARTITION:-debug}
WAIT_S=${PMSIM_SLURM_WAIT_S:-120}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi
say() { echo "slurm-local: $*"; }

install_packages() {
  local missing=()
  for p in slurm-wlm munge; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The node line from slurmd itself (CPUs, sockets, cores, threads, memory as slurmd will report them),
# so the controller never drains the node for a mismatch.
node_line() {
  local line
  line=$(slurmd -C | head -1)
  case "$line" in NodeName=*) ;; *) say "slurmd -C printed no node line: $line" >&2; exit 1 ;; esac
  echo "$line NodeAddr=127.0.0.1 State=UNKNOWN"
}

write_conf() {
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    say "$CONF exists and was not written by this script; not touching it" >&2
    exit 1
  fi
  local host node tmp
  host=$(hostname -s)
  node=$(node_line) || exit 1
  tmp=$(mktemp)
  cat >"$tmp" <<EOF
$MARK: a one-node cluster on $host
ClusterName=pmsim-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
# Share the node's CPUs between jobs (the default select/linear gives each job the whole node).
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Finished jobs stay visible to squeue/scontrol (and requeue-able) for 10 minutes.
MinJobAge=600
StateSaveLocation=$STATE/slurmctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldTimeout=60
SlurmdTimeout=60
$node
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if [ -f "$CONF" ] && cmp -s "$tmp" "$CONF"; then
    rm -f "$tmp"
    return 0 # unchanged
  fi
  "${SUDO[@]}" mkdir -p "$CONF_DIR"
  "${SUDO[@]}" install -m 0644 "$tmp" "$CONF"
  rm -f "$tmp"
  say "wrote $CONF ($node)"
  CHANGED=1
}

alive() { # pid file
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

start_munge() {
  if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null | unmunge >/dev/null 2>&1; then return; fi
  "${SUDO[@]}" mkdir -p /run/munge /var/lib/munge /var/log/munge /etc/munge
  "${SUDO[@]}" chown munge:munge /run/munge /var/lib/munge /var/log/munge
  "${SUDO[@]}" chmod 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null; then "${SUDO[@]}" mungekey --create --keyfile=/etc/munge/munge.key
    else "${SUDO[@]}" dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
  fi
  "${SUDO[@]}" chown munge:munge /etc/munge/munge.key
  "${SUDO[@]}" chmod 0400 /etc/munge/munge.key
  "${SUDO[@]}" runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do
    if munge -n </dev/null | unmunge >/dev/null 2>&1; then say "munged up"; return; fi
    sleep 0.2
  done
  say "munged did not start" >&2
  exit 1
}

node_state() {
  timeout 10 sinfo -h -N -o '%T' 2>/dev/null | head -1 || true
}

start() {
  install_packages
  CHANGED=0
  write_conf
  "${SUDO[@]}" mkdir -p "$STATE/slurmctld" "$STATE/slurmd" "$LOGS" "$RUN"
  start_munge
  if [ "$CHANGED" = 1 ]; then
    # A new configuration: restart what runs, so it is read.
    stop_daemons
  fi
  if ! alive "$RUN/slurmctld.pid"; then
    say "starting slurmctld"
    "${SUDO[@]}" slurmctld
  fi
  if ! alive "$RUN/slurmd.pid"; then
    say "starting slurmd"
    "${SUDO[@]}" slurmd
  fi
  local state=''
  for _ in $(seq "$WAIT_S"); do
    state=$(node_state)
    case "$state" in
      idle | mixed | allocated | completing) say "node $(hostname -s) is $state"; sinfo; return 0 ;;
      down* | drain* | unknown*)
        # A node left down by an earlier run (e.g. the machine rebooted) is brought back.
        "${SUDO[@]}" scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 1
  done
  say "the node did not become idle within ${WAIT_S} s (state: ${state:-no answer}); see $LOGS/slurmctld.log and $LOGS/slurmd.log" >&2
  exit 1
}

stop_daemons() {
  local f pid
  for f in "$RUN/slurmd.pid" "$RUN/slurmctld.pid"; do
    if alive "$f"; then
      pid=$(cat "$f")
      say "stopping $(basename "$f" .pid) (pid $pid)"
      "${SUDO[@]}" kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  done
}

stop() {
  stop_daemons
  if alive /run/munge/munged.pid; then
    say "stopping munged"
    "${SUDO[@]}" kill "$(cat /run/munge/munged.pid)"
  fi
}

status() {
  if ! command -v sinfo >/dev/null; then say "slurm is not installed"; return 1; fi
  local state
  state=$(node_state)
  timeout 10 sinfo 2>&1 || true
  case "$state" in idle | mixed | allocated | completing) return 0 ;; *) return 1 ;; esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
