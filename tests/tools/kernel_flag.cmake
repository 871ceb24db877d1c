# `--kernel VERSION` of thermo replay, simulate and sweep, and the scenario key [run] kernel, end
# to end (included from extra.cmake, inside its tools block: thermo_cli_test, thermo_exe,
# thermo_dtb_dir and out_dir are defined there). docs/reference/kernel-versions.md.

set(kernel_hikey "${thermo_exe}|replay|--dtb|${thermo_dtb_dir}/hi3660-hikey960.dtb|--zone|cls0-thermal|--governor|power_allocator|--input|${CMAKE_CURRENT_SOURCE_DIR}/data/traces/hi3660-cls0-thermal.csv")
# "6.12" and 6.12.18 (the weighting fix backported) replay exactly as the default does
thermo_cli_test(cli_replay_kernel_6_12_is_default "-DCMD=${kernel_hikey}|--kernel|6.12"
                "-DSTDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/hi3660-cls0-thermal.power_allocator.csv")
thermo_cli_test(cli_replay_kernel_6_12_18 "-DCMD=${kernel_hikey}|--kernel=6.12.18"
                "-DSTDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/hi3660-cls0-thermal.power_allocator.csv")
# 6.12.17 splits by the unweighted requests (big 6037 mW instead of 3019): big at state 1, not 3
thermo_cli_test(cli_replay_kernel_6_12_17 "-DCMD=${kernel_hikey}|--kernel|6.12.17"
                "-DSTDOUT=\n2,76000,up:1,74000,2147483647,100,1,1,-1024000,-460000,-92000,0,3960,980,980,941,6284,6284,6037\n")
thermo_cli_test(cli_replay_kernel_default "-DCMD=${kernel_hikey}"
                "-DSTDOUT=\n2,76000,up:1,74000,2147483647,100,1,3,-1024000,-460000,-92000,0,3960,980,980,941,6284,6284,3019\n")
thermo_cli_test(cli_replay_kernel_bad "-DCMD=${kernel_hikey}|--kernel|6.x" -DEXIT=2 -DONE_LINE_ERROR=ON
                "-DSTDERR=^thermo replay: --kernel: bad kernel version '6.x' \\(expected MAJOR.MINOR\\[.PATCH\\], e.g. 6.12 or 6.12.18\\)\n$")
thermo_cli_test(cli_replay_kernel_too_old "-DCMD=${kernel_hikey}|--kernel|6.11.9|--output|${out_dir}/kernel/old.csv" -DEXIT=2
                -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: --kernel: kernel 6.11.9 is older than 6.12.0: thermo models the thermal framework from Linux 6.12 on"
                "-DNO_OUTPUT=${out_dir}/kernel/old.csv")
thermo_cli_test(cli_replay_kernel_empty "-DCMD=${kernel_hikey}|--kernel=" -DEXIT=2 -DONE_LINE_ERROR=ON
                "-DSTDERR=^thermo replay: --kernel: bad kernel version ''")

# simulate: the flagship scenario with unequal map weights (rk3399's device tree gives none)
set(kernel_scn ${PROJECT_SOURCE_DIR}/examples/scenarios/rk3399-big-cores-flat-out.scn)
set(kernel_sim "${thermo_exe}|simulate|${kernel_scn}|--set|zone.cpu-thermal.map0_weight=2048|--set|zone.cpu-thermal.map1_weight=512")
thermo_cli_test(cli_simulate_kernel_default "-DCMD=${kernel_sim}" "-DSTDOUT=\ncpu-thermal +74\\.41 ")
thermo_cli_test(cli_simulate_kernel_6_12_17 "-DCMD=${kernel_sim}|--kernel|6.12.17"
                "-DSTDOUT=\ncpu-thermal +69\\.72 .*\nnote: the governors reproduce Linux 6.12.17 \\(docs/reference/kernel-versions.md\\)\n")
thermo_cli_test(cli_simulate_kernel_set_key "-DCMD=${kernel_sim}|--set|run.kernel=6.12.17"
                "-DSTDOUT=\ncpu-thermal +69\\.72 .*\nnote: the governors reproduce Linux 6.12.17 ")
# the flag replaces the file's key
thermo_cli_test(cli_simulate_kernel_flag_wins "-DCMD=${kernel_sim}|--set|run.kernel=6.12.17|--kernel|6.12"
                "-DSTDOUT=\ncpu-thermal +74\\.41 .*\nnote: the governors reproduce Linux 6.12.117 ")
thermo_cli_test(cli_simulate_kernel_bad "-DCMD=${kernel_sim}|--kernel|6.12.1.1" -DEXIT=2 -DONE_LINE_ERROR=ON
                "-DSTDERR=^thermo simulate: --kernel: bad kernel version '6.12.1.1'")
thermo_cli_test(cli_simulate_kernel_too_old "-DCMD=${kernel_sim}|--kernel|5.15" -DEXIT=2 -DONE_LINE_ERROR=ON
                "-DSTDERR=^thermo simulate: --kernel: kernel 5.15.0 is older than 6.12.0")
# [run] kernel too old: the file and line named ([run] ends on line 9, the key is added after it)
thermo_cli_test(cli_simulate_kernel_key_too_old "-DCMD=${kernel_sim}|--set|run.kernel=6.1" -DEXIT=1 -DONE_LINE_ERROR=ON
                "-DSTDERR=^thermo simulate: .*rk3399-big-cores-flat-out.scn:10: kernel 6.1.0 is older than 6.12.0: thermo models")

# sweep: the kernel as an axis, as one flag for every point, and the two together refused
file(MAKE_DIRECTORY ${out_dir}/kernel)
set(kernel_sweep_scn ${out_dir}/kernel/weights.scn)
file(READ ${kernel_scn} kernel_scn_text)
string(REPLACE "[zone cpu-thermal]\n" "[zone cpu-thermal]\nmap0_weight = 2048\nmap1_weight = 512\n" kernel_scn_text "${kernel_scn_text}")
file(WRITE ${kernel_sweep_scn} "${kernel_scn_text}")
thermo_cli_test(cli_sweep_kernel_axis "-DCMD=${thermo_exe}|sweep|${kernel_sweep_scn}|--axis|run.kernel=6.12.17,6.12|--jobs|1|--output|-"
                "-DSTDOUT=^point,run.kernel,status,[^\n]*\n0,6.12.17,ok,600,1177\\.58[^\n]*\n1,6.12,ok,600,1317\\.07")
thermo_cli_test(cli_sweep_kernel_flag "-DCMD=${thermo_exe}|sweep|${kernel_sweep_scn}|--axis|run.ambient=35|--kernel|6.12.17|--output|-"
                "-DSTDOUT=^point,run.ambient,status,[^\n]*\n0,35,ok,600,1177\\.58")
thermo_cli_test(cli_sweep_kernel_flag_and_axis
                "-DCMD=${thermo_exe}|sweep|${kernel_sweep_scn}|--axis|run.kernel=6.12|--kernel|6.12.17|--output|${out_dir}/kernel/both.csv"
                -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo sweep: --kernel and the axis run.kernel exclude each other\n$"
                "-DNO_OUTPUT=${out_dir}/kernel/both.csv")
thermo_cli_test(cli_sweep_kernel_bad "-DCMD=${thermo_exe}|sweep|${kernel_sweep_scn}|--axis|run.ambient=35|--kernel|abc|--output|-"
                -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo sweep: --kernel: bad kernel version 'abc'")
thermo_cli_test(cli_sweep_kernel_axis_too_old "-DCMD=${thermo_exe}|sweep|${kernel_sweep_scn}|--axis|run.kernel=6.12,6.11|--output|-"
                -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo sweep: --axis run.kernel=6.11: .*weights.scn:10: kernel 6.11.0 is older than 6.12.0")
