/// @file run_plot.hpp
/// An SVG figure of a recorded run, readable at a glance: three panels sharing the time axis —
/// temperatures (the sensed temperature of every sensor and, optionally, every node) with the
/// zones' trip temperatures as labelled reference lines; each domain's frequency (steps); each
/// domain's power (steps). Axes carry units, every series is in a legend. Host-only (uses
/// io/svg_plot.hpp); build it after the run from its `sim::recorder` (`plot_run`), or as the
/// run goes, in bounded memory, with a `run_plot_builder` attached to the recorder.
///
///     thermo::io::run_plot_options o;
///     o.title = "RK3399, power allocator";
///     auto fig = thermo::io::plot_run(rec, thermo::io::trip_lines(sim), o);
///     if (fig.save("run.svg") != thermo::errc::ok) { … }
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
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

/// Builds the figure of a run from its rows as they come (a `sim::row_sink`: attach it to the
/// recorder, alone or with a trace writer through `trace_tee`), in memory that does not grow
/// with the run: each plotted channel keeps its first `raw_points` points as they are, and
/// beyond that is decimated (`m4_decimator`) over [t0, t1] — the run's span, given in advance —
/// to four times the figure's width in columns. The SVG then draws at most four points per
/// pixel column, so the file stays small however long the run.
class run_plot_builder final : public sim::row_sink {
 public:
  /// Rows are expected within [t0_s, t1_s] seconds (later ones count in the last column).
  run_plot_builder(run_plot_options o, double t0_s, double t1_s) : o_(std::move(o)), t0_(t0_s), t1_(t1_s) {}

  void write(const sim::recorder& block) noexcept override {
    if (!configured_) {
      configure(block.channels());
    }
    for (std::size_t r = 0; r < block.rows(); ++r) {
      const double t = to_seconds(block.time(r).time_since_epoch());
      for (series_data& sd : series_) {
        sd.add(t, block.value(r, sd.channel), raw_points(), columns());
      }
    }
  }

  /// The figure: the channels the options select, and `trips` as labelled lines.
  [[nodiscard]] svg_figure figure(std::span<const trip_line> trips) {
    svg_figure fig(o_.title, o_.width, o_.panel_height);
    plot_panel& temp = fig.add_panel("time (s)", "temperature (°C)");
    plot_panel& freq = fig.add_panel("time (s)", "frequency (MHz)");
    plot_panel& power = fig.add_panel("time (s)", "power (W)");
    for (series_data& sd : series_) {
      sd.finish();
      plot_panel& panel = sd.panel == 0 ? temp : sd.panel == 1 ? freq : power;
      panel.add({.name = sd.name, .x = sd.x, .y = sd.y, .step = sd.step, .dashed = sd.dashed});
    }
    for (const trip_line& l : trips) {
      temp.add_hline(l.label + " " + format_number(l.celsius, 4) + " °C", l.celsius);
    }
    return fig;
  }

  /// Points a channel keeps undecimated.
  [[nodiscard]] std::size_t raw_points() const noexcept { return 16 * static_cast<std::size_t>(o_.width > 0 ? o_.width : 1); }
  /// Columns of the decimation beyond that.
  [[nodiscard]] std::size_t columns() const noexcept { return 4 * static_cast<std::size_t>(o_.width > 0 ? o_.width : 1); }

 private:
  struct series_data {
    std::size_t channel{0};
    int panel{0};  ///< 0 temperature, 1 frequency, 2 power
    std::string name;
    bool step{false};
    bool dashed{false};
    std::vector<double> x, y;
    std::unique_ptr<m4_decimator> m4;
    double t0{0.0}, t1{0.0};

    void add(double t, double v, std::size_t raw, std::size_t columns) {
      if (!m4 && x.size() < raw) {
        x.push_back(t);
        y.push_back(v);
        return;
      }
      if (!m4) {
        m4 = std::make_unique<m4_decimator>(t0, t1, columns);
        for (std::size_t k = 0; k < x.size(); ++k) {
          m4->add(x[k], y[k]);
        }
        x.clear();
        y.clear();
      }
      m4->add(t, v);
    }
    void finish() {
      if (m4) {
        m4->finish();
        x = m4->x();
        y = m4->y();
        m4.reset();
      }
    }
  };

  void configure(const std::vector<sim::channel>& ch) {
    configured_ = true;
    // Temperatures first (sensed, then nodes, then readings, in channel order), then
    // frequencies and powers: the legend order of every figure so far.
    for (std::size_t c = 0; c < ch.size(); ++c) {
      if (ch[c].kind == sim::channel_kind::sensor_temperature) {
        push(c, 0, ch[c].name + " (sensed)", false, false);
      } else if (o_.node_temperatures && ch[c].kind == sim::channel_kind::node_temperature) {
        push(c, 0, ch[c].name, false, true);
      } else if (o_.zone_readings && ch[c].kind == sim::channel_kind::zone_temperature) {
        push(c, 0, ch[c].name + " (read)", true, false);
      }
    }
    for (std::size_t c = 0; c < ch.size(); ++c) {
      if (ch[c].kind == sim::channel_kind::frequency) {
        push(c, 1, ch[c].name, true, false);
      } else if (ch[c].kind == sim::channel_kind::power) {
        push(c, 2, ch[c].name, true, false);
      }
    }
  }
  void push(std::size_t c, int panel, std::string name, bool step, bool dashed) {
    series_data sd;
    sd.channel = c;
    sd.panel = panel;
    sd.name = std::move(name);
    sd.step = step;
    sd.dashed = dashed;
    sd.t0 = t0_;
    sd.t1 = t1_;
    series_.push_back(std::move(sd));
  }

  run_plot_options o_;
  double t0_;
  double t1_;
  bool configured_{false};
  std::vector<series_data> series_;
};

/// The figure of a run kept in memory (see the file comment): `run_plot_builder` over the
/// recorder's rows, from its first row's time to its last. Allocates.
[[nodiscard]] inline svg_figure plot_run(const sim::recorder& rec, std::span<const trip_line> trips,
                                         const run_plot_options& o = {}) {
  const double t0 = rec.rows() > 0 ? to_seconds(rec.time(0).time_since_epoch()) : 0.0;
  const double t1 = rec.rows() > 0 ? to_seconds(rec.time(rec.rows() - 1).time_since_epoch()) : 0.0;
  run_plot_builder b(o, t0, t1);
  b.write(rec);
  return b.figure(trips);
}

}  // namespace thermo::io
