# cmake -DBUILD_DIR=<thermo build tree> -DPREFIX=<dir> [-DEXPECT_TOOL=ON -DVERSION=x.y.z]
#       -P install_fixture.cmake
# Installs thermo from its build tree into a fresh prefix for the find_package consumer tests;
# with EXPECT_TOOL, also checks that the installed `thermo` program runs.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
foreach(f share/cmake/thermo/thermoConfig.cmake share/cmake/thermo/thermoConfigVersion.cmake
          share/cmake/thermo/thermoTargets.cmake include/thermo/core/units.hpp)
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "missing from the install: ${f}")
  endif()
endforeach()
if(EXPECT_TOOL)
  execute_process(COMMAND "${PREFIX}/bin/thermo" --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "thermo ${VERSION}\n")
    message(FATAL_ERROR "the installed thermo --version gave ${rc}: '${out}'")
  endif()
endif()
