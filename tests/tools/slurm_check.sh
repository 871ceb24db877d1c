#!/usr/bin/env bash
# End-to-end check of scripts/cluster/ on a real, throw-away Slurm cluster (issue 16, part 4).
#
#   tests/tools/slurm_check.sh THERMO SOURCE_DIR
#
# 1. Installs Debian's slurm-wlm and munge when they are missing (as root, with apt-get);
# 2. runs a small study (6 points) with `thermo sweep` here;
# 3. starts munged, slurmctld and slurmd on localhost from a configuration generated in a temp
#    dir (own key, socket, state, spool, logs, and free ports: a system Slurm or munge is left
#    alone);
# 4. submits the same study with scripts/cluster/submit.sh: a 3-shard array job and its dependent
#    merge job, and waits for them with a bounded timeout;
# 5. checks that the merged table equals the local run byte for byte.
# It stops every daemon it started and removes the temp dir on exit, also on failure or timeout.
#
# Exit 0: passed; 77: skipped (CTest SKIP_RETURN_CODE), with the reason on stdout — no root,
# no apt-get or no network to install Slurm, or a cluster that cannot start on this machine;
# anything else: failed.
# THERMO_SLURM_NO_INSTALL=1 skips instead of installing missing packages; THERMO_SLURM_WAIT=S
# bounds the wait for the jobs (default 120 s).
set -euo pipefail

if (($# != 2)); then
  echo "usage: slurm_check.sh THERMO SOURCE_DIR" >&2
  exit 2
fi
thermo=$1
src=$2
wait_limit=${THERMO_SLURM_WAIT:-120} # seconds for the jobs; daemons get 30 s to come up
skip() {
  echo "SKIPPED: $*"
  exit 77
}
fail() {
  echo "FAILED: $*" >&2
  exit 1
}
say() { echo "slurm_check: $*"; }

# --- 1. Slurm and munge -----------------------------------------------------------------------
# the daemons live in sbin, which a non-login PATH may lack
export PATH=$PATH:/usr/sbin:/sbin
[[ -f $thermo && -x $thermo ]] || fail "no thermo binary at '$thermo'"
[[ $thermo == /* ]] || thermo=$PWD/$thermo
[[ $(id -u) -eq 0 ]] || skip "slurmd must run as root to start jobs, and this runs as $(id -un)"
missing=()
for tool in slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" >/dev/null || { missing+=(slurm-wlm); break; }
done
command -v munged >/dev/null || missing+=(munge)
if ((${#missing[@]})); then
  [[ ${THERMO_SLURM_NO_INSTALL:-0} == 0 ]] || skip "${missing[*]} not installed and THERMO_SLURM_NO_INSTALL is set"
  command -v apt-get >/dev/null || skip "${missing[*]} not installed and there is no apt-get to install them"
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt=(apt-get -o DPkg::Lock::Timeout=120 -y -qq)
  if ! timeout 300 "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    timeout 300 "${apt[@]}" update >/dev/null 2>&1 || skip "apt-get update failed (no network?): cannot install ${missing[*]}"
    timeout 300 "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
      skip "apt-get install ${missing[*]} failed: cannot install Slurm"
  fi
fi
python=$(command -v python3) || skip "python3 (used to find free ports) is missing"

# --- a temp dir, and a trap that cleans up after the daemons --------------------------------------
tmp=$(mktemp -d /tmp/thermo-slurm.XXXXXX)
# munged wants every directory above its socket to be searchable by all
chmod 755 "$tmp"
pids=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    if [[ -n ${SLURM_CONF:-} ]] && [[ -n $(squeue --noheader 2>/dev/null) ]]; then
      # jobs still running (a failure or a timeout): cancel them and give slurmd 10 s to end them
      scancel --quiet --user=root 2>/dev/null || true
      for _ in $(seq 50); do
        [[ -z $(squeue --noheader 2>/dev/null) ]] && break
        sleep 0.2
      done
    fi
    if ((rc != 0)); then
      for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/munged.log "$tmp"/study/logs/*; do
        [[ -f $log ]] || continue
        echo "--- tail of $log" >&2
        tail -n 25 "$log" >&2
      done
    fi
    # the daemons this script started, by the ids it recorded, youngest first
    for ((i = ${#pids[@]} - 1; i >= 0; --i)); do
      kill "${pids[i]}" 2>/dev/null || true
    done
    for ((i = ${#pids[@]} - 1; i >= 0; --i)); do
      for _ in $(seq 50); do
        kill -0 "${pids[i]}" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "${pids[i]}" 2>/dev/null || true
      wait "${pids[i]}" 2>/dev/null || true
    done
    # what the daemons left running: job steps (slurmstepd) and their processes inherit this
    # cluster's SLURM_CONF, which names the temp dir, so nothing else matches
    local left=()
    for environ in /proc/[0-9]*/environ; do
      if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$tmp/slurm.conf"; then
        pid=${environ#/proc/}
        left+=("${pid%/environ}")
      fi
    done
    if ((${#left[@]})); then
      echo "slurm_check: stopping processes the cluster left: ${left[*]}" >&2
      kill -KILL "${left[@]}" 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. the study, run here first ------------------------------------------------------------
# The RK3399 scenario, shortened to 6 simulated minutes (its ambient step at 5 min still falls
# inside); 3 × 2 points over two axes, in 3 shards.
sed 's/^duration = 10 min$/duration = 6 min/' "$src/examples/scenarios/rk3399-big-cores-flat-out.scn" >"$tmp/study.scn"
grep -q '^duration = 6 min$' "$tmp/study.scn" || fail "the example scenario no longer has 'duration = 10 min'"
study=("$tmp/study.scn" --axis "run.ambient=25,35,45" --axis "zone.cpu-thermal.governor=step_wise,power_allocator")
"$thermo" sweep "${study[@]}" --output "$tmp/local.csv" >/dev/null || fail "the local sweep failed"
# a table of 6 failed points would merge just as well: every point must have run
rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "status") s = i; next }
                s && $s == "ok" { ++ok } END { print (s ? ok + 0 : -1) " " NR - 1 }' "$tmp/local.csv")
[[ $rows == "6 6" ]] || fail "the local sweep should give 6 points with status ok (got ok/rows: $rows): $(cat "$tmp/local.csv")"

# --- 3. a one-node cluster in the temp dir ---------------------------------------------------
# two free TCP ports, chosen by the kernel
read -r ctld_port slurmd_port < <("$python" - <<'PY'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
PY
)

mkdir -p "$tmp/munge/etc" "$tmp/munge/run" "$tmp/state" "$tmp/spool" "$tmp/study"
chmod 700 "$tmp/munge/etc"
chmod 755 "$tmp/munge" "$tmp/munge/run"
dd if=/dev/urandom of="$tmp/munge/etc/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/etc/munge.key"
socket=$tmp/munge/run/munge.socket
munged --foreground --socket="$socket" --key-file="$tmp/munge/etc/munge.key" \
  --pid-file="$tmp/munge/run/munged.pid" --seed-file="$tmp/munge/etc/munged.seed" \
  >"$tmp/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  [[ -S $socket ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.1
done
[[ -S $socket ]] || skip "munged did not start: $(tail -n 1 "$tmp/munged.log")"

host=$(hostname -s 2>/dev/null || hostname)
cpus=$(nproc)
cat >"$tmp/slurm.conf" <<EOF
# generated by tests/tools/slurm_check.sh: a one-node cluster that lives in $tmp
ClusterName=thermo-check
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=thermo Nodes=ALL Default=YES State=UP MaxTime=10
EOF
: >"$tmp/plugstack.conf"
export SLURM_CONF=$tmp/slurm.conf
# -c: a clean state; -i: ignore the missing state files of a first start
slurmctld -D -c -i >/dev/null 2>&1 &
pids+=($!)
slurmd -D -N "$host" >/dev/null 2>&1 &
pids+=($!)
state=
for _ in $(seq 60); do
  state=$(sinfo --noheader --nodes="$host" --format=%t 2>/dev/null || true)
  [[ $state == idle ]] && break
  if ! kill -0 "${pids[1]}" 2>/dev/null || ! kill -0 "${pids[2]}" 2>/dev/null; then break; fi # a daemon gave up
  sleep 0.5
done
if [[ $state != idle ]]; then
  why=$(grep -h -m1 -i 'fatal' "$tmp"/slurmctld.log "$tmp"/slurmd.log 2>/dev/null | head -n 1 || true)
  skip "the one-node cluster did not come up: a daemon exited, or 30 s passed (node state '${state:-unknown}'): ${why:-see the logs below}"
fi
say "cluster up: $host, $cpus CPUs, slurmctld port $ctld_port, slurmd port $slurmd_port"

# --- 4. the study on the cluster ----------------------------------------------------------------
start=$SECONDS
ids=$(cd "$tmp/study" && "$src/scripts/cluster/submit.sh" --shards 3 --dir "$tmp/study" --thermo "$thermo" -- "${study[@]}") ||
  fail "submit.sh failed"
array_job=$(sed -n 's/^array_job=//p' <<<"$ids")
merge_job=$(sed -n 's/^merge_job=//p' <<<"$ids")
[[ $array_job =~ ^[0-9]+$ && $merge_job =~ ^[0-9]+$ ]] || fail "submit.sh printed no job ids: $ids"
say "submitted array job $array_job (3 shards) and merge job $merge_job"

job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '; }
while :; do
  merge_state=$(job_state "$merge_job")
  case $merge_state in
    "COMPLETED ") break ;;
    *FAILED* | *CANCELLED* | *TIMEOUT* | *NODE_FAIL* | *OUT_OF_MEMORY* | *BOOT_FAIL* | *DEADLINE*)
      fail "merge job $merge_job ended $merge_state(array job $array_job: $(job_state "$array_job"))" ;;
  esac
  ((SECONDS - start < wait_limit)) ||
    fail "the jobs did not finish in $wait_limit s (array job: $(job_state "$array_job"), merge job: ${merge_state:-unknown})"
  sleep 1
done
say "jobs done in $((SECONDS - start)) s"

# --- 5. the merged table is the local run's ---------------------------------------------------
for i in 0 1 2; do
  [[ -s $tmp/study/shard-$i.csv ]] || fail "shard $i wrote no table"
done
[[ -f $tmp/study/results.csv ]] || fail "the merge job wrote no results.csv"
cmp "$tmp/local.csv" "$tmp/study/results.csv" || fail "the merged table differs from the local run"
say "merged table of 3 shards = local run, byte for byte (6 points)"
