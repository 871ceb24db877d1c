/// @file common.hpp
/// What every step of the device-tree import shares (io/dt_import.hpp runs the steps): the
/// options, the errors and problems that name a node and a property, the storage the imported
/// description's views point into, `of_property_read_u32`, phandle-with-arguments lists, and the
/// list of cooling devices registered so far (the thermal core's, which cooling maps bind to).
///
/// Errors are `thermo::error` values: `index` = the node (in the tree), `index2` = the blob
/// offset of the property (−1 when missing); `fdt::tree::describe` gives the one-line text
/// ("/thermal-zones/cpu-thermal/trips/crit: property 'type': unknown trip type").
///
/// Host-side: std::vector/std::string. See docs/reference/device-tree.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/fdt.hpp"
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

/// A zone or device the kernel would not register, and why.
struct dt_problem {
  std::string node;     ///< path of the zone or device (the error may name a node inside it)
  std::string message;  ///< one line
  error err;            ///< the error (index = node, index2 = property offset)
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
[[nodiscard]] inline result<std::vector<dt_phandle_args>, error> parse_phandle_args(
    const fdt::tree& t, std::int32_t n, std::string_view prop, std::string_view cells_name) {
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
    auto c = t.u32(*target, cells_name);
    if (!c) {
      return error{errc::not_found,
                   "referenced node has no #cells property for this list (e.g. #cooling-cells)", n,
                   where};
    }
    const std::uint32_t count = *c;
    if (count > 16) {
      return error{errc::out_of_range, "referenced node's #cells is above 16", n, where};
    }
    if (cells->size() - i < count) {
      return error{errc::parse_error, "phandle list ends inside an entry", n, where};
    }
    dt_phandle_args a;
    a.target = *target;
    a.args.assign(cells->begin() + static_cast<std::ptrdiff_t>(i),
                  cells->begin() + static_cast<std::ptrdiff_t>(i + count));
    i += count;
    out.push_back(std::move(a));
  }
  return out;
}

/// The one-line message for an import error: the tree's description of it (node path and
/// property), or the bare rule when the error does not name a node.
[[nodiscard]] inline std::string dt_error_message(const fdt::tree& t, const error& e,
                                                  std::string_view property = {}) {
  return t.describe(e, property);
}

}  // namespace thermo::io

/// The import's steps, one header per kernel subsystem (io/dt/opp.hpp, cpus.hpp, devices.hpp,
/// thermal_zones.hpp), and what they share. `io::import_device_tree` runs them in order.
namespace thermo::io::dt {

/// The physical ranges the import holds device-tree numbers to (docs/reference/limits-and-errors.md,
/// "Device-tree blobs"). A value outside is an `out_of_range` (`non_positive` for a zero
/// voltage) error naming the node and the property, not a description of a 17 kW cluster.
struct dt_ranges {
  /// `opp-hz`: 1 kHz … 100 GHz.
  static constexpr std::uint64_t min_opp_hz = 1'000;
  static constexpr std::uint64_t max_opp_hz = 100'000'000'000;
  /// The first cell of `opp-microvolt(-<name>)`: 1 µV … 5 V (an explicit 0 is refused; an OPP
  /// without the property has no voltage).
  static constexpr std::uint32_t max_opp_microvolt = 5'000'000;
  /// `opp-microwatt`: at most `EM_MAX_POWER`, 64 W per CPU or device (the Energy Model's bound
  /// on one performance state).
  static constexpr std::uint32_t max_opp_microwatt = 64'000'000;
  /// `dynamic-power-coefficient`: at most 100 000 µW/(MHz·V²) (100 W at 1 GHz and 1 V;
  /// real SoCs are below 3000).
  static constexpr std::uint32_t max_dynamic_power_coefficient = 100'000;
};

/// `of_property_read_u32`: absent → nullopt; shorter than 4 bytes → `parse_error` (index = node,
/// index2 = property offset); else the first cell.
[[nodiscard]] inline result<std::optional<std::uint32_t>, error> read_u32(const fdt::tree& t,
                                                                          std::int32_t n,
                                                                          std::string_view name) {
  const fdt::property* p = t.find_property(n, name);
  if (p == nullptr) {
    return std::optional<std::uint32_t>{};
  }
  if (p->value.size() < 4) {
    return error{errc::parse_error, "property shorter than one 32-bit cell", n,
                 static_cast<std::int32_t>(p->offset)};
  }
  return std::optional<std::uint32_t>{fdt::load_be32(p->value.data())};
}

/// `dynamic-power-coefficient` of node `n` (0 when absent): `read_u32`, then at most
/// `dt_ranges::max_dynamic_power_coefficient` (`out_of_range` "dynamic-power-coefficient above
/// 100000 uW/MHz/V^2").
[[nodiscard]] inline result<std::uint32_t, error> read_power_coefficient(const fdt::tree& t, std::int32_t n) {
  constexpr std::string_view name = "dynamic-power-coefficient";
  auto v = read_u32(t, n, name);
  if (!v) {
    return v.error();
  }
  if (v->value_or(0) > dt_ranges::max_dynamic_power_coefficient) {
    return error{errc::out_of_range, "dynamic-power-coefficient above 100000 uW/MHz/V^2", n,
                 static_cast<std::int32_t>(t.find_property(n, name)->offset)};
  }
  return v->value_or(0);
}

/// A string property that may be absent: "" when it is, the read's error when it is malformed.
[[nodiscard]] inline result<std::string, error> read_string(const fdt::tree& t, std::int32_t n,
                                                            std::string_view name) {
  if (!t.has(n, name)) {
    return std::string{};
  }
  auto s = t.string(n, name);
  if (!s) {
    return s.error();
  }
  return std::string(*s);
}

/// An error about property `property` of node `n`: index2 is the property's blob offset, or
/// `error::no_index` when the node has no such property.
[[nodiscard]] inline error property_error(const fdt::tree& t, errc c, const char* what,
                                          std::int32_t n, std::string_view property) {
  std::int32_t where = error::no_index;
  if (const fdt::property* p = property.empty() ? nullptr : t.find_property(n, property)) {
    where = static_cast<std::int32_t>(p->offset);
  }
  return error{c, what, n, where};
}

/// Owned storage for the strings and arrays an imported `schema::soc_description` views: what
/// is kept never moves, and moving the storage moves no element (each kept string and array
/// stays where it is), so the views stay valid when the import result is moved.
class storage {
 public:
  /// Keeps `s`; the view is valid while this storage (or what it is moved into) lives.
  std::string_view keep(std::string s) {
    strings_.push_back(std::move(s));
    return strings_.back();
  }
  /// Keeps `v`'s elements; likewise.
  template <class T>
  std::span<const T> keep(std::vector<T> v) {
    auto& pool = std::get<std::deque<std::vector<T>>>(arrays_);
    pool.push_back(std::move(v));
    return pool.back();
  }

 private:
  template <class... T>
  using pools = std::tuple<std::deque<std::vector<T>>...>;

  std::deque<std::string> strings_;  // a string's characters may live inside it: never moved
  pools<std::string_view, std::uint32_t, kilohertz, power::opp, schema::cpu_cluster_desc,
        schema::device_desc, schema::cooling_device_desc, schema::trip_desc,
        schema::cooling_map_entry, schema::cooling_map_desc, schema::thermal_zone_desc>
      arrays_;
};

/// A cooling device registered for a node: what cooling maps bind to (the thermal core's list
/// of cooling devices, in registration order).
struct cooling_device {
  std::int32_t node{-1};             ///< the tree node cooling maps name
  schema::cooling_device_desc desc;  ///< its description (views into the import's storage)
};

/// The state every step shares: the tree and options, the storage the description views, the
/// problems and warnings so far, and the message of the error that stops the import.
class context {
 public:
  context(const fdt::tree& t, const dt_import_options& opt) : tree_(&t), opt_(&opt) {}

  [[nodiscard]] const fdt::tree& tree() const noexcept { return *tree_; }
  [[nodiscard]] const dt_import_options& options() const noexcept { return *opt_; }

  /// Keeps a string or an array for the description (see `storage`).
  std::string_view keep(std::string s) { return store_.keep(std::move(s)); }
  template <class T>
  std::span<const T> keep(std::vector<T> v) {
    return store_.keep(std::move(v));
  }

  /// Records an error that stops the import, with a message naming node and property; returns
  /// it.
  error fail(error e, std::string_view property = {}) {
    message_ = tree_->describe(e, property);
    return e;
  }
  error fail(errc c, const char* what, std::int32_t n, std::string_view property = {}) {
    return fail(property_error(*tree_, c, what, n, property), property);
  }

  /// A zone- or device-level problem: the error to propagate in strict mode, else recorded
  /// against `subject` (or the node the error names) and ok, so the caller skips the zone or
  /// device.
  error problem(error e, std::string_view property = {}, std::int32_t subject = -1) {
    std::string msg = tree_->describe(e, property);
    if (opt_->strict) {
      message_ = std::move(msg);
      return e;
    }
    const std::int32_t n = tree_->valid(subject) ? subject : e.index;
    std::string path = tree_->valid(n) ? tree_->path(n) : std::string{};
    problems_.push_back(dt_problem{std::move(path), std::move(msg), e});
    return {};
  }
  error problem(errc c, const char* what, std::int32_t n, std::string_view property = {}) {
    return problem(property_error(*tree_, c, what, n, property), property);
  }

  /// Something ignored that a user might expect to matter, one line.
  void warn(std::string line) { warnings_.push_back(std::move(line)); }

  [[nodiscard]] std::span<const std::string> warnings() const noexcept { return warnings_; }
  /// The message of the error that stopped the import ("" when the error carries its own).
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

  /// The storage, problems and warnings, for the import's result.
  [[nodiscard]] storage take_storage() { return std::move(store_); }
  [[nodiscard]] std::vector<dt_problem> take_problems() noexcept { return std::move(problems_); }
  [[nodiscard]] std::vector<std::string> take_warnings() noexcept { return std::move(warnings_); }

 private:
  const fdt::tree* tree_;
  const dt_import_options* opt_;
  storage store_;
  std::vector<dt_problem> problems_;
  std::vector<std::string> warnings_;
  std::string message_;
};

}  // namespace thermo::io::dt
