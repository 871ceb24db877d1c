/// @file progress.hpp
/// Small helpers shared by the workload models: "how many whole nanoseconds until this much work
/// is done" without <cmath> (the workloads are evaluated at every event). The finite checks they
/// use are core/finite.hpp.
#pragma once

#include <cstdint>
#include <limits>

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

/// The smallest whole number of nanoseconds ≥ `seconds` (≥ 0, to within 1 ps), or `never` when it
/// does not fit in the simulation clock (or `seconds` is not finite). O(1).
[[nodiscard]] constexpr sim_duration ceil_ns(double seconds) noexcept {
  if (!is_finite(seconds) || seconds <= 0.0) {
    return seconds <= 0.0 ? sim_duration{0} : never;
  }
  const double ns = seconds * 1e9;
  // 9.2e18 ns is the int64 limit; stay clear of it so now + result cannot overflow either.
  if (!(ns < 4.0e18)) {
    return never;
  }
  auto whole = static_cast<std::int64_t>(ns);
  // Round up, except for a floating-point hair (< 1 ps) above a whole nanosecond: 0.05 s of work
  // must end at 50 000 000 ns, not one nanosecond later. The remainder left by that rounding is
  // far below `done_tolerance_ns` of work, so the phase still counts as done there.
  if (ns - static_cast<double>(whole) > 1e-3) {
    ++whole;
  }
  return sim_duration{whole};
}

/// `now + d`, saturating at `never` (d ≥ 0).
[[nodiscard]] constexpr sim_time add_saturating(sim_time now, sim_duration d) noexcept {
  if (d == never || now > never - d) {
    return never;
  }
  return now + d;
}

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
  return add_saturating(now, ceil_ns(remaining / rate));
}

}  // namespace thermo::workload::detail
