// The recorder: rows at the interval and at events, capacity, the trace hash; samples are
// passive. Its CSV, JSON-lines and SVG writers are tested in tests/io/trace_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "recorder_rig.hpp"
#include "sim_support.hpp"
#include "thermo/sim/recorder.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

using test::full_sim;
using test::rig;
using test::rig_t;

}  // namespace

TEST_CASE("rows come at the record interval, with every channel named and in units", "[sim][recorder]") {
  sim::sim_options o;
  o.record_interval = 50ms;
  rig r(o);
  r.s->run_until(sim_time{10s});
  REQUIRE(r.rec.rows() == 201);  // the start row + 200 samples
  CHECK(r.rec.kind(0) == sim::event_kind::start);
  CHECK(r.rec.kind(1) == sim::event_kind::sample);
  CHECK(r.rec.time(200) == sim_time{10s});
  std::vector<std::string> names;
  for (const auto& c : r.rec.channels()) {
    names.push_back(c.name + "|" + c.unit);
  }
  CHECK(names == std::vector<std::string>{"T_die|C", "T_board|C", "sensed_die|C", "zone_cpu-thermal|C", "f_cpu|MHz",
                                          "u_cpu|", "run_cpu|", "P_cpu|W", "state_cpufreq-cpu0|", "twice_die|C"});
  for (std::size_t k = 0; k < r.rec.rows(); ++k) {
    REQUIRE(r.rec.value(k, 9) == 2.0 * r.rec.value(k, 0));
  }
  CHECK(r.rec.value(200, 0) == r.s->temperature(0));
  CHECK(r.rec.value(200, 4) == r.s->frequency(0) / 1e6);
}

TEST_CASE("with record_events every event adds a row naming its kind and source", "[sim][recorder]") {
  sim::sim_options o;
  o.record_interval = {};
  o.record_events = true;
  rig r(o);
  r.s->run_until(sim_time{5s});
  std::size_t polls = 0;
  for (std::size_t k = 1; k < r.rec.rows(); ++k) {
    CHECK(r.rec.kind(k) != sim::event_kind::sample);
    polls += r.rec.kind(k) == sim::event_kind::poll ? 1U : 0U;
  }
  CHECK(polls >= 5);
  CHECK(r.rec.rows() == r.s->metrics().events + 1);
}

TEST_CASE("a full recorder drops rows without allocating and counts them", "[sim][recorder]") {
  sim::sim_options o;
  o.record_interval = 10ms;
  rig r(o, 100);
  r.s->run_until(sim_time{2s});
  CHECK(r.rec.rows() == 100);
  CHECK(r.rec.dropped() == 101);
}

TEST_CASE("samples are passive: the recording interval does not change what happens", "[sim][recorder]") {
  // Rows are computed beside the trajectory, never on it: the run is the same to the last bit
  // whether it records every 1 ms, every 70 ms or not at all, with custom channels (the rows
  // show the simulation at their time) or without (the rows come from the modal state).
  sim::sim_options fine;
  fine.record_interval = 1ms;
  sim::sim_options coarse;
  coarse.record_interval = 70ms;
  sim::sim_options none;
  none.record_interval = {};
  const bool channel = GENERATE(true, false);
  rig a(fine, 70000, 200.0, channel);
  rig b(coarse, 2000, 200.0, channel);
  rig c(none, 10, 200.0, channel);
  a.s->run_until(sim_time{60s});
  b.s->run_until(sim_time{60s});
  c.s->run_until(sim_time{60s});
  REQUIRE(a.rec.rows() == 60001);
  REQUIRE(c.rec.rows() == 1);  // the start row only
  const auto ma = a.s->metrics();
  for (const rig* other : {&b, &c}) {
    const auto mb = other->s->metrics();
    REQUIRE(ma.crossings.size() == mb.crossings.size());
    REQUIRE(ma.crossings.size() > 2);
    for (std::size_t k = 0; k < ma.crossings.size(); ++k) {
      CHECK(ma.crossings[k].detected == mb.crossings[k].detected);
      CHECK(ma.crossings[k].latency_s == mb.crossings[k].latency_s);
    }
    CHECK(ma.events == mb.events);
    CHECK(ma.cooling[0].transitions == mb.cooling[0].transitions);
    CHECK(ma.zones[0].updates == mb.zones[0].updates);
    CHECK(a.s->temperature(0) == other->s->temperature(0));
    CHECK(a.s->temperature(1) == other->s->temperature(1));
    CHECK(ma.domains[0].energy_j == mb.domains[0].energy_j);
  }
}

TEMPLATE_TEST_CASE("rows are the same with or without custom channels, and the last is the state", "[sim][recorder]",
                   small_sim, full_sim) {
  // Without custom channels rows come from the modal state directly (by the general kernel, or
  // the fixed-shape one when the plant fills the limits); with them the simulation is shown at
  // each row's time. Both give the same bits, and a row at the end of a run is exactly the
  // state the run ends in. An ambient step half-way changes every row's offset.
  sim::sim_options o;
  o.record_interval = 30ms;
  rig_t<TestType> with(o, 5000, 150.0, true, true);
  rig_t<TestType> without(o, 5000, 150.0, false, true);
  with.s->run_until(sim_time{27s});
  without.s->run_until(sim_time{27s});
  REQUIRE(with.rec.rows() == 901);
  REQUIRE(without.rec.rows() == 901);
  REQUIRE(with.rec.columns() == without.rec.columns() + 1);
  for (std::size_t k = 0; k < with.rec.rows(); ++k) {
    REQUIRE(with.rec.time(k) == without.rec.time(k));
    for (std::size_t c = 0; c < without.rec.columns(); ++c) {
      REQUIRE(std::bit_cast<std::uint64_t>(with.rec.value(k, c)) == std::bit_cast<std::uint64_t>(without.rec.value(k, c)));
    }
  }
  // The last row is the state the run ends in (to rounding: the row may be stepped there
  // through earlier rows, the plant in one step from the last event).
  const std::size_t last = without.rec.rows() - 1;
  CHECK(without.rec.time(last) == sim_time{27s});
  CHECK(without.rec.value(last, 0) == Approx(without.s->temperature(0)).margin(1e-12));
  CHECK(without.rec.value(last, 1) == Approx(without.s->temperature(1)).margin(1e-12));
  CHECK(without.rec.value(last, 2) == Approx(without.s->sensed_temperature(0)).margin(1e-12));
  CHECK(without.s->ambient() == 31.5);
  // The peaks the rows feed (node maxima; the zone's peak and when) agree to the bit too.
  const auto mw = with.s->metrics();
  const auto mo = without.s->metrics();
  REQUIRE(mw.node_peak_c.size() == mo.node_peak_c.size());
  for (std::size_t i = 0; i < mo.node_peak_c.size(); ++i) {
    CHECK(std::bit_cast<std::uint64_t>(mw.node_peak_c[i]) == std::bit_cast<std::uint64_t>(mo.node_peak_c[i]));
    CHECK(mo.node_peak_c[i] > 30.0);
  }
  CHECK(std::bit_cast<std::uint64_t>(mw.zones[0].peak_c) == std::bit_cast<std::uint64_t>(mo.zones[0].peak_c));
  CHECK(mw.zones[0].peak_time == mo.zones[0].peak_time);
}

TEST_CASE("rows a full recorder drops still count for the peaks", "[sim][recorder]") {
  sim::sim_options o;
  o.record_interval = 5ms;
  const bool channel = GENERATE(true, false);
  rig big(o, 20000, 0.0, channel);
  rig tiny(o, 1, 0.0, channel);
  big.s->run_until(sim_time{30s});
  tiny.s->run_until(sim_time{30s});
  REQUIRE(tiny.rec.rows() == 1);
  REQUIRE(tiny.rec.dropped() == 6000);
  const auto mb = big.s->metrics();
  const auto mt = tiny.s->metrics();
  CHECK(mb.node_peak_c[0] == mt.node_peak_c[0]);
  CHECK(mb.node_peak_c[1] == mt.node_peak_c[1]);
  CHECK(mb.zones[0].peak_c == mt.zones[0].peak_c);
  CHECK(mb.zones[0].peak_time == mt.zones[0].peak_time);
  CHECK(mb.zones[0].trips[0].max_overshoot_c == mt.zones[0].trips[0].max_overshoot_c);
  // … and the peak is the highest die temperature in the trace.
  double highest = -1e9;
  for (std::size_t k = 0; k < big.rec.rows(); ++k) {
    highest = std::max(highest, big.rec.value(k, 0));
  }
  CHECK(mb.node_peak_c[0] == highest);
}

TEST_CASE("a recorder detached or swapped for an unconfigured one mid-run takes no rows and breaks nothing",
          "[sim][recorder]") {
  sim::sim_options o;
  o.record_interval = 10ms;
  const bool channel = GENERATE(true, false);
  rig r(o, 5000, 0.0, channel);
  r.s->run_until(sim_time{1s});
  REQUIRE(r.rec.rows() == 101);
  sim::recorder other(100);  // never configured: no columns
  r.s->set_recorder(&other);
  r.s->run_until(sim_time{2s});
  CHECK(other.rows() == 0);
  CHECK(other.dropped() == 100);
  r.s->set_recorder(nullptr);
  r.s->run_until(sim_time{3s});
  CHECK(r.rec.rows() == 101);
  CHECK(std::isfinite(r.s->temperature(0)));
}

TEST_CASE("append_row hands out a row to fill in place, and counts drops when full", "[sim][recorder]") {
  sim::recorder rec(2);
  rec.configure({{"a", "C", sim::channel_kind::custom, 0}, {"b", "W", sim::channel_kind::custom, 1}});
  CHECK(rec.append_row(sim_time{4ms}, sim::event_kind::sample, 3, 3) == nullptr);  // wrong width
  CHECK(rec.dropped() == 1);
  double* r0 = rec.append_row(sim_time{5ms}, sim::event_kind::sample, 3, 2);
  REQUIRE(r0 != nullptr);
  r0[0] = 1.5;
  r0[1] = -2.0;
  const std::array<double, 2> v{7.0, 8.0};
  CHECK(rec.append(sim_time{6ms}, sim::event_kind::poll, 1, v));
  CHECK(rec.append_row(sim_time{7ms}, sim::event_kind::sample, 0, 2) == nullptr);  // full
  CHECK(rec.rows() == 2);
  CHECK(rec.dropped() == 2);
  CHECK(rec.time(0) == sim_time{5ms});
  CHECK(rec.kind(0) == sim::event_kind::sample);
  CHECK(rec.source(0) == 3);
  CHECK(rec.value(0, 0) == 1.5);
  CHECK(rec.value(0, 1) == -2.0);
  CHECK(rec.value(1, 1) == 8.0);
}

TEST_CASE("identical runs give identical trace hashes, and any change shows", "[sim][recorder][determinism]") {
  sim::sim_options o;
  o.record_events = true;
  rig a(o, 20000, 300.0);
  rig b(o, 20000, 300.0);
  a.s->run_until(sim_time{40s});
  b.s->run_until(sim_time{40s});
  REQUIRE(a.rec.rows() > 1000);
  CHECK(a.rec.hash() == b.rec.hash());
  rig c(o, 20000, 500.0);
  c.s->run_until(sim_time{40s});
  CHECK(c.rec.hash() != a.rec.hash());
}
