// model/readout.hpp: a modal_readout gives, for any modal state, the same bits as the network's
// own temperature(i) and read(probe) in that state — with the fixed-shape kernel (the network
// and probes fill the capacities) and with the general one.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "thermo/model/rc_network.hpp"
#include "thermo/model/readout.hpp"

using namespace thermo;

namespace {

// A chain of n nodes to ambient, two probes, warmed and powered unevenly; then `check` compares
// the readout with the network after stepping by each of a few lengths.
template <std::size_t MaxNodes, std::size_t MaxProbes>
void check_readout(std::size_t n, std::size_t probes) {
  rc_network_builder<double, MaxNodes> b;
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(b.add_node(0.01 * static_cast<double>(i + 1), i + 1 == n ? 0.5 : 0.0));
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    REQUIRE(b.connect(i, i + 1, 0.7 + 0.1 * static_cast<double>(i)).ok());
  }
  REQUIRE(b.set_ambient(27.5).ok());
  rc_network<double, MaxNodes> net;
  REQUIRE(net.init(b).ok());
  std::vector<double> t(n);
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) {
    t[i] = 40.0 + 3.0 * static_cast<double>(i);
    p[i] = i % 2 == 0 ? 1.5 : 0.0;
  }
  REQUIRE(net.set_temperatures(t).ok());
  REQUIRE(net.set_power(p).ok());
  std::vector<rc_probe<double, MaxNodes>> pr;
  for (std::size_t s = 0; s < probes; ++s) {
    const std::array<weighted_node<double>, 2> terms{{{s % n, 0.6}, {(s + 1) % n, 0.4}}};
    auto made = net.make_probe(terms);
    REQUIRE(made);
    pr.push_back(*made);
  }
  modal_readout<MaxNodes, MaxProbes> ro;
  ro.build(net, std::span<const rc_probe<double, MaxNodes>>(pr));
  ro.set_ambient(net.ambient());
  CHECK(ro.nodes() == n);
  CHECK(ro.outputs() == n + probes);
  for (const double dt : {0.0, 0.001, 0.37, 5.0, 120.0}) {
    net.step(dt);
    std::vector<double> got(n + probes, -1.0);
    std::size_t calls = 0;
    ro.read(net.modal_state().data(), [&](std::size_t i, double v) {
      REQUIRE(i < got.size());
      got[i] = v;
      ++calls;
    });
    CHECK(calls == n + probes);
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(got[i] == net.temperature(i));  // the same bits
    }
    for (std::size_t s = 0; s < probes; ++s) {
      CHECK(got[n + s] == net.read(pr[s]));
    }
  }
}

}  // namespace

TEST_CASE("a readout gives the network's own bits with the fixed-shape kernel", "[readout]") {
  check_readout<5, 2>(5, 2);  // fills the capacities
  check_readout<1, 1>(1, 1);
  check_readout<6, 3>(6, 3);
}

TEST_CASE("a readout gives the network's own bits with the general kernel", "[readout]") {
  check_readout<8, 4>(5, 2);
  check_readout<8, 4>(8, 0);
  check_readout<16, 8>(3, 8);
}

TEST_CASE("a readout follows a new ambient", "[readout]") {
  rc_network_builder<double, 2> b;
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  rc_network<double, 2> net;
  REQUIRE(net.init(b).ok());
  modal_readout<2, 0> ro;
  ro.build(net, {});
  REQUIRE(net.set_ambient(31.0).ok());
  ro.set_ambient(net.ambient());
  ro.read(net.modal_state().data(), [&](std::size_t i, double v) { CHECK(v == net.temperature(i)); });
}
