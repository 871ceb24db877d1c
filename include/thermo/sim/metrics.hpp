/// @file metrics.hpp
/// What a run measured: per zone (peak, updates, interrupts, failed reads) and per trip (time
/// above, overshoot, detection latency of every crossing, missed excursions, false alarms), per
/// domain (energy, cycles executed against cycles demanded), per cooling device (transitions,
/// time active), and the list of every detected crossing.
///
/// Definitions (docs/explanation/simulation.md has the reasoning):
/// * the *sensed temperature* of a zone is the continuous temperature at its sensor — the
///   probe's weighted node sum, without offset, quantisation or noise. Its crossings of each
///   trip temperature (up) and each release temperature (trip − hysteresis, down) are found
///   exactly by the same root search as interrupts (to `crossing_tolerance`), or at steps in
///   fixed-step mode;
/// * *detection latency* of an up crossing = time of the zone update that reported TRIP_UP −
///   time the sensed temperature reached the trip; of a down crossing likewise with TRIP_DOWN
///   and the release temperature. A detection while the sensed temperature is on the other side
///   (offset, noise, spikes) is a *false alarm* (no latency); an excursion above the trip that
///   ends (below the release temperature) before any detection is *missed*;
/// * *overshoot at detection* = sensed temperature at detection − trip temperature; *peak
///   overshoot* = the largest sensed temperature above the trip seen at any event or sample;
///   peaks are evaluated at events and samples (record more often for finer peaks);
/// * *executed cycles* = ∫ Σ_cores busy·f dt; *demanded cycles* = ∫ Σ_cores u·f_max dt, what an
///   unthrottled domain would have executed over the same intervals; their ratio is the work
///   done against an unthrottled run;
/// * energy = ∫ P dt of the power actually applied to the plant (leakage as held).
#pragma once

#include <cstddef>
#include <cstdint>

#include "thermo/control/types.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace thermo::sim {

/// One crossing reported by a zone.
struct crossing_record {
  std::uint16_t zone{0};
  std::uint16_t trip{0};
  bool up{true};               ///< TRIP_UP (else TRIP_DOWN)
  bool physical{true};         ///< the sensed temperature had crossed (else a false alarm)
  sim_time crossed{};         ///< when the sensed temperature crossed the level (if `physical`)
  sim_time detected{};        ///< the zone update that reported it
  double latency_s{0.0};       ///< detected − crossed (0 for a false alarm)
  double temperature_c{0.0};   ///< sensed temperature at detection
  double overshoot_c{0.0};     ///< how far past the level at detection (°C, ≥ 0 unless a false alarm)
};

/// Per trip of a zone.
struct trip_metrics {
  millicelsius temperature{0};
  millikelvin_delta hysteresis{0};
  std::uint32_t crossings{0};       ///< upward crossings of the trip by the sensed temperature
  std::uint32_t detections{0};      ///< TRIP_UP reports paired with a crossing
  std::uint32_t releases{0};        ///< TRIP_DOWN reports paired with a crossing below release
  std::uint32_t missed{0};          ///< excursions above the trip never reported
  std::uint32_t false_alarms{0};    ///< reports without the matching crossing
  double time_above_s{0.0};         ///< sensed temperature ≥ trip temperature
  double time_reached_s{0.0};       ///< the zone considered the trip reached
  double max_overshoot_c{0.0};      ///< peak sensed temperature − trip (0 if never above)
  double latency_mean_s{0.0};       ///< over `detections`
  double latency_max_s{0.0};
  double overshoot_at_detection_max_c{0.0};
  double release_latency_mean_s{0.0};  ///< over `releases`
  double release_latency_max_s{0.0};
};

/// Per zone.
template <std::size_t MaxTrips>
struct zone_metrics {
  double peak_c{0.0};          ///< highest sensed temperature (events and samples)
  sim_time peak_time{};
  std::uint32_t updates{0};    ///< zone updates run (polls, interrupts, re-checks, scenario)
  std::uint32_t interrupts{0}; ///< sensor interrupts handled
  std::uint32_t read_failures{0};
  /// Reads whose value did not fit a millicelsius (int32) and were saturated to ±2,147,483.647 °C.
  std::uint32_t saturated_reads{0};
  /// The sensed temperature reached a critical trip of the zone, and the zone did not stop the
  /// run for it (it never updated, was disabled, or the run ended first).
  bool unhandled_critical{false};
  static_vector<trip_metrics, MaxTrips> trips{};
};

/// Per power domain.
struct domain_metrics {
  double energy_j{0.0};
  double executed_cycles{0.0};
  double demanded_cycles{0.0};
  double time_capped_s{0.0};   ///< a cooling cap held the frequency below what the load asked
  double time_injected_s{0.0}; ///< idle injection was active
  /// executed / demanded (1 when nothing was demanded).
  [[nodiscard]] double work_ratio() const noexcept {
    return demanded_cycles > 0.0 ? executed_cycles / demanded_cycles : 1.0;
  }
};

/// Per cooling device.
struct cooling_metrics {
  std::uint32_t transitions{0};      ///< state changes
  control::cooling_state max_state{0};  ///< highest state reached
  double time_active_s{0.0};         ///< time with state > 0
};

/// Everything measured by a run (see the file comment). Capacities from the simulation's limits.
template <std::size_t MaxZones, std::size_t MaxTrips, std::size_t MaxDomains, std::size_t MaxCooling,
          std::size_t MaxNodes, std::size_t MaxCrossings>
struct run_metrics {
  sim_duration duration{0};
  static_vector<zone_metrics<MaxTrips>, MaxZones> zones{};
  static_vector<domain_metrics, MaxDomains> domains{};
  static_vector<cooling_metrics, MaxCooling> cooling{};
  static_vector<double, MaxNodes> node_peak_c{};  ///< per node, at recorded rows (−inf without a recorder)
  static_vector<crossing_record, MaxCrossings> crossings{};
  std::size_t crossings_dropped{0};  ///< records beyond the capacity (aggregates still count them)
  double energy_j{0.0};              ///< all domains
  std::uint64_t events{0};           ///< events processed
  std::uint64_t searches{0};         ///< exact crossing searches run
  std::uint64_t network_builds{0};   ///< network factorisations (fan configurations), set-up included
};

}  // namespace thermo::sim
