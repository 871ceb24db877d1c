// Reference integrators: convergence to the exact solution at their order, stability, errors.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <string_view>

#include "support/heap_guard.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/rc_network.hpp"

using namespace thermo;

namespace {

using net8 = rc_network<double, 8>;
constexpr std::size_t n3 = 3;

// A non-stiff 3-node network (time constants 0.05 … 3 s), heated at node 0.
net8 three_nodes() {
  rc_network_builder<double, 8> b;
  REQUIRE(b.add_node(0.05));
  REQUIRE(b.add_node(0.2));
  REQUIRE(b.add_node(1.0, 0.4));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  REQUIRE(b.connect(1, 2, 0.8).ok());
  REQUIRE(b.set_ambient(25.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  return *net;
}

const std::array<double, n3> power{2.0, 0.5, 0.0};
const std::array<double, n3> start{60.0, 40.0, 30.0};

// Exact temperatures after `duration` from `start`.
std::array<double, n3> exact(const net8& proto, double duration) {
  auto net = std::make_unique<net8>(proto);
  REQUIRE(net->set_temperatures(start).ok());
  REQUIRE(net->set_power(power).ok());
  net->step(duration);
  std::array<double, n3> t{};
  net->temperatures(t);
  return t;
}

double max_error(const std::array<double, n3>& a, const std::array<double, n3>& b) {
  double e = 0.0;
  for (std::size_t i = 0; i < n3; ++i) {
    e = std::max(e, std::fabs(a[i] - b[i]));
  }
  return e;
}

template <class Advance>
double error_at(const net8& net, double h, Advance advance) {
  std::array<double, n3> t = start;
  advance(net, std::span<double>(t), std::span<const double>(power), h);
  return max_error(t, exact(net, 1.0));
}

}  // namespace

TEST_CASE("forward Euler, RK4 and backward Euler converge to the exact solution at orders 1, 4 and 1",
          "[integrators]") {
  const auto net = three_nodes();
  const auto fe = [](const net8& nt, std::span<double> t, std::span<const double> p, double h) {
    REQUIRE(forward_euler_advance(nt, t, p, 1.0, h));
  };
  const auto rk = [](const net8& nt, std::span<double> t, std::span<const double> p, double h) {
    const auto steps = rk4_advance(nt, t, p, 1.0, h);
    REQUIRE(steps);
    CHECK(*steps == static_cast<std::size_t>(std::lround(1.0 / h)));
  };
  const auto be = [](const net8& nt, std::span<double> t, std::span<const double> p, double h) {
    auto solver = std::make_unique<backward_euler<double, 8>>();
    REQUIRE(solver->init(nt, h).ok());
    CHECK(solver->step_size() == h);
    for (long k = 0; k < std::lround(1.0 / h); ++k) {
      solver->step(nt, t, p);
    }
  };
  const double e_fe1 = error_at(net, 1e-3, fe);
  const double e_fe2 = error_at(net, 5e-4, fe);
  const double e_rk1 = error_at(net, 2e-2, rk);
  const double e_rk2 = error_at(net, 1e-2, rk);
  const double e_be1 = error_at(net, 1e-3, be);
  const double e_be2 = error_at(net, 5e-4, be);
  INFO("Euler " << e_fe1 << " -> " << e_fe2 << "; RK4 " << e_rk1 << " -> " << e_rk2 << "; BE " << e_be1 << " -> "
                << e_be2);
  CHECK(e_fe1 / e_fe2 == Approx(2.0).epsilon(0.05));
  CHECK(e_rk1 / e_rk2 == Approx(16.0).epsilon(0.05));
  CHECK(e_be1 / e_be2 == Approx(2.0).epsilon(0.05));
  CHECK(e_rk2 < 1e-6);
  CHECK(e_fe2 < 0.05);
}

TEST_CASE("adaptive RK4 meets its tolerance and keeps its step size between calls", "[integrators]") {
  const auto net = three_nodes();
  for (const double tol : {1e-6, 1e-9}) {
    rk4_adaptive<double, 8> rk({tol, 1e-4, 1e-12, 1'000'000});
    std::array<double, n3> t = start;
    rk4_adaptive_stats total{};
    for (int k = 0; k < 10; ++k) {  // ten 0.1 s rows, like a trace
      const auto s = rk.advance(net, t, power, 0.1);
      REQUIRE(s);
      total.accepted += s->accepted;
      total.rejected += s->rejected;
    }
    const double err = max_error(t, exact(net, 1.0));
    INFO("tol " << tol << ": error " << err << ", " << total.accepted << " steps, " << total.rejected
                << " rejected, next step " << rk.next_step());
    CHECK(err <= tol * static_cast<double>(total.accepted));
    CHECK(total.accepted >= 10U);
    CHECK(rk.next_step() > 1e-4);  // it grew from the initial step
  }
}

TEST_CASE("backward Euler is stable at any step, while explicit methods need small steps on a stiff network",
          "[integrators][stiff]") {
  rc_network_builder<double, 8> b;
  REQUIRE(b.add_node(1e-6));
  REQUIRE(b.add_node(10.0, 0.1));
  REQUIRE(b.connect(0, 1, 1.0).ok());
  auto net = net8::create(b);
  REQUIRE(net);
  const std::array<double, 2> p{2.0, 0.5};
  std::array<double, 2> tss{};
  REQUIRE(net->steady_state(p, tss).ok());
  auto be = std::make_unique<backward_euler<double, 8>>();
  REQUIRE(be->init(*net, 1e6).ok());
  std::array<double, 2> t{25.0, 25.0};
  for (int k = 0; k < 5; ++k) {
    be->step(*net, t, p);
  }
  CHECK(t[0] == Approx(tss[0]).epsilon(1e-9));
  CHECK(t[1] == Approx(tss[1]).epsilon(1e-9));
  // RK4 at a step above 2.785/λ_max diverges; below it, it converges.
  const double lmax = net->eigenvalue(1);
  std::array<double, 2> bad{25.0, 25.0};
  REQUIRE(rk4_advance(*net, std::span<double>(bad), std::span<const double>(p), 50.0 * 3.0 / lmax, 3.0 / lmax));
  CHECK(std::fabs(bad[0]) > 1e3);
  std::array<double, 2> good{25.0, 25.0};
  REQUIRE(rk4_advance(*net, std::span<double>(good), std::span<const double>(p), 1e-3, 2.5 / lmax));
  CHECK(std::isfinite(good[0]));
  CHECK(good[0] < tss[0]);
}

TEST_CASE("integrators reject bad arguments", "[integrators][validation]") {
  const auto net = three_nodes();
  std::array<double, n3> t = start;
  const auto check = [](const auto& r, errc code, std::string_view what) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == code);
    CHECK(std::string_view(r.error().what) == what);
  };
  const double nan_v = std::numeric_limits<double>::quiet_NaN();
  check(forward_euler_advance(net, std::span<double>(t), std::span<const double>(power), -1.0, 0.1),
        errc::invalid_argument, "duration");
  check(rk4_advance(net, std::span<double>(t), std::span<const double>(power), 1.0, 0.0), errc::invalid_argument,
        "step");
  check(rk4_advance(net, std::span<double>(t), std::span<const double>(power), 1.0, nan_v), errc::invalid_argument,
        "step");
  check(rk4_advance(net, std::span<double>(t), std::span<const double>(power), 1e9, 1e-9), errc::out_of_range,
        "step count");
  CHECK(t == start);

  rk4_adaptive<double, 8> no_tol({0.0, 1e-3, 1e-12, 100});
  check(no_tol.advance(net, t, power, 1.0), errc::invalid_argument, "tolerance");
  rk4_adaptive<double, 8> no_init({1e-6, -1.0, 1e-12, 100});
  check(no_init.advance(net, t, power, 1.0), errc::invalid_argument, "initial step");
  rk4_adaptive<double, 8> no_min({1e-6, 1e-3, 0.0, 100});
  check(no_min.advance(net, t, power, 1.0), errc::invalid_argument, "min step");
  rk4_adaptive<double, 8> ok({1e-6, 1e-3, 1e-12, 100});
  check(ok.advance(net, t, power, nan_v), errc::invalid_argument, "duration");
  rk4_adaptive<double, 8> few({1e-12, 1e-3, 1e-12, 5});
  check(few.advance(net, t, power, 10.0), errc::numerical_failure, "max steps");

  backward_euler<double, 8> be;
  CHECK(be.init(net, 0.0).code == errc::invalid_argument);
  CHECK(std::string_view(be.init(net, -1.0).what) == "step");
  const net8 empty;
  const error e = be.init(empty, 0.1);
  CHECK(e.code == errc::empty);
  CHECK(std::string_view(e.what) == "network");
}

TEST_CASE("integrator steps allocate nothing", "[integrators][heap]") {
  const auto net = three_nodes();
  auto be = std::make_unique<backward_euler<double, 8>>();
  rk4_adaptive<double, 8> rk;
  std::array<double, n3> t = start;
  THERMO_REQUIRE_NO_HEAP({
    forward_euler_step(net, std::span<double>(t), std::span<const double>(power), 1e-4);
    rk4_step(net, std::span<double>(t), std::span<const double>(power), 1e-3);
    REQUIRE(rk4_advance(net, std::span<double>(t), std::span<const double>(power), 0.01, 1e-3));
    REQUIRE(rk.advance(net, t, power, 0.01));
    REQUIRE(be->init(net, 1e-3).ok());
    be->step(net, t, power);
  });
  CHECK(std::isfinite(t[0]));
}
