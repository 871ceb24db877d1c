// tools/thermo/run_metrics.hpp: the flat metrics of a run (names a sweep aligns columns by,
// values equal to the JSON metrics) and the printed summary built from the same numbers.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "run_metrics.hpp"
#include "simulate.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string examples_dir() { return std::string(THERMO_TEST_DATA_DIR) + "/../../examples/scenarios"; }

std::unique_ptr<sim_bundle> run_example(const std::string& name) {
  const auto text = read_input(examples_dir() + "/" + name);
  REQUIRE(text.ok());
  auto s = parse_scenario(*text, name);
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  INFO(b.message());
  REQUIRE(b.ok());
  static_cast<void>((*b)->sim.run_until(sim_time{s->duration}));
  return std::move(*b);
}

const metric* find(const std::vector<metric>& ms, const std::string& name) {
  const auto it = std::find_if(ms.begin(), ms.end(), [&](const metric& m) { return m.name == name; });
  return it == ms.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("flat_metrics names every metric once, in a stable order, with the run's values", "[run_metrics]") {
  const auto b = run_example("rk3399-big-cores-flat-out.scn");
  const auto ms = flat_metrics(*b);
  const auto m = b->sim.metrics();

  std::set<std::string> names;
  for (const metric& x : ms) {
    CHECK(names.insert(x.name).second);  // no name twice
    CHECK(std::isfinite(x.value));
  }
  REQUIRE(ms.size() >= 2);
  CHECK(ms[0].name == "duration_s");
  CHECK(ms[0].value == 600.0);
  CHECK(ms[0].unit == "s");
  CHECK(ms[1].name == "energy_j");
  CHECK(ms[1].value == m.energy_j);
  CHECK(ms[1].unit == "J");

  const metric* peak = find(ms, "zone.cpu-thermal.peak_c");
  REQUIRE(peak != nullptr);
  CHECK(peak->value == m.zones[0].peak_c);
  CHECK(peak->unit == "°C");
  REQUIRE(find(ms, "zone.gpu-thermal.peak_time_s") != nullptr);

  // trip 0 of cpu-thermal (65 °C) is crossed and detected; trip 1 (75 °C) never reached
  const metric* above = find(ms, "zone.cpu-thermal.trip0.time_above_s");
  REQUIRE(above != nullptr);
  CHECK(above->value == m.zones[0].trips[0].time_above_s);
  CHECK(above->value > 0.0);
  REQUIRE(find(ms, "zone.cpu-thermal.trip0.latency_mean_s") != nullptr);
  CHECK(find(ms, "zone.cpu-thermal.trip0.latency_max_s")->value == m.zones[0].trips[0].latency_max_s);
  CHECK(find(ms, "zone.cpu-thermal.trip0.max_overshoot_c")->value == m.zones[0].trips[0].max_overshoot_c);
  CHECK(find(ms, "zone.cpu-thermal.trip0.missed")->value == 0.0);
  CHECK(find(ms, "zone.cpu-thermal.trip1.time_above_s")->value == 0.0);
  CHECK(find(ms, "zone.cpu-thermal.trip1.latency_mean_s") == nullptr);  // never detected: absent, not 0

  const metric* work = find(ms, "domain.big.work_ratio");
  REQUIRE(work != nullptr);
  CHECK(work->value == m.domains[0].work_ratio());
  CHECK(work->value < 1.0);
  CHECK(find(ms, "domain.big.energy_j")->value == m.domains[0].energy_j);
  CHECK(find(ms, "domain.big.time_capped_s")->value == m.domains[0].time_capped_s);
  REQUIRE(find(ms, "cooling.cpufreq-cpu0.time_active_s") != nullptr);
  CHECK(find(ms, "cooling.cpufreq-cpu0.time_active_s")->value == m.cooling[0].time_active_s);
  CHECK(find(ms, "cooling.cpufreq-cpu0.transitions")->value == m.cooling[0].transitions);

  // the same run gives the same names in the same order, and the same values
  const auto again = flat_metrics(*run_example("rk3399-big-cores-flat-out.scn"));
  REQUIRE(again.size() == ms.size());
  for (std::size_t k = 0; k < ms.size(); ++k) {
    CHECK(again[k].name == ms[k].name);
    CHECK(again[k].value == ms[k].value);
  }
}

TEST_CASE("The printed summary is a table of the same numbers", "[run_metrics]") {
  const auto b = run_example("rk3399-big-cores-flat-out.scn");
  const std::string s = metrics_summary(*b);
  INFO(s);
  CHECK(s.starts_with("simulated 600.000 s (completed), energy "));
  // zone table: peak, trip, time above, overshoot, detection latency, missed
  CHECK(s.find("zone         peak °C   at s  trip  trip °C  above s  overshoot °C  detect mean ms  detect max ms  missed\n") !=
        std::string::npos);
  CHECK(s.find("\ncpu-thermal    74.41  600.0     0     65.0    258.3") != std::string::npos);
  // domains: energy, work done against an unthrottled run, and a total
  CHECK(s.find("domain  energy J  work done %  capped s\n") != std::string::npos);
  CHECK(s.find("\nbig     1317.078         98.8      69.3\n") != std::string::npos);
  CHECK(s.find("\ntotal   1317.078\n") != std::string::npos);
  CHECK(s.find("\ncpufreq-cpu0              88.1          241          5\n") != std::string::npos);
}
