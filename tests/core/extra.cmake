# Extra tests for the core area (included from tests/CMakeLists.txt after the suites).

# Tests that run the build tool on this build tree must not overlap (compile_fail does the same).
if(TEST thermo.static.firmware_flags)
  set_tests_properties(thermo.static.firmware_flags PROPERTIES RESOURCE_LOCK thermo_build_tree)
endif()

# The static suites again with the Cortex-M4 cross compiler: their constexpr checks (published
# PRNG vectors, pinned distribution values, fixed-point semantics, unit layouts) must hold on a
# 32-bit bare-metal target too. Skipped when arm-none-eabi-g++ is not installed.
find_program(THERMO_ARM_GXX arm-none-eabi-g++)
if(THERMO_ARM_GXX AND static_sources)
  foreach(src IN LISTS static_sources)
    get_filename_component(name ${src} NAME_WE)
    add_test(NAME thermo.static.cortex_m4.${name}
             COMMAND ${THERMO_ARM_GXX} -std=c++20 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard
                     -mfpu=fpv4-sp-d16 -fno-exceptions -fno-rtti -Wall -Wextra -Wpedantic -Werror
                     -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast -Wdouble-promotion
                     -Wundef -Wextra-semi -Wuseless-cast -I${PROJECT_SOURCE_DIR}/include
                     -fsyntax-only ${src})
    set_tests_properties(thermo.static.cortex_m4.${name} PROPERTIES LABELS cortex_m4)
  endforeach()
endif()

# The cortex-m4 cross build of examples/firmware (what `cmake --workflow --preset cortex-m4`
# does), as a test: a nested configure with the arm-none-eabi toolchain that builds only
# firmware_smoke, whose post-build step prints its size and fails on heap/exception/RTTI symbols.
if(THERMO_ARM_GXX)
  add_test(NAME thermo.firmware.cortex_m4_smoke
           COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${PROJECT_SOURCE_DIR}
                   ${PROJECT_BINARY_DIR}/firmware-cortex-m4
                   --build-generator ${CMAKE_GENERATOR} --build-target firmware_smoke
                   --build-options
                     -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchains/arm-none-eabi.cmake
                     -DCMAKE_BUILD_TYPE=MinSizeRel -DTHERMO_BUILD_TESTS=OFF
                     -DTHERMO_BUILD_BENCHMARKS=OFF -DTHERMO_BUILD_EXAMPLES=ON -DTHERMO_INSTALL=OFF)
  set_tests_properties(thermo.firmware.cortex_m4_smoke PROPERTIES LABELS cortex_m4
                       PASS_REGULAR_EXPRESSION "firmware_smoke: no heap, exception or RTTI symbols")
endif()

# examples/core_tour prints values from every core header (including seeded random numbers and
# rounded model temperatures): its output is pinned byte for byte.
if(THERMO_BUILD_EXAMPLES)
  add_test(NAME thermo.examples.core_tour
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:core_tour>
                   -DEXPECTED=${CMAKE_CURRENT_SOURCE_DIR}/core/core_tour.expected
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/core/compare_output.cmake)
endif()

