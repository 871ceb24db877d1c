// model/crossing.hpp and rc_network::expand (the simulation's crossing screens): a probe's value
// as steady + Σ a_k e^{−λ_k τ} matches `predict`, its totals bound it, the cheap ends bound the
// exact ones, and the screens never reject a crossing the search finds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "thermo/model/crossing.hpp"
#include "thermo/model/rc_network.hpp"

namespace {

struct three_nodes {
  thermo::rc_network<double, 4> net;
  std::array<thermo::weighted_node<double>, 2> terms{{{0, 0.6}, {1, 0.4}}};
  thermo::rc_probe<double, 4> probe;
  three_nodes() {
    thermo::rc_network_builder<double, 4> b;
    REQUIRE(b.add_node(0.05));
    REQUIRE(b.add_node(0.5));
    REQUIRE(b.add_node(20.0, 0.2));
    REQUIRE(b.connect(0, 1, 1.0).ok());
    REQUIRE(b.connect(1, 2, 0.5).ok());
    REQUIRE(b.connect(0, 2, 0.1).ok());
    REQUIRE(net.init(b).ok());
    const std::array<double, 3> t0{70.0, 40.0, 30.0};
    REQUIRE(net.set_temperatures(t0).ok());
    const std::array<double, 3> p{3.0, 0.0, 0.0};
    REQUIRE(net.set_power(p).ok());
    auto pr = net.make_probe(terms);
    REQUIRE(pr);
    probe = *pr;
  }
};

}  // namespace

TEST_CASE("a probe's expansion reproduces predict and its totals bound the future", "[rc_network][crossing]") {
  three_nodes f;
  thermo::probe_expansion<4> ex;
  f.net.expand(f.probe, 10.0, ex);
  REQUIRE(ex.terms == 3);
  double rising = 0.0;
  double falling = 0.0;
  double size = 0.0;
  for (std::size_t k = 0; k < ex.terms; ++k) {
    rising += std::max(ex.a[k], 0.0);
    falling += std::min(ex.a[k], 0.0);
    size += std::fabs(ex.a[k]);
  }
  CHECK(ex.rising == rising);
  CHECK(ex.falling == falling);
  CHECK(ex.size == size);
  CHECK_FALSE(ex.ends_exact);
  for (const double tau : {0.0, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0}) {
    double v = ex.steady;
    for (std::size_t k = 0; k < ex.terms; ++k) {
      v += ex.a[k] * std::exp(-f.net.eigenvalue(k) * tau);
    }
    CHECK(v == Approx(f.net.predict(f.probe, tau)).epsilon(1e-13));
    CHECK(v <= ex.steady + ex.rising + 1e-12);
    CHECK(v >= ex.steady + ex.falling - 1e-12);
  }
  CHECK(ex.steady + ex.a[0] + ex.a[1] + ex.a[2] == Approx(f.net.read(f.probe)).epsilon(1e-14));
}

TEST_CASE("the cheap ends bound the exact ends from below", "[rc_network][crossing]") {
  three_nodes f;
  for (const double horizon : {0.0, 0.001, 0.1, 1.0, 30.0, 1e4}) {
    thermo::probe_expansion<4> ex;
    f.net.expand(f.probe, horizon, ex);
    const double cheap_rising = ex.rising_end;
    const double cheap_falling = ex.falling_end;
    std::array<double, 4> d{};
    f.net.decay_factors(horizon, d);
    for (std::size_t k = 0; k < ex.terms; ++k) {
      CHECK(d[k] == (f.net.eigenvalue(k) * horizon < 700.0 ? std::exp(-f.net.eigenvalue(k) * horizon) : 0.0));
    }
    ex.set_exact_ends(d.data());
    CHECK(ex.ends_exact);
    // d_k ≤ e^{−λ_k H}: the rising modes' end is under-estimated, the falling ones' over-estimated
    CHECK(cheap_rising <= ex.rising_end + 1e-15);
    CHECK(cheap_falling >= ex.falling_end - 1e-15);
    double exact_rising = 0.0;
    for (std::size_t k = 0; k < ex.terms; ++k) {
      exact_rising += ex.a[k] > 0.0 ? ex.a[k] * d[k] : 0.0;
    }
    CHECK(ex.rising_end == exact_rising);
  }
}

TEST_CASE("every rounding allowance is a power-of-two multiple of one formula", "[crossing]") {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  CHECK(thermo::sum_rounding(0, 1.0) == 8.0 * eps);
  CHECK(thermo::sum_rounding(5, 100.0) == 13.0 * eps * 100.0);
  thermo::probe_expansion<4> ex;
  ex.terms = 3;
  ex.steady = -40.0;
  ex.size = 2.5;
  CHECK(ex.rounding(50.0) == thermo::sum_rounding(3, 40.0 + 50.0 + 2.5));
  ex.rising = 1.5;
  ex.falling = -1.0;
  const auto up = ex.reach(-38.0, thermo::crossing_direction::rising);
  CHECK(up.reach == (-40.0 + 38.0) + 1.5);
  CHECK(up.slack == 16.0 * ex.rounding(-38.0));
  CHECK_FALSE(thermo::probe_expansion<4>::ever(up));  // −0.5 below: never reached
  const auto down = ex.reach(-40.5, thermo::crossing_direction::falling);
  CHECK(down.reach == (-40.5 + 40.0) + 1.0);
  CHECK(thermo::probe_expansion<4>::ever(down));
  ex.rising_end = 0.0;
  ex.falling_end = 0.0;
  CHECK(ex.within(down, thermo::crossing_direction::falling));
  ex.rising_end = 0.6;  // the opposing (rising) modes still hold it 0.1 above at the horizon
  CHECK_FALSE(ex.within(down, thermo::crossing_direction::falling));
  ex.rising_end = 0.4;
  CHECK(ex.within(down, thermo::crossing_direction::falling));
}

TEST_CASE("the screens never reject a level the search reaches", "[rc_network][crossing]") {
  three_nodes f;
  thermo::probe_expansion<4> ex;
  for (const double horizon : {0.05, 1.0, 60.0}) {
    f.net.expand(f.probe, horizon, ex);
    std::array<double, 4> d{};
    f.net.decay_factors(horizon, d);
    for (double level = 20.0; level <= 80.0; level += 0.25) {
      for (const auto dir : {thermo::crossing_direction::rising, thermo::crossing_direction::falling}) {
        const auto c = f.net.first_crossing(f.probe, level, dir, horizon);
        REQUIRE(c);
        if (!c->found) {
          continue;
        }
        f.net.expand(f.probe, horizon, ex);
        const auto r = ex.reach(level, dir);
        CHECK(thermo::probe_expansion<4>::ever(r));
        CHECK(ex.within(r, dir));
        ex.set_exact_ends(d.data());
        CHECK(ex.within(r, dir));
      }
    }
  }
}
