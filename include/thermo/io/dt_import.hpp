/// @file dt_import.hpp
/// Builds, from a device tree (io/fdt.hpp), what Linux 6.12 builds from it for thermal and
/// power management, as a `schema::soc_description` (schema/soc.hpp) — the type the built-in
/// presets are values of, so a board's own `.dtb` and a preset are interchangeable everywhere
/// (`thermo replay`, `sim::add_soc`).
///
/// `import_device_tree` reads the root's `model` and `compatible` (the description's `model`,
/// `name` = the first compatible, `id` = the last one after its comma), then runs one step per
/// kernel subsystem, each in its own header under io/dt/ (kernel-reference §3.3–§3.6, §4, §7):
///
/// * io/dt/opp.hpp — OPP tables (drivers/opp/of.c);
/// * io/dt/cpus.hpp — CPUs, cpufreq policies, capacities and the policies' cooling devices
///   (drivers/base/arch_topology.c, cpufreq-dt, cpufreq cooling);
/// * io/dt/devices.hpp — devfreq devices and fans (devfreq cooling, pwm-fan, gpio-fan);
/// * io/dt/thermal_zones.hpp — thermal zones, trips and cooling maps
///   (drivers/thermal/thermal_of.c);
///
/// and io/dt/common.hpp holds what they share (errors naming node and property, the storage the
/// description views, phandle-with-arguments lists).
///
/// Every fact about the hardware is in the description (per-OPP turbo, a policy's shared table,
/// a gpio-fan's speeds …), and what follows from it is a function of it
/// (`schema::has_energy_model`, `cpu_cluster_desc::max_nonturbo_frequency`,
/// `cooling_device_desc::node_name`). The result adds only what the import itself knows: the
/// CPUs (`dt_soc::cpus`), the zones and devices the kernel would refuse (`dt_soc::problems`) and
/// what was ignored (`dt_soc::warnings`, also the description's `notes`).
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
/// Host-side: std::vector/std::string. See docs/reference/device-tree.md and
/// docs/how-to/import-device-tree-and-replay.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/io/dt/common.hpp"
#include "thermo/io/dt/cpus.hpp"
#include "thermo/io/dt/devices.hpp"
#include "thermo/io/dt/opp.hpp"
#include "thermo/io/dt/thermal_zones.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::io {

class dt_soc;

/// Imports `t` (see the file comment). Errors (only blob-level ones unless `opt.strict`): a
/// malformed property of the root, a CPU or an OPP table, a dangling `operating-points-v2`, or
/// in strict mode the first zone/device problem. `message`, when given, receives the one-line
/// text.
[[nodiscard]] inline result<dt_soc, error> import_device_tree(const fdt::tree& t,
                                                              const dt_import_options& opt = {},
                                                              std::string* message = nullptr);

/// The result of an import: a `schema::soc_description` over owned storage, plus what only the
/// import knows. Movable (the description stays valid), not copyable.
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
  friend result<dt_soc, error> import_device_tree(const fdt::tree&, const dt_import_options&,
                                                  std::string*);

  dt::storage store_;  // every string and array the description views
  schema::soc_description desc_{};
  std::vector<dt_cpu> cpus_;
  std::vector<dt_problem> problems_;
  std::vector<std::string> warnings_;
};

namespace dt::detail {

/// The root's identity: `model`, the first `compatible` (name) and the last one's part after its
/// comma (id).
struct soc_identity {
  std::string_view id;
  std::string_view name;
  std::string_view model;
};

inline error import_root(context& ctx, soc_identity& out) {
  const fdt::tree& t = ctx.tree();
  if (t.size() == 0) {
    return ctx.fail(error{errc::empty, "device tree has no root node"});
  }
  const std::int32_t r = fdt::tree::root();
  auto model = read_string(t, r, "model");
  if (!model) {
    return ctx.fail(model.error(), "model");
  }
  std::string id;
  std::string name;
  if (t.has(r, "compatible")) {
    auto c = t.strings(r, "compatible");
    if (!c) {
      return ctx.fail(c.error(), "compatible");
    }
    name = std::string(c->front());
    const std::string_view last = c->back();
    const auto comma = last.find(',');
    id = std::string(comma == std::string_view::npos ? last : last.substr(comma + 1));
  }
  out.id = ctx.keep(std::move(id));
  out.name = ctx.keep(std::move(name));
  out.model = ctx.keep(std::move(*model));
  return {};
}

}  // namespace dt::detail

inline result<dt_soc, error> import_device_tree(const fdt::tree& t, const dt_import_options& opt,
                                                std::string* message) {
  dt::context ctx(t, opt);
  dt::detail::soc_identity id;
  dt::opp_tables tables;
  dt::cpu_topology cpus;
  std::vector<dt::cooling_device> cooling;
  std::vector<schema::device_desc> devices;
  std::vector<schema::thermal_zone_desc> zones;
  error e = dt::detail::import_root(ctx, id);
  if (e.ok()) {
    e = dt::import_cpus(ctx, tables, cpus);
  }
  if (e.ok()) {
    dt::add_cpufreq_cooling_devices(ctx, cpus, cooling);
    e = dt::import_devices(ctx, tables, cpus, devices, cooling);
  }
  if (e.ok()) {
    e = dt::import_zones(ctx, cpus, cooling, zones);
  }
  if (!e.ok()) {
    if (message != nullptr) {
      *message = ctx.message().empty() ? t.describe(e) : ctx.message();
    }
    return e;
  }
  const std::span<const schema::cpu_cluster_desc> clusters = ctx.keep(cpus.clusters());
  dt::warn_unregistered_energy_models(ctx, cpus.cpus, clusters);
  std::vector<schema::cooling_device_desc> cooling_devices;
  for (const dt::cooling_device& c : cooling) {
    cooling_devices.push_back(c.desc);
  }
  std::vector<std::string_view> notes;
  for (const std::string& w : ctx.warnings()) {
    notes.push_back(ctx.keep(w));
  }
  dt_soc s;
  s.desc_ = schema::soc_description{id.id,
                                    id.name,
                                    id.model,
                                    {},
                                    {},
                                    clusters,
                                    ctx.keep(std::move(devices)),
                                    ctx.keep(std::move(cooling_devices)),
                                    ctx.keep(std::move(zones)),
                                    ctx.keep(std::move(notes))};
  s.cpus_ = std::move(cpus.cpus);
  s.problems_ = ctx.take_problems();
  s.warnings_ = ctx.take_warnings();
  s.store_ = ctx.take_storage();
  return s;
}

}  // namespace thermo::io
