// The one mapping of a SoC description onto control objects (control/thermal_of.hpp), seen from
// its two targets: the simulation (sim/soc.hpp's pieces, as `thermo simulate` uses them) and
// the replay's control-only zone with real cooling-device drivers (zone_system.hpp). For every
// preset and every test device tree, both targets get the same zones — type, delays,
// parameters, critical action, trips — and the same bindings — trip, the cooling device's
// kernel name, limits, weight, in binding order — and a preset gives what its device tree gives.
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simulate.hpp"
#include "system_source.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "zone_system.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

using any_soc_sim = cli_simulation;  // the capacities of `thermo simulate`

/// What a zone is and binds, as text: one line for the zone, one per trip, one per instance.
std::string describe(const control::thermal_zone_device& z) {
  std::string s = std::string(z.type()) + " polling " + std::to_string(z.polling_delay().count()) + " passive " +
                  std::to_string(z.passive_delay().count()) + " sustainable " + std::to_string(z.params().sustainable_power) +
                  " slope " + std::to_string(z.params().slope) + " offset " + std::to_string(z.params().offset) +
                  " critical " + std::to_string(static_cast<int>(z.on_critical())) + "\n";
  for (const control::thermal_trip_desc& t : z.trips()) {
    s += "  trip " + std::to_string(t.trip.temperature.count()) + " " + std::to_string(t.trip.hysteresis.count()) + " " +
         std::to_string(static_cast<int>(t.trip.type)) + "\n";
  }
  for (const control::thermal_instance& i : z.instances()) {
    s += "  bind trip " + std::to_string(i.trip) + " " + std::string(i.cdev->type()) + " <" + std::to_string(i.lower) + " " +
         std::to_string(i.upper) + "> weight " + std::to_string(i.weight) + "\n";
  }
  return s;
}

/// Every zone of `soc` in a simulation built with sim/soc.hpp's pieces (fans included, on a
/// one-node plant), described. The simulation models cpufreq and devfreq cooling over an Energy
/// Model only: a part without one (no dynamic-power-coefficient) has no simulated cooling
/// device, and its type goes to `unsimulated` (`thermo simulate` notes it the same way).
std::vector<std::string> simulated(const schema::soc_description& soc, std::vector<std::string>& unsimulated) {
  auto s = std::make_unique<any_soc_sim>();
  any_soc_sim::builder_type b;
  REQUIRE(b.add_node(1.0, 0.1));
  REQUIRE(b.set_ambient(25.0).ok());
  REQUIRE(s->set_plant(b).ok());
  const std::array<sim::heat_share, 1> heat{{{0, 1.0}}};
  std::vector<std::size_t> clusters;
  std::vector<std::size_t> devices;
  for (const auto& cl : soc.clusters) {
    clusters.push_back(*s->add_domain(sim::soc_domain(cl, heat)));
  }
  for (const auto& dv : soc.devices) {
    devices.push_back(*s->add_domain(sim::soc_domain(dv, heat)));
  }
  const std::array<sim::fan_path, 1> path{{{0, sim::fan_path::ambient, 0.0, 1.0, 0.8}}};
  std::deque<std::vector<std::uint32_t>> levels;
  std::vector<std::size_t> cooling;
  for (std::size_t k = 0; k < soc.cooling_devices.size(); ++k) {
    const schema::cooling_device_desc& c = soc.cooling_devices[k];
    if (c.type == schema::cooling_device_type::pwm_fan || c.type == schema::cooling_device_type::gpio_fan) {
      auto& l = levels.emplace_back(c.cooling_levels.begin(), c.cooling_levels.end());
      if (l.empty()) {
        l.assign(c.max_state + 1U, 0U);
      }
      sim::fan_config f;
      f.name = c.name;
      f.levels = l;
      f.kind = c.type == schema::cooling_device_type::pwm_fan ? control::fan_kind::pwm : control::fan_kind::gpio;
      f.paths = path;
      cooling.push_back(*s->add_fan(f));
      continue;
    }
    const auto r = sim::add_soc_cooling_device(*s, soc, k, clusters, devices);
    INFO(c.name);
    if (!r && std::string_view(r.error().what) == "domain has no energy model") {
      unsimulated.emplace_back(c.name);
      cooling.push_back(sim::no_part);
      continue;
    }
    REQUIRE(r.has_value());
    cooling.push_back(*r);
  }
  const std::array<weighted_node<double>, 1> probe{{{0, 1.0}}};
  std::deque<control::step_wise<>> governors;
  std::vector<std::string> out;
  for (std::size_t z = 0; z < soc.thermal_zones.size(); ++z) {
    const auto sensor = s->add_sensor({soc.thermal_zones[z].name, probe, {}});
    REQUIRE(sensor.has_value());
    const auto added = sim::add_soc_zone(*s, soc, z, 0, {*sensor, control::governor_ref(governors.emplace_back()), true}, cooling);
    INFO(soc.thermal_zones[z].name);
    REQUIRE(added.has_value());
    out.push_back(describe(s->zone(added->zone)));
  }
  return out;
}

/// `zones` without the bindings of the cooling devices named in `types`.
std::vector<std::string> without_bindings_of(std::vector<std::string> zones, const std::vector<std::string>& types) {
  for (std::string& z : zones) {
    for (const std::string& t : types) {
      for (auto at = z.find(" " + t + " <"); at != std::string::npos; at = z.find(" " + t + " <")) {
        const auto from = z.rfind("\n", at) + 1;
        z.erase(from, z.find('\n', at) + 1 - from);
      }
    }
  }
  return zones;
}

/// Every zone of `src` as the replay builds it, described.
std::vector<std::string> replayed(const system_source& src) {
  std::vector<std::string> out;
  for (const auto& zd : src.description().thermal_zones) {
    auto sys = zone_system::build(src.description(), src.dt(), zd.name, "step_wise");
    INFO(sys.message());
    REQUIRE(sys.ok());
    out.push_back(describe((*sys)->zone()));
  }
  return out;
}

system_source dtb(const std::string& name) {
  auto s = load_dtb(std::string(THERMO_DTB_DIR) + "/" + name + ".dtb");
  INFO(s.message());
  REQUIRE(s.ok());
  return std::move(*s);
}

}  // namespace

TEST_CASE("A preset and its device tree give the same zones and bindings to the simulation and to the replay",
          "[mapping][replay][scenario]") {
  const std::map<std::string, std::string> boards{{"rk3399", "rk3399-rock960"},         {"hi3660", "hi3660-hikey960"},
                                                  {"mt8183", "mt8183-evb"},             {"mt8173", "mt8173-evb"},
                                                  {"exynos5422", "exynos5422-odroidxu4"}, {"rk3588", "rk3588-rock5b"},
                                                  {"g12b", "g12b-odroid-n2"}};
  std::size_t zones = 0;
  std::size_t skipped = 0;
  for (const auto& [id, board] : boards) {
    INFO(id);
    const system_source from_dtb = dtb(board);
    const std::vector<std::string> replay = replayed(from_dtb);
    std::vector<std::string> unsimulated;
    const std::vector<std::string> sim = simulated(from_dtb.description(), unsimulated);
    CHECK(sim == without_bindings_of(replay, unsimulated));
    if (const auto p = load_preset(id); p.ok()) {
      std::vector<std::string> unsimulated_preset;
      CHECK(simulated(p->description(), unsimulated_preset) == sim);
      CHECK(unsimulated_preset == unsimulated);
      CHECK(replayed(*p) == replay);
    }
    skipped += unsimulated.size();
    zones += replay.size();
  }
  CHECK(zones >= 20);
  CHECK(skipped <= 4);  // the Exynos5422's Mali and the ODROID-N2's CPUs and Mali have no Energy Model
  // what the comparison looks at: the RK3399's cpu-thermal binds both clusters once on trip 1
  // (map1 repeats the big cluster: refused, -EEXIST), under the kernel's names
  CHECK(replayed(*load_preset("rk3399"))[0] ==
        "cpu-thermal polling 1000 passive 100 sustainable 1550 slope 1 offset 0 critical 1\n"
        "  trip 65000 2000 1\n  trip 75000 2000 1\n  trip 95000 2000 3\n"
        "  bind trip 1 cpufreq-cpu4 <0 7> weight 0\n  bind trip 1 cpufreq-cpu0 <0 5> weight 0\n");
  CHECK(replayed(*load_preset("rk3399"))[1].find("bind trip 0 devfreq-ff9a0000.gpu <0 5>") != std::string::npos);
}
