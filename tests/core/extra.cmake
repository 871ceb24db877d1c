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
