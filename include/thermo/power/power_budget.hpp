/// @file power_budget.hpp
/// Power budgets as the kernel's DTPM (Dynamic Thermal Power Management, powercap "dtpm")
/// computes them: a tree whose leaves are perf domains (CPU clusters, devfreq devices) and
/// whose inner nodes aggregate them (kernel-reference §5).
///
/// * Every node has `power_min`, `power_max` and `power_limit` in µW. An inner node's values are
///   the sums over the leaves below it.
/// * Each child has a weight `round_closest(child.max · 1024 / parent.max)`.
/// * `set_power_limit(node, L)` clamps L to [min, max] and splits it down the tree: a child gets
///   its exact max when the parent gets its max, its exact min when the parent gets its min,
///   otherwise `round_closest(L · weight / 1024)`. A leaf picks the highest EM state k with
///   `n · P_k ≤ L` (n = its online CPUs, 1 for a device) and its limit becomes `n · P_k` (the power
///   actually achievable); an inner node's limit becomes the sum of its children's.
/// * Each leaf whose frequency cap changes is reported to the caller's sink (the kernel's
///   frequency QoS update), and the call returns the node's resulting limit.
///
/// Deliberate differences from the kernel, all in the direction of "no garbage":
/// * A leaf asked for less than its minimum (possible below the top node, through weight
///   rounding) takes its lowest state; the kernel would index the state before the first.
/// * A weight under a parent whose max is 0 (every CPU offline) is 0 instead of a division by 0.
/// * Inner limits are always the sums of their children's: from registration on (the kernel
///   adds a leaf's limit to its ancestors only at its first hotplug update; a devfreq leaf is
///   missing until the first `set_power_limit`), and after a limit set below the root (the
///   kernel leaves the ancestors of the node it was set on stale). Weights are rebalanced at each
///   registration, which is the state the kernel reaches once `dtpm_create_hierarchy` and the
///   CPU hotplug callbacks have run.
/// * Negative limits are rejected (`errc::negative`); sysfs rejects them as unparsable.
///
/// Nodes live in a fixed array (`MaxNodes`), parents before children, children in registration
/// order (the kernel's list order). No heap, no recursion, integer only. See
/// docs/explanation/energy-model.md and docs/reference/power.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/fixed_point.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/power/fwd.hpp"

namespace thermo::power {

// `default_max_dtpm_nodes` (16), the default capacity of a `power_budget`, is in power/fwd.hpp.
/// Weight of a child that owns all of its parent's max power (and the initial weight).
inline constexpr std::uint32_t dtpm_weight_scale = 1024;

/// Index of a node in its `power_budget`.
using dtpm_id = std::uint16_t;
/// "No parent": the node is the root.
inline constexpr dtpm_id dtpm_no_parent = 0xFFFF;

/// What a node is.
enum class dtpm_kind : std::uint8_t {
  virtual_node,  ///< inner node without ops (the kernel's DTPM_NODE_VIRTUAL)
  cpu,           ///< dtpm_cpu leaf: a CPU perf domain, n = online CPUs
  devfreq,       ///< dtpm_devfreq leaf: a device perf domain, n = 1
};

/// A leaf's new frequency cap, reported by `set_power_limit` / `set_online_cpus`.
struct dtpm_leaf_update {
  dtpm_id node{};          ///< the leaf
  std::size_t state{};     ///< EM index now allowed at most
  kilohertz frequency;     ///< the new frequency QoS max request (EM[state].frequency)
  microwatts limit;        ///< the leaf's new power_limit: n · EM[state].power
  bool below_min = false;  ///< the requested share was below the leaf's min (clamped to state 0)
};

/// Result of a limit change.
struct dtpm_limit_change {
  microwatts limit;               ///< the node's power_limit afterwards (Σ achievable leaf powers)
  std::size_t leaves_changed{0};  ///< leaves whose frequency cap changed
};

/// A sink that ignores leaf updates.
struct dtpm_ignore_updates {
  constexpr void operator()(const dtpm_leaf_update& /*update*/) const noexcept {}
};

/// A DTPM tree with room for `MaxNodes` nodes.
template <std::size_t MaxNodes /* = default_max_dtpm_nodes */>
class power_budget {
  static_assert(MaxNodes > 0 && MaxNodes < dtpm_no_parent, "MaxNodes must fit a dtpm_id");

 public:
  constexpr power_budget() noexcept = default;

  /// Registers an inner (virtual) node. `parent = dtpm_no_parent` makes it the root.
  /// Errors: see `add_leaf`. O(1).
  [[nodiscard]] constexpr result<dtpm_id, error> add_virtual(
      std::string_view name, dtpm_id parent = dtpm_no_parent) noexcept {
    return add_node(name, parent, dtpm_kind::virtual_node, {}, 0);
  }

  /// Registers a CPU leaf over a CPU perf domain with `online_cpus` CPUs online (default: all
  /// CPUs of the domain). min = n·EM[0].power, max = limit = n·EM[last].power; the frequency cap
  /// starts at the highest state. The domain must outlive this tree.
  /// Errors: `empty` "energy model"; `invalid_argument` "cpu leaf needs a CPU perf domain";
  /// `out_of_range` "online cpus"; plus those of `add_leaf`. O(nodes).
  [[nodiscard]] constexpr result<dtpm_id, error> add_cpu(std::string_view name, dtpm_id parent,
                                                         em_perf_domain_view em) noexcept {
    return add_cpu(name, parent, em, em.nr_cpus());
  }
  [[nodiscard]] constexpr result<dtpm_id, error> add_cpu(std::string_view name, dtpm_id parent,
                                                         em_perf_domain_view em,
                                                         std::uint32_t online_cpus) noexcept {
    if (em.empty()) {
      return error{errc::empty, "energy model"};
    }
    if (!em.is_cpu_domain()) {
      return error{errc::invalid_argument, "cpu leaf needs a CPU perf domain"};
    }
    if (online_cpus > em.nr_cpus()) {
      return error{errc::out_of_range, "online cpus"};
    }
    return add_node(name, parent, dtpm_kind::cpu, em, online_cpus);
  }

  /// Registers a devfreq leaf (n = 1) over a perf domain (a device EM, or any EM).
  /// Errors: `empty` "energy model"; plus those of `add_leaf`. O(nodes).
  [[nodiscard]] constexpr result<dtpm_id, error> add_devfreq(std::string_view name, dtpm_id parent,
                                                             em_perf_domain_view em) noexcept {
    if (em.empty()) {
      return error{errc::empty, "energy model"};
    }
    return add_node(name, parent, dtpm_kind::devfreq, em, 1);
  }

  /// Sets a power limit on `node` and distributes it (kernel `set_power_limit_uw`). Calls
  /// `sink(const dtpm_leaf_update&)` for every leaf whose frequency cap changed, in node order.
  /// Errors: `out_of_range` "dtpm node"; `negative` "power limit". O(nodes).
  /// The sink is called repeatedly, so it is not forwarded (never moved from).
  template <class Sink>
  [[nodiscard]] constexpr result<dtpm_limit_change, error> set_power_limit(
      dtpm_id node, microwatts limit,
      Sink&& sink) noexcept {  // NOLINT(cppcoreguidelines-missing-std-forward)
    if (node >= nodes_.size()) {
      return error{errc::out_of_range, "dtpm node", node};
    }
    if (limit.count() < 0) {
      return error{errc::negative, "power limit", node};
    }
    node_t& top = nodes_[node];
    microwatts l = limit < top.min ? top.min : limit;
    l = l > top.max ? top.max : l;
    const microwatts old_limit = top.limit;

    // Top-down (parents precede children): every node of the subtree gets its share; leaves
    // pick their state at once, so updates are reported in node order.
    std::size_t changed = 0;
    in_subtree_[node] = true;
    assigned_[node] = l;
    for (std::size_t i = node; i < nodes_.size(); ++i) {
      node_t& n = nodes_[i];
      if (i != node) {
        in_subtree_[i] = n.parent != dtpm_no_parent && in_subtree_[n.parent];
        if (!in_subtree_[i]) {
          continue;
        }
        assigned_[i] = child_share(nodes_[n.parent], assigned_[n.parent], n);
      }
      n.limited = assigned_[i] != n.max;
      if (n.kind == dtpm_kind::virtual_node) {
        n.limit = microwatts(0);
        continue;
      }
      const std::size_t k = highest_state_within(n, assigned_[i]);
      n.limit = leaf_power(n, k);
      if (k != n.state) {
        n.state = static_cast<std::uint16_t>(k);
        ++changed;
        sink(dtpm_leaf_update{static_cast<dtpm_id>(i), k, n.em[k].frequency, n.limit,
                              assigned_[i] < n.min});
      }
    }
    // Bottom-up: an inner node's limit is the sum of its children's.
    for (std::size_t i = nodes_.size(); i-- > std::size_t{node} + 1;) {
      if (in_subtree_[i]) {
        nodes_[nodes_[i].parent].limit += nodes_[i].limit;
        in_subtree_[i] = false;
      }
    }
    in_subtree_[node] = false;
    // Keep the ancestors' sums exact (the kernel leaves them stale).
    for (dtpm_id p = top.parent; p != dtpm_no_parent; p = nodes_[p].parent) {
      nodes_[p].limit += top.limit - old_limit;
    }
    return dtpm_limit_change{top.limit, changed};
  }
  [[nodiscard]] constexpr result<dtpm_limit_change, error> set_power_limit(
      dtpm_id node, microwatts limit) noexcept {
    return set_power_limit(node, limit, dtpm_ignore_updates{});
  }

  /// CPU hotplug (kernel `dtpm_update_power`): the leaf now has `online_cpus` CPUs online; its
  /// min/max are recomputed and propagated, weights rebalanced. An unlimited leaf's limit follows
  /// its new max; a limited leaf keeps its limit *and* its frequency cap (as in the kernel).
  /// Errors: `out_of_range` "dtpm node" / "online cpus"; `invalid_argument` "not a cpu leaf".
  /// O(nodes · depth).
  [[nodiscard]] constexpr error set_online_cpus(dtpm_id leaf, std::uint32_t online_cpus) noexcept {
    if (leaf >= nodes_.size()) {
      return {errc::out_of_range, "dtpm node", leaf};
    }
    node_t& n = nodes_[leaf];
    if (n.kind != dtpm_kind::cpu) {
      return {errc::invalid_argument, "not a cpu leaf", leaf};
    }
    if (online_cpus > n.em.nr_cpus()) {
      return {errc::out_of_range, "online cpus", leaf};
    }
    propagate(n, -1);
    n.online_cpus = online_cpus;
    n.min = leaf_power(n, 0);
    n.max = leaf_power(n, n.em.nr_perf_states() - 1);
    if (!n.limited) {
      n.limit = n.max;
    }
    propagate(n, +1);
    rebalance();
    return {};
  }

  /// The node's current power (kernel `get_power_uw`): a leaf's is `leaf_power(id, em, n)`, an
  /// inner node's the sum over the leaves below. `leaf_power` is called once per leaf.
  /// Precondition: `node < size()`. O(nodes · depth).
  template <class LeafPower>
  [[nodiscard]] constexpr microwatts get_power(
      dtpm_id node,
      LeafPower&& leaf_power_of) const noexcept {  // NOLINT(cppcoreguidelines-missing-std-forward)
    THERMO_ASSERT(node < nodes_.size());
    microwatts sum(0);
    for (std::size_t i = node; i < nodes_.size(); ++i) {
      if (nodes_[i].kind != dtpm_kind::virtual_node &&
          is_descendant_or_self(static_cast<dtpm_id>(i), node)) {
        sum += leaf_power_of(static_cast<dtpm_id>(i), nodes_[i].em, nodes_[i].online_cpus);
      }
    }
    return sum;
  }

  /// Number of registered nodes.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return MaxNodes; }
  /// The root (the first node registered without a parent), or `errc::not_found`.
  [[nodiscard]] constexpr result<dtpm_id> root() const noexcept {
    if (nodes_.empty()) {
      return errc::not_found;
    }
    return dtpm_id{0};
  }
  /// The node named `name`, or `errc::not_found`. O(nodes).
  [[nodiscard]] constexpr result<dtpm_id> find(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].name == name) {
        return static_cast<dtpm_id>(i);
      }
    }
    return errc::not_found;
  }

  // Accessors; precondition for all: `id < size()`.
  [[nodiscard]] constexpr std::string_view name(dtpm_id id) const noexcept { return at(id).name; }
  [[nodiscard]] constexpr dtpm_kind kind(dtpm_id id) const noexcept { return at(id).kind; }
  /// Parent, or `dtpm_no_parent` for the root.
  [[nodiscard]] constexpr dtpm_id parent(dtpm_id id) const noexcept { return at(id).parent; }
  [[nodiscard]] constexpr microwatts power_min(dtpm_id id) const noexcept { return at(id).min; }
  [[nodiscard]] constexpr microwatts power_max(dtpm_id id) const noexcept { return at(id).max; }
  [[nodiscard]] constexpr microwatts power_limit(dtpm_id id) const noexcept { return at(id).limit; }
  /// Weight relative to the parent (0..1024).
  [[nodiscard]] constexpr std::uint32_t weight(dtpm_id id) const noexcept { return at(id).weight; }
  /// True when the last limit set on this node was not its max (`DTPM_POWER_LIMIT_FLAG`).
  [[nodiscard]] constexpr bool limited(dtpm_id id) const noexcept { return at(id).limited; }
  /// A leaf's EM (an empty view for inner nodes).
  [[nodiscard]] constexpr em_perf_domain_view energy_model(dtpm_id id) const noexcept {
    return at(id).em;
  }
  /// A leaf's online CPU count (1 for devfreq, 0 for inner nodes).
  [[nodiscard]] constexpr std::uint32_t online_cpus(dtpm_id id) const noexcept {
    return at(id).online_cpus;
  }
  /// A leaf's highest allowed EM index (its frequency cap); 0 for inner nodes.
  [[nodiscard]] constexpr std::size_t leaf_state(dtpm_id id) const noexcept { return at(id).state; }
  /// A leaf's frequency cap (the QoS max request); 0 kHz for inner nodes.
  [[nodiscard]] constexpr kilohertz leaf_frequency(dtpm_id id) const noexcept {
    const node_t& n = at(id);
    return n.kind == dtpm_kind::virtual_node ? kilohertz(0) : n.em[n.state].frequency;
  }

 private:
  struct node_t {
    std::string_view name;
    em_perf_domain_view em;
    microwatts min{0};
    microwatts max{0};
    microwatts limit{0};
    std::uint32_t weight{dtpm_weight_scale};
    std::uint32_t online_cpus{0};
    dtpm_id parent{dtpm_no_parent};
    std::uint16_t state{0};
    dtpm_kind kind{dtpm_kind::virtual_node};
    bool limited{false};
  };

  [[nodiscard]] constexpr const node_t& at(dtpm_id id) const noexcept {
    THERMO_ASSERT(id < nodes_.size());
    return nodes_[id];
  }

  /// Registration (kernel `dtpm_register`): one root; a parent must exist and must not be a leaf.
  /// Errors: `already_exists` "dtpm root"; `invalid_argument` "dtpm parent without a root" /
  /// "dtpm parent is a leaf"; `out_of_range` "dtpm parent"; `capacity_exceeded` "dtpm nodes".
  constexpr result<dtpm_id, error> add_node(std::string_view name, dtpm_id parent, dtpm_kind kind,
                                            em_perf_domain_view em,
                                            std::uint32_t online_cpus) noexcept {
    if (parent == dtpm_no_parent) {
      if (!nodes_.empty()) {
        return error{errc::already_exists, "dtpm root (only one)"};
      }
    } else if (nodes_.empty()) {
      return error{errc::invalid_argument, "dtpm parent without a root", parent};
    } else if (parent >= nodes_.size()) {
      return error{errc::out_of_range, "dtpm parent", parent};
    } else if (nodes_[parent].kind != dtpm_kind::virtual_node) {
      return error{errc::invalid_argument, "dtpm parent is a leaf", parent};
    }
    if (nodes_.full()) {
      return error{errc::capacity_exceeded, "dtpm nodes", static_cast<std::int32_t>(MaxNodes)};
    }
    node_t n;
    n.name = name;
    n.kind = kind;
    n.parent = parent;
    n.em = em;
    n.online_cpus = online_cpus;
    if (kind != dtpm_kind::virtual_node) {
      n.state = static_cast<std::uint16_t>(em.nr_perf_states() - 1);
      n.min = leaf_power(n, 0);
      n.max = leaf_power(n, em.nr_perf_states() - 1);
      n.limit = n.max;
    }
    static_cast<void>(nodes_.push_back(n));  // cannot fail: checked full() above
    propagate(nodes_.back(), +1);
    rebalance();
    return static_cast<dtpm_id>(nodes_.size() - 1);
  }

  /// n · EM[k].power.
  [[nodiscard]] static constexpr microwatts leaf_power(const node_t& n, std::size_t k) noexcept {
    return n.em[k].power * static_cast<std::int64_t>(n.online_cpus);
  }

  /// The highest state with n·P ≤ budget; state 0 when even that exceeds it (our clamp).
  [[nodiscard]] static constexpr std::size_t highest_state_within(const node_t& n,
                                                                  microwatts budget) noexcept {
    std::size_t k = 0;
    for (std::size_t i = 1; i < n.em.nr_perf_states(); ++i) {
      if (leaf_power(n, i) > budget) {
        break;
      }
      k = i;
    }
    return k;
  }

  /// A child's share of its parent's assigned limit.
  [[nodiscard]] static constexpr microwatts child_share(const node_t& parent,
                                                        microwatts parent_limit,
                                                        const node_t& child) noexcept {
    if (parent_limit == parent.max) {
      return child.max;
    }
    if (parent_limit == parent.min) {
      return child.min;
    }
    const auto scaled = static_cast<std::uint64_t>(parent_limit.count()) * child.weight;
    return microwatts(static_cast<std::int64_t>(div_round_closest_ull(scaled, dtpm_weight_scale)));
  }

  /// Adds (+1) or removes (−1) a leaf's min/max/limit to/from every ancestor.
  constexpr void propagate(const node_t& n, std::int64_t sign) noexcept {
    for (dtpm_id p = n.parent; p != dtpm_no_parent; p = nodes_[p].parent) {
      nodes_[p].min += n.min * sign;
      nodes_[p].max += n.max * sign;
      nodes_[p].limit += n.limit * sign;
    }
  }

  /// weight = round_closest(child.max · 1024 / parent.max) for every non-root node.
  constexpr void rebalance() noexcept {
    for (node_t& n : nodes_) {
      if (n.parent == dtpm_no_parent) {
        continue;
      }
      const auto pmax = static_cast<std::uint64_t>(nodes_[n.parent].max.count());
      const auto cmax = static_cast<std::uint64_t>(n.max.count());
      n.weight =
          pmax == 0 ? 0U
                    : static_cast<std::uint32_t>(div_round_closest(cmax * dtpm_weight_scale, pmax));
    }
  }

  [[nodiscard]] constexpr bool is_descendant_or_self(dtpm_id id, dtpm_id ancestor) const noexcept {
    for (dtpm_id p = id; p != dtpm_no_parent; p = nodes_[p].parent) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  static_vector<node_t, MaxNodes> nodes_;
  // Scratch space of set_power_limit (kept here so the call uses no stack proportional to N).
  std::array<microwatts, MaxNodes> assigned_{};
  std::array<bool, MaxNodes> in_subtree_{};
};

/// A CPU leaf's current power (kernel dtpm_cpu `get_pd_power_uw`): the EM power (per CPU) of the
/// lowest state with frequency ≥ `current`, scaled by `((sum_util << 10) / capacity) >> 10`;
/// 0 µW when `current` is above every state. O(log n).
[[nodiscard]] constexpr microwatts dtpm_cpu_power(em_perf_domain_view em, kilohertz current,
                                                  std::uint64_t sum_util) noexcept {
  const auto k = em.find_ceil(current);
  if (!k) {
    return microwatts(0);
  }
  const std::uint64_t scale = (sum_util << 10U) / em.cpu_capacity();
  const auto p = static_cast<std::uint64_t>(em[*k].power.count());
  return microwatts(static_cast<std::int64_t>((p * scale) >> 10U));
}

}  // namespace thermo::power
