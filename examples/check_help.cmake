# cmake -DPROGRAM=<executable> -DNAME=<program name> -P check_help.cmake
# The command-line contract every example follows (examples/example_cli.hpp): `--help` and `-h`
# print the usage text, which starts with "usage: NAME", on stdout and exit 0; an unknown option
# exits 2 with "unknown argument '…'" and the usage text on stderr, and prints nothing on stdout.
cmake_minimum_required(VERSION 3.25)
foreach(flag --help -h)
  execute_process(COMMAND "${PROGRAM}" ${flag} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NAME} ${flag}: exit code ${rc}, expected 0\nstdout: ${out}\nstderr: ${err}")
  endif()
  string(FIND "${out}" "usage: ${NAME}" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "${NAME} ${flag}: stdout does not start with 'usage: ${NAME}':\n${out}")
  endif()
  if(NOT err STREQUAL "")
    message(FATAL_ERROR "${NAME} ${flag}: unexpected stderr:\n${err}")
  endif()
endforeach()

execute_process(COMMAND "${PROGRAM}" --no-such-option RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "${NAME} --no-such-option: exit code ${rc}, expected 2\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "${NAME} --no-such-option: unexpected stdout:\n${out}")
endif()
if(NOT err MATCHES "unknown argument '--no-such-option'" OR NOT err MATCHES "usage: ${NAME}")
  message(FATAL_ERROR "${NAME} --no-such-option: stderr does not name the argument and give the usage:\n${err}")
endif()
