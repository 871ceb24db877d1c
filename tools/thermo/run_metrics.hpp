// The metrics of a finished `thermo simulate` run as one flat list of named numbers — tidy
// column names that a sweep aligns by name (`energy_j`, `zone.cpu-thermal.peak_c`,
// `zone.cpu-thermal.trip1.time_above_s`, `domain.big.work_ratio`, …) — and the printed summary,
// a table built from the same numbers. Host code.
//
// Names: `SCOPE.NAME.METRIC` for a part with a name (zone, domain, cooling device), with the
// trips of a zone as `trip<k>` by index (the index of `thermal_zone.trip(k)`, as the scenario's
// `trip` event and the JSON metrics count them). A metric that does not apply to a run (the
// detection latency of a trip never detected) is left out rather than given a made-up value.
// Cooling devices are named by their kernel type; when two share one, the second and later get
// `#2`, `#3`, … in simulation order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim_bundle.hpp"
#include "thermo/io/csv.hpp"

namespace thermo::cli {

/// One number a run measured.
struct metric {
  std::string name;       ///< e.g. "zone.cpu-thermal.peak_c"
  double value{0.0};
  std::string_view unit;  ///< "s", "J", "°C", "" (a count or a ratio), …
};

namespace detail {

/// Cooling-device names for metrics: the kernel type, made unique by `#k` on repeats.
inline std::vector<std::string> cooling_metric_names(const sim_bundle& b, std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < n; ++c) {
    const std::string base(b.sim.cooling_device(c).type());
    const auto seen = std::count(names.begin(), names.end(), base) +
                      std::count_if(names.begin(), names.end(), [&](const std::string& x) { return x.starts_with(base + "#"); });
    names.push_back(seen == 0 ? base : base + "#" + std::to_string(seen + 1));
  }
  return names;
}

}  // namespace detail

namespace detail {

/// The inference metrics of `n` at `now`: completed, throughput over the time since its start,
/// and latency (mean, p50, p99, max) in ms — the latency ones only once one completed.
template <class Add>
void add_inference_metrics(const named_workload<inference_workload>& n, sim_time now, Add&& add) {
  const inference_workload& w = *n.w;
  const std::string p = "workload." + n.name + ".";
  const double active = to_seconds(now - std::min(now, w.config().start));
  add(p + "completed", static_cast<double>(w.completed()), "");
  add(p + "throughput_per_s", active > 0.0 ? static_cast<double>(w.completed()) / active : 0.0, "1/s");
  if (w.config().arrivals == workload::arrival_mode::periodic) {
    add(p + "dropped", static_cast<double>(w.dropped()), "");
  }
  if (w.completed() == 0) {
    return;
  }
  add(p + "latency_mean_ms", 1000.0 * w.latency_mean_s(), "ms");
  for (const auto& [q, name] : {std::pair{0.5, "latency_p50_ms"}, std::pair{0.99, "latency_p99_ms"}}) {
    if (const auto v = w.latency_percentile(q)) {
      add(p + name, 1000.0 * *v, "ms");
    }
  }
  add(p + "latency_max_ms", 1000.0 * w.latency_max_s(), "ms");
}

/// The boot metrics of `n`: finished, and once finished the boot time and its stages.
template <class Add>
void add_boot_metrics(const named_workload<workload::decompression>& n, Add&& add) {
  const workload::decompression& w = *n.w;
  const std::string p = "workload." + n.name + ".";
  add(p + "finished", w.finished() ? 1.0 : 0.0, "");
  if (!w.finished()) {
    return;
  }
  add(p + "boot_time_s", to_seconds(w.boot_time()), "s");
  add(p + "load_s", to_seconds(w.stage_duration(workload::boot_stage::load)), "s");
  if (w.config().compressed) {
    add(p + "relocate_s", to_seconds(w.stage_duration(workload::boot_stage::relocate)), "s");
    add(p + "decompress_s", to_seconds(w.stage_duration(workload::boot_stage::decompress)), "s");
  }
}

}  // namespace detail

/// Every metric of a finished (or stopped) run, in a stable order: run, zones (and their trips),
/// domains, cooling devices, inference and boot workloads (in file order).
[[nodiscard]] inline std::vector<metric> flat_metrics(const sim_bundle& b) {
  const auto m = b.sim.metrics();
  std::vector<metric> out;
  const auto add = [&](std::string name, double v, std::string_view unit) { out.push_back({std::move(name), v, unit}); };
  add("duration_s", to_seconds(m.duration), "s");
  add("energy_j", m.energy_j, "J");
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const auto& zm = m.zones[z];
    const std::string p = "zone." + b.zone_names[z] + ".";
    add(p + "peak_c", zm.peak_c, "°C");
    add(p + "peak_time_s", to_seconds(zm.peak_time), "s");
    add(p + "updates", zm.updates, "");
    add(p + "interrupts", zm.interrupts, "");
    add(p + "read_failures", zm.read_failures, "");
    add(p + "saturated_reads", zm.saturated_reads, "");
    add(p + "unhandled_critical", zm.unhandled_critical ? 1.0 : 0.0, "");
    for (std::size_t t = 0; t < zm.trips.size(); ++t) {
      const auto& tm = zm.trips[t];
      const std::string q = p + "trip" + std::to_string(t) + ".";
      add(q + "temperature_c", static_cast<double>(tm.temperature.count()) / 1000.0, "°C");
      add(q + "crossings", tm.crossings, "");
      add(q + "detections", tm.detections, "");
      add(q + "missed", tm.missed, "");
      add(q + "false_alarms", tm.false_alarms, "");
      add(q + "time_above_s", tm.time_above_s, "s");
      add(q + "max_overshoot_c", tm.max_overshoot_c, "°C");
      if (tm.detections > 0) {
        add(q + "latency_mean_s", tm.latency_mean_s, "s");
        add(q + "latency_max_s", tm.latency_max_s, "s");
      }
    }
  }
  for (std::size_t d = 0; d < m.domains.size(); ++d) {
    const auto& dm = m.domains[d];
    const std::string p = "domain." + std::string(b.sim.domain(d).name()) + ".";
    add(p + "energy_j", dm.energy_j, "J");
    add(p + "work_ratio", dm.work_ratio(), "");
    add(p + "time_capped_s", dm.time_capped_s, "s");
    add(p + "time_injected_s", dm.time_injected_s, "s");
  }
  const std::vector<std::string> cooling = detail::cooling_metric_names(b, m.cooling.size());
  for (std::size_t c = 0; c < m.cooling.size(); ++c) {
    const auto& cm = m.cooling[c];
    const std::string p = "cooling." + cooling[c] + ".";
    add(p + "time_active_s", cm.time_active_s, "s");
    add(p + "transitions", cm.transitions, "");
    add(p + "max_state", cm.max_state, "");
  }
  for (const named_workload<inference_workload>& n : b.inference) {
    detail::add_inference_metrics(n, b.sim.now(), add);
  }
  for (const named_workload<workload::decompression>& n : b.boots) {
    detail::add_boot_metrics(n, add);
  }
  return out;
}

namespace detail {

/// A plain-text table: the first column left-aligned, the others right-aligned, two spaces
/// between columns, a header row and a rule under it.
class text_table {
 public:
  explicit text_table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void row(std::vector<std::string> cells) {
    cells.resize(rows_.front().size());
    rows_.push_back(std::move(cells));
  }
  [[nodiscard]] bool empty() const { return rows_.size() == 1; }
  [[nodiscard]] std::string render() const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& r : rows_) {
      for (std::size_t c = 0; c < r.size(); ++c) {
        width[c] = std::max(width[c], display_width(r[c]));
      }
    }
    std::string out;
    for (std::size_t k = 0; k < rows_.size(); ++k) {
      std::string line;
      for (std::size_t c = 0; c < rows_[k].size(); ++c) {
        const std::string& cell = rows_[k][c];
        const std::string pad(width[c] - display_width(cell), ' ');
        line += (c == 0 ? "" : "  ") + (c == 0 ? cell + pad : pad + cell);
      }
      while (!line.empty() && line.back() == ' ') {
        line.pop_back();
      }
      out += line + '\n';
      if (k == 0) {
        std::size_t total = 0;
        for (const std::size_t w : width) {
          total += w;
        }
        out += std::string(total + 2 * (width.size() - 1), '-') + '\n';
      }
    }
    return out;
  }

 private:
  /// Code points, not bytes ("°C" is two columns wide).
  static std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U; }));
  }
  std::vector<std::vector<std::string>> rows_;
};

/// `v` with `decimals` digits after the point.
inline std::string fixed(double v, int decimals) {
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.*f", decimals, v);
  return std::string(buf.data(), n > 0 ? std::min(static_cast<std::size_t>(n), buf.size() - 1) : 0U);
}

}  // namespace detail

/// The printed summary of a run: one table per kind of part, every metric a reader compares
/// (peak and overshoot, time above each trip, detection latency, work done against an
/// unthrottled run, energy per domain and in total, inference throughput and latency, boot
/// time), and warnings for what went wrong.
[[nodiscard]] inline std::string metrics_summary(const sim_bundle& b) {
  using detail::fixed;
  const auto m = b.sim.metrics();
  std::string s = "simulated " + fixed(to_seconds(m.duration), 3) + " s (" + run_outcome(b) + "), energy " +
                  fixed(m.energy_j, 3) + " J\n";
  detail::text_table zones({"zone", "peak °C", "at s", "trip", "trip °C", "above s", "overshoot °C", "detect mean ms", "detect max ms",
                            "missed"});
  std::string warnings;
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const auto& zm = m.zones[z];
    const std::string& name = b.zone_names[z];
    if (zm.trips.empty()) {
      zones.row({name, fixed(zm.peak_c, 2), fixed(to_seconds(zm.peak_time), 1), "-"});
    }
    for (std::size_t t = 0; t < zm.trips.size(); ++t) {
      const auto& tm = zm.trips[t];
      const bool detected = tm.detections > 0;
      zones.row({t == 0 ? name : "", t == 0 ? fixed(zm.peak_c, 2) : "", t == 0 ? fixed(to_seconds(zm.peak_time), 1) : "",
                 std::to_string(t), fixed(static_cast<double>(tm.temperature.count()) / 1000.0, 1), fixed(tm.time_above_s, 1),
                 fixed(tm.max_overshoot_c, 2), detected ? fixed(1000.0 * tm.latency_mean_s, 1) : "-",
                 detected ? fixed(1000.0 * tm.latency_max_s, 1) : "-", std::to_string(tm.missed)});
    }
    if (zm.unhandled_critical) {
      warnings += "zone " + name + ": WARNING: a critical trip was crossed and never handled (no shutdown)\n";
    }
    if (zm.saturated_reads > 0) {
      warnings += "zone " + name + ": WARNING: " + std::to_string(zm.saturated_reads) +
                  " reads did not fit a millicelsius and were saturated to ±2147483.647 °C\n";
    }
  }
  if (!zones.empty()) {
    s += '\n' + zones.render();
  }
  detail::text_table domains({"domain", "energy J", "work done %", "capped s"});
  for (std::size_t d = 0; d < m.domains.size(); ++d) {
    const auto& dm = m.domains[d];
    domains.row({std::string(b.sim.domain(d).name()), fixed(dm.energy_j, 3), fixed(100.0 * dm.work_ratio(), 1), fixed(dm.time_capped_s, 1)});
  }
  if (!domains.empty()) {
    domains.row({"total", fixed(m.energy_j, 3)});
    s += '\n' + domains.render();
  }
  detail::text_table cooling({"cooling device", "active s", "transitions", "max state"});
  const std::vector<std::string> names = detail::cooling_metric_names(b, m.cooling.size());
  for (std::size_t c = 0; c < m.cooling.size(); ++c) {
    const auto& cm = m.cooling[c];
    cooling.row({names[c], fixed(cm.time_active_s, 1), std::to_string(cm.transitions), std::to_string(cm.max_state)});
  }
  if (!cooling.empty()) {
    s += '\n' + cooling.render();
  }
  // inference and boot workloads, from their flat metrics
  const auto value = [](const std::vector<metric>& ms, std::string_view name, int decimals) -> std::string {
    const auto it = std::find_if(ms.begin(), ms.end(), [&](const metric& x) { return x.name.ends_with(name); });
    return it == ms.end() ? "-" : fixed(it->value, decimals);
  };
  detail::text_table inference({"inference", "completed", "per s", "mean ms", "p50 ms", "p99 ms", "max ms"});
  for (const named_workload<inference_workload>& n : b.inference) {
    std::vector<metric> ms;
    detail::add_inference_metrics(n, b.sim.now(), [&](std::string name, double v, std::string_view unit) {
      ms.push_back({std::move(name), v, unit});
    });
    inference.row({n.name, value(ms, ".completed", 0), value(ms, ".throughput_per_s", 2), value(ms, ".latency_mean_ms", 1),
                   value(ms, ".latency_p50_ms", 1), value(ms, ".latency_p99_ms", 1), value(ms, ".latency_max_ms", 1)});
  }
  if (!inference.empty()) {
    s += '\n' + inference.render();
  }
  detail::text_table boots({"boot", "boot s", "load s", "decompress s"});
  for (const named_workload<workload::decompression>& n : b.boots) {
    std::vector<metric> ms;
    detail::add_boot_metrics(n, [&](std::string name, double v, std::string_view unit) { ms.push_back({std::move(name), v, unit}); });
    boots.row({n.name, n.w->finished() ? value(ms, ".boot_time_s", 3) : "not done", value(ms, ".load_s", 3), value(ms, ".decompress_s", 3)});
  }
  if (!boots.empty()) {
    s += '\n' + boots.render();
  }
  return s + warnings;
}

}  // namespace thermo::cli
