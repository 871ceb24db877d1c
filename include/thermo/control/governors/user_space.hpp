/// @file user_space.hpp
/// The user_space governor (Linux 6.12, kernel-reference.md §2.4): no control at all; every trip
/// crossing is reported to user space as a KOBJ_CHANGE uevent with `NAME=<zone type>`,
/// `TEMP=<m°C>`, `TRIP=<trip id>`, `EVENT=<notify event>`. Here the uevent is a `thermal_uevent`
/// value delivered to a `uevent_sink` (function pointer + context, no heap).
///
/// Crossings of hot and critical trips are not reported (the zone does not pass them to
/// governors). Stateless apart from the sink: one object may serve any number of zones.
#pragma once

#include <cstdint>
#include <string_view>

#include "thermo/control/events.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// The payload of the user_space governor's uevent (`kobject_uevent_env(KOBJ_CHANGE)`).
struct thermal_uevent {
  std::int32_t tz_id{-1};                            ///< the zone's id (the kobject it comes from)
  fixed_name name{};                                 ///< `NAME=` the zone type
  millicelsius temperature{0};                       ///< `TEMP=` the zone temperature
  std::int32_t trip{-1};                             ///< `TRIP=` the crossed trip's id
  notify_event event{notify_event::unspecified};     ///< `EVENT=` why the update ran
  bool up{true};                                     ///< direction (not in the kernel's payload)
  friend constexpr bool operator==(const thermal_uevent&, const thermal_uevent&) noexcept = default;
};

/// A non-owning uevent callback (function pointer + context). An empty sink drops events.
using uevent_sink = callback_sink<thermal_uevent>;

/// The user_space governor.
class user_space {
 public:
  /// A governor delivering its uevents to `sink` (may be empty).
  constexpr explicit user_space(uevent_sink sink = {}) noexcept : sink_(sink) {}

  [[nodiscard]] static constexpr std::string_view name() noexcept { return "user_space"; }

  /// `user_space_bind`: always succeeds (the kernel logs once that netlink is preferred; here
  /// the number of binds is counted instead).
  [[nodiscard]] errc bind_to_tz(thermal_zone_device&) noexcept {
    ++binds_;
    return errc::ok;
  }
  /// `user_space_trip_crossed`: sends one uevent.
  void trip_crossed(thermal_zone_device& tz, std::int32_t trip_id, bool up) noexcept {
    thermal_uevent e;
    e.tz_id = tz.id();
    static_cast<void>(e.name.assign(tz.type()));
    e.temperature = tz.temperature();
    e.trip = trip_id;
    e.event = tz.last_notify_event();
    e.up = up;
    ++sent_;
    sink_(e);
  }
  /// No control: the kernel's user_space has no manage callback.
  void manage(thermal_zone_device&) noexcept {}

  /// Replaces the sink.
  constexpr void set_sink(uevent_sink sink) noexcept { sink_ = sink; }
  /// Uevents produced so far (also when the sink is empty).
  [[nodiscard]] constexpr std::uint32_t sent() const noexcept { return sent_; }
  /// Successful binds so far.
  [[nodiscard]] constexpr std::uint32_t binds() const noexcept { return binds_; }

 private:
  uevent_sink sink_{};
  std::uint32_t sent_{0};
  std::uint32_t binds_{0};
};

}  // namespace thermo::control
