#!/usr/bin/env bash
# Builds (Release, examples only: no test dependencies needed) and runs thermo's main example
# simulation: MobileNet inference on the RK3399 big cluster under the power allocator, burst vs
# sustained throughput. Without arguments it also writes build/inference_rk3399.{csv,svg}; any
# arguments are passed to the example instead (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
example=inference_rk3399
cmake --preset examples >/dev/null
cmake --build --preset examples --target "$example" >/dev/null
if (($# == 0)); then
  set -- --csv build/inference_rk3399.csv --plot build/inference_rk3399.svg
fi
exec "build/examples/examples/$example" "$@"
