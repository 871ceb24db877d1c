// The [zone NAME] keys of a scenario (io/scenario_keys.hpp, tools/thermo/scenario_zone.hpp):
// each overrides its value of the SoC's zone and takes effect in the run, and each bad value is
// refused naming the file, the line and the key.
#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>

#include "run_metrics.hpp"
#include "simulate.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string examples_dir() { return std::string(THERMO_TEST_DATA_DIR) + "/../../examples/scenarios"; }

/// The MobileNet power-allocator scenario, 12 minutes, with `zone_keys` added to [zone
/// cpu-thermal] (after its own keys) and its governor set to `governor`.
std::string mobilenet(const std::string& zone_keys, const std::string& governor = "power_allocator") {
  const auto text = read_input(examples_dir() + "/rk3399-mobilenet-power_allocator.scn");
  REQUIRE(text.ok());
  std::string t = *text;
  t.replace(t.find("duration = 20 min"), 17, "duration = 12 min");
  // a key the file gives already (sustainable_power, trip0, trip1) is replaced, not given twice
  std::istringstream keys(zone_keys);
  for (std::string line; std::getline(keys, line);) {
    std::string own_key = "\n";  // piece by piece: "\n" + std::string trips gcc 12's -Wrestrict at -O3 (GCC bug 105329)
    own_key += line.substr(0, line.find(' '));
    own_key += " =";
    const std::size_t own = t.find(own_key);
    if (own != std::string::npos) {
      t.erase(own, t.find('\n', own + 1) - own);
    }
  }
  const std::size_t gpu = t.find("[zone gpu-thermal]");
  t.insert(gpu, zone_keys + "\n");
  const std::size_t g = t.find("governor = power_allocator");  // the cpu-thermal zone's
  t.replace(g, 26, "governor = " + governor);
  return t;
}

struct run {
  std::unique_ptr<sim_bundle> b;
  std::vector<metric> m;
  double value(const std::string& name) const {
    for (const metric& x : m) {
      if (x.name == name) {
        return x.value;
      }
    }
    FAIL("no metric " << name);
    return 0.0;
  }
};

std::unique_ptr<sim_bundle> build(const std::string& text) {
  auto s = parse_scenario(text, "z.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  INFO(b.message());
  REQUIRE(b.ok());
  return std::move(*b);
}

run simulate(const std::string& text) {
  run r{build(text), {}};
  CHECK(r.b->sim.run_until(sim_time{std::chrono::minutes(12)}) == sim::run_status::running);
  r.m = flat_metrics(*r.b);
  return r;
}

std::string build_error(const std::string& text) {
  auto s = parse_scenario(text, "z.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  REQUIRE_FALSE(b.ok());
  return b.message();
}

std::string parse_error(const std::string& text) {
  auto s = parse_scenario(text, "z.scn");
  REQUIRE_FALSE(s.ok());
  return s.message();
}

/// The line of `key` in the scenario text (1-based).
std::size_t line_of(const std::string& text, const std::string& key) {
  const std::size_t at = text.find("\n" + key + " =");
  REQUIRE(at != std::string::npos);
  return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at) + 1, '\n')) + 1;
}

}  // namespace

TEST_CASE("sustainable_power sets the zone parameter and changes the power the allocator grants", "[scenario][zone]") {
  const run dflt = simulate(mobilenet(""));
  const run low = simulate(mobilenet("sustainable_power = 800"));
  CHECK(dflt.b->sim.zone(0).params().sustainable_power == 1550);
  CHECK(low.b->sim.zone(0).params().sustainable_power == 800);
  // the allocator's feed-forward power is the zone's, and it grants less
  const auto* ipa_dflt = dflt.b->governors[0].get<control::power_allocator<16>>();
  const auto* ipa_low = low.b->governors[0].get<control::power_allocator<16>>();
  REQUIRE(ipa_dflt != nullptr);
  REQUIRE(ipa_low != nullptr);
  REQUIRE(ipa_low->last_round().allocated);
  CHECK(ipa_dflt->last_round().pid.sustainable_power == 1550U);
  CHECK(ipa_low->last_round().pid.sustainable_power == 800U);
  CHECK(ipa_low->last_round().total_granted_power < ipa_dflt->last_round().total_granted_power);
  // a smaller budget: less energy, a cooler hot spot, less work done
  CHECK(low.value("domain.big.energy_j") < dflt.value("domain.big.energy_j") - 50.0);
  CHECK(low.value("zone.cpu-thermal.peak_c") < dflt.value("zone.cpu-thermal.peak_c") - 0.5);
  CHECK(low.value("domain.big.work_ratio") < dflt.value("domain.big.work_ratio"));
}

TEST_CASE("k_po, k_pu, k_i, k_d and integral_cutoff are written as sysfs writes them, and kept", "[scenario][zone]") {
  const run dflt = simulate(mobilenet(""));
  const run tuned = simulate(mobilenet("k_po = 50\nk_pu = 100\nk_i = 5\nk_d = 7\nintegral_cutoff = 1000"));
  const auto& p = tuned.b->sim.zone(0).params();
  CHECK(p.k_po == 50);  // after the run: the allocator did not re-estimate them
  CHECK(p.k_pu == 100);
  CHECK(p.k_i == 5);
  CHECK(p.k_d == 7);
  CHECK(p.integral_cutoff == 1000);
  CHECK(dflt.b->sim.zone(0).params().k_pu != 100);
  CHECK(tuned.value("domain.big.energy_j") != dflt.value("domain.big.energy_j"));
  CHECK(tuned.value("zone.cpu-thermal.peak_c") != dflt.value("zone.cpu-thermal.peak_c"));
  CHECK(tuned.b->warnings.empty());
}

TEST_CASE("PID gains warn when the governor does not use them or the allocator will replace them", "[scenario][zone]") {
  const auto other = build(mobilenet("k_pu = 100", "step_wise"));
  REQUIRE(other->warnings.size() == 1);
  CHECK(other->warnings[0].find("governor step_wise does not use them") != std::string::npos);
  const std::string t = mobilenet("k_pu = 100\nsustainable_power = 0");
  const auto estimated = build(t);
  REQUIRE(estimated->warnings.size() == 1);
  CHECK(estimated->warnings[0].starts_with("z.scn:" + std::to_string(line_of(t, "k_pu")) + ": [zone cpu-thermal]: the zone has no "));
}

TEST_CASE("polling_delay and passive_delay replace the device tree's delays", "[scenario][zone]") {
  const run dflt = simulate(mobilenet(""));
  const run fast = simulate(mobilenet("polling_delay = 250 ms\npassive_delay = 50 ms"));
  CHECK(dflt.b->sim.zone(0).polling_delay() == std::chrono::milliseconds(1000));
  CHECK(dflt.b->sim.zone(0).passive_delay() == std::chrono::milliseconds(100));
  CHECK(fast.b->sim.zone(0).polling_delay() == std::chrono::milliseconds(250));
  CHECK(fast.b->sim.zone(0).passive_delay() == std::chrono::milliseconds(50));
  CHECK(fast.value("zone.cpu-thermal.updates") > 1.5 * dflt.value("zone.cpu-thermal.updates"));
}

TEST_CASE("tripK and tripK_hysteresis move a trip: it fires at the new temperature", "[scenario][zone]") {
  const run dflt = simulate(mobilenet("", "step_wise"));
  const run low = simulate(mobilenet("trip1 = 70000\ntrip1_hysteresis = 1000", "step_wise"));
  const control::thermal_trip& t = low.b->sim.zone(0).trip(1).trip;
  CHECK(t.temperature == millicelsius(70'000));
  CHECK(t.hysteresis == millikelvin_delta(1'000));
  CHECK(low.value("zone.cpu-thermal.trip1.temperature_c") == 70.0);
  CHECK(dflt.value("zone.cpu-thermal.trip1.temperature_c") == 75.0);
  // step_wise starts throttling at the control trip: 5 °C earlier, a cooler peak
  CHECK(low.value("zone.cpu-thermal.peak_c") < 71.0);
  CHECK(dflt.value("zone.cpu-thermal.peak_c") > 74.0);
  CHECK(low.value("domain.big.time_capped_s") > dflt.value("domain.big.time_capped_s"));
}

TEST_CASE("mapK_weight, mapK_min and mapK_max change a cooling map's binding", "[scenario][zone]") {
  const run dflt = simulate(mobilenet("", "step_wise"));
  const run capped = simulate(mobilenet("map0_weight = 512\nmap0_min = 0\nmap0_max = 1", "step_wise"));
  const auto instances = capped.b->sim.zone(0).instances();
  const auto big = std::find_if(instances.begin(), instances.end(),
                                [](const control::thermal_instance& i) { return i.cdev->type() == "cpufreq-cpu4"; });
  REQUIRE(big != instances.end());
  CHECK(big->weight == 512U);
  CHECK(big->lower == 0U);
  CHECK(big->upper == 1U);
  CHECK(dflt.value("cooling.cpufreq-cpu4.max_state") == 2.0);
  CHECK(capped.value("cooling.cpufreq-cpu4.max_state") == 1.0);  // step_wise may not go deeper
}

TEST_CASE("Bad [zone] values are refused naming the line and the key", "[scenario][zone]") {
  const std::string z = "[zone z]\n";
  CHECK(parse_error(z + "sustainable_power = 2097152\n") == "z.scn:2: bad sustainable_power '2097152' (an integer within 0..2097151)");
  CHECK(parse_error(z + "sustainable_power = -1\n") == "z.scn:2: bad sustainable_power '-1' (an integer within 0..2097151)");
  CHECK(parse_error(z + "sustainable_power = 1.5\n") == "z.scn:2: bad sustainable_power '1.5' (an integer within 0..2097151)");
  CHECK(parse_error(z + "k_po = -1\n") == "z.scn:2: bad k_po '-1' (an integer within 0..2147483647)");
  CHECK(parse_error(z + "k_pu = 2147483648\n") == "z.scn:2: bad k_pu '2147483648' (an integer within 0..2147483647)");
  CHECK(parse_error(z + "k_i = x\n") == "z.scn:2: bad k_i 'x' (an integer within 0..2147483647)");
  CHECK(parse_error(z + "k_d = -5\n") == "z.scn:2: bad k_d '-5' (an integer within 0..2147483647)");
  CHECK(parse_error(z + "integral_cutoff = 2097152\n") == "z.scn:2: bad integral_cutoff '2097152' (an integer within -2097151..2097151)");
  CHECK(parse_error(z + "polling_delay = 1000\n") == "z.scn:2: bad polling_delay '1000' (a duration such as 600 s, 100 ms, 2 min)");
  CHECK(parse_error(z + "passive_delay = 1500 us\n") ==
        "z.scn:2: bad passive_delay '1500 us' (a whole number of milliseconds, as the device tree's)");
  CHECK(parse_error(z + "trip0 = 300000\n") == "z.scn:2: bad trip0 '300000' (an integer within -273000..200000)");
  CHECK(parse_error(z + "trip0 = 65 C\n") == "z.scn:2: bad trip0 '65 C' (an integer within -273000..200000)");
  CHECK(parse_error(z + "trip1_hysteresis = -1\n") == "z.scn:2: bad trip1_hysteresis '-1' (an integer within 0..200000)");
  CHECK(parse_error(z + "trip16 = 1000\n") == "z.scn:2: bad key 'trip16': trip indices are 0..15");
  CHECK(parse_error(z + "map16_weight = 1\n") == "z.scn:2: bad key 'map16_weight': map indices are 0..15");
  CHECK(parse_error(z + "map0_weight = -1\n") == "z.scn:2: bad map0_weight '-1' (an integer within 0..4294967295)");
  CHECK(parse_error(z + "map0_max = lots\n") == "z.scn:2: bad map0_max 'lots' (a cooling state 0..4294967294, or no_limit)");
  CHECK(parse_error(z + "trip0_temperature = 1\n").starts_with("z.scn:2: unknown key 'trip0_temperature' in [zone z] (sensor, governor"));
  CHECK(parse_error(z + "map0 = 1\n").starts_with("z.scn:2: unknown key 'map0' in [zone z]"));
  CHECK(parse_error(z + "trip01 = 1000\n").starts_with("z.scn:2: unknown key 'trip01' in [zone z]"));
  CHECK(parse_error(z + "trip1000 = 1000\n").starts_with("z.scn:2: unknown key 'trip1000' in [zone z]"));
  CHECK(parse_error(z + "trip0 = 1000\ntrip0 = 2000\n") == "z.scn:3: trip0 given twice in [zone z] (first at line 2)");

  // checked against the SoC when the simulation is built
  const std::string trip3 = mobilenet("trip3 = 100000");
  CHECK(build_error(trip3) == "z.scn:" + std::to_string(line_of(trip3, "trip3")) +
                                  ": [zone cpu-thermal] trip3: the zone has 3 trips (trip0..trip2)");
  const std::string map2 = mobilenet("map2_weight = 1");
  CHECK(build_error(map2) == "z.scn:" + std::to_string(line_of(map2, "map2_weight")) +
                                 ": [zone cpu-thermal] map2: the zone has 2 cooling maps (map0..map1)");
  const std::string deep = mobilenet("map0_max = 8");
  CHECK(build_error(deep) == "z.scn:" + std::to_string(line_of(deep, "map0_max")) +
                                 ": [zone cpu-thermal] map0_max: cpufreq-cpu4 has cooling states 0..7");
  const std::string crossed = mobilenet("map1_min = 3\nmap1_max = 2");
  CHECK(build_error(crossed) == "z.scn:" + std::to_string(line_of(crossed, "map1_min")) +
                                    ": [zone cpu-thermal] map1_min 3 is above map1_max 2 (the kernel refuses the binding: -EINVAL)");
}
