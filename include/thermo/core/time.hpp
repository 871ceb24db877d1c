/// @file time.hpp
/// Time is `std::chrono`: no clock is ever read by the library; time comes in as an argument.
///
/// * `thermo::milliseconds` — the kernel's delays (polling, passive, back-off).
/// * `thermo::sim_duration` / `sim_time` — the simulation's clock, integer nanoseconds, so that
///   event times are exact and ordering is deterministic (292 years of range).
#pragma once

#include <chrono>
#include <cstdint>

namespace thermo {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

/// Simulated time since the start of a run (a duration, used as a time point).
using sim_duration = std::chrono::duration<std::int64_t, std::nano>;
using sim_time = sim_duration;

/// Seconds as a floating number, for the model half.
template <class Real = double, class Rep, class Period>
[[nodiscard]] constexpr Real to_seconds(std::chrono::duration<Rep, Period> d) noexcept {
  return std::chrono::duration_cast<std::chrono::duration<Real>>(d).count();
}

}  // namespace thermo
