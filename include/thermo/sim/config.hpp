/// @file config.hpp
/// What a `simulation` is built from: its capacities (`default_limits`) and the configuration of
/// each part — power domains and where their heat goes, sensors, zones, fans and custom trace
/// channels. Plain data; `simulation::add_*` validates it. See docs/reference/sim.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/model/power.hpp"
#include "thermo/model/rc_network.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/sim/metrics.hpp"

namespace thermo::sim {

/// Capacities of a `simulation` (all storage is sized by these). Derive and override what you
/// need:  `struct my_limits : thermo::sim::default_limits { static constexpr std::size_t nodes = 32; };`
struct default_limits {
  static constexpr std::size_t nodes = 16;            ///< plant nodes
  static constexpr std::size_t edges = 64;            ///< conductances between nodes (fans' included)
  static constexpr std::size_t domains = 4;           ///< power domains
  static constexpr std::size_t cores = 8;             ///< cores per domain
  static constexpr std::size_t opps = 32;             ///< OPPs per domain
  static constexpr std::size_t heat_nodes = 4;        ///< nodes one domain's power is spread over
  static constexpr std::size_t sensors = 8;
  static constexpr std::size_t probe_terms = 4;       ///< nodes one sensor reads
  static constexpr std::size_t zones = 4;
  static constexpr std::size_t trips = 8;             ///< per zone
  static constexpr std::size_t instances = 8;         ///< cooling bindings per zone
  static constexpr std::size_t cooling_devices = 8;
  static constexpr std::size_t fans = 2;
  static constexpr std::size_t fan_levels = 16;
  static constexpr std::size_t fan_paths = 4;         ///< conductances one fan drives
  static constexpr std::size_t networks = 4;          ///< cached fan configurations
  static constexpr std::size_t workloads = 4;
  static constexpr std::size_t scenario_events = 64;
  static constexpr std::size_t crossings = 256;       ///< crossing records kept
  static constexpr std::size_t channels = 8;          ///< custom recorder channels
};

/// The metrics of a simulation with capacities `Limits`.
template <class Limits>
using metrics_of = run_metrics<Limits::zones, Limits::trips, Limits::domains, Limits::cooling_devices,
                               Limits::nodes, Limits::crossings>;

/// One node receiving a share of a domain's power.
struct heat_share {
  std::size_t node{0};
  double weight{1.0};  ///< > 0; shares are normalised to sum to 1
};

/// A power domain of the plant (a CPU cluster, a GPU).
struct domain_config {
  power_domain_config<double> power{};        ///< OPPs, C, cores, leakage, idle power
  std::span<const heat_share> heat{};         ///< where its heat goes (≥ 1 node)
  bool cpu{true};                             ///< CPU cluster (cpufreq) or device (devfreq)
  std::uint32_t cpu_capacity{1024};           ///< `arch_scale_cpu_capacity` of its CPUs (1..1024)
};

/// A sensor: which node(s) it reads and its properties.
struct sensor_config {
  std::string_view name{};
  std::span<const weighted_node<double>> probe{};  ///< Σ weight·T (weights as given)
  sensor_params params{};
};

/// A thermal zone: the control code's configuration plus the sensor it reads.
struct zone_setup {
  control::zone_config config{};
  std::span<const control::thermal_trip> trips{};
  std::size_t sensor{0};              ///< a sensor no other zone uses
  control::governor_ref governor{};   ///< user-owned; must outlive the simulation's run
  bool enabled{true};                 ///< enabled at `start` (else by a scenario event)
};

/// A conductance a fan drives: g(s) = off + (full − off)·(level(s) / max level)^exponent, in
/// parallel with the network's own conductance on that path.
struct fan_path {
  static constexpr std::size_t ambient = static_cast<std::size_t>(-1);
  std::size_t node{0};
  std::size_t peer{ambient};      ///< another node, or `ambient`
  double conductance_off{0.0};    ///< W/K at zero airflow (also when the fan has failed), ≥ 0
  double conductance_full{0.0};   ///< W/K at full airflow, ≥ 0
  double exponent{0.8};           ///< forced convection grows like airflow^0.8, > 0
};

/// A fan cooling device and the conductances it drives.
struct fan_config {
  std::string_view name{"pwm-fan"};                 ///< cooling-device type (≤ 31 characters)
  std::span<const std::uint32_t> levels{};          ///< PWM (or RPM) per state
  control::fan_kind kind{control::fan_kind::pwm};
  std::span<const fan_path> paths{};
  control::cooling_state initial_state{control::no_limit};  ///< no_limit: the top state (pwm-fan probe)
};

/// A user channel in the trace: `fn(ctx)` is called at every recorded row.
struct custom_channel {
  std::string_view name{};
  std::string_view unit{};
  double (*fn)(const void* ctx) noexcept {nullptr};
  const void* ctx{nullptr};
};

}  // namespace thermo::sim
