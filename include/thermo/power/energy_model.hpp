/// @file energy_model.hpp
/// The Linux Energy Model (EM) of a performance domain, computed exactly as Linux 6.12 does.
///
/// A perf domain is a set of CPUs sharing one clock (a cluster) or one device (a GPU). Its table
/// holds, per performance state in ascending frequency:
///
/// * `frequency` (kHz): strictly increasing;
/// * `power` (µW, per CPU): `floor(C · mV² · MHz / 10⁶)` from `dynamic-power-coefficient` C, or
///   the OPPs' `opp-microwatt`;
/// * `performance` (capacity units): `floor(cap · f / f_max)` (CPU domains only);
/// * `cost`: `floor(10 · P / perf)` (≥ 6.9) or `floor(f_max · P / f)` (≤ 6.8);
/// * `flags`: `em_perf_state_inefficient` when the cost is ≥ the cost of a faster state.
///
/// Registration rejects what the kernel rejects (empty table, non-increasing frequency, power 0
/// or above `em_max_power`, unequal CPU capacities, too many CPUs, non-µW non-artificial tables)
/// and a few inputs the kernel would turn into garbage (performance 0 → division by zero, CPU
/// ids beyond the 64-bit mask, duplicate CPUs). Every error names the row or CPU.
///
/// The cpufreq cooling device uses: `max_state()`, `state_to_index()`, `find_ceil()` and
/// `power_mw()`; the scheduler-side estimate is `cpu_energy()` (`em_cpu_energy`).
///
///     auto em = em_perf_domain<>::make_from_opps(opps, 436, cpus);     // RK3399 A72
///     if (!em) { /* em.error().what, em.error().index name the bad row */ }
///     milliwatts p = em->power_mw(*em->state_to_index(0));             // fastest OPP, mW
///
/// Device-side: integer arithmetic only, no heap, no exceptions; usable in constant
/// expressions. See docs/explanation/energy-model.md and docs/reference/power.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/fwd.hpp"
#include "thermo/power/opp.hpp"

namespace thermo::power {

/// `EM_MAX_POWER`: the largest power (per CPU) a perf state may have, 64 W in µW.
inline constexpr microwatts em_max_power{64'000'000};

/// `EM_MAX_NUM_CPUS` for a 64-bit and a 32-bit kernel (overflow guard of `em_cpu_energy`).
inline constexpr std::uint32_t em_max_num_cpus_64bit = 4096;
inline constexpr std::uint32_t em_max_num_cpus_32bit = 16;
/// `EM_MAX_NUM_CPUS` for the pointer width of the target this is compiled for.
inline constexpr std::uint32_t em_max_num_cpus =
    sizeof(void*) >= 8 ? em_max_num_cpus_64bit : em_max_num_cpus_32bit;

/// `SCHED_CAPACITY_SCALE`: the capacity of the biggest CPU at its highest frequency.
inline constexpr std::uint32_t sched_capacity_scale = 1024;

/// Highest CPU id a perf domain may name (CPU sets are 64-bit masks).
inline constexpr std::uint32_t em_max_cpu_id = 63;

/// Perf-state flag `EM_PERF_STATE_INEFFICIENT`.
inline constexpr std::uint32_t em_perf_state_inefficient = 1U << 0;
/// Perf-domain flags `EM_PERF_DOMAIN_MICROWATTS`, `…_SKIP_INEFFICIENCIES`, `…_ARTIFICIAL`.
inline constexpr std::uint32_t em_perf_domain_microwatts = 1U << 0;
inline constexpr std::uint32_t em_perf_domain_skip_inefficiencies = 1U << 1;
inline constexpr std::uint32_t em_perf_domain_artificial = 1U << 2;

/// Which kernel generation's cost formula (and `em_cpu_energy`) a domain follows.
enum class em_cost_model : std::uint8_t {
  v6_9,         ///< Linux ≥ 6.9 (default): cost = floor(10·P/perf); energy = cost·sum_util
  legacy_v6_8,  ///< Linux 6.0–6.8: cost = floor(f_max·P/f); energy with 25 % headroom, by frequency
};

/// One performance state of a perf domain (`struct em_perf_state`).
struct em_perf_state {
  std::uint32_t performance{};  ///< CPU capacity units at this frequency (0 for devices)
  kilohertz frequency;          ///< kHz
  microwatts power;             ///< µW, per CPU for CPU domains
  std::uint64_t cost{};         ///< cost coefficient (0 for devices)
  std::uint32_t flags{};        ///< `em_perf_state_inefficient` or 0

  /// True when a faster state has a cost no higher than this one's.
  [[nodiscard]] constexpr bool inefficient() const noexcept {
    return (flags & em_perf_state_inefficient) != 0;
  }
  /// Power in mW as the cooling devices and IPA use it: floor(µW / 1000).
  [[nodiscard]] constexpr milliwatts power_mw() const noexcept {
    return milliwatts(static_cast<std::int32_t>(power.count() / 1000));
  }
  friend constexpr bool operator==(const em_perf_state&, const em_perf_state&) noexcept = default;
};

/// One (frequency, power) pair as a driver's `active_power` callback reports it.
struct em_state_input {
  kilohertz frequency;  ///< kHz
  microwatts power;     ///< µW per CPU
};

/// One CPU of a CPU perf domain: its logical id and its capacity (`arch_scale_cpu_capacity`,
/// 1..1024, see `normalize_cpu_capacity`).
struct em_cpu {
  std::uint32_t id{};
  std::uint32_t capacity{sched_capacity_scale};
};

/// Registration options (the kernel's flags and build parameters).
struct em_options {
  em_cost_model cost_model = em_cost_model::v6_9;
  /// cpufreq accepted the inefficiency marks: the domain gets `…_SKIP_INEFFICIENCIES` when at
  /// least one state is inefficient, and `efficient_state()` skips those states.
  bool skip_inefficiencies = true;
  /// Power values are µW (`…_MICROWATTS`). 6.12 refuses a non-artificial EM without it.
  bool microwatts = true;
  /// Abstract power scale (`…_ARTIFICIAL`); costs are still computed by the formula here.
  bool artificial = false;
  /// `EM_MAX_NUM_CPUS`; defaults to the value for this target's word size.
  std::uint32_t max_num_cpus = em_max_num_cpus;
};

/// Power of one OPP from the device tree's `dynamic-power-coefficient` C, with the kernel's
/// integer rounding (`dev_pm_opp_calc_power`, v6.0+):
/// `floor(C · floor(µV/1000)² · floor(kHz/1000) / 10⁶)` µW.
/// A product that would overflow 64 bits saturates (and is then rejected as above
/// `em_max_power`). A non-positive voltage gives 0 µW. O(1).
[[nodiscard]] constexpr microwatts em_dt_power(std::uint32_t coefficient, microvolts voltage,
                                               kilohertz frequency) noexcept {
  if (voltage.count() <= 0) {
    return microwatts(0);
  }
  const auto mv = static_cast<std::uint64_t>(voltage.count()) / 1000U;
  const std::uint64_t mhz = frequency.count() / 1000U;
  const std::uint64_t mv2 = mv * mv;  // mv < 2^31 / 1000, so no overflow
  std::uint64_t p = coefficient;
  if (__builtin_mul_overflow(p, mv2, &p) || __builtin_mul_overflow(p, mhz, &p)) {
    return microwatts::max();
  }
  p /= 1'000'000U;
  if (p > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return microwatts::max();
  }
  return microwatts(static_cast<std::int64_t>(p));
}

/// Input of `normalize_cpu_capacity`: a CPU's `capacity-dmips-mhz` and its policy's highest
/// non-boost frequency (`cpuinfo.max_freq`).
struct cpu_capacity_input {
  std::uint32_t capacity_dmips_mhz{};
  kilohertz max_frequency;
};

/// CPU capacities the way arch_topology normalises them (kernel-reference §4.5):
/// `raw_c = dmips_c · f_c`, `capacity_c = floor(raw_c · 1024 / max raw)`.
///
/// @param cpus  one entry per CPU
/// @param out   receives one capacity per CPU (same size as `cpus`)
/// @return `error{}` or: `empty`, `invalid_argument` "capacity output size",
///         `non_positive` "capacity-dmips-mhz" / "cpu max frequency", `out_of_range` when
///         dmips · kHz · 1024 overflows 64 bits (index = CPU). The kernel
///         silently falls back to 1024 for every CPU when one lacks `capacity-dmips-mhz`; here it
///         is an error so the caller decides.
/// Complexity: O(n).
[[nodiscard]] constexpr error normalize_cpu_capacity(std::span<const cpu_capacity_input> cpus,
                                                     std::span<std::uint32_t> out) noexcept {
  if (cpus.empty()) {
    return {errc::empty, "cpus"};
  }
  if (out.size() != cpus.size()) {
    return {errc::invalid_argument, "capacity output size"};
  }
  // raw · 1024 must fit 64 bits (the kernel shifts in u64 too); real values are ~10⁹.
  constexpr std::uint64_t max_allowed_raw = std::numeric_limits<std::uint64_t>::max() >> 10U;
  std::uint64_t max_raw = 0;
  for (std::size_t i = 0; i < cpus.size(); ++i) {
    const auto cpu = static_cast<std::int32_t>(i);
    if (cpus[i].capacity_dmips_mhz == 0) {
      return {errc::non_positive, "capacity-dmips-mhz", cpu};
    }
    if (cpus[i].max_frequency.count() == 0) {
      return {errc::non_positive, "cpu max frequency", cpu};
    }
    const std::uint64_t raw =
        std::uint64_t{cpus[i].capacity_dmips_mhz} * cpus[i].max_frequency.count();
    if (raw > max_allowed_raw) {
      return {errc::out_of_range, "capacity-dmips-mhz x max frequency (overflow)", cpu};
    }
    max_raw = raw > max_raw ? raw : max_raw;
  }
  for (std::size_t i = 0; i < cpus.size(); ++i) {
    const std::uint64_t raw =
        std::uint64_t{cpus[i].capacity_dmips_mhz} * cpus[i].max_frequency.count();
    out[i] = static_cast<std::uint32_t>((raw << 10U) / max_raw);
  }
  return {};
}

class em_perf_domain_view;

namespace detail {

/// Lookups shared by the owning `em_perf_domain<N>` and the non-owning `em_perf_domain_view`.
/// `Derived` provides `states()`, `flags()`, `cpus()`, `cpu_capacity()` and `cost_model()`.
template <class Derived>
class em_lookups {
  friend Derived;
  constexpr em_lookups() noexcept = default;

 public:
  /// Number of performance states (≥ 1).
  [[nodiscard]] constexpr std::size_t nr_perf_states() const noexcept {
    return self().states().size();
  }
  /// State `i`; precondition `i < nr_perf_states()`.
  [[nodiscard]] constexpr const em_perf_state& operator[](std::size_t i) const noexcept {
    THERMO_ASSERT(i < nr_perf_states());
    return self().states()[i];
  }
  /// The fastest state.
  [[nodiscard]] constexpr const em_perf_state& highest() const noexcept {
    return self().states().back();
  }
  /// The slowest state.
  [[nodiscard]] constexpr const em_perf_state& lowest() const noexcept {
    return self().states().front();
  }

  /// True for a CPU domain (performance and cost computed), false for a device (GPU …).
  [[nodiscard]] constexpr bool is_cpu_domain() const noexcept { return self().cpus() != 0; }
  /// Number of CPUs in the domain's span (0 for a device domain).
  [[nodiscard]] constexpr std::uint32_t nr_cpus() const noexcept {
    return static_cast<std::uint32_t>(__builtin_popcountll(self().cpus()));
  }
  /// True when CPU `id` belongs to this domain.
  [[nodiscard]] constexpr bool contains_cpu(std::uint32_t id) const noexcept {
    return id <= em_max_cpu_id && ((self().cpus() >> id) & 1U) != 0;
  }
  /// True when `efficient_state()` skips inefficient states.
  [[nodiscard]] constexpr bool skips_inefficiencies() const noexcept {
    return (self().flags() & em_perf_domain_skip_inefficiencies) != 0;
  }

  /// Highest cooling state of a cooling device over this EM: `nr_perf_states() − 1`.
  [[nodiscard]] constexpr std::size_t max_state() const noexcept { return nr_perf_states() - 1; }
  /// Cooling state → EM index (`max_state − state`, state 0 = fastest);
  /// `errc::out_of_range` when state > max_state(). O(1).
  [[nodiscard]] constexpr result<std::size_t> state_to_index(std::size_t state) const noexcept {
    return detail::state_to_index(nr_perf_states(), state);
  }
  /// EM index → cooling state; `errc::out_of_range` when index ≥ nr_perf_states(). O(1).
  [[nodiscard]] constexpr result<std::size_t> index_to_state(std::size_t index) const noexcept {
    return detail::state_to_index(nr_perf_states(), index);
  }
  /// Lowest state with frequency ≥ f; `errc::out_of_range` above the highest state. O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_ceil(kilohertz f) const noexcept {
    return detail::find_ceil(self().states(), f);
  }
  /// Highest state with frequency ≤ f; `errc::out_of_range` below the lowest state. O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_floor(kilohertz f) const noexcept {
    return detail::find_floor(self().states(), f);
  }
  /// The state with exactly frequency f; `errc::not_found` otherwise (devfreq cooling needs an
  /// exact match). O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_exact(kilohertz f) const noexcept {
    return detail::find_exact(self().states(), f);
  }
  /// Lowest state with frequency ≥ f, clamped to the highest state: the rule cpufreq cooling
  /// and DTPM use to price the current frequency. O(log n).
  [[nodiscard]] constexpr std::size_t ceil_index_clamped(kilohertz f) const noexcept {
    const std::size_t i = detail::first_at_or_above(self().states(), f);
    return i < nr_perf_states() ? i : nr_perf_states() - 1;
  }
  /// Power of state `i` in mW (floor(µW/1000)); precondition `i < nr_perf_states()`.
  [[nodiscard]] constexpr milliwatts power_mw(std::size_t i) const noexcept {
    return (*this)[i].power_mw();
  }

  /// `em_pd_get_efficient_state`: the lowest state whose performance is ≥ `max_util`, skipping
  /// inefficient states when the domain has `…_SKIP_INEFFICIENCIES`; the highest state when none
  /// qualifies. O(log n + skipped states).
  [[nodiscard]] constexpr std::size_t efficient_state(std::uint64_t max_util) const noexcept {
    const auto states = self().states();
    std::size_t lo = 0;
    std::size_t hi = states.size();
    while (lo < hi) {  // performance is non-decreasing in the index
      const std::size_t mid = lo + ((hi - lo) / 2);
      if (states[mid].performance < max_util) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (skips_inefficiencies()) {
      while (lo < states.size() && states[lo].inefficient()) {
        ++lo;
      }
    }
    return lo < states.size() ? lo : states.size() - 1;
  }

  /// `em_cpu_energy`: the energy estimate of the domain for the scheduler.
  ///
  /// ≥ 6.9: `u = min(max_util, allowed_cpu_cap)`, k = `efficient_state(u)`, energy =
  /// `cost_k · sum_util`. ≤ 6.8 (`em_cost_model::legacy_v6_8`): `u = min(max_util + max_util/4,
  /// allowed_cpu_cap)`, `f = f_max · u / capacity`, k = lowest (efficient) state with f_k ≥ f,
  /// energy = `cost_k · sum_util / capacity`. Returns 0 when `sum_util` is 0.
  /// Precondition: CPU domain. O(log n).
  [[nodiscard]] constexpr std::uint64_t cpu_energy(std::uint64_t max_util, std::uint64_t sum_util,
                                                   std::uint64_t allowed_cpu_cap) const noexcept {
    THERMO_ASSERT(is_cpu_domain());
    if (sum_util == 0) {
      return 0;
    }
    const auto states = self().states();
    if (self().cost_model() == em_cost_model::v6_9) {
      const std::uint64_t u = max_util < allowed_cpu_cap ? max_util : allowed_cpu_cap;
      return states[efficient_state(u)].cost * sum_util;
    }
    const std::uint64_t scale_cpu = self().cpu_capacity();
    std::uint64_t u = max_util + (max_util >> 2U);
    u = u < allowed_cpu_cap ? u : allowed_cpu_cap;
    const std::uint64_t freq = std::uint64_t{states.back().frequency.count()} * u / scale_cpu;
    std::size_t k = 0;
    while (k < states.size() && std::uint64_t{states[k].frequency.count()} < freq) {
      ++k;
    }
    if (skips_inefficiencies()) {
      while (k < states.size() && states[k].inefficient()) {
        ++k;
      }
    }
    k = k < states.size() ? k : states.size() - 1;
    return states[k].cost * sum_util / scale_cpu;
  }

 private:
  [[nodiscard]] constexpr const Derived& self() const noexcept {
    return static_cast<const Derived&>(*this);
  }
};

}  // namespace detail

/// An Energy Model perf domain with room for `MaxStates` performance states.
///
/// Built only through `make()` / `make_from_opps()`, so every instance is valid. Copyable,
/// no heap; usable in constant expressions. Pass `view()` to code that must not depend on the
/// capacity (cooling devices, power budgets); the view refers to this object's storage.
template <std::size_t MaxStates /* = default_max_opps */>
class em_perf_domain : public detail::em_lookups<em_perf_domain<MaxStates>> {
 public:
  /// `em_dev_register_perf_domain`: a perf domain from its states (ascending frequency).
  ///
  /// @param states  (frequency, power) per state
  /// @param cpus    the CPUs of a CPU domain (id + capacity each); empty for a device domain
  ///                (then performance, cost and inefficiency are not computed, as in the kernel)
  /// @return the domain, or an error naming the state row (`index`, previous row in `index2`) or
  ///         the CPU position: `empty` "perf states"; `capacity_exceeded` "perf states" /
  ///         "cpus in perf domain (EM_MAX_NUM_CPUS)"; `invalid_argument` "em power unit …";
  ///         `out_of_range` "cpu id" / "cpu capacity"; `already_exists` "cpu id";
  ///         `invalid_argument` "cpu capacity (unequal in one perf domain)";
  ///         `non_positive` "em frequency" / "em power"; `negative` "em power";
  ///         `not_increasing` "em frequency"; `out_of_range` "em power (above EM_MAX_POWER)" /
  ///         "em performance (zero)".
  /// Complexity: O(states + cpus²).
  [[nodiscard]] static constexpr result<em_perf_domain, error> make(
      std::span<const em_state_input> states, std::span<const em_cpu> cpus,
      em_options opt = {}) noexcept {
    if (states.empty()) {
      return error{errc::empty, "perf states"};
    }
    if (states.size() > MaxStates) {
      return error{errc::capacity_exceeded, "perf states",
                   static_cast<std::int32_t>(states.size())};
    }
    if (!opt.microwatts && !opt.artificial) {
      return error{errc::invalid_argument,
                   "em power unit (non-artificial EM must be in microwatts)"};
    }
    em_perf_domain d;
    d.cost_model_ = opt.cost_model;
    if (const error e = d.set_cpus(cpus, opt.max_num_cpus); !e.ok()) {
      return e;
    }
    for (std::size_t i = 0; i < states.size(); ++i) {
      const auto row = static_cast<std::int32_t>(i);
      const em_state_input& s = states[i];
      if (i == 0 && s.frequency.count() == 0) {
        return error{errc::non_positive, "em frequency", row};
      }
      if (i > 0 && s.frequency <= states[i - 1].frequency) {
        return error{errc::not_increasing, "em frequency", row, row - 1};
      }
      if (s.power.count() == 0) {
        return error{errc::non_positive, "em power", row};
      }
      if (s.power.count() < 0) {
        return error{errc::negative, "em power", row};
      }
      if (s.power > em_max_power) {
        return error{errc::out_of_range, "em power (above EM_MAX_POWER)", row};
      }
      d.states_[d.size_++] = em_perf_state{
          .performance = 0, .frequency = s.frequency, .power = s.power, .cost = 0, .flags = 0};
    }
    if (d.cpus_ != 0) {
      if (const error e = d.compute_performance_and_costs(); !e.ok()) {
        return e;
      }
    }
    d.flags_ = (opt.microwatts ? em_perf_domain_microwatts : 0U) |
               (opt.artificial ? em_perf_domain_artificial : 0U);
    if (opt.skip_inefficiencies && d.cpus_ != 0) {
      for (const em_perf_state& s : d.states()) {
        if (s.inefficient()) {
          d.flags_ |= em_perf_domain_skip_inefficiencies;
          break;
        }
      }
    }
    return d;
  }

  /// `dev_pm_opp_of_register_em`: a perf domain from a device tree OPP table.
  ///
  /// Powers are the rows' `opp-microwatt` when given, otherwise `em_dt_power(coefficient, …)`.
  /// Errors: those of `validate_opps` ("opp …"), `not_supported` "dynamic-power-coefficient"
  /// when neither powers nor a coefficient exist (the kernel registers no EM), then those of
  /// `make()` with the same row numbers.
  [[nodiscard]] static constexpr result<em_perf_domain, error> make_from_opps(
      std::span<const opp> opps, std::uint32_t dynamic_power_coefficient,
      std::span<const em_cpu> cpus, em_options opt = {}) noexcept {
    if (const error e = validate_opps(opps, MaxStates); !e.ok()) {
      return e;
    }
    const bool explicit_power = opps.front().power.count() != 0;
    if (!explicit_power && dynamic_power_coefficient == 0) {
      return error{errc::not_supported, "dynamic-power-coefficient (absent: no Energy Model)"};
    }
    std::array<em_state_input, MaxStates> in{};
    for (std::size_t i = 0; i < opps.size(); ++i) {
      const opp& o = opps[i];
      in[i] = {o.frequency, explicit_power
                                ? o.power
                                : em_dt_power(dynamic_power_coefficient, o.voltage, o.frequency)};
    }
    return make(std::span<const em_state_input>(in.data(), opps.size()), cpus, opt);
  }

  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return MaxStates; }
  /// The states, ascending in frequency.
  [[nodiscard]] constexpr std::span<const em_perf_state> states() const noexcept {
    return {states_.data(), size_};
  }
  /// Domain flags (`em_perf_domain_*`).
  [[nodiscard]] constexpr std::uint32_t flags() const noexcept { return flags_; }
  /// CPU set as a bit mask (bit i = CPU i); 0 for a device domain.
  [[nodiscard]] constexpr std::uint64_t cpus() const noexcept { return cpus_; }
  /// The capacity shared by the domain's CPUs (1024 for device domains).
  [[nodiscard]] constexpr std::uint32_t cpu_capacity() const noexcept { return cpu_capacity_; }
  /// The cost formula this domain follows.
  [[nodiscard]] constexpr em_cost_model cost_model() const noexcept { return cost_model_; }
  /// A capacity-independent, non-owning view; valid while this object lives and is not moved.
  [[nodiscard]] constexpr em_perf_domain_view view() const noexcept;

 private:
  constexpr em_perf_domain() noexcept = default;

  constexpr error set_cpus(std::span<const em_cpu> cpus, std::uint32_t max_num_cpus) noexcept {
    if (cpus.size() > max_num_cpus) {
      return {errc::capacity_exceeded, "cpus in perf domain (EM_MAX_NUM_CPUS)",
              static_cast<std::int32_t>(cpus.size())};
    }
    for (std::size_t i = 0; i < cpus.size(); ++i) {
      const auto pos = static_cast<std::int32_t>(i);
      if (cpus[i].id > em_max_cpu_id) {
        return {errc::out_of_range, "cpu id", pos};
      }
      if (cpus[i].capacity == 0 || cpus[i].capacity > sched_capacity_scale) {
        return {errc::out_of_range, "cpu capacity", pos};
      }
      if (((cpus_ >> cpus[i].id) & 1U) != 0) {
        for (std::size_t j = 0; j < i; ++j) {
          if (cpus[j].id == cpus[i].id) {
            return {errc::already_exists, "cpu id", pos, static_cast<std::int32_t>(j)};
          }
        }
      }
      if (i > 0 && cpus[i].capacity != cpus[0].capacity) {
        return {errc::invalid_argument, "cpu capacity (unequal in one perf domain)", pos, 0};
      }
      cpus_ |= std::uint64_t{1} << cpus[i].id;
    }
    if (!cpus.empty()) {
      cpu_capacity_ = cpus[0].capacity;
    }
    return {};
  }

  constexpr error compute_performance_and_costs() noexcept {
    const std::uint64_t fmax = states_[size_ - 1].frequency.count();
    for (std::size_t i = 0; i < size_; ++i) {
      em_perf_state& s = states_[i];
      s.performance =
          static_cast<std::uint32_t>(std::uint64_t{cpu_capacity_} * s.frequency.count() / fmax);
      if (cost_model_ == em_cost_model::v6_9 && s.performance == 0) {
        // The kernel would divide by zero computing the cost.
        return {errc::out_of_range, "em performance (zero)", static_cast<std::int32_t>(i)};
      }
    }
    std::uint64_t min_cost = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = size_; i-- > 0;) {
      em_perf_state& s = states_[i];
      const auto p = static_cast<std::uint64_t>(s.power.count());
      s.cost = cost_model_ == em_cost_model::v6_9 ? 10U * p / s.performance
                                                  : fmax * p / s.frequency.count();
      if (s.cost >= min_cost) {
        s.flags |= em_perf_state_inefficient;
      } else {
        min_cost = s.cost;
      }
    }
    return {};
  }

  // A plain array (every slot initialised) so that a domain is a valid constant expression.
  std::array<em_perf_state, MaxStates> states_{};
  std::size_t size_{0};
  std::uint64_t cpus_{0};
  std::uint32_t flags_{0};
  std::uint32_t cpu_capacity_{sched_capacity_scale};
  em_cost_model cost_model_{em_cost_model::v6_9};
};

/// A non-owning view of a perf domain of any capacity (what cooling devices and power budgets
/// hold). Trivially copyable; the viewed domain must outlive it. All lookups of
/// `em_perf_domain` are available.
class em_perf_domain_view : public detail::em_lookups<em_perf_domain_view> {
 public:
  /// An empty view (no states); only assignable and `empty()`.
  constexpr em_perf_domain_view() noexcept = default;
  /// Implicit on purpose: a domain is usable wherever a view is expected.
  template <std::size_t N>
  constexpr em_perf_domain_view(  // NOLINT(google-explicit-constructor)
      const em_perf_domain<N>& d) noexcept
      : states_(d.states()),
        cpus_(d.cpus()),
        flags_(d.flags()),
        cpu_capacity_(d.cpu_capacity()),
        cost_model_(d.cost_model()) {}

  /// True for a default-constructed view.
  [[nodiscard]] constexpr bool empty() const noexcept { return states_.empty(); }
  [[nodiscard]] constexpr std::span<const em_perf_state> states() const noexcept { return states_; }
  [[nodiscard]] constexpr std::uint32_t flags() const noexcept { return flags_; }
  [[nodiscard]] constexpr std::uint64_t cpus() const noexcept { return cpus_; }
  [[nodiscard]] constexpr std::uint32_t cpu_capacity() const noexcept { return cpu_capacity_; }
  [[nodiscard]] constexpr em_cost_model cost_model() const noexcept { return cost_model_; }

 private:
  std::span<const em_perf_state> states_;
  std::uint64_t cpus_{0};
  std::uint32_t flags_{0};
  std::uint32_t cpu_capacity_{sched_capacity_scale};
  em_cost_model cost_model_{em_cost_model::v6_9};
};

template <std::size_t MaxStates>
constexpr em_perf_domain_view em_perf_domain<MaxStates>::view() const noexcept {
  return em_perf_domain_view(*this);
}

/// The kernel's "EM: exists for CPU" rule across domains: no CPU may belong to two perf
/// domains. Returns `already_exists` "cpu in two perf domains" with the two domain positions.
/// O(n²).
[[nodiscard]] constexpr error em_check_disjoint(
    std::span<const em_perf_domain_view> domains) noexcept {
  for (std::size_t i = 0; i < domains.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if ((domains[i].cpus() & domains[j].cpus()) != 0) {
        return {errc::already_exists, "cpu in two perf domains", static_cast<std::int32_t>(i),
                static_cast<std::int32_t>(j)};
      }
    }
  }
  return {};
}

}  // namespace thermo::power
