/// @file integrators.hpp
/// Reference time integrators for an `rc_network`: forward Euler, classic RK4 (fixed step and
/// adaptive by step doubling) and backward Euler (pre-factored).
///
/// They solve the same equation as the exact solver, `C dT/dt = P − G (T − T_amb)`, on a
/// temperature vector the caller owns (`std::span<Real>` of `net.size()` values), with the power
/// vector `p` [W] held constant and the network's ambient. They exist for tests (the exact solver
/// is checked against them and they against it) and for users who want classic fixed-step
/// stepping (HotSpot uses adaptive RK4; 3D-ICE and gem5 use backward Euler). None allocates.
///
/// Stability: the explicit methods are stable only for steps below about 2/λ_max (Euler) and
/// 2.785/λ_max (RK4), where λ_max = `net.eigenvalue(net.size() - 1)`; backward Euler is stable
/// for any step but first-order accurate. See docs/reference/rc_network.md.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/model/detail/dense.hpp"
#include "thermo/model/rc_network.hpp"

namespace thermo {

namespace detail::rc {

// out = dT/dt = C^{-1} (p − G (t − T_amb)). O(N²).
template <class Real, std::size_t MaxNodes>
void derivative(const rc_network<Real, MaxNodes>& net, const Real* t, const Real* p, Real* out) noexcept {
  const std::size_t n = net.size();
  std::array<Real, MaxNodes> theta{};
  for (std::size_t i = 0; i < n; ++i) {
    theta[i] = t[i] - net.ambient();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Real flow = linalg::dot(net.conductance_row(i).data(), theta.data(), n);
    out[i] = (p[i] - flow) / net.capacitance(i);
  }
}

}  // namespace detail::rc

/// One forward (explicit) Euler step of `h` seconds: T ← T + h·Ṫ. O(N²).
/// Preconditions: spans of `net.size()` values; h finite and ≥ 0.
template <class Real, std::size_t MaxNodes>
void forward_euler_step(const rc_network<Real, MaxNodes>& net, std::span<Real> t, std::span<const Real> p,
                        Real h) noexcept {
  THERMO_ASSERT(t.size() == net.size() && p.size() == net.size());
  THERMO_ASSERT(std::isfinite(h) && h >= Real{0});
  std::array<Real, MaxNodes> k{};
  detail::rc::derivative(net, t.data(), p.data(), k.data());
  for (std::size_t i = 0; i < net.size(); ++i) {
    t[i] += h * k[i];
  }
}

/// One classic fourth-order Runge–Kutta step of `h` seconds. O(N²) (four derivative evaluations).
/// Preconditions as for `forward_euler_step`.
template <class Real, std::size_t MaxNodes>
void rk4_step(const rc_network<Real, MaxNodes>& net, std::span<Real> t, std::span<const Real> p, Real h) noexcept {
  THERMO_ASSERT(t.size() == net.size() && p.size() == net.size());
  THERMO_ASSERT(std::isfinite(h) && h >= Real{0});
  const std::size_t n = net.size();
  std::array<Real, MaxNodes> k1{};
  std::array<Real, MaxNodes> k2{};
  std::array<Real, MaxNodes> k3{};
  std::array<Real, MaxNodes> k4{};
  std::array<Real, MaxNodes> tmp{};
  const Real half = h / Real{2};
  detail::rc::derivative(net, t.data(), p.data(), k1.data());
  for (std::size_t i = 0; i < n; ++i) {
    tmp[i] = t[i] + half * k1[i];
  }
  detail::rc::derivative(net, tmp.data(), p.data(), k2.data());
  for (std::size_t i = 0; i < n; ++i) {
    tmp[i] = t[i] + half * k2[i];
  }
  detail::rc::derivative(net, tmp.data(), p.data(), k3.data());
  for (std::size_t i = 0; i < n; ++i) {
    tmp[i] = t[i] + h * k3[i];
  }
  detail::rc::derivative(net, tmp.data(), p.data(), k4.data());
  for (std::size_t i = 0; i < n; ++i) {
    t[i] += h / Real{6} * (k1[i] + Real{2} * (k2[i] + k3[i]) + k4[i]);
  }
}

namespace detail::rc {

template <class Real, std::size_t MaxNodes, class Step>
[[nodiscard]] result<std::size_t, error> advance_fixed(const rc_network<Real, MaxNodes>& net, std::span<Real> t,
                                                       std::span<const Real> p, Real duration, Real max_step,
                                                       Step step) noexcept {
  if (!std::isfinite(duration) || duration < Real{0}) {
    return error{errc::invalid_argument, "duration"};
  }
  if (!std::isfinite(max_step) || !(max_step > Real{0})) {
    return error{errc::invalid_argument, "step"};
  }
  const double count = std::ceil(to_double(duration) / to_double(max_step));
  if (count > 1e12) {
    return error{errc::out_of_range, "step count"};
  }
  const auto steps = static_cast<std::size_t>(count);
  if (steps == 0) {
    return std::size_t{0};
  }
  const Real h = duration / from_double<Real>(count);
  for (std::size_t s = 0; s < steps; ++s) {
    step(net, t, p, h);
  }
  return steps;
}

}  // namespace detail::rc

/// Advances `duration` seconds with forward Euler in ⌈duration / max_step⌉ equal steps.
/// @return the number of steps, or `invalid_argument` ("duration", "step"), `out_of_range`
///         ("step count") beyond 10¹² steps.
template <class Real, std::size_t MaxNodes>
[[nodiscard]] result<std::size_t, error> forward_euler_advance(const rc_network<Real, MaxNodes>& net,
                                                               std::span<Real> t, std::span<const Real> p,
                                                               Real duration, Real max_step) noexcept {
  return detail::rc::advance_fixed(net, t, p, duration, max_step,
                                   forward_euler_step<Real, MaxNodes>);
}

/// Advances `duration` seconds with RK4 in ⌈duration / max_step⌉ equal steps (errors as
/// `forward_euler_advance`).
template <class Real, std::size_t MaxNodes>
[[nodiscard]] result<std::size_t, error> rk4_advance(const rc_network<Real, MaxNodes>& net, std::span<Real> t,
                                                     std::span<const Real> p, Real duration,
                                                     Real max_step) noexcept {
  return detail::rc::advance_fixed(net, t, p, duration, max_step, rk4_step<Real, MaxNodes>);
}

/// Settings of the adaptive RK4 integrator.
template <class Real = double>
struct rk4_adaptive_options {
  Real tolerance{detail::rc::from_double<Real>(1e-6)};    ///< allowed local error per step [K], max over nodes
  Real initial_step{detail::rc::from_double<Real>(1e-5)}; ///< first trial step [s]
  Real min_step{detail::rc::from_double<Real>(1e-12)};    ///< a step this small is accepted whatever its error [s]
  std::uint64_t max_steps{10'000'000};  ///< accepted + rejected steps per `advance` call
};

/// What one `rk4_adaptive::advance` call did.
struct rk4_adaptive_stats {
  std::uint64_t accepted{0};  ///< steps taken
  std::uint64_t rejected{0};  ///< trial steps thrown away
};

/// Adaptive RK4 by step doubling: each trial step h is compared with two steps of h/2; the
/// difference / 15 estimates the local error of the two half steps (which are kept). The next
/// step is 0.9·h·(tol/err)^{1/5}, limited to [h/10, 4h]. The last accepted step size carries over
/// to the next `advance` call. Cost per accepted step: three RK4 steps (11 derivative
/// evaluations, O(N²) each).
template <class Real = double, std::size_t MaxNodes = 32>
class rk4_adaptive {
 public:
  rk4_adaptive() noexcept = default;
  explicit rk4_adaptive(const rk4_adaptive_options<Real>& opt) noexcept : opt_(opt), h_(opt.initial_step) {}

  /// Advances `t` by `duration` seconds with power `p`.
  /// @return the step statistics, or `invalid_argument` ("duration", "tolerance",
  ///         "initial step", "min step"), `numerical_failure` ("max steps") when more than
  ///         `max_steps` trial steps would be needed (t is then part-way).
  [[nodiscard]] result<rk4_adaptive_stats, error> advance(const rc_network<Real, MaxNodes>& net, std::span<Real> t,
                                                          std::span<const Real> p, Real duration) noexcept {
    THERMO_ASSERT(t.size() == net.size() && p.size() == net.size());
    if (!std::isfinite(duration) || duration < Real{0}) {
      return error{errc::invalid_argument, "duration"};
    }
    if (!std::isfinite(opt_.tolerance) || !(opt_.tolerance > Real{0})) {
      return error{errc::invalid_argument, "tolerance"};
    }
    if (!std::isfinite(opt_.initial_step) || !(opt_.initial_step > Real{0})) {
      return error{errc::invalid_argument, "initial step"};
    }
    if (!std::isfinite(opt_.min_step) || !(opt_.min_step > Real{0})) {
      return error{errc::invalid_argument, "min step"};
    }
    const std::size_t n = net.size();
    rk4_adaptive_stats stats{};
    std::array<Real, MaxNodes> full{};
    std::array<Real, MaxNodes> half{};
    Real done{0};
    while (done < duration) {
      if (stats.accepted + stats.rejected >= opt_.max_steps) {
        return error{errc::numerical_failure, "max steps"};
      }
      const Real remaining = duration - done;
      const bool last = h_ >= remaining;
      const Real h = last ? remaining : h_;
      std::copy_n(t.begin(), n, full.begin());
      std::copy_n(t.begin(), n, half.begin());
      const std::span<Real> fs(full.data(), n);
      const std::span<Real> hs(half.data(), n);
      rk4_step(net, fs, p, h);
      rk4_step(net, hs, p, h / Real{2});
      rk4_step(net, hs, p, h / Real{2});
      Real err{0};
      for (std::size_t i = 0; i < n; ++i) {
        err = std::max(err, std::fabs(half[i] - full[i]) / Real{15});
      }
      if (!std::isfinite(err)) {
        err = std::numeric_limits<Real>::max();
      }
      const Real factor = err > Real{0} ? detail::rc::from_double<Real>(0.9) * std::pow(opt_.tolerance / err, detail::rc::from_double<Real>(0.2)) : Real{4};
      if (err <= opt_.tolerance || h <= opt_.min_step) {
        std::copy_n(half.begin(), n, t.begin());
        done = last ? duration : done + h;
        ++stats.accepted;
        if (!last) {  // keep the step size across calls, not the truncated final step
          h_ = h * std::min(Real{4}, factor);
        }
      } else {
        ++stats.rejected;
        h_ = std::max(h * std::max(detail::rc::from_double<Real>(0.1), factor), opt_.min_step);
      }
    }
    return stats;
  }

  /// The next trial step size [s].
  [[nodiscard]] Real next_step() const noexcept { return h_; }
  [[nodiscard]] const rk4_adaptive_options<Real>& options() const noexcept { return opt_; }

 private:
  rk4_adaptive_options<Real> opt_{};
  Real h_{opt_.initial_step};
};

/// Backward (implicit) Euler with a fixed step h: (C/h + G) θ_{n+1} = (C/h) θ_n + P, θ = T − T_amb.
/// `init` factorises C/h + G once (Cholesky, O(N³)); each step is O(N²). Unconditionally stable,
/// first-order accurate. Holds a MaxNodes² matrix of doubles in-object.
template <class Real = double, std::size_t MaxNodes = 32>
class backward_euler {
 public:
  backward_euler() noexcept = default;

  /// Prepares steps of `h` seconds for `net` (which must outlive the use; a rebuild of the
  /// network requires a new `init`).
  /// @return `invalid_argument` ("step") for h not finite or ≤ 0, `empty` ("network"),
  ///         `numerical_failure` if the factorisation fails.
  [[nodiscard]] error init(const rc_network<Real, MaxNodes>& net, Real h) noexcept {
    n_ = 0;
    if (!std::isfinite(h) || !(h > Real{0})) {
      return {errc::invalid_argument, "step"};
    }
    if (net.size() == 0) {
      return {errc::empty, "network"};
    }
    const std::size_t n = net.size();
    const double hd = detail::rc::to_double(h);
    for (std::size_t i = 0; i < n; ++i) {
      const auto row = net.conductance_row(i);
      for (std::size_t j = 0; j <= i; ++j) {
        m_[i * MaxNodes + j] = detail::rc::to_double(row[j]);
      }
      c_over_h_[i] = detail::rc::to_double(net.capacitance(i)) / hd;
      m_[i * MaxNodes + i] += c_over_h_[i];
    }
    if (detail::linalg::cholesky_factor(m_.data(), n, MaxNodes) != n) {
      return {errc::numerical_failure, "backward Euler matrix"};
    }
    n_ = n;
    h_ = h;
    generation_ = net.generation();
    return {};
  }

  /// One step of h seconds. O(N²). Preconditions: `init` succeeded for this network (same
  /// generation); spans of `net.size()` values.
  void step(const rc_network<Real, MaxNodes>& net, std::span<Real> t, std::span<const Real> p) const noexcept {
    THERMO_ASSERT(n_ == net.size() && generation_ == net.generation());
    THERMO_ASSERT(t.size() == n_ && p.size() == n_);
    std::array<double, MaxNodes> x{};
    const double amb = detail::rc::to_double(net.ambient());
    for (std::size_t i = 0; i < n_; ++i) {
      x[i] = c_over_h_[i] * (detail::rc::to_double(t[i]) - amb) + detail::rc::to_double(p[i]);
    }
    detail::linalg::cholesky_solve(m_.data(), n_, MaxNodes, x.data());
    for (std::size_t i = 0; i < n_; ++i) {
      t[i] = detail::rc::from_double<Real>(amb + x[i]);
    }
  }

  /// The step size [s] given to `init`.
  [[nodiscard]] Real step_size() const noexcept { return h_; }

 private:
  std::size_t n_{0};
  Real h_{0};
  std::uint64_t generation_{0};
  std::array<double, MaxNodes> c_over_h_{};
  std::array<double, MaxNodes * MaxNodes> m_{};
};

}  // namespace thermo
