/// @file cpufreq.hpp
/// The cpufreq cooling device of Linux 6.12: one device per cpufreq policy (cluster), over the
/// cluster's Energy Model perf domain. State s ↔ perf state `max_state − s` (state 0 = highest
/// frequency); `set_cur_state` turns the state into a frequency-QoS *cap* (`max_frequency()`);
/// the cpufreq governor may still run lower.
///
/// Power-allocator callbacks, exactly as 6.12 computes them (P(f) = EM power in mW, floor of
/// µW/1000, of the lowest perf state with frequency ≥ f, the top one if f is above all):
/// * `get_requested_power()`: load_c = util_c·100 / capacity_c for each online CPU of the policy
///   (0 for offline ones), total = Σ load_c (0..100·n), request = P(f_cur) · total / 100 (floor);
///   `last_load` := total.
/// * `state2power(s)` = P(freq(s)) × number of *online* CPUs (note the asymmetry: the request
///   uses Σ load, this uses the CPU count).
/// * `power2state(P)`: norm = P·100 / max(last_load, 1); the highest EM index k ∈ [max..1] with
///   norm ≥ P[k] (else 0); state = max − k.
///
/// The CPUs' utilisation, capacity and online state and the policy's current frequency are
/// inputs the caller feeds (`set_cpu`, `set_current_frequency`); the kernel reads them from the
/// scheduler and cpufreq. If the EM is not sane (a power ≤ 0) the three power callbacks return
/// `not_supported`, as the kernel then registers the device without them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "thermo/control/concepts.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// What the cpufreq cooling device knows about one CPU of its policy.
struct cpufreq_cpu_load {
  std::uint32_t util{0};         ///< `sched_cpu_util` (0..capacity)
  std::uint32_t capacity{1024};  ///< `arch_scale_cpu_capacity` (> 0)
  bool online{true};
};

/// A cpufreq cooling device for a policy of at most `MaxCpus` CPUs over perf domain `Domain`
/// (held by value: pass a view such as `thermo::power::em_perf_domain_view`). Satisfies
/// `PowerActor`. Trivially copyable when `Domain` is.
template <PerfDomain Domain, std::size_t MaxCpus = 8>
class cpufreq_cooling {
  static_assert(MaxCpus > 0, "at least one CPU");

 public:
  /// Builds the device for a policy of `num_cpus` CPUs (all online, idle, capacity 1024).
  /// Errors: `empty` (no perf state), `not_increasing` (frequencies not strictly ascending,
  /// index = state), `out_of_range` (num_cpus not in 1..MaxCpus).
  [[nodiscard]] static constexpr result<cpufreq_cooling, error> create(const Domain& domain, std::size_t num_cpus) noexcept {
    const auto& st = domain.states();
    if (st.size() == 0) {
      return error{errc::empty, "cpufreq perf states"};
    }
    bool sane = true;
    for (std::size_t i = 0; i < st.size(); ++i) {
      if (i > 0 && !(kilohertz(st[i].frequency) > kilohertz(st[i - 1].frequency))) {
        return error{errc::not_increasing, "cpufreq perf state frequency", static_cast<std::int32_t>(i)};
      }
      sane = sane && microwatts(st[i].power).count() > 0;
    }
    if (num_cpus == 0 || num_cpus > MaxCpus) {
      return error{errc::out_of_range, "cpufreq policy CPU count", static_cast<std::int32_t>(num_cpus)};
    }
    return cpufreq_cooling(domain, num_cpus, sane);
  }

  [[nodiscard]] constexpr cooling_state get_max_state() const noexcept {
    return static_cast<cooling_state>(domain_.states().size() - 1);
  }
  [[nodiscard]] constexpr cooling_state get_cur_state() const noexcept { return state_; }
  /// `out_of_range` above max_state; an unchanged state is a no-op; else the cap becomes
  /// freq(s).
  [[nodiscard]] constexpr errc set_cur_state(cooling_state s) noexcept {
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    if (s == state_) {
      return errc::ok;
    }
    state_ = s;
    max_frequency_ = frequency_of(s);
    return errc::ok;
  }

  /// The frequency-QoS max request (kHz): the policy may not run above it.
  [[nodiscard]] constexpr kilohertz max_frequency() const noexcept { return max_frequency_; }
  /// The frequency of cooling state `s` (precondition s ≤ max_state).
  [[nodiscard]] constexpr kilohertz frequency_of(cooling_state s) const noexcept {
    return kilohertz(domain_.states()[get_max_state() - s].frequency);
  }
  /// True when the EM is sane and the power callbacks are available.
  [[nodiscard]] constexpr bool has_power_model() const noexcept { return sane_; }

  // ---- inputs ----
  /// The policy's current frequency (`cpufreq_quick_get`), kHz.
  constexpr void set_current_frequency(kilohertz f) noexcept { cur_freq_ = f; }
  [[nodiscard]] constexpr kilohertz current_frequency() const noexcept { return cur_freq_; }
  /// Utilisation, capacity and online state of CPU `i` of the policy. `out_of_range` for
  /// i ≥ num_cpus, `invalid_argument` for capacity 0.
  [[nodiscard]] constexpr errc set_cpu(std::size_t i, cpufreq_cpu_load load) noexcept {
    if (i >= num_cpus_) {
      return errc::out_of_range;
    }
    if (load.capacity == 0) {
      return errc::invalid_argument;
    }
    cpus_[i] = load;
    return errc::ok;
  }
  [[nodiscard]] constexpr std::size_t num_cpus() const noexcept { return num_cpus_; }
  /// Σ load of the last `get_requested_power` (0..100·n).
  [[nodiscard]] constexpr std::uint32_t last_load() const noexcept { return last_load_; }

  // ---- PowerActor ----
  [[nodiscard]] constexpr result<milliwatts> get_requested_power() noexcept {
    if (!sane_) {
      return errc::not_supported;
    }
    std::uint32_t total = 0;
    for (std::size_t i = 0; i < num_cpus_; ++i) {
      if (cpus_[i].online) {
        total += static_cast<std::uint32_t>(static_cast<std::uint64_t>(cpus_[i].util) * 100U / cpus_[i].capacity);
      }
    }
    last_load_ = total;
    const std::uint64_t p = power_at(cur_freq_) * total / 100U;
    return milliwatts(static_cast<std::int32_t>(p));
  }
  [[nodiscard]] constexpr result<milliwatts> state2power(cooling_state s) const noexcept {
    if (!sane_) {
      return errc::not_supported;
    }
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    std::uint64_t online = 0;
    for (std::size_t i = 0; i < num_cpus_; ++i) {
      online += cpus_[i].online ? 1U : 0U;
    }
    return milliwatts(static_cast<std::int32_t>(power_at(frequency_of(s)) * online));
  }
  /// `invalid_argument` for a negative budget.
  [[nodiscard]] constexpr result<cooling_state> power2state(milliwatts p) const noexcept {
    if (!sane_) {
      return errc::not_supported;
    }
    if (p.count() < 0) {
      return errc::invalid_argument;
    }
    const std::uint64_t load = last_load_ != 0 ? last_load_ : 1U;
    const std::uint64_t norm = static_cast<std::uint64_t>(p.count()) * 100U / load;
    const auto& st = domain_.states();
    std::size_t k = st.size() - 1;
    for (; k > 0; --k) {
      if (norm >= power_mw(k)) {
        break;
      }
    }
    return static_cast<cooling_state>(get_max_state() - k);
  }

  /// EM power of perf state `k` in mW (floor of µW / 1000).
  [[nodiscard]] constexpr std::uint64_t power_mw(std::size_t k) const noexcept {
    return static_cast<std::uint64_t>(microwatts(domain_.states()[k].power).count()) / 1000U;
  }
  /// `cpu_freq_to_power`: P of the lowest perf state with frequency ≥ f (the top one if f is
  /// higher than all), mW.
  [[nodiscard]] constexpr std::uint64_t power_at(kilohertz f) const noexcept {
    const auto& st = domain_.states();
    std::size_t k = 0;
    while (k + 1 < st.size() && f > kilohertz(st[k].frequency)) {
      ++k;
    }
    return power_mw(k);
  }

 private:
  constexpr cpufreq_cooling(const Domain& d, std::size_t n, bool sane) noexcept
      : domain_(d),
        max_frequency_(kilohertz(d.states()[d.states().size() - 1].frequency)),
        cur_freq_(max_frequency_),
        num_cpus_(n),
        sane_(sane) {}
  Domain domain_;
  std::array<cpufreq_cpu_load, MaxCpus> cpus_{};
  kilohertz max_frequency_{0};
  kilohertz cur_freq_{0};
  std::size_t num_cpus_{1};
  std::uint32_t last_load_{0};
  cooling_state state_{0};
  bool sane_{true};
};

}  // namespace thermo::control
