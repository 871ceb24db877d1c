/// @file scenario.hpp
/// The scenario format of `thermo simulate` (docs/reference/scenario-format.md), read into plain
/// records (host-only: std::string, std::vector). An INI-like text — `[section]` or
/// `[section NAME]` headers, `key = value` lines, `#` comments — becomes a `scenario`: one
/// record per section (`scenario_node`, `scenario_sensor`, `scenario_zone` …), each value parsed
/// (numbers, durations, names, node lists) and each record carrying the line it starts on, and
/// the names checked against each other (a zone's sensor exists, a link's nodes exist …).
///
/// Parsing only: nothing here builds a simulation or looks at a SoC. Building from the records
/// (the plant, the SoC's parts through sim/soc.hpp, the governors by name) is the caller's —
/// the `thermo` tool's `build_simulation` (tools/thermo/simulate.hpp). Names a SoC must resolve
/// (a cluster, a zone, a fan) are checked there; names the format itself fixes (sections, keys,
/// governors, the reference plant's nodes) are checked here.
///
/// Every error names the file and line: "big.scn:12: unknown key 'capacitence' in [node big]
/// (capacitance, to_ambient, initial)"; the first error in file order is the one reported. The
/// records and the format's limits (`scenario_limits`) are in io/scenario_records.hpp.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/governors/registry.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/scenario_records.hpp"
#include "thermo/io/text.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/workload/synthetic.hpp"

namespace thermo::io {

namespace detail::scenario_text {

/// Strips a trailing comment: '#' at the start or after whitespace.
inline std::string_view strip_comment(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return trim(s.substr(0, i));
    }
  }
  return trim(s);
}

}  // namespace detail::scenario_text

/// The scenario parser (one use: `parse_scenario`).
class scenario_parser {
 public:
  scenario_parser(std::string_view text, std::string source) : text_(text) {
    s_.source = std::move(source);
    const auto slash = s_.source.rfind('/');
    s_.dir = slash == std::string::npos ? std::string(".") : s_.source.substr(0, slash == 0 ? 1 : slash);
  }

  /// Parses into `out`; on error, `out` is left empty.
  text_error parse(scenario& out) {
    const std::vector<std::string_view> lines = split_lines(text_);
    for (std::size_t i = 0; i < lines.size() && err_.empty(); ++i) {
      line_ = i + 1;
      const std::string_view l = detail::scenario_text::strip_comment(lines[i]);
      if (l.empty()) {
        continue;
      }
      if (l.front() == '[') {
        section(l);
        continue;
      }
      const auto eq = l.find('=');
      if (eq == std::string_view::npos) {
        fail("expected 'key = value' or a [section]");
        break;
      }
      const std::string_view key = trim(l.substr(0, eq));
      const std::string_view value = trim(l.substr(eq + 1));
      if (key.empty()) {
        fail("missing key before '='");
        break;
      }
      if (kind_.empty()) {
        fail("'" + std::string(key) + "' outside any [section]");
        break;
      }
      entry(key, value);
    }
    if (err_.empty()) {
      line_ = 0;
      finish();
    }
    if (!err_.empty()) {
      out = {};
      return {.code = errc::parse_error, .message = err_, .line = err_line_};
    }
    out = std::move(s_);
    return {};
  }

 private:
  void fail(const std::string& what) {
    if (err_.empty()) {
      err_ = s_.source + (line_ > 0 ? ":" + std::to_string(line_) : std::string()) + ": " + what;
      err_line_ = line_;
    }
  }
  std::string where() const { return "[" + kind_ + (name_.empty() ? "" : " " + name_) + "]"; }
  void unknown_key(std::string_view key, std::string_view allowed) {
    fail("unknown key '" + std::string(key) + "' in " + where() + " (" + std::string(allowed) + ")");
  }

  void section(std::string_view l) {
    if (l.back() != ']') {
      fail("a section header must end with ']'");
      return;
    }
    const std::vector<std::string_view> w = words(l.substr(1, l.size() - 2));
    if (w.empty()) {
      fail("empty section header");
      return;
    }
    kind_ = std::string(w[0]);
    name_ = w.size() > 1 ? std::string(w[1]) : std::string();
    static constexpr std::array<std::string_view, 6> unnamed{"run", "soc", "plant", "links", "events", "output"};
    static constexpr std::array<std::string_view, 7> named{"node", "heat", "sensor", "zone", "fan", "workload", "cluster"};
    const bool is_unnamed = std::find(unnamed.begin(), unnamed.end(), kind_) != unnamed.end();
    const bool is_named = std::find(named.begin(), named.end(), kind_) != named.end();
    if (!is_unnamed && !is_named) {
      fail("unknown section [" + kind_ + "] (run, soc, plant, node, links, heat, sensor, zone, fan, workload, events, output)");
      return;
    }
    if (w.size() > 2 || (is_unnamed && w.size() != 1) || (is_named && w.size() != 2)) {
      fail(is_named ? "[" + kind_ + " NAME] needs exactly one name" : "[" + kind_ + "] takes no name");
      return;
    }
    if (kind_ == "cluster") {
      kind_ = "heat";  // [cluster big] is an alias of [heat big]
    }
    keys_.clear();
    s_.last_section = where();
    s_.last_section_line = line_;
    if (is_unnamed) {
      const auto k = static_cast<std::size_t>(std::find(unnamed.begin(), unnamed.end(), kind_) - unnamed.begin());
      if (unnamed_line_[k] != 0) {
        fail("[" + kind_ + "] appears twice (first at line " + std::to_string(unnamed_line_[k]) + ")");
        return;
      }
      unnamed_line_[k] = line_;
    }
    // The count first: the duplicate check below is linear in it.
    if (const auto [count, limit, what] = section_count(); count >= limit) {
      fail("more than " + std::to_string(limit) + " [" + kind_ + "] sections (io::scenario_limits::" + what + ")");
      return;
    }
    if (const std::size_t first = is_named ? duplicate_name() : 0; first != 0) {
      fail("[" + kind_ + " " + name_ + "] appears twice (first at line " + std::to_string(first) + ")");
      return;
    }
    if (kind_ == "node") {
      s_.nodes.push_back({name_, 0.0, 0.0, std::nullopt, line_});
    } else if (kind_ == "heat") {
      s_.heat.push_back({name_, {}, line_});
    } else if (kind_ == "sensor") {
      s_.sensors.push_back({name_, {}, {}, line_});
    } else if (kind_ == "zone") {
      scenario_zone z0;
      z0.name = name_;
      z0.line = line_;
      s_.zones.push_back(std::move(z0));
    } else if (kind_ == "fan") {
      s_.fans.push_back({name_, {}, {}, 0.0, 0.0, 0.8, line_});
    } else if (kind_ == "workload") {
      scenario_workload w0;
      w0.name = name_;
      w0.line = line_;
      s_.workloads.push_back(w0);
    } else if (kind_ == "soc") {
      s_.soc_line = line_;
    }
  }

  struct count_limit {
    std::size_t count;
    std::size_t limit;
    const char* what;
  };
  /// How many sections of the current kind there are already, and the limit.
  [[nodiscard]] count_limit section_count() const {
    using L = scenario_limits;
    if (kind_ == "node") {
      return {s_.nodes.size(), L::max_nodes, "max_nodes"};
    }
    if (kind_ == "heat") {
      return {s_.heat.size(), L::max_heat, "max_heat"};
    }
    if (kind_ == "sensor") {
      return {s_.sensors.size(), L::max_sensors, "max_sensors"};
    }
    if (kind_ == "zone") {
      return {s_.zones.size(), L::max_zones, "max_zones"};
    }
    if (kind_ == "fan") {
      return {s_.fans.size(), L::max_fans, "max_fans"};
    }
    if (kind_ == "workload") {
      return {s_.workloads.size(), L::max_workloads, "max_workloads"};
    }
    return {0, 1, ""};
  }

  /// The line of the section of the current kind and name read before, or 0.
  [[nodiscard]] std::size_t duplicate_name() const {
    const auto first = [&](const auto& v) -> std::size_t {
      const auto it = std::find_if(v.begin(), v.end(), [&](const auto& x) { return x.name == name_; });
      return it == v.end() ? 0 : it->line;
    };
    if (kind_ == "node") {
      return first(s_.nodes);
    }
    if (kind_ == "heat") {
      const auto it = std::find_if(s_.heat.begin(), s_.heat.end(), [&](const scenario_heat& h) { return h.part == name_; });
      return it == s_.heat.end() ? 0 : it->line;
    }
    if (kind_ == "sensor") {
      return first(s_.sensors);
    }
    if (kind_ == "zone") {
      return first(s_.zones);
    }
    if (kind_ == "fan") {
      return first(s_.fans);
    }
    return kind_ == "workload" ? first(s_.workloads) : 0;
  }

  /// A key given twice in one section (aliases count as the same key): false after the error.
  [[nodiscard]] bool first_time(std::string_view key) {
    std::string k(key == "node" ? "nodes" : (key == "utilisation" ? "utilization" : key));
    for (const auto& [name, line] : keys_) {
      if (name == k) {
        fail(std::string(key) + " given twice in " + where() + " (first at line " + std::to_string(line) + ")");
        return false;
      }
    }
    keys_.emplace_back(std::move(k), line_);
    return true;
  }

  // ---------------------------------------------------------------- values

  std::optional<double> number(std::string_view key, std::string_view v, double lo, double hi, std::string_view unit) {
    const auto x = parse_double(v, exact);
    if (!x || *x < lo || *x > hi) {
      const std::string range = lo > 0.0 && lo < 1e-6 ? ", > 0" : " within " + format_bound(lo) + ".." + format_bound(hi);
      fail("bad " + std::string(key) + " '" + std::string(v) + "' (a number" + (unit.empty() ? "" : " in " + std::string(unit)) + range +
           ")");
      return std::nullopt;
    }
    return x;
  }
  std::optional<std::int64_t> integer(std::string_view key, std::string_view v, std::int64_t lo, std::int64_t hi) {
    const auto x = parse_int(v, lo, hi, exact);
    if (!x) {
      fail("bad " + std::string(key) + " '" + std::string(v) + "' (an integer within " + std::to_string(lo) + ".." +
           std::to_string(hi) + ")");
    }
    return x;
  }
  std::optional<sim_duration> duration(std::string_view key, std::string_view v) {
    const auto d = parse_duration(v);
    if (!d) {
      fail("bad " + std::string(key) + " '" + std::string(v) + "' (a duration such as 600 s, 100 ms, 2 min)");
      return std::nullopt;
    }
    if (*d > scenario_limits::max_duration) {
      fail("bad " + std::string(key) + " '" + std::string(v) + "': above the limit of " + format_duration(scenario_limits::max_duration) +
           " (io::scenario_limits::max_duration)");
      return std::nullopt;
    }
    return d;
  }
  /// A duration that is 0 or at least `min` (`min_name`: the limit's name).
  std::optional<sim_duration> zero_or_at_least(std::string_view key, std::string_view v, sim_duration min, const char* min_name) {
    const auto d = duration(key, v);
    if (d && d->count() != 0 && *d < min) {
      fail("bad " + std::string(key) + " '" + std::string(v) + "': below the minimum of " + format_duration(min) +
           " (io::scenario_limits::" + min_name + "; 0 turns it off)");
      return std::nullopt;
    }
    return d;
  }
  /// "1000 h", "1 us", "2.5 s": a duration in the largest unit that shows it exactly.
  static std::string format_duration(sim_duration d) {
    struct unit {
      std::int64_t ns;
      const char* name;
    };
    static constexpr std::array<unit, 6> units{{{3'600'000'000'000, "h"}, {60'000'000'000, "min"}, {1'000'000'000, "s"},
                                                {1'000'000, "ms"}, {1'000, "us"}, {1, "ns"}}};
    for (const unit& u : units) {
      if (d.count() % u.ns == 0) {
        return std::to_string(d.count() / u.ns) + " " + u.name;
      }
    }
    return std::to_string(d.count()) + " ns";
  }
  /// A number for messages: 4 significant digits.
  static std::string format_g(double x) {
    std::array<char, 32> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%.4g", x);
    return std::string(buf.data(), n > 0 ? std::min(static_cast<std::size_t>(n), buf.size() - 1) : 0U);
  }
  std::optional<sim_duration> positive_duration(std::string_view key, std::string_view v) {
    const auto d = duration(key, v);
    if (d && d->count() == 0) {
      fail(std::string(key) + " must be > 0");
      return std::nullopt;
    }
    return d;
  }
  std::optional<bool> boolean(std::string_view key, std::string_view v) {
    if (v == "yes" || v == "true" || v == "on") {
      return true;
    }
    if (v == "no" || v == "false" || v == "off") {
      return false;
    }
    fail("bad " + std::string(key) + " '" + std::string(v) + "' (yes or no)");
    return std::nullopt;
  }
  std::optional<std::string> name_value(std::string_view key, std::string_view v) {
    if (v.empty() || words(v).size() != 1) {
      fail(std::string(key) + " needs one name");
      return std::nullopt;
    }
    return std::string(v);
  }
  /// "big 0.8, soc 0.2" or "big".
  std::optional<std::vector<weighted_name>> weighted(std::string_view key, std::string_view v) {
    std::vector<weighted_name> out;
    for (const std::string_view part : split_csv(v)) {
      const auto w = words(part);
      if (w.empty() || w.size() > 2) {
        fail("bad " + std::string(key) + " '" + std::string(v) + "' (NAME [WEIGHT], NAME [WEIGHT] …)");
        return std::nullopt;
      }
      weighted_name n{std::string(w[0]), 1.0};
      if (w.size() == 2) {
        const auto x = parse_double(w[1], exact);
        if (!x || *x < scenario_limits::min_weight || *x > scenario_limits::max_weight) {
          fail("bad weight '" + std::string(w[1]) + "' in " + std::string(key) + " (a number within " +
               format_g(scenario_limits::min_weight) + ".." + format_g(scenario_limits::max_weight) +
               ": io::scenario_limits::min_weight, max_weight)");
          return std::nullopt;
        }
        n.weight = *x;
      }
      if (out.size() >= scenario_limits::max_weights) {
        fail("bad " + std::string(key) + ": more than " + std::to_string(scenario_limits::max_weights) +
             " nodes (io::scenario_limits::max_weights)");
        return std::nullopt;
      }
      out.push_back(n);
    }
    return out;
  }
  static std::string format_bound(double x) {
    std::string s = std::to_string(x);
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
      const bool dot = s.back() == '.';
      s.pop_back();
      if (dot) {
        break;
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- entries

  void entry(std::string_view key, std::string_view v) {
    if (kind_ != "links" && kind_ != "events" && !first_time(key)) {
      return;
    }
    if (kind_ == "run") {
      run_entry(key, v);
    } else if (kind_ == "soc") {
      if (key == "preset") {
        if (auto n = name_value(key, v)) {
          s_.preset = *n;
        }
      } else if (key == "dtb") {
        if (v.empty()) {
          fail("dtb needs a file name");
        }
        s_.dtb = std::string(v);
      } else {
        unknown_key(key, "preset, dtb");
      }
    } else if (kind_ == "plant") {
      if (key == "reference") {
        if (v != scenario_reference_plant) {
          fail("unknown reference plant '" + std::string(v) + "' (" + std::string(scenario_reference_plant) + ")");
        }
        s_.reference = std::string(v);
      } else {
        unknown_key(key, "reference");
      }
    } else if (kind_ == "node") {
      scenario_node& n = s_.nodes.back();
      if (key == "capacitance") {
        if (auto x = number(key, v, 1e-9, 1e9, "J/K")) {
          n.capacitance = *x;
        }
      } else if (key == "to_ambient") {
        if (auto x = number(key, v, 0.0, 1e9, "W/K")) {
          n.to_ambient = *x;
        }
      } else if (key == "initial") {
        n.initial = number(key, v, scenario_limits::min_temperature, scenario_limits::max_temperature, "°C");
      } else {
        unknown_key(key, "capacitance, to_ambient, initial");
      }
    } else if (kind_ == "links") {
      const auto dash = key.find(" - ");
      if (dash == std::string_view::npos) {
        fail("a link is written 'A - B = conductance' (W/K)");
        return;
      }
      if (s_.links.size() >= scenario_limits::max_links) {
        fail("more than " + std::to_string(scenario_limits::max_links) + " links (io::scenario_limits::max_links)");
        return;
      }
      scenario_link l{std::string(trim(key.substr(0, dash))), std::string(trim(key.substr(dash + 3))), 0.0, line_};
      for (const scenario_link& o : s_.links) {
        if ((o.a == l.a && o.b == l.b) || (o.a == l.b && o.b == l.a)) {
          fail("link " + l.a + " - " + l.b + " given twice (first at line " + std::to_string(o.line) + ")");
          return;
        }
      }
      if (auto x = number("conductance", v, 1e-12, 1e9, "W/K")) {
        l.conductance = *x;
      }
      s_.links.push_back(l);
    } else if (kind_ == "heat") {
      if (key == "nodes" || key == "node") {
        if (auto w = weighted(key, v)) {
          s_.heat.back().nodes = *w;
        }
      } else {
        unknown_key(key, "nodes");
      }
    } else if (kind_ == "sensor") {
      sensor_entry(key, v);
    } else if (kind_ == "zone") {
      s_.zones.back().key_lines.emplace_back(key, line_);
      zone_entry(key, v);
    } else if (kind_ == "fan") {
      scenario_fan& f = s_.fans.back();
      if (key == "node") {
        if (auto n = name_value(key, v)) {
          f.node = *n;
        }
      } else if (key == "to") {
        if (auto n = name_value(key, v)) {
          f.peer = *n == "ambient" ? std::string() : *n;
        }
      } else if (key == "off") {
        if (auto x = number(key, v, 0.0, 1e9, "W/K")) {
          f.off = *x;
        }
      } else if (key == "full") {
        if (auto x = number(key, v, 0.0, 1e9, "W/K")) {
          f.full = *x;
        }
      } else if (key == "exponent") {
        if (auto x = number(key, v, 0.01, 10.0, "")) {
          f.exponent = *x;
        }
      } else {
        unknown_key(key, "node, to, off, full, exponent");
      }
    } else if (kind_ == "workload") {
      workload_entry(key, v);
    } else if (kind_ == "events") {
      if (s_.events.size() >= scenario_limits::max_events) {
        fail("more than " + std::to_string(scenario_limits::max_events) + " events (io::scenario_limits::max_events)");
        return;
      }
      const auto at = duration("event time", key);
      if (!at) {
        return;
      }
      const auto w = words(v);
      if (w.empty()) {
        fail("an event needs an action");
        return;
      }
      scenario_event e{sim_time{*at}, std::string(w[0]), {}, line_};
      for (std::size_t k = 1; k < w.size(); ++k) {
        e.args.emplace_back(w[k]);
      }
      s_.events.push_back(std::move(e));
    } else if (kind_ == "output") {
      if (key == "trace") {
        s_.trace_file = std::string(v);
      } else if (key == "metrics") {
        s_.metrics_file = std::string(v);
      } else if (key == "plot") {
        s_.plot_file = std::string(v);
      } else {
        unknown_key(key, "trace, metrics, plot");
      }
    }
  }

  void run_entry(std::string_view key, std::string_view v) {
    if (key == "duration") {
      if (auto d = positive_duration(key, v)) {
        s_.duration = *d;
        s_.duration_line = line_;
      }
    } else if (key == "record_interval") {
      if (auto d = zero_or_at_least(key, v, scenario_limits::min_record_interval, "min_record_interval")) {
        s_.record_interval = *d;
      }
    } else if (key == "ambient") {
      if (auto x = number(key, v, scenario_limits::min_ambient, scenario_limits::max_ambient, "°C")) {
        s_.ambient = *x;
      }
    } else if (key == "mode") {
      if (v == "event_driven" || v == "fixed_step") {
        s_.fixed_step = v == "fixed_step";
      } else {
        fail("bad mode '" + std::string(v) + "' (event_driven or fixed_step)");
      }
    } else if (key == "step") {
      if (auto d = positive_duration(key, v)) {
        if (*d < scenario_limits::min_step) {
          fail("bad step '" + std::string(v) + "': below the minimum of " + format_duration(scenario_limits::min_step) +
               " (io::scenario_limits::min_step)");
          return;
        }
        s_.step = *d;
        s_.step_line = line_;
      }
    } else if (key == "apply_cooling") {
      if (auto b = boolean(key, v)) {
        s_.apply_cooling = *b;
      }
    } else if (key == "title") {
      s_.title = std::string(v);
    } else if (key == "kernel") {
      kernel_entry(v);  // io/scenario_keys.hpp
    } else {
      unknown_key(key, "duration, record_interval, ambient, mode, step, apply_cooling, title, kernel");
    }
  }

  void sensor_entry(std::string_view key, std::string_view v) {
    scenario_sensor& s = s_.sensors.back();
    sensor_params& p = s.params;
    if (key == "node" || key == "nodes") {
      if (auto w = weighted(key, v)) {
        s.probe = *w;
      }
    } else if (key == "resolution") {
      if (auto x = integer(key, v, 1, 100'000)) {
        p.resolution = millikelvin_delta(static_cast<std::int32_t>(*x));
      }
    } else if (key == "offset") {
      if (auto x = integer(key, v, -100'000, 100'000)) {
        p.offset = millikelvin_delta(static_cast<std::int32_t>(*x));
      }
    } else if (key == "noise") {
      if (auto x = number(key, v, 0.0, 100'000.0, "m°C")) {
        p.noise_stddev_mc = *x;
      }
    } else if (key == "seed") {
      if (auto x = integer(key, v, 0, std::int64_t{1} << 62)) {
        p.seed = static_cast<std::uint64_t>(*x);
      }
    } else if (key == "conversion") {
      if (auto d = duration(key, v)) {
        p.conversion_time = *d;
      }
    } else if (key == "interrupt") {
      if (auto b = boolean(key, v)) {
        p.interrupt = *b;
      }
    } else if (key == "irq_latency") {
      if (auto d = duration(key, v)) {
        p.irq_latency = *d;
      }
    } else if (key == "comparator_period") {
      if (auto d = zero_or_at_least(key, v, scenario_limits::min_step, "min_step")) {
        p.comparator_period = *d;
      }
    } else if (key == "try_again_probability") {
      if (auto x = number(key, v, 0.0, 1.0, "")) {
        p.try_again_probability = *x;
      }
    } else {
      unknown_key(key, "node, resolution, offset, noise, seed, conversion, interrupt, irq_latency, comparator_period, "
                       "try_again_probability");
    }
  }

  void workload_entry(std::string_view key, std::string_view v) {
    scenario_workload& w = s_.workloads.back();
    w.key_lines.emplace_back(key, line_);
    if (key == "type") {
      if (v == "constant") {
        w.type = scenario_workload_type::constant;
      } else if (v == "phased") {
        w.type = scenario_workload_type::phased;
      } else if (v == "trace") {
        w.type = scenario_workload_type::trace;
      } else if (v == "inference") {
        w.type = scenario_workload_type::inference;
      } else if (v == "boot") {
        w.type = scenario_workload_type::boot;
      } else {
        fail("unknown workload type '" + std::string(v) + "' (constant, phased, trace, inference, boot)");
      }
    } else if (inference_entry(key, v) || boot_entry(key, v)) {
      // a key of `type = inference` or `type = boot` (checked against the type at the end)
    } else if (key == "cluster") {
      if (auto n = name_value(key, v)) {
        w.cluster = *n;
      }
    } else if (key == "cores") {
      if (auto x = integer(key, v, 1, 64)) {
        w.cores = static_cast<std::size_t>(*x);
      }
    } else if (key == "utilization" || key == "utilisation") {
      if (auto x = number(key, v, 0.0, 1.0, "")) {
        w.utilization = *x;
      }
    } else if (key == "phases") {
      // "10 s 1.0, 5 s 0.1" or with active cores: "10 s 1.0 x2"
      for (const std::string_view part : split_csv(v)) {
        const auto ws = words(part);
        if (ws.size() < 2 || ws.size() > 4) {
          fail("bad phase '" + std::string(part) + "' (DURATION UTILISATION [xCORES], e.g. 10 s 1.0 x2)");
          return;
        }
        std::size_t k = 0;
        std::string dur(ws[k++]);
        if (ws.size() >= 3 && !(ws[1].front() >= '0' && ws[1].front() <= '9') && ws[1].front() != '.') {
          dur += " " + std::string(ws[k++]);  // "10 s"
        }
        if (w.phases.size() >= scenario_limits::max_phases) {
          fail("more than " + std::to_string(scenario_limits::max_phases) + " phases (io::scenario_limits::max_phases)");
          return;
        }
        const auto d = parse_duration(dur);
        if (d && (*d < scenario_limits::min_phase || *d > scenario_limits::max_duration)) {
          fail("bad phase '" + std::string(part) + "': its duration must be within " + format_duration(scenario_limits::min_phase) +
               ".." + format_duration(scenario_limits::max_duration) + " (io::scenario_limits::min_phase, max_duration)");
          return;
        }
        double u = std::numeric_limits<double>::quiet_NaN();  // NaN fails the range check below
        if (k < ws.size()) {
          if (const auto x = parse_double(ws[k], exact)) {
            u = *x;
          }
        }
        ++k;
        workload::demand_phase ph;
        if (!d || d->count() == 0 || !(u >= 0.0 && u <= 1.0)) {
          fail("bad phase '" + std::string(part) + "' (DURATION UTILISATION [xCORES], duration > 0, utilisation 0..1)");
          return;
        }
        ph.duration = *d;
        ph.utilization = u;
        ph.active_cores = 0;  // 0 = every core (filled in when the cluster is known)
        if (k < ws.size()) {
          const auto c = ws[k].front() == 'x' ? parse_int(ws[k].substr(1), 1, 64, exact) : std::nullopt;
          if (!c) {
            fail("bad phase '" + std::string(part) + "' (the core count is written x2)");
            return;
          }
          ph.active_cores = static_cast<std::size_t>(*c);
          ++k;
        }
        if (k != ws.size()) {
          fail("bad phase '" + std::string(part) + "' (DURATION UTILISATION [xCORES])");
          return;
        }
        w.phases.push_back(ph);
      }
    } else if (key == "repeat") {
      if (v == "forever") {
        w.repeat = 0;
      } else if (auto x = integer(key, v, 1, 1'000'000)) {
        w.repeat = static_cast<std::uint32_t>(*x);
      }
    } else if (key == "file") {
      if (v.empty()) {
        fail("file needs a file name");
      }
      w.file = std::string(v);
    } else if (key == "at_end") {
      if (v != "hold" && v != "idle" && v != "repeat") {
        fail("bad at_end '" + std::string(v) + "' (hold, idle or repeat)");
      }
      w.at_end = std::string(v);
    } else if (key == "start") {
      if (auto d = duration(key, v)) {
        w.start = sim_time{*d};
      }
    } else {
      unknown_key(key, "type, cluster, cores, utilization, phases, repeat, file, at_end, start; inference: " +
                           std::string(inference_keys) + "; boot: " + std::string(boot_keys));
    }
  }

  // The keys of [zone] and of the inference and boot workloads (io/scenario_keys.hpp).
  static constexpr std::string_view zone_keys =
      "sensor, governor, enabled, sustainable_power, k_po, k_pu, k_i, k_d, integral_cutoff, polling_delay, passive_delay, "
      "tripK, tripK_hysteresis, mapK_weight, mapK_min, mapK_max";
  static constexpr std::string_view inference_keys = "model, framework, threads, arrivals, period, overload, count, window, seed";
  static constexpr std::string_view boot_keys =
      "compressor, core, compressed, vmlinux, zimage, bandwidth, setup, relocate, load_utilization";
  void zone_entry(std::string_view key, std::string_view v);
  /// `[run] kernel = VERSION`.
  void kernel_entry(std::string_view v);
  /// True when `key` is an inference key (parsed into the workload's record).
  bool inference_entry(std::string_view key, std::string_view v);
  /// True when `key` is a boot key.
  bool boot_entry(std::string_view key, std::string_view v);
  /// The workload-type checks of `finish` (a key of another type, a missing model …).
  void finish_workload(const scenario_workload& w);

  /// Checks that need the whole file (names referring to each other).
  void finish() {
    if (s_.duration.count() == 0) {
      fail("[run] needs a duration");
      return;
    }
    if (s_.preset.empty() == s_.dtb.empty()) {
      line_ = s_.soc_line;
      fail("[soc] needs exactly one of preset = ID and dtb = FILE");
      return;
    }
    if (s_.reference.empty() == s_.nodes.empty()) {
      fail(s_.reference.empty() ? "the plant has no node: add [node NAME] sections or [plant] reference = rk3399_board"
                                : "[plant] reference and [node] sections exclude each other");
      return;
    }
    const auto node_known = [&](const std::string& n) {
      if (!s_.reference.empty()) {
        return std::find(sim::rk3399_node_names.begin(), sim::rk3399_node_names.end(), n) != sim::rk3399_node_names.end();
      }
      return std::any_of(s_.nodes.begin(), s_.nodes.end(), [&](const scenario_node& x) { return x.name == n; });
    };
    for (const scenario_node& n : s_.nodes) {
      if (n.capacitance <= 0.0) {
        line_ = n.line;
        fail("[node " + n.name + "] needs a capacitance (J/K)");
        return;
      }
    }
    for (const scenario_link& l : s_.links) {
      line_ = l.line;
      for (const std::string* n : {&l.a, &l.b}) {
        if (!node_known(*n)) {
          fail("link names unknown node '" + *n + "'");
          return;
        }
      }
      if (l.a == l.b) {
        fail("a link joins two different nodes");
        return;
      }
    }
    const auto check_nodes = [&](const std::vector<weighted_name>& v, std::size_t line, const std::string& what) {
      line_ = line;
      if (v.empty()) {
        fail(what + " needs nodes = NAME [WEIGHT], …");
        return false;
      }
      for (const weighted_name& w : v) {
        if (!node_known(w.name)) {
          fail(what + " names unknown node '" + w.name + "'");
          return false;
        }
      }
      return true;
    };
    for (const scenario_heat& h : s_.heat) {
      if (!check_nodes(h.nodes, h.line, "[heat " + h.part + "]")) {
        return;
      }
    }
    for (const scenario_sensor& s : s_.sensors) {
      if (!check_nodes(s.probe, s.line, "[sensor " + s.name + "]")) {
        return;
      }
    }
    std::vector<std::string> used;
    for (const scenario_zone& z : s_.zones) {
      line_ = z.line;
      if (z.sensor.empty()) {
        fail("[zone " + z.name + "] needs sensor = NAME");
        return;
      }
      if (std::none_of(s_.sensors.begin(), s_.sensors.end(), [&](const scenario_sensor& x) { return x.name == z.sensor; })) {
        fail("[zone " + z.name + "] names unknown sensor '" + z.sensor + "'");
        return;
      }
      if (std::find(used.begin(), used.end(), z.sensor) != used.end()) {
        fail("[zone " + z.name + "]: sensor '" + z.sensor + "' already serves another zone");
        return;
      }
      used.push_back(z.sensor);
    }
    for (const scenario_fan& f : s_.fans) {
      line_ = f.line;
      if (!node_known(f.node) || (!f.peer.empty() && !node_known(f.peer))) {
        fail("[fan " + f.name + "] names unknown node '" + (node_known(f.node) ? f.peer : f.node) + "'");
        return;
      }
      if (f.full < f.off) {
        fail("[fan " + f.name + "]: full must be ≥ off");
        return;
      }
    }
    for (const scenario_event& e : s_.events) {
      if (e.at.time_since_epoch() > s_.duration) {
        line_ = e.line;
        fail("event at " + format_duration(e.at.time_since_epoch()) + " is after the end of the run (duration = " +
             format_duration(s_.duration) + ", line " + std::to_string(s_.duration_line) + "): it would never happen");
        return;
      }
    }
    for (const scenario_workload& w : s_.workloads) {
      line_ = w.line;
      if (w.cluster.empty()) {
        fail("[workload " + w.name + "] needs cluster = NAME");
        return;
      }
      if (w.type == scenario_workload_type::phased && w.phases.empty()) {
        fail("[workload " + w.name + "] (phased) needs phases = DURATION UTILISATION, …");
        return;
      }
      if (w.type == scenario_workload_type::trace && w.file.empty()) {
        fail("[workload " + w.name + "] (trace) needs file = TRACE.csv");
        return;
      }
      finish_workload(w);
      if (!err_.empty()) {
        return;
      }
    }
    check_budget();
  }

  /// The events a run needs at least — fixed-step ticks and workload phase changes — against
  /// the run budget, before any work: the error names the line that asks for the most.
  void check_budget() {
    const auto budget = static_cast<double>(scenario_limits::max_run_events);
    const double run = static_cast<double>(s_.duration.count());
    double total = 0.0;
    double worst = 0.0;
    std::size_t worst_line = s_.duration_line;
    std::string worst_what;
    const auto add = [&](double n, std::size_t line, const std::string& what) {
      total += n;
      if (n > worst) {
        worst = n;
        worst_line = line;
        worst_what = what;
      }
    };
    if (s_.fixed_step) {
      add(run / static_cast<double>(s_.step.count()), s_.step_line != 0 ? s_.step_line : s_.duration_line,
          "duration / step (fixed_step mode)");
    }
    for (const scenario_workload& w : s_.workloads) {
      double cycle = 0.0;
      for (const workload::demand_phase& p : w.phases) {
        cycle += static_cast<double>(p.duration.count());
      }
      if (w.type != scenario_workload_type::phased || cycle <= 0.0) {
        continue;
      }
      double cycles = std::ceil(std::max(0.0, run - static_cast<double>(w.start.time_since_epoch().count())) / cycle);
      if (w.repeat != 0) {
        cycles = std::min(cycles, static_cast<double>(w.repeat));
      }
      add(cycles * static_cast<double>(w.phases.size()), w.line, "the phases of [workload " + w.name + "]");
    }
    if (total > budget) {
      line_ = worst_line;
      fail(worst_what + " asks for about " + format_g(total) + " events in the run, above the run budget of " +
           std::to_string(scenario_limits::max_run_events) + " (io::scenario_limits::max_run_events)");
    }
  }

  std::string_view text_;
  scenario s_;
  std::vector<std::pair<std::string, std::size_t>> keys_;  ///< keys of the current section, with their lines
  std::array<std::size_t, 6> unnamed_line_{};              ///< line of [run], [soc] … (0: not yet)
  std::string err_;
  std::size_t err_line_{0};
  std::string kind_;
  std::string name_;
  std::size_t line_{0};
};

/// Parses scenario text into `out`; `source` names it in messages (and gives the directory
/// relative paths start from). Errors: `parse_error` "SOURCE:LINE: what is wrong" (`line` 0
/// for a whole-file check, e.g. "x.scn: [run] needs a duration"); `out` is then left empty.
[[nodiscard]] inline text_error parse_scenario(std::string_view text, std::string source, scenario& out) {
  scenario_parser p(skip_bom(text), std::move(source));  // a leading UTF-8 BOM is no text
  return p.parse(out);
}

/// Reads and parses the scenario file at `path` (named by `path` in messages). Errors: those of
/// `read_file` (io/file.hpp) and `parse_scenario`.
[[nodiscard]] inline text_error read_scenario(const std::string& path, scenario& out) {
  out = {};
  std::string text;
  if (file_error e = read_file(path, text); !e.ok()) {
    return {.code = e.code, .message = std::move(e.message), .line = 0};
  }
  return parse_scenario(text, path, out);
}

}  // namespace thermo::io

#include "thermo/io/scenario_keys.hpp"  // the [zone] keys, and those of the inference and boot workloads
