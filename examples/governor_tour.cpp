// A tour of the governors on a HiKey960-like zone: two cpufreq clusters (4 × A53, 4 × A73, all
// CPUs busy) heat a lumped die (first-order model, C = 2.5 J/K, G = 0.1 W/K to a 25 °C ambient).
// The power allocator holds the die near its 75 °C control trip; then its gains are changed at
// run time; then the zone is switched live to step_wise. Prints one line per second.
//
// Quoted by docs/explanation/governors.md.
#include <array>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <span>
#include <string_view>

#include "example_cli.hpp"
#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/governors/governors.hpp"
#include "thermo/control/zone.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace std::chrono_literals;

namespace {

// Energy Model rows (kHz, µW per CPU) of the Hi3660 clusters (soc-data.json).
struct row {
  kilohertz frequency;
  microwatts power;
};
struct table {
  std::array<row, 5> rows;
  [[nodiscard]] std::span<const row> states() const noexcept { return rows; }
};
constexpr table a53{{{{kilohertz(533000), microwatts(28000)},
                      {kilohertz(999000), microwatts(70000)},
                      {kilohertz(1402000), microwatts(124000)},
                      {kilohertz(1709000), microwatts(187000)},
                      {kilohertz(1844000), microwatts(245000)}}}};
constexpr table a73{{{{kilohertz(903000), microwatts(243000)},
                      {kilohertz(1421000), microwatts(500000)},
                      {kilohertz(1805000), microwatts(804000)},
                      {kilohertz(2112000), microwatts(1161000)},
                      {kilohertz(2362000), microwatts(1571000)}}}};
using cluster = cpufreq_cooling<table, 4>;

cluster busy(const table& t) {
  cluster c = *cluster::create(t, 4);
  for (std::size_t i = 0; i < 4; ++i) {
    static_cast<void>(c.set_cpu(i, cpufreq_cpu_load{1024, 1024, true}));
  }
  return c;
}

constexpr std::string_view usage_text =
    "usage: governor_tour\n"
    "The governors on a HiKey960-like zone: the power allocator, its gains changed at run\n"
    "time, then a live switch to step_wise; one line per second. No options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  if (argc > 1) {
    return example_cli::bad_usage("governor_tour", example_cli::unknown_argument(argv[1]),
                                  usage_text);
  }
  // [setup]
  cluster little = busy(a53);
  cluster big = busy(a73);
  thermal_cooling_device c_little;
  thermal_cooling_device c_big;
  if (!c_little.setup(0, "thermal-cpufreq-0", little).ok() || !c_big.setup(1, "thermal-cpufreq-1", big).ok()) {
    return 1;
  }

  power_allocator<2> ipa;  // one allocator per zone: it holds the zone's PID state
  step_wise<> sw;          // stateless: could serve every zone

  const std::array<thermal_trip, 3> trips{
      thermal_trip{millicelsius{65000}, millikelvin_delta{1000}, trip_type::passive},  // switch-on
      thermal_trip{millicelsius{75000}, millikelvin_delta{1000}, trip_type::passive},  // control
      thermal_trip{millicelsius{95000}, millikelvin_delta{0}, trip_type::critical}};
  zone_config cfg;
  cfg.type = "cls0-thermal";
  cfg.polling_delay = 1000ms;
  cfg.passive_delay = 100ms;
  cfg.tzp.sustainable_power = 4500;  // mW, DT `sustainable-power`
  pushed_sensor sensor;
  thermal_zone<4, 4> tz;
  if (!tz.setup(cfg, trips, zone_sensor(sensor), governor_ref(ipa)).ok() ||
      !tz.bind(1, c_little, cooling_spec{no_limit, no_limit, 1024}).has_value() ||
      !tz.bind(1, c_big, cooling_spec{no_limit, no_limit, 512}).has_value()) {
    return 1;
  }
  // [setup]

  double temp_c = 60.0;  // the die
  std::printf("  t(s)  governor         T(degC)  little  big  budget(mW)\n");
  for (int step = 0; step <= 600; ++step) {  // 100 ms per step, 60 s
    const sim_time now{std::chrono::milliseconds{step * 100}};
    // [tuning]
    if (step == 200) {
      // sysfs-like tuning: gains are used as given until the sustainable power changes.
      pid_gains g = get_pid_gains(tz);
      g.k_pu /= 4;
      g.k_po /= 4;
      if (!set_pid_gains(tz, g).ok()) {
        return 1;
      }
    }
    if (step == 400) {
      if (tz.set_governor(governor_ref(sw)) != errc::ok) {  // live policy change
        return 1;
      }
    }
    // [tuning]
    little.set_current_frequency(little.max_frequency());  // the clusters run at their cap
    big.set_current_frequency(big.max_frequency());
    sensor.set(millicelsius{static_cast<std::int32_t>(temp_c * 1000.0)});
    const update_result u = (step == 0) ? tz.enable(now) : tz.update(now);
    if (u.status != update_status::updated) {
      return 1;
    }
    // Heat of the next 100 ms: EM power at the capped frequency, every CPU busy.
    const double p_w = static_cast<double>(little.state2power(little.get_cur_state())->count() +
                                           big.state2power(big.get_cur_state())->count()) /
                       1000.0;
    temp_c += (p_w - 0.1 * (temp_c - 25.0)) * 0.1 / 2.5;
    if (step % 50 == 0) {
      const std::string_view gov = tz.governor().name();
      std::printf("%6.1f  %-15.*s  %7.2f  %6" PRIu32 "  %3" PRIu32, static_cast<double>(step) / 10.0,
                  static_cast<int>(gov.size()), gov.data(), temp_c, little.get_cur_state(), big.get_cur_state());
      if (gov == power_allocator<2>::name()) {
        std::printf("  %10" PRIu32 "\n", ipa.last_round().pid.power_range);
      } else {
        std::printf("  %10s\n", "-");
      }
    }
  }
  return 0;
}
