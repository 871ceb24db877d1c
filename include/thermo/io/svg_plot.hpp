/// @file svg_plot.hpp
/// A small, dependency-free SVG line-plot writer for thermo's examples and tools (host-only).
///
/// A figure is a stack of panels sharing the figure width; each panel has its own axes (labels
/// carry units), "nice" ticks, a legend, any number of line series (optionally drawn as steps or
/// with markers) and labelled horizontal reference lines (trip points, budgets).
///
///     thermo::io::svg_figure fig("Step response");
///     auto& p = fig.add_panel("time (s)", "temperature (°C)");
///     p.add({.name = "die", .x = t, .y = die});
///     p.add_hline("trip 85 °C", 85.0);
///     if (fig.save("step.svg") != thermo::errc::ok) { … }
///
/// Output is deterministic (same data → same bytes) and well-formed XML (text is escaped;
/// non-finite points are skipped, never written).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"

namespace thermo::io {

/// One line of a panel.
struct line_series {
  std::string name;        ///< legend text
  std::vector<double> x;   ///< abscissae (same length as y)
  std::vector<double> y;   ///< ordinates
  bool markers = false;    ///< draw a dot at every point
  bool step = false;       ///< zero-order hold: horizontal then vertical segments
  bool dashed = false;     ///< dashed stroke
  std::string color{};     ///< CSS colour; empty picks from the palette
};

/// A labelled horizontal reference line (a trip temperature, a power limit).
struct reference_line {
  std::string label;
  double y = 0.0;
  std::string color = "#b22222";
};

/// One set of axes.
class plot_panel {
 public:
  plot_panel(std::string x_label, std::string y_label) : x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

  plot_panel& add(line_series s) {
    series_.push_back(std::move(s));
    return *this;
  }
  plot_panel& add_hline(std::string label, double y, std::string color = "#b22222") {
    hlines_.push_back({std::move(label), y, std::move(color)});
    return *this;
  }
  /// Logarithmic x axis (decades); points with x ≤ 0 are skipped.
  plot_panel& log_x(bool on = true) {
    log_x_ = on;
    return *this;
  }
  /// Fix the y range instead of fitting the data (and reference lines).
  plot_panel& y_range(double lo, double hi) {
    y_lo_ = lo;
    y_hi_ = hi;
    return *this;
  }

  [[nodiscard]] const std::vector<line_series>& series() const noexcept { return series_; }
  [[nodiscard]] const std::vector<reference_line>& hlines() const noexcept { return hlines_; }

 private:
  friend class svg_figure;
  std::string x_label_, y_label_;
  std::vector<line_series> series_;
  std::vector<reference_line> hlines_;
  bool log_x_ = false;
  double y_lo_ = std::numeric_limits<double>::quiet_NaN();
  double y_hi_ = std::numeric_limits<double>::quiet_NaN();
};

namespace detail {

inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Fixed, locale-independent number formatting for coordinates.
inline std::string num(double v, int decimals = 2) {
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.*f", decimals, v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

/// Short tick label: trims trailing zeros, uses %g for very large/small magnitudes.
inline std::string tick_label(double v, double step) {
  if (std::abs(v) < step * 1e-9) {
    v = 0.0;
  }
  std::array<char, 64> buf{};
  const double a = std::abs(v);
  int n = 0;
  if (a != 0.0 && (a >= 1e6 || a < 1e-3)) {
    n = std::snprintf(buf.data(), buf.size(), "%.3g", v);
  } else {
    int dec = 0;  // as many decimals as the step needs (2.5 → 1), at most 6
    for (double scaled = step; dec < 6 && std::abs(scaled - std::round(scaled)) > 1e-6 * scaled; scaled *= 10.0) {
      ++dec;
    }
    n = std::snprintf(buf.data(), buf.size(), "%.*f", dec, v);
  }
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

/// "Nice" tick step (1, 2, 2.5 or 5 × 10^k) giving about `target` intervals over [lo, hi].
inline double nice_step(double lo, double hi, int target = 6) {
  const double span = hi - lo;
  if (!(span > 0.0) || !std::isfinite(span)) {
    return 1.0;
  }
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f < 1.5 ? 1.0 : f < 2.25 ? 2.0 : f < 3.5 ? 2.5 : f < 7.5 ? 5.0 : 10.0;
  return nice * mag;
}

}  // namespace detail

/// A figure: a title and vertically stacked panels.
class svg_figure {
 public:
  explicit svg_figure(std::string title, int width = 960, int panel_height = 320)
      : title_(std::move(title)), width_(width), panel_height_(panel_height) {}

  /// Adds a panel below the previous ones and returns it for filling. The reference stays valid
  /// when more panels are added.
  plot_panel& add_panel(std::string x_label, std::string y_label) {
    panels_.emplace_back(std::move(x_label), std::move(y_label));
    return panels_.back();
  }
  [[nodiscard]] std::deque<plot_panel>& panels() noexcept { return panels_; }

  /// The SVG document.
  [[nodiscard]] std::string render() const {
    const int title_h = 40;
    const int height = title_h + static_cast<int>(panels_.size()) * panel_height_ + 10;
    std::string s;
    s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width_) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width_) + " " + std::to_string(height) +
         "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
    s += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(width_) + "\" height=\"" + std::to_string(height) +
         "\" fill=\"white\"/>\n";
    s += "<text x=\"" + std::to_string(width_ / 2) + "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
         detail::xml_escape(title_) + "</text>\n";
    for (std::size_t i = 0; i < panels_.size(); ++i) {
      render_panel(s, panels_[i], title_h + static_cast<int>(i) * panel_height_);
    }
    s += "</svg>\n";
    return s;
  }

  /// Writes the document to `path`: errc::ok, or errc::io_error if the file cannot be written.
  [[nodiscard]] errc save(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
      return errc::io_error;
    }
    const std::string doc = render();
    f.write(doc.data(), static_cast<std::streamsize>(doc.size()));
    return f.good() ? errc::ok : errc::io_error;
  }

 private:
  static constexpr std::array<const char*, 10> palette{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

  void render_panel(std::string& s, const plot_panel& p, int top) const {
    const double left = 80.0;
    const double right = static_cast<double>(width_) - 190.0;  // legend column on the right
    const double y0 = static_cast<double>(top) + 15.0;
    const double y1 = static_cast<double>(top + panel_height_) - 50.0;

    auto tx = [&](double x) { return p.log_x_ ? std::log10(x) : x; };
    auto usable = [&](double x, double y) { return std::isfinite(x) && std::isfinite(y) && (!p.log_x_ || x > 0.0); };

    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
    double ymin = xmin, ymax = -xmin;
    for (const auto& ser : p.series_) {
      const std::size_t n = std::min(ser.x.size(), ser.y.size());
      for (std::size_t k = 0; k < n; ++k) {
        if (!usable(ser.x[k], ser.y[k])) {
          continue;
        }
        xmin = std::min(xmin, tx(ser.x[k]));
        xmax = std::max(xmax, tx(ser.x[k]));
        ymin = std::min(ymin, ser.y[k]);
        ymax = std::max(ymax, ser.y[k]);
      }
    }
    for (const auto& h : p.hlines_) {
      if (std::isfinite(h.y)) {
        ymin = std::min(ymin, h.y);
        ymax = std::max(ymax, h.y);
      }
    }
    if (!(xmin <= xmax)) {
      xmin = 0.0;
      xmax = 1.0;
    }
    if (!(ymin <= ymax)) {
      ymin = 0.0;
      ymax = 1.0;
    }
    if (std::isfinite(p.y_lo_) && std::isfinite(p.y_hi_) && p.y_lo_ < p.y_hi_) {
      ymin = p.y_lo_;
      ymax = p.y_hi_;
    } else {
      const double pad = (ymax - ymin) * 0.05;
      ymin -= pad > 0 ? pad : 0.5;
      ymax += pad > 0 ? pad : 0.5;
    }
    if (xmax == xmin) {
      xmin -= 0.5;
      xmax += 0.5;
    }
    auto px = [&](double x) { return left + (tx(x) - xmin) / (xmax - xmin) * (right - left); };
    auto py = [&](double y) { return y1 - (y - ymin) / (ymax - ymin) * (y1 - y0); };

    // Frame, grid and ticks.
    s += "<g>\n<rect x=\"" + detail::num(left) + "\" y=\"" + detail::num(y0) + "\" width=\"" + detail::num(right - left) +
         "\" height=\"" + detail::num(y1 - y0) + "\" fill=\"none\" stroke=\"#333\"/>\n";
    const double ys = detail::nice_step(ymin, ymax);
    for (double v = std::ceil(ymin / ys) * ys; v <= ymax + ys * 1e-9; v += ys) {
      const double yy = py(v);
      s += "<line x1=\"" + detail::num(left) + "\" y1=\"" + detail::num(yy) + "\" x2=\"" + detail::num(right) + "\" y2=\"" +
           detail::num(yy) + "\" stroke=\"#e5e5e5\"/>\n";
      s += "<text x=\"" + detail::num(left - 6) + "\" y=\"" + detail::num(yy + 4) + "\" text-anchor=\"end\">" +
           detail::tick_label(v, ys) + "</text>\n";
    }
    if (p.log_x_) {
      for (double d = std::floor(xmin); d <= std::ceil(xmax); d += 1.0) {
        if (d < xmin - 1e-9 || d > xmax + 1e-9) {
          continue;
        }
        const double xx = left + (d - xmin) / (xmax - xmin) * (right - left);
        s += "<line x1=\"" + detail::num(xx) + "\" y1=\"" + detail::num(y0) + "\" x2=\"" + detail::num(xx) + "\" y2=\"" +
             detail::num(y1) + "\" stroke=\"#e5e5e5\"/>\n";
        s += "<text x=\"" + detail::num(xx) + "\" y=\"" + detail::num(y1 + 16) + "\" text-anchor=\"middle\">" +
             detail::tick_label(std::pow(10.0, d), std::min(1.0, std::pow(10.0, d))) + "</text>\n";
      }
    } else {
      const double xs = detail::nice_step(xmin, xmax, 8);
      for (double v = std::ceil(xmin / xs) * xs; v <= xmax + xs * 1e-9; v += xs) {
        const double xx = px(v);
        s += "<line x1=\"" + detail::num(xx) + "\" y1=\"" + detail::num(y0) + "\" x2=\"" + detail::num(xx) + "\" y2=\"" +
             detail::num(y1) + "\" stroke=\"#e5e5e5\"/>\n";
        s += "<text x=\"" + detail::num(xx) + "\" y=\"" + detail::num(y1 + 16) + "\" text-anchor=\"middle\">" +
             detail::tick_label(v, xs) + "</text>\n";
      }
    }
    s += "<text x=\"" + detail::num((left + right) / 2) + "\" y=\"" + detail::num(y1 + 36) + "\" text-anchor=\"middle\">" +
         detail::xml_escape(p.x_label_) + "</text>\n";
    s += "<text transform=\"translate(" + detail::num(22) + "," + detail::num((y0 + y1) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + detail::xml_escape(p.y_label_) + "</text>\n";

    // Reference lines.
    for (const auto& h : p.hlines_) {
      if (!std::isfinite(h.y) || h.y < ymin || h.y > ymax) {
        continue;
      }
      const std::string col = detail::xml_escape(h.color);
      s += "<line x1=\"" + detail::num(left) + "\" y1=\"" + detail::num(py(h.y)) + "\" x2=\"" + detail::num(right) +
           "\" y2=\"" + detail::num(py(h.y)) + "\" stroke=\"" + col + "\" stroke-dasharray=\"6,4\"/>\n";
      s += "<text x=\"" + detail::num(left + 4) + "\" y=\"" + detail::num(py(h.y) - 4) + "\" text-anchor=\"start\" fill=\"" +
           col + "\">" + detail::xml_escape(h.label) + "</text>\n";
    }

    // Series, clipped to the frame.
    for (std::size_t i = 0; i < p.series_.size(); ++i) {
      const auto& ser = p.series_[i];
      const std::string col = detail::xml_escape(ser.color.empty() ? palette[i % palette.size()] : ser.color);
      std::string pts;
      double last_y = std::numeric_limits<double>::quiet_NaN();
      const std::size_t n = std::min(ser.x.size(), ser.y.size());
      for (std::size_t k = 0; k < n; ++k) {
        if (!usable(ser.x[k], ser.y[k])) {
          continue;
        }
        const double xx = px(ser.x[k]);
        const double yy = py(std::clamp(ser.y[k], ymin, ymax));
        if (ser.step && std::isfinite(last_y)) {
          pts += detail::num(xx) + "," + detail::num(last_y) + " ";
        }
        pts += detail::num(xx) + "," + detail::num(yy) + " ";
        last_y = yy;
        if (ser.markers) {
          s += "<circle cx=\"" + detail::num(xx) + "\" cy=\"" + detail::num(yy) + "\" r=\"2.5\" fill=\"" + col + "\"/>\n";
        }
      }
      if (!pts.empty()) {
        pts.pop_back();
        s += "<polyline fill=\"none\" stroke=\"" + col + "\" stroke-width=\"1.6\"" +
             (ser.dashed ? std::string(" stroke-dasharray=\"5,3\"") : std::string()) + " points=\"" + pts + "\"/>\n";
      }
      // Legend entry.
      const double ly = y0 + 10.0 + 18.0 * static_cast<double>(i);
      s += "<line x1=\"" + detail::num(right + 12) + "\" y1=\"" + detail::num(ly) + "\" x2=\"" + detail::num(right + 36) +
           "\" y2=\"" + detail::num(ly) + "\" stroke=\"" + col + "\" stroke-width=\"2\"" +
           (ser.dashed ? std::string(" stroke-dasharray=\"5,3\"") : std::string()) + "/>\n";
      s += "<text x=\"" + detail::num(right + 42) + "\" y=\"" + detail::num(ly + 4) + "\">" + detail::xml_escape(ser.name) +
           "</text>\n";
    }
    s += "</g>\n";
  }

  std::string title_;
  int width_;
  int panel_height_;
  std::deque<plot_panel> panels_;  // deque: add_panel's references stay valid
};

}  // namespace thermo::io
