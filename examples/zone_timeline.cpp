// A thermal zone in action: a one-node chip heated by a CPU cluster whose frequency cap is a
// cooling device, watched by a zone with two passive trips (with hysteresis) and a critical one.
// The zone decides when it runs next (1 s polling, 250 ms while a passive trip is reached); the
// loop below advances the chip exactly to that instant and hands the zone a reading.
//
//   zone_timeline [--plot FILE.svg]
//
// Prints every netlink event with its time and writes the timeline figure of
// docs/explanation/thermal-zones.md.
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/io/svg_plot.hpp"

using namespace thermo;
using namespace thermo::control;

namespace {

// [sensor]
/// The chip: one thermal node C dT/dt = P − G (T − T_amb), advanced exactly between events.
/// It is also the zone's sensor: `get_temp()` is all a `TemperatureSensor` needs.
struct chip {
  double c = 0.4;          // J/K
  double g = 0.05;         // W/K
  double ambient = 40.0;   // °C
  double t = 40.0;         // °C, die temperature
  double power = 0.0;      // W, set from the workload and the cooling state

  void advance(double dt) {
    const double eq = ambient + power / g;
    t = eq + (t - eq) * std::exp(-dt * g / c);
  }
  [[nodiscard]] result<millicelsius> get_temp() const noexcept {
    return millicelsius(static_cast<std::int32_t>(std::lround(t * 1000.0)));
  }
};
// [sensor]

// [cooling-device]
/// A cooling device: four frequency caps. State 0 = no cooling, 3 = lowest cap. The three
/// members are the whole `CoolingDevice` contract.
struct frequency_cap {
  cooling_state state = 0;
  [[nodiscard]] cooling_state get_max_state() const noexcept { return 3; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    if (s > 3) {
      return errc::out_of_range;
    }
    state = s;
    return errc::ok;
  }
  /// What the cap leaves of the workload's power (W).
  [[nodiscard]] double scale() const noexcept { return 1.0 - 0.16 * static_cast<double>(state); }
};
// [cooling-device]

// [governor]
/// A minimal governor (the real ones live in control/governors/): every instance of a reached
/// trip votes its upper limit, the others withdraw; the core's max rule picks the state.
struct vote_upper {
  [[nodiscard]] std::string_view name() const noexcept { return "vote_upper"; }
  void manage(thermal_zone_device& tz) noexcept {
    for (thermal_instance& i : tz.instances()) {
      const cooling_state want = tz.trip_reached(static_cast<std::size_t>(i.trip)) ? i.upper : no_target;
      if (!i.initialized || want != i.target) {
        i.target = want;
        i.initialized = true;
        i.cdev->mark_for_update();
      }
    }
    for (thermal_instance& i : tz.instances()) {
      i.cdev->update(tz.now());
    }
  }
};
// [governor]

double secs(sim_time t) { return to_seconds(t); }

constexpr std::string_view usage_text =
    "usage: zone_timeline [--plot FILE.svg]\n"
    "A thermal zone in action: every netlink event of a one-node chip with two passive trips\n"
    "and a critical one.\n"
    "  --plot FILE.svg  the timeline figure (default zone_timeline.svg)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string plot_path = "zone_timeline.svg";
  if (argc == 3 && std::string_view(argv[1]) == "--plot") {
    plot_path = argv[2];
  } else if (argc != 1) {
    // --plot without its value, a second argument after it, or something else entirely
    const std::string_view a = argv[1];
    const std::string problem = a != "--plot" ? example_cli::unknown_argument(a)
                                : argc == 2   ? std::string("missing value after --plot")
                                              : example_cli::unknown_argument(argv[3]);
    return example_cli::bad_usage("zone_timeline", problem, usage_text);
  }

  chip die;
  frequency_cap cap;
  vote_upper governor;
  event_ring<256> events;

  // [zone-setup]
  const std::array trips{
      thermal_trip{millicelsius(65'000), millikelvin_delta(3'000), trip_type::passive},   // released < 62 °C
      thermal_trip{millicelsius(75'000), millikelvin_delta(2'000), trip_type::passive},   // released < 73 °C
      thermal_trip{millicelsius(95'000), millikelvin_delta(0), trip_type::critical},
  };
  zone_config cfg;
  cfg.type = "cpu-thermal";
  cfg.polling_delay = milliseconds(1000);
  cfg.passive_delay = milliseconds(250);
  thermal_zone<3, 2> zone;
  if (const error e = zone.setup(cfg, trips, zone_sensor(die), governor_ref(governor), events.sink()); !e.ok()) {
    std::fprintf(stderr, "zone setup: %s\n", e.what);
    return 1;
  }
  thermal_cooling_device cdev;
  if (!cdev.setup(0, "thermal-cpufreq-0", cap, events.sink()).ok() ||
      !zone.bind(0, cdev, cooling_spec{0, 1, 0}).has_value() ||   // first trip: cap at most 1
      !zone.bind(1, cdev, cooling_spec{2, 3, 0}).has_value()) {   // second trip: caps 2..3
    std::fprintf(stderr, "binding failed\n");
    return 1;
  }
  // [zone-setup]

  // Workload: 2.5 W for 40 s, then 1 W.
  auto workload = [](double t) { return t < 40.0 ? 2.5 : 1.0; };

  std::vector<double> curve_t, curve_T, seen_t, seen_T, state_t, state_v, period_t, period_v;
  double now = 0.0;
  auto advance_to = [&](double until) {
    while (now < until) {
      const double step = std::min(0.05, until - now);
      die.power = workload(now) * cap.scale();
      die.advance(step);
      now += step;
      curve_t.push_back(now);
      curve_T.push_back(die.t);
    }
  };

  // [loop]
  update_result u = zone.enable(sim_time{});  // first reading, TZ_ENABLE, first poll in 1 s
  while (u.next_update && secs(*u.next_update) <= 60.0) {
    const sim_time next = *u.next_update;
    advance_to(secs(next));  // the chip evolves until the zone's timer fires
    u = zone.update(next);      // read, trips, window, governor, cooling device, next poll
    seen_t.push_back(secs(next));
    seen_T.push_back(to_celsius(zone.temperature()).count());
    state_t.push_back(secs(next));
    state_v.push_back(static_cast<double>(cap.state));
    if (u.next_update) {
      period_t.push_back(secs(next));
      period_v.push_back(static_cast<double>((*u.next_update - next) / milliseconds(1)));
    }
  }
  // [loop]

  seen_t.insert(seen_t.begin(), 0.0);
  seen_T.insert(seen_T.begin(), 40.0);  // the enable() reading at t = 0
  std::printf("%zu zone updates, final state %u, %zu events (%zu dropped)\n", seen_t.size(), cap.state,
              events.size(), events.dropped());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const thermal_event& e = events[i];
    if (e.type == event_type::tz_trip_up || e.type == event_type::tz_trip_down) {
      std::printf("  %-13s trip %d at %.3f °C\n", std::string(to_string(e.type)).c_str(), e.trip_id,
                  to_celsius(e.temperature).count());
    }
  }

  io::svg_figure fig("Thermal zone timeline: trips, hysteresis and polling");
  auto& p = fig.add_panel("time (s)", "temperature (°C)");
  p.add({.name = "die", .x = curve_t, .y = curve_T});
  p.add({.name = "zone samples", .x = seen_t, .y = seen_T, .markers = true, .step = true, .dashed = true});
  p.add_hline("trip 0: 65 °C", 65.0);
  p.add_hline("trip 0 release: 62 °C", 62.0, "#e08080");
  p.add_hline("trip 1: 75 °C", 75.0, "#8b0000");
  p.add_hline("trip 1 release: 73 °C", 73.0, "#c06060");
  auto& q = fig.add_panel("time (s)", "cooling state");
  q.add({.name = "frequency cap state", .x = state_t, .y = state_v, .step = true});
  auto& r = fig.add_panel("time (s)", "next poll (ms)");
  r.add({.name = "polling interval", .x = period_t, .y = period_v, .markers = true, .step = true});
  if (fig.save(plot_path) != errc::ok) {
    std::fprintf(stderr, "cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("wrote %s\n", plot_path.c_str());
  return 0;
}
