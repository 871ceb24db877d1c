// Replays soc-data.json `governor_vectors` (Linux 6.12.117, kernel-verified — spec part E)
// through a real zone with the named governor and checks, after every temperature sample, every
// instance's target and every cooling device's state. The zone-level fields (events, window,
// passive count, polling) are checked by the control suite.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "governors_support.hpp"
#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/control/governors/fair_share.hpp"
#include "thermo/control/governors/step_wise.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {

cooling_state target_of(const io::json_value& t) {
  if (t.is_string()) {
    REQUIRE(t.as_string() == "NO_TARGET");
    return no_target;
  }
  return static_cast<cooling_state>(t.as_int64());
}

/// The DT `contribution` of the first cooling map of the vector's zone that binds `cdev` to
/// trip `trip_name` (0 when the map has none) — the instance weight the kernel would use.
std::uint32_t weight_of(const io::json_value& v, const std::string& trip_name, const std::string& cdev) {
  for (const io::json_value& soc : soc_data().at("socs").as_array()) {
    if (soc.at("id").as_string() != v.at("soc").as_string()) {
      continue;
    }
    for (const io::json_value& z : soc.at("thermal_zones").as_array()) {
      if (z.at("name").as_string() != v.at("zone").as_string()) {
        continue;
      }
      for (const io::json_value& m : z.at("cooling_maps").as_array()) {
        if (m.at("trip").as_string() != trip_name) {
          continue;
        }
        for (const io::json_value& d : m.at("cooling_devices").as_array()) {
          if (d.at("device").as_string() == cdev) {
            return m.contains("contribution") ? u32(m, "contribution") : 0U;
          }
        }
      }
    }
  }
  FAIL("no cooling map for " << cdev << " on " << trip_name);
  return 0;
}

/// Replays vector `v` with governor `g`; returns the number of steps checked.
std::size_t replay(const io::json_value& v, governor_ref g) {
  const auto& jtrips = v.at("trips").as_array();
  std::array<thermal_trip, 8> trips{};
  REQUIRE(jtrips.size() <= trips.size());
  for (std::size_t k = 0; k < jtrips.size(); ++k) {
    trips[k] = trip_of(jtrips[k]);
  }
  const auto& jcdevs = v.at("cdev_max_states").as_object();
  std::array<plain_cdev, 4> drivers{};
  std::array<thermal_cooling_device, 4> cdevs;
  REQUIRE(jcdevs.size() <= cdevs.size());
  const auto cdev_index = [&](const std::string& name) {
    for (std::size_t c = 0; c < jcdevs.size(); ++c) {
      if (jcdevs[c].first == name) {
        return c;
      }
    }
    FAIL("unknown cooling device " << name);
    return std::size_t{0};
  };
  for (std::size_t c = 0; c < jcdevs.size(); ++c) {
    drivers[c].max = static_cast<cooling_state>(jcdevs[c].second.as_int64());
    REQUIRE(cdevs[c].setup(static_cast<std::int32_t>(c), "cdev", drivers[c]).ok());
  }
  pushed_sensor sensor;
  thermal_zone<8, 8> tz;
  zone_config cfg;
  cfg.type = v.at("zone").as_string();
  REQUIRE(tz.setup(cfg, std::span<const thermal_trip>(trips.data(), jtrips.size()), zone_sensor(sensor), g).ok());
  const auto& steps = v.at("steps").as_array();
  for (const io::json_value& i : steps[0].at("instances").as_array()) {
    const std::string& trip_name = jtrips[static_cast<std::size_t>(i32(i, "trip"))].at("name").as_string();
    const cooling_spec spec{u32(i, "lower"), u32(i, "upper"), weight_of(v, trip_name, i.at("cdev").as_string())};
    REQUIRE(tz.bind(i32(i, "trip"), cdevs[cdev_index(i.at("cdev").as_string())], spec).has_value());
  }
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const io::json_value& step = steps[s];
    INFO(v.at("soc").as_string() << ' ' << v.at("governor").as_string() << " step " << s
                                 << " T=" << i32(step, "temperature_mC"));
    sensor.set(millicelsius{i32(step, "temperature_mC")});
    const sim_time now = at_ms(static_cast<std::int64_t>(s) * 1000);
    update_result u;
    THERMO_REQUIRE_NO_HEAP(u = (s == 0 ? tz.enable(now) : tz.update(now)));
    REQUIRE(u.status == update_status::updated);
    const auto& inst = step.at("instances").as_array();
    REQUIRE(tz.instances().size() == inst.size());
    for (std::size_t k = 0; k < inst.size(); ++k) {
      INFO("instance " << k << " (trip " << i32(inst[k], "trip") << ", " << inst[k].at("cdev").as_string() << ")");
      CHECK(tz.instances()[k].target == target_of(inst[k].at("target")));
    }
    for (const auto& [name, state] : step.at("cdev_states").as_object()) {
      INFO("device " << name);
      CHECK(drivers[cdev_index(name)].state == static_cast<cooling_state>(state.as_int64()));
    }
  }
  return steps.size();
}

}  // namespace

TEST_CASE("every kernel-verified governor vector is reproduced target for target and state for state",
          "[governors][vectors]") {
  const auto& vectors = soc_data().at("governor_vectors").as_array();
  REQUIRE(vectors.size() == 5U);
  std::size_t checked = 0;
  step_wise<> sw;
  bang_bang<> bb;
  fair_share fs;
  for (const io::json_value& v : vectors) {
    const std::string& gov = v.at("governor").as_string();
    if (gov == "step_wise") {
      checked += replay(v, governor_ref(sw));
    } else if (gov == "bang_bang") {
      checked += replay(v, governor_ref(bb));
    } else {
      REQUIRE(gov == "fair_share");
      checked += replay(v, governor_ref(fs));
    }
  }
  CHECK(checked == 18U + 11U + 14U + 8U + 12U);
}
