// io/trace.hpp and io/run_plot.hpp: a recorded run as CSV and JSON lines (the same rows; JSON
// parses), and its SVG plot (well-formed XML with axes, a legend and trip lines).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>
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

TEST_CASE("a trace streamed in blocks is the kept trace, byte for byte and hash for hash", "[io][trace][stream]") {
  sim::sim_options o;
  o.record_interval = 10ms;
  rig kept(o, 20000);
  kept.s->run_until(sim_time{60s});
  std::ostringstream want;
  io::write_csv(kept.rec, want);

  // 64-row blocks: the sink is attached after start (which records the first row), as the CLI does.
  rig streamed(o, 64);
  std::ostringstream got;
  io::csv_trace_writer csv(got);
  std::ostringstream jl;
  io::jsonl_trace_writer json(jl);
  io::trace_tee tee({&csv, &json});
  streamed.rec.set_sink(&tee);
  streamed.s->run_until(sim_time{60s});
  streamed.rec.flush();
  CHECK(streamed.rec.dropped() == 0);
  CHECK(streamed.rec.rows() == 0);
  CHECK(streamed.rec.total_rows() == kept.rec.rows());
  CHECK(streamed.rec.flushed() == kept.rec.rows());
  CHECK(streamed.rec.hash() == kept.rec.hash());
  CHECK(got.str() == want.str());
  std::ostringstream want_jl;
  io::write_jsonl(kept.rec, want_jl);
  CHECK(jl.str() == want_jl.str());
}

TEST_CASE("a flush with no rows still writes the CSV header, and without a sink flush keeps the rows", "[io][trace][stream]") {
  sim::recorder rec(8);
  rec.configure({{"T", "C", sim::channel_kind::node_temperature, 0}});
  std::ostringstream out;
  io::csv_trace_writer csv(out);
  rec.set_sink(&csv);
  rec.flush();
  CHECK(out.str() == "time_s,event,source,T_C\n");
  sim::recorder kept(8);
  kept.configure({{"T", "C", sim::channel_kind::node_temperature, 0}});
  const std::array<double, 1> v{1.0};
  REQUIRE(kept.append(sim_time{1s}, sim::event_kind::sample, 0, v));
  kept.flush();
  CHECK(kept.rows() == 1);
}

TEST_CASE("M4 decimation keeps each column's first, lowest, highest and last point, in order", "[io][svg][decimate]") {
  io::m4_decimator m4(0.0, 10.0, 10);
  // column 0: 0.0..0.9 with a dip and a peak; column 5: one point; column 9: x beyond the range
  const std::array<std::pair<double, double>, 8> pts{{{0.0, 5.0}, {0.2, 1.0}, {0.4, 9.0}, {0.6, 4.0}, {0.9, 6.0}, {5.5, 3.0}, {9.5, 2.0}, {12.0, 7.0}}};
  for (const auto& [x, y] : pts) {
    m4.add(x, y);
  }
  m4.add(9.7, std::numeric_limits<double>::quiet_NaN());  // skipped
  m4.finish();
  CHECK(m4.x() == std::vector<double>{0.0, 0.2, 0.4, 0.9, 5.5, 9.5, 12.0});
  CHECK(m4.y() == std::vector<double>{5.0, 1.0, 9.0, 6.0, 3.0, 2.0, 7.0});
}

TEST_CASE("the plot of a run of any length stays under 2 MB and keeps its extremes", "[io][svg][decimate][stream]") {
  // Two million 10 ms rows (5.6 h) streamed through a 4096-row block into the plot builder.
  sim::recorder rec(4096);
  rec.configure({{"T_die", "C", sim::channel_kind::sensor_temperature, 0},
                 {"f_cpu", "MHz", sim::channel_kind::frequency, 0},
                 {"P_cpu", "W", sim::channel_kind::power, 0}});
  const std::size_t rows = 2'000'000;
  io::run_plot_options po;
  io::run_plot_builder plot(po, 0.0, static_cast<double>(rows - 1) * 0.01);
  rec.set_sink(&plot);
  for (std::size_t r = 0; r < rows; ++r) {
    const double t = static_cast<double>(r) * 0.01;
    double temp = 50.0 + 10.0 * std::sin(t / 60.0) + 0.5 * std::sin(static_cast<double>(r) * 1.7);
    if (r == 1'234'567) {
      temp = 123.0;  // one 10 ms spike
    }
    if (r == 345'678) {
      temp = -7.0;
    }
    const std::array<double, 3> v{temp, r % 2 == 0 ? 1800.0 : 600.0, 2.0};
    REQUIRE(rec.append(sim_time{std::chrono::milliseconds(10 * r)}, sim::event_kind::sample, 0, v));
  }
  rec.flush();
  auto fig = plot.figure({});
  const std::string doc = fig.render();
  INFO(doc.size());
  CHECK(doc.size() < 2'000'000);
  CHECK(test::xml_check(doc).empty());
  // What is kept is bounded by the figure's width, and holds the spike and the dip.
  const auto& temp = fig.panels()[0].series().at(0);
  CHECK(temp.y.size() <= 4 * plot.columns());
  CHECK(*std::max_element(temp.y.begin(), temp.y.end()) == 123.0);
  CHECK(*std::min_element(temp.y.begin(), temp.y.end()) == -7.0);
  const auto& freq = fig.panels()[1].series().at(0);
  CHECK(*std::max_element(freq.y.begin(), freq.y.end()) == 1800.0);
  CHECK(*std::min_element(freq.y.begin(), freq.y.end()) == 600.0);
}
