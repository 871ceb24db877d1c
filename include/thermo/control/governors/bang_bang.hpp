/// @file bang_bang.hpp
/// The bang_bang governor: a two-point controller for on/off fans (Linux 6.12,
/// kernel-reference.md §2.2).
///
/// * On a trip crossing, every instance of that trip gets target 1 (upward) or 0 (downward) and
///   its device is updated at once (max rule).
/// * `manage` does something only once after the governor was bound, after a cooling device was
///   bound (`update_tz(tz_bind_cdev)`) and after resume: each *uninitialised* instance of a valid,
///   non-hot, non-critical trip gets 1 if T ≥ the trip's threshold, else 0.
///
/// So the fan turns on at T ≥ temperature and off at T < temperature − hysteresis. Like the
/// kernel, the instance limits are ignored (a `<2 6>` instance is still driven to 1).
///
/// The "already ran" flag is per zone (the kernel keeps it in `tz->governor_data`); one object
/// serves up to `MaxZones` zones at once. No heap, exceptions, RTTI, globals, clocks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/cooling_device.hpp"
#include "thermo/control/fwd.hpp"
#include "thermo/control/governors/common.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"

namespace thermo::control {

/// `bang_bang_set_instance_target`: target := `on` (1 or 0), initialised, device updated now.
inline void bang_bang_set_instance_target(thermal_instance& i, bool on, sim_time now) noexcept {
  i.target = on ? 1U : 0U;
  i.initialized = true;
  if (i.cdev != nullptr) {
    i.cdev->update_nocheck(now);
  }
}

/// The bang_bang governor for up to `MaxZones` zones.
template <std::size_t MaxZones /* = 4 */>
class bang_bang {
  static_assert(MaxZones > 0, "at least one zone");

 public:
  [[nodiscard]] static constexpr std::string_view name() noexcept { return "bang_bang"; }

  /// Registers the zone (its flag starts cleared). `capacity_exceeded` when `MaxZones` zones are
  /// already bound.
  [[nodiscard]] errc bind_to_tz(thermal_zone_device& tz) noexcept {
    if (zone_slot* s = slot_of(tz); s != nullptr) {
      s->done = false;
      return errc::ok;
    }
    for (zone_slot& s : zones_) {
      if (s.tz == nullptr) {
        s = zone_slot{&tz, false};
        return errc::ok;
      }
    }
    return errc::capacity_exceeded;
  }
  /// Forgets the zone.
  void unbind_from_tz(thermal_zone_device& tz) noexcept {
    if (zone_slot* s = slot_of(tz)) {
      *s = zone_slot{};
    }
  }
  /// `bang_bang_trip_crossed`: every instance of `trip_id` → 1 (up) or 0 (down), updated now.
  void trip_crossed(thermal_zone_device& tz, std::int32_t trip_id, bool up) noexcept {
    for (thermal_instance& i : tz.instances()) {
      if (i.trip == trip_id) {
        bang_bang_set_instance_target(i, up, tz.now());
      }
    }
  }
  /// `bang_bang_manage`: initialises the uninitialised instances once (see the file comment).
  void manage(thermal_zone_device& tz) noexcept {
    zone_slot* s = slot_of(tz);
    if (s == nullptr || s->done) {
      return;
    }
    const std::span<const thermal_trip_desc> trips = tz.trips();
    for (std::size_t k = 0; k < trips.size(); ++k) {
      if (governor_skips_trip(trips[k].trip)) {
        continue;
      }
      const bool turn_on = tz.temperature() >= trips[k].threshold;
      for (thermal_instance& i : tz.instances()) {
        if (i.trip == static_cast<std::int32_t>(k) && !i.initialized) {
          bang_bang_set_instance_target(i, turn_on, tz.now());
        }
      }
    }
    s->done = true;
  }
  /// `bang_bang_update_tz`: a new cooling device or a resume makes the next `manage` run again.
  void update_tz(thermal_zone_device& tz, notify_event reason) noexcept {
    if (reason == notify_event::tz_bind_cdev || reason == notify_event::tz_resume) {
      if (zone_slot* s = slot_of(tz)) {
        s->done = false;
      }
    }
  }

  /// True when `manage` has run its body for `tz` since the last bind / cdev bind / resume.
  [[nodiscard]] bool initialized_zone(const thermal_zone_device& tz) const noexcept {
    for (const zone_slot& s : zones_) {
      if (s.tz == &tz) {
        return s.done;
      }
    }
    return false;
  }

 private:
  struct zone_slot {
    const thermal_zone_device* tz{nullptr};
    bool done{false};
  };
  [[nodiscard]] zone_slot* slot_of(const thermal_zone_device& tz) noexcept {
    for (zone_slot& s : zones_) {
      if (s.tz == &tz) {
        return &s;
      }
    }
    return nullptr;
  }
  std::array<zone_slot, MaxZones> zones_{};
};

}  // namespace thermo::control
