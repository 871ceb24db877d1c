// rc_network::first_crossing against closed forms and a fine scan + bisection.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>

#include "ev6_fixture.hpp"
#include "thermo/model/rc_network.hpp"

using namespace thermo;

namespace {

using net8 = rc_network<double, 8>;

// Reference: the value after `tau` computed by an independent path (a copy of the network
// stepped by tau with the exact solver's own step, not with predict()).
template <class Net>
double value_after(const Net& net, const typename Net::probe_type& probe, double tau) {
  auto copy = std::make_unique<Net>(net);
  copy->step(tau);
  return copy->read(probe);
}

// First crossing by a uniform scan of `samples` points, then bisection to 1e-13 s.
template <class Net>
std::optional<double> scan_crossing(const Net& net, const typename Net::probe_type& probe, double thr,
                                    crossing_direction dir, double horizon, int samples) {
  const auto reached = [&](double tau) {
    const double v = value_after(net, probe, tau);
    return dir == crossing_direction::rising ? v >= thr : v <= thr;
  };
  if (reached(0.0)) {
    return 0.0;
  }
  double prev = 0.0;
  for (int k = 1; k <= samples; ++k) {
    const double t = horizon * k / samples;
    if (reached(t)) {
      double lo = prev;
      double hi = t;
      while (hi - lo > 1e-13) {
        const double mid = 0.5 * (lo + hi);
        (reached(mid) ? hi : lo) = mid;
      }
      return hi;
    }
    prev = t;
  }
  return std::nullopt;
}

net8 one_node_heating() {
  rc_network_builder<double, 8> b;
  REQUIRE(b.add_node(0.5, 0.2));  // τ = 2.5 s
  REQUIRE(b.set_ambient(25.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  REQUIRE(net->set_node_power(0, 3.0).ok());  // steady 40
  return *net;
}

}  // namespace

TEST_CASE("first crossing of one heating node matches -tau ln(1 - dT g / P)", "[rc_network][crossing]") {
  const auto net = one_node_heating();
  // [crossing]
  for (const double thr : {25.001, 26.0, 30.0, 39.0, 39.999}) {
    const auto c = net.first_crossing(0, thr, crossing_direction::rising, 1000.0);
    REQUIRE(c);
    REQUIRE(c->found);
    const double exact = -2.5 * std::log1p(-(thr - 25.0) * 0.2 / 3.0);
    INFO("threshold " << thr << ": " << c->time << " vs " << exact);
    CHECK(std::fabs(c->time - exact) <= 1e-6);  // the requirement
    CHECK(std::fabs(c->time - exact) <= 1e-7);  // the default time_tolerance
    // At the reported time the threshold is reached (to the documented rounding allowance; near
    // the steady state the slope is tiny, so that allowance is worth a few ns here).
    CHECK(value_after(net, *net.make_probe(0), c->time) >= thr - 1e-11);
  }
  // [crossing]
  // Not reached within the horizon, or never.
  const auto late = net.first_crossing(0, 39.0, crossing_direction::rising, 1.0);
  REQUIRE(late);
  CHECK_FALSE(late->found);
  const auto unreached = net.first_crossing(0, 40.5, crossing_direction::rising, 1e6);
  REQUIRE(unreached);
  CHECK_FALSE(unreached->found);
  // Already reached: time 0 (rising above a lower threshold, falling below a higher one).
  const auto now = net.first_crossing(0, 20.0, crossing_direction::rising, 1.0);
  REQUIRE(now);
  CHECK(now->found);
  CHECK(now->time == 0.0);
  const auto now2 = net.first_crossing(0, 30.0, crossing_direction::falling, 1.0);
  REQUIRE(now2);
  CHECK(now2->found);
  CHECK(now2->time == 0.0);
  // A zero horizon only looks at now.
  const auto zero = net.first_crossing(0, 26.0, crossing_direction::rising, 0.0);
  REQUIRE(zero);
  CHECK_FALSE(zero->found);
}

TEST_CASE("first crossing of a cooling node (falling) matches the closed form", "[rc_network][crossing]") {
  auto net = one_node_heating();
  const std::array<double, 1> hot{90.0};
  REQUIRE(net.set_temperatures(hot).ok());
  REQUIRE(net.set_node_power(0, 0.0).ok());
  for (const double thr : {89.99, 60.0, 25.5}) {
    const auto c = net.first_crossing(0, thr, crossing_direction::falling, 100.0);
    REQUIRE(c);
    REQUIRE(c->found);
    const double exact = 2.5 * std::log(65.0 / (thr - 25.0));
    CHECK(std::fabs(c->time - exact) <= 1e-7);
  }
}

TEST_CASE("a crossing that goes above and comes back within the interval is found", "[rc_network][crossing]") {
  // Node 0 starts hot, node 1 at ambient, no power: node 1 warms, peaks, and cools again.
  rc_network_builder<double, 8> b;
  REQUIRE(b.add_node(0.2, 0.01));
  REQUIRE(b.add_node(0.1, 0.5));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.set_ambient(25.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  const std::array<double, 2> start{100.0, 25.0};
  REQUIRE(net->set_temperatures(start).ok());
  const auto probe = net->make_probe(1);
  REQUIRE(probe);
  // Locate the peak of node 1 by golden-section on the independent path.
  double lo = 0.0;
  double hi = 5.0;
  for (int k = 0; k < 200; ++k) {
    const double m1 = lo + (hi - lo) * 0.381966;
    const double m2 = lo + (hi - lo) * 0.618034;
    if (value_after(*net, *probe, m1) < value_after(*net, *probe, m2)) {
      lo = m1;
    } else {
      hi = m2;
    }
  }
  const double t_peak = 0.5 * (lo + hi);
  const double peak = value_after(*net, *probe, t_peak);
  INFO("peak " << peak << " at " << t_peak << " s");
  REQUIRE(peak > 40.0);
  const double horizon = 20.0;
  REQUIRE(value_after(*net, *probe, horizon) < peak - 10.0);  // both ends well below the peak

  for (const double depth : {1.0, 1e-3, 1e-6}) {
    const double thr = peak - depth;
    const auto c = net->first_crossing(*probe, thr, crossing_direction::rising, horizon);
    REQUIRE(c);
    INFO("threshold peak - " << depth);
    REQUIRE(c->found);
    const auto ref = scan_crossing(*net, *probe, thr, crossing_direction::rising, t_peak + 1e-9, 1);
    REQUIRE(ref);
    CHECK(std::fabs(c->time - *ref) <= 1e-7);
    CHECK(value_after(*net, *probe, c->time) >= thr - 1e-10);
  }
  // A very shallow excursion (1e-9 K above the threshold for ~20 µs) in a 1000 s horizon.
  {
    const auto c = net->first_crossing(*probe, peak - 1e-9, crossing_direction::rising, 1000.0);
    REQUIRE(c);
    REQUIRE(c->found);
    CHECK(std::fabs(c->time - t_peak) < 1e-3);
    CHECK(value_after(*net, *probe, c->time) >= peak - 1e-9 - 1e-11);
    INFO("evaluations " << c->evaluations);
    CHECK(c->evaluations < 400);
  }
  // Just above the peak: no crossing, and the search says so (it does not report a touch).
  const auto above = net->first_crossing(*probe, peak + 1e-6, crossing_direction::rising, horizon);
  REQUIRE(above);
  CHECK_FALSE(above->found);
  INFO("evaluations to rule out a near miss: " << above->evaluations);
  CHECK(above->evaluations < 400);
  // The same excursion seen as a falling crossing of its way down.
  const double thr = peak - 5.0;
  const auto up = net->first_crossing(*probe, thr, crossing_direction::rising, horizon);
  REQUIRE(up);
  REQUIRE(up->found);
  auto later = std::make_unique<net8>(*net);
  later->step(up->time + 1e-3);
  const auto down = later->first_crossing(*probe, thr, crossing_direction::falling, horizon);
  REQUIRE(down);
  REQUIRE(down->found);
  CHECK(down->time + up->time + 1e-3 > t_peak);
  CHECK(std::fabs(value_after(*later, *probe, down->time) - thr) <= 1e-6);
}

TEST_CASE("first crossings on random networks agree with a fine scan and bisection", "[rc_network][crossing]") {
  // Deterministic pseudo-random cases (a small LCG, not a test of randomness).
  std::uint64_t state = 12345;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  int found = 0;
  for (int trial = 0; trial < 40; ++trial) {
    rc_network_builder<double, 8> b;
    const std::size_t n = 3 + static_cast<std::size_t>(uniform() * 4.0);
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(b.add_node(std::pow(10.0, -3.0 + 4.0 * uniform()), i + 1 == n ? 0.2 : 0.0));
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
      REQUIRE(b.connect(i, i + 1, 0.1 + uniform()).ok());
    }
    REQUIRE(b.connect(0, n - 1, 0.05).ok());
    auto net = net8::create(b);
    REQUIRE(net);
    std::array<double, 8> t{};
    std::array<double, 8> p{};
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = 25.0 + 40.0 * uniform();
      p[i] = uniform() < 0.5 ? 0.0 : 5.0 * uniform();
    }
    REQUIRE(net->set_temperatures(std::span<const double>(t.data(), n)).ok());
    REQUIRE(net->set_power(std::span<const double>(p.data(), n)).ok());
    const std::array<weighted_node<double>, 2> terms{{{0, 0.6}, {n / 2, 0.4}}};
    const auto probe = net->make_probe(terms);
    REQUIRE(probe);
    const double now = net->read(*probe);
    const auto dir = uniform() < 0.5 ? crossing_direction::rising : crossing_direction::falling;
    const double thr = now + (dir == crossing_direction::rising ? 1.0 : -1.0) * (0.1 + 5.0 * uniform());
    const double horizon = 0.5 + 20.0 * uniform();
    const auto c = net->first_crossing(*probe, thr, dir, horizon);
    REQUIRE(c);
    const auto ref = scan_crossing(*net, *probe, thr, dir, horizon, 4000);
    INFO("trial " << trial << " n " << n << " thr " << thr << " horizon " << horizon);
    REQUIRE(c->found == ref.has_value());
    if (c->found) {
      ++found;
      CHECK(std::fabs(c->time - *ref) <= 1e-7);
    }
  }
  CHECK(found >= 10);  // the cases exercise both outcomes
}

TEST_CASE("first crossing on the EV6 network after a power step matches a fine bisection",
          "[rc_network][crossing][hotspot]") {
  auto d = test::load_ev6();
  auto& net = *d.net;
  std::vector<double> t0(test::ev6_nodes);
  for (std::size_t k = 0; k < test::ev6_nodes; ++k) {
    t0[*d.desc.find(d.steady.names[k])] = d.steady.temperatures[k];
  }
  REQUIRE(net.set_temperatures(t0).ok());
  std::vector<double> p(test::ev6_nodes, 0.0);
  const auto row = d.ptrace.row(0);
  for (std::size_t j = 0; j < test::ev6_blocks; ++j) {
    p[j] = 3.0 * row[j];  // a hard power step: the blocks heat by tens of kelvin within a second
  }
  REQUIRE(net.set_power(p).ok());
  const std::size_t intreg = 23;  // IntReg_0, the hottest block
  REQUIRE(d.desc.names[intreg] == "IntReg_0");
  const auto probe = net.make_probe(intreg);
  REQUIRE(probe);
  const double now = net.read(*probe);
  for (const double rise : {0.01, 1.0, 10.0}) {
    const auto c = net.first_crossing(*probe, now + rise, crossing_direction::rising, 0.5);
    REQUIRE(c);
    REQUIRE(c->found);
    const auto ref = scan_crossing(net, *probe, now + rise, crossing_direction::rising, c->time * 1.5 + 1e-4, 300);
    REQUIRE(ref);
    INFO("rise " << rise << " K: " << c->time << " s vs " << *ref << " s");
    CHECK(std::fabs(c->time - *ref) <= 1e-7);
  }
}

TEST_CASE("first crossing rejects bad arguments", "[rc_network][crossing][validation]") {
  const auto net = one_node_heating();
  const double nan_v = std::numeric_limits<double>::quiet_NaN();
  const auto e1 = net.first_crossing(0, nan_v, crossing_direction::rising, 1.0);
  REQUIRE_FALSE(e1);
  CHECK(e1.error().code == errc::not_finite);
  CHECK(std::string_view(e1.error().what) == "threshold");
  const auto e2 = net.first_crossing(0, 30.0, crossing_direction::rising, -1.0);
  REQUIRE_FALSE(e2);
  CHECK(std::string_view(e2.error().what) == "horizon");
  const auto e3 = net.first_crossing(0, 30.0, crossing_direction::rising, std::numeric_limits<double>::infinity());
  REQUIRE_FALSE(e3);
  CHECK(std::string_view(e3.error().what) == "horizon");
  const auto e4 = net.first_crossing(0, 30.0, crossing_direction::rising, 1.0, {0.0, 1e-10, 100});
  REQUIRE_FALSE(e4);
  CHECK(std::string_view(e4.error().what) == "time tolerance");
  const auto e5 = net.first_crossing(0, 30.0, crossing_direction::rising, 1.0, {1e-7, 1e-3, 100});
  REQUIRE_FALSE(e5);
  CHECK(std::string_view(e5.error().what) == "min excursion");
  const auto e6 = net.first_crossing(3, 30.0, crossing_direction::rising, 1.0);
  REQUIRE_FALSE(e6);
  CHECK(e6.error().code == errc::out_of_range);
  CHECK(e6.error().index == 3);
  const auto e7 = net.first_crossing(0, 30.0, crossing_direction::rising, 10.0, {1e-7, 1e-10, 3});
  REQUIRE_FALSE(e7);
  CHECK(e7.error().code == errc::numerical_failure);
}

TEST_CASE("thresholds just below an interior maximum are never missed and just above, never reported",
          "[rc_network][crossing]") {
  std::uint64_t state = 99;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  std::uint32_t max_evaluations = 0;
  int cases = 0;
  for (int trial = 0; trial < 150; ++trial) {
    rc_network_builder<double, 8> b;
    const std::size_t n = 2 + static_cast<std::size_t>(uniform() * 6.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double c = std::pow(10.0, -5.0 + 6.0 * uniform());  // one draw per statement:
      const double g = uniform() < 0.3 ? uniform() : 0.0;       // argument order is unspecified
      REQUIRE(b.add_node(c, g));
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
      REQUIRE(b.connect(i, i + 1, 0.01 + uniform()).ok());
    }
    REQUIRE(b.connect_ambient(n - 1, 0.1).ok());
    auto net = net8::create(b);
    REQUIRE(net);
    std::array<double, 8> t{};
    std::array<double, 8> p{};
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = 25.0 + 60.0 * uniform();
      p[i] = uniform() < 0.5 ? 0.0 : 3.0 * uniform();
    }
    REQUIRE(net->set_temperatures(std::span<const double>(t.data(), n)).ok());
    REQUIRE(net->set_power(std::span<const double>(p.data(), n)).ok());
    const auto probe = net->make_probe(static_cast<std::size_t>(uniform() * static_cast<double>(n)));
    REQUIRE(probe);
    const double horizon = std::pow(10.0, -3.0 + 5.0 * uniform());
    // The maximum over the horizon: a dense log + linear grid, refined by golden section
    // around the best grid point (the reference).
    std::array<double, 2001> grid{};
    std::size_t best = 0;
    double vmax = -1e300;
    for (std::size_t k = 0; k < grid.size(); ++k) {
      const double x = static_cast<double>(k);
      grid[k] = k < 1000 ? horizon * std::pow(1e-9, 1.0 - x / 1000.0) : horizon * (x - 1000.0) / 1000.0;
      if (k == 1000) {
        grid[k] = horizon * 1e-9;
      }
    }
    std::sort(grid.begin(), grid.end());
    for (std::size_t k = 0; k < grid.size(); ++k) {
      const double v = net->predict(*probe, grid[k]);
      if (v > vmax) {
        vmax = v;
        best = k;
      }
    }
    double a = grid[best == 0 ? 0 : best - 1];
    double z = grid[best + 1 == grid.size() ? best : best + 1];
    for (int it = 0; it < 120; ++it) {
      const double m1 = a + (z - a) * 0.381966;
      const double m2 = a + (z - a) * 0.618034;
      if (net->predict(*probe, m1) < net->predict(*probe, m2)) {
        a = m1;
      } else {
        z = m2;
      }
    }
    vmax = std::max(vmax, net->predict(*probe, 0.5 * (a + z)));
    const double now = net->read(*probe);
    if (vmax - now < 1e-6) {
      continue;  // monotone falling: no interior maximum to probe
    }
    for (const double depth : {1e-3, 1e-6, 1e-9, -1e-9, -1e-6}) {
      const double thr = vmax - depth * std::max(1.0, vmax - now);
      if (thr <= now) {
        continue;  // already reached: covered elsewhere
      }
      const auto c = net->first_crossing(*probe, thr, crossing_direction::rising, horizon);
      REQUIRE(c);
      ++cases;
      max_evaluations = std::max(max_evaluations, c->evaluations);
      INFO("trial " << trial << " depth " << depth << " horizon " << horizon);
      if (depth > 0.0) {
        REQUIRE(c->found);
        CHECK(net->predict(*probe, c->time) >= thr - 1e-10);
        const double before = std::max(0.0, c->time - 1e-7);
        for (int k = 1; k < 200; ++k) {  // nothing earlier reaches it
          CHECK(net->predict(*probe, before * k / 200.0) < thr + 1e-12);
        }
      } else {
        CHECK_FALSE(c->found);
      }
    }
  }
  INFO("max evaluations " << max_evaluations);
  CHECK(cases > 200);
  CHECK(max_evaluations < 100);
}
