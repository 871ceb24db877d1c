// What `thermo simulate` builds and owns for one run: the capacities of its simulations
// (cli_limits) and the bundle of a simulation with everything it points into (sim_bundle).
// Shared by the builder (simulate.hpp), the run metrics (run_metrics.hpp) and the sweep. Host
// code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "scenario.hpp"
#include "thermo/io/utilization_csv.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/schema/soc.hpp"
#include "thermo/workload/decompression.hpp"
#include "thermo/workload/inference.hpp"
#include "thermo/workload/synthetic.hpp"
#include "thermo/workload/utilization_trace.hpp"

namespace thermo::cli {

/// Capacities of the simulations the tool builds.
struct cli_limits : sim::default_limits {
  using L = io::scenario_limits;  // the scenario format's limits are these capacities
  static constexpr std::size_t nodes = L::max_nodes;
  static constexpr std::size_t edges = 128;
  static constexpr std::size_t domains = L::max_heat;
  static constexpr std::size_t sensors = L::max_sensors;
  static constexpr std::size_t zones = L::max_zones;
  static constexpr std::size_t trips = 16;
  static constexpr std::size_t instances = 32;
  static constexpr std::size_t cooling_devices = 16;
  static constexpr std::size_t fans = L::max_fans;
  static constexpr std::size_t workloads = L::max_workloads;
  static constexpr std::size_t scenario_events = L::max_events;
  static constexpr std::size_t crossings = 2048;
};
static_assert(io::scenario_limits::max_weights <= cli_limits::heat_nodes && io::scenario_limits::max_weights <= cli_limits::probe_terms);

using cli_simulation = sim::simulation<cli_limits>;
using trace_workload = workload::utilization_trace<io::max_utilization_rows, io::max_utilization_cpus>;
/// An inference workload of a scenario: up to 8 threads, 4096 latency samples (exact
/// percentiles up to 4096 inferences, a seeded reservoir estimate after), 1024 throughput windows.
using inference_workload = workload::inference<8, 4096, 1024>;

/// A scenario workload whose results are metrics of their own (inference, boot), by name.
template <class W>
struct named_workload {
  std::string name;
  std::unique_ptr<W> w;
};

/// Everything a run owns (the simulation points into it: not movable). The governors come
/// first so that they outlive the simulation's zones.
/// Rows of the trace kept in memory at once: the block the recorder hands to the trace
/// writer and the plot when full (sim/recorder.hpp, streaming).
inline constexpr std::size_t trace_block_rows = 4096;

struct sim_bundle {
  std::deque<cli_governors::slot> governors;  ///< one per simulated zone
  cli_simulation sim;
  sim::recorder rec{1};
  std::deque<workload::constant_demand<8>> constant;
  std::deque<workload::phased_demand<io::scenario_limits::max_phases, 8>> phased;
  std::deque<std::unique_ptr<trace_workload>> traces;
  std::deque<named_workload<inference_workload>> inference;
  std::deque<named_workload<workload::decompression>> boots;
  /// The SoC as the scenario changes it ([zone] keys): a copy of the description whose zones,
  /// trips and cooling maps are owned here.
  schema::soc_description soc{};
  std::vector<schema::thermal_zone_desc> soc_zones;
  std::deque<std::vector<schema::trip_desc>> soc_trips;
  std::deque<std::vector<schema::cooling_map_desc>> soc_maps;
  std::deque<std::vector<schema::cooling_map_entry>> soc_map_entries;
  std::deque<std::vector<sim::heat_share>> heat;
  std::deque<std::vector<weighted_node<double>>> probes;
  std::deque<std::vector<sim::fan_path>> fan_paths;
  std::deque<std::vector<std::uint32_t>> fan_levels;
  std::vector<std::string> node_names;
  std::vector<std::string_view> node_name_views;
  std::vector<std::string> zone_names;  ///< simulated zones, in simulation order
  std::vector<std::string> notes;       ///< what was left out (printed by the command)
  std::vector<std::string> warnings;    ///< what will not work as one may expect (printed before the run)
};

namespace detail {

/// "what (code)", as every build error shows a library error, or just "what" when the two
/// read the same ("no path to ambient").
inline std::string error_text(const error& e) {
  const std::string_view code = to_string(e.code);
  return code == std::string_view(e.what) ? std::string(e.what) : std::string(e.what) + " (" + std::string(code) + ")";
}

}  // namespace detail

/// How a run ended, in words: "completed" when it reached the end it was asked to run to
/// (`run_status::running`: it could go on), else the status's name ("shutdown", "reboot",
/// "budget_exhausted").
inline std::string run_outcome(const sim_bundle& b) {
  return b.sim.status() == sim::run_status::running ? std::string("completed") : std::string(to_string(b.sim.status()));
}

}  // namespace thermo::cli
