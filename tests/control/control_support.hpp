// Test helpers for the control suite: fake cooling devices and sensors, recording and trivial
// governors, event-log helpers, and the governor-vector types.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/concepts.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/zone.hpp"

namespace thermo::control::test {

using namespace std::chrono_literals;

/// A cooling device that records the last state it was asked for.
struct fake_cdev {
  cooling_state max{3};
  cooling_state state{0};
  std::uint32_t set_calls{0};
  [[nodiscard]] cooling_state get_max_state() const noexcept { return max; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    ++set_calls;
    if (s > max) {
      return errc::out_of_range;
    }
    state = s;
    return errc::ok;
  }
};

/// A pushed sensor with every optional hook, counting calls.
struct hooked_sensor {
  result<millicelsius> value{temp_invalid};
  std::uint32_t hot_calls{0};
  std::uint32_t critical_calls{0};
  std::uint32_t set_trips_calls{0};
  millicelsius low{0};
  millicelsius high{0};
  result<thermal_trend> trend_value{errc::not_supported};
  errc mode_result{errc::ok};
  [[nodiscard]] result<millicelsius> get_temp() const noexcept { return value; }
  [[nodiscard]] errc set_trips(millicelsius lo, millicelsius hi) noexcept {
    ++set_trips_calls;
    low = lo;
    high = hi;
    return errc::ok;
  }
  [[nodiscard]] result<thermal_trend> get_trend(std::int32_t) const noexcept { return trend_value; }
  void hot(thermal_zone_device&) noexcept { ++hot_calls; }
  void critical(thermal_zone_device&) noexcept { ++critical_calls; }
  [[nodiscard]] errc change_mode(thermal_device_mode) const noexcept { return mode_result; }
};

/// Records the governor callbacks in order: 'B' bind, 'U' unbind, '+'/'-' trip crossed (with
/// the trip id), 'M' manage, 'Z' update_tz (with the reason).
struct recording_governor {
  struct call {
    char kind{};
    std::int32_t arg{-1};
    friend constexpr bool operator==(const call&, const call&) noexcept = default;
  };
  std::array<call, 64> calls{};
  std::size_t n{0};
  errc bind_result{errc::ok};
  std::string_view gov_name{"recorder"};
  void add(char k, std::int32_t a = -1) noexcept {
    if (n < calls.size()) {
      calls[n++] = call{k, a};
    }
  }
  [[nodiscard]] std::string_view name() const noexcept { return gov_name; }
  [[nodiscard]] errc bind_to_tz(thermal_zone_device&) noexcept {
    add('B');
    return bind_result;
  }
  void unbind_from_tz(thermal_zone_device&) noexcept { add('U'); }
  void trip_crossed(thermal_zone_device&, std::int32_t trip, bool up) noexcept { add(up ? '+' : '-', trip); }
  void manage(thermal_zone_device&) noexcept { add('M'); }
  void update_tz(thermal_zone_device&, notify_event r) noexcept { add('Z', static_cast<std::int32_t>(r)); }
  [[nodiscard]] std::span<const call> log() const noexcept { return {calls.data(), n}; }
  void clear() noexcept { n = 0; }
};

/// The trivial test governor: every instance of a reached trip votes its `upper` state, every
/// other instance releases its vote; changed devices are updated through the core.
struct max_governor {
  [[nodiscard]] std::string_view name() const noexcept { return "test_max"; }
  void manage(thermal_zone_device& tz) noexcept {
    for (thermal_instance& i : tz.instances()) {
      const auto t = static_cast<std::size_t>(i.trip);
      const cooling_state want = tz.trip_reached(t) ? i.upper : no_target;
      if (!i.initialized || i.target != want) {
        i.target = want;
        i.initialized = true;
        i.cdev->mark_for_update();
      }
    }
    for (thermal_instance& i : tz.instances()) {
      i.cdev->update(tz.now());
    }
  }
};

/// Copies the event types of a ring into an array for comparison.
template <std::size_t N>
struct event_log {
  event_ring<N> ring;
  [[nodiscard]] event_sink sink() noexcept { return ring.sink(); }
  /// The events of one type, in order.
  [[nodiscard]] std::size_t count(event_type t) const noexcept {
    std::size_t c = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
      c += ring[i].type == t ? 1U : 0U;
    }
    return c;
  }
};

inline constexpr sim_time at_ms(std::int64_t ms) noexcept { return sim_time{std::chrono::milliseconds{ms}}; }
inline constexpr millicelsius mc(std::int32_t v) noexcept { return millicelsius{v}; }

// ---- governor vectors (generated data, see gen_governor_vectors.py) ----
enum class gv_event_kind : std::uint8_t { none, up, down, hot_handler, critical_handler };
struct gv_trip {
  std::int32_t temperature;
  std::int32_t hysteresis;
  trip_type type;
};
struct gv_cdev {
  const char* name;
  cooling_state max_state;
};
struct gv_event {
  gv_event_kind kind;
  std::int32_t trip;
};
struct gv_instance {
  std::int32_t trip;
  std::int32_t cdev;
  cooling_state lower;
  cooling_state upper;
  cooling_state target;
};
struct gv_step {
  std::int32_t temperature;
  const gv_event* events;
  std::size_t n_events;
  std::int32_t window_low;
  std::int32_t window_high;
  std::int32_t passive;
  std::int32_t next_poll_ms;
  std::span<const gv_instance> instances;
  std::span<const cooling_state> cdev_states;
};
struct gv_vector {
  const char* soc;
  const char* zone;
  const char* governor;
  std::int32_t polling_delay;
  std::int32_t passive_delay;
  std::span<const gv_trip> trips;
  std::span<const gv_cdev> cdevs;
  std::span<const gv_step> steps;
};

#include "governor_vectors.inc"

}  // namespace thermo::control::test
