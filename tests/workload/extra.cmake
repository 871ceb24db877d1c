# Workload-area tests beyond the Catch2 suite (included by tests/CMakeLists.txt).

find_package(Python3 COMPONENTS Interpreter)

# presets/inference_models.hpp, compressors.hpp, storage.hpp and docs/explanation/
# inference-calibration.md are generated from ../shared/data/workloads.json by
# tools/gen_workload_presets.py and committed; this fails when they are stale.
if(Python3_Interpreter_FOUND)
  add_test(NAME thermo.workload.presets_up_to_date
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/gen_workload_presets.py
                   --data ${THERMO_SHARED_DIR}/data/workloads.json --check)
endif()

# The workload examples are run by thermo_workload_tests (examples_test.cpp), which checks their
# summaries and CSV and parses their SVG as XML. (examples/ is configured after tests/.)
if(THERMO_BUILD_EXAMPLES AND NOT CMAKE_CROSSCOMPILING)
  add_dependencies(thermo_workload_tests boot_cost dtpm_budget inference_tour inference_rk3399 inference_threads
                   inference_governors trace_replay)
  target_compile_definitions(thermo_workload_tests PRIVATE THERMO_EXAMPLES_DIR="${PROJECT_BINARY_DIR}/examples"
                             THERMO_EXAMPLES_DATA_DIR="${PROJECT_SOURCE_DIR}/examples/data")
endif()
