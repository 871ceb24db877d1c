/// @file scp_thermal_mgmt.hpp
/// Arm SCP-firmware's `thermal_mgmt` module (commit b34e5ceb, Aug 2024; kernel-reference.md
/// part B) for firmware teams on Arm platforms: an integer PI(D) controller with a TDP
/// feed-forward and a cold-state budget, run in a slow loop, and a power distribution among
/// actors run every fast tick (every performance update), with weights, a second pass for the
/// spare power and a carry-over to the next tick.
///
/// Two forms:
/// * `scp::thermal_domain<MaxActors>` — one thermal domain exactly as the firmware runs it:
///   call `perf_update(platform, perf_request, perf_limit)` on every performance update; the
///   platform supplies the power model (`level_to_power`, `power_to_level`), the sensor
///   (`read_temperature`, synchronous or completed later through `on_temperature`) and the
///   optional activity factors and protection callbacks (see `ScpPlatform`, control/concepts.hpp).
/// * `scp_thermal_mgmt<MaxActors>` — the same controller as a zone governor: each `manage` is
///   one fast tick, the zone temperature is the sensor, the power actors bound to the
///   allocator's control trip (as for `power_allocator`) are the actors, and the perf limit
///   becomes the instance target.
///
/// Reproduced quirks (see docs/explanation/governors.md): the switch-on test compares u32 values
/// (a negative reading passes it) while the error uses the signed value; the read happens every
/// `slow_loop_mult + 1` ticks; an asynchronous reading not consumed by the next slow tick is a
/// panic; the integral has no lower bound; the budget has no upper bound; below switch-on the
/// cold-state budget is still distributed; all divisions truncate; the weighted products wrap in
/// 32 bits; an actor whose activity factor cannot be read is left out of the weighted total but
/// still gets a share; the second pass carries over nothing for an actor that was fully served.
/// One deliberate difference: a total weighted demand of 0 would divide by zero; here the
/// first-pass share is then 0, which is what a Cortex-M's UDIV returns by default.
///
/// No heap, exceptions, RTTI, globals or clocks.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "thermo/control/concepts.hpp"  // scp::ScpPlatform
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/fwd.hpp"
#include "thermo/control/governors/common.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo::control {

namespace scp {

/// `pid_controller` configuration (sensor units, e.g. °C in Arm's examples; m°C in the zone
/// governor). Gains are plain integers (power units per degree).
struct pid_config {
  std::uint32_t switch_on_temperature{0};  ///< below it: integral reset, cold-state budget
  std::uint32_t control_temperature{0};    ///< the target
  std::int32_t integral_cutoff{0};         ///< accumulate only while err < cutoff
  std::int32_t integral_max{0};            ///< accumulate only while integral + err < max
  std::int32_t k_p_undershoot{0};          ///< proportional gain below the target (err > 0)
  std::int32_t k_p_overshoot{0};           ///< proportional gain above the target (err < 0)
  std::int32_t k_integral{0};
  std::int32_t k_derivative{0};            ///< on the raw difference per slow loop
};

/// Optional temperature protection: `critical()` when T ≥ crit, else `warning()` when T ≥ warn,
/// on every slow loop.
struct protection_config {
  bool enabled{false};
  std::uint32_t warn_temp_threshold{0};
  std::uint32_t crit_temp_threshold{0};
};

/// One actor: the DVFS domain it limits (index into the perf arrays), its weight, and whether
/// it has an activity-factor driver.
struct actor_config {
  std::uint32_t dvfs_domain{0};
  std::uint16_t weight{0};
  bool activity_factor{false};
};

/// A thermal domain's configuration (`struct mod_thermal_mgmt_dev_config`).
struct domain_config {
  std::uint32_t slow_loop_mult{0};   ///< the PID runs every slow_loop_mult + 1 fast ticks
  std::uint16_t tdp{0};              ///< feed-forward power (same role as sustainable power)
  std::uint16_t cold_state_power{0}; ///< budget below the switch-on temperature
  pid_config pid{};
  protection_config protection{};
  std::span<const actor_config> actors{};  ///< copied by `configure`
};

/// The firmware's return codes for one update.
enum class status : std::uint8_t {
  success = 0,  ///< FWK_SUCCESS
  panic = 1,    ///< FWK_E_PANIC: the previous reading was not processed before the next slow tick
  device = 2,   ///< FWK_E_DEVICE: the sensor read could not be started
  param = 3,    ///< FWK_E_PARAM: an actor's DVFS domain is outside the perf arrays
};

/// One actor's numbers after the last tick (power units of the power model).
struct actor_state {
  std::uint32_t demand_power{0};
  std::uint32_t granted_power{0};
  std::uint32_t spare_power{0};
  std::uint32_t power_deficit{0};
};

/// `pi_control` as a pure step on (integral, previous error): returns the new thermal budget.
/// `t` is the sensor value as the firmware stores it (u32). Integer overflow of the products
/// and sums wraps (two's complement). O(1).
[[nodiscard]] constexpr std::uint32_t pid_step(const pid_config& c, std::uint16_t tdp, std::uint16_t cold_state_power,
                                               std::uint32_t t, std::int32_t& integral,
                                               std::int32_t& prev_err) noexcept {
  using ::thermo::wrap_add;
  using ::thermo::wrap_mul;
  using ::thermo::wrap_sub;
  if (t < c.switch_on_temperature) {
    integral = 0;
    prev_err = 0;
    return cold_state_power;
  }
  const std::int32_t err = wrap_sub(static_cast<std::int32_t>(c.control_temperature), static_cast<std::int32_t>(t));
  const std::int32_t k_p = err < 0 ? c.k_p_overshoot : c.k_p_undershoot;
  constexpr std::int32_t max = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t min = std::numeric_limits<std::int32_t>::min();
  if ((err > 0 && integral < max - err) || (err < 0 && integral > min - err)) {
    const std::int32_t terr = integral + err;
    if (err < c.integral_cutoff && terr < c.integral_max) {
      integral = terr;
    }
  }
  const std::int32_t deriv = wrap_sub(err, prev_err);
  prev_err = err;
  const std::int32_t pid =
      wrap_add(wrap_add(wrap_mul(k_p, err), wrap_mul(c.k_integral, integral)), wrap_mul(c.k_derivative, deriv));
  const std::int32_t total = wrap_add(pid, static_cast<std::int32_t>(tdp));
  return total > 0 ? static_cast<std::uint32_t>(total) : 0U;
}

/// Checks the controller part of a configuration: gains ≥ 0, switch-on ≤ control temperature,
/// warn ≤ crit when protection is on. The error names the field.
[[nodiscard]] constexpr error validate_controller(const domain_config& c) noexcept {
  if (c.pid.k_p_undershoot < 0) {
    return {errc::negative, "k_p_undershoot"};
  }
  if (c.pid.k_p_overshoot < 0) {
    return {errc::negative, "k_p_overshoot"};
  }
  if (c.pid.k_integral < 0) {
    return {errc::negative, "k_integral"};
  }
  if (c.pid.k_derivative < 0) {
    return {errc::negative, "k_derivative"};
  }
  if (c.pid.switch_on_temperature > c.pid.control_temperature) {
    return {errc::invalid_argument, "switch_on_temperature above control_temperature"};
  }
  if (c.protection.enabled && c.protection.warn_temp_threshold > c.protection.crit_temp_threshold) {
    return {errc::invalid_argument, "warn_temp_threshold above crit_temp_threshold"};
  }
  return {};
}

/// Checks a whole configuration: `validate_controller`, at most `capacity` actors, and at least
/// one actor or the protection (the firmware's own rule).
[[nodiscard]] constexpr error validate(const domain_config& c, std::size_t capacity) noexcept {
  if (c.actors.size() > capacity) {
    return {errc::capacity_exceeded, "more actors than the domain's capacity", static_cast<std::int32_t>(c.actors.size())};
  }
  if (c.actors.empty() && !c.protection.enabled) {
    return {errc::empty, "a thermal domain needs actors or temperature protection"};
  }
  return validate_controller(c);
}

/// One SCP thermal domain with room for `MaxActors` actors (plain values: copying it copies
/// the controller state). O(actors) per tick.
template <std::size_t MaxActors /* = 8 */>
class thermal_domain {
  static_assert(MaxActors > 0, "at least one actor");

 public:
  constexpr thermal_domain() noexcept = default;

  /// `thermal_mgmt_dev_init`: validates and copies the configuration, resets the controller
  /// state and starts with the TDP as budget ("assume TDP until the PI loop runs").
  [[nodiscard]] error configure(const domain_config& c) noexcept {
    const error e = validate(c, MaxActors);
    if (!e.ok()) {
      return e;
    }
    cfg_ = c;
    cfg_.actors = {};
    n_ = c.actors.size();
    for (std::size_t k = 0; k < n_; ++k) {
      actors_[k] = c.actors[k];
      state_[k] = actor_state{};
    }
    tick_counter_ = 0;
    cur_temp_ = 0;
    needs_update_ = false;
    integral_ = 0;
    prev_err_ = 0;
    carry_over_ = 0;
    thermal_allocatable_ = c.tdp;
    allocatable_ = 0;
    configured_ = true;
    return {};
  }

  /// `thermal_update` for this domain: the slow-loop bookkeeping (`control_update`), then, with
  /// actors, `distribute_power`. `perf_request[d]` is the level asked for DVFS domain d,
  /// `perf_limit[d]` the limit so far (lowered here when an actor's demand is not met).
  template <ScpPlatform Platform>
  [[nodiscard]] status perf_update(Platform& p, std::span<const std::uint32_t> perf_request,
                                   std::span<std::uint32_t> perf_limit) noexcept {
    const status s = control_update(p);
    if (s != status::success) {
      return s;
    }
    if (n_ == 0) {
      return status::success;
    }
    for (std::size_t k = 0; k < n_; ++k) {
      if (actors_[k].dvfs_domain >= perf_request.size() || actors_[k].dvfs_domain >= perf_limit.size()) {
        return status::param;
      }
    }
    std::array<std::uint32_t, MaxActors> demand{};
    for (std::size_t k = 0; k < n_; ++k) {
      const std::uint32_t d = actors_[k].dvfs_domain;
      const std::uint32_t level = perf_request[d] > perf_limit[d] ? perf_limit[d] : perf_request[d];
      demand[k] = p.level_to_power(k, level);
    }
    distribute(p, std::span<const std::uint32_t>(demand.data(), n_), perf_limit);
    return status::success;
  }

  /// `control_update`: counts the tick; every `slow_loop_mult + 1` ticks checks that the
  /// previous reading was consumed (else `panic`) and starts a read; then, if a reading is
  /// pending, runs the PID (when there are actors) and the protection.
  template <ScpPlatform Platform>
  [[nodiscard]] status control_update(Platform& p) noexcept {
    ++tick_counter_;
    if (tick_counter_ > cfg_.slow_loop_mult) {
      tick_counter_ = 0;
      if (needs_update_) {
        return status::panic;
      }
      if constexpr (requires { { p.read_temperature() } noexcept -> std::same_as<result<std::uint32_t>>; }) {
        const result<std::uint32_t> r = p.read_temperature();
        if (r) {
          on_temperature(*r);
        } else if (r.error() != errc::try_again) {
          return status::device;
        }
      }
    }
    if (needs_update_) {
      needs_update_ = false;
      if (n_ > 0) {
        thermal_allocatable_ = pid_step(cfg_.pid, cfg_.tdp, cfg_.cold_state_power, cur_temp_, integral_, prev_err_);
      }
      if (cfg_.protection.enabled) {
        protect(p);
      }
    }
    return status::success;
  }

  /// Completes an asynchronous reading (the firmware's `process_event`): stores the value and
  /// marks the controller for update on the next tick.
  constexpr void on_temperature(std::uint32_t t) noexcept {
    cur_temp_ = t;
    needs_update_ = true;
  }

  /// `distribute_power` with the actors' demands given (`demand[k]` for actor k): first pass in
  /// proportion to weight × demand, capped at the demand; second pass shares the spare power
  /// (plus the carry-over of the previous tick) in proportion to the deficits; then the perf
  /// limit of an actor whose demand is not met is lowered to `power_to_level(granted)`.
  template <ScpPlatform Platform>
  void distribute(Platform& p, std::span<const std::uint32_t> demand, std::span<std::uint32_t> perf_limit) noexcept {
    THERMO_ASSERT(demand.size() >= n_);
    std::uint32_t idle = 0;
    std::uint32_t tot_weighted = 0;
    std::uint32_t tot_spare = 0;
    std::uint32_t tot_deficit = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      actor_state& a = state_[k];
      a.demand_power = demand[k];
      if (actors_[k].activity_factor) {
        const result<std::uint16_t> act = activity(p, k);
        if (!act) {
          continue;  // the firmware's `continue`: this actor is left out of the weighted total
        }
        const std::uint32_t used = (a.granted_power * std::uint32_t{*act}) / 1024U;
        idle += a.granted_power - used;
      }
      tot_weighted += std::uint32_t{actors_[k].weight} * a.demand_power;
    }
    allocatable_ = thermal_allocatable_ + idle;
    for (std::size_t k = 0; k < n_; ++k) {
      actor_state& a = state_[k];
      const std::uint32_t num = std::uint32_t{actors_[k].weight} * a.demand_power * allocatable_;
      a.granted_power = tot_weighted == 0 ? 0U : num / tot_weighted;
      if (a.granted_power > a.demand_power) {
        a.spare_power = a.granted_power - a.demand_power;
        a.power_deficit = 0;
        a.granted_power = a.demand_power;
      } else {
        a.spare_power = 0;
        a.power_deficit = a.demand_power - a.granted_power;
      }
      tot_spare += a.spare_power;
      tot_deficit += a.power_deficit;
    }
    tot_spare += carry_over_;
    carry_over_ = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      actor_state& a = state_[k];
      if (tot_spare != 0 && a.power_deficit > 0) {
        a.granted_power += tot_deficit == 0 ? 0U : (a.power_deficit * tot_spare) / tot_deficit;
        if (a.granted_power > a.demand_power) {
          carry_over_ += a.granted_power - a.demand_power;
          a.granted_power = a.demand_power;
        } else {
          carry_over_ += a.spare_power;
        }
      }
      const std::uint32_t level = p.power_to_level(k, a.granted_power);
      const std::uint32_t d = actors_[k].dvfs_domain;
      if (d < perf_limit.size() && a.granted_power < a.demand_power && level < perf_limit[d]) {
        perf_limit[d] = level;
      }
    }
    last_tot_weighted_ = tot_weighted;
    last_tot_spare_ = tot_spare;
    last_tot_deficit_ = tot_deficit;
  }

  /// The budget from the last PID run (`thermal_allocatable_power`).
  [[nodiscard]] constexpr std::uint32_t thermal_allocatable_power() const noexcept { return thermal_allocatable_; }
  /// The budget of the last distribution (thermal budget + idle power of the actors).
  [[nodiscard]] constexpr std::uint32_t allocatable_power() const noexcept { return allocatable_; }
  [[nodiscard]] constexpr std::int32_t integral_error() const noexcept { return integral_; }
  [[nodiscard]] constexpr std::int32_t prev_error() const noexcept { return prev_err_; }
  [[nodiscard]] constexpr std::uint32_t carry_over_power() const noexcept { return carry_over_; }
  [[nodiscard]] constexpr std::uint32_t current_temperature() const noexcept { return cur_temp_; }
  [[nodiscard]] constexpr std::uint32_t tick_counter() const noexcept { return tick_counter_; }
  /// True while a reading waits to be processed.
  [[nodiscard]] constexpr bool control_needs_update() const noexcept { return needs_update_; }
  /// Σ weight × demand, Σ spare (incl. carry-over) and Σ deficit of the last distribution.
  [[nodiscard]] constexpr std::uint32_t last_total_weighted_demand() const noexcept { return last_tot_weighted_; }
  [[nodiscard]] constexpr std::uint32_t last_total_spare() const noexcept { return last_tot_spare_; }
  [[nodiscard]] constexpr std::uint32_t last_total_deficit() const noexcept { return last_tot_deficit_; }
  /// Warning / critical callbacks issued so far.
  [[nodiscard]] constexpr std::uint32_t warnings() const noexcept { return warnings_; }
  [[nodiscard]] constexpr std::uint32_t criticals() const noexcept { return criticals_; }
  [[nodiscard]] constexpr std::size_t num_actors() const noexcept { return n_; }
  /// Actor k's numbers after the last tick. Precondition: k < num_actors().
  [[nodiscard]] constexpr const actor_state& actor(std::size_t k) const noexcept {
    THERMO_ASSERT(k < n_);
    return state_[k];
  }
  [[nodiscard]] constexpr const actor_config& actor_configuration(std::size_t k) const noexcept {
    THERMO_ASSERT(k < n_);
    return actors_[k];
  }
  [[nodiscard]] constexpr const domain_config& config() const noexcept { return cfg_; }
  [[nodiscard]] constexpr bool configured() const noexcept { return configured_; }

 private:
  template <class Platform>
  [[nodiscard]] static result<std::uint16_t> activity(Platform& p, std::size_t k) noexcept {
    if constexpr (requires { { p.get_activity_factor(k) } noexcept -> std::same_as<result<std::uint16_t>>; }) {
      const result<std::uint16_t> r = p.get_activity_factor(k);
      if (r && *r > 1024U) {
        return errc::out_of_range;  // would make the idle power wrap: treated as a failed read
      }
      return r;
    } else {
      return errc::not_supported;
    }
  }

  template <class Platform>
  void protect(Platform& p) noexcept {
    if (cur_temp_ >= cfg_.protection.crit_temp_threshold) {
      ++criticals_;
      if constexpr (requires { p.critical(); }) {
        p.critical();
      }
    } else if (cur_temp_ >= cfg_.protection.warn_temp_threshold) {
      ++warnings_;
      if constexpr (requires { p.warning(); }) {
        p.warning();
      }
    }
  }

  domain_config cfg_{};
  std::array<actor_config, MaxActors> actors_{};
  std::array<actor_state, MaxActors> state_{};
  std::size_t n_{0};
  std::uint32_t tick_counter_{0};
  std::uint32_t cur_temp_{0};
  std::uint32_t thermal_allocatable_{0};
  std::uint32_t allocatable_{0};
  std::uint32_t carry_over_{0};
  std::uint32_t last_tot_weighted_{0};
  std::uint32_t last_tot_spare_{0};
  std::uint32_t last_tot_deficit_{0};
  std::uint32_t warnings_{0};
  std::uint32_t criticals_{0};
  std::int32_t integral_{0};
  std::int32_t prev_err_{0};
  bool needs_update_{false};
  bool configured_{false};
};

}  // namespace scp

/// SCP-firmware's thermal_mgmt as a zone governor (see the file comment).
///
/// Mapping: every `manage` is one fast tick; the zone temperature (m°C, as u32) is a synchronous
/// reading taken on slow ticks, so `pid` temperatures are in m°C; the actors are the power-actor
/// instances of the allocator's control trip (`ipa::get_governor_trips`), in bind order, with
/// their instance weight (≤ 65535); a perf level is `max_state − state`; an actor's demand is
/// its `get_requested_power()`; the perf limit starts each tick at the level of the instance's
/// `lower` limit and the resulting level becomes the target (clamped to [lower, upper]), with
/// the device updated. The `domain_config::actors` given to the constructor are ignored.
/// One object per zone. Bind errors: `already_exists` (bound to another zone), `invalid_argument`
/// (weight > 65535), `capacity_exceeded`, the `scp::validate` errors.
template <std::size_t MaxActors /* = 8 */>
class scp_thermal_mgmt {
 public:
  /// A governor using `cfg` (its `actors` are taken from the zone at bind).
  explicit scp_thermal_mgmt(const scp::domain_config& cfg = {}) noexcept : cfg_(cfg) { cfg_.actors = {}; }

  [[nodiscard]] static constexpr std::string_view name() noexcept { return "scp_thermal_mgmt"; }

  /// Collects the actors and configures the domain.
  [[nodiscard]] errc bind_to_tz(thermal_zone_device& tz) noexcept {
    return binding_.bind(tz, [&]() noexcept { return rebuild(tz); });
  }
  void unbind_from_tz(thermal_zone_device& tz) noexcept { binding_.unbind(tz); }
  /// A bound/unbound cooling device or a weight change rebuilds the actor table (the controller
  /// state restarts, as a firmware reconfiguration would).
  void update_tz(thermal_zone_device& tz, notify_event reason) noexcept {
    if (!binding_.bound_to(tz)) {
      return;
    }
    if (reason == notify_event::tz_bind_cdev || reason == notify_event::tz_unbind_cdev ||
        reason == notify_event::instance_weight_changed) {
      last_error_ = rebuild(tz);
    }
  }
  /// One fast tick.
  void manage(thermal_zone_device& tz) noexcept {
    if (!binding_.bound_to(tz) || !domain_.configured()) {
      return;
    }
    zone_platform p{this};
    p.temperature = static_cast<std::uint32_t>(tz.temperature().count());
    if (domain_.control_update(p) != scp::status::success || domain_.num_actors() == 0) {
      return;
    }
    std::array<std::uint32_t, MaxActors> demand{};
    std::array<std::uint32_t, MaxActors> limit{};
    for (std::size_t k = 0; k < domain_.num_actors(); ++k) {
      thermal_instance& i = *actors_[k];
      const result<milliwatts> req = i.cdev->device().get_requested_power();
      demand[k] = req && req->count() > 0 ? static_cast<std::uint32_t>(req->count()) : 0U;
      limit[k] = i.cdev->max_state() - i.lower;
    }
    domain_.distribute(p, std::span<const std::uint32_t>(demand.data(), domain_.num_actors()),
                       std::span<std::uint32_t>(limit.data(), domain_.num_actors()));
    for (std::size_t k = 0; k < domain_.num_actors(); ++k) {
      thermal_instance& i = *actors_[k];
      const cooling_state max = i.cdev->max_state();
      const cooling_state s = limit[k] > max ? 0U : max - limit[k];
      i.target = s < i.lower ? i.lower : (s > i.upper ? i.upper : s);
      i.initialized = true;
      i.cdev->update_nocheck(tz.now());
    }
  }

  /// The underlying domain (controller state, per-actor numbers).
  [[nodiscard]] const scp::thermal_domain<MaxActors>& domain() const noexcept { return domain_; }
  /// The error of the last actor-table rebuild after an `update_tz`, or `ok`.
  [[nodiscard]] errc last_error() const noexcept { return last_error_; }

 private:
  struct zone_platform {
    scp_thermal_mgmt* self;
    std::uint32_t temperature{0};
    [[nodiscard]] result<std::uint32_t> read_temperature() const noexcept { return temperature; }
    [[nodiscard]] std::uint32_t level_to_power(std::size_t k, std::uint32_t level) const noexcept {
      const thermal_instance& i = *self->actors_[k];
      const cooling_state max = i.cdev->max_state();
      const result<milliwatts> p = i.cdev->device().state2power(level > max ? 0U : max - level);
      return p && p->count() > 0 ? static_cast<std::uint32_t>(p->count()) : 0U;
    }
    [[nodiscard]] std::uint32_t power_to_level(std::size_t k, std::uint32_t power) const noexcept {
      const thermal_instance& i = *self->actors_[k];
      const cooling_state max = i.cdev->max_state();
      constexpr auto top = static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max());
      const result<cooling_state> s =
          i.cdev->device().power2state(milliwatts{static_cast<std::int32_t>(power > top ? top : power)});
      if (!s) {
        return max - i.lower;  // no answer: leave the limit where it is
      }
      return *s > max ? 0U : max - *s;
    }
  };

  [[nodiscard]] errc rebuild(thermal_zone_device& tz) noexcept {
    const std::int32_t trip = ipa::get_governor_trips(tz.trips()).max;
    std::array<scp::actor_config, MaxActors> cfgs{};
    std::size_t n = 0;
    if (trip >= 0) {
      for (thermal_instance& i : tz.instances()) {
        if (i.trip != trip || !ipa::is_power_actor(i)) {
          continue;
        }
        if (n == MaxActors) {
          return errc::capacity_exceeded;
        }
        if (i.weight > std::numeric_limits<std::uint16_t>::max()) {
          return errc::invalid_argument;
        }
        cfgs[n] = scp::actor_config{static_cast<std::uint32_t>(n), static_cast<std::uint16_t>(i.weight), false};
        actors_[n] = &i;
        ++n;
      }
    }
    scp::domain_config c = cfg_;
    c.actors = std::span<const scp::actor_config>(cfgs.data(), n);
    if (n == 0 && !c.protection.enabled) {
      // No actors yet (devices are bound after the zone is set up): nothing runs until one is.
      domain_ = scp::thermal_domain<MaxActors>{};
      return scp::validate_controller(c).code;
    }
    return domain_.configure(c).code;
  }

  scp::domain_config cfg_;
  scp::thermal_domain<MaxActors> domain_{};
  std::array<thermal_instance*, MaxActors> actors_{};
  single_zone_binding binding_{};
  errc last_error_{errc::ok};
};

}  // namespace thermo::control
