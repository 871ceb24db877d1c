/// @file rc_builder.hpp
/// `rc_network_builder<Real, MaxNodes, MaxEdges>`: the description of a thermal RC network —
/// node heat capacities, conductances between nodes and to ambient, the ambient temperature —
/// each value checked as it is added. `rc_network::init` (model/rc_network.hpp) validates the
/// whole (every node reaches ambient) and factorises it. See docs/reference/rc_network.md.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <span>
#include <type_traits>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/model/detail/rc_kernels.hpp"
#include "thermo/model/fwd.hpp"

namespace thermo {

namespace detail::rc {

template <class Real>
[[nodiscard]] error check_capacitance(std::size_t i, Real c) noexcept {
  if (!std::isfinite(c)) {
    return {errc::not_finite, "capacitance", idx(i)};
  }
  if (!(c > Real{0})) {
    return {errc::non_positive, "capacitance", idx(i)};
  }
  return {};
}

template <class Real>
[[nodiscard]] error check_conductance(std::size_t i, std::size_t j, Real g) noexcept {
  if (!std::isfinite(g)) {
    return {errc::not_finite, "conductance", idx(i), idx(j)};
  }
  if (g < Real{0}) {
    return {errc::negative, "conductance", idx(i), idx(j)};
  }
  return {};
}

template <class Real>
[[nodiscard]] error check_ambient_conductance(std::size_t i, Real g) noexcept {
  if (!std::isfinite(g)) {
    return {errc::not_finite, "ambient conductance", idx(i)};
  }
  if (g < Real{0}) {
    return {errc::negative, "ambient conductance", idx(i)};
  }
  return {};
}

/// A conductance `g` between nodes `a` and `b` of a network of `n` nodes: `out_of_range`
/// "node index" unless both exist, `invalid_argument` "self conductance" for a = b, then the
/// errors of `check_conductance`.
template <class Real>
[[nodiscard]] error check_edge(std::size_t n, std::size_t a, std::size_t b, Real g) noexcept {
  if (a >= n || b >= n) {
    return {errc::out_of_range, "node index", idx(a), idx(b)};
  }
  if (a == b) {
    return {errc::invalid_argument, "self conductance", idx(a), idx(b)};
  }
  return check_conductance(a, b, g);
}

}  // namespace detail::rc

/// One line for an error of `rc_network_builder` or `rc_network::init` that names its nodes by
/// name and index, the rule said once: "node 'die' (3) has no path to ambient",
/// "node 'die' (3): capacitance (not strictly positive)", "link 'a' (0) - 'b' (1): conductance
/// (negative)"; an error about no node is "what (code)", or just "what" when the two read the
/// same. `names[i]` is node i's name (anything `String` can append; nodes past its end print
/// their index only). `String` is the caller's string type (std::string on the host); nothing
/// here allocates otherwise.
template <class String, class Names>
[[nodiscard]] String describe_network_error(const error& e, const Names& names) {
  const auto append_index = [](String& s, std::int32_t i) {
    std::array<char, 12> digits{};
    std::size_t n = 0;
    auto v = static_cast<std::uint32_t>(i);
    do {
      digits[n++] = static_cast<char>('0' + (v % 10U));
      v /= 10U;
    } while (v != 0U && n < digits.size());
    while (n > 0) {
      s += digits[--n];
    }
  };
  const auto append_node = [&](String& s, std::int32_t i) {
    if (i >= 0 && static_cast<std::size_t>(i) < std::size(names)) {
      s += '\'';
      s += names[static_cast<std::size_t>(i)];
      s += "' (";
      append_index(s, i);
      s += ')';
    } else {
      append_index(s, i);
    }
  };
  const std::string_view code = to_string(e.code);
  String s;
  if (e.index >= 0 && e.index2 >= 0) {
    s += "link ";
    append_node(s, e.index);
    s += " - ";
    append_node(s, e.index2);
    s += ": ";
  } else if (e.index >= 0) {
    s += "node ";
    append_node(s, e.index);
    if (e.code == errc::disconnected) {
      s += " has no path to ambient";
      return s;
    }
    s += ": ";
  }
  s += e.what;
  if (code != std::string_view(e.what)) {
    s += " (";
    s += code;
    s += ')';
  }
  return s;
}

/// Collects nodes and conductances for an `rc_network`; checks each value as it is added.
///
/// Each `add_*`/`connect*` call rejects a bad value immediately (and records nothing), with an
/// error naming the node or edge. Whole-network rules (every group of nodes reaches ambient) are
/// checked by `rc_network::init`. Parallel edges between the same two nodes add up.
/// Storage is in-object: `MaxNodes` nodes and `MaxEdges` edges; no heap.
template <class Real /* = double */, std::size_t MaxNodes /* = 32 */,
          std::size_t MaxEdges /* = 4 * MaxNodes */>
class rc_network_builder {
  static_assert(std::is_floating_point_v<Real>, "Real must be float or double");
  static_assert(MaxNodes > 0 && MaxEdges > 0, "capacities must be positive");

 public:
  /// A conductance between two nodes.
  struct edge {
    std::size_t a{};
    std::size_t b{};
    Real conductance{};  ///< W/K
  };

  /// Adds a node with heat capacity `capacitance` [J/K] (finite, > 0) and an optional
  /// conductance to ambient [W/K] (finite, ≥ 0).
  /// @return the new node's index, or `capacity_exceeded` ("node count", index = MaxNodes),
  ///         `not_finite`/`non_positive` ("capacitance"), `not_finite`/`negative`
  ///         ("ambient conductance"), each naming the would-be index.
  [[nodiscard]] result<std::size_t, error> add_node(Real capacitance,
                                                    Real ambient_conductance = Real{0}) noexcept {
    if (n_ == MaxNodes) {
      return error{errc::capacity_exceeded, "node count", detail::rc::idx(MaxNodes)};
    }
    if (const error e = detail::rc::check_capacitance(n_, capacitance); !e.ok()) {
      return e;
    }
    if (const error e = detail::rc::check_ambient_conductance(n_, ambient_conductance); !e.ok()) {
      return e;
    }
    c_[n_] = capacitance;
    g_amb_[n_] = ambient_conductance;
    return n_++;
  }

  /// Adds a conductance [W/K] (finite, ≥ 0) between nodes `a` and `b` (a ≠ b, both added).
  /// @return `out_of_range` ("node index"), `invalid_argument` ("self conductance", a, a),
  ///         `not_finite`/`negative` ("conductance", a, b), `capacity_exceeded` ("edge count").
  [[nodiscard]] error connect(std::size_t a, std::size_t b, Real conductance) noexcept {
    if (const error e = detail::rc::check_edge(n_, a, b, conductance); !e.ok()) {
      return e;
    }
    if (m_ == MaxEdges) {
      return {errc::capacity_exceeded, "edge count", detail::rc::idx(a), detail::rc::idx(b)};
    }
    edges_[m_++] = edge{a, b, conductance};
    return {};
  }

  /// Adds `conductance` [W/K] (finite, ≥ 0) from `node` to ambient (in parallel with any
  /// conductance already there).
  [[nodiscard]] error connect_ambient(std::size_t node, Real conductance) noexcept {
    if (node >= n_) {
      return {errc::out_of_range, "node index", detail::rc::idx(node)};
    }
    if (const error e = detail::rc::check_ambient_conductance(node, conductance); !e.ok()) {
      return e;
    }
    g_amb_[node] += conductance;
    return {};
  }

  /// Sets the ambient temperature (same scale as the node temperatures; default 25).
  [[nodiscard]] error set_ambient(Real temperature) noexcept {
    if (!std::isfinite(temperature)) {
      return {errc::not_finite, "ambient temperature"};
    }
    t_amb_ = temperature;
    return {};
  }

  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  [[nodiscard]] std::size_t edge_count() const noexcept { return m_; }
  [[nodiscard]] Real capacitance(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return c_[i];
  }
  [[nodiscard]] Real ambient_conductance(std::size_t i) const noexcept {
    THERMO_ASSERT(i < n_);
    return g_amb_[i];
  }
  [[nodiscard]] std::span<const edge> edges() const noexcept { return {edges_.data(), m_}; }
  [[nodiscard]] Real ambient() const noexcept { return t_amb_; }
  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return MaxNodes; }

 private:
  std::array<Real, MaxNodes> c_{};
  std::array<Real, MaxNodes> g_amb_{};
  std::array<edge, MaxEdges> edges_{};
  std::size_t n_{0};
  std::size_t m_{0};
  Real t_amb_{25};
};

}  // namespace thermo
