#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string_view>

#include "control_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/any_cooling_device.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/zone.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::test;
using namespace std::chrono_literals;

namespace {

constexpr thermal_trip passive_trip(std::int32_t t, std::int32_t h) {
  return thermal_trip{millicelsius{t}, millikelvin_delta{h}, trip_type::passive};
}

struct power_fake : fake_cdev {
  [[nodiscard]] result<milliwatts> get_requested_power() noexcept { return milliwatts{500}; }
  [[nodiscard]] result<milliwatts> state2power(cooling_state s) const noexcept {
    if (s > max) {
      return errc::out_of_range;
    }
    return milliwatts{static_cast<std::int32_t>(1000 - 100 * s)};
  }
  [[nodiscard]] result<cooling_state> power2state(milliwatts p) const noexcept {
    return p.count() >= 1000 ? cooling_state{0} : cooling_state{1};
  }
};

static_assert(CoolingDevice<fake_cdev>);
static_assert(!PowerActor<fake_cdev>);
static_assert(PowerActor<power_fake>);
static_assert(CoolingDevice<any_cooling_device>);
static_assert(std::is_trivially_copyable_v<any_cooling_device>);
static_assert(Governor<max_governor>);
static_assert(Governor<recording_governor>);
static_assert(TemperatureSensor<pushed_sensor>);
static_assert(TemperatureSensor<hooked_sensor>);

struct zone_pair {
  pushed_sensor s0;
  pushed_sensor s1;
  max_governor gov;
  thermal_zone<2, 4> z0;
  thermal_zone<2, 4> z1;
  void setup() {
    const std::array trips{passive_trip(70000, 0), passive_trip(80000, 0)};
    zone_config c0;
    c0.id = 0;
    c0.type = "cpu";
    zone_config c1;
    c1.id = 1;
    c1.type = "gpu";
    REQUIRE(z0.setup(c0, trips, zone_sensor(s0), governor_ref(gov)).ok());
    REQUIRE(z1.setup(c1, trips, zone_sensor(s1), governor_ref(gov)).ok());
  }
};

}  // namespace

TEST_CASE("any_cooling_device forwards to the wrapped device and reports missing power ops", "[cooling_device]") {
  thermo::test::heap_guard guard;
  fake_cdev plain;
  power_fake actor;
  any_cooling_device a(plain);
  any_cooling_device b(actor);
  CHECK(a.get_max_state() == 3U);
  CHECK(a.set_cur_state(2) == errc::ok);
  CHECK(plain.state == 2U);
  CHECK(a.get_cur_state() == 2U);
  CHECK(a.set_cur_state(4) == errc::out_of_range);
  CHECK_FALSE(a.is_power_actor());
  CHECK(a.get_requested_power().error() == errc::not_supported);
  CHECK(a.state2power(0).error() == errc::not_supported);
  CHECK(a.power2state(milliwatts{1}).error() == errc::not_supported);
  CHECK(b.is_power_actor());
  CHECK(b.get_requested_power().value() == milliwatts{500});
  CHECK(b.state2power(2).value() == milliwatts{800});
  CHECK(b.power2state(milliwatts{10}).value() == 1U);
  CHECK(b.get() == &actor);
  CHECK(any_cooling_device{}.empty());
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("setting up a cooling device checks its handle and name", "[cooling_device]") {
  thermo::test::heap_guard guard;
  fake_cdev d;
  thermal_cooling_device c;
  CHECK(c.setup(1, "thermal-cpufreq-0-is-too-long-to-hold", d).code == errc::invalid_argument);
  CHECK(c.setup(1, "x", any_cooling_device{}).code == errc::invalid_argument);
  fake_cdev unbounded;
  unbounded.max = no_limit;
  CHECK(c.setup(1, "x", unbounded).code == errc::out_of_range);
  REQUIRE(c.setup(1, "thermal-cpufreq-0", d).ok());
  CHECK(c.setup(1, "again", d).code == errc::already_exists);
  CHECK(c.type() == "thermal-cpufreq-0");
  CHECK(c.max_state() == 3U);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a cooling device keeps the kernel's whole type, up to 31 characters, and refuses a longer one", "[cooling_device]") {
  fake_cdev d;
  thermal_cooling_device gpu;
  thermal_cooling_device c31;
  thermal_cooling_device c32;
  const std::string_view longest = "devfreq-0123456789abcdef.mali-g5";  // 32 characters
  thermo::error e_gpu;
  thermo::error e31;
  thermo::error e32;
  {
    thermo::test::heap_guard guard;
    // Linux keeps the whole type (a kstrdup_const copy since 5.13): no THERMAL_NAME_LENGTH cut
    e_gpu = gpu.setup(0, "devfreq-ff9a0000.gpu", d);
    e31 = c31.setup(1, longest.substr(0, 31), d);
    e32 = c32.setup(2, longest, d);
    CHECK(guard.allocations() == 0U);
  }
  REQUIRE(e_gpu.ok());
  CHECK(gpu.type() == "devfreq-ff9a0000.gpu");
  REQUIRE(e31.ok());
  CHECK(c31.type() == longest.substr(0, 31));
  CHECK(e32.code == errc::invalid_argument);
  CHECK(std::string_view(e32.what) == "cooling device type longer than 31 characters");
  CHECK_FALSE(c32.registered());
  CHECK(c32.type().empty());
  STATIC_REQUIRE(cdev_type_length == 32);
  STATIC_REQUIRE(name_length == 20);  // zone and governor names keep THERMAL_NAME_LENGTH
}

TEST_CASE("binding applies NO_LIMIT defaults and rejects bad limits like the kernel", "[cooling_device][bind]") {
  thermo::test::heap_guard guard;
  zone_pair p;
  p.setup();
  fake_cdev d;
  d.max = 5;
  thermal_cooling_device c;
  thermal_cooling_device unregistered;
  REQUIRE(c.setup(4, "fan", d).ok());

  auto id = p.z0.bind(0, c);  // <NO_LIMIT NO_LIMIT>
  REQUIRE(id.has_value());
  CHECK(*id == 0);
  const thermal_instance& i0 = p.z0.instances()[0];
  CHECK(i0.lower == 0U);
  CHECK(i0.upper == 5U);
  CHECK(i0.upper_no_limit);
  CHECK(i0.target == no_target);
  CHECK(i0.weight == weight_default);
  CHECK_FALSE(i0.initialized);

  CHECK(p.z0.bind(0, c, cooling_spec{1, 2, 0}).error().code == errc::already_exists);
  CHECK(p.z0.bind(1, c, cooling_spec{3, 2, 0}).error().code == errc::invalid_argument);
  CHECK(p.z0.bind(1, c, cooling_spec{0, 6, 0}).error().code == errc::out_of_range);
  CHECK(p.z0.bind(1, c, cooling_spec{6, no_limit, 0}).error().code == errc::invalid_argument);  // 6 > 5
  CHECK(p.z0.bind(2, c).error().code == errc::not_found);
  CHECK(p.z0.bind(1, unregistered).error().code == errc::invalid_argument);
  const auto err = p.z0.bind(1, c, cooling_spec{3, 2, 0}).error();
  CHECK(err.index == 1);
  CHECK(err.index2 == 4);

  id = p.z0.bind(1, c, cooling_spec{2, 4, 768});
  REQUIRE(id.has_value());
  CHECK(*id == 1);
  CHECK_FALSE(p.z0.instances()[1].upper_no_limit);
  CHECK(c.instance_count() == 2U);
  CHECK(p.z0.set_instance_weight(1, 1024) == errc::ok);
  CHECK(p.z0.instances()[1].weight == 1024U);
  CHECK(p.z0.set_instance_weight(9, 1) == errc::not_found);

  // Capacity: 4 instances per zone.
  fake_cdev d2;
  std::array<thermal_cooling_device, 3> more;
  for (auto& m : more) {
    REQUIRE(m.setup(9, "m", d2).ok());
  }
  REQUIRE(p.z0.bind(0, more[0]).has_value());
  REQUIRE(p.z0.bind(0, more[1]).has_value());
  CHECK(p.z0.bind(0, more[2]).error().code == errc::capacity_exceeded);

  // Unbinding keeps the order of the others and frees the id for reuse.
  CHECK(p.z0.unbind(1, c) == errc::ok);
  CHECK(p.z0.unbind(1, c) == errc::not_found);
  REQUIRE(p.z0.instances().size() == 3U);
  CHECK(p.z0.instances()[1].cdev == &more[0]);
  CHECK(p.z0.bind(1, c).value() == 1);
  CHECK(c.instance_count() == 2U);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("binding and unbinding notify the governor through update_tz", "[cooling_device][bind]") {
  thermo::test::heap_guard guard;
  pushed_sensor s;
  recording_governor gov;
  thermal_zone<1, 2> tz;
  zone_config cfg;
  cfg.type = "z";
  const std::array trips{passive_trip(70000, 0)};
  REQUIRE(tz.setup(cfg, trips, zone_sensor(s), governor_ref(gov)).ok());
  fake_cdev d;
  thermal_cooling_device c;
  REQUIRE(c.setup(0, "c", d).ok());
  gov.clear();
  REQUIRE(tz.bind(0, c).has_value());
  REQUIRE(tz.set_instance_weight(0, 5) == errc::ok);
  REQUIRE(tz.unbind(0, c) == errc::ok);
  REQUIRE(gov.log().size() == 3U);
  CHECK(gov.log()[0] == recording_governor::call{'Z', static_cast<std::int32_t>(notify_event::tz_bind_cdev)});
  CHECK(gov.log()[1] == recording_governor::call{'Z', static_cast<std::int32_t>(notify_event::instance_weight_changed)});
  CHECK(gov.log()[2] == recording_governor::call{'Z', static_cast<std::int32_t>(notify_event::tz_unbind_cdev)});
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a cooling device shared by two zones takes the maximum vote of all their instances", "[cooling_device][max_rule]") {
  thermo::test::heap_guard guard;
  zone_pair p;
  p.setup();
  fake_cdev d;
  d.max = 10;
  thermal_cooling_device c;
  event_log<64> log;
  REQUIRE(c.setup(2, "shared", d, log.sink()).ok());
  REQUIRE(p.z0.bind(0, c, cooling_spec{0, 3, 0}).has_value());
  REQUIRE(p.z0.bind(1, c, cooling_spec{4, 6, 0}).has_value());
  REQUIRE(p.z1.bind(0, c, cooling_spec{0, 5, 0}).has_value());
  CHECK(c.instance_count() == 3U);

  p.s0.set(mc(60000));
  p.s1.set(mc(60000));
  REQUIRE(p.z0.enable(at_ms(0)).status == update_status::updated);
  REQUIRE(p.z1.enable(at_ms(0)).status == update_status::updated);
  CHECK(d.state == 0U);  // nobody votes → 0

  p.s0.set(mc(71000));
  static_cast<void>(p.z0.update(at_ms(100)));
  CHECK(d.state == 3U);  // z0 trip 0 votes 3
  p.s1.set(mc(71000));
  static_cast<void>(p.z1.update(at_ms(200)));
  CHECK(d.state == 5U);  // z1 votes 5 > 3
  p.s0.set(mc(81000));
  static_cast<void>(p.z0.update(at_ms(300)));
  CHECK(d.state == 6U);  // z0 trip 1 votes 6
  p.s0.set(mc(60000));
  static_cast<void>(p.z0.update(at_ms(400)));
  CHECK(d.state == 5U);  // z0 releases both votes; z1's 5 remains
  p.s1.set(mc(60000));
  static_cast<void>(p.z1.update(at_ms(500)));
  CHECK(d.state == 0U);

  // Each core update sent CDEV_STATE_UPDATE with the id and state.
  REQUIRE(log.count(event_type::cdev_state_update) >= 5U);
  CHECK(log.ring[log.ring.size() - 1].cdev_id == 2);
  CHECK(log.ring[log.ring.size() - 1].cdev_state == 0U);

  // thermal_cdev_update only acts when marked; the nocheck variant always emits.
  log.ring.clear();
  c.update(at_ms(600));
  CHECK(log.ring.size() == 0U);
  c.mark_for_update();
  CHECK_FALSE(c.updated());
  c.update(at_ms(600));
  CHECK(c.updated());
  CHECK(log.ring.size() == 1U);
  c.update_nocheck(at_ms(700));
  CHECK(log.ring.size() == 2U);  // unchanged state still notified
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("statistics count time in state and transitions with time passed in", "[cooling_device][stats]") {
  thermo::test::heap_guard guard;
  fake_cdev d;
  d.max = 2;
  thermal_cooling_device c;
  REQUIRE(c.setup(0, "fan", d).ok());
  cooling_device_stats<3> stats;
  REQUIRE(c.attach_stats(stats, at_ms(1000)) == errc::ok);
  CHECK(stats.states() == 3U);
  REQUIRE(c.set_cur_state(at_ms(1500), 2) == errc::ok);
  REQUIRE(c.set_cur_state(at_ms(1700), 2) == errc::ok);  // unchanged: no transition
  REQUIRE(c.set_cur_state(at_ms(2000), 1) == errc::ok);
  CHECK(c.set_cur_state(at_ms(2100), 3) == errc::out_of_range);  // refused by the driver
  CHECK(stats.total_trans() == 2U);
  CHECK(stats.trans(0, 2) == 1U);
  CHECK(stats.trans(2, 1) == 1U);
  CHECK(stats.trans(1, 2) == 0U);
  CHECK(stats.time_in_state(0, at_ms(3000)) == 500ms);
  CHECK(stats.time_in_state(2, at_ms(3000)) == 500ms);
  CHECK(stats.time_in_state(1, at_ms(3000)) == 1000ms);  // includes the current stay
  CHECK(stats.state() == 1U);
  stats.reset(at_ms(3000));
  CHECK(stats.total_trans() == 0U);
  CHECK(stats.time_in_state(1, at_ms(3250)) == 250ms);

  cooling_device_stats<2> small;
  CHECK(c.attach_stats(small, at_ms(0)) == errc::capacity_exceeded);
  CHECK(c.stats() == nullptr);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a new max_state clamps instances and restarts the statistics", "[cooling_device]") {
  thermo::test::heap_guard guard;
  zone_pair p;
  p.setup();
  fake_cdev d;
  d.max = 8;
  thermal_cooling_device c;
  REQUIRE(c.setup(0, "c", d).ok());
  cooling_device_stats<16> stats;
  REQUIRE(c.attach_stats(stats, at_ms(0)) == errc::ok);
  REQUIRE(p.z0.bind(0, c).has_value());                              // 0..8, no limit
  REQUIRE(p.z0.bind(1, c, cooling_spec{6, 7, 0}).has_value());       // clamped to 4..4
  p.z0.instances()[1].target = 7;
  d.max = 4;
  d.state = 3;
  c.update_max_state(at_ms(10));
  CHECK(c.max_state() == 4U);
  CHECK(p.z0.instances()[0].upper == 4U);
  CHECK(p.z0.instances()[1].upper == 4U);
  CHECK(p.z0.instances()[1].lower == 4U);
  CHECK(p.z0.instances()[1].target == 4U);
  CHECK(stats.states() == 5U);
  CHECK(stats.state() == 3U);  // the kernel re-reads the current state after re-init
  CHECK(stats.total_trans() == 1U);
  d.max = 12;
  c.update_max_state(at_ms(20));
  CHECK(p.z0.instances()[0].upper == 12U);  // NO_LIMIT upper follows
  CHECK(p.z0.instances()[1].upper == 4U);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("destroying or unregistering a cooling device unbinds it from every zone", "[cooling_device]") {
  thermo::test::heap_guard guard;
  zone_pair p;
  p.setup();
  fake_cdev d;
  {
    thermal_cooling_device c;
    REQUIRE(c.setup(0, "c", d).ok());
    REQUIRE(p.z0.bind(0, c).has_value());
    REQUIRE(p.z1.bind(1, c).has_value());
    REQUIRE(p.z0.bind(1, c).has_value());
  }
  CHECK(p.z0.instances().empty());
  CHECK(p.z1.instances().empty());
  thermal_cooling_device c2;
  REQUIRE(c2.setup(0, "c2", d).ok());
  {
    thermal_zone<1, 2> z;
    pushed_sensor s;
    zone_config cfg;
    cfg.type = "tmp";
    const std::array trips{passive_trip(1000, 0)};
    REQUIRE(z.setup(cfg, trips, zone_sensor(s)).ok());
    REQUIRE(z.bind(0, c2).has_value());
    CHECK(c2.instance_count() == 1U);
  }
  CHECK(c2.instance_count() == 0U);  // the zone's destructor unlinked its instance
  c2.unregister();
  CHECK_FALSE(c2.registered());
  CHECK(guard.allocations() == 0U);
}
