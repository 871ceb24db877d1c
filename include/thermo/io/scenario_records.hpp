/// @file scenario_records.hpp
/// What a scenario file (docs/reference/scenario-format.md) is read into — one plain record per
/// section, each carrying its line — and the limits of the format (`scenario_limits`, checked
/// while the file is read: docs/reference/limits-and-errors.md). Host-only (std::string,
/// std::vector). The parser is io/scenario.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/governors/registry.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/core/time.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/workload/synthetic.hpp"

namespace thermo::io {

/// The governors a `[zone]` may name: the kernel's (control/governors/registry.hpp).
using scenario_governors = control::kernel_governors<>;

/// The ready-made plant `[plant] reference = …` names (its nodes: `sim::rk3399_node_names`).
inline constexpr std::string_view scenario_reference_plant = "rk3399_board";

/// The limits of a scenario file (docs/reference/limits-and-errors.md, "Scenario files"). Each is
/// checked while the file is read, before any work that grows with it, and named in the error.
struct scenario_limits {
  // Sections (the capacities of `thermo simulate`'s simulation; counted as they appear).
  static constexpr std::size_t max_nodes = 32;      ///< [node] sections
  static constexpr std::size_t max_links = 128;     ///< lines of [links]
  static constexpr std::size_t max_heat = 8;        ///< [heat] / [cluster] sections (power domains)
  static constexpr std::size_t max_sensors = 16;    ///< [sensor] sections
  static constexpr std::size_t max_zones = 8;       ///< [zone] sections
  static constexpr std::size_t max_fans = 4;        ///< [fan] sections
  static constexpr std::size_t max_workloads = 8;   ///< [workload] sections
  static constexpr std::size_t max_events = 256;    ///< lines of [events]
  static constexpr std::size_t max_phases = 32;     ///< phases of one phased workload
  static constexpr std::size_t max_weights = 4;     ///< NAME WEIGHT terms of one nodes = list
  // Time (sim_duration is int64 ns: ±292 years; every duration of a file is at most this).
  static constexpr sim_duration max_duration = std::chrono::hours(1000);  ///< any duration, the run's included
  static constexpr sim_duration min_step = std::chrono::microseconds(1);  ///< fixed step, comparator period
  static constexpr sim_duration min_record_interval = std::chrono::milliseconds(1);  ///< unless 0 (no rows)
  static constexpr sim_duration min_phase = std::chrono::milliseconds(1);  ///< a workload phase, a trace row
  /// Events one run may process (fixed-step ticks, workload phases …): estimated from the file
  /// before the run, and enforced during it (`sim_options::max_events`).
  static constexpr std::uint64_t max_run_events = sim::default_max_events;
  // Physical ranges.
  static constexpr double min_ambient = -100.0;       ///< °C: [run] ambient, `ambient` events
  static constexpr double max_ambient = 200.0;
  static constexpr double min_temperature = -273.15;  ///< °C: absolute zero
  static constexpr double max_temperature = 500.0;    ///< °C: node initial temperatures
  static constexpr double max_power = 10'000.0;       ///< W: |power| of a `power` event
  static constexpr double min_weight = 1e-6;          ///< node and sensor weights
  static constexpr double max_weight = 1000.0;
};

/// A node name with a weight ("big 0.8").
struct weighted_name {
  std::string name;
  double weight{1.0};
};

/// `[node NAME]`.
struct scenario_node {
  std::string name;
  double capacitance{0.0};       ///< J/K, > 0
  double to_ambient{0.0};        ///< W/K, ≥ 0
  std::optional<double> initial; ///< °C (default: the ambient)
  std::size_t line{0};
};
/// One `A - B = G` line of `[links]`.
struct scenario_link {
  std::string a, b;
  double conductance{0.0};  ///< W/K, > 0
  std::size_t line{0};
};
/// `[heat PART]` (or `[cluster PART]`).
struct scenario_heat {
  std::string part;  ///< cluster or device name of the SoC
  std::vector<weighted_name> nodes;
  std::size_t line{0};
};
/// `[sensor NAME]`.
struct scenario_sensor {
  std::string name;
  std::vector<weighted_name> probe;
  sensor_params params{};
  std::size_t line{0};
};
/// `tripK = m°C`, `tripK_hysteresis = m°C` of a `[zone]`: trip K (the zone's trip order, as the
/// device tree lists them) changed before the zone is registered.
struct scenario_trip_override {
  std::size_t index{0};
  std::optional<std::int32_t> temperature;  ///< m°C
  std::optional<std::int32_t> hysteresis;   ///< m°C, ≥ 0
  std::size_t line{0};                      ///< the first of its keys
};
/// `mapK_weight`, `mapK_min`, `mapK_max` of a `[zone]`: cooling map K (the zone's map order)
/// changed before it is bound — its `contribution` and the lower and upper cooling states of
/// every `cooling-device` entry.
struct scenario_map_override {
  std::size_t index{0};
  std::optional<std::uint32_t> weight;  ///< DT `contribution` (0: THERMAL_WEIGHT_DEFAULT)
  std::optional<std::uint32_t> lower;   ///< cooling state, or `thermal_no_limit` ("no_limit")
  std::optional<std::uint32_t> upper;
  std::size_t line{0};
};
/// `[zone NAME]`: the sensor and governor that run the zone, and what the scenario changes of
/// the zone the SoC describes (each unset value keeps the preset's or the device tree's).
struct scenario_zone {
  std::string name;
  std::string sensor;
  std::string governor{"step_wise"};
  bool enabled{true};
  std::size_t line{0};
  // the kernel's thermal_zone_params (tzp) for the power allocator
  std::optional<std::int32_t> sustainable_power;  ///< mW (DT `sustainable-power`)
  std::optional<std::int32_t> k_po;               ///< Q10 gains (sysfs k_po …)
  std::optional<std::int32_t> k_pu;
  std::optional<std::int32_t> k_i;
  std::optional<std::int32_t> k_d;
  std::optional<std::int32_t> integral_cutoff;    ///< m°C
  // DT polling-delay and polling-delay-passive
  std::optional<std::chrono::milliseconds> polling_delay;
  std::optional<std::chrono::milliseconds> passive_delay;
  std::vector<scenario_trip_override> trips;  ///< in file order, one per trip index
  std::vector<scenario_map_override> maps;    ///< in file order, one per map index
  /// The line of each key given (for errors found when the zone is built).
  std::vector<std::pair<std::string, std::size_t>> key_lines;
  [[nodiscard]] std::size_t line_of(std::string_view key) const {
    for (const auto& [k, l] : key_lines) {
      if (k == key) {
        return l;
      }
    }
    return line;
  }
};
/// `[fan NAME]`.
struct scenario_fan {
  std::string name;  ///< node name of the fan in the device tree ("pwm-fan")
  std::string node;  ///< plant node it cools
  std::string peer;  ///< other end: a node, or "" for the ambient
  double off{0.0};   ///< W/K with the fan stopped
  double full{0.0};  ///< W/K at full speed
  double exponent{0.8};
  std::size_t line{0};
};
/// `[workload NAME]` `type`.
enum class scenario_workload_type : std::uint8_t { constant, phased, trace, inference, boot };

/// The inference keys of a `[workload]` (`type = inference`): a preset model
/// (presets/inference_models.hpp) under a framework on the workload's cluster, back to back or
/// one request every `period` (workload/inference.hpp).
struct scenario_inference {
  std::string model;                   ///< preset model name ("Mobilenet_V1_1.0_224_quant")
  std::string framework{"tflite"};     ///< tflite or tvm
  std::size_t threads{0};              ///< 0: the framework's default (tflite 1, tvm every core)
  std::string arrivals{"back_to_back"};  ///< back_to_back or periodic
  sim_duration period{0};              ///< periodic: time between requests
  std::string overload{"queue"};       ///< periodic: queue or drop
  std::uint64_t count{0};              ///< requests in total (0: no limit)
  sim_duration window{std::chrono::seconds(1)};  ///< throughput window
  std::uint64_t seed{0x1e7e'c0de};     ///< latency reservoir sampling
};

/// The boot keys of a `[workload]` (`type = boot`): a kernel image loaded from storage and
/// decompressed on one CPU of the workload's cluster (workload/decompression.hpp, with a
/// decompressor profile of presets/compressors.hpp).
struct scenario_boot {
  std::string compressor{"gzip"};  ///< gzip, lzma, xz, lzo, lz4, zstd, bzip2
  std::string core;                ///< decompressor profile's core (default: the cluster's core)
  bool compressed{true};           ///< zImage (true) or the uncompressed Image
  double vmlinux_bytes{11'800'000.0};  ///< uncompressed size (the Gemini example)
  double zimage_bytes{4'800'000.0};    ///< compressed size
  double bandwidth_mb_s{25.0};         ///< storage read bandwidth, 10⁶ bytes/s (SD High Speed)
  sim_duration setup{0};               ///< fixed cost of starting the load
  double relocate_bytes_per_cycle{0.0};  ///< > 0: the decompressor relocates itself first
  double load_utilization{1.0};        ///< boot CPU demand while loading
};
/// `[workload NAME]`.
struct scenario_workload {
  std::string name;
  scenario_workload_type type{scenario_workload_type::constant};
  std::string cluster;
  std::optional<std::size_t> cores;  ///< default: every CPU of the cluster
  double utilization{1.0};
  std::vector<workload::demand_phase> phases;
  std::uint32_t repeat{1};  ///< phased: 0 = forever
  std::string file;         ///< trace: utilisation CSV (relative to the scenario file)
  std::string at_end{"repeat"};
  sim_time start{};
  scenario_inference inference{};  ///< type = inference
  scenario_boot boot{};            ///< type = boot
  std::size_t line{0};
  /// The line of each key given (for errors found when the workload is built).
  std::vector<std::pair<std::string, std::size_t>> key_lines;
  [[nodiscard]] std::size_t line_of(std::string_view key) const {
    for (const auto& [k, l] : key_lines) {
      if (k == key) {
        return l;
      }
    }
    return line;
  }
};
/// One `TIME = ACTION ARGS` line of `[events]` (the action and its arguments as written: what
/// they name is resolved when the simulation is built).
struct scenario_event {
  sim_time at{};
  std::string action;
  std::vector<std::string> args;
  std::size_t line{0};
};

/// A parsed scenario: the records of its sections, in file order.
struct scenario {
  std::string source;  ///< file name (for messages)
  std::string dir;     ///< directory of the file: relative paths in it start here
  // [run]
  sim_duration duration{0};
  std::size_t duration_line{0};
  sim_duration record_interval{std::chrono::milliseconds(100)};
  double ambient{25.0};
  bool fixed_step{false};
  sim_duration step{std::chrono::milliseconds(1)};
  std::size_t step_line{0};  ///< the `step =` line (0: the default step)
  bool apply_cooling{true};
  std::string title;
  /// `kernel = VERSION`: the Linux release whose thermal behaviour the governors reproduce
  /// (control/kernel_version.hpp; 6.12.0 or later). Unset: 6.12 (= 6.12.117).
  std::optional<control::kernel_version> kernel;
  std::size_t kernel_line{0};
  // [soc]
  std::string preset;
  std::string dtb;
  std::size_t soc_line{0};
  // [plant]
  std::string reference;
  std::vector<scenario_node> nodes;
  std::vector<scenario_link> links;
  std::vector<scenario_heat> heat;
  std::vector<scenario_sensor> sensors;
  std::vector<scenario_zone> zones;
  std::vector<scenario_fan> fans;
  std::vector<scenario_workload> workloads;
  std::vector<scenario_event> events;
  /// The last section of the file ("[zone gpu-thermal]") and its line: where a file cut short ends.
  std::string last_section;
  std::size_t last_section_line{0};
  // [output]
  std::string trace_file;
  std::string metrics_file;
  std::string plot_file;
};

}  // namespace thermo::io
