// A small recorded run for the recorder's tests (tests/sim) and its writers' (tests/io): a
// die-and-board plant, one domain under a phased workload, one step_wise zone, a custom
// channel, optionally sensor noise and an ambient step.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <string_view>

#include "sim/sim_support.hpp"
#include "thermo/sim/recorder.hpp"

namespace thermo::test {

using namespace std::chrono_literals;


constexpr std::array<control::thermal_trip, 2> trips{{
    {millicelsius(35'000), millikelvin_delta(2'000), control::trip_type::passive},
    {millicelsius(90'000), millikelvin_delta(0), control::trip_type::critical},
}};

// The rig's plant and sensor exactly fill these capacities (the rows' fixed-shape kernel).
struct full_limits : test::small_limits {
  static constexpr std::size_t nodes = 2;
  static constexpr std::size_t sensors = 1;
};
using full_sim = sim::simulation<full_limits>;

template <class Sim>
struct rig_t {
  std::unique_ptr<Sim> s = std::make_unique<Sim>();
  control::step_wise<> gov;
  std::unique_ptr<workload::phased_demand<4, 4>> w;
  sim::recorder rec;
  explicit rig_t(sim::sim_options o, std::size_t rows = 5000, double noise = 0.0, bool channel = true, bool ambient_step = false)
      : rec(rows) {
    REQUIRE(s->set_plant(test::die_board<Sim>()).ok());
    REQUIRE(s->set_options(o).ok());
    static constexpr std::array<std::string_view, 2> names{"die", "board"};
    s->set_node_names(names);
    REQUIRE(s->add_domain(test::cpu_domain(2)));
    sensor_params sp;
    sp.noise_stddev_mc = noise;
    sp.resolution = millikelvin_delta(100);
    auto sens = s->add_sensor({"die", test::die_probe, sp});
    REQUIRE(sens);
    auto c = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
    REQUIRE(c);
    sim::zone_setup zs;
    zs.config.type = "cpu-thermal";
    zs.config.polling_delay = 1000ms;
    zs.config.passive_delay = 100ms;
    zs.trips = trips;
    zs.sensor = *sens;
    zs.governor = control::governor_ref(gov);
    REQUIRE(s->add_zone(zs));
    REQUIRE(s->bind(0, 0, *c));
    static constexpr std::array<workload::demand_phase, 2> phases{{{20s, 1.0, 2}, {10s, 0.1, 1}}};
    w = std::make_unique<workload::phased_demand<4, 4>>(*workload::phased_demand<4, 4>::make(0, 2, phases, sim_time{}, 0));
    REQUIRE(s->add_workload(*w));
    if (channel) {
      REQUIRE(s->add_channel({"twice_die", "C", [](const void* p) noexcept { return 2.0 * static_cast<const Sim*>(p)->temperature(0); }, s.get()}).ok());
    }
    if (ambient_step) {  // rows after it must use the new ambient
      REQUIRE(s->add_event(sim::scenario_event::ambient(sim_time{13s}, 31.5)).ok());
    }
    s->set_recorder(&rec);
    REQUIRE(s->start().ok());
  }
};
using rig = rig_t<test::small_sim>;  // room to spare: the rows' general kernel

}  // namespace thermo::test
