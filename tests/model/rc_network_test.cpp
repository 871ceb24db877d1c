// rc_network: construction and validation, closed forms, stiffness, inputs, rebuilds, no heap.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/heap_guard.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/rc_network.hpp"

using namespace thermo;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

using net8 = rc_network<double, 8>;
using builder8 = rc_network_builder<double, 8>;

void require_error(const error& e, errc code, std::string_view what, std::int32_t i = error::no_index,
                   std::int32_t j = error::no_index) {
  INFO("error: " << to_string(e.code) << " '" << e.what << "' " << e.index << "," << e.index2);
  CHECK(e.code == code);
  CHECK(std::string_view(e.what) == what);
  CHECK(e.index == i);
  CHECK(e.index2 == j);
}

// One node: C = 0.5 J/K, g = 0.2 W/K to ambient (τ = 2.5 s).
builder8 one_node() {
  builder8 b;
  REQUIRE(b.add_node(0.5, 0.2));
  REQUIRE(b.set_ambient(25.0).ok());
  return b;
}

// Exact two-node solution, in long double: θ(t) − θ(0) = Σ_k α_k v_k expm1(−λ_k t).
struct two_node_exact {
  long double c1, c2, g12, ga1, ga2, p1, p2;
  std::array<long double, 2> rise(long double t, std::array<long double, 2> theta0) const {
    const long double g11 = g12 + ga1;
    const long double g22 = g12 + ga2;
    const long double det = g11 * g22 - g12 * g12;
    const long double ss1 = (g22 * p1 + g12 * p2) / det;
    const long double ss2 = (g12 * p1 + g11 * p2) / det;
    const long double b = g11 * c2 + g22 * c1;
    const long double disc = std::sqrt(b * b - 4.0L * c1 * c2 * det);
    // Roots without cancellation: the larger from b + disc, the smaller from the product.
    const std::array<long double, 2> lam{2.0L * det / (b + disc), (b + disc) / (2.0L * c1 * c2)};
    // Eigenvectors from the second row of (G − λC) v = 0: v = (g22 − λ c2, g12), free of
    // cancellation for this pair (λ c2 is far from g22 for both modes).
    const long double v11 = g22 - lam[0] * c2;
    const long double v12 = g12;
    const long double v21 = g22 - lam[1] * c2;
    const long double v22 = g12;
    const long double d1 = theta0[0] - ss1;
    const long double d2 = theta0[1] - ss2;
    const long double den = v11 * v22 - v21 * v12;
    const long double a1 = (d1 * v22 - d2 * v21) / den;
    const long double a2 = (v11 * d2 - v12 * d1) / den;
    const long double e1 = std::expm1(-lam[0] * t);
    const long double e2 = std::expm1(-lam[1] * t);
    return {theta0[0] + a1 * v11 * e1 + a2 * v21 * e2, theta0[1] + a1 * v12 * e1 + a2 * v22 * e2};
  }
};

const std::array<double, 10> dts{1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0};

}  // namespace

TEST_CASE("one node follows T_amb + P/g (1 - exp(-g t / C)) to 1e-9 relative for dt from 1 us to 1000 s",
          "[rc_network][closed-form]") {
  auto net = net8::create(one_node());
  REQUIRE(net);
  CHECK(net->size() == 1);
  CHECK(net->time_constant(0) == Approx(2.5).epsilon(1e-15));
  REQUIRE(net->set_node_power(0, 3.0).ok());
  for (const double dt : dts) {
    const std::array<double, 1> amb{25.0};
    REQUIRE(net->set_temperatures(amb).ok());
    net->step(dt);
    const auto dtl = static_cast<long double>(dt);
    const long double exact = 3.0L / 0.2L * -std::expm1(-0.2L * dtl / 0.5L);
    const double rise = net->temperature_rise(0);
    INFO("dt = " << dt);
    CHECK(std::fabs(static_cast<long double>(rise) - exact) <= 1e-9L * exact);
    CHECK(std::fabs(static_cast<long double>(rise) - exact) <= 1e-14L * exact);  // observed accuracy
    CHECK(net->temperature(0) == 25.0 + rise);

    // From a state away from equilibrium (cooling from 80 with 3 W): relative to T − T_amb.
    const std::array<double, 1> hot{80.0};
    REQUIRE(net->set_temperatures(hot).ok());
    net->step(dt);
    const long double ss = 15.0L;
    const long double exact_hot = ss + (55.0L - ss) * std::exp(-0.4L * dtl);
    CHECK(std::fabs(static_cast<long double>(net->temperature_rise(0)) - exact_hot) <= 1e-9L * exact_hot);
  }
  // Many small steps accumulate no drift: 1000 × 1 ms = 1 s.
  const std::array<double, 1> amb{25.0};
  REQUIRE(net->set_temperatures(amb).ok());
  for (int k = 0; k < 1000; ++k) {
    net->step(1e-3);
  }
  const long double exact = 15.0L * -std::expm1(-0.4L);
  CHECK(std::fabs(static_cast<long double>(net->temperature_rise(0)) - exact) <= 1e-12L * exact);
}

TEST_CASE("two nodes follow their two-exponential closed form to 1e-9 relative for dt from 1 us to 1000 s",
          "[rc_network][closed-form]") {
  // A stiff pair: a 1 µJ/K die on a 10 J/K sink (time constants ≈ 1 µs and ≈ 110 s).
  const two_node_exact ex{1e-6L, 10.0L, 1.0L, 0.0L, 0.1L, 2.0L, 0.5L};
  builder8 b;
  REQUIRE(b.add_node(1e-6));
  REQUIRE(b.add_node(10.0, 0.1));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.set_ambient(20.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  const std::array<double, 2> p{2.0, 0.5};
  REQUIRE(net->set_power(p).ok());
  for (const double dt : dts) {
    INFO("dt = " << dt);
    // From ambient: the rise of both nodes, component-wise relative error.
    const std::array<double, 2> amb{20.0, 20.0};
    REQUIRE(net->set_temperatures(amb).ok());
    net->step(dt);
    const auto dtl = static_cast<long double>(dt);
    const auto exact = ex.rise(dtl, {0.0L, 0.0L});
    for (std::size_t i = 0; i < 2; ++i) {
      const auto got = static_cast<long double>(net->temperature_rise(i));
      CHECK(std::fabs(got - exact[i]) <= 1e-9L * std::fabs(exact[i]));
    }
    // From an arbitrary state (die hot, sink warm): relative to the largest temperature rise.
    const std::array<double, 2> start{90.0, 35.0};
    REQUIRE(net->set_temperatures(start).ok());
    net->step(dt);
    const auto exact2 = ex.rise(dtl, {70.0L, 15.0L});
    const long double scale = std::fmax(std::fabs(exact2[0]), std::fabs(exact2[1]));
    for (std::size_t i = 0; i < 2; ++i) {
      const auto got = static_cast<long double>(net->temperature_rise(i));
      CHECK(std::fabs(got - exact2[i]) <= 1e-9L * scale);
    }
  }
}

TEST_CASE("a stiff network is unconditionally stable: any dt lands between ambient and the steady state",
          "[rc_network][stiff]") {
  // A chain of 8 nodes with time constants from ~1 ns to ~1e5 s.
  builder8 b;
  const std::array<double, 8> c{1e-9, 1e-6, 1e-4, 1e-2, 1.0, 10.0, 100.0, 1e4};
  for (const double ci : c) {
    REQUIRE(b.add_node(ci));
  }
  for (std::size_t i = 0; i + 1 < 8; ++i) {
    REQUIRE(b.connect(i, i + 1, 1.0 / static_cast<double>(i + 1)).ok());
  }
  REQUIRE(b.connect_ambient(7, 0.1).ok());
  REQUIRE(b.set_ambient(0.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  const double ratio = net->time_constant(0) / net->time_constant(7);
  INFO("stiffness ratio " << ratio);
  CHECK(ratio > 1e12);

  std::array<double, 8> p{};
  p[0] = 5.0;
  p[3] = 1.0;
  std::array<double, 8> tss{};
  REQUIRE(net->steady_state(p, tss).ok());
  REQUIRE(net->set_power(p).ok());
  for (const double dt : {1e-12, 1e-3, 1.0, 1e3, 1e6, 1e9, 1e15}) {
    net->step(dt);
    for (std::size_t i = 0; i < 8; ++i) {
      const double t = net->temperature(i);
      REQUIRE(std::isfinite(t));
      CHECK(t >= -1e-9 * tss[i]);
      CHECK(t <= tss[i] * (1.0 + 1e-9));
    }
  }
  // One enormous step lands on the steady state.
  const std::array<double, 8> cold{};
  REQUIRE(net->set_temperatures(cold).ok());
  net->step(1e12);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(net->temperature(i) == Approx(tss[i]).epsilon(1e-9));
  }
  // Power off, a huge step: back to ambient, never below.
  const std::array<double, 8> off{};
  REQUIRE(net->set_power(off).ok());
  net->step(1e12);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(std::fabs(net->temperature(i)) <= 1e-9 * tss[i]);
  }
  // Forward Euler at the same kind of step explodes (that is what stiffness means).
  std::array<double, 8> fe{};
  forward_euler_step(*net, std::span<double>(fe), std::span<const double>(p), 1e-3);
  forward_euler_step(*net, std::span<double>(fe), std::span<const double>(p), 1e-3);
  CHECK(std::fabs(fe[0]) > 1e6);
}

TEST_CASE("builder rejects each bad value and names the node or edge", "[rc_network][validation]") {
  builder8 b;
  require_error(b.add_node(nan_v).error(), errc::not_finite, "capacitance", 0);
  require_error(b.add_node(inf_v).error(), errc::not_finite, "capacitance", 0);
  require_error(b.add_node(0.0).error(), errc::non_positive, "capacitance", 0);
  require_error(b.add_node(-1.0).error(), errc::non_positive, "capacitance", 0);
  require_error(b.add_node(1.0, -0.5).error(), errc::negative, "ambient conductance", 0);
  require_error(b.add_node(1.0, nan_v).error(), errc::not_finite, "ambient conductance", 0);
  CHECK(b.size() == 0);
  REQUIRE(*b.add_node(1.0, 1.0) == 0);
  REQUIRE(*b.add_node(2.0) == 1);
  require_error(b.add_node(-3.0).error(), errc::non_positive, "capacitance", 2);
  require_error(b.connect(0, 5, 1.0), errc::out_of_range, "node index", 0, 5);
  require_error(b.connect(1, 1, 1.0), errc::invalid_argument, "self conductance", 1, 1);
  require_error(b.connect(0, 1, -0.1), errc::negative, "conductance", 0, 1);
  require_error(b.connect(1, 0, nan_v), errc::not_finite, "conductance", 1, 0);
  require_error(b.connect(1, 0, inf_v), errc::not_finite, "conductance", 1, 0);
  require_error(b.connect_ambient(4, 1.0), errc::out_of_range, "node index", 4);
  require_error(b.connect_ambient(1, -1.0), errc::negative, "ambient conductance", 1);
  require_error(b.connect_ambient(1, inf_v), errc::not_finite, "ambient conductance", 1);
  require_error(b.set_ambient(nan_v), errc::not_finite, "ambient temperature");
  CHECK(b.edge_count() == 0);
  CHECK(b.ambient_conductance(1) == 0.0);
}

TEST_CASE("builder capacities: more nodes or edges than capacity is an error", "[rc_network][validation]") {
  rc_network_builder<double, 2, 1> b;
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.add_node(1.0, 1.0));
  require_error(b.add_node(1.0).error(), errc::capacity_exceeded, "node count", 2);
  REQUIRE(b.connect(0, 1, 1.0).ok());
  require_error(b.connect(1, 0, 1.0), errc::capacity_exceeded, "edge count", 1, 0);
}

TEST_CASE("init rejects networks with a group of nodes that has no path to ambient", "[rc_network][validation]") {
  builder8 b;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(b.add_node(1.0));
  }
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.connect_ambient(1, 0.5).ok());
  REQUIRE(b.connect(3, 2, 1.0).ok());  // 2–3 only see each other
  REQUIRE(b.connect(4, 1, 1.0).ok());
  net8 net;
  require_error(net.init(b), errc::disconnected, "no path to ambient", 2);
  CHECK(net.size() == 0);
  REQUIRE(b.connect(2, 4, 0.0).ok());  // a zero conductance does not connect
  require_error(net.init(b), errc::disconnected, "no path to ambient", 2);
  REQUIRE(b.connect(2, 4, 1e-3).ok());
  REQUIRE(net.init(b).ok());
  CHECK(net.size() == 5);

  builder8 lonely;
  REQUIRE(lonely.add_node(1.0, 1.0));
  REQUIRE(lonely.add_node(1.0));  // node 1 connected to nothing
  require_error(net.init(lonely), errc::disconnected, "no path to ambient", 1);
  require_error(net.init(builder8{}), errc::empty, "node count", 0);
  CHECK(net.size() == 0);
}

TEST_CASE("init rejects parallel edges that sum to infinity", "[rc_network][validation]") {
  builder8 b;
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.connect(0, 1, 1.5e308).ok());
  REQUIRE(b.connect(1, 0, 1.5e308).ok());
  net8 net;
  require_error(net.init(b), errc::not_finite, "conductance", 0, 1);
}

TEST_CASE("matrix init validates every input and names the node or edge", "[rc_network][validation]") {
  // A valid 3-node HotSpot-layout network: 0–1 (2 W/K), 1–2 (1 W/K), 2 to ambient (0.5 W/K).
  std::vector<double> g{2.0, -2.0, 0.0, -2.0, 3.0, -1.0, 0.0, -1.0, 1.5};
  std::vector<double> c{1.0, 2.0, 3.0};
  std::vector<double> ga{0.0, 0.0, 0.5};
  net8 net;
  REQUIRE(net.init(3, g, c, ga, 45.0).ok());
  CHECK(net.conductance(0, 1) == 2.0);
  CHECK(net.conductance(2, 1) == 1.0);
  CHECK(net.conductance(0, 2) == 0.0);
  CHECK(net.ambient_conductance(2) == 0.5);
  CHECK(net.conductance_matrix(1, 1) == 3.0);
  CHECK(net.ambient() == 45.0);

  SECTION("node count") {
    require_error(net.init(0, {}, {}, {}, 45.0), errc::empty, "node count", 0);
    std::vector<double> big(81, 0.0);
    std::vector<double> nine(9, 1.0);
    require_error(net.init(9, big, nine, nine, 45.0), errc::capacity_exceeded, "node count", 9);
  }
  SECTION("sizes") {
    require_error(net.init(3, g, std::span<const double>(c).first(2), ga, 45.0), errc::invalid_argument,
                  "capacitance vector length", 2);
    require_error(net.init(3, std::span<const double>(g).first(8), c, ga, 45.0), errc::invalid_argument,
                  "conductance matrix size", 8);
    require_error(net.init(3, g, c, std::span<const double>(ga).first(1), 45.0), errc::invalid_argument,
                  "ambient conductance vector length", 1);
  }
  SECTION("ambient temperature") {
    require_error(net.init(3, g, c, ga, nan_v), errc::not_finite, "ambient temperature");
  }
  SECTION("capacitance") {
    c[1] = -2.0;
    require_error(net.init(3, g, c, ga, 45.0), errc::non_positive, "capacitance", 1);
    c[1] = 0.0;
    require_error(net.init(3, g, c, ga, 45.0), errc::non_positive, "capacitance", 1);
    c[2] = nan_v;
    c[1] = 2.0;
    require_error(net.init(3, g, c, ga, 45.0), errc::not_finite, "capacitance", 2);
  }
  SECTION("ambient conductance") {
    ga[0] = -0.1;
    g[0] = 1.9;
    require_error(net.init(3, g, c, ga, 45.0), errc::negative, "ambient conductance", 0);
    ga[0] = inf_v;
    require_error(net.init(3, g, c, ga, 45.0), errc::not_finite, "ambient conductance", 0);
  }
  SECTION("matrix entries") {
    g[1 * 3 + 2] = nan_v;
    require_error(net.init(3, g, c, ga, 45.0), errc::not_finite, "conductance", 1, 2);
    g[1 * 3 + 2] = -1.0;
    g[2 * 3 + 2] = inf_v;
    require_error(net.init(3, g, c, ga, 45.0), errc::not_finite, "conductance", 2, 2);
    g[2 * 3 + 2] = 1.5;
    g[0 * 3 + 2] = 0.25;  // positive off-diagonal = negative conductance
    g[2 * 3 + 0] = 0.25;
    require_error(net.init(3, g, c, ga, 45.0), errc::negative, "conductance", 0, 2);
  }
  SECTION("asymmetric matrix") {
    g[2 * 3 + 1] = -1.1;
    require_error(net.init(3, g, c, ga, 45.0), errc::invalid_argument, "asymmetric conductance", 1, 2);
  }
  SECTION("diagonal inconsistent with the conductances and g_amb") {
    g[1 * 3 + 1] = 3.01;
    require_error(net.init(3, g, c, ga, 45.0), errc::invalid_argument, "conductance matrix diagonal", 1);
  }
  SECTION("group with no path to ambient") {
    // Cut 1–2: nodes 0 and 1 form a group of their own.
    g = {2.0, -2.0, 0.0, -2.0, 2.0, 0.0, 0.0, 0.0, 0.5};
    require_error(net.init(3, g, c, ga, 45.0), errc::disconnected, "no path to ambient", 0);
  }
  CHECK(net.size() == 0);  // a failed init leaves the network empty
}

TEST_CASE("inputs and state reject non-finite values, naming the node, and change nothing",
          "[rc_network][validation]") {
  builder8 b;
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.add_node(1.0, 1.0));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  REQUIRE(net->set_node_power(0, 1.0).ok());
  require_error(net->set_power(std::array<double, 2>{2.0, nan_v}), errc::not_finite, "power", 1);
  require_error(net->set_node_power(1, inf_v), errc::not_finite, "power", 1);
  require_error(net->set_node_power(2, 1.0), errc::out_of_range, "node index", 2);
  const std::array<std::size_t, 2> nodes{1, 5};
  require_error(net->set_power(nodes, std::array<double, 2>{1.0, 1.0}), errc::out_of_range, "node index", 1);
  const std::array<std::size_t, 1> one{0};
  require_error(net->set_power(one, std::array<double, 1>{nan_v}), errc::not_finite, "power", 0);
  CHECK(net->power(0) == 1.0);
  CHECK(net->power(1) == 0.0);
  require_error(net->set_temperatures(std::array<double, 2>{30.0, nan_v}), errc::not_finite, "temperature", 1);
  CHECK(net->temperature(0) == 25.0);
  require_error(net->set_ambient(inf_v), errc::not_finite, "ambient temperature");
  std::array<double, 2> out{};
  require_error(net->steady_state(std::array<double, 2>{nan_v, 0.0}, out), errc::not_finite, "power", 0);
  require_error(net->set_ambient_conductance(0, -1.0), errc::negative, "ambient conductance", 0);
  require_error(net->set_ambient_conductance(3, 1.0), errc::out_of_range, "node index", 3);
  require_error(net->set_conductance(0, 1, nan_v), errc::not_finite, "conductance", 0, 1);
  require_error(net->set_conductance(0, 0, 1.0), errc::invalid_argument, "self conductance", 0, 0);
  require_error(net->set_conductance(0, 7, 1.0), errc::out_of_range, "node index", 0, 7);
  require_error(net->make_probe(std::span<const weighted_node<double>>{}).error(), errc::empty, "probe");
  const std::array<weighted_node<double>, 2> bad_node{{{0, 0.5}, {9, 0.5}}};
  require_error(net->make_probe(bad_node).error(), errc::out_of_range, "probe node", 1);
  const std::array<weighted_node<double>, 1> bad_weight{{{1, nan_v}}};
  require_error(net->make_probe(bad_weight).error(), errc::not_finite, "probe weight", 0);
}

TEST_CASE("steady state: Cholesky solve, modal steady state and long steps agree", "[rc_network]") {
  // [builder]
  builder8 b;
  REQUIRE(b.add_node(0.01));         // die
  REQUIRE(b.add_node(0.5));          // package
  REQUIRE(b.add_node(20.0, 0.25));   // board, to ambient
  REQUIRE(b.add_node(0.02, 0.001));  // a second die, weakly to ambient too
  REQUIRE(b.connect(0, 1, 2.0).ok());
  REQUIRE(b.connect(1, 2, 0.5).ok());
  REQUIRE(b.connect(3, 1, 1.0).ok());
  REQUIRE(b.set_ambient(25.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  const std::array<double, 4> p{3.0, 0.0, 0.0, 1.0};
  std::array<double, 4> tss{};
  REQUIRE(net->steady_state(p, tss).ok());
  // [builder]
  // Hand check: total 4 W leaves mostly through the board's 0.25 W/K and die 2's 0.001 W/K.
  CHECK(tss[0] > tss[1]);
  CHECK(tss[1] > tss[2]);
  // G (T − T_amb) = P, residual.
  for (std::size_t i = 0; i < 4; ++i) {
    double flow = 0.0;
    for (std::size_t j = 0; j < 4; ++j) {
      flow += net->conductance_matrix(i, j) * (tss[j] - 25.0);
    }
    CHECK(flow == Approx(p[i]).margin(1e-12));
  }
  REQUIRE(net->set_power(p).ok());
  std::array<double, 4> cur{};
  net->steady_state(cur);
  net->set_steady_state();
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(cur[i] == tss[i]);
    // Both are backward stable; they differ by ~cond(G)·ε (observed 2.5e-13 relative here).
    INFO("node " << i << ": modal " << net->temperature(i) << " Cholesky " << tss[i] << " diff " << net->temperature(i) - tss[i]);
    CHECK(net->temperature(i) == Approx(tss[i]).epsilon(1e-11));
  }
}

TEST_CASE("ambient changes shift the steady state without a jump in node temperatures", "[rc_network]") {
  auto net = net8::create(one_node());
  REQUIRE(net);
  REQUIRE(net->set_node_power(0, 1.0).ok());
  net->step(1.0);
  const double before = net->temperature(0);
  REQUIRE(net->set_ambient(35.0).ok());
  CHECK(net->temperature(0) == Approx(before).epsilon(1e-15));
  net->step(1e6);
  CHECK(net->temperature(0) == Approx(35.0 + 1.0 / 0.2).epsilon(1e-14));
}

TEST_CASE("a fan change (ambient conductance) re-factorises and keeps temperatures and power",
          "[rc_network][rebuild]") {
  builder8 b;
  REQUIRE(b.add_node(0.05));
  REQUIRE(b.add_node(2.0, 0.1));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  REQUIRE(net->set_power(std::array<double, 2>{4.0, 0.0}).ok());
  net->step(5.0);
  const std::array<double, 2> before{net->temperature(0), net->temperature(1)};
  // [fan]
  const auto gen = net->generation();
  REQUIRE(net->set_ambient_conductance(1, 0.4).ok());  // fan to high speed
  CHECK(net->generation() == gen + 1);
  CHECK(net->ambient_conductance(1) == 0.4);
  CHECK(net->conductance_matrix(1, 1) == Approx(1.4).epsilon(1e-15));
  CHECK(net->temperature(0) == Approx(before[0]).epsilon(1e-13));
  CHECK(net->temperature(1) == Approx(before[1]).epsilon(1e-13));
  CHECK(net->power(0) == 4.0);
  // [fan]
  net->step(1e6);
  CHECK(net->temperature(1) == Approx(25.0 + 4.0 / 0.4).epsilon(1e-12));
  CHECK(net->temperature(0) == Approx(25.0 + 4.0 / 0.4 + 4.0 / 1.0).epsilon(1e-12));

  // Removing the only path to ambient is refused and changes nothing.
  require_error(net->set_ambient_conductance(1, 0.0), errc::disconnected, "no path to ambient", 0);
  CHECK(net->ambient_conductance(1) == 0.4);
  CHECK(net->generation() == gen + 1);
  CHECK(net->temperature(1) == Approx(35.0).epsilon(1e-12));
  // An edge change works the same way; cutting the die off is refused.
  require_error(net->set_conductance(1, 0, 0.0), errc::disconnected, "no path to ambient", 0);
  REQUIRE(net->set_conductance(1, 0, 2.0).ok());
  CHECK(net->conductance(0, 1) == 2.0);
  net->step(1e6);
  CHECK(net->temperature(0) == Approx(25.0 + 4.0 / 0.4 + 4.0 / 2.0).epsilon(1e-12));
}

TEST_CASE("probes read weighted sums of nodes and predict them ahead", "[rc_network][probe]") {
  builder8 b;
  REQUIRE(b.add_node(0.1, 0.05));
  REQUIRE(b.add_node(0.3, 0.05));
  REQUIRE(b.connect(0, 1, 0.2).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  REQUIRE(net->set_node_power(0, 2.0).ok());
  net->step(0.7);
  const std::array<weighted_node<double>, 2> terms{{{0, 0.25}, {1, 0.75}}};
  const auto probe = net->make_probe(terms);
  REQUIRE(probe);
  CHECK(probe->weight_sum() == 1.0);
  CHECK(net->read(*probe) == Approx(0.25 * net->temperature(0) + 0.75 * net->temperature(1)).epsilon(1e-15));
  const double ahead = net->predict(*probe, 3.0);
  net->step(3.0);
  CHECK(net->read(*probe) == Approx(ahead).epsilon(1e-14));
  CHECK(net->predict(*probe, 0.0) == Approx(net->read(*probe)).epsilon(1e-15));
}

TEST_CASE("step gains are 1 - exp(-x) to within one ulp, through the polynomial and expm1 ranges",
          "[rc_network][gain]") {
  double worst = 0.0;
  const auto check = [&](double x) {
    const long double exact = -std::expm1(-static_cast<long double>(x));
    const double got = detail::rc::step_gain(x);
    const double ulp = std::nextafter(static_cast<double>(exact), 2.0) - static_cast<double>(exact);
    worst = std::max(worst, static_cast<double>(std::fabs((static_cast<long double>(got) - exact) /
                                                          static_cast<long double>(ulp))));
  };
  for (double x = 1e-300; x < 1e3; x *= 1.0009) {  // every scale, both sides of 1/128
    check(x);
  }
  for (double x = 0.0; x < 0.016; x += 1.7e-7) {  // densely around the switch
    check(x);
  }
  CHECK(worst <= 1.0);
  CHECK(detail::rc::step_gain(0.0) == 0.0);
  CHECK_FALSE(std::signbit(detail::rc::step_gain(0.0)));
  CHECK(detail::rc::step_gain(1e-300) == 1e-300);
  CHECK(detail::rc::step_gain(800.0) == 1.0);
}

TEST_CASE("the cubic lower bound of exp(-x) is below exp(-x) everywhere and close for small x",
          "[rc_network][gain]") {
  for (double x = 0.0; x < 50.0; x += 1.3e-4) {
    REQUIRE(detail::rc::exp_neg_lower_bound(x) <= std::exp(-x));
    REQUIRE(detail::rc::exp_neg_lower_bound(x) >= 0.0);
  }
  for (double x = 1e-12; x < 0.01; x *= 1.01) {
    CHECK(detail::rc::exp_neg_lower_bound(x) == Approx(std::exp(-x)).epsilon(x * x * x * x / 20.0 + 1e-15));
  }
  CHECK(detail::rc::exp_neg_lower_bound(0.0) == 1.0);
  CHECK(detail::rc::exp_neg_lower_bound(2.0) == 0.0);
}

TEST_CASE("step(dt) gives the same bits whatever its gain cache holds, and a rebuild empties it",
          "[rc_network]") {
  builder8 b;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(b.add_node(0.02 * (i + 1), i == 4 ? 0.2 : 0.0));
  }
  for (std::size_t i = 0; i + 1 < 5; ++i) {
    REQUIRE(b.connect(i, i + 1, 0.3).ok());
  }
  auto net = net8::create(b);  // steps by step(dt): cached gains
  auto ref = net8::create(b);  // steps by freshly computed gains
  REQUIRE(net);
  REQUIRE(ref);
  const std::array<double, 5> p{1.0, 0.0, 0.5, 0.0, 0.25};
  REQUIRE(net->set_power(p).ok());
  REQUIRE(ref->set_power(p).ok());
  // Six step lengths, more than the cache holds: hits, misses and evictions, in a pattern
  // with repeats at every distance.
  const std::array<double, 6> lengths{0.0137, 0.05, 0.0137, 1e-5, 0.2, 0.0031};
  std::array<double, 5> g{};
  const auto run = [&](int steps) {
    for (int k = 0; k < steps; ++k) {
      const double dt = lengths[static_cast<std::size_t>((k * k + k / 3) % 6)];
      net->step(dt);
      ref->step_gains(dt, g);
      ref->step(std::span<const double>(g));
      for (std::size_t i = 0; i < 5; ++i) {
        REQUIRE(net->modal_state()[i] == ref->modal_state()[i]);
      }
    }
  };
  STATIC_REQUIRE(net8::step_cache_size < lengths.size());
  run(200);
  // New conductances change every gain: the same step lengths must not reuse the old ones.
  REQUIRE(net->set_conductance(1, 2, 0.9).ok());
  REQUIRE(ref->set_conductance(1, 2, 0.9).ok());
  run(200);
  REQUIRE(net->set_ambient_conductance(0, 0.05).ok());
  REQUIRE(ref->set_ambient_conductance(0, 0.05).ok());
  run(200);
}

TEST_CASE("precomputed gains step exactly like step(dt), and a state snapshot restores exactly",
          "[rc_network]") {
  builder8 b;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(b.add_node(0.02 * (i + 1), i == 4 ? 0.2 : 0.0));
  }
  for (std::size_t i = 0; i + 1 < 5; ++i) {
    REQUIRE(b.connect(i, i + 1, 0.3).ok());
  }
  auto net = net8::create(b);
  auto twin = net8::create(b);
  REQUIRE(net);
  REQUIRE(twin);
  const std::array<double, 5> p{1.0, 0.0, 0.5, 0.0, 0.25};
  REQUIRE(net->set_power(p).ok());
  REQUIRE(twin->set_power(p).ok());
  std::array<double, 5> g{};
  net->step_gains(0.0137, g);
  std::array<double, 5> snapshot{};
  for (int k = 0; k < 20; ++k) {
    net->step(std::span<const double>(g));
    twin->step(0.0137);
    if (k == 9) {
      std::copy(net->modal_state().begin(), net->modal_state().end(), snapshot.begin());
    }
  }
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(net->temperature(i) == twin->temperature(i));
  }
  // Temperatures are T_amb + modal_row(i)·y and probes weight_sum·T_amb + modal_row()·y.
  const auto probe = net->make_probe(std::array<weighted_node<double>, 2>{{{1, 0.5}, {3, 0.5}}});
  REQUIRE(probe);
  const std::span<const double> y = net->modal_state();
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(net->temperature(i) == net->ambient() + detail::linalg::dot(net->modal_row(i).data(), y.data(), 5));
  }
  CHECK(net->read(*probe) == probe->weight_sum() * net->ambient() + detail::linalg::dot(probe->modal_row().data(), y.data(), 5));
  // The modal steady state is where the modes go: a long step lands on it.
  twin->step(1e6);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(twin->modal_state()[k] == Approx(twin->modal_steady_state()[k]).margin(1e-12));
  }
  REQUIRE(net->set_modal_state(snapshot).ok());
  // Back at the snapshot: ten more steps reproduce the original run's end, bit for bit.
  for (int k = 0; k < 10; ++k) {
    net->step(std::span<const double>(g));
  }
  auto again = net8::create(b);
  REQUIRE(again);
  REQUIRE(again->set_power(p).ok());
  for (int k = 0; k < 20; ++k) {
    again->step(0.0137);
  }
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(net->temperature(i) == again->temperature(i));
  }
}

TEST_CASE("set_modal_state rejects a wrong size or a non-finite amplitude and changes nothing",
          "[rc_network][validation]") {
  auto net = net8::create(one_node());
  REQUIRE(net);
  REQUIRE(net->set_node_power(0, 1.0).ok());
  net->step(1.0);
  const double before = net->temperature(0);
  const std::array<double, 2> two{0.0, 0.0};
  require_error(net->set_modal_state(two), errc::invalid_argument, "modal state size");
  const std::array<double, 1> bad{nan_v};
  require_error(net->set_modal_state(bad), errc::not_finite, "modal state", 0);
  const std::array<double, 1> inf{inf_v};
  require_error(net->set_modal_state(inf), errc::not_finite, "modal state", 0);
  CHECK(net->temperature(0) == before);
}

TEST_CASE("stepping is deterministic: two runs give bit-identical temperatures", "[rc_network][determinism]") {
  const auto run = [] {
    builder8 b;
    for (int i = 0; i < 6; ++i) {
      REQUIRE(b.add_node(0.01 * (i + 1), i == 5 ? 0.3 : 0.0));
    }
    for (std::size_t i = 0; i + 1 < 6; ++i) {
      REQUIRE(b.connect(i, i + 1, 0.5 + 0.1 * static_cast<double>(i)).ok());
    }
    auto net = net8::create(b);
    REQUIRE(net);
    std::array<double, 6> out{};
    for (int k = 0; k < 200; ++k) {
      REQUIRE(net->set_node_power(static_cast<std::size_t>(k % 6), 0.1 * (k % 7)).ok());
      net->step(k % 3 == 0 ? 1e-3 : 2.5e-2);
    }
    net->temperatures(out);
    return out;
  };
  const auto a = run();
  const auto b = run();
  CHECK(std::memcmp(a.data(), b.data(), sizeof a) == 0);
}

TEST_CASE("float networks work and stay within float accuracy of the double solution", "[rc_network][float]") {
  rc_network_builder<float, 4> bf;
  rc_network_builder<double, 4> bd;
  REQUIRE(bf.add_node(0.05f));
  REQUIRE(bf.add_node(2.0f, 0.1f));
  REQUIRE(bf.connect(0, 1, 1.0f).ok());
  REQUIRE(bd.add_node(0.05));
  REQUIRE(bd.add_node(2.0, 0.1));
  REQUIRE(bd.connect(0, 1, 1.0).ok());
  auto nf = rc_network<float, 4>::create(bf);
  auto nd = rc_network<double, 4>::create(bd);
  REQUIRE(nf);
  REQUIRE(nd);
  REQUIRE(nf->set_node_power(0, 3.0f).ok());
  REQUIRE(nd->set_node_power(0, 3.0).ok());
  for (int k = 0; k < 100; ++k) {
    nf->step(0.1f);
    nd->step(0.1);
  }
  CHECK(static_cast<double>(nf->temperature(0)) == Approx(nd->temperature(0)).epsilon(1e-5));
  const auto c = nf->first_crossing(0, nf->temperature(0) + 1.0f, crossing_direction::rising, 100.0f);
  REQUIRE(c);
  CHECK(c->found);
}

TEST_CASE("stepping, reading, probing and crossing allocate nothing", "[rc_network][heap]") {
  auto b = one_node();
  REQUIRE(b.add_node(1.0));
  REQUIRE(b.connect(0, 1, 0.5).ok());
  const auto net = std::make_unique<net8>();
  REQUIRE(net->init(b).ok());
  std::array<double, 2> out{};
  const std::array<double, 2> p{1.0, 2.0};
  THERMO_REQUIRE_NO_HEAP({
    REQUIRE(net->set_power(p).ok());
    net->step(0.1);
    net->step(0.1);
    net->temperatures(out);
    REQUIRE(net->set_ambient(30.0).ok());
    REQUIRE(net->steady_state(p, out).ok());
    const auto probe = net->make_probe(1);
    REQUIRE(probe);
    static_cast<void>(net->read(*probe));
    const auto c = net->first_crossing(*probe, out[1] - 0.5, crossing_direction::rising, 1e4);
    REQUIRE(c);
    REQUIRE(net->set_conductance(0, 1, 0.7).ok());
    REQUIRE(net->init(b).ok());
  });
}

TEST_CASE("network errors read as one line naming the node by name and index, the rule said once", "[rc_network][validation]") {
  const std::vector<std::string> names{"soc", "board", "die", "pkg"};
  builder8 b;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(b.add_node(1.0, i == 0 ? 1.0 : 0.0));
  }
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.connect(2, 3, 1.0).ok());  // die and pkg only see each other
  net8 net;
  const error e = net.init(b);
  REQUIRE(e.code == errc::disconnected);
  CHECK(describe_network_error<std::string>(e, names) == "node 'die' (2) has no path to ambient");
  CHECK(describe_network_error<std::string>(error{errc::non_positive, "capacitance", 3}, names) ==
        "node 'pkg' (3): capacitance (not strictly positive)");
  CHECK(describe_network_error<std::string>(error{errc::negative, "conductance", 0, 1}, names) ==
        "link 'soc' (0) - 'board' (1): conductance (negative)");
  CHECK(describe_network_error<std::string>(error{errc::out_of_range, "node index", 12, 1}, names) ==
        "link 12 - 'board' (1): node index (out of range)");  // an index past the names prints alone
  CHECK(describe_network_error<std::string>(error{errc::not_finite, "ambient temperature"}, names) ==
        "ambient temperature (not finite)");
  CHECK(describe_network_error<std::string>(error{errc::disconnected, "no path to ambient"}, names) == "no path to ambient");
}
