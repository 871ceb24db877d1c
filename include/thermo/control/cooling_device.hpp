/// @file cooling_device.hpp
/// The core side of a cooling device: `thermal_cooling_device` (id, type, max_state, the list of
/// instances across all zones, the max rule, the CDEV_STATE_UPDATE event) and the optional
/// per-device statistics `cooling_device_stats<MaxStates>` (time in state, transitions; time is
/// passed in).
///
/// A driver is any `CoolingDevice` (see concepts.hpp and cooling/); the core reaches it through
/// an `any_cooling_device` handle. Objects are neither copyable nor movable: zones point at them.
/// See docs/explanation/thermal-zones.md ("cooling devices and the max rule").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/any_cooling_device.hpp"
#include "thermo/control/concepts.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"

namespace thermo::control {

/// Statistics of one cooling device (kernel `stats/`): time spent in each state, the
/// transition table and the total number of transitions. Capacity-erased base; instantiate
/// `cooling_device_stats<MaxStates>`. Updated only by transitions made through the core.
class cooling_device_stats_base {
 public:
  cooling_device_stats_base(const cooling_device_stats_base&) = delete;
  cooling_device_stats_base& operator=(const cooling_device_stats_base&) = delete;
  cooling_device_stats_base(cooling_device_stats_base&&) = delete;
  cooling_device_stats_base& operator=(cooling_device_stats_base&&) = delete;

  /// Number of states tracked (max_state + 1), 0 before `thermal_cooling_device::attach_stats`.
  [[nodiscard]] constexpr std::size_t states() const noexcept { return states_; }
  /// The state the statistics believe the device is in.
  [[nodiscard]] constexpr cooling_state state() const noexcept { return state_; }
  /// Time spent in `s` up to `now` (includes the current stay). Precondition: s < states().
  [[nodiscard]] constexpr sim_duration time_in_state(cooling_state s, sim_time now) const noexcept {
    THERMO_ASSERT(s < states_);
    sim_duration t = time_[s];
    if (s == state_ && now > last_) {
      t += now - last_;
    }
    return t;
  }
  /// Transitions from `from` to `to`. Precondition: both < states().
  [[nodiscard]] constexpr std::uint32_t trans(cooling_state from, cooling_state to) const noexcept {
    THERMO_ASSERT(from < states_ && to < states_);
    return trans_[static_cast<std::size_t>(from) * states_ + to];
  }
  /// Total transitions.
  [[nodiscard]] constexpr std::uint32_t total_trans() const noexcept { return total_; }
  /// Zeroes everything; time accounting restarts at `now` (sysfs `reset`).
  constexpr void reset(sim_time now) noexcept {
    for (std::size_t i = 0; i < states_; ++i) {
      time_[i] = sim_duration{0};
    }
    for (std::size_t i = 0; i < states_ * states_; ++i) {
      trans_[i] = 0;
    }
    total_ = 0;
    last_ = now;
  }

 protected:
  constexpr cooling_device_stats_base(sim_duration* time, std::uint32_t* trans, std::size_t capacity) noexcept
      : time_(time), trans_(trans), capacity_(capacity) {}
  ~cooling_device_stats_base() = default;

 private:
  friend class thermal_cooling_device;

  /// Starts tracking `max_state + 1` states in state 0 at `now` (the kernel's stats setup).
  constexpr errc setup(cooling_state max_state, sim_time now) noexcept {
    const std::size_t n = static_cast<std::size_t>(max_state) + 1;
    if (max_state == no_limit || n > capacity_) {
      states_ = 0;
      return errc::capacity_exceeded;
    }
    states_ = n;
    state_ = 0;
    reset(now);
    return errc::ok;
  }
  /// Records a transition to `s` at `now` (no-op when unchanged).
  constexpr void update(cooling_state s, sim_time now) noexcept {
    if (states_ == 0 || s == state_ || s >= states_) {
      return;
    }
    if (now > last_) {
      time_[state_] += now - last_;
    }
    last_ = now;
    ++trans_[static_cast<std::size_t>(state_) * states_ + s];
    state_ = s;
    ++total_;
  }

  sim_duration* time_;
  std::uint32_t* trans_;
  std::size_t capacity_;
  std::size_t states_{0};
  cooling_state state_{0};
  std::uint32_t total_{0};
  sim_time last_{};
};

namespace detail {
/// Storage of `cooling_device_stats`, a base so it exists before the base that points into it.
template <std::size_t MaxStates>
struct stats_storage {
  std::array<sim_duration, MaxStates> time_storage{};
  std::array<std::uint32_t, MaxStates * MaxStates> trans_storage{};
};
}  // namespace detail

/// Statistics storage for devices with at most `MaxStates` states (max_state < MaxStates).
/// Size: MaxStates × 8 bytes + MaxStates² × 4 bytes.
template <std::size_t MaxStates>
class cooling_device_stats final : private detail::stats_storage<MaxStates>, public cooling_device_stats_base {
  static_assert(MaxStates > 0, "at least one state");
  using storage = detail::stats_storage<MaxStates>;

 public:
  cooling_device_stats() noexcept
      : storage(), cooling_device_stats_base(storage::time_storage.data(), storage::trans_storage.data(), MaxStates) {}
  cooling_device_stats(const cooling_device_stats&) = delete;
  cooling_device_stats& operator=(const cooling_device_stats&) = delete;
  cooling_device_stats(cooling_device_stats&&) = delete;
  cooling_device_stats& operator=(cooling_device_stats&&) = delete;
  ~cooling_device_stats() = default;
};

/// A registered cooling device (`struct thermal_cooling_device`): the driver handle plus the
/// core's bookkeeping. Set it up once with `setup`, bind it to zones with
/// `thermal_zone_device::bind`, and let governors drive it with `update`.
class thermal_cooling_device {
 public:
  /// An unregistered device.
  constexpr thermal_cooling_device() noexcept = default;
  thermal_cooling_device(const thermal_cooling_device&) = delete;
  thermal_cooling_device& operator=(const thermal_cooling_device&) = delete;
  thermal_cooling_device(thermal_cooling_device&&) = delete;
  thermal_cooling_device& operator=(thermal_cooling_device&&) = delete;
  /// Unbinds the device from every zone (`unregister`).
  ~thermal_cooling_device() { unregister(); }

  /// Registers `device` under `id` and `type` (the kernel's whole type, e.g. "cpufreq-cpu0",
  /// "devfreq-ff9a0000.gpu"; at most `cdev_type_length` − 1 = 31 characters): reads max_state
  /// once. Events (CDEV_STATE_UPDATE) go to `sink`. Errors: `already_exists` when set up twice,
  /// `invalid_argument` for an empty handle or a type too long (refused, never cut),
  /// `out_of_range` for max_state = `no_limit`. No CDEV_ADD event: 6.12 never sends it.
  [[nodiscard]] error setup(std::int32_t id, std::string_view type, any_cooling_device device,
                            event_sink sink = {}) noexcept {
    if (registered_) {
      return {errc::already_exists, "cooling device already set up", id};
    }
    if (device.empty()) {
      return {errc::invalid_argument, "cooling device handle is empty", id};
    }
    cdev_type_name n;
    if (!n.assign(type)) {
      return {errc::invalid_argument, "cooling device type longer than 31 characters", id};
    }
    static_assert(cdev_type_length == 32, "the message above states the limit");
    const cooling_state max = device.get_max_state();
    if (max == no_limit) {
      return {errc::out_of_range, "cooling device max_state", id};
    }
    dev_ = device;
    id_ = id;
    type_ = n;
    max_state_ = max;
    sink_ = sink;
    updated_ = false;
    registered_ = true;
    return {};
  }
  /// `setup` for any concrete `CoolingDevice` (wrapped in an `any_cooling_device`).
  template <CoolingDevice D>
    requires(!std::is_same_v<std::remove_cv_t<D>, any_cooling_device>)
  [[nodiscard]] error setup(std::int32_t id, std::string_view type, D& device, event_sink sink = {}) noexcept {
    return setup(id, type, any_cooling_device(device), sink);
  }

  /// Attaches statistics storage; tracking starts in state 0 at `now`, as the kernel's does, so
  /// the first transition is from 0. `capacity_exceeded` when max_state + 1 > its capacity.
  [[nodiscard]] errc attach_stats(cooling_device_stats_base& stats, sim_time now) noexcept {
    THERMO_ASSERT(registered_);
    const errc e = stats.setup(max_state_, now);
    stats_ = (e == errc::ok) ? &stats : nullptr;
    return e;
  }
  /// The attached statistics, or null.
  [[nodiscard]] const cooling_device_stats_base* stats() const noexcept { return stats_; }
  /// The attached statistics (mutable, e.g. to `reset`), or null.
  [[nodiscard]] cooling_device_stats_base* stats() noexcept { return stats_; }

  [[nodiscard]] bool registered() const noexcept { return registered_; }
  [[nodiscard]] std::int32_t id() const noexcept { return id_; }
  [[nodiscard]] std::string_view type() const noexcept { return type_.view(); }
  /// max_state as read at setup (or by `update_max_state`).
  [[nodiscard]] cooling_state max_state() const noexcept { return max_state_; }
  /// The driver's current state (`get_cur_state`).
  [[nodiscard]] cooling_state cur_state() const noexcept { return dev_.get_cur_state(); }
  /// The driver handle (for power-allocator callbacks: `device().state2power(s)` …).
  [[nodiscard]] any_cooling_device& device() noexcept { return dev_; }
  [[nodiscard]] const any_cooling_device& device() const noexcept { return dev_; }

  /// The kernel's `cdev->updated` flag: false once a governor changed a vote of this device.
  [[nodiscard]] bool updated() const noexcept { return updated_; }
  /// Marks the device as needing `update` (a governor changed an instance target).
  void mark_for_update() noexcept { updated_ = false; }

  /// `thermal_cdev_update`: when not `updated()`, applies the max rule and marks it updated.
  void update(sim_time now) noexcept {
    if (!updated_) {
      update_nocheck(now);
      updated_ = true;
    }
  }
  /// `__thermal_cdev_update` / `thermal_cdev_update_nocheck`: state := max{target of every
  /// instance of this device in every zone that votes}, or 0 when none votes; then
  /// `set_cur_state` through the core (event + statistics), even when unchanged.
  /// O(number of instances of this device).
  void update_nocheck(sim_time now) noexcept {
    cooling_state target = 0;
    for (const thermal_instance* i = head_; i != nullptr; i = i->cdev_next) {
      if (i->target != no_target && i->target > target) {
        target = i->target;
      }
    }
    static_cast<void>(set_cur_state(now, target));
  }
  /// The core's `thermal_cdev_set_cur_state`: calls the driver; on success sends
  /// CDEV_STATE_UPDATE (id, state) and updates the statistics.
  [[nodiscard]] errc set_cur_state(sim_time now, cooling_state state) noexcept {
    THERMO_ASSERT(registered_);
    const errc e = dev_.set_cur_state(state);
    if (e != errc::ok) {
      return e;
    }
    if (sink_) {
      thermal_event ev;
      ev.type = event_type::cdev_state_update;
      ev.cdev_id = id_;
      ev.cdev_state = state;
      sink_(ev);
    }
    if (stats_ != nullptr) {
      stats_->update(state, now);
    }
    return errc::ok;
  }

  /// `thermal_cooling_device_update`: re-reads max_state after the hardware changed; instances
  /// are clamped (upper ≤ max, lower ≤ upper, target ≤ upper; `no_limit` uppers follow the new
  /// max) and the statistics restart for the new number of states (dropped if they no longer
  /// fit). O(instances).
  void update_max_state(sim_time now) noexcept {
    THERMO_ASSERT(registered_);
    const cooling_state max = dev_.get_max_state();
    if (max == no_limit) {
      return;
    }
    max_state_ = max;
    if (stats_ != nullptr && stats_->setup(max_state_, now) != errc::ok) {
      stats_ = nullptr;
    }
    for (thermal_instance* i = head_; i != nullptr; i = i->cdev_next) {
      if (i->upper == max_state_) {
        continue;
      }
      if (i->upper < max_state_) {
        if (i->upper_no_limit) {
          i->upper = max_state_;
        }
        continue;
      }
      i->upper = max_state_;
      if (i->lower > i->upper) {
        i->lower = i->upper;
      }
      if (i->target != no_target && i->target > i->upper) {
        i->target = i->upper;
      }
    }
    const cooling_state cur = dev_.get_cur_state();
    if (cur <= max_state_ && stats_ != nullptr) {
      stats_->update(cur, now);
    }
  }

  /// Unbinds from every zone (each zone's governor sees `update_tz(tz_unbind_cdev)`) and
  /// forgets the driver. Safe to call twice. O(instances · zone size).
  void unregister() noexcept {
    while (head_ != nullptr) {
      thermal_instance* i = head_;
      if (i->release != nullptr) {
        i->release(i);  // unlinks i from this list
      }
      if (head_ == i) {  // a release hook that did not unlink: do it here
        head_ = i->cdev_next;
        i->cdev_next = nullptr;
        i->cdev = nullptr;
      }
    }
    registered_ = false;
    stats_ = nullptr;
    dev_ = any_cooling_device{};
  }

  /// A forward range over the instances of this device in every zone (bind order).
  class instance_range {
   public:
    class iterator {
     public:
      using value_type = thermal_instance;
      using difference_type = std::ptrdiff_t;
      constexpr iterator() noexcept = default;
      constexpr explicit iterator(thermal_instance* p) noexcept : p_(p) {}
      constexpr thermal_instance& operator*() const noexcept { return *p_; }
      constexpr thermal_instance* operator->() const noexcept { return p_; }
      constexpr iterator& operator++() noexcept {
        p_ = p_->cdev_next;
        return *this;
      }
      constexpr iterator operator++(int) noexcept {
        iterator t = *this;
        ++*this;
        return t;
      }
      friend constexpr bool operator==(iterator, iterator) noexcept = default;

     private:
      thermal_instance* p_{nullptr};
    };
    constexpr explicit instance_range(thermal_instance* head) noexcept : head_(head) {}
    [[nodiscard]] constexpr iterator begin() const noexcept { return iterator(head_); }
    [[nodiscard]] constexpr iterator end() const noexcept { return iterator(); }

   private:
    thermal_instance* head_;
  };
  /// Every instance of this device, across zones.
  [[nodiscard]] instance_range instances() const noexcept { return instance_range(head_); }
  /// Number of instances bound to this device. O(n).
  [[nodiscard]] std::size_t instance_count() const noexcept {
    std::size_t n = 0;
    for (const thermal_instance* i = head_; i != nullptr; i = i->cdev_next) {
      ++n;
    }
    return n;
  }

  // ---- core-private (used by thermal_zone_device) ----

  /// Appends `i` to this device's instance list (list_add_tail).
  void link_instance(thermal_instance* i) noexcept {
    i->cdev_next = nullptr;
    thermal_instance** p = &head_;
    while (*p != nullptr) {
      p = &(*p)->cdev_next;
    }
    *p = i;
  }
  /// Removes `i` from the list.
  void unlink_instance(thermal_instance* i) noexcept {
    for (thermal_instance** p = &head_; *p != nullptr; p = &(*p)->cdev_next) {
      if (*p == i) {
        *p = i->cdev_next;
        i->cdev_next = nullptr;
        return;
      }
    }
  }
  /// The instance object at `from` now lives at `to` (zone storage compaction).
  void relink_instance(const thermal_instance* from, thermal_instance* to) noexcept {
    for (thermal_instance** p = &head_; *p != nullptr; p = &(*p)->cdev_next) {
      if (*p == from) {
        *p = to;
        return;
      }
    }
  }

 private:
  any_cooling_device dev_{};
  cooling_device_stats_base* stats_{nullptr};
  thermal_instance* head_{nullptr};
  event_sink sink_{};
  cdev_type_name type_{};
  std::int32_t id_{-1};
  cooling_state max_state_{0};
  bool updated_{false};
  bool registered_{false};
};

}  // namespace thermo::control
