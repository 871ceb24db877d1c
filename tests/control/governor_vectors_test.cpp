// Replays the zone-level part of soc-data.json `governor_vectors` (kernel-verified, spec part E):
// for every temperature sample, the ordered handler calls and crossing events, the set_trips
// window, the passive count and the next polling delay. Instance targets depend on the governor
// and are checked by the governor suite.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>

#include "control_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/zone.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::test;

namespace {

struct ordered_log {
  std::array<gv_event, 64> items{};
  std::size_t n{0};
  void add(gv_event_kind k, std::int32_t trip) noexcept {
    if (n < items.size()) {
      items[n++] = gv_event{k, trip};
    }
  }
};

/// Records hot/critical handler calls into the same log as the trip events.
struct logging_sensor {
  result<millicelsius> value{temp_invalid};
  ordered_log* log{nullptr};
  std::int32_t hot_trip{-1};
  std::int32_t critical_trip{-1};
  [[nodiscard]] result<millicelsius> get_temp() const noexcept { return value; }
  void hot(thermal_zone_device&) noexcept { log->add(gv_event_kind::hot_handler, hot_trip); }
  void critical(thermal_zone_device&) noexcept { log->add(gv_event_kind::critical_handler, critical_trip); }
};

void on_event(void* ctx, const thermal_event& e) noexcept {
  auto* log = static_cast<ordered_log*>(ctx);
  if (e.type == event_type::tz_trip_up) {
    log->add(gv_event_kind::up, e.trip_id);
  } else if (e.type == event_type::tz_trip_down) {
    log->add(gv_event_kind::down, e.trip_id);
  }
}

void replay(const gv_vector& v) {
  ordered_log log;
  logging_sensor sensor;
  sensor.log = &log;
  std::array<thermal_trip, 8> trips{};
  REQUIRE(v.trips.size() <= trips.size());
  for (std::size_t i = 0; i < v.trips.size(); ++i) {
    trips[i] = thermal_trip{millicelsius{v.trips[i].temperature}, millikelvin_delta{v.trips[i].hysteresis}, v.trips[i].type};
    // The vectors have at most one hot and one critical trip; the hooks report their index.
    if (v.trips[i].type == trip_type::hot) {
      sensor.hot_trip = static_cast<std::int32_t>(i);
    }
    if (v.trips[i].type == trip_type::critical) {
      sensor.critical_trip = static_cast<std::int32_t>(i);
    }
  }
  std::array<fake_cdev, 4> drivers{};
  std::array<thermal_cooling_device, 4> cdevs;
  REQUIRE(v.cdevs.size() <= cdevs.size());
  for (std::size_t c = 0; c < v.cdevs.size(); ++c) {
    drivers[c].max = v.cdevs[c].max_state;
    REQUIRE(cdevs[c].setup(static_cast<std::int32_t>(c), "cdev", drivers[c]).ok());
  }

  thermal_zone<8, 8> tz;
  zone_config cfg;
  cfg.id = 0;
  cfg.type = v.zone;
  cfg.polling_delay = milliseconds{v.polling_delay};
  cfg.passive_delay = milliseconds{v.passive_delay};
  REQUIRE(tz.setup(cfg, std::span<const thermal_trip>(trips.data(), v.trips.size()), zone_sensor(sensor), {},
                   event_sink(&on_event, &log))
              .ok());
  // The cooling maps, with the kernel's binding checks (all of these are valid).
  for (const gv_instance& i : v.steps[0].instances) {
    const auto id = tz.bind(i.trip, cdevs[static_cast<std::size_t>(i.cdev)], cooling_spec{i.lower, i.upper, 0});
    REQUIRE(id.has_value());
  }
  for (std::size_t k = 0; k < tz.instances().size(); ++k) {
    CHECK(tz.instances()[k].lower == v.steps[0].instances[k].lower);
    CHECK(tz.instances()[k].upper == v.steps[0].instances[k].upper);
  }

  for (std::size_t s = 0; s < v.steps.size(); ++s) {
    const gv_step& step = v.steps[s];
    log.n = 0;
    sensor.value = millicelsius{step.temperature};
    const sim_time now = at_ms(static_cast<std::int64_t>(s) * 10'000);
    update_result u;
    std::size_t allocations = 0;
    {
      const thermo::test::heap_guard guard;
      u = (s == 0) ? tz.enable(now) : tz.update(now);
      allocations = guard.allocations();
    }
    INFO(v.soc << ' ' << v.governor << " step " << s << " T=" << step.temperature);
    CHECK(allocations == 0U);
    REQUIRE(u.status == update_status::updated);
    REQUIRE(log.n == step.n_events);
    for (std::size_t e = 0; e < step.n_events; ++e) {
      CHECK(log.items[e].kind == step.events[e].kind);
      CHECK(log.items[e].trip == step.events[e].trip);
    }
    CHECK(u.low.count() == step.window_low);
    CHECK(u.high.count() == step.window_high);
    CHECK(tz.passive() == step.passive);
    if (step.next_poll_ms == 0) {
      CHECK_FALSE(u.next_update.has_value());
    } else {
      REQUIRE(u.next_update.has_value());
      CHECK((*u.next_update - now) == milliseconds{step.next_poll_ms});
    }
  }
}

}  // namespace

TEST_CASE("zone updates reproduce the kernel-verified governor vectors (events, window, passive, polling)",
          "[zone][vectors]") {
  REQUIRE(std::size(governor_vectors) == 5U);
  for (const gv_vector* v : governor_vectors) {
    replay(*v);
  }
}
