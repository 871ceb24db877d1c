/// @file run_plot.hpp
/// An SVG figure of a recorded run, readable at a glance: three panels sharing the time axis —
/// temperatures (the sensed temperature of every sensor and, optionally, every node) with the
/// zones' trip temperatures as labelled reference lines; each domain's frequency (steps); each
/// domain's power (steps). Axes carry units, every series is in a legend. Host-only (uses
/// io/svg_plot.hpp); build it after the run from its `sim::recorder`.
///
///     thermo::io::run_plot_options o;
///     o.title = "RK3399, power allocator";
///     auto fig = thermo::io::plot_run(rec, thermo::io::trip_lines(sim), o);
///     if (fig.save("run.svg") != thermo::errc::ok) { … }
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "thermo/control/types.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/sim/recorder.hpp"

namespace thermo::io {

/// A trip temperature to draw.
struct trip_line {
  std::string label;   ///< e.g. "cpu-thermal trip 1 (passive)"
  double celsius{0.0};
};

/// What `plot_run` draws.
struct run_plot_options {
  std::string title{"Simulation run"};
  bool node_temperatures{false};   ///< also draw every plant node (dashed)
  bool zone_readings{false};       ///< also draw what each zone read (steps)
  int width{960};
  int panel_height{300};
};

/// The trip temperatures of every zone of simulation `sim`, labelled "<zone> <type>" (disabled
/// trips are skipped). Allocates.
template <class Simulation>
[[nodiscard]] std::vector<trip_line> trip_lines(const Simulation& sim) {
  std::vector<trip_line> out;
  for (std::size_t z = 0; z < sim.zone_count(); ++z) {
    const auto& zone = sim.zone(z);
    for (const auto& td : zone.trips()) {
      if (td.trip.temperature == control::temp_invalid) {
        continue;
      }
      static constexpr std::array<const char*, 4> names{"active", "passive", "hot", "critical"};
      const auto type = static_cast<std::size_t>(td.trip.type);
      out.push_back({std::string(zone.type()) + " " + (type < 4 ? names[type] : "trip"),
                     static_cast<double>(td.trip.temperature.count()) / 1000.0});
    }
  }
  return out;
}

/// The figure of a run (see the file comment). Allocates.
[[nodiscard]] inline svg_figure plot_run(const sim::recorder& rec, std::span<const trip_line> trips,
                                             const run_plot_options& o = {}) {
  svg_figure fig(o.title, o.width, o.panel_height);
  const std::vector<double> t = rec.times_s();
  const auto& ch = rec.channels();
  plot_panel& temp = fig.add_panel("time (s)", "temperature (°C)");
  for (std::size_t c = 0; c < ch.size(); ++c) {
    if (ch[c].kind == sim::channel_kind::sensor_temperature) {
      temp.add({.name = ch[c].name + " (sensed)", .x = t, .y = rec.column(c)});
    } else if (o.node_temperatures && ch[c].kind == sim::channel_kind::node_temperature) {
      temp.add({.name = ch[c].name, .x = t, .y = rec.column(c), .dashed = true});
    } else if (o.zone_readings && ch[c].kind == sim::channel_kind::zone_temperature) {
      temp.add({.name = ch[c].name + " (read)", .x = t, .y = rec.column(c), .step = true});
    }
  }
  for (const trip_line& l : trips) {
    temp.add_hline(l.label + " " + format_number(l.celsius, 4) + " °C", l.celsius);
  }
  plot_panel& freq = fig.add_panel("time (s)", "frequency (MHz)");
  plot_panel& power = fig.add_panel("time (s)", "power (W)");
  for (std::size_t c = 0; c < ch.size(); ++c) {
    if (ch[c].kind == sim::channel_kind::frequency) {
      freq.add({.name = ch[c].name, .x = t, .y = rec.column(c), .step = true});
    } else if (ch[c].kind == sim::channel_kind::power) {
      power.add({.name = ch[c].name, .x = t, .y = rec.column(c), .step = true});
    }
  }
  return fig;
}

}  // namespace thermo::io
