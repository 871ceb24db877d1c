// io/trace.hpp: a recorded run as CSV and JSON lines (the same rows; JSON parses). Its SVG plot
// is tested in run_plot_test.cpp.
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

