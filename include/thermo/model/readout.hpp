/// @file readout.hpp
/// `modal_readout`: every node temperature and probe reading of an `rc_network` for many modal
/// states in a row — a trace's rows between two events, where the plant's inputs are constant
/// and only the modal state moves. The rows of the modal-to-output map are packed once per
/// network; each read is then one dense product (no `exp`, no call per output).
///
/// A read gives the same bits as `rc_network::temperature(i)` and `rc_network::read(probe)`
/// would in that state (the same sums in the same order; tests/model/readout_test.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/model/detail/dense.hpp"
#include "thermo/model/rc_network.hpp"

namespace thermo {

/// Reads `MaxNodes` node temperatures and up to `MaxProbes` probes of a double-precision network.
template <std::size_t MaxNodes, std::size_t MaxProbes>
class modal_readout {
 public:
  using network_type = rc_network<double, MaxNodes>;
  using probe_type = rc_probe<double, MaxNodes>;
  /// Outputs at most: the nodes, then the probes.
  static constexpr std::size_t max_outputs = MaxNodes + MaxProbes;

  /// Packs the rows of `net`'s nodes and of `probes` (made by `net` since its last rebuild).
  /// O(N·(N + P)). Precondition: probes.size() ≤ MaxProbes.
  void build(const network_type& net, std::span<const probe_type> probes) noexcept {
    THERMO_ASSERT(probes.size() <= MaxProbes);
    n_ = net.size();
    m_ = n_ + probes.size();
    for (std::size_t i = 0; i < m_; ++i) {
      const std::span<const double> r = i < n_ ? net.modal_row(i) : probes[i - n_].modal_row();
      for (std::size_t k = 0; k < n_; ++k) {
        rows_[i * n_ + k] = r[k];
        cols_[k * cols_ld + i] = r[k];
      }
      weight_[i] = i < n_ ? 1.0 : probes[i - n_].weight_sum();
    }
  }

  /// The outputs' ambient terms for ambient `t_amb` (a node reads T_amb + row·y, a probe
  /// weight_sum·T_amb + row·y). Call after `build` and whenever the ambient changes.
  void set_ambient(double t_amb) noexcept {
    for (std::size_t i = 0; i < n_; ++i) {
      offset_[i] = t_amb;
    }
    for (std::size_t i = n_; i < m_; ++i) {
      offset_[i] = weight_[i] * t_amb;
    }
  }

  [[nodiscard]] std::size_t nodes() const noexcept { return n_; }
  [[nodiscard]] std::size_t outputs() const noexcept { return m_; }

  /// Calls `each(i, value)` for every output i (nodes first, then probes; in no set order) in
  /// modal state `y` (`nodes()` amplitudes). O(N·(N + P)), no heap.
  template <class Each>
  void read(const double* y, Each&& each) const noexcept {
    if (n_ == MaxNodes && m_ == max_outputs) {  // the network fills the capacity: a fixed shape
      detail::linalg::dots_by_columns<max_outputs, MaxNodes>(cols_.data(), y, offset_.data(), each);
    } else {
      std::array<double, max_outputs> v;  // written for i < m_ below
      detail::linalg::dots(rows_.data(), m_, y, n_, offset_.data(), v.data());
      for (std::size_t i = 0; i < m_; ++i) {
        each(i, v[i]);
      }
    }
  }

 private:
  static constexpr std::size_t cols_ld = (max_outputs + 1) / 2 * 2;  // two outputs per vector
  std::array<double, MaxNodes * max_outputs> rows_{};  // output i's row at i·n (packed)
  std::array<double, MaxNodes * cols_ld> cols_{};      // the same by columns (fixed-shape kernel)
  std::array<double, cols_ld> offset_{};               // ambient terms (0 padding)
  std::array<double, max_outputs> weight_{};           // 1 for a node, a probe's weight sum
  std::size_t n_{0};
  std::size_t m_{0};
};

}  // namespace thermo
