#!/usr/bin/env bash
# A throw-away one-node SLURM cluster on localhost, for tests/slurm.test.ts (and for trying
# docs/CLUSTER.md by hand). Needs root and Debian's slurm-wlm and munge; no systemd, no cgroups.
#
#   tests/slurm/cluster.sh start DIR   write DIR/slurm.conf, start the daemons, wait until the node is idle
#   tests/slurm/cluster.sh stop DIR    stop exactly the daemons that `start DIR` started (PIDs in DIR/pids)
#
# Clients then need SLURM_CONF=DIR/slurm.conf. munged is reused when one already answers.
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: cluster.sh start|stop DIR}")

# A TCP port nothing listens on (the daemons' ports must not clash with another cluster).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Starts a daemon in the background and records its PID (and name, to check before a kill).
start_daemon() {
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 </dev/null &
  echo "$! $name" >>"$dir/pids"
}

stop() {
  [ -f "$dir/pids" ] || return 0
  local pid name alive
  while read -r pid name; do
    # Only a live process still running the program we started (PIDs are reused).
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done <"$dir/pids"
  for _ in $(seq 100); do
    alive=0
    while read -r pid name; do [ -d "/proc/$pid" ] && alive=1; done <"$dir/pids"
    [ $alive = 0 ] && break
    sleep 0.1
  done
  while read -r pid name; do
    if [ -d "/proc/$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done <"$dir/pids"
  rm -f "$dir/pids"
}

start() {
  for tool in slurmctld slurmd munged sbatch scontrol; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null 2>&1 \
      || { echo "cluster.sh: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
  done
  export PATH="$PATH:/usr/sbin"
  [ "$(id -u)" = 0 ] || { echo "cluster.sh: needs root (the daemons run as root, munged as munge)" >&2; exit 3; }
  mkdir -p "$dir/state" "$dir/spool"
  : >"$dir/pids"

  # munged, as the munge user, on its usual socket in /run/munge.
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge /etc/munge
    if [ ! -s /etc/munge/munge.key ]; then
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
      chown munge:munge /etc/munge/munge.key
      chmod 0400 /etc/munge/munge.key
    fi
    start_daemon munged "$dir/munged.out" setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground
    for _ in $(seq 100); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null || { cat "$dir/munged.out" >&2; exit 1; }
  fi

  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=partnersim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits cred_expire seconds before it starts again (default 120).
AuthInfo=cred_expire=5
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
# No systemd, no cgroups.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Look at pending jobs every second or two (defaults 60 and 30 s), so a short test does not wait.
SchedulerParameters=sched_interval=2,bf_interval=1
# No slurmdbd (so no sacct): finished jobs stay in scontrol for MinJobAge s, and in JobCompLoc.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
MinJobAge=3600
KillWait=5
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  start_daemon slurmctld "$dir/slurmctld.out" slurmctld -D -i -f "$dir/slurm.conf"
  start_daemon slurmd "$dir/slurmd.out" slurmd -D -f "$dir/slurm.conf"
  for _ in $(seq 300); do
    [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && { echo "cluster.sh: node $host idle ($cpus CPUs), SLURM_CONF=$dir/slurm.conf"; return 0; }
    sleep 0.1
  done
  echo "cluster.sh: the node did not become idle in 30 s" >&2
  sinfo >&2 || true
  tail -n 20 "$dir"/slurmctld.log "$dir"/slurmd.log >&2 || true
  stop
  exit 1
}

case $cmd in
  start) start ;;
  stop) stop ;;
  *) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
