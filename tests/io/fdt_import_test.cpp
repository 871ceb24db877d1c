// io/dt_import.hpp: what Linux 6.12 builds from a device tree. The real-SoC trees in
// tests/data/dts/ must import to exactly the built-in presets (which were generated from the
// kernel's own trees), Energy Models must equal soc-data.json's, and import-edge-cases.dts
// exercises every rule the real trees do not.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "fdt_support.hpp"
#include "thermo/io/dt_import.hpp"
#include "thermo/io/json.hpp"
#include "thermo/presets/all.hpp"

using namespace thermo;

namespace {

struct imported {
  io::fdt::tree tree;
  io::dt_soc soc;
};

imported import_dtb(const std::string& name, const io::dt_import_options& opt = {}) {
  auto t = test::parse_blob(test::read_dtb(name));
  REQUIRE(t.has_value());
  std::string msg;
  auto s = io::import_device_tree(*t, opt, &msg);
  INFO(msg);
  REQUIRE(s.has_value());
  return imported{std::move(*t), std::move(*s)};
}

const io::json_value& soc_data() {
  static const io::json_value doc = [] {
    auto r = io::read_json_file(std::string(THERMO_SHARED_DIR) + "/data/soc-data.json");
    REQUIRE(r.has_value());
    return *r;
  }();
  return doc;
}

const io::json_value& soc_json(const std::string& id) {
  for (const io::json_value& s : soc_data().at("socs").as_array()) {
    if (s.at("id").as_string() == id) {
      return s;
    }
  }
  FAIL("no soc " << id);
  return soc_data();
}

const schema::cooling_device_desc* cdev_by_name(const schema::soc_description& d, std::string_view name) {
  for (const auto& c : d.cooling_devices) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

/// The imported description equals the preset, part by part (cooling devices matched by name,
/// map entries by the name of the device they bind).
void check_same_as_preset(const schema::soc_description& got, const schema::soc_description& want) {
  REQUIRE(got.clusters.size() == want.clusters.size());
  for (std::size_t k = 0; k < want.clusters.size(); ++k) {
    const auto& g = got.clusters[k];
    const auto& w = want.clusters[k];
    INFO("cluster " << w.name);
    CHECK(std::vector<std::uint32_t>(g.cpu_ids.begin(), g.cpu_ids.end()) ==
          std::vector<std::uint32_t>(w.cpu_ids.begin(), w.cpu_ids.end()));
    CHECK(std::vector<std::string_view>(g.cpu_nodes.begin(), g.cpu_nodes.end()) ==
          std::vector<std::string_view>(w.cpu_nodes.begin(), w.cpu_nodes.end()));
    CHECK(g.compatible == w.compatible);
    CHECK(g.dynamic_power_coefficient == w.dynamic_power_coefficient);
    CHECK(g.capacity_dmips_mhz == w.capacity_dmips_mhz);
    CHECK(g.cpu_capacity == w.cpu_capacity);
    CHECK(g.opp_table == w.opp_table);
    CHECK(std::vector<power::opp>(g.opps.begin(), g.opps.end()) == std::vector<power::opp>(w.opps.begin(), w.opps.end()));
    CHECK(std::vector<kilohertz>(g.turbo_frequencies.begin(), g.turbo_frequencies.end()) ==
          std::vector<kilohertz>(w.turbo_frequencies.begin(), w.turbo_frequencies.end()));
    CHECK(g.opp_shared == w.opp_shared);
  }
  REQUIRE(got.devices.size() == want.devices.size());
  for (std::size_t k = 0; k < want.devices.size(); ++k) {
    CHECK(got.devices[k].node == want.devices[k].node);
    CHECK(got.devices[k].name == want.devices[k].name);
    CHECK(got.devices[k].dynamic_power_coefficient == want.devices[k].dynamic_power_coefficient);
    CHECK(std::vector<power::opp>(got.devices[k].opps.begin(), got.devices[k].opps.end()) ==
          std::vector<power::opp>(want.devices[k].opps.begin(), want.devices[k].opps.end()));
  }
  REQUIRE(got.cooling_devices.size() == want.cooling_devices.size());
  for (const auto& w : want.cooling_devices) {
    INFO("cooling device " << w.name);
    const auto* g = cdev_by_name(got, w.name);
    REQUIRE(g != nullptr);
    CHECK(g->node == w.node);
    CHECK(g->type == w.type);
    CHECK(g->max_state == w.max_state);
    CHECK(g->domain == w.domain);
    CHECK(std::vector<std::uint32_t>(g->cooling_levels.begin(), g->cooling_levels.end()) ==
          std::vector<std::uint32_t>(w.cooling_levels.begin(), w.cooling_levels.end()));
    CHECK(std::vector<std::uint32_t>(g->fan_speeds.begin(), g->fan_speeds.end()) ==
          std::vector<std::uint32_t>(w.fan_speeds.begin(), w.fan_speeds.end()));
  }
  REQUIRE(got.thermal_zones.size() == want.thermal_zones.size());
  for (std::size_t z = 0; z < want.thermal_zones.size(); ++z) {
    const auto& g = got.thermal_zones[z];
    const auto& w = want.thermal_zones[z];
    INFO("zone " << w.name);
    CHECK(g.name == w.name);
    CHECK(g.polling_delay == w.polling_delay);
    CHECK(g.polling_delay_passive == w.polling_delay_passive);
    CHECK(g.sustainable_power == w.sustainable_power);
    CHECK(g.sensor == w.sensor);
    CHECK(g.sensor_id == w.sensor_id);
    REQUIRE(g.trips.size() == w.trips.size());
    for (std::size_t t = 0; t < w.trips.size(); ++t) {
      CHECK(g.trips[t].name == w.trips[t].name);
      CHECK(g.trips[t].temperature == w.trips[t].temperature);
      CHECK(g.trips[t].hysteresis == w.trips[t].hysteresis);
      CHECK(g.trips[t].type == w.trips[t].type);
    }
    REQUIRE(g.cooling_maps.size() == w.cooling_maps.size());
    for (std::size_t m = 0; m < w.cooling_maps.size(); ++m) {
      const auto& gm = g.cooling_maps[m];
      const auto& wm = w.cooling_maps[m];
      CHECK(gm.name == wm.name);
      CHECK(gm.trip == wm.trip);
      CHECK(gm.contribution == wm.contribution);
      REQUIRE(gm.devices.size() == wm.devices.size());
      for (std::size_t e = 0; e < wm.devices.size(); ++e) {
        CHECK(gm.devices[e].device == wm.devices[e].device);
        CHECK(gm.devices[e].lower == wm.devices[e].lower);
        CHECK(gm.devices[e].upper == wm.devices[e].upper);
        REQUIRE((gm.devices[e].cooling_device < 0) == (wm.devices[e].cooling_device < 0));
        if (wm.devices[e].cooling_device >= 0) {
          CHECK(got.cooling_devices[static_cast<std::size_t>(gm.devices[e].cooling_device)].name ==
                want.cooling_devices[static_cast<std::size_t>(wm.devices[e].cooling_device)].name);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("Each real-SoC device tree imports to exactly its built-in preset", "[dt_import]") {
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"rk3399-rock960", "rk3399"}, {"hi3660-hikey960", "hi3660"},           {"mt8183-evb", "mt8183"},
      {"mt8173-evb", "mt8173"},     {"exynos5422-odroidxu4", "exynos5422"}, {"rk3588-rock5b", "rk3588"}};
  for (const auto& [dtb, id] : pairs) {
    INFO(dtb);
    const imported im = import_dtb(dtb);
    const schema::soc_description* preset = presets::find_soc(id);
    REQUIRE(preset != nullptr);
    check_same_as_preset(im.soc.description(), *preset);
    CHECK(im.soc.problems().empty());
  }
}

TEST_CASE("Imported Energy Models, capacities and cooling states equal soc-data.json", "[dt_import]") {
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"rk3399-rock960", "rk3399"},           {"hi3660-hikey960", "hi3660"}, {"mt8183-evb", "mt8183"}, {"mt8173-evb", "mt8173"},
      {"exynos5422-odroidxu4", "exynos5422"}, {"rk3588-rock5b", "rk3588"},   {"g12b-odroid-n2", "g12b"}};
  std::size_t rows = 0;
  for (const auto& [dtb, id] : pairs) {
    INFO(dtb);
    const imported im = import_dtb(dtb);
    const auto& d = im.soc.description();
    const auto& pds = soc_json(id).at("perf_domains").as_array();
    REQUIRE(pds.size() == d.clusters.size());
    for (std::size_t k = 0; k < pds.size(); ++k) {
      const auto& pd = pds[k];
      const auto& cl = d.clusters[k];
      CHECK(cl.cpu_capacity == static_cast<std::uint32_t>(pd.at("cpu_capacity").as_int64()));
      CHECK(cl.cpu_nodes.front() == pd.at("cpus").as_array().front().as_string());
      auto em = schema::make_cluster_em(cl);
      const io::json_value* table = pd.find("energy_model");
      if (table == nullptr || !table->is_object() || table->as_object().empty()) {
        CHECK_FALSE(em.has_value());
        CHECK_FALSE(schema::has_energy_model(cl));
        CHECK_FALSE(im.soc.has_energy_model(k));
        continue;
      }
      REQUIRE(em.has_value());
      CHECK(schema::has_energy_model(cl));
      CHECK(im.soc.has_energy_model(k));
      const auto& rows_json = table->as_object().front().second.as_array();
      REQUIRE(rows_json.size() == em->states().size());
      for (std::size_t s = 0; s < rows_json.size(); ++s) {
        const auto& r = rows_json[s];
        CHECK(em->states()[s].frequency.count() == static_cast<std::uint32_t>(r.at("frequency_khz").as_int64()));
        CHECK(em->states()[s].power.count() == r.at("power_uw").as_int64());
        CHECK(em->states()[s].performance == static_cast<std::uint64_t>(r.at("performance").as_int64()));
        CHECK(em->states()[s].inefficient() == r.at("inefficient").as_bool());
        ++rows;
      }
    }
  }
  CHECK(rows > 100);
}

TEST_CASE("A board without a preset (G12B) imports a gpio-fan and clusters without an Energy Model", "[dt_import]") {
  const imported im = import_dtb("g12b-odroid-n2");
  const auto& d = im.soc.description();
  REQUIRE(d.clusters.size() == 2);
  CHECK(d.clusters[0].dynamic_power_coefficient == 0);
  CHECK_FALSE(im.soc.has_energy_model(0));
  const auto* fan = cdev_by_name(d, "gpio-fan");
  REQUIRE(fan != nullptr);
  CHECK(fan->type == schema::cooling_device_type::gpio_fan);
  CHECK(fan->max_state == 1);
  CHECK(fan->cooling_levels.empty());
  CHECK(std::vector<std::uint32_t>(fan->fan_speeds.begin(), fan->fan_speeds.end()) == std::vector<std::uint32_t>{0, 1});
  CHECK(fan->node_name() == "gpio-fan");
  CHECK_FALSE(schema::has_power_model(d, *fan));
  CHECK_FALSE(im.soc.has_power_model(static_cast<std::size_t>(fan - d.cooling_devices.data())));
  // cpu-thermal: passive, hot, critical, active in table order (not sorted)
  const auto* z = d.find_zone("cpu-thermal");
  REQUIRE(z != nullptr);
  REQUIRE(z->trips.size() == 4);
  CHECK(z->trips[1].type == schema::trip_type::hot);
  CHECK(z->trips[3].type == schema::trip_type::active);
  CHECK(z->trips[3].temperature == millicelsius(60000));
  CHECK(z->sensor_id == -1);
  CHECK(cdev_by_name(d, "cpufreq-cpu2") != nullptr);  // the A73 cluster starts at logical CPU 2
}

TEST_CASE("Exynos5422: A7 CPUs first in tree order make cpufreq-cpu0 the A7 policy", "[dt_import]") {
  const imported im = import_dtb("exynos5422-odroidxu4");
  const auto* c0 = cdev_by_name(im.soc.description(), "cpufreq-cpu0");
  REQUIRE(c0 != nullptr);
  CHECK(c0->node == "/cpus/cpu@100");
  CHECK(c0->node_name() == "cpu@100");
  CHECK(im.soc.cpus()[0].node == "/cpus/cpu@100");
  CHECK(im.soc.cpus()[4].node == "/cpus/cpu@0");
  CHECK(im.soc.cpus()[4].logical_id == 4);
  CHECK(im.soc.description().thermal_zones[0].on_critical == schema::critical_action::shutdown);
  CHECK(im.soc.description().thermal_zones[0].slope == 1);  // no coefficients: the kernel's 1, 0
  CHECK(im.soc.description().thermal_zones[0].offset == 0);
}

TEST_CASE("Edge cases: policies, first CPU without cooling cells, turbo, microwatts, capacity fallback", "[dt_import]") {
  const imported im = import_dtb("import-edge-cases");
  const auto& d = im.soc.description();
  CHECK(d.model == "thermo import edge cases");
  CHECK(d.id == "edge");
  // the disabled CPU is not a CPU; the others keep tree order
  REQUIRE(im.soc.cpus().size() == 4);
  // cpu@0+cpu@1 share an opp-shared table; cpu@2 and cpu@3 do not share theirs
  REQUIRE(d.clusters.size() == 3);
  CHECK(d.clusters[0].cpu_ids.size() == 2);
  CHECK(d.clusters[1].cpu_ids.size() == 1);
  CHECK(d.clusters[2].cpu_ids[0] == 3);
  CHECK(d.clusters[0].name == "policy0");
  // the first CPU of policy0 has no #cooling-cells: no cooling device for it
  CHECK(cdev_by_name(d, "cpufreq-cpu0") == nullptr);
  CHECK(cdev_by_name(d, "cpufreq-cpu2") != nullptr);
  CHECK(cdev_by_name(d, "cpufreq-cpu3") != nullptr);
  // table-a: sorted, the disabled OPP dropped, the turbo OPP kept but not f_ref
  const auto& opps = d.clusters[0].opps;
  REQUIRE(opps.size() == 3);
  CHECK(opps[0].frequency == kilohertz(600'000));
  CHECK(opps[1].frequency == kilohertz(1'200'000));
  CHECK(opps[2].frequency == kilohertz(1'500'000));
  CHECK(opps[2].power == microwatts(500'000));
  CHECK(std::vector<kilohertz>(d.clusters[0].turbo_frequencies.begin(), d.clusters[0].turbo_frequencies.end()) ==
        std::vector<kilohertz>{kilohertz(1'500'000)});
  CHECK(d.clusters[0].is_turbo(opps[2].frequency));
  CHECK_FALSE(d.clusters[0].is_turbo(opps[1].frequency));
  CHECK(d.clusters[0].max_nonturbo_frequency() == kilohertz(1'200'000));
  CHECK(d.clusters[1].max_nonturbo_frequency() == kilohertz(2'000'000));  // no turbo OPP
  CHECK(d.clusters[0].opp_shared);
  CHECK_FALSE(d.clusters[1].opp_shared);  // cpu@2 and cpu@3 share table-b, which is not opp-shared
  // opp-microwatt gives an Energy Model without a coefficient
  auto em = schema::make_cluster_em(d.clusters[0]);
  REQUIRE(em.has_value());
  CHECK(em->states()[0].power == microwatts(100'000));
  CHECK(im.soc.has_energy_model(0));
  // cpu@3 lacks capacity-dmips-mhz: every CPU gets 1024
  for (const io::dt_cpu& c : im.soc.cpus()) {
    CHECK(c.capacity == 1024U);
  }
  // devfreq device and fan
  const auto* gpu = cdev_by_name(d, "devfreq-1000.gpu");
  REQUIRE(gpu != nullptr);
  CHECK(gpu->max_state == 1);
  CHECK(gpu->node_name() == "gpu@1000");
  CHECK(schema::has_power_model(d, *gpu));
  CHECK(im.soc.has_power_model(static_cast<std::size_t>(gpu - d.cooling_devices.data())));
  const auto* fan = cdev_by_name(d, "pwm-fan");
  REQUIRE(fan != nullptr);
  CHECK(std::vector<std::uint32_t>(fan->cooling_levels.begin(), fan->cooling_levels.end()) ==
        std::vector<std::uint32_t>{0, 100, 255});
  CHECK(fan->fan_speeds.empty());
  CHECK(fan->node_name() == "pwm-fan");
  CHECK_FALSE(schema::has_power_model(d, *fan));
}

TEST_CASE("A policy whose CPUs differ in capacity registers no Energy Model", "[dt_import]") {
  // em_dev_register_perf_domain refuses it; the cluster's description (one capacity) cannot
  // say so, the CPUs can.
  const imported im = import_dtb("rk3399-rock960");
  const auto& clusters = im.soc.description().clusters;
  std::vector<io::dt_cpu> cpus(im.soc.cpus().begin(), im.soc.cpus().end());
  REQUIRE(io::dt::has_energy_model(cpus, clusters, 0));
  REQUIRE(cpus[1].cluster == 0);
  cpus[1].capacity = cpus[0].capacity + 1;
  CHECK_FALSE(io::dt::has_energy_model(cpus, clusters, 0));
  CHECK(io::dt::has_energy_model(cpus, clusters, 1));
  CHECK(schema::has_energy_model(clusters[0]));
}

TEST_CASE("Edge cases: the good zone keeps coefficients, reboot, limits and contributions", "[dt_import]") {
  const imported im = import_dtb("import-edge-cases");
  const auto& d = im.soc.description();
  const auto* z = d.find_zone("ok-thermal");
  REQUIRE(z != nullptr);
  CHECK(z->slope == 2);
  CHECK(z->offset == -500);
  CHECK(z->on_critical == schema::critical_action::reboot);
  CHECK(z->polling_delay.count() == 0);
  CHECK(z->sustainable_power == milliwatts(2000));
  CHECK(z->sensor == "/sensor@2000");
  CHECK(z->sensor_id == 3);
  REQUIRE(z->cooling_maps.size() == 2);
  const auto& m0 = z->cooling_maps[0];
  CHECK(m0.contribution == 512);
  REQUIRE(m0.devices.size() == 3);
  CHECK(m0.devices[0].cooling_device == -1);  // cpu@1: not the first CPU of its policy
  CHECK(m0.devices[1].lower == 0);
  CHECK(m0.devices[1].upper == schema::thermal_no_limit);
  CHECK(d.cooling_devices[static_cast<std::size_t>(m0.devices[1].cooling_device)].name == "devfreq-1000.gpu");
  CHECK(m0.devices[2].cooling_device == -1);  // thermal-idle: not imported
  // a disabled zone is not there, and is no problem either
  CHECK(d.find_zone("off-thermal") == nullptr);
  // the map of othertrip-thermal that names another zone's trip is dropped
  const auto* other = d.find_zone("othertrip-thermal");
  REQUIRE(other != nullptr);
  REQUIRE(other->cooling_maps.size() == 1);
  CHECK(other->cooling_maps[0].name == "map1");
  const auto& w = im.soc.warnings();
  CHECK(std::any_of(w.begin(), w.end(), [](const std::string& s) { return s.find("is not a trip of this zone") != std::string::npos; }));
  CHECK(std::any_of(w.begin(), w.end(), [](const std::string& s) { return s.find("thermal-idle registers no cooling device") != std::string::npos; }));
  CHECK(std::any_of(w.begin(), w.end(), [](const std::string& s) { return s.find("capacity 1024") != std::string::npos; }));
}

TEST_CASE("Edge cases: zones the kernel refuses are skipped with a reason naming node and property", "[dt_import]") {
  const imported im = import_dtb("import-edge-cases");
  const auto problems = im.soc.problems();
  const auto reason = [&](std::string_view zone) -> std::string {
    for (const io::dt_problem& p : problems) {
      if (p.node.find(zone) != std::string::npos) {
        return p.message;
      }
    }
    return "(none)";
  };
  CHECK(problems.size() == 5);
  CHECK(reason("badtype-thermal") ==
        "/thermal-zones/badtype-thermal/trips/warm: property 'type': unknown trip type (active, passive, hot or critical)");
  CHECK(reason("badpoll-thermal") ==
        "/thermal-zones/badpoll-thermal: property 'polling-delay-passive': polling-delay-passive longer than polling-delay");
  CHECK(reason("nohyst-thermal") == "/thermal-zones/nohyst-thermal/trips/t0: property 'hysteresis': trip without hysteresis");
  CHECK(reason("a-zone-name-too-long-thermal") ==
        "/thermal-zones/a-zone-name-too-long-thermal: zone name longer than 19 characters (THERMAL_NAME_LENGTH)");
  CHECK(reason("twosensors-thermal") ==
        "/thermal-zones/twosensors-thermal: property 'thermal-sensors': thermal-sensors must name exactly one sensor");
  for (const io::dt_problem& p : problems) {
    CHECK(p.err.code != errc::ok);
    CHECK(im.tree.valid(p.err.index));
  }
  CHECK(im.soc.description().find_zone("badtype-thermal") == nullptr);
}

TEST_CASE("Strict import turns the first refused zone into an error", "[dt_import]") {
  auto t = test::parse_blob(test::read_dtb("import-edge-cases"));
  REQUIRE(t.has_value());
  io::dt_import_options opt;
  opt.strict = true;
  std::string msg;
  auto s = io::import_device_tree(*t, opt, &msg);
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == errc::invalid_argument);
  CHECK(msg == "/thermal-zones/badtype-thermal/trips/warm: property 'type': unknown trip type (active, passive, hot or critical)");
  CHECK(t->path(s.error().index) == "/thermal-zones/badtype-thermal/trips/warm");
}

TEST_CASE("A named voltage variant changes the Energy Model", "[dt_import]") {
  io::dt_import_options opt;
  opt.voltage_property = "opp-microvolt-speed1";
  const imported speed1 = import_dtb("import-edge-cases", opt);
  const imported plain = import_dtb("import-edge-cases");
  CHECK(speed1.soc.description().clusters[1].opps[0].voltage == microvolts(850'000));
  CHECK(plain.soc.description().clusters[1].opps[0].voltage == microvolts(900'000));
  // table-a has no variant: it falls back to opp-microvolt
  CHECK(speed1.soc.description().clusters[0].opps[0].voltage == microvolts(800'000));
  auto a = schema::make_cluster_em(speed1.soc.description().clusters[1]);
  auto b = schema::make_cluster_em(plain.soc.description().clusters[1]);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  // 400 * 850^2 * 1000 / 1e6 vs 400 * 900^2 * 1000 / 1e6
  CHECK(a->states()[0].power == microwatts(289'000));
  CHECK(b->states()[0].power == microwatts(324'000));
}

TEST_CASE("The description stays valid after the import result is moved", "[dt_import]") {
  imported im = import_dtb("rk3399-rock960");
  io::dt_soc moved = std::move(im.soc);
  const auto& d = moved.description();
  CHECK(d.thermal_zones[0].name == "cpu-thermal");
  CHECK(d.thermal_zones[0].trips[2].name == "cpu_crit");
  CHECK(d.clusters[1].cpu_nodes[0] == "/cpus/cpu@100");
  CHECK(d.cooling_devices[2].name == "devfreq-ff9a0000.gpu");
}

namespace {

/// `prefix` and the decimal `k` ("t12"), appended (gcc 12 -O3 flags `"t" + std::string&&` with a
/// -Wrestrict false positive).
template <class Int>
std::string numbered(std::string_view prefix, Int k) {
  std::string s(prefix);
  s += std::to_string(k);
  return s;
}

/// One CPU with `coefficient` (none when 0) and a table of OPPs (Hz, µV, µW; 0 = property
/// absent), listed in the order given.
struct opp_in {
  std::uint64_t hz;
  std::uint32_t microvolt;
  std::uint32_t microwatt;
};
std::vector<std::uint8_t> one_cpu_blob(std::uint32_t coefficient, const std::vector<opp_in>& opps) {
  test::fdt_builder b;
  b.begin("").begin("cpus").begin("cpu@0").prop_str("device_type", "cpu").prop_u32("operating-points-v2", {1});
  if (coefficient != 0) {
    b.prop_u32("dynamic-power-coefficient", {coefficient});
  }
  b.prop_u32("#cooling-cells", {2}).end().end();
  b.begin("opp-table").prop_str("compatible", "operating-points-v2").prop_empty("opp-shared").prop_u32("phandle", {1});
  for (const opp_in& o : opps) {
    b.begin(numbered("opp-", o.hz))
        .prop_u32("opp-hz", {static_cast<std::uint32_t>(o.hz >> 32U), static_cast<std::uint32_t>(o.hz)});
    if (o.microvolt != 0 || o.microwatt == 1) {  // microwatt 1: an explicit zero voltage
      b.prop_u32("opp-microvolt", {o.microwatt == 1 ? 0 : o.microvolt});
    }
    if (o.microwatt > 1) {
      b.prop_u32("opp-microwatt", {o.microwatt});
    }
    b.end();
  }
  b.end().end();
  return b.finish();
}

/// The import's error message for `blob` (the import must fail).
std::string import_error(const std::vector<std::uint8_t>& blob) {
  auto t = test::parse_blob(blob);
  REQUIRE(t.has_value());
  std::string msg;
  auto s = io::import_device_tree(*t, {}, &msg);
  REQUIRE_FALSE(s.has_value());
  return msg;
}

}  // namespace

TEST_CASE("Device-tree numbers outside their physical ranges are refused, naming node and property", "[dt_import][limits]") {
  const std::vector<opp_in> good{{1'000'000'000, 900'000, 0}, {2'000'000'000, 1'100'000, 0}};
  {
    auto t = test::parse_blob(one_cpu_blob(500, good));
    REQUIRE(t.has_value());
    std::string msg;
    auto s = io::import_device_tree(*t, {}, &msg);
    INFO(msg);
    REQUIRE(s.has_value());
    CHECK(s->description().clusters.front().dynamic_power_coefficient == 500U);
  }
  SECTION("a dynamic-power-coefficient of 0xFFFFFFFF (the 17 kW cluster)") {
    CHECK(import_error(one_cpu_blob(0xFFFF'FFFFU, good)) ==
          "/cpus/cpu@0: property 'dynamic-power-coefficient': dynamic-power-coefficient above 100000 uW/MHz/V^2");
    CHECK_NOTHROW(import_error(one_cpu_blob(io::dt::dt_ranges::max_dynamic_power_coefficient + 1, good)));
  }
  SECTION("an opp-microwatt of 0xFFFFFFFF, and one just above EM_MAX_POWER") {
    CHECK(import_error(one_cpu_blob(0, {{1'000'000'000, 900'000, 0xFFFF'FFFFU}})) ==
          "/opp-table/opp-1000000000: property 'opp-microwatt': opp-microwatt above 64 W (EM_MAX_POWER)");
    CHECK_NOTHROW(import_error(one_cpu_blob(0, {{1'000'000'000, 900'000, 64'000'001}})));
  }
  SECTION("a zero voltage, and one above 5 V") {
    CHECK(import_error(one_cpu_blob(500, {{1'000'000'000, 0, 1}})) ==
          "/opp-table/opp-1000000000: property 'opp-microvolt': opp-microvolt is 0");
    CHECK(import_error(one_cpu_blob(500, {{1'000'000'000, 5'000'001, 0}})) ==
          "/opp-table/opp-1000000000: property 'opp-microvolt': opp-microvolt above 5 V");
  }
  SECTION("a frequency above 100 GHz") {
    CHECK(import_error(one_cpu_blob(500, {{100'000'001'000, 900'000, 0}})) ==
          "/opp-table/opp-100000001000: property 'opp-hz': opp-hz above 100 GHz");
  }
  SECTION("a faster OPP measured at less power") {
    CHECK(import_error(one_cpu_blob(0, {{1'000'000'000, 900'000, 500'000}, {2'000'000'000, 1'000'000, 400'000}})) ==
          "/opp-table/opp-2000000000: property 'opp-microwatt': opp-microwatt falls as opp-hz rises");
  }
}

TEST_CASE("OPPs listed in decreasing order import sorted, and a falling voltage is accepted", "[dt_import]") {
  auto t = test::parse_blob(one_cpu_blob(
      0, {{2'000'000'000, 1'100'000, 900'000}, {1'500'000'000, 1'200'000, 600'000}, {1'000'000'000, 900'000, 300'000}}));
  REQUIRE(t.has_value());
  std::string msg;
  auto s = io::import_device_tree(*t, {}, &msg);
  INFO(msg);
  REQUIRE(s.has_value());
  const auto opps = s->description().clusters.front().opps;
  REQUIRE(opps.size() == 3);
  CHECK(opps[0].frequency == kilohertz(1'000'000));
  CHECK(opps[2].frequency == kilohertz(2'000'000));
  CHECK(opps[2].power == microwatts(900'000));
}

TEST_CASE("A zone with 15000 trips and 15000 maps and 10000 refused zones import in linear-logarithmic time",
          "[dt_import][limits]") {
  constexpr int n = 15'000;  // nodes: 2n + 3 per refused zone, within the 65536 of a tree
  constexpr int refused = 10'000;
  test::fdt_builder b;
  b.begin("").begin("sensor").prop_u32("#thermal-sensor-cells", {1}).prop_u32("phandle", {1}).end();
  b.begin("thermal-zones");
  b.begin("big-thermal").prop_u32("polling-delay-passive", {0}).prop_u32("polling-delay", {0}).prop_u32("thermal-sensors", {1, 0});
  b.begin("trips");
  for (int k = 0; k < n; ++k) {
    b.begin(numbered("t", k))
        .prop_u32("temperature", {static_cast<std::uint32_t>(50'000 + k)})
        .prop_u32("hysteresis", {0})
        .prop_str("type", "passive")
        .prop_u32("phandle", {static_cast<std::uint32_t>(100 + k)})
        .end();
  }
  b.end().begin("cooling-maps");
  for (int k = 0; k < n; ++k) {
    b.begin(numbered("map", k)).prop_u32("trip", {static_cast<std::uint32_t>(100 + n - 1 - k)}).end();  // binds nothing
  }
  b.end().end();
  for (int k = 0; k < refused; ++k) {  // each refused: an unknown trip type
    b.begin(numbered("z", k))
        .prop_u32("polling-delay-passive", {0})
        .prop_u32("polling-delay", {0})
        .prop_u32("thermal-sensors", {1, 0})
        .begin("trips")
        .begin("t")
        .prop_u32("temperature", {50'000})
        .prop_u32("hysteresis", {0})
        .prop_str("type", "lukewarm")
        .end()
        .end()
        .end();
  }
  b.end().end();
  auto t = test::parse_blob(b.finish());
  INFO((t.has_value() ? std::string() : io::fdt::describe(t.error())));
  REQUIRE(t.has_value());
  std::string msg;
  auto s = io::import_device_tree(*t, {}, &msg);
  INFO(msg);
  REQUIRE(s.has_value());
  REQUIRE(s->description().thermal_zones.size() == 1);
  CHECK(s->description().thermal_zones.front().trips.size() == static_cast<std::size_t>(n));
  CHECK(s->problems().size() == static_cast<std::size_t>(refused));
  CHECK(s->problems().back().message == "/thermal-zones/z9999/trips/t: property 'type': unknown trip type (active, passive, hot or critical)");
}
