/// @file svg_plot.hpp
/// A small, dependency-free SVG line-plot writer for thermo's examples and tools (host-only).
///
/// A figure is a stack of panels sharing the figure width; each panel has its own axes (labels
/// carry units), "nice" ticks, a legend, any number of line series (optionally drawn as steps or
/// with markers, optionally over a translucent min–max band) and labelled reference lines:
/// horizontal ones (trip points, budgets) and vertical ones (events on the time axis).
///
/// No text overlaps: reference-line labels sit on a white box, placed by io/plot_layout.hpp so
/// that no two boxes meet (a label whose place is taken moves along its line, then below it);
/// the legend column is as wide as its longest entry.
///
///     thermo::io::svg_figure fig("Step response");
///     auto& p = fig.add_panel("time (s)", "temperature (°C)");
///     p.add({.name = "die", .x = t, .y = die});
///     p.add_hline("trip 85 °C", 85.0);
///     if (fig.save("step.svg") != thermo::errc::ok) { … }
///
/// Output is deterministic (same data → same bytes) and well-formed XML (text is escaped;
/// non-finite points are skipped, never written). Its size does not grow with the data: a line
/// with more than four points per pixel column is drawn from the first, lowest, highest and last
/// point of each column (`m4_decimator`), which changes no pixel of the line.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/output.hpp"
#include "thermo/io/plot_layout.hpp"

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
  /// Optional min–max band drawn translucent under the line (empty: none; otherwise the same
  /// length as x, a NaN pair meaning no band at that point). With `step`, point k's band spans
  /// [x[k], x[k+1]).
  std::vector<double> band_lo{};
  std::vector<double> band_hi{};
};

/// Min/max decimation of a line whose x never decreases ("M4": Jugel et al., VLDB 2014). The
/// range [x0, x1] is cut into `columns` equal columns; of the points falling in one column it
/// keeps the first, the lowest, the highest and the last, in x order, so that the line drawn at
/// one column per pixel looks the same. Points are added in x order; x outside the range counts
/// in the first or last column; non-finite points are skipped. Output grows with `columns`,
/// never with the input: at most 4 points per column.
class m4_decimator {
 public:
  m4_decimator(double x0, double x1, std::size_t columns)
      : x0_(x0), scale_(x1 > x0 && columns > 0 ? static_cast<double>(columns) / (x1 - x0) : 0.0),
        last_col_(columns > 0 ? columns - 1 : 0) {}

  void add(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) {
      return;
    }
    const double c = std::clamp(std::floor((x - x0_) * scale_), 0.0, static_cast<double>(last_col_));
    const auto col = static_cast<std::size_t>(c);
    if (n_ == 0 || col != col_) {
      emit();
      col_ = col;
      first_ = low_ = high_ = last_ = {x, y};
      n_ = 1;
      return;
    }
    ++n_;
    if (y < low_.y) {
      low_ = {x, y};
    }
    if (y > high_.y) {
      high_ = {x, y};
    }
    last_ = {x, y};
  }
  /// Emits the last column; call once after the last `add`.
  void finish() {
    emit();
    n_ = 0;
  }
  [[nodiscard]] const std::vector<double>& x() const noexcept { return xs_; }
  [[nodiscard]] const std::vector<double>& y() const noexcept { return ys_; }

 private:
  struct point {
    double x{0.0};
    double y{0.0};
  };
  void emit() {
    if (n_ == 0) {
      return;
    }
    std::array<point, 4> p{first_, low_, high_, last_};
    // Order by x, ties kept in first-low-high-last order (an insertion sort of four: stable).
    for (std::size_t k = 1; k < p.size(); ++k) {
      for (std::size_t j = k; j > 0 && p[j].x < p[j - 1].x; --j) {
        std::swap(p[j], p[j - 1]);
      }
    }
    for (std::size_t k = 0; k < p.size(); ++k) {
      if (k > 0 && p[k].x == p[k - 1].x && p[k].y == p[k - 1].y) {
        continue;  // the same point kept twice (first == low, …)
      }
      xs_.push_back(p[k].x);
      ys_.push_back(p[k].y);
    }
    n_ = 0;
  }

  double x0_;
  double scale_;
  std::size_t last_col_;
  std::size_t col_{0};
  std::size_t n_{0};
  point first_, low_, high_, last_;
  std::vector<double> xs_, ys_;
};

/// A labelled reference line: horizontal at `y` (a trip temperature, a power limit), or
/// vertical at x = `y` (an event on the time axis). An empty label draws the line alone.
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
  /// A vertical line at `x` (an event), its label at the top of the panel.
  plot_panel& add_vline(std::string label, double x, std::string color = "#555555") {
    vlines_.push_back({std::move(label), x, std::move(color)});
    return *this;
  }
  /// Whole-number y ticks only (states, counts).
  plot_panel& integer_y(bool on = true) {
    integer_y_ = on;
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
  [[nodiscard]] const std::vector<reference_line>& vlines() const noexcept { return vlines_; }

 private:
  friend class svg_figure;
  std::string x_label_, y_label_;
  std::vector<line_series> series_;
  std::vector<reference_line> hlines_;
  std::vector<reference_line> vlines_;
  bool log_x_ = false;
  bool integer_y_ = false;
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

  /// Width of the plotting area in pixels: the figure's width less the axis margin on the left
  /// and the legend column on the right (as wide as the longest legend entry, at least 190).
  [[nodiscard]] double plot_width() const noexcept { return plot_right() - plot_left; }

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
    std::vector<label_box> placed;  // every label of the figure: none may meet another
    for (std::size_t i = 0; i < panels_.size(); ++i) {
      render_panel(s, panels_[i], title_h + static_cast<int>(i) * panel_height_, placed);
    }
    s += "</svg>\n";
    return s;
  }

  /// Writes the document to `path` ("-": standard output), whole or not at all
  /// (io/output.hpp); the error's message names the file and the reason.
  [[nodiscard]] file_error save(const std::string& path) const { return write_output(path, render()); }

 private:
  static constexpr std::array<const char*, 10> palette{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  static constexpr double plot_left = 80.0;
  static constexpr double legend_font = 12.0;
  static constexpr double label_font = 11.0;
  static constexpr double label_h = 14.0;

  [[nodiscard]] double plot_right() const noexcept {
    double legend = 190.0;
    for (const plot_panel& p : panels_) {
      for (const line_series& ser : p.series_) {
        legend = std::max(legend, 42.0 + text_width(ser.name, legend_font) + 8.0);
      }
    }
    return std::max(plot_left + 100.0, static_cast<double>(width_) - legend);
  }

  /// A label on a white box (the box is what `place_label` placed).
  static void label(std::string& s, const label_box& b, std::string_view text, const std::string& color) {
    s += "<rect class=\"label-box\" x=\"" + detail::num(b.x) + "\" y=\"" + detail::num(b.y) + "\" width=\"" +
         detail::num(b.w) + "\" height=\"" + detail::num(b.h) + "\" fill=\"white\" fill-opacity=\"0.85\"/>\n";
    s += "<text x=\"" + detail::num(b.x + 3.0) + "\" y=\"" + detail::num(b.y + b.h - 3.5) + "\" font-size=\"" +
         detail::num(label_font, 0) + "\" fill=\"" + color + "\">" + detail::xml_escape(text) + "</text>\n";
  }

  void render_panel(std::string& s, const plot_panel& p, int top, std::vector<label_box>& placed) const {
    const double left = plot_left;
    const double right = plot_right();  // legend column on the right
    const double y0 = static_cast<double>(top) + 15.0;
    const double y1 = static_cast<double>(top + panel_height_) - 50.0;

    auto tx = [&](double x) { return p.log_x_ ? std::log10(x) : x; };
    auto usable = [&](double x, double y) { return std::isfinite(x) && std::isfinite(y) && (!p.log_x_ || x > 0.0); };
    auto has_band = [](const line_series& ser, std::size_t k) {
      return k < ser.band_lo.size() && k < ser.band_hi.size() && std::isfinite(ser.band_lo[k]) && std::isfinite(ser.band_hi[k]);
    };

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
        if (has_band(ser, k)) {
          ymin = std::min(ymin, ser.band_lo[k]);
          ymax = std::max(ymax, ser.band_hi[k]);
        }
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
    const double ys = p.integer_y_ ? std::max(1.0, std::round(detail::nice_step(ymin, ymax))) : detail::nice_step(ymin, ymax);
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

    // Series, clipped to the frame; a long line whose x never decreases is decimated to at most
    // four points per pixel column (m4_decimator). A band is drawn first, under its line.
    const auto columns = static_cast<std::size_t>(std::max(1.0, std::ceil(right - left)));
    std::vector<label_spot> data;  // every point drawn, in pixels: what a label should not hide
    const double legend_step = p.series_.empty() ? 18.0
                                                 : std::clamp((y1 - y0 - 10.0) / static_cast<double>(p.series_.size()), 14.0, 18.0);
    for (std::size_t i = 0; i < p.series_.size(); ++i) {
      const auto& ser = p.series_[i];
      const std::string col = detail::xml_escape(ser.color.empty() ? palette[i % palette.size()] : ser.color);
      const bool banded = !ser.band_lo.empty();
      std::string pts;
      double last_y = std::numeric_limits<double>::quiet_NaN();
      std::size_t n = std::min(ser.x.size(), ser.y.size());
      const std::vector<double>* sx = &ser.x;
      const std::vector<double>* sy = &ser.y;
      m4_decimator m4(xmin, xmax, columns);
      if (!banded && !p.log_x_ && !ser.markers && n > 4 * columns &&
          std::is_sorted(ser.x.begin(), ser.x.begin() + static_cast<std::ptrdiff_t>(n))) {
        for (std::size_t k = 0; k < n; ++k) {
          m4.add(ser.x[k], ser.y[k]);
        }
        m4.finish();
        sx = &m4.x();
        sy = &m4.y();
        n = sx->size();
      }
      if (banded) {
        render_band(s, ser, n, col, [&](std::size_t k) { return usable(ser.x[k], ser.y[k]) && has_band(ser, k); }, px,
                    [&](double y) { return py(std::clamp(y, ymin, ymax)); });
      }
      for (std::size_t k = 0; k < n; ++k) {
        if (!usable((*sx)[k], (*sy)[k])) {
          continue;
        }
        const double xx = px((*sx)[k]);
        const double yy = py(std::clamp((*sy)[k], ymin, ymax));
        if (ser.step && std::isfinite(last_y)) {
          pts += detail::num(xx) + "," + detail::num(last_y) + " ";
        }
        pts += detail::num(xx) + "," + detail::num(yy) + " ";
        data.push_back({xx, yy});
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
      const double ly = y0 + 10.0 + legend_step * static_cast<double>(i);
      s += "<line x1=\"" + detail::num(right + 12) + "\" y1=\"" + detail::num(ly) + "\" x2=\"" + detail::num(right + 36) +
           "\" y2=\"" + detail::num(ly) + "\" stroke=\"" + col + "\" stroke-width=\"2\"" +
           (ser.dashed ? std::string(" stroke-dasharray=\"5,3\"") : std::string()) + "/>\n";
      s += "<text x=\"" + detail::num(right + 42) + "\" y=\"" + detail::num(ly + 4) + "\">" + detail::xml_escape(ser.name) +
           "</text>\n";
      placed.push_back({right + 42.0, ly - 9.0, text_width(ser.name, legend_font), 13.0});
    }

    // Reference lines, then their labels over the data: horizontal ones from the top down, each
    // on its line (above it, moved along it, or below it) where no other label is; vertical ones
    // at the top of the panel, in rows.
    const label_box bounds{left, y0, right - left, y1 - y0};
    const auto hidden = [&](const label_box& b) {
      return static_cast<double>(std::count_if(data.begin(), data.end(), [&](const label_spot& d) {
        return d.x >= b.x && d.x <= b.right() && d.y >= b.y && d.y <= b.bottom();
      }));
    };
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < p.hlines_.size(); ++k) {
      const auto& h = p.hlines_[k];
      if (!std::isfinite(h.y) || h.y < ymin || h.y > ymax) {
        continue;
      }
      s += "<line x1=\"" + detail::num(left) + "\" y1=\"" + detail::num(py(h.y)) + "\" x2=\"" + detail::num(right) +
           "\" y2=\"" + detail::num(py(h.y)) + "\" stroke=\"" + detail::xml_escape(h.color) + "\" stroke-dasharray=\"6,4\"/>\n";
      if (!h.label.empty()) {
        order.push_back(k);
      }
    }
    std::vector<const reference_line*> vl;
    for (const auto& v : p.vlines_) {
      if (!std::isfinite(v.y) || tx(v.y) < xmin || tx(v.y) > xmax || (p.log_x_ && v.y <= 0.0)) {
        continue;
      }
      s += "<line x1=\"" + detail::num(px(v.y)) + "\" y1=\"" + detail::num(y0) + "\" x2=\"" + detail::num(px(v.y)) +
           "\" y2=\"" + detail::num(y1) + "\" stroke=\"" + detail::xml_escape(v.color) + "\" stroke-dasharray=\"2,3\"/>\n";
      if (!v.label.empty()) {
        vl.push_back(&v);
      }
    }
    // Top down; lines at one height in the order given (std::sort with the index as tie-break:
    // libstdc++'s stable_sort uses a buffer API that clang reports as deprecated).
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return p.hlines_[a].y != p.hlines_[b].y ? p.hlines_[a].y > p.hlines_[b].y : a < b;
    });
    for (const std::size_t k : order) {
      const auto& h = p.hlines_[k];
      const double w = text_width(h.label, label_font) + 6.0;
      const double yy = py(h.y);
      std::vector<double> xs;
      for (int step = 0; step <= 7; ++step) {  // along the line, left to right
        xs.push_back(left + 4.0 + std::max(0.0, right - left - 8.0 - w) * static_cast<double>(step) / 7.0);
      }
      for (const label_box& o : placed) {
        if (o.right() + 6.0 > left && o.right() + 6.0 + w <= right) {
          xs.push_back(o.right() + 6.0);
        }
      }
      std::sort(xs.begin(), xs.end());
      std::vector<label_spot> spots;
      for (const double y : {yy - label_h - 1.0, yy + 1.0}) {
        for (const double x : xs) {
          spots.push_back({x, y});
        }
      }
      label(s, place_label(placed, spots, w, label_h, bounds, hidden), h.label, detail::xml_escape(h.color));
    }
    for (const reference_line* v : vl) {
      const double w = text_width(v->label, label_font) + 6.0;
      const double xx = px(v->y);
      std::vector<label_spot> spots;  // rows from the top, right of the line, else left of it
      for (double y = y0 + 2.0; y + label_h <= y1; y += label_h + 2.0) {
        spots.push_back({xx + 2.0, y});
        spots.push_back({xx - 2.0 - w, y});
      }
      // Data hidden counts most; a lower row costs a little, so the label stays near the top.
      const auto cost = [&](const label_box& b) { return hidden(b) + 2.0 * (b.y - y0) / (label_h + 2.0) + (b.x < xx ? 1.0 : 0.0); };
      label(s, place_label(placed, spots, w, label_h, bounds, cost), v->label, detail::xml_escape(v->color));
    }
    s += "</g>\n";
  }

  /// The translucent band of `ser` under its line: one polygon per run of points with a band.
  template <class Usable, class Px, class Py>
  static void render_band(std::string& s, const line_series& ser, std::size_t n, const std::string& col, Usable ok, Px px, Py py) {
    std::size_t k = 0;
    while (k < n) {
      if (!ok(k)) {
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e < n && ok(e)) {
        ++e;
      }
      // Points [k, e): the upper edge forward, the lower edge back.
      std::vector<std::pair<double, double>> upper;
      std::vector<std::pair<double, double>> lower;
      for (std::size_t j = k; j < e; ++j) {
        const double xa = px(ser.x[j]);
        upper.emplace_back(xa, py(ser.band_hi[j]));
        lower.emplace_back(xa, py(ser.band_lo[j]));
        if (ser.step) {
          const double xb = j + 1 < n ? px(ser.x[j + 1]) : xa;
          upper.emplace_back(xb, py(ser.band_hi[j]));
          lower.emplace_back(xb, py(ser.band_lo[j]));
        }
      }
      std::string pts;
      for (const auto& [x, y] : upper) {
        pts += detail::num(x) + "," + detail::num(y) + " ";
      }
      for (auto it = lower.rbegin(); it != lower.rend(); ++it) {
        pts += detail::num(it->first) + "," + detail::num(it->second) + " ";
      }
      pts.pop_back();
      s += "<polygon class=\"band\" fill=\"" + col + "\" fill-opacity=\"0.25\" stroke=\"none\" points=\"" + pts + "\"/>\n";
      k = e;
    }
  }

  std::string title_;
  int width_;
  int panel_height_;
  std::deque<plot_panel> panels_;  // deque: add_panel's references stay valid
};

}  // namespace thermo::io
