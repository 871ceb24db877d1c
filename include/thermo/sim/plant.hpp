/// @file plant.hpp
/// The simulation's plant: the RC network and how it advances. It keeps
///
/// * the network as built (without fans) and one factorised network per fan configuration
///   seen (a small least-recently-used cache: a fan's level changes conductances, and every
///   configuration is factorised once);
/// * the node powers it is heated with, the ambient, and the scenario's extra node powers;
/// * the sensors' probes (which nodes each sensor reads) and their continuous readings at the
///   current event;
/// * the fixed-step RK4 reference state, when that integrator is chosen.
///
/// It knows nothing of zones, governors or workloads: the simulation tells it the fans' states,
/// the powers and when to advance. See simulation.hpp and docs/explanation/simulation.md.
///
/// **Sharing.** A `shared_plant` holds the factorised networks of a started plant, with what they
/// were built from; a plant given one (`use`) copies a network from it instead of factorising
/// it, when what it was built from is the same. See docs/adr/0005-shared-plant.md.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/types.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/rc_network.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/types.hpp"

namespace thermo::sim {

template <class Limits>
class plant;

/// A fan of a plant: the conductances it drives and its levels (plant's own record).
template <class Limits>
struct plant_fan {
  std::size_t cooling{0};
  static_vector<fan_path, Limits::fan_paths> paths{};
  std::array<std::uint32_t, Limits::fan_levels> levels{};
  std::uint32_t max_level{0};
  std::size_t edges{0};
  bool failed{false};
};

/// The factorised networks of one plant (every fan configuration a started simulation had built
/// when it was exported: `simulation::export_plant`) and what they were built from: the network
/// without fans, the fans' paths and levels, and the sensors' probes. Simulations of the same
/// plant take their networks from it (`simulation::use_plant`) instead of factorising them:
/// a copy, O(MaxNodes²), instead of O(N³). Immutable once exported: any number of simulations,
/// on any number of threads, may read one at once. Large (`Limits::networks` networks): allocate
/// it on the heap and keep it alive while the simulations that use it run.
template <class Limits>
class shared_plant {
 public:
  using network_type = rc_network<double, Limits::nodes>;
  using builder_type = rc_network_builder<double, Limits::nodes, Limits::edges>;
  using probe_type = rc_probe<double, Limits::nodes>;
  using net_key = std::array<std::uint16_t, Limits::fans>;

  shared_plant() noexcept = default;

  /// Factorised networks held (fan configurations).
  [[nodiscard]] std::size_t network_count() const noexcept { return count_; }
  /// Node count of the plant (0 when nothing was exported).
  [[nodiscard]] std::size_t size() const noexcept { return base_.size(); }

 private:
  friend class plant<Limits>;

  struct entry {
    network_type net{};
    std::array<probe_type, Limits::sensors> probes{};
    net_key key{};
  };

  /// The network of configuration `k`, or null.
  [[nodiscard]] const entry* find(const net_key& k) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
      if (nets_[i].key == k) {
        return &nets_[i];
      }
    }
    return nullptr;
  }

  std::array<entry, Limits::networks> nets_{};
  std::size_t count_{0};
  builder_type base_{};
  static_vector<static_vector<weighted_node<double>, Limits::probe_terms>, Limits::sensors> terms_{};
  static_vector<plant_fan<Limits>, Limits::fans> fans_{};
};

/// The plant of a `simulation<Limits>` (see the file comment). Not copyable: networks are large.
template <class Limits>
class plant {
 public:
  using network_type = rc_network<double, Limits::nodes>;
  using builder_type = rc_network_builder<double, Limits::nodes, Limits::edges>;
  using probe_type = rc_probe<double, Limits::nodes>;
  /// A fan configuration: each fan's cooling state, or `fan_failed_key`.
  using net_key = std::array<std::uint16_t, Limits::fans>;
  static constexpr std::uint16_t fan_failed_key = 0xFFFF;

  plant() noexcept = default;
  plant(const plant&) = delete;
  plant& operator=(const plant&) = delete;
  plant(plant&&) = delete;
  plant& operator=(plant&&) = delete;
  ~plant() = default;

  // ================================================================ set-up

  /// The network without fans. Errors: `empty` "node count".
  [[nodiscard]] error set(const builder_type& b) noexcept {
    if (b.size() == 0) {
      return {errc::empty, "node count"};
    }
    base_ = b;
    set_ = true;
    ambient_ = b.ambient();
    return {};
  }
  [[nodiscard]] bool ready() const noexcept { return set_; }
  [[nodiscard]] std::size_t size() const noexcept { return base_.size(); }
  /// A node index of the network set (false before `set`).
  [[nodiscard]] bool has_node(std::size_t i) const noexcept { return set_ && i < base_.size(); }

  void set_node_names(std::span<const std::string_view> names) noexcept {
    for (std::size_t i = 0; i < names.size() && i < Limits::nodes; ++i) {
      node_names_[i] = names[i];
    }
  }
  [[nodiscard]] std::string_view node_name(std::size_t i) const noexcept { return node_names_[i]; }

  /// Errors: `invalid_argument` "initial temperatures" (size ≠ node count), `not_finite`
  /// "initial temperature" (index = node).
  [[nodiscard]] error set_initial_temperatures(std::span<const double> t) noexcept {
    if (!set_ || t.size() != base_.size()) {
      return {errc::invalid_argument, "initial temperatures", static_cast<std::int32_t>(t.size())};
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!std::isfinite(t[i])) {
        return {errc::not_finite, "initial temperature", detail_idx(i)};
      }
      initial_[i] = t[i];
    }
    has_initial_ = true;
    return {};
  }

  /// Checks a sensor's probe. Errors: `empty` "probe"; `capacity_exceeded` "probe terms";
  /// `out_of_range` "probe node" / `not_finite` "probe weight" (index = term).
  [[nodiscard]] error check_probe(std::span<const weighted_node<double>> terms) const noexcept {
    if (terms.empty()) {
      return {errc::empty, "probe"};
    }
    if (terms.size() > Limits::probe_terms) {
      return {errc::capacity_exceeded, "probe terms", detail_idx(terms.size())};
    }
    for (std::size_t k = 0; k < terms.size(); ++k) {
      if (!has_node(terms[k].node)) {
        return {errc::out_of_range, "probe node", detail_idx(k)};
      }
      if (!std::isfinite(terms[k].weight)) {
        return {errc::not_finite, "probe weight", detail_idx(k)};
      }
    }
    return {};
  }
  /// Adds a checked probe (sensor `probe_count()`). Precondition: `check_probe` passed, fewer
  /// than Limits::sensors probes.
  void add_probe(std::span<const weighted_node<double>> terms) noexcept {
    static_cast<void>(terms_.emplace_back());
    for (const auto& t : terms) {
      static_cast<void>(terms_.back().push_back(t));
    }
  }
  [[nodiscard]] std::size_t probe_count() const noexcept { return terms_.size(); }
  [[nodiscard]] std::span<const weighted_node<double>> probe_terms(std::size_t s) const noexcept {
    return terms_[s].span();
  }

  [[nodiscard]] bool fans_full() const noexcept { return fans_.full(); }
  [[nodiscard]] std::size_t fan_count() const noexcept { return fans_.size(); }
  /// Checks a fan's paths; `new_edges` is the number of node-to-node conductances it adds.
  /// Errors: `empty` "fan paths"; `capacity_exceeded` "fan paths" / "edges (fan paths)";
  /// `out_of_range` "fan path node" / "fan path peer", `invalid_argument` "fan path peer",
  /// `not_finite` / `negative` "fan conductance", `non_positive` "fan exponent" (index = path).
  [[nodiscard]] error check_fan(std::span<const fan_path> paths, std::size_t& new_edges) const noexcept {
    if (paths.empty()) {
      return {errc::empty, "fan paths"};
    }
    if (paths.size() > Limits::fan_paths) {
      return {errc::capacity_exceeded, "fan paths", detail_idx(paths.size())};
    }
    new_edges = 0;
    for (std::size_t k = 0; k < paths.size(); ++k) {
      const fan_path& p = paths[k];
      if (!has_node(p.node)) {
        return {errc::out_of_range, "fan path node", detail_idx(k)};
      }
      if (p.peer != fan_path::ambient && p.peer >= base_.size()) {
        return {errc::out_of_range, "fan path peer", detail_idx(k)};
      }
      if (p.peer == p.node) {
        return {errc::invalid_argument, "fan path peer", detail_idx(k)};
      }
      if (!std::isfinite(p.conductance_off) || !std::isfinite(p.conductance_full)) {
        return {errc::not_finite, "fan conductance", detail_idx(k)};
      }
      if (p.conductance_off < 0.0 || p.conductance_full < 0.0) {
        return {errc::negative, "fan conductance", detail_idx(k)};
      }
      if (!(p.exponent > 0.0) || !std::isfinite(p.exponent)) {
        return {errc::non_positive, "fan exponent", detail_idx(k)};
      }
      new_edges += p.peer == fan_path::ambient ? 0U : 1U;
    }
    if (base_.edge_count() + fan_edges_ + new_edges > Limits::edges) {
      return {errc::capacity_exceeded, "edges (fan paths)"};
    }
    return {};
  }
  /// Adds a checked fan with its levels (PWM or RPM per state) and its cooling-device index.
  void add_fan(std::span<const fan_path> paths, std::span<const std::uint32_t> levels, std::size_t new_edges,
               std::size_t cooling) noexcept {
    static_cast<void>(fans_.emplace_back());
    fan_slot& fs = fans_.back();
    for (const fan_path& p : paths) {
      static_cast<void>(fs.paths.push_back(p));
    }
    for (std::size_t i = 0; i < levels.size() && i < Limits::fan_levels; ++i) {
      fs.levels[i] = levels[i];
      fs.max_level = std::max(fs.max_level, levels[i]);
    }
    fs.edges = new_edges;
    fs.cooling = cooling;
    fan_edges_ += new_edges;
  }
  /// Removes the fan just added (its cooling device could not be registered).
  void pop_fan() noexcept {
    fan_edges_ -= fans_.back().edges;
    fans_.pop_back();
  }
  /// The cooling device that drives fan `f`.
  [[nodiscard]] std::size_t fan_cooling(std::size_t f) const noexcept { return fans_[f].cooling; }

  // ================================================================ start

  /// Builds the network of the fans' initial configuration (`states`: each fan's cooling state),
  /// sets the initial temperatures, and factorises every other configuration when all fit the
  /// cache (`max_states`: each fan's highest state). `rk4`: the fixed-step RK4 reference
  /// integrates the node temperatures itself. Errors: those of `rc_network::init` ("no path to
  /// ambient" … naming the node or edge), `capacity_exceeded` "networks", those of
  /// `set_temperatures`.
  [[nodiscard]] error start(std::span<const control::cooling_state> states,
                            std::span<const control::cooling_state> max_states, bool rk4) noexcept {
    rk4_ = rk4;
    sharing_ = shared_ != nullptr && same_plant(*shared_);
    auto slot = build_network(key(states));
    if (!slot) {
      return slot.error();
    }
    cur_ = *slot;
    network_type& net = nets_[cur_].net;
    if (has_initial_) {
      const error e = net.set_temperatures(std::span<const double>(initial_.data(), net.size()));
      if (!e.ok()) {
        return e;
      }
    }
    for (std::size_t i = 0; i < net.size(); ++i) {
      temps_[i] = net.temperature(i);
    }
    precompute(max_states);
    return {};
  }

  // ================================================================ fans and networks

  /// The configuration for the fans' cooling states (`states[f]`; a failed fan runs at its
  /// conductance off).
  [[nodiscard]] net_key key(std::span<const control::cooling_state> states) const noexcept {
    net_key k{};
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      k[f] = fans_[f].failed ? fan_failed_key : static_cast<std::uint16_t>(states[f]);
    }
    return k;
  }
  void set_fan_failed(std::size_t f, bool failed) noexcept { fans_[f].failed = failed; }

  /// Switches to the network of configuration `k`, carrying temperatures, power and ambient
  /// over; false when it is the current one already (nothing changes).
  bool switch_to(const net_key& k) noexcept {
    if (nets_[cur_].key == k) {
      return false;
    }
    std::array<double, Limits::nodes> t{};
    const std::size_t n = base_.size();
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = temperature(i);
    }
    auto slot = build_network(k);
    if (!slot) {
      // A fan configuration that cannot be factorised (cannot happen: fans only add
      // conductance to a valid network). Keep the old network.
      THERMO_ASSERT(false);
      return false;
    }
    cur_ = *slot;
    network_type& net = nets_[cur_].net;
    static_cast<void>(net.set_ambient(ambient_));
    static_cast<void>(net.set_temperatures(std::span<const double>(t.data(), n)));
    static_cast<void>(net.set_power(std::span<const double>(power_.data(), n)));
    return true;
  }

  // ================================================================ inputs

  [[nodiscard]] double ambient() const noexcept { return ambient_; }
  /// A new ambient for every cached network (node temperatures do not jump).
  void set_ambient(double t) noexcept {
    ambient_ = t;
    for (net_slot& ns : nets_) {
      if (ns.valid) {
        static_cast<void>(ns.net.set_ambient(ambient_));
      }
    }
  }

  /// Power a scenario adds to node `i` [W], on top of the domains'.
  void set_extra_power(std::size_t i, double w) noexcept { extra_[i] = w; }
  [[nodiscard]] const std::array<double, Limits::nodes>& extra_power() const noexcept { return extra_; }

  /// Heats the nodes with `p` [W]; true when the network's power changed (or was never set).
  bool apply_power(const std::array<double, Limits::nodes>& p) noexcept {
    const std::size_t n = base_.size();
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      changed = changed || !(p[i] == power_[i]);
      power_[i] = p[i];
    }
    if (!changed && power_applied_) {
      return false;
    }
    const error e = nets_[cur_].net.set_power(std::span<const double>(power_.data(), n));
    THERMO_ASSERT(e.ok());
    static_cast<void>(e);
    power_applied_ = true;
    return true;
  }
  [[nodiscard]] double node_power(std::size_t i) const noexcept { return power_[i]; }

  // ================================================================ advance and read

  /// Advances by `dt` seconds with the inputs held: exactly, or one RK4 step of the reference.
  void advance(double dt) noexcept {
    const std::size_t n = base_.size();
    if (rk4_) {
      // A step beyond RK4's stability limit is split into stable sub-steps. `simulation::start`
      // refuses a fixed step beyond the limit of every network it builds up front, so this only
      // acts on a fan configuration built during the run; a stable step is taken as it is.
      const double h_max = rk4_stability_bound / nets_[cur_].net.eigenvalue(n - 1);
      const std::size_t sub = dt > h_max ? static_cast<std::size_t>(std::ceil(dt / h_max)) : 1U;
      for (std::size_t k = 0; k < sub; ++k) {
        rk4_step(nets_[cur_].net, std::span<double>(temps_.data(), n), std::span<const double>(power_.data(), n),
                 dt / static_cast<double>(sub));
      }
    } else {
      nets_[cur_].net.step(dt);
    }
  }
  /// The fastest decay rate λ_max [1/s] over the networks built so far (each fan
  /// configuration's): what bounds an explicit integrator's step.
  [[nodiscard]] double fastest_rate() const noexcept {
    double r = 0.0;
    for (const net_slot& ns : nets_) {
      if (ns.valid && ns.net.size() > 0) {
        r = std::max(r, ns.net.eigenvalue(ns.net.size() - 1));
      }
    }
    return r;
  }
  /// The fixed-step RK4 reference integrates the temperatures itself (no modal state).
  [[nodiscard]] bool integrating() const noexcept { return rk4_; }

  /// Temperature of node `i` now [°C]. O(N).
  [[nodiscard]] double temperature(std::size_t i) const noexcept {
    return rk4_ ? temps_[i] : nets_[cur_].net.temperature(i);
  }
  /// The continuous temperature at sensor `s`'s probe (no offset, quantisation or noise). O(N).
  [[nodiscard]] double sensed(std::size_t s) const noexcept {
    if (rk4_) {
      double v = 0.0;
      for (const auto& t : terms_[s]) {
        v += t.weight * temps_[t.node];
      }
      return v;
    }
    return nets_[cur_].net.read(nets_[cur_].probes[s]);
  }
  /// Every sensor's continuous temperature now, kept for the event (peaks and rows use it).
  void read_sensors() noexcept {
    for (std::size_t s = 0; s < terms_.size(); ++s) {
      sensed_[s] = sensed(s);
    }
  }
  /// What `read_sensors` read.
  [[nodiscard]] const std::array<double, Limits::sensors>& sensed_now() const noexcept { return sensed_; }

  /// The state to come back to after looking ahead (`look_back`): the modal state, or the RK4
  /// temperatures, and the sensors' readings.
  struct snapshot {
    std::array<double, Limits::nodes> state;
    std::array<double, Limits::sensors> sensed;
  };
  void save(snapshot& s) const noexcept {
    const std::size_t n = base_.size();
    if (rk4_) {
      std::copy_n(temps_.data(), n, s.state.data());
    } else {
      std::copy_n(nets_[cur_].net.modal_state().data(), n, s.state.data());
    }
    std::copy_n(sensed_.data(), terms_.size(), s.sensed.data());
  }
  void restore(const snapshot& s) noexcept {
    const std::size_t n = base_.size();
    if (rk4_) {
      std::copy_n(s.state.data(), n, temps_.data());
    } else {
      const error e = nets_[cur_].net.set_modal_state(std::span<const double>(s.state.data(), n));
      THERMO_ASSERT(e.ok());
      static_cast<void>(e);
    }
    std::copy_n(s.sensed.data(), terms_.size(), sensed_.data());
  }

  /// The network in use, its cache slot, and sensor `s`'s probe on it.
  [[nodiscard]] const network_type& network() const noexcept { return nets_[cur_].net; }
  [[nodiscard]] network_type& network() noexcept { return nets_[cur_].net; }
  [[nodiscard]] std::size_t slot() const noexcept { return cur_; }
  [[nodiscard]] const probe_type& probe(std::size_t s) const noexcept { return nets_[cur_].probes[s]; }
  [[nodiscard]] std::span<const probe_type> probes() const noexcept {
    return {nets_[cur_].probes.data(), terms_.size()};
  }
  /// Networks put in a cache slot so far (each rebuild of a slot counts), factorised or copied
  /// from the shared plant: the same count either way.
  [[nodiscard]] std::uint64_t builds() const noexcept { return builds_; }
  /// Of `builds()`, the networks copied from the shared plant (not factorised here).
  [[nodiscard]] std::uint64_t copied() const noexcept { return copied_; }

  // ================================================================ sharing

  /// Networks to copy instead of factorising (null: none). Used from `start` on when it holds
  /// this plant's networks (`same_plant`); must outlive the run.
  void use(const shared_plant<Limits>* p) noexcept { shared_ = p; }
  /// Whether `start` found the shared plant to be this one (false without one).
  [[nodiscard]] bool sharing() const noexcept { return sharing_; }

  /// Copies every network built so far, and what they were built from, into `out`.
  void export_to(shared_plant<Limits>& out) const noexcept {
    out.base_ = base_;
    out.terms_ = terms_;
    out.fans_.clear();
    for (const fan_slot& f : fans_) {
      static_cast<void>(out.fans_.push_back(f));
      out.fans_.back().failed = false;
      out.fans_.back().cooling = 0;
    }
    out.count_ = 0;
    for (const net_slot& ns : nets_) {
      if (ns.valid) {
        auto& e = out.nets_[out.count_++];
        e.net = ns.net;
        e.probes = ns.probes;
        e.key = ns.key;
      }
    }
  }

  /// Whether `p`'s networks are this plant's: the same network without fans (the ambient
  /// aside: it is state, not factorisation), the same fans' paths and levels, the same probes;
  /// every number compared bit for bit.
  [[nodiscard]] bool same_plant(const shared_plant<Limits>& p) const noexcept {
    const builder_type& a = base_;
    const builder_type& b = p.base_;
    if (a.size() != b.size() || a.edge_count() != b.edge_count() || terms_.size() != p.terms_.size() ||
        fans_.size() != p.fans_.size()) {
      return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a.capacitance(i), b.capacitance(i)) || !same(a.ambient_conductance(i), b.ambient_conductance(i))) {
        return false;
      }
    }
    for (std::size_t i = 0; i < a.edge_count(); ++i) {
      const auto& x = a.edges()[i];
      const auto& y = b.edges()[i];
      if (x.a != y.a || x.b != y.b || !same(x.conductance, y.conductance)) {
        return false;
      }
    }
    for (std::size_t s = 0; s < terms_.size(); ++s) {
      if (terms_[s].size() != p.terms_[s].size()) {
        return false;
      }
      for (std::size_t t = 0; t < terms_[s].size(); ++t) {
        if (terms_[s][t].node != p.terms_[s][t].node || !same(terms_[s][t].weight, p.terms_[s][t].weight)) {
          return false;
        }
      }
    }
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      const fan_slot& x = fans_[f];
      const fan_slot& y = p.fans_[f];
      if (x.levels != y.levels || x.max_level != y.max_level || x.paths.size() != y.paths.size()) {
        return false;
      }
      for (std::size_t k = 0; k < x.paths.size(); ++k) {
        const fan_path& u = x.paths[k];
        const fan_path& v = y.paths[k];
        if (u.node != v.node || u.peer != v.peer || !same(u.conductance_off, v.conductance_off) ||
            !same(u.conductance_full, v.conductance_full) || !same(u.exponent, v.exponent)) {
          return false;
        }
      }
    }
    return true;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  [[nodiscard]] static constexpr std::int32_t detail_idx(std::size_t i) noexcept {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  }

  using fan_slot = plant_fan<Limits>;

  struct net_slot {
    network_type net{};
    std::array<probe_type, Limits::sensors> probes{};
    net_key key{};
    bool valid{false};
    std::uint64_t used{0};
  };

  [[nodiscard]] static bool same(double x, double y) noexcept {
    return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
  }

  /// Puts a copied network in the state `init` leaves it in, at this plant's ambient: every node
  /// at ambient (modal state +0), no power (steady state +0). O(N²).
  void fresh_state(network_type& net) const noexcept {
    const std::size_t n = net.size();
    std::array<double, Limits::nodes> v{};
    static_cast<void>(net.set_ambient(ambient_));
    std::fill_n(v.data(), n, ambient_);
    static_cast<void>(net.set_temperatures(std::span<const double>(v.data(), n)));
    std::fill_n(v.data(), n, 0.0);
    static_cast<void>(net.set_power(std::span<const double>(v.data(), n)));
  }

  /// g(s) = off + (full − off)·(level(s) / max level)^exponent; off when failed.
  [[nodiscard]] static double fan_conductance(const fan_slot& f, const fan_path& p, std::uint16_t k) noexcept {
    if (k == fan_failed_key || f.max_level == 0) {
      return p.conductance_off;
    }
    const double frac = static_cast<double>(f.levels[k]) / static_cast<double>(f.max_level);
    return p.conductance_off + (p.conductance_full - p.conductance_off) * std::pow(frac, p.exponent);
  }

  /// Finds or builds the network of configuration `k` (O(N³) when built; no heap).
  [[nodiscard]] result<std::size_t, error> build_network(const net_key& k) noexcept {
    for (std::size_t s = 0; s < Limits::networks; ++s) {
      if (nets_[s].valid && nets_[s].key == k) {
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
        if (s != cur_ && (victim == none || nets_[s].used < nets_[victim].used)) {
          victim = s;
        }
      }
    }
    if (victim == none) {
      return error{errc::capacity_exceeded, "networks"};
    }
    net_slot& slot = nets_[victim];
    if (const auto* shared = sharing_ ? shared_->find(k) : nullptr; shared != nullptr) {
      // The same network, factorised once: copied, then put in the state `init` leaves a network
      // in (temperatures at ambient, no power), so that the run cannot tell it from a fresh one.
      slot.valid = false;
      slot.net = shared->net;
      slot.probes = shared->probes;
      fresh_state(slot.net);
      ++copied_;
    } else {
      scratch_ = base_;
      static_cast<void>(scratch_.set_ambient(ambient_));
      for (std::size_t f = 0; f < fans_.size(); ++f) {
        for (const fan_path& p : fans_[f].paths) {
          const double g = fan_conductance(fans_[f], p, k[f]);
          const error e = p.peer == fan_path::ambient ? scratch_.connect_ambient(p.node, g) : scratch_.connect(p.node, p.peer, g);
          if (!e.ok()) {
            return e;
          }
        }
      }
      slot.valid = false;
      if (const error e = slot.net.init(scratch_); !e.ok()) {
        return e;
      }
      for (std::size_t s = 0; s < terms_.size(); ++s) {
        auto p = slot.net.make_probe(terms_[s].span());
        THERMO_ASSERT(p.has_value());  // checked at add_probe
        slot.probes[s] = *p;
      }
    }
    ++builds_;
    slot.key = k;
    slot.valid = true;
    slot.used = ++use_clock_;
    return victim;
  }

  /// Factorises every fan configuration when all fit the cache.
  void precompute(std::span<const control::cooling_state> max_states) noexcept {
    std::size_t combos = 1;
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      combos *= max_states[f] + 1U;
      if (combos > Limits::networks) {
        return;
      }
    }
    net_key k{};
    for (std::size_t c = 0; c < combos; ++c) {
      std::size_t rest = c;
      for (std::size_t f = 0; f < fans_.size(); ++f) {
        const std::size_t states = max_states[f] + 1U;
        k[f] = static_cast<std::uint16_t>(rest % states);
        rest /= states;
      }
      static_cast<void>(build_network(k));
    }
  }

  std::array<net_slot, Limits::networks> nets_{};
  builder_type base_{};
  builder_type scratch_{};
  static_vector<static_vector<weighted_node<double>, Limits::probe_terms>, Limits::sensors> terms_{};
  static_vector<fan_slot, Limits::fans> fans_{};
  std::array<std::string_view, Limits::nodes> node_names_{};
  std::array<double, Limits::nodes> initial_{};
  std::array<double, Limits::nodes> temps_{};    // fixed-step RK4 state
  std::array<double, Limits::nodes> power_{};    // W, applied
  std::array<double, Limits::nodes> extra_{};    // W, scenario
  std::array<double, Limits::sensors> sensed_{};  // °C, at the current event
  std::size_t fan_edges_{0};
  std::size_t cur_{0};
  std::uint64_t use_clock_{0};
  std::uint64_t builds_{0};
  std::uint64_t copied_{0};
  const shared_plant<Limits>* shared_{nullptr};
  double ambient_{25.0};
  bool set_{false};
  bool has_initial_{false};
  bool rk4_{false};
  bool power_applied_{false};
  bool sharing_{false};
};

}  // namespace thermo::sim
