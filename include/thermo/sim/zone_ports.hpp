/// @file zone_ports.hpp
/// The thermal zones as the simulation runs them, and the path a reading takes to them.
///
/// Each zone is the unchanged control object (`control::thermal_zone`) reading a *port*: the
/// sensor driver as the kernel would see it. `get_temp` returns the value the simulation read;
/// an interrupt-capable sensor's `set_trips` records the window the zone programs, which the
/// comparators (comparators.hpp) then watch. A read is the sensor model's reading of the
/// probe's continuous temperature (offset, resolution, noise, faults — model/sensor.hpp); it is
/// delivered at once, or `conversion_time` later (the read pipeline).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thermo/control/events.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/sim/config.hpp"

namespace thermo::sim {

/// The zones of a `simulation<Limits>`, their ports and their sensors' models.
template <class Limits>
class zone_ports {
 public:
  using zone_type = control::thermal_zone<Limits::trips, Limits::instances>;
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  /// The zone's sensor as the control code sees it: `get_temp` returns the value the simulation
  /// read; `set_trips` (interrupt-capable sensors only) records the window.
  struct polled_port {
    result<millicelsius> reading{control::temp_invalid};
    millicelsius low{control::window_low_none};
    millicelsius high{control::window_high_none};
    bool programmed{false};
    [[nodiscard]] result<millicelsius> get_temp() const noexcept { return reading; }
  };
  struct irq_port : polled_port {
    [[nodiscard]] errc set_trips(millicelsius lo, millicelsius hi) noexcept {
      this->low = lo;
      this->high = hi;
      this->programmed = true;
      return errc::ok;
    }
  };

  /// The context of a zone's thermal-framework events: the zone and its owner (the simulation).
  struct event_context {
    void* owner{nullptr};
    std::size_t zone{0};
  };

  // ================================================================ set-up

  [[nodiscard]] bool sensors_full() const noexcept { return sensors_.full(); }
  /// Adds a sensor's model (its probe is the plant's). Returns its index.
  std::size_t add_sensor(const sensor_model& m, std::string_view name) noexcept {
    const std::size_t s = sensors_.size();
    static_cast<void>(sensors_.emplace_back());
    sensors_[s].model = m;
    sensors_[s].name = name;
    return s;
  }

  /// Sets up zone `z.sensor`'s zone; its events go to `on_event(context, event)`, the context
  /// naming `owner` and the zone. Errors: see `simulation::add_zone`.
  [[nodiscard]] result<std::size_t, error> add_zone(const zone_setup& z, void* owner,
                                                    void (*on_event)(void*, const control::thermal_event&) noexcept) noexcept {
    if (count_ == Limits::zones) {
      return error{errc::capacity_exceeded, "zones"};
    }
    if (z.sensor >= sensors_.size()) {
      return error{errc::out_of_range, "zone sensor", idx(z.sensor)};
    }
    if (sensors_[z.sensor].zone != none) {
      return error{errc::already_exists, "zone sensor", idx(z.sensor)};
    }
    const std::size_t zi = count_;
    zone_slot& s = zones_[zi];
    s.context = {owner, zi};
    s.sensor = z.sensor;
    s.interrupt = sensors_[z.sensor].model.params().interrupt;
    s.enabled_at_start = z.enabled;
    const control::zone_sensor port = s.interrupt ? control::zone_sensor(s.port)
                                                  : control::zone_sensor(static_cast<polled_port&>(s.port));
    const error e = s.zone.setup(z.config, z.trips, port, z.governor, control::event_sink(on_event, &s.context));
    if (!e.ok()) {
      return e;
    }
    sensors_[z.sensor].zone = zi;
    ++count_;
    return zi;
  }

  // ================================================================ the read pipeline

  /// Gives zone `z`'s port a fresh reading of `sensed` (°C, its probe's continuous
  /// temperature) without an update: what the zone reads when it is enabled or re-trips.
  void prime(std::size_t z, double sensed) noexcept {
    zone_slot& s = zones_[z];
    s.port.reading = sensors_[s.sensor].model.read(sensed);
  }
  /// A poll or interrupt may start a read: the zone is active and no read is in flight.
  [[nodiscard]] bool can_read(std::size_t z) const noexcept { return !zones_[z].in_flight && active(z); }
  /// Zone `z`'s sensor reads `sensed` now; the value is delivered after `conversion(z)`.
  [[nodiscard]] result<millicelsius> read(std::size_t z, double sensed) noexcept {
    return sensors_[zones_[z].sensor].model.read(sensed);
  }
  [[nodiscard]] sim_duration conversion(std::size_t z) const noexcept {
    return sensors_[zones_[z].sensor].model.params().conversion_time;
  }
  /// A conversion of `v` is in flight.
  void hold(std::size_t z, result<millicelsius> v) noexcept {
    zones_[z].pending = v;
    zones_[z].in_flight = true;
  }
  /// The conversion in flight completes: its value.
  [[nodiscard]] result<millicelsius> complete(std::size_t z) noexcept {
    zones_[z].in_flight = false;
    return zones_[z].pending;
  }
  /// The port holds `v` for the zone's next `get_temp`.
  void set_reading(std::size_t z, result<millicelsius> v) noexcept { zones_[z].port.reading = v; }

  /// Registered, not suspended and enabled: the zone updates.
  [[nodiscard]] bool active(std::size_t z) const noexcept {
    const auto& zone = zones_[z].zone;
    return zone.registered() && !zone.suspended() && zone.mode() == control::thermal_device_mode::enabled;
  }

  // ================================================================ state

  [[nodiscard]] std::size_t zone_count() const noexcept { return count_; }
  [[nodiscard]] std::size_t sensor_count() const noexcept { return sensors_.size(); }
  [[nodiscard]] zone_type& zone(std::size_t z) noexcept { return zones_[z].zone; }
  [[nodiscard]] const zone_type& zone(std::size_t z) const noexcept { return zones_[z].zone; }
  [[nodiscard]] const irq_port& port(std::size_t z) const noexcept { return zones_[z].port; }
  /// The sensor zone `z` reads, and whether it interrupts.
  [[nodiscard]] std::size_t sensor_of(std::size_t z) const noexcept { return zones_[z].sensor; }
  [[nodiscard]] bool interrupt(std::size_t z) const noexcept { return zones_[z].interrupt; }
  [[nodiscard]] bool enabled_at_start(std::size_t z) const noexcept { return zones_[z].enabled_at_start; }
  [[nodiscard]] sensor_model& sensor(std::size_t s) noexcept { return sensors_[s].model; }
  [[nodiscard]] const sensor_model& sensor(std::size_t s) const noexcept { return sensors_[s].model; }
  [[nodiscard]] const sensor_model& sensor_of_zone(std::size_t z) const noexcept {
    return sensors_[zones_[z].sensor].model;
  }
  [[nodiscard]] std::string_view sensor_name(std::size_t s) const noexcept { return sensors_[s].name; }
  /// The zone reading sensor `s`, or `none`.
  [[nodiscard]] std::size_t zone_of_sensor(std::size_t s) const noexcept { return sensors_[s].zone; }

 private:
  [[nodiscard]] static constexpr std::int32_t idx(std::size_t i) noexcept {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  }

  struct sensor_slot {
    sensor_model model{};
    std::string_view name{};
    std::size_t zone{none};
  };

  struct zone_slot {
    event_context context{};
    zone_type zone{};
    irq_port port{};
    std::size_t sensor{0};
    bool interrupt{false};
    bool enabled_at_start{true};
    bool in_flight{false};  // a conversion is under way …
    result<millicelsius> pending{control::temp_invalid};  // … and delivers this
  };

  std::array<zone_slot, Limits::zones> zones_{};
  std::size_t count_{0};
  static_vector<sensor_slot, Limits::sensors> sensors_{};
};

}  // namespace thermo::sim
