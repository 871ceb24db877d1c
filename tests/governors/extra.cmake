# Extra tests for the governors area (included from tests/CMakeLists.txt after the suites).

# Every governor instantiated and driven through a zone, compiled for a Cortex-M4 with firmware
# flags (no exceptions, no RTTI, strict warnings). Skipped when arm-none-eabi-g++ is absent.
find_program(THERMO_ARM_GXX arm-none-eabi-g++)
if(THERMO_ARM_GXX)
  add_test(NAME thermo.governors.cortex_m4_compile
           COMMAND ${THERMO_ARM_GXX} -std=c++20 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
                   -Os -fno-exceptions -fno-rtti -Wall -Wextra -Wpedantic -Werror -Wconversion
                   -Wsign-conversion -Wshadow -Wold-style-cast -Wdouble-promotion -Wundef -Wextra-semi
                   -Wuseless-cast -I${PROJECT_SOURCE_DIR}/include
                   -c ${CMAKE_CURRENT_SOURCE_DIR}/governors/firmware_governors.cpp
                   -o ${CMAKE_CURRENT_BINARY_DIR}/firmware_governors.o)
  set_tests_properties(thermo.governors.cortex_m4_compile PROPERTIES LABELS cortex_m4)
endif()

# The same translation unit on the host with -fno-exceptions -fno-rtti.
add_test(NAME thermo.governors.firmware_flags_compile
         COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fno-exceptions -fno-rtti -Wall -Wextra -Werror
                 -I${PROJECT_SOURCE_DIR}/include -fsyntax-only ${CMAKE_CURRENT_SOURCE_DIR}/governors/firmware_governors.cpp)

# The governor tour of docs/explanation/governors.md runs to the end (examples/ is configured
# after tests/, so the target is named by generator expression).
if(THERMO_BUILD_EXAMPLES AND NOT CMAKE_CROSSCOMPILING)
  add_test(NAME thermo.governors.example_governor_tour COMMAND $<TARGET_FILE:governor_tour>)
  set_tests_properties(thermo.governors.example_governor_tour PROPERTIES
                       PASS_REGULAR_EXPRESSION "60\\.0  step_wise")
endif()
