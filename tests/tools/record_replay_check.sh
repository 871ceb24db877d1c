#!/usr/bin/env bash
# The CSV replay path of docs/how-to/import-device-tree-and-replay.md end to end (issue 17):
# examples/scripts/record_thermal_trace.sh records an RK3399-shaped fake /sys and /proc (a
# cpu-thermal zone, cpufreq policies 0-3 and 4-5, per-CPU jiffies), run as the how-to runs it
# (every CPU given), and `thermo replay --soc rk3399 --zone cpu-thermal` replays the recording.
#
# The fake tree moves between samples without races: a `sleep` placed first in PATH (the script
# sleeps once between two rows) advances the tree to the next sample — temperature, /proc/stat,
# scaling_cur_freq — and then really sleeps. The temperatures are those of
# tests/data/traces/rk3399-cpu-thermal.csv, so the step_wise replay must equal the output the
# how-to quotes; the power allocator's replay (which reads loads and frequencies) must equal the
# replay of the CSV the recording should be, written here by hand.
# usage: record_replay_check.sh THERMO SOURCE_DIR WORK_DIR
set -euo pipefail
trap 'echo "record_replay_check.sh: failed at line $LINENO" >&2' ERR
thermo=$1
src=$2
work=$3
# The fake tree and the fake sleep live under WORK_DIR: an empty or root WORK_DIR would put them
# over the real /sys, /proc and /bin (a fake `sleep` written to /bin/sleep truncated the real one
# on a development machine once). Refuse anything but a fresh folder of its own.
case $work in
  "" | / | /bin | /usr* | /sys* | /proc* | /etc*)
    echo "record_replay_check.sh: refusing WORK_DIR '$work'" >&2
    exit 2
    ;;
esac
rm -rf "$work"
mkdir -p "$work/bin" "$work/samples" "$work/proc" "$work/sys/class/thermal/thermal_zone0" \
  "$work/sys/class/thermal/thermal_zone1" "$work/sys/devices/system/cpu/cpufreq/policy0" \
  "$work/sys/devices/system/cpu/cpufreq/policy4"
sys=$work/sys
echo gpu-thermal >"$sys/class/thermal/thermal_zone0/type"
echo 41000 >"$sys/class/thermal/thermal_zone0/temp"
echo cpu-thermal >"$sys/class/thermal/thermal_zone1/type"
printf '0 1 2 3\n' >"$sys/devices/system/cpu/cpufreq/policy0/related_cpus"
printf '4 5\n' >"$sys/devices/system/cpu/cpufreq/policy4/related_cpus"

# Sample k: temperature temps[k]; each CPU c has been busy busy[c] of every 100 jiffies since
# sample k-1; the policies run at little[k] and big[k] kHz.
temps=(60000 66000 70000 74000 76000 78000 78000 77000 75000 73500 72900 70000 64000 62000)
little=(1416000 1416000 1200000 1008000 816000 600000 408000 408000 600000 816000 1008000 1200000 1416000 1416000)
big=(1800000 1608000 1416000 1200000 1008000 816000 600000 408000 600000 816000 1008000 1200000 1416000 1800000)
busy=(50 25 0 100 75 100)
rows=${#temps[@]}
for ((k = 0; k < rows; k++)); do
  d=$work/samples/$k
  mkdir -p "$d"
  echo "${temps[k]}" >"$d/temp"
  echo "${little[k]}" >"$d/little"
  echo "${big[k]}" >"$d/big"
  # /proc/stat: user nice system idle iowait irq softirq steal (guest fields omitted)
  {
    echo "cpu  $((k * 350)) 0 0 $((k * 250)) 0 0 0 0"
    for c in 0 1 2 3 4 5; do
      echo "cpu$c $((k * busy[c])) 0 0 $((k * (100 - busy[c]))) 0 0 0 0"
    done
    echo "intr 0"
  } >"$d/stat"
done
cat >"$work/bin/advance" <<EOF
#!/bin/sh
# advance N: the fake tree shows sample N
set -eu
d="$work/samples/\$1"
cp "\$d/temp" "$sys/class/thermal/thermal_zone1/temp"
cp "\$d/little" "$sys/devices/system/cpu/cpufreq/policy0/scaling_cur_freq"
cp "\$d/big" "$sys/devices/system/cpu/cpufreq/policy4/scaling_cur_freq"
cp "\$d/stat" "$work/proc/stat"
echo "\$1" >"$work/sample"
EOF
real_sleep=$(command -v sleep)
cat >"$work/bin/sleep" <<EOF
#!/bin/sh
set -eu
"$work/bin/advance" \$((\$(cat "$work/sample") + 1))
exec "$real_sleep" "\$@"
EOF
chmod +x "$work/bin/advance" "$work/bin/sleep"
"$work/bin/advance" 0

# record, as the how-to does: every CPU, the zone's passive polling period (here 10 ms)
PATH="$work/bin:$PATH" THERMO_SYSFS="$sys" THERMO_PROCFS="$work/proc" \
  sh "$src/examples/scripts/record_thermal_trace.sh" cpu-thermal 10 "$rows" 0 1 2 3 4 5 >"$work/rec.csv" 2>"$work/rec.err"
test ! -s "$work/rec.err" || { cat "$work/rec.err"; exit 1; }
test "$(cat "$work/sample")" -eq $((rows - 1)) # one sleep between two rows, none before the first

# what the recording must be (time_ms aside): one load column per CPU, one freq column per policy
{
  echo "temperature,load:cpu0,load:cpu1,load:cpu2,load:cpu3,load:cpu4,load:cpu5,freq:cpu0,freq:cpu4"
  for ((k = 0; k < rows; k++)); do
    if ((k == 0)); then loads="0.000,0.000,0.000,0.000,0.000,0.000"; else loads="50.000,25.000,0.000,100.000,75.000,100.000"; fi
    echo "${temps[k]},$loads,${little[k]},${big[k]}"
  done
} >"$work/expected.csv"
head -n 1 "$work/rec.csv" | grep -qx 'time_ms,temperature,load:cpu0,load:cpu1,load:cpu2,load:cpu3,load:cpu4,load:cpu5,freq:cpu0,freq:cpu4'
cut -d, -f2- "$work/rec.csv" | diff -u "$work/expected.csv" -
# time_ms: whole ms from the first sample, never backwards
cut -d, -f1 "$work/rec.csv" | tail -n +2 | awk 'NR > 1 && $1 < prev { exit 1 } !/^[0-9]+$/ { exit 1 } { prev = $1 }'

# replay the recording: step_wise gives what the how-to quotes; exit 0, nothing on stderr
"$thermo" replay --soc rk3399 --zone cpu-thermal --input "$work/rec.csv" --output "$work/replay.csv" 2>"$work/replay.err"
test ! -s "$work/replay.err" || { cat "$work/replay.err"; exit 1; }
diff -u "$src/tests/data/traces/rk3399-cpu-thermal.step_wise.csv" "$work/replay.csv"
# the power allocator prices the recorded loads and frequencies as it does the hand-written CSV's
"$thermo" replay --soc rk3399 --zone cpu-thermal --governor power_allocator --input "$work/rec.csv" >"$work/pa.csv"
"$thermo" replay --soc rk3399 --zone cpu-thermal --governor power_allocator --input "$work/expected.csv" >"$work/pa-expected.csv"
diff -u "$work/pa-expected.csv" "$work/pa.csv"
# … and they matter: at 100 % load everywhere at the caps the requests differ
sed -e '2,$s/^\([0-9]*\),.*/\1/' -e '1s/.*/temperature/' "$work/expected.csv" >"$work/full-load.csv"
"$thermo" replay --soc rk3399 --zone cpu-thermal --governor power_allocator --input "$work/full-load.csv" >"$work/pa-full.csv"
if cmp -s "$work/pa.csv" "$work/pa-full.csv"; then echo "loads and frequencies changed nothing" >&2; exit 1; fi

# an older recording with a freq column per CPU replays the same while the columns agree
awk -F, -v OFS=, '{ print $0, (NR == 1 ? "freq:cpu1,freq:cpu5" : $8 "," $9) }' "$work/expected.csv" >"$work/per-cpu.csv"
"$thermo" replay --soc rk3399 --zone cpu-thermal --governor power_allocator --input "$work/per-cpu.csv" | diff -u "$work/pa-expected.csv" -
echo "record_replay_check: ok"
