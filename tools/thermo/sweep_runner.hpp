// `thermo sweep`: runs the points of a study on a pool of threads. Each point's scenario text
// is the base text with the axes' keys set (sweep_axes.hpp), parsed by the normal parser and
// built by the normal builder (simulate.hpp), run without a trace (rows are only hashed) and
// turned into a row of the results (sweep_results.hpp). The SoC each scenario names is loaded
// once per sweep and shared. Results do not depend on the number of threads. Host code.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "run_metrics.hpp"
#include "scenario.hpp"
#include "simulate.hpp"
#include "sweep_axes.hpp"
#include "sweep_results.hpp"
#include "system_source.hpp"

namespace thermo::cli::sweep {

/// A row sink that keeps nothing: the recorder hashes every row it hands over.
class discard_rows final : public sim::row_sink {
 public:
  void write(const sim::recorder& /*block*/) noexcept override {}
};

/// The SoC descriptions of a sweep, loaded once each (by preset name or device-tree path) and
/// shared read-only by the threads.
class source_cache {
 public:
  /// The source `s` names, or the message of why it cannot be loaded.
  std::shared_ptr<const outcome<system_source>> get(const io::scenario& s) {
    const std::string key = s.dtb.empty() ? "preset:" + s.preset : "dtb:" + cli::detail::resolve(s, s.dtb);
    const std::lock_guard lock(m_);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      auto src = s.dtb.empty() ? load_preset(s.preset) : load_dtb(cli::detail::resolve(s, s.dtb));
      it = cache_.emplace(key, std::make_shared<const outcome<system_source>>(std::move(src))).first;
    }
    return it->second;
  }

 private:
  std::mutex m_;
  std::map<std::string, std::shared_ptr<const outcome<system_source>>, std::less<>> cache_;
};

/// The factorised plants of a sweep (sim::shared_plant, ADR 0005), one per distinct value of
/// the axes that can change the plant's network (keys of [plant], [node], [links], [fan] and
/// [sensor] sections): the first point of each exports its plant after its run, later points
/// copy it instead of factorising. A plant that turns out not to match is ignored by the
/// simulation, so a key that is too coarse costs time, never correctness; results are
/// bit-identical with or without sharing, so the order the threads run in does not show.
class plant_cache {
 public:
  using plant_type = sim::shared_plant<cli_limits>;

  /// The key of point `p`: its values of the axes that can change the network.
  [[nodiscard]] static std::string key_of(const std::vector<axis>& axes, const point& p) {
    std::string k;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::string& sec = axes[i].section;
      if (sec == "plant" || sec == "node" || sec == "links" || sec == "fan" || sec == "sensor") {
        k += p[i];
        k += '\n';
      }
    }
    return k;
  }
  [[nodiscard]] std::shared_ptr<const plant_type> get(const std::string& key) {
    const std::lock_guard lock(m_);
    const auto it = plants_.find(key);
    return it == plants_.end() ? nullptr : it->second;
  }
  /// Keeps the plant of `b`'s (finished) simulation under `key` unless one is kept already.
  void offer(const std::string& key, const cli_simulation& sim) {
    {
      const std::lock_guard lock(m_);
      if (plants_.count(key) != 0 || plants_.size() >= max_plants) {
        return;
      }
    }
    auto p = std::make_shared<plant_type>();
    if (!sim.export_plant(*p).ok()) {
      return;
    }
    const std::lock_guard lock(m_);
    plants_.emplace(key, std::move(p));
  }
  /// Points that copied a shared plant, and points that factorised their own.
  std::atomic<std::size_t> shared{0};
  std::atomic<std::size_t> factorised{0};

 private:
  static constexpr std::size_t max_plants = 64;  ///< distinct plants kept (memory: each holds its networks)
  std::mutex m_;
  std::map<std::string, std::shared_ptr<const plant_type>, std::less<>> plants_;
};

/// The trace hash as 16 hex digits.
[[nodiscard]] inline std::string hex64(std::uint64_t v) {
  std::string s(16, '0');
  for (std::size_t i = 16; i-- > 0; v >>= 4U) {
    s[i] = "0123456789abcdef"[v & 0xFU];
  }
  return s;
}

/// One line: a message's line breaks become spaces (a row is one line).
[[nodiscard]] inline std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

/// Runs one scenario text (`source` names it in messages and gives the folder of relative
/// paths) and fills `row`'s status, metrics and trace hash.
/// `plants` and `plant_key` (optional): the sweep's shared plants and this point's key.
/// `kernel` (optional): `--kernel`, replacing the scenario's `[run] kernel`.
inline void run_scenario_text(const std::string& text, const std::string& source, source_cache& sources, result_row& row,
                              plant_cache* plants = nullptr, const std::string& plant_key = {},
                              const std::optional<control::kernel_version>& kernel = std::nullopt) {
  row.metrics.clear();
  row.trace_hash.clear();
  auto scn = parse_scenario(text, source);
  if (!scn) {
    row.status = one_line(scn.message());
    return;
  }
  if (kernel) {
    scn->kernel = *kernel;
  }
  const auto src = sources.get(*scn);
  if (!src->ok()) {
    row.status = one_line(cli::detail::at_line(*scn, scn->soc_line) + src->message());
    return;
  }
  const auto shared = plants != nullptr ? plants->get(plant_key) : nullptr;
  auto bundle = build_simulation(*scn, src->value(), shared.get());
  if (!bundle) {
    row.status = one_line(bundle.message());
    return;
  }
  sim_bundle& b = **bundle;
  discard_rows sink;
  b.rec.set_sink(&sink);
  (void)b.sim.run_until(sim_time{scn->duration});
  b.rec.flush();
  b.rec.set_sink(nullptr);
  if (plants != nullptr) {
    (b.sim.plant_shared() ? plants->shared : plants->factorised).fetch_add(1);
    if (!b.sim.plant_shared()) {
      plants->offer(plant_key, b.sim);
    }
  }
  if (b.sim.status() == sim::run_status::budget_exhausted) {
    row.status = one_line(cli::detail::at_line(*scn, scn->duration_line) + "the run stopped at " +
                          io::format_number(to_seconds(b.sim.now()), 6) + " s: it used up its budget of " +
                          std::to_string(io::scenario_limits::max_run_events) + " events");
    return;
  }
  row.status = "ok";
  for (const metric& m : flat_metrics(b)) {
    row.metrics.emplace_back(m.name, format_metric(m.value));
  }
  row.trace_hash = hex64(b.rec.hash());
}

/// A study ready to run: the scenario, where its keys are, and the points.
struct study {
  std::string scenario_path;
  std::vector<axis> axes;
  scenario_template text;
  std::vector<point> points;
  std::optional<control::kernel_version> kernel{};  ///< `--kernel` (replaces [run] kernel)
};

/// Checks every value of every axis against the scenario (each alone on the base text: the
/// other axes' keys as the scenario has them) before any point runs: "" or the parser's
/// message, prefixed with the axis and value.
[[nodiscard]] inline std::string check_axes(const study& s, design d) {
  for (std::size_t k = 0; k < s.axes.size(); ++k) {
    std::vector<std::string> values(s.axes.size());
    for (const std::string& v : values_to_check(s.axes[k], d)) {
      values[k] = v;
      if (auto scn = parse_scenario(s.text.apply(values), s.scenario_path); !scn) {
        return "--axis " + s.axes[k].key + "=" + v + ": " + scn.message();
      }
    }
  }
  return {};
}

/// Runs `todo` (indices into `s.points`) on `jobs` threads, filling `rows[i]` for each. About
/// ten times a second and once at the end, calls `on_progress(finished)` from the calling
/// thread with the indices finished so far (their rows complete and safe to read then).
inline void run_points(const study& s, const std::vector<std::size_t>& todo, std::size_t jobs, std::vector<result_row>& rows,
                       source_cache& sources, plant_cache& plants, const std::function<void(const std::vector<std::size_t>&)>& on_progress = {}) {
  std::atomic<std::size_t> next{0};
  std::vector<std::size_t> finished;
  finished.reserve(todo.size());
  std::mutex m;
  std::condition_variable cv;
  const auto worker = [&] {
    for (std::size_t j = next.fetch_add(1); j < todo.size(); j = next.fetch_add(1)) {
      const std::size_t i = todo[j];
      result_row r;
      r.point = i;
      r.params = s.points[i];
      run_scenario_text(s.text.apply(s.points[i]), s.scenario_path, sources, r, &plants, plant_cache::key_of(s.axes, s.points[i]),
                        s.kernel);
      {
        const std::lock_guard lock(m);
        rows[i] = std::move(r);
        finished.push_back(i);
      }
      cv.notify_one();
    }
  };
  std::vector<std::thread> pool;
  const std::size_t n = std::max<std::size_t>(1, std::min(jobs, todo.size()));
  for (std::size_t t = 0; t < n; ++t) {
    pool.emplace_back(worker);
  }
  {
    std::unique_lock lock(m);
    while (finished.size() < todo.size()) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      if (on_progress) {
        on_progress(finished);
      }
    }
  }
  for (std::thread& t : pool) {
    t.join();
  }
  if (on_progress) {
    on_progress(finished);
  }
}

}  // namespace thermo::cli::sweep
