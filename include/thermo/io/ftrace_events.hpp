/// @file ftrace_events.hpp
/// The thermal ftrace events thermo reads and writes, one struct per event, with the fields
/// the kernel's `TP_printk` format prints (names as printed, units as printed: m°C, mW, kHz).
///
/// Where the format changed over kernel history the struct holds the union of the eras'
/// fields and says which era a field belongs to; docs/reference/ftrace-events.md lists the
/// formats per kernel version with their sources. The text reader and writer live in
/// io/ftrace.hpp. Host code (strings and vectors).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "thermo/control/trip.hpp"

namespace thermo::io::ftrace {

/// `thermal:thermal_temperature`: "thermal_zone=%s id=%d temp_prev=%d temp=%d" (every zone
/// update that read a valid temperature).
struct thermal_temperature {
  std::string zone;             ///< the zone's type ("cpu-thermal")
  std::int32_t id{0};           ///< the zone's id (thermal_zone<id> in sysfs)
  std::int32_t temp_prev{0};    ///< m°C
  std::int32_t temp{0};         ///< m°C
  friend bool operator==(const thermal_temperature&, const thermal_temperature&) = default;
};

/// `thermal:thermal_zone_trip`: "thermal_zone=%s id=%d trip=%d trip_type=%s", the type printed
/// as ACTIVE, PASSIVE, HOT or CRITICAL (a number, 0 to 3 in that order, in the first kernels).
struct thermal_zone_trip {
  std::string zone;
  std::int32_t id{0};
  std::int32_t trip{0};  ///< the trip's index in the zone's table
  control::trip_type type{control::trip_type::passive};
  friend bool operator==(const thermal_zone_trip&, const thermal_zone_trip&) = default;
};

/// `thermal:cdev_update`: "type=%s target=%lu" (every successful set_cur_state through the
/// core).
struct cdev_update {
  std::string type;  ///< the cooling device's type ("cpufreq-cpu0", "thermal-devfreq-0")
  std::uint64_t target{0};
  friend bool operator==(const cdev_update&, const cdev_update&) = default;
};

/// `thermal_power_allocator:thermal_power_allocator`, one per allocation round.
/// Up to 6.7 it also printed the per-actor arrays `req_power={%s}` and `granted_power={%s}`
/// (`__print_array` inside the format's braces, hex: `{{0x96,0x1f4}}`); from 6.8 on the arrays
/// are gone and one `thermal_power_actor` event per actor precedes it.
struct power_allocator {
  std::int32_t tz_id{0};
  bool has_arrays{false};                    ///< the ≤ 6.7 form
  std::vector<std::uint32_t> req_power;      ///< ≤ 6.7: each actor's request (mW), in actor order
  std::vector<std::uint32_t> granted_power;  ///< ≤ 6.7: each actor's grant (mW)
  std::uint32_t total_req_power{0};
  std::uint32_t total_granted_power{0};
  std::uint32_t power_range{0};
  std::uint32_t max_allocatable_power{0};
  std::int32_t current_temperature{0};  ///< m°C
  std::int32_t delta_temperature{0};    ///< control temperature − current (m°C)
  friend bool operator==(const power_allocator&, const power_allocator&) = default;
};

/// `thermal_power_allocator:thermal_power_allocator_pid`: "thermal_zone_id=%d err=%d
/// err_integral=%d p=%lld i=%lld d=%lld output=%d" — each term already `frac_to_int`'d by the
/// governor (m°C and mW, floor of the Q10 value); `output` is the power range (mW).
struct power_allocator_pid {
  std::int32_t tz_id{0};
  std::int32_t err{0};
  std::int32_t err_integral{0};
  std::int64_t p{0};
  std::int64_t i{0};
  std::int64_t d{0};
  std::int32_t output{0};
  friend bool operator==(const power_allocator_pid&, const power_allocator_pid&) = default;
};

/// `thermal_power_allocator:thermal_power_actor` (6.8 and later): "thermal_zone_id=%d
/// actor_id=%d req_power=%u granted_power=%u", one per actor before `thermal_power_allocator`.
struct power_actor {
  std::int32_t tz_id{0};
  std::int32_t actor_id{0};  ///< the actor's index in the round (bind order)
  std::uint32_t req_power{0};
  std::uint32_t granted_power{0};
  friend bool operator==(const power_actor&, const power_actor&) = default;
};

/// `thermal:thermal_power_cpu_get_power` (cpufreq cooling's request, the older form):
/// "cpus=%s freq=%lu load={%s} dynamic_power=%u", with " static_power=%u" in the oldest
/// kernels. `cpus` is a cpumask the kernel prints as a hex bitmask ("0000000f"; the reader
/// also takes a list, "0-3"); `load` an array like the allocator's ("{{0x50,0x3c}}").
struct cpu_get_power {
  std::vector<std::uint32_t> cpus;      ///< the CPUs of the policy, ascending
  std::uint64_t freq{0};                ///< kHz
  std::vector<std::uint32_t> load;      ///< per CPU of `cpus`, %
  std::uint32_t dynamic_power{0};       ///< mW
  std::optional<std::uint32_t> static_power;  ///< oldest kernels only
  friend bool operator==(const cpu_get_power&, const cpu_get_power&) = default;
};

/// `thermal:thermal_power_cpu_get_power_simple` (newer kernels): "cpu=%d power=%u", one per CPU
/// of the policy.
struct cpu_get_power_simple {
  std::int32_t cpu{0};
  std::uint32_t power{0};  ///< mW
  friend bool operator==(const cpu_get_power_simple&, const cpu_get_power_simple&) = default;
};

/// `thermal:thermal_power_cpu_limit`: "cpus=%s freq=%u cdev_state=%lu power=%u" (cpufreq
/// cooling's power2state).
struct cpu_limit {
  std::vector<std::uint32_t> cpus;
  std::uint32_t freq{0};  ///< kHz
  std::uint64_t cdev_state{0};
  std::uint32_t power{0};  ///< mW granted
  friend bool operator==(const cpu_limit&, const cpu_limit&) = default;
};

/// `thermal:thermal_power_devfreq_get_power`: "type=%s freq=%lu load=%u power=%u" (5.11 and
/// later); older kernels printed "type=%s freq=%lu load=%u dynamic_power=%u static_power=%u
/// power=%u".
struct devfreq_get_power {
  std::string type;
  std::uint64_t freq{0};  ///< Hz, as devfreq counts
  std::uint32_t load{0};  ///< %
  std::optional<std::uint32_t> dynamic_power;  ///< older kernels only (mW)
  std::optional<std::uint32_t> static_power;   ///< older kernels only (mW)
  std::uint32_t power{0};                      ///< mW
  friend bool operator==(const devfreq_get_power&, const devfreq_get_power&) = default;
};

/// `thermal:thermal_power_devfreq_limit`: "type=%s freq=%u cdev_state=%lu power=%u".
struct devfreq_limit {
  std::string type;
  std::uint32_t freq{0};  ///< Hz
  std::uint64_t cdev_state{0};
  std::uint32_t power{0};
  friend bool operator==(const devfreq_limit&, const devfreq_limit&) = default;
};

/// `power:cpu_frequency`: "state=%lu cpu_id=%lu" (the new frequency of one CPU, kHz).
struct cpu_frequency {
  std::uint64_t state{0};  ///< kHz
  std::uint32_t cpu_id{0};
  friend bool operator==(const cpu_frequency&, const cpu_frequency&) = default;
};

/// `devfreq:devfreq_frequency` (5.11 and later): "dev_name=%-30s freq=%-12lu prev_freq=%-12lu
/// load=%-2lu". The kernel records busy_time and total_time but prints only the load computed
/// from them (100 · busy / total, 0 when total is 0); the text reader leaves `busy_time` and
/// `total_time` at 0 and the writer does not print them.
struct devfreq_frequency {
  std::string dev_name;
  std::uint64_t freq{0};  ///< Hz
  std::uint64_t prev_freq{0};
  std::uint64_t busy_time{0};   ///< not in the text (0 when read from text)
  std::uint64_t total_time{0};  ///< not in the text (0 when read from text)
  std::uint64_t load{0};        ///< % as printed
  friend bool operator==(const devfreq_frequency&, const devfreq_frequency&) = default;
};

/// `devfreq:devfreq_monitor`: "dev_name=%-30s freq=%-12lu polling_ms=%-3u load=%-2lu".
struct devfreq_monitor {
  std::string dev_name;
  std::uint64_t freq{0};
  std::uint32_t polling_ms{0};
  std::uint64_t load{0};
  friend bool operator==(const devfreq_monitor&, const devfreq_monitor&) = default;
};

/// Any event thermo knows.
using payload = std::variant<thermal_temperature, thermal_zone_trip, cdev_update, power_allocator, power_allocator_pid,
                             power_actor, cpu_get_power, cpu_get_power_simple, cpu_limit, devfreq_get_power,
                             devfreq_limit, cpu_frequency, devfreq_frequency, devfreq_monitor>;

/// One event line: the common prefix every ftrace text printer writes (task-pid, CPU,
/// timestamp) and the parsed payload.
struct event {
  std::int64_t time_ns{0};  ///< the timestamp, in ns (the text has µs or ns digits)
  std::string task;         ///< "irq/40-c263000." (may contain spaces and dashes)
  std::int32_t pid{0};
  std::int32_t cpu{0};
  std::size_t line{0};      ///< 1-based line in the source (0 for an event not read from text)
  payload data;
  friend bool operator==(const event& a, const event& b) {
    return a.time_ns == b.time_ns && a.task == b.task && a.pid == b.pid && a.cpu == b.cpu && a.data == b.data;
  }
};

}  // namespace thermo::io::ftrace
