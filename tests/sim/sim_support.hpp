// Small scenarios shared by the simulation tests.
#pragma once

#include <array>
#include <cstddef>
#include <memory>

#include "thermo/control/governors/step_wise.hpp"
#include "thermo/power/opp.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/workload/synthetic.hpp"

namespace thermo::test {

/// Small capacities: keeps the test objects small and fast.
struct small_limits : sim::default_limits {
  static constexpr std::size_t nodes = 4;
  static constexpr std::size_t edges = 8;
  static constexpr std::size_t domains = 2;
  static constexpr std::size_t cores = 4;
  static constexpr std::size_t opps = 8;
  static constexpr std::size_t sensors = 3;
  static constexpr std::size_t zones = 2;
  static constexpr std::size_t trips = 4;
  static constexpr std::size_t instances = 4;
  static constexpr std::size_t cooling_devices = 4;
  static constexpr std::size_t fans = 1;
  static constexpr std::size_t networks = 6;
  static constexpr std::size_t workloads = 2;
  static constexpr std::size_t scenario_events = 16;
  static constexpr std::size_t crossings = 64;
  static constexpr std::size_t channels = 2;
};
using small_sim = sim::simulation<small_limits>;

/// Four OPPs, 500 MHz .. 2 GHz.
inline constexpr std::array<power::opp, 4> test_opps{{
    {kilohertz(500'000), microvolts(800'000), microwatts(0)},
    {kilohertz(1'000'000), microvolts(900'000), microwatts(0)},
    {kilohertz(1'500'000), microvolts(1'000'000), microwatts(0)},
    {kilohertz(2'000'000), microvolts(1'100'000), microwatts(0)},
}};

/// Die (node 0, 0.5 J/K) on a board (node 1, 5 J/K) cooled by the air (0.05 W/K): 1.94 W at
/// full speed settles at about 68 °C on the die, with time constants of 0.5 s and 105 s.
template <class Sim = small_sim>
inline typename Sim::builder_type die_board() {
  typename Sim::builder_type b;
  const auto die = b.add_node(0.5);
  const auto board = b.add_node(5.0, 0.05);
  static_cast<void>(b.connect(*die, *board, 0.5));
  static_cast<void>(b.set_ambient(25.0));
  return b;
}

/// A 2-core CPU domain (C = 400 µW/(MHz·V²): 2 GHz at 1.1 V gives 0.97 W per core) on node 0.
inline constexpr std::array<sim::heat_share, 1> die_heat{{{0, 1.0}}};
inline sim::domain_config cpu_domain(std::size_t cores = 2) {
  sim::domain_config d;
  d.power.name = "cpu";
  d.power.opps = test_opps;
  d.power.dynamic_power_coefficient = 400.0;
  d.power.cores = cores;
  d.heat = die_heat;
  return d;
}

inline constexpr std::array<weighted_node<double>, 1> die_probe{{{0, 1.0}}};

}  // namespace thermo::test
