// Compiled (not run) with arm-none-eabi-g++ for a Cortex-M4 by tests/control/extra.cmake: every
// control header and cooling device instantiated with firmware flags (no exceptions, no RTTI),
// as a firmware would use them — statically allocated, time passed in.
#include <array>
#include <cstdint>
#include <span>

#include "thermo/control/any_cooling_device.hpp"
#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/cooling/idle_injection.hpp"
#include "thermo/control/zone.hpp"

namespace fw {
using namespace thermo;
using namespace thermo::control;

struct row {
  kilohertz frequency;
  microwatts power;
};
struct table {
  std::array<row, 3> rows;
  [[nodiscard]] std::span<const row> states() const noexcept { return rows; }
};
struct governor {
  [[nodiscard]] std::string_view name() const noexcept { return "fw"; }
  void manage(thermal_zone_device& tz) noexcept {
    for (thermal_instance& i : tz.instances()) {
      i.target = tz.trip_reached(static_cast<std::size_t>(i.trip)) ? i.upper : no_target;
      i.cdev->mark_for_update();
      i.cdev->update(tz.now());
    }
  }
};

struct system {
  pushed_sensor sensor;
  governor gov;
  event_ring<16> ring;
  table tbl{{{{kilohertz(500'000), microwatts(100'000)}, {kilohertz(1'000'000), microwatts(300'000)},
              {kilohertz(1'500'000), microwatts(700'000)}}}};
  cpufreq_cooling<table, 4> cpu = cpufreq_cooling<table, 4>::create(tbl, 4).value();
  devfreq_cooling<table> gpu = devfreq_cooling<table>::create(tbl).value();
  fan_cooling<4> fan = fan_cooling<4>::create(std::array<std::uint32_t, 3>{0, 128, 255}).value();
  idle_injection_cooling idle = idle_injection_cooling::create().value();
  thermal_cooling_device c_cpu, c_gpu, c_fan, c_idle;
  cooling_device_stats<8> stats;
  thermal_zone<4, 4, 2> zone;

  int init() noexcept {
    const std::array trips{thermal_trip{millicelsius(70'000), millikelvin_delta(2'000), trip_type::passive},
                           thermal_trip{millicelsius(60'000), millikelvin_delta(5'000), trip_type::active},
                           thermal_trip{millicelsius(100'000), millikelvin_delta(0), trip_type::critical}};
    zone_config cfg;
    cfg.type = "soc-thermal";
    cfg.polling_delay = milliseconds(1000);
    cfg.passive_delay = milliseconds(100);
    if (!zone.setup(cfg, trips, zone_sensor(sensor), governor_ref(gov), ring.sink()).ok()) {
      return 1;
    }
    if (!c_cpu.setup(0, "cpu", cpu).ok() || !c_gpu.setup(1, "gpu", gpu).ok() || !c_fan.setup(2, "fan", fan).ok() ||
        !c_idle.setup(3, "idle", idle).ok()) {
      return 2;
    }
    if (c_cpu.attach_stats(stats, sim_time{}) != errc::ok) {
      return 3;
    }
    if (!zone.bind(0, c_cpu).has_value() || !zone.bind(0, c_gpu).has_value() || !zone.bind(1, c_fan).has_value() ||
        !zone.bind(0, c_idle, cooling_spec{0, 50, 0}).has_value()) {
      return 4;
    }
    static_cast<void>(zone.add_threshold(sim_time{}, millicelsius(50'000), threshold_way_up));
    static_cast<void>(zone.enable(sim_time{}));
    return 0;
  }
  std::int64_t step(std::int32_t mc, std::int64_t ms) noexcept {
    sensor.set(millicelsius(mc));
    const update_result r = zone.update(sim_time{milliseconds(ms)});
    any_cooling_device h(cpu);
    return static_cast<std::int64_t>(r.status) + h.get_requested_power().value_or(milliwatts(0)).count() +
           static_cast<std::int64_t>(gpu.power2state(milliwatts(10)).value_or(0U)) + (r.next_update ? 1 : 0);
  }
};
}  // namespace fw

extern "C" int thermo_fw_control_step(fw::system* s, int mc, int ms);
extern "C" int thermo_fw_control_step(fw::system* s, int mc, int ms) {
  return static_cast<int>(s->step(mc, ms));
}
extern "C" int thermo_fw_control_init(fw::system* s);
extern "C" int thermo_fw_control_init(fw::system* s) { return s->init(); }
