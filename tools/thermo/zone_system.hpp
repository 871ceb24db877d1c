// One thermal zone of a SoC description (a preset or an imported device tree), built the way
// Linux 6.12 builds it — through the library's one mapping of a description onto control
// objects (control/thermal_of.hpp, which the simulation uses too): the zone with its trips,
// delays and parameters, the governor chosen by name (control/governors/registry.hpp), and
// every cooling device its cooling maps bind, under the kernel's names — cpufreq (one per
// policy, Energy Model power callbacks when the EM is sane), devfreq (with or without an EM),
// pwm-fan and gpio-fan — bound with the maps' limits and contributions. The governor reproduces
// the kernel release it is given (`--kernel`, control/kernel_version.hpp). Used by `thermo
// replay`. Host code.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/registry.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/io/dt_import.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::cli {

/// A perf domain held by value (cooling devices copy their domain): ascending kHz, µW.
struct table_domain {
  struct row {
    kilohertz frequency{0};
    microwatts power{0};
  };
  std::array<row, power::default_max_opps> rows{};
  std::size_t n{0};
  [[nodiscard]] std::span<const row> states() const noexcept { return {rows.data(), n}; }
};

using cpufreq_device = control::cpufreq_cooling<table_domain, schema::max_cluster_cpus>;
using devfreq_device = control::devfreq_cooling<table_domain>;
using fan_device = control::fan_cooling<64>;

/// A cpufreq cooling device registered without power callbacks (no sane Energy Model): the
/// mandatory trio only, so the power allocator does not count it as an actor.
struct cpufreq_plain {
  cpufreq_device dev;
  [[nodiscard]] control::cooling_state get_max_state() const noexcept { return dev.get_max_state(); }
  [[nodiscard]] control::cooling_state get_cur_state() const noexcept { return dev.get_cur_state(); }
  [[nodiscard]] errc set_cur_state(control::cooling_state s) noexcept { return dev.set_cur_state(s); }
};

/// A devfreq cooling device without an Energy Model: state s ↔ the s-th highest OPP.
struct devfreq_plain {
  table_domain domain;
  control::cooling_state state{0};
  [[nodiscard]] control::cooling_state get_max_state() const noexcept {
    return static_cast<control::cooling_state>(domain.n - 1);
  }
  [[nodiscard]] control::cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(control::cooling_state s) noexcept {
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    state = s;
    return errc::ok;
  }
};

/// One cooling device bound to the zone.
struct bound_device {
  /// Name in CSV headers: the kernel's type ("cpufreq-cpu0", "devfreq-ff9a0000.gpu",
  /// "pwm-fan"); a second device of one type (two pwm-fans) adds its node: "pwm-fan(/fan1)".
  std::string column;
  std::string_view node;       ///< its device-tree node ("/gpu@ff9a0000")
  std::size_t desc{0};         ///< index in soc.cooling_devices
  schema::cooling_device_type type{};
  control::thermal_cooling_device* core{nullptr};
  cpufreq_device* cpufreq{nullptr};    ///< the driver (power model or not)
  devfreq_device* devfreq{nullptr};    ///< devfreq with an EM
  devfreq_plain* devfreq_plain_dev{nullptr};
  fan_device* fan{nullptr};
  std::vector<std::uint32_t> cpus;     ///< cpufreq: logical CPUs of the policy
  std::vector<std::uint32_t> capacity; ///< cpufreq: capacity of each CPU
};

/// A zone, its governor and its bound cooling devices. Not movable (the zone and devices point
/// at each other); build it with `zone_system::build`.
class zone_system {
 public:
  static constexpr std::size_t max_trips = 32;
  static constexpr std::size_t max_instances = 128;
  using zone_type = control::thermal_zone<max_trips, max_instances>;

  zone_system(const zone_system&) = delete;
  zone_system& operator=(const zone_system&) = delete;
  zone_system(zone_system&&) = delete;
  zone_system& operator=(zone_system&&) = delete;
  ~zone_system() = default;

  /// Builds zone `zone` of `soc` under governor `governor`. `dt` (optional: the import `soc`
  /// came from) says why a zone the description lacks was not registered. The zone is set up
  /// and bound but not enabled.
  /// `sustainable_power` (mW), when given, replaces the description's value before the zone
  /// is registered — as a device tree with that `sustainable-power` would — so the power
  /// allocator estimates its gains from it when it binds (a `--tzp` write comes after).
  /// `kernel`: the Linux release whose governor behaviour to reproduce (`--kernel`;
  /// control/kernel_version.hpp), given to the governor before it binds.
  static outcome<std::unique_ptr<zone_system>> build(const schema::soc_description& soc, const io::dt_soc* dt,
                                                     std::string_view zone, std::string_view governor,
                                                     std::optional<std::uint32_t> sustainable_power = std::nullopt,
                                                     const control::kernel_behaviour& kernel = control::kernel_behaviour{}) {
    std::unique_ptr<zone_system> s(new zone_system());
    s->sustainable_power_ = sustainable_power;
    s->governor_.set_kernel_behaviour(kernel);
    const std::string err = s->init(soc, dt, zone, governor);
    if (!err.empty()) {
      return outcome<std::unique_ptr<zone_system>>::fail(err);
    }
    return outcome<std::unique_ptr<zone_system>>(std::move(s));
  }

  [[nodiscard]] zone_type& zone() noexcept { return tz_; }
  [[nodiscard]] const zone_type& zone() const noexcept { return tz_; }
  [[nodiscard]] control::pushed_sensor& sensor() noexcept { return sensor_; }
  [[nodiscard]] control::event_ring<1024>& events() noexcept { return events_; }
  [[nodiscard]] std::span<bound_device> devices() noexcept { return devices_; }
  [[nodiscard]] std::span<const bound_device> devices() const noexcept { return devices_; }
  [[nodiscard]] std::string_view governor_name() const noexcept { return governor_.name(); }
  /// The kernel behaviour the governor reproduces.
  [[nodiscard]] const control::kernel_behaviour& kernel_behaviour() const noexcept { return governor_.behaviour(); }
  /// The power allocator, when it is the zone's governor.
  [[nodiscard]] const control::power_allocator<16>* power_allocator() const noexcept {
    return governor_.get<control::power_allocator<16>>();
  }
  [[nodiscard]] const schema::thermal_zone_desc& description() const noexcept { return *zd_; }
  /// Logical CPU numbers that a trace may name (CPUs of the SoC's cpufreq policies).
  [[nodiscard]] const std::vector<std::uint32_t>& known_cpus() const noexcept { return known_cpus_; }
  /// The cpufreq policy of CPU `cpu` (one of `known_cpus`): its name and OPP frequencies
  /// (ascending kHz); null for another CPU.
  struct cpu_policy {
    std::string name;
    std::vector<std::uint32_t> frequencies;
  };
  [[nodiscard]] const cpu_policy* policy_of(std::uint32_t cpu) const noexcept {
    for (std::size_t k = 0; k < known_cpus_.size(); ++k) {
      if (known_cpus_[k] == cpu) {
        return &policies_[cpu_policy_[k]];
      }
    }
    return nullptr;
  }
  /// Bindings the kernel would refuse with −EEXIST (a device named twice for one trip).
  [[nodiscard]] std::size_t skipped_bindings() const noexcept { return skipped_; }

 private:
  zone_system() = default;

  std::string init(const schema::soc_description& soc, const io::dt_soc* dt, std::string_view zone,
                   std::string_view governor) {
    std::size_t zi = soc.thermal_zones.size();
    for (std::size_t k = 0; k < soc.thermal_zones.size(); ++k) {
      if (soc.thermal_zones[k].name == zone) {
        zi = k;
      }
    }
    if (zi == soc.thermal_zones.size()) {
      std::string names;
      for (const auto& z : soc.thermal_zones) {
        names += names.empty() ? "" : ", ";
        names += z.name;
      }
      std::string msg = "no thermal zone " + io::quoted(zone) + " (zones: " + (names.empty() ? "none" : names) + ")";
      if (dt != nullptr) {
        for (const io::dt_problem& p : dt->problems()) {
          // the problem's node is /…/<zone> (compared in place: `"/" + std::string(zone)` trips
          // gcc 12's -Wrestrict false positive at -O3, GCC bug 105329)
          if (p.node.size() > zone.size() && p.node.ends_with(zone) && p.node[p.node.size() - zone.size() - 1] == '/') {
            msg = "thermal zone " + io::quoted(zone) + " was not registered: " + p.message;
          }
        }
      }
      return msg;
    }
    zd_ = &soc.thermal_zones[zi];
    if (sustainable_power_) {
      zd_copy_ = *zd_;
      zd_copy_.sustainable_power = milliwatts(static_cast<std::int32_t>(*sustainable_power_));
      zd_ = &zd_copy_;
    }
    const auto g = governor_.emplace(governor);
    if (!g) {
      return unknown_governor(governor);
    }
    for (const auto& cl : soc.clusters) {
      cpu_policy p{std::string(cl.name), {}};
      for (const power::opp& o : cl.opps) {
        p.frequencies.push_back(o.frequency.count());
      }
      for (const std::uint32_t id : cl.cpu_ids) {
        known_cpus_.push_back(id);
        cpu_policy_.push_back(policies_.size());
      }
      policies_.push_back(std::move(p));
    }

    // the zone, as thermal_of registers it
    const auto plan = control::of_zone<max_trips>::make(*zd_, 0);
    if (!plan) {
      return "zone " + io::quoted(zone) + " has more than " + std::to_string(max_trips) + " trips";
    }
    const error se = tz_.setup(plan->config, plan->trip_span(), control::zone_sensor(sensor_), *g, events_.sink());
    if (!se.ok()) {
      return "zone " + io::quoted(zone) + " cannot be set up: " + std::string(se.what) + " (" +
             std::string(to_string(se.code)) + ")";
    }

    // the cooling devices its maps bind, registered in order of first appearance
    std::string device_error;
    const auto bound = control::bind_cooling_maps(*zd_, [&](const control::of_binding& b) -> result<std::int32_t, error> {
      bound_device* bd = find_device(b.cooling_device);
      if (bd == nullptr) {
        device_error = add_device(soc, b.cooling_device);
        if (!device_error.empty()) {
          return error{errc::invalid_argument, "cooling device"};
        }
        bd = &devices_.back();
      }
      return tz_.bind(b.trip, *bd->core, b.spec);
    });
    if (!device_error.empty()) {
      return device_error;
    }
    if (!bound) {
      const control::of_bind_error& e = bound.error();
      return "cannot bind " + find_device(e.binding.cooling_device)->column + " to trip " + std::to_string(e.binding.trip) +
             " of " + io::quoted(zone) + ": " + std::string(e.cause.what);
    }
    skipped_ = *bound;
    return {};
  }

  bound_device* find_device(std::size_t ci) {
    for (bound_device& d : devices_) {
      if (d.desc == ci) {
        return &d;
      }
    }
    return nullptr;
  }

  static table_domain domain_from(std::span<const power::em_perf_state> states) {
    table_domain d;
    for (const auto& s : states) {
      d.rows[d.n++] = {s.frequency, s.power};
    }
    return d;
  }
  static table_domain domain_from(std::span<const power::opp> opps) {
    table_domain d;
    for (const auto& o : opps) {
      if (d.n < d.rows.size()) {
        d.rows[d.n++] = {o.frequency, microwatts(0)};
      }
    }
    return d;
  }

  std::string add_device(const schema::soc_description& soc, std::size_t ci) {
    const schema::cooling_device_desc& cd = soc.cooling_devices[ci];
    const auto of = control::of_cooling(soc, ci);
    if (!of) {
      if (std::string_view(of.error().what) == "cooling device domain") {
        return "cooling device " + std::string(cd.name) + " names no " +
               (cd.type == schema::cooling_device_type::cpufreq ? "cluster" : "device");
      }
      return "cooling device " + std::string(cd.name) + ": " + of.error().what;
    }
    bound_device bd;
    bd.desc = ci;
    bd.type = cd.type;
    bd.node = cd.node;
    bd.column = std::string(of->type);
    for (const bound_device& other : devices_) {
      if (other.column == bd.column) {
        bd.column += "(" + std::string(cd.node) + ")";  // two devices of one type: add the node
      }
    }
    const auto id = static_cast<std::int32_t>(devices_.size());
    cores_.emplace_back();
    control::thermal_cooling_device& core = cores_.back();
    const std::string_view type = of->type;
    error e{};
    switch (cd.type) {
      case schema::cooling_device_type::cpufreq: {
        const schema::cpu_cluster_desc& cl = *of->cluster;
        auto em = schema::make_cluster_em(cl);
        const bool with_power = em.has_value();
        const table_domain dom = with_power ? domain_from(em->states()) : domain_from(cl.opps);
        auto dev = cpufreq_device::create(dom, cl.cpu_ids.size());
        if (!dev) {
          return "cooling device " + std::string(cd.name) + ": " + dev.error().what;
        }
        for (std::size_t k = 0; k < cl.cpu_ids.size(); ++k) {
          bd.cpus.push_back(cl.cpu_ids[k]);
          bd.capacity.push_back(cl.cpu_capacity);
          static_cast<void>(dev->set_cpu(k, control::cpufreq_cpu_load{cl.cpu_capacity, cl.cpu_capacity, true}));
        }
        if (with_power) {
          cpufreq_.push_back(*dev);
          bd.cpufreq = &cpufreq_.back();
          e = core.setup(id, type, *bd.cpufreq, events_.sink());
        } else {
          cpufreq_plain_.push_back(cpufreq_plain{*dev});
          bd.cpufreq = &cpufreq_plain_.back().dev;
          e = core.setup(id, type, cpufreq_plain_.back(), events_.sink());
        }
        break;
      }
      case schema::cooling_device_type::devfreq: {
        const schema::device_desc& dv = *of->device;
        auto em = schema::make_device_em(dv);
        if (em) {
          auto dev = devfreq_device::create(domain_from(em->states()));
          if (!dev) {
            return "cooling device " + std::string(cd.name) + ": " + dev.error().what;
          }
          devfreq_.push_back(*dev);
          bd.devfreq = &devfreq_.back();
          e = core.setup(id, type, *bd.devfreq, events_.sink());
        } else {
          devfreq_plain_.push_back(devfreq_plain{domain_from(dv.opps), 0});
          bd.devfreq_plain_dev = &devfreq_plain_.back();
          e = core.setup(id, type, devfreq_plain_.back(), events_.sink());
        }
        break;
      }
      case schema::cooling_device_type::pwm_fan:
      case schema::cooling_device_type::gpio_fan: {
        const bool pwm = cd.type == schema::cooling_device_type::pwm_fan;
        std::vector<std::uint32_t> levels(cd.cooling_levels.begin(), cd.cooling_levels.end());
        if (levels.empty()) {
          levels.assign(cd.max_state + 1U, 0U);  // a gpio-fan's speeds do not matter to a replay
        }
        auto dev = fan_device::create(levels, pwm ? control::fan_kind::pwm : control::fan_kind::gpio,
                                      pwm ? control::no_limit : 0U);
        if (!dev) {
          return "cooling device " + std::string(cd.name) + ": " + dev.error().what;
        }
        fans_.push_back(*dev);
        bd.fan = &fans_.back();
        e = core.setup(id, type, *bd.fan, events_.sink());
        break;
      }
    }
    if (!e.ok()) {
      return "cooling device " + std::string(cd.name) + " cannot be registered: " + e.what;
    }
    bd.core = &core;
    devices_.push_back(std::move(bd));
    return {};
  }

  const schema::thermal_zone_desc* zd_{nullptr};
  std::optional<std::uint32_t> sustainable_power_;  ///< --sustainable-power (replaces the description's)
  schema::thermal_zone_desc zd_copy_{};              ///< the zone's description with it
  cli_governors::slot governor_;
  control::pushed_sensor sensor_;
  control::event_ring<1024> events_;
  std::deque<cpufreq_device> cpufreq_;
  std::deque<cpufreq_plain> cpufreq_plain_;
  std::deque<devfreq_device> devfreq_;
  std::deque<devfreq_plain> devfreq_plain_;
  std::deque<fan_device> fans_;
  std::deque<control::thermal_cooling_device> cores_;
  std::vector<bound_device> devices_;
  std::vector<std::uint32_t> known_cpus_;
  std::vector<std::size_t> cpu_policy_;  // index into policies_ of each of known_cpus_
  std::vector<cpu_policy> policies_;
  std::size_t skipped_{0};
  zone_type tz_;  // last: destroyed first (it unbinds from the devices above)
};

}  // namespace thermo::cli
