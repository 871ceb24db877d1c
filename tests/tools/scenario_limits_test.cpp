// `thermo simulate` on bad scenarios (tests/data/bad/scenario/): every limit of the format is
// checked before the run and named in a one-line error at the file's line. Each file says what
// it expects on its first line: `# expect: TEXT` (in the error, which starts with the file name),
// or `# warn: TEXT`
// (it runs, with that warning at set-up and a critical trip flagged unhandled in the metrics).
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "scenario.hpp"
#include "simulate.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string bad_dir() { return std::string(THERMO_TEST_DATA_DIR) + "/bad/scenario"; }

/// The error of parsing, building or starting `text` (named `path`), or "" when it builds.
std::string first_error(const std::string& text, const std::string& path) {
  auto s = parse_scenario(text, path);
  if (!s) {
    return s.message();
  }
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  return b.ok() ? std::string() : b.message();
}

}  // namespace

TEST_CASE("Bad scenarios are refused before the run, naming the line and the limit", "[scenario][limits]") {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(bad_dir())) {
    if (e.path().extension() != ".scn") {
      continue;
    }
    const std::string path = e.path().string();
    const auto text = read_input(path);
    REQUIRE(text.ok());
    const std::string first = text->substr(0, text->find('\n'));
    if (first.rfind("# expect: ", 0) != 0) {
      continue;
    }
    const std::string want = first.substr(10);
    INFO(path);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string got = first_error(*text, path);
    INFO(got);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));  // refused, not run
    CHECK(got.rfind(path + ":", 0) == 0);  // names the file …
    CHECK(got.find(want) != std::string::npos);  // … the line, and what is wrong
    CHECK(got.find('\n') == std::string::npos);
    ++n;
  }
  CHECK(n >= 20);
}

TEST_CASE("A zone that is never polled and gets no interrupt: warned at set-up, flagged in the metrics", "[scenario][limits][cli]") {
  namespace fs = std::filesystem;
  const std::string scn = bad_dir() + "/polling-delay-0-no-interrupt.scn";
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / "scenario_limits_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string metrics = (dir / "m.json").string();
  std::ostringstream err;
  CHECK(dispatch("simulate", {scn, "--trace", (dir / "t.csv").string(), "--metrics", metrics, "--plot", (dir / "p.svg").string()},
                 err) == exit_ok);
  CHECK(err.str().find("thermo simulate: warning: " + scn +
                       ":15: [zone cpu0-thermal]: its polling-delay is 0 and sensor s raises no interrupt (interrupt = no)") == 0);
  const auto json = read_input(metrics);
  REQUIRE(json.ok());
  CHECK(json->find("\"unhandled_critical\": true") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("Section counts are checked as sections appear, before any quadratic work", "[scenario][limits]") {
  std::string text = "[run]\nduration = 1 s\n[soc]\npreset = rk3399\n";
  for (int k = 0; k < 10'000; ++k) {
    text += "[node n" + std::to_string(k) + "]\ncapacitance = 1\n";
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::string got = first_error(text, "x.scn");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
  // the 33rd [node] section, at line 5 + 2·32
  CHECK(got == "x.scn:69: more than 32 [node] sections (io::scenario_limits::max_nodes)");
  std::string sensors = "[run]\nduration = 1 s\n";
  for (int k = 0; k < 17; ++k) {
    sensors += "[sensor s" + std::to_string(k) + "]\n";
  }
  CHECK(first_error(sensors, "x.scn") == "x.scn:19: more than 16 [sensor] sections (io::scenario_limits::max_sensors)");
  std::string events = "[run]\nduration = 1 s\n[events]\n";
  for (int k = 0; k < 300; ++k) {
    events += "1 s = ambient 30\n";
  }
  CHECK(first_error(events, "x.scn") == "x.scn:260: more than 256 events (io::scenario_limits::max_events)");
}

TEST_CASE("Durations at the limit still parse, and the progress loop cannot overflow", "[scenario][limits]") {
  const std::string base = "[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n";
  auto s = parse_scenario("[run]\nduration = 1000 h\nrecord_interval = 0 s\n" + base, "x.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(s->duration == std::chrono::hours(1000));
  CHECK(io::scenario_limits::max_duration * 200 > io::scenario_limits::max_duration);  // no overflow in the chunks
  CHECK(first_error("[run]\nduration = 1000 h\nduration = 1 s\n" + base, "x.scn") == "x.scn:3: duration given twice in [run] (first at line 2)");
}

TEST_CASE("latency --simulate refuses a ramp whose runs would not end", "[limits][cli]") {
  std::ostringstream err;
  CHECK(dispatch("latency", {"--simulate", "--ramp", "1e-6"}, err) == exit_usage);  // below --ramp's range (0.001)
  CHECK(err.str().find("thermo latency: bad --ramp") == 0);
  std::ostringstream err1;  // the slowest ramp allowed, with the default periods: 3.3e7 polls in all
  CHECK(dispatch("latency", {"--simulate", "--ramp", "0.001"}, err1) == exit_usage);
  CHECK(err1.str().find("thermo latency: --simulate with --ramp 0.001: its runs would take about ") == 0);
  CHECK(err1.str().find("raise --ramp or drop --simulate\n") != std::string::npos);
  std::ostringstream err2;
  CHECK(dispatch("latency", {"--simulate", "--ramp", "0.01", "--period", "1 ms"}, err2) == exit_usage);
  CHECK(err2.str() == "thermo latency: --simulate with --ramp 0.01: its runs would take about 3.26e+08 polls to reach the "
                      "trip, above the limit of 1e+07 (cli::latency_max_sim_events); raise --ramp or drop --simulate\n");
}

TEST_CASE("A scenario with heat but nothing to run warns that its parts only idle", "[scenario][limits]") {
  const std::string text = "[run]\nduration = 1 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n[heat big]\nnodes = big\n"
                           "[sensor s0]\nnode = big\n[zone cpu-thermal]\nsensor = s0\n";
  auto s = parse_scenario(text, "x.scn");
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  REQUIRE(b.ok());
  REQUIRE((*b)->warnings.size() == 1);
  CHECK((*b)->warnings[0] ==
        "x.scn:11: no [workload] section and no 'power' event: the simulated parts only idle (the file ends in [zone cpu-thermal] at "
        "line 11: cut short?)");
}
