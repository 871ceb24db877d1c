/// @file fwd.hpp
/// Forward declarations of the workloads, with their default template arguments. The
/// definitions include this file and do not repeat the defaults (a default may be given once);
/// thermo/fwd.hpp gathers every area's declarations.
#pragma once

#include <cstddef>

namespace thermo::workload {

template <std::size_t MaxThreads = 8, std::size_t MaxSamples = 4096, std::size_t MaxWindows = 512>
class inference;
class decompression;
template <std::size_t MaxRows = 1024, std::size_t MaxCores = 8>
class utilization_trace;
template <std::size_t MaxCores = 8>
class constant_demand;
template <std::size_t MaxPhases = 8, std::size_t MaxCores = 8>
class phased_demand;
template <std::size_t MaxCores = 8>
class cycle_jobs;

}  // namespace thermo::workload
