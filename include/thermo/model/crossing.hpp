/// @file crossing.hpp
/// First-crossing times of a sum of exponentials — the exact event times of the simulation's
/// interrupts and trip crossings — and the screens that decide most of them without a search.
///
/// Between two events a sensor's reading is `steady + Σ_k a_k e^{−λ_k τ}` (λ_k > 0, the RC
/// network's modes). This header holds the arithmetic on such sums, once:
///
/// * `sum_rounding`: the rounding allowance of an evaluated N-term sum, the one formula behind
///   every tolerance the search, the screens and the simulation's crossing bands use;
/// * `first_crossing_of_sum`: the rigorous branch-and-bound search (`rc_network::first_crossing`
///   prepares its terms);
/// * `probe_expansion`: a probe's sum with the totals the screens need, built by
///   `rc_network::expand` in one O(N) pass, and the screens themselves (`reach`, `ends`).
///
/// See docs/explanation/simulation.md ("exact interrupts") and docs/reference/rc_network.md.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo {

/// Which way a threshold is crossed.
enum class crossing_direction : std::uint8_t {
  rising,   ///< the value reaches the threshold from below (value ≥ threshold)
  falling,  ///< the value reaches the threshold from above (value ≤ threshold)
};

/// Outcome of a first-crossing search.
template <class Real = double>
struct crossing {
  bool found{false};           ///< the threshold is reached within the horizon
  Real time{};                 ///< seconds from now to the first crossing (0 if already reached); valid if found
  std::uint32_t evaluations{};  ///< N-term sums evaluated by the search (its cost)
};

/// Tuning of the first-crossing search (defaults meet the 1 µs requirement with margin).
template <class Real = double>
struct crossing_options {
  /// The reported time is at most this far (s) after the start of the first crossing found.
  Real time_tolerance{static_cast<Real>(1e-7)};
  /// Excursions beyond the threshold shorter than this (s) may be missed; longer ones never are.
  Real min_excursion{static_cast<Real>(1e-10)};
  /// Work cap: evaluations of the N-term exponential sum before giving up with
  /// `errc::numerical_failure` (never reached in tests; about 30–60 are typical).
  std::uint32_t max_evaluations{20000};
};

/// The rounding allowance of an evaluated sum of `terms` terms whose magnitudes add up to `scale`:
/// (terms + 8)·ε·scale. Every tolerance on such sums is a power-of-two multiple of it, so that
/// each is exactly as generous as the one it must cover: the search counts a value within 4× of
/// the threshold as reaching it, the simulation's screens reject a level only beyond 16× (never
/// one the search would report as touched), and its crossing bands look 64× past a level.
[[nodiscard]] constexpr double sum_rounding(std::size_t terms, double scale) noexcept {
  return static_cast<double>(terms + 8) * std::numeric_limits<double>::epsilon() * scale;
}

namespace detail::crossing_search {

// Margin f(τ) = c0 + Σ c_k e^{−λ_k τ}; crossing ⇔ f ≥ 0. A point keeps what the interval bounds
// need: f split into its decreasing (c_k > 0) and increasing (c_k < 0) parts, f', and f''
// split the same way.
struct margin_point {
  double t;
  double pos;   // Σ_{c_k > 0} c_k e^{−λ_k t}          (decreasing in t)
  double neg;   // Σ_{c_k < 0} c_k e^{−λ_k t}          (increasing in t)
  double d1;    // f'(t) = −Σ c_k λ_k e^{−λ_k t}
  double pos2;  // Σ_{c_k > 0} c_k λ_k² e^{−λ_k t}     (decreasing in t)
  double neg2;  // Σ_{c_k < 0} c_k λ_k² e^{−λ_k t}     (increasing in t)
};

}  // namespace detail::crossing_search

/// The earliest τ ∈ [0, horizon] at which the margin `c0 + Σ_{k<m} ck[k]·e^{−lk[k]·τ}` is ≥ 0
/// (`found = true, time = 0` if it already is), by the method `rc_network::first_crossing`
/// documents. `c0` already holds the caller's rounding allowance; `lk[k]` > 0; `horizon` finite
/// and ≥ 0; `opt` validated. Errors: `numerical_failure` "first crossing search" when
/// `opt.max_evaluations` is exhausted. No heap; O(m) per evaluation.
template <class Real>
[[nodiscard]] result<crossing<Real>, error> first_crossing_of_sum(double c0, const double* ck, const double* lk,
                                                                  std::size_t m, double horizon,
                                                                  const crossing_options<Real>& opt) noexcept {
  constexpr double eps = std::numeric_limits<double>::epsilon();

  std::uint32_t evaluations = 0;
  const auto eval = [&](double t) {
    ++evaluations;
    detail::crossing_search::margin_point p{t, 0.0, 0.0, 0.0, 0.0, 0.0};
    for (std::size_t k = 0; k < m; ++k) {
      // Below −746, e^x is less than half the least subnormal (2^−1075 ≈ e^−745.13): exp returns
      // +0, but through libm's underflow path (errno), the dearest exp there is. Skipped, with
      // the same bits: the simulation's searches look far past the fast modes' decay.
      const double x = -lk[k] * t;
      const double v = ck[k] * (x < -746.0 ? 0.0 : std::exp(x));
      const double v1 = v * lk[k];
      const double v2 = v1 * lk[k];
      p.d1 -= v1;
      if (ck[k] > 0.0) {
        p.pos += v;
        p.pos2 += v2;
      } else {
        p.neg += v;
        p.neg2 += v2;
      }
    }
    return p;
  };
  const auto g = [&](const detail::crossing_search::margin_point& p) { return c0 + p.pos + p.neg; };
  // Rigorous upper bound of the margin on [a.t, b.t]: the smallest of
  //  * the monotone split: decreasing part at a + increasing part at b;
  //  * Taylor from each end with f'' ≤ M2 = pos2(a) + neg2(b) on the interval:
  //    f(a+s) ≤ f(a) + f'(a) s + M2 s²/2 and f(b−u) ≤ f(b) − f'(b) u + M2 u²/2, maximised over
  //    the interval (a convex quadratic peaks at an end; for M2 ≤ 0 the tangents bound f).
  // Near a maximum the Taylor bounds are tight to O(w²) where the split is only O(w).
  const auto bound = [&](const detail::crossing_search::margin_point& a, const detail::crossing_search::margin_point& b) {
    const double w = b.t - a.t;
    const double fa = g(a);
    const double fb = g(b);
    const double m2 = a.pos2 + b.neg2;
    double best = c0 + a.pos + b.neg;
    if (m2 > 0.0) {
      const double q = 0.5 * m2 * w * w;
      best = std::fmin(best, std::fmax(fa, fa + a.d1 * w + q));
      best = std::fmin(best, std::fmax(fb, fb - b.d1 * w + q));
    } else if (a.d1 <= 0.0) {
      best = std::fmin(best, fa);
    } else if (b.d1 >= 0.0) {
      best = std::fmin(best, fb);
    } else {  // tangents at a (rising) and b (falling) meet inside
      const double s = std::fmin(w, std::fmax(0.0, (fb - fa - b.d1 * w) / (a.d1 - b.d1)));
      best = std::fmin(best, fa + a.d1 * s);
    }
    // Rounding of the Taylor terms themselves.
    return best + 8.0 * eps * (std::fabs(a.d1) * w + std::fabs(b.d1) * w + std::fabs(m2) * w * w);
  };

  detail::crossing_search::margin_point lo = eval(0.0);
  if (g(lo) >= 0.0) {
    return crossing<Real>{true, Real{0}, evaluations};
  }
  if (horizon == 0.0) {
    return crossing<Real>{false, Real{0}, evaluations};
  }
  const double tol = static_cast<double>(opt.time_tolerance);
  const double min_width = static_cast<double>(opt.min_excursion);
  constexpr std::size_t max_depth = 128;
  // Right ends still to examine, nearest on top. Not zeroed (6 KB per search, more than most
  // searches' own work): an entry is only read after it was pushed.
  std::array<detail::crossing_search::margin_point, max_depth> stack;
  std::size_t depth = 0;
  detail::crossing_search::margin_point hi = eval(horizon);
  while (true) {
    if (evaluations > opt.max_evaluations) {
      return error{errc::numerical_failure, "first crossing search"};
    }
    const double width = hi.t - lo.t;
    const bool reached_at_hi = g(hi) >= 0.0;
    const bool clear = !reached_at_hi && (bound(lo, hi) < 0.0 || width <= min_width);
    if (clear) {
      if (depth == 0) {
        return crossing<Real>{false, Real{0}, evaluations};
      }
      lo = hi;
      hi = stack[--depth];
      continue;
    }
    const double mid = lo.t + 0.5 * width;
    const bool splittable = mid > lo.t && mid < hi.t && depth < max_depth;
    if (reached_at_hi && (width <= tol || !splittable)) {
      // The first crossing found lies in (lo, hi]; tighten the bracket by bisection.
      const double fine = std::fmin(tol, min_width);
      while (hi.t - lo.t > fine) {
        const double t = lo.t + 0.5 * (hi.t - lo.t);
        if (!(t > lo.t && t < hi.t) || evaluations > opt.max_evaluations) {
          break;
        }
        const detail::crossing_search::margin_point p = eval(t);
        (g(p) >= 0.0 ? hi : lo) = p;
      }
      return crossing<Real>{true, static_cast<Real>(hi.t), evaluations};
    }
    if (!splittable) {  // unresolvable touch at floating-point resolution: not a crossing
      if (depth == 0) {
        return crossing<Real>{false, Real{0}, evaluations};
      }
      lo = hi;
      hi = stack[--depth];
      continue;
    }
    stack[depth++] = hi;
    hi = eval(mid);
  }
}

/// A probe's reading under constant inputs as a sum of exponentials,
/// value(τ) = steady + Σ_k a_k e^{−λ_k τ}, with the totals that screen a crossing in O(1): built
/// by `rc_network::expand` (one O(N) pass, no `exp`). The ends bound what the modes can still
/// contribute at a horizon H: from a lower bound d_k ≤ e^{−λ_k H} after `expand`, from
/// e^{−λ_k H} itself after `set_exact_ends`.
template <std::size_t MaxTerms>
struct probe_expansion {
  double steady{0.0};
  std::array<double, MaxTerms> a;  ///< a_k for k < terms (written by `expand`; never zeroed)
  std::size_t terms{0};
  double rising{0.0};       ///< Σ a_k over a_k > 0
  double falling{0.0};      ///< Σ a_k over a_k < 0
  double size{0.0};         ///< Σ |a_k|
  double rising_end{0.0};   ///< Σ a_k d_k over a_k > 0
  double falling_end{0.0};  ///< Σ a_k d_k over a_k < 0
  bool ends_exact{false};   ///< d_k = e^{−λ_k H} (else the cheap lower bound)

  /// The rounding allowance of this sum near `level`: `sum_rounding(terms, |steady| + |level| + size)`.
  [[nodiscard]] double rounding(double level) const noexcept {
    return sum_rounding(terms, (std::fabs(steady) + std::fabs(level)) + size);
  }

  /// The ends from the factors d_k = e^{−λ_k H} (`rc_network::decay_factors`). O(N).
  void set_exact_ends(const double* d) noexcept {
    double up = 0.0;
    double down = 0.0;
    for (std::size_t k = 0; k < terms; ++k) {
      const double v = a[k] * d[k];
      up += a[k] > 0.0 ? v : 0.0;
      down += a[k] < 0.0 ? v : 0.0;
    }
    rising_end = up;
    falling_end = down;
    ends_exact = true;
  }

  /// How close a crossing of `level` in direction `dir` can come: `reach` is the margin
  /// sgn·(value − level) with every helpful mode (moving towards the level) at full strength —
  /// its most at any τ ≥ 0 — and `slack` the screens' rounding allowance (16 × `rounding`).
  struct reach_bound {
    double reach;
    double slack;
  };
  [[nodiscard]] reach_bound reach(double level, crossing_direction dir) const noexcept {
    const bool up = dir == crossing_direction::rising;
    const double c0 = up ? steady - level : level - steady;
    const double helpful = up ? rising : -falling;
    return {c0 + helpful, 16.0 * rounding(level)};
  }
  /// False when the level is out of reach for ever under these inputs (no `exp`).
  [[nodiscard]] static bool ever(const reach_bound& r) noexcept { return !(r.reach < -r.slack); }
  /// False when the level is out of reach before the ends' horizon: the opposing modes take at
  /// least their end values by then.
  [[nodiscard]] bool within(const reach_bound& r, crossing_direction dir) const noexcept {
    return !(r.reach + (dir == crossing_direction::rising ? falling_end : -rising_end) < -r.slack);
  }
};

}  // namespace thermo
