/// @file scenario.hpp
/// Scripted scenario events: things that happen to the system at a given time, independent of
/// what the control code does — the room warms up, a fan dies, a sensor fails, a workload changes
/// phase (through a callback), a user writes a trip temperature.
///
/// Events are plain values; build them with the named constructors and pass them to
/// `simulation::add_event` before `start`. Events at the same time run in the order they were
/// added, before any other event of that instant (see docs/explanation/simulation.md).
#pragma once

#include <cstddef>
#include <cstdint>

#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/sensor.hpp"

namespace thermo::sim {

/// What a scenario event does.
enum class scenario_action : std::uint8_t {
  set_ambient,           ///< ambient temperature := `value` °C (node temperatures do not jump)
  set_node_power,        ///< extra constant power on node `target` := `value` W (any sign)
  fan_failure,           ///< fan `target` (cooling-device index) delivers no airflow whatever its state
  fan_restore,           ///< fan `target` follows its state again
  sensor_fault,          ///< sensor `target` starts fault `fault` (sensor_fault_kind::none clears)
  sensor_restore,        ///< sensor `target` is healthy again
  zone_enable,           ///< zone `target` is enabled (runs an update)
  zone_disable,          ///< zone `target` is disabled (polling stops)
  set_trip_temperature,  ///< zone `target`, trip `trip` := `temperature` (sysfs write; runs an update)
  call,                  ///< `fn(ctx, now)` — anything else (workload phases, parameter changes)
};

/// Signature of a `call` event: any noexcept function. After it returns the simulation re-reads
/// every workload's utilisation and next event, and recomputes the plant's power.
using scenario_callback = void (*)(void* ctx, sim_time now) noexcept;

/// One scripted event (see `scenario_action` for the meaning of the fields).
struct scenario_event {
  sim_time at{};
  scenario_action action{scenario_action::call};
  std::size_t target{0};
  double value{0.0};
  std::int32_t trip{0};
  millicelsius temperature{0};
  thermo::sensor_fault fault{};
  scenario_callback fn{nullptr};
  void* ctx{nullptr};

  // Each named constructor sets `at`, `action` and the fields that action reads; the rest keep
  // their defaults.
  [[nodiscard]] static constexpr scenario_event ambient(sim_time t, double celsius) noexcept {
    return {.at = t, .action = scenario_action::set_ambient, .value = celsius};
  }
  [[nodiscard]] static constexpr scenario_event node_power(sim_time t, std::size_t node, double watts) noexcept {
    return {.at = t, .action = scenario_action::set_node_power, .target = node, .value = watts};
  }
  [[nodiscard]] static constexpr scenario_event fan_failure(sim_time t, std::size_t cooling_device) noexcept {
    return {.at = t, .action = scenario_action::fan_failure, .target = cooling_device};
  }
  [[nodiscard]] static constexpr scenario_event fan_restore(sim_time t, std::size_t cooling_device) noexcept {
    return {.at = t, .action = scenario_action::fan_restore, .target = cooling_device};
  }
  [[nodiscard]] static constexpr scenario_event sensor_failure(sim_time t, std::size_t sensor,
                                                               thermo::sensor_fault f) noexcept {
    return {.at = t, .action = scenario_action::sensor_fault, .target = sensor, .fault = f};
  }
  [[nodiscard]] static constexpr scenario_event sensor_restore(sim_time t, std::size_t sensor) noexcept {
    return {.at = t, .action = scenario_action::sensor_restore, .target = sensor};
  }
  [[nodiscard]] static constexpr scenario_event zone_enable(sim_time t, std::size_t zone) noexcept {
    return {.at = t, .action = scenario_action::zone_enable, .target = zone};
  }
  [[nodiscard]] static constexpr scenario_event zone_disable(sim_time t, std::size_t zone) noexcept {
    return {.at = t, .action = scenario_action::zone_disable, .target = zone};
  }
  [[nodiscard]] static constexpr scenario_event trip_temperature(sim_time t, std::size_t zone, std::int32_t trip,
                                                                 millicelsius temp) noexcept {
    return {.at = t, .action = scenario_action::set_trip_temperature, .target = zone, .trip = trip,
            .temperature = temp};
  }
  [[nodiscard]] static constexpr scenario_event callback(sim_time t, scenario_callback f, void* context) noexcept {
    return {.at = t, .action = scenario_action::call, .fn = f, .ctx = context};
  }
};

}  // namespace thermo::sim
