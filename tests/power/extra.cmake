# Power-area tests beyond the Catch2 suite (included by tests/CMakeLists.txt).

find_package(Python3 COMPONENTS Interpreter)

# The preset headers are generated from ../shared/data/soc-data.json by tools/gen_presets.py and
# committed. Regenerate them into the build tree and fail if the committed ones differ (stale).
if(Python3_Interpreter_FOUND)
  add_test(NAME thermo.power.presets_up_to_date
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tools/gen_presets.py
                   --data ${THERMO_SHARED_DIR}/data/soc-data.json
                   --output-dir ${PROJECT_BINARY_DIR}/presets_check
                   --compare-with ${PROJECT_SOURCE_DIR}/include/thermo/presets)
else()
  message(STATUS "thermo: Python 3 not found, skipping the preset staleness test")
endif()
