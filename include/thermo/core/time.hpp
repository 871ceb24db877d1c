/// @file time.hpp
/// Time. No clock is ever read by the library: time comes in as an argument.
///
/// * `thermo::milliseconds` … — `std::chrono` durations: the kernel's delays (polling, passive,
///   back-off) and every length of time.
/// * `thermo::sim_duration` — a length of simulated time, integer nanoseconds, so that event times
///   are exact and their order deterministic (±292 years of range).
/// * `thermo::sim_time` — a point on the simulation's clock (nanoseconds since its start). It is
///   an affine type, like `millicelsius`: point − point → duration, point ± duration → point,
///   comparisons; a point is not a duration (no point + point, no implicit conversion either way).
/// * `never` — the point that never comes (a search that finds nothing, a workload with no more
///   events); `add_saturating` and `ceil_ns` stop there instead of overflowing.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <limits>

namespace thermo {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

/// A length of simulated time: integer nanoseconds.
using sim_duration = std::chrono::duration<std::int64_t, std::nano>;

/// A point on the simulation's clock (see the file comment). Trivially copyable, 8 bytes.
class sim_time {
 public:
  using rep = sim_duration::rep;
  using duration = sim_duration;

  /// The start of the clock.
  constexpr sim_time() noexcept = default;
  /// The point `since_start` after the start of the clock (`sim_time{10s}`).
  constexpr explicit sim_time(sim_duration since_start) noexcept : d_(since_start) {}

  /// How long after the start of the clock (`std::chrono::time_point`'s name).
  [[nodiscard]] constexpr sim_duration time_since_epoch() const noexcept { return d_; }

  /// The earliest and the latest representable points.
  [[nodiscard]] static constexpr sim_time min() noexcept { return sim_time{sim_duration::min()}; }
  [[nodiscard]] static constexpr sim_time max() noexcept { return sim_time{sim_duration::max()}; }

  constexpr sim_time& operator+=(sim_duration d) noexcept {
    d_ += d;
    return *this;
  }
  constexpr sim_time& operator-=(sim_duration d) noexcept {
    d_ -= d;
    return *this;
  }
  [[nodiscard]] friend constexpr sim_time operator+(sim_time t, sim_duration d) noexcept { return sim_time{t.d_ + d}; }
  [[nodiscard]] friend constexpr sim_time operator+(sim_duration d, sim_time t) noexcept { return sim_time{d + t.d_}; }
  [[nodiscard]] friend constexpr sim_time operator-(sim_time t, sim_duration d) noexcept { return sim_time{t.d_ - d}; }
  [[nodiscard]] friend constexpr sim_duration operator-(sim_time a, sim_time b) noexcept { return a.d_ - b.d_; }
  friend constexpr bool operator==(sim_time, sim_time) noexcept = default;
  friend constexpr auto operator<=>(sim_time, sim_time) noexcept = default;

 private:
  sim_duration d_{0};
};

/// "No such instant": what a search or a workload returns when nothing will happen.
inline constexpr sim_time never = sim_time::max();

/// Seconds as a floating number, for the model half: `duration_cast` to `duration<Real>`.
template <class Real = double, class Rep, class Period>
[[nodiscard]] constexpr Real to_seconds(std::chrono::duration<Rep, Period> d) noexcept {
  return std::chrono::duration_cast<std::chrono::duration<Real>>(d).count();
}

/// A point's time since the start of the clock, in seconds (for reports and plots).
template <class Real = double>
[[nodiscard]] constexpr Real to_seconds(sim_time t) noexcept {
  return to_seconds<Real>(t.time_since_epoch());
}

/// `t + d`, or `never` when that would reach past the clock's range (d ≥ 0).
[[nodiscard]] constexpr sim_time add_saturating(sim_time t, sim_duration d) noexcept {
  if (d == sim_duration::max() || t > never - d) {
    return never;
  }
  return t + d;
}

/// The smallest whole number of nanoseconds ≥ `s` seconds: 0 for `s` ≤ 0, and
/// `sim_duration::max()` (what `add_saturating` turns into `never`) when it does not fit in the
/// clock (past 4·10¹⁸ ns, about 127 years, so that `now + result` cannot overflow either) or
/// `s` is not a number. An excess of at most `hair_ns` over a whole nanosecond rounds
/// down instead: work of 0.05 s must end at 50 000 000 ns, not one nanosecond later, though the
/// division that computed it may land a floating-point hair above. No <cmath>. O(1).
[[nodiscard]] constexpr sim_duration ceil_ns(double s, double hair_ns = 0.0) noexcept {
  if (!(s > 0.0)) {  // ≤ 0, or NaN
    return s <= 0.0 ? sim_duration{0} : sim_duration::max();
  }
  const double ns = s * 1e9;
  if (!(ns < 4.0e18)) {
    return sim_duration::max();
  }
  auto whole = static_cast<std::int64_t>(ns);
  if (ns - static_cast<double>(whole) > hair_ns) {
    ++whole;
  }
  return sim_duration{whole};
}

}  // namespace thermo
