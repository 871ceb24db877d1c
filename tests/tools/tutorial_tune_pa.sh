#!/usr/bin/env bash
# The tutorial docs/tutorials/tune-the-power-allocator.md, run as written: the study's sweep and
# its Pareto front (stdout must equal examples/studies/rk3399-tune-pa.pareto.txt, which the
# tutorial quotes), one point run again with its trace (simulate --set), the trace replayed
# through the kernel's power allocator (thermo replay) and the two compared
# (examples/scripts/replay_check.py; its report must equal rk3399-tune-pa.replay-check.txt).
# usage: tutorial_tune_pa.sh THERMO SOURCE_DIR WORK_DIR
set -euo pipefail
thermo=$1
src=$2
work=$3
[ -n "$work" ] && [ "$work" != / ] || { echo "tutorial_tune_pa.sh: refusing WORK_DIR '$work'" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work"
cd "$src"

"$thermo" sweep --study examples/studies/rk3399-tune-pa.study --output "$work/tune.csv" --pareto --plot "$work/tune.svg" \
  >"$work/pareto.txt"
diff -u examples/studies/rk3399-tune-pa.pareto.txt "$work/pareto.txt"
test "$(wc -l <"$work/tune.csv")" -eq 21 # the header and 20 points
grep -q '^1,1000,250,0,ok,' "$work/tune.csv"
test -s "$work/tune.svg"

"$thermo" simulate examples/scenarios/rk3399-mobilenet-power_allocator.scn \
  --set zone.cpu-thermal.sustainable_power=1000 --set zone.cpu-thermal.k_pu=250 --trace "$work/point1.csv" >"$work/summary.txt"
grep -q '^simulated 1200.000 s (completed)' "$work/summary.txt"
python3 examples/scripts/replay_check.py to-replay "$work/point1.csv" --zone cpu-thermal \
  --cluster little=0-3 --cluster big=4-5 >"$work/replay-in.csv"
"$thermo" replay --soc rk3399 --zone cpu-thermal --governor power_allocator \
  --sustainable-power 1000 --tzp k_pu=250 --input "$work/replay-in.csv" --output "$work/replay-out.csv"
python3 examples/scripts/replay_check.py compare "$work/point1.csv" "$work/replay-out.csv" >"$work/check.txt"
diff -u examples/studies/rk3399-tune-pa.replay-check.txt "$work/check.txt"
echo "tutorial_tune_pa: ok"
