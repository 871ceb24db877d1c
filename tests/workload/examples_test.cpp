// Runs the workload examples (boot_cost, dtpm_budget, and the simulation examples when built) and
// checks their summaries, their CSV against the library, and that every SVG is well-formed XML.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/xml_check.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/storage.hpp"

#ifdef THERMO_EXAMPLES_DIR
namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");  // NOLINT(cert-env33-c): test runs our own example binary
  REQUIRE(p != nullptr);
  std::vector<char> buf(4096);
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
    out.append(buf.data(), n);
  }
  status = pclose(p);
  return out;
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    std::vector<std::string> fields;
    std::string cur;
    bool quoted = false;
    for (const char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    fields.push_back(cur);
    rows.push_back(fields);
  }
  return rows;
}

std::string out_path(const std::string& name) {
  return std::string(THERMO_BINARY_DIR) + "/" + name;
}

}  // namespace

TEST_CASE(
    "boot_cost reproduces the published boots, gives the Gemini verdicts and writes CSV and SVG",
    "[examples]") {
  const std::string csv = out_path("boot_cost_test.csv");
  const std::string svg = out_path("boot_cost_test.svg");
  std::remove(csv.c_str());
  std::remove(svg.c_str());
  int status = -1;
  const std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/boot_cost --csv " + csv + " --plot " + svg, status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("worst total-time error: 2.3 %") != std::string::npos);
  CHECK(out.find("ARM926EJ-S at 200 MHz decompresses in 2.38 s: zImage wins below 2.95 MB/s") !=
        std::string::npos);
  CHECK(out.find("Cortex-A9 at 1000 MHz decompresses in 0.85 s: zImage wins below 8.24 MB/s") !=
        std::string::npos);
  CHECK(out.find("lzo   ratio 1.88, decompresses at  43.37 MB/s") != std::string::npos);
  const auto rows = read_csv(csv);
  const std::size_t media = thermo::presets::storage_media.size();
  REQUIRE(rows.size() == 1 + 10 + media * 4 + media * 5);
  CHECK(rows[0][0] == "table");
  CHECK(rows[0][9] == "total_s");
  // Every published row in the CSV is the library's prediction, within 10 % of the measurement.
  std::size_t published = 0;
  for (const auto& r : rows) {
    if (r[0] != "published") {
      continue;
    }
    ++published;
    const double model = std::stod(r[9]);
    const double measured = std::stod(r[11]);
    CHECK(std::abs(model - measured) / measured < 0.10);
  }
  CHECK(published == 10U);
  const std::string doc = slurp(svg);
  REQUIRE_FALSE(doc.empty());
  CHECK(thermo::test::xml_check(doc).empty());
  CHECK(doc.find("Gemini boot time") != std::string::npos);
}

TEST_CASE("boot_cost rejects unknown arguments and unwritable outputs", "[examples]") {
  int status = -1;
  const std::string out = run(std::string(THERMO_EXAMPLES_DIR) + "/boot_cost --bogus 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("usage:") != std::string::npos);
  run(std::string(THERMO_EXAMPLES_DIR) +
          "/boot_cost --csv /nonexistent/x.csv --plot /nonexistent/x.svg 2>&1",
      status);
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("dtpm_budget sweeps the RK3399 budget and writes a consistent CSV and SVG",
          "[examples]") {
  const std::string csv = out_path("dtpm_budget_test.csv");
  const std::string svg = out_path("dtpm_budget_test.svg");
  std::remove(csv.c_str());
  std::remove(svg.c_str());
  int status = -1;
  const std::string out = run(
      std::string(THERMO_EXAMPLES_DIR) + "/dtpm_budget --csv " + csv + " --plot " + svg, status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("little   4 CPUs, 6 OPPs, 111 .. 716 mW, weight 133/1024") != std::string::npos);
  CHECK(out.find("big      2 CPUs, 8 OPPs, 242 .. 2260 mW, weight 418/1024") != std::string::npos);
  CHECK(out.find("gpu      device, 6 OPPs, 359 .. 2555 mW, weight 473/1024") != std::string::npos);
  CHECK(
      out.find("  5532 mW   5532 mW    0%       716 @  1416      2260 @  1800      2555 @   800") !=
      std::string::npos);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() > 100U);
  REQUIRE(rows[0].size() == 11U);
  long long previous = 1LL << 40;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const long long budget = std::stoll(rows[i][0]);
    const long long granted = std::stoll(rows[i][1]);
    // Budgets descend; the granted power is the sum of the leaves' and never above the budget (µW).
    CHECK(budget < previous);
    previous = budget;
    CHECK(granted <= budget);
    CHECK(granted == std::stoll(rows[i][2]) + std::stoll(rows[i][5]) + std::stoll(rows[i][8]));
  }
  CHECK(std::stoll(rows.back()[0]) / 1000 == 712);  // the root's minimum [µW]
  CHECK(thermo::test::xml_check(slurp(svg)).empty());
}

TEST_CASE("dtpm_budget rejects an unknown SoC and a bad step", "[examples]") {
  int status = -1;
  std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/dtpm_budget --soc nosuch 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("unknown SoC 'nosuch'") != std::string::npos);
  CHECK(out.find("rk3588") != std::string::npos);
  out = run(std::string(THERMO_EXAMPLES_DIR) + "/dtpm_budget --step -5 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("bad --step '-5'") != std::string::npos);
}

TEST_CASE("dtpm_budget runs on every preset SoC with an Energy Model", "[examples]") {
  for (const char* soc : {"hi3660", "mt8183", "mt8173", "exynos5422", "rk3588"}) {
    int status = -1;
    const std::string csv = out_path(std::string("dtpm_budget_") + soc + ".csv");
    const std::string out =
        run(std::string(THERMO_EXAMPLES_DIR) + "/dtpm_budget --soc " + soc + " --csv " + csv +
                " --plot " + out_path(std::string("dtpm_budget_") + soc + ".svg"),
            status);
    INFO(soc << "\n" << out);
    CHECK(status == 0);
    CHECK(read_csv(csv).size() > 10U);
  }
}
#endif

#ifdef THERMO_EXAMPLES_DIR
TEST_CASE(
    "inference_tour prints calibrated RK3399 latencies and a stream that overloads after a "
    "frequency drop",
    "[examples]") {
  int status = -1;
  const std::string out = run(std::string(THERMO_EXAMPLES_DIR) + "/inference_tour", status);
  INFO(out);
  REQUIRE(status == 0);
  // A72 at 1.8 GHz, TFLite: 569e6 / (8 · e · 1.8e9) with e = 0.4311 → 91.6 ms.
  CHECK(out.find(
            "Mobilenet_V1_1.0_224_quant           91.6         67.6        233.0         99.5") !=
        std::string::npos);
  CHECK(out.find("completed 29 of 41 frames, backlog 11 at 10 s") != std::string::npos);
  CHECK(out.find("latency: min 233.0 ms, p50 233.0 ms, p99 2949.1 ms") != std::string::npos);
}
#endif

#ifdef THERMO_EXAMPLES_DIR
namespace {
// The number after `label` in `out` (e.g. "throughput (inferences/s)"), or NaN.
std::vector<double> numbers_after(const std::string& out, const std::string& label) {
  std::vector<double> v;
  const auto at = out.find(label);
  if (at == std::string::npos) {
    return v;
  }
  std::istringstream line(out.substr(at + label.size(), out.find('\n', at) - at - label.size()));
  double x = 0.0;
  while (line >> x) {
    v.push_back(x);
  }
  return v;
}
}  // namespace

TEST_CASE("inference_rk3399 shows burst above sustained throughput under the power allocator",
          "[examples]") {
  const std::string csv = out_path("inference_rk3399_test.csv");
  const std::string svg = out_path("inference_rk3399_test.svg");
  std::remove(csv.c_str());
  std::remove(svg.c_str());
  int status = -1;
  const std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/inference_rk3399 --csv " + csv + " --plot " + svg,
          status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("run status: completed") != std::string::npos);
  const auto tput = numbers_after(out, "throughput (inferences/s)");
  REQUIRE(tput.size() >= 2U);
  // Cold: 2 threads of MobileNet V1 at 1.8 GHz, 67.6 ms each (TVM calibration) → 14.8/s.
  CHECK(tput[0] == Approx(14.78).margin(0.05));
  CHECK(tput[1] < 0.95 * tput[0]);  // throttled
  CHECK(tput[1] > 0.6 * tput[0]);
  const auto freq = numbers_after(out, "big frequency, mean (MHz)");
  REQUIRE(freq.size() == 2U);
  CHECK(freq[0] == Approx(1800.0));
  CHECK(freq[1] < 1800.0);
  // The control trip holds: the cpu-thermal peak stays within a degree of 75 °C.
  const auto hot = numbers_after(out, "big hot spot, mean (degC)");
  REQUIRE(hot.size() == 2U);
  CHECK(hot[1] < 76.0);
  CHECK(out.find("first capped by the power allocator at") != std::string::npos);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() == 1 + 20 * 60);
  CHECK(rows[0][0] == "time_s");
  CHECK(rows[0].back() == "inferences_per_s");
  CHECK(std::stod(rows[1][5]) == Approx(1800.0));  // f_big in the first second
  CHECK(thermo::test::xml_check(slurp(svg)).empty());
}

TEST_CASE("inference_rk3399 rejects bad arguments and unknown models", "[examples]") {
  int status = -1;
  std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/inference_rk3399 --minutes 0 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("bad --minutes '0'") != std::string::npos);
  out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/inference_rk3399 --model ResNet_9000 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("model 'ResNet_9000': inference model") != std::string::npos);
  out = run(std::string(THERMO_EXAMPLES_DIR) + "/inference_rk3399 --framework onnx 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
}

TEST_CASE(
    "inference_threads: all cores win cold, and lose most of their lead after ten minutes of "
    "throttling",
    "[examples]") {
  const std::string csv = out_path("inference_threads_test.csv");
  const std::string svg = out_path("inference_threads_test.svg");
  std::remove(csv.c_str());
  int status = -1;
  const std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/inference_threads --csv " + csv + " --plot " + svg,
          status);
  INFO(out);
  REQUIRE(status == 0);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() == 6U);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    INFO(rows[i][0]);
    const double ratio_cold = std::stod(rows[i][3]);
    const double ratio_after = std::stod(rows[i][6]);
    CHECK(ratio_cold < 1.0);
    CHECK(ratio_after > ratio_cold);
    // One A72 thread never reaches the control trip: TFLite's latency does not change.
    CHECK(std::stod(rows[i][4]) == Approx(std::stod(rows[i][1])));
    CHECK(std::stod(rows[i][7]) > 0.0);  // the TVM run was capped
  }
  CHECK(rows[1][0] == "Mobilenet_V1_1.0_224_quant");
  CHECK(std::stod(rows[1][2]) == Approx(67.6).margin(0.05));  // TVM cold, the calibrated figure
  CHECK(thermo::test::xml_check(slurp(svg)).empty());
}

TEST_CASE("inference_governors compares step_wise, power_allocator and fair_share on one workload",
          "[examples]") {
  const std::string csv = out_path("inference_governors_test.csv");
  const std::string svg = out_path("inference_governors_test.svg");
  std::remove(csv.c_str());
  int status = -1;
  const std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/inference_governors --csv " + csv + " --plot " + svg,
          status);
  INFO(out);
  REQUIRE(status == 0);
  const auto sw = numbers_after(out, "  step_wise");
  const auto ipa = numbers_after(out, "  power_allocator");
  const auto fs = numbers_after(out, "  fair_share");
  REQUIRE(sw.size() == 9U);
  REQUIRE(ipa.size() == 9U);
  REQUIRE(fs.size() == 9U);
  // Same workload, same cold start: the same burst.
  CHECK(sw[0] == ipa[0]);
  CHECK(fs[0] == ipa[0]);
  // Every governor throttles; IPA holds the control temperature most closely.
  for (const auto* g : {&sw, &ipa, &fs}) {
    CHECK((*g)[1] < (*g)[0]);
  }
  CHECK(ipa[3] <= sw[3]);  // time above 75 °C
  CHECK(ipa[3] <= fs[3]);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() == 1 + 20 * 60);
  REQUIRE(rows[0].size() == 10U);
  CHECK(thermo::test::xml_check(slurp(svg)).empty());
}
#endif

#ifdef THERMO_EXAMPLES_DIR
TEST_CASE(
    "trace_replay replays the sample trace on the simulated RK3399 and reports the work delivered",
    "[examples]") {
  const std::string trace = std::string(THERMO_EXAMPLES_DATA_DIR) + "/bursty_ui_trace.csv";
  const std::string csv = out_path("trace_replay_test.csv");
  const std::string svg = out_path("trace_replay_test.svg");
  std::remove(csv.c_str());
  int status = -1;
  const std::string out = run(std::string(THERMO_EXAMPLES_DIR) + "/trace_replay --trace " + trace +
                                  " --csv " + csv + " --plot " + svg,
                              status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("(3 rows x 2 CPUs, repeating every 9.0 s)") != std::string::npos);
  CHECK(out.find("repetitions of the trace          133") != std::string::npos);
  const auto work = numbers_after(out, "work executed / demanded");
  REQUIRE_FALSE(work.empty());
  CHECK(work[0] > 90.0);
  CHECK(work[0] <= 100.0);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() == 1 + 20 * 60);
  CHECK(rows[0] == std::vector<std::string>{"time_s", "T_big_C", "f_big_MHz", "u_big", "P_big_W"});
  CHECK(thermo::test::xml_check(slurp(svg)).empty());
}

TEST_CASE("trace_replay rejects a malformed trace naming file and line, and a missing --trace",
          "[examples]") {
  const std::string bad = out_path("trace_replay_bad.csv");
  {
    std::ofstream f(bad);
    f << "time_s,cpu4,cpu5\n0,1,1\n1,1,abc\n";
  }
  int status = -1;
  std::string out =
      run(std::string(THERMO_EXAMPLES_DIR) + "/trace_replay --trace " + bad + " 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find(bad + ":3: bad number 'abc' in column 3 (cpu5)") != std::string::npos);
  out = run(std::string(THERMO_EXAMPLES_DIR) + "/trace_replay --minutes 5 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("--trace is required") != std::string::npos);
}
#endif
