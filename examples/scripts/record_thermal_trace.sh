#!/bin/sh
# record_thermal_trace.sh ZONE_TYPE PERIOD_MS ROWS [CPU...] > trace.csv
#
# Records a trace for `thermo replay` on a running Linux system: every PERIOD_MS milliseconds,
# the temperature of the thermal zone whose `type` is ZONE_TYPE (/sys/class/thermal), and for
# each CPU given its load over the period (/proc/stat) and its current frequency (cpufreq).
# Use the zone's polling delay (or passive delay while it throttles) as the period: each row is
# replayed as one zone update. SYSFS and PROCFS override /sys and /proc (for testing).
set -eu
sys=${SYSFS:-/sys}
proc=${PROCFS:-/proc}
if [ $# -lt 3 ]; then
  echo "usage: record_thermal_trace.sh ZONE_TYPE PERIOD_MS ROWS [CPU...]" >&2
  exit 2
fi
type=$1 period=$2 rows=$3
shift 3
zone=
for z in "$sys"/class/thermal/thermal_zone*; do
  if [ -r "$z/type" ] && [ "$(cat "$z/type")" = "$type" ]; then zone=$z; fi
done
if [ -z "$zone" ]; then
  echo "record_thermal_trace.sh: no thermal zone of type '$type'" >&2
  exit 1
fi
# busy and total jiffies of one CPU from /proc/stat
jiffies() { awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' "$proc/stat"; }
header="time_ms,temperature"
for c in "$@"; do header="$header,load:cpu$c,freq:cpu$c"; done
echo "$header"
prev=
for c in "$@"; do prev="$prev $(jiffies "$c")"; done
start=$(date +%s%3N)
n=0
while [ "$n" -lt "$rows" ]; do
  [ "$n" -gt 0 ] && sleep "$(awk -v p="$period" 'BEGIN { printf "%.3f", p / 1000 }')"
  row="$(( $(date +%s%3N) - start )),$(cat "$zone/temp")"
  now=
  for c in "$@"; do now="$now $(jiffies "$c")"; done
  i=0
  for c in "$@"; do
    load=$(echo "$prev|$now" | awk -F'|' -v i="$i" '{ split($1, a, " "); split($2, b, " ");
      db = b[2 * i + 1] - a[2 * i + 1]; dt = b[2 * i + 2] - a[2 * i + 2];
      printf "%.3f", (dt > 0 ? 100 * db / dt : 0) }')
    row="$row,$load,$(cat "$sys/devices/system/cpu/cpu$c/cpufreq/scaling_cur_freq")"
    i=$((i + 1))
  done
  prev=$now
  echo "$row"
  n=$((n + 1))
done
