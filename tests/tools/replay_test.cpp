// `thermo replay`: every governor vector and every IPA vector of soc-data.json (Linux 6.12.117,
// kernel-verified) replayed through a zone built from the test device trees (and from the
// presets where one exists), compared row by row with the output CSV; then the trace format,
// the load/freq columns, --tzp and the error paths.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "replay.hpp"
#include "system_source.hpp"
#include "thermo/io/json.hpp"
#include "zone_system.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

const io::json_value& soc_data() {
  static const io::json_value doc = [] {
    auto r = io::read_json_file(std::string(THERMO_SHARED_DIR) + "/data/soc-data.json");
    REQUIRE(r.has_value());
    return *r;
  }();
  return doc;
}

std::string dtb_path(const std::string& soc) {
  static const std::map<std::string, std::string> names{{"rk3399", "rk3399-rock960"},   {"hi3660", "hi3660-hikey960"},
                                                        {"mt8183", "mt8183-evb"},       {"mt8173", "mt8173-evb"},
                                                        {"exynos5422", "exynos5422-odroidxu4"}, {"rk3588", "rk3588-rock5b"},
                                                        {"g12b", "g12b-odroid-n2"}};
  return std::string(THERMO_DTB_DIR) + "/" + names.at(soc) + ".dtb";
}

system_source source(const std::string& soc, bool from_dtb) {
  auto s = from_dtb ? load_dtb(dtb_path(soc)) : load_preset(soc);
  INFO(s.message());
  REQUIRE(s.ok());
  return std::move(*s);
}

/// A parsed output CSV: header → column, rows of fields.
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] std::size_t col(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    INFO("column " << name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  }
  [[nodiscard]] const std::string& at(std::size_t row, const std::string& name) const { return rows[row][col(name)]; }
  [[nodiscard]] std::int64_t num(std::size_t row, const std::string& name) const { return std::stoll(at(row, name)); }
};

table parse_output(const std::string& csv) {
  table t;
  bool first = true;
  for (const std::string_view line : split_lines(csv)) {
    std::vector<std::string> fields;
    for (const std::string_view f : split_csv(line)) {
      fields.emplace_back(f);
    }
    if (first) {
      t.header = fields;
      first = false;
    } else {
      REQUIRE(fields.size() == t.header.size());
      t.rows.push_back(fields);
    }
  }
  return t;
}

std::string replay_text(const system_source& src, const std::string& zone, const std::string& governor, const std::string& trace_text,
                        const std::vector<tzp_write>& tzp = {}) {
  auto sys = zone_system::build(src.description(), src.dt(), zone, governor);
  INFO(sys.message());
  REQUIRE(sys.ok());
  REQUIRE(apply_tzp((*sys)->zone(), tzp).empty());
  auto tr = parse_trace(trace_text, "trace.csv", **sys);
  INFO(tr.message());
  REQUIRE(tr.ok());
  auto out = run_replay(**sys, *tr);
  REQUIRE(out.ok());
  return *out;
}

/// The CSV column of the cooling device on device-tree node `node`: its kernel name.
std::string column_of(const schema::soc_description& d, const std::string& node) {
  for (const auto& c : d.cooling_devices) {
    if (c.node == node) {
      return std::string(c.name);
    }
  }
  FAIL("no cooling device on " << node);
  return {};
}

std::string trace_of(const io::json_value& steps) {
  std::string s = "temperature\n";
  for (const io::json_value& st : steps.as_array()) {
    s += std::to_string(st.at("temperature_mC").as_int64()) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("Replay reproduces every governor vector from the device tree and from the preset", "[replay]") {
  std::size_t checked = 0;
  for (const io::json_value& v : soc_data().at("governor_vectors").as_array()) {
    const std::string soc = v.at("soc").as_string();
    for (const bool from_dtb : {true, false}) {
      if (!from_dtb && presets::find_soc(soc) == nullptr) {
        continue;  // g12b: device tree only
      }
      INFO(soc << " " << v.at("zone").as_string() << " " << v.at("governor").as_string() << (from_dtb ? " (dtb)" : " (preset)"));
      const system_source src = source(soc, from_dtb);
      const table out = parse_output(replay_text(src, v.at("zone").as_string(), v.at("governor").as_string(), trace_of(v.at("steps"))));
      const auto& steps = v.at("steps").as_array();
      REQUIRE(out.rows.size() == steps.size());
      for (std::size_t r = 0; r < steps.size(); ++r) {
        INFO("step " << r);
        const io::json_value& st = steps[r];
        std::string crossings;
        for (const io::json_value& e : st.at("events").as_array()) {
          const std::string kind = e.as_array()[0].as_string();
          if (kind == "UP" || kind == "DOWN") {
            crossings += crossings.empty() ? "" : ";";
            crossings += (kind == "UP" ? "up:" : "down:") + std::to_string(e.as_array()[1].as_int64());
          }
        }
        CHECK(out.num(r, "step") == static_cast<std::int64_t>(r));
        CHECK(out.num(r, "temperature") == st.at("temperature_mC").as_int64());
        CHECK(out.at(r, "crossings") == crossings);
        CHECK(out.num(r, "window_low") == st.at("window_low").as_int64());
        CHECK(out.num(r, "window_high") == st.at("window_high").as_int64());
        CHECK(out.num(r, "poll_ms") == st.at("next_poll_ms").as_int64());
        for (const auto& [node, state] : st.at("cdev_states").as_object()) {
          CHECK(out.num(r, "state:" + column_of(src.description(), node)) == state.as_int64());
        }
        ++checked;
      }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("Replay with power_allocator reproduces every IPA vector value for value", "[replay]") {
  std::size_t checked = 0;
  for (const io::json_value& v : soc_data().at("ipa_vectors").as_array()) {
    const std::string soc = v.at("soc").as_string();
    for (const bool from_dtb : {true, false}) {
      INFO(soc << (from_dtb ? " (dtb)" : " (preset)"));
      const system_source src = source(soc, from_dtb);
      const table out = parse_output(replay_text(src, v.at("zone").as_string(), "power_allocator", trace_of(v.at("steps"))));
      const auto& steps = v.at("steps").as_array();
      REQUIRE(out.rows.size() == steps.size());
      std::vector<std::string> actor_columns;
      for (const io::json_value& a : v.at("actors").as_array()) {
        actor_columns.push_back(column_of(src.description(), a.at("cdev").as_string()));
      }
      for (std::size_t r = 0; r < steps.size(); ++r) {
        INFO("step " << r);
        const io::json_value& st = steps[r];
        const auto& targets = st.at("targets").as_array();
        for (std::size_t a = 0; a < actor_columns.size(); ++a) {
          CHECK(out.num(r, "state:" + actor_columns[a]) == targets[a].as_int64());
        }
        if (st.contains("below_switch_on")) {
          CHECK(out.at(r, "err").empty());
          CHECK(out.at(r, "power_range").empty());
          CHECK(out.at(r, "granted:" + actor_columns[0]).empty());
          continue;
        }
        CHECK(out.num(r, "err") == st.at("err_frac").as_int64());
        CHECK(out.num(r, "p") == st.at("p_frac").as_int64());
        CHECK(out.num(r, "i") == st.at("i_frac").as_int64());
        CHECK(out.num(r, "d") == st.at("d_frac").as_int64());
        CHECK(out.num(r, "power_range") == st.at("power_range_mw").as_int64());
        for (const io::json_value& a : st.at("actors").as_array()) {
          const std::string c = column_of(src.description(), a.at("actor").as_string());
          CHECK(out.num(r, "requested:" + c) == a.at("req_power_mw").as_int64());
          CHECK(out.num(r, "max:" + c) == a.at("max_power_mw").as_int64());
          CHECK(out.num(r, "granted:" + c) == a.at("granted_power_mw").as_int64());
        }
        ++checked;
      }
    }
  }
  CHECK(checked > 50);
}

TEST_CASE("The output header lists bound devices and power-allocator actors in binding order", "[replay]") {
  const system_source src = source("rk3399", true);
  const std::string out = replay_text(src, "cpu-thermal", "power_allocator", "temperature\n50000\n");
  CHECK(out.substr(0, out.find('\n')) ==
        "step,temperature,crossings,window_low,window_high,poll_ms,state:cpufreq-cpu4,state:cpufreq-cpu0,err,p,i,d,power_range,"
        "requested:cpufreq-cpu4,max:cpufreq-cpu4,granted:cpufreq-cpu4,requested:cpufreq-cpu0,max:cpufreq-cpu0,granted:cpufreq-cpu0");
  const std::string sw = replay_text(source("exynos5422", true), "cpu0-thermal", "step_wise", "temperature\n50000\n");
  CHECK(sw.substr(0, sw.find('\n')) ==
        "step,temperature,crossings,window_low,window_high,poll_ms,state:pwm-fan,state:cpufreq-cpu0,state:cpufreq-cpu4");
  // a GPU devfreq actor: the kernel's name for it
  const std::string gpu = replay_text(src, "gpu-thermal", "power_allocator", "temperature\n80000\n");
  CHECK(gpu.find("requested:devfreq-ff9a0000.gpu,max:devfreq-ff9a0000.gpu,granted:devfreq-ff9a0000.gpu") !=
        std::string::npos);
}

TEST_CASE("Per-CPU load and frequency columns feed the cpufreq power model", "[replay]") {
  const system_source src = source("hi3660", true);
  // 76 °C, first round above control: little cluster at 1844 MHz (245 mW per CPU), big at its cap
  const table full = parse_output(replay_text(src, "cls0-thermal", "power_allocator", "temperature\n70000\n"));
  CHECK(full.num(0, "requested:cpufreq-cpu0") == 980);  // 245 mW x 400 %
  const table half = parse_output(replay_text(
      src, "cls0-thermal", "power_allocator", "temperature,load:cpu0,load:cpu1,load:cpu2,load:cpu3\n70000,50,50,50,50\n"));
  CHECK(half.num(0, "requested:cpufreq-cpu0") == 490);  // 245 x 200 / 100
  const table frac = parse_output(
      replay_text(src, "cls0-thermal", "power_allocator", "temperature,load:cpu0,load:cpu1\n70000,37.5,0\n"));
  CHECK(frac.num(0, "requested:cpufreq-cpu0") == 245 * 237 / 100);  // 37 (floor of 37.5) + 0 + 100 + 100
  // freq:cpu4 = 903 MHz: the big cluster's lowest OPP (243 mW per CPU)
  const table slow = parse_output(replay_text(src, "cls0-thermal", "power_allocator", "temperature,freq:cpu5\n70000,903000\n"));
  CHECK(slow.num(0, "requested:cpufreq-cpu4") == 243 * 4);
  // time_ms only sets the zone's clock
  const table timed = parse_output(replay_text(src, "cls0-thermal", "step_wise", "time_ms,temperature\n0,60000\n250,66000\n"));
  CHECK(timed.num(1, "poll_ms") == 100);
}

TEST_CASE("A devfreq actor takes load and frequency columns named after its kernel type", "[replay]") {
  const system_source src = source("rk3399", true);
  // gpu-thermal, trip 75 °C, IPA control temperature = the only passive trip; GPU EM top 2555 mW
  const table full = parse_output(replay_text(src, "gpu-thermal", "power_allocator", "temperature\n80000\n"));
  CHECK(full.num(0, "requested:devfreq-ff9a0000.gpu") == 2555);
  const table half = parse_output(replay_text(src, "gpu-thermal", "power_allocator",
                                              "temperature,load:devfreq-ff9a0000.gpu,freq:devfreq-ff9a0000.gpu\n80000,50,800000\n"));
  CHECK(half.num(0, "requested:devfreq-ff9a0000.gpu") == 2555 * 512 / 1024);
  auto sys = zone_system::build(src.description(), src.dt(), "gpu-thermal", "power_allocator");
  REQUIRE(sys.ok());
  CHECK(parse_trace("temperature,freq:devfreq-ff9a0000.gpu\n80000,700000\n", "t.csv", **sys).message() ==
        "t.csv:2: column 2 (freq:devfreq-ff9a0000.gpu): frequency 700000 kHz is not an OPP of devfreq-ff9a0000.gpu "
        "(200000, 297000, 400000, 500000, 600000, 800000 kHz)");
}

TEST_CASE("Zone parameters given with the tzp option are written after binding with the kernel sysfs rules", "[replay]") {
  const system_source src = source("hi3660", true);
  SECTION("parsing") {
    CHECK(parse_tzp("k_po=100")->value == 100);
    CHECK(parse_tzp("integral_cutoff=-5")->value == -5);
    CHECK(parse_tzp("sustainable_power=4294967295")->value == 4294967295LL);
    CHECK(parse_tzp("sustainable_power=-1").message() == "--tzp sustainable_power=-1: not an unsigned 32-bit integer");
    CHECK(parse_tzp("k_i=2147483648").message() == "--tzp k_i=2147483648: not a signed 32-bit integer");
    CHECK(parse_tzp("k_x=1").message() ==
          "--tzp k_x=1: unknown parameter (sustainable_power, k_po, k_pu, k_i, k_d, integral_cutoff)");
    CHECK(parse_tzp("k_po").message() == "--tzp k_po: expected NAME=VALUE");
    CHECK_FALSE(parse_tzp("k_po=1x").ok());
  }
  SECTION("a new sustainable power re-estimates the gains at the next round") {
    const std::string trace = "temperature\n70000\n76000\n";
    const table base = parse_output(replay_text(src, "cls0-thermal", "power_allocator", trace));
    const table sp = parse_output(replay_text(src, "cls0-thermal", "power_allocator", trace, {{"sustainable_power", 3000}}));
    // k_po = (3000 << 10) / 10000 = 307: p = 307 * (-1024000) >> 10
    CHECK(base.num(1, "p") == -460000);
    CHECK(sp.num(1, "p") == -307000);
    CHECK(sp.num(1, "power_range") < base.num(1, "power_range"));
  }
  SECTION("gains written with an unchanged sustainable power are used") {
    const table kpo = parse_output(
        replay_text(src, "cls0-thermal", "power_allocator", "temperature\n76000\n", {{"k_po", 1024}, {"k_i", 0}}));
    CHECK(kpo.num(0, "p") == -1024000);
    CHECK(kpo.num(0, "i") == 0);
  }
  SECTION("values thermo refuses are one-line errors") {
    auto sys = zone_system::build(src.description(), src.dt(), "cls0-thermal", "power_allocator");
    REQUIRE(sys.ok());
    CHECK(apply_tzp((*sys)->zone(), {{"k_po", -1}}) == "--tzp k_po=-1: k_po (negative)");
    CHECK(apply_tzp((*sys)->zone(), {{"sustainable_power", 1LL << 30}}).find("--tzp sustainable_power=1073741824:") == 0);
  }
}

TEST_CASE("Trace errors name the line and what is wrong", "[replay]") {
  const system_source src = source("rk3399", true);
  auto sys = zone_system::build(src.description(), src.dt(), "cpu-thermal", "step_wise");
  REQUIRE(sys.ok());
  const auto err = [&](const std::string& text) { return parse_trace(text, "t.csv", **sys).message(); };
  CHECK(err("") == "t.csv: empty trace (no header line)");
  CHECK(err("# only a comment\n") == "t.csv: empty trace (no header line)");
  CHECK(err("temperature\n") == "t.csv: no data rows after the header");
  CHECK(err("load:cpu0\n50\n") == "t.csv:1: the header needs a 'temperature' column");
  CHECK(err("temperature,temperature\n1,2\n") == "t.csv:1: column 'temperature' appears twice");
  CHECK(err("temperature,volts\n1,2\n") ==
        "t.csv:1: unknown column 'volts' (temperature, time_ms, load:cpuN, freq:cpuN, load:<devfreq device>, freq:<devfreq device>)");
  CHECK(err("temperature,load:cpu9\n1,2\n") == "t.csv:1: column 'load:cpu9': CPU 9 is in no cpufreq policy of this SoC");
  CHECK(err("temperature,load:gpu\n1,2\n") == "t.csv:1: column 'load:gpu': expected cpuN or a devfreq device bound to the zone");
  // a column per CPU of one policy: accepted while they agree (issue 17: older recordings)
  CHECK(parse_trace("temperature,freq:cpu4,freq:cpu5\n60000,1800000,1800000\n", "t.csv", **sys).ok());
  CHECK(err("temperature,freq:cpu4,load:cpu4,freq:cpu5\n60000,1800000,5,1800000\n60000,1800000,5,1416000\n") ==
        "t.csv:3: freq:cpu4 (1800000) and freq:cpu5 (1416000) differ but name one cpufreq policy (cpufreq-cpu4), which runs all "
        "its CPUs at one frequency: keep one freq column per policy");
  CHECK(err("temperature\n# c\n\n60000\nabc\n") == "t.csv:5: bad temperature 'abc' (an integer in m°C)");
  CHECK(err("temperature\n60.5\n") == "t.csv:2: bad temperature '60.5' (an integer in m°C)");
  CHECK(err("temperature,load:cpu0\n60000\n") == "t.csv:2: expected 2 fields, found 1");
  CHECK(err("temperature,load:cpu0\n60000,101\n") == "t.csv:2: bad load '101' (a percentage 0..100, at most 3 decimals)");
  CHECK(err("temperature,load:cpu0\n60000,-1\n") == "t.csv:2: bad load '-1' (a percentage 0..100, at most 3 decimals)");
  CHECK(err("temperature,load:cpu0\n60000,1.2345\n") == "t.csv:2: bad load '1.2345' (a percentage 0..100, at most 3 decimals)");
  CHECK(err("temperature,freq:cpu0\n60000,0\n") == "t.csv:2: bad frequency '0' (an integer in kHz, > 0)");
  CHECK(err("temperature,time_ms\n60000,10\n60000,5\n") == "t.csv:3: time_ms goes backwards (5 after 10)");
  // CRLF line ends and spaces are fine
  CHECK(parse_trace("temperature , load:cpu0\r\n 60000 , 50 \r\n", "t.csv", **sys).ok());
}

TEST_CASE("Building a zone reports unknown zones, unregistered zones and unknown governors", "[replay]") {
  const system_source src = source("rk3399", true);
  CHECK(zone_system::build(src.description(), src.dt(), "nope", "step_wise").message() ==
        "no thermal zone 'nope' (zones: cpu-thermal, gpu-thermal)");
  CHECK(zone_system::build(src.description(), src.dt(), "cpu-thermal", "ondemand").message() ==
        "unknown governor 'ondemand' (step_wise, bang_bang, fair_share, user_space, power_allocator)");
  auto edge = load_dtb(std::string(THERMO_DTB_DIR) + "/import-edge-cases.dtb");
  REQUIRE(edge.ok());
  CHECK(zone_system::build(edge->description(), edge->dt(), "badtype-thermal", "step_wise").message() ==
        "thermal zone 'badtype-thermal' was not registered: /thermal-zones/badtype-thermal/trips/warm: property 'type': "
        "unknown trip type (active, passive, hot or critical)");
}

TEST_CASE("A zone with a windowed fan, a devfreq device and a critical-action reboot replays", "[replay]") {
  auto edge = load_dtb(std::string(THERMO_DTB_DIR) + "/import-edge-cases.dtb");
  REQUIRE(edge.ok());
  auto sys = zone_system::build(edge->description(), edge->dt(), "ok-thermal", "step_wise");
  REQUIRE(sys.ok());
  CHECK((*sys)->zone().on_critical() == control::critical_action::reboot);
  CHECK((*sys)->zone().params().slope == 2);
  CHECK((*sys)->zone().params().offset == -500);
  const table out = parse_output(replay_text(*edge, "ok-thermal", "step_wise", "temperature\n60000\n71000\n72000\n73000\n101000\n"));
  // the pwm-fan (window <1 2>) and cpufreq-cpu2 (0..1) step up once per update while it rises
  CHECK(out.header[6] == "state:devfreq-1000.gpu");
  CHECK(out.at(1, "crossings") == "up:0");
  CHECK(out.at(4, "crossings") == "up:1");
  CHECK(out.num(0, "poll_ms") == 0);
  CHECK(out.num(2, "state:pwm-fan") == 2);
  CHECK(out.num(2, "state:cpufreq-cpu2") == 1);
  CHECK(out.num(4, "window_high") == 2147483647);
}

TEST_CASE("The replay command writes the whole file or nothing", "[replay][cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / "replay_cli_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string trace = (dir / "trace.csv").string();
  const std::string out = (dir / "out.csv").string();
  {
    std::ofstream f(trace);
    f << "temperature\n60000\n66000\n76000\n";
  }
  std::ostringstream err;
  const std::string dtb = dtb_path("rk3399");
  CHECK(dispatch("replay", {"--dtb", dtb, "--zone", "cpu-thermal", "--input", trace, "--output", out}, err) == exit_ok);
  CHECK(err.str().empty());
  REQUIRE(fs::exists(out));
  const auto text = read_input(out);
  REQUIRE(text.ok());
  CHECK(std::count(text->begin(), text->end(), '\n') == 4);

  // a bad row: a one-line error, the previous output untouched, no temporary left behind
  {
    std::ofstream f(trace);
    f << "temperature\n60000\nhot\n";
  }
  std::ostringstream err2;
  CHECK(dispatch("replay", {"--dtb", dtb, "--zone", "cpu-thermal", "--input", trace, "--output", out}, err2) == exit_failure);
  CHECK(err2.str() == "thermo replay: " + trace + ":3: bad temperature 'hot' (an integer in m°C)\n");
  CHECK(*read_input(out) == *text);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    static_cast<void>(e);
    ++files;
  }
  CHECK(files == 2);
  fs::remove_all(dir);
}

TEST_CASE("Bad command lines get one line naming the problem and a non-zero exit", "[replay][cli]") {
  const std::string dtb = dtb_path("rk3399");
  const auto run = [](std::vector<std::string_view> args, int want) {
    std::ostringstream err;
    CHECK(dispatch(args.front(), std::vector<std::string_view>(args.begin() + 1, args.end()), err) == want);
    const std::string s = err.str();
    CHECK(std::count(s.begin(), s.end(), '\n') == 1);
    return s;
  };
  CHECK(run({"replay", "--zone", "cpu-thermal", "--input", "x"}, exit_usage) ==
        "thermo replay: give exactly one of --dtb FILE and --soc PRESET (see thermo replay --help)\n");
  CHECK(run({"replay", "--dtb", dtb, "--soc", "rk3399", "--zone", "z", "--input", "x"}, exit_usage) ==
        "thermo replay: give exactly one of --dtb FILE and --soc PRESET (see thermo replay --help)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--input", "x"}, exit_usage) ==
        "thermo replay: --zone NAME is required (see thermo replay --help)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal"}, exit_usage) ==
        "thermo replay: --input FILE is required (see thermo replay --help)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone"}, exit_usage) == "thermo replay: --zone needs a value\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal", "--input", "x", "--frobnicate"}, exit_usage) ==
        "thermo replay: unknown option '--frobnicate' (see thermo replay --help)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal", "--input", "x", "stray"}, exit_usage) ==
        "thermo replay: unexpected argument 'stray' (see thermo replay --help)\n");
  CHECK(run({"replay", "--soc", "rk9999", "--zone", "cpu-thermal", "--input", "x"}, exit_usage) ==
        "thermo replay: unknown SoC preset 'rk9999' (rk3399, hi3660, mt8183, mt8173, exynos5422, rk3588)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal", "--input", "/nonexistent.csv"}, exit_failure) ==
        "thermo replay: cannot read '/nonexistent.csv': No such file or directory\n");
  CHECK(run({"replay", "--dtb", "/nonexistent.dtb", "--zone", "cpu-thermal", "--input", "x"}, exit_failure) ==
        "thermo replay: cannot read '/nonexistent.dtb': No such file or directory\n");
  // a directory where a file is expected: a message, not an uncaught ios_failure
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal", "--input", "/tmp"}, exit_failure) ==
        "thermo replay: cannot read '/tmp': Is a directory\n");
  CHECK(run({"info", "--dtb", "/tmp"}, exit_failure) == "thermo info: cannot read '/tmp': Is a directory\n");
  // a text file given as a blob
  const std::string trace = std::string(THERMO_BINARY_DIR) + "/not_a_blob.dtb";
  {
    std::ofstream f(trace);
    f << "this is not a device tree, it is long enough to hold a header\n";
  }
  CHECK(run({"replay", "--dtb", trace, "--zone", "cpu-thermal", "--input", "x"}, exit_failure) ==
        "thermo replay: " + trace + ": bad magic: not a flattened device tree at offset 0x0 (0x74686973)\n");
  CHECK(run({"replay", "--soc", "rk3399", "--zone", "cpu-thermal", "--input", "x", "--tzp", "k_po"}, exit_usage) ==
        "thermo replay: --tzp k_po: expected NAME=VALUE\n");
  CHECK(run({"frobnicate"}, exit_usage) == "thermo: unknown command 'frobnicate' (see thermo --help)\n");
  CHECK(run({"info"}, exit_usage) == "thermo info: give exactly one of --dtb FILE and --soc PRESET (see thermo info --help)\n");
}

TEST_CASE("thermo info lists policies, cooling devices, zones and what was not registered", "[replay][cli]") {
  auto edge = load_dtb(std::string(THERMO_DTB_DIR) + "/import-edge-cases.dtb");
  REQUIRE(edge.ok());
  const std::string s = info_text(*edge);
  CHECK(s.find("cpufreq policy policy0: cpus 0 1, 3 OPPs 600000..1500000 kHz, capacity 1024, EM 100000..500000 uW per CPU\n") !=
        std::string::npos);
  CHECK(s.find("cooling device devfreq-1000.gpu on /gpu@1000: max_state 1\n") != std::string::npos);
  CHECK(s.find("  map map0: trip 0, contribution 512\n    /cpus/cpu@1 <1 2> binds nothing\n") != std::string::npos);
  CHECK(s.find("not registered: /thermal-zones/nohyst-thermal/trips/t0: property 'hysteresis': trip without hysteresis\n") !=
        std::string::npos);
  const std::string p = info_text(*load_preset("rk3399"));
  CHECK(p.find("zone cpu-thermal: polling 1000 ms, passive 100 ms, sustainable-power 1550 mW, sensor /tsadc@ff260000 0\n") !=
        std::string::npos);
}

TEST_CASE("A CPU frequency that is not one of its policy's OPPs is refused, naming row, column and OPPs", "[replay]") {
  const system_source src = source("rk3399", true);
  auto sys = zone_system::build(src.description(), src.dt(), "cpu-thermal", "step_wise");
  REQUIRE(sys.ok());
  const auto err = [&](const std::string& text) { return parse_trace(text, "t.csv", **sys).message(); };
  CHECK(err("temperature,load:cpu0,freq:cpu0\n60000,50,1416000\n60000,50,1234567\n") ==
        "t.csv:3: column 3 (freq:cpu0): frequency 1234567 kHz is not an OPP of cpufreq policy0 "
        "(408000, 600000, 816000, 1008000, 1200000, 1416000 kHz)");
  const std::vector<std::uint32_t> many{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  CHECK(opp_list(many) == "1, 2, 3, 4, 5, 6, \xE2\x80\xA6, 9, 10, 11, 12, 13, 14 kHz");  // more than 12: cut in the middle
  CHECK(parse_trace("temperature,freq:cpu4\n60000,1800000\n", "t.csv", **sys).ok());
  CHECK(err("temperature,freq:cpu4\n60000,1800001\n").find("t.csv:2: column 2 (freq:cpu4): frequency 1800001 kHz is not an OPP of "
                                                            "cpufreq policy4 (408000, ") == 0);
}

TEST_CASE("Trace text: a BOM is skipped, CR-only line ends are lines, quoted input is escaped and cut", "[replay]") {
  const system_source src = source("rk3399", true);
  auto sys = zone_system::build(src.description(), src.dt(), "cpu-thermal", "step_wise");
  REQUIRE(sys.ok());
  const auto parse = [&](const std::string& text) { return parse_trace(text, "t.csv", **sys); };
  auto bom = parse("\xEF\xBB\xBFtemperature\n60000\n");
  REQUIRE(bom.ok());
  CHECK(bom->rows.size() == 1U);
  auto mac = parse("temperature\r60000\r61000\r");
  REQUIRE(mac.ok());
  CHECK(mac->rows.size() == 2U);
  CHECK(mac->lines == std::vector<std::size_t>{2, 3});
  CHECK(parse("temperature\r\r").message() == "t.csv: no data rows after the header");
  CHECK(parse("temperature\n\x1b[2J\x07\n").message() == "t.csv:2: bad temperature '\\x1b[2J\\x07' (an integer in m°C)");
  CHECK(parse("temperature,vol\x1bts\n1,2\n").message().rfind("t.csv:1: unknown column 'vol\\x1bts' (", 0) == 0);
  const std::string huge(20'000'000, 'x');
  const std::string m = parse("temperature\n" + huge + "\n").message();
  CHECK(m == "t.csv:2: bad temperature '" + std::string(60, 'x') + "\xE2\x80\xA6' (an integer in m°C)");
}

TEST_CASE("The replay input is bounded: an endless stream or a directory is a read error naming the reason", "[replay][limits]") {
  const auto zero = read_input("/dev/zero", io::max_csv_trace_bytes, "a CSV trace");
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.message() == "'/dev/zero' is larger than the 64 MiB limit of a CSV trace");
  const auto dir = read_input("/tmp", io::max_csv_trace_bytes, "a CSV trace");
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.message() == "cannot read '/tmp': Is a directory");
  const auto dtb_dir = load_dtb("/tmp");
  REQUIRE_FALSE(dtb_dir.ok());
  CHECK(dtb_dir.message() == "cannot read '/tmp': Is a directory");
  const auto dtb_zero = load_dtb("/dev/zero");
  REQUIRE_FALSE(dtb_zero.ok());
  CHECK(dtb_zero.message() == "'/dev/zero' is larger than the 16 MiB limit of a device-tree blob");
}
