#!/usr/bin/env bash
# Runs thermo's whole test suite from a clean clone on Debian 12.
# Installs what it needs when it is missing (Catch2 2.13, Google Benchmark, Ninja, dtc, the
# cross/clang toolchains used by the firmware and determinism checks, clang's libFuzzer runtime,
# Slurm and munge for the cluster check),
# then configures, builds and runs every test through ctest (`cmake --workflow --preset test`).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg -s catch2 >/dev/null 2>&1 || need+=(catch2)
dpkg -s libbenchmark-dev >/dev/null 2>&1 || need+=(libbenchmark-dev)
command -v ninja >/dev/null 2>&1 || need+=(ninja-build)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The device-tree tests compile tests/data/dts/*.dts with dtc.
command -v dtc >/dev/null 2>&1 || need+=(device-tree-compiler)
# Determinism across compilers and the firmware checks need these two toolchains.
command -v clang++-19 >/dev/null 2>&1 || need+=(clang-19)
# The fuzz preset (CI) links clang-19's libFuzzer and sanitizer runtimes.
dpkg -s libclang-rt-19-dev >/dev/null 2>&1 || need+=(libclang-rt-19-dev)
command -v arm-none-eabi-g++ >/dev/null 2>&1 ||
  need+=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev libstdc++-arm-none-eabi-newlib)
# The firmware example runs on an emulated Cortex-M4F board (mps2-an386).
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
# The cluster check runs a sweep on a throw-away one-node Slurm cluster; the Kubernetes check
# parses the manifests with PyYAML.
dpkg -s slurm-wlm >/dev/null 2>&1 || need+=(slurm-wlm)
dpkg -s munge >/dev/null 2>&1 || need+=(munge)
python3 -c 'import yaml' >/dev/null 2>&1 || need+=(python3-yaml)
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

cmake --workflow --preset test
