#!/usr/bin/env bash
# Sharded scans on a real Slurm cluster: starts a one-node cluster on this
# machine (Debian's slurm-wlm and munge; the configuration is written to a
# scratch directory, /etc/slurm is not touched), submits a job array of four
# `piimap scan --shard auto` tasks over a generated share, waits for it,
# merges the four inventories and checks that the merge equals what one
# process writes (everything but the run's start and duration).
#
#   scripts/slurm-test.sh [PIIMAP]     (default: target/debug/piimap)
#
# Needs root (slurmd and munged run as root here, as on a one-node test
# cluster). Everything it starts is stopped by PID when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/debug/piimap}")
command -v sbatch >/dev/null || {
  apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq slurm-wlm munge >/dev/null; }
}

work=$(mktemp -d /tmp/piimap-slurm.XXXXXX)
chmod 755 "$work"
started=()
cleanup() {
  local status=$? pids=()
  for pidfile in "${started[@]}"; do
    [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Wait for them to go: slurmctld writes its state on the way out.
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do
      # A zombie (its parent never reaps it) is gone as far as we care.
      [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  rm -rf "$work" || true
  exit "$status"
}
trap cleanup EXIT
# Whatever fails, the cluster's own logs say why.
trap 'echo "slurm-test: failed at line $LINENO" >&2; tail -n 20 "$work"/*.log >&2 2>/dev/null || true' ERR

# munge authenticates Slurm's messages: its own daemon, unless one runs.
if ! [ -S /run/munge/munge.socket.2 ] || ! munge -n >/dev/null 2>&1; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged
  started+=(/run/munge/munged.pid)
fi

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/out"
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=piimap-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
started+=("$work/slurmctld.pid")
slurmd -f "$SLURM_CONF"
started+=("$work/slurmd.pid")
for _ in $(seq 60); do
  sinfo -h -o '%t' 2>/dev/null | grep -qx idle && break
  sleep 1
done
sinfo -h -o '%t' | grep -qx idle || { echo "slurm-test: the node never became idle" >&2; tail "$work"/*.log >&2; exit 1; }

# A share: the fixtures (every format, archives, CAD, databases) and a few
# hundred generated files of logs, code, prose and customer tables.
share="$work/share"
cp -r fixtures "$share"
python3 scripts/synth.py share "$share/generated" --files 300 --mb 4 >/dev/null

cat > "$work/job.sh" <<EOF
#!/bin/bash
exec "$bin" scan "$share" --shard auto --format json -q --exit-code 0 -o "$work/out/shard-\$SLURM_ARRAY_TASK_ID.json"
EOF
chmod +x "$work/job.sh"
# --wait: sbatch returns when the array is done, non-zero if a task failed.
if ! sbatch --array=0-3 --wait -o "$work/task-%a.log" -D "$work" "$work/job.sh" >/dev/null; then
  echo "slurm-test: a task failed" >&2
  cat "$work"/task-*.log >&2
  exit 1
fi

"$bin" merge "$work"/out/shard-*.json -o "$work/merged.json"
"$bin" scan "$share" --format json -q --exit-code 0 -o "$work/single.json"
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
shards = [json.load(open(f"{work}/out/shard-{i}.json")) for i in range(4)]
got = sorted(s["scan"]["shard"] for s in shards)
assert got == ["1/4", "2/4", "3/4", "4/4"], got
assert all(s["summary"]["files"] > 0 for s in shards), [s["summary"]["files"] for s in shards]
merged, single = json.load(open(f"{work}/merged.json")), json.load(open(f"{work}/single.json"))
for d in (merged, single):
    del d["scan"]["started"], d["scan"]["duration_ms"]
if merged != single:
    diff = [k for k in single if merged.get(k) != single[k]]
    sys.exit(f"slurm-test: the merged inventory differs from one run's in {diff}")
s = single["summary"]
print(f"slurm-test: 4 array tasks scanned {s['files']} files "
      f"({', '.join(str(x['summary']['files']) for x in shards)}); merged = one run: "
      f"{s['locations']} locations, {s['subjects']} people")
EOF
