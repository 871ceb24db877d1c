// Simulations that share a plant's factorisation (simulation::export_plant / use_plant): a run
// whose networks are copied from a shared plant is bit-identical — trace hash and every metric —
// to one that factorised them, with governors, fans (cached and rebuilt configurations),
// scenario events, a different ambient, the fixed-step RK4 reference, and on two threads at once.
#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <thread>

#include "sim_support.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/soc.hpp"

using namespace thermo;
using namespace std::chrono_literals;

namespace {

// FNV-1a over bit patterns: every metric, compared bit for bit.
struct fingerprint {
  std::uint64_t h = 1469598103934665603ULL;
  void add(std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) {
      h = (h ^ ((v >> (8 * i)) & 0xFFU)) * 1099511628211ULL;
    }
  }
  void add(double v) noexcept { add(std::bit_cast<std::uint64_t>(v)); }
  void add(sim_time t) noexcept { add(static_cast<std::uint64_t>(t.time_since_epoch().count())); }
};

template <class M>
std::uint64_t metrics_hash(const M& m) {
  fingerprint f;
  f.add(static_cast<std::uint64_t>(m.duration.count()));
  for (const auto& z : m.zones) {
    f.add(z.peak_c);
    f.add(z.peak_time);
    f.add(std::uint64_t{z.updates} << 32U | z.interrupts);
    f.add(std::uint64_t{z.read_failures} << 32U | z.saturated_reads);
    f.add(std::uint64_t{z.unhandled_critical});
    for (const auto& t : z.trips) {
      f.add(std::uint64_t{t.crossings} << 32U | t.detections);
      f.add(std::uint64_t{t.releases} << 32U | t.missed);
      f.add(std::uint64_t{t.false_alarms});
      for (double v : {t.time_above_s, t.time_reached_s, t.max_overshoot_c, t.latency_mean_s, t.latency_max_s,
                       t.overshoot_at_detection_max_c, t.release_latency_mean_s, t.release_latency_max_s}) {
        f.add(v);
      }
    }
  }
  for (const auto& d : m.domains) {
    for (double v : {d.energy_j, d.executed_cycles, d.demanded_cycles, d.time_capped_s, d.time_injected_s}) {
      f.add(v);
    }
  }
  for (const auto& c : m.cooling) {
    f.add(std::uint64_t{c.transitions} << 32U | c.max_state);
    f.add(c.time_active_s);
  }
  for (double v : m.node_peak_c) {
    f.add(v);
  }
  for (const auto& c : m.crossings) {
    f.add(std::uint64_t{c.zone} << 48U | std::uint64_t{c.trip} << 32U | std::uint64_t{c.up} << 1U | c.physical);
    f.add(c.crossed);
    f.add(c.detected);
    f.add(c.latency_s);
    f.add(c.temperature_c);
    f.add(c.overshoot_c);
  }
  f.add(static_cast<std::uint64_t>(m.crossings_dropped));
  f.add(m.energy_j);
  f.add(m.events);
  f.add(m.searches);
  f.add(m.network_builds);
  return f.h;
}

struct outcome {
  std::uint64_t trace = 0;
  std::uint64_t metrics = 0;
  std::size_t rows = 0;
  std::uint64_t builds = 0;
  std::uint64_t factorised = 0;
  bool shared = false;
  bool ok = false;
  friend bool operator==(const outcome& a, const outcome& b) {
    return a.trace == b.trace && a.metrics == b.metrics && a.rows == b.rows && a.builds == b.builds;
  }
};

// ---------------------------------------------------------------- a die, a board and a fan

// Every fan configuration fits the cache (3 states + failed = 4 ≤ 6) …
using fan_sim = test::small_sim;
// … or does not (2 slots): configurations are rebuilt during the run.
struct tight_limits : test::small_limits {
  static constexpr std::size_t networks = 2;
};
using tight_sim = sim::simulation<tight_limits>;

struct fan_setup {
  double ambient = 25.0;
  double board_capacitance = 5.0;
  sim::sim_options options{};
  bool warm_start = false;  ///< initial temperatures instead of ambient
};

constexpr std::array<control::thermal_trip, 3> fan_trips{{
    {millicelsius(40'000), millikelvin_delta(2'000), control::trip_type::active},
    {millicelsius(45'000), millikelvin_delta(2'000), control::trip_type::passive},
    {millicelsius(95'000), millikelvin_delta(0), control::trip_type::critical},
}};

// Built without Catch2 assertions (it also runs on other threads): `ok` says whether every
// step succeeded.
template <class Sim>
struct fan_rig {
  std::unique_ptr<Sim> s = std::make_unique<Sim>();
  control::step_wise<> gov;
  std::unique_ptr<workload::phased_demand<4, 4>> w;
  sim::recorder rec{256};
  bool ok = true;

  fan_rig(const fan_setup& c, const sim::shared_plant<typename Sim::limits_type>* shared) {
    typename Sim::builder_type b;
    const auto die = b.add_node(0.5);
    const auto board = b.add_node(c.board_capacitance, 0.05);
    ok = die && board && b.connect(*die, *board, 0.5).ok() && b.set_ambient(c.ambient).ok();
    ok = ok && s->set_plant(b).ok() && s->set_options(c.options).ok();
    static constexpr std::array<double, 2> warm{48.5, 41.25};
    ok = ok && (!c.warm_start || s->set_initial_temperatures(warm).ok());
    auto d = s->add_domain(test::cpu_domain(2));
    sensor_params sp;
    sp.resolution = millikelvin_delta(100);
    sp.noise_stddev_mc = 150.0;  // seeded: part of what must repeat
    auto sens = s->add_sensor({"die", test::die_probe, sp});
    auto cpu = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
    static constexpr std::array<std::uint32_t, 3> levels{0, 128, 255};
    static constexpr std::array<sim::fan_path, 1> paths{{{1, sim::fan_path::ambient, 0.0, 0.5, 0.8}}};
    sim::fan_config f;
    f.levels = levels;
    f.paths = paths;
    f.initial_state = 0;
    auto fan = s->add_fan(f);
    ok = ok && d && sens && cpu && fan;
    if (!ok) {
      return;
    }
    sim::zone_setup zs;
    zs.config.type = "cpu-thermal";
    zs.config.polling_delay = 1000ms;
    zs.config.passive_delay = 100ms;
    zs.trips = fan_trips;
    zs.sensor = *sens;
    zs.governor = control::governor_ref(gov);
    ok = ok && s->add_zone(zs) && s->bind(0, 0, *fan) && s->bind(0, 1, *cpu);
    static constexpr std::array<workload::demand_phase, 2> phases{{{25s, 1.0, 2}, {15s, 0.2, 1}}};
    auto pw = workload::phased_demand<4, 4>::make(0, 2, phases, sim_time{}, 0);
    ok = ok && pw;
    if (!ok) {
      return;
    }
    w = std::make_unique<workload::phased_demand<4, 4>>(*pw);
    ok = ok && s->add_workload(*w);
    ok = ok && s->add_event(sim::scenario_event::ambient(sim_time{13s}, c.ambient + 6.5)).ok();
    ok = ok && s->add_event(sim::scenario_event::fan_failure(sim_time{47s}, *fan)).ok();
    ok = ok && s->add_event(sim::scenario_event::fan_restore(sim_time{61s}, *fan)).ok();
    s->set_recorder(&rec);
    ok = ok && s->use_plant(shared).ok() && s->start().ok();
  }

  outcome run(sim_time until = sim_time{150s}) {
    outcome o;
    o.ok = ok;
    if (!ok) {
      return o;
    }
    s->run_until(until);
    o.trace = rec.hash();
    o.rows = rec.rows();
    o.metrics = metrics_hash(s->metrics());
    o.builds = s->metrics().network_builds;
    o.factorised = s->networks_factorised();
    o.shared = s->plant_shared();
    return o;
  }
};

template <class Sim>
std::unique_ptr<sim::shared_plant<typename Sim::limits_type>> export_from(fan_rig<Sim>& r) {
  auto p = std::make_unique<sim::shared_plant<typename Sim::limits_type>>();
  REQUIRE(r.s->export_plant(*p).ok());
  return p;
}

}  // namespace

TEST_CASE("a run from a shared plant is bit-identical to one that factorised it (fans, events, governor)", "[sim][shared_plant]") {
  fan_setup c;
  fan_rig<fan_sim> first(c, nullptr);
  REQUIRE(first.ok);
  const auto shared = export_from(first);  // right after start: every fan state (not "failed")
  CHECK(shared->network_count() == 3);
  CHECK(shared->size() == 2);
  const outcome fresh = first.run();
  REQUIRE(fresh.ok);
  CHECK(fresh.factorised == 4);
  CHECK_FALSE(fresh.shared);
  CHECK(fresh.rows > 100);

  fan_rig<fan_sim> again(c, shared.get());
  const outcome copied = again.run();
  REQUIRE(copied.ok);
  CHECK(copied.shared);
  CHECK(copied.factorised == 1);  // the failed fan's configuration, built during the run
  CHECK(copied == fresh);
  CHECK(again.s->metrics().cooling[1].transitions > 0);  // the fan did switch configurations

  SECTION("exported after a run, the shared plant is as good") {
    const auto later = export_from(again);
    fan_rig<fan_sim> third(c, later.get());
    const outcome o = third.run();
    CHECK(o.shared);
    CHECK(o.factorised == 0);
    CHECK(o == fresh);
  }
}

TEST_CASE("a shared plant serves another ambient: it is state, not factorisation", "[sim][shared_plant]") {
  fan_setup warm;
  warm.ambient = 31.0;
  fan_rig<fan_sim> first(fan_setup{}, nullptr);  // built at 25 °C
  REQUIRE(first.ok);
  REQUIRE(first.run().ok);
  const auto shared = export_from(first);  // after the run: every configuration
  fan_rig<fan_sim> fresh_rig(warm, nullptr);
  fan_rig<fan_sim> shared_rig(warm, shared.get());
  const outcome fresh = fresh_rig.run();
  const outcome copied = shared_rig.run();
  REQUIRE(fresh.ok);
  REQUIRE(copied.ok);
  CHECK(copied.shared);
  CHECK(copied.factorised == 0);
  CHECK(copied == fresh);
}

TEST_CASE("a shared plant serves a run from given initial temperatures", "[sim][shared_plant]") {
  fan_setup warm;
  warm.warm_start = true;
  fan_rig<fan_sim> first(fan_setup{}, nullptr);
  REQUIRE(first.ok);
  REQUIRE(first.run().ok);
  const auto shared = export_from(first);
  fan_rig<fan_sim> fresh_rig(warm, nullptr);
  fan_rig<fan_sim> shared_rig(warm, shared.get());
  const outcome fresh = fresh_rig.run();
  const outcome copied = shared_rig.run();
  REQUIRE(fresh.ok);
  REQUIRE(copied.ok);
  CHECK(copied.shared);
  CHECK(copied.factorised == 0);
  CHECK(copied == fresh);
  CHECK_FALSE(fresh == first.run(sim_time{150s}));  // the start does change the run
}

TEST_CASE("another plant's networks are not used, and the run factorises its own", "[sim][shared_plant]") {
  fan_rig<fan_sim> first(fan_setup{}, nullptr);
  REQUIRE(first.ok);
  const auto shared = export_from(first);
  fan_setup heavier;
  heavier.board_capacitance = 6.0;
  fan_rig<fan_sim> fresh_rig(heavier, nullptr);
  fan_rig<fan_sim> other(heavier, shared.get());
  const outcome fresh = fresh_rig.run();
  const outcome o = other.run();
  REQUIRE(o.ok);
  CHECK_FALSE(o.shared);
  CHECK(o.factorised == 4);
  CHECK(o == fresh);
}

TEST_CASE("with fewer cache slots than configurations, a shared plant serves what it holds", "[sim][shared_plant]") {
  fan_setup c;
  fan_rig<tight_sim> first(c, nullptr);
  REQUIRE(first.ok);
  const outcome fresh = first.run();
  REQUIRE(fresh.ok);
  CHECK(fresh.factorised == fresh.builds);
  CHECK(fresh.builds > 2);  // configurations were rebuilt during the run
  const auto shared = export_from(first);  // the two configurations in the cache at the end
  CHECK(shared->network_count() == 2);
  fan_rig<tight_sim> again(c, shared.get());
  const outcome o = again.run();
  REQUIRE(o.ok);
  CHECK(o.shared);
  CHECK(o.factorised < o.builds);  // some copied, the others factorised
  CHECK(o == fresh);               // the same builds, the same cache, the same run
}

TEST_CASE("the fixed-step RK4 reference from a shared plant is bit-identical", "[sim][shared_plant]") {
  fan_setup c;
  c.options.mode = sim::time_mode::fixed_step;
  c.options.integrator = sim::fixed_step_integrator::rk4;
  c.options.fixed_step = 10ms;
  fan_rig<fan_sim> first(c, nullptr);
  REQUIRE(first.ok);
  const outcome fresh = first.run(sim_time{60s});
  const auto shared = export_from(first);
  fan_rig<fan_sim> again(c, shared.get());
  const outcome o = again.run(sim_time{60s});
  REQUIRE(o.ok);
  CHECK(o.shared);
  CHECK(o.factorised == 0);
  CHECK(o == fresh);
}

TEST_CASE("use_plant and export_plant refuse the wrong moment", "[sim][shared_plant][errors]") {
  fan_rig<fan_sim> r(fan_setup{}, nullptr);
  REQUIRE(r.ok);
  sim::shared_plant<test::small_limits> p;
  CHECK(r.s->use_plant(&p).code == errc::already_exists);
  auto idle = std::make_unique<fan_sim>();
  const error e = idle->export_plant(p);
  CHECK(e.code == errc::empty);
  CHECK(std::string_view(e.what) == "plant not started");
  CHECK(p.network_count() == 0);
}

TEST_CASE("two threads running from one shared plant at once give the single-thread bits", "[sim][shared_plant][threads]") {
  fan_setup c;
  fan_rig<fan_sim> first(c, nullptr);
  REQUIRE(first.ok);
  const outcome fresh = first.run();
  REQUIRE(fresh.ok);
  const auto shared = export_from(first);
  constexpr std::size_t runs = 6;
  std::array<std::array<outcome, runs>, 2> got{};
  auto work = [&](std::size_t t) {
    for (std::size_t i = 0; i < runs; ++i) {
      fan_rig<fan_sim> r(c, shared.get());
      got[t][i] = r.run();
    }
  };
  std::thread a(work, 0U);
  std::thread b(work, 1U);
  a.join();
  b.join();
  for (const auto& per_thread : got) {
    for (const outcome& o : per_thread) {
      CHECK(o.ok);
      CHECK(o.shared);
      CHECK(o.factorised == 0);
      CHECK(o == fresh);
    }
  }
}

// ---------------------------------------------------------------- the RK3399 and its power allocators

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

struct rk_board {
  std::unique_ptr<rk_sim> s = std::make_unique<rk_sim>();
  control::power_allocator<4> cpu_gov;
  control::power_allocator<4> gpu_gov;
  std::unique_ptr<workload::constant_demand<4>> big;
  sim::recorder rec{256};

  explicit rk_board(const sim::shared_plant<rk_limits>* shared, std::int32_t sustainable_mw) {
    rk_sim::builder_type b;
    REQUIRE(sim::rk3399_board(b, 30.0).ok());
    REQUIRE(s->set_plant(b).ok());
    static constexpr std::array<weighted_node<double>, 2> cpu_probe{{{0, 0.7}, {1, 0.3}}};
    static constexpr std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};
    auto sc = s->add_sensor({"cpu", cpu_probe, {}});
    auto sg = s->add_sensor({"gpu", gpu_probe, {}});
    REQUIRE(sc);
    REQUIRE(sg);
    static constexpr std::array<std::size_t, 2> cluster_nodes{1, 0};
    static constexpr std::array<std::size_t, 1> gpu_nodes{2};
    const std::array<std::size_t, 2> sensors{*sc, *sg};
    const std::array<control::governor_ref, 2> govs{control::governor_ref(cpu_gov), control::governor_ref(gpu_gov)};
    auto p = sim::add_soc(*s, presets::rk3399, {cluster_nodes, gpu_nodes, sensors, govs, {}});
    REQUIRE(p);
    s->zone(p->zone[0]).params().sustainable_power = sustainable_mw;
    big = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(p->cluster_domain[1], 2, 1.0));
    REQUIRE(s->add_workload(*big));
    s->set_recorder(&rec);
    REQUIRE(s->use_plant(shared).ok());
    REQUIRE(s->start().ok());
  }

  outcome run() {
    s->run_until(sim_time{600s});
    outcome o;
    o.ok = true;
    o.trace = rec.hash();
    o.rows = rec.rows();
    o.metrics = metrics_hash(s->metrics());
    o.builds = s->metrics().network_builds;
    o.factorised = s->networks_factorised();
    o.shared = s->plant_shared();
    return o;
  }
};

}  // namespace

TEST_CASE("RK3399 power-allocator points that differ in sustainable power share one plant, bit for bit", "[sim][shared_plant][power_allocator]") {
  rk_board first(nullptr, 1550);
  auto shared = std::make_unique<sim::shared_plant<rk_limits>>();
  REQUIRE(first.s->export_plant(*shared).ok());
  const outcome fresh_1550 = first.run();
  for (const std::int32_t sp : {1550, 1200}) {
    rk_board fresh(nullptr, sp);
    rk_board copied(shared.get(), sp);
    const outcome a = fresh.run();
    const outcome b = copied.run();
    INFO("sustainable power " << sp);
    CHECK(b.shared);
    CHECK(b.factorised == 0);
    CHECK(a.factorised == 1);
    CHECK(a == b);
    CHECK((a == fresh_1550) == (sp == 1550));  // the parameter does change the run
  }
}
