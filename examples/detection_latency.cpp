// Detection latency of a thermal zone: polling vs interrupt, analytic vs simulated.
//
// For polling periods from 10 ms to 1 s, temperature ramps from 0.02 to 0.5 °C/ms and sensor
// resolutions of 0.1, 0.5 and 1 °C, prints the mean and worst latency and the overshoot past the
// trip at detection — the analytic figures (mean ≈ p/2 + q/2r, worst ≈ p + q/r, overshoot =
// ramp × latency) next to those measured by the simulation over 16 poll phases × 4 sensor-grid
// phases — and the same for an interrupt-driven zone (100 µs IRQ latency). Optionally plots
// latency and overshoot against the polling period.
//
//   detection_latency [--plot FILE.svg] [--csv FILE.csv]
//
// See docs/explanation/simulation.md ("Detection latency").
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/analysis/detection_latency.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/svg_plot.hpp"

namespace {

using namespace std::chrono_literals;
using thermo::analysis::detection_mode;
using thermo::analysis::latency_case;

constexpr std::string_view usage_text =
    "usage: detection_latency [--plot FILE.svg] [--csv FILE.csv]\n"
    "Detection latency of a thermal zone, polling vs interrupt, analytic vs simulated.\n"
    "  --plot FILE.svg  latency and overshoot against the polling period (default: none)\n"
    "  --csv FILE.csv   the table as CSV (default: none)\n";

int usage(std::string_view arg) {
  return example_cli::bad_usage("detection_latency",
                                example_cli::missing_value(arg, {"--plot", "--csv"}), usage_text);
}

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string plot_path;
  std::string csv_path;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--plot" && i + 1 < args.size()) {
      plot_path = std::string(args[++i]);
    } else if (args[i] == "--csv" && i + 1 < args.size()) {
      csv_path = std::string(args[++i]);
    } else {
      return usage(args[i]);
    }
  }

  // [table]
  constexpr std::array<thermo::sim_duration, 5> periods{10ms, 50ms, 100ms, 250ms, 1000ms};
  constexpr std::array<double, 3> ramps{20.0, 100.0, 500.0};  // °C/s = 0.02, 0.1, 0.5 °C/ms
  constexpr std::array<std::int32_t, 3> resolutions{100, 500, 1000};  // m°C
  std::printf("%-9s %8s %6s | %-21s | %-21s | %-25s\n", "mode", "period", "q", "mean latency (ms)", "worst latency (ms)",
              "overshoot mean/worst (°C)");
  std::printf("%-9s %8s %6s | %10s %10s | %10s %10s | %12s %12s\n", "", "(ms)", "(°C)", "analytic", "simulated",
              "analytic", "simulated", "analytic", "simulated");
  // [table]
  std::vector<std::array<double, 8>> rows;  // mode, period, ramp, q, a mean, s mean, a over, s over
  for (const double ramp : ramps) {
    std::printf("ramp %.2f °C/ms\n", ramp / 1000.0);
    for (const std::int32_t q : resolutions) {
      for (const auto p : periods) {
        // [case]
        latency_case c;
        c.mode = detection_mode::polling;
        c.period = p;
        c.ramp_c_per_s = ramp;
        c.resolution = thermo::millikelvin_delta(q);
        const auto a = thermo::analysis::analytic_latency(c);
        const auto s = thermo::analysis::simulate_latency(c, 16, 4);
        // [case]
        if (!a || !s) {
          std::fprintf(stderr, "detection_latency: %s\n", a ? s.error().what : a.error().what);
          return 2;
        }
        std::printf("%-9s %8.0f %6.1f | %10.2f %10.2f | %10.2f %10.2f | %5.2f/%-6.2f %5.2f/%-6.2f\n", "polling",
                    std::chrono::duration<double, std::milli>(p).count(), q / 1000.0, a->mean_s * 1e3, s->mean_s * 1e3,
                    a->worst_s * 1e3, s->worst_s * 1e3, a->overshoot_mean_c, a->overshoot_worst_c, s->overshoot_mean_c,
                    s->overshoot_worst_c);
        rows.push_back({0.0, std::chrono::duration<double>(p).count(), ramp, q / 1000.0, a->mean_s, s->mean_s,
                        a->overshoot_mean_c, s->overshoot_mean_c});
      }
      latency_case c;
      c.mode = detection_mode::interrupt;
      c.irq_latency = 100us;
      c.ramp_c_per_s = ramp;
      c.resolution = thermo::millikelvin_delta(q);
      const auto a = thermo::analysis::analytic_latency(c);
      const auto s = thermo::analysis::simulate_latency(c, 1, 16);
      if (!a || !s) {
        return 2;
      }
      std::printf("%-9s %8s %6.1f | %10.3f %10.3f | %10.3f %10.3f | %5.3f/%-6.3f %5.3f/%-6.3f\n", "interrupt", "-",
                  q / 1000.0, a->mean_s * 1e3, s->mean_s * 1e3, a->worst_s * 1e3, s->worst_s * 1e3, a->overshoot_mean_c,
                  a->overshoot_worst_c, s->overshoot_mean_c, s->overshoot_worst_c);
      rows.push_back({1.0, 0.0, ramp, q / 1000.0, a->mean_s, s->mean_s, a->overshoot_mean_c, s->overshoot_mean_c});
    }
  }

  if (!csv_path.empty()) {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    thermo::io::csv_writer w(f);
    w.row({"mode", "period_s", "ramp_C_per_s", "resolution_C", "analytic_mean_s", "simulated_mean_s",
           "analytic_overshoot_mean_C", "simulated_overshoot_mean_C"});
    for (const auto& r : rows) {
      w.cell(r[0] == 0.0 ? "polling" : "interrupt");
      for (std::size_t k = 1; k < r.size(); ++k) {
        w.cell(r[k]);
      }
      w.end_row();
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "detection_latency: %s\n", e.c_str());
      return 2;
    }
  }

  if (!plot_path.empty()) {
    // Latency and overshoot against the polling period (1 °C sensor), per ramp; dots are the
    // simulation, lines the analysis; the interrupt-driven zone as a dashed reference.
    thermo::io::svg_figure fig("Detection latency: polling vs interrupt (1 °C sensor, 100 µs IRQ latency)");
    auto& lat = fig.add_panel("polling period (s)", "mean latency (ms)");
    auto& over = fig.add_panel("polling period (s)", "mean overshoot at detection (°C)");
    lat.log_x();
    over.log_x();
    for (const double ramp : ramps) {
      std::vector<double> x;
      std::vector<double> la;
      std::vector<double> ls;
      std::vector<double> oa;
      std::vector<double> os;
      double irq_over = 0.0;
      double irq_lat = 0.0;
      for (const auto& r : rows) {
        if (r[2] != ramp || r[3] != 1.0) {
          continue;
        }
        if (r[0] == 1.0) {
          irq_lat = r[5] * 1e3;
          irq_over = r[7];
          continue;
        }
        x.push_back(r[1]);
        la.push_back(r[4] * 1e3);
        ls.push_back(r[5] * 1e3);
        oa.push_back(r[6]);
        os.push_back(r[7]);
      }
      std::array<char, 32> buf{};
      std::snprintf(buf.data(), buf.size(), "%.2f °C/ms", ramp / 1000.0);
      const std::string name(buf.data());
      lat.add({.name = "analytic, " + name, .x = x, .y = la});
      lat.add({.name = "simulated, " + name, .x = x, .y = ls, .markers = true});
      lat.add({.name = "interrupt, " + name, .x = {x.front(), x.back()}, .y = {irq_lat, irq_lat}, .dashed = true});
      over.add({.name = "analytic, " + name, .x = x, .y = oa});
      over.add({.name = "simulated, " + name, .x = x, .y = os, .markers = true});
      over.add({.name = "interrupt, " + name, .x = {x.front(), x.back()}, .y = {irq_over, irq_over}, .dashed = true});
    }
    if (fig.save(plot_path) != thermo::errc::ok) {
      std::fprintf(stderr, "detection_latency: cannot write %s\n", plot_path.c_str());
      return 2;
    }
  }
  return 0;
}
