// The exports of a run (issue 17): `thermo simulate --ftrace/--perfetto`, `thermo replay
// --export-ftrace/--perfetto` and `thermo sweep --export-point N`. The ftrace text reads back
// (io/ftrace.hpp) as exactly the events the exporter produced, its temperatures are the run's
// zone temperatures, the power allocator's events keep the kernel's invariants; the Perfetto
// JSON satisfies the trace-event format and its counters are the values of --trace; nothing is
// written when a run fails or when an output names an input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "commands.hpp"
#include "run_export_sim.hpp"
#include "simulate.hpp"
#include "support/trace_event_check.hpp"
#include "thermo/io/ftrace.hpp"
#include "thermo/io/json.hpp"

using namespace thermo;
using namespace thermo::cli;
namespace fs = std::filesystem;
namespace ft = thermo::io::ftrace;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// Example scenario `name`, shortened to `duration`, written into `dir`.
fs::path example(const fs::path& dir, const std::string& name, const std::string& duration) {
  const fs::path examples = fs::path(THERMO_TEST_DATA_DIR) / "../../examples/scenarios";
  std::string text = slurp(examples / (name + ".scn"));
  text = std::regex_replace(text, std::regex("\nduration = [^\n]*"), "\nduration = " + duration);
  const fs::path scn = dir / (name + ".scn");
  std::ofstream(scn) << text;
  return scn;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

struct csv_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

csv_table read_csv(const std::string& text) {
  csv_table t;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (t.header.empty()) {
      t.header = split(line, ',');
    } else if (!line.empty()) {
      t.rows.push_back(split(line, ','));
    }
  }
  return t;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/// The events an in-process run of `scn_path` produces, and the power allocators' parameters.
struct in_process_run {
  std::vector<ft::event> events;
  std::map<std::int32_t, control::thermal_zone_params> params;  // by zone id (power allocator zones)
  std::map<std::int32_t, std::uint32_t> sustainable;            // the power the PID used
};

in_process_run run_in_process(const fs::path& scn_path) {
  in_process_run out;
  auto scn = parse_scenario(slurp(scn_path), scn_path.string());
  REQUIRE(scn);
  auto src = load_preset(scn->preset);
  REQUIRE(src);
  ftrace_export fx([&](const ft::event& e) { out.events.push_back(e); });
  sim_exports bridge(&fx, nullptr, &*scn);
  auto b = build_simulation(*scn, *src, nullptr, [&](sim_bundle& nb) { bridge.attach(nb); });
  REQUIRE(b);
  (void)(*b)->sim.run_until(sim_time{scn->duration});
  bridge.finish();
  REQUIRE(bridge.ok());
  for (std::size_t z = 0; z < (*b)->sim.zone_count(); ++z) {
    if (const auto* ipa = (*b)->governors[z].get<cli_power_allocator>()) {
      out.params[(*b)->sim.zone(z).id()] = (*b)->sim.zone(z).params();
      out.sustainable[(*b)->sim.zone(z).id()] = ipa->pid().sustainable_power;
    }
  }
  return out;
}

/// The kernel's invariants of the power allocator's events: per round, the actors' grants and
/// requests add up to the totals, the pid output is the power range, and the pid terms follow
/// from the gains (p = k_po or k_pu × err, i = k_i × err_integral, both frac_to_int'd). Returns
/// the number of rounds checked.
std::size_t check_allocator(const std::vector<ft::event>& events, const in_process_run& run) {
  std::size_t rounds = 0;
  std::map<std::int32_t, ft::power_allocator_pid> pid;
  std::map<std::int32_t, std::pair<std::uint64_t, std::uint64_t>> sums;  // granted, requested
  for (const ft::event& e : events) {
    if (const auto* p = std::get_if<ft::power_allocator_pid>(&e.data)) {
      pid[p->tz_id] = *p;
      sums[p->tz_id] = {0, 0};
      const auto it = run.params.find(p->tz_id);
      REQUIRE(it != run.params.end());
      const control::thermal_zone_params& tzp = it->second;
      const std::int64_t k = p->err < 0 ? tzp.k_po : tzp.k_pu;
      CHECK(p->p == floor_div(k * p->err, 1024));
      CHECK(p->i == floor_div(static_cast<std::int64_t>(tzp.k_i) * p->err_integral, 1024));
    } else if (const auto* a = std::get_if<ft::power_actor>(&e.data)) {
      REQUIRE(pid.count(a->tz_id) == 1);
      sums[a->tz_id].first += a->granted_power;
      sums[a->tz_id].second += a->req_power;
    } else if (const auto* r = std::get_if<ft::power_allocator>(&e.data)) {
      REQUIRE(pid.count(r->tz_id) == 1);
      const ft::power_allocator_pid& round_pid = pid[r->tz_id];
      CHECK(sums[r->tz_id].first == r->total_granted_power);
      CHECK(sums[r->tz_id].second == r->total_req_power);
      CHECK(static_cast<std::uint32_t>(round_pid.output) == r->power_range);
      CHECK(r->total_granted_power <= std::max(r->power_range, r->total_req_power));
      // power_range = sustainable + frac_to_int(p + i + d), clamped to [0, max]: the printed
      // terms are floored one by one, so their sum may be up to 2 below
      const std::int64_t sum = static_cast<std::int64_t>(run.sustainable.at(r->tz_id)) + round_pid.p + round_pid.i + round_pid.d;
      const std::int64_t lo = std::clamp<std::int64_t>(sum, 0, r->max_allocatable_power);
      const std::int64_t hi = std::clamp<std::int64_t>(sum + 2, 0, r->max_allocatable_power);
      CHECK(static_cast<std::int64_t>(r->power_range) >= lo);
      CHECK(static_cast<std::int64_t>(r->power_range) <= hi);
      CHECK(r->delta_temperature == round_pid.err);
      pid.erase(r->tz_id);
      ++rounds;
    }
  }
  return rounds;
}

/// Perfetto counter series by track name: (ts in µs, value), in file order.
std::map<std::string, std::vector<std::pair<double, double>>> counters(const std::string& doc) {
  std::map<std::string, std::vector<std::pair<double, double>>> out;
  const auto parsed = io::parse_json(doc);
  REQUIRE(parsed);
  for (const io::json_value& e : parsed->at("traceEvents").as_array()) {
    if (e.at("ph").as_string() != "C") {
      continue;
    }
    for (const auto& [key, v] : e.at("args").as_object()) {
      const std::string name = key == "value" ? e.at("name").as_string() : e.at("name").as_string() + " " + key;
      out[name].emplace_back(e.at("ts").as_double(), v.as_double());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("simulate --ftrace and --perfetto export a power-allocator run as the kernel and Perfetto see it",
          "[cli][export]") {
  const fs::path dir = fresh_dir("run_export_simulate");
  // 7 minutes: cpu-thermal reaches its switch-on trip (65 °C) at 400 s
  const fs::path scn = example(dir, "rk3399-mobilenet-power_allocator", "7 min");
  std::ostringstream err;
  REQUIRE(dispatch("simulate", {scn.string(), "--ftrace", (dir / "run.txt").string(), "--perfetto",
                                (dir / "run.json").string(), "--trace", (dir / "run.csv").string()},
                   err) == exit_ok);
  INFO(err.str());

  // The ftrace text reads back as the very events the exporter produced.
  std::vector<ft::event> read;
  std::size_t skipped = 0;
  const std::string text = slurp(dir / "run.txt");
  REQUIRE(text.rfind("# tracer: nop\n", 0) == 0);
  const auto e = ft::read_all(text, "run.txt", read, &skipped);
  INFO(e.message);
  REQUIRE(e.ok());
  CHECK(skipped == 0);
  const in_process_run run = run_in_process(scn);
  REQUIRE(read.size() == run.events.size());
  CHECK(read == run.events);
  std::map<std::string, std::size_t> kinds;
  for (const ft::event& ev : read) {
    kinds[std::string(ft::event_name(ev.data))]++;
  }
  for (const char* k : {"thermal_temperature", "cdev_update", "thermal_power_allocator_pid", "thermal_power_actor",
                        "thermal_power_allocator", "cpu_frequency"}) {
    INFO(k);
    CHECK(kinds[k] > 0);
  }
  CHECK(kinds["thermal_zone_trip"] == 0);  // the power allocator traces no trip
  CHECK(std::is_sorted(read.begin(), read.end(), [](const ft::event& a, const ft::event& b) { return a.time_ns < b.time_ns; }));
  CHECK(check_allocator(read, run) > 50);

  // thermal_temperature: temp is the zone's temperature, temp_prev the one before.
  const csv_table csv = read_csv(slurp(dir / "run.csv"));
  for (const auto& [zone, id] : {std::pair{std::string("cpu-thermal"), 0}, std::pair{std::string("gpu-thermal"), 1}}) {
    INFO(zone);
    const auto col = static_cast<std::size_t>(std::find(csv.header.begin(), csv.header.end(), "zone_" + zone + "_C") - csv.header.begin());
    REQUIRE(col < csv.header.size());
    std::vector<std::pair<std::int64_t, std::int32_t>> temps;  // (time, temp)
    std::int32_t prev = INT32_MIN;
    for (const ft::event& ev : read) {
      if (const auto* t = std::get_if<ft::thermal_temperature>(&ev.data); t != nullptr && t->id == id) {
        CHECK(t->zone == zone);
        CHECK(t->temp_prev == prev);
        prev = t->temp;
        temps.emplace_back(ev.time_ns, t->temp);
      }
    }
    REQUIRE(temps.size() > 100);
    std::size_t checked = 0;
    for (const auto& row : csv.rows) {
      const auto t_ns = static_cast<std::int64_t>(std::llround(std::stod(row[0]) * 1e9));
      const double zone_c = std::stod(row[col]);
      // the last update at or before the row (a row at an update's instant may precede it)
      const auto after = std::upper_bound(temps.begin(), temps.end(), t_ns,
                                          [](std::int64_t t, const auto& x) { return t < x.first; });
      if (after == temps.begin()) {
        continue;
      }
      const double at = static_cast<double>(std::prev(after)->second) / 1000.0;
      const auto strictly = std::lower_bound(temps.begin(), temps.end(), t_ns,
                                             [](const auto& x, std::int64_t t) { return x.first < t; });
      const bool before_ok = strictly != temps.begin() &&
                             std::abs(static_cast<double>(std::prev(strictly)->second) / 1000.0 - zone_c) < 1e-6;
      CHECK((std::abs(at - zone_c) < 1e-6 || before_ok));
      ++checked;
    }
    CHECK(checked > 1000);
  }

  // Perfetto: the format, and every --trace column as a counter with the trace's values.
  const std::string doc = slurp(dir / "run.json");
  CHECK(test::trace_event_check(doc).empty());
  const auto series = counters(doc);
  for (std::size_t c = 3; c < csv.header.size(); ++c) {
    const std::string& h = csv.header[c];
    INFO(h);
    // CSV "T_big_C" is Perfetto's "T_big (C)"; a unitless channel keeps its name
    std::string name = h;
    for (const char* unit : {"_C", "_MHz", "_W"}) {
      if (h.ends_with(unit)) {
        name = h.substr(0, h.size() - std::string(unit).size()) + " (" + std::string(unit + 1) + ")";
      }
    }
    const auto it = series.find(name);
    REQUIRE(it != series.end());
    const auto& s = it->second;
    for (const auto& row : csv.rows) {
      const double ts = std::round(std::stod(row[0]) * 1e6 * 1000.0) / 1000.0;
      const auto after = std::upper_bound(s.begin(), s.end(), ts, [](double t, const auto& x) { return t < x.first; });
      REQUIRE(after != s.begin());
      const double v = std::prev(after)->second;
      const double want = std::stod(row[c]);
      CHECK(std::abs(v - want) <= 1e-9 * std::max(1.0, std::abs(want)));
    }
  }
  // the allocator's tracks and the trips, with the zone
  CHECK(series.count("power allocator budget power_range mW") == 1);
  CHECK(series.count("actor 0 cpufreq-cpu4 granted mW") == 1);
  CHECK(series.count("actor 0 devfreq-ff9a0000.gpu granted mW") == 1);
  CHECK(series.count("trip 1 passive temperature C") == 1);
  CHECK(doc.find("\"name\":\"trip 0 up\"") != std::string::npos);

  // The same bytes on a second run.
  REQUIRE(dispatch("simulate", {scn.string(), "--ftrace", (dir / "again.txt").string(), "--perfetto", (dir / "again.json").string()},
                   err) == exit_ok);
  CHECK(slurp(dir / "again.txt") == text);
  CHECK(slurp(dir / "again.json") == doc);
  fs::remove_all(dir);
}

TEST_CASE("simulate --ftrace traces step_wise's trip events and the trip temperatures follow the zone", "[cli][export]") {
  const fs::path dir = fresh_dir("run_export_step_wise");
  const fs::path scn = example(dir, "rk3399-mobilenet-step_wise", "7 min");  // cpu-thermal's trip 0 at 400 s
  std::ostringstream err;
  REQUIRE(dispatch("simulate", {scn.string(), "--ftrace", (dir / "run.txt").string()}, err) == exit_ok);
  std::vector<ft::event> read;
  REQUIRE(ft::read_all(slurp(dir / "run.txt"), "run.txt", read).ok());
  const in_process_run run = run_in_process(scn);
  CHECK(read == run.events);
  // step_wise (cpu-thermal, id 0; passive trips at 65 and 75 °C): at each update one event per
  // trip at or above its threshold — the trip temperature the first time, less the hysteresis
  // (a few °C) while reached — after the zone's temperature; never the critical trip; no
  // allocator events for it (the GPU zone runs the power allocator)
  std::int32_t temp = INT32_MIN;
  std::int64_t temp_at = -1;
  std::map<std::int32_t, bool> reached;
  std::size_t trips = 0;
  for (const ft::event& ev : read) {
    if (const auto* t = std::get_if<ft::thermal_temperature>(&ev.data); t != nullptr && t->id == 0) {
      temp = t->temp;
      temp_at = ev.time_ns;
    } else if (const auto* z = std::get_if<ft::thermal_zone_trip>(&ev.data)) {
      REQUIRE(z->id == 0);
      CHECK(z->zone == "cpu-thermal");
      CHECK(z->type == control::trip_type::passive);
      REQUIRE((z->trip == 0 || z->trip == 1));
      CHECK(ev.time_ns == temp_at);
      const std::int32_t trip_temp = z->trip == 0 ? 65000 : 75000;
      CHECK(temp >= (reached[z->trip] ? trip_temp - 5000 : trip_temp));
      reached[z->trip] = true;
      ++trips;
    }
    if (const auto* pa = std::get_if<ft::power_allocator>(&ev.data)) {
      CHECK(pa->tz_id == 1);
    }
  }
  CHECK(trips > 100);
  fs::remove_all(dir);
}

TEST_CASE("replay --export-ftrace and --perfetto export the replayed zone", "[cli][export]") {
  const fs::path dir = fresh_dir("run_export_replay");
  const std::string input = std::string(THERMO_TEST_DATA_DIR) + "/traces/hi3660-cls0-thermal.csv";
  std::ostringstream err;
  REQUIRE(dispatch("replay", {"--soc", "hi3660", "--zone", "cls0-thermal", "--governor", "power_allocator", "--input", input,
                              "--output", (dir / "out.csv").string(), "--export-ftrace", (dir / "run.txt").string(),
                              "--perfetto", (dir / "run.json").string()},
                   err) == exit_ok);
  INFO(err.str());
  std::vector<ft::event> read;
  REQUIRE(ft::read_all(slurp(dir / "run.txt"), "run.txt", read).ok());
  // one thermal_temperature per row, with the row's temperature
  const csv_table in = read_csv(slurp(input));
  const auto tcol = static_cast<std::size_t>(std::find(in.header.begin(), in.header.end(), "temperature") - in.header.begin());
  REQUIRE(tcol < in.header.size());
  std::vector<std::int32_t> temps;
  std::size_t rounds = 0;
  for (const ft::event& ev : read) {
    if (const auto* t = std::get_if<ft::thermal_temperature>(&ev.data)) {
      CHECK(t->zone == "cls0-thermal");
      temps.push_back(t->temp);
    }
    rounds += std::holds_alternative<ft::power_allocator>(ev.data) ? 1U : 0U;
  }
  REQUIRE(temps.size() == in.rows.size());
  for (std::size_t r = 0; r < temps.size(); ++r) {
    CHECK(temps[r] == std::stoi(in.rows[r][tcol]));
  }
  CHECK(rounds > 0);
  // the replay's own CSV (err, p, i, d) and the pid events agree: p is frac_to_int(p)
  const csv_table out = read_csv(slurp(dir / "out.csv"));
  const auto pcol = static_cast<std::size_t>(std::find(out.header.begin(), out.header.end(), "p") - out.header.begin());
  REQUIRE(pcol < out.header.size());
  std::vector<std::int64_t> csv_p;
  for (const auto& row : out.rows) {
    if (pcol < row.size() && !row[pcol].empty()) {
      csv_p.push_back(floor_div(std::stoll(row[pcol]), 1024));
    }
  }
  std::vector<std::int64_t> trace_p;
  for (const ft::event& ev : read) {
    if (const auto* p = std::get_if<ft::power_allocator_pid>(&ev.data)) {
      trace_p.push_back(p->p);
    }
  }
  CHECK(trace_p == csv_p);
  CHECK(test::trace_event_check(slurp(dir / "run.json")).empty());
  fs::remove_all(dir);
}

TEST_CASE("sweep --export-point N writes point N as simulate --set writes it", "[cli][export]") {
  const fs::path dir = fresh_dir("run_export_sweep");
  const fs::path scn = example(dir, "rk3399-mobilenet-step_wise", "1 min");
  std::ostringstream err;
  REQUIRE(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--jobs", "1", "--output", (dir / "r.csv").string(),
                             "--export-point", "1", "--ftrace", (dir / "p1.txt").string(), "--perfetto", (dir / "p1.json").string()},
                   err) == exit_ok);
  INFO(err.str());
  REQUIRE(dispatch("simulate", {scn.string(), "--set", "run.ambient=40", "--ftrace", (dir / "s.txt").string(), "--perfetto",
                                (dir / "s.json").string()},
                   err) == exit_ok);
  CHECK(slurp(dir / "p1.txt") == slurp(dir / "s.txt"));
  CHECK(slurp(dir / "p1.json") == slurp(dir / "s.json"));
  CHECK(test::trace_event_check(slurp(dir / "p1.json")).empty());
  fs::remove_all(dir);
}

TEST_CASE("the export options refuse bad uses and write nothing when a run fails", "[cli][export]") {
  const fs::path dir = fresh_dir("run_export_refusals");
  const fs::path scn = example(dir, "rk3399-mobilenet-step_wise", "1 min");
  const std::string before = slurp(scn);
  const std::string input = std::string(THERMO_TEST_DATA_DIR) + "/traces/rk3399-cpu-thermal.csv";
  const std::string input_text = slurp(input);
  const fs::path f = dir / "out.txt";
  const fs::path j = dir / "out.json";
  SECTION("an output over the input") {
    std::ostringstream err;
    CHECK(dispatch("simulate", {scn.string(), "--ftrace", scn.string()}, err) == exit_failure);
    CHECK(err.str().find("is also an input") != std::string::npos);
    CHECK(dispatch("simulate", {scn.string(), "--perfetto", scn.string()}, err) == exit_failure);
    CHECK(slurp(scn) == before);
    std::ostringstream err2;
    CHECK(dispatch("replay", {"--soc", "rk3399", "--zone", "cpu-thermal", "--input", input, "--output", (dir / "o.csv").string(),
                              "--export-ftrace", input},
                   err2) == exit_failure);
    CHECK(err2.str().find("is also an input") != std::string::npos);
    CHECK(slurp(input) == input_text);
    std::ostringstream err3;
    CHECK(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--output", (dir / "r.csv").string(), "--export-point",
                             "0", "--perfetto", scn.string()},
                   err3) == exit_failure);
    CHECK(err3.str().find("is also an input") != std::string::npos);
    CHECK(slurp(scn) == before);
    CHECK_FALSE(fs::exists(dir / "r.csv"));  // refused before any point ran
  }
  SECTION("a special file") {
    std::ostringstream err;
    CHECK(dispatch("simulate", {scn.string(), "--ftrace", "/dev/null"}, err) == exit_failure);
    CHECK(err.str().find("not a regular file") != std::string::npos);
  }
  SECTION("a run that fails") {
    // a scenario whose build fails (an event naming no zone): neither export is written
    std::ofstream(scn, std::ios::app) << "\n[events]\n1 s = zone-disable nowhere\n";
    std::ostringstream err;
    CHECK(dispatch("simulate", {scn.string(), "--ftrace", f.string(), "--perfetto", j.string()}, err) == exit_failure);
    CHECK(err.str().find("names no simulated zone") != std::string::npos);
    CHECK_FALSE(fs::exists(f));
    CHECK_FALSE(fs::exists(j));
    std::ostringstream err2;
    CHECK(dispatch("replay", {"--soc", "rk3399", "--zone", "cpu-thermal", "--input", (dir / "missing.csv").string(),
                              "--export-ftrace", f.string()},
                   err2) == exit_failure);
    CHECK_FALSE(fs::exists(f));
  }
  SECTION("sweep options that do not go together") {
    std::ostringstream err;
    CHECK(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--output", (dir / "r.csv").string(), "--ftrace",
                             f.string()},
                   err) == exit_usage);
    CHECK(err.str().find("--export-point") != std::string::npos);
    CHECK(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--output", (dir / "r.csv").string(), "--export-point",
                             "1"},
                   err) == exit_usage);
    CHECK(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--output", (dir / "r.csv").string(), "--export-point",
                             "x", "--ftrace", f.string()},
                   err) == exit_usage);
    std::ostringstream err2;
    CHECK(dispatch("sweep", {scn.string(), "--axis", "run.ambient=25,40", "--output", (dir / "r.csv").string(), "--export-point",
                             "2", "--ftrace", f.string()},
                   err2) == exit_usage);
    CHECK(err2.str().find("has 2 points") != std::string::npos);
    CHECK_FALSE(fs::exists(f));
    CHECK_FALSE(fs::exists(dir / "r.csv"));
  }
  fs::remove_all(dir);
}
