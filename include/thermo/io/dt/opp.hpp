/// @file opp.hpp
/// The device-tree import's OPP tables, as the kernel's OPP library reads them
/// (drivers/opp/of.c): a table is a node with `compatible = "operating-points-v2"`, read once
/// whoever names it; its available children are the OPPs.
///
/// Per OPP: `opp-hz` (one u64, or one u32; the first value when there are several clocks;
/// truncated to kHz), the first cell of the option's voltage property (`opp-microvolt-<name>`,
/// falling back to `opp-microvolt`; 0 when neither is there), `opp-microwatt`, `turbo-mode`.
/// Disabled OPPs are skipped, the rest sorted by frequency. `opp-supported-hw` is not filtered
/// (no driver sets a mask). Per table: `opp-shared`.
///
/// Errors name the table or the OPP node (index) and the property (index2): `invalid_argument`
/// "operating-points-v2 does not point at an operating-points-v2 table", `not_found` "OPP
/// without opp-hz", `parse_error` "opp-hz is not a list of 64-bit values" / "empty
/// opp-microvolt", `non_positive` "opp-hz below 1 kHz" / "opp-microvolt is 0", `out_of_range`
/// "opp-hz above 100 GHz" / "opp-microvolt above 5 V" / "opp-microwatt above 64 W
/// (EM_MAX_POWER)" (the ranges of `dt_ranges`), `empty` "OPP table has no available OPP",
/// `already_exists` "two OPPs of one table have the same frequency", `not_increasing`
/// "opp-microwatt falls as opp-hz rises" (in ascending frequency, less power than the OPP below;
/// an OPP without `opp-microwatt` is not compared; a falling voltage is accepted, as real tables
/// have one), and those of a short property. OPPs may be listed in any order.
///
/// Host-side. See docs/reference/device-tree.md.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/dt/common.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/power/opp.hpp"

namespace thermo::io::dt {

/// One table as read: its OPPs, owned.
struct opp_table_rows {
  bool shared{false};                ///< `opp-shared`
  std::vector<power::opp> opps;      ///< available OPPs, ascending frequency
  std::vector<kilohertz> turbo;      ///< frequencies of the OPPs marked `turbo-mode`, ascending
};

/// One table as the import keeps it (views into the import's storage).
struct opp_table {
  std::int32_t node{-1};             ///< the table's tree node
  bool shared{false};                ///< `opp-shared`
  std::span<const power::opp> opps;  ///< available OPPs, ascending frequency
  std::span<const kilohertz> turbo;  ///< frequencies of the OPPs marked `turbo-mode`, ascending
};

/// `opp-hz` of OPP node `c`: one u64 (two cells) or one u32; with several clocks the first
/// value counts.
[[nodiscard]] inline result<std::uint64_t, error> read_opp_hz(const fdt::tree& t, std::int32_t c) {
  const fdt::property* p = t.find_property(c, "opp-hz");
  if (p == nullptr) {
    return error{errc::not_found, "OPP without opp-hz", c};
  }
  if (p->value.size() == 4) {
    return std::uint64_t{fdt::load_be32(p->value.data())};
  }
  if (p->value.size() < 8 || p->value.size() % 8 != 0) {
    return error{errc::parse_error, "opp-hz is not a list of 64-bit values", c,
                 static_cast<std::int32_t>(p->offset)};
  }
  const std::uint64_t v = (std::uint64_t{fdt::load_be32(p->value.data())} << 32U) |
                          fdt::load_be32(p->value.subspan(4).data());
  if (v < dt_ranges::min_opp_hz) {
    return error{errc::non_positive, "opp-hz below 1 kHz", c, static_cast<std::int32_t>(p->offset)};
  }
  if (v > dt_ranges::max_opp_hz) {
    return error{errc::out_of_range, "opp-hz above 100 GHz", c, static_cast<std::int32_t>(p->offset)};
  }
  return v;
}

/// Reads the table at `node` (see the file comment), with the voltages of `voltage_property`.
[[nodiscard]] inline result<opp_table_rows, error> read_opp_table(
    const fdt::tree& t, std::int32_t node, std::string_view voltage_property) {
  if (!t.is_compatible(node, "operating-points-v2")) {
    return error{errc::invalid_argument,
                 "operating-points-v2 does not point at an operating-points-v2 table", node};
  }
  struct row {
    power::opp opp;
    std::int32_t node{-1};
    bool turbo{false};
  };
  std::vector<row> rows;
  for (const std::int32_t c : t.at(node).children) {
    if (!t.available(c)) {
      continue;
    }
    auto hz = read_opp_hz(t, c);
    if (!hz) {
      return hz.error();
    }
    row r;
    r.opp.frequency = kilohertz(static_cast<std::uint32_t>(*hz / 1000U));
    const std::string_view vprop = t.has(c, voltage_property) ? voltage_property : "opp-microvolt";
    r.opp.voltage = microvolts(0);
    if (t.has(c, vprop)) {
      auto v = t.cells(c, vprop);
      if (!v) {
        return v.error();
      }
      if (v->empty()) {
        return property_error(t, errc::parse_error, "empty opp-microvolt", c, vprop);
      }
      if (v->front() == 0) {
        return property_error(t, errc::non_positive, "opp-microvolt is 0", c, vprop);
      }
      if (v->front() > dt_ranges::max_opp_microvolt) {
        return property_error(t, errc::out_of_range, "opp-microvolt above 5 V", c, vprop);
      }
      r.opp.voltage = microvolts(static_cast<std::int32_t>(v->front()));
    }
    r.opp.power = microwatts(0);
    if (t.has(c, "opp-microwatt")) {
      auto w = read_u32(t, c, "opp-microwatt");
      if (!w) {
        return w.error();
      }
      if (w->value_or(0) > dt_ranges::max_opp_microwatt) {
        return property_error(t, errc::out_of_range, "opp-microwatt above 64 W (EM_MAX_POWER)", c, "opp-microwatt");
      }
      r.opp.power = microwatts(static_cast<std::int64_t>(w->value_or(0)));
    }
    r.node = c;
    r.turbo = t.has(c, "turbo-mode");
    rows.push_back(r);
  }
  if (rows.empty()) {
    return error{errc::empty, "OPP table has no available OPP", node};
  }
  std::sort(rows.begin(), rows.end(),
            [](const row& a, const row& b) { return a.opp.frequency < b.opp.frequency; });
  opp_table_rows out;
  out.shared = t.has(node, "opp-shared");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k > 0 && rows[k].opp.frequency == rows[k - 1].opp.frequency) {
      return error{errc::already_exists, "two OPPs of one table have the same frequency", node};
    }
    // a faster OPP measured at less power: a broken table (both given, ascending frequency). A
    // lower voltage is accepted: real tables have one (Exynos5422's 1.8 GHz A15 OPP).
    if (k > 0 && rows[k].opp.power.count() != 0 && rows[k].opp.power < rows[k - 1].opp.power) {
      return property_error(t, errc::not_increasing, "opp-microwatt falls as opp-hz rises", rows[k].node, "opp-microwatt");
    }
    out.opps.push_back(rows[k].opp);
    if (rows[k].turbo) {
      out.turbo.push_back(rows[k].opp.frequency);
    }
  }
  return out;
}

/// The tables read so far, each once, whoever names it (the OPP library's `_find_opp_table`).
class opp_tables {
 public:
  /// The index of the table at `node`, read (with the options' voltage property) and kept in
  /// `ctx`'s storage the first time. Errors: those of `read_opp_table`.
  [[nodiscard]] result<std::size_t, error> load(context& ctx, std::int32_t node) {
    for (std::size_t k = 0; k < tables_.size(); ++k) {
      if (tables_[k].node == node) {
        return k;
      }
    }
    auto rows = read_opp_table(ctx.tree(), node, ctx.options().voltage_property);
    if (!rows) {
      return rows.error();
    }
    tables_.push_back(opp_table{node, rows->shared, ctx.keep(std::move(rows->opps)),
                                ctx.keep(std::move(rows->turbo))});
    return tables_.size() - 1;
  }

  /// Why `load_named_by` found no table: the error, and the property it is about.
  struct lookup_error {
    error err;
    std::string_view property;
  };

  /// The index of the table node `n`'s `operating-points-v2` names, loaded as `load` does. A
  /// dangling phandle or one naming `n` itself (`self_reference` says what it is) is about
  /// `operating-points-v2`; the table's own errors are about the table.
  [[nodiscard]] result<std::size_t, lookup_error> load_named_by(context& ctx, std::int32_t n,
                                                                const char* self_reference) {
    constexpr std::string_view property = "operating-points-v2";
    auto target = ctx.tree().phandle_target(n, property);
    if (!target) {
      return lookup_error{target.error(), property};
    }
    if (*target == n) {
      const error e =
          property_error(ctx.tree(), errc::invalid_argument, self_reference, n, property);
      return lookup_error{e, property};
    }
    auto k = load(ctx, *target);
    if (!k) {
      return lookup_error{k.error(), {}};
    }
    return *k;
  }

  [[nodiscard]] const opp_table& operator[](std::size_t k) const noexcept { return tables_[k]; }

 private:
  std::vector<opp_table> tables_;
};

}  // namespace thermo::io::dt
