/// @file reference_plants.hpp
/// Ready-made thermal plants for examples, tutorials, tests and benchmarks.
///
/// `rk3399_board` is a five-node model of a passively cooled RK3399 single-board computer
/// (a Rock960-like board with a small heat sink): the two CPU clusters and the GPU as hot spots
/// on the die, the die/package, and the board. The values are plausible, not measured — chosen so
/// that the preset's thermal design holds: the sustainable power is about 1.5 W at 71 °C
/// (the device tree says 1550 mW for a 75 °C control temperature), and both A72 cores at full
/// speed (2.3 W with the rest idle) would settle near 104 °C, past the 95 °C critical trip, so
/// the governor has real work to do.
///
/// | node | C [J/K] | conductances [W/K] |
/// |---|---|---|
/// | big (2×A72) | 0.05 | big–soc 1.2, big–little 0.3, big–gpu 0.2 |
/// | little (4×A53) | 0.05 | little–soc 1.2 |
/// | gpu (Mali-T860) | 0.08 | gpu–soc 1.5 |
/// | soc (die, package) | 2.0 | soc–board 0.3, soc–air 0.01 |
/// | board | 25 | board–air 0.025 |
///
/// Time constants range from about 20 ms (the hot spots) to about 20 minutes (the board).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "thermo/core/errc.hpp"
#include "thermo/model/rc_network.hpp"

namespace thermo::sim {

/// Node indices of `rk3399_board`.
struct rk3399_nodes {
  std::size_t big{0};
  std::size_t little{1};
  std::size_t gpu{2};
  std::size_t soc{3};
  std::size_t board{4};
};

/// Node names of `rk3399_board`, in index order.
inline constexpr std::array<std::string_view, 5> rk3399_node_names{{"big", "little", "gpu", "soc", "board"}};

/// Fills `b` (empty, capacity ≥ 5 nodes and 6 edges) with the RK3399 board model at ambient
/// `ambient` °C. Returns the first builder error (capacity), or `{}`.
template <class Builder>
[[nodiscard]] error rk3399_board(Builder& b, double ambient = 25.0) noexcept {
  const auto big = b.add_node(0.05);
  const auto little = b.add_node(0.05);
  const auto gpu = b.add_node(0.08);
  const auto soc = b.add_node(2.0, 0.01);
  const auto board = b.add_node(25.0, 0.025);
  for (const auto* r : {&big, &little, &gpu, &soc, &board}) {
    if (!*r) {
      return r->error();
    }
  }
  struct link {
    std::size_t a, c;
    double g;
  };
  for (const link& l : {link{*big, *soc, 1.2}, link{*little, *soc, 1.2}, link{*gpu, *soc, 1.5},
                        link{*big, *little, 0.3}, link{*big, *gpu, 0.2}, link{*soc, *board, 0.3}}) {
    if (const error e = b.connect(l.a, l.c, l.g); !e.ok()) {
      return e;
    }
  }
  return b.set_ambient(ambient);
}

}  // namespace thermo::sim
