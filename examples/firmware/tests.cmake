# Tests of the firmware example (included by examples/firmware/CMakeLists.txt in host builds
# with THERMO_BUILD_TESTS). Label `firmware`; the cross and QEMU ones also `cortex_m4`.
#
#   thermo.firmware.decisions_host                  the host program runs to "summary ok"
#   thermo.firmware.mps2_an386_build                nested cross build of the image (fixture)
#   thermo.firmware.mps2_an386_symbols              text/data/bss sizes; no heap/exception/RTTI symbols
#   thermo.firmware.mps2_an386_symbol_check_rejects_heap   the same check fails on an allocating image
#   thermo.firmware.mps2_an386_matches_host         QEMU run == host run, line for line
#
# The cross build and QEMU tests are skipped (not added) when arm-none-eabi-g++ or
# qemu-system-arm is missing; scripts/test.sh installs both.

# The host program's own check: the trace must exercise every path (alarm and timer updates,
# crossings both ways, power-allocator rounds and releases, step_wise votes, the critical trip).
add_test(NAME thermo.firmware.decisions_host COMMAND $<TARGET_FILE:firmware_decisions>)
set_tests_properties(thermo.firmware.decisions_host PROPERTIES LABELS firmware
                     PASS_REGULAR_EXPRESSION "\nsummary ok\n")

find_program(THERMO_ARM_GXX arm-none-eabi-g++)
find_program(THERMO_ARM_NM arm-none-eabi-nm)
find_program(THERMO_ARM_SIZE arm-none-eabi-size)
find_program(THERMO_QEMU_ARM qemu-system-arm)
if(NOT (THERMO_ARM_GXX AND THERMO_ARM_NM AND THERMO_ARM_SIZE))
  return()
endif()

# One nested build directory, configured once with the arm-none-eabi toolchain and rebuilt
# incrementally; it builds the image and the allocating negative control.
set(fw_dir ${PROJECT_BINARY_DIR}/firmware-mps2-an386)
set(fw_image ${fw_dir}/examples/firmware/firmware_mps2_an386.elf)
set(fw_canary ${fw_dir}/examples/firmware/firmware_heap_canary.elf)
add_test(NAME thermo.firmware.mps2_an386_build
         COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${PROJECT_SOURCE_DIR} ${fw_dir}
                 --build-generator ${CMAKE_GENERATOR} --build-target firmware_mps2_an386_images
                 --build-noclean
                 --build-options
                   -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchains/arm-none-eabi.cmake
                   -DCMAKE_BUILD_TYPE=MinSizeRel -DTHERMO_BUILD_TESTS=OFF
                   -DTHERMO_BUILD_BENCHMARKS=OFF -DTHERMO_BUILD_EXAMPLES=ON -DTHERMO_INSTALL=OFF)
set_tests_properties(thermo.firmware.mps2_an386_build PROPERTIES
                     LABELS "firmware;cortex_m4" FIXTURES_SETUP thermo_fw_image TIMEOUT 600)

add_test(NAME thermo.firmware.mps2_an386_symbols
         COMMAND ${CMAKE_COMMAND} -DNM=${THERMO_ARM_NM} -DSIZE=${THERMO_ARM_SIZE} -DIMAGE=${fw_image}
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/check_image.cmake)
set_tests_properties(thermo.firmware.mps2_an386_symbols PROPERTIES
                     LABELS "firmware;cortex_m4" FIXTURES_REQUIRED thermo_fw_image
                     PASS_REGULAR_EXPRESSION "no heap, exception or RTTI symbols")

# The check must not be vacuous: on an image that calls malloc and operator new it fails and
# names them (the pass expression needs both names in the failure message).
add_test(NAME thermo.firmware.mps2_an386_symbol_check_rejects_heap
         COMMAND ${CMAKE_COMMAND} -DNM=${THERMO_ARM_NM} -DSIZE=${THERMO_ARM_SIZE} -DIMAGE=${fw_canary}
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/check_image.cmake)
set_tests_properties(thermo.firmware.mps2_an386_symbol_check_rejects_heap PROPERTIES
                     LABELS "firmware;cortex_m4" FIXTURES_REQUIRED thermo_fw_image
                     PASS_REGULAR_EXPRESSION "links heap/exception/RTTI symbols:.*  _Znwj\n.*  malloc\n")

if(THERMO_QEMU_ARM)
  add_test(NAME thermo.firmware.mps2_an386_matches_host
           COMMAND ${CMAKE_COMMAND} -DQEMU=${THERMO_QEMU_ARM} -DIMAGE=${fw_image}
                   -DHOST=$<TARGET_FILE:firmware_decisions>
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/run_and_compare.cmake)
  set_tests_properties(thermo.firmware.mps2_an386_matches_host PROPERTIES
                       LABELS "firmware;cortex_m4;qemu" FIXTURES_REQUIRED thermo_fw_image TIMEOUT 180)
endif()
