# examples/detection_latency is run by thermo_analysis_tests (examples_test.cpp): its table is
# checked and its SVG parsed as XML.
if(THERMO_BUILD_EXAMPLES)
  add_dependencies(thermo_analysis_tests detection_latency)
  target_compile_definitions(thermo_analysis_tests PRIVATE THERMO_ANALYSIS_EXAMPLES_DIR="${PROJECT_BINARY_DIR}/examples")
endif()
