// A phone-like SoC in four thermal nodes — big-core cluster, LITTLE cluster, package, board —
// heated by a step of 6 W (big) + 1.5 W (LITTLE) from ambient. Prints the network's time
// constants, its steady state, the exact step response (checked against RK4 at 1 ms), the exact
// instant the big cluster crosses a 60 °C trip, and writes an SVG plot.
//
//   die_package_board [--plot FILE.svg] [--trip CELSIUS]
//
// The program of the tutorial docs/tutorials/getting-started.md.

// [includes]
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "thermo/io/svg_plot.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/rc_network.hpp"
// [includes]

#include "example_cli.hpp"  // --help and usage errors, shared by the examples

namespace {

int fail(const char* what, const thermo::error& e) {
  std::fprintf(stderr, "die_package_board: %s: %s (%s", what, e.what, std::string(thermo::to_string(e.code)).c_str());
  if (e.index != thermo::error::no_index) {
    std::fprintf(stderr, ", node %d", e.index);
  }
  std::fprintf(stderr, ")\n");
  return 2;
}

constexpr std::string_view usage_text =
    "usage: die_package_board [--plot FILE.svg] [--trip CELSIUS]\n"
    "A die-package-board network heated by a power step: time constants, steady state, step\n"
    "response and the exact instant the big cluster crosses the trip.\n"
    "  --plot FILE.svg  the step response (default: none)\n"
    "  --trip CELSIUS   the trip temperature (default 60)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string plot_path;
  double trip = 60.0;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--plot" && i + 1 < args.size()) {
      plot_path = std::string(args[++i]);
    } else if (args[i] == "--trip" && i + 1 < args.size()) {
      trip = std::strtod(std::string(args[++i]).c_str(), nullptr);
      if (!std::isfinite(trip)) {
        return example_cli::bad_usage("die_package_board",
                                      "--trip needs a finite temperature in °C", usage_text);
      }
    } else {
      return example_cli::bad_usage("die_package_board",
                                    example_cli::missing_value(args[i], {"--plot", "--trip"}),
                                    usage_text);
    }
  }

  // [build-network]
  // Heat capacities in J/K, conductances in W/K. The die is small (tens of mJ/K) and tightly
  // coupled; the package and board are large and loosely coupled to the air.
  thermo::rc_network_builder<double, 4> b;
  const auto big = b.add_node(0.030);                 // 2×A72-class cluster silicon
  const auto little = b.add_node(0.020);              // 4×A53-class cluster silicon
  const auto package = b.add_node(2.0, 0.05);         // package, some direct convection
  const auto board = b.add_node(25.0, 0.25);          // PCB + chassis to ambient
  if (!big || !little || !package || !board) {
    return fail("adding nodes", big ? (little ? (package ? board.error() : package.error()) : little.error()) : big.error());
  }
  for (const auto& [a, c, g] : {std::tuple{*big, *little, 0.5}, std::tuple{*big, *package, 1.0},
                                std::tuple{*little, *package, 0.8}, std::tuple{*package, *board, 0.6}}) {
    if (const auto e = b.connect(a, c, g); !e.ok()) {
      return fail("connecting nodes", e);
    }
  }
  static thermo::rc_network<double, 4> net;  // ~1 KiB of matrices; static keeps it off the stack
  if (const auto e = net.init(b); !e.ok()) {
    return fail("building the network", e);
  }
  if (const auto e = net.set_ambient(25.0); !e.ok()) {
    return fail("ambient", e);
  }
  // [build-network]

  const char* names[] = {"big", "LITTLE", "package", "board"};
  std::printf("die-package-board network: %zu nodes, ambient %.1f °C\n", net.size(), net.ambient());
  std::printf("time constants:");
  for (std::size_t k = net.size(); k-- > 0;) {
    std::printf(" %.4g s", net.time_constant(k));
  }
  std::printf("\n");

  // [step]
  const std::vector<double> power{6.0, 1.5, 0.0, 0.0};  // W, a sustained heavy load
  if (const auto e = net.set_power(power); !e.ok()) {
    return fail("power", e);
  }
  std::vector<double> steady(net.size());
  net.steady_state(steady);
  // [step]
  std::printf("steady state at %.1f W:", power[0] + power[1]);
  for (std::size_t i = 0; i < net.size(); ++i) {
    std::printf(" %s %.2f °C%s", names[i], steady[i], i + 1 < net.size() ? "," : "\n");
  }

  // [crossing]
  const auto probe = net.make_probe(*big);
  const auto hit = net.first_crossing(*probe, trip, thermo::crossing_direction::rising, 3600.0);
  // [crossing]
  if (!hit) {
    return fail("first crossing", hit.error());
  }
  if (hit->found) {
    std::printf("big cluster reaches the %.1f °C trip after %.6f s (exact, ±1 µs)\n", trip, hit->time);
  } else {
    std::printf("big cluster never reaches the %.1f °C trip within an hour\n", trip);
  }

  // Step response: exact solver on a log-spaced grid, RK4 at 1 ms alongside as a check.
  std::vector<double> rk(net.size(), 25.0);
  std::vector<double> times, t_big, t_little, t_pkg, t_board;
  double now = 0.0;
  double max_diff = 0.0;
  std::printf("\nstep response (°C)\n%10s %9s %9s %9s %9s\n", "t (s)", names[0], names[1], names[2], names[3]);
  const std::vector<double> report{0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000};
  std::size_t next_report = 0;
  std::vector<double> grid(report);  // the reported instants, plus a log grid 1 ms … 10^4 s
  for (int i = 0; i <= 400; ++i) {
    grid.push_back(1e-3 * std::pow(10.0, 7.0 * i / 400.0));
  }
  std::sort(grid.begin(), grid.end());
  for (const double t_next : grid) {
    const double dt = t_next - now;
    net.step(dt);  // exact, whatever dt is
    if (t_next <= 30.0) {
      if (const auto r = thermo::rk4_advance(net, std::span<double>(rk), std::span<const double>(power), dt, 1e-3); !r) {
        return fail("rk4", r.error());
      }
      for (std::size_t n = 0; n < net.size(); ++n) {
        max_diff = std::max(max_diff, std::abs(rk[n] - net.temperature(n)));
      }
    }
    now = t_next;
    times.push_back(now);
    t_big.push_back(net.temperature(0));
    t_little.push_back(net.temperature(1));
    t_pkg.push_back(net.temperature(2));
    t_board.push_back(net.temperature(3));
    if (next_report < report.size() && report[next_report] == now) {
      std::printf("%10.3f %9.2f %9.2f %9.2f %9.2f\n", now, t_big.back(), t_little.back(), t_pkg.back(), t_board.back());
      ++next_report;
    }
  }
  std::printf("\nexact vs RK4 (1 ms) over the first 30 s: max |diff| = %.3g K\n", max_diff);
  std::printf("after %.0f s the big cluster is %.3f K from its steady state\n", now, std::abs(net.temperature(0) - steady[0]));

  if (!plot_path.empty()) {
    thermo::io::svg_figure fig("Die–package–board step response: 6 W big + 1.5 W LITTLE from 25 °C");
    auto& p = fig.add_panel("time (s, log scale)", "temperature (°C)");
    p.log_x();
    p.add({.name = "big cluster", .x = times, .y = t_big});
    p.add({.name = "LITTLE cluster", .x = times, .y = t_little});
    p.add({.name = "package", .x = times, .y = t_pkg});
    p.add({.name = "board", .x = times, .y = t_board});
    p.add_hline("trip " + std::to_string(static_cast<int>(trip)) + " °C", trip);
    if (fig.save(plot_path) != thermo::errc::ok) {
      std::fprintf(stderr, "die_package_board: cannot write %s\n", plot_path.c_str());
      return 2;
    }
    std::printf("plot written to %s\n", plot_path.c_str());
  }
  return 0;
}
