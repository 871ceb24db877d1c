# cmake -DBUILD_DIR=<thermo build tree> -DPREFIX=<dir> -P install_check.cmake
# `cmake --install` puts the `thermo` executable in <prefix>/bin, and it runs.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
execute_process(COMMAND "${PREFIX}/bin/thermo" --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^thermo [0-9]+\\.[0-9]+\\.[0-9]+")
  message(FATAL_ERROR "installed thermo --version: exit ${rc}, output '${out}'")
endif()
file(REMOVE_RECURSE "${PREFIX}")
