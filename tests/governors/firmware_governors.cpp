// Compiled (not run) with arm-none-eabi-g++ for a Cortex-M4 by tests/governors/extra.cmake: every
// governor instantiated and driven through a statically allocated zone with firmware flags (no
// exceptions, no RTTI), time passed in.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/governors/governors.hpp"
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
using cpu_cdev = cpufreq_cooling<table, 4>;

struct platform {
  [[nodiscard]] std::uint32_t level_to_power(std::size_t, std::uint32_t l) noexcept { return l * 100U; }
  [[nodiscard]] std::uint32_t power_to_level(std::size_t, std::uint32_t p) noexcept { return p / 100U; }
  [[nodiscard]] result<std::uint32_t> read_temperature() noexcept { return std::uint32_t{55}; }
};

struct system {
  pushed_sensor sensor{};
  thermal_zone<4, 4> tz{};
  thermal_cooling_device cdev{};
  step_wise<> sw{};
  step_wise<step_wise_variant::v6_9> sw_old{};
  bang_bang<2> bb{};
  fair_share fs{};
  user_space us{};
  power_allocator<2> pa{};
  scp_thermal_mgmt<2> scp_gov{};
  scp::thermal_domain<2> domain{};
  kernel_governors<2, 2>::slot by_name{};
};

}  // namespace fw

extern "C" int fw_governors_run(fw::system* s, fw::cpu_cdev* dev, std::int32_t t_mc, std::int64_t now_ms) {
  using namespace thermo;
  using namespace thermo::control;
  static_cast<void>(s->cdev.setup(0, "thermal-cpufreq-0", *dev));
  const std::array<thermal_trip, 2> trips{thermal_trip{millicelsius{65000}, millikelvin_delta{2000}, trip_type::passive},
                                          thermal_trip{millicelsius{75000}, millikelvin_delta{2000}, trip_type::passive}};
  zone_config cfg;
  cfg.type = "cpu-thermal";
  cfg.polling_delay = milliseconds{1000};
  cfg.passive_delay = milliseconds{100};
  cfg.tzp.sustainable_power = 2000;
  static_cast<void>(s->tz.setup(cfg, trips, zone_sensor(s->sensor), governor_ref(s->pa)));
  static_cast<void>(s->tz.bind(1, s->cdev, cooling_spec{}));
  s->sensor.set(millicelsius{t_mc});
  const sim_time now{std::chrono::milliseconds{now_ms}};
  int rc = static_cast<int>(s->tz.enable(now).status);
  const governor_ref all[] = {governor_ref(s->sw), governor_ref(s->sw_old), governor_ref(s->bb), governor_ref(s->fs),
                              governor_ref(s->us), governor_ref(s->scp_gov), governor_ref(s->pa)};
  for (const governor_ref& g : all) {
    rc += static_cast<int>(s->tz.set_governor(g));
    rc += static_cast<int>(s->tz.update(now).status);
  }
  // every Linux governor again, chosen by name and held in place
  for (const std::string_view name : kernel_governors<2, 2>::names) {
    rc += static_cast<int>(s->tz.set_governor(governor_ref{}));
    const result<governor_ref, error> g = s->by_name.emplace(name);
    rc += g ? static_cast<int>(s->tz.set_governor(*g)) : 1;
    rc += static_cast<int>(s->tz.update(now).status);
  }
  rc += static_cast<int>(set_sustainable_power(s->tz, milliwatts{1500}).code);
  const std::array<scp::actor_config, 1> actors{scp::actor_config{0, 1, false}};
  scp::domain_config dc;
  dc.tdp = 10;
  dc.actors = actors;
  rc += static_cast<int>(s->domain.configure(dc).code);
  fw::platform p;
  const std::array<std::uint32_t, 1> req{10};
  std::array<std::uint32_t, 1> lim{10};
  rc += static_cast<int>(s->domain.perf_update(p, req, lim));
  return rc + static_cast<int>(lim[0]);
}
