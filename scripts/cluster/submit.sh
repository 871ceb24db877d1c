#!/usr/bin/env bash
# Submits a thermo sweep to Slurm: an array job of N shards (sweep.sbatch) and a merge job
# (merge.sbatch) that runs once every shard succeeded (--dependency=afterok).
#
#   scripts/cluster/submit.sh --shards N --dir DIR [--thermo PATH] [--cpus-per-task C]
#                             [--sbatch OPTION]… -- SCENARIO [SWEEP OPTIONS…]
#
# DIR (created if missing, on a file system every node sees) receives shard-I.csv, results.csv
# and the jobs' logs in DIR/logs/. SWEEP OPTIONS are those of `thermo sweep` except --shard,
# --jobs and --output, which the scripts set. --thermo names the thermo binary the jobs run
# (default: the `thermo` on the nodes' PATH); --sbatch passes an option to both sbatch calls
# (e.g. --sbatch --partition=short). Prints the two job ids:
#
#   array_job=123
#   merge_job=124
#   results=/shared/study/results.csv
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage="usage: submit.sh --shards N --dir DIR [--thermo PATH] [--cpus-per-task C] [--sbatch OPTION]... -- SCENARIO [SWEEP OPTIONS...]"
fail() {
  echo "submit.sh: $*" >&2
  exit 2
}
shards='' dir='' thermo='' cpus=1
extra=()
while (($#)); do
  case $1 in
    --shards) (($# >= 2)) || fail "--shards needs a value"; shards=$2; shift 2 ;;
    --dir) (($# >= 2)) || fail "--dir needs a value"; dir=$2; shift 2 ;;
    --thermo) (($# >= 2)) || fail "--thermo needs a value"; thermo=$2; shift 2 ;;
    --cpus-per-task) (($# >= 2)) || fail "--cpus-per-task needs a value"; cpus=$2; shift 2 ;;
    --sbatch) (($# >= 2)) || fail "--sbatch needs a value"; extra+=("$2"); shift 2 ;;
    --) shift; break ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) fail "unknown option '$1' ($usage)" ;;
  esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "--shards N must be a whole number ≥ 1 (got '${shards}')"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || fail "--cpus-per-task C must be a whole number ≥ 1 (got '${cpus}')"
[[ -n $dir ]] || fail "--dir DIR is required"
(($# >= 1)) || fail "a SCENARIO is required after -- ($usage)"
for arg in "$@"; do
  case $arg in
    --shard | --shard=* | --jobs | --jobs=* | --output | --output=* | --merge)
      fail "'$arg' is set by the scripts; leave it out of the sweep options" ;;
  esac
done
env=ALL
if [[ -n $thermo ]]; then
  [[ -f $thermo && -x $thermo ]] || fail "--thermo '$thermo' is not an executable file"
  [[ $thermo != *,* ]] || fail "--thermo '$thermo' has a comma, which sbatch --export cannot pass"
  [[ $thermo == /* ]] || thermo=$(cd "$(dirname "$thermo")" && pwd)/$(basename "$thermo")
  env=ALL,THERMO=$thermo
fi
command -v sbatch >/dev/null || fail "sbatch not found: is this a Slurm login node?"

mkdir -p "$dir/logs"
dir=$(cd "$dir" && pwd)

array_job=$(sbatch --parsable --array="0-$((shards - 1))" --cpus-per-task="$cpus" --export="$env" \
  --output="$dir/logs/sweep-%A_%a.out" "${extra[@]}" "$here/sweep.sbatch" "$dir" "$@")
array_job=${array_job%%;*}
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes --export="$env" \
  --output="$dir/logs/merge-%j.out" "${extra[@]}" "$here/merge.sbatch" "$dir" "$shards") || {
  echo "submit.sh: array job $array_job is submitted but its merge job is not; once the array is done:" \
       "sbatch $here/merge.sbatch $dir $shards (or scancel $array_job)" >&2
  exit 1
}
merge_job=${merge_job%%;*}
echo "array_job=$array_job"
echo "merge_job=$merge_job"
echo "results=$dir/results.csv"
