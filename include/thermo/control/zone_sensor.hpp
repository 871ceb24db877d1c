/// @file zone_sensor.hpp
/// The sensor side of a thermal zone (`struct thermal_zone_device_ops`): the ops table, the
/// non-owning `zone_sensor` handle built from any `TemperatureSensor` (optional hooks —
/// `set_trips`, `get_trend`, `hot`, `critical`, `change_mode` — picked up when the type has
/// them), and `pushed_sensor`, whose value the caller sets. No heap, no exceptions.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>

#include "thermo/control/concepts.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

class thermal_zone_device;

/// The sensor side of a zone (`struct thermal_zone_device_ops`). Only `get_temp` is required.
struct thermal_zone_device_ops {
  result<millicelsius> (*get_temp)(void* devdata) noexcept;
  errc (*set_trips)(void* devdata, millicelsius low, millicelsius high) noexcept;
  result<thermal_trend> (*get_trend)(void* devdata, std::int32_t trip_id) noexcept;
  void (*hot)(void* devdata, thermal_zone_device& tz) noexcept;
  void (*critical)(void* devdata, thermal_zone_device& tz) noexcept;
  errc (*change_mode)(void* devdata, thermal_device_mode mode) noexcept;
};

namespace detail {
template <TemperatureSensor S>
constexpr thermal_zone_device_ops make_zone_ops() noexcept {
  thermal_zone_device_ops o{};  // callbacks the type does not offer stay null
  o.get_temp = [](void* p) noexcept { return static_cast<S*>(p)->get_temp(); };
  if constexpr (requires(S& s, millicelsius t) {
                  { s.set_trips(t, t) } noexcept -> std::same_as<errc>;
                }) {
    o.set_trips = [](void* p, millicelsius lo, millicelsius hi) noexcept { return static_cast<S*>(p)->set_trips(lo, hi); };
  }
  if constexpr (requires(S& s, std::int32_t i) {
                  { s.get_trend(i) } noexcept -> std::same_as<result<thermal_trend>>;
                }) {
    o.get_trend = [](void* p, std::int32_t i) noexcept { return static_cast<S*>(p)->get_trend(i); };
  }
  if constexpr (requires(S& s, thermal_zone_device& tz) {
                  { s.hot(tz) } noexcept;
                }) {
    o.hot = [](void* p, thermal_zone_device& tz) noexcept { static_cast<S*>(p)->hot(tz); };
  }
  if constexpr (requires(S& s, thermal_zone_device& tz) {
                  { s.critical(tz) } noexcept;
                }) {
    o.critical = [](void* p, thermal_zone_device& tz) noexcept { static_cast<S*>(p)->critical(tz); };
  }
  if constexpr (requires(S& s, thermal_device_mode m) {
                  { s.change_mode(m) } noexcept -> std::same_as<errc>;
                }) {
    o.change_mode = [](void* p, thermal_device_mode m) noexcept { return static_cast<S*>(p)->change_mode(m); };
  }
  return o;
}
template <TemperatureSensor S>
inline constexpr thermal_zone_device_ops zone_ops_for = make_zone_ops<S>();
}  // namespace detail

/// A non-owning handle to a zone's sensor: `devdata` + ops table. Build it from any
/// `TemperatureSensor` with `zone_sensor(sensor)`; optional hooks are picked up when the sensor
/// type has them (`set_trips`, `get_trend`, `hot`, `critical`, `change_mode`).
class zone_sensor {
 public:
  constexpr zone_sensor() noexcept = default;
  template <TemperatureSensor S>
    requires(!std::is_same_v<std::remove_cv_t<S>, zone_sensor>)
  constexpr explicit zone_sensor(S& s) noexcept : devdata_(&s), ops_(&detail::zone_ops_for<S>) {}
  /// A sensor from a hand-written ops table (`ops.get_temp` must be non-null).
  constexpr zone_sensor(void* devdata, const thermal_zone_device_ops& ops) noexcept : devdata_(devdata), ops_(&ops) {}

  [[nodiscard]] constexpr bool empty() const noexcept { return ops_ == nullptr || ops_->get_temp == nullptr; }
  [[nodiscard]] constexpr void* devdata() const noexcept { return devdata_; }
  [[nodiscard]] constexpr const thermal_zone_device_ops* ops() const noexcept { return ops_; }

 private:
  void* devdata_{nullptr};
  const thermal_zone_device_ops* ops_{nullptr};
};

/// A sensor whose value the caller sets (simulations, tests, firmware that samples in an ISR).
struct pushed_sensor {
  result<millicelsius> value{temp_invalid};
  /// Sets the next reading.
  constexpr void set(millicelsius t) noexcept { value = t; }
  /// Makes the next reading fail with `e`.
  constexpr void fail(errc e) noexcept { value = e; }
  [[nodiscard]] constexpr result<millicelsius> get_temp() const noexcept { return value; }
};

}  // namespace thermo::control
