/// @file scenario_keys.hpp
/// The keys of a scenario's `[zone NAME]` section, its `[run] kernel` and the keys of its
/// inference and boot workloads (docs/reference/scenario-format.md): members of `scenario_parser` (io/scenario.hpp, which
/// includes this file after the class), kept apart because they are one concern each — what a
/// study changes of a zone, and what the two modelled workloads take.
///
/// A `[zone]` key overrides one value of the zone the SoC (preset or device tree) describes: the
/// kernel's zone parameters for the power allocator (`sustainable_power`, `k_po`, `k_pu`, `k_i`,
/// `k_d`, `integral_cutoff`), the polling delays, a trip's temperature or hysteresis
/// (`tripK`, `tripK_hysteresis`), a cooling map's weight or limits (`mapK_weight`, `mapK_min`,
/// `mapK_max`). One key per value, so that a sweep can address each as
/// `zone.NAME.KEY`. Ranges are the kernel's types narrowed to what the library's arithmetic
/// takes (control/governors/power_allocator.hpp `ipa::validate_params`); the indices K are
/// checked against the SoC when the simulation is built.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/io/scenario.hpp"
#include "thermo/io/scenario_records.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io {

namespace detail::scenario_text {

/// "trip12_hysteresis" with prefix "trip" → index 12 and suffix "_hysteresis"; nullopt when
/// `key` does not start with the prefix and a number.
struct indexed_key {
  std::size_t index;
  std::string_view suffix;
};
inline std::optional<indexed_key> split_indexed(std::string_view key, std::string_view prefix) {
  if (!key.starts_with(prefix)) {
    return std::nullopt;
  }
  std::size_t k = prefix.size();
  std::size_t index = 0;
  const std::size_t first = k;
  while (k < key.size() && key[k] >= '0' && key[k] <= '9' && k - first < 3) {
    index = index * 10 + static_cast<std::size_t>(key[k] - '0');
    ++k;
  }
  // no digits, more than 3, or a leading zero ("trip01" would be a second name of trip1)
  if (k == first || (k < key.size() && key[k] >= '0' && key[k] <= '9') || (key[first] == '0' && k - first > 1)) {
    return std::nullopt;
  }
  return indexed_key{index, key.substr(k)};
}

}  // namespace detail::scenario_text

/// "6.12.17": a kernel version as thermo prints it.
[[nodiscard]] inline std::string format_kernel_version(const control::kernel_version& v) {
  std::string s = std::to_string(v.major);
  s += '.';
  s += std::to_string(v.minor);
  s += '.';
  s += std::to_string(v.patch);
  return s;
}

/// Reads a kernel version for the commands that model the thermal framework (`thermo
/// simulate`, `replay`, `sweep`: `--kernel`, `[run] kernel`) into `out`: "" or the message
/// (without where it was read), naming the value. Refused: what `parse_kernel_version`
/// refuses, and kernels older than 6.12.0 (`oldest_modelled_kernel`).
[[nodiscard]] inline std::string read_modelled_kernel(std::string_view text, control::kernel_version& out) {
  const auto k = control::parse_kernel_version(text);
  if (!k) {
    std::string m = "bad kernel version ";
    m += quoted(text);
    m += " (expected MAJOR.MINOR[.PATCH], e.g. 6.12 or 6.12.18";
    m += k.error().code == errc::out_of_range ? ", with MAJOR within 2..99)" : ")";
    return m;
  }
  if (*k < control::oldest_modelled_kernel) {
    std::string m = "kernel ";
    m += format_kernel_version(*k);
    m += " is older than 6.12.0: thermo models the thermal framework from Linux 6.12 on (only thermo audit takes older kernels)";
    return m;
  }
  out = *k;
  return {};
}

inline void scenario_parser::kernel_entry(std::string_view v) {
  control::kernel_version k;
  if (std::string m = read_modelled_kernel(v, k); !m.empty()) {
    fail(m);
    return;
  }
  s_.kernel = k;
  s_.kernel_line = line_;
}

/// Largest trip and map index a `[zone]` key may name (the zones of `thermo simulate` hold 16
/// trips; a device tree's cooling maps are as many).
inline constexpr std::size_t scenario_max_zone_index = 15;

inline void scenario_parser::zone_entry(std::string_view key, std::string_view v) {
  using detail::scenario_text::split_indexed;
  scenario_zone& z = s_.zones.back();
  constexpr std::int64_t s32_max = std::numeric_limits<std::int32_t>::max();
  const auto s32 = [&](std::optional<std::int32_t>& field, std::int64_t lo, std::int64_t hi) {
    if (auto x = integer(key, v, lo, hi)) {
      field = static_cast<std::int32_t>(*x);
    }
  };
  const auto delay = [&](std::optional<std::chrono::milliseconds>& field) {
    const auto d = duration(key, v);
    if (!d) {
      return;
    }
    if (d->count() % 1'000'000 != 0) {
      fail("bad " + std::string(key) + " '" + std::string(v) + "' (a whole number of milliseconds, as the device tree's)");
      return;
    }
    field = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  };
  if (key == "sensor") {
    if (auto n = name_value(key, v)) {
      z.sensor = *n;
    }
  } else if (key == "governor") {
    if (!scenario_governors::find(v)) {
      fail("unknown governor '" + std::string(v) + "' (" + std::string(scenario_governors::list) + ")");
    }
    z.governor = std::string(v);
  } else if (key == "enabled") {
    if (auto b = boolean(key, v)) {
      z.enabled = *b;
    }
  } else if (key == "sustainable_power") {
    s32(z.sustainable_power, 0, control::ipa::sustainable_power_limit - 1);  // mW
  } else if (key == "k_po") {
    s32(z.k_po, 0, s32_max);
  } else if (key == "k_pu") {
    s32(z.k_pu, 0, s32_max);
  } else if (key == "k_i") {
    s32(z.k_i, 0, s32_max);
  } else if (key == "k_d") {
    s32(z.k_d, 0, s32_max);
  } else if (key == "integral_cutoff") {
    s32(z.integral_cutoff, -(control::ipa::integral_cutoff_limit - 1), control::ipa::integral_cutoff_limit - 1);
  } else if (key == "polling_delay") {
    delay(z.polling_delay);
  } else if (key == "passive_delay") {
    delay(z.passive_delay);
  } else if (const auto t = split_indexed(key, "trip"); t && (t->suffix.empty() || t->suffix == "_hysteresis")) {
    if (t->index > scenario_max_zone_index) {
      fail("bad key '" + std::string(key) + "': trip indices are 0.." + std::to_string(scenario_max_zone_index));
      return;
    }
    auto it = std::find_if(z.trips.begin(), z.trips.end(), [&](const scenario_trip_override& o) { return o.index == t->index; });
    if (it == z.trips.end()) {
      z.trips.push_back({t->index, std::nullopt, std::nullopt, line_});
      it = z.trips.end() - 1;
    }
    if (t->suffix.empty()) {
      s32(it->temperature, -273'000, 200'000);  // m°C, as the `trip` event takes it
    } else {
      s32(it->hysteresis, 0, 200'000);
    }
  } else if (const auto m = split_indexed(key, "map"); m && (m->suffix == "_weight" || m->suffix == "_min" || m->suffix == "_max")) {
    if (m->index > scenario_max_zone_index) {
      fail("bad key '" + std::string(key) + "': map indices are 0.." + std::to_string(scenario_max_zone_index));
      return;
    }
    auto it = std::find_if(z.maps.begin(), z.maps.end(), [&](const scenario_map_override& o) { return o.index == m->index; });
    if (it == z.maps.end()) {
      z.maps.push_back({m->index, std::nullopt, std::nullopt, std::nullopt, line_});
      it = z.maps.end() - 1;
    }
    constexpr std::int64_t u32_max = std::numeric_limits<std::uint32_t>::max();
    if (m->suffix == "_weight") {
      if (auto x = integer(key, v, 0, u32_max)) {
        it->weight = static_cast<std::uint32_t>(*x);
      }
      return;
    }
    std::optional<std::uint32_t>& limit = m->suffix == "_min" ? it->lower : it->upper;
    if (v == "no_limit") {
      limit = std::numeric_limits<std::uint32_t>::max();
    } else if (const auto x = parse_int(v, 0, u32_max - 1, exact)) {
      limit = static_cast<std::uint32_t>(*x);
    } else {
      fail("bad " + std::string(key) + " '" + std::string(v) + "' (a cooling state 0.." + std::to_string(u32_max - 1) + ", or no_limit)");
    }
  } else {
    unknown_key(key, zone_keys);
  }
}

inline bool scenario_parser::inference_entry(std::string_view key, std::string_view v) {
  scenario_inference& in = s_.workloads.back().inference;
  if (key == "model") {
    if (auto n = name_value(key, v)) {
      in.model = *n;
    }
  } else if (key == "framework") {
    if (v != "tflite" && v != "tvm") {
      fail("bad framework '" + std::string(v) + "' (tflite or tvm)");
    }
    in.framework = std::string(v);
  } else if (key == "threads") {
    if (auto x = integer(key, v, 1, 64)) {
      in.threads = static_cast<std::size_t>(*x);
    }
  } else if (key == "arrivals") {
    if (v != "back_to_back" && v != "periodic") {
      fail("bad arrivals '" + std::string(v) + "' (back_to_back or periodic)");
    }
    in.arrivals = std::string(v);
  } else if (key == "period") {
    if (auto d = positive_duration(key, v)) {
      if (*d < scenario_limits::min_phase) {
        fail("bad period '" + std::string(v) + "': below the minimum of " + format_duration(scenario_limits::min_phase) +
             " (io::scenario_limits::min_phase)");
        return true;
      }
      in.period = *d;
    }
  } else if (key == "overload") {
    if (v != "queue" && v != "drop") {
      fail("bad overload '" + std::string(v) + "' (queue or drop)");
    }
    in.overload = std::string(v);
  } else if (key == "count") {
    if (auto x = integer(key, v, 0, std::int64_t{1} << 40)) {
      in.count = static_cast<std::uint64_t>(*x);
    }
  } else if (key == "window") {
    if (auto d = positive_duration(key, v)) {
      if (*d < scenario_limits::min_phase) {
        fail("bad window '" + std::string(v) + "': below the minimum of " + format_duration(scenario_limits::min_phase) +
             " (io::scenario_limits::min_phase)");
        return true;
      }
      in.window = *d;
    }
  } else if (key == "seed") {
    if (auto x = integer(key, v, 0, std::int64_t{1} << 62)) {
      in.seed = static_cast<std::uint64_t>(*x);
    }
  } else {
    return false;
  }
  return true;
}

inline bool scenario_parser::boot_entry(std::string_view key, std::string_view v) {
  scenario_boot& b = s_.workloads.back().boot;
  if (key == "compressor") {
    static constexpr std::array<std::string_view, 7> names{"gzip", "lzma", "xz", "lzo", "lz4", "zstd", "bzip2"};
    if (std::find(names.begin(), names.end(), v) == names.end()) {
      fail("unknown compressor '" + std::string(v) + "' (gzip, lzma, xz, lzo, lz4, zstd, bzip2)");
    }
    b.compressor = std::string(v);
  } else if (key == "core") {
    if (v.empty()) {
      fail("core needs the name of a decompressor profile's core (Cortex-A9 …)");
    }
    b.core = std::string(v);
  } else if (key == "compressed") {
    if (auto x = boolean(key, v)) {
      b.compressed = *x;
    }
  } else if (key == "vmlinux") {
    if (auto x = number(key, v, 1.0, 1e10, "bytes")) {
      b.vmlinux_bytes = *x;
    }
  } else if (key == "zimage") {
    if (auto x = number(key, v, 1.0, 1e10, "bytes")) {
      b.zimage_bytes = *x;
    }
  } else if (key == "bandwidth") {
    if (auto x = number(key, v, 0.001, 1e6, "MB/s")) {
      b.bandwidth_mb_s = *x;
    }
  } else if (key == "setup") {
    if (auto d = duration(key, v)) {
      b.setup = *d;
    }
  } else if (key == "relocate") {
    if (auto x = number(key, v, 0.001, 1024.0, "bytes/cycle")) {
      b.relocate_bytes_per_cycle = *x;
    }
  } else if (key == "load_utilization") {
    if (auto x = number(key, v, 0.0, 1.0, "")) {
      b.load_utilization = *x;
    }
  } else {
    return false;
  }
  return true;
}

inline void scenario_parser::finish_workload(const scenario_workload& w) {
  using T = scenario_workload_type;
  static constexpr std::array<std::string_view, 9> inference{"model", "framework", "threads", "arrivals", "period",
                                                             "overload", "count", "window", "seed"};
  static constexpr std::array<std::string_view, 9> boot{"compressor", "core", "compressed", "vmlinux", "zimage",
                                                        "bandwidth", "setup", "relocate", "load_utilization"};
  static constexpr std::array<std::string_view, 5> rate{"utilization", "utilisation", "phases", "repeat", "file"};
  const auto type_name = [](T t) -> std::string_view {
    switch (t) {
      case T::constant:
        return "constant";
      case T::phased:
        return "phased";
      case T::trace:
        return "trace";
      case T::inference:
        return "inference";
      case T::boot:
        return "boot";
    }
    return "?";
  };
  for (const auto& [key, line] : w.key_lines) {
    const auto in = [&](const auto& keys) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
    const bool wrong = (in(inference) && w.type != T::inference) || (in(boot) && w.type != T::boot) ||
                       (in(rate) && (w.type == T::inference || w.type == T::boot)) ||
                       (key == "cores" && (w.type == T::inference || w.type == T::boot));
    if (wrong) {
      line_ = line;
      fail("[workload " + w.name + "]: '" + key + "' does not apply to type = " + std::string(type_name(w.type)));
      return;
    }
  }
  line_ = w.line;
  if (w.type == T::inference) {
    if (w.inference.model.empty()) {
      fail("[workload " + w.name + "] (inference) needs model = NAME (a preset model, e.g. Mobilenet_V1_1.0_224_quant)");
    } else if (w.inference.arrivals == "periodic" && w.inference.period.count() == 0) {
      fail("[workload " + w.name + "] (inference, arrivals = periodic) needs period = DURATION");
    } else if (w.inference.arrivals != "periodic" && w.inference.period.count() != 0) {
      line_ = w.line_of("period");
      fail("[workload " + w.name + "]: period applies to arrivals = periodic only");
    }
  } else if (w.type == T::boot && !w.boot.compressed && w.boot.relocate_bytes_per_cycle > 0.0) {
    line_ = w.line_of("relocate");
    fail("[workload " + w.name + "]: relocate applies to a compressed image only (compressed = yes)");
  }
}

}  // namespace thermo::io
