/// @file idle_injection.hpp
/// The cpuidle (idle-injection) cooling device of Linux 6.12: states 0..100 are the idle ratio
/// in percent. Each injection cycle runs for `run` µs and then forces the CPUs idle for
/// `idle` µs (DT `duration-us`, default one tick):
///
///     run(s) = idle · 100 / s − idle      (integer µs, s > 0)
///
/// so 50 % gives run = idle and 100 % gives run = 0 (always idle). Injection starts when the
/// state leaves 0 and stops when it returns to 0. Not a power actor. The duty cycle
/// idle / (idle + run) is about s %.
#pragma once

#include <cstdint>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"

namespace thermo::control {

/// `MAX_IDLE_STATE` of cpuidle_cooling.
inline constexpr cooling_state idle_injection_max_state = 100;

/// An idle-injection cooling device. Satisfies `CoolingDevice`. Trivially copyable.
class idle_injection_cooling {
 public:
  /// Builds the device. `idle_duration` is DT `duration-us` (the kernel's default is one tick,
  /// `TICK_USEC`: 4000 µs at HZ=250); `exit_latency` is DT `exit-latency-us` (default: no
  /// limit). `non_positive` error for a zero or negative idle duration or latency.
  [[nodiscard]] static constexpr result<idle_injection_cooling, error> create(
      microseconds idle_duration = microseconds{4000},
      microseconds exit_latency = microseconds{0xFFFF'FFFF}) noexcept {
    if (idle_duration.count() <= 0 || idle_duration.count() > 0xFFFF'FFFF) {
      return error{errc::non_positive, "idle injection duration-us"};
    }
    if (exit_latency.count() <= 0) {
      return error{errc::non_positive, "idle injection exit-latency-us"};
    }
    idle_injection_cooling d;
    d.idle_ = idle_duration;
    d.exit_latency_ = exit_latency;
    return d;
  }

  [[nodiscard]] static constexpr cooling_state get_max_state() noexcept { return idle_injection_max_state; }
  [[nodiscard]] constexpr cooling_state get_cur_state() const noexcept { return state_; }
  /// Sets the idle ratio. `out_of_range` above 100 (the kernel relies on the core never asking).
  [[nodiscard]] constexpr errc set_cur_state(cooling_state s) noexcept {
    if (s > idle_injection_max_state) {
      return errc::out_of_range;
    }
    const cooling_state previous = state_;
    state_ = s;
    run_ = run_duration_for(idle_, s);
    if (previous == 0 && s > 0) {
      injecting_ = true;
    } else if (previous > 0 && s == 0) {
      injecting_ = false;
    }
    return errc::ok;
  }

  /// `cpuidle_cooling_runtime`: the run time per cycle for idle ratio `s` %.
  [[nodiscard]] static constexpr microseconds run_duration_for(microseconds idle, cooling_state s) noexcept {
    if (s == 0) {
      return microseconds{0};
    }
    return microseconds{idle.count() * 100 / static_cast<std::int64_t>(s) - idle.count()};
  }

  /// Run time per cycle (0 when not injecting or at 100 %).
  [[nodiscard]] constexpr microseconds run_duration() const noexcept { return run_; }
  /// Forced idle time per cycle.
  [[nodiscard]] constexpr microseconds idle_duration() const noexcept { return idle_; }
  /// The exit latency limit passed to the idle-injection framework.
  [[nodiscard]] constexpr microseconds exit_latency() const noexcept { return exit_latency_; }
  /// True while injection runs (state > 0).
  [[nodiscard]] constexpr bool injecting() const noexcept { return injecting_; }
  /// The achieved idle share idle / (idle + run) in permille, rounded down (0 when not
  /// injecting).
  [[nodiscard]] constexpr std::int64_t idle_permille() const noexcept {
    if (!injecting_) {
      return 0;
    }
    return idle_.count() * 1000 / (idle_.count() + run_.count());
  }

 private:
  constexpr idle_injection_cooling() noexcept = default;
  microseconds idle_{4000};
  microseconds run_{0};
  microseconds exit_latency_{0xFFFF'FFFF};
  cooling_state state_{0};
  bool injecting_{false};
};

}  // namespace thermo::control
