/// @file fwd.hpp
/// Forward declarations of power/'s main types, with their default template arguments and the
/// default capacities they use. The definitions include this file and do not repeat the
/// defaults (a default may be given once); thermo/fwd.hpp gathers every area's declarations.
#pragma once

#include <cstddef>

namespace thermo::power {

/// Default capacity (rows) of OPP tables and Energy Model perf domains. The largest real table
/// in the presets has 19 rows (Exynos5422 A15).
inline constexpr std::size_t default_max_opps = 32;
/// Default number of nodes of a `power_budget`.
inline constexpr std::size_t default_max_dtpm_nodes = 16;

struct opp;
template <std::size_t Capacity = default_max_opps>
class opp_table;
template <std::size_t MaxStates = default_max_opps>
class em_perf_domain;
class em_perf_domain_view;
template <std::size_t MaxNodes = default_max_dtpm_nodes>
class power_budget;

}  // namespace thermo::power
