// io/run_plot.hpp, io/band_decimator.hpp and io/plot_layout.hpp: the figure of a run — one
// label per trip temperature, labels that never overlap, plain legends with units, dithering as
// a band, scripted events and cooling states, bounded size, same bytes for the same run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/recorder_rig.hpp"
#include "sim/sim_support.hpp"
#include "support/xml_check.hpp"
#include "thermo/io/run_plot.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::rig;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Every label box the document draws (`<rect class="label-box" …>`).
std::vector<io::label_box> label_boxes(const std::string& doc) {
  static const std::regex re(R"re(<rect class="label-box" x="([-0-9.]+)" y="([-0-9.]+)" width="([-0-9.]+)" height="([-0-9.]+)")re");
  std::vector<io::label_box> out;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
  }
  return out;
}

std::size_t count(const std::string& doc, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = doc.find(what); p != std::string::npos; p = doc.find(what, p + 1)) {
    ++n;
  }
  return n;
}

/// A recorder with the channels of a two-cluster SoC: two sensors, two frequencies, two powers,
/// two cooling states.
sim::recorder soc_recorder(std::size_t rows) {
  sim::recorder rec(rows);
  rec.configure({{"sensed_tsadc0", "C", sim::channel_kind::sensor_temperature, 0},
                 {"sensed_tsadc1", "C", sim::channel_kind::sensor_temperature, 1},
                 {"f_big", "MHz", sim::channel_kind::frequency, 0},
                 {"f_little", "MHz", sim::channel_kind::frequency, 1},
                 {"P_big", "W", sim::channel_kind::power, 0},
                 {"P_little", "W", sim::channel_kind::power, 1},
                 {"state_cpufreq-cpu4", "", sim::channel_kind::cooling_state, 0},
                 {"state_pwm-fan", "", sim::channel_kind::cooling_state, 1}});
  return rec;
}

/// Row r of a run that heats, then dithers the big cluster between two OPPs on every row from
/// 300 s on (and its power and cooling state with it).
std::array<double, 8> soc_row(std::size_t r) {
  const double t = static_cast<double>(r) * 0.1;
  const bool dither = t >= 300.0;
  const bool low = dither && r % 2 == 1;
  return {40.0 + 35.0 * (1.0 - std::exp(-t / 200.0)) + 0.3 * std::sin(static_cast<double>(r)),
          38.0 + 30.0 * (1.0 - std::exp(-t / 250.0)),
          low ? 1416.0 : 1800.0,
          t < 600.0 ? 1416.0 : 1008.0,
          low ? 1.6 : 2.2,
          0.3,
          low ? 1.0 : 0.0,
          t < 200.0 ? 0.0 : t < 700.0 ? 1.0 : 2.0};
}

}  // namespace

TEST_CASE("the plot of a run is well-formed SVG with axes, plain legends with units and trip lines", "[io][svg][plot]") {
  sim::sim_options o;
  o.record_interval = 100ms;
  rig r(o);
  r.s->run_until(sim_time{60s});
  io::run_plot_options po;
  po.title = "step_wise on a die & board <test>";
  po.node_temperatures = true;
  po.zone_readings = true;
  const auto lines = io::trip_lines(*r.s);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].label == "cpu-thermal");
  CHECK(lines[0].what == "passive");
  CHECK(lines[0].trip == 0);
  CHECK(lines[1].celsius == 90.0);
  const auto fig = io::plot_run(r.rec, lines, po);
  const std::string doc = fig.render();
  CHECK(test::xml_check(doc).empty());
  for (const char* text : {"Temperature (°C)", "Frequency (MHz)", "Power (W)", "Cooling state", "Time (s)",
                           "die sensed temperature", "die node temperature", "board node temperature", "cpu-thermal reading",
                           "cpu-thermal trip 0 (passive): 35 °C", "cpu-thermal trip 1 (critical): 90 °C",
                           "cpu frequency (MHz)", "cpu power (W)", "cpufreq-cpu0", "&lt;test&gt;"}) {
    INFO(text);
    CHECK(doc.find(text) != std::string::npos);
  }
  for (const char* raw : {"sensed_", ">f_cpu<", ">P_cpu<", "state_", "T_die", "zone_cpu"}) {
    INFO(raw);
    CHECK(doc.find(raw) == std::string::npos);  // no raw column names
  }
  const std::string path = std::string(THERMO_BINARY_DIR) + "/io_run_plot_test.svg";
  REQUIRE(fig.save(path) == errc::ok);
  CHECK(test::xml_check(slurp(path)).empty());
}

TEST_CASE("legends name every kind of channel in plain words", "[io][svg][plot]") {
  using sim::channel_kind;
  CHECK(io::plain_name({"sensed_tsadc0", "C", channel_kind::sensor_temperature, 0}) == "tsadc0 sensed temperature");
  CHECK(io::plain_name({"T_big", "C", channel_kind::node_temperature, 0}) == "big node temperature");
  CHECK(io::plain_name({"zone_cpu-thermal", "C", channel_kind::zone_temperature, 0}) == "cpu-thermal reading");
  CHECK(io::plain_name({"f_big", "MHz", channel_kind::frequency, 0}) == "big frequency (MHz)");
  CHECK(io::plain_name({"P_big", "W", channel_kind::power, 0}) == "big power (W)");
  CHECK(io::plain_name({"state_thermal-cpufreq-0", "", channel_kind::cooling_state, 0}) == "thermal-cpufreq-0");
  CHECK(io::plain_name({"u_big", "", channel_kind::utilisation, 0}) == "big utilisation");
  CHECK(io::plain_name({"budget", "W", channel_kind::custom, 0}) == "budget (W)");
  CHECK(io::plain_name({"count", "", channel_kind::custom, 0}) == "count");
}

TEST_CASE("zones that share a trip temperature share one label", "[io][svg][plot]") {
  const std::vector<io::trip_line> lines{{"cpu-thermal", 65.0, "passive", 0}, {"cpu-thermal", 75.0, "passive", 1},
                                         {"gpu-thermal", 75.0, "passive", 1}, {"cpu-thermal", 95.0, "critical", 2},
                                         {"gpu-thermal", 95.0, "critical", 1}, {"board", 75.0, "active", 0},
                                         {"budget", 3.5, "", -1}, {"cap", 3.5, "", -1}};
  const auto g = io::group_trip_lines(lines);
  REQUIRE(g.size() == 4);
  CHECK(g[0].label == "cpu-thermal trip 0 (passive): 65 °C");
  CHECK(g[1].label == "cpu-thermal, gpu-thermal trip 1 (passive); board trip 0 (active): 75 °C");
  CHECK(g[1].celsius == 75.0);
  CHECK(g[2].label == "cpu-thermal trip 2, gpu-thermal trip 1 (critical): 95 °C");
  CHECK(g[3].label == "budget, cap: 3.5 °C");

  // In the figure: one line and one label per temperature.
  sim::recorder rec = soc_recorder(16);
  io::run_plot_builder b({}, 0.0, 1.0);
  rec.set_sink(&b);
  REQUIRE(rec.append(sim_time{}, sim::event_kind::sample, 0, soc_row(0)));
  rec.flush();
  const std::vector<io::trip_line> trips{{"cpu-thermal", 75.0, "passive", 1}, {"gpu-thermal", 75.0, "passive", 1}};
  auto fig = b.figure(trips);
  REQUIRE(fig.panels()[0].hlines().size() == 1);
  const std::string doc = fig.render();
  CHECK(count(doc, "cpu-thermal, gpu-thermal trip 1 (passive): 75 °C") == 1);
  CHECK(count(doc, "trip 1") == 1);
}

TEST_CASE("labels never overlap: close trip temperatures and close events are laid out apart", "[io][svg][plot][layout]") {
  sim::recorder rec = soc_recorder(4096);
  io::run_plot_builder b({}, 0.0, 600.0);
  rec.set_sink(&b);
  for (std::size_t r = 0; r <= 6000; ++r) {
    REQUIRE(rec.append(sim_time{std::chrono::milliseconds(100 * r)}, sim::event_kind::sample, 0, soc_row(r)));
  }
  rec.flush();
  // Trips 0.2 °C apart (a few pixels) with long labels, and events 1 s apart.
  std::vector<io::trip_line> trips;
  for (int k = 0; k < 8; ++k) {
    trips.push_back({"zone-" + std::to_string(k) + "-thermal", 70.0 + 0.2 * k, "passive", k});
  }
  const std::vector<io::event_mark> events{{100.0, "ambient 40 °C"}, {101.0, "pwm-fan fails"}, {102.0, "tsadc0 fault (stuck)"},
                                           {103.0, "cpu-thermal off"}, {590.0, "pwm-fan restored"}};
  auto fig = b.figure(trips, events);
  const std::string doc = fig.render();
  CHECK(test::xml_check(doc).empty());
  const auto boxes = label_boxes(doc);
  REQUIRE(boxes.size() == trips.size() + events.size());
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    CHECK(boxes[i].w > 0.0);
    CHECK(boxes[i].h > 0.0);
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      INFO("label " << i << " and label " << j);
      CHECK_FALSE(boxes[i].intersects(boxes[j]));
    }
  }
  // Every label is drawn once; the events are marked on every panel (four: with cooling states).
  for (const auto& e : events) {
    CHECK(count(doc, ">" + e.label + "<") == 1);
  }
  REQUIRE(fig.panels().size() == 4);
  for (const auto& p : fig.panels()) {
    CHECK(p.vlines().size() == events.size());
  }
}

TEST_CASE("a label is placed at a free spot that hides the least data, never over another", "[io][svg][layout]") {
  const io::label_box bounds{0.0, 0.0, 100.0, 100.0};
  std::vector<io::label_box> placed;
  const std::array<io::label_spot, 3> spots{{{0.0, 0.0}, {50.0, 0.0}, {0.0, 50.0}}};
  const auto a = io::place_label(placed, spots, 40.0, 10.0, bounds);
  CHECK((a.x == 0.0 && a.y == 0.0));
  const auto b = io::place_label(placed, spots, 40.0, 10.0, bounds);  // first free spot
  CHECK((b.x == 50.0 && b.y == 0.0));
  const auto c = io::place_label(placed, spots, 40.0, 10.0, bounds, [](const io::label_box& x) { return x.y > 0.0 ? 0.0 : 1.0; });
  CHECK((c.x == 0.0 && c.y == 50.0));
  const auto d = io::place_label(placed, spots, 40.0, 10.0, bounds);  // nothing free: below the lot
  CHECK(d.y >= 60.0);
  for (std::size_t i = 0; i < placed.size(); ++i) {
    for (std::size_t j = i + 1; j < placed.size(); ++j) {
      CHECK_FALSE(placed[i].intersects(placed[j]));
    }
  }
  CHECK(io::text_chars("75 °C") == 5);
  CHECK(io::text_width("abcd", 10.0) > io::text_width("abc", 10.0));
}

TEST_CASE("a dithering signal is drawn as a band around its mean, not as thousands of vertical strokes", "[io][svg][plot][decimate]") {
  const std::size_t rows = 12'001;  // 20 min at 100 ms
  sim::recorder rec = soc_recorder(4096);
  io::run_plot_builder b({}, 0.0, 1200.0);
  rec.set_sink(&b);
  for (std::size_t r = 0; r < rows; ++r) {
    REQUIRE(rec.append(sim_time{std::chrono::milliseconds(100 * r)}, sim::event_kind::sample, 0, soc_row(r)));
  }
  rec.flush();
  auto fig = b.figure({});
  const auto& big = fig.panels()[1].series().at(0);
  REQUIRE(big.name == "big frequency (MHz)");
  // Decimated to about one point per column, not one stroke per alternation.
  CHECK(big.x.size() <= b.columns() + 2);
  REQUIRE(big.band_lo.size() == big.x.size());
  std::size_t banded = 0;
  for (std::size_t k = 0; k < big.x.size(); ++k) {
    if (!std::isfinite(big.band_lo[k])) {
      CHECK(big.x[k] <= 300.0);  // before the dithering: exact
      CHECK(big.y[k] == 1800.0);
      continue;
    }
    ++banded;
    CHECK(big.x[k] >= 299.0);
    CHECK(big.band_lo[k] == 1416.0);
    CHECK(big.band_hi[k] == 1800.0);
    if (big.x[k] > 302.0) {  // past the column where the dithering starts
      CHECK(big.y[k] == Approx(1608.0).margin(40.0));  // the time-weighted mean of the two OPPs
    }
  }
  CHECK(banded > b.columns() / 2);
  // A signal that only steps keeps its exact steps, no band: three points (start, step, end).
  const auto& little = fig.panels()[1].series().at(1);
  CHECK(little.band_lo.empty());
  CHECK(little.y == std::vector<double>{1416.0, 1008.0, 1008.0});
  CHECK(little.x.front() == 0.0);
  CHECK(little.x.back() == 1200.0);
  // The document draws the band as a polygon under a line of about one point per column.
  const std::string doc = fig.render();
  CHECK(test::xml_check(doc).empty());
  CHECK(count(doc, "<polygon class=\"band\"") >= 3);  // frequency, power, cooling state
  const auto start = doc.find("<polyline", doc.find("Frequency (MHz)"));
  const std::string line = doc.substr(start, doc.find("/>", start) - start);
  CHECK(static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) <= 2 * (b.columns() + 2));
}

TEST_CASE("band decimation: M4 for few changes, the time-weighted mean and the extremes for many", "[io][svg][decimate]") {
  io::band_decimator d(0.0, 10.0, 10);
  // column 0: one step (exact); column 1: 1 for 0.8 s then 0 for 0.2 s, alternating 4 times.
  d.add(0.0, 5.0);
  d.add(0.5, 6.0);
  for (const auto& [x, y] : std::array<std::pair<double, double>, 6>{{{1.0, 1.0}, {1.2, 0.0}, {1.3, 1.0}, {1.5, 0.0}, {1.6, 1.0}, {1.9, 0.0}}}) {
    d.add(x, y);
  }
  d.add(std::numeric_limits<double>::quiet_NaN(), 1.0);  // skipped
  d.finish();
  // The band ends at the last point added (1.9), holding the column's mean and extremes.
  CHECK(d.x() == std::vector<double>{0.0, 0.5, 1.0, 1.9});
  REQUIRE(d.band_lo().size() == 4);
  CHECK(std::isnan(d.band_lo()[0]));
  CHECK(std::isnan(d.band_hi()[1]));
  CHECK(d.band_lo()[2] == 0.0);
  CHECK(d.band_hi()[2] == 1.0);
  // 1 held 0.2 + 0.2 + 0.3 s of the column's 1 s
  CHECK(d.y()[2] == Approx(0.7));
  CHECK(d.y()[3] == d.y()[2]);
  CHECK(d.band_hi()[3] == 1.0);
  CHECK(d.band_columns() == 1);
  // With dithering off, the same column is plain M4.
  io::band_decimator m4(0.0, 10.0, 10, 0);
  for (const auto& [x, y] : std::array<std::pair<double, double>, 4>{{{1.0, 1.0}, {1.2, 0.0}, {1.3, 1.0}, {1.9, 0.0}}}) {
    m4.add(x, y);
  }
  m4.finish();
  CHECK(m4.band_lo().empty());
  CHECK(m4.x() == std::vector<double>{1.0, 1.2, 1.9});
}

TEST_CASE("M4 decimation keeps each column's first, lowest, highest and last point, in order", "[io][svg][decimate]") {
  io::m4_decimator m4(0.0, 10.0, 10);
  // column 0: 0.0..0.9 with a dip and a peak; column 5: one point; column 9: x beyond the range
  const std::array<std::pair<double, double>, 8> pts{{{0.0, 5.0}, {0.2, 1.0}, {0.4, 9.0}, {0.6, 4.0}, {0.9, 6.0}, {5.5, 3.0}, {9.5, 2.0}, {12.0, 7.0}}};
  for (const auto& [x, y] : pts) {
    m4.add(x, y);
  }
  m4.add(9.7, std::numeric_limits<double>::quiet_NaN());  // skipped
  m4.finish();
  CHECK(m4.x() == std::vector<double>{0.0, 0.2, 0.4, 0.9, 5.5, 9.5, 12.0});
  CHECK(m4.y() == std::vector<double>{5.0, 1.0, 9.0, 6.0, 3.0, 2.0, 7.0});
}

TEST_CASE("the plot of a 20-minute run of eight series stays far under 2 MB, the same bytes every time", "[io][svg][plot][decimate]") {
  const auto render = [] {
    sim::recorder rec = soc_recorder(1024);
    io::run_plot_builder b({}, 0.0, 1200.0);
    rec.set_sink(&b);
    for (std::size_t r = 0; r <= 12'000; ++r) {
      REQUIRE(rec.append(sim_time{std::chrono::milliseconds(100 * r)}, sim::event_kind::sample, 0, soc_row(r)));
    }
    rec.flush();
    const std::vector<io::trip_line> trips{{"cpu-thermal", 75.0, "passive", 1}, {"gpu-thermal", 75.0, "passive", 1}};
    const std::vector<io::event_mark> events{{300.0, "ambient 40 °C"}};
    return b.figure(trips, events).render();
  };
  const std::string doc = render();
  INFO(doc.size());
  CHECK(doc.size() < 600'000);
  CHECK(test::xml_check(doc).empty());
  CHECK(render() == doc);
}

TEST_CASE("the plot of a run of any length stays under 2 MB and keeps its extremes", "[io][svg][decimate][stream]") {
  // Two million 10 ms rows (5.6 h) streamed through a 4096-row block into the plot builder.
  sim::recorder rec(4096);
  rec.configure({{"T_die", "C", sim::channel_kind::sensor_temperature, 0},
                 {"f_cpu", "MHz", sim::channel_kind::frequency, 0},
                 {"P_cpu", "W", sim::channel_kind::power, 0}});
  const std::size_t rows = 2'000'000;
  io::run_plot_options po;
  io::run_plot_builder plot(po, 0.0, static_cast<double>(rows - 1) * 0.01);
  rec.set_sink(&plot);
  for (std::size_t r = 0; r < rows; ++r) {
    const double t = static_cast<double>(r) * 0.01;
    double temp = 50.0 + 10.0 * std::sin(t / 60.0) + 0.5 * std::sin(static_cast<double>(r) * 1.7);
    if (r == 1'234'567) {
      temp = 123.0;  // one 10 ms spike
    }
    if (r == 345'678) {
      temp = -7.0;
    }
    const std::array<double, 3> v{temp, r % 2 == 0 ? 1800.0 : 600.0, 2.0};
    REQUIRE(rec.append(sim_time{std::chrono::milliseconds(10 * r)}, sim::event_kind::sample, 0, v));
  }
  rec.flush();
  auto fig = plot.figure({});
  const std::string doc = fig.render();
  INFO(doc.size());
  CHECK(doc.size() < 2'000'000);
  CHECK(test::xml_check(doc).empty());
  // What is kept is bounded by the figure's width, and holds the spike and the dip.
  const auto& temp = fig.panels()[0].series().at(0);
  CHECK(temp.y.size() <= 4 * plot.columns());
  CHECK(*std::max_element(temp.y.begin(), temp.y.end()) == 123.0);
  CHECK(*std::min_element(temp.y.begin(), temp.y.end()) == -7.0);
  // The frequency alternating on every row is one band from 600 to 1800 MHz around 1200.
  const auto& freq = fig.panels()[1].series().at(0);
  CHECK(freq.y.size() <= plot.columns() + 1);
  CHECK(*std::max_element(freq.band_hi.begin(), freq.band_hi.end()) == 1800.0);
  CHECK(*std::min_element(freq.band_lo.begin(), freq.band_lo.end()) == 600.0);
  CHECK(freq.y[freq.y.size() / 2] == Approx(1200.0).margin(1.0));
}

TEST_CASE("scripted events become short labels on the time axis, one mark per instant", "[io][svg][plot]") {
  test::small_sim s;
  REQUIRE(s.set_plant(test::die_board<test::small_sim>()).ok());
  static constexpr std::array<std::string_view, 2> names{"die", "board"};
  s.set_node_names(names);
  REQUIRE(s.add_domain(test::cpu_domain(2)));
  auto sens = s.add_sensor({"tsadc0", test::die_probe, {}});
  REQUIRE(sens);
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.trips = test::trips;
  zs.sensor = *sens;
  REQUIRE(s.add_zone(zs));
  thermo::sensor_fault stuck{};
  stuck.kind = sensor_fault_kind::stuck;
  for (const auto& e : {sim::scenario_event::ambient(sim_time{60s}, 40.0), sim::scenario_event::node_power(sim_time{90s}, 1, 2.0),
                        sim::scenario_event::sensor_failure(sim_time{120s}, 0, stuck), sim::scenario_event::sensor_restore(sim_time{150s}, 0),
                        sim::scenario_event::zone_disable(sim_time{150s}, 0), sim::scenario_event::zone_enable(sim_time{170s}, 0),
                        sim::scenario_event::trip_temperature(sim_time{180s}, 0, 0, millicelsius(70'000))}) {
    REQUIRE(s.add_event(e).ok());
  }
  REQUIRE(s.events().size() == 7);
  const auto marks = io::event_marks(s);
  REQUIRE(marks.size() == 6);
  CHECK(marks[0].time_s == 60.0);
  CHECK(marks[0].label == "ambient 40 °C");
  CHECK(marks[1].label == "+2 W on board");
  CHECK(marks[2].label == "tsadc0 fault (stuck)");
  CHECK(marks[3].time_s == 150.0);
  CHECK(marks[3].label == "tsadc0 restored, cpu-thermal off");
  CHECK(marks[4].label == "cpu-thermal on");
  CHECK(marks[5].label == "cpu-thermal trip 0 := 70 °C");
}
