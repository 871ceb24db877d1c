// The firmware example's decision logic, shared by the Cortex-M4 image (QEMU mps2-an386) and a
// host program, so that the two outputs can be compared line for line.
//
// What it controls: a Rockchip RK3399 as the Linux 6.12 device tree of the 96boards Rock960
// describes it (thermo/presets/rk3399.hpp) — zone "cpu-thermal" (trips 65/75/95 °C, sustainable
// power 1550 mW) under the power allocator with the two cpufreq cooling devices (A53 and A72
// clusters), and zone "gpu-thermal" (75/95 °C) under step_wise with the Mali GPU's devfreq
// cooling device, bound exactly as the device tree's cooling maps say. The chip itself is a
// built-in trace (a constexpr table of temperatures and loads); its sensor is a two-channel
// ADC with window comparators, read by a small driver.
//
// How it runs: `on_timer_tick()` is the body of a 10 ms timer interrupt and
// `on_sensor_alarm()` the body of the sensor's alarm interrupt. Every decision (temperature,
// crossings, window, cooling states, the power allocator's PID terms and grants, step_wise's
// votes) is printed as one text line through a `write_fn`: semihosting on the target, stdout on
// the host. No heap, no exceptions, no RTTI, no floating point, no clock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/energy_model.hpp"

namespace fw {

// ------------------------------------------------------------------------------------ output

/// Writes `length` bytes of `text` (one whole line, newline included) to the console.
using write_fn = void (*)(const char* text, std::size_t length) noexcept;

/// One output line assembled in a fixed buffer (no heap, no printf): text, integers, milli-units
/// as decimals with three places, times in seconds. `end()` writes it. A line longer than the
/// buffer is cut and ends in "~".
class line {
 public:
  static constexpr std::size_t capacity = 240;

  explicit line(write_fn out) noexcept : out_(out) {}
  /// Appends `s`.
  line& text(std::string_view s) noexcept;
  /// Appends `v` in decimal, right-aligned in `width` characters (0 = no padding).
  line& num(std::int64_t v, std::size_t width = 0) noexcept;
  /// Appends `v` / 1000 with three decimals: 65010 → "65.010", -500 → "-0.500".
  line& milli(std::int64_t v, std::size_t width = 0) noexcept;
  /// Appends a temperature in °C ("65.010"); the window edges without a trip print "-inf"/"inf".
  line& temp(thermo::millicelsius t) noexcept;
  /// Appends a time in seconds, right-aligned in 7 characters ("  1.250").
  line& time(thermo::sim_time t) noexcept;
  /// Appends "\n" and writes the line.
  void end() noexcept;

 private:
  void put(char c) noexcept;
  write_fn out_;
  std::array<char, capacity + 1> buf_{};
  std::size_t n_{0};
  bool cut_{false};
};

// ------------------------------------------------------------------------------------- trace

/// One row of the built-in trace: at `t_ms`, the two sensor channels read `cpu_mc` / `gpu_mc`
/// (m°C) and the clusters and the GPU are busy `little_pct` / `big_pct` / `gpu_pct` percent of
/// the time. Between rows everything is linearly interpolated (integer arithmetic).
struct trace_row {
  std::int32_t t_ms;
  std::int32_t cpu_mc;
  std::int32_t gpu_mc;
  std::uint32_t little_pct;
  std::uint32_t big_pct;
  std::uint32_t gpu_pct;
};

/// The trace at time `t` (clamped to its last row).
[[nodiscard]] trace_row trace_at(thermo::sim_time t) noexcept;
/// The time of the trace's last row.
[[nodiscard]] thermo::sim_time trace_end() noexcept;

/// Period of the timer interrupt.
inline constexpr thermo::milliseconds tick_period{10};

// ---------------------------------------------------------------------------- sensor driver

// [sensor-driver]
/// Driver for one channel of the SoC's temperature ADC: a conversion-result register and a pair
/// of window comparators that raise the alarm interrupt while the reading is outside
/// [low, high]. It is the zone's sensor: `get_temp()` makes it a `TemperatureSensor`, and
/// `set_trips()` — found by the zone automatically — programs the comparators with the window
/// the zone computes after each update, so that a crossing between two polls interrupts at once.
class adc_channel {
 public:
  /// Hardware side (emulated here): a new conversion result, in m°C.
  void convert(thermo::millicelsius t) noexcept { result_ = t; }
  /// The alarm line: the last conversion is outside the programmed window.
  [[nodiscard]] bool alarm() const noexcept { return result_ < low_ || result_ > high_; }

  [[nodiscard]] thermo::result<thermo::millicelsius> get_temp() const noexcept {
    if (result_ <= thermo::control::temp_invalid) {
      return thermo::errc::try_again;  // no conversion yet: the zone re-checks in 250 ms
    }
    return result_;
  }
  [[nodiscard]] thermo::errc set_trips(thermo::millicelsius low,
                                       thermo::millicelsius high) noexcept {
    low_ = low;
    high_ = high;
    return thermo::errc::ok;
  }

 private:
  thermo::millicelsius result_{thermo::control::temp_invalid};
  thermo::millicelsius low_{thermo::control::window_low_none};
  thermo::millicelsius high_{thermo::control::window_high_none};
};
// [sensor-driver]

// -------------------------------------------------------------------- cooling-device driver

// [cooling-driver]
/// Cooling-device driver for one CPU cluster: thermo's `cpufreq_cooling` (cooling state ↔ Energy
/// Model frequency, and the power allocator's three power callbacks) plus the hardware side —
/// every new cap is written to the cluster's PLL register, and the cluster then runs at it.
/// It satisfies `CoolingDevice` and `PowerActor` by forwarding.
template <std::size_t MaxCpus>
class cluster_cooling {
 public:
  using model_type = thermo::control::cpufreq_cooling<thermo::power::em_perf_domain_view, MaxCpus>;

  /// `pll_khz` is the cluster's clock register (emulated by a plain integer here).
  cluster_cooling(const model_type& model, std::uint32_t& pll_khz) noexcept
      : model_(model), pll_khz_(&pll_khz) {
    apply();
  }

  [[nodiscard]] thermo::control::cooling_state get_max_state() const noexcept {
    return model_.get_max_state();
  }
  [[nodiscard]] thermo::control::cooling_state get_cur_state() const noexcept {
    return model_.get_cur_state();
  }
  [[nodiscard]] thermo::errc set_cur_state(thermo::control::cooling_state s) noexcept {
    const thermo::errc e = model_.set_cur_state(s);
    if (e == thermo::errc::ok) {
      apply();
    }
    return e;
  }

  [[nodiscard]] thermo::result<thermo::milliwatts> get_requested_power() noexcept {
    return model_.get_requested_power();
  }
  [[nodiscard]] thermo::result<thermo::milliwatts> state2power(
      thermo::control::cooling_state s) const noexcept {
    return model_.state2power(s);
  }
  [[nodiscard]] thermo::result<thermo::control::cooling_state> power2state(
      thermo::milliwatts p) const noexcept {
    return model_.power2state(p);
  }

  /// Scheduler input: every CPU of the cluster is busy `pct` percent of the time.
  void set_load(std::uint32_t pct, std::uint32_t cpu_capacity) noexcept {
    for (std::size_t i = 0; i < model_.num_cpus(); ++i) {
      static_cast<void>(model_.set_cpu(i, {pct * cpu_capacity / 100U, cpu_capacity, true}));
    }
  }
  [[nodiscard]] const model_type& model() const noexcept { return model_; }

 private:
  void apply() noexcept {
    *pll_khz_ = static_cast<std::uint32_t>(model_.max_frequency().count());  // program the PLL
    model_.set_current_frequency(model_.max_frequency());                    // and run at it
  }
  model_type model_;
  std::uint32_t* pll_khz_;
};
// [cooling-driver]

// -------------------------------------------------------------------------------- controller

/// What a run did, for the final summary and its self-check.
struct run_summary {
  std::uint32_t timer_updates{0};
  std::uint32_t alarm_updates{0};
  std::uint32_t crossings_up{0};
  std::uint32_t crossings_down{0};
  std::uint32_t ipa_rounds{0};    ///< rounds that ran the PID and divided the budget
  std::uint32_t ipa_releases{0};  ///< rounds below the switch-on trip (devices released)
  std::uint32_t gpu_votes{0};     ///< step_wise rounds that voted a state above 0
  std::array<thermo::control::cooling_state, 3> max_state{};  ///< highest state seen per device
  bool critical{false};  ///< the critical trip asked for a shutdown
  std::size_t events_dropped{0};
};

/// The whole thermal-management firmware: devices, zones, governors, the sensor driver and the
/// emulated chip. Set up once, then driven by the two interrupt bodies. Neither copyable nor
/// movable (zones and devices point at each other): construct it where it lives.
class controller {
 public:
  explicit controller(write_fn out) noexcept;
  controller(const controller&) = delete;
  controller& operator=(const controller&) = delete;
  controller(controller&&) = delete;
  controller& operator=(controller&&) = delete;
  ~controller() = default;

  /// Registers the cooling devices and both zones from the RK3399 preset, binds the cooling maps
  /// and takes the first reading (t = 0). Prints what it does; false if anything failed.
  [[nodiscard]] bool setup() noexcept;
  /// Body of the 10 ms timer interrupt: advances time, converts the sensor, feeds the loads,
  /// and updates each zone whose poll is due.
  void on_timer_tick() noexcept;
  /// True while a sensor channel's alarm line is raised (the alarm interrupt should run).
  [[nodiscard]] bool alarm_pending() const noexcept;
  /// Body of the sensor's alarm interrupt: updates the zone(s) whose channel raised it.
  void on_sensor_alarm() noexcept;
  /// True once the trace has ended or the critical trip asked for a shutdown.
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  /// Prints the summary; 0 when the run exercised everything the example is meant to show.
  [[nodiscard]] int report() noexcept;
  [[nodiscard]] const run_summary& summary() const noexcept { return summary_; }

 private:
  enum zone_index : std::size_t { cpu_zone = 0, gpu_zone = 1 };
  static constexpr std::size_t num_zones = 2;

  void feed(const trace_row& row) noexcept;
  thermo::control::update_status update_zone(std::size_t z, std::string_view why) noexcept;
  void print_update(std::size_t z, std::string_view why,
                    const thermo::control::update_result& r) noexcept;
  void print_events() noexcept;
  void print_ipa() noexcept;
  void print_step_wise() noexcept;
  void track_states() noexcept;

  write_fn out_;
  thermo::sim_time now_{};
  bool finished_{false};
  bool ready_{false};

  // Hardware: the clock registers and the two sensor channels (emulated).
  std::uint32_t little_pll_khz_{0};
  std::uint32_t big_pll_khz_{0};
  std::array<adc_channel, num_zones> adc_{};

  // Cooling devices: drivers and their registrations with the thermal core.
  cluster_cooling<4> little_;
  cluster_cooling<4> big_;
  thermo::control::devfreq_cooling<thermo::power::em_perf_domain_view> gpu_;
  std::array<thermo::control::thermal_cooling_device, 3> cdev_{};

  // Zones and their governors.
  thermo::control::event_ring<16> events_{};
  thermo::control::power_allocator<2> ipa_{};
  thermo::control::step_wise<> step_wise_{};
  thermo::control::thermal_zone<3, 4> cpu_tz_{};
  thermo::control::thermal_zone<2, 2> gpu_tz_{};
  std::array<thermo::control::thermal_zone_device*, num_zones> tz_{};
  std::array<std::optional<thermo::sim_time>, num_zones> next_{};

  run_summary summary_{};
};

}  // namespace fw
