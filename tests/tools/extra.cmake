# Extra rules for the tools area (included from tests/CMakeLists.txt after the suites).

# Device-tree sources written for the tests (tests/data/dts/*.dts) are compiled with dtc into
# ${PROJECT_BINARY_DIR}/dtb/ at build time; thermo_io_tests (fdt reader, import, blob mutation)
# and thermo_tools_tests (replay) read the blobs from there. scripts/test.sh installs dtc
# (Debian: device-tree-compiler) when it is missing.
find_program(THERMO_DTC dtc DOC "device-tree compiler (Debian: device-tree-compiler)")
file(GLOB thermo_test_dts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/dts/*.dts)
set(thermo_dtb_dir ${PROJECT_BINARY_DIR}/dtb)
if(THERMO_DTC)
  set(thermo_test_dtbs)
  foreach(dts IN LISTS thermo_test_dts)
    get_filename_component(name ${dts} NAME_WE)
    set(dtb ${thermo_dtb_dir}/${name}.dtb)
    add_custom_command(OUTPUT ${dtb}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${thermo_dtb_dir}
                       COMMAND ${THERMO_DTC} -q -I dts -O dtb -o ${dtb} ${dts}
                       DEPENDS ${dts}
                       COMMENT "dtc ${name}.dts"
                       VERBATIM)
    list(APPEND thermo_test_dtbs ${dtb})
  endforeach()
  add_custom_target(thermo_test_dtbs DEPENDS ${thermo_test_dtbs})
  add_dependencies(thermo_io_tests thermo_test_dtbs)
  add_dependencies(thermo_tools_tests thermo_test_dtbs)
else()
  # The suites then fail with a message naming dtc instead of passing without their blobs.
  message(WARNING "dtc not found: install device-tree-compiler; the device-tree tests will fail")
endif()
foreach(suite thermo_io_tests thermo_tools_tests)
  target_compile_definitions(${suite} PRIVATE THERMO_DTB_DIR="${thermo_dtb_dir}")
endforeach()
target_include_directories(thermo_tools_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/thermo)
target_compile_definitions(thermo_tools_tests PRIVATE THERMO_VERSION="${PROJECT_VERSION}")
