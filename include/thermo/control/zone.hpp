/// @file zone.hpp
/// Thermal zones with Linux 6.12 semantics: `thermal_zone_device` (all the logic, capacity-erased,
/// what governors see) and `thermal_zone<MaxTrips, MaxInstances, MaxThresholds>` (the storage).
///
/// One `update(now)` is the kernel's `__thermal_zone_device_update`:
///  1. read the sensor (`get_temp`), apply the emulated temperature unless it would mask a
///     critical trip; on failure schedule a re-check (250 ms for `try_again`, otherwise a ×1.5
///     back-off from 250 ms; past 120 s the zone is disabled with TZ_DISABLE);
///  2. a value ≤ `temp_invalid` only re-arms polling;
///  3. otherwise: SAMPLING event, per-trip reached / released bookkeeping with hysteresis (hot and
///     critical handlers run during this scan), the passive count, the (low, high) interrupt window
///     (narrowed by user thresholds), `set_trips` if the window changed, TRIP_UP events in ascending
///     trip temperature then TRIP_DOWN events in descending release temperature (ties in trip
///     table order), each followed by the governor's `trip_crossed`, a threshold event, and the
///     governor's `manage`;
///  4. re-arm polling: `passive_delay` while a passive trip is reached (and it is non-zero), else
///     `polling_delay` if non-zero, else leave any pending timer alone.
///
/// No clock is read: `now` is an argument and `next_update()` tells the caller when the kernel's
/// poll timer would fire. Delays are exact milliseconds (no jiffy rounding). No heap, no
/// exceptions. See docs/explanation/thermal-zones.md and docs/reference/control.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

#include "thermo/control/concepts.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/fwd.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/thresholds.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone_sensor.hpp"
#include "thermo/control/zone_types.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// The logic of a thermal zone (`struct thermal_zone_device`), independent of its capacities.
/// Instantiate `thermal_zone<…>`; governors, sensors' hooks and cooling devices see this type.
/// Neither copyable nor movable (instances point into it).
class thermal_zone_device {
 public:
  thermal_zone_device(const thermal_zone_device&) = delete;
  thermal_zone_device& operator=(const thermal_zone_device&) = delete;
  thermal_zone_device(thermal_zone_device&&) = delete;
  thermal_zone_device& operator=(thermal_zone_device&&) = delete;

  // ---------------------------------------------------------------- registration

  /// Registers the zone (`thermal_zone_device_register_with_trips`): validates and copies the
  /// trips, binds the governor (`bind_to_tz`), leaves the zone *disabled* with temperature
  /// `temp_init`, and sends TZ_CREATE. Errors (nothing changes): `already_exists` (set up twice),
  /// `invalid_argument` (empty/too long type, missing `get_temp`, negative delays,
  /// passive_delay > polling_delay while polling), `capacity_exceeded` (too many trips), any
  /// `validate_trip` error (index = trip), or the governor's bind error.
  [[nodiscard]] error setup(const zone_config& cfg, std::span<const thermal_trip> trips, zone_sensor sensor,
                            governor_ref governor = {}, event_sink sink = {}) noexcept {
    if (registered_) {
      return {errc::already_exists, "zone already set up", cfg.id};
    }
    fixed_name n;
    if (cfg.type.empty() || !n.assign(cfg.type)) {
      return {errc::invalid_argument, "zone type must have 1 to 19 characters", cfg.id};
    }
    if (sensor.empty()) {
      return {errc::invalid_argument, "zone sensor has no get_temp", cfg.id};
    }
    if (cfg.polling_delay.count() < 0 || cfg.passive_delay.count() < 0) {
      return {errc::negative, "polling delay", cfg.id};
    }
    if (cfg.polling_delay.count() != 0 && cfg.passive_delay > cfg.polling_delay) {
      return {errc::invalid_argument, "passive delay longer than polling delay", cfg.id};
    }
    if (trips.size() > trip_capacity_) {
      return {errc::capacity_exceeded, "more trips than the zone's capacity", static_cast<std::int32_t>(trips.size())};
    }
    for (std::size_t i = 0; i < trips.size(); ++i) {
      const error e = validate_trip(trips[i], static_cast<std::int32_t>(i));
      if (!e.ok()) {
        return e;
      }
    }
    id_ = cfg.id;
    type_ = n;
    polling_delay_ = cfg.polling_delay;
    passive_delay_ = cfg.passive_delay;
    tzp_ = cfg.tzp;
    on_critical_ = cfg.on_critical;
    sensor_ = sensor;
    sink_ = sink;
    num_trips_ = trips.size();
    for (std::size_t i = 0; i < trips.size(); ++i) {
      trips_[i] = thermal_trip_desc{trips[i], window_high_none, window_high_none};
    }
    num_thresholds_ = 0;
    mode_ = thermal_device_mode::disabled;
    suspended_ = false;
    recheck_delay_ = recheck_delay_initial;
    emul_temperature_ = millicelsius{0};
    next_update_.reset();
    pending_critical_ = critical_action::none;
    device_init();
    last_temperature_ = temp_init;
    const errc ge = governor.bind_to_tz(*this);
    if (ge != errc::ok) {
      return {ge, "governor failed to bind", cfg.id};
    }
    gov_ = governor;
    registered_ = true;
    emit_simple(event_type::tz_create, true);
    return {};
  }

  /// `thermal_zone_device_unregister`: unbinds every cooling device, unbinds the governor,
  /// drops user thresholds, cancels polling and sends TZ_DELETE. The zone can be set up again.
  void unregister_zone() noexcept {
    if (!registered_) {
      return;
    }
    while (num_instances_ > 0) {
      remove_instance(num_instances_ - 1);
      gov_.update_tz(*this, notify_event::tz_unbind_cdev);
    }
    next_update_.reset();
    gov_.unbind_from_tz(*this);
    gov_ = governor_ref{};
    num_thresholds_ = 0;
    emit_simple(event_type::tz_delete, false);
    registered_ = false;
    mode_ = thermal_device_mode::disabled;
  }

  // ---------------------------------------------------------------- updates

  /// `thermal_zone_device_update(tz, event)`: reads the sensor and runs one update at `now`.
  /// O(trips² + instances) worst case (the crossing lists are insertion-sorted).
  update_result update(sim_time now, notify_event event = notify_event::unspecified) noexcept {
    if (!ready()) {
      return not_ready();
    }
    return process(now, sensor_.ops()->get_temp(sensor_.devdata()), event);
  }
  /// One update with a reading supplied by the caller instead of `get_temp` (emulation still
  /// applies).
  update_result update(sim_time now, result<millicelsius> reading, notify_event event = notify_event::unspecified) noexcept {
    if (!ready()) {
      return not_ready();
    }
    return process(now, reading, event);
  }

  /// `thermal_zone_device_enable`: mode → enabled (via the sensor's `change_mode` hook if any),
  /// a full update, then TZ_ENABLE. `skipped` when already enabled.
  update_result enable(sim_time now) noexcept { return set_mode(now, thermal_device_mode::enabled); }
  /// `thermal_zone_device_disable`: mode → disabled, polling stops, then TZ_DISABLE.
  update_result disable(sim_time now) noexcept { return set_mode(now, thermal_device_mode::disabled); }

  /// System suspend: the zone stops (no updates, polling cancelled) until `resume`.
  void suspend() noexcept {
    suspended_ = true;
    next_update_.reset();
  }
  /// System resume: re-initialises the zone (temperature `temp_init`, passive count 0, every
  /// instance uninitialised, window forgotten), calls the governor's `update_tz(tz_resume)` and
  /// runs a full update with event `tz_resume`. `skipped` if not suspended.
  update_result resume(sim_time now) noexcept {
    if (!suspended_) {
      return skipped();
    }
    suspended_ = false;
    device_init();
    gov_.update_tz(*this, notify_event::tz_resume);
    return update(now, notify_event::tz_resume);
  }

  /// sysfs `emul_temp`: 0 disables emulation, anything else replaces the sensor value whenever
  /// the real value is below the first critical trip. Runs an update immediately.
  update_result set_emul_temp(sim_time now, millicelsius t) noexcept {
    emul_temperature_ = t;
    return update(now, notify_event::unspecified);
  }

  /// Changes a trip temperature (sysfs `trip_point_N_temp`): TZ_TRIP_CHANGE, and if the trip
  /// becomes disabled (`temp_invalid`) while reached a synthetic TRIP_DOWN (passive count and
  /// governor updated); then an update with event `trip_changed`. Errors: `not_found` (trip id),
  /// the `validate_trip` errors. An unchanged value does nothing (`skipped`).
  result<update_result, error> set_trip_temperature(sim_time now, std::int32_t trip_id, millicelsius t) noexcept {
    return write_trip(now, trip_id, &thermal_trip::temperature, t, [&](thermal_trip_desc& td) noexcept {
      if (t == temp_invalid) {
        if (temperature_ >= td.threshold) {
          if (td.trip.type == trip_type::passive) {
            --passive_;
          }
          emit_crossing(trip_id, false);
        }
        td.threshold = window_high_none;
      }
    });
  }

  /// Changes a trip hysteresis (sysfs `trip_point_N_hyst`): TZ_TRIP_CHANGE, then an update with
  /// event `trip_changed`. Errors: `not_found`, the `validate_trip` errors (negative, too large).
  result<update_result, error> set_trip_hysteresis(sim_time now, std::int32_t trip_id, millikelvin_delta h) noexcept {
    return write_trip(now, trip_id, &thermal_trip::hysteresis, h, [](thermal_trip_desc&) noexcept {});
  }

  // ---------------------------------------------------------------- user thresholds (≥6.13)

  /// Adds a user threshold (direction bits ORed into an existing one at the same temperature),
  /// sends THRESHOLD_ADD and runs an update. Errors: `not_supported` (zone built without
  /// threshold capacity), `invalid_argument` (direction not in {1, 2, 3}), `already_exists` (same
  /// temperature and direction), `capacity_exceeded`.
  result<update_result, error> add_threshold(sim_time now, millicelsius t, std::uint8_t direction) noexcept {
    if (threshold_capacity_ == 0) {
      return error{errc::not_supported, "zone has no user-threshold capacity", id_};
    }
    if (direction == 0 || (direction & ~(threshold_way_up | threshold_way_down)) != 0) {
      return error{errc::invalid_argument, "threshold direction", id_};
    }
    std::size_t pos = 0;
    while (pos < num_thresholds_ && thresholds_[pos].temperature < t) {
      ++pos;
    }
    if (pos < num_thresholds_ && thresholds_[pos].temperature == t) {
      if (thresholds_[pos].direction == direction) {
        return error{errc::already_exists, "threshold", static_cast<std::int32_t>(pos)};
      }
      thresholds_[pos].direction = static_cast<std::uint8_t>(thresholds_[pos].direction | direction);
    } else {
      if (num_thresholds_ == threshold_capacity_) {
        return error{errc::capacity_exceeded, "more user thresholds than the zone's capacity", id_};
      }
      for (std::size_t k = num_thresholds_; k > pos; --k) {
        thresholds_[k] = thresholds_[k - 1];
      }
      thresholds_[pos] = user_threshold{t, direction};
      ++num_thresholds_;
    }
    emit_threshold_change(event_type::threshold_add, t, direction);
    return update(now, notify_event::tz_add_threshold);
  }
  /// Removes direction bits of a user threshold (the whole threshold when they are all of
  /// them), sends THRESHOLD_DELETE and runs an update. `not_found` when there is none at `t`.
  result<update_result, error> delete_threshold(sim_time now, millicelsius t, std::uint8_t direction) noexcept {
    std::size_t pos = 0;
    while (pos < num_thresholds_ && thresholds_[pos].temperature != t) {
      ++pos;
    }
    if (pos == num_thresholds_) {
      return error{errc::not_found, "threshold", id_};
    }
    if (thresholds_[pos].direction == direction) {
      for (std::size_t k = pos + 1; k < num_thresholds_; ++k) {
        thresholds_[k - 1] = thresholds_[k];
      }
      --num_thresholds_;
    } else {
      thresholds_[pos].direction = static_cast<std::uint8_t>(thresholds_[pos].direction & ~direction);
    }
    emit_threshold_change(event_type::threshold_delete, t, direction);
    return update(now, notify_event::tz_del_threshold);
  }
  /// Removes every user threshold, sends THRESHOLD_FLUSH and runs an update.
  update_result flush_thresholds(sim_time now) noexcept {
    num_thresholds_ = 0;
    emit_simple(event_type::threshold_flush, false);
    return update(now, notify_event::tz_flush_thresholds);
  }
  /// The user thresholds, ascending.
  [[nodiscard]] std::span<const user_threshold> thresholds() const noexcept { return {thresholds_, num_thresholds_}; }

  // ---------------------------------------------------------------- binding

  /// Binds `cdev` to trip `trip_id` (`thermal_bind_cdev_to_trip`): lower `no_limit` → 0, upper
  /// `no_limit` → max_state; the governor gets `update_tz(tz_bind_cdev)`. Returns the instance
  /// id. Errors: `disabled` (zone not set up), `not_found` (trip), `invalid_argument` (cdev not
  /// set up, or lower > upper), `out_of_range` (upper > max_state), `capacity_exceeded`,
  /// `already_exists` (this cdev is already bound to this trip). Does not run an update (the
  /// kernel's registration path does; call `update` if you need it).
  result<std::int32_t, error> bind(std::int32_t trip_id, thermal_cooling_device& cdev, cooling_spec spec = {}) noexcept {
    if (!registered_) {
      return error{errc::disabled, "zone not set up", id_};
    }
    if (trip_id < 0 || static_cast<std::size_t>(trip_id) >= num_trips_) {
      return error{errc::not_found, "trip", trip_id};
    }
    if (!cdev.registered()) {
      return error{errc::invalid_argument, "cooling device not set up", trip_id, cdev.id()};
    }
    const bool upper_no_limit = spec.upper == no_limit;
    const cooling_state lower = spec.lower == no_limit ? 0 : spec.lower;
    const cooling_state upper = upper_no_limit ? cdev.max_state() : spec.upper;
    if (lower > upper) {
      return error{errc::invalid_argument, "cooling map lower limit above upper limit", trip_id, cdev.id()};
    }
    if (upper > cdev.max_state()) {
      return error{errc::out_of_range, "cooling map upper limit above max_state", trip_id, cdev.id()};
    }
    if (num_instances_ == instance_capacity_) {
      return error{errc::capacity_exceeded, "more instances than the zone's capacity", trip_id, cdev.id()};
    }
    for (std::size_t k = 0; k < num_instances_; ++k) {
      if (instances_[k].trip == trip_id && instances_[k].cdev == &cdev) {
        return error{errc::already_exists, "cooling device already bound to this trip", trip_id, cdev.id()};
      }
    }
    std::int32_t id = 0;
    for (bool taken = true; taken; ++id) {
      taken = false;
      for (std::size_t k = 0; k < num_instances_; ++k) {
        taken = taken || instances_[k].id == id;
      }
      if (!taken) {
        break;
      }
    }
    thermal_instance& inst = instances_[num_instances_++];
    inst = thermal_instance{};
    inst.id = id;
    inst.tz = this;
    inst.trip = trip_id;
    inst.cdev = &cdev;
    inst.lower = lower;
    inst.upper = upper;
    inst.upper_no_limit = upper_no_limit;
    inst.target = no_target;
    inst.weight = spec.weight;
    inst.initialized = false;
    inst.release = &release_hook;
    cdev.link_instance(&inst);
    gov_.update_tz(*this, notify_event::tz_bind_cdev);
    return id;
  }
  /// Unbinds `cdev` from trip `trip_id` (`thermal_unbind_cdev_from_trip`); the governor gets
  /// `update_tz(tz_unbind_cdev)`. `not_found` if not bound.
  [[nodiscard]] errc unbind(std::int32_t trip_id, const thermal_cooling_device& cdev) noexcept {
    for (std::size_t k = 0; k < num_instances_; ++k) {
      if (instances_[k].trip == trip_id && instances_[k].cdev == &cdev) {
        remove_instance(k);
        gov_.update_tz(*this, notify_event::tz_unbind_cdev);
        return errc::ok;
      }
    }
    return errc::not_found;
  }
  /// sysfs `cdevN_weight`: sets an instance weight; the governor gets
  /// `update_tz(instance_weight_changed)`. `not_found` for an unknown instance id.
  [[nodiscard]] errc set_instance_weight(std::int32_t instance_id, std::uint32_t weight) noexcept {
    thermal_instance* i = instance_by_id(instance_id);
    if (i == nullptr) {
      return errc::not_found;
    }
    i->weight = weight;
    gov_.update_tz(*this, notify_event::instance_weight_changed);
    return errc::ok;
  }

  /// `thermal_zone_device_set_policy`: unbinds the current governor, binds `g`; if `g` fails to
  /// bind, the previous one is bound again (none if that fails too) and the error returned.
  /// TZ_GOV_CHANGE with `g`'s name is sent in both cases, as the kernel does.
  [[nodiscard]] errc set_governor(governor_ref g) noexcept {
    const governor_ref old = gov_;
    old.unbind_from_tz(*this);
    const errc e = g.bind_to_tz(*this);
    if (e != errc::ok) {
      if (old.bind_to_tz(*this) != errc::ok) {
        gov_ = governor_ref{};
      }
    } else {
      gov_ = g;
    }
    if (sink_) {
      thermal_event ev;
      ev.type = event_type::tz_gov_change;
      ev.tz_id = id_;
      static_cast<void>(ev.name.assign(g.name().substr(0, name_length - 1)));
      sink_(ev);
    }
    return e;
  }

  // ---------------------------------------------------------------- what governors read

  [[nodiscard]] std::int32_t id() const noexcept { return id_; }
  [[nodiscard]] std::string_view type() const noexcept { return type_.view(); }
  [[nodiscard]] bool registered() const noexcept { return registered_; }
  [[nodiscard]] thermal_device_mode mode() const noexcept { return mode_; }
  [[nodiscard]] bool suspended() const noexcept { return suspended_; }
  /// The last valid temperature (`temp_init` before the first one).
  [[nodiscard]] millicelsius temperature() const noexcept { return temperature_; }
  /// The temperature before that.
  [[nodiscard]] millicelsius last_temperature() const noexcept { return last_temperature_; }
  /// The emulated temperature (0 = off).
  [[nodiscard]] millicelsius emul_temperature() const noexcept { return emul_temperature_; }
  /// Number of reached passive trips.
  [[nodiscard]] std::int32_t passive() const noexcept { return passive_; }
  [[nodiscard]] milliseconds polling_delay() const noexcept { return polling_delay_; }
  [[nodiscard]] milliseconds passive_delay() const noexcept { return passive_delay_; }
  /// The next re-check delay a hard read error would use.
  [[nodiscard]] milliseconds recheck_delay() const noexcept { return recheck_delay_; }
  /// Why the current/last update ran.
  [[nodiscard]] notify_event last_notify_event() const noexcept { return notify_event_; }
  /// The time of the update in progress (or of the last one). Governors pass it to
  /// `thermal_cooling_device::update`.
  [[nodiscard]] sim_time now() const noexcept { return now_; }
  /// When the zone's poll / re-check timer fires, if armed.
  [[nodiscard]] std::optional<sim_time> next_update() const noexcept { return next_update_; }
  /// The (low, high) window of the last update.
  [[nodiscard]] millicelsius window_low() const noexcept { return low_; }
  [[nodiscard]] millicelsius window_high() const noexcept { return high_; }
  /// Zone parameters (governors may write, e.g. IPA's sustainable-power estimate).
  [[nodiscard]] thermal_zone_params& params() noexcept { return tzp_; }
  [[nodiscard]] const thermal_zone_params& params() const noexcept { return tzp_; }
  [[nodiscard]] governor_ref governor() const noexcept { return governor_ref{gov_}; }

  [[nodiscard]] std::size_t num_trips() const noexcept { return num_trips_; }
  /// Trip `i` and its state. Precondition: i < num_trips().
  [[nodiscard]] const thermal_trip_desc& trip(std::size_t i) const noexcept {
    THERMO_ASSERT(i < num_trips_);
    return trips_[i];
  }
  [[nodiscard]] std::span<const thermal_trip_desc> trips() const noexcept { return {trips_, num_trips_}; }
  /// True when trip `i` is currently reached (valid and T ≥ its threshold).
  [[nodiscard]] bool trip_reached(std::size_t i) const noexcept {
    return trip(i).valid() && temperature_ >= trips_[i].threshold;
  }
  /// The temperature of the first critical trip (`thermal_zone_get_crit_temp`).
  [[nodiscard]] result<millicelsius> critical_temperature() const noexcept {
    for (std::size_t i = 0; i < num_trips_; ++i) {
      if (trips_[i].trip.type == trip_type::critical) {
        return trips_[i].trip.temperature;
      }
    }
    return errc::not_found;
  }

  /// All instances of this zone in bind order (governors may write `target` and `initialized`).
  [[nodiscard]] std::span<thermal_instance> instances() noexcept { return {instances_, num_instances_}; }
  [[nodiscard]] std::span<const thermal_instance> instances() const noexcept { return {instances_, num_instances_}; }
  /// The instance with id `id`, or null.
  [[nodiscard]] thermal_instance* instance_by_id(std::int32_t id) noexcept {
    for (std::size_t k = 0; k < num_instances_; ++k) {
      if (instances_[k].id == id) {
        return &instances_[k];
      }
    }
    return nullptr;
  }

  /// `get_tz_trend`: the sensor's `get_trend` when present, no emulation is active and it
  /// succeeds; otherwise from T vs T_last.
  [[nodiscard]] thermal_trend trend(std::int32_t trip_id) const noexcept {
    if (emul_temperature_.count() == 0 && sensor_.ops() != nullptr && sensor_.ops()->get_trend != nullptr) {
      const result<thermal_trend> r = sensor_.ops()->get_trend(sensor_.devdata(), trip_id);
      if (r) {
        return *r;
      }
    }
    if (temperature_ > last_temperature_) {
      return thermal_trend::raising;
    }
    if (temperature_ < last_temperature_) {
      return thermal_trend::dropping;
    }
    return thermal_trend::stable;
  }

  /// The critical action requested since the last `clear_critical_action` (sticky).
  [[nodiscard]] critical_action pending_critical_action() const noexcept { return pending_critical_; }
  void clear_critical_action() noexcept { pending_critical_ = critical_action::none; }
  /// For a custom `critical` hook that still wants the caller to act.
  void request_critical_action(critical_action a) noexcept {
    pending_critical_ = a;
    if (current_ != nullptr) {
      current_->critical = a;
    }
  }
  /// The action the default critical handler requests (DT `critical-action`).
  [[nodiscard]] critical_action on_critical() const noexcept { return on_critical_; }

 protected:
  constexpr thermal_zone_device(thermal_trip_desc* trips, std::uint16_t* order, std::size_t trip_capacity,
                                thermal_instance* instances, std::size_t instance_capacity,
                                user_threshold* thresholds, std::size_t threshold_capacity) noexcept
      : trips_(trips),
        order_(order),
        trip_capacity_(trip_capacity),
        instances_(instances),
        instance_capacity_(instance_capacity),
        thresholds_(thresholds),
        threshold_capacity_(threshold_capacity) {}
  ~thermal_zone_device() = default;

  /// Unlinks every instance from its cooling device (no events): the storage is going away.
  void detach_all() noexcept {
    for (std::size_t k = 0; k < num_instances_; ++k) {
      if (instances_[k].cdev != nullptr) {
        instances_[k].cdev->unlink_instance(&instances_[k]);
      }
    }
    num_instances_ = 0;
    registered_ = false;
  }

 private:
  [[nodiscard]] bool ready() const noexcept {
    return registered_ && !suspended_ && mode_ == thermal_device_mode::enabled;
  }
  [[nodiscard]] update_result not_ready() const noexcept {
    update_result r;
    r.status = update_status::not_ready;
    r.next_update = next_update_;
    return r;
  }
  [[nodiscard]] update_result skipped() const noexcept {
    update_result r = not_ready();
    r.status = update_status::skipped;
    return r;
  }

  /// What the sysfs trip writes share: `not_found` for an unknown trip id, the `validate_trip`
  /// errors of the trip with `field` := `value`, `skipped` for an unchanged value; otherwise the
  /// field is written, TZ_TRIP_CHANGE sent, `after_change(trip)` run, then an update with event
  /// `trip_changed`.
  template <class T, class AfterChange>
  result<update_result, error> write_trip(sim_time now, std::int32_t trip_id, T thermal_trip::*field, T value,
                                          AfterChange&& after_change) noexcept {
    if (trip_id < 0 || static_cast<std::size_t>(trip_id) >= num_trips_) {
      return error{errc::not_found, "trip", trip_id};
    }
    thermal_trip_desc& td = trips_[static_cast<std::size_t>(trip_id)];
    thermal_trip candidate = td.trip;
    candidate.*field = value;
    const error e = validate_trip(candidate, trip_id);
    if (!e.ok()) {
      return e;
    }
    if (value == td.trip.*field) {
      return skipped();
    }
    td.trip.*field = value;
    emit_trip_change(trip_id);
    after_change(td);
    return update(now, notify_event::trip_changed);
  }

  static void release_hook(thermal_instance* i) noexcept {
    thermal_zone_device* tz = i->tz;
    for (std::size_t k = 0; k < tz->num_instances_; ++k) {
      if (&tz->instances_[k] == i) {
        tz->remove_instance(k);
        tz->gov_.update_tz(*tz, notify_event::tz_unbind_cdev);
        return;
      }
    }
  }

  /// Removes instance `k`, keeping bind order and re-pointing cooling-device lists.
  void remove_instance(std::size_t k) noexcept {
    THERMO_ASSERT(k < num_instances_);
    if (instances_[k].cdev != nullptr) {
      instances_[k].cdev->unlink_instance(&instances_[k]);
    }
    for (std::size_t j = k + 1; j < num_instances_; ++j) {
      instances_[j - 1] = instances_[j];
      if (instances_[j - 1].cdev != nullptr) {
        instances_[j - 1].cdev->relink_instance(&instances_[j], &instances_[j - 1]);
      }
    }
    --num_instances_;
    instances_[num_instances_] = thermal_instance{};
  }

  /// `thermal_zone_device_init`.
  void device_init() noexcept {
    temperature_ = temp_init;
    passive_ = 0;
    prev_low_ = window_low_none;
    prev_high_ = window_high_none;
    for (std::size_t k = 0; k < num_instances_; ++k) {
      instances_[k].initialized = false;
    }
  }

  update_result set_mode(sim_time now, thermal_device_mode m) noexcept {
    update_result r = not_ready();
    if (!registered_ || m == mode_) {
      r.status = update_status::skipped;
      return r;
    }
    if (sensor_.ops()->change_mode != nullptr) {
      const errc e = sensor_.ops()->change_mode(sensor_.devdata(), m);
      if (e != errc::ok) {
        r.status = update_status::skipped;
        r.error = e;
        return r;
      }
    }
    mode_ = m;
    if (m == thermal_device_mode::enabled) {
      r = update(now, notify_event::unspecified);
    } else {
      next_update_.reset();  // the kernel's timer would fire into a disabled zone and do nothing
      r = not_ready();
    }
    emit_simple(m == thermal_device_mode::enabled ? event_type::tz_enable : event_type::tz_disable, false);
    return r;
  }

  void set_polling(sim_time now, milliseconds delay) noexcept { next_update_ = now + delay; }

  /// `monitor_thermal_zone`.
  void monitor(sim_time now) noexcept {
    if (passive_ > 0 && passive_delay_.count() > 0) {
      set_polling(now, passive_delay_);
    } else if (polling_delay_.count() > 0) {
      set_polling(now, polling_delay_);
    }
  }

  /// `thermal_zone_recheck`.
  void recheck(sim_time now, errc e, update_result& r) noexcept {
    r.error = e;
    r.status = update_status::read_failed;
    if (e == errc::try_again) {
      set_polling(now, recheck_delay_initial);
      return;
    }
    set_polling(now, recheck_delay_);
    const milliseconds half = recheck_delay_ / 2;
    recheck_delay_ += half > milliseconds{1} ? half : milliseconds{1};
    if (recheck_delay_ > recheck_delay_max) {
      // thermal_zone_broken_disable: the mode change may be refused by the driver, the event
      // is sent anyway.
      bool disabled = true;
      if (sensor_.ops()->change_mode != nullptr) {
        disabled = sensor_.ops()->change_mode(sensor_.devdata(), thermal_device_mode::disabled) == errc::ok;
      }
      if (disabled) {
        mode_ = thermal_device_mode::disabled;
        next_update_.reset();
      }
      emit_simple(event_type::tz_disable, false);
      recheck_delay_ = recheck_delay_initial;
      r.status = update_status::broken;
    }
  }

  /// `handle_critical_trips`.
  void handle_critical(std::size_t i) noexcept {
    const thermal_zone_device_ops* ops = sensor_.ops();
    if (trips_[i].trip.type == trip_type::critical) {
      ++current_->critical_calls;
      if (ops->critical != nullptr) {
        ops->critical(sensor_.devdata(), *this);
      } else {
        request_critical_action(on_critical_);
      }
    } else {
      ++current_->hot_calls;
      if (ops->hot != nullptr) {
        ops->hot(sensor_.devdata(), *this);
      }
    }
  }

  /// `handle_thermal_trip` (6.12): updates trip i's threshold; returns +1 for an upward
  /// crossing, −1 for a downward one, 0 otherwise.
  int handle_trip(std::size_t i) noexcept {
    thermal_trip_desc& td = trips_[i];
    const thermal_trip& t = td.trip;
    if (t.temperature == temp_invalid) {
      return 0;
    }
    const millicelsius old = td.threshold;
    td.threshold = t.temperature;
    if (last_temperature_ >= old && last_temperature_ != temp_init) {
      if (temperature_ < t.temperature - t.hysteresis) {
        td.notify_temp = t.temperature - t.hysteresis;
        if (t.type == trip_type::passive) {
          --passive_;
        }
        return -1;
      }
      td.threshold = t.temperature - t.hysteresis;
      return 0;
    }
    if (temperature_ >= t.temperature) {
      td.notify_temp = t.temperature;
      td.threshold = t.temperature - t.hysteresis;
      if (t.type == trip_type::passive) {
        ++passive_;
      } else if (t.type == trip_type::critical || t.type == trip_type::hot) {
        handle_critical(i);
      }
      return 1;
    }
    return 0;
  }

  update_result process(sim_time now, result<millicelsius> reading, notify_event event) noexcept {
    update_result r;
    current_ = &r;
    if (next_update_ && now >= *next_update_) {
      next_update_.reset();  // the pending timer is the one firing now (or is stale)
    }
    now_ = now;
    if (reading && emul_temperature_.count() != 0) {
      millicelsius crit = window_high_none;
      for (std::size_t i = 0; i < num_trips_; ++i) {
        if (trips_[i].trip.type == trip_type::critical) {
          crit = trips_[i].trip.temperature;
          break;
        }
      }
      if (*reading < crit) {
        reading = emul_temperature_;
      }
    }
    if (!reading) {
      recheck(now, reading.error(), r);
      return finish(r);
    }
    const millicelsius t = *reading;
    if (t <= temp_invalid) {
      monitor(now);
      r.status = update_status::no_valid_temperature;
      return finish(r);
    }
    recheck_delay_ = recheck_delay_initial;
    last_temperature_ = temperature_;
    temperature_ = t;
    if (sink_) {
      thermal_event ev;
      ev.type = event_type::sampling_temp;
      ev.tz_id = id_;
      ev.temperature = t;
      sink_(ev);
    }
    notify_event_ = event;

    // Trip scan: crossing lists share `order_` (ups from the front, downs from the back).
    std::size_t n_up = 0;
    std::size_t n_down = 0;
    millicelsius low = window_low_none;
    millicelsius high = window_high_none;
    for (std::size_t i = 0; i < num_trips_; ++i) {
      const int c = handle_trip(i);
      if (c > 0) {
        order_[n_up++] = static_cast<std::uint16_t>(i);
      } else if (c < 0) {
        order_[trip_capacity_ - 1 - n_down++] = static_cast<std::uint16_t>(i);
      }
      const millicelsius th = trips_[i].threshold;
      if (th <= temperature_ && th > low) {
        low = th;
      }
      if (th >= temperature_ && th < high) {
        high = th;
      }
    }
    const std::span<const user_threshold> ths{thresholds_, num_thresholds_};
    threshold_window(ths, temperature_, low, high);
    const int threshold_event = threshold_crossing(ths, temperature_, last_temperature_);

    low_ = low;
    high_ = high;
    r.low = low;
    r.high = high;
    if (sensor_.ops()->set_trips != nullptr && (low != prev_low_ || high != prev_high_)) {
      prev_low_ = low;
      prev_high_ = high;
      static_cast<void>(sensor_.ops()->set_trips(sensor_.devdata(), low, high));
      r.window_programmed = true;
    }

    // Up crossings: ascending notify temperature, ties in table order (stable insertion sort).
    std::uint16_t* up = order_;
    for (std::size_t a = 1; a < n_up; ++a) {
      const std::uint16_t v = up[a];
      std::size_t b = a;
      while (b > 0 && trips_[up[b - 1]].notify_temp > trips_[v].notify_temp) {
        up[b] = up[b - 1];
        --b;
      }
      up[b] = v;
    }
    for (std::size_t a = 0; a < n_up; ++a) {
      emit_crossing(static_cast<std::int32_t>(up[a]), true);
    }
    // Down crossings: stored back to front, i.e. order_[cap-1] is the first found; sort them
    // descending by notify temperature keeping table order for ties.
    std::uint16_t* down = order_ + (trip_capacity_ - n_down);
    // Restore table order first (they were written back to front).
    for (std::size_t a = 0, b = n_down; a + 1 < b; ++a, --b) {
      const std::uint16_t tmp = down[a];
      down[a] = down[b - 1];
      down[b - 1] = tmp;
    }
    for (std::size_t a = 1; a < n_down; ++a) {
      const std::uint16_t v = down[a];
      std::size_t b = a;
      while (b > 0 && trips_[down[b - 1]].notify_temp < trips_[v].notify_temp) {
        down[b] = down[b - 1];
        --b;
      }
      down[b] = v;
    }
    for (std::size_t a = 0; a < n_down; ++a) {
      emit_crossing(static_cast<std::int32_t>(down[a]), false);
    }
    r.crossings_up = static_cast<std::uint8_t>(n_up > 255 ? 255 : n_up);
    r.crossings_down = static_cast<std::uint8_t>(n_down > 255 ? 255 : n_down);

    if (threshold_event != 0 && sink_) {
      thermal_event ev;
      ev.type = threshold_event > 0 ? event_type::threshold_up : event_type::threshold_down;
      ev.tz_id = id_;
      ev.temperature = temperature_;
      ev.prev_temperature = last_temperature_;
      sink_(ev);
    }

    gov_.manage(*this);
    monitor(now);
    r.status = update_status::updated;
    return finish(r);
  }

  update_result finish(update_result& r) noexcept {
    r.next_update = next_update_;
    current_ = nullptr;
    return r;
  }

  /// `thermal_trip_crossed`: netlink event, then the governor (not for hot/critical trips).
  void emit_crossing(std::int32_t trip_id, bool up) noexcept {
    if (sink_) {
      thermal_event ev;
      ev.type = up ? event_type::tz_trip_up : event_type::tz_trip_down;
      ev.tz_id = id_;
      ev.trip_id = trip_id;
      ev.temperature = temperature_;
      sink_(ev);
    }
    const trip_type tt = trips_[static_cast<std::size_t>(trip_id)].trip.type;
    if (tt != trip_type::hot && tt != trip_type::critical) {
      gov_.trip_crossed(*this, trip_id, up);
    }
  }

  void emit_simple(event_type type, bool with_name) noexcept {
    if (sink_) {
      thermal_event ev;
      ev.type = type;
      ev.tz_id = id_;
      if (with_name) {
        ev.name = type_;
      }
      sink_(ev);
    }
  }

  void emit_trip_change(std::int32_t trip_id) noexcept {
    if (sink_) {
      const thermal_trip& t = trips_[static_cast<std::size_t>(trip_id)].trip;
      thermal_event ev;
      ev.type = event_type::tz_trip_change;
      ev.tz_id = id_;
      ev.trip_id = trip_id;
      ev.trip_kind = t.type;
      ev.trip_temperature = t.temperature;
      ev.trip_hysteresis = t.hysteresis;
      sink_(ev);
    }
  }

  void emit_threshold_change(event_type type, millicelsius t, std::uint8_t direction) noexcept {
    if (sink_) {
      thermal_event ev;
      ev.type = type;
      ev.tz_id = id_;
      ev.temperature = t;
      ev.direction = direction;
      sink_(ev);
    }
  }

  // storage (owned by the derived thermal_zone)
  thermal_trip_desc* trips_;
  std::uint16_t* order_;
  std::size_t trip_capacity_;
  thermal_instance* instances_;
  std::size_t instance_capacity_;
  user_threshold* thresholds_;
  std::size_t threshold_capacity_;
  std::size_t num_trips_{0};
  std::size_t num_instances_{0};
  std::size_t num_thresholds_{0};

  zone_sensor sensor_{};
  governor_ref gov_{};
  event_sink sink_{};
  update_result* current_{nullptr};
  std::optional<sim_time> next_update_{};
  sim_time now_{};
  milliseconds polling_delay_{0};
  milliseconds passive_delay_{0};
  milliseconds recheck_delay_{recheck_delay_initial};
  thermal_zone_params tzp_{};
  fixed_name type_{};
  std::int32_t id_{-1};
  std::int32_t passive_{0};
  millicelsius temperature_{temp_init};
  millicelsius last_temperature_{temp_init};
  millicelsius emul_temperature_{0};
  millicelsius prev_low_{window_low_none};
  millicelsius prev_high_{window_high_none};
  millicelsius low_{window_low_none};
  millicelsius high_{window_high_none};
  thermal_device_mode mode_{thermal_device_mode::disabled};
  notify_event notify_event_{notify_event::unspecified};
  critical_action on_critical_{critical_action::shutdown};
  critical_action pending_critical_{critical_action::none};
  bool registered_{false};
  bool suspended_{false};
};

namespace detail {
/// The storage of a `thermal_zone`, a base class so that it is constructed before the
/// `thermal_zone_device` that points into it.
template <std::size_t MaxTrips, std::size_t MaxInstances, std::size_t MaxThresholds>
struct zone_storage {
  std::array<thermal_trip_desc, MaxTrips> trips_storage{};
  std::array<std::uint16_t, MaxTrips> order_storage{};
  std::array<thermal_instance, MaxInstances> instance_storage{};
  std::array<user_threshold, MaxThresholds> threshold_storage{};
  user_threshold* threshold_ptr() noexcept {
    if constexpr (MaxThresholds == 0) {
      return nullptr;
    } else {
      return threshold_storage.data();
    }
  }
};
}  // namespace detail

/// A thermal zone with room for `MaxTrips` trips, `MaxInstances` cooling-device bindings and
/// `MaxThresholds` user thresholds (0 = the ≥6.13 feature is off). All storage is in the
/// object; destroying it unlinks its instances from their cooling devices.
template <std::size_t MaxTrips, std::size_t MaxInstances, std::size_t MaxThresholds /* = 0 */>
class thermal_zone final : private detail::zone_storage<MaxTrips, MaxInstances, MaxThresholds>,
                           public thermal_zone_device {
  static_assert(MaxTrips > 0 && MaxTrips <= 0xFFFF, "MaxTrips must be in 1..65535");
  static_assert(MaxInstances > 0, "MaxInstances must be at least 1");
  using storage = detail::zone_storage<MaxTrips, MaxInstances, MaxThresholds>;

 public:
  thermal_zone() noexcept
      : storage(),
        thermal_zone_device(storage::trips_storage.data(), storage::order_storage.data(), MaxTrips,
                            storage::instance_storage.data(), MaxInstances, storage::threshold_ptr(),
                            MaxThresholds) {}
  thermal_zone(const thermal_zone&) = delete;
  thermal_zone& operator=(const thermal_zone&) = delete;
  thermal_zone(thermal_zone&&) = delete;
  thermal_zone& operator=(thermal_zone&&) = delete;
  ~thermal_zone() { detach_all(); }

  [[nodiscard]] static constexpr std::size_t trip_capacity() noexcept { return MaxTrips; }
  [[nodiscard]] static constexpr std::size_t instance_capacity() noexcept { return MaxInstances; }
  [[nodiscard]] static constexpr std::size_t threshold_capacity() noexcept { return MaxThresholds; }
};

}  // namespace thermo::control
