#!/bin/sh
# record_thermal_trace.sh ZONE_TYPE PERIOD_MS ROWS [CPU...] > trace.csv
#
# Records a trace for `thermo replay` on a running Linux system: every PERIOD_MS milliseconds,
# the temperature of the thermal zone whose `type` is ZONE_TYPE (/sys/class/thermal), the load
# of each CPU given over the period (/proc/stat), and the current frequency of each cpufreq
# policy that holds one of those CPUs (scaling_cur_freq).
#
# A policy runs all its CPUs at one frequency, so it gets ONE column, named after its first CPU
# (related_cpus) as the kernel names its cooling device: CPUs 0 1 2 3 4 5 on an RK3399 give
# load:cpu0 … load:cpu5, freq:cpu0 (policy0, CPUs 0-3) and freq:cpu4 (policy4, CPUs 4-5).
# Use the zone's polling delay (or passive delay while it throttles) as the period: each row is
# replayed as one zone update.
#
# THERMO_SYSFS and THERMO_PROCFS (or SYSFS and PROCFS) replace /sys and /proc, for testing
# against a fake tree. POSIX sh plus awk, cat, date (with %N) and sleep (fractions of a second).
set -eu
sys=${THERMO_SYSFS:-${SYSFS:-/sys}}
proc=${THERMO_PROCFS:-${PROCFS:-/proc}}
me=record_thermal_trace.sh
if [ $# -lt 3 ]; then
  echo "usage: $me ZONE_TYPE PERIOD_MS ROWS [CPU...]" >&2
  exit 2
fi
type=$1 period=$2 rows=$3
shift 3
isnum() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }
if ! isnum "$period" || ! isnum "$rows"; then
  echo "$me: PERIOD_MS and ROWS must be whole numbers (got '$period' and '$rows')" >&2
  exit 2
fi
for c in "$@"; do
  if ! isnum "$c"; then
    echo "$me: a CPU is a logical CPU number (got '$c')" >&2
    exit 2
  fi
done
zone=
for z in "$sys"/class/thermal/thermal_zone*; do
  if [ -r "$z/type" ] && [ "$(cat "$z/type")" = "$type" ]; then zone=$z; fi
done
if [ -z "$zone" ]; then
  echo "$me: no thermal zone of type '$type'" >&2
  exit 1
fi

# The cpufreq policy directory of CPU $1 ("" when it has none): a policyN whose related_cpus
# (all CPUs of the policy, online or not; affected_cpus on kernels without it) lists the CPU,
# else the per-CPU cpufreq directory of kernels without policyN directories.
policy_of() {
  for p in "$sys"/devices/system/cpu/cpufreq/policy*; do
    f=$p/related_cpus
    [ -r "$f" ] || f=$p/affected_cpus
    [ -r "$f" ] || continue
    # shellcheck disable=SC2013 # words (CPU numbers), not lines
    for x in $(cat "$f"); do
      if [ "$x" = "$1" ]; then
        echo "$p"
        return
      fi
    done
  done
  if [ -r "$sys/devices/system/cpu/cpu$1/cpufreq/scaling_cur_freq" ]; then
    echo "$sys/devices/system/cpu/cpu$1/cpufreq"
  fi
}
# the first CPU of policy directory $1 (the name of its freq: column); $2 if it lists none
first_cpu() {
  f=$1/related_cpus
  [ -r "$f" ] || f=$1/affected_cpus
  if [ -r "$f" ]; then
    # shellcheck disable=SC2046
    set -- $(cat "$f") "$2"
  else
    set -- "$2"
  fi
  echo "$1"
}

# one frequency column per policy, in the order its first CPU was given
policies=''
freq_header=''
for c in "$@"; do
  p=$(policy_of "$c")
  if [ -z "$p" ]; then
    echo "$me: note: CPU $c has no cpufreq policy; no frequency is recorded for it" >&2
    continue
  fi
  case " $policies " in *" $p "*) continue ;; esac
  policies="$policies $p"
  freq_header="$freq_header,freq:cpu$(first_cpu "$p" "$c")"
done

# "busy total" jiffies of every CPU given, from one read of /proc/stat (one consistent snapshot)
jiffies() {
  awk -v cpus="$*" 'BEGIN { n = split(cpus, want, " ") }
    $1 ~ /^cpu[0-9]+$/ { t = 0; for (i = 2; i <= NF; i++) t += $i; busy[substr($1, 4)] = t - $5 - $6; total[substr($1, 4)] = t }
    END { for (k = 1; k <= n; k++) printf "%s%d %d", (k > 1 ? " " : ""), busy[want[k]], total[want[k]]; print "" }' "$proc/stat"
}
header="time_ms,temperature"
for c in "$@"; do header="$header,load:cpu$c"; done
echo "$header$freq_header"
prev=$(jiffies "$@")
start=$(date +%s%3N)
pause=$(awk -v p="$period" 'BEGIN { printf "%.3f", p / 1000 }')
n=0
while [ "$n" -lt "$rows" ]; do
  [ "$n" -gt 0 ] && sleep "$pause"
  row="$(($(date +%s%3N) - start)),$(cat "$zone/temp")"
  now=$(jiffies "$@")
  if [ $# -gt 0 ]; then
    # load over the period, % with 3 decimals (0 when no jiffy elapsed)
    row="$row,$(echo "$prev|$now" | awk -F'|' '{ n = split($1, a, " "); split($2, b, " "); s = "";
      for (i = 1; i < n; i += 2) { db = b[i] - a[i]; dt = b[i + 1] - a[i + 1];
        s = s (i > 1 ? "," : "") sprintf("%.3f", dt > 0 ? 100 * db / dt : 0) } print s }')"
  fi
  for p in $policies; do row="$row,$(cat "$p/scaling_cur_freq")"; done
  prev=$now
  echo "$row"
  n=$((n + 1))
done
