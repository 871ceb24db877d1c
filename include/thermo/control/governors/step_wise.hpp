/// @file step_wise.hpp
/// The step_wise governor (Linux's default): every update, each instance of a throttling trip
/// moves its cooling device one state up or down following the temperature trend.
///
/// The default is the Linux 6.12.117 table (= mainline ≈ v7.3, kernel-reference.md §2.1); the
/// earlier tables are selectable for comparing kernels, at compile time as a policy
/// (`step_wise<step_wise_variant::v6_10>`) or at run time (`runtime_step_wise`, which
/// `kernel_behaviour_of(version)` configures — control/kernel_version.hpp):
///
/// | variant | throttle when | throttle & dropping | not throttle & dropping |
/// |---|---|---|---|
/// | `v6_12_117` (default) | T ≥ threshold | cur−1, kept ≥ lower+1 | release (no target) |
/// | `v6_12_58` | T ≥ threshold | cur−1, kept ≥ lower+1 | release if cur ≤ lower, else lower |
/// | `v6_10` | T ≥ threshold | keep | release if cur ≤ lower, else lower |
/// | `v6_9` | T ≥ trip temperature | keep | release if cur ≤ lower, else cur−1 |
///
/// In every variant an uninitialised instance goes to clamp(cur+1, lower, upper) when
/// throttling and releases its vote otherwise, throttle & raising steps up to
/// clamp(cur+1, lower, upper), and every other case keeps the current target. "cur" is the
/// device's *current* state (`get_cur_state`), not the instance's target. The `v6_9` variant
/// does not reproduce the old kernels' governor-side passive counting (the zone counts passive
/// trips the 6.12 way).
///
/// `step_wise<V>` is stateless and `runtime_step_wise` holds only its table: one object may
/// serve any number of zones. No heap, exceptions, RTTI, globals, clocks. See
/// docs/explanation/governors.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/cooling_device.hpp"
#include "thermo/control/fwd.hpp"
#include "thermo/control/governors/common.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// `get_target_state`: the new target of one instance. `cur` is the device's current state,
/// `target`/`initialized` the instance's vote so far. Arithmetic is the 64-bit kernel's
/// (`cur − 1` with cur = 0 wraps and the clamp then yields `upper`). Precondition:
/// lower ≤ upper. O(1).
[[nodiscard]] constexpr cooling_state step_wise_target(step_wise_variant v, bool initialized, cooling_state target,
                                                       cooling_state lower, cooling_state upper, cooling_state cur,
                                                       bool throttle, thermal_trend trend) noexcept {
  const auto clamp64 = [](std::uint64_t x, std::uint64_t lo, std::uint64_t hi) noexcept {
    return static_cast<cooling_state>(x < lo ? lo : (x > hi ? hi : x));
  };
  const std::uint64_t up = std::uint64_t{cur} + 1U;
  const std::uint64_t down = std::uint64_t{cur} - 1U;  // wraps for cur = 0, as the kernel's unsigned long
  if (!initialized) {
    return throttle ? clamp64(up, lower, upper) : no_target;
  }
  if (throttle) {
    if (trend == thermal_trend::raising) {
      return clamp64(up, lower, upper);
    }
    if (trend == thermal_trend::dropping && (v == step_wise_variant::v6_12_117 || v == step_wise_variant::v6_12_58)) {
      const std::uint64_t lo = std::uint64_t{lower} + 1U < upper ? std::uint64_t{lower} + 1U : upper;
      return clamp64(down, lo, upper);
    }
    return target;
  }
  if (trend == thermal_trend::dropping) {
    switch (v) {
      case step_wise_variant::v6_12_117:
        return no_target;
      case step_wise_variant::v6_12_58:
      case step_wise_variant::v6_10:
        return cur <= lower ? no_target : lower;
      case step_wise_variant::v6_9:
        return cur <= lower ? no_target : (cur - 1U > upper ? upper : cur - 1U);
    }
  }
  return target;
}

/// Whether trip `td` throttles at temperature `t`: T ≥ threshold (temperature − hysteresis while
/// reached), or T ≥ the bare trip temperature for `v6_9`.
[[nodiscard]] constexpr bool step_wise_throttle(step_wise_variant v, const thermal_trip_desc& td,
                                                millicelsius t) noexcept {
  return v == step_wise_variant::v6_9 ? t >= td.trip.temperature : t >= td.threshold;
}

/// `thermal_zone_trip_update`: applies `step_wise_target` to every instance of trip `trip_id`
/// among `instances`; an instance whose target changed (or that was uninitialised) becomes
/// initialised and marks its device for update. Devices are not updated here. O(instances).
inline void step_wise_trip_update(step_wise_variant v, std::span<thermal_instance> instances, std::int32_t trip_id,
                                  bool throttle, thermal_trend trend) noexcept {
  for (thermal_instance& i : instances) {
    if (i.trip != trip_id || i.cdev == nullptr) {
      continue;
    }
    const cooling_state old = i.target;
    i.target = step_wise_target(v, i.initialized, i.target, i.lower, i.upper, i.cdev->cur_state(), throttle, trend);
    if (i.initialized && old == i.target) {
      continue;
    }
    i.initialized = true;
    i.cdev->mark_for_update();
  }
}

/// `step_wise_manage` with decision table `v`: evaluates every trip of `tz` first, then updates
/// each device whose votes changed (max rule), so two instances of one device step from the
/// same base. O(trips · instances).
inline void step_wise_manage(step_wise_variant v, thermal_zone_device& tz) noexcept {
  const std::span<const thermal_trip_desc> trips = tz.trips();
  for (std::size_t k = 0; k < trips.size(); ++k) {
    const thermal_trip_desc& td = trips[k];
    if (governor_skips_trip(td.trip)) {
      continue;
    }
    const auto id = static_cast<std::int32_t>(k);
    step_wise_trip_update(v, tz.instances(), id, step_wise_throttle(v, td, tz.temperature()), tz.trend(id));
  }
  for (thermal_instance& i : tz.instances()) {
    if (i.cdev != nullptr) {
      i.cdev->update(tz.now());
    }
  }
}

/// The step_wise governor with decision table `Variant`, fixed at compile time (see
/// `runtime_step_wise` for one chosen at run time). O(trips · instances) per update.
// The default stays here, not in control/fwd.hpp: a declaration there cannot name an enumerator.
template <step_wise_variant Variant = step_wise_variant::v6_12_117>
class step_wise {
 public:
  /// The policy name ("step_wise" for every variant, as sysfs shows it).
  [[nodiscard]] static constexpr std::string_view name() noexcept { return "step_wise"; }
  /// The decision table in use.
  [[nodiscard]] static constexpr step_wise_variant variant() noexcept { return Variant; }

  /// `step_wise_manage`.
  void manage(thermal_zone_device& tz) noexcept { step_wise_manage(Variant, tz); }
};

/// The step_wise governor with its decision table chosen at run time: `set_variant`, or
/// `set_kernel_behaviour(kernel_behaviour_of(version))` to reproduce a kernel release. The
/// default is the 6.12.117 table, as `step_wise<>`. This is the step_wise of
/// `kernel_governors` (control/governors/registry.hpp), so that a governor picked by name can
/// follow `thermo … --kernel VERSION`. Holds one byte; one object may serve any number of
/// zones (all with its table). O(trips · instances) per update.
class runtime_step_wise {
 public:
  constexpr runtime_step_wise() noexcept = default;
  constexpr explicit runtime_step_wise(step_wise_variant v) noexcept : variant_(v) {}

  /// The policy name ("step_wise", whatever the table).
  [[nodiscard]] static constexpr std::string_view name() noexcept { return "step_wise"; }
  /// The decision table in use.
  [[nodiscard]] constexpr step_wise_variant variant() const noexcept { return variant_; }
  /// Uses table `v` from the next update on.
  constexpr void set_variant(step_wise_variant v) noexcept { variant_ = v; }
  /// Uses the table of kernel behaviour `kb` (`kb.step_wise`) from the next update on.
  constexpr void set_kernel_behaviour(const kernel_behaviour& kb) noexcept { variant_ = kb.step_wise; }

  /// `step_wise_manage`.
  void manage(thermal_zone_device& tz) noexcept { step_wise_manage(variant_, tz); }

 private:
  step_wise_variant variant_{step_wise_variant::v6_12_117};
};

}  // namespace thermo::control
