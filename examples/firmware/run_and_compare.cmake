# cmake -DQEMU=<qemu-system-arm> -DIMAGE=<firmware .elf> -DHOST=<host program> -P run_and_compare.cmake
# Runs the firmware image under QEMU (mps2-an386, semihosting console on stdout) and the host
# build of the same program, requires both to exit with 0, and compares their outputs line for
# line: any difference fails, naming the first differing lines.
cmake_minimum_required(VERSION 3.25)
foreach(var QEMU IMAGE HOST)
  if(NOT ${var})
    message(FATAL_ERROR "run_and_compare.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(
  COMMAND "${QEMU}" -M mps2-an386 -nographic -monitor none -serial none
          -semihosting-config enable=on,target=native -kernel "${IMAGE}"
  OUTPUT_VARIABLE fw_out ERROR_VARIABLE fw_err RESULT_VARIABLE fw_rc TIMEOUT 60)
execute_process(COMMAND "${HOST}" OUTPUT_VARIABLE host_out ERROR_VARIABLE host_err
                RESULT_VARIABLE host_rc TIMEOUT 60)
if(NOT fw_rc STREQUAL "0")
  message(FATAL_ERROR "QEMU run of ${IMAGE} failed (${fw_rc}):\n${fw_err}")
endif()
if(NOT host_rc STREQUAL "0")
  message(FATAL_ERROR "${HOST} failed (${host_rc}):\n${host_err}")
endif()

# Lines as CMake lists (list separators and brackets in the text are escaped first).
function(to_lines text out)
  string(REPLACE "\\" "<bs>" text "${text}")
  string(REPLACE ";" "<sc>" text "${text}")
  string(REPLACE "[" "<lb>" text "${text}")
  string(REPLACE "]" "<rb>" text "${text}")
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
to_lines("${fw_out}" fw_lines)
to_lines("${host_out}" host_lines)
list(LENGTH fw_lines n_fw)
list(LENGTH host_lines n_host)

set(report "")
set(differences 0)
set(line_no 0)
foreach(a b IN ZIP_LISTS fw_lines host_lines)
  math(EXPR line_no "${line_no} + 1")
  if(NOT a STREQUAL b)
    math(EXPR differences "${differences} + 1")
    if(differences LESS_EQUAL 5)
      string(APPEND report "line ${line_no}:\n  qemu: ${a}\n  host: ${b}\n")
    endif()
  endif()
endforeach()
if(differences GREATER 0 OR NOT n_fw EQUAL n_host)
  message(FATAL_ERROR "firmware and host outputs differ: ${n_fw} vs ${n_host} lines, "
                      "${differences} differing lines\n${report}")
endif()
if(n_fw LESS 100)
  message(FATAL_ERROR "only ${n_fw} lines of output: the run did not get far")
endif()
list(GET fw_lines -1 last)
message("qemu-system-arm mps2-an386 and host: ${n_fw} identical lines, last: ${last}")
