# The examples that write SVG are run by thermo_io_tests (examples_test.cpp), which parses their
# output as XML.
if(THERMO_BUILD_EXAMPLES)
  add_dependencies(thermo_io_tests die_package_board)
  target_compile_definitions(thermo_io_tests PRIVATE THERMO_EXAMPLES_DIR="${PROJECT_BINARY_DIR}/examples")
endif()
