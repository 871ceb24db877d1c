// The inference and boot workloads of a scenario (io/scenario_keys.hpp,
// tools/thermo/scenario_workloads.hpp): they run as the C++ examples build them, their results
// are metrics (flat, JSON, summary), and each bad value is refused naming the line.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "run_metrics.hpp"
#include "simulate.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/rk3399.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

const std::string board =
    "[run]\nduration = 60 s\nambient = 25\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n"
    "[heat big]\nnodes = big\n[heat little]\nnodes = little\n[heat gpu]\nnodes = gpu\n[sensor s0]\nnode = big\n"
    "[zone cpu-thermal]\nsensor = s0\n";

outcome<std::unique_ptr<sim_bundle>> try_build(const std::string& text) {
  auto s = parse_scenario(text, "w.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  return build_simulation(*s, *src);
}

std::unique_ptr<sim_bundle> run_for(const std::string& text, sim_duration d) {
  auto b = try_build(text);
  INFO(b.message());
  REQUIRE(b.ok());
  CHECK((*b)->sim.run_until(sim_time{d}) == sim::run_status::running);
  return std::move(*b);
}

const metric* find(const std::vector<metric>& ms, const std::string& name) {
  const auto it = std::find_if(ms.begin(), ms.end(), [&](const metric& m) { return m.name == name; });
  return it == ms.end() ? nullptr : &*it;
}

std::string parse_error(const std::string& text) {
  auto s = parse_scenario(text, "w.scn");
  REQUIRE_FALSE(s.ok());
  return s.message();
}

}  // namespace

TEST_CASE("An inference workload runs the preset model on the cluster, and its results are metrics", "[scenario][workload]") {
  const std::string text = board +
                           "[workload net]\ntype = inference\ncluster = big\nmodel = Mobilenet_V1_1.0_224_quant\n"
                           "framework = tvm\nwindow = 5 s\n";
  const auto b = run_for(text, std::chrono::seconds(60));
  REQUIRE(b->inference.size() == 1);
  const inference_workload& w = *b->inference[0].w;
  CHECK(w.cores() == 2);  // TVM: a thread per core of the A72 cluster
  // the work the C++ examples use for the same model, framework and cluster
  const auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, "arm,cortex-a72", 2);
  REQUIRE(work.has_value());
  CHECK(w.config().work.macs == work->macs);
  CHECK(w.config().work.efficiency == work->efficiency);
  // 25 °C and one minute: no throttling, each inference at 1.8 GHz
  const auto t = workload::inference_seconds(*work, 1.8e9);
  REQUIRE(t.has_value());
  const auto ms = flat_metrics(*b);
  REQUIRE(find(ms, "workload.net.completed") != nullptr);
  CHECK(find(ms, "workload.net.completed")->value == static_cast<double>(w.completed()));
  CHECK(find(ms, "workload.net.throughput_per_s")->value == Approx(1.0 / *t).epsilon(0.01));
  CHECK(find(ms, "workload.net.throughput_per_s")->unit == "1/s");
  CHECK(find(ms, "workload.net.latency_mean_ms")->value == Approx(1000.0 * *t).epsilon(1e-6));
  CHECK(find(ms, "workload.net.latency_p50_ms")->value == Approx(1000.0 * *t).epsilon(1e-6));
  CHECK(find(ms, "workload.net.latency_p99_ms")->value == Approx(1000.0 * *t).epsilon(1e-6));
  CHECK(find(ms, "workload.net.latency_max_ms")->value == Approx(1000.0 * *t).epsilon(1e-6));
  CHECK(find(ms, "workload.net.dropped") == nullptr);  // back to back: nothing to drop

  const std::string json = metrics_json(*b);
  CHECK(json.find("\"workloads\": [\n    {\"name\": \"net\", \"type\": \"inference\", \"completed\": " +
                  std::to_string(w.completed()) + ", \"throughput_per_s\": ") != std::string::npos);
  const std::string summary = metrics_summary(*b);
  CHECK(summary.find("inference  completed  per s  mean ms  p50 ms  p99 ms  max ms\n") != std::string::npos);
  CHECK(summary.find("\nnet  ") != std::string::npos);
}

TEST_CASE("A periodic inference workload takes period, overload, count and threads", "[scenario][workload]") {
  const std::string text = board +
                           "[workload cam]\ntype = inference\ncluster = little\nmodel = Mobilenet_V1_1.0_224_quant\n"
                           "framework = tflite\nthreads = 2\narrivals = periodic\nperiod = 100 ms\noverload = drop\ncount = 50\n"
                           "start = 1 s\nseed = 7\n";
  const auto b = run_for(text, std::chrono::seconds(20));
  const inference_workload& w = *b->inference[0].w;
  CHECK(w.cores() == 2);
  CHECK(w.config().period == std::chrono::milliseconds(100));
  CHECK(w.config().overload == workload::overload_policy::drop);
  CHECK(w.config().seed == 7U);
  CHECK(w.arrivals() == 50U);
  CHECK(w.completed() + w.dropped() == 50U);
  const auto ms = flat_metrics(*b);
  REQUIRE(find(ms, "workload.cam.dropped") != nullptr);
  CHECK(find(ms, "workload.cam.dropped")->value == static_cast<double>(w.dropped()));
  CHECK(find(ms, "workload.cam.throughput_per_s")->value == Approx(static_cast<double>(w.completed()) / 19.0));
}

TEST_CASE("A boot workload decompresses the kernel on one CPU: its boot time is a metric", "[scenario][workload]") {
  const std::string text = board +
                           "[workload boot]\ntype = boot\ncluster = big\ncore = Cortex-A9\ncompressor = lzo\nvmlinux = 11800000\n"
                           "zimage = 4800000\nbandwidth = 25\nsetup = 10 ms\n";
  const auto b = run_for(text, std::chrono::seconds(10));
  REQUIRE(b->boots.size() == 1);
  const workload::decompression& w = *b->boots[0].w;
  REQUIRE(w.finished());
  // the analysis at the big cluster's top clock (no throttling in 10 s at 25 °C)
  schema::boot_platform p;
  p.cpu_frequency_hz = 1.8e9;
  p.storage_bytes_per_s = 25e6;
  p.storage_setup_s = 0.010;
  const auto prof = presets::find_decompressor("Cortex-A9", schema::compressor::lzo);
  REQUIRE(prof != nullptr);
  const auto v = analysis::compressed_boot({11.8e6, 4.8e6}, analysis::from_profile(*prof), p);
  REQUIRE(v.has_value());
  const auto ms = flat_metrics(*b);
  REQUIRE(find(ms, "workload.boot.boot_time_s") != nullptr);
  CHECK(find(ms, "workload.boot.boot_time_s")->value == Approx(v->total_s).epsilon(1e-6));
  CHECK(find(ms, "workload.boot.finished")->value == 1.0);
  CHECK(find(ms, "workload.boot.load_s")->value == Approx(0.010 + 4.8e6 / 25e6).epsilon(1e-6));
  CHECK(b->notes.back() == "workload boot: decompressor profile of Cortex-A9 used on cluster big (Cortex-A72)");
  CHECK(metrics_summary(*b).find("boot  boot s  load s  decompress s\n") != std::string::npos);
  CHECK(metrics_json(*b).find("{\"name\": \"boot\", \"type\": \"boot\", \"finished\": 1, \"boot_time_s\": ") != std::string::npos);
}

TEST_CASE("Bad inference and boot workloads are refused naming the line", "[scenario][workload]") {
  const std::string w = "[workload w]\n";
  CHECK(parse_error(w + "framework = onnx\n") == "w.scn:2: bad framework 'onnx' (tflite or tvm)");
  CHECK(parse_error(w + "threads = 0\n") == "w.scn:2: bad threads '0' (an integer within 1..64)");
  CHECK(parse_error(w + "arrivals = bursty\n") == "w.scn:2: bad arrivals 'bursty' (back_to_back or periodic)");
  CHECK(parse_error(w + "period = 0 s\n") == "w.scn:2: period must be > 0");
  CHECK(parse_error(w + "period = 10 us\n") == "w.scn:2: bad period '10 us': below the minimum of 1 ms (io::scenario_limits::min_phase)");
  CHECK(parse_error(w + "overload = skip\n") == "w.scn:2: bad overload 'skip' (queue or drop)");
  CHECK(parse_error(w + "count = -1\n") == "w.scn:2: bad count '-1' (an integer within 0..1099511627776)");
  CHECK(parse_error(w + "window = 0 s\n") == "w.scn:2: window must be > 0");
  CHECK(parse_error(w + "compressor = rar\n") == "w.scn:2: unknown compressor 'rar' (gzip, lzma, xz, lzo, lz4, zstd, bzip2)");
  CHECK(parse_error(w + "vmlinux = 0\n") == "w.scn:2: bad vmlinux '0' (a number in bytes within 1..10000000000)");
  CHECK(parse_error(w + "bandwidth = 0\n") == "w.scn:2: bad bandwidth '0' (a number in MB/s within 0.001..1000000)");
  CHECK(parse_error(w + "relocate = 2000\n") == "w.scn:2: bad relocate '2000' (a number in bytes/cycle within 0.001..1024)");
  CHECK(parse_error(w + "load_utilization = 2\n") == "w.scn:2: bad load_utilization '2' (a number within 0..1)");
  CHECK(parse_error(w + "compressed = perhaps\n") == "w.scn:2: bad compressed 'perhaps' (yes or no)");

  // whole-file checks: keys of another type, required keys
  const std::string inf = board + "[workload w]\ntype = inference\ncluster = big\n";
  CHECK(parse_error(inf) == "w.scn:18: [workload w] (inference) needs model = NAME (a preset model, e.g. Mobilenet_V1_1.0_224_quant)");
  CHECK(parse_error(inf + "model = m\nutilization = 0.5\n") == "w.scn:22: [workload w]: 'utilization' does not apply to type = inference");
  CHECK(parse_error(inf + "model = m\ncores = 1\n") == "w.scn:22: [workload w]: 'cores' does not apply to type = inference");
  CHECK(parse_error(inf + "model = m\ncompressor = lz4\n") == "w.scn:22: [workload w]: 'compressor' does not apply to type = inference");
  CHECK(parse_error(inf + "model = m\narrivals = periodic\n") ==
        "w.scn:18: [workload w] (inference, arrivals = periodic) needs period = DURATION");
  CHECK(parse_error(inf + "model = m\nperiod = 1 s\n") == "w.scn:22: [workload w]: period applies to arrivals = periodic only");
  CHECK(parse_error(board + "[workload w]\ntype = constant\ncluster = big\nmodel = m\n") ==
        "w.scn:21: [workload w]: 'model' does not apply to type = constant");
  const std::string boot = board + "[workload w]\ntype = boot\ncluster = big\n";
  CHECK(parse_error(boot + "compressed = no\nrelocate = 1\n") == "w.scn:22: [workload w]: relocate applies to a compressed image only (compressed = yes)");

  // checked against the SoC and the presets when the simulation is built
  const auto model = try_build(inf + "model = Mobilenet_V9\n");
  REQUIRE_FALSE(model.ok());
  CHECK(model.message().starts_with("w.scn:21: [workload w]: no preset inference model 'Mobilenet_V9' (Mobilenet_V1_0.25_128_quant, "));
  const auto threads = try_build(inf + "model = Mobilenet_V1_1.0_224_quant\nthreads = 3\n");
  REQUIRE_FALSE(threads.ok());
  CHECK(threads.message() == "w.scn:22: [workload w]: threads = 3: cluster big has 2 cores");
  const auto gpu = try_build(board + "[workload w]\ntype = inference\ncluster = gpu\nmodel = Mobilenet_V1_1.0_224_quant\n");
  REQUIRE_FALSE(gpu.ok());
  CHECK(gpu.message() == "w.scn:18: [workload w]: type = inference runs on a CPU cluster; gpu is not one");
  const auto profile = try_build(boot);
  REQUIRE_FALSE(profile.ok());
  CHECK(profile.message() ==
        "w.scn:18: [workload w]: no gzip decompressor profile for core Cortex-A72 (cluster big); profiles: Cortex-A9, ARM926EJ-S, "
        "x86-64 (QEMU host) (choose one with core = NAME)");
  const auto core = try_build(boot + "core = Cortex-A99\n");
  REQUIRE_FALSE(core.ok());
  CHECK(core.message().starts_with("w.scn:21: [workload w]: no gzip decompressor profile for core Cortex-A99; profiles: "));
}
