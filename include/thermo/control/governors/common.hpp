/// @file common.hpp
/// Small helpers shared by the governors.
#pragma once

#include "thermo/control/fwd.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"

namespace thermo::control {

/// True for trips every Linux governor skips: disabled (`temp_invalid`), hot and critical.
[[nodiscard]] constexpr bool governor_skips_trip(const thermal_trip& t) noexcept {
  return t.temperature == temp_invalid || t.type == trip_type::hot || t.type == trip_type::critical;
}

/// The zone of a governor object that serves one zone at a time (power_allocator,
/// scp_thermal_mgmt: the kernel keeps such a governor's state in `tz->governor_data`, here the
/// object is that state). It holds the zone pointer and the bind/unbind protocol; the governor's
/// `bind_to_tz` supplies what binding sets up.
class single_zone_binding {
 public:
  /// Binds to `tz` if `set_up()` — run only when not bound to another zone — returns `ok`.
  /// `already_exists` while bound to another zone; an error of `set_up` is returned and leaves
  /// the binding as it was.
  template <class SetUp>
  [[nodiscard]] errc bind(const thermal_zone_device& tz, SetUp&& set_up) noexcept {
    if (tz_ != nullptr && tz_ != &tz) {
      return errc::already_exists;
    }
    const errc e = set_up();
    if (e != errc::ok) {
      return e;
    }
    tz_ = &tz;
    return errc::ok;
  }
  /// Unbinds from `tz`; nothing when bound to another zone or to none.
  void unbind(const thermal_zone_device& tz) noexcept {
    if (tz_ == &tz) {
      tz_ = nullptr;
    }
  }
  /// True when bound to `tz`.
  [[nodiscard]] bool bound_to(const thermal_zone_device& tz) const noexcept { return tz_ == &tz; }
  /// The zone bound to, or null.
  [[nodiscard]] const thermal_zone_device* zone() const noexcept { return tz_; }

 private:
  const thermal_zone_device* tz_{nullptr};
};

}  // namespace thermo::control
