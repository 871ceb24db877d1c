# cmake -DSCRIPT=<record_thermal_trace.sh> -DWORK=<dir> -P record_trace_check.cmake
# Runs the recording script of docs/how-to/import-device-tree-and-replay.md against a fake
# /sys and /proc and checks the CSV it writes (header, rows, loads, frequencies). This tree has
# the layout of kernels without cpufreq/policyN directories (each CPU's cpufreq/ holds the
# frequency) and is named by the older variables SYSFS and PROCFS; record_replay_check.sh
# covers the policyN layout and the replay of the recording.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/sys/class/thermal/thermal_zone0" "${WORK}/sys/class/thermal/thermal_zone1"
     "${WORK}/sys/devices/system/cpu/cpu0/cpufreq" "${WORK}/sys/devices/system/cpu/cpu4/cpufreq" "${WORK}/proc")
file(WRITE "${WORK}/sys/class/thermal/thermal_zone0/type" "gpu-thermal\n")
file(WRITE "${WORK}/sys/class/thermal/thermal_zone0/temp" "41000\n")
file(WRITE "${WORK}/sys/class/thermal/thermal_zone1/type" "cpu-thermal\n")
file(WRITE "${WORK}/sys/class/thermal/thermal_zone1/temp" "52500\n")
file(WRITE "${WORK}/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq" "1416000\n")
file(WRITE "${WORK}/sys/devices/system/cpu/cpu4/cpufreq/scaling_cur_freq" "1800000\n")
file(WRITE "${WORK}/proc/stat" "cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 5 0 5 40 0 0 0 0 0 0\ncpu4 5 0 5 40 0 0 0 0 0 0\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E env SYSFS=${WORK}/sys PROCFS=${WORK}/proc sh ${SCRIPT} cpu-thermal 10 3 0 4
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit ${rc}: ${err}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines n)
list(GET lines 0 header)
if(NOT n EQUAL 4 OR NOT header STREQUAL "time_ms,temperature,load:cpu0,load:cpu4,freq:cpu0,freq:cpu4")
  message(FATAL_ERROR "unexpected output:\n${out}")
endif()
list(GET lines 2 row)
# /proc/stat does not move in the fake: no jiffies elapsed, load 0
if(NOT row MATCHES "^[0-9]+,52500,0.000,0.000,1416000,1800000$")
  message(FATAL_ERROR "unexpected row '${row}'")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env SYSFS=${WORK}/sys PROCFS=${WORK}/proc sh ${SCRIPT} npu-thermal 10 3
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 1 OR NOT err MATCHES "no thermal zone of type 'npu-thermal'")
  message(FATAL_ERROR "an unknown zone: exit ${rc}, '${err}'")
endif()
file(REMOVE_RECURSE "${WORK}")
