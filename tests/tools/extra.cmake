# Extra rules for the tools area (included from tests/CMakeLists.txt after the suites).

# Device-tree sources written for the tests (tests/data/dts/*.dts) are compiled with dtc into
# ${PROJECT_BINARY_DIR}/dtb/ at build time; thermo_io_tests (fdt reader, import, blob mutation)
# and thermo_tools_tests (replay) read the blobs from there. scripts/test.sh installs dtc
# (Debian: device-tree-compiler) when it is missing.
find_program(THERMO_DTC dtc DOC "device-tree compiler (Debian: device-tree-compiler)")
file(GLOB thermo_test_dts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/dts/*.dts)
set(thermo_dtb_dir ${PROJECT_BINARY_DIR}/dtb)
if(THERMO_DTC)
  set(thermo_test_dtbs)
  foreach(dts IN LISTS thermo_test_dts)
    get_filename_component(name ${dts} NAME_WE)
    set(dtb ${thermo_dtb_dir}/${name}.dtb)
    add_custom_command(OUTPUT ${dtb}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${thermo_dtb_dir}
                       COMMAND ${THERMO_DTC} -q -I dts -O dtb -o ${dtb} ${dts}
                       DEPENDS ${dts}
                       COMMENT "dtc ${name}.dts"
                       VERBATIM)
    list(APPEND thermo_test_dtbs ${dtb})
  endforeach()
  add_custom_target(thermo_test_dtbs DEPENDS ${thermo_test_dtbs})
  add_dependencies(thermo_io_tests thermo_test_dtbs)
  add_dependencies(thermo_tools_tests thermo_test_dtbs)
else()
  # The suites then fail with a message naming dtc instead of passing without their blobs.
  message(WARNING "dtc not found: install device-tree-compiler; the device-tree tests will fail")
endif()
foreach(suite thermo_io_tests thermo_tools_tests)
  target_compile_definitions(${suite} PRIVATE THERMO_DTB_DIR="${thermo_dtb_dir}")
endforeach()
target_include_directories(thermo_tools_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/thermo)
target_compile_definitions(thermo_tools_tests PRIVATE THERMO_VERSION="${PROJECT_VERSION}")

# The installed program, end to end (tools/ is configured after tests/: the target is named by
# generator expression).
if(THERMO_BUILD_TOOLS AND NOT CMAKE_CROSSCOMPILING)
  set(thermo_exe $<TARGET_FILE:thermo_cli>)
  # thermo_cli_test(<name> -D… options): the -D options of run_cli.cmake (they must precede -P)
  function(thermo_cli_test name)
    add_test(NAME thermo.tools.${name} COMMAND ${CMAKE_COMMAND} ${ARGN} -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/run_cli.cmake)
  endfunction()
  set(trace ${CMAKE_CURRENT_SOURCE_DIR}/data/traces/rk3399-cpu-thermal.csv)
  set(out_dir ${PROJECT_BINARY_DIR}/cli_tests)
  file(MAKE_DIRECTORY ${out_dir})
  thermo_cli_test(cli_help "-DCMD=${thermo_exe}|--help" "-DSTDOUT=usage: thermo COMMAND.*replay")
  foreach(cmd replay info simulate latency boot)
    thermo_cli_test(cli_${cmd}_help "-DCMD=${thermo_exe}|${cmd}|--help" "-DSTDOUT=^usage: thermo ${cmd}")
  endforeach()
  thermo_cli_test(cli_version "-DCMD=${thermo_exe}|--version" "-DSTDOUT=^thermo ${PROJECT_VERSION}")
  thermo_cli_test(cli_replay_dtb "-DCMD=${thermo_exe}|replay|--dtb|${thermo_dtb_dir}/rk3399-rock960.dtb|--zone|cpu-thermal|--input|${trace}|--output|${out_dir}/replay.csv"
                   "-DOUTPUT=${out_dir}/replay.csv")
  thermo_cli_test(cli_replay_stdout "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${trace}"
                   "-DSTDOUT=\n10,72900,down:1,63000,75000,100,0,0\n")
  # the outputs quoted by docs/how-to/import-device-tree-and-replay.md, byte for byte
  thermo_cli_test(cli_replay_doc_step_wise "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${trace}"
                  "-DSTDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/rk3399-cpu-thermal.step_wise.csv")
  thermo_cli_test(cli_replay_doc_power_allocator
                  "-DCMD=${thermo_exe}|replay|--dtb|${thermo_dtb_dir}/hi3660-hikey960.dtb|--zone|cls0-thermal|--governor|power_allocator|--input|${CMAKE_CURRENT_SOURCE_DIR}/data/traces/hi3660-cls0-thermal.csv"
                  "-DSTDOUT_FILE=${CMAKE_CURRENT_SOURCE_DIR}/data/traces/hi3660-cls0-thermal.power_allocator.csv")
  thermo_cli_test(cli_replay_bad_trace "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${thermo_dtb_dir}/rk3399-rock960.dtb|--output|${out_dir}/bad_trace/bad.csv"
                   -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: .*rk3399-rock960.dtb:1: " "-DNO_OUTPUT=${out_dir}/bad_trace/bad.csv")
  thermo_cli_test(cli_replay_bad_args "-DCMD=${thermo_exe}|replay|--soc|rk3399|--input|${trace}" -DEXIT=2 -DONE_LINE_ERROR=ON
                   "-DSTDERR=^thermo replay: --zone NAME is required")
  # issue 15: every input is read bounded and a failure names the file and the reason, or the limit
  set(bad ${CMAKE_CURRENT_SOURCE_DIR}/data/bad)
  thermo_cli_test(cli_info_dtb_directory "-DCMD=${thermo_exe}|info|--dtb|/tmp" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo info: cannot read '/tmp': Is a directory\n$")
  thermo_cli_test(cli_info_dtb_dev_zero "-DCMD=${thermo_exe}|info|--dtb|/dev/zero" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo info: '/dev/zero' is larger than the 16 MiB limit of a device-tree blob\n$")
  thermo_cli_test(cli_replay_dtb_directory "-DCMD=${thermo_exe}|replay|--dtb|/tmp|--zone|cpu-thermal|--input|${trace}" -DEXIT=1
                  -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: cannot read '/tmp': Is a directory\n$")
  thermo_cli_test(cli_replay_input_directory "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|/tmp|--output|${out_dir}/dir.csv"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: cannot read '/tmp': Is a directory\n$" "-DNO_OUTPUT=${out_dir}/dir.csv")
  thermo_cli_test(cli_replay_input_dev_zero "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|/dev/zero" -DEXIT=1
                  -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: '/dev/zero' is larger than the 64 MiB limit of a CSV trace\n$")
  thermo_cli_test(cli_replay_cr_only "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${bad}/cr-only-line-ends.csv"
                  "-DSTDOUT=
2,70000,")
  thermo_cli_test(cli_replay_bom "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${bad}/utf8-bom.csv"
                  "-DSTDOUT=
1,66000,")
  thermo_cli_test(cli_replay_freq_not_opp "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${bad}/freq-not-an-opp.csv"
                  -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=freq-not-an-opp.csv:3: column 2 \\(freq:cpu0\\): frequency 1234567 kHz is not an OPP of cpufreq little \\(408000, 600000, 816000, 1008000, 1200000, 1416000 kHz\\)\n$")
  thermo_cli_test(cli_replay_escape_bytes "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${bad}/escape-bytes.csv"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=escape-bytes.csv:3: bad temperature '.x1b.2J.x07' \\(an integer in m°C\\)\n$")
  thermo_cli_test(cli_latency_dtb_directory "-DCMD=${thermo_exe}|latency|--dtb|/tmp|--zone|cpu-thermal" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo latency: cannot read '/tmp': Is a directory\n$")
  thermo_cli_test(cli_latency_dtb_dev_zero "-DCMD=${thermo_exe}|latency|--dtb|/dev/zero|--zone|cpu-thermal" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo latency: '/dev/zero' is larger than the 16 MiB limit of a device-tree blob\n$")
  thermo_cli_test(cli_simulate_dtb_directory "-DCMD=${thermo_exe}|simulate|${bad}/dtb-is-a-directory.scn" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=cannot read '/tmp': Is a directory\n$")
  thermo_cli_test(cli_simulate_dtb_dev_zero "-DCMD=${thermo_exe}|simulate|${bad}/dtb-is-dev-zero.scn" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR='/dev/zero' is larger than the 16 MiB limit of a device-tree blob\n$")
  thermo_cli_test(cli_boot_huge_number "-DCMD=${thermo_exe}|boot|--vmlinux|1e300" -DEXIT=2 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo boot: bad --vmlinux '1e300' \\(bytes, 1..1e\\+10\\)\n$")
  thermo_cli_test(cli_latency_huge_number "-DCMD=${thermo_exe}|latency|--ramp|1e-300" -DEXIT=2 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo latency: bad --ramp '1e-300' \\(°C/s, 0.001..1000\\)\n$")
  thermo_cli_test(cli_no_command "-DCMD=${thermo_exe}" -DEXIT=2 -DONE_LINE_ERROR=ON
                                                  "-DSTDERR=^thermo: no command given")
  thermo_cli_test(cli_info "-DCMD=${thermo_exe}|info|--dtb|${thermo_dtb_dir}/exynos5422-odroidxu4.dtb"
                                              "-DSTDOUT=cooling device cpufreq-cpu0 on /cpus/cpu@100: max_state 12")
  # issue 16: info's Energy Model and --json, the dtc hint, boot's profile note, --plot
  thermo_cli_test(cli_info_json "-DCMD=${thermo_exe}|info|--soc|rk3399|--json" "-DSTDOUT=^\\{\n  \"soc\": \\{\n    \"id\": \"rk3399\","
                  "-DSTDERR=^$")
  thermo_cli_test(cli_info_dts "-DCMD=${thermo_exe}|info|--dtb|${CMAKE_CURRENT_SOURCE_DIR}/data/dts/rk3399-rock960.dts" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo info: '.*/rk3399-rock960.dts' is device-tree source, not a blob: compile it with dtc -I dts -O dtb -o [^ ]*/rk3399-rock960.dtb [^ ]*/rk3399-rock960.dts\n$")
  file(MAKE_DIRECTORY ${out_dir}/boot_plot ${out_dir}/latency_plot)
  thermo_cli_test(cli_boot_big_plot "-DCMD=${thermo_exe}|boot|--soc|rk3399|--cluster|big|--plot|${out_dir}/boot_plot/boot.svg"
                  "-DSTDOUT=\nnote: no gzip decompressor profile was measured on a Cortex-A72 \\(the rk3399 big cluster\\): the Cortex-A9 one stands in"
                  "-DOUTPUT=${out_dir}/boot_plot/boot.svg")
  thermo_cli_test(cli_latency_plot_special "-DCMD=${thermo_exe}|latency|--csv|${out_dir}/latency_plot/l.csv|--plot|/dev/null" -DEXIT=1 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^thermo latency: '/dev/null' is not a regular file" "-DNO_OUTPUT=${out_dir}/latency_plot/l.csv")
  thermo_cli_test(cli_simulate_example
                  "-DCMD=${thermo_exe}|simulate|${PROJECT_SOURCE_DIR}/examples/scenarios/rk3399-big-cores-flat-out.scn|--trace|${out_dir}/sim.csv|--metrics|${out_dir}/sim.json|--plot|${out_dir}/sim.svg"
                  "-DSTDOUT=simulated 600.000 s \\(completed\\).*zone  +peak.*cpu-thermal  +74" "-DOUTPUT=${out_dir}/sim.svg")
  # simulate --set KEY=VALUE: a key set before the run (the axis syntax of a sweep); the parser
  # checks the value; a section the scenario lacks and a malformed setting are refused.
  set(pa_scn ${PROJECT_SOURCE_DIR}/examples/scenarios/rk3399-big-cores-flat-out.scn)
  thermo_cli_test(cli_simulate_set
                  "-DCMD=${thermo_exe}|simulate|${pa_scn}|--set|run.duration=6 min|--set|zone.cpu-thermal.k_pu=250"
                  "-DSTDOUT=^simulated 360.000 s \\(completed\\)")
  thermo_cli_test(cli_simulate_set_bad_value "-DCMD=${thermo_exe}|simulate|${pa_scn}|--set|zone.cpu-thermal.k_pu=0.5"
                  "-DEXIT=1" "-DSTDERR=bad k_pu '0.5'" "-DONE_LINE_ERROR=ON")
  thermo_cli_test(cli_simulate_set_no_section "-DCMD=${thermo_exe}|simulate|${pa_scn}|--set|zone.nope.governor=step_wise"
                  "-DEXIT=1" "-DSTDERR=--set zone.nope.governor: the scenario has no \\[zone nope\\] section" "-DONE_LINE_ERROR=ON")
  thermo_cli_test(cli_simulate_set_malformed "-DCMD=${thermo_exe}|simulate|${pa_scn}|--set|ambient"
                  "-DEXIT=2" "-DSTDERR=--set 'ambient': expected KEY=VALUE" "-DONE_LINE_ERROR=ON")
  # Outputs (io/output.hpp): never over an input or a special file, refused before the run,
  # nothing left behind; long names work.
  # (Tests that check for leftover temporaries write in folders of their own: another test
  # running at the same time has temporaries of its own in ${out_dir}.)
  file(MAKE_DIRECTORY ${out_dir}/bad_trace ${out_dir}/self ${out_dir}/special)
  configure_file(${PROJECT_SOURCE_DIR}/examples/scenarios/rk3399-big-cores-flat-out.scn ${out_dir}/self/self.scn COPYONLY)
  configure_file(${trace} ${out_dir}/replay_in.csv COPYONLY)
  thermo_cli_test(cli_simulate_output_is_input
                  "-DCMD=${thermo_exe}|simulate|${out_dir}/self/self.scn|--trace|${out_dir}/self/self.scn|--metrics|${out_dir}/self/self.json|--plot|${out_dir}/self/self.svg"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo simulate: '.*self.scn' is also an input\n$" "-DNO_OUTPUT=${out_dir}/self/self.json")
  thermo_cli_test(cli_simulate_special_output
                  "-DCMD=${thermo_exe}|simulate|${out_dir}/self/self.scn|--trace|${out_dir}/special/special.csv|--metrics|${out_dir}/special/special.json|--plot|/dev/null"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo simulate: '/dev/null' is not a regular file \\(a character device\\)"
                  "-DNO_OUTPUT=${out_dir}/special/special.csv")
  thermo_cli_test(cli_replay_output_is_input
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${out_dir}/replay_in.csv|--output|${out_dir}/replay_in.csv"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: '.*replay_in.csv' is also an input\n$")
  thermo_cli_test(cli_replay_empty_output_name
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${trace}|--output="
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: an output has an empty name \\(use - for standard output\\)\n$")
  string(REPEAT "n" 246 long_name)
  thermo_cli_test(cli_replay_long_output_name
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--input|${trace}|--output|${out_dir}/${long_name}.csv"
                  "-DOUTPUT=${out_dir}/${long_name}.csv")
  add_test(NAME thermo.tools.record_trace_script
           COMMAND ${CMAKE_COMMAND} -DSCRIPT=${PROJECT_SOURCE_DIR}/examples/scripts/record_thermal_trace.sh
                   -DWORK=${PROJECT_BINARY_DIR}/record_trace_check -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/record_trace_check.cmake)
  # issue 17: the recording script against a fake sysfs, its recording replayed (CSV path end to end)
  add_test(NAME thermo.tools.record_replay
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tools/record_replay_check.sh ${thermo_exe} ${PROJECT_SOURCE_DIR}
                   ${out_dir}/record_replay)
  # issue 17: replay --ftrace compares thermo with the kernel's cdev_update and thermal_zone_trip events
  set(ftr ${CMAKE_CURRENT_SOURCE_DIR}/data/traces/ftrace-replay)
  file(MAKE_DIRECTORY ${out_dir}/ftrace)
  thermo_cli_test(cli_replay_ftrace_agrees
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|${ftr}/rk3399-step_wise.txt|--output|${out_dir}/ftrace/sw.csv"
                  "-DSTDOUT=^replayed 14 updates of cpu-thermal \\(step_wise\\).*cooling decisions: 8 match, 0 differ\ntrips: 12 match, 0 differ\nthermo agrees with the kernel's log\n$"
                  "-DOUTPUT=${out_dir}/ftrace/sw.csv")
  thermo_cli_test(cli_replay_ftrace_diverges
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|${ftr}/rk3399-step_wise-diverges.txt"
                  -DEXIT=1 "-DSTDOUT=cooling decisions: 7 match, 1 differ; first difference at 1001.600000 s \\([^)]*rk3399-step_wise-diverges.txt:39\\): cpufreq-cpu0: logged target=2, thermo target=1.*thermo differs from the kernel's log\n$")
  # the report docs/how-to/import-device-tree-and-replay.md quotes, byte for byte (run beside the trace)
  thermo_cli_test(cli_replay_ftrace_doc_report
                  "-DCMD=${CMAKE_COMMAND}|-E|chdir|${ftr}|${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|rk3399-step_wise-diverges.txt"
                  -DEXIT=1 "-DSTDOUT_FILE=${ftr}/rk3399-step_wise-diverges.report.txt")
  thermo_cli_test(cli_replay_ftrace_no_zone_events
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|${ftr}/gpu-thermal-only.txt|--output|${out_dir}/ftrace/none.csv"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=gpu-thermal-only.txt: no thermal_temperature event of zone 'cpu-thermal' \\(the trace has zones: gpu-thermal\\)\n$"
                  "-DNO_OUTPUT=${out_dir}/ftrace/none.csv")
  thermo_cli_test(cli_replay_ftrace_malformed "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|${ftr}/malformed.txt"
                  -DEXIT=1 -DONE_LINE_ERROR=ON "-DSTDERR=malformed.txt:4: thermal_temperature: bad value '70C' for temp \\(integer\\)\n$")
  thermo_cli_test(cli_replay_ftrace_unknown_zone "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|npu-thermal|--ftrace|${ftr}/rk3399-step_wise.txt"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: no thermal zone 'npu-thermal' \\(zones: cpu-thermal, gpu-thermal\\)\n$")
  thermo_cli_test(cli_replay_ftrace_and_input
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--ftrace|${ftr}/rk3399-step_wise.txt|--input|${trace}"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^thermo replay: give one of --input FILE.csv and --ftrace FILE, not both\n$")
  thermo_cli_test(cli_replay_bad_sustainable_power
                  "-DCMD=${thermo_exe}|replay|--soc|rk3399|--zone|cpu-thermal|--sustainable-power|2097152|--input|${trace}"
                  "-DEXIT=2" "-DSTDERR=bad --sustainable-power '2097152' \\(mW, an integer within 0..2097151\\)" "-DONE_LINE_ERROR=ON")
  # issue 17: the audit of the real SC7180 excerpt, as docs/how-to/check-your-boards-power-allocator.md
  # quotes it (run in the excerpt's folder so that the quoted command and output are the user's).
  add_test(NAME thermo.tools.audit_sc7180_example
           COMMAND ${CMAKE_COMMAND} -DTHERMO=${thermo_exe} -DDIR=${THERMO_SHARED_DIR}/data/traces -DTRACE=sc7180-ipa-2020.txt
                   -DEXPECTED=${PROJECT_SOURCE_DIR}/examples/audit/sc7180.audit.txt -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/audit_example.cmake)
  # The tutorial "Tune the power allocator for a board", run as written (its quoted outputs are
  # files the script compares against).
  add_test(NAME thermo.tools.tutorial_tune_pa
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tools/tutorial_tune_pa.sh ${thermo_exe} ${PROJECT_SOURCE_DIR}
                   ${out_dir}/tutorial_tune_pa)
  # issue 16, part 4: scripts/cluster/ (Slurm and Kubernetes). slurm_cluster runs a study on a
  # throw-away one-node Slurm cluster (it installs slurm-wlm and munge when missing, and is
  # skipped — exit 77, with the reason — where it cannot); kubernetes_manifest checks the manifests
  # and runs their pods' commands here. The install is bounded by apt's own timeouts, the cluster
  # part by 150 s: the CTest timeout leaves room for both, so the test's own trap stops the daemons.
  set(cluster ${PROJECT_SOURCE_DIR}/scripts/cluster)
  add_test(NAME thermo.tools.slurm_cluster COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tools/slurm_check.sh ${thermo_exe} ${PROJECT_SOURCE_DIR})
  set_tests_properties(thermo.tools.slurm_cluster PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1200)
  find_package(Python3 3.9 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME thermo.tools.kubernetes_manifest
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tools/kubernetes_check.py ${thermo_exe} ${PROJECT_SOURCE_DIR})
    add_test(NAME thermo.tools.kubernetes_manifest_self_test
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tools/kubernetes_check.py --self-test ${PROJECT_SOURCE_DIR})
    set_tests_properties(thermo.tools.kubernetes_manifest thermo.tools.kubernetes_manifest_self_test PROPERTIES SKIP_RETURN_CODE 77)
  endif()
  # the scripts refuse what would leave points out or clash with what they set
  thermo_cli_test(cluster_sweep_sbatch_not_array "-DCMD=bash|${cluster}/sweep.sbatch|${out_dir}|study.scn" -DEXIT=2 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^sweep.sbatch: not a task of a job array")
  thermo_cli_test(cluster_sweep_sbatch_array_from_1
                  "-DCMD=env|SLURM_ARRAY_TASK_ID=1|SLURM_ARRAY_TASK_COUNT=3|SLURM_ARRAY_TASK_MIN=1|SLURM_ARRAY_TASK_MAX=3|bash|${cluster}/sweep.sbatch|${out_dir}|study.scn"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^sweep.sbatch: the array must be 0-2 with no step or gap \\(got 1-3 for 3 tasks\\)")
  thermo_cli_test(cluster_sweep_sbatch_array_step
                  "-DCMD=env|SLURM_ARRAY_TASK_ID=0|SLURM_ARRAY_TASK_COUNT=2|SLURM_ARRAY_TASK_MIN=0|SLURM_ARRAY_TASK_MAX=2|bash|${cluster}/sweep.sbatch|${out_dir}|study.scn"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^sweep.sbatch: the array must be 0-1 with no step or gap")
  thermo_cli_test(cluster_merge_sbatch_bad_count "-DCMD=bash|${cluster}/merge.sbatch|${out_dir}|0" -DEXIT=2 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^merge.sbatch: usage: ")
  thermo_cli_test(cluster_submit_sets_shard "-DCMD=bash|${cluster}/submit.sh|--shards|3|--dir|${out_dir}/cluster|--|study.scn|--shard|0/3"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^submit.sh: '--shard' is set by the scripts")
  thermo_cli_test(cluster_submit_bad_shards "-DCMD=bash|${cluster}/submit.sh|--shards|0|--dir|${out_dir}/cluster|--|study.scn"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^submit.sh: --shards N must be a whole number ≥ 1 \\(got '0'\\)")
  thermo_cli_test(cluster_submit_thermo_not_executable
                  "-DCMD=bash|${cluster}/submit.sh|--shards|2|--dir|${out_dir}/cluster|--thermo|${cluster}/kubernetes/sweep-job.yaml|--|study.scn"
                  -DEXIT=2 -DONE_LINE_ERROR=ON "-DSTDERR=^submit.sh: --thermo '.*/sweep-job.yaml' is not an executable file")
  thermo_cli_test(cluster_submit_no_scenario "-DCMD=bash|${cluster}/submit.sh|--shards|2|--dir|${out_dir}/cluster" -DEXIT=2 -DONE_LINE_ERROR=ON
                  "-DSTDERR=^submit.sh: a SCENARIO is required after --")
  include(${CMAKE_CURRENT_SOURCE_DIR}/tools/kernel_flag.cmake)
  if(THERMO_INSTALL)
    add_test(NAME thermo.tools.installed
             COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${PROJECT_BINARY_DIR}/tools_install_check
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/install_check.cmake)
  endif()
endif()
