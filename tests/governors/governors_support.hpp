// Helpers for the governor suite: the shared reference data (soc-data.json, read once), a
// perf domain built from a vector's table, a cpufreq cooling device over it, and small zone
// builders. Host-side test code: it may allocate (JSON), but never inside a heap guard.
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "support/heap_guard.hpp"
#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/io/json.hpp"

namespace thermo::control::gtest {

using namespace std::chrono_literals;

/// soc-data.json, parsed once.
inline const io::json_value& soc_data() {
  static const io::json_value doc = [] {
    auto r = io::read_json_file(std::string(THERMO_SHARED_DIR) + "/data/soc-data.json");
    REQUIRE(r.has_value());
    return *r;
  }();
  return doc;
}

inline std::int64_t i64(const io::json_value& v, const char* key) {
  const io::json_value* p = v.find(key);
  REQUIRE(p != nullptr);
  REQUIRE(p->is_integer());
  return p->as_int64();
}
inline std::int32_t i32(const io::json_value& v, const char* key) { return static_cast<std::int32_t>(i64(v, key)); }
inline std::uint32_t u32(const io::json_value& v, const char* key) { return static_cast<std::uint32_t>(i64(v, key)); }

/// A perf domain (ascending kHz, µW per CPU) stored by value.
struct table_domain {
  struct row {
    kilohertz frequency{0};
    microwatts power{0};
  };
  std::array<row, 24> rows{};
  std::size_t n{0};
  [[nodiscard]] std::span<const row> states() const noexcept { return {rows.data(), n}; }
};
static_assert(PerfDomain<table_domain>);

using test_cpufreq = cpufreq_cooling<table_domain, 8>;

/// A perf domain from a vector actor's `freqs_khz_ascending` / `power_mw_per_cpu_ascending`.
inline table_domain domain_from_actor(const io::json_value& actor) {
  table_domain d;
  const auto& f = actor.at("freqs_khz_ascending").as_array();
  const auto& p = actor.at("power_mw_per_cpu_ascending").as_array();
  REQUIRE(f.size() == p.size());
  REQUIRE(f.size() <= d.rows.size());
  for (std::size_t k = 0; k < f.size(); ++k) {
    d.rows[k] = {kilohertz(static_cast<std::uint32_t>(f[k].as_int64())), microwatts(p[k].as_int64() * 1000)};
  }
  d.n = f.size();
  return d;
}

/// A cpufreq device of `cpus` CPUs, all online and 100 % busy.
inline test_cpufreq busy_cpufreq(const table_domain& d, std::size_t cpus) {
  auto r = test_cpufreq::create(d, cpus);
  REQUIRE(r.has_value());
  test_cpufreq dev = *r;
  for (std::size_t c = 0; c < cpus; ++c) {
    REQUIRE(dev.set_cpu(c, cpufreq_cpu_load{1024, 1024, true}) == errc::ok);
  }
  return dev;
}

/// A plain cooling device (no power model) recording its state.
struct plain_cdev {
  cooling_state max{3};
  cooling_state state{0};
  std::uint32_t sets{0};
  [[nodiscard]] cooling_state get_max_state() const noexcept { return max; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    ++sets;
    if (s > max) {
      return errc::out_of_range;
    }
    state = s;
    return errc::ok;
  }
};

/// A power actor with a linear model: state s ↔ power `top − s·step` mW, requested power set by
/// the test; any callback can be made to fail.
struct linear_actor {
  cooling_state max{4};
  cooling_state state{0};
  std::int32_t top{1000};
  std::int32_t step{200};
  std::int32_t request{1000};
  bool fail_request{false};
  bool fail_state2power{false};
  bool fail_power2state{false};
  std::uint32_t requests{0};
  [[nodiscard]] cooling_state get_max_state() const noexcept { return max; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    if (s > max) {
      return errc::out_of_range;
    }
    state = s;
    return errc::ok;
  }
  [[nodiscard]] result<milliwatts> get_requested_power() noexcept {
    ++requests;
    if (fail_request) {
      return errc::hardware_fault;
    }
    return milliwatts(request);
  }
  [[nodiscard]] result<milliwatts> state2power(cooling_state s) const noexcept {
    if (fail_state2power || s > max) {
      return errc::out_of_range;
    }
    return milliwatts(top - static_cast<std::int32_t>(s) * step);
  }
  [[nodiscard]] result<cooling_state> power2state(milliwatts p) const noexcept {
    if (fail_power2state) {
      return errc::hardware_fault;
    }
    for (cooling_state s = 0; s <= max; ++s) {
      if (top - static_cast<std::int32_t>(s) * step <= p.count()) {
        return s;
      }
    }
    return max;
  }
};
static_assert(PowerActor<linear_actor>);

/// Collects the events of a zone or cooling device.
template <std::size_t N = 256>
struct event_log {
  event_ring<N> ring;
  [[nodiscard]] event_sink sink() noexcept { return ring.sink(); }
  [[nodiscard]] std::size_t count(event_type t) const noexcept {
    std::size_t c = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
      c += ring[i].type == t ? 1U : 0U;
    }
    return c;
  }
};

inline constexpr millicelsius mc(std::int32_t v) noexcept { return millicelsius{v}; }
inline constexpr sim_time at_ms(std::int64_t ms) noexcept { return sim_time{std::chrono::milliseconds{ms}}; }

inline thermal_trip trip_of(const io::json_value& t) {
  const std::string& ty = t.at("type").as_string();
  trip_type tt = trip_type::passive;
  if (ty == "active") {
    tt = trip_type::active;
  } else if (ty == "hot") {
    tt = trip_type::hot;
  } else if (ty == "critical") {
    tt = trip_type::critical;
  } else {
    REQUIRE(ty == "passive");
  }
  return thermal_trip{millicelsius{i32(t, "temperature_mC")}, millikelvin_delta{i32(t, "hysteresis_mC")}, tt};
}

/// A zone fed by a pushed sensor, with an event log; `at(T, ms)` enables the zone on the first
/// call and updates it afterwards.
template <std::size_t MaxTrips = 6, std::size_t MaxInstances = 8>
struct zone_rig {
  event_log<512> log;
  pushed_sensor sensor;
  thermal_zone<MaxTrips, MaxInstances> tz;

  error setup(std::span<const thermal_trip> trips, governor_ref g, milliseconds polling = 0ms,
              milliseconds passive = 0ms, std::int32_t id = 0, std::string_view type = "test-thermal") {
    zone_config cfg;
    cfg.id = id;
    cfg.type = type;
    cfg.polling_delay = polling;
    cfg.passive_delay = passive;
    return tz.setup(cfg, trips, zone_sensor(sensor), g, log.sink());
  }
  update_result at(std::int32_t t, std::int64_t ms) {
    sensor.set(mc(t));
    return tz.mode() == thermal_device_mode::enabled ? tz.update(at_ms(ms)) : tz.enable(at_ms(ms));
  }
  [[nodiscard]] cooling_state target(std::size_t k) const noexcept { return tz.instances()[k].target; }
};

}  // namespace thermo::control::gtest
