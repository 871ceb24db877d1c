// control/thermal_of.hpp: the one mapping of a SoC description onto control objects — a zone's
// configuration and trips, the cooling device registered for each description (under the
// kernel's whole type), and the cooling maps' bindings in device-tree order with the kernel's
// rules (entries of non-first CPUs bind nothing, a repeated binding is refused and counted).
#include <array>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "control_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/presets/exynos5422.hpp"
#include "thermo/presets/rk3399.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::test;

TEST_CASE("of_zone takes a zone's type, delays, parameters, critical action and trips from its description",
          "[thermal_of]") {
  const schema::thermal_zone_desc& cpu = presets::rk3399.thermal_zones[0];
  const auto z = of_zone<4>::make(cpu, 7);
  REQUIRE(z.has_value());
  CHECK(z->config.id == 7);
  CHECK(z->config.type == "cpu-thermal");
  CHECK(z->config.polling_delay == milliseconds(1000));
  CHECK(z->config.passive_delay == milliseconds(100));
  CHECK(z->config.tzp.sustainable_power == 1550);
  CHECK(z->config.tzp.slope == 1);  // no `coefficients`: the kernel's defaults
  CHECK(z->config.tzp.offset == 0);
  CHECK(z->config.on_critical == critical_action::shutdown);
  REQUIRE(z->trip_span().size() == 3);
  CHECK(z->trips[1].temperature == millicelsius(75'000));
  CHECK(z->trips[1].hysteresis == millikelvin_delta(2'000));
  CHECK(z->trips[1].type == trip_type::passive);
  CHECK(z->trips[2].type == trip_type::critical);

  schema::thermal_zone_desc custom = cpu;
  custom.slope = 3;
  custom.offset = -200;
  custom.on_critical = schema::critical_action::reboot;
  const auto c = of_zone<3>::make(custom, 0);
  REQUIRE(c.has_value());
  CHECK(c->config.tzp.slope == 3);
  CHECK(c->config.tzp.offset == -200);
  CHECK(c->config.on_critical == critical_action::reboot);

  const auto small = of_zone<2>::make(cpu, 5);
  REQUIRE_FALSE(small.has_value());
  CHECK(small.error().code == errc::capacity_exceeded);
  CHECK(small.error().index == 5);

  // the zone sets up from it as it is, and refuses a name the kernel refuses (>= 20 characters)
  pushed_sensor sensor;
  thermal_zone<4, 4> tz;
  CHECK(tz.setup(z->config, z->trip_span(), zone_sensor(sensor), governor_ref{}).ok());
  custom.name = "a-zone-name-too-long-thermal";
  const auto long_name = of_zone<3>::make(custom, 0);
  REQUIRE(long_name.has_value());
  CHECK(long_name->config.type == "a-zone-name-too-long-thermal");  // not cut
  thermal_zone<4, 4> tz2;
  CHECK(tz2.setup(long_name->config, long_name->trip_span(), zone_sensor(sensor), governor_ref{}).code ==
        errc::invalid_argument);
}

TEST_CASE("of_cooling gives the kernel's type and what each cooling device cools", "[thermal_of]") {
  const schema::soc_description& rk = presets::rk3399;
  const auto big = of_cooling(rk, 1);
  REQUIRE(big.has_value());
  CHECK(big->type == "cpufreq-cpu4");
  CHECK(big->kind == schema::cooling_device_type::cpufreq);
  CHECK(big->domain == 1);
  CHECK(big->cluster == &rk.clusters[1]);
  CHECK(big->device == nullptr);
  const auto gpu = of_cooling(rk, 2);
  REQUIRE(gpu.has_value());
  CHECK(gpu->type == "devfreq-ff9a0000.gpu");  // the whole type, as the kernel keeps it
  CHECK(gpu->device == &rk.devices[0]);
  CHECK(gpu->cluster == nullptr);
  const auto fan = of_cooling(presets::exynos5422, 3);
  REQUIRE(fan.has_value());
  CHECK(fan->type == "pwm-fan");
  CHECK(fan->kind == schema::cooling_device_type::pwm_fan);
  CHECK(fan->cluster == nullptr);
  CHECK(fan->device == nullptr);
  CHECK(of_node_name(rk.cooling_devices[2].node) == "gpu@ff9a0000");
  CHECK(of_node_name("/soc/thermal/pwm-fan") == "pwm-fan");
  CHECK(of_node_name("fan") == "fan");

  CHECK(of_cooling(rk, 3).error().code == errc::out_of_range);
  std::array<schema::cooling_device_desc, 3> bad{rk.cooling_devices[0], rk.cooling_devices[2], rk.cooling_devices[2]};
  bad[0].domain = 2;  // rk3399 has two clusters
  bad[1].domain = -1;
  bad[2].name = "devfreq-0123456789abcdef.mali-g5";  // 32 characters
  schema::soc_description soc = rk;
  soc.cooling_devices = bad;
  for (std::size_t k = 0; k < 2; ++k) {
    const auto e = of_cooling(soc, k);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::out_of_range);
    CHECK(std::string_view(e.error().what) == "cooling device domain");
    CHECK(e.error().index == static_cast<std::int32_t>(k));
  }
  const auto too_long = of_cooling(soc, 2);
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().code == errc::invalid_argument);
  CHECK(std::string_view(too_long.error().what) == "cooling device type longer than 31 characters");
}

TEST_CASE("bind_cooling_maps gives the bindings in device-tree order with the kernel's rules", "[thermal_of]") {
  const schema::thermal_zone_desc& cpu = presets::rk3399.thermal_zones[0];
  std::vector<std::string> seen;
  const auto r = bind_cooling_maps(cpu, [&](const of_binding& b) {
    seen.push_back(std::string(b.map->name) + " " + std::string(b.entry->device) + " trip " + std::to_string(b.trip) +
                   " cdev " + std::to_string(b.cooling_device));
    CHECK(b.spec.lower == no_limit);
    CHECK(b.spec.upper == no_limit);
    CHECK(b.spec.weight == weight_default);  // no `contribution`
    return errc::ok;
  });
  REQUIRE(r.has_value());
  CHECK(*r == 0);
  // cpu@101, cpu@1..3 are not their policy's first CPU: they bind nothing
  CHECK(seen == std::vector<std::string>{"map0 /cpus/cpu@100 trip 1 cdev 1", "map1 /cpus/cpu@0 trip 1 cdev 0",
                                         "map1 /cpus/cpu@100 trip 1 cdev 1"});

  SECTION("a zone refuses the repeated binding (-EEXIST), which is counted, not fatal") {
    fake_cdev little_drv;
    fake_cdev big_drv;
    std::array<thermal_cooling_device, 2> cdevs;
    REQUIRE(cdevs[0].setup(0, presets::rk3399.cooling_devices[0].name, little_drv).ok());
    REQUIRE(cdevs[1].setup(1, presets::rk3399.cooling_devices[1].name, big_drv).ok());
    const auto z = of_zone<3>::make(cpu, 0);
    REQUIRE(z.has_value());
    pushed_sensor sensor;
    thermal_zone<3, 4> tz;
    REQUIRE(tz.setup(z->config, z->trip_span(), zone_sensor(sensor), governor_ref{}).ok());
    thermo::test::heap_guard guard;
    const auto bound = bind_cooling_maps(
        cpu, [&](const of_binding& b) { return tz.bind(b.trip, cdevs[b.cooling_device], b.spec); });
    const std::size_t allocations = guard.allocations();
    REQUIRE(bound.has_value());
    CHECK(*bound == 1);
    CHECK(tz.instances().size() == 2);
    CHECK(tz.instances()[0].cdev == &cdevs[1]);  // map0 first: the big cluster
    CHECK(tz.instances()[1].cdev == &cdevs[0]);
    CHECK(allocations == 0U);
  }
  SECTION("any other error stops the binding and names the entry") {
    int calls = 0;
    const auto e = bind_cooling_maps(cpu, [&](const of_binding& b) -> error {
      ++calls;
      return b.cooling_device == 0 ? error{errc::out_of_range, "cooling device", 4} : error{};
    });
    REQUIRE_FALSE(e.has_value());
    CHECK(calls == 2);
    CHECK(e.error().cause.code == errc::out_of_range);
    CHECK(e.error().cause.index == 4);
    CHECK(e.error().binding.entry->device == "/cpus/cpu@0");
    CHECK(e.error().binding.map->name == "map1");
  }
  SECTION("a contribution becomes the instance's weight; limits are kept as written") {
    std::array<schema::cooling_map_entry, 1> entries{{{"/cpus/cpu@0", 1, 3, 0}}};
    std::array<schema::cooling_map_desc, 1> maps{{{"map0", 0, 512, entries}}};
    schema::thermal_zone_desc zd = cpu;
    zd.cooling_maps = maps;
    of_binding got;
    REQUIRE(bind_cooling_maps(zd, [&](const of_binding& b) {
      got = b;
      return result<std::int32_t, error>(0);
    }).has_value());
    CHECK(got.trip == 0);
    CHECK(got.spec.lower == 1);
    CHECK(got.spec.upper == 3);
    CHECK(got.spec.weight == 512);
  }
}
