// A preset SoC in the simulation: add_soc builds the RK3399's domains, cooling devices and zones
// from the device-tree data; the power allocator then holds a heavy load under the control
// temperature, well below the critical trip the unthrottled load would pass.
#include <catch2/catch.hpp>

#include <array>
#include <memory>

#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/synthetic.hpp"

using namespace thermo;
using namespace std::chrono_literals;

namespace {

struct rk_limits : sim::default_limits {
  static constexpr std::size_t nodes = 5;
  static constexpr std::size_t edges = 8;
  static constexpr std::size_t domains = 3;
  static constexpr std::size_t cores = 4;
  static constexpr std::size_t opps = 8;
  static constexpr std::size_t sensors = 2;
  static constexpr std::size_t zones = 2;
  static constexpr std::size_t trips = 4;
  static constexpr std::size_t instances = 4;
  static constexpr std::size_t cooling_devices = 3;
  static constexpr std::size_t fans = 1;
  static constexpr std::size_t networks = 1;
  static constexpr std::size_t workloads = 2;
};
using rk_sim = sim::simulation<rk_limits>;

struct board {
  std::unique_ptr<rk_sim> s = std::make_unique<rk_sim>();
  control::power_allocator<4> cpu_gov;
  control::power_allocator<4> gpu_gov;
  std::unique_ptr<workload::constant_demand<4>> big;
  sim::soc_parts<8> parts;

  explicit board(bool apply_cooling, const schema::soc_description& soc = presets::rk3399) {
    rk_sim::builder_type b;
    REQUIRE(sim::rk3399_board(b, 30.0).ok());  // a warm room
    REQUIRE(s->set_plant(b).ok());
    sim::sim_options o;
    o.apply_cooling = apply_cooling;
    REQUIRE(s->set_options(o).ok());
    static constexpr std::array<weighted_node<double>, 2> cpu_probe{{{0, 0.7}, {1, 0.3}}};
    static constexpr std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};
    auto sc = s->add_sensor({"cpu", cpu_probe, {}});
    auto sg = s->add_sensor({"gpu", gpu_probe, {}});
    REQUIRE(sc);
    REQUIRE(sg);
    static constexpr std::array<std::size_t, 2> cluster_nodes{1, 0};  // little, big
    static constexpr std::array<std::size_t, 1> gpu_nodes{2};
    const std::array<std::size_t, 2> sensors{*sc, *sg};
    const std::array<control::governor_ref, 2> govs{control::governor_ref(cpu_gov), control::governor_ref(gpu_gov)};
    auto p = sim::add_soc(*s, soc, {cluster_nodes, gpu_nodes, sensors, govs, {}});
    REQUIRE(p);
    parts = *p;
    big = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(parts.cluster_domain[1], 2, 1.0));
    REQUIRE(s->add_workload(*big));
    REQUIRE(s->start().ok());
  }
};

}  // namespace

TEST_CASE("add_soc builds the RK3399's domains, cooling devices and zones as the kernel binds them", "[sim][soc]") {
  board b(true);
  CHECK(b.parts.cluster_domain.size() == 2);
  CHECK(b.parts.device_domain.size() == 1);
  CHECK(b.parts.cooling.size() == 3);
  CHECK(b.parts.zone.size() == 2);
  CHECK(b.parts.skipped_bindings == 1);  // map1 repeats cpu@100 on trip 1: −EEXIST
  const auto& cpu = b.s->zone(b.parts.zone[0]);
  CHECK(cpu.type() == "cpu-thermal");
  CHECK(cpu.num_trips() == 3);
  CHECK(cpu.passive_delay() == 100ms);
  CHECK(cpu.params().sustainable_power == 1550);
  CHECK(cpu.instances().size() == 2);  // big and little on cpu_alert1
  CHECK(cpu.params().slope == 1);       // no `coefficients` in the device tree: 1, 0
  CHECK(cpu.params().offset == 0);
  CHECK(cpu.on_critical() == control::critical_action::shutdown);
  CHECK(b.s->cooling_device(b.parts.cooling[1]).type() == "cpufreq-cpu4");
  CHECK(b.s->cooling_device(b.parts.cooling[2]).type() == "devfreq-ff9a0000.gpu");  // the whole kernel type
  CHECK(b.s->cooling_device(b.parts.cooling[1]).max_state() == 7);
  CHECK(b.s->domain(b.parts.cluster_domain[1]).cores() == 2);
}

TEST_CASE("the power allocator holds a heavy RK3399 load below the critical trip", "[sim][soc][power_allocator]") {
  board with(true);
  board without(false);
  with.s->run_until(sim_time{1800s});
  without.s->run_until(sim_time{6000s});
  const auto mw = with.s->metrics();
  const auto mo = without.s->metrics();
  INFO("with IPA: peak " << mw.zones[0].peak_c << " °C, final " << with.s->sensed_temperature(0) << " °C, work "
                         << mw.domains[1].work_ratio());
  INFO("without: status " << sim::to_string(without.s->status()) << " peak " << mo.zones[0].peak_c);
  CHECK(with.s->status() == sim::run_status::running);
  CHECK(mw.zones[0].peak_c < 80.0);
  CHECK(with.s->sensed_temperature(0) == Approx(75.0).margin(3.0));  // the control temperature
  CHECK(mw.domains[1].work_ratio() < 0.95);
  CHECK(mw.domains[1].work_ratio() > 0.3);
  CHECK(mw.cooling[with.parts.cooling[1]].transitions > 10);
  // Unthrottled the big cluster passes 95 °C and the critical trip shuts the board down.
  CHECK(without.s->status() == sim::run_status::shutdown);
  CHECK(without.s->stopped_by() == without.parts.zone[0]);
}

TEST_CASE("add_soc takes a zone's coefficients and critical action from its description", "[sim][soc]") {
  std::array<schema::thermal_zone_desc, 2> zones{presets::rk3399.thermal_zones[0], presets::rk3399.thermal_zones[1]};
  zones[0].slope = 3;
  zones[0].offset = -200;
  zones[0].on_critical = schema::critical_action::reboot;
  schema::soc_description soc = presets::rk3399;
  soc.thermal_zones = zones;
  board b(false, soc);
  const auto& cpu = b.s->zone(b.parts.zone[0]);
  CHECK(cpu.params().slope == 3);
  CHECK(cpu.params().offset == -200);
  CHECK(cpu.on_critical() == control::critical_action::reboot);
  CHECK(b.s->zone(b.parts.zone[1]).on_critical() == control::critical_action::shutdown);
  // Unthrottled the big cluster passes the critical trip, which now reboots the board.
  b.s->run_until(sim_time{6000s});
  CHECK(b.s->status() == sim::run_status::reboot);
  CHECK(b.s->stopped_by() == b.parts.zone[0]);
}
