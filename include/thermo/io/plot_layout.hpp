/// @file plot_layout.hpp
/// Placing text on a figure so that no two labels overlap (host-only, used by io/svg_plot.hpp).
///
/// A label is a box: its width is estimated from its text (no font metrics are available to a
/// writer of SVG, so the estimate is deliberately generous — 0.62 em per character, which covers
/// Helvetica, Arial and DejaVu Sans for the labels thermo writes). `place_label` puts a box at a
/// free candidate position — inside the bounds, meeting no box placed before it: the first, or,
/// given a cost (the data points the box would hide), the cheapest. When none is free the box
/// goes below every box placed so far, so boxes never intersect.
/// Everything is arithmetic on doubles in a fixed order: the same labels give the same layout.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace thermo::io {

/// An axis-aligned box in SVG pixels (y grows downwards).
struct label_box {
  double x{0.0};
  double y{0.0};
  double w{0.0};
  double h{0.0};

  [[nodiscard]] constexpr double right() const noexcept { return x + w; }
  [[nodiscard]] constexpr double bottom() const noexcept { return y + h; }
  /// True when the two boxes share interior area (touching edges do not count).
  [[nodiscard]] constexpr bool intersects(const label_box& o) const noexcept {
    return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
  }
  /// True when this box lies inside `o` (edges included).
  [[nodiscard]] constexpr bool inside(const label_box& o) const noexcept {
    return x >= o.x && y >= o.y && right() <= o.right() && bottom() <= o.bottom();
  }
};

/// A position a label may take (its box's top-left corner).
struct label_spot {
  double x{0.0};
  double y{0.0};
};

/// Characters of UTF-8 text (code points: continuation bytes are not counted).
[[nodiscard]] constexpr std::size_t text_chars(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  }
  return n;
}

/// The estimated width of `s` set at `font_px` pixels (see the file comment).
[[nodiscard]] constexpr double text_width(std::string_view s, double font_px) noexcept {
  return 0.62 * font_px * static_cast<double>(text_chars(s));
}

/// Places a `w`×`h` box at the free spot of `spots` (inside `bounds`, meeting none of `placed`)
/// of least `cost(box)` — the first such on ties; when no spot is free, below every placed box
/// (at the first spot's x). Appends the box to `placed` and returns it.
template <class Cost>
label_box place_label(std::vector<label_box>& placed, std::span<const label_spot> spots, double w, double h,
                      const label_box& bounds, Cost cost) {
  const auto free = [&](const label_box& b) {
    return b.inside(bounds) && std::none_of(placed.begin(), placed.end(), [&](const label_box& o) { return o.intersects(b); });
  };
  bool found = false;
  label_box best{};
  double best_cost = 0.0;
  for (const label_spot& s : spots) {
    const label_box b{s.x, s.y, w, h};
    if (!free(b)) {
      continue;
    }
    const double c = cost(b);
    if (!found || c < best_cost) {
      found = true;
      best = b;
      best_cost = c;
    }
  }
  if (found) {
    placed.push_back(best);
    return best;
  }
  double y = spots.empty() ? bounds.y : spots.front().y;
  for (const label_box& o : placed) {
    y = std::max(y, o.bottom() + 1.0);
  }
  placed.push_back({spots.empty() ? bounds.x : spots.front().x, y, w, h});
  return placed.back();
}

/// `place_label` at the first free spot.
inline label_box place_label(std::vector<label_box>& placed, std::span<const label_spot> spots, double w, double h,
                             const label_box& bounds) {
  return place_label(placed, spots, w, h, bounds, [](const label_box&) { return 0.0; });
}

}  // namespace thermo::io
