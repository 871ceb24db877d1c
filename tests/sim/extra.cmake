# Simulation tests that need more than the Catch2 suite (included by tests/CMakeLists.txt).
#
# thermo.sim.determinism.cross_compiler: tests/sim/determinism_main.cpp (a rich scenario: noise,
#   faults, interrupts, fans, leakage, inference) is built twice — by the project's compiler and
#   by the other one (clang++-19 for a GCC build, g++ for a Clang build), both with
#   -ffp-contract=off — and run; the trace hash and metrics each prints must be identical, and
#   identical again on a second run. The second compiler is invoked directly on the one
#   translation unit by a custom command. Skipped (exit 77) when it is not installed;
#   scripts/test.sh installs clang-19.
add_executable(thermo_sim_determinism ${CMAKE_CURRENT_LIST_DIR}/determinism_main.cpp)
thermo_target_defaults(thermo_sim_determinism)
target_include_directories(thermo_sim_determinism PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_dependencies(thermo_sim_tests thermo_sim_determinism)

if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  find_program(THERMO_OTHER_CXX NAMES clang++-19 DOC "Second compiler for the cross-compiler determinism test")
else()
  find_program(THERMO_OTHER_CXX NAMES g++-12 g++ DOC "Second compiler for the cross-compiler determinism test")
endif()

set(_det_check ${CMAKE_CURRENT_LIST_DIR}/determinism_check.cmake)
if(THERMO_OTHER_CXX)
  set(_det_other ${CMAKE_CURRENT_BINARY_DIR}/thermo_sim_determinism_other_compiler)
  file(GLOB_RECURSE _det_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/thermo/*.hpp)
  add_custom_command(
    OUTPUT ${_det_other}
    COMMAND ${THERMO_OTHER_CXX} -std=c++20 -O2 -ffp-contract=off -Wall -Wextra -Wpedantic -Werror -Wconversion
            -Wsign-conversion -Wshadow -Wold-style-cast -Wdouble-promotion
            -I${PROJECT_SOURCE_DIR}/include -I${CMAKE_CURRENT_LIST_DIR}
            ${CMAKE_CURRENT_LIST_DIR}/determinism_main.cpp -o ${_det_other}
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/determinism_main.cpp ${CMAKE_CURRENT_LIST_DIR}/sim_support.hpp ${_det_headers}
    COMMENT "Building the determinism scenario with ${THERMO_OTHER_CXX}"
    VERBATIM)
  add_custom_target(thermo_sim_determinism_other DEPENDS ${_det_other})
  add_dependencies(thermo_sim_tests thermo_sim_determinism_other)
  add_test(NAME thermo.sim.determinism.cross_compiler
           COMMAND ${CMAKE_COMMAND} -DA=$<TARGET_FILE:thermo_sim_determinism> -DB=${_det_other} -P ${_det_check})
else()
  add_test(NAME thermo.sim.determinism.cross_compiler
           COMMAND ${CMAKE_COMMAND} -DA=$<TARGET_FILE:thermo_sim_determinism> -DB= -P ${_det_check})
endif()
set_tests_properties(thermo.sim.determinism.cross_compiler PROPERTIES SKIP_RETURN_CODE 77)

# The simulation examples are run by thermo_sim_tests (examples_test.cpp): their output is checked
# and every SVG they write is parsed as XML.
if(THERMO_BUILD_EXAMPLES)
  add_dependencies(thermo_sim_tests sim_scenario sim_rk3399)
  target_compile_definitions(thermo_sim_tests PRIVATE THERMO_SIM_EXAMPLES_DIR="${PROJECT_BINARY_DIR}/examples")
endif()
