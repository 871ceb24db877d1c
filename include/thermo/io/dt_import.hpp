/// @file dt_import.hpp
/// Builds, from a device tree (io/fdt.hpp), what Linux 6.12 builds from it for thermal and
/// power management, as a `schema::soc_description` (schema/soc.hpp) — the type the built-in
/// presets are values of, so a board's own `.dtb` and a preset are interchangeable everywhere
/// (`thermo replay`, `sim::add_soc`).
///
/// What is read, and the kernel rule followed (kernel-reference.md §3.3, §4, §7):
/// * **CPUs** — children of `/cpus` with `device_type = "cpu"`, numbered 0, 1, … in tree order
///   (the logical CPU number); `capacity-dmips-mhz`, `dynamic-power-coefficient`,
///   `operating-points-v2`, `#cooling-cells`.
/// * **OPP tables** (`compatible = "operating-points-v2"`): `opp-hz` (u64, truncated to kHz),
///   the first cell of `opp-microvolt` (or of the option's named variant, falling back to
///   `opp-microvolt`), `opp-microwatt`, `turbo-mode`, `opp-shared`; disabled OPPs are skipped,
///   the rest sorted by frequency. `opp-supported-hw` is not filtered (no driver sets a mask).
/// * **cpufreq policies** — the CPUs sharing one table marked `opp-shared` form one policy (one
///   CPU per policy otherwise); the policy's first CPU carries its cooling device
///   `cpufreq-cpuN` if that CPU node has `#cooling-cells` (cooling maps naming other CPUs of the
///   policy bind nothing).
/// * **CPU capacity** — raw = dmips × the policy's highest non-turbo frequency, normalised to 1024;
///   all 1024 when any CPU lacks `capacity-dmips-mhz` (the kernel's fallback).
/// * **Energy Models** — from `opp-microwatt` or the coefficient (`schema::make_cluster_em` /
///   `make_device_em`); a policy or device without one has no power callbacks.
/// * **devices** — any other available node with `operating-points-v2` that has
///   `#cooling-cells` or is a GPU (node name `gpu`, or a compatible naming "mali" or "gpu");
///   with `#cooling-cells` it gets a devfreq cooling device `devfreq-<unit address>.<name>`.
/// * **fans** — `pwm-fan` (`cooling-levels`, each ≤ 255) and `gpio-fan`
///   (`gpio-fan,speed-map` pairs).
/// * **thermal zones** — the available children of the `thermal-zones` node: name (≤ 19
///   characters), `polling-delay`, `polling-delay-passive`, `thermal-sensors` (exactly one),
///   `coefficients` (the zone's `slope`, `offset`), `sustainable-power`, `critical-action`
///   (`on_critical`), `trips` (temperature, hysteresis, type; table order kept) and
///   `cooling-maps` (trip, `cooling-device` entries with `#cooling-cells` arguments,
///   `contribution`).
///
/// A zone or device the kernel would refuse to register (missing trip property, unknown trip
/// type, passive delay above the polling delay, bad cooling levels …) is skipped and the reason
/// is kept (`dt_soc::problems`); with `dt_import_options::strict` it is an error instead.
/// Everything the import ignores but a user might expect to matter (a cooling-map entry that
/// binds nothing, an unknown `critical-action`) is listed in `dt_soc::warnings`.
///
/// Errors are `thermo::error` values: `index` = the node (in the tree), `index2` = the blob
/// offset of the property (−1 when missing); `dt_error_message` / the `message` out-parameter
/// give the one-line text ("/thermal-zones/cpu-thermal/trips/crit: property 'type': unknown trip
/// type").
///
/// Host-side: std::vector/std::string. See docs/how-to/import-device-tree-and-replay.md.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/power/opp.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::io {

/// Import options.
struct dt_import_options {
  /// The voltage property the OPP library reads (`opp-microvolt-<name>` when a driver sets a
  /// `prop_name`, e.g. a speed bin); falls back to `opp-microvolt` where it is absent.
  std::string voltage_property = "opp-microvolt";
  /// A zone or device the kernel would refuse is an error rather than skipped.
  bool strict = false;
};

/// A CPU as the device tree describes it.
struct dt_cpu {
  std::string node;                         ///< path, e.g. "/cpus/cpu@100"
  std::uint32_t logical_id{0};              ///< tree order among the CPU nodes
  std::uint32_t capacity_dmips_mhz{0};      ///< 0 = absent
  std::uint32_t dynamic_power_coefficient{0};  ///< 0 = absent
  std::uint32_t capacity{1024};             ///< normalised capacity the kernel computes
  std::int32_t cluster{-1};                 ///< cpufreq policy (index into clusters), −1 = none
  bool cooling_cells{false};                ///< has `#cooling-cells`
};

namespace dt {

/// Whether the kernel registers policy `cluster`'s Energy Model: its description builds one
/// (`schema::has_energy_model`) and its CPUs have one capacity — `em_dev_register_perf_domain`
/// refuses a domain whose CPUs differ, which a description (one capacity per cluster) cannot
/// say.
[[nodiscard]] inline bool has_energy_model(std::span<const dt_cpu> cpus,
                                           std::span<const schema::cpu_cluster_desc> clusters,
                                           std::size_t cluster) {
  const auto k = static_cast<std::int32_t>(cluster);
  const dt_cpu* first = nullptr;
  for (const dt_cpu& c : cpus) {
    if (c.cluster != k) {
      continue;
    }
    if (first == nullptr) {
      first = &c;
    } else if (c.capacity != first->capacity) {
      return false;
    }
  }
  return schema::has_energy_model(clusters[cluster]);
}

}  // namespace dt

/// A zone or device the kernel would not register, and why.
struct dt_problem {
  std::string node;     ///< path of the zone or device (the error may name a node inside it)
  std::string message;  ///< one line
  error err;            ///< the error (index = node, index2 = property offset)
};

/// The result of an import: a `schema::soc_description` view over owned storage, plus what only
/// the import knows. Movable (the description stays valid), not copyable.
class dt_soc {
 public:
  dt_soc() = default;
  dt_soc(const dt_soc&) = delete;
  dt_soc& operator=(const dt_soc&) = delete;
  dt_soc(dt_soc&&) noexcept = default;
  dt_soc& operator=(dt_soc&&) noexcept = default;
  ~dt_soc() = default;

  /// The SoC as a schema description (valid while this object lives).
  [[nodiscard]] const schema::soc_description& description() const noexcept { return desc_; }
  /// The CPUs, in logical order, each naming its cluster (cpufreq policy).
  [[nodiscard]] std::span<const dt_cpu> cpus() const noexcept { return cpus_; }
  /// Zones and devices that were not registered.
  [[nodiscard]] std::span<const dt_problem> problems() const noexcept { return problems_; }
  /// Things ignored that a user might expect to matter, one line each.
  [[nodiscard]] std::span<const std::string> warnings() const noexcept { return warnings_; }

  /// Whether the kernel registers the Energy Model of `description().clusters[cluster]`:
  /// `schema::has_energy_model`, and the policy's CPUs have one capacity (which the description
  /// cannot say; see `dt::has_energy_model`).
  [[nodiscard]] bool has_energy_model(std::size_t cluster) const {
    return dt::has_energy_model(cpus_, desc_.clusters, cluster);
  }
  /// Whether `description().cooling_devices[k]` has power callbacks: `schema::has_power_model`,
  /// with a cpufreq device's Energy Model as `has_energy_model` says.
  [[nodiscard]] bool has_power_model(std::size_t k) const {
    const schema::cooling_device_desc& c = desc_.cooling_devices[k];
    if (c.type == schema::cooling_device_type::cpufreq) {
      return has_energy_model(static_cast<std::size_t>(c.domain));
    }
    return schema::has_power_model(desc_, c);
  }

 private:
  friend class dt_importer;
  std::deque<std::string> strings_;  // stable addresses: views point into these
  std::vector<std::string_view> cpu_nodes_;
  std::vector<std::uint32_t> cpu_ids_;
  std::vector<std::vector<power::opp>> opps_;  // per cluster, then per device
  std::vector<std::vector<kilohertz>> turbo_;  // per cluster
  std::vector<schema::cpu_cluster_desc> clusters_;
  std::vector<schema::device_desc> devices_;
  std::vector<std::vector<std::uint32_t>> levels_;
  std::vector<std::vector<std::uint32_t>> speeds_;
  std::vector<schema::cooling_device_desc> cooling_;
  std::vector<std::vector<schema::trip_desc>> trips_;
  std::vector<std::vector<std::vector<schema::cooling_map_entry>>> entries_;
  std::vector<std::vector<schema::cooling_map_desc>> maps_;
  std::vector<schema::thermal_zone_desc> zones_;
  std::vector<std::string_view> notes_;
  schema::soc_description desc_{};
  std::vector<dt_cpu> cpus_;
  std::vector<dt_problem> problems_;
  std::vector<std::string> warnings_;
};

/// One `<&phandle arg…>` entry of a phandle-with-arguments list.
struct dt_phandle_args {
  std::int32_t target{-1};
  std::vector<std::uint32_t> args;
};

/// Parses a phandle-with-arguments list (`of_parse_phandle_with_args`): each entry is a phandle
/// followed by as many cells as the target's `cells_name` property says (≤ 16). Errors
/// (index = node, index2 = property offset): `not_found` "missing property" / "phandle points at
/// no node" / "referenced node has no #…-cells property", `parse_error` "phandle list length is
/// not a multiple of 4 bytes" / "phandle list ends inside an entry", `out_of_range` "#…-cells
/// above 16".
[[nodiscard]] inline result<std::vector<dt_phandle_args>, error> parse_phandle_args(const fdt::tree& t, std::int32_t n,
                                                                                    std::string_view prop,
                                                                                    std::string_view cells_name) {
  const fdt::property* p = t.find_property(n, prop);
  if (p == nullptr) {
    return error{errc::not_found, "missing property", n};
  }
  const auto where = static_cast<std::int32_t>(p->offset);
  auto cells = fdt::tree::cells_of(n, *p);
  if (!cells) {
    return error{errc::parse_error, "phandle list length is not a multiple of 4 bytes", n, where};
  }
  std::vector<dt_phandle_args> out;
  std::size_t i = 0;
  while (i < cells->size()) {
    auto target = t.by_phandle((*cells)[i]);
    if (!target) {
      return error{errc::not_found, "phandle points at no node", n, where};
    }
    ++i;
    std::uint32_t count = 0;
    auto c = t.u32(*target, cells_name);
    if (!c) {
      return error{errc::not_found, "referenced node has no #cells property for this list (e.g. #cooling-cells)", n, where};
    }
    count = *c;
    if (count > 16) {
      return error{errc::out_of_range, "referenced node's #cells is above 16", n, where};
    }
    if (cells->size() - i < count) {
      return error{errc::parse_error, "phandle list ends inside an entry", n, where};
    }
    dt_phandle_args a;
    a.target = *target;
    a.args.assign(cells->begin() + static_cast<std::ptrdiff_t>(i), cells->begin() + static_cast<std::ptrdiff_t>(i + count));
    i += count;
    out.push_back(std::move(a));
  }
  return out;
}

/// The one-line message for an import error: the tree's description of it (node path and
/// property), or the bare rule when the error does not name a node.
[[nodiscard]] inline std::string dt_error_message(const fdt::tree& t, const error& e, std::string_view property = {}) {
  return t.describe(e, property);
}

/// Does the work of `import_device_tree` (a class so the steps can share state).
class dt_importer {
 public:
  dt_importer(const fdt::tree& t, const dt_import_options& opt) : t_(t), opt_(opt) {}

  [[nodiscard]] result<dt_soc, error> run(std::string* message) {
    error e = import_root();
    if (e.ok()) {
      e = import_cpus();
    }
    if (e.ok()) {
      e = import_devices();
    }
    if (e.ok()) {
      e = import_zones();
    }
    if (!e.ok()) {
      if (message != nullptr) {
        *message = message_.empty() ? t_.describe(e) : message_;
      }
      return e;
    }
    finish();
    return std::move(s_);
  }

 private:
  struct opp_row {
    power::opp opp;
    bool turbo{false};
  };
  struct table {
    std::int32_t node{-1};
    bool shared{false};
    std::vector<opp_row> rows;
  };

  // ---------------------------------------------------------------- helpers

  /// Records a failure with a message naming node and property; returns it.
  error fail(error e, std::string_view property = {}) {
    message_ = t_.describe(e, property);
    return e;
  }
  error fail(errc c, const char* what, std::int32_t n, std::string_view property = {}) {
    std::int32_t where = error::no_index;
    if (!property.empty()) {
      if (const fdt::property* p = t_.find_property(n, property)) {
        where = static_cast<std::int32_t>(p->offset);
      }
    }
    return fail(error{c, what, n, where}, property);
  }
  /// A zone/device-level problem: an error in strict mode, else recorded and skipped.
  /// Returns the error to propagate (ok when skipped).
  error problem(error e, std::string_view property = {}, std::int32_t subject = -1) {
    const std::string msg = t_.describe(e, property);
    if (opt_.strict) {
      message_ = msg;
      return e;
    }
    const std::int32_t n = t_.valid(subject) ? subject : e.index;
    s_.problems_.push_back(dt_problem{t_.valid(n) ? t_.path(n) : std::string{}, msg, e});
    return {};
  }
  error problem(errc c, const char* what, std::int32_t n, std::string_view property = {}) {
    std::int32_t where = error::no_index;
    if (!property.empty()) {
      if (const fdt::property* p = t_.find_property(n, property)) {
        where = static_cast<std::int32_t>(p->offset);
      }
    }
    return problem(error{c, what, n, where}, property);
  }
  /// `of_property_read_u32`: absent → nullopt; shorter than 4 bytes → error; else first cell.
  result<std::optional<std::uint32_t>, error> read_u32(std::int32_t n, std::string_view name) const {
    const fdt::property* p = t_.find_property(n, name);
    if (p == nullptr) {
      return std::optional<std::uint32_t>{};
    }
    if (p->value.size() < 4) {
      return error{errc::parse_error, "property shorter than one 32-bit cell", n, static_cast<std::int32_t>(p->offset)};
    }
    return std::optional<std::uint32_t>{fdt::load_be32(p->value.data())};
  }
  std::string_view keep(std::string s) {
    s_.strings_.push_back(std::move(s));
    return s_.strings_.back();
  }

  // ---------------------------------------------------------------- root

  error import_root() {
    if (t_.size() == 0) {
      return fail(error{errc::empty, "device tree has no root node"});
    }
    const std::int32_t r = fdt::tree::root();
    std::string model;
    if (t_.has(r, "model")) {
      auto m = t_.string(r, "model");
      if (!m) {
        return fail(m.error(), "model");
      }
      model = std::string(*m);
    }
    std::string id;
    std::string name;
    if (t_.has(r, "compatible")) {
      auto c = t_.strings(r, "compatible");
      if (!c) {
        return fail(c.error(), "compatible");
      }
      name = std::string(c->front());
      const std::string_view last = c->back();
      const auto comma = last.find(',');
      id = std::string(comma == std::string_view::npos ? last : last.substr(comma + 1));
    }
    id_ = keep(id);
    name_ = keep(name);
    model_ = keep(model);
    return {};
  }

  // ---------------------------------------------------------------- OPP tables

  /// The parsed table `node` (cached). Errors name the table or OPP node.
  result<std::size_t, error> opp_table(std::int32_t node) {
    for (std::size_t k = 0; k < tables_.size(); ++k) {
      if (tables_[k].node == node) {
        return k;
      }
    }
    if (!t_.is_compatible(node, "operating-points-v2")) {
      return error{errc::invalid_argument, "operating-points-v2 does not point at an operating-points-v2 table", node};
    }
    table tb;
    tb.node = node;
    tb.shared = t_.has(node, "opp-shared");
    for (const std::int32_t c : t_.at(node).children) {
      if (!t_.available(c)) {
        continue;
      }
      auto hz = opp_hz(c);
      if (!hz) {
        return hz.error();
      }
      if (*hz / 1000U > 0xFFFF'FFFFU) {
        return error{errc::out_of_range, "opp-hz above 4.29 THz", c, static_cast<std::int32_t>(t_.find_property(c, "opp-hz")->offset)};
      }
      opp_row row;
      row.opp.frequency = kilohertz(static_cast<std::uint32_t>(*hz / 1000U));
      std::string_view vprop = opt_.voltage_property;
      if (!t_.has(c, vprop)) {
        vprop = "opp-microvolt";
      }
      if (t_.has(c, vprop)) {
        auto v = t_.cells(c, vprop);
        if (!v) {
          return v.error();
        }
        if (v->empty()) {
          return error{errc::parse_error, "empty opp-microvolt", c, static_cast<std::int32_t>(t_.find_property(c, vprop)->offset)};
        }
        if (v->front() > 0x7FFF'FFFFU) {
          return error{errc::out_of_range, "opp-microvolt above 2^31 uV", c,
                       static_cast<std::int32_t>(t_.find_property(c, vprop)->offset)};
        }
        row.opp.voltage = microvolts(static_cast<std::int32_t>(v->front()));
      } else {
        row.opp.voltage = microvolts(0);
      }
      if (t_.has(c, "opp-microwatt")) {
        auto w = read_u32(c, "opp-microwatt");
        if (!w) {
          return w.error();
        }
        row.opp.power = microwatts(static_cast<std::int64_t>(w->value_or(0)));
      } else {
        row.opp.power = microwatts(0);
      }
      row.turbo = t_.has(c, "turbo-mode");
      tb.rows.push_back(row);
    }
    if (tb.rows.empty()) {
      return error{errc::empty, "OPP table has no available OPP", node};
    }
    std::sort(tb.rows.begin(), tb.rows.end(),
                     [](const opp_row& a, const opp_row& b) { return a.opp.frequency < b.opp.frequency; });
    for (std::size_t k = 1; k < tb.rows.size(); ++k) {
      if (tb.rows[k].opp.frequency == tb.rows[k - 1].opp.frequency) {
        return error{errc::already_exists, "two OPPs of one table have the same frequency", node};
      }
    }
    tables_.push_back(std::move(tb));
    return tables_.size() - 1;
  }

  /// `opp-hz`: one u64 (two cells) or one u32; with several clocks the first value counts.
  result<std::uint64_t, error> opp_hz(std::int32_t c) const {
    const fdt::property* p = t_.find_property(c, "opp-hz");
    if (p == nullptr) {
      return error{errc::not_found, "OPP without opp-hz", c};
    }
    if (p->value.size() == 4) {
      return std::uint64_t{fdt::load_be32(p->value.data())};
    }
    if (p->value.size() < 8 || p->value.size() % 8 != 0) {
      return error{errc::parse_error, "opp-hz is not a list of 64-bit values", c, static_cast<std::int32_t>(p->offset)};
    }
    const std::uint64_t v = (std::uint64_t{fdt::load_be32(p->value.data())} << 32U) | fdt::load_be32(p->value.subspan(4).data());
    if (v < 1000) {
      return error{errc::non_positive, "opp-hz below 1 kHz", c, static_cast<std::int32_t>(p->offset)};
    }
    return v;
  }

  // ---------------------------------------------------------------- CPUs

  error import_cpus() {
    const auto cpus_node = t_.find("/cpus");
    if (!cpus_node) {
      return {};
    }
    cpus_node_ = *cpus_node;
    std::vector<std::int32_t> nodes;
    std::vector<std::int32_t> cpu_table;  // index into tables_, −1
    for (const std::int32_t c : t_.at(*cpus_node).children) {
      if (!t_.has(c, "device_type")) {
        continue;
      }
      auto dt = t_.string(c, "device_type");
      if (!dt) {
        return fail(dt.error(), "device_type");
      }
      if (*dt != "cpu" || !t_.available(c)) {
        continue;
      }
      dt_cpu cpu;
      cpu.node = t_.path(c);
      cpu.logical_id = static_cast<std::uint32_t>(s_.cpus_.size());
      for (const auto& [prop, dst] : {std::pair<const char*, std::uint32_t*>{"capacity-dmips-mhz", &cpu.capacity_dmips_mhz},
                                      std::pair<const char*, std::uint32_t*>{"dynamic-power-coefficient",
                                                                             &cpu.dynamic_power_coefficient}}) {
        auto v = read_u32(c, prop);
        if (!v) {
          return fail(v.error(), prop);
        }
        *dst = v->value_or(0);
      }
      cpu.cooling_cells = t_.has(c, "#cooling-cells");
      std::int32_t tbl = -1;
      if (t_.has(c, "operating-points-v2")) {
        auto target = t_.phandle_target(c, "operating-points-v2");
        if (!target) {
          return fail(target.error(), "operating-points-v2");
        }
        if (*target == c) {
          return fail(errc::invalid_argument, "operating-points-v2 points back at the CPU itself", c, "operating-points-v2");
        }
        auto k = opp_table(*target);
        if (!k) {
          return fail(k.error(), k.error().index == *target ? std::string_view{} : std::string_view{});
        }
        tbl = static_cast<std::int32_t>(*k);
      } else if (t_.has(c, "operating-points")) {
        s_.warnings_.push_back(cpu.node + ": legacy operating-points (v1) are not imported: no cpufreq policy");
      }
      nodes.push_back(c);
      cpu_nodes_.push_back(c);
      cpu_table.push_back(tbl);
      s_.cpus_.push_back(std::move(cpu));
    }
    // cpufreq policies: CPUs sharing an opp-shared table, else one CPU each.
    for (std::size_t c = 0; c < s_.cpus_.size(); ++c) {
      if (cpu_table[c] < 0 || s_.cpus_[c].cluster >= 0) {
        continue;
      }
      const auto cluster = static_cast<std::int32_t>(policies_.size());
      std::vector<std::size_t> members{c};
      const table& tb = tables_[static_cast<std::size_t>(cpu_table[c])];
      if (tb.shared) {
        for (std::size_t o = c + 1; o < s_.cpus_.size(); ++o) {
          if (cpu_table[o] == cpu_table[c] && s_.cpus_[o].cluster < 0) {
            members.push_back(o);
          }
        }
      }
      for (const std::size_t m : members) {
        s_.cpus_[m].cluster = cluster;
      }
      policies_.push_back({members, static_cast<std::size_t>(cpu_table[c]), nodes[c]});
    }
    compute_capacities();
    return {};
  }

  void compute_capacities() {
    if (s_.cpus_.empty()) {
      return;
    }
    bool all_dmips = true;
    bool all_policies = true;
    for (const dt_cpu& c : s_.cpus_) {
      all_dmips = all_dmips && c.capacity_dmips_mhz != 0;
      all_policies = all_policies && c.cluster >= 0;
    }
    if (!all_dmips) {
      for (dt_cpu& c : s_.cpus_) {
        c.capacity = power::sched_capacity_scale;
      }
      if (s_.cpus_.front().capacity_dmips_mhz != 0 || std::any_of(s_.cpus_.begin(), s_.cpus_.end(), [](const dt_cpu& c) {
            return c.capacity_dmips_mhz != 0;
          })) {
        s_.warnings_.emplace_back("capacity-dmips-mhz missing on some CPUs: every CPU gets capacity 1024 (kernel fallback)");
      }
      return;
    }
    if (!all_policies) {
      s_.warnings_.emplace_back("some CPUs have no cpufreq policy: capacities from capacity-dmips-mhz alone");
    }
    std::vector<power::cpu_capacity_input> in;
    for (const dt_cpu& c : s_.cpus_) {
      kilohertz f{1};
      if (all_policies) {
        f = fref(static_cast<std::size_t>(c.cluster));
      }
      in.push_back({c.capacity_dmips_mhz, f});
    }
    std::vector<std::uint32_t> out(in.size());
    if (!power::normalize_cpu_capacity(in, out).ok()) {
      for (dt_cpu& c : s_.cpus_) {
        c.capacity = power::sched_capacity_scale;
      }
      s_.warnings_.emplace_back("CPU capacities could not be normalised (overflow): every CPU gets 1024");
      return;
    }
    for (std::size_t k = 0; k < out.size(); ++k) {
      s_.cpus_[k].capacity = out[k];
    }
  }

  /// The highest non-turbo frequency of a policy's table (the highest if all are turbo).
  [[nodiscard]] kilohertz fref(std::size_t policy) const {
    const table& tb = tables_[policies_[policy].table];
    kilohertz f{0};
    for (const opp_row& r : tb.rows) {
      if (!r.turbo) {
        f = r.opp.frequency;
      }
    }
    return f.count() != 0 ? f : tb.rows.back().opp.frequency;
  }

  // ---------------------------------------------------------------- devices and fans

  /// Node index of the cooling device registered for a node, per kind.
  struct cdev_entry {
    std::int32_t node{-1};
    schema::cooling_device_desc desc{};
    std::vector<std::uint32_t> levels;
    std::vector<std::uint32_t> speeds;
  };

  error import_devices() {
    // cpufreq cooling devices, one per policy whose first CPU has #cooling-cells.
    for (std::size_t p = 0; p < policies_.size(); ++p) {
      const policy_rec& pol = policies_[p];
      const dt_cpu& first = s_.cpus_[pol.cpus.front()];
      if (!first.cooling_cells) {
        continue;
      }
      cdev_entry e;
      e.node = pol.first_node;
      e.desc.name = keep("cpufreq-cpu" + std::to_string(first.logical_id));
      e.desc.node = keep(first.node);
      e.desc.type = schema::cooling_device_type::cpufreq;
      e.desc.domain = static_cast<std::int16_t>(p);
      e.desc.max_state = static_cast<std::uint32_t>(tables_[pol.table].rows.size() - 1);
      cdevs_.push_back(std::move(e));
    }
    // Walk the whole tree for devfreq devices and fans (tree order).
    for (std::int32_t n = 1; static_cast<std::size_t>(n) < t_.size(); ++n) {
      if (!t_.available(n) || is_under_cpus(n)) {
        continue;
      }
      if (t_.is_compatible(n, "pwm-fan") || t_.is_compatible(n, "gpio-fan")) {
        if (const error e = add_fan(n); !e.ok()) {
          return e;
        }
        continue;
      }
      if (t_.has(n, "operating-points-v2") && (t_.has(n, "#cooling-cells") || is_gpu(n))) {
        if (const error e = add_devfreq(n); !e.ok()) {
          return e;
        }
      }
    }
    return {};
  }

  /// A GPU: node name "gpu" or a compatible naming a GPU ("mali", "gpu").
  [[nodiscard]] bool is_gpu(std::int32_t n) const {
    if (t_.base_name(n) == "gpu") {
      return true;
    }
    auto c = t_.strings(n, "compatible");
    if (!c) {
      return false;
    }
    return std::any_of(c->begin(), c->end(), [](std::string_view x) {
      return x.find("mali") != std::string_view::npos || x.find("gpu") != std::string_view::npos;
    });
  }

  [[nodiscard]] bool is_under_cpus(std::int32_t n) const {
    for (std::int32_t k = n; k >= 0; k = t_.at(k).parent) {
      if (k == cpus_node_) {
        return true;
      }
    }
    return false;
  }

  error add_fan(std::int32_t n) {
    const bool pwm = t_.is_compatible(n, "pwm-fan");
    cdev_entry e;
    e.node = n;
    e.desc.node = keep(t_.path(n));
    if (pwm) {
      e.desc.name = "pwm-fan";
      e.desc.type = schema::cooling_device_type::pwm_fan;
      if (t_.has(n, "cooling-levels")) {
        auto v = t_.cells(n, "cooling-levels");
        if (!v) {
          return problem(v.error(), "cooling-levels");
        }
        if (v->empty()) {
          return problem(errc::empty, "empty cooling-levels", n, "cooling-levels");
        }
        for (const std::uint32_t l : *v) {
          if (l > 255) {
            return problem(errc::out_of_range, "pwm-fan cooling level above 255", n, "cooling-levels");
          }
        }
        e.levels = *v;
      } else {
        e.levels = {255};
        s_.warnings_.push_back(t_.path(n) + ": pwm-fan without cooling-levels has a single state");
      }
    } else {
      e.desc.name = "gpio-fan";
      e.desc.type = schema::cooling_device_type::gpio_fan;
      auto v = t_.cells(n, "gpio-fan,speed-map");
      if (!v) {
        return problem(v.error(), "gpio-fan,speed-map");
      }
      if (v->empty() || v->size() % 2 != 0) {
        return problem(errc::parse_error, "gpio-fan,speed-map is not a list of (rpm, value) pairs", n, "gpio-fan,speed-map");
      }
      for (std::size_t k = 0; k < v->size(); k += 2) {
        e.speeds.push_back((*v)[k]);
      }
    }
    e.desc.domain = -1;
    e.desc.max_state = static_cast<std::uint32_t>((pwm ? e.levels.size() : e.speeds.size()) - 1);
    cdevs_.push_back(std::move(e));
    return {};
  }

  error add_devfreq(std::int32_t n) {
    auto target = t_.phandle_target(n, "operating-points-v2");
    if (!target) {
      return problem(target.error(), "operating-points-v2");
    }
    if (*target == n) {
      return problem(errc::invalid_argument, "operating-points-v2 points back at the device itself", n, "operating-points-v2");
    }
    auto k = opp_table(*target);
    if (!k) {
      return problem(k.error());
    }
    auto coeff = read_u32(n, "dynamic-power-coefficient");
    if (!coeff) {
      return problem(coeff.error(), "dynamic-power-coefficient");
    }
    std::string compatible;
    if (t_.has(n, "compatible")) {
      auto c = t_.string(n, "compatible");
      if (!c) {
        return problem(c.error(), "compatible");
      }
      compatible = std::string(*c);
    }
    device d;
    d.node = n;
    d.table = *k;
    d.coefficient = coeff->value_or(0);
    d.compatible = std::move(compatible);
    const auto index = devices_.size();
    devices_.push_back(d);
    if (!t_.has(n, "#cooling-cells")) {
      return {};  // a GPU without #cooling-cells: a power domain, no cooling device
    }
    cdev_entry e;
    e.node = n;
    const std::string_view unit = t_.unit_address(n);
    const std::string dev_name = unit.empty() ? std::string(t_.base_name(n)) : std::string(unit) + "." + std::string(t_.base_name(n));
    e.desc.name = keep("devfreq-" + dev_name);
    e.desc.node = keep(t_.path(n));
    e.desc.type = schema::cooling_device_type::devfreq;
    e.desc.domain = static_cast<std::int16_t>(index);
    e.desc.max_state = static_cast<std::uint32_t>(tables_[*k].rows.size() - 1);
    cdevs_.push_back(std::move(e));
    return {};
  }

  // ---------------------------------------------------------------- zones

  struct zone_build {
    std::int32_t node{-1};
    std::string name;
    milliseconds polling{0};
    milliseconds passive{0};
    std::uint32_t sustainable{0};
    std::string sensor;
    std::int32_t sensor_id{-1};
    std::vector<std::int32_t> trip_nodes;
    std::vector<schema::trip_desc> trips;
    std::vector<std::string> trip_names;
    struct map {
      std::string name;
      std::uint16_t trip{0};
      std::uint32_t contribution{0};
      std::vector<schema::cooling_map_entry> entries;
      std::vector<std::string> devices;
    };
    std::vector<map> maps;
    std::int32_t slope{1};
    std::int32_t offset{0};
    schema::critical_action on_critical{schema::critical_action::shutdown};
  };

  [[nodiscard]] std::optional<std::int32_t> find_by_name(std::string_view name) const {
    for (std::int32_t n = 0; static_cast<std::size_t>(n) < t_.size(); ++n) {
      if (t_.at(n).name == name) {
        return n;
      }
    }
    return std::nullopt;
  }

  error import_zones() {
    const auto tz = find_by_name("thermal-zones");
    if (!tz) {
      return {};
    }
    for (const std::int32_t z : t_.at(*tz).children) {
      if (!t_.available(z)) {
        continue;
      }
      zone_build b;
      const error e = import_zone(z, b);
      if (!e.ok()) {
        const error p = problem(e, prop_of_, z);
        if (!p.ok()) {
          return p;
        }
        continue;
      }
      zones_.push_back(std::move(b));
    }
    return {};
  }

  /// Fills `b` from zone node `z`; a returned error makes the zone unregistered. `prop_of_`
  /// names the property involved.
  error import_zone(std::int32_t z, zone_build& b) {
    prop_of_.clear();
    const auto bad = [&](error e, std::string_view prop) {
      prop_of_ = std::string(prop);
      return e;
    };
    b.node = z;
    b.name = std::string(t_.base_name(z));
    if (b.name.size() >= control::name_length) {
      return error{errc::invalid_argument, "zone name longer than 19 characters (THERMAL_NAME_LENGTH)", z};
    }
    for (const auto& [prop, dst] : {std::pair<const char*, milliseconds*>{"polling-delay", &b.polling},
                                    std::pair<const char*, milliseconds*>{"polling-delay-passive", &b.passive}}) {
      auto v = read_u32(z, prop);
      if (!v) {
        return bad(v.error(), prop);
      }
      if (v->value_or(0) > 0x7FFF'FFFFU) {
        return bad(error{errc::out_of_range, "delay above 2^31 ms", z, static_cast<std::int32_t>(t_.find_property(z, prop)->offset)}, prop);
      }
      *dst = milliseconds(v->value_or(0));
    }
    if (b.polling.count() != 0 && b.passive > b.polling) {
      return bad(error{errc::invalid_argument, "polling-delay-passive longer than polling-delay", z,
                       static_cast<std::int32_t>(t_.find_property(z, "polling-delay-passive")->offset)},
                 "polling-delay-passive");
    }
    // thermal-sensors: exactly one <&sensor args…>
    {
      auto s = parse_phandle_args(t_, z, "thermal-sensors", "#thermal-sensor-cells");
      if (!s) {
        return bad(s.error(), "thermal-sensors");
      }
      if (s->size() != 1) {
        return bad(error{errc::invalid_argument, "thermal-sensors must name exactly one sensor", z,
                         static_cast<std::int32_t>(t_.find_property(z, "thermal-sensors")->offset)},
                   "thermal-sensors");
      }
      b.sensor = t_.path(s->front().target);
      b.sensor_id = s->front().args.empty() ? -1 : static_cast<std::int32_t>(s->front().args.front() & 0x7FFF'FFFFU);
    }
    {
      auto v = read_u32(z, "sustainable-power");
      if (!v) {
        return bad(v.error(), "sustainable-power");
      }
      if (v->value_or(0) > 0x7FFF'FFFFU) {
        return bad(error{errc::out_of_range, "sustainable-power above 2^31 mW", z,
                         static_cast<std::int32_t>(t_.find_property(z, "sustainable-power")->offset)},
                   "sustainable-power");
      }
      b.sustainable = v->value_or(0);
    }
    if (const fdt::property* p = t_.find_property(z, "coefficients"); p != nullptr && p->value.size() >= 8) {
      b.slope = static_cast<std::int32_t>(fdt::load_be32(p->value.data()));
      b.offset = static_cast<std::int32_t>(fdt::load_be32(p->value.subspan(4).data()));
    }
    if (t_.has(z, "critical-action")) {
      auto a = t_.string(z, "critical-action");
      if (a) {
        std::string lower(*a);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        if (lower == "reboot") {
          b.on_critical = schema::critical_action::reboot;
        } else if (lower != "shutdown") {
          s_.warnings_.push_back(t_.path(z) + ": unknown critical-action '" + std::string(*a) + "' means shutdown");
        }
      }
    }
    if (const auto trips = t_.child(z, "trips")) {
      for (const std::int32_t tn : t_.at(*trips).children) {
        if (const error e = import_trip(tn, b); !e.ok()) {
          return e;
        }
      }
    }
    if (const auto maps = t_.child(z, "cooling-maps")) {
      for (const std::int32_t mn : t_.at(*maps).children) {
        if (const error e = import_map(mn, b); !e.ok()) {
          return e;
        }
      }
    }
    return {};
  }

  error import_trip(std::int32_t tn, zone_build& b) {
    const auto bad = [&](error e, std::string_view prop) {
      prop_of_ = std::string(prop);
      return e;
    };
    schema::trip_desc d{};
    auto temp = read_u32(tn, "temperature");
    if (!temp) {
      return bad(temp.error(), "temperature");
    }
    if (!*temp) {
      return bad(error{errc::not_found, "trip without temperature", tn}, "temperature");
    }
    const auto tv = static_cast<std::int32_t>(**temp);
    if (tv < -273000 || tv > 200000) {
      return bad(error{errc::out_of_range, "trip temperature outside -273000..200000 m°C", tn,
                       static_cast<std::int32_t>(t_.find_property(tn, "temperature")->offset)},
                 "temperature");
    }
    auto hyst = read_u32(tn, "hysteresis");
    if (!hyst) {
      return bad(hyst.error(), "hysteresis");
    }
    if (!*hyst) {
      return bad(error{errc::not_found, "trip without hysteresis", tn}, "hysteresis");
    }
    if (**hyst > 0x7FFF'FFFFU || static_cast<std::int64_t>(tv) - static_cast<std::int64_t>(**hyst) <= -274000) {
      return bad(error{errc::out_of_range, "trip hysteresis reaches below absolute zero", tn,
                       static_cast<std::int32_t>(t_.find_property(tn, "hysteresis")->offset)},
                 "hysteresis");
    }
    auto type = t_.string(tn, "type");
    if (!type) {
      return bad(type.error().code == errc::not_found ? error{errc::not_found, "trip without type", tn} : type.error(), "type");
    }
    if (*type == "active") {
      d.type = schema::trip_type::active;
    } else if (*type == "passive") {
      d.type = schema::trip_type::passive;
    } else if (*type == "hot") {
      d.type = schema::trip_type::hot;
    } else if (*type == "critical") {
      d.type = schema::trip_type::critical;
    } else {
      return bad(error{errc::invalid_argument, "unknown trip type (active, passive, hot or critical)", tn,
                       static_cast<std::int32_t>(t_.find_property(tn, "type")->offset)},
                 "type");
    }
    d.temperature = millicelsius(tv);
    d.hysteresis = millikelvin_delta(static_cast<std::int32_t>(**hyst));
    b.trip_nodes.push_back(tn);
    b.trip_names.emplace_back(t_.at(tn).name);
    b.trips.push_back(d);
    return {};
  }

  /// A cooling map. As in the kernel, a broken map only fails to bind (the zone stays): a
  /// dangling `trip` or a malformed `cooling-device` list binds nothing, an entry without its
  /// two limits is skipped, a malformed `contribution` counts as 0 — each with a warning.
  error import_map(std::int32_t mn, zone_build& b) {
    const auto warn = [&](const error& e, std::string_view prop, std::string_view consequence) {
      s_.warnings_.push_back(t_.describe(e, prop) + ": " + std::string(consequence));
    };
    auto trip = t_.phandle_target(mn, "trip");
    if (!trip) {
      warn(trip.error(), "trip", "the map binds nothing");
      return {};
    }
    const auto it = std::find(b.trip_nodes.begin(), b.trip_nodes.end(), *trip);
    if (it == b.trip_nodes.end()) {
      s_.warnings_.push_back(t_.path(mn) + ": trip " + t_.path(*trip) + " is not a trip of this zone: the map binds nothing");
      return {};
    }
    zone_build::map m;
    m.name = std::string(t_.at(mn).name);
    m.trip = static_cast<std::uint16_t>(it - b.trip_nodes.begin());
    auto contribution = read_u32(mn, "contribution");
    if (!contribution) {
      warn(contribution.error(), "contribution", "weight 0 used");
    }
    m.contribution = contribution ? contribution->value_or(0) : 0U;
    auto list = parse_phandle_args(t_, mn, "cooling-device", "#cooling-cells");
    if (!list) {
      warn(list.error(), "cooling-device", "the map binds nothing");
      return {};
    }
    for (const dt_phandle_args& a : *list) {
      if (a.args.size() < 2) {
        s_.warnings_.push_back(t_.path(mn) + ": property 'cooling-device': entry for " + t_.path(a.target) +
                               " without its two limits (#cooling-cells must be 2): the entry binds nothing");
        continue;
      }
      schema::cooling_map_entry e{};
      e.lower = a.args[0];
      e.upper = a.args[1];
      e.cooling_device = -1;
      for (std::size_t k = 0; k < cdevs_.size(); ++k) {
        if (cdevs_[k].node == a.target) {
          e.cooling_device = static_cast<std::int16_t>(k);
        }
      }
      if (e.cooling_device < 0 && !is_non_first_policy_cpu(a.target)) {
        s_.warnings_.push_back(t_.path(mn) + ": " + t_.path(a.target) + " registers no cooling device thermo imports: the entry binds nothing");
      }
      m.devices.push_back(t_.path(a.target));
      m.entries.push_back(e);
    }
    b.maps.push_back(std::move(m));
    return {};
  }

  /// A CPU that belongs to a policy whose cooling device sits on another CPU (binds nothing, as
  /// in the kernel — not worth a warning).
  [[nodiscard]] bool is_non_first_policy_cpu(std::int32_t n) const {
    for (const policy_rec& p : policies_) {
      for (std::size_t k = 1; k < p.cpus.size(); ++k) {
        if (cpu_nodes_[p.cpus[k]] == n) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- assembly

  void finish() {
    dt_soc& s = s_;
    // clusters
    s.opps_.reserve(policies_.size() + devices_.size());
    s.cpu_nodes_.reserve(s.cpus_.size());
    s.cpu_ids_.reserve(s.cpus_.size());
    for (const policy_rec& p : policies_) {
      const std::size_t first_node = s.cpu_nodes_.size();
      for (const std::size_t c : p.cpus) {
        s.cpu_nodes_.push_back(keep(s.cpus_[c].node));
        s.cpu_ids_.push_back(s.cpus_[c].logical_id);
      }
      const table& tb = tables_[p.table];
      std::vector<power::opp> opps;
      std::vector<kilohertz> turbo;
      for (const opp_row& r : tb.rows) {
        opps.push_back(r.opp);
        if (r.turbo) {
          turbo.push_back(r.opp.frequency);
        }
      }
      s.opps_.push_back(std::move(opps));
      s.turbo_.push_back(std::move(turbo));
      const dt_cpu& first = s.cpus_[p.cpus.front()];
      std::string compatible;
      if (auto c = t_.string(p.first_node, "compatible")) {
        compatible = std::string(*c);
      }
      schema::cpu_cluster_desc d{};
      d.name = keep("policy" + std::to_string(first.logical_id));
      d.compatible = keep(compatible);
      d.dynamic_power_coefficient = first.dynamic_power_coefficient;
      d.capacity_dmips_mhz = first.capacity_dmips_mhz;
      d.cpu_capacity = first.capacity;
      d.opp_table = keep(t_.path(tb.node));
      d.opp_shared = tb.shared;
      cluster_first_node_.push_back(first_node);
      s.clusters_.push_back(d);
    }
    for (std::size_t k = 0; k < s.clusters_.size(); ++k) {
      const policy_rec& p = policies_[k];
      schema::cpu_cluster_desc& d = s.clusters_[k];
      d.cpu_nodes = std::span<const std::string_view>(s.cpu_nodes_).subspan(cluster_first_node_[k], p.cpus.size());
      d.cpu_ids = std::span<const std::uint32_t>(s.cpu_ids_).subspan(cluster_first_node_[k], p.cpus.size());
      d.opps = s.opps_[k];
      d.turbo_frequencies = s.turbo_[k];
      if (!dt::has_energy_model(s.cpus_, s.clusters_, k) && (d.dynamic_power_coefficient != 0 || d.opps.front().power.count() != 0)) {
        s.warnings_.push_back(std::string(d.name) + ": the Energy Model cannot be registered: no power callbacks");
      }
    }
    // devices
    for (const device& dv : devices_) {
      const table& tb = tables_[dv.table];
      std::vector<power::opp> opps;
      for (const opp_row& r : tb.rows) {
        opps.push_back(r.opp);
      }
      s.opps_.push_back(std::move(opps));
      schema::device_desc d{};
      d.name = keep(std::string(t_.base_name(dv.node)));
      d.node = keep(t_.path(dv.node));
      d.compatible = keep(dv.compatible);
      d.dynamic_power_coefficient = dv.coefficient;
      d.opp_table = keep(t_.path(tb.node));
      s.devices_.push_back(d);
    }
    for (std::size_t k = 0; k < s.devices_.size(); ++k) {
      s.devices_[k].opps = s.opps_[s.clusters_.size() + k];
    }
    // cooling devices
    for (cdev_entry& e : cdevs_) {
      s.levels_.push_back(std::move(e.levels));
      s.speeds_.push_back(std::move(e.speeds));
    }
    for (std::size_t k = 0; k < cdevs_.size(); ++k) {
      cdev_entry& e = cdevs_[k];
      e.desc.cooling_levels = s.levels_[k];
      e.desc.fan_speeds = s.speeds_[k];
      s.cooling_.push_back(e.desc);
    }
    // zones
    s.trips_.reserve(zones_.size());
    s.entries_.reserve(zones_.size());
    s.maps_.reserve(zones_.size());
    for (zone_build& z : zones_) {
      std::vector<schema::trip_desc> trips = z.trips;
      for (std::size_t k = 0; k < trips.size(); ++k) {
        trips[k].name = keep(z.trip_names[k]);
      }
      s.trips_.push_back(std::move(trips));
      std::vector<std::vector<schema::cooling_map_entry>> entries;
      std::vector<schema::cooling_map_desc> maps;
      for (zone_build::map& m : z.maps) {
        for (std::size_t k = 0; k < m.entries.size(); ++k) {
          m.entries[k].device = keep(m.devices[k]);
        }
        entries.push_back(std::move(m.entries));
        schema::cooling_map_desc d{};
        d.name = keep(m.name);
        d.trip = m.trip;
        d.contribution = m.contribution;
        maps.push_back(d);
      }
      s.entries_.push_back(std::move(entries));
      s.maps_.push_back(std::move(maps));
      schema::thermal_zone_desc d{};
      d.name = keep(z.name);
      d.polling_delay = z.polling;
      d.polling_delay_passive = z.passive;
      d.sustainable_power = milliwatts(static_cast<std::int32_t>(z.sustainable));
      d.sensor = keep(z.sensor);
      d.sensor_id = z.sensor_id;
      d.slope = z.slope;
      d.offset = z.offset;
      d.on_critical = z.on_critical;
      s.zones_.push_back(d);
    }
    for (std::size_t k = 0; k < s.zones_.size(); ++k) {
      for (std::size_t m = 0; m < s.maps_[k].size(); ++m) {
        s.maps_[k][m].devices = s.entries_[k][m];
      }
      s.zones_[k].trips = s.trips_[k];
      s.zones_[k].cooling_maps = s.maps_[k];
    }
    for (const std::string& w : s.warnings_) {
      s.notes_.push_back(keep(w));
    }
    s.desc_ = schema::soc_description{id_, name_, model_, {}, {}, s.clusters_, s.devices_, s.cooling_, s.zones_, s.notes_};
  }

  struct policy_rec {
    std::vector<std::size_t> cpus;  // indices into cpus_, ascending
    std::size_t table{0};
    std::int32_t first_node{-1};
  };
  struct device {
    std::int32_t node{-1};
    std::size_t table{0};
    std::uint32_t coefficient{0};
    std::string compatible;
  };

  const fdt::tree& t_;
  const dt_import_options& opt_;
  dt_soc s_;
  std::string message_;
  std::string prop_of_;
  std::string_view id_, name_, model_;
  std::vector<table> tables_;
  std::vector<policy_rec> policies_;
  std::vector<device> devices_;
  std::vector<cdev_entry> cdevs_;
  std::vector<zone_build> zones_;
  std::vector<std::size_t> cluster_first_node_;
  std::vector<std::int32_t> cpu_nodes_;  // tree node of each CPU (index = logical id)
  std::int32_t cpus_node_{-1};
};

/// Imports `t` (see the file comment). Errors (only blob-level ones unless `opt.strict`): a
/// malformed property of a CPU or OPP table, a dangling `operating-points-v2`, or in strict mode
/// the first zone/device problem. `message`, when given, receives the one-line text.
[[nodiscard]] inline result<dt_soc, error> import_device_tree(const fdt::tree& t, const dt_import_options& opt = {},
                                                              std::string* message = nullptr) {
  dt_importer imp(t, opt);
  return imp.run(message);
}

}  // namespace thermo::io
