// Loads HotSpot's EV6 block-model network and reference results from THERMO_SHARED_DIR.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "thermo/io/hotspot.hpp"
#include "thermo/model/rc_network.hpp"

namespace thermo::test {

inline constexpr std::size_t ev6_nodes = 132;
inline constexpr std::size_t ev6_blocks = 30;
inline constexpr double ev6_ambient = 318.15;  // K, block_example.config
using ev6_network = rc_network<double, ev6_nodes>;

inline std::string hotspot_file(const std::string& name) {
  return std::string(THERMO_SHARED_DIR) + "/hotspot-data/" + name;
}

struct ev6_data {
  io::hotspot_network desc;
  io::hotspot_trace ptrace;
  io::hotspot_trace ttrace;   // block_gcc_init-steady.ttrace
  io::hotspot_steady steady;  // block_gcc.steady
  std::unique_ptr<ev6_network> net = std::make_unique<ev6_network>();
};

/// Loads everything (REQUIREs that it works) and initialises the network at ambient.
inline ev6_data load_ev6() {
  ev6_data d;
  const auto e = io::load_hotspot_network(hotspot_file("ev6_block_G_matrix.csv"), hotspot_file("ev6_block_C_vector.csv"),
                                          hotspot_file("ev6_block_g_amb_vector.csv"), d.desc);
  INFO(e.message);
  REQUIRE(e.ok());
  REQUIRE(d.desc.size() == ev6_nodes);
  const auto ep = io::load_hotspot_trace(hotspot_file("gcc.ptrace"), d.ptrace);
  INFO(ep.message);
  REQUIRE(ep.ok());
  const auto et = io::load_hotspot_trace(hotspot_file("block_gcc_init-steady.ttrace"), d.ttrace);
  INFO(et.message);
  REQUIRE(et.ok());
  const auto es = io::load_hotspot_steady(hotspot_file("block_gcc.steady"), d.steady);
  INFO(es.message);
  REQUIRE(es.ok());
  REQUIRE(d.net->init(ev6_nodes, d.desc.conductance, d.desc.capacitance, d.desc.ambient_conductance, ev6_ambient)
              .ok());
  // The block names of the traces are the first 30 nodes, in order.
  REQUIRE(d.ptrace.columns() == ev6_blocks);
  for (std::size_t i = 0; i < ev6_blocks; ++i) {
    REQUIRE(d.ptrace.names[i] == d.desc.names[i]);
  }
  return d;
}

}  // namespace thermo::test
