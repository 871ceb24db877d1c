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
/// **Layout.** This class keeps set-up, the run loop, event dispatch and the accessors; each
/// concern it joins lives in its own file under sim/: config.hpp (capacities and part
/// configurations), timers.hpp (the event sources), plant.hpp (the network, fan configurations
/// and advancing), operating_point.hpp (domains, cooling → plant, schedutil, workloads),
/// zone_ports.hpp (zones, their sensor ports and the read pipeline), comparators.hpp
/// (interrupts), crossing_search.hpp and crossing_observer.hpp (exact crossings and the metrics
/// they time), trace_sampler.hpp (the trace), scenario_checks.hpp (what `add_event` checks)
/// and fixed_step.hpp (a fixed-step tick). Observers see netlink events through
/// `set_event_sink` and each zone update through `set_update_hook`.
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
#include <string_view>

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
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/power.hpp"
#include "thermo/model/rc_network.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/sim/comparators.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/crossing_observer.hpp"
#include "thermo/sim/crossing_search.hpp"
#include "thermo/sim/event_queue.hpp"
#include "thermo/sim/fixed_step.hpp"
#include "thermo/sim/fwd.hpp"
#include "thermo/sim/metrics.hpp"
#include "thermo/sim/operating_point.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/scenario.hpp"
#include "thermo/sim/scenario_checks.hpp"
#include "thermo/sim/timers.hpp"
#include "thermo/sim/trace_sampler.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/sim/workload_ref.hpp"
#include "thermo/sim/zone_ports.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// What the update hook (`simulation::set_update_hook`) is told after a zone update: the zone's
/// index (registration order), the instant, and what the update returned. `result` points into
/// the simulation and is valid only during the call.
struct zone_update {
  std::size_t zone{0};
  sim_time at{};
  const control::update_result* result{nullptr};
};

/// The simulation (see the file comment).
template <class Limits /* = default_limits */>
class simulation {
 public:
  using limits_type = Limits;
  static constexpr std::size_t max_nodes = Limits::nodes;
  using network_type = rc_network<double, Limits::nodes>;
  using builder_type = rc_network_builder<double, Limits::nodes, Limits::edges>;
  using probe_type = rc_probe<double, Limits::nodes>;
  using zone_type = control::thermal_zone<Limits::trips, Limits::instances>;
  using domain_model = power_domain<double, Limits::opps>;
  using em_type = power::em_perf_domain<Limits::opps>;
  using cpufreq_type = typename operating_point<Limits>::cpufreq_type;
  using devfreq_type = typename operating_point<Limits>::devfreq_type;
  using fan_type = typename operating_point<Limits>::fan_type;
  using metrics_type = metrics_of<Limits>;

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
    return plant_.set(b);
  }

  /// Networks to copy instead of factorising them: `p` holds the factorised networks of a
  /// plant (`export_plant` of another simulation). At `start` the simulation checks, bit for bit,
  /// that `p` was built from this plant (the network without fans — the ambient aside —, the
  /// fans' paths and levels, the sensors' probes); if so, every fan configuration `p` holds is
  /// copied (O(MaxNodes²)) instead of factorised (O(N³)), and the run is bit-identical to one
  /// that factorised (trace, metrics — `network_builds` counts copies too). If not, `p` is not
  /// used and the simulation factorises, as without it: `plant_shared()` says which.
  /// Configurations `p` does not hold are factorised here. `p` is only read (never changed), so
  /// simulations on several threads may use one at once; it must outlive the run (null: none).
  /// Errors: `already_exists` after `start`.
  [[nodiscard]] error use_plant(const shared_plant<Limits>* p) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    plant_.use(p);
    return {};
  }

  /// Copies the plant's factorised networks (every fan configuration built so far) and what they
  /// were built from into `out`, for other simulations of the same plant (`use_plant`). Any time
  /// after `start` (O(networks · MaxNodes²); no heap). Errors: `empty` "plant not started".
  [[nodiscard]] error export_plant(shared_plant<Limits>& out) const noexcept {
    if (!started_) {
      return {errc::empty, "plant not started"};
    }
    plant_.export_to(out);
    return {};
  }

  /// Whether `start` took networks from the plant given to `use_plant` (false without one, or
  /// when it was another plant's).
  [[nodiscard]] bool plant_shared() const noexcept { return plant_.sharing(); }
  /// Networks this simulation factorised itself (`metrics().network_builds` less the copies).
  [[nodiscard]] std::uint64_t networks_factorised() const noexcept { return plant_.builds() - plant_.copied(); }

  /// Names for the trace columns (`names.size() ≤ nodes`; views must outlive the simulation).
  void set_node_names(std::span<const std::string_view> names) noexcept { plant_.set_node_names(names); }

  /// Initial node temperatures [°C] (default: ambient). Errors: `invalid_argument` "initial
  /// temperatures" (size ≠ node count), `not_finite` "initial temperature" (index = node).
  [[nodiscard]] error set_initial_temperatures(std::span<const double> t) noexcept {
    return plant_.set_initial_temperatures(t);
  }

  /// Options of the run. Errors: `non_positive` "fixed step" / "leakage interval" / "crossing
  /// tolerance" / "search horizon" / "max events"; `negative` "record interval" / "min irq interval";
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
    if (o.max_events == 0) {
      return {errc::non_positive, "max events"};
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
    return ops_.add_domain(c, plant_);
  }

  /// Adds a sensor. Returns its index. Errors: `capacity_exceeded` "sensors" / "probe terms";
  /// `empty` "probe"; `out_of_range` "probe node" (index = term); `not_finite` "probe weight";
  /// those of `validate(sensor_params)`.
  [[nodiscard]] result<std::size_t, error> add_sensor(const sensor_config& c) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (ports_.sensors_full()) {
      return error{errc::capacity_exceeded, "sensors"};
    }
    if (const error e = plant_.check_probe(c.probe); !e.ok()) {
      return e;
    }
    auto m = sensor_model::make(c.params);
    if (!m) {
      return m.error();
    }
    plant_.add_probe(c.probe);
    return ports_.add_sensor(*m, c.name);
  }

  /// A cpufreq cooling device on CPU domain `domain` (a QoS frequency cap over its EM).
  /// Errors: `out_of_range` "domain"; `not_supported` "domain has no energy model" / "not a CPU
  /// domain"; those of `cpufreq_cooling::create` and `thermal_cooling_device::setup`;
  /// `capacity_exceeded` "cooling devices".
  [[nodiscard]] result<std::size_t, error> add_cpufreq_cooling(std::size_t domain, std::string_view type) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (const error e = ops_.check_cooling_domain(domain, true); !e.ok()) {
      return e;
    }
    auto dev = cpufreq_type::create(ops_.energy_model(domain)->view(), ops_.cores(domain));
    if (!dev) {
      return dev.error();
    }
    return ops_.add_cooling(cooling_kind::cpufreq, domain, *dev, type, user_sink_);
  }

  /// A devfreq cooling device on device domain `domain` (a GPU). Errors as `add_cpufreq_cooling`
  /// ("not a device domain").
  [[nodiscard]] result<std::size_t, error> add_devfreq_cooling(std::size_t domain, std::string_view type) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (const error e = ops_.check_cooling_domain(domain, false); !e.ok()) {
      return e;
    }
    auto dev = devfreq_type::create(ops_.energy_model(domain)->view());
    if (!dev) {
      return dev.error();
    }
    return ops_.add_cooling(cooling_kind::devfreq, domain, *dev, type, user_sink_);
  }

  /// An idle-injection cooling device on domain `domain` (`idle` = DT duration-us).
  [[nodiscard]] result<std::size_t, error> add_idle_injection(std::size_t domain, std::string_view type,
                                                              microseconds idle = microseconds{4000}) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (domain >= ops_.domain_count()) {
      return error{errc::out_of_range, "domain", idx(domain)};
    }
    if (ops_.cooling_full()) {
      return error{errc::capacity_exceeded, "cooling devices"};
    }
    auto dev = control::idle_injection_cooling::create(idle);
    if (!dev) {
      return dev.error();
    }
    return ops_.add_cooling(cooling_kind::idle_injection, domain, *dev, type, user_sink_);
  }

  /// A fan. Errors: `capacity_exceeded` "fans" / "fan paths" / "edges (fan paths)";
  /// `empty` "fan paths"; `out_of_range` "fan path node" / "fan path peer" (index = path);
  /// `invalid_argument` "fan path peer" (peer = node); `negative`/`not_finite` "fan
  /// conductance"; `non_positive` "fan exponent"; those of `fan_cooling::create`.
  [[nodiscard]] result<std::size_t, error> add_fan(const fan_config& f) noexcept {
    if (started_) {
      return error{errc::already_exists, "simulation already started"};
    }
    if (plant_.fans_full()) {
      return error{errc::capacity_exceeded, "fans"};
    }
    if (ops_.cooling_full()) {
      return error{errc::capacity_exceeded, "cooling devices"};
    }
    std::size_t new_edges = 0;
    if (const error e = plant_.check_fan(f.paths, new_edges); !e.ok()) {
      return e;
    }
    auto dev = fan_type::create(f.levels, f.kind, f.initial_state);
    if (!dev) {
      return dev.error();
    }
    const std::size_t fi = plant_.fan_count();
    plant_.add_fan(f.paths, f.levels, new_edges, ops_.cooling_count());
    auto r = ops_.add_cooling(cooling_kind::fan, fi, *dev, f.name, user_sink_);
    if (!r) {
      plant_.pop_fan();
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
    return ports_.add_zone(z, this, &simulation::on_zone_event);
  }

  /// Binds cooling device `cooling` to trip `trip` of zone `zone` (a cooling-map entry).
  /// Returns the instance id. Errors: `out_of_range` "zone" / "cooling device"; those of
  /// `thermal_zone_device::bind` (`already_exists` for a repeated binding …).
  [[nodiscard]] result<std::int32_t, error> bind(std::size_t zone, std::int32_t trip, std::size_t cooling,
                                                 control::cooling_spec spec = {}) noexcept {
    if (zone >= ports_.zone_count()) {
      return error{errc::out_of_range, "zone", idx(zone)};
    }
    if (cooling >= ops_.cooling_count()) {
      return error{errc::out_of_range, "cooling device", idx(cooling)};
    }
    return ports_.zone(zone).bind(trip, ops_.device(cooling), spec);
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
    return ops_.add_workload(w, first_core);
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
    if (const error bad = check_scenario_event(e, plant_, ops_, ports_); !bad.ok()) {
      return bad;
    }
    static_cast<void>(events_.push_back(e));
    return {};
  }

  /// Adds a custom trace channel. Errors: `capacity_exceeded` "channels", `invalid_argument`
  /// "channel function".
  [[nodiscard]] error add_channel(const custom_channel& c) noexcept { return trace_.add_channel(c); }

  /// Where rows go (optional; user-owned). `start` configures its columns (allocates there).
  void set_recorder(recorder* r) noexcept { trace_.set_recorder(r); }
  /// Every netlink event of the zones and cooling devices is also passed to `sink`. Set before
  /// adding zones and cooling devices.
  void set_event_sink(control::event_sink sink) noexcept { user_sink_ = sink; }
  /// Called after every zone update (poll, interrupt, completed read, enable, disable, trip
  /// write), once the update's netlink events have gone to the event sink and its cooling
  /// states have been applied: an observer reads the zone (temperature, trips, thresholds) and
  /// its governor's last round there. The hook must only read the simulation. Set before
  /// `start` to see the initial updates. No heap (a function pointer and a context).
  void set_update_hook(control::callback_sink<zone_update> hook) noexcept { update_hook_ = hook; }
  /// Called with `now()` at the end of `start` and after every processed event, once the
  /// plant's inputs (frequencies, powers) follow what the event changed: where an observer sees
  /// a domain's frequency change at the instant it happens. Read-only, like the update hook.
  void set_step_hook(control::callback_sink<sim_time> hook) noexcept { step_hook_ = hook; }

  /// Finishes set-up at time `t0` and runs the initial zone updates. After it only `run_until`
  /// and the read accessors are used. Errors: `empty` "plant"; `already_exists` (started
  /// twice); `out_of_range` "fixed step above the RK4 stability limit" (fixed-step RK4 with a
  /// step above `max_stable_step()` of a network built up front: refused, not sub-stepped); network errors ("no path to ambient" …) naming the node or edge; `capacity_exceeded`
  /// "networks" (no cache slot).
  [[nodiscard]] error start(sim_time t0 = sim_time{}) noexcept {
    if (started_) {
      return {errc::already_exists, "simulation already started"};
    }
    if (!plant_.ready()) {
      return {errc::empty, "plant"};
    }
    now_ = t0;
    // Networks: the initial fan configuration, then every other one if they all fit.
    std::array<control::cooling_state, Limits::fans> max_states{};
    for (std::size_t f = 0; f < plant_.fan_count(); ++f) {
      max_states[f] = ops_.device(plant_.fan_cooling(f)).max_state();
    }
    const bool rk4 = opt_.mode == time_mode::fixed_step && opt_.integrator == fixed_step_integrator::rk4;
    if (const error e = plant_.start(fan_states(), max_states, rk4); !e.ok()) {
      return e;
    }
    if (rk4 && to_seconds(opt_.fixed_step) > max_stable_step()) {
      return {errc::out_of_range, "fixed step above the RK4 stability limit (max_stable_step)"};
    }
    // Scenario events: stable order by time (insertion sort keeps ties in insertion order).
    for (std::size_t i = 1; i < events_.size(); ++i) {
      for (std::size_t j = i; j > 0 && events_[j].at < events_[j - 1].at; --j) {
        std::swap(events_[j], events_[j - 1]);
      }
    }
    timers::set_kinds(queue_, ports_.zone_count(), ops_.workload_count());
    ops_.start(t0);
    metrics_init();
    started_ = true;
    status_ = run_status::running;
    // Inputs first (cooling devices see the load), then the zones' first updates.
    ops_.limit_all(opt_.apply_cooling);
    refresh_inputs();
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      observer_reset(z);
    }
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      if (ports_.enabled_at_start(z) && status_ == run_status::running) {
        prime_reading(z);
        handle_update(z, ports_.zone(z).enable(now_));
      }
    }
    if (ops_.stale()) {
      refresh_inputs();
    }
    if (trace_.target() != nullptr) {
      trace_.configure(rows());
      plant_.read_sensors();
      trace_.record(event_kind::start, 0, now_, rows());
    }
    next_scenario_ = 0;
    schedule_scenario();
    if (ops_.leaks() && opt_.mode == time_mode::event_driven) {
      queue_.schedule(timers::leakage, t0 + opt_.leakage_interval);
    }
    trace_.start(trace_.target() != nullptr && opt_.record_interval.count() > 0 ? t0 + opt_.record_interval
                                                                                 : never,
                 opt_.record_interval);
    if (opt_.mode == time_mode::fixed_step) {
      queue_.schedule(timers::tick, next_grid(t0, opt_.fixed_step));
    }
    plant_.read_sensors();
    observe_peaks();
    search_dirty_ = true;
    step_hook_(now_);
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
        trace_.sample(ev.time, false, now_, rows());
        advance_to(ev.time);
      }
      dispatch(ev.timer);
      if (++metrics_.events >= opt_.max_events && status_ == run_status::running) {
        status_ = run_status::budget_exhausted;  // the run budget: stop here, say so
      }
      if (ops_.stale()) {
        refresh_inputs();
      }
      plant_.read_sensors();
      observe_peaks();
      step_hook_(now_);
      if (opt_.record_events && trace_.target() != nullptr) {
        trace_.record(static_cast<event_kind>(ev.kind), timers::source_of(ev.timer), now_, rows());
      }
      if (status_ != run_status::running) {
        return status_;
      }
    }
    trace_.sample(end, true, now_, rows());
    if (end > now_) {
      advance_to(end);
    }
    return status_;
  }

  // ================================================================ state

  [[nodiscard]] run_status status() const noexcept { return status_; }
  /// The largest fixed step RK4 is stable with on the networks built so far [s]:
  /// `rk4_stability_bound / λ_max` (infinite before `start` builds them).
  [[nodiscard]] double max_stable_step() const noexcept {
    const double r = plant_.fastest_rate();
    return r > 0.0 ? rk4_stability_bound / r : std::numeric_limits<double>::infinity();
  }
  /// The zone whose critical trip stopped the run (meaningful when status is shutdown/reboot).
  [[nodiscard]] std::size_t stopped_by() const noexcept { return stopped_by_; }
  [[nodiscard]] sim_time now() const noexcept { return now_; }
  [[nodiscard]] std::size_t node_count() const noexcept { return plant_.size(); }
  [[nodiscard]] std::size_t zone_count() const noexcept { return ports_.zone_count(); }
  [[nodiscard]] std::size_t domain_count() const noexcept { return ops_.domain_count(); }
  [[nodiscard]] std::size_t sensor_count() const noexcept { return ports_.sensor_count(); }
  [[nodiscard]] std::size_t cooling_count() const noexcept { return ops_.cooling_count(); }
  [[nodiscard]] std::size_t workload_count() const noexcept { return ops_.workload_count(); }

  /// Temperature of node `i` now [°C]. O(N).
  [[nodiscard]] double temperature(std::size_t i) const noexcept {
    THERMO_ASSERT(i < plant_.size());
    return plant_.temperature(i);
  }
  /// The continuous temperature at sensor `s` (its probe, no offset, quantisation or noise). O(N).
  [[nodiscard]] double sensed_temperature(std::size_t s) const noexcept {
    THERMO_ASSERT(s < ports_.sensor_count());
    return plant_.sensed(s);
  }
  /// The ambient temperature [°C].
  [[nodiscard]] double ambient() const noexcept { return plant_.ambient(); }
  /// Power applied to node `i` [W].
  [[nodiscard]] double node_power(std::size_t i) const noexcept { return plant_.node_power(i); }
  /// Domain `d`'s current frequency [Hz], OPP index, run fraction, power breakdown and the
  /// state its workloads see.
  [[nodiscard]] double frequency(std::size_t d) const noexcept { return ops_.state(d).frequency_hz; }
  [[nodiscard]] std::size_t opp(std::size_t d) const noexcept { return ops_.opp(d); }
  [[nodiscard]] double run_fraction(std::size_t d) const noexcept { return ops_.state(d).run_fraction; }
  [[nodiscard]] const power_breakdown<double>& domain_power(std::size_t d) const noexcept { return ops_.power(d); }
  [[nodiscard]] const workload::domain_state& domain_state(std::size_t d) const noexcept { return ops_.state(d); }
  [[nodiscard]] const domain_model& domain(std::size_t d) const noexcept { return ops_.model(d); }
  /// The Energy Model registered for domain `d` (absent when it has no power data).
  [[nodiscard]] const std::optional<em_type>& energy_model(std::size_t d) const noexcept { return ops_.energy_model(d); }
  /// Zone `z` (the control object: temperature, trips, instances, params for tuning).
  [[nodiscard]] control::thermal_zone_device& zone(std::size_t z) noexcept { return ports_.zone(z); }
  [[nodiscard]] const control::thermal_zone_device& zone(std::size_t z) const noexcept { return ports_.zone(z); }
  /// Cooling device `c` (the core object: state, instances, driver handle).
  [[nodiscard]] control::thermal_cooling_device& cooling_device(std::size_t c) noexcept { return ops_.device(c); }
  [[nodiscard]] const control::thermal_cooling_device& cooling_device(std::size_t c) const noexcept {
    return ops_.device(c);
  }
  /// Sensor `s`'s model (faults, parameters).
  [[nodiscard]] const sensor_model& sensor(std::size_t s) const noexcept { return ports_.sensor(s); }
  /// Sensor `s`'s name and node `i`'s name (empty when not named), as the trace's columns use them.
  [[nodiscard]] std::string_view sensor_name(std::size_t s) const noexcept { return ports_.sensor_name(s); }
  [[nodiscard]] std::string_view node_name(std::size_t i) const noexcept { return plant_.node_name(i); }
  /// The scripted events (`add_event`), read-only: in the order added, and by time once started.
  [[nodiscard]] std::span<const scenario_event> events() const noexcept { return {events_.data(), events_.size()}; }
  /// The network in use (current fan configuration).
  [[nodiscard]] const network_type& network() const noexcept { return plant_.network(); }

  /// The metrics so far (open intervals — time above a trip, time active — are closed at
  /// `now()` in the copy returned). O(zones·trips + cooling devices).
  [[nodiscard]] metrics_type metrics() const noexcept {
    metrics_type m = metrics_;
    m.duration = now_ - t0_;
    m.network_builds = plant_.builds();
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      observer_.close_intervals(z, now_, m);
      const bool stopped = (status_ == run_status::shutdown || status_ == run_status::reboot) && stopped_by_ == z;
      for (std::size_t i = 0; i < ports_.zone(z).num_trips() && !stopped; ++i) {
        const control::thermal_trip& t = ports_.zone(z).trip(i).trip;
        m.zones[z].unhandled_critical = m.zones[z].unhandled_critical ||
                                        (t.type == control::trip_type::critical && t.temperature != control::temp_invalid &&
                                         m.zones[z].peak_c * 1000.0 >= static_cast<double>(t.temperature.count()));
      }
    }
    ops_.close_intervals(now_, m);
    return m;
  }

 private:
  using timers = timer_layout<Limits::zones, Limits::workloads>;
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  [[nodiscard]] static constexpr std::int32_t idx(std::size_t i) noexcept {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  }

  // ---------------------------------------------------------------- the parts, joined
  [[nodiscard]] row_sources<Limits> rows() noexcept { return {plant_, ops_, ports_, observer_, metrics_}; }

  /// Every fan's cooling state, in fan order.
  [[nodiscard]] std::array<control::cooling_state, Limits::fans> fan_states() const noexcept {
    std::array<control::cooling_state, Limits::fans> s{};
    for (std::size_t f = 0; f < plant_.fan_count(); ++f) {
      s[f] = ops_.device(plant_.fan_cooling(f)).cur_state();
    }
    return s;
  }

  /// Switches the plant to the network of the fans' current configuration.
  void follow_fans() noexcept {
    if (plant_.switch_to(plant_.key(fan_states()))) {
      mark_searches();
    }
    ops_.mark_stale();
  }

  void metrics_init() noexcept {
    t0_ = now_;
    metrics_ = metrics_type{};
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      static_cast<void>(metrics_.zones.emplace_back());
      const auto& zone = ports_.zone(z);
      for (std::size_t i = 0; i < zone.num_trips(); ++i) {
        trip_metrics t;
        t.temperature = zone.trip(i).trip.temperature;
        t.hysteresis = zone.trip(i).trip.hysteresis;
        static_cast<void>(metrics_.zones[z].trips.push_back(t));
      }
      metrics_.zones[z].peak_c = -std::numeric_limits<double>::infinity();
    }
    for (std::size_t d = 0; d < ops_.domain_count(); ++d) {
      static_cast<void>(metrics_.domains.emplace_back());
    }
    for (std::size_t c = 0; c < ops_.cooling_count(); ++c) {
      static_cast<void>(metrics_.cooling.emplace_back());
      metrics_.cooling[c].max_state = ops_.applied(c);
    }
    for (std::size_t i = 0; i < plant_.size(); ++i) {
      static_cast<void>(metrics_.node_peak_c.push_back(-std::numeric_limits<double>::infinity()));
    }
  }

  // ---------------------------------------------------------------- plant advance
  void advance_to(sim_time t) noexcept {
    THERMO_ASSERT(t >= now_);
    if (t == now_) {
      return;
    }
    const double dt = to_seconds(t - now_);
    plant_.advance(dt);
    ops_.account(dt, metrics_);
    now_ = t;
  }

  // ---------------------------------------------------------------- dispatch
  void dispatch(std::size_t timer) noexcept {
    if (timer == timers::scenario) {
      run_scenario();
    } else if (timer == timers::leakage) {
      ops_.mark_leaky();
      queue_.schedule(timers::leakage, now_ + opt_.leakage_interval);
    } else if (timer == timers::tick) {
      run_tick();
      queue_.schedule(timers::tick, now_ + opt_.fixed_step);
    } else if (timer >= timers::first_workload) {
      ops_.workload_event(timer - timers::first_workload, now_, search_dirty_);
    } else {
      const std::size_t z = timers::zone_of(timer);
      switch (timers::which(timer)) {
        case timers::poll:
          start_read(z);
          break;
        case timers::irq:
          comparators_.on_irq(z, now_);
          ++metrics_.zones[z].interrupts;
          start_read(z);
          break;
        case timers::read:
          deliver(z, ports_.complete(z));
          break;
        case timers::comparator:
          if (!comparators_.event(z, ports_, plant_, now_, opt_.min_irq_interval, queue_)) {
            search_dirty_ = true;
          }
          break;
        default:
          observer_.event(z, ports_.zone(z), now_, metrics_);
          search_dirty_ = true;
          break;
      }
    }
  }

  // ---------------------------------------------------------------- scenario
  void schedule_scenario() noexcept {
    if (next_scenario_ < events_.size()) {
      queue_.schedule(timers::scenario, std::max(events_[next_scenario_].at, now_));
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
        plant_.set_ambient(e.value);
        mark_searches();
        ops_.mark_stale();
        break;
      case scenario_action::set_node_power:
        plant_.set_extra_power(e.target, e.value);
        ops_.mark_power_stale();
        break;
      case scenario_action::fan_failure:
      case scenario_action::fan_restore:
        plant_.set_fan_failed(ops_.target(e.target), e.action == scenario_action::fan_failure);
        follow_fans();
        break;
      case scenario_action::sensor_fault:
      case scenario_action::sensor_restore: {
        sensor_model& s = ports_.sensor(e.target);
        if (e.action == scenario_action::sensor_restore || e.fault.kind == sensor_fault_kind::none) {
          s.clear_fault();
        } else {
          s.set_fault(e.fault, s.quantise(plant_.sensed(e.target)));
        }
        if (const std::size_t z = ports_.zone_of_sensor(e.target); z != none) {
          comparators_.mark(z);
          search_dirty_ = true;
        }
        break;
      }
      case scenario_action::zone_enable:
        prime_reading(e.target);
        handle_update(e.target, ports_.zone(e.target).enable(now_));
        break;
      case scenario_action::zone_disable:
        handle_update(e.target, ports_.zone(e.target).disable(now_));
        break;
      case scenario_action::set_trip_temperature: {
        prime_reading(e.target);
        auto r = ports_.zone(e.target).set_trip_temperature(now_, e.trip, e.temperature);
        if (r) {
          handle_update(e.target, *r);
        }
        break;
      }
      case scenario_action::call:
        e.fn(e.ctx, now_);
        apply_cooling();  // the callback may have set a cooling state directly
        ops_.touch_workloads(now_, search_dirty_);
        break;
    }
  }

  // ---------------------------------------------------------------- fixed-step ticks
  void run_tick() noexcept {
    fixed_step_tick(ports_, plant_, ops_, comparators_, observer_, metrics_, opt_, now_, queue_);
  }

  // ---------------------------------------------------------------- reads and zone updates
  void prime_reading(std::size_t z) noexcept {
    ports_.prime(z, plant_.sensed(ports_.sensor_of(z)));
    count_saturated(z, ports_.port(z).reading);
  }
  /// The sensor model saturates what int32 m°C cannot hold: counted, so that it is reported.
  void count_saturated(std::size_t z, const result<millicelsius>& v) noexcept {
    if (v && (v->count() == std::numeric_limits<std::int32_t>::max() || v->count() == -std::numeric_limits<std::int32_t>::max())) {
      ++metrics_.zones[z].saturated_reads;
    }
  }

  void start_read(std::size_t z) noexcept {
    if (!ports_.can_read(z)) {
      return;
    }
    const result<millicelsius> v = ports_.read(z, plant_.sensed(ports_.sensor_of(z)));
    const sim_duration conv = ports_.conversion(z);
    if (conv.count() == 0) {
      deliver(z, v);
      return;
    }
    ports_.hold(z, v);
    queue_.schedule(timers::zone(z, timers::read), now_ + conv);
  }

  void deliver(std::size_t z, result<millicelsius> v) noexcept {
    count_saturated(z, v);
    ports_.set_reading(z, v);
    handle_update(z, ports_.zone(z).update(now_));
  }

  void handle_update(std::size_t z, const control::update_result& r) noexcept {
    zone_metrics<Limits::trips>& m = metrics_.zones[z];
    if (r.status != control::update_status::not_ready && r.status != control::update_status::skipped) {
      ++m.updates;
    }
    if (r.status == control::update_status::read_failed || r.status == control::update_status::broken) {
      ++m.read_failures;
    }
    if (r.next_update) {
      queue_.schedule(timers::zone(z, timers::poll), std::max(*r.next_update, now_));
    } else {
      queue_.cancel(timers::zone(z, timers::poll));
    }
    if (ports_.interrupt(z)) {
      const bool active = ports_.active(z);
      comparators_.arm(z, active && ports_.port(z).programmed);
      search_dirty_ = true;
      if (!active) {
        queue_.cancel(timers::zone(z, timers::comparator));
        queue_.cancel(timers::zone(z, timers::irq));
      }
    }
    observer_.update_reached(z, ports_.zone(z), now_, metrics_);
    apply_cooling();
    if (r.critical != control::critical_action::none && status_ == run_status::running) {
      status_ = r.critical == control::critical_action::reboot ? run_status::reboot : run_status::shutdown;
      stopped_by_ = z;
    }
    update_hook_(zone_update{z, now_, &r});
  }

  /// The netlink events of every zone pass through here (metrics), then to the user's sink.
  static void on_zone_event(void* ctx, const control::thermal_event& e) noexcept {
    const auto* c = static_cast<const typename zone_ports<Limits>::event_context*>(ctx);
    static_cast<simulation*>(c->owner)->zone_event(c->zone, e);
  }

  void zone_event(std::size_t z, const control::thermal_event& e) noexcept {
    if (started_ && e.type == control::event_type::tz_trip_change) {
      observer_reset(z);  // before the update that follows, so that it pairs correctly
    }
    if (started_ && (e.type == control::event_type::tz_trip_up || e.type == control::event_type::tz_trip_down) &&
        e.trip_id >= 0 && static_cast<std::size_t>(e.trip_id) < Limits::trips) {
      observer_.detection(z, static_cast<std::size_t>(e.trip_id), e.type == control::event_type::tz_trip_up,
                          plant_.sensed(ports_.sensor_of(z)), now_, metrics_);
    }
    user_sink_(e);
  }

  // ---------------------------------------------------------------- cooling → plant, inputs
  void apply_cooling() noexcept {
    if (ops_.apply_cooling(now_, opt_.apply_cooling, metrics_)) {
      follow_fans();
    }
  }

  /// Recomputes the stale inputs; a change of the plant's power redoes the searches.
  void refresh_inputs() noexcept {
    if (ops_.refresh(now_, opt_.schedutil_headroom, plant_, search_dirty_)) {
      mark_searches();
    }
  }

  // ---------------------------------------------------------------- searches (end of instant)
  void mark_searches() noexcept {
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      observer_.mark(z);
      comparators_.mark(z);
    }
    search_dirty_ = true;
  }

  void observer_reset(std::size_t z) noexcept {
    observer_.reset(z, ports_.zone(z), plant_.sensed(ports_.sensor_of(z)), now_, metrics_);
    search_dirty_ = true;
  }

  /// Runs the pending searches (workload next events, observers, comparators) from `now()`,
  /// looking at least up to `at_least`.
  void do_searches(sim_time at_least) noexcept {
    search_dirty_ = false;
    ops_.schedule_workloads(now_, queue_, [](std::size_t w) { return timers::workload(w); });
    if (opt_.mode != time_mode::event_driven) {
      return;
    }
    const sim_time until = std::max(search_limit(), at_least);
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      const bool obs = observer_.dirty(z);
      const bool cmp = comparators_.dirty(z);
      if (!obs && !cmp) {
        continue;
      }
      const std::size_t sensor = ports_.sensor_of(z);
      typename crossing_search<Limits>::expansion ex;
      crossing_search<Limits>::expand(plant_, sensor, now_, until, ex);
      if (obs) {
        observer_.search(z, ex, until, sensor, plant_, finder_, now_, opt_.track_crossings, opt_.crossing_tolerance,
                         metrics_.searches, queue_);
      }
      if (cmp) {
        comparators_.search(z, ex, until, ports_, plant_, finder_, now_, opt_.crossing_tolerance, metrics_.searches,
                            queue_);
      }
    }
  }

  /// Marks the searches whose look-ahead ends before `t` for a new search; true if any.
  [[nodiscard]] bool expire_searches(sim_time t) noexcept {
    bool any = false;
    for (std::size_t z = 0; z < ports_.zone_count(); ++z) {
      any = observer_.expire(z, t) || any;
      any = comparators_.expire(z, t) || any;
    }
    return any;
  }

  /// How far ahead crossing searches look: up to the next event that changes the plant's inputs
  /// by itself (a workload, scenario, leakage or fixed-step event), at most `search_horizon`.
  /// Zone events (polls, reads, interrupts) change inputs only through cooling states, and any
  /// input change redoes the searches: so this only bounds their work, and a zone event that
  /// changes nothing costs no search. A search that finds nothing re-runs at the limit.
  [[nodiscard]] sim_time search_limit() const noexcept {
    const sim_time t =
        queue_.earliest_if([](std::size_t timer) { return !timers::is_zone(timer); }, now_ + opt_.search_horizon);
    return std::max(t, now_ + sim_duration{1});
  }

  void observe_peaks() noexcept { observer_.observe_peaks(ports_, plant_.sensed_now().data(), now_, metrics_); }

  // ---------------------------------------------------------------- members
  // The operating point (which holds the cooling devices) is declared before the zones: zones
  // unlink their instances from the devices when destroyed, so the devices must outlive them.
  operating_point<Limits> ops_{};
  zone_ports<Limits> ports_{};
  plant<Limits> plant_{};
  comparators<Limits> comparators_{};
  crossing_observer<Limits> observer_{};
  crossing_search<Limits> finder_{};
  trace_sampler<Limits> trace_{};
  static_vector<scenario_event, Limits::scenario_events> events_{};
  event_queue<timers::count> queue_{};
  metrics_type metrics_{};
  sim_options opt_{};
  control::event_sink user_sink_{};
  control::callback_sink<zone_update> update_hook_{};
  control::callback_sink<sim_time> step_hook_{};
  std::size_t next_scenario_{0};
  std::size_t stopped_by_{0};
  sim_time now_{};
  sim_time t0_{};
  run_status status_{run_status::not_started};
  bool started_{false};
  bool search_dirty_{false};
};

}  // namespace thermo::sim
