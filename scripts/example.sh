#!/usr/bin/env bash
# Builds (Release, examples only: no test dependencies needed) and runs thermo's main example
# simulation. Without arguments it also writes its plot to build/die_package_board.svg; any
# arguments are passed to the example instead.
set -euo pipefail
cd "$(dirname "$0")/.."
example=die_package_board
cmake --preset examples >/dev/null
cmake --build --preset examples --target "$example" >/dev/null
if (($# == 0)); then
  set -- --plot build/die_package_board.svg
fi
exec "build/examples/examples/$example" "$@"
