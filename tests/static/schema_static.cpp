// Compile-time guarantees of the schema (schema/*.hpp) and core/finite.hpp: descriptions are
// plain constexpr data, usable in constant expressions and built with firmware flags; presets
// are values of them. If this compiles, it passes.
#include <array>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

#include "thermo/core/finite.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/opp.hpp"
#include "thermo/presets/all.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/schema/boot.hpp"
#include "thermo/schema/inference.hpp"
#include "thermo/schema/soc.hpp"

namespace {

using namespace thermo;

// ---- core/finite.hpp ------------------------------------------------------------------------
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
static_assert(is_finite(0.0) && is_finite(-1e308) && !is_finite(nan) && !is_finite(inf) &&
              !is_finite(-inf));
static_assert(in_range(0.5, 0.0, 1.0) && in_range(1.0, 0.0, 1.0) && !in_range(nan, 0.0, 1.0));
static_assert(check_positive(1.0, "x").ok() && check_positive(0.0, "x") == errc::non_positive &&
              check_positive(inf, "x") == errc::not_finite);
static_assert(check_non_negative(0.0, "x").ok() && check_non_negative(-1.0, "x") == errc::negative);

// ---- descriptions are plain data --------------------------------------------------------------
static_assert(std::is_trivially_copyable_v<schema::soc_description>);
static_assert(std::is_trivially_copyable_v<schema::thermal_zone_desc>);
static_assert(std::is_trivially_copyable_v<schema::cpu_cluster_desc>);
static_assert(std::is_trivially_copyable_v<schema::inference_model_desc>);
static_assert(std::is_trivially_copyable_v<schema::core_type_desc>);
static_assert(std::is_trivially_copyable_v<schema::kernel_image>);
static_assert(std::is_trivially_copyable_v<schema::boot_platform>);
static_assert(std::is_trivially_copyable_v<schema::boot_measurement>);
static_assert(std::is_aggregate_v<schema::thermal_zone_desc>);
static_assert(std::is_aggregate_v<schema::boot_platform>);

// A zone described without coefficients or critical action gets the kernel's defaults.
constexpr schema::thermal_zone_desc plain_zone{};
static_assert(plain_zone.slope == 1 && plain_zone.offset == 0 &&
              plain_zone.on_critical == schema::critical_action::shutdown);

// A cluster described without turbo OPPs or a shared table: none, and max_freq is the top OPP.
constexpr std::array<power::opp, 3> opps{{{kilohertz(600'000), microvolts(800'000), microwatts(0)},
                                          {kilohertz(1'200'000), microvolts(1'000'000), microwatts(0)},
                                          {kilohertz(1'500'000), microvolts(1'100'000), microwatts(0)}}};
constexpr schema::cpu_cluster_desc cluster_of(std::span<const power::opp> o,
                                              std::span<const kilohertz> turbo = {}) {
  schema::cpu_cluster_desc c{};
  c.opps = o;
  c.turbo_frequencies = turbo;
  return c;
}
constexpr schema::cpu_cluster_desc plain_cluster = cluster_of(opps);
static_assert(plain_cluster.turbo_frequencies.empty() && !plain_cluster.opp_shared);
static_assert(plain_cluster.max_nonturbo_frequency() == kilohertz(1'500'000));
// Turbo OPPs are in the table but not in cpuinfo.max_freq; all-turbo falls back to the top OPP.
constexpr std::array<kilohertz, 1> top_turbo{kilohertz(1'500'000)};
constexpr std::array<kilohertz, 3> all_turbo{kilohertz(600'000), kilohertz(1'200'000),
                                             kilohertz(1'500'000)};
constexpr schema::cpu_cluster_desc turbo_cluster = cluster_of(opps, top_turbo);
static_assert(turbo_cluster.is_turbo(kilohertz(1'500'000)) &&
              !turbo_cluster.is_turbo(kilohertz(1'200'000)));
static_assert(turbo_cluster.max_nonturbo_frequency() == kilohertz(1'200'000));
static_assert(cluster_of(opps, all_turbo).max_nonturbo_frequency() == kilohertz(1'500'000));
static_assert(cluster_of({}).max_nonturbo_frequency() == kilohertz(0));
// No coefficient and no opp-microwatt: no Energy Model.
static_assert(!schema::has_energy_model(plain_cluster));
// A cooling device's node name is the last component of its node.
constexpr std::string_view node_name_of(std::string_view node) {
  schema::cooling_device_desc c{};
  c.node = node;
  return c.node_name();
}
static_assert(node_name_of("/cpus/cpu@100") == "cpu@100");
static_assert(node_name_of("pwm-fan") == "pwm-fan");

// ---- presets are values of the schema, usable at compile time ---------------------------------
static_assert(std::is_same_v<decltype(presets::rk3399), const schema::soc_description>);
static_assert(presets::find_soc("rk3399") == &presets::rk3399);
static_assert(presets::rk3399.find_zone("cpu-thermal")->on_critical ==
              schema::critical_action::shutdown);
static_assert(schema::make_cluster_em<8>(presets::rk3399.clusters[1]).has_value());
static_assert(presets::rk3399.clusters[1].opp_shared);
static_assert(presets::rk3399.clusters[1].max_nonturbo_frequency() ==
              presets::rk3399.clusters[1].opps.back().frequency);
static_assert(schema::has_power_model(presets::rk3399, presets::rk3399.cooling_devices[2]));
static_assert(presets::rk3399.cooling_devices[2].node_name() == "gpu@ff9a0000");
static_assert(presets::find_core_type("arm,cortex-a72")->int8_macs_per_cycle == 8.0);
static_assert(presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm,
                                   "arm,cortex-a72", 2)
                  ->threads == 2U);
static_assert(schema::validate(schema::kernel_image{11.8e6, 4.8e6}).ok());
static_assert(schema::validate(schema::kernel_image{0.0, 4.8e6}) == errc::non_positive);
static_assert(presets::find_decompressor("Cortex-A9", schema::compressor::gzip) != nullptr);
static_assert(schema::to_string(schema::compressor::zstd) == "zstd");

}  // namespace
