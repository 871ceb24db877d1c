// `thermo sweep`: the axes of a study (`--axis KEY=VALUES`), the points they form (cross
// product, zip, seeded Latin hypercube) and the text-level override of one scenario key. See
// docs/reference/sweep.md. Host code; errors are values (outcome / message strings).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "thermo/io/csv.hpp"

namespace thermo::cli::sweep {

/// The most points one sweep may have (a cross product beyond it is refused before any work).
inline constexpr std::size_t max_points = 10'000'000;
/// The most values one range may generate.
inline constexpr std::int64_t max_range_values = 1'000'000;

/// Scenario sections without a name (`run.KEY`) and with one (`zone.NAME.KEY`), as the
/// scenario parser has them; `cluster` is its alias of `heat`.
inline constexpr std::array<std::string_view, 6> unnamed_sections{"run", "soc", "plant", "links", "events", "output"};
inline constexpr std::array<std::string_view, 7> named_sections{"node", "heat", "cluster", "sensor", "zone", "fan", "workload"};

/// The section kind the parser uses for `kind` (`cluster` → `heat`).
[[nodiscard]] inline std::string_view canonical_section(std::string_view kind) { return kind == "cluster" ? "heat" : kind; }
/// The key the parser uses for `key` (its aliases: `node` → `nodes`, `utilisation` → `utilization`).
[[nodiscard]] inline std::string_view canonical_key(std::string_view key) {
  return key == "node" ? "nodes" : (key == "utilisation" ? "utilization" : key);
}

/// A number as the sweep writes generated values: `%.10g` (same bytes everywhere).
[[nodiscard]] inline std::string format_value(double v) { return io::format_number(v, 10); }

/// One `--axis KEY=VALUES`.
struct axis {
  enum class kind : std::uint8_t { list, linear, log };
  std::string key;      ///< as given: "zone.cpu-thermal.sustainable_power"
  std::string section;  ///< canonical section kind: "zone"
  std::string name;     ///< section name ("" for an unnamed section)
  std::string field;    ///< the key inside the section: "sustainable_power"
  kind type{kind::list};
  std::vector<std::string> items;  ///< a list's values, unit appended
  double lo{0.0};
  double hi{0.0};
  std::size_t n{0};
  std::string unit;  ///< appended to every generated number, after a space ("" for none)

  [[nodiscard]] bool is_range() const noexcept { return type != kind::list; }
  /// Values on the grid (cross product and zip).
  [[nodiscard]] std::size_t size() const noexcept { return is_range() ? n : items.size(); }
  [[nodiscard]] std::string with_unit(double v) const { return format_value(v) + (unit.empty() ? "" : " " + unit); }
  /// The value of the range at fraction `u` of it (linear, or geometric for a log range).
  [[nodiscard]] double at_fraction(double u) const {
    if (u <= 0.0) {
      return lo;
    }
    if (u >= 1.0) {
      return hi;
    }
    return type == kind::log ? std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * u) : lo + (hi - lo) * u;
  }
  /// The `i`-th grid value, as the scenario gets it.
  [[nodiscard]] std::string value(std::size_t i) const {
    if (!is_range()) {
      return items[i];
    }
    return with_unit(n == 1 ? lo : at_fraction(static_cast<double>(i) / static_cast<double>(n - 1)));
  }
};

namespace detail {

inline bool is_number(std::string_view s) { return io::parse_double(trim(s), io::exact).has_value(); }

/// Splits the key into section, name and field; "" or the message.
inline std::string split_key(axis& a) {
  const std::string& k = a.key;
  const auto dot = k.find('.');
  const std::string sections = "run, soc, plant, links, events, output, or node, heat, cluster, sensor, zone, fan, workload with a name";
  if (dot == std::string::npos || dot == 0) {
    return "key '" + k + "' needs SECTION.KEY or SECTION.NAME.KEY (sections: " + sections + ")";
  }
  const std::string_view kind = std::string_view(k).substr(0, dot);
  const bool is_unnamed = std::find(unnamed_sections.begin(), unnamed_sections.end(), kind) != unnamed_sections.end();
  const bool is_named = std::find(named_sections.begin(), named_sections.end(), kind) != named_sections.end();
  if (!is_unnamed && !is_named) {
    return "unknown section '" + std::string(kind) + "' in key '" + k + "' (" + sections + ")";
  }
  a.section = std::string(canonical_section(kind));
  const std::string rest = k.substr(dot + 1);
  if (is_unnamed) {
    a.field = rest;
  } else {
    const auto last = rest.rfind('.');
    if (last == std::string::npos || last == 0 || last + 1 == rest.size()) {
      return "key '" + k + "': [" + std::string(kind) + "] sections have names, so the key is " + std::string(kind) + ".NAME.KEY";
    }
    a.name = rest.substr(0, last);
    a.field = rest.substr(last + 1);
  }
  if (trim(a.field).empty() || trim(a.field) != a.field) {
    return "key '" + k + "' has no key after the section";
  }
  return {};
}

/// Parses `lo:hi:n[:log]`; "" or the message.
inline std::string parse_range(axis& a, std::string_view spec) {
  const std::vector<std::string_view> p = io::split(spec, ':');
  const std::string what = "range '" + std::string(spec) + "'";
  if (p.size() != 3 && p.size() != 4) {
    return "bad " + what + " (lo:hi:n or lo:hi:n:log)";
  }
  const auto lo = io::parse_double(trim(p[0]), io::exact);
  const auto hi = io::parse_double(trim(p[1]), io::exact);
  if (!lo || !hi) {
    return "bad " + what + ": lo and hi must be numbers";
  }
  const auto n = io::parse_int(trim(p[2]), std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), io::exact);
  if (!n) {
    return "bad " + what + ": n must be an integer";
  }
  if (*n < 1) {
    return "bad " + what + ": n must be at least 1";
  }
  if (*n > max_range_values) {
    return "bad " + what + ": n above the limit of " + std::to_string(max_range_values);
  }
  if (p.size() == 4 && trim(p[3]) != "log") {
    return "bad " + what + ": the fourth part can only be 'log'";
  }
  a.type = p.size() == 4 ? axis::kind::log : axis::kind::linear;
  if (a.type == axis::kind::log && (*lo <= 0.0 || *hi <= 0.0)) {
    return "bad " + what + ": a log range needs lo > 0 and hi > 0";
  }
  if (*n > 1 ? !(*lo < *hi) : !(*lo <= *hi)) {
    return "bad " + what + ": lo must be below hi";
  }
  if (!std::isfinite(*hi - *lo)) {
    return "bad " + what + ": hi − lo is not a finite number";
  }
  a.lo = *lo;
  a.hi = *hi;
  a.n = static_cast<std::size_t>(*n);
  return {};
}

}  // namespace detail

/// Parses `KEY=VALUES` (see docs/reference/sweep.md for the unit rule).
[[nodiscard]] inline outcome<axis> parse_axis(std::string_view spec) {
  const auto fail = [&](const std::string& m) { return outcome<axis>::fail("--axis '" + std::string(spec) + "': " + m); };
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos) {
    return fail("expected KEY=VALUES (e.g. zone.cpu-thermal.sustainable_power=1000:3000:5)");
  }
  axis a;
  a.key = std::string(trim(spec.substr(0, eq)));
  if (std::string m = detail::split_key(a); !m.empty()) {
    return fail(m);
  }
  std::string_view values = trim(spec.substr(eq + 1));
  if (values.empty()) {
    return fail("empty list of values");
  }
  if (values.find_first_of("#\r\n") != std::string_view::npos) {
    return fail("a value cannot hold '#' or a line break");
  }
  // A unit after the last space applies to every value when the text before it is a range or
  // a list of numbers: "1:10:5 min", "0.5,1,2 s". Otherwise the items are taken as written.
  if (const auto sp = values.rfind(' '); sp != std::string_view::npos) {
    const std::string_view before = trim(values.substr(0, sp));
    const std::string_view unit = values.substr(sp + 1);
    bool numbers = !before.empty() && !detail::is_number(unit) && unit.find_first_of(",:") == std::string_view::npos;
    if (numbers && before.find(':') == std::string_view::npos) {
      for (const std::string_view item : io::split(before, ',')) {
        numbers = numbers && detail::is_number(item);
      }
    }
    if (numbers) {
      a.unit = std::string(unit);
      values = before;
    }
  }
  if (values.find(':') != std::string_view::npos) {
    if (std::string m = detail::parse_range(a, values); !m.empty()) {
      return fail(m);
    }
    return a;
  }
  for (const std::string_view item : io::split(values, ',')) {
    const std::string_view v = trim(item);
    if (v.empty()) {
      return fail("an empty value in the list '" + std::string(values) + "'");
    }
    a.items.push_back(a.unit.empty() ? std::string(v) : std::string(v) + " " + a.unit);
  }
  return a;
}

/// How the axes form points.
enum class design : std::uint8_t { cross, zip, latin_hypercube };

/// A deterministic 64-bit generator (splitmix64): the same numbers on every platform, unlike
/// the standard distributions.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) noexcept : s_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  /// Uniform in [0, 1), 53 bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  /// Uniform in [0, n) (n > 0; the modulo bias is below 2^-40 for n < 2^24).
  std::size_t below(std::size_t n) noexcept { return next() % n; }

 private:
  std::uint64_t s_;
};

/// The points of a study: one value per axis, in point order.
using point = std::vector<std::string>;

/// The points `axes` form under `d` (`samples` and `seed` for the Latin hypercube), or the
/// message when they cannot be formed (zip of unequal lengths, too many points).
[[nodiscard]] inline outcome<std::vector<point>> make_points(const std::vector<axis>& axes, design d, std::size_t samples = 0,
                                                             std::uint64_t seed = 0) {
  using R = outcome<std::vector<point>>;
  std::vector<point> pts;
  if (axes.empty()) {
    return R::fail("no --axis given");
  }
  if (d == design::zip) {
    for (const axis& a : axes) {
      if (a.size() != axes.front().size()) {
        return R::fail("--zip needs axes of equal lengths: " + axes.front().key + " has " + std::to_string(axes.front().size()) +
                       " values, " + a.key + " has " + std::to_string(a.size()));
      }
    }
    for (std::size_t i = 0; i < axes.front().size(); ++i) {
      point p;
      for (const axis& a : axes) {
        p.push_back(a.value(i));
      }
      pts.push_back(std::move(p));
    }
    return pts;
  }
  if (d == design::latin_hypercube) {
    if (samples == 0 || samples > max_points) {
      return R::fail("--samples must be within 1.." + std::to_string(max_points));
    }
    splitmix64 rng(seed);
    pts.assign(samples, point(axes.size()));
    std::vector<std::size_t> strata(samples);
    for (std::size_t k = 0; k < axes.size(); ++k) {
      const axis& a = axes[k];
      std::iota(strata.begin(), strata.end(), std::size_t{0});
      for (std::size_t i = samples; i > 1; --i) {  // Fisher–Yates
        std::swap(strata[i - 1], strata[rng.below(i)]);
      }
      for (std::size_t s = 0; s < samples; ++s) {
        if (a.is_range()) {
          const double u = (static_cast<double>(strata[s]) + rng.uniform()) / static_cast<double>(samples);
          pts[s][k] = a.with_unit(a.at_fraction(u));
        } else {
          pts[s][k] = a.items[strata[s] * a.items.size() / samples];
        }
      }
    }
    return pts;
  }
  std::size_t total = 1;
  for (const axis& a : axes) {
    if (a.size() == 0 || total > max_points / a.size()) {
      return R::fail("the cross product of the axes has more than " + std::to_string(max_points) + " points");
    }
    total *= a.size();
  }
  pts.reserve(total);
  std::vector<std::size_t> idx(axes.size(), 0);
  for (std::size_t p = 0; p < total; ++p) {
    point pt;
    pt.reserve(axes.size());
    for (std::size_t k = 0; k < axes.size(); ++k) {
      pt.push_back(axes[k].value(idx[k]));
    }
    pts.push_back(std::move(pt));
    for (std::size_t k = axes.size(); k-- > 0;) {  // the last axis fastest
      if (++idx[k] < axes[k].size()) {
        break;
      }
      idx[k] = 0;
    }
  }
  return pts;
}

/// The values of `a` the sweep checks against the scenario before running: every list item,
/// and a range's grid (its two ends for a Latin hypercube, which draws between them).
[[nodiscard]] inline std::vector<std::string> values_to_check(const axis& a, design d) {
  std::vector<std::string> v;
  if (a.is_range() && d == design::latin_hypercube) {
    v.push_back(a.with_unit(a.lo));
    v.push_back(a.with_unit(a.hi));
    return v;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    v.push_back(a.value(i));
  }
  return v;
}

// ------------------------------------------------------------------ the scenario text

namespace detail {

/// The text of a scenario line without its comment ('#' at the start or after a blank), trimmed.
inline std::string_view uncommented(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return trim(s.substr(0, i));
    }
  }
  return trim(s);
}

}  // namespace detail

/// `thermo simulate --set KEY=VALUE`: one key set to one value, taken as written (commas
/// included: `workload.w.phases=20 s 1.0, 10 s 0.1`). The key is an axis key.
[[nodiscard]] inline outcome<axis> parse_setting(std::string_view spec) {
  const auto fail = [&](const std::string& m) { return outcome<axis>::fail("--set '" + std::string(spec) + "': " + m); };
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos) {
    return fail("expected KEY=VALUE (e.g. zone.cpu-thermal.k_pu=250)");
  }
  axis a;
  a.key = std::string(trim(spec.substr(0, eq)));
  if (std::string m = detail::split_key(a); !m.empty()) {
    return fail(m);
  }
  const std::string_view value = trim(spec.substr(eq + 1));
  if (value.empty()) {
    return fail("empty value");
  }
  if (value.find_first_of("#\r\n") != std::string_view::npos) {
    return fail("a value cannot hold '#' or a line break");
  }
  a.items.emplace_back(value);
  return a;
}

/// A scenario's lines, and per axis the line its key is on (or where it is added): computed
/// once per study, so that a point's text is a splice (`apply`).
class scenario_template {
 public:
  /// Locates every axis' key in `text`; the message names the axis whose section is missing.
  [[nodiscard]] static outcome<scenario_template> make(std::string_view text, const std::vector<axis>& axes) {
    scenario_template t;
    for (const std::string_view l : io::split_lines(text)) {
      t.lines_.emplace_back(l);
    }
    for (std::size_t k = 0; k < axes.size(); ++k) {
      for (std::size_t j = 0; j < k; ++j) {
        if (axes[j].section == axes[k].section && axes[j].name == axes[k].name &&
            canonical_key(axes[j].field) == canonical_key(axes[k].field)) {
          return outcome<scenario_template>::fail("--axis " + axes[k].key + ": the key is given twice (also as --axis " + axes[j].key + ")");
        }
      }
      const slot s = t.locate(axes[k]);
      if (s.line == npos) {
        const std::string sec = "[" + axes[k].section + (axes[k].name.empty() ? "" : " " + axes[k].name) + "]";
        return outcome<scenario_template>::fail("--axis " + axes[k].key + ": the scenario has no " + sec + " section");
      }
      t.slots_.push_back(s);
      t.fields_.push_back(axes[k].field);
    }
    return t;
  }

  /// The scenario text with axis `k` set to `values[k]` for every k (a key's line replaced, or
  /// the key added at the end of its section); an empty value leaves the scenario as it is
  /// (no axis value is empty: parse_axis refuses them).
  [[nodiscard]] std::string apply(const std::vector<std::string>& values) const {
    std::string out;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      bool replaced = false;
      for (std::size_t k = 0; k < slots_.size(); ++k) {
        if (slots_[k].line == i && slots_[k].replace && !values[k].empty()) {
          out += fields_[k] + " = " + values[k] + "\n";
          replaced = true;
        }
      }
      if (!replaced) {
        out += lines_[i];
        out += '\n';
      }
      for (std::size_t k = 0; k < slots_.size(); ++k) {
        if (slots_[k].line == i && !slots_[k].replace && !values[k].empty()) {
          out += fields_[k] + " = " + values[k] + "\n";
        }
      }
    }
    return out;
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  struct slot {
    std::size_t line{npos};  ///< the key's line, or the line after which it is added
    bool replace{false};
  };

  /// The first section matching `a` and the key's line in it.
  [[nodiscard]] slot locate(const axis& a) const {
    bool inside = false;
    bool found_section = false;
    slot s;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::string_view l = detail::uncommented(lines_[i]);
      if (l.empty()) {
        continue;
      }
      if (l.front() == '[' && l.back() == ']') {
        if (found_section) {
          break;  // only the first matching section (a repeated one is the parser's error)
        }
        const std::vector<std::string_view> w = io::words(l.substr(1, l.size() - 2));
        inside = !w.empty() && canonical_section(w[0]) == a.section && (w.size() > 1 ? w[1] : std::string_view()) == a.name &&
                 w.size() == (a.name.empty() ? 1U : 2U);
        if (inside) {
          found_section = true;
          s.line = i;
        }
        continue;
      }
      if (!inside) {
        continue;
      }
      s.line = i;  // the section's last line so far
      const auto eq = l.find('=');
      if (eq != std::string_view::npos && canonical_key(trim(l.substr(0, eq))) == canonical_key(a.field)) {
        s.replace = true;
        return s;
      }
    }
    return s;
  }

  std::vector<std::string> lines_;
  std::vector<slot> slots_;
  std::vector<std::string> fields_;
};

}  // namespace thermo::cli::sweep
