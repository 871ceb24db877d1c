/// @file run_plot.hpp
/// An SVG figure of a recorded run, readable at a glance: panels sharing the time axis —
/// temperatures (the sensed temperature of every sensor and, optionally, every node and what
/// every zone read) with the zones' trip temperatures as labelled lines; each domain's
/// frequency; each domain's power; and, when the run has cooling devices, their states. Legends
/// are plain words with units ("tsadc0 sensed temperature", "big frequency (MHz)"); one label per
/// trip temperature, shared by the zones that trip there; the run's scripted events (ambient
/// step, fan failure, …) are marked on the time axis; a signal dithering between two values
/// faster than a pixel column is drawn as a translucent min–max band around its mean
/// (io/band_decimator.hpp). Host-only; build it after the run from its `sim::recorder`
/// (`plot_run`), or as the run goes, in bounded memory, with a `run_plot_builder` attached to
/// the recorder. Deterministic: the same run gives the same bytes.
///
///     thermo::io::run_plot_options o;
///     o.title = "RK3399, power allocator";
///     auto fig = thermo::io::plot_run(rec, thermo::io::trip_lines(sim), o, thermo::io::event_marks(sim));
///     if (fig.save("run.svg") != thermo::errc::ok) { … }
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/types.hpp"
#include "thermo/io/band_decimator.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/scenario.hpp"

namespace thermo::io {

/// A trip temperature to draw. Lines at one temperature share one label (`group_trip_lines`):
/// "cpu-thermal, gpu-thermal trip 1 (passive): 75 °C", or "cpu-thermal trip 1, gpu-thermal
/// trip 0 (passive): 75 °C" when their trip numbers differ.
struct trip_line {
  std::string label;   ///< who trips: e.g. "cpu-thermal" (or any text)
  double celsius{0.0};
  std::string what{};  ///< the trip's type: e.g. "passive"; may be empty
  int trip{-1};        ///< the trip's number in its zone; -1: none
};

/// A scripted event to mark on the time axis.
struct event_mark {
  double time_s{0.0};
  std::string label;  ///< short: "ambient 40 °C", "pwm-fan fails"
};

/// What `plot_run` draws.
struct run_plot_options {
  std::string title{"Simulation run"};
  bool node_temperatures{false};   ///< also draw every plant node (dashed)
  bool zone_readings{false};       ///< also draw what each zone read (steps)
  bool cooling_states{true};       ///< a panel of the cooling devices' states (when there are any)
  int width{960};
  int panel_height{300};
};

/// The trip temperatures of every zone of simulation `sim`: label the zone's type, `what` the
/// trip's type, `trip` its number (disabled trips are skipped). Allocates.
template <class Simulation>
[[nodiscard]] std::vector<trip_line> trip_lines(const Simulation& sim) {
  std::vector<trip_line> out;
  for (std::size_t z = 0; z < sim.zone_count(); ++z) {
    const auto& zone = sim.zone(z);
    for (std::size_t i = 0; i < zone.trips().size(); ++i) {
      const auto& td = zone.trips()[i];
      if (td.trip.temperature == control::temp_invalid) {
        continue;
      }
      static constexpr std::array<const char*, 4> names{"active", "passive", "hot", "critical"};
      const auto type = static_cast<std::size_t>(td.trip.type);
      out.push_back({std::string(zone.type()), static_cast<double>(td.trip.temperature.count()) / 1000.0,
                     type < 4 ? names[type] : "", static_cast<int>(i)});
    }
  }
  return out;
}

/// One line per temperature of `lines` (in the order each temperature first appears), labelled
/// with every line at it (see `trip_line`); lines of different types are joined by "; ".
/// Allocates.
[[nodiscard]] inline std::vector<trip_line> group_trip_lines(std::span<const trip_line> lines) {
  std::vector<trip_line> out;
  std::vector<bool> done(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (done[i]) {
      continue;
    }
    std::string label;
    for (std::size_t j = i; j < lines.size(); ++j) {  // each type at this temperature, in order
      if (done[j] || lines[j].celsius != lines[i].celsius) {
        continue;
      }
      std::vector<const trip_line*> group;
      for (std::size_t k = j; k < lines.size(); ++k) {
        if (!done[k] && lines[k].celsius == lines[i].celsius && lines[k].what == lines[j].what) {
          done[k] = true;
          group.push_back(&lines[k]);
        }
      }
      const bool one_number = std::all_of(group.begin(), group.end(), [&](const trip_line* l) { return l->trip == group.front()->trip; });
      std::string part;
      for (const trip_line* l : group) {
        part += (part.empty() ? "" : ", ") + l->label;
        if (!one_number && l->trip >= 0) {
          part += " trip " + std::to_string(l->trip);
        }
      }
      if (one_number && group.front()->trip >= 0) {
        part += " trip " + std::to_string(group.front()->trip);
      }
      if (!group.front()->what.empty()) {
        part += " (" + group.front()->what + ")";
      }
      label += (label.empty() ? "" : "; ") + part;
    }
    out.push_back({label + ": " + format_number(lines[i].celsius, 4) + " °C", lines[i].celsius, {}, -1});
  }
  return out;
}

/// The scripted events of simulation `sim` (`sim.events()`) as short labels: "ambient 40 °C",
/// "+2 W on die", "pwm-fan fails", "pwm-fan restored", "tsadc0 fault (stuck)", "tsadc0
/// restored", "cpu-thermal on"/"off", "cpu-thermal trip 1 := 70 °C", "scripted call". Events
/// at one instant share one mark ("a, b"). Allocates.
template <class Simulation>
[[nodiscard]] std::vector<event_mark> event_marks(const Simulation& sim) {
  const auto or_index = [](std::string_view name, const char* prefix, std::size_t i) {
    return name.empty() ? std::string(prefix) + std::to_string(i) : std::string(name);
  };
  std::vector<event_mark> out;
  for (const sim::scenario_event& e : sim.events()) {
    std::string l;
    switch (e.action) {
      case sim::scenario_action::set_ambient: l = "ambient " + format_number(e.value, 4) + " °C"; break;
      case sim::scenario_action::set_node_power:
        l = (e.value >= 0.0 ? "+" : "") + format_number(e.value, 4) + " W on " + or_index(sim.node_name(e.target), "node", e.target);
        break;
      case sim::scenario_action::fan_failure: l = std::string(sim.cooling_device(e.target).type()) + " fails"; break;
      case sim::scenario_action::fan_restore: l = std::string(sim.cooling_device(e.target).type()) + " restored"; break;
      case sim::scenario_action::sensor_fault: {
        static constexpr std::array<const char*, 5> kinds{"cleared", "try-again", "hard error", "stuck", "spike"};
        const auto k = static_cast<std::size_t>(e.fault.kind);
        l = or_index(sim.sensor_name(e.target), "sensor", e.target) + " fault (" + (k < kinds.size() ? kinds[k] : "?") + ")";
        break;
      }
      case sim::scenario_action::sensor_restore: l = or_index(sim.sensor_name(e.target), "sensor", e.target) + " restored"; break;
      case sim::scenario_action::zone_enable: l = std::string(sim.zone(e.target).type()) + " on"; break;
      case sim::scenario_action::zone_disable: l = std::string(sim.zone(e.target).type()) + " off"; break;
      case sim::scenario_action::set_trip_temperature:
        l = std::string(sim.zone(e.target).type()) + " trip " + std::to_string(e.trip) + " := " +
            format_number(static_cast<double>(e.temperature.count()) / 1000.0, 4) + " °C";
        break;
      case sim::scenario_action::call: l = "scripted call"; break;
    }
    const double t = to_seconds(e.at.time_since_epoch());
    if (!out.empty() && out.back().time_s == t) {
      if (out.back().label.find(l) == std::string::npos) {
        out.back().label += ", " + l;
      }
    } else {
      out.push_back({t, std::move(l)});
    }
  }
  return out;
}

/// The legend text of channel `c`: plain words, the unit where the panel's is not implied
/// ("tsadc0 sensed temperature", "big frequency (MHz)", "big power (W)", a cooling device's
/// kernel name). Allocates.
[[nodiscard]] inline std::string plain_name(const sim::channel& c) {
  const auto strip = [&](std::string_view prefix) {
    const std::string_view n(c.name);
    return std::string(n.substr(0, prefix.size()) == prefix ? n.substr(prefix.size()) : n);
  };
  switch (c.kind) {
    case sim::channel_kind::sensor_temperature: return strip("sensed_") + " sensed temperature";
    case sim::channel_kind::node_temperature: return strip("T_") + " node temperature";
    case sim::channel_kind::zone_temperature: return strip("zone_") + " reading";
    case sim::channel_kind::frequency: return strip("f_") + " frequency (MHz)";
    case sim::channel_kind::power: return strip("P_") + " power (W)";
    case sim::channel_kind::cooling_state: return strip("state_");
    case sim::channel_kind::utilisation: return strip("u_") + " utilisation";
    case sim::channel_kind::run_fraction: return strip("run_") + " run fraction";
    case sim::channel_kind::custom: break;
  }
  return c.unit.empty() ? c.name : c.name + " (" + c.unit + ")";
}

/// Builds the figure of a run from its rows as they come (a `sim::row_sink`: attach it to the
/// recorder, alone or with a trace writer through `trace_tee`), in memory that does not grow
/// with the run: each plotted channel is decimated over [t0, t1] — the run's span, given in
/// advance — to `columns()` columns, about one per pixel of the plot (`band_decimator`: four
/// points per column, or a min–max band around the mean where a stepped signal dithers). The
/// file stays small however long the run: tens of kilobytes per series.
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
        sd.dec->add(t, block.value(r, sd.channel));
      }
    }
  }

  /// The figure: the channels the options select, `trips` as labelled lines (one per
  /// temperature, `group_trip_lines`) and `events` marked on every panel's time axis (labelled
  /// on the first).
  [[nodiscard]] svg_figure figure(std::span<const trip_line> trips, std::span<const event_mark> events = {}) {
    svg_figure fig(o_.title, o_.width, o_.panel_height);
    std::array<plot_panel*, 4> panels{};
    panels[0] = &fig.add_panel("Time (s)", "Temperature (°C)");
    panels[1] = &fig.add_panel("Time (s)", "Frequency (MHz)");
    panels[2] = &fig.add_panel("Time (s)", "Power (W)");
    if (std::any_of(series_.begin(), series_.end(), [](const series_data& sd) { return sd.panel == 3; })) {
      panels[3] = &fig.add_panel("Time (s)", "Cooling state");
      panels[3]->integer_y();
    }
    for (series_data& sd : series_) {
      sd.dec->finish();
      panels[static_cast<std::size_t>(sd.panel)]->add({.name = sd.name, .x = sd.dec->x(), .y = sd.dec->y(), .step = sd.step,
                                                       .dashed = sd.dashed, .band_lo = sd.dec->band_lo(), .band_hi = sd.dec->band_hi()});
    }
    for (const trip_line& l : group_trip_lines(trips)) {
      panels[0]->add_hline(l.label, l.celsius);
    }
    for (const event_mark& e : events) {
      for (plot_panel* p : panels) {
        if (p != nullptr) {
          p->add_vline(p == panels[0] ? e.label : std::string(), e.time_s);
        }
      }
    }
    return fig;
  }

  /// Columns of the decimation: about one per pixel of the plot (the figure's width less its
  /// margins).
  [[nodiscard]] std::size_t columns() const noexcept { return static_cast<std::size_t>(o_.width > 370 ? o_.width - 270 : 100); }

 private:
  struct series_data {
    std::size_t channel{0};
    int panel{0};  ///< 0 temperature, 1 frequency, 2 power, 3 cooling state
    std::string name;
    bool step{false};
    bool dashed{false};
    std::unique_ptr<band_decimator> dec;
  };

  void configure(const std::vector<sim::channel>& ch) {
    configured_ = true;
    // Temperatures first (sensed, then nodes, then readings, in channel order), then
    // frequencies, powers and cooling states.
    for (std::size_t c = 0; c < ch.size(); ++c) {
      if (ch[c].kind == sim::channel_kind::sensor_temperature) {
        push(c, ch[c], 0, false, false);
      } else if (o_.node_temperatures && ch[c].kind == sim::channel_kind::node_temperature) {
        push(c, ch[c], 0, false, true);
      } else if (o_.zone_readings && ch[c].kind == sim::channel_kind::zone_temperature) {
        push(c, ch[c], 0, true, false);
      }
    }
    for (const auto& [kind, panel] : {std::pair{sim::channel_kind::frequency, 1}, std::pair{sim::channel_kind::power, 2},
                                     std::pair{sim::channel_kind::cooling_state, 3}}) {
      for (std::size_t c = 0; c < ch.size(); ++c) {
        if (ch[c].kind == kind && (panel != 3 || o_.cooling_states)) {
          push(c, ch[c], panel, true, false);
        }
      }
    }
  }
  void push(std::size_t c, const sim::channel& ch, int panel, bool step, bool dashed) {
    series_data sd;
    sd.channel = c;
    sd.panel = panel;
    sd.name = plain_name(ch);
    sd.step = step;
    sd.dashed = dashed;
    // Stepped signals (frequencies, powers, states, readings) may dither: bands; temperatures
    // are smooth: plain M4.
    sd.dec = std::make_unique<band_decimator>(t0_, t1_, columns(), step ? 3U : 0U);
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
                                         const run_plot_options& o = {}, std::span<const event_mark> events = {}) {
  const double t0 = rec.rows() > 0 ? to_seconds(rec.time(0).time_since_epoch()) : 0.0;
  const double t1 = rec.rows() > 0 ? to_seconds(rec.time(rec.rows() - 1).time_since_epoch()) : 0.0;
  run_plot_builder b(o, t0, t1);
  b.write(rec);
  return b.figure(trips, events);
}

}  // namespace thermo::io
