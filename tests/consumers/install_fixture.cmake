# cmake -DBUILD_DIR=<thermo build tree> -DPREFIX=<dir> -P install_fixture.cmake
# Installs thermo from its build tree into a fresh prefix for the find_package consumer tests.
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
