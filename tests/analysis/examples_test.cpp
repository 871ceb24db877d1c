// examples/detection_latency prints the analytic and simulated table and plots it.
#include <catch2/catch.hpp>

#include <string>

#include "../sim/run_example.hpp"
#include "support/xml_check.hpp"

#ifdef THERMO_ANALYSIS_EXAMPLES_DIR
TEST_CASE("detection_latency prints the polling/interrupt table and a valid SVG and CSV", "[examples]") {
  const std::string svg = std::string(THERMO_BINARY_DIR) + "/detection_latency_test.svg";
  const std::string csv = std::string(THERMO_BINARY_DIR) + "/detection_latency_test.csv";
  int status = -1;
  const std::string out = thermo::test::run_command(
      std::string(THERMO_ANALYSIS_EXAMPLES_DIR) + "/detection_latency --plot " + svg + " --csv " + csv, status);
  INFO(out);
  REQUIRE(status == 0);
  // The motivating example: 1 s polling, 0.5 °C/ms, fine sensor: 500 ms and 250 °C on average.
  CHECK(out.find("polling       1000    0.1 |     500.10     500.10 |") != std::string::npos);
  CHECK(out.find("interrupt        -    1.0 |") != std::string::npos);
  CHECK(thermo::test::xml_check(thermo::test::slurp_file(svg)).empty());
  CHECK(thermo::test::slurp_file(csv).rfind("mode,period_s,ramp_C_per_s,", 0) == 0);
  int bad = -1;
  thermo::test::run_command(std::string(THERMO_ANALYSIS_EXAMPLES_DIR) + "/detection_latency --oops 2>/dev/null", bad);
  CHECK(bad != 0);
}
#endif
