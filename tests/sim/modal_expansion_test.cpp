// rc_network::modal_expansion (added for the simulation's crossing screens): the probe's value
// as steady + Σ a_k e^{−λ_k τ} matches `predict`, and its helpful-mode sum bounds it.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "thermo/model/rc_network.hpp"

TEST_CASE("a probe's modal expansion reproduces predict and bounds the future", "[rc_network][sim]") {
  thermo::rc_network_builder<double, 4> b;
  REQUIRE(b.add_node(0.05));
  REQUIRE(b.add_node(0.5));
  REQUIRE(b.add_node(20.0, 0.2));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.connect(1, 2, 0.5).ok());
  REQUIRE(b.connect(0, 2, 0.1).ok());
  thermo::rc_network<double, 4> net;
  REQUIRE(net.init(b).ok());
  const std::array<double, 3> t0{70.0, 40.0, 30.0};
  REQUIRE(net.set_temperatures(t0).ok());
  const std::array<double, 3> p{3.0, 0.0, 0.0};
  REQUIRE(net.set_power(p).ok());
  const std::array<thermo::weighted_node<double>, 2> terms{{{0, 0.6}, {1, 0.4}}};
  const auto probe = net.make_probe(terms);
  REQUIRE(probe);
  std::array<double, 4> a{};
  const double steady = net.modal_expansion(*probe, a);
  double up = steady;
  double lo = steady;
  for (std::size_t k = 0; k < net.size(); ++k) {
    up += std::max(a[k], 0.0);
    lo += std::min(a[k], 0.0);
  }
  for (const double tau : {0.0, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0}) {
    double v = steady;
    for (std::size_t k = 0; k < net.size(); ++k) {
      v += a[k] * std::exp(-net.eigenvalue(k) * tau);
    }
    CHECK(v == Approx(net.predict(*probe, tau)).epsilon(1e-13));
    CHECK(v <= up + 1e-12);
    CHECK(v >= lo - 1e-12);
  }
  CHECK(steady + a[0] + a[1] + a[2] == Approx(net.read(*probe)).epsilon(1e-14));
}
