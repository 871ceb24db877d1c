#include <array>
#include <catch2/catch.hpp>
#include <cstdint>

#include "control_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/zone.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::test;
using namespace std::chrono_literals;

namespace {

constexpr thermal_trip passive_trip(std::int32_t t, std::int32_t h) {
  return thermal_trip{millicelsius{t}, millikelvin_delta{h}, trip_type::passive};
}
constexpr thermal_trip trip_of(std::int32_t t, std::int32_t h, trip_type ty) {
  return thermal_trip{millicelsius{t}, millikelvin_delta{h}, ty};
}

/// A zone with a pushed sensor, an event ring and a recording governor.
struct rig {
  hooked_sensor sensor;
  event_log<256> log;
  recording_governor gov;
  thermal_zone<8, 8, 4> tz;

  error setup(std::span<const thermal_trip> trips, milliseconds poll = 0ms, milliseconds passive = 0ms,
              critical_action crit = critical_action::shutdown) {
    zone_config cfg;
    cfg.id = 7;
    cfg.type = "cpu-thermal";
    cfg.polling_delay = poll;
    cfg.passive_delay = passive;
    cfg.on_critical = crit;
    return tz.setup(cfg, trips, zone_sensor(sensor), governor_ref(gov), log.sink());
  }
  update_result at(std::int64_t ms, std::int32_t t) {
    sensor.value = millicelsius{t};
    return tz.update(at_ms(ms));
  }
  /// The types of the events logged since the last `clear`.
  [[nodiscard]] std::size_t events() const { return log.ring.size(); }
  [[nodiscard]] const thermal_event& ev(std::size_t i) const { return log.ring[i]; }
  void clear() {
    log.ring.clear();
    gov.clear();
  }
};

}  // namespace

TEST_CASE("zone setup rejects bad configurations with errors that name the rule", "[zone]") {
  thermo::test::heap_guard guard;
  const std::array trips{passive_trip(75000, 2000)};
  {
    rig r;
    zone_config cfg;
    cfg.type = "";
    const error e = r.tz.setup(cfg, trips, zone_sensor(r.sensor));
    CHECK(e.code == errc::invalid_argument);
  }
  {
    rig r;
    zone_config cfg;
    cfg.type = "a-name-of-twenty-chr";  // 20 characters: one too many
    CHECK(r.tz.setup(cfg, trips, zone_sensor(r.sensor)).code == errc::invalid_argument);
    cfg.type = "a-name-of-19-chars!";
    CHECK(r.tz.setup(cfg, trips, zone_sensor(r.sensor)).ok());
    CHECK(r.tz.type() == "a-name-of-19-chars!");
  }
  {
    rig r;  // the kernel rejects passive_delay > polling_delay when polling is on
    const error e = r.setup(trips, 100ms, 250ms);
    CHECK(e.code == errc::invalid_argument);
    CHECK(std::string_view(e.what) == "passive delay longer than polling delay");
    CHECK_FALSE(r.tz.registered());
  }
  {
    rig r;  // ... but accepts it for an interrupt-driven zone
    CHECK(r.setup(trips, 0ms, 250ms).ok());
  }
  {
    rig r;
    CHECK(r.setup(trips, -1ms, 0ms).code == errc::negative);
  }
  {
    rig r;
    const std::array bad{passive_trip(75000, 2000), passive_trip(80000, -1)};
    const error e = r.setup(bad);
    CHECK(e.code == errc::negative);
    CHECK(e.index == 1);
  }
  {
    rig r;
    const std::array bad{passive_trip(250000, 0)};
    CHECK(r.setup(bad).code == errc::out_of_range);
    const std::array bad_hyst{passive_trip(-273000, 1000)};
    CHECK(r.setup(bad_hyst).code == errc::out_of_range);
    const std::array bad_type{thermal_trip{millicelsius{1000}, millikelvin_delta{0}, static_cast<trip_type>(7)}};
    CHECK(r.setup(bad_type).code == errc::invalid_argument);
  }
  {
    rig r;
    std::array<thermal_trip, 9> many{};
    for (auto& t : many) {
      t = passive_trip(70000, 0);
    }
    CHECK(r.setup(many).code == errc::capacity_exceeded);
  }
  {
    rig r;
    zone_config cfg;
    cfg.type = "x";
    CHECK(r.tz.setup(cfg, trips, zone_sensor{}).code == errc::invalid_argument);
  }
  {
    rig r;
    r.gov.bind_result = errc::not_supported;
    CHECK(r.setup(trips).code == errc::not_supported);
    CHECK_FALSE(r.tz.registered());
  }
  {
    rig r;
    CHECK(r.setup(trips).ok());
    CHECK(r.setup(trips).code == errc::already_exists);
  }
  {
    rig r;  // a disabled trip needs no valid temperature
    const std::array ok{trip_of(temp_invalid.count(), 0, trip_type::critical)};
    CHECK(r.setup(ok).ok());
  }
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a new zone is disabled until enabled, and enabling runs an update before TZ_ENABLE",
          "[zone]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(75000, 2000)};
  REQUIRE(r.setup(trips).ok());
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).type == event_type::tz_create);
  CHECK(r.ev(0).tz_id == 7);
  CHECK(r.ev(0).name.view() == "cpu-thermal");
  CHECK(r.tz.mode() == thermal_device_mode::disabled);
  CHECK(r.tz.temperature() == temp_init);
  r.clear();

  r.sensor.value = mc(80000);
  CHECK(r.tz.update(at_ms(0)).status == update_status::not_ready);  // disabled: nothing
  CHECK(r.events() == 0U);

  const update_result u = r.tz.enable(at_ms(0));
  CHECK(u.status == update_status::updated);
  REQUIRE(r.events() == 3U);
  CHECK(r.ev(0).type == event_type::sampling_temp);
  CHECK(r.ev(0).temperature == mc(80000));
  CHECK(r.ev(1).type == event_type::tz_trip_up);
  CHECK(r.ev(2).type == event_type::tz_enable);
  CHECK(r.tz.enable(at_ms(1)).status == update_status::skipped);  // already enabled
  r.clear();

  CHECK(r.tz.disable(at_ms(2)).status == update_status::not_ready);
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).type == event_type::tz_disable);
  CHECK_FALSE(r.tz.next_update().has_value());
  CHECK(r.gov.log().empty());  // no update ran while disabling
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a trip is reached at T >= temp and released only below temp - hyst", "[zone][hysteresis]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(75000, 2000), passive_trip(90000, 0)};
  REQUIRE(r.setup(trips, 1000ms, 100ms).ok());
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::no_valid_temperature);  // sensor not set yet
  r.clear();

  CHECK(r.at(0, 74999).crossings_up == 0U);
  CHECK(r.tz.passive() == 0);
  const update_result up = r.at(1, 75000);  // the lower edge: T == temp reaches the trip
  CHECK(up.crossings_up == 1U);
  CHECK(r.tz.passive() == 1);
  CHECK(r.tz.trip(0).threshold == mc(73000));
  CHECK(r.at(2, 73000).crossings_down == 0U);  // T == temp - hyst: still reached
  CHECK(r.tz.trip_reached(0));
  const update_result down = r.at(3, 72999);  // strictly below temp - hyst: released
  CHECK(down.crossings_down == 1U);
  CHECK(r.tz.passive() == 0);
  CHECK(r.tz.trip(0).threshold == mc(75000));

  // hysteresis 0: reached at 90000, released at 89999
  CHECK(r.at(4, 90000).crossings_up == 2U);
  CHECK(r.at(5, 90000).crossings_up == 0U);
  CHECK(r.at(6, 89999).crossings_down == 1U);
  CHECK(r.tz.trip_reached(0));
  CHECK_FALSE(r.tz.trip_reached(1));

  // The events carry the zone, the trip and the current temperature.
  std::size_t ups = 0;
  for (std::size_t i = 0; i < r.events(); ++i) {
    if (r.ev(i).type == event_type::tz_trip_up) {
      CHECK(r.ev(i).tz_id == 7);
      CHECK(r.ev(i).trip_id == (ups == 0 ? 0 : (ups == 1 ? 0 : 1)));
      ++ups;
    }
  }
  CHECK(ups == 3U);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("the first sample only crosses upward, whatever the previous state", "[zone][hysteresis]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(65000, 2000), passive_trip(75000, 2000)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(70000);
  const update_result u = r.tz.enable(at_ms(0));
  CHECK(u.crossings_up == 1U);
  CHECK(u.crossings_down == 0U);
  CHECK(r.tz.last_temperature() == temp_init);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("simultaneous crossings: ups ascending by temperature, downs descending by release temperature, ties in table order",
          "[zone][order]") {
  thermo::test::heap_guard guard;
  rig r;
  // Table order deliberately unsorted; two pairs of ties.
  const std::array trips{trip_of(80000, 5000, trip_type::active), trip_of(70000, 0, trip_type::passive),
                         trip_of(90000, 15000, trip_type::active), trip_of(70000, 0, trip_type::active)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(60000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();

  const update_result u = r.at(1, 95000);
  REQUIRE(u.crossings_up == 4U);
  REQUIRE(r.events() == 5U);  // sampling + 4 ups
  CHECK(r.ev(1).trip_id == 1);  // 70 °C (first in table)
  CHECK(r.ev(2).trip_id == 3);  // 70 °C (second)
  CHECK(r.ev(3).trip_id == 0);  // 80 °C
  CHECK(r.ev(4).trip_id == 2);  // 90 °C
  // governor sees each crossing right after its event, then manage once
  const std::array<recording_governor::call, 5> expect_up{{{'+', 1}, {'+', 3}, {'+', 0}, {'+', 2}, {'M', -1}}};
  REQUIRE(r.gov.log().size() == expect_up.size());
  for (std::size_t i = 0; i < expect_up.size(); ++i) {
    CHECK(r.gov.log()[i] == expect_up[i]);
  }
  r.clear();

  // Release temperatures: 75 (trip 0), 70 (trip 1), 75 (trip 2), 70 (trip 3).
  const update_result d = r.at(2, 50000);
  REQUIRE(d.crossings_down == 4U);
  REQUIRE(r.events() == 5U);
  CHECK(r.ev(1).type == event_type::tz_trip_down);
  CHECK(r.ev(1).trip_id == 0);
  CHECK(r.ev(2).trip_id == 2);
  CHECK(r.ev(3).trip_id == 1);
  CHECK(r.ev(4).trip_id == 3);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("an up and a down crossing in the same update are notified up first", "[zone][order]") {
  thermo::test::heap_guard guard;
  rig r;
  // trip 0: 60 °C hyst 0; trip 1: 50 °C hyst 0.
  const std::array trips{passive_trip(60000, 0), passive_trip(50000, 0)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(55000);
  REQUIRE(r.tz.enable(at_ms(0)).crossings_up == 1U);  // trip 1 reached
  // Disable the zone, swap the two trip temperatures (no update runs while disabled), re-enable:
  // at T = 55 °C trip 0 (now 50 °C) is reached and trip 1 (now 60 °C) is released.
  REQUIRE(r.tz.disable(at_ms(1)).status == update_status::not_ready);
  REQUIRE(r.tz.set_trip_temperature(at_ms(2), 0, mc(50000)).has_value());
  REQUIRE(r.tz.set_trip_temperature(at_ms(3), 1, mc(60000)).has_value());
  r.clear();
  const update_result u = r.tz.enable(at_ms(4));
  REQUIRE(u.crossings_up == 1U);
  REQUIRE(u.crossings_down == 1U);
  REQUIRE(r.events() == 4U);
  CHECK(r.ev(0).type == event_type::sampling_temp);
  CHECK(r.ev(1).type == event_type::tz_trip_up);
  CHECK(r.ev(1).trip_id == 0);
  CHECK(r.ev(2).type == event_type::tz_trip_down);
  CHECK(r.ev(2).trip_id == 1);
  CHECK(r.ev(3).type == event_type::tz_enable);
  CHECK(r.tz.passive() == 1);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("the interrupt window is (highest threshold <= T, lowest threshold >= T) and collapses at the release temperature",
          "[zone][window]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(65000, 2000), passive_trip(75000, 2000), trip_of(95000, 2000, trip_type::critical)};
  REQUIRE(r.setup(trips, 1000ms, 100ms).ok());
  r.sensor.value = mc(60000);
  update_result u = r.tz.enable(at_ms(0));
  CHECK(u.low == window_low_none);
  CHECK(u.high == mc(65000));
  CHECK(u.window_programmed);
  CHECK(r.sensor.set_trips_calls == 1U);
  CHECK(r.sensor.low == window_low_none);
  CHECK(r.sensor.high == mc(65000));

  u = r.at(1000, 61000);  // same window: the driver is not called again
  CHECK_FALSE(u.window_programmed);
  CHECK(r.sensor.set_trips_calls == 1U);

  u = r.at(2000, 76000);
  CHECK(u.low == mc(73000));
  CHECK(u.high == mc(95000));
  CHECK(r.sensor.set_trips_calls == 2U);

  // Part E: T equal to the release temperature of a reached trip collapses the window.
  u = r.at(2100, 73000);
  CHECK(u.low == mc(73000));
  CHECK(u.high == mc(73000));
  CHECK(r.tz.window_low() == mc(73000));

  // A trip exactly at T is both edges too.
  u = r.at(2200, 65000);
  CHECK(u.crossings_down == 1U);
  CHECK(u.low == mc(63000));
  CHECK(u.high == mc(75000));

  // Critical reached: nothing above it.
  u = r.at(2300, 96000);
  CHECK(u.low == mc(93000));
  CHECK(u.high == window_high_none);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("polling uses passive_delay while a passive trip is reached and polling_delay otherwise", "[zone][polling]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(65000, 2000), trip_of(60000, 2000, trip_type::active)};
  REQUIRE(r.setup(trips, 1000ms, 100ms).ok());
  r.sensor.value = mc(50000);
  update_result u = r.tz.enable(at_ms(0));
  REQUIRE(u.next_update.has_value());
  CHECK(*u.next_update == at_ms(1000));
  u = r.at(1000, 61000);  // active trip: no passive polling
  CHECK(r.tz.passive() == 0);
  CHECK(*u.next_update == at_ms(2000));
  u = r.at(2000, 66000);
  CHECK(r.tz.passive() == 1);
  CHECK(*u.next_update == at_ms(2100));
  u = r.at(2100, 64000);  // still reached (release at 63 °C)
  CHECK(*u.next_update == at_ms(2200));
  // An interrupt-driven update in between re-arms from its own time.
  u = r.at(2150, 62900);
  CHECK(r.tz.passive() == 0);
  CHECK(*u.next_update == at_ms(3150));
  CHECK(*r.tz.next_update() == at_ms(3150));
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("passive_delay 0 falls back to polling_delay, and an interrupt zone keeps a pending poll", "[zone][polling]") {
  thermo::test::heap_guard guard;
  {
    rig r;
    const std::array trips{passive_trip(65000, 0)};
    REQUIRE(r.setup(trips, 500ms, 0ms).ok());
    r.sensor.value = mc(70000);
    const update_result u = r.tz.enable(at_ms(0));
    CHECK(r.tz.passive() == 1);
    CHECK(*u.next_update == at_ms(500));
  }
  {
    rig r;  // RK3588 style: polling 0, passive 100 ms
    const std::array trips{passive_trip(65000, 0)};
    REQUIRE(r.setup(trips, 0ms, 100ms).ok());
    r.sensor.value = mc(60000);
    update_result u = r.tz.enable(at_ms(0));
    CHECK_FALSE(u.next_update.has_value());
    u = r.at(10, 66000);  // interrupt: passive trip reached → polling starts
    CHECK(*u.next_update == at_ms(110));
    u = r.at(50, 64000);  // interrupt before the poll: released, but nothing re-arms or cancels
    CHECK(r.tz.passive() == 0);
    REQUIRE(u.next_update.has_value());
    CHECK(*u.next_update == at_ms(110));
    u = r.at(110, 64000);  // the pending poll fires and is not re-armed
    CHECK_FALSE(u.next_update.has_value());
  }
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("hot and critical handlers run once on the upward crossing, governors never see those trips",
          "[zone][critical]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{trip_of(95000, 2000, trip_type::hot), trip_of(110000, 2000, trip_type::critical),
                         trip_of(110000, 0, trip_type::critical), passive_trip(85000, 2000)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();
  update_result u = r.at(1, 96000);
  CHECK(u.hot_calls == 1U);
  CHECK(r.sensor.hot_calls == 1U);
  u = r.at(2, 97000);  // staying above: no new call
  CHECK(u.hot_calls == 0U);
  CHECK(r.sensor.hot_calls == 1U);
  u = r.at(3, 111000);
  CHECK(u.critical_calls == 2U);  // two critical trips at one temperature: called twice
  CHECK(r.sensor.critical_calls == 2U);
  CHECK(u.critical == critical_action::none);  // a driver hook replaces the default shutdown
  for (const auto& c : r.gov.log()) {
    if (c.kind == '+' || c.kind == '-') {
      CHECK(c.arg == 3);  // only the passive trip reaches the governor
    }
  }
  CHECK(r.log.count(event_type::tz_trip_up) == 4U);  // but every crossing is an event
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("the default critical handler requests a shutdown (or the configured reboot) the caller sees",
          "[zone][critical]") {
  thermo::test::heap_guard guard;
  const std::array trips{trip_of(100000, 0, trip_type::critical)};
  {
    thermal_zone<2, 1> tz;
    pushed_sensor s;
    zone_config cfg;
    cfg.type = "soc";
    REQUIRE(tz.setup(cfg, trips, zone_sensor(s)).ok());
    s.set(mc(99999));
    REQUIRE(tz.enable(at_ms(0)).critical == critical_action::none);
    s.set(mc(100000));
    const update_result u = tz.update(at_ms(1));
    CHECK(u.critical == critical_action::shutdown);
    CHECK(u.critical_calls == 1U);
    CHECK(tz.pending_critical_action() == critical_action::shutdown);
    CHECK(tz.update(at_ms(2)).critical == critical_action::none);  // no repeat while above
    CHECK(tz.pending_critical_action() == critical_action::shutdown);  // sticky
    tz.clear_critical_action();
    CHECK(tz.pending_critical_action() == critical_action::none);
  }
  {
    thermal_zone<2, 1> tz;
    pushed_sensor s;
    zone_config cfg;
    cfg.type = "soc";
    cfg.on_critical = critical_action::reboot;
    REQUIRE(tz.setup(cfg, trips, zone_sensor(s)).ok());
    s.set(mc(120000));
    CHECK(tz.enable(at_ms(0)).critical == critical_action::reboot);
  }
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("emulated temperature replaces the sensor but never masks a critical trip", "[zone][emulation]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0), trip_of(100000, 0, trip_type::critical),
                         trip_of(90000, 0, trip_type::critical)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.sensor.trend_value = thermal_trend::stable;
  CHECK(r.tz.trend(0) == thermal_trend::stable);  // the driver's trend while not emulating

  update_result u = r.tz.set_emul_temp(at_ms(1), mc(75000));
  CHECK(u.crossings_up == 1U);
  CHECK(r.tz.temperature() == mc(75000));
  CHECK(r.tz.trend(0) == thermal_trend::raising);  // the driver's trend is ignored while emulating

  // The first critical trip in table order is 100 °C; a real 95 °C is below it → emulated.
  u = r.at(2, 95000);
  CHECK(r.tz.temperature() == mc(75000));
  // A real value at the first critical trip wins.
  u = r.at(3, 100000);
  CHECK(r.tz.temperature() == mc(100000));
  CHECK(u.critical_calls == 2U);
  // A failing sensor is a failure even while emulating.
  r.sensor.value = errc::try_again;
  CHECK(r.tz.update(at_ms(4)).status == update_status::read_failed);
  // Writing 0 stops the emulation.
  r.sensor.value = mc(60000);
  u = r.tz.set_emul_temp(at_ms(5), mc(0));
  CHECK(r.tz.temperature() == mc(60000));
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("trend compares T with the previous temperature unless the driver reports one", "[zone][trend]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  CHECK(r.tz.trend(0) == thermal_trend::raising);  // from THERMAL_TEMP_INIT
  static_cast<void>(r.at(1, 50000));
  CHECK(r.tz.trend(0) == thermal_trend::stable);
  static_cast<void>(r.at(2, 49000));
  CHECK(r.tz.trend(0) == thermal_trend::dropping);
  r.sensor.trend_value = thermal_trend::raising;
  CHECK(r.tz.trend(0) == thermal_trend::raising);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a try-again read error re-checks after 250 ms without escalating", "[zone][recheck]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0)};
  REQUIRE(r.setup(trips, 1000ms, 0ms).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();
  r.sensor.value = errc::try_again;
  for (int k = 1; k <= 1000; ++k) {
    const update_result u = r.tz.update(at_ms(1000 * k));
    REQUIRE(u.status == update_status::read_failed);
    REQUIRE(u.error == errc::try_again);
    REQUIRE(*u.next_update == at_ms(1000 * k + 250));
  }
  CHECK(r.tz.recheck_delay() == 250ms);
  CHECK(r.tz.mode() == thermal_device_mode::enabled);
  CHECK(r.tz.temperature() == mc(50000));  // failed reads leave the temperature alone
  CHECK(r.events() == 0U);
  CHECK(r.gov.log().empty());  // and run no governor
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("hard read errors back off x1.5 from 250 ms and disable the zone past 120 s", "[zone][recheck]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0), trip_of(100000, 0, trip_type::critical)};
  REQUIRE(r.setup(trips, 1000ms, 0ms).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();
  // recheck delays: d1 = 250, d(k+1) = d(k) + max(d(k)/2, 1), in ms.
  const std::array<std::int64_t, 16> delays{250,  375,  562,   843,   1264,  1896,  2844,  4266,
                                            6399, 9598, 14397, 21595, 32392, 48588, 72882, 109323};
  std::int64_t now = 1000;
  r.sensor.value = errc::hardware_fault;
  for (std::size_t k = 0; k < delays.size(); ++k) {
    const update_result u = r.tz.update(at_ms(now));
    if (k + 1 < delays.size()) {
      REQUIRE(u.status == update_status::read_failed);
      REQUIRE(u.next_update.has_value());
      REQUIRE(*u.next_update == at_ms(now + delays[k]));
      REQUIRE(r.tz.recheck_delay().count() == delays[k + 1]);
    } else {
      // 109323 + 54661 = 163984 ms > 120 s: disabled, TZ_DISABLE, delay reset.
      CHECK(u.status == update_status::broken);
      CHECK(u.error == errc::hardware_fault);
      CHECK_FALSE(u.next_update.has_value());
      CHECK(r.tz.mode() == thermal_device_mode::disabled);
      CHECK(r.tz.recheck_delay() == 250ms);
    }
    now += delays[k];
  }
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).type == event_type::tz_disable);
  CHECK(r.gov.log().empty());

  // Re-enabling with a working sensor recovers.
  r.sensor.value = mc(60000);
  CHECK(r.tz.enable(at_ms(now)).status == update_status::updated);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a successful read resets the back-off to 250 ms", "[zone][recheck]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.sensor.value = errc::io_error;
  static_cast<void>(r.tz.update(at_ms(1)));
  static_cast<void>(r.tz.update(at_ms(251)));
  CHECK(r.tz.recheck_delay() == 562ms);
  static_cast<void>(r.at(700, 50000));
  CHECK(r.tz.recheck_delay() == 250ms);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a reading at or below THERMAL_TEMP_INVALID only re-arms polling", "[zone]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(70000, 0)};
  REQUIRE(r.setup(trips, 1000ms, 0ms).ok());
  r.sensor.value = mc(80000);
  REQUIRE(r.tz.enable(at_ms(0)).crossings_up == 1U);
  r.clear();
  const update_result u = r.at(1000, temp_invalid.count());
  CHECK(u.status == update_status::no_valid_temperature);
  CHECK(*u.next_update == at_ms(2000));
  CHECK(r.tz.temperature() == mc(80000));
  CHECK(r.events() == 0U);
  CHECK(r.gov.log().empty());
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("suspend stops the zone and resume re-initialises it", "[zone][suspend]") {
  thermo::test::heap_guard guard;
  rig r;
  fake_cdev fan;
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(1, "fan", fan).ok());
  const std::array trips{passive_trip(65000, 2000), passive_trip(75000, 2000)};
  REQUIRE(r.setup(trips, 1000ms, 100ms).ok());
  REQUIRE(r.tz.bind(0, cdev).has_value());
  r.sensor.value = mc(76000);
  REQUIRE(r.tz.enable(at_ms(0)).crossings_up == 2U);
  CHECK(r.tz.passive() == 2);
  r.tz.instances()[0].initialized = true;

  r.tz.suspend();
  CHECK_FALSE(r.tz.next_update().has_value());
  CHECK(r.tz.update(at_ms(100)).status == update_status::not_ready);
  r.clear();

  // After resume trip 1 is no longer reached (T = 74 °C ≥ its release 73 °C would have kept it
  // reached without the re-initialisation): it is simply not reached — no DOWN event — and
  // trip 0 is crossed upward again.
  r.sensor.value = mc(74000);
  const update_result u = r.tz.resume(at_ms(5000));
  CHECK(u.status == update_status::updated);
  CHECK(u.crossings_up == 1U);
  CHECK(u.crossings_down == 0U);
  CHECK(r.tz.passive() == 1);
  CHECK_FALSE(r.tz.instances()[0].initialized);
  CHECK(r.tz.last_temperature() == temp_init);
  CHECK(r.tz.last_notify_event() == notify_event::tz_resume);
  REQUIRE(r.gov.log().size() >= 1U);
  CHECK(r.gov.log()[0] == recording_governor::call{'Z', static_cast<std::int32_t>(notify_event::tz_resume)});
  CHECK(r.tz.resume(at_ms(6000)).status == update_status::skipped);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("changing a trip sends TRIP_CHANGE, and disabling a reached trip crosses it down", "[zone][trip]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(65000, 2000), passive_trip(75000, 2000)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(70000);
  REQUIRE(r.tz.enable(at_ms(0)).crossings_up == 1U);
  CHECK(r.tz.passive() == 1);
  r.clear();

  auto res = r.tz.set_trip_temperature(at_ms(1), 0, temp_invalid);
  REQUIRE(res.has_value());
  REQUIRE(r.events() >= 3U);
  CHECK(r.ev(0).type == event_type::tz_trip_change);
  CHECK(r.ev(0).trip_id == 0);
  CHECK(r.ev(0).trip_temperature == temp_invalid);
  CHECK(r.ev(0).trip_hysteresis == millikelvin_delta{2000});
  CHECK(r.ev(0).trip_kind == trip_type::passive);
  CHECK(r.ev(1).type == event_type::tz_trip_down);
  CHECK(r.ev(2).type == event_type::sampling_temp);
  CHECK(r.tz.passive() == 0);
  CHECK(r.tz.last_notify_event() == notify_event::trip_changed);
  CHECK(r.gov.log()[0] == recording_governor::call{'-', 0});
  CHECK_FALSE(r.tz.trip_reached(0));
  // A disabled trip is ignored by updates.
  CHECK(r.at(2, 90000).crossings_up == 1U);  // only trip 1
  // Enabling it again: reached on the next update (no stale state).
  r.clear();
  res = r.tz.set_trip_temperature(at_ms(3), 0, mc(66000));
  REQUIRE(res.has_value());
  CHECK(res->crossings_up == 1U);
  CHECK(r.tz.passive() == 2);

  // Errors and no-ops.
  CHECK(r.tz.set_trip_temperature(at_ms(4), 5, mc(1)).error().code == errc::not_found);
  CHECK(r.tz.set_trip_temperature(at_ms(4), 0, mc(300000)).error().code == errc::out_of_range);
  CHECK(r.tz.set_trip_temperature(at_ms(4), 0, mc(66000))->status == update_status::skipped);
  CHECK(r.tz.set_trip_hysteresis(at_ms(4), 0, millikelvin_delta{-1}).error().code == errc::negative);
  r.clear();
  res = r.tz.set_trip_hysteresis(at_ms(5), 1, millikelvin_delta{5000});
  REQUIRE(res.has_value());
  CHECK(r.ev(0).type == event_type::tz_trip_change);
  CHECK(r.ev(0).trip_hysteresis == millikelvin_delta{5000});
  CHECK(r.tz.trip(1).threshold == mc(70000));  // reached: release temperature follows the new hysteresis
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("the governor is called for crossings then manage, and TZ_GOV_CHANGE follows every policy change",
          "[zone][governor]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(65000, 2000)};
  REQUIRE(r.setup(trips).ok());
  CHECK(r.gov.log()[0].kind == 'B');
  r.clear();
  recording_governor other;
  other.gov_name = "other";
  CHECK(r.tz.set_governor(governor_ref(other)) == errc::ok);
  CHECK(r.gov.log()[0].kind == 'U');
  CHECK(other.log()[0].kind == 'B');
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).type == event_type::tz_gov_change);
  CHECK(r.ev(0).name.view() == "other");
  CHECK(r.tz.governor().get() == &other);

  // A governor that fails to bind: the previous one is bound again, the event still sent.
  recording_governor broken;
  broken.gov_name = "broken";
  broken.bind_result = errc::invalid_argument;
  r.clear();
  other.clear();
  CHECK(r.tz.set_governor(governor_ref(broken)) == errc::invalid_argument);
  CHECK(r.tz.governor().get() == &other);
  REQUIRE(other.log().size() == 2U);
  CHECK(other.log()[0].kind == 'U');
  CHECK(other.log()[1].kind == 'B');
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).name.view() == "broken");
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("user thresholds narrow the window and report crossings", "[zone][thresholds]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(80000, 2000)};
  REQUIRE(r.setup(trips).ok());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();

  auto res = r.tz.add_threshold(at_ms(1), mc(60000), threshold_way_up);
  REQUIRE(res.has_value());
  CHECK(r.ev(0).type == event_type::threshold_add);
  CHECK(r.ev(0).temperature == mc(60000));
  CHECK(r.ev(0).direction == threshold_way_up);
  CHECK(r.tz.last_notify_event() == notify_event::tz_add_threshold);
  CHECK(res->high == mc(60000));
  CHECK(res->low == window_low_none);
  REQUIRE(r.tz.add_threshold(at_ms(2), mc(40000), threshold_way_down).has_value());
  CHECK(r.tz.window_low() == mc(40000));
  // Same temperature, other direction: ORed.
  REQUIRE(r.tz.add_threshold(at_ms(3), mc(60000), threshold_way_down).has_value());
  REQUIRE(r.tz.thresholds().size() == 2U);
  CHECK(r.tz.thresholds()[1].direction == (threshold_way_up | threshold_way_down));
  // -EEXIST only when the stored direction equals the requested one (the kernel's test).
  CHECK(r.tz.add_threshold(at_ms(4), mc(60000), threshold_way_up | threshold_way_down).error().code ==
        errc::already_exists);
  CHECK(r.tz.add_threshold(at_ms(4), mc(60000), threshold_way_down).has_value());
  CHECK(r.tz.add_threshold(at_ms(4), mc(1), 4).error().code == errc::invalid_argument);
  REQUIRE(r.tz.add_threshold(at_ms(5), mc(45000), threshold_way_up).has_value());
  REQUIRE(r.tz.add_threshold(at_ms(6), mc(46000), threshold_way_up).has_value());
  CHECK(r.tz.add_threshold(at_ms(7), mc(47000), threshold_way_up).error().code == errc::capacity_exceeded);
  r.clear();

  // Crossing 60 °C upward (45 and 46 °C are below both temperatures: no crossing for them).
  update_result u = r.at(10, 65000);
  CHECK(r.log.count(event_type::threshold_up) == 1U);
  CHECK(u.low == mc(60000));  // 60 °C has way_down too
  CHECK(u.high == mc(78000 + 2000));
  std::size_t k = 0;
  while (r.ev(k).type != event_type::threshold_up) {
    ++k;
  }
  CHECK(r.ev(k).prev_temperature == mc(50000));
  CHECK(r.ev(k).temperature == mc(65000));
  // Going down across 60 (way_down) → THRESHOLD_DOWN; stable → nothing.
  r.clear();
  u = r.at(11, 59000);
  CHECK(r.log.count(event_type::threshold_down) == 1U);
  u = r.at(12, 59000);
  CHECK(r.log.count(event_type::threshold_down) == 1U);

  r.clear();
  CHECK(r.tz.delete_threshold(at_ms(13), mc(12345), threshold_way_up).error().code == errc::not_found);
  REQUIRE(r.tz.delete_threshold(at_ms(14), mc(60000), threshold_way_up).has_value());
  CHECK(r.ev(0).type == event_type::threshold_delete);
  CHECK(r.tz.thresholds().size() == 4U);
  CHECK(r.tz.thresholds()[3].direction == threshold_way_down);
  u = r.tz.flush_thresholds(at_ms(15));
  CHECK(r.tz.thresholds().empty());
  CHECK(r.log.count(event_type::threshold_flush) == 1U);
  CHECK(u.high == mc(80000));

  thermal_zone<1, 1> plain;  // no threshold capacity: the feature is off
  pushed_sensor s;
  zone_config cfg;
  cfg.type = "x";
  REQUIRE(plain.setup(cfg, trips, zone_sensor(s)).ok());
  CHECK(plain.add_threshold(at_ms(0), mc(1), threshold_way_up).error().code == errc::not_supported);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("the first sample can report THRESHOLD_UP because the kernel tests for INVALID, not INIT",
          "[zone][thresholds]") {
  thermo::test::heap_guard guard;
  rig r;
  const std::array trips{passive_trip(80000, 2000)};
  REQUIRE(r.setup(trips).ok());
  // Thresholds added while disabled: their updates do nothing.
  REQUIRE(r.tz.add_threshold(at_ms(0), mc(40000), threshold_way_up).has_value());
  r.clear();
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(1)).status == update_status::updated);
  CHECK(r.log.count(event_type::threshold_up) == 1U);
  CHECK(threshold_crossing(r.tz.thresholds(), mc(50000), temp_invalid) == 0);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("unregistering a zone unbinds its devices and sends TZ_DELETE", "[zone]") {
  thermo::test::heap_guard guard;
  rig r;
  fake_cdev fan;
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(3, "fan", fan).ok());
  const std::array trips{passive_trip(65000, 2000)};
  REQUIRE(r.setup(trips, 1000ms).ok());
  REQUIRE(r.tz.bind(0, cdev).has_value());
  r.sensor.value = mc(50000);
  REQUIRE(r.tz.enable(at_ms(0)).status == update_status::updated);
  r.clear();
  r.tz.unregister_zone();
  CHECK(cdev.instance_count() == 0U);
  CHECK_FALSE(r.tz.registered());
  CHECK_FALSE(r.tz.next_update().has_value());
  REQUIRE(r.events() == 1U);
  CHECK(r.ev(0).type == event_type::tz_delete);
  CHECK(r.gov.log().back().kind == 'U');
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("a full event ring counts what it had to drop", "[events]") {
  thermo::test::heap_guard guard;
  event_ring<2> ring;
  event_sink sink = ring.sink();
  thermal_event e;
  e.type = event_type::tz_enable;
  sink(e);
  e.type = event_type::tz_disable;
  sink(e);
  e.type = event_type::tz_delete;
  sink(e);
  CHECK(ring.size() == 2U);
  CHECK(ring.dropped() == 1U);
  CHECK(ring.pop()->type == event_type::tz_enable);
  CHECK(ring.pop()->type == event_type::tz_disable);
  CHECK_FALSE(ring.pop().has_value());
  ring.clear();
  CHECK(ring.dropped() == 0U);
  // A callback sink: function pointer + context.
  int count = 0;
  event_sink cb([](void* ctx, const thermal_event& ev) noexcept { *static_cast<int*>(ctx) += static_cast<int>(ev.type); },
                &count);
  cb(e);
  CHECK(count == 2);
  CHECK(group_of(event_type::sampling_temp) == event_group::sampling);
  CHECK(group_of(event_type::threshold_down) == event_group::event);
  CHECK(to_string(event_type::cdev_state_update) == "cdev_state_update");
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("netlink event numbers are the kernel's", "[events]") {
  STATIC_REQUIRE(static_cast<int>(event_type::tz_create) == 1);
  STATIC_REQUIRE(static_cast<int>(event_type::tz_trip_up) == 5);
  STATIC_REQUIRE(static_cast<int>(event_type::tz_trip_change) == 7);
  STATIC_REQUIRE(static_cast<int>(event_type::cdev_state_update) == 12);
  STATIC_REQUIRE(static_cast<int>(event_type::tz_gov_change) == 13);
  STATIC_REQUIRE(static_cast<int>(event_type::cpu_capability_change) == 14);
  STATIC_REQUIRE(static_cast<int>(event_type::threshold_add) == 15);
  STATIC_REQUIRE(static_cast<int>(event_type::threshold_down) == 19);
  STATIC_REQUIRE(static_cast<int>(notify_event::tz_resume) == 12);
  STATIC_REQUIRE(static_cast<int>(trip_type::critical) == 3);
  STATIC_REQUIRE(std::is_trivially_copyable_v<thermal_event>);
}
