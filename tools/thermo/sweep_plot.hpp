// `thermo sweep --plot`: the key metrics of a results table against each axis (small multiples,
// one row per metric, one column per axis) and the Pareto front of peak temperature, work done
// and energy. Deterministic SVG whose size grows with the distinct dots, never with repeats.
// Host code.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sweep_results.hpp"

namespace thermo::cli::sweep {

namespace plot_detail {

/// Metric `name` of row `r` as a number, into `out`; false when the row lacks it or it is not
/// a number.
inline bool metric_value(const result_row& r, std::string_view name, double& out) {
  const std::string* s = detail::find_metric(r, name);
  if (s == nullptr) {
    return false;
  }
  const std::optional<double> v = io::parse_double(*s, io::exact);
  if (!v.has_value()) {
    return false;
  }
  out = v.value();
  return true;
}

inline std::string esc(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::string fixed(double v, int decimals = 1) {
  std::array<char, 48> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.*f", decimals, v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

/// At most `max_chars` characters of `s` (an ellipsis replaces the front of longer text).
inline std::string fit(std::string_view s, std::size_t max_chars) {
  if (s.size() <= max_chars) {
    return std::string(s);
  }
  return "…" + std::string(s.substr(s.size() - (max_chars - 1)));
}

/// A metric's label in plain words and its unit, from its name's suffix (`_c` °C, `_s` s, `_j`
/// J, `_w` W, `_ratio` a fraction).
inline std::string label_of(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> units{
      {{"_c", "°C"}, {"_s", "s"}, {"_j", "J"}, {"_w", "W"}, {"_hz", "Hz"}, {"_per_s", "per s"}, {"_ms", "ms"}}};
  for (const auto& [suffix, unit] : units) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      return std::string(name.substr(0, name.size() - suffix.size())) + " (" + std::string(unit) + ")";
    }
  }
  return std::string(name);
}

/// A key metric's label in plain words: "cpu-thermal peak (°C)", "cpu-thermal above trip 1 (s)",
/// "big work done (ratio)", "energy (J)"; other names as `label_of`.
inline std::string plain_label(std::string_view name) {
  const std::vector<std::string_view> p = io::split(name, '.');
  const auto part = [&](std::size_t i) { return std::string(p[i]); };
  if (name == "energy_j") {
    return "energy (J)";
  }
  if (p.size() == 3 && p[0] == "zone" && p[2] == "peak_c") {
    return part(1) + " peak (°C)";
  }
  if (p.size() == 4 && p[0] == "zone" && p[2].starts_with("trip") && p[3] == "time_above_s") {
    return part(1) + " above trip " + std::string(p[2].substr(4)) + " (s)";
  }
  if (p.size() == 3 && p[0] == "domain" && p[2] == "work_ratio") {
    return part(1) + " work done (ratio)";
  }
  if (p.size() == 3 && p[2] == "throughput_per_s") {
    return part(1) + " throughput (per s)";
  }
  if (p.size() == 3 && p[0] == "domain" && p[2] == "energy_j") {
    return part(1) + " energy (J)";
  }
  return label_of(name);
}

/// Three to six round tick values covering [lo, hi].
inline std::vector<double> ticks(double lo, double hi) {
  std::vector<double> t;
  const double span = hi - lo;
  if (!(span > 0.0) || !std::isfinite(span)) {
    t.push_back(lo);
    return t;
  }
  const double raw = span / 4.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return t;
}

inline std::string tick_text(double v) {
  std::array<char, 48> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.4g", v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

/// A parameter's value as a number (its leading number, "3.5 min" → 3.5), or nullopt.
inline std::optional<double> leading_number(std::string_view s) {
  const auto sp = s.find(' ');
  return io::parse_double(s.substr(0, sp), io::exact);
}

/// One panel: dots at (x, y), in a `w`×`h` box at (x0, y0); categorical x when `categories`.
struct panel {
  double x0, y0, w, h;
  std::string x_label, y_label;
  std::vector<std::pair<double, double>> dots;
  std::vector<std::pair<double, double>> highlight;  ///< drawn on top, in the accent colour
  std::vector<std::string> categories;               ///< x tick names when x is an index
};

inline void draw(std::string& s, const panel& p) {
  double xl = std::numeric_limits<double>::infinity();
  double xh = -xl;
  double yl = xl;
  double yh = -xl;
  for (const auto& v : {&p.dots, &p.highlight}) {
    for (const auto& [x, y] : *v) {
      xl = std::min(xl, x), xh = std::max(xh, x), yl = std::min(yl, y), yh = std::max(yh, y);
    }
  }
  s += "<rect x=\"" + fixed(p.x0) + "\" y=\"" + fixed(p.y0) + "\" width=\"" + fixed(p.w) + "\" height=\"" + fixed(p.h) +
       "\" fill=\"none\" stroke=\"#999\"/>\n";
  s += "<text x=\"" + fixed(p.x0 + p.w / 2) + "\" y=\"" + fixed(p.y0 + p.h + 30) + "\" text-anchor=\"middle\">" + esc(fit(p.x_label, 40)) +
       "</text>\n";
  s += "<text transform=\"translate(" + fixed(p.x0 - 44) + "," + fixed(p.y0 + p.h / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
       esc(fit(p.y_label, 30)) + "</text>\n";
  if (!(xl <= xh)) {
    s += "<text x=\"" + fixed(p.x0 + p.w / 2) + "\" y=\"" + fixed(p.y0 + p.h / 2) + "\" text-anchor=\"middle\">no data</text>\n";
    return;
  }
  if (!p.categories.empty()) {
    xl = -0.5;
    xh = static_cast<double>(p.categories.size()) - 0.5;
  }
  const double xpad = xh > xl ? 0.05 * (xh - xl) : 1.0;
  const double ypad = yh > yl ? 0.08 * (yh - yl) : (yl != 0.0 ? std::abs(yl) * 0.05 : 1.0);
  if (p.categories.empty()) {
    xl -= xpad, xh += xpad;
  }
  yl -= ypad, yh += ypad;
  const auto px = [&](double x) { return p.x0 + (x - xl) / (xh - xl) * p.w; };
  const auto py = [&](double y) { return p.y0 + p.h - (y - yl) / (yh - yl) * p.h; };
  // ticks: x below, y on the left
  if (p.categories.empty()) {
    for (const double t : ticks(xl, xh)) {
      s += "<text x=\"" + fixed(px(t)) + "\" y=\"" + fixed(p.y0 + p.h + 13) + "\" text-anchor=\"middle\" class=\"t\">" + tick_text(t) +
           "</text>\n";
    }
  } else {
    const std::size_t every = 1 + p.categories.size() * 9 * 6 / static_cast<std::size_t>(std::max(1.0, p.w)) / 10;  // ~9 chars each
    for (std::size_t c = 0; c < p.categories.size(); c += every) {
      s += "<text x=\"" + fixed(px(static_cast<double>(c))) + "\" y=\"" + fixed(p.y0 + p.h + 13) + "\" text-anchor=\"middle\" class=\"t\">" +
           esc(fit(p.categories[c], 9)) + "</text>\n";
    }
  }
  for (const double t : ticks(yl, yh)) {
    s += "<text x=\"" + fixed(p.x0 - 4) + "\" y=\"" + fixed(py(t) + 3) + "\" text-anchor=\"end\" class=\"t\">" + tick_text(t) + "</text>\n";
  }
  // dots: one path of zero-length round-capped segments, each distinct half-pixel once
  const auto dots = [&](const std::vector<std::pair<double, double>>& v, const char* colour, double size) {
    std::set<std::pair<long, long>> seen;
    std::string d;
    for (const auto& [x, y] : v) {
      const long qx = std::lround(px(x) * 2.0);
      const long qy = std::lround(py(y) * 2.0);
      if (seen.emplace(qx, qy).second) {
        // piece by piece: "M" + std::string&& trips gcc 12's -Wrestrict at -O3 (GCC bug 105329)
        d += 'M';
        d += fixed(static_cast<double>(qx) / 2.0);
        d += ' ';
        d += fixed(static_cast<double>(qy) / 2.0);
        d += "h0";
      }
    }
    if (!d.empty()) {
      s += "<path d=\"" + d + "\" stroke=\"" + colour + "\" stroke-width=\"" + fixed(size) + "\" stroke-linecap=\"round\"/>\n";
    }
  };
  dots(p.dots, "#3a6ea5", 4.0);
  dots(p.highlight, "#c0392b", 6.0);
}

}  // namespace plot_detail

/// The key metrics of a table (peak temperature, time above a trip, work done, energy,
/// throughput: the first column whose name holds each), at most five. The time above a trip is
/// that of the hottest trip some point spent time above (with `t`: the control trip of a
/// power-allocator zone, not its switch-on trip, which every point is above alike), else the
/// first.
[[nodiscard]] inline std::vector<std::string> key_metrics(const std::vector<std::string>& cols, const result_table* t = nullptr) {
  std::vector<std::string> out;
  std::string above;  // the hottest trip of the first zone with a time above it
  if (t != nullptr) {
    std::string zone;
    for (const std::string& c : cols) {
      if (!c.starts_with("zone.") || !c.ends_with(".time_above_s")) {
        continue;
      }
      const std::string z = c.substr(0, c.find(".trip"));
      if (zone.empty()) {
        zone = z;
      }
      const bool reached = z == zone && std::any_of(t->rows.begin(), t->rows.end(), [&](const result_row& r) {
        double x = 0.0;
        return plot_detail::metric_value(r, c, x) && x > 0.0;
      });
      if (reached) {
        above = c;  // trips are listed in order: the last one reached is the hottest
      }
    }
  }
  const auto first = [&](std::string_view what, std::string_view prefer = {}) {
    if (!prefer.empty() && std::find(cols.begin(), cols.end(), prefer) != cols.end()) {
      out.emplace_back(prefer);
      return;
    }
    for (const std::string& c : cols) {
      if (c.find(what) != std::string::npos && std::find(out.begin(), out.end(), c) == out.end()) {
        out.push_back(c);
        return;
      }
    }
  };
  first("peak_c");
  first("time_above", above);
  first("work");
  first("energy", "energy_j");
  first("throughput");
  return out;
}

/// The rows no other row beats in every one of `objectives` (name, maximise?) and beats in one;
/// rows lacking one of the metrics take no part.
[[nodiscard]] inline std::vector<bool> pareto_front(const result_table& t, const std::vector<std::pair<std::string, bool>>& objectives) {
  std::vector<std::vector<double>> v(t.rows.size());
  std::vector<bool> usable(t.rows.size(), true);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    for (const auto& [name, maximise] : objectives) {
      double x = 0.0;
      const bool has = plot_detail::metric_value(t.rows[i], name, x);
      usable[i] = usable[i] && has;
      v[i].push_back(has ? (maximise ? -x : x) : 0.0);
    }
  }
  std::vector<bool> front(t.rows.size(), false);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!usable[i]) {
      continue;
    }
    bool dominated = false;
    for (std::size_t j = 0; j < v.size() && !dominated; ++j) {
      if (j == i || !usable[j]) {
        continue;
      }
      bool all_le = true;
      bool one_lt = false;
      for (std::size_t k = 0; k < objectives.size(); ++k) {
        all_le = all_le && v[j][k] <= v[i][k];
        one_lt = one_lt || v[j][k] < v[i][k];
      }
      dominated = all_le && one_lt;
    }
    front[i] = !dominated;
  }
  return front;
}

/// The objectives of the Pareto front (`--plot`, `--pareto`), from the key metrics: the peak
/// temperature (lower is better), the work done — the throughput when there is an inference
/// workload, else the work ratio — (higher), and the energy (lower) when there is one. Empty
/// when the table has no peak or no work metric.
[[nodiscard]] inline std::vector<std::pair<std::string, bool>> pareto_objectives(const result_table& t) {
  const std::vector<std::string> metrics = key_metrics(metric_columns(t), &t);
  const auto find = [&](std::string_view w) {
    return std::find_if(metrics.begin(), metrics.end(), [&](const std::string& c) { return c.find(w) != std::string::npos; });
  };
  const auto peak = find("peak");
  const auto work = find("throughput") != metrics.end() ? find("throughput") : find("work");
  if (peak == metrics.end() || work == metrics.end()) {
    return {};
  }
  std::vector<std::pair<std::string, bool>> obj{{*peak, false}, {*work, true}};
  if (const auto energy = find("energy"); energy != metrics.end()) {
    obj.emplace_back(*energy, false);
  }
  return obj;
}

/// `--pareto`: the points of the Pareto front as a table — point, the parameters and the
/// objectives — in point order; empty when the table has no objectives.
[[nodiscard]] inline std::string pareto_table(const result_table& t) {
  const auto obj = pareto_objectives(t);
  if (obj.empty()) {
    return {};
  }
  const std::vector<bool> front = pareto_front(t, obj);
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> head{"point"};
  head.insert(head.end(), t.axes.begin(), t.axes.end());
  for (const auto& [name, maximise] : obj) {
    head.push_back(name + (maximise ? " (max)" : " (min)"));
  }
  cells.push_back(head);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (!front[i]) {
      continue;
    }
    std::vector<std::string> c{std::to_string(t.rows[i].point)};
    c.insert(c.end(), t.rows[i].params.begin(), t.rows[i].params.end());
    for (const auto& o : obj) {
      c.push_back(*detail::find_metric(t.rows[i], o.first));
    }
    cells.push_back(std::move(c));
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& row : cells) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      w[j] = std::max(w[j], row[j].size());
    }
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (std::size_t j = 0; j < row.size(); ++j) {
      line += row[j];
      if (j + 1 < row.size()) {
        line += std::string(w[j] - row[j].size() + 2, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

/// The plot as SVG text.
[[nodiscard]] inline std::string plot_svg(const result_table& t, std::string_view title) {
  using plot_detail::panel;
  const std::vector<std::string> metrics = key_metrics(metric_columns(t), &t);
  // the axes that vary (an axis with one value, such as record_interval = 0, is no plot), at most six
  std::vector<std::size_t> shown;
  for (std::size_t a = 0; a < t.axes.size() && shown.size() < 6; ++a) {
    const bool varies = std::any_of(t.rows.begin(), t.rows.end(), [&](const result_row& r) { return r.params[a] != t.rows.front().params[a]; });
    if (varies) {
      shown.push_back(a);
    }
  }
  const std::size_t n_axes = shown.size();
  const double pw = 220;
  const double ph = 140;
  const double gap_x = 80;
  const double gap_y = 60;
  const double left = 70;
  const double top = 50;
  std::vector<panel> panels;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    for (std::size_t col = 0; col < n_axes; ++col) {
      const std::size_t a = shown[col];
      panel p{left + static_cast<double>(col) * (pw + gap_x), top + static_cast<double>(m) * (ph + gap_y), pw, ph, t.axes[a],
              plot_detail::plain_label(metrics[m]), {}, {}, {}};
      bool numeric = true;
      for (const result_row& r : t.rows) {
        numeric = numeric && plot_detail::leading_number(r.params[a]).has_value();
      }
      for (const result_row& r : t.rows) {
        double y = 0.0;
        if (!plot_detail::metric_value(r, metrics[m], y)) {
          continue;
        }
        double x = 0;
        if (numeric) {
          x = *plot_detail::leading_number(r.params[a]);
        } else {
          auto it = std::find(p.categories.begin(), p.categories.end(), r.params[a]);
          if (it == p.categories.end()) {
            p.categories.push_back(r.params[a]);
            it = p.categories.end() - 1;
          }
          x = static_cast<double>(it - p.categories.begin());
        }
        p.dots.emplace_back(x, y);
      }
      panels.push_back(std::move(p));
    }
  }
  // The Pareto front: lower peak temperature, more work done, less energy.
  std::string front_note;
  if (const auto obj = pareto_objectives(t); !obj.empty()) {
    const std::string& peak = obj[0].first;
    const std::string& work = obj[1].first;
    const std::vector<bool> front = pareto_front(t, obj);
    panel p{left, top + static_cast<double>(metrics.size()) * (ph + gap_y) + 30, 2 * pw + gap_x, 1.5 * ph, plot_detail::plain_label(peak),
            plot_detail::plain_label(work), {}, {}, {}};
    std::size_t n_front = 0;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      // plain doubles, not optionals copied out of a ternary (gcc 12 -O3 -Wmaybe-uninitialized)
      double x = 0.0;
      double y = 0.0;
      if (plot_detail::metric_value(t.rows[i], peak, x) && plot_detail::metric_value(t.rows[i], work, y)) {
        (front[i] ? p.highlight : p.dots).emplace_back(x, y);
        n_front += front[i] ? 1U : 0U;
      }
    }
    front_note = "Pareto front: the " + std::to_string(n_front) + " points in red\nno other point has a lower " + plot_detail::plain_label(peak) +
                 ", more " + plot_detail::plain_label(work) + (obj.size() > 2 ? " and less " + plot_detail::plain_label(obj[2].first) : "");
    panels.push_back(std::move(p));
  }
  double width = left + static_cast<double>(std::max<std::size_t>(n_axes, 2)) * (pw + gap_x);
  double height = top;
  for (const panel& p : panels) {
    height = std::max(height, p.y0 + p.h + gap_y);
  }
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + plot_detail::fixed(width, 0) + "\" height=\"" +
                  plot_detail::fixed(height, 0) + "\" font-family=\"sans-serif\" font-size=\"12\">\n" +
                  "<style>.t{font-size:10px;fill:#444}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + plot_detail::fixed(left) + "\" y=\"24\" font-size=\"15\">" +
       plot_detail::esc(plot_detail::fit(std::string(title) + ": " + std::to_string(t.rows.size()) + " points", 90)) + "</text>\n";
  if (metrics.empty()) {
    s += "<text x=\"" + plot_detail::fixed(left) + "\" y=\"60\">no point succeeded: nothing to plot</text>\n";
  }
  for (const panel& p : panels) {
    plot_detail::draw(s, p);
  }
  if (!front_note.empty()) {
    const panel& p = panels.back();
    const auto nl = front_note.find('\n');
    s += "<text x=\"" + plot_detail::fixed(p.x0) + "\" y=\"" + plot_detail::fixed(p.y0 - 24) + "\">" + plot_detail::esc(front_note.substr(0, nl)) +
         "</text>\n<text x=\"" + plot_detail::fixed(p.x0) + "\" y=\"" + plot_detail::fixed(p.y0 - 8) + "\" class=\"t\">" +
         plot_detail::esc(front_note.substr(nl + 1)) + "</text>\n";
  }
  s += "</svg>\n";
  return s;
}

}  // namespace thermo::cli::sweep
