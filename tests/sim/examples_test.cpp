// The simulation examples run, print what the tutorial and the docs quote, and write well-formed
// SVG, CSV and JSON lines.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "run_example.hpp"
#include "support/xml_check.hpp"
#include "thermo/io/json.hpp"

#ifdef THERMO_SIM_EXAMPLES_DIR
using thermo::test::run_command;
using thermo::test::slurp_file;

TEST_CASE("sim_scenario runs the tutorial's scenario and writes its trace and plot", "[examples]") {
  const std::string dir = std::string(THERMO_BINARY_DIR) + "/sim_scenario_test";
  const std::string svg = dir + ".svg";
  const std::string csv = dir + ".csv";
  const std::string jsonl = dir + ".jsonl";
  int status = -1;
  const std::string out = run_command(std::string(THERMO_SIM_EXAMPLES_DIR) + "/sim_scenario --seconds 180 --plot " +
                                          svg + " --csv " + csv + " --jsonl " + jsonl,
                                      status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("run: completed at 180.000 s, 901 trace rows") != std::string::npos);
  CHECK(out.find("cpu-thermal: peak") != std::string::npos);
  CHECK(out.find("interrupts") != std::string::npos);
  CHECK(out.find("inference:") != std::string::npos);
  CHECK(thermo::test::xml_check(slurp_file(svg)).empty());
  const std::string c = slurp_file(csv);
  CHECK(c.rfind("time_s,event,source,T_die_C,", 0) == 0);
  const std::string j = slurp_file(jsonl);
  const auto first_line = j.substr(0, j.find('\n'));
  CHECK(thermo::io::parse_json(first_line).has_value());
}

TEST_CASE("sim_rk3399 holds the board at the control temperature and plots it", "[examples]") {
  const std::string svg = std::string(THERMO_BINARY_DIR) + "/sim_rk3399_test.svg";
  int status = -1;
  const std::string out = run_command(std::string(THERMO_SIM_EXAMPLES_DIR) + "/sim_rk3399 --seconds 900 --plot " + svg, status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("power allocator: completed at 900.0 s") != std::string::npos);
  CHECK(out.find("unthrottled reference: completed at 900.0 s") != std::string::npos);
  CHECK(thermo::test::xml_check(slurp_file(svg)).empty());
}

TEST_CASE("the simulation examples reject bad arguments with a usage message", "[examples]") {
  for (const char* cmd : {"/sim_scenario --bogus", "/sim_scenario --seconds -3", "/sim_rk3399 --plot"}) {
    int status = -1;
    const std::string out = run_command(std::string(THERMO_SIM_EXAMPLES_DIR) + cmd + " 2>&1", status);
    INFO(cmd << ": " << out);
    CHECK(status != 0);
    CHECK((out.find("usage:") != std::string::npos || out.find("needs a positive") != std::string::npos));
  }
}
#endif
