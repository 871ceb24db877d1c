/// @file events.hpp
/// The thermal netlink event set (generic netlink family "thermal", Linux 6.12 plus the
/// ≥6.13 threshold events) as plain values, and the sinks they are delivered to.
///
/// * `thermal_event` carries one event: its `event_type` (numbered exactly like the kernel's
///   `THERMAL_GENL_EVENT_*`; 0 is the sampling group's `THERMAL_GENL_SAMPLING_TEMP`) and the
///   attributes the kernel puts in that message.
/// * `event_sink` is a non-owning callback (function pointer + context, no `std::function`):
///   `callback_sink<thermal_event>`.
/// * `event_ring<Capacity>` is a fixed-capacity FIFO usable as a sink; when full it refuses the
///   new event and counts it in `dropped()`, so nothing is lost silently.
///
/// See docs/reference/control.md for the table of events and when each is emitted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// Netlink multicast group of an event (`sampling` = 0, `event` = 1).
enum class event_group : std::uint8_t { sampling = 0, event = 1 };

/// Event command numbers. Values 1–19 are `THERMAL_GENL_EVENT_*`; 0 is the sampling message.
enum class event_type : std::uint8_t {
  sampling_temp = 0,           ///< group `sampling`: TZ_ID, TZ_TEMP — every successful update
  tz_create = 1,               ///< TZ_ID, TZ_NAME — zone registered
  tz_delete = 2,               ///< TZ_ID — zone unregistered
  tz_disable = 3,              ///< TZ_ID — mode → disabled (also a broken sensor)
  tz_enable = 4,               ///< TZ_ID — mode → enabled
  tz_trip_up = 5,              ///< TZ_ID, TRIP_ID, TZ_TEMP — upward crossing
  tz_trip_down = 6,            ///< TZ_ID, TRIP_ID, TZ_TEMP — downward crossing
  tz_trip_change = 7,          ///< TZ_ID, TRIP_ID, TRIP_TYPE, TRIP_TEMP, TRIP_HYST
  tz_trip_add = 8,             ///< defined, never emitted by 6.12
  tz_trip_delete = 9,          ///< defined, never emitted by 6.12
  cdev_add = 10,               ///< CDEV_NAME, CDEV_ID, CDEV_MAX_STATE — no caller in 6.12
  cdev_delete = 11,            ///< CDEV_ID — no caller in 6.12
  cdev_state_update = 12,      ///< CDEV_ID, CDEV_CUR_STATE — every set_cur_state via the core
  tz_gov_change = 13,          ///< TZ_ID, GOV_NAME — policy change requested
  cpu_capability_change = 14,  ///< Intel HFI; defined, not produced here
  threshold_add = 15,          ///< [≥6.13] TZ_ID, THRESHOLD_TEMP, THRESHOLD_DIRECTION
  threshold_delete = 16,       ///< [≥6.13] same payload
  threshold_flush = 17,        ///< [≥6.13] TZ_ID
  threshold_up = 18,           ///< [≥6.13] TZ_ID, TZ_PREV_TEMP, TZ_TEMP
  threshold_down = 19,         ///< [≥6.13] TZ_ID, TZ_PREV_TEMP, TZ_TEMP
};

/// The multicast group an event is sent on.
[[nodiscard]] constexpr event_group group_of(event_type t) noexcept {
  return t == event_type::sampling_temp ? event_group::sampling : event_group::event;
}

/// A short, static name of an event type ("tz_trip_up" …).
[[nodiscard]] constexpr std::string_view to_string(event_type t) noexcept {
  switch (t) {
    case event_type::sampling_temp: return "sampling_temp";
    case event_type::tz_create: return "tz_create";
    case event_type::tz_delete: return "tz_delete";
    case event_type::tz_disable: return "tz_disable";
    case event_type::tz_enable: return "tz_enable";
    case event_type::tz_trip_up: return "tz_trip_up";
    case event_type::tz_trip_down: return "tz_trip_down";
    case event_type::tz_trip_change: return "tz_trip_change";
    case event_type::tz_trip_add: return "tz_trip_add";
    case event_type::tz_trip_delete: return "tz_trip_delete";
    case event_type::cdev_add: return "cdev_add";
    case event_type::cdev_delete: return "cdev_delete";
    case event_type::cdev_state_update: return "cdev_state_update";
    case event_type::tz_gov_change: return "tz_gov_change";
    case event_type::cpu_capability_change: return "cpu_capability_change";
    case event_type::threshold_add: return "threshold_add";
    case event_type::threshold_delete: return "threshold_delete";
    case event_type::threshold_flush: return "threshold_flush";
    case event_type::threshold_up: return "threshold_up";
    case event_type::threshold_down: return "threshold_down";
  }
  return "unknown";
}

/// One netlink message. Only the attributes of `type` are meaningful; the others keep their
/// defaults (ids −1, temperatures 0). Temperatures are signed m°C (the kernel sends their u32
/// bit pattern). Trivially copyable, no heap.
struct thermal_event {
  event_type type{event_type::sampling_temp};
  trip_type trip_kind{trip_type::active};  ///< TRIP_TYPE (tz_trip_change)
  std::uint8_t direction{0};               ///< THRESHOLD_DIRECTION bits (threshold add/delete)
  std::int32_t tz_id{-1};                  ///< TZ_ID
  std::int32_t trip_id{-1};                ///< TRIP_ID
  millicelsius temperature{0};             ///< TZ_TEMP, or THRESHOLD_TEMP for add/delete
  millicelsius prev_temperature{0};        ///< TZ_PREV_TEMP (threshold up/down)
  millicelsius trip_temperature{0};        ///< TRIP_TEMP (tz_trip_change)
  millikelvin_delta trip_hysteresis{0};    ///< TRIP_HYST (tz_trip_change)
  std::int32_t cdev_id{-1};                ///< CDEV_ID
  cooling_state cdev_state{0};             ///< CDEV_CUR_STATE
  cooling_state cdev_max_state{0};         ///< CDEV_MAX_STATE
  fixed_name name{};                       ///< TZ_NAME or GOV_NAME (CDEV_NAME: cdev_add, never sent)

  friend constexpr bool operator==(const thermal_event&, const thermal_event&) noexcept = default;
};

/// A non-owning callback for values of type `Event`: a function pointer and a context pointer
/// (no `std::function`, no heap). A default-constructed sink discards what it is given.
template <class Event>
class callback_sink {
 public:
  using callback = void (*)(void* context, const Event& event) noexcept;

  constexpr callback_sink() noexcept = default;
  constexpr callback_sink(callback fn, void* context) noexcept : fn_(fn), ctx_(context) {}

  /// True when events are delivered somewhere.
  constexpr explicit operator bool() const noexcept { return fn_ != nullptr; }
  /// Delivers `e` (no-op for an empty sink).
  constexpr void operator()(const Event& e) const noexcept {
    if (fn_ != nullptr) {
      fn_(ctx_, e);
    }
  }

 private:
  callback fn_{nullptr};
  void* ctx_{nullptr};
};

/// Where netlink events go. An empty sink discards them (and the producers skip building them,
/// as the kernel does when a multicast group has no listener).
using event_sink = callback_sink<thermal_event>;

/// A FIFO of at most `Capacity` events. `push` refuses an event when full and counts it in
/// `dropped()`; `sink()` returns an `event_sink` that pushes into this ring. O(1) per operation.
template <std::size_t Capacity>
class event_ring {
  static_assert(Capacity > 0, "an event_ring needs a capacity of at least one");

 public:
  constexpr event_ring() noexcept = default;
  event_ring(const event_ring&) = delete;  // sinks hold a pointer to the ring
  event_ring& operator=(const event_ring&) = delete;
  event_ring(event_ring&&) = delete;
  event_ring& operator=(event_ring&&) = delete;
  ~event_ring() = default;

  /// Appends `e`; false (and `dropped()` incremented) when the ring is full.
  constexpr bool push(const thermal_event& e) noexcept {
    if (size_ == Capacity) {
      ++dropped_;
      return false;
    }
    items_[(head_ + size_) % Capacity] = e;
    ++size_;
    return true;
  }
  /// Removes and returns the oldest event, or nothing when empty.
  constexpr std::optional<thermal_event> pop() noexcept {
    if (size_ == 0) {
      return std::nullopt;
    }
    const thermal_event e = items_[head_];
    head_ = (head_ + 1) % Capacity;
    --size_;
    return e;
  }
  /// The `i`-th oldest event (precondition: i < size()).
  [[nodiscard]] constexpr const thermal_event& operator[](std::size_t i) const noexcept {
    THERMO_ASSERT(i < size_);
    return items_[(head_ + i) % Capacity];
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }
  /// Events refused because the ring was full, since construction or `clear()`.
  [[nodiscard]] constexpr std::size_t dropped() const noexcept { return dropped_; }
  /// Empties the ring and resets the drop counter.
  constexpr void clear() noexcept {
    head_ = 0;
    size_ = 0;
    dropped_ = 0;
  }
  /// A sink that pushes into this ring (the ring must outlive every copy of it).
  [[nodiscard]] constexpr event_sink sink() noexcept {
    return event_sink(
        [](void* ctx, const thermal_event& e) noexcept { static_cast<void>(static_cast<event_ring*>(ctx)->push(e)); },
        this);
  }

 private:
  std::array<thermal_event, Capacity> items_{};
  std::size_t head_{0};
  std::size_t size_{0};
  std::size_t dropped_{0};
};

}  // namespace thermo::control
