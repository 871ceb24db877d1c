#include "thermo/workload/inference.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/presets/inference.hpp"
#include "workload_driver.hpp"

using namespace thermo;
using namespace thermo::workload;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}

// A simple model: 1e9 MACs, 8 MAC/cycle, e = 0.5, s = 0.2, 4 threads.
// At 1 GHz: 1e9 / (8·0.5·1e9·S(4)) = 0.25 s · (0.2 + 0.8/4) = 0.1 s.
constexpr inference_work simple_work{1e9, 8.0, 0.5, 0.2, 4};
constexpr domain_state at_1ghz{1e9, 2e9, 1.0};

using small_inference = inference<4, 16, 8>;

template <class I>
std::unique_ptr<I> make_ptr(const inference_config& c) {
  auto r = I::make(c);
  REQUIRE(r.has_value());
  return std::make_unique<I>(*r);
}

}  // namespace

static_assert(Workload<inference<>>);
static_assert(Workload<small_inference>);

TEST_CASE("amdahl speed-up is n without a serial part and 1 when all is serial", "[inference]") {
  CHECK(amdahl_speedup(0.0, 4) == 4.0);
  CHECK(amdahl_speedup(1.0, 4) == 1.0);
  CHECK(amdahl_speedup(0.3, 1) == 1.0);
  CHECK(amdahl_speedup(0.2, 4) == Approx(2.5));
}

TEST_CASE("inference time is W over m e f S(n)", "[inference]") {
  const auto t = inference_seconds(simple_work, 1e9);
  REQUIRE(t.has_value());
  CHECK(*t == Approx(0.1).epsilon(1e-12));
  // Twice the frequency, half the time.
  CHECK(*inference_seconds(simple_work, 2e9) == Approx(0.05).epsilon(1e-12));
}

TEST_CASE("inference parameters out of their domain are rejected by name", "[inference]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct bad {
    inference_work w;
    errc code;
    const char* what;
  };
  const std::array<bad, 12> cases{{
      {{0.0, 8, 0.5, 0.2, 4}, errc::non_positive, "macs"},
      {{-5.0, 8, 0.5, 0.2, 4}, errc::non_positive, "macs"},
      {{nan, 8, 0.5, 0.2, 4}, errc::not_finite, "macs"},
      {{inf, 8, 0.5, 0.2, 4}, errc::not_finite, "macs"},
      {{1e9, 0.0, 0.5, 0.2, 4}, errc::non_positive, "macs per cycle"},
      {{1e9, 8, 0.0, 0.2, 4}, errc::non_positive, "efficiency"},
      {{1e9, 8, 1.5, 0.2, 4}, errc::out_of_range, "efficiency"},
      {{1e9, 8, nan, 0.2, 4}, errc::not_finite, "efficiency"},
      {{1e9, 8, 0.5, -0.1, 4}, errc::out_of_range, "serial fraction"},
      {{1e9, 8, 0.5, 1.01, 4}, errc::out_of_range, "serial fraction"},
      {{1e9, 8, 0.5, nan, 4}, errc::out_of_range, "serial fraction"},
      {{1e9, 8, 0.5, 0.2, 0}, errc::non_positive, "threads"},
  }};
  for (const auto& c : cases) {
    const error e = validate(c.w);
    CHECK(e.code == c.code);
    CHECK(what_is(e, c.what));
    const auto t = inference_seconds(c.w, 1e9);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == c.code);
    inference_config cfg;
    cfg.work = c.w;
    const auto made = small_inference::make(cfg);
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == c.code);
  }
}

TEST_CASE("a bad frequency is rejected by inference_seconds", "[inference]") {
  for (const double f : {0.0, -1e9}) {
    const auto t = inference_seconds(simple_work, f);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == errc::non_positive);
    CHECK(what_is(t.error(), "frequency"));
  }
  for (const double f :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    const auto t = inference_seconds(simple_work, f);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == errc::not_finite);
  }
}

TEST_CASE("the work of a model and core described by the user needs no preset", "[inference]") {
  constexpr schema::core_type_desc core{"MyCore", "vendor,my-core", 16.0, ""};
  constexpr schema::inference_model_desc net{
      "my_net", "MyNet", "int8", 224U, 300.0, 3.5, {0.25, 0.1, "", ""}, {0.5, 0.2, "", ""}};
  constexpr auto tfl = make_inference_work(net, schema::framework::tflite, core, 4);
  static_assert(tfl.has_value());
  CHECK(tfl->macs == 300e6);
  CHECK(tfl->macs_per_cycle == 16.0);
  CHECK(tfl->efficiency == 0.25);
  CHECK(tfl->serial_fraction == 0.1);
  CHECK(tfl->threads == 1U);
  CHECK(validate(*tfl).ok());
  const auto tvm = make_inference_work(net, schema::framework::tvm, core, 4);
  REQUIRE(tvm.has_value());
  CHECK(tvm->efficiency == 0.5);
  CHECK(tvm->serial_fraction == 0.2);
  CHECK(tvm->threads == 4U);
  CHECK(make_inference_work(net, schema::framework::tvm, core, 4, 2)->threads == 2U);
  CHECK(make_inference_work(net, schema::framework::tvm, core, 0).error().code ==
        errc::non_positive);
  const auto too_many = make_inference_work(net, schema::framework::tflite, core, 2, 3);
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error().code == errc::out_of_range);
  CHECK(what_is(too_many.error(), "threads"));
}

TEST_CASE("preset work uses the calibrated e and s and the framework's thread default",
          "[inference]") {
  // TFLite: one thread; TVM: every core of the cluster.
  const auto tfl =
      presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tflite, "arm,cortex-a72", 2);
  REQUIRE(tfl.has_value());
  CHECK(tfl->threads == 1U);
  CHECK(tfl->macs == 569e6);
  CHECK(tfl->macs_per_cycle == 8.0);
  const auto* m = presets::find_inference_model("Mobilenet_V1_1.0_224_quant");
  REQUIRE(m != nullptr);
  CHECK(tfl->efficiency == m->tflite.efficiency);
  CHECK(tfl->serial_fraction == m->tflite.serial_fraction);
  const auto tvm =
      presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, "Cortex-A72", 2);
  REQUIRE(tvm.has_value());
  CHECK(tvm->threads == 2U);
  CHECK(tvm->efficiency == m->tvm.efficiency);
  // Explicit thread count.
  CHECK(presets::preset_work("Inception_V3_quant", schema::framework::tflite, "arm,cortex-a53", 4, 3)
            ->threads == 3U);
}

TEST_CASE(
    "models.md's calibration example: MobileNet V1 on one Pixel 2 big core at 2.35 GHz is 70.2 ms",
    "[inference]") {
  const auto w =
      presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tflite, "arm,cortex-a73", 4);
  REQUIRE(w.has_value());
  CHECK(w->macs_per_cycle * w->efficiency == Approx(3.45).margin(0.005));  // MAC/cycle, models.md
  CHECK(*inference_seconds(*w, 2.35e9) * 1e3 == Approx(70.2).epsilon(1e-12));
}

TEST_CASE("preset work rejects unknown models, unknown cores and impossible thread counts",
          "[inference]") {
  const auto unknown_model =
      presets::preset_work("ResNet_9000", schema::framework::tflite, "arm,cortex-a72", 2);
  REQUIRE_FALSE(unknown_model.has_value());
  CHECK(unknown_model.error().code == errc::not_found);
  CHECK(what_is(unknown_model.error(), "inference model"));
  // A model in workloads.json without a MAC count is not a preset.
  CHECK(presets::preset_work("Inception_V2_quant", schema::framework::tflite, "arm,cortex-a72", 2)
            .error()
            .code == errc::not_found);
  const auto unknown_core =
      presets::preset_work("Inception_V3_quant", schema::framework::tflite, "arm,cortex-a15", 2);
  REQUIRE_FALSE(unknown_core.has_value());
  CHECK(what_is(unknown_core.error(), "core type"));
  const auto too_many =
      presets::preset_work("Inception_V3_quant", schema::framework::tflite, "arm,cortex-a72", 2, 3);
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error().code == errc::out_of_range);
  CHECK(too_many.error().index == 3);
  CHECK(presets::preset_work("Inception_V3_quant", schema::framework::tvm, "arm,cortex-a72", 0)
            .error()
            .code == errc::non_positive);
}

TEST_CASE("inference configuration errors name the field", "[inference]") {
  inference_config c;
  c.work = simple_work;
  SECTION("more threads than the capacity") {
    c.work.threads = 5;
    const auto r = small_inference::make(c);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::capacity_exceeded);
    CHECK(what_is(r.error(), "threads"));
  }
  SECTION("periodic without a period") {
    c.arrivals = arrival_mode::periodic;
    const auto r = small_inference::make(c);
    REQUIRE_FALSE(r.has_value());
    CHECK(what_is(r.error(), "period"));
  }
  SECTION("zero window") {
    c.window = sim_duration{0};
    CHECK(what_is(small_inference::make(c).error(), "window"));
  }
  SECTION("negative start") {
    c.start = sim_time{-milliseconds(1)};
    const auto r = small_inference::make(c);
    CHECK(r.error().code == errc::negative);
    CHECK(what_is(r.error(), "start"));
  }
}

TEST_CASE("back-to-back inferences complete every W/(m e f S(n)) and use the cores phase by phase",
          "[inference]") {
  inference_config c;
  c.work = simple_work;
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  // t = 0: the first request arrives and the serial phase starts (thread 0 only).
  REQUIRE(w->next_event(now, s) == now);
  w->on_event(now, s);
  std::array<double, 4> u{};
  w->utilization(now, u);
  CHECK(u == std::array<double, 4>{1.0, 0.0, 0.0, 0.0});
  CHECK(w->phase() == inference_phase::serial);
  // Serial part: 0.2e9 MACs at 4e9 MAC/s = 50 ms.
  CHECK(w->next_event(now, s) == sim_time{milliseconds(50)});
  thermo::test::drive(*w, now, sim_time{milliseconds(50)}, s);
  CHECK(w->phase() == inference_phase::parallel);
  w->utilization(now, u);
  CHECK(u == std::array<double, 4>{1.0, 1.0, 1.0, 1.0});
  // Parallel part: 0.8e9 MACs at 16e9 MAC/s = 50 ms; then the next starts at once.
  CHECK(w->next_event(now, s) == sim_time{milliseconds(100)});
  thermo::test::drive(*w, now, sim_time{seconds(1)}, s);
  CHECK(w->completed() == 10U);
  CHECK(w->latency_min_s() == Approx(0.1).epsilon(1e-12));
  CHECK(w->latency_max_s() == Approx(0.1).epsilon(1e-12));
  CHECK(*w->latency_percentile(0.5) == Approx(0.1).epsilon(1e-12));
  CHECK(w->throughput(0) == Approx(9.0));  // completions at 0.1 … 0.9 s fall in window [0, 1)
}

TEST_CASE("progress is exact through a frequency change (remaining work, not elapsed time)",
          "[inference]") {
  inference_config c;
  c.work = {1e9, 8.0, 0.5, 0.0, 1};  // 0.25 s at 1 GHz, one thread, no serial part
  c.count = 1;
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  // 100 ms at 1 GHz does 40 % of the work; the rest at 500 MHz takes 0.6·0.5 s = 300 ms.
  const std::array<thermo::test::state_change, 1> changes{{{sim_time{milliseconds(100)}, {0.5e9, 2e9, 1.0}}}};
  std::vector<sim_time> completions;
  completions.reserve(4);
  thermo::test::drive(*w, now, sim_time{seconds(2)}, s, changes, [&](sim_time t) {
    if (w->completed() > completions.size()) {
      completions.push_back(t);
    }
  });
  REQUIRE(completions.size() == 1U);
  CHECK(std::llabs((completions[0] - sim_time{milliseconds(400)}).count()) <= 1);
  CHECK(w->latency_max_s() == Approx(0.4).epsilon(1e-9));
  CHECK(w->next_event(now, s) == never);  // count reached: nothing more happens
}

TEST_CASE("idle injection stretches an inference by 1/run_fraction", "[inference]") {
  inference_config c;
  c.work = simple_work;
  c.count = 1;
  auto w = make_ptr<small_inference>(c);
  domain_state s{1e9, 2e9, 0.5};
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(1)}, s);
  REQUIRE(w->completed() == 1U);
  CHECK(w->latency_max_s() == Approx(0.2).epsilon(1e-9));
}

TEST_CASE("periodic requests: latency is the service time and the cores idle between frames",
          "[inference]") {
  inference_config c;
  c.work = simple_work;  // 100 ms at 1 GHz
  c.arrivals = arrival_mode::periodic;
  c.period = milliseconds(250);
  c.start = sim_time{milliseconds(10)};
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  CHECK(w->next_event(now, s) == sim_time{milliseconds(10)});
  thermo::test::drive(*w, now, sim_time{milliseconds(200)}, s);
  std::array<double, 4> u{1, 1, 1, 1};
  w->utilization(now, u);
  CHECK(u == std::array<double, 4>{0.0, 0.0, 0.0, 0.0});  // done at 110 ms, next frame at 260 ms
  CHECK(w->next_event(now, s) == sim_time{milliseconds(260)});
  thermo::test::drive(*w, now, sim_time{seconds(2)}, s);
  CHECK(w->arrivals() == 8U);   // 10, 260, …, 1760 ms
  CHECK(w->completed() == 8U);  // the last completes at 1860 ms
  CHECK(w->latency_mean_s() == Approx(0.1).epsilon(1e-9));
  CHECK(w->dropped() == 0U);
  CHECK(w->backlog() == 0U);
}

TEST_CASE(
    "periodic overload with a queue: the backlog grows and latency grows by (t − period) per frame",
    "[inference]") {
  inference_config c;
  c.work = simple_work;  // 100 ms
  c.arrivals = arrival_mode::periodic;
  c.period = milliseconds(80);
  c.count = 5;
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{milliseconds(350)}, s);
  CHECK(w->backlog() == 1U);  // 5 arrivals by 320 ms, 3 complete, 1 running, 1 waiting
  thermo::test::drive(*w, now, sim_time{seconds(2)}, s);
  REQUIRE(w->completed() == 5U);
  // Frame k arrives at 80k ms and completes at 100(k+1) ms: latency 100 + 20k ms.
  const auto samples = w->latency_samples();
  REQUIRE(samples.size() == 5U);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(samples[k] == Approx(0.1 + 0.02 * static_cast<double>(k)).epsilon(1e-9));
  }
  CHECK(*w->latency_percentile(0.99) == Approx(0.18).epsilon(1e-9));
  CHECK(*w->latency_percentile(0.5) == Approx(0.14).epsilon(1e-9));
  CHECK(*w->latency_percentile(0.0) == Approx(0.1).epsilon(1e-9));
}

TEST_CASE("periodic overload with dropping: frames arriving while busy are dropped",
          "[inference]") {
  inference_config c;
  c.work = simple_work;  // 100 ms
  c.arrivals = arrival_mode::periodic;
  c.period = milliseconds(40);
  c.overload = overload_policy::drop;
  c.count = 10;  // 0, 40, …, 360 ms
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(1)}, s);
  // Accepted: 0 (done 100), 120 (done 220), 240 (done 340), 360 (done 460).
  CHECK(w->completed() == 4U);
  CHECK(w->dropped() == 6U);
  CHECK(w->latency_max_s() == Approx(0.1).epsilon(1e-9));
}

TEST_CASE("latency percentiles need samples and a quantile between 0 and 1", "[inference]") {
  inference_config c;
  c.work = simple_work;
  auto w = make_ptr<small_inference>(c);
  const auto none = w->latency_percentile(0.5);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == errc::empty);
  domain_state s = at_1ghz;
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(1)}, s);
  CHECK(w->latency_percentile(1.5).error().code == errc::out_of_range);
  CHECK(w->latency_percentile(-0.1).error().code == errc::out_of_range);
  CHECK(what_is(w->latency_percentile(std::numeric_limits<double>::quiet_NaN()).error(),
                "percentile"));
}

TEST_CASE("a full sample store keeps a sorted uniform reservoir and exact min, max and mean",
          "[inference]") {
  // Latencies grow 10 ms per frame (queue overload); 100 frames into 16 samples.
  inference_config c;
  c.work = simple_work;
  c.arrivals = arrival_mode::periodic;
  c.period = milliseconds(90);
  c.count = 100;
  auto run = [&] {
    auto w = make_ptr<small_inference>(c);
    domain_state s = at_1ghz;
    sim_time now{};
    thermo::test::drive(*w, now, sim_time{seconds(20)}, s);
    return w;
  };
  const auto a = run();
  REQUIRE(a->completed() == 100U);
  CHECK(a->samples_saturated());
  const auto samples = a->latency_samples();
  REQUIRE(samples.size() == 16U);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    CHECK(samples[i - 1] <= samples[i]);
  }
  CHECK(a->latency_min_s() == Approx(0.1).epsilon(1e-9));
  CHECK(a->latency_max_s() == Approx(0.1 + 0.99).epsilon(1e-9));
  CHECK(a->latency_mean_s() == Approx(0.1 + 0.495).epsilon(1e-9));
  // The reservoir spans the run, not just its first 16 frames (those are ≤ 0.25 s).
  CHECK(samples.back() > 0.5);
  // Seeded: a second run is bit-identical.
  const auto b = run();
  CHECK(std::memcmp(samples.data(), b->latency_samples().data(), samples.size() * sizeof(double)) ==
        0);
  // Algorithm R done the plain way (sorted vector: erase the chosen entry, insert in order) with
  // the same seeded generator draws the same store, entry for entry.
  // The latencies, in completion order: here each is the largest so far.
  std::vector<double> latencies;
  {
    auto w = make_ptr<small_inference>(c);
    domain_state s = at_1ghz;
    sim_time now{};
    std::uint64_t seen = 0;
    thermo::test::drive(*w, now, sim_time{seconds(20)}, s, std::span<const thermo::test::state_change>{}, [&](sim_time) {
      if (w->completed() != seen) {
        seen = w->completed();
        latencies.push_back(w->latency_max_s());
      }
    });
  }
  REQUIRE(latencies.size() == 100U);
  REQUIRE(std::is_sorted(latencies.begin(), latencies.end()));
  std::vector<double> ref;
  prng rng(c.seed);
  for (std::size_t i = 1; i <= 100; ++i) {
    const double latency = latencies[i - 1];
    if (ref.size() < 16U) {
      ref.insert(std::upper_bound(ref.begin(), ref.end(), latency), latency);
      continue;
    }
    const std::uint64_t j = uniform_below(rng, i);
    if (j < 16U) {
      ref.erase(ref.begin() + static_cast<std::ptrdiff_t>(j));
      ref.insert(std::upper_bound(ref.begin(), ref.end(), latency), latency);
    }
  }
  REQUIRE(ref.size() == samples.size());
  CHECK(std::memcmp(ref.data(), samples.data(), samples.size() * sizeof(double)) == 0);
}

TEST_CASE("the reservoir matches plain Algorithm R when latencies rise and fall", "[inference]") {
  // Back to back with the frequency switched every 0.37 s between 1, 0.5 and 2 GHz: latencies
  // jump up and down, so a replaced entry's new place is on either side of the old one.
  inference_config c;
  c.work = simple_work;
  c.seed = 7;
  std::vector<thermo::test::state_change> changes;
  const std::array<double, 3> f{1e9, 0.5e9, 2e9};
  for (std::size_t k = 1; k < 80; ++k) {
    changes.push_back({sim_time{milliseconds(370 * static_cast<std::int64_t>(k))}, domain_state{f[k % 3], 2e9, 1.0}});
  }
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  sim_time started{};
  std::uint64_t seen = 0;
  std::vector<double> latencies;  // in completion order: each inference starts at the last end
  thermo::test::drive(*w, now, sim_time{seconds(30)}, s, changes, [&](sim_time t) {
    if (w->completed() != seen) {
      seen = w->completed();
      latencies.push_back(to_seconds(t - started));
      started = t;
    }
  });
  REQUIRE(latencies.size() > 200U);
  REQUIRE(w->completed() == latencies.size());
  CHECK(*std::max_element(latencies.begin(), latencies.end()) == w->latency_max_s());
  CHECK(*std::min_element(latencies.begin(), latencies.end()) == w->latency_min_s());
  std::size_t ups = 0;
  std::size_t downs = 0;
  for (std::size_t i = 1; i < latencies.size(); ++i) {
    ups += latencies[i] > latencies[i - 1] ? 1U : 0U;
    downs += latencies[i] < latencies[i - 1] ? 1U : 0U;
  }
  CHECK(ups > 10U);
  CHECK(downs > 10U);
  std::vector<double> ref;
  prng rng(c.seed);
  for (std::size_t i = 1; i <= latencies.size(); ++i) {
    const double latency = latencies[i - 1];
    if (ref.size() < 16U) {
      ref.insert(std::upper_bound(ref.begin(), ref.end(), latency), latency);
      continue;
    }
    const std::uint64_t j = uniform_below(rng, i);
    if (j < 16U) {
      ref.erase(ref.begin() + static_cast<std::ptrdiff_t>(j));
      ref.insert(std::upper_bound(ref.begin(), ref.end(), latency), latency);
    }
  }
  const auto samples = w->latency_samples();
  REQUIRE(ref.size() == samples.size());
  CHECK(std::memcmp(ref.data(), samples.data(), samples.size() * sizeof(double)) == 0);
}

TEST_CASE("throughput windows merge pairwise when the run outlasts them", "[inference]") {
  inference_config c;
  c.work = simple_work;  // 10 per second back to back
  c.window = seconds(1);
  auto w = make_ptr<small_inference>(c);  // 8 windows
  domain_state s = at_1ghz;
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{milliseconds(7950)}, s);
  CHECK(w->window_width() == seconds(1));
  CHECK(w->windows().size() == 8U);
  CHECK(w->throughput(3) == Approx(10.0));
  thermo::test::drive(*w, now, sim_time{milliseconds(8050)}, s);  // a completion at 8.0 s needs window 8
  CHECK(w->window_width() == seconds(2));
  REQUIRE(w->windows().size() == 5U);
  CHECK(w->windows()[0].completed == 19U);  // 0.1 … 1.9 s
  CHECK(w->windows()[1].completed == 20U);
  CHECK(w->throughput(1) == Approx(10.0));
  CHECK(w->windows()[4].completed == 1U);
  std::uint64_t total = 0;
  for (const auto& win : w->windows()) {
    total += win.completed;
  }
  CHECK(total == w->completed());
}

TEST_CASE("an unusable domain state makes no progress and schedules nothing", "[inference]") {
  inference_config c;
  c.work = simple_work;
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  w->on_event(sim_time{}, s);  // starts
  REQUIRE(w->phase() == inference_phase::serial);
  const double before = w->remaining_macs();
  for (const domain_state bad : {domain_state{0.0, 2e9, 1.0}, domain_state{std::nan(""), 2e9, 1.0},
                                 domain_state{1e9, 2e9, 0.0}, domain_state{-1e9, 2e9, 1.0}}) {
    CHECK(w->next_event(sim_time{}, bad) == never);
    w->advance(sim_time{}, seconds(1), bad);
    CHECK(w->remaining_macs() == before);
  }
}

TEST_CASE("an inference run does not touch the heap", "[inference]") {
  inference_config c;
  c.work = simple_work;
  c.arrivals = arrival_mode::periodic;
  c.period = milliseconds(90);
  auto w = make_ptr<small_inference>(c);
  domain_state s = at_1ghz;
  sim_time now{};
  const std::array<thermo::test::state_change, 2> changes{
      {{sim_time{seconds(3)}, {0.6e9, 2e9, 1.0}}, {sim_time{seconds(6)}, {1.2e9, 2e9, 0.75}}}};
  std::array<double, 4> u{};
  THERMO_REQUIRE_NO_HEAP(thermo::test::drive(*w, now, sim_time{seconds(30)}, s, changes,
                                             [&](sim_time t) { w->utilization(t, u); }));
  CHECK(w->completed() > 100U);
  CHECK(w->samples_saturated());
}
