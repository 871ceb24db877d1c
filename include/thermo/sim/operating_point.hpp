/// @file operating_point.hpp
/// Where the control side meets the plant's inputs: the power domains, the cooling devices
/// that cap them, and the workloads that load them.
///
/// * **Cooling → plant.** A cpufreq/devfreq device's cap limits its domain's frequency (the
///   highest OPP at or below the lowest cap), idle injection takes a run fraction run / (run +
///   idle), and a fan's state picks the plant's network (plant.hpp).
/// * **Schedutil.** Below its cap a domain runs at the lowest OPP ≥ headroom · f_max · max u
///   (u frequency-invariant); its workloads then see that frequency and run fraction.
/// * **Power.** Each domain's power (`power_domain::power_at`: dynamic, leakage at the
///   temperature of the nodes it heats, idle) is spread over its heat nodes; the cooling
///   devices read back the load and frequency the kernel's drivers would see.
///
/// The simulation (simulation.hpp) calls it at events; it keeps which inputs are stale so that
/// `refresh` recomputes only those.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/cooling/idle_injection.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/control/events.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/model/power.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/metrics.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/workload_ref.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// What a cooling device drives.
enum class cooling_kind : std::uint8_t { cpufreq, devfreq, idle_injection, fan };

/// The domains, cooling devices and workloads of a `simulation<Limits>` (see the file comment).
template <class Limits>
class operating_point {
 public:
  using domain_model = power_domain<double, Limits::opps>;
  using em_type = power::em_perf_domain<Limits::opps>;
  using cpufreq_type = control::cpufreq_cooling<power::em_perf_domain_view, Limits::cores>;
  using devfreq_type = control::devfreq_cooling<power::em_perf_domain_view>;
  using fan_type = control::fan_cooling<Limits::fan_levels>;

  // ================================================================ set-up

  /// Adds a power domain heating nodes of `p`. Errors: see `simulation::add_domain`.
  [[nodiscard]] result<std::size_t, error> add_domain(const domain_config& c, const plant<Limits>& p) noexcept {
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
      if (!p.has_node(c.heat[k].node)) {
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

  /// A cpufreq (`cpu`) or devfreq cooling device may go on `domain`. Errors: `out_of_range`
  /// "domain"; `capacity_exceeded` "cooling devices"; `not_supported` "not a CPU domain" /
  /// "not a device domain" / "domain has no energy model".
  [[nodiscard]] error check_cooling_domain(std::size_t domain, bool cpu) const noexcept {
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

  /// Adds a cooling device of `kind` on `target` (a domain, or a fan's index), built from `dev`,
  /// and registers it as `type`; the thermal framework's events go to `sink`.
  template <class D>
  [[nodiscard]] result<std::size_t, error> add_cooling(cooling_kind kind, std::size_t target, const D& dev,
                                                       std::string_view type, control::event_sink sink) noexcept {
    const std::size_t c = cooling_.size();
    static_cast<void>(cooling_.emplace_back());
    cooling_slot& s = cooling_[c];
    s.kind = kind;
    s.target = target;
    D& held = s.dev.template emplace<D>(dev);
    const error e = s.core.setup(static_cast<std::int32_t>(c), type, held, sink);
    if (!e.ok()) {
      cooling_.pop_back();
      return e;
    }
    return c;
  }
  [[nodiscard]] bool cooling_full() const noexcept { return cooling_.full(); }

  /// Adds a workload. Errors: see `simulation::add_workload`.
  [[nodiscard]] result<std::size_t, error> add_workload(workload_ref w, std::size_t first_core) noexcept {
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

  // ================================================================ start

  /// Marks every workload for a first look at `t0` and takes the devices' initial states.
  void start(sim_time t0) noexcept {
    for (workload_slot& w : workloads_) {
      w.last = t0;
      w.util_dirty = true;
      w.next_dirty = true;
    }
    for (cooling_slot& c : cooling_) {
      c.applied = c.core.cur_state();
      c.since = t0;
    }
    leakage_ = false;
    for (const domain_slot& d : domains_) {
      leakage_ = leakage_ || d.model->leakage().enabled();
    }
  }
  /// Some domain leaks (its power depends on temperature).
  [[nodiscard]] bool leaks() const noexcept { return leakage_; }

  // ================================================================ cooling → plant

  /// Takes every cooling device's new state: counts the transition, re-limits its domain.
  /// `apply`: cooling acts on the plant (`sim_options::apply_cooling`). True when a fan's
  /// state changed and acts (the plant's network must follow, `fan_states`).
  bool apply_cooling(sim_time now, bool apply, metrics_of<Limits>& metrics) noexcept {
    bool fan_changed = false;
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      cooling_slot& s = cooling_[c];
      const control::cooling_state st = s.core.cur_state();
      if (st == s.applied) {
        continue;
      }
      cooling_metrics& m = metrics.cooling[c];
      ++m.transitions;
      m.max_state = std::max(m.max_state, st);
      if (s.applied != 0) {
        m.time_active_s += to_seconds(now - s.since);
      }
      s.since = now;
      s.applied = st;
      if (s.kind != cooling_kind::fan) {
        limit(s.target, apply);
      } else {
        fan_changed = fan_changed || apply;
      }
      inputs_dirty_ = true;
    }
    return fan_changed;
  }

  /// Domain `d`'s frequency cap (cpufreq/devfreq QoS: the highest OPP at or below the lowest
  /// cap) and run fraction (idle injection: run / (run + idle), the smallest), from its cooling
  /// devices' current states; none when cooling is not applied (`apply` false).
  void limit(std::size_t d, bool apply) noexcept {
    domain_slot& s = domains_[d];
    const auto opps = s.model->opps();
    std::size_t cap = opps.size() - 1;
    double run = 1.0;
    if (apply) {
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
        const kilohertz cap_f = c.kind == cooling_kind::cpufreq ? std::get<cpufreq_type>(c.dev).max_frequency()
                                                                : std::get<devfreq_type>(c.dev).max_frequency();
        std::size_t k = 0;
        for (std::size_t j = 0; j < opps.size(); ++j) {
          if (opps[j].frequency <= cap_f) {
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
  /// `limit` for every domain.
  void limit_all(bool apply) noexcept {
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      limit(d, apply);
    }
  }

  // ================================================================ inputs

  /// An input changed (refresh at the end of the event).
  [[nodiscard]] bool stale() const noexcept { return inputs_dirty_; }
  void mark_stale() noexcept { inputs_dirty_ = true; }
  /// The scenario changed a node's extra power.
  void mark_power_stale() noexcept {
    power_dirty_ = true;
    inputs_dirty_ = true;
  }
  /// Leaky domains re-evaluate their power (their temperature moved).
  void mark_leaky() noexcept {
    for (domain_slot& d : domains_) {
      d.dirty = d.dirty || d.model->leakage().enabled();
    }
    inputs_dirty_ = true;
  }

  /// Workload `w`'s own event at `now`. `searches`: set when the workloads' next events must be
  /// found again.
  void workload_event(std::size_t w, sim_time now, bool& searches) noexcept {
    workload_slot& s = workloads_[w];
    catch_up(s, now);
    s.ref.on_event(now, s.state);
    s.util_dirty = true;
    s.next_dirty = true;
    inputs_dirty_ = true;
    searches = true;
  }
  /// Every workload catches up to `now` and looks again (after a user callback).
  void touch_workloads(sim_time now, bool& searches) noexcept {
    for (workload_slot& w : workloads_) {
      catch_up(w, now);
      w.util_dirty = true;
      w.next_dirty = true;
    }
    inputs_dirty_ = true;
    searches = true;
  }

  /// Recomputes every stale domain's operating point and power, the cooling devices' inputs and
  /// the nodes' power (`p.apply_power`); true when the plant's power changed. `headroom`:
  /// schedutil's; `searches` is set when a workload's state changed.
  bool refresh(sim_time now, double headroom, plant<Limits>& p, bool& searches) noexcept {
    inputs_dirty_ = false;
    for (workload_slot& w : workloads_) {
      if (w.util_dirty) {
        w.ref.utilization(now, std::span<double>(w.demand.data(), w.cores));
        w.util_dirty = false;
        domains_[w.domain].dirty = true;
      }
    }
    bool any = power_dirty_;
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      if (domains_[d].dirty) {
        domains_[d].dirty = false;
        update_domain(d, now, headroom, p, searches);
        any = true;
      }
    }
    if (!any) {
      return false;
    }
    power_dirty_ = false;
    std::array<double, Limits::nodes> heat = p.extra_power();  // a fixed-size copy: no call
    for (const domain_slot& d : domains_) {
      for (const heat_share& h : d.heat) {
        heat[h.node] += d.power.total.count() * h.weight;
      }
    }
    return p.apply_power(heat);
  }

  /// Schedules (or cancels) the next event of every workload whose state changed.
  template <class Queue, class TimerOf>
  void schedule_workloads(sim_time now, Queue& q, TimerOf timer_of) noexcept {
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
      workload_slot& s = workloads_[w];
      if (!s.next_dirty) {
        continue;
      }
      s.next_dirty = false;
      const sim_time t = s.ref.next_event(now, s.state);
      if (t == never) {
        q.cancel(timer_of(w));
      } else {
        THERMO_ASSERT(t >= now);
        q.schedule(timer_of(w), std::max(t, now));
      }
    }
  }

  /// Energy, cycles and throttled time of an interval of `dt` seconds at the current inputs.
  void account(double dt, metrics_of<Limits>& metrics) const noexcept {
    for (std::size_t d = 0; d < domains_.size(); ++d) {
      const domain_slot& s = domains_[d];
      domain_metrics& m = metrics.domains[d];
      m.energy_j += s.power.total.count() * dt;
      m.executed_cycles += s.executed_rate * dt;
      m.demanded_cycles += s.demanded_rate * dt;
      if (s.opp < s.wanted_opp) {
        m.time_capped_s += dt;
      }
      if (s.state.run_fraction < 1.0) {
        m.time_injected_s += dt;
      }
      metrics.energy_j += s.power.total.count() * dt;
    }
  }
  /// Closes the cooling devices' open active intervals at `now` (in a copy of the metrics).
  void close_intervals(sim_time now, metrics_of<Limits>& m) const noexcept {
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
      if (cooling_[c].applied != 0) {
        m.cooling[c].time_active_s += to_seconds(now - cooling_[c].since);
      }
    }
  }

  // ================================================================ state

  [[nodiscard]] std::size_t domain_count() const noexcept { return domains_.size(); }
  [[nodiscard]] std::size_t cooling_count() const noexcept { return cooling_.size(); }
  [[nodiscard]] std::size_t workload_count() const noexcept { return workloads_.size(); }
  [[nodiscard]] const domain_model& model(std::size_t d) const noexcept { return *domains_[d].model; }
  [[nodiscard]] const std::optional<em_type>& energy_model(std::size_t d) const noexcept { return domains_[d].em; }
  [[nodiscard]] std::size_t cores(std::size_t d) const noexcept { return domains_[d].cores; }
  [[nodiscard]] bool is_cpu(std::size_t d) const noexcept { return domains_[d].cpu; }
  [[nodiscard]] const workload::domain_state& state(std::size_t d) const noexcept { return domains_[d].state; }
  [[nodiscard]] std::size_t opp(std::size_t d) const noexcept { return domains_[d].opp; }
  [[nodiscard]] double max_utilization(std::size_t d) const noexcept { return domains_[d].max_u; }
  [[nodiscard]] const power_breakdown<double>& power(std::size_t d) const noexcept { return domains_[d].power; }
  [[nodiscard]] cooling_kind kind(std::size_t c) const noexcept { return cooling_[c].kind; }
  [[nodiscard]] std::size_t target(std::size_t c) const noexcept { return cooling_[c].target; }
  [[nodiscard]] control::thermal_cooling_device& device(std::size_t c) noexcept { return cooling_[c].core; }
  [[nodiscard]] const control::thermal_cooling_device& device(std::size_t c) const noexcept { return cooling_[c].core; }
  /// The state the plant last took from cooling device `c` (= its `cur_state()` after every update).
  [[nodiscard]] control::cooling_state applied(std::size_t c) const noexcept { return cooling_[c].applied; }

 private:
  [[nodiscard]] static constexpr std::int32_t idx(std::size_t i) noexcept {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  }

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
    sim_time since{};
  };

  struct workload_slot {
    workload_ref ref{};
    std::size_t domain{0};
    std::size_t first_core{0};
    std::size_t cores{0};
    std::array<double, Limits::cores> demand{};
    workload::domain_state state{};
    sim_time last{};
    bool util_dirty{true};
    bool next_dirty{true};
  };

  static void catch_up(workload_slot& w, sim_time now) noexcept {
    if (now > w.last) {
      w.ref.advance(w.last, now - w.last, w.state);
    }
    w.last = now;
  }

  void update_domain(std::size_t d, sim_time now, double headroom, const plant<Limits>& p, bool& searches) noexcept {
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
      const double target = headroom * f_max * max_u;
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
          catch_up(w, now);
          w.state = st;
          w.next_dirty = true;
          searches = true;
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
        t_dom += h.weight * p.temperature(h.node);
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

  // Cooling devices first: zones (declared after this object in the simulation) unlink their
  // instances from the devices when destroyed, so the devices must outlive them.
  static_vector<cooling_slot, Limits::cooling_devices> cooling_{};
  static_vector<domain_slot, Limits::domains> domains_{};
  static_vector<workload_slot, Limits::workloads> workloads_{};
  bool inputs_dirty_{false};
  bool power_dirty_{true};
  bool leakage_{false};
};

}  // namespace thermo::sim
