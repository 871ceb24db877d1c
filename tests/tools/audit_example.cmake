# cmake -DTHERMO=<thermo> -DDIR=<working dir> -DTRACE=<trace> -DEXPECTED=<file> -P audit_example.cmake
# Runs `thermo audit TRACE` in DIR and requires exit status 0 and standard output equal to
# EXPECTED byte for byte: the output the how-to quotes (docs/how-to/check-your-boards-power-allocator.md).
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND "${THERMO}" audit "${TRACE}" WORKING_DIRECTORY "${DIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "thermo audit ${TRACE} exited with ${rc}: ${err}\n${out}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "output differs from ${EXPECTED}:\n--- got\n${out}--- expected\n${expected}")
endif()
