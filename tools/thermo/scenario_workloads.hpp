// The modelled workloads of a scenario: `type = inference` (a preset model under a framework on
// a CPU cluster, workload/inference.hpp over presets/inference.hpp, as the C++ examples build
// it) and `type = boot` (a compressed-kernel boot on one CPU, workload/decompression.hpp with a
// decompressor profile of presets/compressors.hpp). Each is owned by the sim_bundle under its
// name, so that its results become metrics (run_metrics.hpp). Host code.
#pragma once

#include <cctype>
#include <cstddef>
#include <memory>
#include <string>

#include "scenario.hpp"
#include "sim_bundle.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/schema/boot.hpp"
#include "thermo/workload/decompression.hpp"
#include "thermo/workload/inference.hpp"

namespace thermo::cli::detail {

/// What building a workload went wrong with: the message, and the line of the key it is about
/// (0: the section's line).
struct workload_error {
  std::string message;
  std::size_t line{0};
};

/// The core type name a CPU cluster's compatible gives ("arm,cortex-a72" → "Cortex-A72").
inline std::string core_name_of(const schema::cpu_cluster_desc& cl) {
  if (const schema::core_type_desc* c = presets::find_core_type(cl.compatible)) {
    return std::string(c->name);
  }
  std::string n(cl.compatible.substr(cl.compatible.find(',') == std::string_view::npos ? 0 : cl.compatible.find(',') + 1));
  if (n.starts_with("cortex-") && n.size() > 7) {
    n = "Cortex-" + std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(n[7])))) + n.substr(8);
  }
  return n;
}

/// Adds inference workload `w` on cluster `cl` (the simulation's domain `dom`).
inline workload_error add_inference(const io::scenario_workload& w, const schema::cpu_cluster_desc& cl, std::size_t dom, sim_bundle& b) {
  const io::scenario_inference& in = w.inference;
  const schema::framework fw = in.framework == "tvm" ? schema::framework::tvm : schema::framework::tflite;
  const auto work = presets::preset_work(in.model, fw, cl.compatible, cl.cpu_ids.size(), in.threads);
  if (!work) {
    const error& e = work.error();
    if (e.code == errc::not_found && std::string_view(e.what) == "inference model") {
      std::string names;
      for (const auto& m : presets::inference_models) {
        names += (names.empty() ? "" : ", ") + std::string(m.name);
      }
      return {"no preset inference model '" + in.model + "' (" + names + ")", w.line_of("model")};
    }
    if (e.code == errc::not_found) {
      std::string cores;
      for (const auto& c : presets::core_types) {
        cores += (cores.empty() ? "" : ", ") + std::string(c.compatible);
      }
      return {"cluster " + w.cluster + " (" + std::string(cl.compatible) + ") has no inference calibration (" + cores + ")",
              w.line_of("cluster")};
    }
    if (std::string_view(e.what) == "threads") {
      return {"threads = " + std::to_string(in.threads) + ": cluster " + w.cluster + " has " + std::to_string(cl.cpu_ids.size()) +
                  " cores",
              w.line_of("threads")};
    }
    return {error_text(e), 0};
  }
  workload::inference_config c;
  c.domain = dom;
  c.work = *work;
  c.arrivals = in.arrivals == "periodic" ? workload::arrival_mode::periodic : workload::arrival_mode::back_to_back;
  c.period = in.period;
  c.start = w.start;
  c.overload = in.overload == "drop" ? workload::overload_policy::drop : workload::overload_policy::queue;
  c.count = in.count;
  c.window = in.window;
  c.seed = in.seed;
  auto made = inference_workload::make(c);
  if (!made) {
    return {error_text(made.error()), 0};
  }
  named_workload<inference_workload>& slot = b.inference.emplace_back();
  slot.name = w.name;
  slot.w = std::make_unique<inference_workload>(*made);
  if (auto r = b.sim.add_workload(*slot.w); !r) {
    return {error_text(r.error()), 0};
  }
  return {};
}

/// Adds boot workload `w` on cluster `cl` (domain `dom`; one CPU, the boot CPU).
inline workload_error add_boot(const io::scenario_workload& w, const schema::cpu_cluster_desc& cl, std::size_t dom, sim_bundle& b) {
  const io::scenario_boot& bt = w.boot;
  schema::compressor alg = schema::compressor::gzip;
  for (const auto c : {schema::compressor::gzip, schema::compressor::lzma, schema::compressor::xz, schema::compressor::lzo,
                       schema::compressor::lz4, schema::compressor::zstd, schema::compressor::bzip2}) {
    if (schema::to_string(c) == bt.compressor) {
      alg = c;
    }
  }
  const std::string core = bt.core.empty() ? core_name_of(cl) : bt.core;
  const schema::decompressor_profile* prof = presets::find_decompressor(core, alg);
  if (prof == nullptr && bt.compressed) {
    std::string cores;
    for (const auto& p : presets::decompressor_profiles) {
      if (p.algorithm == alg && cores.find(std::string(p.core)) == std::string::npos) {
        cores += (cores.empty() ? "" : ", ") + std::string(p.core);
      }
    }
    return {"no " + bt.compressor + " decompressor profile for core " + core + (bt.core.empty() ? " (cluster " + w.cluster + ")" : "") +
                "; profiles: " + cores + (bt.core.empty() ? " (choose one with core = NAME)" : ""),
            w.line_of(bt.core.empty() ? "compressor" : "core")};
  }
  workload::decompression_config c;
  c.domain = dom;
  c.image = {.uncompressed_bytes = bt.vmlinux_bytes, .compressed_bytes = bt.zimage_bytes};
  c.compressed = bt.compressed;
  if (prof != nullptr) {
    c.decompressor = analysis::from_profile(*prof);
  }
  c.platform.cpu_frequency_hz = 1.0;  // not used: the simulation supplies the clock
  c.platform.storage_bytes_per_s = bt.bandwidth_mb_s * 1e6;
  c.platform.storage_setup_s = to_seconds(bt.setup);
  c.platform.relocate = bt.relocate_bytes_per_cycle > 0.0;
  c.platform.relocation_bytes_per_cycle = bt.relocate_bytes_per_cycle;
  c.load_utilization = bt.load_utilization;
  c.start = w.start;
  auto made = workload::decompression::make(c);
  if (!made) {
    return {error_text(made.error()), 0};
  }
  named_workload<workload::decompression>& slot = b.boots.emplace_back();
  slot.name = w.name;
  slot.w = std::make_unique<workload::decompression>(*made);
  if (auto r = b.sim.add_workload(*slot.w); !r) {
    return {error_text(r.error()), 0};
  }
  if (bt.core.empty() || bt.core == core_name_of(cl)) {
    return {};
  }
  b.notes.push_back("workload " + w.name + ": decompressor profile of " + core + " used on cluster " + w.cluster + " (" +
                    core_name_of(cl) + ")");
  return {};
}

}  // namespace thermo::cli::detail
