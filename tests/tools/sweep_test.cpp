// `thermo sweep`: axes and their values, the points they form, the scenario-text override, the
// results table (CSV/JSONL round trips, column order), and the command: byte-identical results
// whatever --jobs and --shard, --merge, resume, a failing point, --top, --plot, and every kind
// of bad input.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "sweep.hpp"

using namespace thermo;
using namespace thermo::cli;
namespace fs = std::filesystem;

namespace {

sweep::axis axis_of(std::string_view spec) {
  auto a = sweep::parse_axis(spec);
  INFO(a.message());
  REQUIRE(a.ok());
  return *a;
}

std::string axis_error(std::string_view spec) {
  auto a = sweep::parse_axis(spec);
  REQUIRE_FALSE(a.ok());
  return a.message();
}

std::vector<std::string> grid(const sweep::axis& a) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < a.size(); ++i) {
    v.push_back(a.value(i));
  }
  return v;
}

// A short run without periodic rows: 20 simulated seconds of the RK3399, both zones.
const std::string base_scenario =
    "# sweep test\n[run]\nduration = 20 s\nrecord_interval = 0\nambient = 35\n\n[soc]\npreset = rk3399\n\n"
    "[plant]\nreference = rk3399_board\n\n[cluster big]\nnodes = big\n\n[heat gpu]\nnodes = gpu\n\n"
    "[sensor tsadc0]\nnode = big\n\n[sensor tsadc1]\nnode = gpu\n\n"
    "[zone cpu-thermal]\nsensor = tsadc0   # the big cores\ngovernor = power_allocator\n\n"
    "[zone gpu-thermal]\nsensor = tsadc1\n\n"
    "[workload compute]\ntype = constant\ncluster = big\nutilization = 1.0\n";

struct folder {
  fs::path dir;
  explicit folder(const std::string& name) : dir(fs::path(THERMO_BINARY_DIR) / name) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "s.scn") << base_scenario;
  }
  [[nodiscard]] std::string operator/(const std::string& f) const { return (dir / f).string(); }
};

struct run_result {
  int code;
  std::string err;
};

run_result thermo_sweep(std::vector<std::string> args) {
  std::vector<std::string_view> v(args.begin(), args.end());
  std::ostringstream err;
  const int code = dispatch("sweep", v, err);
  return {code, err.str()};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("sweep axis values: lists, linear and log ranges, units") {
  CHECK(grid(axis_of("zone.cpu-thermal.governor=step_wise, power_allocator")) ==
        std::vector<std::string>{"step_wise", "power_allocator"});
  CHECK(grid(axis_of("run.ambient=25:45:5")) == std::vector<std::string>{"25", "30", "35", "40", "45"});
  CHECK(grid(axis_of("run.ambient=0.1:0.3:3")) == std::vector<std::string>{"0.1", "0.2", "0.3"});
  CHECK(grid(axis_of("zone.cpu-thermal.sustainable_power=1:1000:4:log")) == std::vector<std::string>{"1", "10", "100", "1000"});
  CHECK(grid(axis_of("run.ambient=30:40:1")) == std::vector<std::string>{"30"});
  // a unit after a range or a list of numbers goes to every value; other items stay as written
  CHECK(grid(axis_of("run.duration=1:10:5 min")) == std::vector<std::string>{"1 min", "3.25 min", "5.5 min", "7.75 min", "10 min"});
  CHECK(grid(axis_of("run.record_interval=0.5,1 s")) == std::vector<std::string>{"0.5 s", "1 s"});
  CHECK(grid(axis_of("run.record_interval=100ms,1 s")) == std::vector<std::string>{"100ms", "1 s"});
  const sweep::axis a = axis_of("cluster.big.nodes=big");
  CHECK(a.section == "heat");
  CHECK(a.name == "big");
  CHECK(a.field == "nodes");
  const sweep::axis dotted = axis_of("zone.a.b.governor=step_wise");  // a name may hold dots: the key is after the last
  CHECK(dotted.name == "a.b");
  CHECK(dotted.field == "governor");
}

TEST_CASE("sweep axis errors name the axis and what is wrong") {
  CHECK_THAT(axis_error("run.ambient"), Catch::Contains("--axis 'run.ambient'") && Catch::Contains("expected KEY=VALUES"));
  CHECK_THAT(axis_error("ambient=1,2"), Catch::Contains("needs SECTION.KEY"));
  CHECK_THAT(axis_error("bogus.x=1"), Catch::Contains("unknown section 'bogus'"));
  CHECK_THAT(axis_error("zone.governor=step_wise"), Catch::Contains("zone.NAME.KEY"));
  CHECK_THAT(axis_error("run.ambient="), Catch::Contains("empty list of values"));
  CHECK_THAT(axis_error("run.ambient=1,,2"), Catch::Contains("an empty value"));
  CHECK_THAT(axis_error("run.ambient=1:2:0"), Catch::Contains("n must be at least 1"));
  CHECK_THAT(axis_error("run.ambient=1:2:-3"), Catch::Contains("n must be at least 1"));
  CHECK_THAT(axis_error("run.ambient=1:2:x"), Catch::Contains("n must be an integer"));
  CHECK_THAT(axis_error("run.ambient=a:2:3"), Catch::Contains("lo and hi must be numbers"));
  CHECK_THAT(axis_error("run.ambient=5:2:3"), Catch::Contains("lo must be below hi"));
  CHECK_THAT(axis_error("run.ambient=5:2:1"), Catch::Contains("lo must be below hi"));
  CHECK_THAT(axis_error("run.ambient=0:10:3:log"), Catch::Contains("a log range needs lo > 0"));
  CHECK_THAT(axis_error("run.ambient=-1:10:3:log"), Catch::Contains("a log range needs lo > 0"));
  CHECK_THAT(axis_error("run.ambient=1:10:3:lin"), Catch::Contains("can only be 'log'"));
  CHECK_THAT(axis_error("run.ambient=1:2"), Catch::Contains("lo:hi:n"));
  CHECK_THAT(axis_error("run.ambient=-1e308:1e308:3"), Catch::Contains("not a finite number"));
  CHECK_THAT(axis_error("run.title=a #b"), Catch::Contains("'#'"));
}

TEST_CASE("sweep points: cross product (first axis slowest), zip, Latin hypercube") {
  const std::vector<sweep::axis> axes{axis_of("run.ambient=1,2"), axis_of("zone.z.governor=a,b,c")};
  auto cross = sweep::make_points(axes, sweep::design::cross);
  REQUIRE(cross.ok());
  CHECK(*cross == std::vector<sweep::point>{{"1", "a"}, {"1", "b"}, {"1", "c"}, {"2", "a"}, {"2", "b"}, {"2", "c"}});
  CHECK_THAT(sweep::make_points(axes, sweep::design::zip).message(), Catch::Contains("--zip needs axes of equal lengths"));
  auto zip = sweep::make_points({axis_of("run.ambient=1,2"), axis_of("zone.z.governor=a,b")}, sweep::design::zip);
  REQUIRE(zip.ok());
  CHECK(*zip == std::vector<sweep::point>{{"1", "a"}, {"2", "b"}});

  const std::vector<sweep::axis> lhs_axes{axis_of("run.ambient=10:20:2"), axis_of("zone.z.governor=a,b")};
  auto l1 = sweep::make_points(lhs_axes, sweep::design::latin_hypercube, 10, 7);
  auto l2 = sweep::make_points(lhs_axes, sweep::design::latin_hypercube, 10, 7);
  auto l3 = sweep::make_points(lhs_axes, sweep::design::latin_hypercube, 10, 8);
  REQUIRE(l1.ok());
  CHECK(*l1 == *l2);  // seeded: the same points every time
  CHECK(*l1 != *l3);
  std::vector<int> strata(10, 0);
  std::map<std::string, int> categories;
  for (const auto& p : *l1) {
    const double v = std::stod(p[0]);
    REQUIRE(v >= 10.0);
    REQUIRE(v <= 20.0);
    ++strata[static_cast<std::size_t>(std::min(9.0, v - 10.0))];
    ++categories[p[1]];
  }
  CHECK(strata == std::vector<int>(10, 1));  // one sample per stratum of the range
  CHECK(categories == std::map<std::string, int>{{"a", 5}, {"b", 5}});  // lists: stratified index
  CHECK_FALSE(sweep::make_points(lhs_axes, sweep::design::latin_hypercube, 0, 1).ok());
  CHECK_FALSE(sweep::make_points({}, sweep::design::cross).ok());
  CHECK_THAT(sweep::make_points({axis_of("run.a=1:2:1000000"), axis_of("run.b=1:2:1000000")}, sweep::design::cross).message(),
             Catch::Contains("more than"));
}

TEST_CASE("sweep scenario override: replaces the key's line or adds it to its section") {
  const std::vector<sweep::axis> axes{axis_of("run.ambient=40"), axis_of("heat.big.node=little"),
                                      axis_of("zone.gpu-thermal.governor=step_wise"), axis_of("zone.cpu-thermal.sensor=tsadc0")};
  auto t = sweep::scenario_template::make(base_scenario, axes);
  REQUIRE(t.ok());
  const std::string s = t->apply({"40", "little", "step_wise", "tsadc0"});
  CHECK_THAT(s, Catch::Contains("ambient = 40\n") && !Catch::Contains("ambient = 35"));
  CHECK_THAT(s, Catch::Contains("[cluster big]\nnode = little\n"));  // alias section and alias key: the line is replaced
  CHECK_THAT(s, Catch::Contains("[zone gpu-thermal]\nsensor = tsadc1\ngovernor = step_wise\n"));  // added
  CHECK_THAT(s, Catch::Contains("[zone cpu-thermal]\nsensor = tsadc0\n"));  // the comment went with the old value
  auto parsed = parse_scenario(s, "x.scn");
  INFO(parsed.message());
  REQUIRE(parsed.ok());
  CHECK(parsed->ambient == 40.0);

  CHECK_THAT(sweep::scenario_template::make(base_scenario, {axis_of("zone.nope.governor=a")}).message(),
             Catch::Contains("--axis zone.nope.governor: the scenario has no [zone nope] section"));
  CHECK_THAT(sweep::scenario_template::make(base_scenario, {axis_of("fan.f.off=1")}).message(), Catch::Contains("no [fan f] section"));
  CHECK_THAT(sweep::scenario_template::make(base_scenario, {axis_of("run.ambient=1"), axis_of("run.ambient=2")}).message(),
             Catch::Contains("given twice"));
  CHECK_THAT(sweep::scenario_template::make(base_scenario, {axis_of("heat.big.nodes=1"), axis_of("cluster.big.node=2")}).message(),
             Catch::Contains("given twice"));
}

TEST_CASE("sweep results: CSV and JSONL read back to the same bytes, metric columns in point order") {
  sweep::result_table t;
  t.axes = {"run.ambient", "zone.z.governor"};
  t.rows.push_back({0, {"25", "step_wise"}, "x.scn:3: bad \"thing\", really", {}, ""});
  t.rows.push_back({1, {"30", "a,b"}, "ok", {{"peak_c", "41.5"}, {"energy_j", "12"}}, "00000000000000ff"});
  t.rows.push_back({2, {"35", "c"}, "ok", {{"peak_c", "nan"}, {"work_ratio", "0.5"}, {"energy_j", "1e+21"}}, "0123456789abcdef"});
  CHECK(sweep::metric_columns(t) == std::vector<std::string>{"peak_c", "energy_j", "work_ratio"});
  const std::string csv = sweep::to_csv(t);
  CHECK(csv ==
        "point,run.ambient,zone.z.governor,status,peak_c,energy_j,work_ratio,trace_hash\n"
        "0,25,step_wise,\"x.scn:3: bad \"\"thing\"\", really\",,,,\n"
        "1,30,\"a,b\",ok,41.5,12,,00000000000000ff\n"
        "2,35,c,ok,nan,1e+21,0.5,0123456789abcdef\n");
  auto back = sweep::read_results(csv, "r.csv");
  INFO(back.message());
  REQUIRE(back.ok());
  CHECK(sweep::to_csv(*back) == csv);
  const std::string jsonl = sweep::to_jsonl(t);
  CHECK_THAT(jsonl, Catch::Contains("\"peak_c\": null, \"energy_j\": 1e+21, \"work_ratio\": 0.5"));
  auto back2 = sweep::read_results(jsonl, "r.jsonl");
  INFO(back2.message());
  REQUIRE(back2.ok());
  CHECK(sweep::to_jsonl(*back2) == jsonl);
  CHECK(sweep::to_csv(*back2) == csv);  // the formats carry the same table

  CHECK_THAT(sweep::read_results("a,b\n", "r.csv").message(), Catch::Contains("r.csv:1: not a sweep results file"));
  CHECK_THAT(sweep::read_results("point,status,trace_hash\n0,ok\n", "r.csv").message(), Catch::Contains("r.csv:2: expected 3 fields"));
  CHECK_THAT(sweep::read_results("point,status,trace_hash\nx,ok,\n", "r.csv").message(), Catch::Contains("bad point 'x'"));
  CHECK_THAT(sweep::read_results("{\"a\": 1}\n", "r.jsonl").message(), Catch::Contains("r.jsonl:1: not a sweep results file"));
  CHECK_THAT(sweep::read_results("point,status,m,trace_hash\n0,ok,abc,\n", "r.csv").message(), Catch::Contains("metric 'm': 'abc' is not a number"));
  CHECK_THAT(sweep::read_results("point,status,trace_hash\n0,ok,xyz\n", "r.csv").message(), Catch::Contains("bad trace_hash 'xyz'"));
  CHECK_THAT(sweep::read_results("point,a,a,status,trace_hash\n", "r.csv").message(), Catch::Contains("column 'a' appears twice"));
  CHECK_THAT(sweep::read_results("{\"point\": 0, \"status\": \"ok\", \"m\": \"1\", \"trace_hash\": \"\"}\n", "r.jsonl").message(),
             Catch::Contains("metric 'm' is not a number"));
  CHECK_THAT(sweep::read_results("{\"point\": 0, \"status\": \"a\\nb\", \"trace_hash\": \"\"}\n", "r.jsonl").message(),
             Catch::Contains("not a sweep results file"));
  CHECK_THAT(sweep::read_results("{\"point\": 0, \"status\": \"ok\", \"trace_hash\": \"\"\n", "r.jsonl").message(),
             Catch::Contains("not a sweep results file"));
}

TEST_CASE("sweep --top ranks by a metric, smallest or largest first, and the Pareto front") {
  sweep::result_table t;
  t.axes = {"run.ambient"};
  t.rows.push_back({0, {"1"}, "ok", {{"peak_c", "50"}, {"work_ratio", "0.9"}, {"energy_j", "10"}}, "a"});
  t.rows.push_back({1, {"2"}, "ok", {{"peak_c", "40"}, {"work_ratio", "0.7"}, {"energy_j", "10"}}, "b"});
  t.rows.push_back({2, {"3"}, "failed", {}, ""});
  t.rows.push_back({3, {"4"}, "ok", {{"peak_c", "55"}, {"work_ratio", "0.8"}, {"energy_j", "12"}}, "c"});  // beaten by point 0
  const auto lo = sweep::top_rows(t, "peak_c", 2, false);
  REQUIRE(lo.size() == 2);
  CHECK(lo[0]->point == 1);
  CHECK(lo[1]->point == 0);
  const auto hi = sweep::top_rows(t, "peak_c", 5, true);
  REQUIRE(hi.size() == 3);  // the failed point has no metric
  CHECK(hi[0]->point == 3);
  CHECK_THAT(sweep::top_table(t, lo, "peak_c"), Catch::StartsWith("rank  point  run.ambient  peak_c\n1     1      2            40\n"));
  CHECK(sweep::pareto_front(t, {{"peak_c", false}, {"work_ratio", true}, {"energy_j", false}}) ==
        std::vector<bool>{true, true, false, false});
}

TEST_CASE("sweep plot: the time above the hottest trip reached, not the switch-on trip every point is above") {
  sweep::result_table t;
  t.axes = {"zone.z.k_pu"};
  const std::string a0 = "zone.z.trip0.time_above_s";
  const std::string a1 = "zone.z.trip1.time_above_s";
  const std::string a2 = "zone.z.trip2.time_above_s";
  t.rows.push_back({0, {"1"}, "ok", {{"zone.z.peak_c", "76"}, {a0, "800"}, {a1, "9.5"}, {a2, "0"}, {"energy_j", "10"}}, "a"});
  t.rows.push_back({1, {"2"}, "ok", {{"zone.z.peak_c", "74"}, {a0, "800"}, {a1, "0"}, {a2, "0"}, {"energy_j", "11"}}, "b"});
  const std::vector<std::string> cols{"zone.z.peak_c", a0, a1, a2, "energy_j"};
  CHECK(sweep::key_metrics(cols, &t) == std::vector<std::string>{"zone.z.peak_c", a1, "energy_j"});
  CHECK(sweep::key_metrics(cols) == std::vector<std::string>{"zone.z.peak_c", a0, "energy_j"});  // without the data: the first
  t.rows[0].metrics[2].second = "0";  // no point above trip 1 any more
  CHECK(sweep::key_metrics(cols, &t) == std::vector<std::string>{"zone.z.peak_c", a0, "energy_j"});
}

TEST_CASE("sweep --pareto: the front's points, with their parameters and objectives") {
  sweep::result_table t;
  t.axes = {"zone.z.k_pu"};
  // point 2 is beaten by point 0 on every objective; point 1 trades a lower peak for less work
  t.rows.push_back({0, {"250"}, "ok", {{"zone.z.peak_c", "75"}, {"domain.big.work_ratio", "0.95"}, {"energy_j", "10"}}, "a"});
  t.rows.push_back({1, {"500"}, "ok", {{"zone.z.peak_c", "74"}, {"domain.big.work_ratio", "0.90"}, {"energy_j", "10"}}, "b"});
  t.rows.push_back({2, {"1000"}, "ok", {{"zone.z.peak_c", "76"}, {"domain.big.work_ratio", "0.90"}, {"energy_j", "11"}}, "c"});
  CHECK(sweep::pareto_objectives(t) ==
        std::vector<std::pair<std::string, bool>>{{"zone.z.peak_c", false}, {"domain.big.work_ratio", true}, {"energy_j", false}});
  CHECK(sweep::pareto_table(t) ==
        "point  zone.z.k_pu  zone.z.peak_c (min)  domain.big.work_ratio (max)  energy_j (min)\n"
        "0      250          75                   0.95                         10\n"
        "1      500          74                   0.90                         10\n");
  sweep::result_table none;
  none.axes = {"a"};
  none.rows.push_back({0, {"1"}, "ok", {{"energy_j", "1"}}, "d"});
  CHECK(sweep::pareto_table(none).empty());  // no peak, no work: nothing to trade
}

TEST_CASE("sweep runs: the same bytes whatever --jobs, and shards merged give the whole run") {
  const folder d("sweep_test_jobs");
  const std::vector<std::string> study{d / "s.scn", "--axis", "run.ambient=25,45", "--axis", "zone.cpu-thermal.sustainable_power=1000:3000:3"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> v = study;
    v.insert(v.end(), extra.begin(), extra.end());
    return v;
  };
  const auto r1 = thermo_sweep(with({"--jobs", "1", "--output", d / "j1.csv"}));
  INFO(r1.err);
  REQUIRE(r1.code == exit_ok);
  REQUIRE(thermo_sweep(with({"--jobs", "3", "--output", d / "j3.csv"})).code == exit_ok);
  const std::string whole = slurp(d / "j1.csv");
  CHECK(whole == slurp(d / "j3.csv"));
  CHECK_THAT(whole, Catch::StartsWith("point,run.ambient,zone.cpu-thermal.sustainable_power,status,"));
  CHECK_THAT(whole, Catch::Contains("\n0,25,1000,ok,") && Catch::Contains("\n5,45,3000,ok,"));
  CHECK(std::count(whole.begin(), whole.end(), '\n') == 7);

  // shards: points with number % N == I; JSON lines and CSV merge alike
  REQUIRE(thermo_sweep(with({"--jobs", "2", "--shard", "0/3", "--output", d / "s0.csv"})).code == exit_ok);
  REQUIRE(thermo_sweep(with({"--shard", "1/3", "--output", d / "s1.jsonl"})).code == exit_ok);
  REQUIRE(thermo_sweep(with({"--shard", "2/3", "--output", d / "s2.csv"})).code == exit_ok);
  CHECK_THAT(slurp(d / "s0.csv"), Catch::Contains("\n0,25,1000,ok") && Catch::Contains("\n3,45,1000,ok"));
  const auto m = thermo_sweep({"--merge", d / "s2.csv", d / "s0.csv", d / "s1.jsonl", "--output", d / "merged.csv"});
  INFO(m.err);
  REQUIRE(m.code == exit_ok);
  CHECK(slurp(d / "merged.csv") == whole);
  REQUIRE(thermo_sweep({"--merge", d / "s0.csv", d / "s1.jsonl", d / "s2.csv", "--output", d / "merged.jsonl"}).code == exit_ok);
  REQUIRE(thermo_sweep(with({"--output", d / "whole.jsonl"})).code == exit_ok);
  CHECK(slurp(d / "merged.jsonl") == slurp(d / "whole.jsonl"));

  // resume: a results file cut short is completed, to the same bytes
  const std::string cut = whole.substr(0, whole.find("\n3,") + 1);
  std::ofstream(d / "resume.csv") << cut;
  REQUIRE(thermo_sweep(with({"--output", d / "resume.csv"})).code == exit_ok);
  CHECK(slurp(d / "resume.csv") == whole);
  // a resumed point is not run again: a row whose values were edited stays as it is
  const std::string marker = cut.substr(0, cut.rfind(',')) + ",feedfeedfeedfeed\n";
  std::ofstream(d / "resume2.csv") << marker;
  REQUIRE(thermo_sweep(with({"--output", d / "resume2.csv"})).code == exit_ok);
  CHECK_THAT(slurp(d / "resume2.csv"), Catch::Contains(",feedfeedfeedfeed\n"));
}

TEST_CASE("sweep: a failing point records its error and the others run") {
  const folder d("sweep_test_failing");
  // a fixed step above the plant's stability limit fails when the point is built, not parsed
  const auto r = thermo_sweep({d / "s.scn", "--axis", "run.mode=fixed_step", "--axis", "run.step=10 ms,100 s", "--output", d / "r.csv"});
  INFO(r.err);
  REQUIRE(r.code == exit_ok);
  CHECK_THAT(r.err, Catch::Contains("1 of 2 points failed"));
  const std::string csv = slurp(d / "r.csv");
  CHECK_THAT(csv, Catch::Contains("\n0,fixed_step,10 ms,ok,"));
  CHECK_THAT(csv, Catch::Contains("\n1,fixed_step,100 s,") && Catch::Contains("above the stability limit"));
  CHECK_THAT(csv, Catch::EndsWith(",\n"));  // a failed point has no trace hash
}

TEST_CASE("sweep --top and --plot") {
  const folder d("sweep_test_top");
  const auto r = thermo_sweep({d / "s.scn", "--axis", "run.ambient=25:45:3", "--axis", "zone.cpu-thermal.governor=step_wise,power_allocator",
                               "--output", d / "r.csv", "--plot", d / "r.svg", "--top", "2", "--by", "-energy_j"});
  INFO(r.err);
  REQUIRE(r.code == exit_ok);
  const std::string svg = slurp(d / "r.svg");
  CHECK_THAT(svg, Catch::StartsWith("<svg") && Catch::EndsWith("</svg>\n"));
  CHECK_THAT(svg, Catch::Contains("Pareto front") && Catch::Contains("run.ambient") && Catch::Contains("(°C)"));
  CHECK(svg.size() < 200'000);
  const auto bad = thermo_sweep({d / "s.scn", "--axis", "run.ambient=25,30", "--output", d / "r2.csv", "--top", "2", "--by", "nope"});
  CHECK(bad.code == exit_failure);
  CHECK_THAT(bad.err, Catch::Contains("--by nope: no point has this metric (metrics: "));
}

TEST_CASE("sweep bad input: each gets a clear error and writes nothing") {
  const folder d("sweep_test_bad");
  const std::string s = d / "s.scn";
  const std::string out = d / "r.csv";
  const auto check = [&](std::vector<std::string> args, int code, const std::string& what) {
    const auto r = thermo_sweep(std::move(args));
    INFO(r.err);
    CHECK(r.code == code);
    CHECK_THAT(r.err, Catch::Contains(what));
    CHECK_FALSE(fs::exists(out));
  };
  check({s, "--axis", "run.ambient", "--output", out}, exit_usage, "expected KEY=VALUES");
  check({s, "--axis", "nope.x=1", "--output", out}, exit_usage, "unknown section 'nope'");
  check({s, "--axis", "run.nope=1", "--output", out}, exit_usage, "--axis run.nope=1: " + s + ":6: unknown key 'nope' in [run]");
  check({s, "--axis", "zone.cpu-thermal.nope=1", "--output", out}, exit_usage, "unknown key 'nope' in [zone cpu-thermal]");
  check({s, "--axis", "run.ambient=", "--output", out}, exit_usage, "empty list of values");
  check({s, "--axis", "run.ambient=1:2:0", "--output", out}, exit_usage, "n must be at least 1");
  check({s, "--axis", "run.ambient=0:2:3:log", "--output", out}, exit_usage, "a log range needs lo > 0");
  check({s, "--axis", "run.ambient=30,5000", "--output", out}, exit_usage, "--axis run.ambient=5000: " + s);
  check({s, "--axis", "zone.nope.governor=step_wise", "--output", out}, exit_usage, "the scenario has no [zone nope] section");
  check({s, "--axis", "run.ambient=30", "--shard", "3/2", "--output", out}, exit_usage, "bad --shard '3/2'");
  check({s, "--axis", "run.ambient=30", "--shard", "1", "--output", out}, exit_usage, "bad --shard '1'");
  check({s, "--axis", "run.ambient=30", "--jobs", "0", "--output", out}, exit_usage, "bad --jobs '0'");
  check({s, "--axis", "run.ambient=30"}, exit_usage, "--output RESULTS.csv or RESULTS.jsonl is required");
  check({s, "--axis", "run.ambient=30", "--output", d / "r.txt"}, exit_usage, "--output must end in .csv or .jsonl");
  check({s, "--output", out}, exit_usage, "give at least one --axis");
  check({s, "--axis", "run.ambient=30", "--zip", "--samples", "3", "--output", out}, exit_usage, "--zip and --samples exclude each other");
  check({s, "--axis", "run.ambient=30", "--seed", "3", "--output", out}, exit_usage, "--seed goes with --samples");
  check({s, "--axis", "run.ambient=30", "--samples", "0", "--output", out}, exit_usage, "bad --samples '0'");
  check({s, "--axis", "run.ambient=30,40", "--axis", "zone.cpu-thermal.governor=step_wise", "--zip", "--output", out}, exit_usage,
        "--zip needs axes of equal lengths");
  check({s, "--axis", "run.ambient=30", "--top", "3", "--output", out}, exit_usage, "--top K and --by METRIC go together");
  check({s, "--axis", "run.ambient=30", "--plot", d / "p.png", "--output", out}, exit_usage, "--plot must end in .svg");
  check({s, "--axis", "run.ambient=30", "--output", s + ".csv", "--merge"}, exit_usage, "--merge takes only shard files");
  check({d / "missing.scn", "--axis", "run.ambient=30", "--output", out}, exit_failure, "missing.scn");

  // merge: different studies, a point twice, a point missing
  REQUIRE(thermo_sweep({s, "--axis", "run.ambient=30,40", "--output", d / "a.csv"}).code == exit_ok);
  REQUIRE(thermo_sweep({s, "--axis", "zone.cpu-thermal.governor=step_wise", "--output", d / "b.csv"}).code == exit_ok);
  REQUIRE(thermo_sweep({s, "--axis", "run.ambient=30,40", "--shard", "1/2", "--output", d / "c.csv"}).code == exit_ok);
  check({"--merge", d / "a.csv", d / "b.csv", "--output", out}, exit_failure, "has other parameters");
  check({"--merge", d / "a.csv", d / "c.csv", "--output", out}, exit_failure, "point 1 is in both");
  check({"--merge", d / "c.csv", "--output", out}, exit_failure, "point 0 is in none of the files");
  check({"--merge", "--output", out}, exit_usage, "--merge needs the shard files");
  std::ofstream(d / "junk.csv") << "hello\n";
  check({"--merge", d / "junk.csv", "--output", out}, exit_failure, "junk.csv:1: not a sweep results file");

  // resume over a file from another study: other axes, other values, other shard
  const std::string a = slurp(d / "a.csv");
  const auto resume_error = [&](std::vector<std::string> args, const std::string& what) {
    const auto r = thermo_sweep(std::move(args));
    INFO(r.err);
    CHECK(r.code == exit_failure);
    CHECK_THAT(r.err, Catch::Contains(what));
    CHECK(slurp(d / "a.csv") == a);  // left as it was
  };
  resume_error({s, "--axis", "zone.cpu-thermal.governor=step_wise", "--output", d / "a.csv"}, "holds results of another study");
  resume_error({s, "--axis", "run.ambient=31,40", "--output", d / "a.csv"}, "its point 0 has other parameter values");
  resume_error({s, "--axis", "run.ambient=30,40", "--shard", "0/2", "--output", d / "a.csv"}, "point 1 is not a point of this sweep shard");
  resume_error({s, "--axis", "run.ambient=30", "--output", d / "a.csv"}, "point 1 is not a point of this sweep");
  resume_error({s, "--axis", "run.ambient=30", "--output", d / "junk.csv"}, "cannot be resumed");
  // the output may not be the scenario
  fs::copy_file(s, d / "scn.csv");
  const auto over = thermo_sweep({d / "scn.csv", "--axis", "run.ambient=30", "--output", d / "scn.csv"});
  CHECK(over.code == exit_failure);
  CHECK(slurp(d / "scn.csv") == base_scenario);
}

TEST_CASE("sweep points share one factorised plant, with the results of unshared runs") {
  auto axes = std::vector<sweep::axis>{axis_of("run.ambient=25:45:3"), axis_of("workload.compute.utilization=0.5,1")};
  auto tmpl = sweep::scenario_template::make(base_scenario, axes);
  auto pts = sweep::make_points(axes, sweep::design::cross);
  REQUIRE(tmpl.ok());
  REQUIRE(pts.ok());
  const sweep::study st{"x.scn", axes, std::move(*tmpl), std::move(*pts)};
  std::vector<sweep::result_row> rows(st.points.size());
  std::vector<std::size_t> todo{0, 1, 2, 3, 4, 5};
  sweep::source_cache sources;
  sweep::plant_cache plants;
  sweep::run_points(st, todo, 1, rows, sources, plants);
  CHECK(plants.factorised.load() == 1);  // the first point; the five others copy its plant
  CHECK(plants.shared.load() == 5);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    sweep::result_row alone;
    sweep::run_scenario_text(st.text.apply(st.points[i]), st.scenario_path, sources, alone);  // no sharing
    INFO(i);
    CHECK(rows[i].status == "ok");
    CHECK(rows[i].metrics == alone.metrics);
    CHECK(rows[i].trace_hash == alone.trace_hash);
  }
  // an axis of the plant's sections keys the plants apart
  const std::vector<sweep::axis> sensor_axis{axis_of("sensor.tsadc0.resolution=100,1000")};
  CHECK(sweep::plant_cache::key_of(sensor_axis, {"100"}) != sweep::plant_cache::key_of(sensor_axis, {"1000"}));
  CHECK(sweep::plant_cache::key_of(axes, {"25", "0.5"}) == sweep::plant_cache::key_of(axes, {"45", "1"}));
}

TEST_CASE("sweep --study: a study file gives the command line's results") {
  const folder d("sweep_test_study");
  std::ofstream(d / "a.study") << "# a study\n[study]\nscenario = s.scn   # beside the study\ndesign = zip\n\n[axes]\n"
                                  "run.ambient = 25,45\nzone.cpu-thermal.governor = step_wise, power_allocator\n";
  const auto r = thermo_sweep({"--study", d / "a.study", "--output", d / "study.csv"});
  INFO(r.err);
  REQUIRE(r.code == exit_ok);
  REQUIRE(thermo_sweep({d / "s.scn", "--axis", "run.ambient=25,45", "--axis", "zone.cpu-thermal.governor=step_wise, power_allocator", "--zip",
                        "--output", d / "cli.csv"})
              .code == exit_ok);
  CHECK(slurp(d / "study.csv") == slurp(d / "cli.csv"));
  std::ofstream(d / "b.study") << "[study]\nscenario = s.scn\ndesign = samples\nsamples = 4\nseed = 3\n[axes]\nrun.ambient = 20:40:2\n";
  REQUIRE(thermo_sweep({"--study", d / "b.study", "--output", d / "b.csv"}).code == exit_ok);
  REQUIRE(thermo_sweep({d / "s.scn", "--axis", "run.ambient=20:40:2", "--samples", "4", "--seed", "3", "--output", d / "b2.csv"}).code == exit_ok);
  CHECK(slurp(d / "b.csv") == slurp(d / "b2.csv"));

  const auto study_error = [&](const std::string& text) {
    std::ofstream(d / "bad.study") << text;
    const auto e = thermo_sweep({"--study", d / "bad.study", "--output", d / "bad.csv"});
    CHECK(e.code == exit_usage);
    CHECK_FALSE(fs::exists(d / "bad.csv"));
    return e.err;
  };
  CHECK_THAT(study_error("[study]\nscenario = s.scn\nfoo = 1\n"), Catch::Contains("bad.study:3: unknown key 'foo' in [study]"));
  CHECK_THAT(study_error("[study]\nscenario = s.scn\ndesign = grid\n"), Catch::Contains("bad.study:3: bad design 'grid'"));
  CHECK_THAT(study_error("[study]\nscenario = s.scn\n[axes]\nrun.ambient = 1:2:0\n"), Catch::Contains("bad.study:4: --axis 'run.ambient=1:2:0'"));
  CHECK_THAT(study_error("[study]\nscenario = s.scn\n"), Catch::Contains("no axis"));
  CHECK_THAT(study_error("[axes]\nrun.ambient = 30\n"), Catch::Contains("no [study] scenario"));
  CHECK_THAT(study_error("[study]\nscenario = s.scn\ndesign = samples\n[axes]\nrun.ambient = 30\n"), Catch::Contains("design = samples needs samples"));
  CHECK_THAT(study_error("[stuff]\n"), Catch::Contains("bad.study:1: unknown section '[stuff]'"));
  CHECK_THAT(study_error("x = 1\n"), Catch::Contains("bad.study:1: expected [study] or [axes]"));
  const auto mixed = thermo_sweep({"--study", d / "a.study", "--axis", "run.ambient=1", "--output", d / "bad.csv"});
  CHECK(mixed.code == exit_usage);
  CHECK_THAT(mixed.err, Catch::Contains("--study FILE holds the scenario"));
}
