// The firmware example's decision logic (see decisions.hpp). Built twice: into the Cortex-M4
// image for QEMU mps2-an386 and into a host program; both print the same lines.
#include "decisions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/schema/soc.hpp"

namespace fw {

using thermo::millicelsius;
using thermo::sim_time;
namespace tc = thermo::control;

// ------------------------------------------------------------------------------------ output

void line::put(char c) noexcept {
  if (n_ < capacity) {
    buf_[n_++] = c;
  } else {
    cut_ = true;
  }
}

line& line::text(std::string_view s) noexcept {
  for (const char c : s) {
    put(c);
  }
  return *this;
}

line& line::num(std::int64_t v, std::size_t width) noexcept {
  std::array<char, 24> digits{};
  std::size_t k = 0;
  // Work on the negative value so that INT64_MIN does not overflow.
  std::int64_t x = v < 0 ? v : -v;
  do {
    digits[k++] = static_cast<char>('0' - static_cast<int>(x % 10));
    x /= 10;
  } while (x != 0);
  if (v < 0) {
    digits[k++] = '-';
  }
  for (std::size_t pad = k; pad < width; ++pad) {
    put(' ');
  }
  while (k > 0) {
    put(digits[--k]);
  }
  return *this;
}

line& line::milli(std::int64_t v, std::size_t width) noexcept {
  const bool negative = v < 0;
  const std::uint64_t mag =
      negative ? 0U - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const std::uint64_t whole = mag / 1000U;
  const std::uint64_t frac = mag % 1000U;
  std::array<char, 28> s{};
  std::size_t k = 0;
  s[k++] = static_cast<char>('0' + frac % 10U);
  s[k++] = static_cast<char>('0' + (frac / 10U) % 10U);
  s[k++] = static_cast<char>('0' + frac / 100U);
  s[k++] = '.';
  std::uint64_t w = whole;
  do {
    s[k++] = static_cast<char>('0' + w % 10U);
    w /= 10U;
  } while (w != 0);
  if (negative) {
    s[k++] = '-';
  }
  for (std::size_t pad = k; pad < width; ++pad) {
    put(' ');
  }
  while (k > 0) {
    put(s[--k]);
  }
  return *this;
}

line& line::temp(millicelsius t) noexcept {
  if (t == tc::window_low_none) {
    return text("-inf");
  }
  if (t == tc::window_high_none) {
    return text("inf");
  }
  return milli(t.count());
}

line& line::time(sim_time t) noexcept {
  return milli(t.time_since_epoch() / thermo::milliseconds{1}, 7);
}

void line::end() noexcept {
  if (cut_) {
    buf_[capacity - 1] = '~';
  }
  buf_[n_] = '\n';
  out_(buf_.data(), n_ + 1);
  n_ = 0;
  cut_ = false;
}

// ------------------------------------------------------------------------------------- trace

namespace {

// clang-format off
// [trace]
/// The built-in trace: idle, a burst that heats the CPUs past the power allocator's switch-on
/// (65 °C) and control (75 °C) trips and the GPU past its 75 °C trip, a cool-down below every
/// release temperature, then a runaway of the CPU sensor to 96 °C (critical trip, 95 °C).
constexpr std::array<trace_row, 13> trace{{
    //  t ms    CPU m°C  GPU m°C  little %  big %  GPU %
    {      0,  45'000,  42'000,   10,   5,    5},
    {  2'000,  45'500,  42'500,   10,   5,    5},
    {  3'000,  52'000,  48'000,   60,  90,   30},
    {  8'000,  66'000,  58'000,   80, 100,   40},
    { 12'000,  74'000,  70'000,   80, 100,   80},
    { 14'000,  77'000,  76'500,   80, 100,  100},
    { 17'000,  76'500,  78'000,   70, 100,  100},
    { 20'000,  74'000,  76'000,   60,  90,  100},
    { 23'000,  70'000,  72'000,   40,  60,   60},
    { 27'000,  61'000,  62'000,   10,   5,   10},
    { 29'000,  60'000,  58'000,   10,   5,    5},
    { 30'000,  80'000,  60'000,  100, 100,   10},
    { 31'000,  96'000,  61'000,  100, 100,   10},
}};
// [trace]
// clang-format on

constexpr std::int64_t lerp(std::int64_t a, std::int64_t b, std::int64_t num,
                            std::int64_t den) noexcept {
  return a + (b - a) * num / den;
}

}  // namespace

trace_row trace_at(sim_time t) noexcept {
  const std::int64_t ms = t.time_since_epoch() / thermo::milliseconds{1};
  for (std::size_t k = 1; k < trace.size(); ++k) {
    const trace_row& a = trace[k - 1];
    const trace_row& b = trace[k];
    if (ms < b.t_ms) {
      const std::int64_t num = ms - a.t_ms;
      const std::int64_t den = b.t_ms - a.t_ms;
      return trace_row{static_cast<std::int32_t>(ms),
                       static_cast<std::int32_t>(lerp(a.cpu_mc, b.cpu_mc, num, den)),
                       static_cast<std::int32_t>(lerp(a.gpu_mc, b.gpu_mc, num, den)),
                       static_cast<std::uint32_t>(lerp(a.little_pct, b.little_pct, num, den)),
                       static_cast<std::uint32_t>(lerp(a.big_pct, b.big_pct, num, den)),
                       static_cast<std::uint32_t>(lerp(a.gpu_pct, b.gpu_pct, num, den))};
    }
  }
  return trace.back();
}

sim_time trace_end() noexcept {
  return sim_time{thermo::milliseconds{trace.back().t_ms}};
}

// -------------------------------------------------------------------------- the chip (data)

namespace {

// [energy-models]
// The Energy Models of the RK3399's clusters and GPU, computed at compile time from the device
// tree's OPP tables and dynamic-power coefficients: they live in flash (.rodata), and a bad
// table would not compile.
constexpr const thermo::schema::soc_description& soc = thermo::presets::rk3399;
constexpr thermo::power::em_perf_domain<8> little_em =
    *thermo::schema::make_cluster_em<8>(soc.clusters[0]);
constexpr thermo::power::em_perf_domain<8> big_em =
    *thermo::schema::make_cluster_em<8>(soc.clusters[1]);
constexpr thermo::power::em_perf_domain<8> gpu_em =
    *thermo::schema::make_device_em<8>(soc.devices[0]);
// [energy-models]

using cluster_model = cluster_cooling<4>::model_type;
using gpu_model = tc::devfreq_cooling<thermo::power::em_perf_domain_view>;

/// Cooling device k of the preset (0 = cpufreq-cpu0 little, 1 = cpufreq-cpu4 big, 2 = GPU).
constexpr std::array<std::string_view, 3> device_label{{"little", "big", "gpu"}};

[[nodiscard]] std::string_view status_name(tc::update_status s) noexcept {
  switch (s) {
    case tc::update_status::updated:
      return "updated";
    case tc::update_status::no_valid_temperature:
      return "no_valid_temperature";
    case tc::update_status::read_failed:
      return "read_failed";
    case tc::update_status::broken:
      return "broken";
    case tc::update_status::not_ready:
      return "not_ready";
    case tc::update_status::skipped:
      return "skipped";
  }
  return "?";
}

[[nodiscard]] std::string_view trend_name(tc::thermal_trend t) noexcept {
  switch (t) {
    case tc::thermal_trend::stable:
      return "stable";
    case tc::thermal_trend::raising:
      return "raising";
    case tc::thermal_trend::dropping:
      return "dropping";
  }
  return "?";
}

[[nodiscard]] std::string_view trip_type_name(tc::trip_type t) noexcept {
  switch (t) {
    case tc::trip_type::active:
      return "active";
    case tc::trip_type::passive:
      return "passive";
    case tc::trip_type::hot:
      return "hot";
    case tc::trip_type::critical:
      return "critical";
  }
  return "?";
}

}  // namespace

// -------------------------------------------------------------------------------- controller

controller::controller(write_fn out) noexcept
    : out_(out),
      little_(*cluster_model::create(little_em, soc.clusters[0].cpu_ids.size()), little_pll_khz_),
      big_(*cluster_model::create(big_em, soc.clusters[1].cpu_ids.size()), big_pll_khz_),
      gpu_(*gpu_model::create(gpu_em)),
      tz_{{&cpu_tz_, &gpu_tz_}} {}

void controller::feed(const trace_row& row) noexcept {
  adc_[cpu_zone].convert(millicelsius{row.cpu_mc});
  adc_[gpu_zone].convert(millicelsius{row.gpu_mc});
  little_.set_load(row.little_pct, soc.clusters[0].cpu_capacity);
  big_.set_load(row.big_pct, soc.clusters[1].cpu_capacity);
  // The GPU runs at its cap; devfreq reports busy/total time and the current frequency.
  gpu_.set_status({row.gpu_pct, 100U, thermo::quantity_cast<thermo::hertz>(gpu_.max_frequency())});
}

bool controller::setup() noexcept {
  line(out_).text("# thermo firmware example: ").text(soc.name).end();
  line(out_)
      .text("# board ")
      .text(soc.model)
      .text(", Linux ")
      .text(soc.kernel_version.substr(0, 8))
      .end();

  // Cooling devices, in the preset's order, under the kernel's types ("devfreq-ff9a0000.gpu" for
  // the GPU: the kernel keeps a cooling device's whole type, and so does thermo).
  for (std::size_t k = 0; k < cdev_.size(); ++k) {
    const std::string_view name = soc.cooling_devices[k].name;
    const auto id = static_cast<std::int32_t>(k);
    thermo::error e;
    if (k == 0) {
      e = cdev_[k].setup(id, name, little_, events_.sink());
    } else if (k == 1) {
      e = cdev_[k].setup(id, name, big_, events_.sink());
    } else {
      e = cdev_[k].setup(id, name, gpu_, events_.sink());
    }
    line l(out_);
    l.text("cdev ")
        .num(id)
        .text(" ")
        .text(name)
        .text(" (")
        .text(device_label[k])
        .text(") max_state=")
        .num(cdev_[k].max_state());
    if (!e.ok()) {
      l.text(" setup failed: ").text(thermo::to_string(e.code)).end();
      return false;
    }
    l.end();
  }

  // [zones]
  // Both zones as the device tree describes them — trips, polling delays, sustainable power,
  // coefficients, critical action — mapped as the kernel's thermal_of does (thermal_of.hpp).
  const auto cpu_plan = tc::of_zone<3>::make(soc.thermal_zones[cpu_zone], cpu_zone);
  const auto gpu_plan = tc::of_zone<3>::make(soc.thermal_zones[gpu_zone], gpu_zone);
  const thermo::error cpu_err =
      cpu_plan ? cpu_tz_.setup(cpu_plan->config, cpu_plan->trip_span(),
                               tc::zone_sensor(adc_[cpu_zone]), tc::governor_ref(ipa_),
                               events_.sink())
               : cpu_plan.error();
  const thermo::error gpu_err =
      gpu_plan ? gpu_tz_.setup(gpu_plan->config, gpu_plan->trip_span(),
                               tc::zone_sensor(adc_[gpu_zone]), tc::governor_ref(step_wise_),
                               events_.sink())
               : gpu_plan.error();
  // [zones]
  for (std::size_t z = 0; z < num_zones; ++z) {
    const thermo::error& e = z == cpu_zone ? cpu_err : gpu_err;
    const thermo::schema::thermal_zone_desc& d = soc.thermal_zones[z];
    line l(out_);
    l.text("zone ")
        .num(static_cast<std::int64_t>(z))
        .text(" ")
        .text(d.name)
        .text(" governor=")
        .text(tz_[z]->governor().name());
    l.text(" polling=")
        .num(d.polling_delay.count())
        .text("ms passive=")
        .num(d.polling_delay_passive.count());
    l.text("ms sustainable=").num(d.sustainable_power.count()).text("mW");
    if (!e.ok()) {
      l.text(" setup failed: ").text(thermo::to_string(e.code)).text(" ").text(e.what).end();
      return false;
    }
    l.end();
    for (std::size_t i = 0; i < tz_[z]->num_trips(); ++i) {
      const tc::thermal_trip& t = tz_[z]->trip(i).trip;
      line(out_)
          .text("  trip ")
          .num(static_cast<std::int64_t>(i))
          .text(" ")
          .text(d.trips[i].name)
          .text(" ")
          .text(trip_type_name(t.type))
          .text(" T=")
          .temp(t.temperature)
          .text(" hyst=")
          .milli(t.hysteresis.count())
          .end();
    }
  }

  print_events();  // TZ_CREATE of both zones

  // [bind]
  // The cooling maps: an entry binds the device that the preset resolved for its CPU node (only
  // a policy's first CPU has one), with the map's limits and contribution; the kernel's rules
  // apply — a second entry for the same device on the same trip is refused (-EEXIST).
  for (std::size_t z = 0; z < num_zones; ++z) {
    for (const thermo::schema::cooling_map_desc& map : soc.thermal_zones[z].cooling_maps) {
      for (const thermo::schema::cooling_map_entry& entry : map.devices) {
        line l(out_);
        l.text("  bind ")
            .text(soc.thermal_zones[z].name)
            .text(" ")
            .text(map.name)
            .text(" trip ")
            .num(map.trip);
        l.text(" ").text(entry.device);
        if (entry.cooling_device < 0) {
          l.text(" -> no cooling device (not its policy's first CPU)").end();
          continue;
        }
        const tc::cooling_spec spec{entry.lower, entry.upper, map.contribution};
        const auto k = static_cast<std::size_t>(entry.cooling_device);
        const thermo::result<std::int32_t, thermo::error> r =
            tz_[z]->bind(map.trip, cdev_[k], spec);
        l.text(" ").text(cdev_[k].type());
        if (r) {
          l.text(" -> instance ").num(*r).end();
        } else {
          l.text(" -> ").text(thermo::to_string(r.error().code)).end();
        }
      }
    }
  }
  // [bind]

  const tc::pid_gains g = tc::get_pid_gains(cpu_tz_);
  line(out_)
      .text("  ipa gains k_po=")
      .num(g.k_po)
      .text(" k_pu=")
      .num(g.k_pu)
      .text(" k_i=")
      .num(g.k_i)
      .text(" k_d=")
      .num(g.k_d)
      .text(" integral_cutoff=")
      .num(g.integral_cutoff)
      .text(" actors=")
      .num(static_cast<std::int64_t>(ipa_.num_actors()))
      .end();

  // First reading at t = 0: enable both zones.
  feed(trace_at(now_));
  for (std::size_t z = 0; z < num_zones; ++z) {
    if (update_zone(z, "enable") != tc::update_status::updated) {
      return false;
    }
  }
  ready_ = true;
  return true;
}

// [timer-tick]
void controller::on_timer_tick() noexcept {
  if (!ready_ || finished_) {
    return;
  }
  now_ += tick_period;
  feed(trace_at(now_));  // the ADC converts, the scheduler reports the loads
  for (std::size_t z = 0; z < num_zones && !finished_; ++z) {
    if (next_[z] && now_ >= *next_[z]) {  // this zone's poll timer has expired
      update_zone(z, "timer");
    }
  }
  if (!finished_ && now_ >= trace_end()) {
    line(out_).time(now_).text(" trace ended").end();
    finished_ = true;
  }
}
// [timer-tick]

// [alarm]
bool controller::alarm_pending() const noexcept {
  return ready_ && !finished_ && (adc_[cpu_zone].alarm() || adc_[gpu_zone].alarm());
}

void controller::on_sensor_alarm() noexcept {
  for (std::size_t z = 0; z < num_zones && !finished_; ++z) {
    if (adc_[z].alarm()) {  // the reading left the window the zone programmed
      update_zone(z, "alarm");
    }
  }
}
// [alarm]

tc::update_status controller::update_zone(std::size_t z, std::string_view why) noexcept {
  const bool enable = why == "enable";
  const tc::update_result r = enable ? tz_[z]->enable(now_) : tz_[z]->update(now_);
  next_[z] = r.next_update;  // the zone re-arms its own poll
  if (why == "alarm") {
    ++summary_.alarm_updates;
  } else if (!enable) {
    ++summary_.timer_updates;
  }
  summary_.crossings_up += r.crossings_up;
  summary_.crossings_down += r.crossings_down;
  print_update(z, why, r);
  print_events();
  if (r.status == tc::update_status::updated) {
    if (z == cpu_zone) {
      print_ipa();
    } else {
      print_step_wise();
    }
  }
  track_states();
  if (r.critical != tc::critical_action::none) {
    summary_.critical = true;
    line(out_)
        .time(now_)
        .text(" ")
        .text(tz_[z]->type())
        .text(" critical trip: ")
        .text(r.critical == tc::critical_action::shutdown ? "shutdown" : "reboot")
        .text(" requested, stopping")
        .end();
    finished_ = true;
  }
  return r.status;
}

void controller::print_update(std::size_t z, std::string_view why,
                              const tc::update_result& r) noexcept {
  line l(out_);
  l.time(now_).text(" ").text(tz_[z]->type()).text(" ").text(why);
  if (r.status != tc::update_status::updated) {
    l.text(" ").text(status_name(r.status)).text(" ").text(thermo::to_string(r.error)).end();
    return;
  }
  l.text(" T=").temp(tz_[z]->temperature());
  l.text(" up=").num(r.crossings_up).text(" down=").num(r.crossings_down);
  l.text(" win=").temp(r.low).text("..").temp(r.high);
  l.text(" next=");
  if (r.next_update) {
    l.milli(r.next_update->time_since_epoch() / thermo::milliseconds{1});
  } else {
    l.text("none");
  }
  for (const tc::thermal_instance& i : tz_[z]->instances()) {
    for (std::size_t k = 0; k < cdev_.size(); ++k) {
      if (i.cdev == &cdev_[k]) {
        l.text(" ").text(device_label[k]).text("=").num(cdev_[k].cur_state());
      }
    }
  }
  l.end();
}

void controller::print_events() noexcept {
  while (const std::optional<tc::thermal_event> e = events_.pop()) {
    if (e->type == tc::event_type::sampling_temp) {
      continue;  // the update line already shows the temperature
    }
    line l(out_);
    l.time(now_).text(" event ").text(tc::to_string(e->type));
    switch (e->type) {
      case tc::event_type::tz_trip_up:
      case tc::event_type::tz_trip_down:
        l.text(" ")
            .text(tz_[static_cast<std::size_t>(e->tz_id)]->type())
            .text(" trip=")
            .num(e->trip_id);
        l.text(" T=").temp(e->temperature);
        break;
      case tc::event_type::cdev_state_update: {
        const auto k = static_cast<std::size_t>(e->cdev_id);
        l.text(" ").text(cdev_[k].type()).text(" state=").num(e->cdev_state).text(" cap=");
        if (k == 0) {
          l.num(little_.model().frequency_of(e->cdev_state).count());
        } else if (k == 1) {
          l.num(big_.model().frequency_of(e->cdev_state).count());
        } else {
          l.num(gpu_.frequency_of(e->cdev_state).count());
        }
        l.text("kHz");
        break;
      }
      default:
        l.text(" tz=").num(e->tz_id);
        if (!e->name.view().empty()) {
          l.text(" ").text(e->name.view());
        }
        break;
    }
    l.end();
  }
}

// [ipa-trace]
void controller::print_ipa() noexcept {
  const thermo::control::ipa::round_trace& rt = ipa_.last_round();
  if (rt.below_switch_on) {
    ++summary_.ipa_releases;
    line(out_).time(now_).text(" ipa below switch-on: PID reset, actors at max power").end();
    return;
  }
  if (!rt.allocated) {
    return;
  }
  ++summary_.ipa_rounds;
  const thermo::control::ipa::pid_terms& pid = rt.pid;  // err, p, i, d and the integral are Q10
  line(out_)
      .time(now_)
      .text(" ipa err=")
      .num(pid.err)
      .text(" p=")
      .num(pid.p)
      .text(" i=")
      .num(pid.i)
      .text(" d=")
      .num(pid.d)
      .text(" integral=")
      .num(pid.err_integral)
      .text(" sustainable=")
      .num(pid.sustainable_power)
      .text(" range=")
      .num(pid.power_range)
      .text(" req=")
      .num(rt.total_req_power)
      .text(" max=")
      .num(rt.max_allocatable_power)
      .text(" granted=")
      .num(rt.total_granted_power)
      .end();
  // Actors in bind order on the control trip, as the allocator's buffer holds them.
  const std::span<const thermo::control::ipa::power_actor> actors = ipa_.actors();
  std::size_t a = 0;
  for (const tc::thermal_instance& i : cpu_tz_.instances()) {
    if (i.trip != ipa_.trips().max || a >= actors.size()) {
      continue;
    }
    const thermo::control::ipa::power_actor& pa = actors[a++];
    for (std::size_t k = 0; k < cdev_.size(); ++k) {
      if (i.cdev != &cdev_[k]) {
        continue;
      }
      line(out_)
          .time(now_)
          .text(" ipa actor ")
          .text(device_label[k])
          .text(" req=")
          .num(pa.req_power)
          .text(" weighted=")
          .num(pa.weighted_req_power)
          .text(" max=")
          .num(pa.max_power)
          .text(" granted=")
          .num(pa.granted_power)
          .text(" extra=")
          .num(pa.extra_actor_power)
          .text(" -> state ")
          .num(cdev_[k].cur_state())
          .end();
    }
  }
}
// [ipa-trace]

void controller::print_step_wise() noexcept {
  const millicelsius t = gpu_tz_.temperature();
  for (const tc::thermal_instance& i : gpu_tz_.instances()) {
    const auto trip = static_cast<std::size_t>(i.trip);
    const bool throttle =
        tc::step_wise_throttle(decltype(step_wise_)::variant(), gpu_tz_.trip(trip), t);
    line l(out_);
    l.time(now_).text(" step_wise trip=").num(i.trip).text(" throttle=").num(throttle ? 1 : 0);
    l.text(" trend=").text(trend_name(gpu_tz_.trend(i.trip))).text(" target=");
    if (i.target == tc::no_target) {
      l.text("none");
    } else {
      l.num(i.target);
      if (i.target > 0) {
        ++summary_.gpu_votes;
      }
    }
    l.text(" state=").num(i.cdev->cur_state()).end();
  }
}

void controller::track_states() noexcept {
  for (std::size_t k = 0; k < cdev_.size(); ++k) {
    const tc::cooling_state s = cdev_[k].cur_state();
    if (s > summary_.max_state[k]) {
      summary_.max_state[k] = s;
    }
  }
}

int controller::report() noexcept {
  summary_.events_dropped = events_.dropped();
  const run_summary& s = summary_;
  line(out_)
      .text("summary updates timer=")
      .num(s.timer_updates)
      .text(" alarm=")
      .num(s.alarm_updates)
      .text(" crossings up=")
      .num(s.crossings_up)
      .text(" down=")
      .num(s.crossings_down)
      .text(" ipa rounds=")
      .num(s.ipa_rounds)
      .text(" releases=")
      .num(s.ipa_releases)
      .text(" step_wise votes=")
      .num(s.gpu_votes)
      .end();
  line(out_)
      .text("summary max states little=")
      .num(s.max_state[0])
      .text(" big=")
      .num(s.max_state[1])
      .text(" gpu=")
      .num(s.max_state[2])
      .text(" critical=")
      .text(s.critical ? "yes" : "no")
      .text(" events dropped=")
      .num(static_cast<std::int64_t>(s.events_dropped))
      .end();
  // The self-check: the trace must drive every path the example exists to show.
  const bool ok = ready_ && s.timer_updates > 0 && s.alarm_updates > 0 && s.crossings_up > 0 &&
                  s.crossings_down > 0 && s.ipa_rounds > 0 && s.ipa_releases > 0 &&
                  s.gpu_votes > 0 && s.max_state[0] > 0 && s.max_state[1] > 0 &&
                  s.max_state[2] > 0 && s.critical && s.events_dropped == 0;
  line(out_)
      .text(ok ? "summary ok" : "summary FAILED: the trace did not exercise every path")
      .end();
  return ok ? 0 : 1;
}

}  // namespace fw
