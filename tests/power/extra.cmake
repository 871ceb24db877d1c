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

# examples/energy_model: for every preset, the CSV header, one row per OPP and every value equal
# to soc-data.json, the summary and an SVG plot; an unknown SoC exits 2 listing the known ones.
# (examples/ is configured after tests/, so the target is named by generator expression.)
if(Python3_Interpreter_FOUND AND THERMO_BUILD_EXAMPLES AND NOT CMAKE_CROSSCOMPILING)
  foreach(soc rk3399 hi3660 mt8183 mt8173 exynos5422 rk3588)
    add_test(NAME thermo.power.energy_model_example.${soc}
             COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/check_energy_model.py
                     $<TARGET_FILE:energy_model> ${THERMO_SHARED_DIR}/data/soc-data.json ${soc}
                     ${PROJECT_BINARY_DIR}/energy_model_${soc}.svg)
  endforeach()
  add_test(NAME thermo.power.energy_model_example.unknown_soc
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/check_energy_model.py
                   $<TARGET_FILE:energy_model> --unknown)
endif()
