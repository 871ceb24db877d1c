// `thermo replay --ftrace` (tools/thermo/replay_ftrace.hpp): an ftrace text drives the zone and
// thermo's decisions are compared with the kernel's cdev_update and thermal_zone_trip events.
// The RK3399 traces in tests/data/traces/ftrace-replay/ were worked out by hand from the
// 6.12 rules (kernel-reference §1.3, §2.1); the power-allocator cases check that the loads and
// frequencies a trace carries reach the actors, by comparison with the CSV replay of the same
// loads and frequencies.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "replay.hpp"
#include "replay_ftrace.hpp"
#include "system_source.hpp"
#include "thermo/io/file.hpp"
#include "zone_system.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string data_file(const std::string& name) {
  std::string text;
  // io::read_file rather than istreambuf_iterator (gcc 12 -O3 warns on the latter: -Wnull-dereference)
  const io::file_error e = io::read_file(std::string(THERMO_TEST_DATA_DIR) + "/traces/ftrace-replay/" + name, text);
  INFO(e.message);
  REQUIRE(e.ok());
  return text;
}

std::unique_ptr<zone_system> build(const std::string& soc, const std::string& zone, const std::string& governor) {
  auto src = load_preset(soc);
  REQUIRE(src.ok());
  auto sys = zone_system::build(src->description(), src->dt(), zone, governor);
  INFO(sys.message());
  REQUIRE(sys.ok());
  return std::move(*sys);
}

/// `text` without the first line that contains `what`.
std::string without_line(std::string text, const std::string& what) {
  const std::size_t at = text.find(what);
  REQUIRE(at != std::string::npos);
  const std::size_t begin = text.rfind('\n', at) + 1;
  const std::size_t end = text.find('\n', at);
  text.erase(begin, end - begin + 1);
  return text;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) {
    out.push_back(l);
  }
  return out;
}

const std::vector<std::int32_t> hi3660_temps{60000, 70000, 76000, 78000, 80000, 77000, 74000, 70000, 64000};

/// A HiKey960 cls0-thermal trace: each update's temperature, then the cpufreq cooling devices'
/// thermal_power_cpu_get_power (little CPUs 0-3, big 4-7) unless `get_power` is false.
std::string hi3660_trace(std::uint32_t little_load, std::uint32_t big_load, std::uint32_t little_khz, std::uint32_t big_khz,
                         bool get_power) {
  std::string t = "# tracer: nop\n";
  std::int32_t prev = 55000;
  std::int64_t us = 500'000'000;
  for (const std::int32_t temp : hi3660_temps) {
    const std::string ts = std::to_string(us / 1'000'000) + "." + std::to_string(1'000'000 + us % 1'000'000).substr(1);
    t += "     kworker/0:1-40      [000] ....   " + ts + ": thermal_temperature: thermal_zone=cls0-thermal id=1 temp_prev=" +
         std::to_string(prev) + " temp=" + std::to_string(temp) + "\n";
    if (get_power) {
      const std::string l = std::to_string(little_load);
      const std::string b = std::to_string(big_load);
      t += "     kworker/0:1-40      [000] ....   " + ts + ": thermal_power_cpu_get_power: cpus=0000000f freq=" +
           std::to_string(little_khz) + " load={" + l + "," + l + "," + l + "," + l + "} dynamic_power=100\n";
      t += "     kworker/0:1-40      [000] ....   " + ts + ": thermal_power_cpu_get_power: cpus=000000f0 freq=" +
           std::to_string(big_khz) + " load={" + b + "," + b + "," + b + "," + b + "} dynamic_power=100\n";
    }
    prev = temp;
    us += 100'000;
  }
  return t;
}

/// The CSV replay of the same updates (primed at 55 °C like the ftrace replay), as a states table:
/// one "cpu0state,cpu4state" per update after the priming row.
std::vector<std::string> csv_states(std::uint32_t little_load, std::uint32_t big_load, std::uint32_t little_khz,
                                    std::uint32_t big_khz) {
  auto sys = build("hi3660", "cls0-thermal", "power_allocator");
  std::string csv = "temperature,load:cpu0,load:cpu1,load:cpu2,load:cpu3,load:cpu4,load:cpu5,load:cpu6,load:cpu7,freq:cpu0,freq:cpu4\n";
  const auto row = [&](std::int32_t temp) {
    const std::string l = std::to_string(little_load);
    const std::string b = std::to_string(big_load);
    csv += std::to_string(temp) + "," + l + "," + l + "," + l + "," + l + "," + b + "," + b + "," + b + "," + b + "," +
           std::to_string(little_khz) + "," + std::to_string(big_khz) + "\n";
  };
  row(55000);
  for (const std::int32_t t : hi3660_temps) {
    row(t);
  }
  auto tr = parse_trace(csv, "hi3660.csv", *sys);
  INFO(tr.message());
  REQUIRE(tr.ok());
  auto out = run_replay(*sys, *tr);
  REQUIRE(out.ok());
  std::vector<std::string> states;
  const std::vector<std::string> lines = lines_of(*out);
  for (std::size_t k = 2; k < lines.size(); ++k) {  // the header, then the priming row
    std::vector<std::string> f;
    std::istringstream in(lines[k]);
    for (std::string x; std::getline(in, x, ',');) {
      f.push_back(x);
    }
    states.push_back(f[6] + "," + f[7]);  // state:cpufreq-cpu0, state:cpufreq-cpu4
  }
  return states;
}

/// thermo's states of the ftrace replay's CSV, one "cpu0state,cpu4state" per update.
std::vector<std::string> ftrace_states(const std::string& csv) {
  std::vector<std::string> states;
  const std::vector<std::string> lines = lines_of(csv);
  REQUIRE(lines.front() ==
          "time_s,temperature,logged:cpufreq-cpu0,thermo:cpufreq-cpu0,logged:cpufreq-cpu4,thermo:cpufreq-cpu4,logged_trips,"
          "thermo_trips,line");
  for (std::size_t k = 1; k < lines.size(); ++k) {
    std::vector<std::string> f;
    std::istringstream in(lines[k]);
    for (std::string x; std::getline(in, x, ',');) {
      f.push_back(x);
    }
    states.push_back(f[3] + "," + f[5]);
  }
  return states;
}

}  // namespace

TEST_CASE("An RK3399 step_wise ftrace that Linux 6.12 logged replays with every decision matching", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  std::ostringstream csv;
  const auto rep = run_ftrace_replay(*sys, data_file("rk3399-step_wise.txt"), "sw.txt", &csv);
  INFO(rep.message());
  REQUIRE(rep.ok());
  CHECK(rep->updates == 14);
  CHECK(rep->first_line == 7);
  CHECK(rep->last_line == 62);
  CHECK(rep->primed_at == 58000);
  CHECK(rep->cooling_match == 8);  // four updates with a cdev_update of each cluster
  CHECK(rep->cooling_differ == 0);
  CHECK(rep->trips_match == 12);
  CHECK(rep->trips_differ == 0);
  CHECK(rep->all_match());
  CHECK(rep->notes.empty());
  const std::vector<std::string> rows = lines_of(csv.str());
  REQUIRE(rows.size() == 15);
  CHECK(rows[0] ==
        "time_s,temperature,logged:cpufreq-cpu4,thermo:cpufreq-cpu4,logged:cpufreq-cpu0,thermo:cpufreq-cpu0,logged_trips,thermo_trips,line");
  CHECK(rows[1] == "1000.000000,60000,,0,,0,,,7");
  CHECK(rows[6] == "1001.400000,78000,2,2,2,2,0;1,0;1,24");
  CHECK(rows[11] == "1001.900000,72900,0,0,0,0,0,0,51");
  const std::string report = format_ftrace_report(*rep, "sw.txt");
  CHECK(report ==
        "replayed 14 updates of cpu-thermal (step_wise) from sw.txt, lines 7..62\n"
        "the zone was enabled at 58000 m°C first (temp_prev of the first update); the governor's state before the trace is not in it\n"
        "cooling decisions: 8 match, 0 differ\n"
        "trips: 12 match, 0 differ\n"
        "thermo agrees with the kernel's log\n");
}

TEST_CASE("A cooling decision that differs is reported with the logged event's line", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  const auto rep = run_ftrace_replay(*sys, data_file("rk3399-step_wise-diverges.txt"), "d.txt", nullptr);
  REQUIRE(rep.ok());
  CHECK(rep->cooling_match == 7);
  CHECK(rep->cooling_differ == 1);
  CHECK(rep->trips_differ == 0);
  CHECK_FALSE(rep->all_match());
  REQUIRE(rep->first_cooling);
  CHECK(rep->first_cooling->line == 39);
  CHECK(rep->first_cooling->time_ns == 1'001'600'000'000);
  CHECK(rep->first_cooling->what == "cpufreq-cpu0: logged target=2, thermo target=1 (update at 77000 m°C, line 35)");
  const std::string report = format_ftrace_report(*rep, "d.txt");
  CHECK(report.find("cooling decisions: 7 match, 1 differ; first difference at 1001.600000 s (d.txt:39): cpufreq-cpu0: logged "
                    "target=2, thermo target=1") != std::string::npos);
  CHECK(report.ends_with("thermo differs from the kernel's log\n"));
}

TEST_CASE("A cdev_update the kernel did not log is a difference at the update's line", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  const std::string text = without_line(data_file("rk3399-step_wise.txt"), "1001.600050: cdev_update");
  const auto rep = run_ftrace_replay(*sys, text, "t.txt", nullptr);
  REQUIRE(rep.ok());
  CHECK(rep->cooling_differ == 1);
  REQUIRE(rep->first_cooling);
  CHECK(rep->first_cooling->line == 37);  // the update at 1001.6 s: the line of its thermal_temperature
  CHECK(rep->first_cooling->what == "cpufreq-cpu4: logged none, thermo target=1 (update at 77000 m°C, line 37)");
}

TEST_CASE("Trips that differ are reported with the update and thermo's governor", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  const std::string text = without_line(data_file("rk3399-step_wise.txt"), "1001.500020: thermal_zone_trip");
  const auto rep = run_ftrace_replay(*sys, text, "t.txt", nullptr);
  REQUIRE(rep.ok());
  CHECK(rep->trips_match == 11);
  CHECK(rep->trips_differ == 1);
  CHECK(rep->cooling_differ == 0);
  REQUIRE(rep->first_trips);
  CHECK(rep->first_trips->line == 30);
  CHECK(rep->first_trips->what == "logged trips {0}, thermo's step_wise {0;1} (update at 78000 m°C, line 30)");
  SECTION("fair_share logs only the highest reached trip, power_allocator none") {
    auto fs = build("rk3399", "cpu-thermal", "fair_share");
    const auto r = run_ftrace_replay(*fs, data_file("rk3399-step_wise.txt"), "t.txt", nullptr);
    REQUIRE(r.ok());
    REQUIRE(r->first_trips);
    CHECK(r->first_trips->what == "logged trips {0;1}, thermo's fair_share {1} (update at 76000 m°C, line 18)");
    CHECK(r->trips_match == 6);   // trip 0 alone reached: fair_share logs it too
    CHECK(r->trips_differ == 6);  // trips 0 and 1 reached: fair_share logs only 1
    auto pa = build("rk3399", "cpu-thermal", "power_allocator");
    const auto q = run_ftrace_replay(*pa, data_file("rk3399-step_wise.txt"), "t.txt", nullptr);
    REQUIRE(q.ok());
    REQUIRE(q->first_trips);
    CHECK(q->first_trips->what == "logged trips {0}, thermo's power_allocator {} (update at 66000 m°C, line 9)");
    CHECK(q->trips_differ == 12);
  }
}

TEST_CASE("Another zone's update is told apart by its task", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  // without gpu-thermal's thermal_temperature, its task's cdev_update counts as cpu-thermal's
  const std::string text =
      without_line(data_file("rk3399-step_wise.txt"), "thermal_temperature:  thermal_zone=gpu-thermal");
  const auto rep = run_ftrace_replay(*sys, text, "t.txt", nullptr);
  REQUIRE(rep.ok());
  CHECK(rep->cooling_differ == 1);
  REQUIRE(rep->first_cooling);
  CHECK(rep->first_cooling->what == "cpufreq-cpu0: logged target=3, thermo none (update at 78000 m°C, line 30)");
}

TEST_CASE("A timestamp that goes backwards does not move the zone's clock back", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  std::string text = data_file("rk3399-step_wise.txt");
  const std::size_t at = text.find("1001.500000: thermal_temperature");
  REQUIRE(at != std::string::npos);
  text.replace(at, 11, "0999.500000");
  const auto rep = run_ftrace_replay(*sys, text, "t.txt", nullptr);
  REQUIRE(rep.ok());
  CHECK(rep->updates == 14);
  CHECK(rep->all_match());
}

TEST_CASE("ftrace replay errors name the trace, the line and what is wrong", "[replay][ftrace]") {
  auto sys = build("rk3399", "cpu-thermal", "step_wise");
  const auto err = [&](const std::string& text) { return run_ftrace_replay(*sys, text, "t.txt", nullptr).message(); };
  CHECK(err(data_file("gpu-thermal-only.txt")) == "t.txt: no thermal_temperature event of zone 'cpu-thermal' (the trace has zones: gpu-thermal)");
  CHECK(err("# tracer: nop\n") ==
        "t.txt: no thermal_temperature event of zone 'cpu-thermal' (the trace has no thermal_temperature event: record with "
        "trace-cmd record -e thermal)");
  CHECK(err(data_file("malformed.txt")) == "t.txt:4: thermal_temperature: bad value '70C' for temp (integer)");
}

TEST_CASE("The power allocator takes loads and frequencies from the trace", "[replay][ftrace][power_allocator]") {
  SECTION("the states equal the CSV replay's of the same loads and frequencies") {
    for (const auto& [ll, bl, lf, bf] : {std::tuple{100U, 100U, 1844000U, 2362000U}, std::tuple{50U, 80U, 1402000U, 1805000U}}) {
      auto sys = build("hi3660", "cls0-thermal", "power_allocator");
      std::ostringstream csv;
      const auto rep = run_ftrace_replay(*sys, hi3660_trace(ll, bl, lf, bf, true), "pa.txt", &csv);
      INFO(rep.message());
      REQUIRE(rep.ok());
      // (the synthetic trace logs no cdev_update: the one note says so)
      REQUIRE(rep->notes.size() == 1);
      CHECK(rep->notes[0].starts_with("the trace holds no cdev_update event at all"));
      CHECK(ftrace_states(csv.str()) == csv_states(ll, bl, lf, bf));
    }
    CHECK(csv_states(100, 100, 1844000, 2362000) != csv_states(50, 80, 1402000, 1805000));
  }
  SECTION("without them the report says what thermo assumed") {
    auto sys = build("hi3660", "cls0-thermal", "power_allocator");
    const auto rep = run_ftrace_replay(*sys, hi3660_trace(0, 0, 0, 0, false), "pa.txt", nullptr);
    REQUIRE(rep.ok());
    REQUIRE(rep->notes.size() == 5);  // load and frequency of each policy, no cdev_update
    CHECK(rep->notes[0].starts_with("cpufreq-cpu0: 9 of 9 updates have no load in the trace (thermal_power_cpu_get_power; "));
    CHECK(rep->notes[0].ends_with("so this comparison is indicative"));
    CHECK(rep->notes[1] == "cpufreq-cpu0: 9 of 9 updates have no frequency in the trace (cpu_frequency or "
                           "thermal_power_cpu_get_power): thermo assumed the device's cap");
  }
  SECTION("cpu_frequency events give a policy's frequency; one that is no OPP is an error with its line") {
    auto sys = build("hi3660", "cls0-thermal", "power_allocator");
    const std::string text = "     kworker/0:1-40      [000] ....   499.900000: cpu_frequency: state=1844000 cpu_id=1\n"
                             "     kworker/0:1-40      [000] ....   499.950000: cpu_frequency: state=1234567 cpu_id=5\n" +
                             hi3660_trace(0, 0, 0, 0, false);
    CHECK(run_ftrace_replay(*sys, text, "f.txt", nullptr).message() ==
          "f.txt:2: frequency 1234567 kHz is not an OPP of cpufreq big (903000, 1421000, 1805000, 2112000, 2362000 kHz)");
    auto ok = build("hi3660", "cls0-thermal", "power_allocator");
    const std::string good = "     kworker/0:1-40      [000] ....   499.900000: cpu_frequency: state=1844000 cpu_id=1\n"
                             "     kworker/0:1-40      [000] ....   499.950000: cpu_frequency: state=1805000 cpu_id=5\n" +
                             hi3660_trace(0, 0, 0, 0, false);
    const auto rep = run_ftrace_replay(*ok, good, "f.txt", nullptr);
    REQUIRE(rep.ok());
    REQUIRE(rep->notes.size() == 3);  // loads of both policies, no cdev_update; the frequencies are known
    CHECK(std::none_of(rep->notes.begin(), rep->notes.end(), [](const std::string& n) { return n.find("no frequency") != std::string::npos; }));
  }
}
