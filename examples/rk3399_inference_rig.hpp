// rk3399_inference_rig.hpp: the simulated RK3399 board shared by the inference examples
// (inference_rk3399, inference_threads, inference_governors). Not a library header: it only
// keeps the three examples' set-up identical.
//
// The plant is sim::rk3399_board (five nodes: big, little, gpu, soc, board; 25 °C ambient); the
// control side is the RK3399 preset as Linux 6.12 builds it (sim::add_soc): cpufreq cooling for
// both clusters, devfreq for the GPU, the cpu-thermal zone (65/75/95 °C, 1000/100 ms polling,
// sustainable power 1550 mW) and the gpu-thermal zone. The cpu-thermal sensor reads the big
// cluster's hot spot (TSADC channel 0 sits among the CPUs), the gpu-thermal sensor the GPU.
#pragma once

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "thermo/control/governors/governors.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/inference.hpp"

namespace rig {

using namespace thermo;

/// The thermal policy of the cpu-thermal zone.
enum class policy { power_allocator, step_wise, fair_share };

inline std::string_view to_string(policy p) {
  switch (p) {
    case policy::power_allocator:
      return "power_allocator";
    case policy::step_wise:
      return "step_wise";
    case policy::fair_share:
      return "fair_share";
  }
  return "?";
}

/// Capacity of one inference workload: 2 threads (the A72 cluster) up to 4 (the A53 cluster),
/// 4096 latency samples, 1024 throughput windows.
using inference_workload = workload::inference<4, 4096, 1024>;

/// Domain indices sim::add_soc gives the RK3399's clusters (preset order: little, big, gpu).
inline constexpr std::size_t little_domain = 0;
inline constexpr std::size_t big_domain = 1;

/// Everything one run needs, in one heap allocation made at set-up.
struct board {
  sim::simulation<> sim;
  sim::recorder rec{200'000};
  control::power_allocator<4> ipa_cpu;
  control::power_allocator<2> ipa_gpu;
  control::step_wise<> step;
  control::fair_share fair;
  std::unique_ptr<inference_workload> work;
  sim::soc_parts<8> parts;
};

/// Builds the board with `p` on cpu-thermal (power_allocator on gpu-thermal), lets
/// `add_workloads(board&) -> error` add the workloads, and starts it, recording every
/// `record_interval`. Prints a message and returns nullptr on any error.
template <class AddWorkloads>
std::unique_ptr<board> make_board_with(policy p, double ambient_c, sim_duration record_interval,
                                       AddWorkloads&& add_workloads) {
  auto b = std::make_unique<board>();
  auto fail = [](const char* step, const error& e) {
    std::fprintf(stderr, "rig: %s: %s (%s)\n", step, e.what,
                 std::string(to_string(e.code)).c_str());
    return std::unique_ptr<board>();
  };
  // [plant]
  sim::simulation<>::builder_type plant;  // starts at ambient
  if (const error e = sim::rk3399_board(plant, ambient_c); !e.ok()) {
    return fail("plant", e);
  }
  if (const error e = b->sim.set_plant(plant); !e.ok()) {
    return fail("plant", e);
  }
  b->sim.set_node_names(sim::rk3399_node_names);
  const sim::rk3399_nodes n;
  static constexpr std::array<weighted_node<double>, 1> cpu_probe{{{0, 1.0}}};  // the big hot spot
  static constexpr std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};
  const auto s_cpu = b->sim.add_sensor({"tsadc0", cpu_probe, {}});
  const auto s_gpu = b->sim.add_sensor({"tsadc1", gpu_probe, {}});
  if (!s_cpu || !s_gpu) {
    return fail("sensors", s_cpu ? s_gpu.error() : s_cpu.error());
  }
  control::governor_ref cpu_gov;
  switch (p) {
    case policy::power_allocator:
      cpu_gov = control::governor_ref(b->ipa_cpu);
      break;
    case policy::step_wise:
      cpu_gov = control::governor_ref(b->step);
      break;
    case policy::fair_share:
      cpu_gov = control::governor_ref(b->fair);
      break;
  }
  const std::array<std::size_t, 2> clusters{n.little, n.big};
  const std::array<std::size_t, 1> devices{n.gpu};
  const std::array<std::size_t, 2> sensors{*s_cpu, *s_gpu};
  const std::array<control::governor_ref, 2> governors{cpu_gov, control::governor_ref(b->ipa_gpu)};
  auto parts = sim::add_soc(b->sim, presets::rk3399, {clusters, devices, sensors, governors, {}});
  // [plant]
  if (!parts) {
    return fail("soc", parts.error());
  }
  b->parts = *parts;
  if (const error e = add_workloads(*b); !e.ok()) {
    return fail("workload", e);
  }
  sim::sim_options opt;
  opt.record_interval = record_interval;
  if (const error e = b->sim.set_options(opt); !e.ok()) {
    return fail("options", e);
  }
  b->sim.set_recorder(&b->rec);
  if (const error e = b->sim.start(); !e.ok()) {
    return fail("start", e);
  }
  return b;
}

/// The board with one inference workload `cfg` (its `domain` must be little_domain or
/// big_domain), owned by the board.
inline std::unique_ptr<board> make_board(policy p, const workload::inference_config& cfg,
                                         double ambient_c = 25.0,
                                         sim_duration record_interval = std::chrono::seconds(1)) {
  return make_board_with(p, ambient_c, record_interval, [&cfg](board& b) -> error {
    auto made = inference_workload::make(cfg);
    if (!made) {
      return made.error();
    }
    b.work = std::make_unique<inference_workload>(*made);
    if (auto w = b.sim.add_workload(*b.work); !w) {
      return w.error();
    }
    return {};
  });
}

/// Means of a recorded column over consecutive bins of `bin_s` seconds, from t = 0 (rows at
/// t > 0; the initial row is skipped). Governors change the frequency every 100 ms and often
/// dither between two OPPs, so a plot of point samples aliases; bin means show the effective
/// frequency.
inline std::vector<double> bin_means(const sim::recorder& rec, std::size_t column, double bin_s,
                                     std::size_t bins) {
  std::vector<double> sum(bins, 0.0);
  std::vector<double> count(bins, 0.0);
  for (std::size_t r = 0; r < rec.rows(); ++r) {
    const double t = to_seconds(rec.time(r));
    if (t <= 0.0) {
      continue;
    }
    // a sample at t stands for (t − interval, t]: bin of the instant just before t
    const auto k = static_cast<std::size_t>((t - 1e-9) / bin_s);
    if (k < bins) {
      sum[k] += rec.value(r, column);
      count[k] += 1.0;
    }
  }
  for (std::size_t k = 0; k < bins; ++k) {
    sum[k] = count[k] > 0.0 ? sum[k] / count[k] : 0.0;
  }
  return sum;
}

/// The work of `model` under framework `fw` on cluster `domain` of the RK3399, back to back.
inline result<workload::inference_config, error> back_to_back(std::string_view model,
                                                              schema::framework fw,
                                                              std::size_t domain) {
  const auto& cl = presets::rk3399.clusters[domain];
  const auto w = presets::preset_work(model, fw, cl.compatible, cl.cpu_ids.size());
  if (!w) {
    return w.error();
  }
  workload::inference_config c;
  c.domain = domain;
  c.work = *w;
  c.arrivals = workload::arrival_mode::back_to_back;
  c.window = std::chrono::seconds(5);
  return c;
}

}  // namespace rig
