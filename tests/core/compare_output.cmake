# cmake -DPROGRAM=<exe> -DEXPECTED=<file> -P compare_output.cmake
# Runs a program and requires its exit status 0 and its standard output to equal EXPECTED
# byte for byte (thermo's runs are deterministic, on every compiler).
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND "${PROGRAM}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "output of ${PROGRAM} differs from ${EXPECTED}:\n--- got\n${out}--- expected\n${expected}")
endif()
