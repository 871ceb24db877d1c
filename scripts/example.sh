#!/usr/bin/env bash
# Builds (Release, examples only: no test dependencies needed) and runs thermo's main example
# simulation. Extra arguments are passed to the example.
set -euo pipefail
cd "$(dirname "$0")/.."
example=die_package_board
cmake --preset examples >/dev/null
cmake --build --preset examples --target "$example" >/dev/null
exec "build/examples/examples/$example" "$@"
