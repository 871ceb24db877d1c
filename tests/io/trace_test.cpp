// io/trace.hpp and io/run_plot.hpp: a recorded run as CSV and JSON lines (the same rows; JSON
// parses), and its SVG plot (well-formed XML with axes, a legend and trip lines).
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/recorder_rig.hpp"
#include "support/xml_check.hpp"
#include "thermo/io/json.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::rig;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("CSV and JSON lines carry the same rows, and JSON parses", "[io][trace]") {
  sim::sim_options o;
  o.record_interval = 500ms;
  rig r(o);
  r.s->run_until(sim_time{3s});
  std::ostringstream csv;
  io::write_csv(r.rec, csv);
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);
  CHECK(line == "time_s,event,source,T_die_C,T_board_C,sensed_die_C,zone_cpu-thermal_C,f_cpu_MHz,u_cpu,run_cpu,P_cpu_W,state_cpufreq-cpu0,twice_die_C");
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
  }
  CHECK(n == r.rec.rows());
  std::ostringstream js;
  io::write_jsonl(r.rec, js);
  std::istringstream jl(js.str());
  std::size_t row = 0;
  while (std::getline(jl, line)) {
    auto v = io::parse_json(line);
    REQUIRE(v);
    CHECK(v->at("time_s").as_double() == Approx(to_seconds(r.rec.time(row))));
    CHECK(v->at("event").as_string() == std::string(sim::to_string(r.rec.kind(row))));
    CHECK(v->at("T_die_C").as_double() == Approx(r.rec.value(row, 0)).epsilon(1e-9));
    ++row;
  }
  CHECK(row == r.rec.rows());
  const std::string path = std::string(THERMO_BINARY_DIR) + "/io_trace_test.csv";
  REQUIRE(io::save_csv(r.rec, path) == errc::ok);
  CHECK(slurp(path) == csv.str());
  CHECK(io::save_csv(r.rec, "/nonexistent-dir/x.csv") == errc::io_error);
  CHECK(io::save_jsonl(r.rec, "/nonexistent-dir/x.jsonl") == errc::io_error);
}

TEST_CASE("the plot of a run is well-formed SVG with axes, a legend and trip lines", "[io][trace][svg]") {
  sim::sim_options o;
  o.record_interval = 100ms;
  rig r(o);
  r.s->run_until(sim_time{60s});
  io::run_plot_options po;
  po.title = "step_wise on a die & board <test>";
  po.node_temperatures = true;
  po.zone_readings = true;
  const auto lines = io::trip_lines(*r.s);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].label == "cpu-thermal passive");
  CHECK(lines[1].celsius == 90.0);
  const auto fig = io::plot_run(r.rec, lines, po);
  const std::string doc = fig.render();
  CHECK(test::xml_check(doc).empty());
  for (const char* text : {"temperature (°C)", "frequency (MHz)", "power (W)", "time (s)", "sensed_die (sensed)",
                           "cpu-thermal passive 35 °C", "f_cpu", "P_cpu", "&lt;test&gt;"}) {
    INFO(text);
    CHECK(doc.find(text) != std::string::npos);
  }
  const std::string path = std::string(THERMO_BINARY_DIR) + "/io_run_plot_test.svg";
  REQUIRE(fig.save(path) == errc::ok);
  CHECK(test::xml_check(slurp(path)).empty());
}
