/// @file progress.hpp
/// Small helpers shared by the workload models: "how many whole nanoseconds until this much work
/// is done" without <cmath> (the workloads are evaluated at every event). The finite checks they
/// use are core/finite.hpp.
#pragma once

#include "thermo/core/finite.hpp"
#include "thermo/core/time.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::workload::detail {

/// A domain state that lets work progress: finite frequency and run fraction, both > 0.
[[nodiscard]] constexpr bool usable(const domain_state& s) noexcept {
  return is_finite(s.frequency_hz) && s.frequency_hz > 0.0 && is_finite(s.run_fraction) &&
         s.run_fraction > 0.0;
}

/// Work left below this many nanoseconds' worth at the current rate counts as done: completion
/// times are rounded *up* to whole nanoseconds, so after advancing to them the remainder is ≤ 0
/// up to floating rounding, and this tolerance absorbs that rounding.
inline constexpr double done_tolerance_ns = 0.5;

/// Completion times round up to whole nanoseconds, except for a floating-point hair above one
/// (`ceil_ns`, core/time.hpp): 0.05 s of work must end at 50 000 000 ns, not one nanosecond
/// later. The remainder left by that rounding is far below `done_tolerance_ns` of work, so the
/// phase still counts as done there.
inline constexpr double completion_hair_ns = 1e-3;

/// True when `remaining` work counts as done at `rate` (work per second): less than
/// `done_tolerance_ns` of it is left.
[[nodiscard]] constexpr bool work_done(double remaining, double rate) noexcept {
  return remaining <= rate * done_tolerance_ns * 1e-9;
}

/// When `remaining` work finishes at `rate` from `now`: `now` if it is done, `never` at a zero
/// rate, else now + ⌈remaining / rate⌉ ns.
[[nodiscard]] constexpr sim_time finish_time(sim_time now, double remaining, double rate) noexcept {
  if (work_done(remaining, rate)) {
    return now;
  }
  if (!(rate > 0.0)) {
    return never;
  }
  return add_saturating(now, ceil_ns(remaining / rate, completion_hair_ns));
}

}  // namespace thermo::workload::detail
