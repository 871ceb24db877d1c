/// @file band_decimator.hpp
/// Decimation of a trace channel for a plot, in memory bounded by the figure's width (host-only;
/// used by io/run_plot.hpp).
///
/// The range [x0, x1] is cut into `columns` equal columns (about one per pixel). A column keeps
/// its first, lowest, highest and last point, in x order, as `m4_decimator` does — unless it is
/// *dithering*: its value changed at least `dither_changes` times (a governor alternating
/// between two OPPs, a fan toggling). Drawn point by point, such a column is a solid block of
/// vertical strokes; instead it becomes one point at its first x holding its time-weighted mean
/// (each value weighted by how long it held, to the next point or the column's end), with the
/// column's minimum and maximum as a band (`band_lo`, `band_hi`; NaN where there is no band).
/// With `dither_changes` = 0 no column is a band (smooth signals: plain M4). With bands on, the
/// signal is taken to be stepped (drawn as a zero-order hold): a point repeating the value of the
/// point before it is dropped, and the line (or band) ends at the last point added.
///
/// Points are added in x order; x outside the range counts in the first or last column;
/// non-finite points are skipped. Output: at most four points per column.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace thermo::io {

class band_decimator {
 public:
  band_decimator(double x0, double x1, std::size_t columns, std::size_t dither_changes = 3)
      : x0_(x0), scale_(x1 > x0 && columns > 0 ? static_cast<double>(columns) / (x1 - x0) : 0.0),
        last_col_(columns > 0 ? columns - 1 : 0), dither_(dither_changes) {}

  void add(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) {
      return;
    }
    const double c = std::clamp(std::floor((x - x0_) * scale_), 0.0, static_cast<double>(last_col_));
    const auto col = static_cast<std::size_t>(c);
    const bool changed = have_prev_ && y != prev_y_;
    have_prev_ = true;
    prev_y_ = y;
    if (n_ == 0 || col != col_) {
      emit();
      col_ = col;
      first_ = low_ = high_ = last_ = {x, y};
      n_ = 1;
      changes_ = changed ? 1 : 0;
      weighted_ = 0.0;
      sum_ = y;
      return;
    }
    ++n_;
    changes_ += changed ? 1 : 0;
    weighted_ += last_.y * (x - last_.x);
    sum_ += y;
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
    const point end = last_;
    const bool any = n_ > 0;
    emit();
    if (any && dither_ > 0 && (xs_.empty() || xs_.back() != end.x)) {
      // The hold reaches the last point (a band reaches it too).
      const bool band = !lo_.empty() && !std::isnan(lo_.back());
      push(end.x, band ? ys_.back() : end.y, band ? lo_.back() : nan, band ? hi_.back() : nan);
    }
  }

  [[nodiscard]] const std::vector<double>& x() const noexcept { return xs_; }
  [[nodiscard]] const std::vector<double>& y() const noexcept { return ys_; }
  /// The band (empty when no column was dithering).
  [[nodiscard]] const std::vector<double>& band_lo() const noexcept { return lo_; }
  [[nodiscard]] const std::vector<double>& band_hi() const noexcept { return hi_; }
  /// Columns drawn as a band so far.
  [[nodiscard]] std::size_t band_columns() const noexcept { return bands_; }

 private:
  struct point {
    double x{0.0};
    double y{0.0};
  };
  void push(double x, double y, double lo, double hi) {
    xs_.push_back(x);
    ys_.push_back(y);
    if (!lo_.empty() || std::isfinite(lo)) {
      lo_.resize(xs_.size() - 1, nan);
      hi_.resize(xs_.size() - 1, nan);
      lo_.push_back(lo);
      hi_.push_back(hi);
    }
  }
  void emit() {
    if (n_ == 0) {
      return;
    }
    if (dither_ > 0 && changes_ >= dither_) {
      const double end = scale_ > 0.0 ? std::max(x0_ + static_cast<double>(col_ + 1) / scale_, last_.x) : last_.x;
      const double span = end - first_.x;
      const double mean = span > 0.0 ? (weighted_ + last_.y * (end - last_.x)) / span : sum_ / static_cast<double>(n_);
      push(first_.x, std::clamp(mean, low_.y, high_.y), low_.y, high_.y);
      ++bands_;
      n_ = 0;
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
      if (dither_ > 0 && !ys_.empty() && p[k].y == ys_.back() && std::isnan(lo_.empty() ? nan : lo_.back())) {
        continue;  // a stepped signal holding its value: the point adds nothing
      }
      push(p[k].x, p[k].y, nan, nan);
    }
    n_ = 0;
  }

  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  double x0_;
  double scale_;
  std::size_t last_col_;
  std::size_t dither_;
  std::size_t col_{0};
  std::size_t n_{0};
  std::size_t changes_{0};
  std::size_t bands_{0};
  bool have_prev_{false};
  double prev_y_{0.0};
  double weighted_{0.0};
  double sum_{0.0};
  point first_, low_, high_, last_;
  std::vector<double> xs_, ys_, lo_, hi_;
};

}  // namespace thermo::io
