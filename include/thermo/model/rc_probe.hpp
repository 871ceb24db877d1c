/// @file rc_probe.hpp
/// A sensor of an RC network: `weighted_node` terms (`weight` × a node's temperature) and the
/// `rc_probe` that `rc_network::make_probe` folds them into — one row in the network's modal
/// basis, so that reading it is one N-term dot product. See docs/reference/rc_network.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "thermo/model/fwd.hpp"

namespace thermo {

/// One term of a sensor (probe): `weight` × the temperature of `node`.
template <class Real = double>
struct weighted_node {
  std::size_t node{};  ///< node index
  Real weight{1};      ///< dimensionless weight (a sensor between two blocks: 0.5 and 0.5)
};

/// A sensor expressed in a network's modal basis: reading it is one N-term dot product.
///
/// Made by `rc_network::make_probe`; valid for that network until its next `init` or rebuild
/// (`set_ambient_conductance`, `set_conductance`) — using a stale probe is a precondition
/// violation (checked with THERMO_ASSERT).
template <class Real /* = double */, std::size_t MaxNodes /* = 32 */>
class rc_probe {
 public:
  /// Sum of the weights (the probe reads `weight_sum × T_amb` at ambient).
  [[nodiscard]] Real weight_sum() const noexcept { return weight_sum_; }
  /// The probe in the modal basis: it reads `weight_sum·T_amb + modal_row()·y` in state y.
  [[nodiscard]] std::span<const Real> modal_row() const noexcept { return {row_.data(), n_}; }

 private:
  friend class rc_network<Real, MaxNodes>;
  std::array<Real, MaxNodes> row_{};  // r_k = Σ_i w_i R_ik
  Real weight_sum_{};
  std::size_t n_{0};
  std::uint64_t generation_{0};
};

}  // namespace thermo
