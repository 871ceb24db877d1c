/// @file power_allocator.hpp
/// The power allocator governor (IPA, "intelligent power allocation"), bit-exact with Linux
/// 6.12.117's `gov_power_allocator.c` as restated in kernel-reference.md §2.5 by default, and
/// with the split of other releases when given their `kernel_behaviour`
/// (control/kernel_version.hpp, docs/reference/kernel-versions.md).
///
/// Two layers:
/// * `ipa::` — the pure Q10 computations, no zone needed: default PID constants from the
///   sustainable power (`estimate_pid_constants`), the sustainable-power estimate and its
///   re-estimation rule (`get_sustainable_power`), the PID (`pid_controller`), the split of the
///   power budget (`divvy_up_power`) and the derivative divisor (`derivative_divisor`, the
///   kernel's jiffies round trip).
/// * `power_allocator_core` — the per-zone state (`struct power_allocator_params`) and the
///   kernel's routines over a span of `thermal_instance`s (bind, update_tz, manage), still
///   without a zone; `power_allocator<MaxActors>` adds the actor buffer and the `Governor`
///   callbacks that read a `thermal_zone_device`.
///
/// Kernel behaviours reproduced on purpose (see docs/explanation/governors.md):
/// * the integral only accumulates while err < integral_cutoff (default 0: only above the
///   control temperature) and while |i + k_i·err| < Σ max power, and is only reset below the
///   switch-on trip;
/// * the sustainable power, when 0, is estimated as Σ state2power(upper) at the first
///   allocation, written back to the zone parameters, and the gains are re-estimated; a later
///   change of the sustainable power re-estimates k_po/k_pu/k_i again (overwriting user gains);
/// * every actor gets 0 mW when the total weighted request is 0 (→ the deepest state) — Linux
///   6.12; 6.13+ grants every actor its maximum instead ("Granted power set to max when nobody
///   request power", 08eb0493f6b3, not backported), selected by `kernel_behaviour`;
/// * the first pass of the split uses the *weighted* requests (6.12.18+, 6.13.6+, 6.14+, and
///   ≤ 6.7); 6.8 … 6.12.17 and 6.13.0 … 6.13.5 used the unweighted requests over the weighted
///   total ("Fix incorrect calculation in divvy_up_power()", 4ecaa75771a7), selected by
///   `kernel_behaviour` (`set_kernel_behaviour`, `ipa::divvy_up_power`'s last parameter);
/// * an actor whose callbacks fail mid-round shifts the pairing of granted powers and
///   instances (the kernel's index quirk);
/// * below the switch-on trip, targets are 0 even when the cooling map's lower limit is not,
///   and the devices are only updated on the first round below it.
///
/// One deliberate difference: with a passive delay of 0 ms the kernel's derivative divides by
/// zero whatever k_d is (a trap on x86; 0 on arm64, whose `sdiv` returns 0). Here a zero divisor
/// gives d = 0, i.e. the arm64 result, and never traps.
///
/// No heap, exceptions, RTTI, globals or clocks. See docs/reference/governors.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
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
#include "thermo/core/errc.hpp"
#include "thermo/core/fixed_point.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

namespace ipa {

/// The kernel's default timer frequency on arm64 (`CONFIG_HZ_250`), used to turn the passive
/// delay into the derivative divisor.
inline constexpr std::uint32_t default_hz = 250;
/// 1.0 as an instance weight (DT `contribution`), also the weight every actor gets when all
/// weights are 0.
inline constexpr std::uint32_t weight_one = std::uint32_t{1} << frac_bits;
/// Sustainable powers must stay below this (2^21 mW ≈ 2.1 kW): above it `(2·sp) << 10`
/// overflows the kernel's u32 and the default gains would be garbage.
inline constexpr std::int32_t sustainable_power_limit = std::int32_t{1} << 21;
/// |integral_cutoff| must stay below this (m°C): the kernel shifts it into a 32-bit Q10 value.
inline constexpr std::int32_t integral_cutoff_limit = std::int32_t{1} << 21;

/// One actor's numbers in a round (`struct power_actor`), all in mW except `weighted_req_power`
/// (mW × weight / 1024).
struct power_actor {
  std::uint32_t req_power{0};           ///< `get_requested_power()`
  std::uint32_t max_power{0};           ///< `state2power(instance.lower)`
  std::uint32_t granted_power{0};       ///< the actor's share of the budget
  std::uint32_t extra_actor_power{0};   ///< room left below max_power after the first pass
  std::uint32_t weighted_req_power{0};  ///< `(weight · req_power) >> 10`
  friend constexpr bool operator==(const power_actor&, const power_actor&) noexcept = default;
};

/// The PID terms of one round. `err`, `p`, `i`, `d` and `err_integral` are Q10 (value · 1024);
/// `sustainable_power` and `power_range` are mW.
struct pid_terms {
  std::int32_t err{0};                  ///< to_frac(control_temp − T); positive = below target
  std::int64_t p{0};                    ///< proportional term
  std::int64_t i{0};                    ///< integral term
  std::int64_t d{0};                    ///< derivative term (after the division by the delay)
  std::int64_t err_integral{0};         ///< accumulated error after this round
  std::uint32_t sustainable_power{0};   ///< feed-forward power used in this round
  std::uint32_t power_range{0};         ///< sp + from_frac(p + i + d), clamped to [0, Σ max]
  friend constexpr bool operator==(const pid_terms&, const pid_terms&) noexcept = default;
};

/// The controller's memory (`err_integral`, `prev_err`) and the sustainable power it last
/// used (`params->sustainable_power`, the re-estimation trigger).
struct pid_state {
  std::int64_t err_integral{0};  ///< Q10
  std::int32_t prev_err{0};      ///< Q10
  std::uint32_t sustainable_power{0};
};

/// `reset_pid_controller`: forgets the integral and the previous error.
constexpr void reset_pid_controller(pid_state& s) noexcept {
  s.err_integral = 0;
  s.prev_err = 0;
}

/// `msecs_to_jiffies` for a timer frequency `hz` in 1..1000: ⌈ms·hz/1000⌉ ticks.
[[nodiscard]] constexpr std::uint64_t msecs_to_jiffies(std::uint32_t ms, std::uint32_t hz) noexcept {
  THERMO_ASSERT(hz > 0 && hz <= 1000);
  return (std::uint64_t{ms} * hz + 999U) / 1000U;
}
/// `jiffies_to_msecs` for `hz` in 1..1000: ⌈j·1000/hz⌉ ms (exact when hz divides 1000),
/// saturated at UINT32_MAX.
[[nodiscard]] constexpr std::uint32_t jiffies_to_msecs(std::uint64_t j, std::uint32_t hz) noexcept {
  THERMO_ASSERT(hz > 0 && hz <= 1000);
  const std::uint64_t ms = (j * 1000U + hz - 1U) / hz;
  return ms > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                        : static_cast<std::uint32_t>(ms);
}
/// The derivative divisor: the passive delay after the kernel's round trip through jiffies
/// (`jiffies_to_msecs(msecs_to_jiffies(ms))`), e.g. 250 ms → 252 ms at HZ = 250, 100 ms → 100 ms.
/// 0 ms stays 0 (see `pid_controller`). Negative delays count as 0.
[[nodiscard]] constexpr std::uint32_t derivative_divisor(milliseconds passive_delay,
                                                         std::uint32_t hz = default_hz) noexcept {
  const std::int64_t ms = passive_delay.count();
  if (ms <= 0) {
    return 0;
  }
  const std::uint32_t m = ms > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                                         : static_cast<std::uint32_t>(ms);
  return jiffies_to_msecs(msecs_to_jiffies(m, hz), hz);
}

/// `estimate_pid_constants`: default gains from the sustainable power `sp` (mW) and the span
/// between the switch-on trip (0 °C when there is none) and the control temperature:
/// `thr = control − switch_on` (as u32), `k_po = (sp << 10) / thr`, `k_pu = ((2·sp) << 10) / thr`,
/// `k_i = max(k_pu / 10, 1)`; k_d and integral_cutoff are left alone. Nothing changes when
/// thr = 0. All arithmetic is the kernel's u32 (wrapping) arithmetic. O(1).
constexpr void estimate_pid_constants(thermal_zone_params& tzp, std::uint32_t sp,
                                      std::optional<millicelsius> switch_on, millicelsius control_temp) noexcept {
  std::uint32_t thr = static_cast<std::uint32_t>(control_temp.count());
  if (switch_on) {
    thr -= static_cast<std::uint32_t>(switch_on->count());
  }
  if (thr == 0) {
    return;
  }
  tzp.k_po = static_cast<std::int32_t>(int_to_frac(sp) / thr);
  tzp.k_pu = static_cast<std::int32_t>(int_to_frac(2U * sp) / thr);
  const std::int32_t k_i = tzp.k_pu / 10;
  tzp.k_i = k_i > 0 ? k_i : 1;
}

/// `get_sustainable_power`: the zone's sustainable power, or `estimate` (Σ state2power(upper) of
/// the actors, computed by the caller) when the zone has none. When the value differs from the
/// one the controller last used, the gains are re-estimated and the value is written back to
/// `tzp.sustainable_power` ("estimate once, show in sysfs"). O(1).
[[nodiscard]] constexpr std::uint32_t get_sustainable_power(thermal_zone_params& tzp, pid_state& s,
                                                            std::uint32_t estimate,
                                                            std::optional<millicelsius> switch_on,
                                                            millicelsius control_temp) noexcept {
  const std::uint32_t sp =
      tzp.sustainable_power == 0 ? estimate : static_cast<std::uint32_t>(tzp.sustainable_power);
  if (sp != s.sustainable_power) {
    estimate_pid_constants(tzp, sp, switch_on, control_temp);
    tzp.sustainable_power = static_cast<std::int32_t>(sp);
    s.sustainable_power = sp;
  }
  return sp;
}

/// `pid_controller`: one PID step in Q10 towards `control_temp` at temperature `t`.
///
///     err = to_frac(control − T)
///     p   = mul_frac(err < 0 ? k_po : k_pu, err)
///     i   = mul_frac(k_i, err_integral)
///     if err < to_frac(integral_cutoff) and |i + mul_frac(k_i, err)| < to_frac(Σmax):
///         i += mul_frac(k_i, err); err_integral += err
///     d   = div_frac(mul_frac(k_d, err − prev_err), divisor_ms); prev_err = err
///     power_range = clamp(sp + from_frac(p + i + d), 0, Σmax)
///
/// `divisor_ms` is `derivative_divisor(passive_delay)`; when it is 0 the kernel would divide by
/// zero — here d = 0 (what arm64 computes). Integer overflow wraps exactly like the kernel's
/// (built with -fno-strict-overflow). Preconditions: none. O(1).
[[nodiscard]] constexpr pid_terms pid_controller(const thermal_zone_params& tzp, pid_state& s,
                                                 millicelsius control_temp, millicelsius t,
                                                 std::uint32_t max_allocatable_power, std::uint32_t sp,
                                                 std::uint32_t divisor_ms) noexcept {
  pid_terms r;
  r.sustainable_power = sp;
  const auto max_power_frac = static_cast<std::int32_t>(int_to_frac(max_allocatable_power));
  const std::int32_t e = ::thermo::wrap_sub(control_temp.count(), t.count());
  const std::int32_t err = int_to_frac(e);
  r.err = err;
  r.p = mul_frac(err < 0 ? tzp.k_po : tzp.k_pu, err);
  std::int64_t i = mul_frac(tzp.k_i, s.err_integral);
  if (err < int_to_frac(tzp.integral_cutoff)) {
    const std::int64_t i_next = ::thermo::wrap_add(i, mul_frac(tzp.k_i, err));
    const std::int64_t abs_next = i_next < 0 ? ::thermo::wrap_sub(std::int64_t{0}, i_next) : i_next;
    if (abs_next < max_power_frac) {
      i = i_next;
      s.err_integral = ::thermo::wrap_add(s.err_integral, std::int64_t{err});
    }
  }
  r.i = i;
  std::int64_t d = mul_frac(tzp.k_d, ::thermo::wrap_sub(err, s.prev_err));
  const auto divisor = static_cast<std::int32_t>(divisor_ms);  // div_s64 takes an s32
  if (divisor != 0 && !(divisor == -1 && ::thermo::wrap_shl(d, frac_bits) == std::numeric_limits<std::int64_t>::min())) {
    d = div_frac(d, divisor);
  } else {
    d = 0;  // arm64 semantics for x / 0 (the kernel's own code would divide by zero here)
  }
  r.d = d;
  s.prev_err = err;
  r.err_integral = s.err_integral;
  std::int64_t range = ::thermo::wrap_add(::thermo::wrap_add(r.p, i), d);
  range = ::thermo::wrap_add(std::int64_t{sp}, frac_to_int(range));
  if (range < 0) {
    range = 0;
  }
  if (range > std::int64_t{max_allocatable_power}) {
    range = max_allocatable_power;
  }
  r.power_range = static_cast<std::uint32_t>(range);
  return r;
}

/// `divvy_up_power`: splits `power_range` between the actors in proportion to their weighted
/// requests (round to closest, `(w·range + T/2) / T` on u64, T = `total_req_power`, the total
/// *weighted* request), caps each at its `max_power`, then gives the surplus to the
/// capped-below actors in proportion to their room (`extra_actor_power`), again rounded to
/// closest. Every slot of `actors` takes part (the kernel passes `num_actors`, including slots
/// of actors that failed this round). O(actors).
///
/// `kb` selects the kernel's variant of the function (control/kernel_version.hpp):
/// * `kb.weighted_split == false` (6.8 … 6.12.17, 6.13.0 … 6.13.5): the first pass multiplies
///   the *unweighted* `req_power` by the range, still over the weighted total — the
///   regression that "thermal: gov_power_allocator: Fix incorrect calculation in
///   divvy_up_power()" (4ecaa75771a7, 6.14; 6.12.18, 6.13.6) fixed;
/// * total request 0: with `kb.zero_request_grants_max` (6.13+, "thermal: gov_power_allocator:
///   Granted power set to max when nobody request power", 08eb0493f6b3) every actor is granted
///   its `max_power` and nothing else is touched (`extra_actor_power` keeps its value, as in
///   the kernel); without it (6.12) the total counts as 1 and every grant is 0 (a zero
///   weighted request times the range).
/// The default `kernel_behaviour{}` is Linux 6.12.117's.
constexpr void divvy_up_power(std::span<power_actor> actors, std::uint32_t total_req_power, std::uint32_t power_range,
                              const kernel_behaviour& kb = kernel_behaviour{}) noexcept {
  if (total_req_power == 0 && kb.zero_request_grants_max) {
    for (power_actor& pa : actors) {
      pa.granted_power = pa.max_power;
    }
    return;
  }
  const std::uint32_t total = total_req_power == 0 ? 1U : total_req_power;
  std::uint32_t extra_power = 0;
  std::uint32_t capped_extra_power = 0;
  for (power_actor& pa : actors) {
    const std::uint32_t share = kb.weighted_split ? pa.weighted_req_power : pa.req_power;
    const std::uint64_t req_range = std::uint64_t{share} * power_range;
    pa.granted_power = static_cast<std::uint32_t>(div_round_closest_ull(req_range, total));
    if (pa.granted_power > pa.max_power) {
      extra_power += pa.granted_power - pa.max_power;
      pa.granted_power = pa.max_power;
    }
    pa.extra_actor_power = pa.max_power - pa.granted_power;
    capped_extra_power += pa.extra_actor_power;
  }
  if (extra_power == 0 || capped_extra_power == 0) {
    return;
  }
  if (extra_power > capped_extra_power) {
    extra_power = capped_extra_power;
  }
  for (power_actor& pa : actors) {
    const std::uint64_t extra_range = std::uint64_t{pa.extra_actor_power} * extra_power;
    pa.granted_power += static_cast<std::uint32_t>(div_round_closest_ull(extra_range, capped_extra_power));
  }
}

/// Checks the power-allocator part of the zone parameters (what the sysfs files would accept,
/// narrowed to values the Q10 arithmetic handles without wrapping): sustainable power in
/// [0, 2^21) mW, k_po, k_pu, k_i, k_d ≥ 0, |integral_cutoff| < 2^21 m°C. The error names the
/// field. O(1).
[[nodiscard]] constexpr error validate_params(const thermal_zone_params& tzp) noexcept {
  if (tzp.sustainable_power < 0) {
    return {errc::negative, "sustainable_power"};
  }
  if (tzp.sustainable_power >= sustainable_power_limit) {
    return {errc::out_of_range, "sustainable_power must be below 2^21 mW"};
  }
  if (tzp.k_po < 0) {
    return {errc::negative, "k_po"};
  }
  if (tzp.k_pu < 0) {
    return {errc::negative, "k_pu"};
  }
  if (tzp.k_i < 0) {
    return {errc::negative, "k_i"};
  }
  if (tzp.k_d < 0) {
    return {errc::negative, "k_d"};
  }
  if (tzp.integral_cutoff <= -integral_cutoff_limit || tzp.integral_cutoff >= integral_cutoff_limit) {
    return {errc::out_of_range, "integral_cutoff must be within ±2^21 m°C"};
  }
  return {};
}

/// `cdev_is_power_actor` for an instance's device.
[[nodiscard]] inline bool is_power_actor(const thermal_instance& i) noexcept {
  return i.cdev != nullptr && i.cdev->device().is_power_actor();
}

/// The two trips the allocator uses (indices into the trip table, −1 = none).
struct governor_trips {
  std::int32_t switch_on{-1};  ///< first passive trip when there are ≥ 2 passive trips
  std::int32_t max{-1};        ///< last passive trip, else the only one, else the last active one
  friend constexpr bool operator==(const governor_trips&, const governor_trips&) noexcept = default;
};

/// `get_governor_trips` (6.12): scans the table in order by type only (hot, critical and the
/// temperature are ignored, as in the kernel; no reordering).
[[nodiscard]] constexpr governor_trips get_governor_trips(std::span<const thermal_trip_desc> trips) noexcept {
  std::int32_t first_passive = -1;
  std::int32_t last_passive = -1;
  std::int32_t last_active = -1;
  for (std::size_t k = 0; k < trips.size(); ++k) {
    const auto id = static_cast<std::int32_t>(k);
    if (trips[k].trip.type == trip_type::passive) {
      if (first_passive < 0) {
        first_passive = id;
      } else {
        last_passive = id;
      }
    } else if (trips[k].trip.type == trip_type::active) {
      last_active = id;
    }
  }
  if (last_passive >= 0) {
    return {first_passive, last_passive};
  }
  if (first_passive >= 0) {
    return {-1, first_passive};
  }
  return {-1, last_active};
}

/// The inputs of one `manage` round that come from the zone.
struct round_input {
  millicelsius temperature{0};                 ///< the zone temperature
  std::optional<millicelsius> switch_on{};     ///< switch-on trip temperature, if any
  std::optional<millicelsius> control_temp{};  ///< trip_max temperature (none: nothing to do)
  std::uint32_t divisor_ms{0};                 ///< `derivative_divisor(passive_delay)`
  sim_time now{};                             ///< passed to the cooling devices
};

/// What the last `manage` round did (for traces and tests).
struct round_trace {
  bool ran{false};             ///< false until the first round
  bool below_switch_on{false}; ///< the round reset the controller and released the actors
  bool allocated{false};       ///< the PID and divvy-up ran
  pid_terms pid{};
  std::uint32_t total_req_power{0};
  std::uint32_t total_weighted_req_power{0};
  std::uint32_t max_allocatable_power{0};
  std::uint32_t total_granted_power{0};
};

}  // namespace ipa

/// The per-zone state and routines of the power allocator (`struct power_allocator_params`
/// and the functions of gov_power_allocator.c) over a span of instances, with a
/// capacity-erased actor buffer. Use `power_allocator<MaxActors>`; this base is also usable
/// without a zone (the tests drive it with hand-made instances).
///
/// "Actors" are the instances bound to the trip `trip_max` whose device is a power actor; the
/// routines take all instances plus `trip_max` and filter, keeping bind order.
class power_allocator_core {
 public:
  power_allocator_core(const power_allocator_core&) = delete;
  power_allocator_core& operator=(const power_allocator_core&) = delete;
  power_allocator_core(power_allocator_core&&) = delete;
  power_allocator_core& operator=(power_allocator_core&&) = delete;

  /// The bind part that needs no zone (`power_allocator_bind` after the trip scan):
  /// rejects a zone with an instance of `trip_max` that is not a power actor
  /// (`invalid_argument`) or with more actors than the capacity (`capacity_exceeded`);
  /// then takes the zone's sustainable power, estimates the default gains (if there is a
  /// trip_max), resets the controller and sums the weights. `update_cdevs` starts false.
  /// The error names the offending instance. O(instances).
  [[nodiscard]] error bind(thermal_zone_params& tzp, std::span<thermal_instance> instances, std::int32_t trip_max,
                           std::optional<millicelsius> switch_on, std::optional<millicelsius> control_temp) noexcept {
    std::size_t n = 0;
    if (trip_max >= 0) {
      for (const thermal_instance& i : instances) {
        if (i.trip != trip_max) {
          continue;
        }
        if (!ipa::is_power_actor(i)) {
          return {errc::invalid_argument, "cooling device is not a power actor", i.id};
        }
        ++n;
      }
    }
    if (n > capacity_) {
      return {errc::capacity_exceeded, "more power actors than the allocator's capacity", static_cast<std::int32_t>(n)};
    }
    num_actors_ = n;
    state_ = ipa::pid_state{};
    update_cdevs_ = false;
    trace_ = ipa::round_trace{};
    last_error_ = errc::ok;
    if (tzp.sustainable_power != 0) {
      state_.sustainable_power = static_cast<std::uint32_t>(tzp.sustainable_power);
    }
    if (trip_max >= 0 && control_temp) {
      ipa::estimate_pid_constants(tzp, static_cast<std::uint32_t>(tzp.sustainable_power), switch_on, *control_temp);
    }
    ipa::reset_pid_controller(state_);
    update_weight(instances, trip_max);
    return {};
  }

  /// `update_tz(BIND_CDEV / UNBIND_CDEV)`: recounts the actors (a count above the capacity
  /// leaves the allocator without actors and `last_error()` = `capacity_exceeded`, like the
  /// kernel's failed buffer allocation), then re-sums the weights. O(instances).
  void update_actors(std::span<const thermal_instance> instances, std::int32_t trip_max) noexcept {
    const std::size_t n = count_actors(instances, trip_max);
    if (n != num_actors_) {
      if (n > capacity_) {
        num_actors_ = 0;
        last_error_ = errc::capacity_exceeded;
      } else {
        num_actors_ = n;
        last_error_ = errc::ok;
      }
    }
    update_weight(instances, trip_max);
  }

  /// `power_allocator_update_weight` (also `update_tz(INSTANCE_WEIGHT_CHANGED)`): total_weight
  /// := Σ weights of the actors (u32 wrap). O(instances).
  void update_weight(std::span<const thermal_instance> instances, std::int32_t trip_max) noexcept {
    if (trip_max < 0) {
      return;
    }
    std::uint32_t w = 0;
    for (const thermal_instance& i : instances) {
      if (i.trip == trip_max && ipa::is_power_actor(i)) {
        w += i.weight;
      }
    }
    total_weight_ = w;
  }

  /// `power_allocator_manage`: below the switch-on temperature resets the controller and
  /// releases every actor (`allow_maximum_power`); otherwise, if there is a control
  /// temperature, runs `allocate_power`. O(instances).
  void manage_instances(thermal_zone_params& tzp, std::span<thermal_instance> instances, std::int32_t trip_max,
                        const ipa::round_input& in) noexcept {
    trace_.ran = true;
    trace_.below_switch_on = false;
    trace_.allocated = false;
    if (in.switch_on && in.temperature < *in.switch_on) {
      ipa::reset_pid_controller(state_);
      allow_maximum_power(instances, trip_max, in.now);
      update_cdevs_ = false;
      trace_.below_switch_on = true;
      return;
    }
    if (trip_max < 0 || !in.control_temp) {
      return;
    }
    allocate_power(tzp, instances, trip_max, in);
    update_cdevs_ = true;
  }

  /// The controller state (integral, previous error, last sustainable power).
  [[nodiscard]] const ipa::pid_state& pid() const noexcept { return state_; }
  /// Whether the next round below switch-on will update the devices.
  [[nodiscard]] bool update_cdevs() const noexcept { return update_cdevs_; }
  /// Number of actors counted at bind / update_tz.
  [[nodiscard]] std::size_t num_actors() const noexcept { return num_actors_; }
  /// Σ weights of the actors (0 = every actor weighs 1024).
  [[nodiscard]] std::uint32_t total_weight() const noexcept { return total_weight_; }
  /// The actor slots of the last allocation (slot k = k-th actor that answered this round).
  [[nodiscard]] std::span<const ipa::power_actor> actors() const noexcept { return {buffer_, num_actors_}; }
  /// What the last round did.
  [[nodiscard]] const ipa::round_trace& last_round() const noexcept { return trace_; }
  /// `capacity_exceeded` after an update_tz that found too many actors, else `ok`.
  [[nodiscard]] errc last_error() const noexcept { return last_error_; }
  /// The actor capacity.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  /// Reproduces kernel behaviour `kb` (control/kernel_version.hpp; only its power-allocator
  /// fields matter here) from the next round on; kept across bind and unbind. Default:
  /// Linux 6.12.117's (`kernel_behaviour{}`).
  constexpr void set_kernel_behaviour(const kernel_behaviour& kb) noexcept { kb_ = kb; }
  /// The kernel behaviour the rounds reproduce.
  [[nodiscard]] constexpr const kernel_behaviour& behaviour() const noexcept { return kb_; }

 protected:
  constexpr power_allocator_core(ipa::power_actor* buffer, std::size_t capacity) noexcept
      : buffer_(buffer), capacity_(capacity) {}
  ~power_allocator_core() = default;

 private:
  [[nodiscard]] static std::size_t count_actors(std::span<const thermal_instance> instances,
                                                std::int32_t trip_max) noexcept {
    std::size_t n = 0;
    if (trip_max >= 0) {
      for (const thermal_instance& i : instances) {
        if (i.trip == trip_max && ipa::is_power_actor(i)) {
          ++n;
        }
      }
    }
    return n;
  }

  /// `estimate_sustainable_power`: Σ state2power(upper) over the actors that answer.
  [[nodiscard]] static std::uint32_t estimate_sustainable_power(std::span<thermal_instance> instances,
                                                                std::int32_t trip_max) noexcept {
    std::uint32_t sp = 0;
    for (thermal_instance& i : instances) {
      if (i.trip != trip_max || !ipa::is_power_actor(i)) {
        continue;
      }
      const result<milliwatts> p = i.cdev->device().state2power(i.upper);
      if (p && p->count() >= 0) {
        sp += static_cast<std::uint32_t>(p->count());
      }
    }
    return sp;
  }

  /// `allow_maximum_power`: every actor's target := 0, its load statistics refreshed through
  /// `get_requested_power`, and the device updated if the previous round allocated.
  void allow_maximum_power(std::span<thermal_instance> instances, std::int32_t trip_max, sim_time now) noexcept {
    if (trip_max < 0) {
      return;
    }
    for (thermal_instance& i : instances) {
      if (i.trip != trip_max || !ipa::is_power_actor(i)) {
        continue;
      }
      i.target = 0;
      static_cast<void>(i.cdev->device().get_requested_power());
      if (update_cdevs_) {
        i.cdev->update_nocheck(now);
      }
    }
  }

  /// Clamps a u32 power to what a `milliwatts` can hold.
  [[nodiscard]] static milliwatts to_mw(std::uint32_t p) noexcept {
    constexpr auto max = static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max());
    return milliwatts{static_cast<std::int32_t>(p > max ? max : p)};
  }

  /// `allocate_power`.
  void allocate_power(thermal_zone_params& tzp, std::span<thermal_instance> instances, std::int32_t trip_max,
                      const ipa::round_input& in) noexcept {
    const std::size_t n = num_actors_;
    if (n == 0) {
      return;
    }
    for (std::size_t k = 0; k < n; ++k) {
      buffer_[k] = ipa::power_actor{};
    }
    std::uint32_t total_req = 0;
    std::uint32_t total_weighted = 0;
    std::uint32_t max_alloc = 0;
    std::size_t k = 0;
    for (thermal_instance& i : instances) {
      if (i.trip != trip_max || !ipa::is_power_actor(i)) {
        continue;
      }
      if (k >= n) {
        break;  // more actors than counted (update_tz missed): the kernel would overrun
      }
      ipa::power_actor& pa = buffer_[k];
      any_cooling_device& dev = i.cdev->device();
      const result<milliwatts> req = dev.get_requested_power();
      if (!req || req->count() < 0) {
        continue;
      }
      pa.req_power = static_cast<std::uint32_t>(req->count());
      const std::uint32_t weight = total_weight_ == 0 ? ipa::weight_one : i.weight;
      pa.weighted_req_power = frac_to_int(weight * pa.req_power);
      const result<milliwatts> mx = dev.state2power(i.lower);
      if (!mx || mx->count() < 0) {
        continue;
      }
      pa.max_power = static_cast<std::uint32_t>(mx->count());
      total_req += pa.req_power;
      max_alloc += pa.max_power;
      total_weighted += pa.weighted_req_power;
      ++k;
    }

    std::uint32_t estimate = 0;
    if (tzp.sustainable_power == 0) {
      estimate = estimate_sustainable_power(instances, trip_max);
    }
    const std::uint32_t sp = ipa::get_sustainable_power(tzp, state_, estimate, in.switch_on, *in.control_temp);
    const ipa::pid_terms pid =
        ipa::pid_controller(tzp, state_, *in.control_temp, in.temperature, max_alloc, sp, in.divisor_ms);
    ipa::divvy_up_power(std::span<ipa::power_actor>(buffer_, n), total_weighted, pid.power_range, kb_);

    std::uint32_t total_granted = 0;
    k = 0;
    for (thermal_instance& i : instances) {
      if (i.trip != trip_max || !ipa::is_power_actor(i)) {
        continue;
      }
      if (k >= n) {
        break;
      }
      const std::uint32_t g = buffer_[k].granted_power;
      // power_actor_set_power
      const result<cooling_state> st = i.cdev->device().power2state(to_mw(g));
      if (st) {
        const cooling_state s = *st;
        i.target = s < i.lower ? i.lower : (s > i.upper ? i.upper : s);
        i.cdev->update_nocheck(in.now);
      }
      total_granted += g;
      ++k;
    }
    trace_.allocated = true;
    trace_.pid = pid;
    trace_.total_req_power = total_req;
    trace_.total_weighted_req_power = total_weighted;
    trace_.max_allocatable_power = max_alloc;
    trace_.total_granted_power = total_granted;
  }

  ipa::power_actor* buffer_;
  std::size_t capacity_;
  std::size_t num_actors_{0};
  std::uint32_t total_weight_{0};
  ipa::pid_state state_{};
  ipa::round_trace trace_{};
  kernel_behaviour kb_{};
  errc last_error_{errc::ok};
  bool update_cdevs_{false};
};

namespace detail {
/// The actor buffer of a `power_allocator`, a base so that it exists before the core points
/// into it.
template <std::size_t MaxActors>
struct power_actor_storage {
  std::array<ipa::power_actor, MaxActors> slots{};
};
}  // namespace detail

/// The power allocator governor for one zone, with room for `MaxActors` actors.
///
/// Bind it with `thermal_zone_device::setup` or `set_governor`; one object serves one zone at
/// a time (it holds that zone's PID state) — binding a second zone fails with
/// `already_exists`. Bind errors: `invalid_argument` (an instance of trip_max is not a
/// `PowerActor`), `capacity_exceeded`, the `ipa::validate_params` errors, `already_exists`.
///
/// Tuning at run time goes through the zone parameters, as sysfs does: write
/// `tz.params().k_po` … (used from the next round) or `sustainable_power` (the next round
/// re-estimates k_po/k_pu/k_i from it); `set_sustainable_power` / `set_pid_gains` validate first.
/// `manage` is O(instances) and makes 3 device calls per actor plus one update.
template <std::size_t MaxActors /* = 8 */>
class power_allocator final : private detail::power_actor_storage<MaxActors>, public power_allocator_core {
  static_assert(MaxActors > 0, "at least one actor");
  using storage = detail::power_actor_storage<MaxActors>;

 public:
  /// An unbound allocator using the timer frequency `hz` (1..1000, default 250) for the
  /// derivative divisor; an invalid `hz` is replaced by the default (check with `set_hz`).
  explicit power_allocator(std::uint32_t hz = ipa::default_hz) noexcept
      : storage(), power_allocator_core(storage::slots.data(), MaxActors), hz_(hz > 0 && hz <= 1000 ? hz : ipa::default_hz) {}
  power_allocator(const power_allocator&) = delete;
  power_allocator& operator=(const power_allocator&) = delete;
  power_allocator(power_allocator&&) = delete;
  power_allocator& operator=(power_allocator&&) = delete;
  ~power_allocator() = default;

  /// The governor name (sysfs `policy`).
  [[nodiscard]] static constexpr std::string_view name() noexcept { return "power_allocator"; }

  /// Sets the timer frequency used for the derivative divisor. `out_of_range` unless 1..1000.
  [[nodiscard]] errc set_hz(std::uint32_t hz) noexcept {
    if (hz == 0 || hz > 1000) {
      return errc::out_of_range;
    }
    hz_ = hz;
    return errc::ok;
  }
  [[nodiscard]] std::uint32_t hz() const noexcept { return hz_; }

  /// `power_allocator_bind`.
  [[nodiscard]] errc bind_to_tz(thermal_zone_device& tz) noexcept {
    return binding_.bind(tz, [&]() noexcept {
      const error v = ipa::validate_params(tz.params());
      if (!v.ok()) {
        return v.code;
      }
      trips_ = ipa::get_governor_trips(tz.trips());
      return bind(tz.params(), tz.instances(), trips_.max, temp_of(tz, trips_.switch_on),
                  temp_of(tz, trips_.max))
          .code;
    });
  }
  /// `power_allocator_unbind`.
  void unbind_from_tz(thermal_zone_device& tz) noexcept { binding_.unbind(tz); }
  /// `power_allocator_update_tz`.
  void update_tz(thermal_zone_device& tz, notify_event reason) noexcept {
    if (!binding_.bound_to(tz)) {
      return;
    }
    if (reason == notify_event::tz_bind_cdev || reason == notify_event::tz_unbind_cdev) {
      update_actors(tz.instances(), trips_.max);
    } else if (reason == notify_event::instance_weight_changed) {
      update_weight(tz.instances(), trips_.max);
    }
  }
  /// `power_allocator_manage`.
  void manage(thermal_zone_device& tz) noexcept {
    if (!binding_.bound_to(tz)) {
      return;
    }
    ipa::round_input in;
    in.temperature = tz.temperature();
    in.switch_on = temp_of(tz, trips_.switch_on);
    in.control_temp = temp_of(tz, trips_.max);
    in.divisor_ms = ipa::derivative_divisor(tz.passive_delay(), hz_);
    in.now = tz.now();
    manage_instances(tz.params(), tz.instances(), trips_.max, in);
  }

  /// The trips found at bind.
  [[nodiscard]] ipa::governor_trips trips() const noexcept { return trips_; }
  /// The zone this allocator is bound to, or null.
  [[nodiscard]] const thermal_zone_device* zone() const noexcept { return binding_.zone(); }

 private:
  [[nodiscard]] static std::optional<millicelsius> temp_of(const thermal_zone_device& tz, std::int32_t trip) noexcept {
    if (trip < 0) {
      return std::nullopt;
    }
    return tz.trip(static_cast<std::size_t>(trip)).trip.temperature;
  }

  single_zone_binding binding_{};
  ipa::governor_trips trips_{};
  std::uint32_t hz_;
};

/// sysfs `sustainable_power` store, validated: sets the zone's sustainable power (mW, 0 = let
/// the allocator estimate it). The power allocator re-estimates its gains on its next round.
/// Errors: `negative`, `out_of_range` (≥ 2^21 mW).
[[nodiscard]] inline error set_sustainable_power(thermal_zone_device& tz, milliwatts p) noexcept {
  thermal_zone_params candidate = tz.params();
  candidate.sustainable_power = p.count();
  const error e = ipa::validate_params(candidate);
  if (!e.ok()) {
    return e;
  }
  tz.params().sustainable_power = p.count();
  return {};
}

/// The PID gains and cutoff as the sysfs files `k_po`, `k_pu`, `k_i`, `k_d`,
/// `integral_cutoff` hold them (gains in Q10, 1024 ≙ 1 mW per m°C; cutoff in m°C).
struct pid_gains {
  std::int32_t k_po{0};
  std::int32_t k_pu{0};
  std::int32_t k_i{0};
  std::int32_t k_d{0};
  std::int32_t integral_cutoff{0};
};

/// The zone's current gains.
[[nodiscard]] inline pid_gains get_pid_gains(const thermal_zone_device& tz) noexcept {
  const thermal_zone_params& p = tz.params();
  return {p.k_po, p.k_pu, p.k_i, p.k_d, p.integral_cutoff};
}

/// sysfs stores of the five PID parameters at once, validated (all or nothing); used from the
/// allocator's next round and kept until the sustainable power changes or the governor is bound
/// again (both re-estimate k_po, k_pu and k_i). Errors: `negative` gain, `out_of_range` cutoff.
[[nodiscard]] inline error set_pid_gains(thermal_zone_device& tz, const pid_gains& g) noexcept {
  thermal_zone_params candidate = tz.params();
  candidate.k_po = g.k_po;
  candidate.k_pu = g.k_pu;
  candidate.k_i = g.k_i;
  candidate.k_d = g.k_d;
  candidate.integral_cutoff = g.integral_cutoff;
  const error e = ipa::validate_params(candidate);
  if (!e.ok()) {
    return e;
  }
  tz.params() = candidate;
  return {};
}

}  // namespace thermo::control
