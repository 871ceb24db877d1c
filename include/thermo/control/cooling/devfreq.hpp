/// @file devfreq.hpp
/// The devfreq cooling device of Linux 6.12 (GPUs and other devfreq devices) with an Energy
/// Model: state s ↔ perf state `max_state − s` (state 0 = highest frequency).
///
/// * `set_cur_state(s)`: unchanged → no-op; s > max_state → `out_of_range`; otherwise the device
///   PM QoS max frequency becomes ceil(f_Hz / 1000) kHz of that perf state.
/// * Power (mW = µW / 1000, floor) uses the device's last status (busy time, total time,
///   current frequency), normalised as the kernel does: when total > 0xFFFFF both are shifted
///   right by 10; busy := max(busy·1024 / total, 1) (total 0 counts as 1).
/// * `get_requested_power` = P[f_cur] · busy >> 10, where f_cur must be exactly an EM frequency
///   (else `try_again`); `state2power(s)` = P[max − s] (no device count); `power2state(P)`:
///   est = (P << 10) / busy, then the highest index k ∈ [max..1] with est ≥ P[k] (else 0),
///   state = max − k.
///
/// The optional `get_real_power` driver model of the kernel is not modelled.
#pragma once

#include <cstddef>
#include <cstdint>

#include "thermo/control/concepts.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// The last status of a devfreq device (`struct devfreq_dev_status`), fed by the caller.
struct devfreq_status {
  std::uint64_t busy_time{0};   ///< time busy in the last window (any unit, same as total)
  std::uint64_t total_time{0};  ///< length of the last window
  hertz current_frequency{0};   ///< Hz
};

namespace detail {
/// `_normalize_load`: busy time scaled to 0..1024 (at least 1).
[[nodiscard]] constexpr std::uint64_t devfreq_normalized_busy(devfreq_status s) noexcept {
  std::uint64_t busy = s.busy_time;
  std::uint64_t total = s.total_time;
  if (total > 0xFFFFFU) {
    total >>= 10;
    busy >>= 10;
  }
  busy <<= 10;
  busy /= (total != 0 ? total : 1);
  return busy != 0 ? busy : 1;
}
[[nodiscard]] constexpr std::int64_t em_power_mw(microwatts p) noexcept { return p.count() / 1000; }
}  // namespace detail

/// A devfreq cooling device over perf domain `Domain` (held by value: pass a view). Satisfies
/// `PowerActor`.
template <PerfDomain Domain>
class devfreq_cooling {
 public:
  /// Builds the device. Errors: `empty` (no perf state), `not_increasing` (frequencies not
  /// strictly ascending, index = state), `non_positive` (a power ≤ 0, index = state).
  [[nodiscard]] static constexpr result<devfreq_cooling, error> create(const Domain& domain) noexcept {
    const auto& st = domain.states();
    if (st.size() == 0) {
      return error{errc::empty, "devfreq perf states"};
    }
    for (std::size_t i = 0; i < st.size(); ++i) {
      if (i > 0 && !(kilohertz(st[i].frequency) > kilohertz(st[i - 1].frequency))) {
        return error{errc::not_increasing, "devfreq perf state frequency", static_cast<std::int32_t>(i)};
      }
      if (microwatts(st[i].power).count() <= 0) {
        return error{errc::non_positive, "devfreq perf state power", static_cast<std::int32_t>(i)};
      }
    }
    return devfreq_cooling(domain);
  }

  [[nodiscard]] constexpr cooling_state get_max_state() const noexcept {
    return static_cast<cooling_state>(domain_.states().size() - 1);
  }
  [[nodiscard]] constexpr cooling_state get_cur_state() const noexcept { return state_; }
  [[nodiscard]] constexpr errc set_cur_state(cooling_state s) noexcept {
    if (s == state_) {
      return errc::ok;
    }
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    state_ = s;
    const hertz f = quantity_cast<hertz>(frequency_of(s));
    max_frequency_ = kilohertz(static_cast<std::uint32_t>((f.count() + 999) / 1000));
    return errc::ok;
  }

  /// The device PM QoS max-frequency request (kHz); the highest frequency until capped.
  [[nodiscard]] constexpr kilohertz max_frequency() const noexcept { return max_frequency_; }
  /// The frequency of cooling state `s` (precondition s ≤ max_state).
  [[nodiscard]] constexpr kilohertz frequency_of(cooling_state s) const noexcept {
    return kilohertz(domain_.states()[get_max_state() - s].frequency);
  }

  /// Feeds the device's last status (devfreq `last_status`).
  constexpr void set_status(devfreq_status s) noexcept { status_ = s; }
  [[nodiscard]] constexpr const devfreq_status& status() const noexcept { return status_; }

  [[nodiscard]] constexpr result<milliwatts> get_requested_power() noexcept {
    const auto& st = domain_.states();
    const std::uint64_t khz = status_.current_frequency.count() / 1000;
    for (std::size_t i = 0; i < st.size(); ++i) {
      if (kilohertz(st[i].frequency).count() == khz) {
        const auto busy = static_cast<std::int64_t>(detail::devfreq_normalized_busy(status_));
        const std::int64_t p = detail::em_power_mw(microwatts(st[i].power)) * busy >> 10;
        return milliwatts(static_cast<std::int32_t>(p));
      }
    }
    return errc::try_again;
  }
  [[nodiscard]] constexpr result<milliwatts> state2power(cooling_state s) const noexcept {
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    const auto& st = domain_.states();
    return milliwatts(static_cast<std::int32_t>(detail::em_power_mw(microwatts(st[get_max_state() - s].power))));
  }
  /// `invalid_argument` for a negative budget.
  [[nodiscard]] constexpr result<cooling_state> power2state(milliwatts p) const noexcept {
    if (p.count() < 0) {
      return errc::invalid_argument;
    }
    const auto busy = static_cast<std::int64_t>(detail::devfreq_normalized_busy(status_));
    const std::int64_t est = (static_cast<std::int64_t>(p.count()) << 10) / busy;
    const auto& st = domain_.states();
    std::size_t k = st.size() - 1;
    for (; k > 0; --k) {
      if (est >= detail::em_power_mw(microwatts(st[k].power))) {
        break;
      }
    }
    return static_cast<cooling_state>(get_max_state() - k);
  }

 private:
  constexpr explicit devfreq_cooling(const Domain& d) noexcept
      : domain_(d), max_frequency_(kilohertz(d.states()[d.states().size() - 1].frequency)) {}
  Domain domain_;
  devfreq_status status_{};
  kilohertz max_frequency_{0};
  cooling_state state_{0};
};

}  // namespace thermo::control
