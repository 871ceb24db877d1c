/// @file simulation.hpp
/// `simulation<Limits>`: the deterministic, exact, event-driven simulation that joins the plant
/// (an RC network heated by power domains, optionally leaking), its sensors, the control code
/// (thermal zones with their governors and cooling devices — unchanged firmware code), the
/// workloads and a script of scenario events.
///
/// **Exact.** Between two events every input of the plant is constant, so the simulation
/// advances it with the modal zero-order-hold solution (rc_network.hpp) by exactly the time to
/// the next event — never on a fixed tick. Events are:
/// * zone polls at the instants the kernel's delay rules ask for (`update_result::next_update`);
/// * sensor interrupts: an interrupt-capable sensor's comparator fires at the exact instant its
///   quantised reading leaves the window the zone programmed (a root of a sum of exponentials,
///   `rc_network::first_crossing`), plus the IRQ latency; the search is redone whenever an input
///   changes;
/// * read completions (a read started at t delivers the value of t at t + conversion time);
/// * workload events (completions at the exact instant the remaining work is done at the
///   current frequency), scripted scenario events, leakage re-evaluations, recorder samples and
///   the observers that time each zone's trip crossings for the metrics.
///
/// **Deterministic.** Time is integer nanoseconds; events at one instant run in the order
/// (time, kind, sequence) — see `event_kind` and event_queue.hpp. A run is a pure function of its
/// inputs: same traces bit for bit across runs and across gcc/clang builds (with
/// `-ffp-contract=off`), which tests/sim check on a hash of the trace.
///
/// **No heap during a run.** All storage is in the object, sized by `Limits` (see
/// `default_limits`); `start` may allocate only through the optional `recorder`. The object is
/// large (the network cache holds `Limits::networks` factorised networks): put it in static
/// storage or allocate it once before the run.
///
/// **Cooling acts on the plant.** A cpufreq/devfreq cap limits the domain's frequency; below the
/// cap the domain runs at what its load asks by a schedutil-like rule: f = the lowest OPP ≥
/// 1.25 · f_max · max_core u (u frequency-invariant), capped. Idle injection removes utilisation
/// (run fraction = run / (run + idle) of the device). A fan adds convection conductance that
/// depends on its level; each fan configuration's network is factorised once and cached.
/// A critical trip's shutdown (or reboot) request stops the run and says so (`status()`).
///
/// **Fixed-step mode** (`sim_options::mode`) keeps every event time, but steps the plant on a
/// fixed grid (RK4 like HotSpot, or exact) and checks comparators and observers only at grid
/// points, re-evaluating leakage at every step: the classic reference the exact mode is tested
/// against.
///
/// See docs/explanation/simulation.md, docs/tutorials/build-a-scenario.md and
/// docs/reference/sim.md.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/cooling/idle_injection.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/power.hpp"
#include "thermo/model/rc_network.hpp"
#include "thermo/model/readout.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/sim/event_queue.hpp"
#include "thermo/sim/metrics.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/scenario.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/sim/workload_ref.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// Capacities of a `simulation` (all storage is sized by these). Derive and override what you
/// need:  `struct my_limits : thermo::sim::default_limits { static constexpr std::size_t nodes = 32; };`
struct default_limits {
  static constexpr std::size_t nodes = 16;            ///< plant nodes
  static constexpr std::size_t edges = 64;            ///< conductances between nodes (fans' included)
  static constexpr std::size_t domains = 4;           ///< power domains
  static constexpr std::size_t cores = 8;             ///< cores per domain
  static constexpr std::size_t opps = 32;             ///< OPPs per domain
  static constexpr std::size_t heat_nodes = 4;        ///< nodes one domain's power is spread over
  static constexpr std::size_t sensors = 8;
  static constexpr std::size_t probe_terms = 4;       ///< nodes one sensor reads
  static constexpr std::size_t zones = 4;
  static constexpr std::size_t trips = 8;             ///< per zone
  static constexpr std::size_t instances = 8;         ///< cooling bindings per zone
  static constexpr std::size_t cooling_devices = 8;
  static constexpr std::size_t fans = 2;
  static constexpr std::size_t fan_levels = 16;
  static constexpr std::size_t fan_paths = 4;         ///< conductances one fan drives
  static constexpr std::size_t networks = 4;          ///< cached fan configurations
  static constexpr std::size_t workloads = 4;
  static constexpr std::size_t scenario_events = 64;
  static constexpr std::size_t crossings = 256;       ///< crossing records kept
  static constexpr std::size_t channels = 8;          ///< custom recorder channels
};

/// One node receiving a share of a domain's power.
struct heat_share {
  std::size_t node{0};
  double weight{1.0};  ///< > 0; shares are normalised to sum to 1
};

/// A power domain of the plant (a CPU cluster, a GPU).
struct domain_config {
  power_domain_config<double> power{};        ///< OPPs, C, cores, leakage, idle power
  std::span<const heat_share> heat{};         ///< where its heat goes (≥ 1 node)
  bool cpu{true};                             ///< CPU cluster (cpufreq) or device (devfreq)
  std::uint32_t cpu_capacity{1024};           ///< `arch_scale_cpu_capacity` of its CPUs (1..1024)
};

/// A sensor: which node(s) it reads and its properties.
struct sensor_config {
  std::string_view name{};
  std::span<const weighted_node<double>> probe{};  ///< Σ weight·T (weights as given)
  sensor_params params{};
};

/// A thermal zone: the control code's configuration plus the sensor it reads.
struct zone_setup {
  control::zone_config config{};
  std::span<const control::thermal_trip> trips{};
  std::size_t sensor{0};              ///< a sensor no other zone uses
  control::governor_ref governor{};   ///< user-owned; must outlive the simulation's run
  bool enabled{true};                 ///< enabled at `start` (else by a scenario event)
};

/// A conductance a fan drives: g(s) = off + (full − off)·(level(s) / max level)^exponent, in
/// parallel with the network's own conductance on that path.
struct fan_path {
  static constexpr std::size_t ambient = static_cast<std::size_t>(-1);
  std::size_t node{0};
  std::size_t peer{ambient};      ///< another node, or `ambient`
  double conductance_off{0.0};    ///< W/K at zero airflow (also when the fan has failed), ≥ 0
  double conductance_full{0.0};   ///< W/K at full airflow, ≥ 0
  double exponent{0.8};           ///< forced convection grows like airflow^0.8, > 0
};

/// A fan cooling device and the conductances it drives.
struct fan_config {
  std::string_view name{"pwm-fan"};                 ///< cooling-device type (≤ 19 characters)
  std::span<const std::uint32_t> levels{};          ///< PWM (or RPM) per state
  control::fan_kind kind{control::fan_kind::pwm};
  std::span<const fan_path> paths{};
  control::cooling_state initial_state{control::no_limit};  ///< no_limit: the top state (pwm-fan probe)
};

/// A user channel in the trace: `fn(ctx)` is called at every recorded row.
struct custom_channel {
  std::string_view name{};
  std::string_view unit{};
  double (*fn)(const void* ctx) noexcept {nullptr};
  const void* ctx{nullptr};
};

/// The simulation (see the file comment).
template <class Limits = default_limits>
class simulation {
 public:
  static constexpr std::size_t max_nodes = Limits::nodes;
  using network_type = rc_network<double, Limits::nodes>;
  using builder_type = rc_network_builder<double, Limits::nodes, Limits::edges>;
  using probe_type = rc_probe<double, Limits::nodes>;
  using zone_type = control::thermal_zone<Limits::trips, Limits::instances>;
  using domain_model = power_domain<double, Limits::opps>;
  using em_type = power::em_perf_domain<Limits::opps>;
  using cpufreq_type = control::cpufreq_cooling<power::em_perf_domain_view, Limits::cores>;
  using devfreq_type = control::devfreq_cooling<power::em_perf_domain_view>;
  using fan_type = control::fan_cooling<Limits::fan_levels>;
  using metrics_type = run_metrics<Limits::zones, Limits::trips, Limits::domains, Limits::cooling_devices,
                                   Limits::nodes, Limits::crossings>;

  /// A simulation with nothing in it.
  simulation() noexcept = default;
  simulation(const simulation&) = delete;
  simulation& operator=(const simulation&) = delete;
  simulation(simulation&&) = delete;
  simulation& operator=(simulation&&) = delete;
  ~simulation() = default;

  // ================================================================ set-up (before start)

  /// The plant's network *without* fans (fans add their conductances in parallel). Copied.
  /// Errors: `busy`-like `already_exists` after `start`; `empty` "node count".
  [[nodiscard]] error set_plant(const builder_type& b) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (b.size() == 0) {
      return {errc::empty, "node count"};
    }
    base_ = b;
    plant_set_ = true;
    ambient_ = b.ambient();
    return {};
  }

  /// Names for the trace columns (`names.size() ≤ nodes`; views must outlive the simulation).
  void set_node_names(std::span<const std::string_view> names) noexcept {
    for (std::size_t i = 0; i < names.size() && i < Limits::nodes; ++i) {
      node_names_[i] = names[i];
    }
  }

  /// Initial node temperatures [°C] (default: ambient). Errors: `invalid_argument` "initial
  /// temperatures" (size ≠ node count), `not_finite` "initial temperature" (index = node).
  [[nodiscard]] error set_initial_temperatures(std::span<const double> t) noexcept {
    if (!plant_set_ || t.size() != base_.size()) {
      return {errc::invalid_argument, "initial temperatures", static_cast<std::int32_t>(t.size())};
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!std::isfinite(t[i])) {
        return {errc::not_finite, "initial temperature", idx(i)};
      }
      initial_[i] = t[i];
    }
    has_initial_ = true;
    return {};
  }

  /// Options of the run. Errors: `non_positive` "fixed step" / "leakage interval" / "crossing
  /// tolerance" / "search horizon"; `negative` "record interval" / "min irq interval";
  /// `out_of_range` "schedutil headroom" (< 1 or not finite).
  [[nodiscard]] error set_options(const sim_options& o) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (o.fixed_step.count() <= 0) {
      return {errc::non_positive, "fixed step"};
    }
    if (o.leakage_interval.count() <= 0) {
      return {errc::non_positive, "leakage interval"};
    }
    if (!(o.crossing_tolerance > 0.0) || !std::isfinite(o.crossing_tolerance)) {
      return {errc::non_positive, "crossing tolerance"};
    }
    if (o.search_horizon.count() <= 0) {
      return {errc::non_positive, "search horizon"};
    }
    if (o.record_interval.count() < 0) {
      return {errc::negative, "record interval"};
    }
    if (o.min_irq_interval.count() < 0) {
      return {errc::negative, "min irq interval"};
    }
    if (!(o.schedutil_headroom >= 1.0) || !std::isfinite(o.schedutil_headroom)) {
      return {errc::out_of_range, "schedutil headroom"};
    }
    opt_ = o;
    return {};
  }
  [[nodiscard]] const sim_options& options() const noexcept { return opt_; }

  /// Adds a power domain. Returns its index. Errors: those of `power_domain::make`;
  /// `out_of_range` "domain cores" (> Limits::cores); `empty` "heat nodes";
  /// `capacity_exceeded` "heat nodes" / "domains"; `out_of_range` "heat node" (index = share);
  /// `non_positive` "heat weight" (≤ 0 or NaN, index = share); `out_of_range` "cpu capacity".
  [[nodiscard]] result<std::size_t, error> add_domain(const domain_config& c) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (domains_.full()) {
      return error{errc::capacity_exceeded, "domains"};
    }
    if (c.power.cores > Limits::cores) {
      return error{errc::out_of_range, "domain cores", static_cast<std::int32_t>(c.power.cores)};
    }
    if (c.heat.empty()) {
      return error{errc::empty, "heat nodes"};
    }
    if (c.heat.size() > Limits::heat_nodes) {
      return error{errc::capacity_exceeded, "heat nodes", idx(c.heat.size())};
    }
    if (c.cpu_capacity == 0 || c.cpu_capacity > 1024) {
      return error{errc::out_of_range, "cpu capacity", static_cast<std::int32_t>(c.cpu_capacity)};
    }
    double sum = 0.0;
    for (std::size_t k = 0; k < c.heat.size(); ++k) {
      if (!plant_set_ || c.heat[k].node >= base_.size()) {
        return error{errc::out_of_range, "heat node", idx(k)};
      }
      if (!(c.heat[k].weight > 0.0) || !std::isfinite(c.heat[k].weight)) {
        return error{errc::non_positive, "heat weight", idx(k)};
      }
      sum += c.heat[k].weight;
    }
    auto model = domain_model::make(c.power);
    if (!model) {
      return model.error();
    }
    const std::size_t d = domains_.size();
    static_cast<void>(domains_.emplace_back());
    domain_slot& s = domains_[d];
    s.model.emplace(*model);
    for (const heat_share& h : c.heat) {
      static_cast<void>(s.heat.push_back(heat_share{h.node, h.weight / sum}));
    }
    s.cpu = c.cpu;
    s.capacity = c.cpu_capacity;
    s.cores = c.power.cores;
    // The control side's Energy Model, as the kernel registers it from the same OPPs.
    std::array<power::em_cpu, Limits::cores> cpus{};
    for (std::size_t i = 0; i < s.cores; ++i) {
      cpus[i] = power::em_cpu{static_cast<std::uint32_t>(i), c.cpu_capacity};
    }
    const auto coefficient = static_cast<std::uint32_t>(std::lround(c.power.dynamic_power_coefficient));
    auto em = em_type::make_from_opps(c.power.opps, coefficient,
                                      c.cpu ? std::span<const power::em_cpu>(cpus.data(), s.cores)
                                            : std::span<const power::em_cpu>{});
    if (em) {
      s.em.emplace(*em);
    }
    for (std::size_t k = 0; k < s.model->opps().size(); ++k) {
      s.opp_hz[k] = s.model->frequency(k).count();
      s.core_power[k] = s.model->core_dynamic_power(k).count();
    }
    s.opp = 0;
    s.cap_opp = s.model->opps().size() - 1;
    return d;
  }

  /// Adds a sensor. Returns its index. Errors: `capacity_exceeded` "sensors" / "probe terms";
  /// `empty` "probe"; `out_of_range` "probe node" (index = term); `not_finite` "probe weight";
  /// those of `validate(sensor_params)`.
  [[nodiscard]] result<std::size_t, error> add_sensor(const sensor_config& c) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (sensors_.full()) {
      return error{errc::capacity_exceeded, "sensors"};
    }
    if (c.probe.empty()) {
      return error{errc::empty, "probe"};
    }
    if (c.probe.size() > Limits::probe_terms) {
      return error{errc::capacity_exceeded, "probe terms", idx(c.probe.size())};
    }
    for (std::size_t k = 0; k < c.probe.size(); ++k) {
      if (!plant_set_ || c.probe[k].node >= base_.size()) {
        return error{errc::out_of_range, "probe node", idx(k)};
      }
      if (!std::isfinite(c.probe[k].weight)) {
        return error{errc::not_finite, "probe weight", idx(k)};
      }
    }
    auto m = sensor_model::make(c.params);
    if (!m) {
      return m.error();
    }
    const std::size_t s = sensors_.size();
    static_cast<void>(sensors_.emplace_back());
    sensor_slot& ss = sensors_[s];
    ss.model = *m;
    ss.name = c.name;
    for (const auto& t : c.probe) {
      static_cast<void>(ss.terms.push_back(t));
    }
    return s;
  }

  /// A cpufreq cooling device on CPU domain `domain` (a QoS frequency cap over its EM).
  /// Errors: `out_of_range` "domain"; `not_supported` "domain has no energy model" / "not a CPU
  /// domain"; those of `cpufreq_cooling::create` and `thermal_cooling_device::setup`;
  /// `capacity_exceeded` "cooling devices".
  [[nodiscard]] result<std::size_t, error> add_cpufreq_cooling(std::size_t domain, std::string_view type) noexcept {
    if (const error e = check_cooling_domain(domain, true); !e.ok()) {
      return e;
    }
    domain_slot& d = domains_[domain];
    auto dev = cpufreq_type::create(d.em->view(), d.cores);
    if (!dev) {
      return dev.error();
    }
    const std::size_t c = cooling_.size();
    static_cast<void>(cooling_.emplace_back());
    cooling_slot& s = cooling_[c];
    s.kind = cooling_kind::cpufreq;
    s.target = domain;
    s.dev.template emplace<cpufreq_type>(*dev);
    return finish_cooling(c, type, std::get<cpufreq_type>(s.dev));
  }

  /// A devfreq cooling device on device domain `domain` (a GPU). Errors as `add_cpufreq_cooling`
  /// ("not a device domain").
  [[nodiscard]] result<std::size_t, error> add_devfreq_cooling(std::size_t domain, std::string_view type) noexcept {
    if (const error e = check_cooling_domain(domain, false); !e.ok()) {
      return e;
    }
    auto dev = devfreq_type::create(domains_[domain].em->view());
    if (!dev) {
      return dev.error();
    }
    const std::size_t c = cooling_.size();
    static_cast<void>(cooling_.emplace_back());
    cooling_slot& s = cooling_[c];
    s.kind = cooling_kind::devfreq;
    s.target = domain;
    s.dev.template emplace<devfreq_type>(*dev);
    return finish_cooling(c, type, std::get<devfreq_type>(s.dev));
  }

  /// An idle-injection cooling device on domain `domain` (`idle` = DT duration-us).
  [[nodiscard]] result<std::size_t, error> add_idle_injection(std::size_t domain, std::string_view type,
                                                              microseconds idle = microseconds{4000}) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (domain >= domains_.size()) {
      return error{errc::out_of_range, "domain", idx(domain)};
    }
    if (cooling_.full()) {
      return error{errc::capacity_exceeded, "cooling devices"};
    }
    auto dev = control::idle_injection_cooling::create(idle);
    if (!dev) {
      return dev.error();
    }
    const std::size_t c = cooling_.size();
    static_cast<void>(cooling_.emplace_back());
    cooling_slot& s = cooling_[c];
    s.kind = cooling_kind::idle_injection;
    s.target = domain;
    s.dev.template emplace<control::idle_injection_cooling>(*dev);
    return finish_cooling(c, type, std::get<control::idle_injection_cooling>(s.dev));
  }

  /// A fan. Errors: `capacity_exceeded` "fans" / "fan paths" / "edges (fan paths)";
  /// `empty` "fan paths"; `out_of_range` "fan path node" / "fan path peer" (index = path);
  /// `invalid_argument` "fan path peer" (peer = node); `negative`/`not_finite` "fan
  /// conductance"; `non_positive` "fan exponent"; those of `fan_cooling::create`.
  [[nodiscard]] result<std::size_t, error> add_fan(const fan_config& f) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (fans_.full()) {
      return error{errc::capacity_exceeded, "fans"};
    }
    if (cooling_.full()) {
      return error{errc::capacity_exceeded, "cooling devices"};
    }
    if (f.paths.empty()) {
      return error{errc::empty, "fan paths"};
    }
    if (f.paths.size() > Limits::fan_paths) {
      return error{errc::capacity_exceeded, "fan paths", idx(f.paths.size())};
    }
    std::size_t new_edges = 0;
    for (std::size_t k = 0; k < f.paths.size(); ++k) {
      const fan_path& p = f.paths[k];
      if (!plant_set_ || p.node >= base_.size()) {
        return error{errc::out_of_range, "fan path node", idx(k)};
      }
      if (p.peer != fan_path::ambient && p.peer >= base_.size()) {
        return error{errc::out_of_range, "fan path peer", idx(k)};
      }
      if (p.peer == p.node) {
        return error{errc::invalid_argument, "fan path peer", idx(k)};
      }
      if (!std::isfinite(p.conductance_off) || !std::isfinite(p.conductance_full)) {
        return error{errc::not_finite, "fan conductance", idx(k)};
      }
      if (p.conductance_off < 0.0 || p.conductance_full < 0.0) {
        return error{errc::negative, "fan conductance", idx(k)};
      }
      if (!(p.exponent > 0.0) || !std::isfinite(p.exponent)) {
        return error{errc::non_positive, "fan exponent", idx(k)};
      }
      new_edges += p.peer == fan_path::ambient ? 0U : 1U;
    }
    if (base_.edge_count() + fan_edges_ + new_edges > Limits::edges) {
      return error{errc::capacity_exceeded, "edges (fan paths)"};
    }
    auto dev = fan_type::create(f.levels, f.kind, f.initial_state);
    if (!dev) {
      return dev.error();
    }
    const std::size_t fi = fans_.size();
    static_cast<void>(fans_.emplace_back());
    fan_slot& fs = fans_[fi];
    for (const fan_path& p : f.paths) {
      static_cast<void>(fs.paths.push_back(p));
    }
    std::uint32_t top = 0;
    for (const std::uint32_t l : f.levels) {
      top = std::max(top, l);
    }
    fs.max_level = top;
    fan_edges_ += new_edges;
    const std::size_t c = cooling_.size();
    static_cast<void>(cooling_.emplace_back());
    cooling_slot& s = cooling_[c];
    s.kind = cooling_kind::fan;
    s.target = fi;
    fs.cooling = c;
    s.dev.template emplace<fan_type>(*dev);
    auto r = finish_cooling(c, f.name, std::get<fan_type>(s.dev));
    if (!r) {
      fans_.pop_back();
      fan_edges_ -= new_edges;
    }
    return r;
  }

  /// A thermal zone reading sensor `z.sensor`. Returns its index. Errors: `capacity_exceeded`
  /// "zones"; `out_of_range` "zone sensor"; `already_exists` "zone sensor" (used by another
  /// zone); those of `thermal_zone_device::setup`.
  [[nodiscard]] result<std::size_t, error> add_zone(const zone_setup& z) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (zone_count_ == Limits::zones) {
      return error{errc::capacity_exceeded, "zones"};
    }
    if (z.sensor >= sensors_.size()) {
      return error{errc::out_of_range, "zone sensor", idx(z.sensor)};
    }
    if (sensors_[z.sensor].zone != none) {
      return error{errc::already_exists, "zone sensor", idx(z.sensor)};
    }
    const std::size_t zi = zone_count_;
    zone_slot& s = zones_[zi];
    s.owner = this;
    s.index = zi;
    s.sensor = z.sensor;
    s.interrupt = sensors_[z.sensor].model.params().interrupt;
    s.enabled_at_start = z.enabled;
    const control::zone_sensor port = s.interrupt ? control::zone_sensor(s.port)
                                                  : control::zone_sensor(static_cast<polled_port&>(s.port));
    const error e = s.zone.setup(z.config, z.trips, port, z.governor,
                                 control::event_sink(&simulation::on_zone_event, &s));
    if (!e.ok()) {
      return e;
    }
    sensors_[z.sensor].zone = zi;
    ++zone_count_;
    return zi;
  }

  /// Binds cooling device `cooling` to trip `trip` of zone `zone` (a cooling-map entry).
  /// Returns the instance id. Errors: `out_of_range` "zone" / "cooling device"; those of
  /// `thermal_zone_device::bind` (`already_exists` for a repeated binding …).
  [[nodiscard]] result<std::int32_t, error> bind(std::size_t zone, std::int32_t trip, std::size_t cooling,
                                                 control::cooling_spec spec = {}) noexcept {
    if (zone >= zone_count_) {
      return error{errc::out_of_range, "zone", idx(zone)};
    }
    if (cooling >= cooling_.size()) {
      return error{errc::out_of_range, "cooling device", idx(cooling)};
    }
    return zones_[zone].zone.bind(trip, cooling_[cooling].core, spec);
  }

  /// Adds a workload (user-owned; must outlive the run) on its `domain()`, on cores
  /// [first_core, first_core + cores()). Demands of workloads sharing a core add up (capped at 1).
  /// Errors: `capacity_exceeded` "workloads"; `out_of_range` "workload domain" / "workload
  /// cores" (index = domain).
  template <workload::Workload W>
  [[nodiscard]] result<std::size_t, error> add_workload(W& w, std::size_t first_core = 0) noexcept {
    return add_workload(workload_ref(w), first_core);
  }
  /// `add_workload` for an already wrapped workload.
  [[nodiscard]] result<std::size_t, error> add_workload(workload_ref w, std::size_t first_core = 0) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (workloads_.full()) {
      return error{errc::capacity_exceeded, "workloads"};
    }
    if (w.empty() || w.domain() >= domains_.size()) {
      return error{errc::out_of_range, "workload domain", w.empty() ? -1 : idx(w.domain())};
    }
    const std::size_t d = w.domain();
    if (w.cores() == 0 || first_core + w.cores() > domains_[d].cores) {
      return error{errc::out_of_range, "workload cores", idx(d)};
    }
    const std::size_t i = workloads_.size();
    static_cast<void>(workloads_.emplace_back());
    workloads_[i].ref = w;
    workloads_[i].domain = d;
    workloads_[i].first_core = first_core;
    workloads_[i].cores = w.cores();
    return i;
  }

  /// Adds a scripted event. Errors: `capacity_exceeded` "scenario events"; `negative` "event
  /// time"; `out_of_range` "event target" (node, fan, sensor or zone index); `not_finite`
  /// "event value"; `invalid_argument` "event callback" (call without a function) / "fan"
  /// (target is not a fan).
  [[nodiscard]] error add_event(const scenario_event& e) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (events_.full()) {
      return {errc::capacity_exceeded, "scenario events"};
    }
    if (e.at.count() < 0) {
      return {errc::negative, "event time"};
    }
    const auto bad_target = error{errc::out_of_range, "event target", idx(e.target)};
    switch (e.action) {
      case scenario_action::set_ambient:
        if (!std::isfinite(e.value)) {
          return {errc::not_finite, "event value"};
        }
        break;
      case scenario_action::set_node_power:
        if (!plant_set_ || e.target >= base_.size()) {
          return bad_target;
        }
        if (!std::isfinite(e.value)) {
          return {errc::not_finite, "event value"};
        }
        break;
      case scenario_action::fan_failure:
      case scenario_action::fan_restore:
        if (e.target >= cooling_.size()) {
          return bad_target;
        }
        if (cooling_[e.target].kind != cooling_kind::fan) {
          return {errc::invalid_argument, "fan", idx(e.target)};
        }
        break;
      case scenario_action::sensor_fault:
      case scenario_action::sensor_restore:
        if (e.target >= sensors_.size()) {
          return bad_target;
        }
        break;
      case scenario_action::zone_enable:
      case scenario_action::zone_disable:
      case scenario_action::set_trip_temperature:
        if (e.target >= zone_count_) {
          return bad_target;
        }
        break;
      case scenario_action::call:
        if (e.fn == nullptr) {
          return {errc::invalid_argument, "event callback"};
        }
        break;
    }
    static_cast<void>(events_.push_back(e));
    return {};
  }

  /// Adds a custom trace channel. Errors: `capacity_exceeded` "channels", `invalid_argument`
  /// "channel function".
  [[nodiscard]] error add_channel(const custom_channel& c) noexcept {
    if (channels_.full()) {
      return {errc::capacity_exceeded, "channels"};
    }
    if (c.fn == nullptr) {
      return {errc::invalid_argument, "channel function"};
    }
    static_cast<void>(channels_.push_back(c));
    return {};
  }

  /// Where rows go (optional; user-owned). `start` configures its columns (allocates there).
  void set_recorder(recorder* r) noexcept { recorder_ = r; }
  /// Every netlink event of the zones and cooling devices is also passed to `sink`. Set before
  /// adding zones and cooling devices.
  void set_event_sink(control::event_sink sink) noexcept { user_sink_ = sink; }

  /// Finishes set-up at time `t0` and runs the initial zone updates. After it only `run_until`
  /// and the read accessors are used. Errors: `empty` "plant"; `already_exists` (started
  /// twice); network errors ("no path to ambient" …) naming the node or edge; `capacity_exceeded`
  /// "networks" (no cache slot).
  [[nodiscard]] error start(sim_time t0 = sim_time{0}) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (!plant_set_) {
      return {errc::empty, "plant"};
    }
    now_ = t0;
    // Networks: the initial fan configuration, then every other one if they all fit.
    net_key key = current_key();
    auto slot = build_network(key);
    if (!slot) {
      return slot.error();
    }
    cur_net_ = *slot;
    network_type& net = nets_[cur_net_].net;
    if (has_initial_) {
      const error e = net.set_temperatures(std::span<const double>(initial_.data(), net.size()));
      if (!e.ok()) {
        return e;
      }
    }
    for (std::size_t i = 0; i < net.size(); ++i) {
      temps_[i] = net.temperature(i);
    }
    precompute_fan_networks();
    // Scenario events: stable order by time (insertion sort keeps ties in insertion order).
    for (std::size_t i = 1; i < events_.size(); ++i) {
      for (std::size_t j = i; j > 0 && events_[j].at < events_[j - 1].at; --j) {
        std::swap(events_[j], events_[j - 1]);
      }
    }
    // Timers.
    queue_.set_kind(timer_scenario, static_cast<std::uint8_t>(event_kind::scenario));
    queue_.set_kind(timer_leakage, static_cast<std::uint8_t>(event_kind::leakage));
    queue_.set_kind(timer_tick, static_cast<std::uint8_t>(event_kind::tick));
    for (std::size_t z = 0; z < zone_count_; ++z) {
      queue_.set_kind(zone_timer(z, zt_poll), static_cast<std::uint8_t>(event_kind::poll));
      queue_.set_kind(zone_timer(z, zt_irq), static_cast<std::uint8_t>(event_kind::interrupt));
      queue_.set_kind(zone_timer(z, zt_read), static_cast<std::uint8_t>(event_kind::read_complete));
      queue_.set_kind(zone_timer(z, zt_comparator), static_cast<std::uint8_t>(event_kind::comparator));
      queue_.set_kind(zone_timer(z, zt_observer), static_cast<std::uint8_t>(event_kind::observer));
    }
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
      queue_.set_kind(workload_timer(w), static_cast<std::uint8_t>(event_kind::workload));
      workloads_[w].last = t0;
      workloads_[w].util_dirty = true;
      workloads_[w].next_dirty = true;
    }
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      fans_[f].state = cooling_[fans_[f].cooling].core.cur_state();
    }
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      cooling_[c].applied = cooling_[c].core.cur_state();
      cooling_[c].since = t0;
    }
    leakage_ = false;
    for (const domain_slot& d : domains_) {
      leakage_ = leakage_ || d.model->leakage().enabled();
    }
    metrics_init();
    started_ = true;
    status_ = run_status::running;
    // Inputs first (cooling devices see the load), then the zones' first updates.
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      domain_limits(d);
    }
    inputs_dirty_ = true;
    refresh_inputs();
    for (std::size_t z = 0; z < zone_count_; ++z) {
      observer_reset(z);
    }
    for (std::size_t z = 0; z < zone_count_; ++z) {
      if (zones_[z].enabled_at_start && status_ == run_status::running) {
        prime_reading(z);
        handle_update(z, zones_[z].zone.enable(now_));
      }
    }
    if (inputs_dirty_) {
      refresh_inputs();
    }
    if (recorder_ != nullptr) {
      configure_recorder();
      read_sensors();
      record(event_kind::start, 0);
    }
    next_scenario_ = 0;
    schedule_scenario();
    if (leakage_ && opt_.mode == time_mode::event_driven) {
      queue_.schedule(timer_leakage, t0 + opt_.leakage_interval);
    }
    next_sample_ = recorder_ != nullptr && opt_.record_interval.count() > 0 ? t0 + opt_.record_interval : workload::never;
    if (opt_.mode == time_mode::fixed_step) {
      queue_.schedule(timer_tick, next_grid(t0, opt_.fixed_step));
    }
    read_sensors();
    observe_peaks();
    search_dirty_ = true;
    return {};
  }

  // ================================================================ running

  /// Processes every event up to and including `end`, then advances the plant to `end`.
  /// Returns `running`, or `shutdown` / `reboot` when a critical trip stopped the run (then
  /// `now()` is the instant it did). Precondition: started. No heap.
  run_status run_until(sim_time end) noexcept {
    THERMO_ASSERT(started_);
    if (status_ != run_status::running) {
      return status_;
    }
    while (true) {
      if (search_dirty_ && (queue_.empty() || queue_.top().time > now_)) {
        do_searches(now_);
      }
      const sim_time next = queue_.empty() ? end : std::min(queue_.top().time, end);
      if (next > now_ && expire_searches(next)) {
        do_searches(next);  // extend the searches that end before the next step
        continue;
      }
      if (queue_.empty() || queue_.top().time > end) {
        break;
      }
      const queued_event ev = queue_.pop();
      if (ev.time > now_) {
        record_samples(ev.time, false);
        advance_to(ev.time);
      }
      dispatch(ev.timer);
      ++metrics_.events;
      if (inputs_dirty_) {
        refresh_inputs();
      }
      read_sensors();
      observe_peaks();
      if (opt_.record_events && recorder_ != nullptr) {
        record(static_cast<event_kind>(ev.kind), source_of(ev.timer));
      }
      if (status_ != run_status::running) {
        return status_;
      }
    }
    record_samples(end, true);
    if (end > now_) {
      advance_to(end);
    }
    return status_;
  }

  // ================================================================ state

  [[nodiscard]] run_status status() const noexcept { return status_; }
  /// The zone whose critical trip stopped the run (meaningful when status is shutdown/reboot).
  [[nodiscard]] std::size_t stopped_by() const noexcept { return stopped_by_; }
  [[nodiscard]] sim_time now() const noexcept { return now_; }
  [[nodiscard]] std::size_t node_count() const noexcept { return base_.size(); }
  [[nodiscard]] std::size_t zone_count() const noexcept { return zone_count_; }
  [[nodiscard]] std::size_t domain_count() const noexcept { return domains_.size(); }
  [[nodiscard]] std::size_t sensor_count() const noexcept { return sensors_.size(); }
  [[nodiscard]] std::size_t cooling_count() const noexcept { return cooling_.size(); }
  [[nodiscard]] std::size_t workload_count() const noexcept { return workloads_.size(); }

  /// Temperature of node `i` now [°C]. O(N).
  [[nodiscard]] double temperature(std::size_t i) const noexcept {
    THERMO_ASSERT(i < base_.size());
    return integrating_temps() ? temps_[i] : nets_[cur_net_].net.temperature(i);
  }
  /// The continuous temperature at sensor `s` (its probe, no offset, quantisation or noise). O(N).
  [[nodiscard]] double sensed_temperature(std::size_t s) const noexcept {
    THERMO_ASSERT(s < sensors_.size());
    if (integrating_temps()) {
      double v = 0.0;
      for (const auto& t : sensors_[s].terms) {
        v += t.weight * temps_[t.node];
      }
      return v;
    }
    return nets_[cur_net_].net.read(nets_[cur_net_].probes[s]);
  }
  /// The ambient temperature [°C].
  [[nodiscard]] double ambient() const noexcept { return ambient_; }
  /// Power applied to node `i` [W].
  [[nodiscard]] double node_power(std::size_t i) const noexcept { return node_power_[i]; }
  /// Domain `d`'s current frequency [Hz], OPP index, run fraction, power breakdown and the
  /// state its workloads see.
  [[nodiscard]] double frequency(std::size_t d) const noexcept { return domains_[d].state.frequency_hz; }
  [[nodiscard]] std::size_t opp(std::size_t d) const noexcept { return domains_[d].opp; }
  [[nodiscard]] double run_fraction(std::size_t d) const noexcept { return domains_[d].state.run_fraction; }
  [[nodiscard]] const power_breakdown<double>& domain_power(std::size_t d) const noexcept { return domains_[d].power; }
  [[nodiscard]] const workload::domain_state& domain_state(std::size_t d) const noexcept { return domains_[d].state; }
  [[nodiscard]] const domain_model& domain(std::size_t d) const noexcept { return *domains_[d].model; }
  /// The Energy Model registered for domain `d` (absent when it has no power data).
  [[nodiscard]] const std::optional<em_type>& energy_model(std::size_t d) const noexcept { return domains_[d].em; }
  /// Zone `z` (the control object: temperature, trips, instances, params for tuning).
  [[nodiscard]] control::thermal_zone_device& zone(std::size_t z) noexcept { return zones_[z].zone; }
  [[nodiscard]] const control::thermal_zone_device& zone(std::size_t z) const noexcept { return zones_[z].zone; }
  /// Cooling device `c` (the core object: state, instances, driver handle).
  [[nodiscard]] control::thermal_cooling_device& cooling_device(std::size_t c) noexcept { return cooling_[c].core; }
  [[nodiscard]] const control::thermal_cooling_device& cooling_device(std::size_t c) const noexcept {
    return cooling_[c].core;
  }
  /// Sensor `s`'s model (faults, parameters).
  [[nodiscard]] const sensor_model& sensor(std::size_t s) const noexcept { return sensors_[s].model; }
  /// The network in use (current fan configuration).
  [[nodiscard]] const network_type& network() const noexcept { return nets_[cur_net_].net; }

  /// The metrics so far (open intervals — time above a trip, time active — are closed at
  /// `now()` in the copy returned). O(zones·trips + cooling devices).
  [[nodiscard]] metrics_type metrics() const noexcept {
    metrics_type m = metrics_;
    m.duration = now_ - t0_;
    m.network_builds = network_builds_;
    for (std::size_t z = 0; z < zone_count_; ++z) {
      const zone_slot& s = zones_[z];
      for (std::size_t i = 0; i < m.zones[z].trips.size(); ++i) {
        trip_metrics& t = m.zones[z].trips[i];
        if (s.obs_above[i]) {
          t.time_above_s += seconds_between(s.above_since[i], now_);
        }
        if (s.reached[i]) {
          t.time_reached_s += seconds_between(s.reached_since[i], now_);
        }
        t.latency_mean_s = t.detections != 0 ? s.latency_sum[i] / t.detections : 0.0;
        t.release_latency_mean_s = t.releases != 0 ? s.release_sum[i] / t.releases : 0.0;
      }
    }
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      if (cooling_[c].applied != 0) {
        m.cooling[c].time_active_s += seconds_between(cooling_[c].since, now_);
      }
    }
    return m;
  }

 private:
  // ---------------------------------------------------------------- storage types
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  // Observers and comparators look for a level a little past the exact one: 1 nK, or more when
  // the network's representation of this probe cannot resolve that (a huge steady state with
  // cancelling modes), so that a crossing just reported is never reported again from the other
  // side at the same instant. See `band`.
  static constexpr double min_band = 1e-9;  // °C

  [[nodiscard]] static constexpr std::int32_t idx(std::size_t i) noexcept {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  }
  [[nodiscard]] static double seconds_between(sim_time a, sim_time b) noexcept {
    return static_cast<double>((b - a).count()) / 1e9;
  }
  [[nodiscard]] static sim_time next_grid(sim_time t, sim_duration step) noexcept {
    return sim_time{(t.count() / step.count() + 1) * step.count()};
  }
  /// Smallest whole ns ≥ `s` seconds (s ≥ 0), saturating.
  [[nodiscard]] static sim_duration ceil_ns(double s) noexcept {
    const double ns = std::ceil(s * 1e9);
    if (!(ns < 4.0e18)) {
      return sim_duration{std::numeric_limits<std::int64_t>::max() / 2};
    }
    return sim_duration{static_cast<std::int64_t>(ns > 0.0 ? ns : 0.0)};
  }

  enum class cooling_kind : std::uint8_t { cpufreq, devfreq, idle_injection, fan };

  struct domain_slot {
    std::optional<domain_model> model{};
    std::optional<em_type> em{};
    static_vector<heat_share, Limits::heat_nodes> heat{};
    std::uint32_t capacity{1024};
    bool cpu{true};
    std::size_t cores{1};
    std::array<double, Limits::cores> demand{};
    std::array<double, Limits::cores> busy{};
    double max_u{0.0};
    std::size_t opp{0};
    std::size_t wanted_opp{0};
    std::size_t cap_opp{0};
    power_breakdown<double> power{};
    workload::domain_state state{};
    std::array<double, Limits::opps> opp_hz{};      // OPP frequencies [Hz]
    std::array<double, Limits::opps> core_power{};  // one busy core at each OPP [W]
    double run{1.0};            // run fraction left by idle injection (applied cooling)
    double executed_rate{0.0};  // Σ busy · f, cycles per second
    double demanded_rate{0.0};  // Σ u · f_max
    bool dirty{true};           // inputs changed: recompute at the next refresh
  };

  struct cooling_slot {
    cooling_kind kind{cooling_kind::cpufreq};
    std::size_t target{0};  // domain or fan
    std::variant<std::monostate, cpufreq_type, devfreq_type, control::idle_injection_cooling, fan_type> dev{};
    control::thermal_cooling_device core{};
    control::cooling_state applied{0};
    sim_time since{0};
  };

  struct fan_slot {
    std::size_t cooling{0};
    static_vector<fan_path, Limits::fan_paths> paths{};
    std::uint32_t max_level{0};
    control::cooling_state state{0};
    bool failed{false};
  };

  struct sensor_slot {
    sensor_model model{};
    static_vector<weighted_node<double>, Limits::probe_terms> terms{};
    std::string_view name{};
    std::size_t zone{none};
  };

  // The zone's sensor as the control code sees it: `get_temp` returns the value the simulation
  // read; `set_trips` (interrupt-capable sensors only) records the window.
  struct polled_port {
    result<millicelsius> reading{control::temp_invalid};
    millicelsius low{control::window_low_none};
    millicelsius high{control::window_high_none};
    bool programmed{false};
    [[nodiscard]] result<millicelsius> get_temp() const noexcept { return reading; }
  };
  struct irq_port : polled_port {
    [[nodiscard]] errc set_trips(millicelsius lo, millicelsius hi) noexcept {
      this->low = lo;
      this->high = hi;
      this->programmed = true;
      return errc::ok;
    }
  };

  struct zone_slot {
    simulation* owner{nullptr};
    std::size_t index{0};
    zone_type zone{};
    irq_port port{};
    std::size_t sensor{0};
    bool interrupt{false};
    bool enabled_at_start{true};
    // read pipeline
    bool in_flight{false};
    result<millicelsius> pending{control::temp_invalid};
    // comparator
    bool cmp_dirty{false};
    bool cmp_armed{false};
    sim_time cmp_valid{workload::never};  // the last search covered up to here
    sim_time last_irq{std::numeric_limits<std::int64_t>::min() / 2};
    sim_time cmp_failed_at{-1};
    // observer: ascending unique levels (trip and release temperatures, °C); levels[0, pos)
    // are at or below the sensed temperature
    static_vector<double, 2 * Limits::trips> levels{};
    std::size_t pos{0};
    bool obs_dirty{false};
    int obs_direction{0};  // +1 rising, −1 falling
    sim_time obs_valid{workload::never};  // the last search covered up to here
    sim_time obs_fired_at{-1};
    std::size_t obs_fired_count{0};
    std::array<std::size_t, Limits::trips> up_level{};
    std::array<std::size_t, Limits::trips> down_level{};
    std::array<bool, Limits::trips> trip_valid{};
    std::array<bool, Limits::trips> obs_above{};
    std::array<sim_time, Limits::trips> above_since{};
    std::array<sim_time, Limits::trips> crossed_up{};
    std::array<sim_time, Limits::trips> crossed_down{};
    std::array<bool, Limits::trips> pending_detection{};
    std::array<bool, Limits::trips> reached{};
    std::array<sim_time, Limits::trips> reached_since{};
    std::array<double, Limits::trips> latency_sum{};
    std::array<double, Limits::trips> release_sum{};
  };

  struct workload_slot {
    workload_ref ref{};
    std::size_t domain{0};
    std::size_t first_core{0};
    std::size_t cores{0};
    std::array<double, Limits::cores> demand{};
    workload::domain_state state{};
    sim_time last{0};
    bool util_dirty{true};
    bool next_dirty{true};
  };

  using net_key = std::array<std::uint16_t, Limits::fans>;
  static constexpr std::uint16_t fan_failed_key = 0xFFFF;

  struct net_slot {
    network_type net{};
    std::array<probe_type, Limits::sensors> probes{};
    net_key key{};
    bool valid{false};
    std::uint64_t used{0};
  };

  // Trace row width at most.
  static constexpr std::size_t row_capacity = Limits::nodes + Limits::sensors + Limits::zones + 4 * Limits::domains +
                                              Limits::cooling_devices + Limits::channels;

  // ---------------------------------------------------------------- timers
  static constexpr std::size_t timer_scenario = 0;
  static constexpr std::size_t timer_leakage = 1;
  static constexpr std::size_t timer_tick = 2;
  static constexpr std::size_t timer_zones = 3;
  static constexpr std::size_t zt_poll = 0;
  static constexpr std::size_t zt_irq = 1;
  static constexpr std::size_t zt_read = 2;
  static constexpr std::size_t zt_comparator = 3;
  static constexpr std::size_t zt_observer = 4;
  static constexpr std::size_t zone_timers = 5;
  static constexpr std::size_t timer_workloads = timer_zones + zone_timers * Limits::zones;
  static constexpr std::size_t timer_count = timer_workloads + Limits::workloads;

  [[nodiscard]] static constexpr std::size_t zone_timer(std::size_t z, std::size_t which) noexcept {
    return timer_zones + z * zone_timers + which;
  }
  [[nodiscard]] static constexpr std::size_t workload_timer(std::size_t w) noexcept { return timer_workloads + w; }
  [[nodiscard]] static std::uint32_t source_of(std::size_t timer) noexcept {
    if (timer >= timer_workloads) {
      return static_cast<std::uint32_t>(timer - timer_workloads);
    }
    if (timer >= timer_zones) {
      return static_cast<std::uint32_t>((timer - timer_zones) / zone_timers);
    }
    return 0;
  }

  // ---------------------------------------------------------------- set-up helpers
  [[nodiscard]] error check_cooling_domain(std::size_t domain, bool cpu) const noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (domain >= domains_.size()) {
      return {errc::out_of_range, "domain", idx(domain)};
    }
    if (cooling_.full()) {
      return {errc::capacity_exceeded, "cooling devices"};
    }
    if (domains_[domain].cpu != cpu) {
      return {errc::not_supported, cpu ? "not a CPU domain" : "not a device domain", idx(domain)};
    }
    if (!domains_[domain].em) {
      return {errc::not_supported, "domain has no energy model", idx(domain)};
    }
    return {};
  }

  template <class D>
  [[nodiscard]] result<std::size_t, error> finish_cooling(std::size_t c, std::string_view type, D& dev) noexcept {
    const error e = cooling_[c].core.setup(static_cast<std::int32_t>(c), type, dev, user_sink_);
    if (!e.ok()) {
      cooling_.pop_back();
      return e;
    }
    return c;
  }

  [[nodiscard]] bool integrating_temps() const noexcept {
    return opt_.mode == time_mode::fixed_step && opt_.integrator == fixed_step_integrator::rk4;
  }

  // ---------------------------------------------------------------- networks (fan cache)
  [[nodiscard]] net_key current_key() const noexcept {
    net_key k{};
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      k[f] = fans_[f].failed ? fan_failed_key : static_cast<std::uint16_t>(fan_state(f));
    }
    return k;
  }
  [[nodiscard]] control::cooling_state fan_state(std::size_t f) const noexcept {
    return started_ || cooling_[fans_[f].cooling].core.registered() ? cooling_[fans_[f].cooling].core.cur_state() : 0;
  }
  [[nodiscard]] double fan_conductance(const fan_slot& f, const fan_path& p, std::uint16_t key) const noexcept {
    if (key == fan_failed_key || f.max_level == 0) {
      return p.conductance_off;
    }
    const fan_type& dev = std::get<fan_type>(cooling_[f.cooling].dev);
    const auto levels = dev.levels();
    const double frac = static_cast<double>(levels[key]) / static_cast<double>(f.max_level);
    return p.conductance_off + (p.conductance_full - p.conductance_off) * std::pow(frac, p.exponent);
  }

  /// Finds or builds the network of fan configuration `key` (O(N³) when built; no heap).
  [[nodiscard]] result<std::size_t, error> build_network(const net_key& key) noexcept {
    for (std::size_t s = 0; s < Limits::networks; ++s) {
      if (nets_[s].valid && nets_[s].key == key) {
        nets_[s].used = ++use_clock_;
        return s;
      }
    }
    std::size_t victim = none;
    for (std::size_t s = 0; s < Limits::networks; ++s) {
      if (!nets_[s].valid) {
        victim = s;
        break;
      }
    }
    if (victim == none) {
      for (std::size_t s = 0; s < Limits::networks; ++s) {
        if (s != cur_net_ && (victim == none || nets_[s].used < nets_[victim].used)) {
          victim = s;
        }
      }
    }
    if (victim == none) {
      return error{errc::capacity_exceeded, "networks"};
    }
    scratch_ = base_;
    static_cast<void>(scratch_.set_ambient(ambient_));
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      for (const fan_path& p : fans_[f].paths) {
        const double g = fan_conductance(fans_[f], p, key[f]);
        const error e = p.peer == fan_path::ambient ? scratch_.connect_ambient(p.node, g) : scratch_.connect(p.node, p.peer, g);
        if (!e.ok()) {
          return e;
        }
      }
    }
    net_slot& slot = nets_[victim];
    slot.valid = false;
    decay_until_ = sim_time{-1};  // eigenvalues change
    if (const error e = slot.net.init(scratch_); !e.ok()) {
      return e;
    }
    ++network_builds_;
    for (std::size_t s = 0; s < sensors_.size(); ++s) {
      auto p = slot.net.make_probe(sensors_[s].terms.span());
      THERMO_ASSERT(p.has_value());  // checked at add_sensor
      slot.probes[s] = *p;
    }
    slot.key = key;
    slot.valid = true;
    slot.used = ++use_clock_;
    return victim;
  }

  void precompute_fan_networks() noexcept {
    std::size_t combos = 1;
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      combos *= cooling_[fans_[f].cooling].core.max_state() + 1U;
      if (combos > Limits::networks) {
        return;
      }
    }
    net_key key{};
    for (std::size_t n = 0; n < combos; ++n) {
      std::size_t rest = n;
      for (std::size_t f = 0; f < fans_.size(); ++f) {
        const std::size_t states = cooling_[fans_[f].cooling].core.max_state() + 1U;
        key[f] = static_cast<std::uint16_t>(rest % states);
        rest /= states;
      }
      static_cast<void>(build_network(key));
    }
  }

  /// Switches to the network of the current fan configuration, carrying temperatures over.
  void switch_network() noexcept {
    const net_key key = current_key();
    if (nets_[cur_net_].key == key) {
      return;
    }
    std::array<double, Limits::nodes> t{};
    const std::size_t n = base_.size();
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = temperature(i);
    }
    auto slot = build_network(key);
    if (!slot) {
      // A fan configuration that cannot be factorised (cannot happen: fans only add
      // conductance to a valid network). Keep the old network.
      THERMO_ASSERT(false);
      return;
    }
    cur_net_ = *slot;
    network_type& net = nets_[cur_net_].net;
    static_cast<void>(net.set_ambient(ambient_));
    static_cast<void>(net.set_temperatures(std::span<const double>(t.data(), n)));
    static_cast<void>(net.set_power(std::span<const double>(node_power_.data(), n)));
    mark_searches();
  }

  // ---------------------------------------------------------------- metrics set-up
  void metrics_init() noexcept {
    t0_ = now_;
    metrics_ = metrics_type{};
    for (std::size_t z = 0; z < zone_count_; ++z) {
      static_cast<void>(metrics_.zones.emplace_back());
      const auto& zone = zones_[z].zone;
      for (std::size_t i = 0; i < zone.num_trips(); ++i) {
        trip_metrics t;
        t.temperature = zone.trip(i).trip.temperature;
        t.hysteresis = zone.trip(i).trip.hysteresis;
        static_cast<void>(metrics_.zones[z].trips.push_back(t));
      }
      metrics_.zones[z].peak_c = -std::numeric_limits<double>::infinity();
    }
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      static_cast<void>(metrics_.domains.emplace_back());
    }
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      static_cast<void>(metrics_.cooling.emplace_back());
      metrics_.cooling[c].max_state = cooling_[c].applied;
    }
    for (std::size_t i = 0; i < base_.size(); ++i) {
      static_cast<void>(metrics_.node_peak_c.push_back(-std::numeric_limits<double>::infinity()));
    }
  }

  // ---------------------------------------------------------------- plant advance
  void advance_to(sim_time t) noexcept {
    THERMO_ASSERT(t >= now_);
    if (t == now_) {
      return;
    }
    const double dt = seconds_between(now_, t);
    const std::size_t n = base_.size();
    if (integrating_temps()) {
      rk4_step(nets_[cur_net_].net, std::span<double>(temps_.data(), n), std::span<const double>(node_power_.data(), n), dt);
    } else {
      nets_[cur_net_].net.step(dt);
    }
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      const domain_slot& s = domains_[d];
      domain_metrics& m = metrics_.domains[d];
      m.energy_j += s.power.total.count() * dt;
      m.executed_cycles += s.executed_rate * dt;
      m.demanded_cycles += s.demanded_rate * dt;
      if (s.opp < s.wanted_opp) {
        m.time_capped_s += dt;
      }
      if (s.state.run_fraction < 1.0) {
        m.time_injected_s += dt;
      }
      metrics_.energy_j += s.power.total.count() * dt;
    }
    now_ = t;
  }

  // ---------------------------------------------------------------- dispatch
  void dispatch(std::size_t timer) noexcept {
    if (timer == timer_scenario) {
      run_scenario();
    } else if (timer == timer_leakage) {
      mark_leaky_domains();
      queue_.schedule(timer_leakage, now_ + opt_.leakage_interval);
    } else if (timer == timer_tick) {
      run_tick();
      queue_.schedule(timer_tick, now_ + opt_.fixed_step);
    } else if (timer >= timer_workloads) {
      const std::size_t w = timer - timer_workloads;
      workload_slot& s = workloads_[w];
      workload_catch_up(s);
      s.ref.on_event(now_, s.state);
      s.util_dirty = true;
      s.next_dirty = true;
      inputs_dirty_ = true;
      search_dirty_ = true;
    } else {
      const std::size_t z = (timer - timer_zones) / zone_timers;
      switch ((timer - timer_zones) % zone_timers) {
        case zt_poll:
          start_read(z);
          break;
        case zt_irq:
          zones_[z].last_irq = now_;
          ++metrics_.zones[z].interrupts;
          start_read(z);
          break;
        case zt_read:
          zones_[z].in_flight = false;
          deliver(z, zones_[z].pending);
          break;
        case zt_comparator:
          comparator_event(z);
          break;
        default:
          observer_event(z);
          break;
      }
    }
  }

  // ---------------------------------------------------------------- scenario
  void schedule_scenario() noexcept {
    if (next_scenario_ < events_.size()) {
      queue_.schedule(timer_scenario, std::max(events_[next_scenario_].at, now_));
    }
  }

  void run_scenario() noexcept {
    while (next_scenario_ < events_.size() && events_[next_scenario_].at <= now_ && status_ == run_status::running) {
      apply_event(events_[next_scenario_++]);
    }
    schedule_scenario();
  }

  void apply_event(const scenario_event& e) noexcept {
    switch (e.action) {
      case scenario_action::set_ambient:
        ambient_ = e.value;
        for (net_slot& ns : nets_) {  // node temperatures do not jump; cached networks follow
          if (ns.valid) {
            static_cast<void>(ns.net.set_ambient(ambient_));
          }
        }
        mark_searches();
        inputs_dirty_ = true;
        break;
      case scenario_action::set_node_power:
        extra_power_[e.target] = e.value;
        power_dirty_ = true;
        inputs_dirty_ = true;
        break;
      case scenario_action::fan_failure:
      case scenario_action::fan_restore:
        fans_[cooling_[e.target].target].failed = e.action == scenario_action::fan_failure;
        apply_fan(cooling_[e.target].target);
        inputs_dirty_ = true;
        break;
      case scenario_action::sensor_fault:
      case scenario_action::sensor_restore: {
        sensor_slot& s = sensors_[e.target];
        if (e.action == scenario_action::sensor_restore || e.fault.kind == sensor_fault_kind::none) {
          s.model.clear_fault();
        } else {
          s.model.set_fault(e.fault, s.model.quantise(sensed_temperature(e.target)));
        }
        if (s.zone != none) {
          zones_[s.zone].cmp_dirty = true;
          search_dirty_ = true;
        }
        break;
      }
      case scenario_action::zone_enable:
        prime_reading(e.target);
        handle_update(e.target, zones_[e.target].zone.enable(now_));
        break;
      case scenario_action::zone_disable:
        handle_update(e.target, zones_[e.target].zone.disable(now_));
        break;
      case scenario_action::set_trip_temperature: {
        prime_reading(e.target);
        auto r = zones_[e.target].zone.set_trip_temperature(now_, e.trip, e.temperature);
        if (r) {
          handle_update(e.target, *r);
        }
        break;
      }
      case scenario_action::call:
        e.fn(e.ctx, now_);
        apply_cooling();  // the callback may have set a cooling state directly
        for (workload_slot& w : workloads_) {
          workload_catch_up(w);
          w.util_dirty = true;
          w.next_dirty = true;
        }
        inputs_dirty_ = true;
        search_dirty_ = true;
        break;
    }
  }

  // ---------------------------------------------------------------- fixed-step ticks
  void run_tick() noexcept {
    for (std::size_t z = 0; z < zone_count_; ++z) {
      zone_slot& s = zones_[z];
      if (opt_.track_crossings) {
        const double t = sensed_temperature(s.sensor);
        while (s.pos < s.levels.size() && t >= s.levels[s.pos]) {
          observer_cross(z, +1);
        }
        while (s.pos > 0 && t < s.levels[s.pos - 1]) {
          observer_cross(z, -1);
        }
      }
      if (s.interrupt && s.cmp_armed && comparator_condition(z)) {
        fire_comparator(z);
      }
    }
    if (leakage_) {
      mark_leaky_domains();
    }
  }

  void mark_leaky_domains() noexcept {
    for (domain_slot& d : domains_) {
      d.dirty = d.dirty || d.model->leakage().enabled();
    }
    inputs_dirty_ = true;
  }

  // ---------------------------------------------------------------- reads and zone updates
  void prime_reading(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    s.port.reading = sensors_[s.sensor].model.read(sensed_temperature(s.sensor));
  }

  void start_read(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    if (s.in_flight || !zone_active(z)) {
      return;
    }
    const result<millicelsius> v = sensors_[s.sensor].model.read(sensed_temperature(s.sensor));
    const sim_duration conv = sensors_[s.sensor].model.params().conversion_time;
    if (conv.count() == 0) {
      deliver(z, v);
      return;
    }
    s.pending = v;
    s.in_flight = true;
    queue_.schedule(zone_timer(z, zt_read), now_ + conv);
  }

  [[nodiscard]] bool zone_active(std::size_t z) const noexcept {
    const auto& zone = zones_[z].zone;
    return zone.registered() && !zone.suspended() && zone.mode() == control::thermal_device_mode::enabled;
  }

  void deliver(std::size_t z, result<millicelsius> v) noexcept {
    zone_slot& s = zones_[z];
    s.port.reading = v;
    handle_update(z, s.zone.update(now_));
  }

  void handle_update(std::size_t z, const control::update_result& r) noexcept {
    zone_slot& s = zones_[z];
    zone_metrics<Limits::trips>& m = metrics_.zones[z];
    if (r.status != control::update_status::not_ready && r.status != control::update_status::skipped) {
      ++m.updates;
    }
    if (r.status == control::update_status::read_failed || r.status == control::update_status::broken) {
      ++m.read_failures;
    }
    if (r.next_update) {
      queue_.schedule(zone_timer(z, zt_poll), std::max(*r.next_update, now_));
    } else {
      queue_.cancel(zone_timer(z, zt_poll));
    }
    if (s.interrupt) {
      s.cmp_armed = zone_active(z) && s.port.programmed;
      s.cmp_dirty = true;
      search_dirty_ = true;
      if (!zone_active(z)) {
        queue_.cancel(zone_timer(z, zt_comparator));
        queue_.cancel(zone_timer(z, zt_irq));
      }
    }
    // Time each trip was considered reached by the zone.
    for (std::size_t i = 0; i < s.zone.num_trips() && i < Limits::trips; ++i) {
      const bool now_reached = s.zone.trip_reached(i);
      if (now_reached != s.reached[i]) {
        if (now_reached) {
          s.reached_since[i] = now_;
        } else {
          m.trips[i].time_reached_s += seconds_between(s.reached_since[i], now_);
        }
        s.reached[i] = now_reached;
      }
    }
    apply_cooling();
    if (r.critical != control::critical_action::none && status_ == run_status::running) {
      status_ = r.critical == control::critical_action::reboot ? run_status::reboot : run_status::shutdown;
      stopped_by_ = z;
    }
  }

  /// The netlink events of every zone pass through here (metrics), then to the user's sink.
  static void on_zone_event(void* ctx, const control::thermal_event& e) noexcept {
    auto* s = static_cast<zone_slot*>(ctx);
    s->owner->zone_event(*s, e);
  }

  void zone_event(zone_slot& s, const control::thermal_event& e) noexcept {
    if (started_ && e.type == control::event_type::tz_trip_change) {
      observer_reset(s.index);  // before the update that follows, so that it pairs correctly
    }
    if (started_ && (e.type == control::event_type::tz_trip_up || e.type == control::event_type::tz_trip_down) &&
        e.trip_id >= 0 && static_cast<std::size_t>(e.trip_id) < Limits::trips) {
      detection(s, static_cast<std::size_t>(e.trip_id), e.type == control::event_type::tz_trip_up);
    }
    user_sink_(e);
  }

  void detection(zone_slot& s, std::size_t i, bool up) noexcept {
    trip_metrics& tm = metrics_.zones[s.index].trips[i];
    const double temp = sensed_temperature(s.sensor);
    crossing_record rec;
    rec.zone = static_cast<std::uint16_t>(s.index);
    rec.trip = static_cast<std::uint16_t>(i);
    rec.up = up;
    rec.detected = now_;
    rec.temperature_c = temp;
    const double trip_c = static_cast<double>(tm.temperature.count()) / 1000.0;
    const double release_c = static_cast<double>((tm.temperature - tm.hysteresis).count()) / 1000.0;
    if (up) {
      rec.overshoot_c = temp - trip_c;
      rec.physical = s.trip_valid[i] && s.pos > s.up_level[i];
      if (rec.physical) {
        rec.crossed = s.crossed_up[i];
        rec.latency_s = seconds_between(rec.crossed, now_);
        s.pending_detection[i] = false;
        ++tm.detections;
        s.latency_sum[i] += rec.latency_s;
        tm.latency_max_s = std::max(tm.latency_max_s, rec.latency_s);
        tm.overshoot_at_detection_max_c = std::max(tm.overshoot_at_detection_max_c, rec.overshoot_c);
      } else {
        ++tm.false_alarms;
      }
    } else {
      rec.overshoot_c = release_c - temp;
      rec.physical = s.trip_valid[i] && s.pos <= s.down_level[i];
      if (rec.physical) {
        rec.crossed = s.crossed_down[i];
        rec.latency_s = seconds_between(rec.crossed, now_);
        ++tm.releases;
        s.release_sum[i] += rec.latency_s;
        tm.release_latency_max_s = std::max(tm.release_latency_max_s, rec.latency_s);
      } else {
        ++tm.false_alarms;
      }
    }
    if (metrics_.crossings.push_back(rec) != errc::ok) {
      ++metrics_.crossings_dropped;
    }
  }

  // ---------------------------------------------------------------- cooling → plant
  void apply_cooling() noexcept {
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      cooling_slot& s = cooling_[c];
      const control::cooling_state st = s.core.cur_state();
      if (st == s.applied) {
        continue;
      }
      cooling_metrics& m = metrics_.cooling[c];
      ++m.transitions;
      m.max_state = std::max(m.max_state, st);
      if (s.applied != 0) {
        m.time_active_s += seconds_between(s.since, now_);
      }
      s.since = now_;
      s.applied = st;
      if (s.kind != cooling_kind::fan) {
        domain_limits(s.target);
      } else {
        fans_[s.target].state = st;
        if (opt_.apply_cooling) {
          apply_fan(s.target);
        }
      }
      inputs_dirty_ = true;
    }
  }

  /// Domain `d`'s frequency cap (cpufreq/devfreq QoS: the highest OPP at or below the lowest
  /// cap) and run fraction (idle injection: run / (run + idle), the smallest), from its cooling
  /// devices' current states; none when cooling is not applied.
  void domain_limits(std::size_t d) noexcept {
    domain_slot& s = domains_[d];
    const auto opps = s.model->opps();
    std::size_t cap = opps.size() - 1;
    double run = 1.0;
    if (opt_.apply_cooling) {
      for (const cooling_slot& c : cooling_) {
        if (c.target != d || c.kind == cooling_kind::fan) {
          continue;
        }
        if (c.kind == cooling_kind::idle_injection) {
          const auto& dev = std::get<control::idle_injection_cooling>(c.dev);
          if (dev.injecting()) {
            const auto r = static_cast<double>(dev.run_duration().count());
            const auto i = static_cast<double>(dev.idle_duration().count());
            run = std::min(run, r / (r + i));
          }
          continue;
        }
        const kilohertz limit = c.kind == cooling_kind::cpufreq ? std::get<cpufreq_type>(c.dev).max_frequency()
                                                                : std::get<devfreq_type>(c.dev).max_frequency();
        std::size_t k = 0;
        for (std::size_t j = 0; j < opps.size(); ++j) {
          if (opps[j].frequency <= limit) {
            k = j;
          }
        }
        cap = std::min(cap, k);
      }
    }
    s.cap_opp = cap;
    s.run = run;
    s.dirty = true;
    inputs_dirty_ = true;
  }

  void apply_fan(std::size_t /*f*/) noexcept {
    switch_network();
    inputs_dirty_ = true;
  }

  // ---------------------------------------------------------------- inputs
  void workload_catch_up(workload_slot& w) noexcept {
    if (now_ > w.last) {
      w.ref.advance(w.last, now_ - w.last, w.state);
    }
    w.last = now_;
  }

  /// Recomputes every domain's operating point and power, the cooling devices' inputs and the
  /// nodes' power; sets the plant's power when it changed.
  void refresh_inputs() noexcept {
    inputs_dirty_ = false;
    for (workload_slot& w : workloads_) {
      if (w.util_dirty) {
        w.ref.utilization(now_, std::span<double>(w.demand.data(), w.cores));
        w.util_dirty = false;
        domains_[w.domain].dirty = true;
      }
    }
    bool any = power_dirty_;
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      if (domains_[d].dirty) {
        domains_[d].dirty = false;
        update_domain(d);
        any = true;
      }
    }
    if (!any) {
      return;
    }
    power_dirty_ = false;
    std::array<double, Limits::nodes> p = extra_power_;  // a fixed-size copy: no call
    const std::size_t n = base_.size();
    for (const domain_slot& d : domains_) {
      for (const heat_share& h : d.heat) {
        p[h.node] += d.power.total.count() * h.weight;
      }
    }
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      changed = changed || !(p[i] == node_power_[i]);
      node_power_[i] = p[i];
    }
    if (changed || !power_applied_) {
      const error e = nets_[cur_net_].net.set_power(std::span<const double>(node_power_.data(), n));
      THERMO_ASSERT(e.ok());
      static_cast<void>(e);
      power_applied_ = true;
      mark_searches();
    }
  }

  void update_domain(std::size_t d) noexcept {
    domain_slot& s = domains_[d];
    const domain_model& m = *s.model;
    const std::size_t n_opps = m.opps().size();
    s.demand = {};
    for (const workload_slot& w : workloads_) {
      if (w.domain == d) {
        for (std::size_t c = 0; c < w.cores; ++c) {
          s.demand[w.first_core + c] += w.demand[c];
        }
      }
    }
    double max_u = 0.0;
    for (std::size_t c = 0; c < s.cores; ++c) {
      s.demand[c] = std::clamp(s.demand[c], 0.0, 1.0);
      max_u = std::max(max_u, s.demand[c]);
    }
    s.max_u = max_u;
    const double f_max = s.opp_hz[n_opps - 1];
    // schedutil: the lowest OPP at or above headroom · f_max · max u (the top one if none).
    std::size_t want = 0;
    if (max_u > 0.0) {
      const double target = opt_.schedutil_headroom * f_max * max_u;
      want = n_opps - 1;
      for (std::size_t k = 0; k < n_opps; ++k) {
        if (s.opp_hz[k] >= target) {
          want = k;
          break;
        }
      }
    }
    const std::size_t cap = s.cap_opp;
    const double run = s.run;
    const std::size_t k = std::min(want, cap);
    s.wanted_opp = want;
    workload::domain_state st{s.opp_hz[k], f_max, run};
    const bool state_changed = !(st.frequency_hz == s.state.frequency_hz) || !(st.run_fraction == s.state.run_fraction) ||
                               !(st.max_frequency_hz == s.state.max_frequency_hz);
    if (state_changed) {
      for (workload_slot& w : workloads_) {
        if (w.domain == d) {
          workload_catch_up(w);
          w.state = st;
          w.next_dirty = true;
          search_dirty_ = true;
        }
      }
    }
    s.opp = k;
    s.state = st;
    for (std::size_t c = 0; c < s.cores; ++c) {
      s.busy[c] = workload::busy_fraction(s.demand[c], st);
    }
    // power_domain's kernel without its input checks: each busy ∈ [0, 1] by construction.
    double busy = 0.0;
    double demand = 0.0;
    for (std::size_t c = 0; c < s.cores; ++c) {
      busy += s.busy[c];
      demand += s.demand[c];
    }
    s.power = m.power_at(k, busy, watts<double>(s.core_power[k]), [&] {
      double t_dom = 0.0;
      for (const heat_share& h : s.heat) {
        t_dom += h.weight * temperature(h.node);
      }
      return celsius<double>(t_dom);
    });
    s.executed_rate = busy * st.frequency_hz;
    s.demanded_rate = demand * st.max_frequency_hz;
    feed_cooling_inputs(d);
  }

  /// What the kernel's cooling devices read from the system: CPU utilisation (frequency- and
  /// capacity-invariant PELT-like util, instantaneous), current frequency, devfreq busy time.
  void feed_cooling_inputs(std::size_t d) noexcept {
    domain_slot& s = domains_[d];
    const double scale = s.state.frequency_hz / s.state.max_frequency_hz;
    for (cooling_slot& c : cooling_) {
      if (c.target != d) {
        continue;
      }
      if (c.kind == cooling_kind::cpufreq) {
        auto& dev = std::get<cpufreq_type>(c.dev);
        dev.set_current_frequency(s.model->opps()[s.opp].frequency);
        for (std::size_t i = 0; i < dev.num_cpus() && i < s.cores; ++i) {
          // ⌊capacity·busy·scale⌋: the product is finite and ≥ 0, so truncation is the floor.
          const auto util = static_cast<std::uint32_t>(static_cast<double>(s.capacity) * s.busy[i] * scale);
          static_cast<void>(dev.set_cpu(i, control::cpufreq_cpu_load{util, s.capacity, true}));
        }
      } else if (c.kind == cooling_kind::devfreq) {
        double busy = 0.0;
        for (std::size_t i = 0; i < s.cores; ++i) {
          busy += s.busy[i];
        }
        busy /= static_cast<double>(s.cores);
        const auto f_hz = static_cast<std::uint64_t>(s.model->opps()[s.opp].frequency.count()) * 1000U;
        std::get<devfreq_type>(c.dev).set_status(
            control::devfreq_status{static_cast<std::uint64_t>(std::floor(busy * 1e6)), 1'000'000U, hertz(f_hz)});
      }
    }
  }

  void mark_searches() noexcept {
    for (std::size_t z = 0; z < zone_count_; ++z) {
      zones_[z].obs_dirty = true;
      zones_[z].cmp_dirty = true;
    }
    search_dirty_ = true;
  }

  // ---------------------------------------------------------------- searches (end of instant)
  /// Runs the pending searches (workload next events, observers, comparators) from `now()`,
  /// looking at least up to `at_least`.
  void do_searches(sim_time at_least) noexcept {
    search_dirty_ = false;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
      workload_slot& s = workloads_[w];
      if (!s.next_dirty) {
        continue;
      }
      s.next_dirty = false;
      const sim_time t = s.ref.next_event(now_, s.state);
      if (t == workload::never) {
        queue_.cancel(workload_timer(w));
      } else {
        THERMO_ASSERT(t >= now_);
        queue_.schedule(workload_timer(w), std::max(t, now_));
      }
    }
    if (opt_.mode != time_mode::event_driven) {
      return;
    }
    const sim_time until = std::max(search_limit(), at_least);
    for (std::size_t z = 0; z < zone_count_; ++z) {
      zone_slot& s = zones_[z];
      if (!s.obs_dirty && !s.cmp_dirty) {
        continue;
      }
      expansion ex;
      expand(s.sensor, until, ex);
      if (s.obs_dirty) {
        observer_search(z, ex, until);
      }
      if (s.cmp_dirty) {
        comparator_search(z, ex, until);
      }
    }
  }

  /// Marks the searches whose look-ahead ends before `t` for a new search; true if any.
  [[nodiscard]] bool expire_searches(sim_time t) noexcept {
    bool any = false;
    for (std::size_t z = 0; z < zone_count_; ++z) {
      zone_slot& s = zones_[z];
      if (s.obs_valid < t) {
        s.obs_dirty = true;
        any = true;
      }
      if (s.cmp_valid < t) {
        s.cmp_dirty = true;
        any = true;
      }
    }
    return any;
  }

  /// How far ahead crossing searches look: up to the next event that changes the plant's inputs
  /// by itself (a workload, scenario, leakage or fixed-step event), at most `search_horizon`.
  /// Zone events (polls, reads, interrupts) change inputs only through cooling states, and any
  /// input change redoes the searches: so this only bounds their work, and a zone event that
  /// changes nothing costs no search. A search that finds nothing re-runs at the limit.
  [[nodiscard]] sim_time search_limit() const noexcept {
    const sim_time t = queue_.earliest_if([](std::size_t timer) { return !zone_event_timer(timer); }, now_ + opt_.search_horizon);
    return std::max(t, now_ + sim_duration{1});
  }
  /// A zone's timer (poll, interrupt, read, comparator, observer).
  [[nodiscard]] static constexpr bool zone_event_timer(std::size_t timer) noexcept {
    return timer >= timer_zones && timer < timer_workloads;
  }

  /// A sensor's temperature as steady + Σ a_k e^{−λ_k τ} under the current inputs, with the
  /// totals every screen of the round needs (model/crossing.hpp), and the horizon its ends are for.
  struct expansion {
    probe_expansion<Limits::nodes> sum;  ///< built by `rc_network::expand` at every round
    sim_time ends_until{-1};             ///< the horizon the ends are for (−1: not yet computed)
  };
  void expand(std::size_t sensor, sim_time until, expansion& ex) const noexcept {
    const net_slot& ns = nets_[cur_net_];
    ns.net.expand(ns.probes[sensor], seconds_between(now_, until), ex.sum);
    ex.ends_until = until;
  }

  /// The band past a level for sensor expansion `ex`: 1 nK or 64× the sum's rounding allowance
  /// (16× the screens'), whichever is larger.
  [[nodiscard]] static double band(const expansion& ex, double level) noexcept {
    return std::max(min_band, 64.0 * ex.sum.rounding(level));
  }

  /// Outcome of a crossing screen/search.
  struct found {
    sim_time time{workload::never};  ///< event time of the crossing, or `never`
    bool possible{true};             ///< false: the level is out of reach for ever (current inputs)
  };

  /// The earliest instant in [now, until] at which sensor `sensor` reaches `thr` in direction
  /// `dir`. Two exact screens come first: the level is out of reach for ever when even the sum
  /// of the helpful modes at full strength cannot reach it (no `exp`), or within the horizon by
  /// the same bound with the opposing modes at their end values; only then the exact search
  /// (`rc_network::first_crossing`) runs. Event times are rounded up to whole nanoseconds.
  [[nodiscard]] found find_crossing(expansion& ex, std::size_t sensor, double thr, crossing_direction dir,
                                    sim_time until) noexcept {
    if (!std::isfinite(thr)) {
      return {workload::never, false};
    }
    // The modes that help give at most `reach` (at τ = 0): out of reach for ever below −slack …
    const auto r = ex.sum.reach(thr, dir);
    if (!ex.sum.ever(r)) {
      return {workload::never, false};
    }
    // … and the opposing ones take at least their end values within the horizon H. Screened
    // first with a lower bound d_k ≤ e^{−λ_k H} that needs no `exp` (a weaker but still sound
    // screen), then, only if that cannot decide, with e^{−λ_k H} itself.
    if (ex.ends_until != until) {  // not the horizon expand made the ends for: the exact ones
      exact_ends(ex, until);
    }
    if (!ex.sum.within(r, dir)) {
      return {workload::never, true};
    }
    return find_crossing_exact(ex, sensor, thr, dir, until, r);
  }

  /// `find_crossing` past its cheap screens: the screen with e^{−λ_k H} itself, then the search.
  [[nodiscard]] found find_crossing_exact(expansion& ex, std::size_t sensor, double thr, crossing_direction dir,
                                          sim_time until,
                                          const typename probe_expansion<Limits::nodes>::reach_bound& r) noexcept {
    const net_slot& ns = nets_[cur_net_];
    if (!ex.sum.ends_exact) {
      exact_ends(ex, until);
      if (!ex.sum.within(r, dir)) {
        return {workload::never, true};
      }
    }
    const double horizon = seconds_between(now_, until);
    ++metrics_.searches;
    crossing_options<double> o;
    o.time_tolerance = opt_.crossing_tolerance;
    o.min_excursion = std::min(o.min_excursion, o.time_tolerance);
    const auto c = ns.net.first_crossing(ns.probes[sensor], thr, dir, horizon, o);
    if (!c || !c->found) {
      return {workload::never, true};
    }
    return {now_ + ceil_ns(c->time), true};
  }

  /// The ends of `ex` at horizon `until` with e^{−λ_k H} itself, for a screen the bound could not
  /// decide. The factors are shared by the screens of a round (computed once per horizon end:
  /// a later round with the same end reuses factors for a longer horizon, which only weakens the
  /// screen — still sound).
  void exact_ends(expansion& ex, sim_time until) noexcept {
    const network_type& net = nets_[cur_net_].net;
    if (decay_until_ != until || decay_net_ != cur_net_) {
      net.decay_factors(seconds_between(now_, until), std::span<double>(decay_.data(), base_.size()));
      decay_until_ = until;
      decay_net_ = cur_net_;
    }
    ex.sum.set_exact_ends(decay_.data());
    ex.ends_until = until;
  }


  // ---------------------------------------------------------------- observers (metrics)
  /// Rebuilds zone `z`'s levels from its trips and places the sensed temperature among them.
  void observer_reset(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    s.levels.clear();
    const auto& zone = s.zone;
    const std::size_t n = std::min(zone.num_trips(), Limits::trips);
    std::array<double, 2 * Limits::trips> raw{};
    std::size_t m = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const control::thermal_trip& t = zone.trip(i).trip;
      s.trip_valid[i] = t.temperature != control::temp_invalid;
      if (s.trip_valid[i]) {
        raw[m++] = static_cast<double>(t.temperature.count()) / 1000.0;
        raw[m++] = static_cast<double>((t.temperature - t.hysteresis).count()) / 1000.0;
      }
    }
    for (std::size_t a = 1; a < m; ++a) {  // insertion sort: at most 2·trips values
      for (std::size_t b = a; b > 0 && raw[b] < raw[b - 1]; --b) {
        std::swap(raw[b], raw[b - 1]);
      }
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (s.levels.empty() || raw[k] != s.levels.back()) {
        static_cast<void>(s.levels.push_back(raw[k]));
      }
    }
    const auto level_of = [&](double v) {
      std::size_t k = 0;
      while (k < s.levels.size() && s.levels[k] != v) {
        ++k;
      }
      return k;
    };
    const double temp = sensed_temperature(s.sensor);
    s.pos = 0;
    while (s.pos < s.levels.size() && temp >= s.levels[s.pos]) {
      ++s.pos;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.trip_valid[i]) {
        s.obs_above[i] = false;
        continue;
      }
      const control::thermal_trip& t = zone.trip(i).trip;
      metrics_.zones[z].trips[i].temperature = t.temperature;
      metrics_.zones[z].trips[i].hysteresis = t.hysteresis;
      s.up_level[i] = level_of(static_cast<double>(t.temperature.count()) / 1000.0);
      s.down_level[i] = level_of(static_cast<double>((t.temperature - t.hysteresis).count()) / 1000.0);
      const bool above = s.pos > s.up_level[i];
      if (above && !s.obs_above[i]) {  // starts (or becomes) above: count it as a crossing now
        s.above_since[i] = now_;
        s.crossed_up[i] = now_;
        s.pending_detection[i] = true;
        ++metrics_.zones[z].trips[i].crossings;
      } else if (!above && s.obs_above[i]) {
        metrics_.zones[z].trips[i].time_above_s += seconds_between(s.above_since[i], now_);
      }
      s.obs_above[i] = above;
    }
    s.obs_dirty = true;
    search_dirty_ = true;
  }

  void observer_search(std::size_t z, expansion& ex, sim_time until) noexcept {
    zone_slot& s = zones_[z];
    s.obs_dirty = false;
    s.obs_valid = workload::never;
    if (!opt_.track_crossings || s.levels.empty()) {
      queue_.cancel(zone_timer(z, zt_observer));
      return;
    }
    found best{workload::never, false};
    int dir = 0;
    if (s.pos < s.levels.size()) {
      const found f = find_crossing(ex, s.sensor, s.levels[s.pos], crossing_direction::rising, until);
      best.possible = f.possible;
      if (f.time < best.time) {
        best.time = f.time;
        dir = +1;
      }
    }
    if (s.pos > 0) {
      const double level = s.levels[s.pos - 1];
      const found f = find_crossing(ex, s.sensor, level - band(ex, level), crossing_direction::falling, until);
      best.possible = best.possible || f.possible;
      if (f.time < best.time) {
        best.time = f.time;
        dir = -1;
      }
    }
    s.obs_direction = dir;
    s.obs_valid = workload::never;
    if (best.time != workload::never) {
      // Guard: a level can be crossed at most once per direction at one instant; more means the
      // representation cannot resolve it (see `band`), so look again a nanosecond later.
      if (best.time == now_ && s.obs_fired_at == now_ && s.obs_fired_count > 2 * s.levels.size()) {
        best.time = now_ + sim_duration{1};
      }
      queue_.schedule(zone_timer(z, zt_observer), best.time);
    } else {
      queue_.cancel(zone_timer(z, zt_observer));
      if (best.possible) {
        s.obs_valid = until;  // nothing up to `until`: look again from there
      }
    }
  }

  void observer_event(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    s.obs_fired_count = s.obs_fired_at == now_ ? s.obs_fired_count + 1 : 1;
    s.obs_fired_at = now_;
    observer_cross(z, s.obs_direction);
    s.obs_dirty = true;
    search_dirty_ = true;
  }

  /// The sensed temperature of zone `z` crossed level pos (dir +1) or pos − 1 (dir −1) now.
  void observer_cross(std::size_t z, int dir) noexcept {
    zone_slot& s = zones_[z];
    const std::size_t level = dir > 0 ? s.pos : s.pos - 1;
    s.pos = dir > 0 ? s.pos + 1 : s.pos - 1;
    const std::size_t n = std::min(s.zone.num_trips(), Limits::trips);
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.trip_valid[i]) {
        continue;
      }
      trip_metrics& tm = metrics_.zones[z].trips[i];
      if (s.up_level[i] == level) {
        if (dir > 0) {
          s.obs_above[i] = true;
          s.above_since[i] = now_;
          s.crossed_up[i] = now_;
          s.pending_detection[i] = true;
          ++tm.crossings;
        } else if (s.obs_above[i]) {
          s.obs_above[i] = false;
          tm.time_above_s += seconds_between(s.above_since[i], now_);
        }
      }
      if (s.down_level[i] == level && dir < 0) {
        s.crossed_down[i] = now_;
        if (s.pending_detection[i]) {
          s.pending_detection[i] = false;
          ++tm.missed;
        }
      }
    }
  }

  // ---------------------------------------------------------------- comparators (interrupts)
  [[nodiscard]] bool comparator_condition(std::size_t z) const noexcept {
    const zone_slot& s = zones_[z];
    const sensor_model& sm = sensors_[s.sensor].model;
    if (!sm.comparator_active() || !s.port.programmed) {
      return false;
    }
    const millicelsius q = sm.quantise(sensed_temperature(s.sensor));
    const millicelsius lo = s.port.low;
    const millicelsius hi = s.port.high;
    const bool strict = lo == hi;
    const bool rise = hi != control::window_high_none && (strict ? q > hi : q >= hi);
    const bool fall = lo != control::window_low_none && q < lo;
    return rise || fall;
  }

  void comparator_search(std::size_t z, expansion& ex, sim_time until) noexcept {
    zone_slot& s = zones_[z];
    s.cmp_dirty = false;
    s.cmp_valid = workload::never;
    const std::size_t timer = zone_timer(z, zt_comparator);
    const sensor_model& sm = sensors_[s.sensor].model;
    if (!s.interrupt || !s.cmp_armed || !zone_active(z) || !sm.comparator_active() || !s.port.programmed) {
      queue_.cancel(timer);
      return;
    }
    const bool strict = s.port.low == s.port.high;
    const double up_edge = sm.rising_threshold(s.port.high, strict);
    const double down_edge = sm.falling_threshold(s.port.low);
    const double up = up_edge + band(ex, std::isfinite(up_edge) ? up_edge : 0.0);
    const double down = down_edge - band(ex, std::isfinite(down_edge) ? down_edge : 0.0);
    const found r = find_crossing(ex, s.sensor, up, crossing_direction::rising, until);
    const found f = find_crossing(ex, s.sensor, down, crossing_direction::falling, until);
    sim_time best = std::min(r.time, f.time);
    if (best == workload::never) {
      queue_.cancel(timer);
      if (r.possible || f.possible) {
        s.cmp_valid = until;  // the window holds up to `until`: look again from there
      }
      return;
    }
    const sim_duration period = sm.params().comparator_period;
    if (period.count() > 0 && best.count() % period.count() != 0) {
      best = next_grid(best, period);
    }
    if (s.cmp_failed_at == now_) {
      best = std::max(best, now_ + microseconds{1});
    }
    queue_.schedule(timer, best);
  }

  void comparator_event(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    if (comparator_condition(z)) {
      fire_comparator(z);
      return;
    }
    s.cmp_failed_at = now_;  // reversed before a sampling instant, or a rounding hair short
    s.cmp_dirty = true;
    search_dirty_ = true;
  }

  /// The comparator tripped: the IRQ handler runs after the latency (and not sooner than
  /// `min_irq_interval` after the previous one); the comparator waits for the zone to re-arm it.
  void fire_comparator(std::size_t z) noexcept {
    zone_slot& s = zones_[z];
    s.cmp_armed = false;
    queue_.cancel(zone_timer(z, zt_comparator));
    const sim_duration lat = sensors_[s.sensor].model.params().irq_latency;
    const sim_time at = std::max(now_ + lat, s.last_irq + opt_.min_irq_interval);
    if (!queue_.armed(zone_timer(z, zt_irq))) {
      queue_.schedule(zone_timer(z, zt_irq), at);
    }
  }

  // ---------------------------------------------------------------- peaks and the recorder
  /// The continuous temperature at every sensor now, once per event (peaks and rows use it).
  void read_sensors() noexcept {
    for (std::size_t s = 0; s < sensors_.size(); ++s) {
      sensed_[s] = sensed_temperature(s);
    }
  }

  void observe_peaks() noexcept { observe_peaks(sensed_.data(), now_); }

  /// Zone peaks and overshoots for the sensor values `sensed` at time `at`.
  void observe_peaks(const double* sensed, sim_time at) noexcept {
    for (std::size_t z = 0; z < zone_count_; ++z) {
      observe_zone_peak(z, sensed[zones_[z].sensor], at);
    }
  }

  /// Zone `z`'s peak and overshoots for its sensed temperature `t` at time `at`.
  void observe_zone_peak(std::size_t z, double t, sim_time at) noexcept {
    const zone_slot& s = zones_[z];
    zone_metrics<Limits::trips>& m = metrics_.zones[z];
    if (t > m.peak_c) {
      m.peak_c = t;
      m.peak_time = at;
    }
    for (std::size_t i = 0; i < m.trips.size(); ++i) {
      if (s.obs_above[i]) {
        const double over = t - static_cast<double>(m.trips[i].temperature.count()) / 1000.0;
        m.trips[i].max_overshoot_c = std::max(m.trips[i].max_overshoot_c, over);
      }
    }
  }

  void configure_recorder() {
    std::vector<channel> ch;
    const auto name_or = [](std::string_view n, const char* prefix, std::size_t i) {
      return n.empty() ? std::string(prefix) + std::to_string(i) : std::string(n);
    };
    for (std::size_t i = 0; i < base_.size(); ++i) {
      ch.push_back({"T_" + name_or(node_names_[i], "node", i), "C", channel_kind::node_temperature, i});
    }
    for (std::size_t s = 0; s < sensors_.size(); ++s) {
      ch.push_back({"sensed_" + name_or(sensors_[s].name, "sensor", s), "C", channel_kind::sensor_temperature, s});
    }
    for (std::size_t z = 0; z < zone_count_; ++z) {
      ch.push_back({"zone_" + std::string(zones_[z].zone.type()), "C", channel_kind::zone_temperature, z});
    }
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      const std::string n = name_or(domains_[d].model->name(), "domain", d);
      ch.push_back({"f_" + n, "MHz", channel_kind::frequency, d});
      ch.push_back({"u_" + n, "", channel_kind::utilisation, d});
      ch.push_back({"run_" + n, "", channel_kind::run_fraction, d});
      ch.push_back({"P_" + n, "W", channel_kind::power, d});
    }
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      ch.push_back({"state_" + std::string(cooling_[c].core.type()), "", channel_kind::cooling_state, c});
    }
    for (std::size_t k = 0; k < channels_.size(); ++k) {
      ch.push_back({std::string(channels_[k].name), std::string(channels_[k].unit), channel_kind::custom, k});
    }
    row_size_ = ch.size();
    recorder_->configure(std::move(ch));
  }

  /// Trace rows are not events: the rows due before `limit` (and at it when `inclusive`) are
  /// made here, before the plant advances past them. The plant is linear with constant inputs
  /// between two events, so each row's state is the last event's state stepped exactly to the
  /// row's time (a step of one record interval reuses its gains, no `exp`), and every other
  /// channel keeps its value from the event. The simulation's own state is not changed, so the
  /// trajectory, and with it every control decision, does not depend on the record interval,
  /// and a row costs no queue operation. A row at an instant with events comes after all of
  /// them (`inclusive` is false until the instant is done).
  void record_samples(sim_time limit, bool inclusive) noexcept {
    if (next_sample_ > limit || (!inclusive && next_sample_ == limit)) {
      return;
    }
    if (recorder_ == nullptr) {  // detached during the run
      next_sample_ = workload::never;
      return;
    }
    if (integrating_temps() || !channels_.empty()) {
      record_samples_shown(limit, inclusive);
      return;
    }
    const std::size_t n = std::min(base_.size(), Limits::nodes);  // = base_.size(); the bound is for the compiler
    const std::size_t m = n + sensors_.size();  // the row's plant channels: nodes, then sensors
    const network_type& net = nets_[cur_net_].net;
    refresh_row_tables();
    readout_.set_ambient(net.ambient());
    const std::span<const double> y_event = net.modal_state();
    // The modal state, stepped from the event's to each row. Zeroed first: only y[0, n) is used,
    // but GCC 12 at -O3 cannot see that copy_n wrote every element it reads (maybe-uninitialized).
    std::array<double, Limits::nodes> y{};
    std::copy_n(y_event.data(), n, y.data());
    std::array<double, row_capacity> row;  // the inputs' channels (after m); a row to drop
    fill_row_inputs(row);
    std::array<double, Limits::nodes + Limits::sensors> high;
    std::array<sim_time, Limits::nodes + Limits::sensors> high_at;
    for (std::size_t i = 0; i < m; ++i) {
      high[i] = -std::numeric_limits<double>::infinity();
      high_at[i] = workload::never;
    }
    sim_time at = now_;
    while (next_sample_ < limit || (inclusive && next_sample_ == limit)) {
      const sim_time t = next_sample_;
      if (t > at) {
        std::array<double, Limits::nodes> scratch;
        net.step_state(std::span<double>(y.data(), n), std::span<const double>(row_step_gains(at, t, scratch), n));
        at = t;
      }
      double* out = recorder_->append_row(t, event_kind::sample, 0, row_size_);
      if (out == nullptr) {
        out = row.data();  // dropped by a full recorder: it still counts for the peaks
      } else {
        std::copy(row.data() + m, row.data() + row_size_, out + m);
      }
      // Node temperatures and sensor values: the same bits as temperature(i) and the sensor's
      // reading would have in this state.
      // Peaks: the highest value of each channel, first reached at high_at (nodes' carry no time).
      readout_.read(y.data(), [&](std::size_t i, double v) {
        out[i] = v;
        if (i < n) {
          high[i] = std::max(high[i], v);  // a node's peak carries no time: no branch
        } else if (v > high[i]) {
          high[i] = v;
          high_at[i] = t;
        }
      });
      next_sample_ = t + opt_.record_interval;
    }
    // Peaks over the rows: each channel's highest value (a sensor's first reached at high_at).
    // A zone's overshoot above a trip it is above (for the whole gap) is highest there too.
    for (std::size_t i = 0; i < n; ++i) {
      metrics_.node_peak_c[i] = std::max(metrics_.node_peak_c[i], high[i]);
    }
    for (std::size_t z = 0; z < zone_count_; ++z) {
      const std::size_t c = n + zones_[z].sensor;
      if (high_at[c] != workload::never) {
        observe_zone_peak(z, high[c], high_at[c]);
      }
    }
  }

  /// The gains of a step from `from` to the row at `to`: one record interval's (cached), or —
  /// for the first row after an event — computed into `scratch`.
  const double* row_step_gains(sim_time from, sim_time to, std::array<double, Limits::nodes>& scratch) const noexcept {
    if (to - from == opt_.record_interval) {
      return sample_gain_.data();
    }
    nets_[cur_net_].net.step_gains(seconds_between(from, to), std::span<double>(scratch.data(), base_.size()));
    return scratch.data();
  }

  /// The gains of one record-interval step and the modal rows of nodes and sensors (packed,
  /// one after the other) for the current network, rebuilt after a network change only.
  void refresh_row_tables() noexcept {
    const net_slot& slot = nets_[cur_net_];
    const network_type& net = slot.net;
    if (sample_gain_net_ != cur_net_ || sample_gain_generation_ != net.generation()) {
      net.step_gains(seconds_between(sim_time{0}, sim_time{0} + opt_.record_interval),
                     std::span<double>(sample_gain_.data(), base_.size()));
      readout_.build(net, std::span<const probe_type>(slot.probes.data(), sensors_.size()));
      sample_gain_net_ = cur_net_;
      sample_gain_generation_ = net.generation();
    }
  }


  /// `record_samples` when the rows need the simulation itself at the row's time: custom
  /// channels (they may read anything, e.g. `now()` and `temperature(i)`) and the fixed-step
  /// RK4 reference (its state is the node temperatures). The plant's state is stepped to each
  /// row exactly as above, shown for the row, and put back afterwards.
  void record_samples_shown(sim_time limit, bool inclusive) noexcept {
    const sim_time event_time = now_;
    const std::size_t n = base_.size();
    const bool rk4 = integrating_temps();
    network_type& net = nets_[cur_net_].net;
    std::array<double, Limits::nodes> at_event;  // the plant's state, put back afterwards
    if (rk4) {
      std::copy_n(temps_.data(), n, at_event.data());
    } else {
      const std::span<const double> y = net.modal_state();
      std::copy_n(y.data(), n, at_event.data());
      refresh_row_tables();
    }
    std::array<double, Limits::sensors> sensed_at_event;
    std::copy_n(sensed_.data(), sensors_.size(), sensed_at_event.data());
    std::array<double, row_capacity> row;
    fill_row_inputs(row);
    while (next_sample_ < limit || (inclusive && next_sample_ == limit)) {
      const sim_time t = next_sample_;
      if (t > now_) {
        if (rk4) {
          rk4_step(net, std::span<double>(temps_.data(), n), std::span<const double>(node_power_.data(), n), seconds_between(now_, t));
        } else {
          std::array<double, Limits::nodes> scratch;
          net.step(std::span<const double>(row_step_gains(now_, t, scratch), n));
        }
        now_ = t;
        read_sensors();
      }
      observe_peaks(sensed_.data(), now_);
      fill_row_plant(row);
      recorder_->append(now_, event_kind::sample, 0, std::span<const double>(row.data(), row_size_));
      next_sample_ = t + opt_.record_interval;
    }
    if (now_ != event_time) {
      if (rk4) {
        std::copy_n(at_event.data(), n, temps_.data());
      } else {
        const error e = net.set_modal_state(std::span<const double>(at_event.data(), n));
        THERMO_ASSERT(e.ok());
        static_cast<void>(e);
      }
      std::copy_n(sensed_at_event.data(), sensors_.size(), sensed_.data());
      now_ = event_time;
    }
  }

  void record(event_kind kind, std::uint32_t source) noexcept {
    if (recorder_ == nullptr) {
      return;
    }
    std::array<double, row_capacity> row;  // filled below (no zeroing: this runs at every event)
    fill_row_inputs(row);
    fill_row_plant(row);
    recorder_->append(now_, kind, source, std::span<const double>(row.data(), row_size_));
  }

  /// The row's plant channels (node temperatures, sensors) and custom channels; updates the
  /// node peaks.
  void fill_row_plant(std::array<double, row_capacity>& row) noexcept {
    std::size_t k = 0;
    for (std::size_t i = 0; i < base_.size(); ++i) {
      row[k] = temperature(i);
      metrics_.node_peak_c[i] = std::max(metrics_.node_peak_c[i], row[k]);
      ++k;
    }
    for (std::size_t s = 0; s < sensors_.size(); ++s) {
      row[k++] = sensed_[s];
    }
    k = row_size_ - channels_.size();
    for (const custom_channel& c : channels_) {
      row[k++] = c.fn(c.ctx);
    }
  }

  /// The row's channels that change only at events: zone temperatures, domains, cooling states.
  void fill_row_inputs(std::array<double, row_capacity>& row) const noexcept {
    std::size_t k = base_.size() + sensors_.size();
    for (std::size_t z = 0; z < zone_count_; ++z) {
      const millicelsius t = zones_[z].zone.temperature();
      row[k++] = t == control::temp_init ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(t.count()) / 1000.0;
    }
    for (const domain_slot& d : domains_) {
      row[k++] = d.state.frequency_hz / 1e6;
      row[k++] = d.max_u;
      row[k++] = d.state.run_fraction;
      row[k++] = d.power.total.count();
    }
    for (const cooling_slot& c : cooling_) {
      row[k++] = static_cast<double>(c.applied);  // = cur_state() after every update
    }
    THERMO_ASSERT(k + channels_.size() == row_size_);
  }


  // ---------------------------------------------------------------- members
  // Cooling devices are declared before the zones: zones unlink their instances from the
  // devices when destroyed, so the devices must outlive them.
  static_vector<cooling_slot, Limits::cooling_devices> cooling_{};
  std::array<zone_slot, Limits::zones> zones_{};
  std::size_t zone_count_{0};
  static_vector<domain_slot, Limits::domains> domains_{};
  static_vector<sensor_slot, Limits::sensors> sensors_{};
  static_vector<fan_slot, Limits::fans> fans_{};
  static_vector<workload_slot, Limits::workloads> workloads_{};
  static_vector<scenario_event, Limits::scenario_events> events_{};
  static_vector<custom_channel, Limits::channels> channels_{};
  std::array<net_slot, Limits::networks> nets_{};
  builder_type base_{};
  builder_type scratch_{};
  std::array<std::string_view, Limits::nodes> node_names_{};
  std::array<double, Limits::nodes> initial_{};
  std::array<double, Limits::nodes> temps_{};        // fixed-step RK4 state
  std::array<double, Limits::nodes> node_power_{};   // W, applied
  std::array<double, Limits::nodes> extra_power_{};  // W, scenario
  std::array<double, Limits::sensors> sensed_{};     // °C, at the current event
  std::array<double, Limits::nodes> decay_{};        // e^{−λ_k H} of the current search round
  sim_time decay_until_{-1};
  std::size_t decay_net_{static_cast<std::size_t>(-1)};
  event_queue<timer_count> queue_{};
  metrics_type metrics_{};
  sim_options opt_{};
  recorder* recorder_{nullptr};
  control::event_sink user_sink_{};
  std::size_t fan_edges_{0};
  std::size_t cur_net_{0};
  std::size_t next_scenario_{0};
  std::size_t stopped_by_{0};
  std::size_t row_size_{0};
  std::uint64_t use_clock_{0};
  std::uint64_t network_builds_{0};
  sim_time now_{0};
  sim_time t0_{0};
  sim_time next_sample_{workload::never};  // the next trace row's time (never: no trace)
  std::array<double, Limits::nodes> sample_gain_{};   // step gains of one record interval …
  modal_readout<Limits::nodes, Limits::sensors> readout_{};  // … the rows of nodes and sensors …
  std::uint64_t sample_gain_generation_{0};           // … for this network generation …
  std::size_t sample_gain_net_{static_cast<std::size_t>(-1)};  // … of this cached network
  double ambient_{25.0};
  run_status status_{run_status::not_started};
  bool plant_set_{false};
  bool has_initial_{false};
  bool started_{false};
  bool leakage_{false};
  bool inputs_dirty_{false};
  bool search_dirty_{false};
  bool power_applied_{false};
  bool power_dirty_{true};
};

}  // namespace thermo::sim
