/// @file rc_network.hpp
/// `rc_network<Real, MaxNodes>`: a thermal RC network with an exact (modal, zero-order-hold)
/// solver, steady state, and exact first-crossing times.
///
/// The plant is `C dT/dt = P − G (T − T_amb)` (see docs/explanation/rc-model.md): node heat
/// capacities `C` [J/K], conductances between nodes and to ambient [W/K], power `P` [W] per
/// node, temperatures in any affine scale (°C or K) as long as the ambient uses the same one.
///
/// Lifecycle:
///
/// 1. Describe the network with an `rc_network_builder` (nodes, edges, ambient conductances), or
///    take HotSpot-style matrices (full `G`, `C`, `g_amb`).
/// 2. `rc_network::init(…)` validates it, returning a `thermo::error` that names the offending node
///    or edge, then factorises it once (O(N³): Cholesky of G and the symmetric
///    eigendecomposition of `S = C^{-1/2} G C^{-1/2}`). `init` works in place so that a network
///    with a large capacity (132 nodes ≈ 560 KB) need not travel through the stack: put it in
///    static storage or allocate it once (`std::make_unique`) *before* the run. For small
///    capacities `rc_network::create(builder)` returns it by value in a `result`.
/// 3. Run: `set_power`, `step(dt)`, `temperature(i)`, `first_crossing(…)`. None of these touch
///    the heap; stepping with unchanged power is O(N) and does not call `exp` when `dt` repeats.
///
/// The state is kept as modal amplitudes `y = Qᵀ C^{1/2} (T − T_amb)`; a power change moves the
/// modal steady state `y_ss = Λ^{-1} Qᵀ C^{-1/2} P`, and a step is
/// `y ← y + (y_ss − y)(1 − e^{−λΔt})` per mode, computed with `expm1` so that a 1 µs step is as
/// accurate (relative to the change) as a 1000 s one.
///
/// See docs/reference/rc_network.md.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/model/crossing.hpp"
#include "thermo/model/detail/dense.hpp"
#include "thermo/model/detail/rc_kernels.hpp"
#include "thermo/model/fwd.hpp"
#include "thermo/model/rc_builder.hpp"
#include "thermo/model/rc_probe.hpp"

namespace thermo {

/// An N-node thermal RC network and its exact zero-order-hold solver (host-side model).
///
/// @tparam Real     `double` (default) or `float`. Factorisation is always done in `double`;
///                  per-step arithmetic uses `Real`.
/// @tparam MaxNodes capacity. The object holds four MaxNodes² matrices
///                  (≈ 4·8·MaxNodes² bytes for double), all in-object: no heap, ever.
///
/// Invariant: after a successful `init` the network is valid (C > 0, conductances ≥ 0, every
/// group of nodes reaches ambient, G positive definite) and the state is consistent; after a
/// failed `init` it is empty (`size() == 0`). Temperatures start at ambient, power at zero.
template <class Real /* = double */, std::size_t MaxNodes /* = 32 */>
class rc_network {
  static_assert(std::is_floating_point_v<Real>, "Real must be float or double");
  static_assert(MaxNodes > 0, "capacity must be positive");
  static constexpr std::size_t ld = MaxNodes;  // row stride of every matrix

 public:
  using real_type = Real;
  using probe_type = rc_probe<Real, MaxNodes>;

  /// An empty network (size 0). Call `init` before use.
  rc_network() noexcept = default;

  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return MaxNodes; }

  // ---------------------------------------------------------------- construction ---------------

  /// Builds the network from a builder (in place). O(N³).
  /// @return `{}` on success, or: `empty` ("node count") for no nodes, `disconnected`
  ///         ("no path to ambient", index = lowest node of the isolated group),
  ///         `not_finite` ("conductance", a, b) when parallel edges sum to infinity,
  ///         `numerical_failure` if the factorisation fails. On error the network is empty.
  template <std::size_t MaxEdges>
  [[nodiscard]] error init(const rc_network_builder<Real, MaxNodes, MaxEdges>& b) noexcept {
    clear();
    const std::size_t n = b.size();
    for (std::size_t i = 0; i < n; ++i) {
      c_[i] = b.capacitance(i);
      g_amb_[i] = b.ambient_conductance(i);
      for (std::size_t j = 0; j < n; ++j) {
        g_[i * ld + j] = Real{0};
      }
    }
    for (const auto& e : b.edges()) {  // store +g_ij off the diagonal for now
      g_[e.a * ld + e.b] += e.conductance;
      g_[e.b * ld + e.a] += e.conductance;
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        if (const error e = detail::rc::check_conductance(i, j, g_[i * ld + j]); !e.ok()) {
          return e;
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {  // G: off-diagonal −g_ij
      for (std::size_t j = 0; j < n; ++j) {
        if (i != j) {
          g_[i * ld + j] = -g_[i * ld + j];
        }
      }
    }
    return finish_init(n, b.ambient());
  }

  /// Builds the network from HotSpot-layout matrices (in place). O(N³).
  ///
  /// @param n                    node count (≤ MaxNodes)
  /// @param conductance_matrix   G, n×n row-major [W/K]: off-diagonal −g_ij (≤ 0), diagonal the
  ///                             row's conductances *including* the one to ambient
  /// @param capacitance          C, n values [J/K]
  /// @param ambient_conductance  g_amb, n values [W/K]
  /// @param ambient              T_amb
  /// @return `{}`, or the first problem found, in this order: `empty`/`capacity_exceeded`
  ///         ("node count", index = n); `invalid_argument` ("capacitance vector length" |
  ///         "conductance matrix size" | "ambient conductance vector length", index = the size
  ///         given); `not_finite` ("ambient temperature"); capacitances (`not_finite`,
  ///         `non_positive`, node); ambient conductances (`not_finite`, `negative`, node);
  ///         matrix entries: `not_finite` ("conductance", i, j) for any entry (i == j on the
  ///         diagonal), `negative` ("conductance", i, j) for a positive off-diagonal entry;
  ///         `invalid_argument` ("asymmetric conductance", i, j) when G_ij ≠ G_ji beyond
  ///         1e-12 relative; `invalid_argument` ("conductance matrix diagonal", i) when G_ii
  ///         differs from Σ_j g_ij + g_amb_i by more than 1e-9 relative; `disconnected`
  ///         ("no path to ambient", lowest node of the group); `numerical_failure`.
  [[nodiscard]] error init(std::size_t n, std::span<const Real> conductance_matrix,
                           std::span<const Real> capacitance, std::span<const Real> ambient_conductance,
                           Real ambient) noexcept {
    using detail::rc::idx;
    clear();
    if (n == 0) {
      return {errc::empty, "node count", 0};
    }
    if (n > MaxNodes) {
      return {errc::capacity_exceeded, "node count", idx(n)};
    }
    if (capacitance.size() != n) {
      return {errc::invalid_argument, "capacitance vector length", idx(capacitance.size())};
    }
    if (conductance_matrix.size() != n * n) {
      return {errc::invalid_argument, "conductance matrix size", idx(conductance_matrix.size())};
    }
    if (ambient_conductance.size() != n) {
      return {errc::invalid_argument, "ambient conductance vector length",
              idx(ambient_conductance.size())};
    }
    for (std::size_t i = 0; i < n; ++i) {
      c_[i] = capacitance[i];
      g_amb_[i] = ambient_conductance[i];
    }
    if (const error e = check_node_values(n, ambient); !e.ok()) {
      return e;
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        const Real gij = conductance_matrix[i * n + j];
        if (!std::isfinite(gij)) {
          return {errc::not_finite, "conductance", idx(i), idx(j)};
        }
        if (i != j && gij > Real{0}) {
          return {errc::negative, "conductance", idx(i), idx(j)};
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const double a = detail::rc::to_double(conductance_matrix[i * n + j]);
        const double b = detail::rc::to_double(conductance_matrix[j * n + i]);
        if (std::fabs(a - b) > 1e-12 * std::fmax(std::fabs(a), std::fabs(b))) {
          return {errc::invalid_argument, "asymmetric conductance", idx(i), idx(j)};
        }
        const Real avg = detail::rc::from_double<Real>(0.5 * (a + b));
        g_[i * ld + j] = avg;
        g_[j * ld + i] = avg;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {  // the given diagonal must match the conductances
      double sum = detail::rc::to_double(g_amb_[i]);
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) {
          sum -= detail::rc::to_double(g_[i * ld + j]);
        }
      }
      const double given = detail::rc::to_double(conductance_matrix[i * n + i]);
      if (std::fabs(given - sum) > 1e-9 * std::fmax(std::fabs(given), std::fabs(sum))) {
        clear();
        return {errc::invalid_argument, "conductance matrix diagonal", idx(i)};
      }
    }
    return finish_init(n, ambient);
  }

  /// Returns a network built from `b` by value (convenient for small capacities; for large ones
  /// prefer `init` on a network that lives in static or heap storage).
  template <std::size_t MaxEdges>
  [[nodiscard]] static result<rc_network, error> create(
      const rc_network_builder<Real, MaxNodes, MaxEdges>& b) noexcept {
    result<rc_network, error> r{std::in_place};
    if (const error e = r->init(b); !e.ok()) {
      return e;
    }
    return r;
  }

  // ---------------------------------------------------------------- description ----------------

  /// Number of nodes (0 before a successful `init`).
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// Heat capacity of node i [J/K].
  [[nodiscard]] Real capacitance(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return c_[i];
  }
  /// Conductance between nodes i ≠ j [W/K] (0 if not connected).
  [[nodiscard]] Real conductance(std::size_t i, std::size_t j) const noexcept {
    THERMO_ASSERT(i < n_ && j < n_ && i != j);
    return -g_[i * ld + j];
  }
  /// Conductance from node i to ambient [W/K].
  [[nodiscard]] Real ambient_conductance(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return g_amb_[i];
  }
  /// Element (i, j) of the conductance matrix G [W/K] (diagonal includes g_amb).
  [[nodiscard]] Real conductance_matrix(std::size_t i, std::size_t j) const noexcept {
    THERMO_ASSERT(i < n_ && j < n_);
    return g_[i * ld + j];
  }
  /// Row i of G (`size()` entries) — for integrators and diagnostics.
  [[nodiscard]] std::span<const Real> conductance_row(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return {g_.data() + i * ld, n_};
  }
  /// Ambient temperature.
  [[nodiscard]] Real ambient() const noexcept { return t_amb_; }
  /// k-th eigenvalue λ_k of C^{-1}G [1/s], ascending (k = 0 is the slowest mode).
  [[nodiscard]] Real eigenvalue(std::size_t k) const noexcept {
    THERMO_ASSERT(k < n_);
    return lambda_[k];
  }
  /// k-th time constant 1/λ_k [s], descending (k = 0 is the slowest).
  [[nodiscard]] Real time_constant(std::size_t k) const noexcept {
    THERMO_ASSERT(k < n_);
    return Real{1} / lambda_[k];
  }
  /// Counts successful factorisations (init and rebuilds); probes remember it.
  [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }

  // ---------------------------------------------------------------- inputs ---------------------

  /// Power [W] of every node (`p.size() == size()`; any finite value, negative = heat removed).
  /// Cost O(N + N·nnz) where nnz = nodes with non-zero power: the modal steady state is
  /// recomputed from scratch (no drift over long runs).
  /// @return `not_finite` ("power", node) — nothing is changed then.
  [[nodiscard]] error set_power(std::span<const Real> p) noexcept {
    THERMO_ASSERT(p.size() == n_);
    for (std::size_t i = 0; i < n_; ++i) {
      if (!std::isfinite(p[i])) {
        return {errc::not_finite, "power", detail::rc::idx(i)};
      }
    }
    update_steady(p.data());  // takes the powers in the same pass
    return {};
  }

  /// Power [W] of the listed nodes (`nodes.size() == p.size()`); other nodes keep theirs.
  /// Cost O(N + N·nnz). @return `out_of_range` ("node index", position in `nodes`) or
  /// `not_finite` ("power", node) — nothing is changed then.
  [[nodiscard]] error set_power(std::span<const std::size_t> nodes, std::span<const Real> p) noexcept {
    THERMO_ASSERT(nodes.size() == p.size());
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (nodes[k] >= n_) {
        return {errc::out_of_range, "node index", detail::rc::idx(k)};
      }
      if (!std::isfinite(p[k])) {
        return {errc::not_finite, "power", detail::rc::idx(nodes[k])};
      }
    }
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      p_[nodes[k]] = p[k];
    }
    update_steady();
    return {};
  }

  /// Power [W] of one node. Cost O(N + N·nnz).
  [[nodiscard]] error set_node_power(std::size_t node, Real p) noexcept {
    if (node >= n_) {
      return {errc::out_of_range, "node index", detail::rc::idx(node)};
    }
    if (!std::isfinite(p)) {
      return {errc::not_finite, "power", detail::rc::idx(node)};
    }
    p_[node] = p;
    update_steady();
    return {};
  }

  /// Power of node i [W].
  [[nodiscard]] Real power(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return p_[i];
  }

  /// Changes the ambient temperature; node temperatures do not jump. O(N).
  [[nodiscard]] error set_ambient(Real t) noexcept {
    if (!std::isfinite(t)) {
      return {errc::not_finite, "ambient temperature"};
    }
    const Real delta = t - t_amb_;
    for (std::size_t k = 0; k < n_; ++k) {
      y_[k] -= delta * amb_proj_[k];
    }
    t_amb_ = t;
    return {};
  }

  // ---------------------------------------------------------------- state ----------------------

  /// Sets every node's temperature (`t.size() == size()`). O(N²).
  /// @return `not_finite` ("temperature", node) — nothing is changed then.
  [[nodiscard]] error set_temperatures(std::span<const Real> t) noexcept {
    THERMO_ASSERT(t.size() == n_);
    for (std::size_t i = 0; i < n_; ++i) {
      if (!std::isfinite(t[i])) {
        return {errc::not_finite, "temperature", detail::rc::idx(i)};
      }
    }
    project_temperatures(t.data());
    return {};
  }

  /// Jumps to the steady state of the current power and ambient. O(N).
  void set_steady_state() noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      y_[k] = yss_[k];
    }
  }

  /// Advances the state by `dt` seconds with the current power held constant (exact ZOH).
  /// O(N); `exp` is evaluated only when `dt` is none of the last `step_cache_size` distinct step
  /// lengths (their gains are kept, least recently used replaced first: an event-driven
  /// simulation's intervals repeat — a workload phase, a polling period). The gains do not depend
  /// on the cache: the same `dt` always gives the same bits.
  /// Precondition: dt finite and ≥ 0.
  void step(Real dt) noexcept {
    THERMO_ASSERT(std::isfinite(dt) && dt >= Real{0});
    detail::rc::step_modes(y_.data(), yss_.data(), cached_gains(dt), n_);
  }

  /// How many step lengths `step(dt)` keeps the gains of.
  static constexpr std::size_t step_cache_size = 4;
  static_assert(step_cache_size == 4, "cache_order_'s initialiser lists every entry");

  /// The gains `1 − e^{−λ_k dt}` of a step of `dt` seconds (as `step(dt)` computes them), into `out`
  /// (`out.size() >= size()`), for `step(gains)`: callers that alternate between a few step
  /// lengths (the simulation's trace rows between events) keep each length's gains.
  /// Precondition: dt finite and ≥ 0.
  void step_gains(Real dt, std::span<Real> out) const noexcept {
    THERMO_ASSERT(std::isfinite(dt) && dt >= Real{0});
    THERMO_ASSERT(out.size() >= n_);
    for (std::size_t k = 0; k < n_; ++k) {
      out[k] = detail::rc::step_gain(lambda_[k] * dt);
    }
  }

  /// Advances the state by the step whose gains `step_gains` wrote: bit-identical to `step(dt)`
  /// for the same `dt`, without any `exp`. O(N). Precondition: gains.size() >= size(), and they
  /// were made by this network since its last `init` or rebuild.
  void step(std::span<const Real> gains) noexcept {
    THERMO_ASSERT(gains.size() >= n_);
    detail::rc::step_modes(y_.data(), yss_.data(), gains.data(), n_);
  }

  /// Steps another modal state `y` (a copy of `modal_state()`, e.g. a trace row looking ahead
  /// of the event) by the step whose gains `step_gains` wrote, towards this network's current
  /// steady state: the same arithmetic as `step(gains)`, without touching the network. O(N).
  /// Precondition: y.size() >= size(), gains.size() >= size().
  void step_state(std::span<Real> y, std::span<const Real> gains) const noexcept {
    THERMO_ASSERT(y.size() >= n_ && gains.size() >= n_);
    detail::rc::step_modes(y.data(), yss_.data(), gains.data(), n_);
  }

  /// The modal state (`size()` amplitudes): with `set_modal_state`, a snapshot to look ahead
  /// from and come back to.
  [[nodiscard]] std::span<const Real> modal_state() const noexcept { return {y_.data(), n_}; }

  /// Restores a state read by `modal_state()` (of this network since its last `init` or
  /// rebuild). O(N).
  /// @return `invalid_argument` ("modal state size") when `y.size() != size()`; `not_finite`
  ///         ("modal state", mode) — nothing is changed then.
  [[nodiscard]] error set_modal_state(std::span<const Real> y) noexcept {
    if (y.size() != n_) {
      return {errc::invalid_argument, "modal state size"};
    }
    for (std::size_t k = 0; k < n_; ++k) {
      if (!std::isfinite(y[k])) {
        return {errc::not_finite, "modal state", detail::rc::idx(k)};
      }
    }
    for (std::size_t k = 0; k < n_; ++k) {
      y_[k] = y[k];
    }
    return {};
  }

  /// The modal steady state of the current power and ambient (`size()` amplitudes): the state
  /// every mode decays towards, `y(t + τ) = y_ss + (y(t) − y_ss)·e^{−λτ}`.
  [[nodiscard]] std::span<const Real> modal_steady_state() const noexcept { return {yss_.data(), n_}; }

  /// Row i of the modal-to-node map: T_i = T_amb + modal_row(i)·y in state y (what
  /// `temperature(i)` computes, with `detail::linalg::dot`).
  [[nodiscard]] std::span<const Real> modal_row(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return {r_.data() + i * ld, n_};
  }

  /// Temperature of node i. O(N) (one row product).
  [[nodiscard]] Real temperature(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return t_amb_ + temperature_rise(i);
  }

  /// Temperature of node i above ambient, T_i − T_amb, without the rounding of adding the
  /// ambient (full relative precision for tiny rises). O(N).
  [[nodiscard]] Real temperature_rise(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return detail::linalg::dot(r_.data() + i * ld, y_.data(), n_);
  }

  /// All node temperatures into `out` (`out.size() >= size()`). O(N²).
  void temperatures(std::span<Real> out) const noexcept {
    THERMO_ASSERT(out.size() >= n_);
    for (std::size_t i = 0; i < n_; ++i) {
      out[i] = temperature(i);
    }
  }

  /// Temperatures of the listed nodes into `out` (same length). O(N × nodes).
  void temperatures(std::span<const std::size_t> nodes, std::span<Real> out) const noexcept {
    THERMO_ASSERT(out.size() >= nodes.size());
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      out[k] = temperature(nodes[k]);
    }
  }

  /// Steady-state temperatures for `p` (any power, not necessarily the current one) at the
  /// current ambient, by Cholesky (O(N²) after the factorisation done by init).
  /// @return `not_finite` ("power", node).
  [[nodiscard]] error steady_state(std::span<const Real> p, std::span<Real> out) const noexcept {
    THERMO_ASSERT(p.size() == n_ && out.size() >= n_);
    std::array<double, MaxNodes> x{};
    for (std::size_t i = 0; i < n_; ++i) {
      if (!std::isfinite(p[i])) {
        return {errc::not_finite, "power", detail::rc::idx(i)};
      }
      x[i] = detail::rc::to_double(p[i]);
    }
    detail::linalg::cholesky_solve(chol_.data(), n_, ld, x.data());
    for (std::size_t i = 0; i < n_; ++i) {
      out[i] = t_amb_ + detail::rc::from_double<Real>(x[i]);
    }
    return {};
  }

  /// Steady-state temperatures for the current power (Cholesky, O(N²)).
  void steady_state(std::span<Real> out) const noexcept {
    const error e = steady_state(std::span<const Real>(p_.data(), n_), out);
    THERMO_ASSERT(e.ok());  // p_ is always finite
    static_cast<void>(e);
  }

  // ---------------------------------------------------------------- sensors --------------------

  /// A probe reading Σ w·T over `terms`. O(N × terms).
  /// @return `empty` ("probe"), `out_of_range` ("probe node", term position), `not_finite`
  ///         ("probe weight", term position).
  [[nodiscard]] result<probe_type, error> make_probe(
      std::span<const weighted_node<Real>> terms) const noexcept {
    if (terms.empty()) {
      return error{errc::empty, "probe"};
    }
    for (std::size_t t = 0; t < terms.size(); ++t) {
      if (terms[t].node >= n_) {
        return error{errc::out_of_range, "probe node", detail::rc::idx(t)};
      }
      if (!std::isfinite(terms[t].weight)) {
        return error{errc::not_finite, "probe weight", detail::rc::idx(t)};
      }
    }
    result<probe_type, error> r{std::in_place};
    fill_probe(*r, terms);
    return r;
  }

  /// A probe reading one node.
  [[nodiscard]] result<probe_type, error> make_probe(std::size_t node) const noexcept {
    const weighted_node<Real> term{node, Real{1}};
    return make_probe(std::span<const weighted_node<Real>>(&term, 1));
  }

  /// Current value of a probe. O(N).
  [[nodiscard]] Real read(const probe_type& probe) const noexcept {
    check_probe(probe);
    return probe.weight_sum_ * t_amb_ + detail::linalg::dot(probe.row_.data(), y_.data(), n_);
  }

  /// The probe as a sum of exponentials while power and ambient stay as they are,
  /// value(τ) = steady + Σ_k a_k e^{−λ_k τ} (λ_k = `eigenvalue(k)`), with the totals the crossing
  /// screens need and their ends at `horizon` seconds from the cheap lower bound of e^{−λ_k H}
  /// (`probe_expansion`, crossing.hpp). O(N), no `exp`: the simulation's fast entry, run for
  /// every zone at every search round. Precondition: the probe is this network's, horizon ≥ 0.
  /// Double-precision networks only (the simulation's).
  void expand(const probe_type& probe, double horizon, probe_expansion<MaxNodes>& ex) const noexcept
    requires std::is_same_v<Real, double>
  {
    check_probe(probe);
    const double* r = probe.row_.data();
    const double* y = y_.data();
    const double* yss = yss_.data();
    const double* lambda = lambda_.data();
    double steady = probe.weight_sum_ * t_amb_;
    double up = 0.0;
    double down = 0.0;
    double size = 0.0;
    double up_end = 0.0;
    double down_end = 0.0;
    for (std::size_t k = 0; k < n_; ++k) {
      steady += r[k] * yss[k];
      const double c = r[k] * (y[k] - yss[k]);
      ex.a[k] = c;
      up += c > 0.0 ? c : 0.0;
      down += c < 0.0 ? c : 0.0;
      size += std::fabs(c);
      const double v = c * detail::rc::exp_neg_lower_bound(lambda[k] * horizon);
      up_end += c > 0.0 ? v : 0.0;
      down_end += c < 0.0 ? v : 0.0;
    }
    ex.terms = n_;
    ex.steady = steady;
    ex.rising = up;
    ex.falling = down;
    ex.size = size;
    ex.rising_end = up_end;
    ex.falling_end = down_end;
    ex.ends_exact = false;
  }

  /// e^{−λ_k·horizon} for every mode into `out` (`out.size() >= size()`; 0 past λH = 700), for
  /// `probe_expansion::set_exact_ends`. O(N) `exp` calls. Precondition: horizon ≥ 0.
  void decay_factors(double horizon, std::span<double> out) const noexcept {
    THERMO_ASSERT(out.size() >= n_);
    for (std::size_t k = 0; k < n_; ++k) {
      const double x = detail::rc::to_double(lambda_[k]) * horizon;
      out[k] = x < 700.0 ? std::exp(-x) : 0.0;
    }
  }

  /// Value of a probe `tau` seconds ahead if power and ambient stay as they are (the state is
  /// not changed). O(N), N calls of `exp`. Precondition: tau finite, ≥ 0.
  [[nodiscard]] Real predict(const probe_type& probe, Real tau) const noexcept {
    check_probe(probe);
    THERMO_ASSERT(std::isfinite(tau) && tau >= Real{0});
    const double t = detail::rc::to_double(tau);
    double s = detail::rc::to_double(probe.weight_sum_ * t_amb_);
    for (std::size_t k = 0; k < n_; ++k) {
      const double r = detail::rc::to_double(probe.row_[k]);
      const double ys = detail::rc::to_double(yss_[k]);
      const double y = detail::rc::to_double(y_[k]);
      s += r * (ys + (y - ys) * std::exp(-detail::rc::to_double(lambda_[k]) * t));
    }
    return detail::rc::from_double<Real>(s);
  }

  /// The earliest τ ∈ [0, horizon] at which the probe reaches `threshold` in direction `dir`
  /// (rising: value ≥ threshold; falling: value ≤ threshold) with the current power and
  /// ambient held constant. Returns `{found = true, time = 0}` if it is already reached.
  ///
  /// Method: the value is `a_0 + Σ_k a_k e^{−λ_k τ}`. Splitting the sum into its decreasing
  /// (a_k > 0) and increasing (a_k < 0) parts gives a rigorous upper bound of the margin on any
  /// sub-interval [τ_a, τ_b]: decreasing part at τ_a + increasing part at τ_b. A left-first
  /// branch-and-bound discards an interval only when that bound proves the threshold is not
  /// reached in it, so a crossing is never skipped; intervals that cannot be discarded are
  /// halved until the first one with a sign change is at most `time_tolerance` wide, then
  /// bisected further. Guarantee: every excursion beyond the threshold that lasts at least
  /// `min_excursion` is found, and the reported time is within `time_tolerance` after the start
  /// of the first one found; at the reported time the value has reached the threshold (to
  /// floating-point rounding of the sum, ~1e-13 relative). Cost: a few tens of N-term
  /// evaluations, two when no crossing is possible.
  /// @return `not_finite` ("threshold"), `invalid_argument` ("horizon" negative/non-finite,
  ///         "time tolerance", "min excursion"), `numerical_failure` ("first crossing search")
  ///         if `max_evaluations` is exhausted.
  [[nodiscard]] result<crossing<Real>, error> first_crossing(
      const probe_type& probe, Real threshold, crossing_direction dir, Real horizon,
      const crossing_options<Real>& opt = {}) const noexcept {
    check_probe(probe);
    if (!std::isfinite(threshold)) {
      return error{errc::not_finite, "threshold"};
    }
    if (!std::isfinite(horizon) || horizon < Real{0}) {
      return error{errc::invalid_argument, "horizon"};
    }
    if (!(opt.time_tolerance > Real{0}) || !std::isfinite(opt.time_tolerance)) {
      return error{errc::invalid_argument, "time tolerance"};
    }
    if (!(opt.min_excursion > Real{0}) || !(opt.min_excursion <= opt.time_tolerance)) {
      return error{errc::invalid_argument, "min excursion"};
    }
    return search_crossing(probe, detail::rc::to_double(threshold), dir,
                           detail::rc::to_double(horizon), opt);
  }

  /// `first_crossing` for a single node.
  [[nodiscard]] result<crossing<Real>, error> first_crossing(
      std::size_t node, Real threshold, crossing_direction dir, Real horizon,
      const crossing_options<Real>& opt = {}) const noexcept {
    if (node >= n_) {
      return error{errc::out_of_range, "node index", detail::rc::idx(node)};
    }
    const auto p = make_probe(node);
    return first_crossing(*p, threshold, dir, horizon, opt);
  }

  // ---------------------------------------------------------------- rebuilds -------------------

  /// Changes node i's conductance to ambient (a fan speed change) and re-factorises: O(N³)
  /// (≈ 3 ms for 132 nodes in Release). Temperatures and power are kept; probes made before
  /// become stale. On error nothing changes.
  /// @return `out_of_range` ("node index"), `not_finite`/`negative` ("ambient conductance"),
  ///         `disconnected` if the change leaves a group without a path to ambient,
  ///         `numerical_failure`.
  [[nodiscard]] error set_ambient_conductance(std::size_t i, Real g) noexcept {
    if (i >= n_) {
      return {errc::out_of_range, "node index", detail::rc::idx(i)};
    }
    if (const error e = detail::rc::check_ambient_conductance(i, g); !e.ok()) {
      return e;
    }
    const Real old = g_amb_[i];
    return rebuild([&] { set_amb(i, g); }, [&] { set_amb(i, old); });
  }

  /// Changes the conductance between nodes i ≠ j (0 removes the edge) and re-factorises: O(N³).
  /// Temperatures and power are kept; probes become stale. On error nothing changes.
  [[nodiscard]] error set_conductance(std::size_t i, std::size_t j, Real g) noexcept {
    if (const error e = detail::rc::check_edge(n_, i, j, g); !e.ok()) {
      return e;
    }
    const Real old = -g_[i * ld + j];
    return rebuild([&] { set_edge(i, j, g); }, [&] { set_edge(i, j, old); });
  }

 private:
  void clear() noexcept {
    n_ = 0;
    clear_step_cache();
  }

  void clear_step_cache() noexcept {
    for (Real& dt : cache_dt_) {
      dt = std::numeric_limits<Real>::quiet_NaN();  // matches no step length
    }
  }

  // The gains 1 − e^{−λ_k dt} of step length `dt`: from the cache, or computed into its least
  // recently used entry. Entries are kept in recency order (a hit moves to the front).
  const Real* cached_gains(Real dt) noexcept {
    std::size_t k = 0;
    while (k + 1 < step_cache_size && !(cache_dt_[cache_order_[k]] == dt)) {
      ++k;
    }
    const std::uint8_t slot = cache_order_[k];
    for (; k > 0; --k) {
      cache_order_[k] = cache_order_[k - 1];
    }
    cache_order_[0] = slot;
    Real* g = cache_gain_.data() + slot * MaxNodes;
    if (!(cache_dt_[slot] == dt)) {
      for (std::size_t i = 0; i < n_; ++i) {
        g[i] = detail::rc::step_gain(lambda_[i] * dt);  // 1 − e^{−λΔt}, accurate for small λΔt
      }
      cache_dt_[slot] = dt;
    }
    return g;
  }

  // Checks the ambient temperature, then C and g_amb in node order.
  [[nodiscard]] error check_node_values(std::size_t n, Real ambient) const noexcept {
    if (!std::isfinite(ambient)) {
      return {errc::not_finite, "ambient temperature"};
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (const error e = detail::rc::check_capacitance(i, c_[i]); !e.ok()) {
        return e;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (const error e = detail::rc::check_ambient_conductance(i, g_amb_[i]); !e.ok()) {
        return e;
      }
    }
    return {};
  }

  void set_diagonal(std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      Real s = g_amb_[i];
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) {
          s -= g_[i * ld + j];
        }
      }
      g_[i * ld + i] = s;
    }
  }

  // Breadth-first search from every node that has a conductance to ambient; the lowest node not
  // reached names its isolated group. O(N²).
  [[nodiscard]] error check_connected(std::size_t n) const noexcept {
    std::array<bool, MaxNodes> seen{};
    std::array<std::size_t, MaxNodes> queue{};
    std::size_t head = 0;
    std::size_t tail = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (g_amb_[i] > Real{0}) {
        seen[i] = true;
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      const std::size_t i = queue[head++];
      for (std::size_t j = 0; j < n; ++j) {
        if (!seen[j] && g_[i * ld + j] < Real{0}) {
          seen[j] = true;
          queue[tail++] = j;
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!seen[i]) {
        return {errc::disconnected, "no path to ambient", detail::rc::idx(i)};
      }
    }
    return {};
  }

  // Expects c_, g_amb_ and the off-diagonal of g_ (−g_ij, valid). Sets the diagonal, checks
  // the whole network and factorises it.
  [[nodiscard]] error finish_init(std::size_t n, Real ambient) noexcept {
    if (n == 0) {
      return {errc::empty, "node count", 0};
    }
    error e = check_node_values(n, ambient);
    if (e.ok()) {
      set_diagonal(n);
      for (std::size_t i = 0; i < n && e.ok(); ++i) {
        if (!std::isfinite(g_[i * ld + i])) {
          e = {errc::not_finite, "conductance", detail::rc::idx(i), detail::rc::idx(i)};
        }
      }
    }
    if (e.ok()) {
      e = check_connected(n);
    }
    if (e.ok()) {
      n_ = n;
      t_amb_ = ambient;
      e = factorize();
    }
    if (!e.ok()) {
      clear();
      return e;
    }
    for (std::size_t i = 0; i < n_; ++i) {
      p_[i] = Real{0};
      y_[i] = Real{0};
      yss_[i] = Real{0};
    }
    return {};
  }

  // Eigendecomposition of S = C^{-1/2} G C^{-1/2} and Cholesky of G, both in double in chol_
  // (the eigenvectors first, then overwritten by the Cholesky factor). O(N³).
  [[nodiscard]] error factorize() noexcept {
    const std::size_t n = n_;
    std::array<double, MaxNodes> cis{};  // C^{-1/2}
    std::array<double, MaxNodes> lam{};
    std::array<double, MaxNodes> work{};
    for (std::size_t i = 0; i < n; ++i) {
      cis[i] = 1.0 / std::sqrt(detail::rc::to_double(c_[i]));
    }
    double* a = chol_.data();
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j <= i; ++j) {
        a[i * ld + j] = cis[i] * detail::rc::to_double(g_[i * ld + j]) * cis[j];
      }
    }
    if (!detail::linalg::symmetric_eigen(a, n, ld, lam.data(), work.data())) {
      return {errc::numerical_failure, "eigen-decomposition"};
    }
    if (!(lam[0] > 0.0) || !std::isfinite(lam[n - 1])) {
      return {errc::numerical_failure, "eigen-decomposition", 0};
    }
    // Row k of a is eigenvector k: Q_ik = a[k][i].
    for (std::size_t k = 0; k < n; ++k) {
      double amb = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double q = a[k * ld + i];
        r_[i * ld + k] = detail::rc::from_double<Real>(cis[i] * q);
        w_[i * ld + k] = detail::rc::from_double<Real>(cis[i] * q / lam[k]);
        amb += q / cis[i];
      }
      amb_proj_[k] = detail::rc::from_double<Real>(amb);
      lambda_[k] = detail::rc::from_double<Real>(lam[k]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j <= i; ++j) {
        a[i * ld + j] = detail::rc::to_double(g_[i * ld + j]);
      }
    }
    if (const std::size_t bad = detail::linalg::cholesky_factor(a, n, ld); bad != n) {
      return {errc::numerical_failure, "conductance matrix not positive definite",
              detail::rc::idx(bad)};
    }
    clear_step_cache();
    ++generation_;
    return {};
  }

  /// Sets p_ from `power` (p_ itself when null) and y_ss from p_.
  void update_steady(const Real* power = nullptr) noexcept {
    // y_ss[k] = Σ_j p_j·W_jk over the powered nodes, summed in j order.
    const Real* src = power != nullptr ? power : p_.data();
    // zeroed only for gcc 12 -O3, whose -Wmaybe-uninitialized cannot see that only on[0, nnz) is
    // read (a false positive, GCC bug 105329's family); O(MaxNodes), beside the O(n·nnz) below
    std::array<std::size_t, MaxNodes> on{};
    std::size_t nnz = 0;
    for (std::size_t j = 0; j < n_; ++j) {
      const Real pj = src[j];
      p_[j] = pj;
      on[nnz] = j;
      nnz += pj != Real{0} ? 1U : 0U;
    }
    Real* ys = yss_.data();
    const Real* w = w_.data();
    for (std::size_t k = 0; k < n_; ++k) {
      Real acc{0};
      for (std::size_t t = 0; t < nnz; ++t) {
        const std::size_t j = on[t];
        acc += p_[j] * w[j * ld + k];
      }
      ys[k] = acc;
    }
  }

  // y = Qᵀ C^{1/2} (T − T_amb) = Σ_i (C_i θ_i) R_i·
  void project_temperatures(const Real* t) noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      y_[k] = Real{0};
    }
    for (std::size_t i = 0; i < n_; ++i) {
      detail::linalg::axpy(c_[i] * (t[i] - t_amb_), r_.data() + i * ld, y_.data(), n_);
    }
  }

  void set_amb(std::size_t i, Real g) noexcept {
    g_[i * ld + i] += g - g_amb_[i];
    g_amb_[i] = g;
  }

  void set_edge(std::size_t i, std::size_t j, Real g) noexcept {
    const Real old = -g_[i * ld + j];
    g_[i * ld + j] = -g;
    g_[j * ld + i] = -g;
    g_[i * ld + i] += g - old;
    g_[j * ld + j] += g - old;
  }

  // Applies a change to G, validates and re-factorises, keeping temperatures and power; undoes
  // the change (and restores the old factorisation) on failure.
  template <class Apply, class Undo>
  [[nodiscard]] error rebuild(Apply apply, Undo undo) noexcept {
    std::array<Real, MaxNodes> t{};
    temperatures(std::span<Real>(t.data(), n_));
    apply();
    set_diagonal(n_);  // recompute exactly (no accumulated rounding from the += updates)
    if (const error e = check_connected(n_); !e.ok()) {
      undo();
      set_diagonal(n_);
      return e;
    }
    if (const error e = factorize(); !e.ok()) {
      undo();
      set_diagonal(n_);
      const error again = factorize();
      THERMO_ASSERT(again.ok());  // the old network factorised before
      static_cast<void>(again);
      project_temperatures(t.data());
      update_steady();
      return e;
    }
    project_temperatures(t.data());
    update_steady();
    return {};
  }

  void check_probe(const probe_type& probe) const noexcept {
    THERMO_ASSERT(probe.generation_ == generation_ && probe.n_ == n_);
    static_cast<void>(probe);
  }

  void fill_probe(probe_type& pr, std::span<const weighted_node<Real>> terms) const noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      pr.row_[k] = Real{0};
    }
    Real sum{0};
    for (const auto& term : terms) {
      detail::linalg::axpy(term.weight, r_.data() + term.node * ld, pr.row_.data(), n_);
      sum += term.weight;
    }
    pr.weight_sum_ = sum;
    pr.n_ = n_;
    pr.generation_ = generation_;
  }

  [[nodiscard]] result<crossing<Real>, error> search_crossing(const probe_type& probe, double threshold,
                                                              crossing_direction dir, double horizon,
                                                              const crossing_options<Real>& opt) const noexcept {
    const double sgn = dir == crossing_direction::rising ? 1.0 : -1.0;
    std::array<double, MaxNodes> ck{};
    std::array<double, MaxNodes> lk{};
    std::size_t m = 0;
    double steady = detail::rc::to_double(probe.weight_sum_ * t_amb_);
    double scale = std::fabs(steady) + std::fabs(threshold);
    for (std::size_t k = 0; k < n_; ++k) {
      const double r = detail::rc::to_double(probe.row_[k]);
      const double ys = detail::rc::to_double(yss_[k]);
      steady += r * ys;
      scale += std::fabs(r * ys);
      const double a = sgn * r * (detail::rc::to_double(y_[k]) - ys);
      if (a != 0.0) {
        ck[m] = a;
        lk[m] = detail::rc::to_double(lambda_[k]);
        scale += std::fabs(a);
        ++m;
      }
    }
    // Rounding allowance of the evaluated sum: values within it of the threshold count as
    // reaching it (so an exact touch is never lost to rounding).
    const double slack = 4.0 * sum_rounding(m, scale);
    const double c0 = sgn * (steady - threshold) + slack;
    return first_crossing_of_sum(c0, ck.data(), lk.data(), m, horizon, opt);
  }

  std::size_t n_{0};
  Real t_amb_{0};
  std::uint64_t generation_{0};
  std::array<Real, MaxNodes> c_{};         // C [J/K]
  std::array<Real, MaxNodes> g_amb_{};     // g_amb [W/K]
  std::array<Real, MaxNodes> lambda_{};    // eigenvalues of S, ascending [1/s]
  std::array<Real, MaxNodes> amb_proj_{};  // Qᵀ C^{1/2} 1
  std::array<Real, MaxNodes> p_{};         // power [W]
  std::array<Real, MaxNodes> y_{};         // modal state
  std::array<Real, MaxNodes> yss_{};       // modal steady state of p_
  std::array<Real, step_cache_size> cache_dt_{detail::rc::nan_array<Real, step_cache_size>()};  // step lengths …
  std::array<std::uint8_t, step_cache_size> cache_order_{0, 1, 2, 3};  // … most recently used first …
  std::array<Real, MaxNodes * step_cache_size> cache_gain_{};  // … their gains 1 − e^{−λ dt}, MaxNodes each
  alignas(64) std::array<Real, MaxNodes * MaxNodes> g_{};      // G (full, symmetric)
  alignas(64) std::array<Real, MaxNodes * MaxNodes> r_{};      // R_ik = C_i^{-1/2} Q_ik (read)
  alignas(64) std::array<Real, MaxNodes * MaxNodes> w_{};      // W_jk = C_j^{-1/2} Q_jk / λ_k (power)
  alignas(64) std::array<double, MaxNodes * MaxNodes> chol_{}; // Cholesky factor of G (double)
};

}  // namespace thermo
