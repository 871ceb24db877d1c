// The generated SoC presets against the reference data they were generated from: every OPP,
// every Energy Model value the kernel computes (power, performance, both costs, inefficiency,
// cooling state, cpufreq state2power), every capacity, zone, trip and cooling map. The JSON is
// read at test time, so a regenerated header or a changed library is checked against the data
// itself, not against a copy.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/io/json.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/presets/all.hpp"

using namespace thermo;
using namespace thermo::presets;
using namespace thermo::schema;
using thermo::io::json_value;

namespace {

const json_value& soc_data() {
  static const json_value data = [] {
    auto r = io::read_json_file(std::string(THERMO_SHARED_DIR) + "/data/soc-data.json");
    REQUIRE(r);
    return std::move(r).value();
  }();
  return data;
}

const json_value& json_soc(std::string_view id) {
  for (const auto& s : soc_data().at("socs").as_array()) {
    if (s.at("id").as_string() == id) {
      return s;
    }
  }
  FAIL("SoC " << id << " missing from soc-data.json");
  return soc_data();
}

std::int64_t i64(const json_value& v) {
  return v.as_int64();
}

// The EM rows of a perf domain / device EM (one voltage property in the six presets).
const json_value& em_rows(const json_value& obj) {
  const auto& em = obj.at("energy_model").as_object();
  REQUIRE(em.size() == 1U);
  return em.front().second;
}

std::vector<const json_value*> domains_with_opps(const json_value& soc) {
  std::vector<const json_value*> out;
  for (const auto& d : soc.at("perf_domains").as_array()) {
    if (!d.at("opp_table").is_null()) {
      out.push_back(&d);
    }
  }
  return out;
}

void check_opps(std::span<const power::opp> opps, const json_value& table) {
  const auto& rows = table.at("opps").as_array();
  REQUIRE(opps.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("opp " << i);
    CHECK(std::int64_t{opps[i].frequency.count()} * 1000 == i64(rows[i].at("opp_hz")));
    CHECK(opps[i].voltage.count() == i64(rows[i].at("opp_microvolt").at("opp-microvolt")[0]));
    CHECK(opps[i].power.count() == 0);
  }
}

}  // namespace

TEST_CASE("the six presets are listed and found by id", "[presets]") {
  REQUIRE(all_socs.size() == 6U);
  const char* ids[] = {"rk3399", "hi3660", "mt8183", "mt8173", "exynos5422", "rk3588"};
  for (const char* id : ids) {
    const soc_description* s = find_soc(id);
    REQUIRE(s != nullptr);
    CHECK(s->id == id);
  }
  CHECK(find_soc("juno-r0") == nullptr);
  CHECK(rk3399.find_cluster("big") == &rk3399.clusters[1]);
  CHECK(rk3399.find_cluster("mid") == nullptr);
  CHECK(rk3399.find_device("gpu") == &rk3399.devices[0]);
  CHECK(hi3660.find_device("gpu") == nullptr);
  CHECK(rk3399.find_zone("gpu-thermal") == &rk3399.thermal_zones[1]);
  CHECK(rk3399.find_zone("npu-thermal") == nullptr);
}

TEST_CASE("every preset cluster's OPPs, coefficient and capacity equal the device tree data",
          "[presets]") {
  for (const soc_description* soc : all_socs) {
    INFO(soc->id);
    const json_value& js = json_soc(soc->id);
    CHECK(soc->name == js.at("name").as_string());
    CHECK(soc->model == js.at("model").as_string());
    CHECK(soc->board_dts == js.at("board_dts").as_string());
    const auto domains = domains_with_opps(js);
    REQUIRE(soc->clusters.size() == domains.size());
    for (std::size_t c = 0; c < domains.size(); ++c) {
      const json_value& d = *domains[c];
      const cpu_cluster_desc& cl = soc->clusters[c];
      INFO("cluster " << cl.name);
      CHECK(cl.compatible == d.at("compatible")[0].as_string());
      CHECK(std::int64_t{cl.dynamic_power_coefficient} == i64(d.at("dynamic_power_coefficient")));
      CHECK(std::int64_t{cl.capacity_dmips_mhz} == i64(d.at("capacity_dmips_mhz")));
      CHECK(std::int64_t{cl.cpu_capacity} == i64(d.at("cpu_capacity")));
      CHECK(cl.opp_table == d.at("opp_table").as_string());
      CHECK(cl.opp_shared == js.at("opp_tables").at(std::string(cl.opp_table)).at("shared").as_bool());
      CHECK(cl.turbo_frequencies.empty());
      CHECK(cl.max_nonturbo_frequency() == cl.opps.back().frequency);
      REQUIRE(cl.cpu_nodes.size() == d.at("cpus").size());
      for (std::size_t i = 0; i < cl.cpu_nodes.size(); ++i) {
        CHECK(cl.cpu_nodes[i] == d.at("cpus")[i].as_string());
        // logical ids are device-tree order
        CHECK(js.at("cpus")[cl.cpu_ids[i]].at("node").as_string() == cl.cpu_nodes[i]);
      }
      check_opps(cl.opps, js.at("opp_tables").at(std::string(cl.opp_table)));
    }
  }
}

TEST_CASE("CPU capacities normalised from capacity-dmips-mhz equal the kernel's for every preset",
          "[presets]") {
  for (const soc_description* soc : all_socs) {
    INFO(soc->id);
    std::vector<power::cpu_capacity_input> in;
    std::vector<std::uint32_t> expected;
    for (const cpu_cluster_desc& cl : soc->clusters) {
      for (std::size_t i = 0; i < cl.cpu_ids.size(); ++i) {
        in.push_back({cl.capacity_dmips_mhz, cl.opps.back().frequency});
        expected.push_back(cl.cpu_capacity);
      }
    }
    std::vector<std::uint32_t> out(in.size());
    REQUIRE(power::normalize_cpu_capacity(in, out).ok());
    CHECK(out == expected);
  }
}

TEST_CASE("every preset OPP's EM power, performance, cost and inefficiency equal Linux 6.12's",
          "[presets][energy_model]") {
  std::size_t rows_checked = 0;
  for (const soc_description* soc : all_socs) {
    const json_value& js = json_soc(soc->id);
    const auto domains = domains_with_opps(js);
    for (std::size_t c = 0; c < soc->clusters.size(); ++c) {
      const cpu_cluster_desc& cl = soc->clusters[c];
      INFO(soc->id << " " << cl.name);
      const auto em = make_cluster_em(cl);
      REQUIRE(em);
      power::em_options legacy_opt;
      legacy_opt.cost_model = power::em_cost_model::legacy_v6_8;
      const auto legacy = make_cluster_em(cl, legacy_opt);
      REQUIRE(legacy);
      const auto& rows = em_rows(*domains[c]).as_array();
      REQUIRE(em->nr_perf_states() == rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("state " << i);
        const json_value& r = rows[i];
        const power::em_perf_state& s = (*em)[i];
        CHECK(std::int64_t{s.frequency.count()} == i64(r.at("frequency_khz")));
        CHECK(cl.opps[i].voltage.count() == i64(r.at("voltage_uv")));
        CHECK(s.power.count() == i64(r.at("power_uw")));
        CHECK(s.power_mw().count() == i64(r.at("power_mw")));
        CHECK(std::int64_t{s.performance} == i64(r.at("performance")));
        CHECK(static_cast<std::int64_t>(s.cost) == i64(r.at("cost")));
        CHECK(s.inefficient() == r.at("inefficient").as_bool());
        CHECK(static_cast<std::int64_t>((*legacy)[i].cost) == i64(r.at("cost_legacy")));
        CHECK(static_cast<std::int64_t>(*em->index_to_state(i)) == i64(r.at("cooling_state")));
        CHECK(s.power_mw().count() * static_cast<std::int64_t>(cl.cpu_ids.size()) ==
              i64(r.at("cpufreq_state2power_mw_all_cpus")));
        ++rows_checked;
      }
    }
  }
  CHECK(rows_checked == 6U + 8U + 5U + 5U + 16U + 16U + 8U + 8U + 13U + 19U + 5U + 7U + 7U);
}

TEST_CASE("the preset GPUs' device Energy Models equal the kernel's", "[presets][energy_model]") {
  std::size_t devices_with_em = 0;
  for (const soc_description* soc : all_socs) {
    const json_value& js = json_soc(soc->id);
    std::map<std::string, const json_value*> dem;
    for (const auto& e : js.at("device_energy_models").as_array()) {
      dem[e.at("device").as_string()] = &e;
    }
    for (const device_desc& dev : soc->devices) {
      INFO(soc->id << " " << dev.node);
      check_opps(dev.opps, js.at("opp_tables").at(std::string(dev.opp_table)));
      const auto em = make_device_em(dev);
      const auto it = dem.find(std::string(dev.node));
      if (it == dem.end()) {
        CHECK(dev.dynamic_power_coefficient == 0U);
        REQUIRE_FALSE(em);
        CHECK(em.error().code == errc::not_supported);
        continue;
      }
      ++devices_with_em;
      REQUIRE(em);
      CHECK(std::int64_t{dev.dynamic_power_coefficient} ==
            i64(it->second->at("dynamic_power_coefficient")));
      const auto& rows = em_rows(*it->second).as_array();
      REQUIRE(em->nr_perf_states() == rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("state " << i);
        CHECK(std::int64_t{(*em)[i].frequency.count()} == i64(rows[i].at("frequency_khz")));
        CHECK((*em)[i].power.count() == i64(rows[i].at("power_uw")));
        CHECK((*em)[i].power_mw().count() == i64(rows[i].at("power_mw")));
        CHECK(static_cast<std::int64_t>(*em->index_to_state(i)) ==
              i64(rows[i].at("cooling_state")));
        CHECK((*em)[i].cost == 0U);
        CHECK_FALSE((*em)[i].inefficient());
      }
    }
  }
  CHECK(devices_with_em == 2U);  // RK3399 Mali-T860, RK3588 Mali-G610
}

TEST_CASE("preset thermal zones carry the device tree's delays, trips and cooling maps",
          "[presets]") {
  for (const soc_description* soc : all_socs) {
    const json_value& js = json_soc(soc->id);
    const auto& zones = js.at("thermal_zones").as_array();
    REQUIRE(soc->thermal_zones.size() == zones.size());
    for (std::size_t z = 0; z < zones.size(); ++z) {
      const json_value& jz = zones[z];
      const thermal_zone_desc& tz = soc->thermal_zones[z];
      INFO(soc->id << " " << tz.name);
      CHECK(tz.name == jz.at("name").as_string());
      CHECK(tz.polling_delay.count() == i64(jz.at("polling_delay")));
      CHECK(tz.polling_delay_passive.count() == i64(jz.at("polling_delay_passive")));
      const json_value* sp = jz.find("sustainable_power");
      CHECK(tz.sustainable_power.count() == (sp != nullptr ? i64(*sp) : 0));
      CHECK(tz.sensor == jz.at("thermal_sensors").at("sensor").as_string());
      const auto& args = jz.at("thermal_sensors").at("args");
      CHECK(tz.sensor_id == (args.size() > 0 ? i64(args[0]) : -1));
      // None of these device trees sets `coefficients` or `critical-action`: the kernel's
      // defaults (thermal_of.c: slope 1, offset 0; the shutdown critical handler).
      CHECK(jz.find("coefficients") == nullptr);
      CHECK(jz.find("critical_action") == nullptr);
      CHECK(tz.slope == 1);
      CHECK(tz.offset == 0);
      CHECK(tz.on_critical == critical_action::shutdown);
      const auto& trips = jz.at("trips").as_array();
      REQUIRE(tz.trips.size() == trips.size());
      for (std::size_t t = 0; t < trips.size(); ++t) {
        CHECK(tz.trips[t].name == trips[t].at("name").as_string());
        CHECK(tz.trips[t].temperature.count() == i64(trips[t].at("temperature_mC")));
        CHECK(tz.trips[t].hysteresis.count() == i64(trips[t].at("hysteresis_mC")));
        const std::string& type = trips[t].at("type").as_string();
        const trip_type want = type == "active"    ? trip_type::active
                               : type == "passive" ? trip_type::passive
                               : type == "hot"     ? trip_type::hot
                                                   : trip_type::critical;
        CHECK(tz.trips[t].type == want);
      }
      const auto& maps = jz.at("cooling_maps").as_array();
      REQUIRE(tz.cooling_maps.size() == maps.size());
      for (std::size_t m = 0; m < maps.size(); ++m) {
        const json_value& jm = maps[m];
        const cooling_map_desc& cm = tz.cooling_maps[m];
        CHECK(cm.name == jm.at("name").as_string());
        REQUIRE(cm.trip < tz.trips.size());
        CHECK(tz.trips[cm.trip].name == jm.at("trip").as_string());
        const json_value* contribution = jm.find("contribution");
        CHECK(std::int64_t{cm.contribution} ==
              (contribution != nullptr && !contribution->is_null() ? i64(*contribution) : 0));
        const auto& devs = jm.at("cooling_devices").as_array();
        REQUIRE(cm.devices.size() == devs.size());
        for (std::size_t e = 0; e < devs.size(); ++e) {
          const cooling_map_entry& ce = cm.devices[e];
          CHECK(ce.device == devs[e].at("device").as_string());
          for (const auto& [value, key] :
               {std::pair{ce.lower, "min_state"}, std::pair{ce.upper, "max_state"}}) {
            const json_value& lim = devs[e].at(key);
            if (lim.is_string()) {
              CHECK(lim.as_string() == "THERMAL_NO_LIMIT");
              CHECK(value == thermal_no_limit);
            } else {
              CHECK(std::int64_t{value} == i64(lim));
            }
          }
          if (ce.cooling_device >= 0) {
            const auto& cd = soc->cooling_devices[static_cast<std::size_t>(ce.cooling_device)];
            CHECK(cd.node == ce.device);
            if (ce.upper != thermal_no_limit) {
              CHECK(ce.upper <= cd.max_state);
            }
          } else {
            // binds nothing: a CPU that is not the first CPU of its policy
            bool is_cpu = false;
            for (const auto& cl : soc->clusters) {
              for (std::size_t i = 1; i < cl.cpu_nodes.size(); ++i) {
                is_cpu = is_cpu || cl.cpu_nodes[i] == ce.device;
              }
            }
            CHECK(is_cpu);
          }
        }
      }
    }
  }
}

TEST_CASE("preset cooling devices match their domains and fans", "[presets]") {
  for (const soc_description* soc : all_socs) {
    const json_value& js = json_soc(soc->id);
    INFO(soc->id);
    std::size_t cpufreq = 0;
    for (const cooling_device_desc& cd : soc->cooling_devices) {
      INFO(cd.name);
      switch (cd.type) {
        case cooling_device_type::cpufreq: {
          const auto& cl = soc->clusters[static_cast<std::size_t>(cd.domain)];
          CHECK(cd.node == cl.cpu_nodes[0]);
          CHECK(cd.max_state == cl.opps.size() - 1);
          CHECK(cd.name == "cpufreq-cpu" + std::to_string(cl.cpu_ids[0]));
          ++cpufreq;
          break;
        }
        case cooling_device_type::devfreq: {
          const auto& dev = soc->devices[static_cast<std::size_t>(cd.domain)];
          CHECK(cd.node == dev.node);
          CHECK(cd.max_state == dev.opps.size() - 1);
          break;
        }
        case cooling_device_type::pwm_fan:
        case cooling_device_type::gpio_fan: {
          CHECK(cd.domain == -1);
          for (const auto& dev : js.at("other_devices").as_array()) {
            if (dev.at("node").as_string() == cd.node) {
              const auto& levels = dev.at("cooling_levels");
              REQUIRE(cd.cooling_levels.size() == levels.size());
              CHECK(cd.max_state == levels.size() - 1);
              for (std::size_t i = 0; i < levels.size(); ++i) {
                CHECK(std::int64_t{cd.cooling_levels[i]} == i64(levels[i]));
              }
            }
          }
          break;
        }
      }
    }
    CHECK(cpufreq == soc->clusters.size());
  }
}

TEST_CASE("preset Energy Models build at compile time and without the heap", "[presets]") {
  constexpr auto big = make_cluster_em(rk3399.clusters[1]);
  STATIC_REQUIRE(big.has_value());
  STATIC_REQUIRE((*big)[7].power.count() == 1'130'112);
  constexpr auto gpu = make_device_em(rk3588.devices[0]);
  STATIC_REQUIRE(gpu.has_value());
  THERMO_REQUIRE_NO_HEAP({
    for (const soc_description* soc : all_socs) {
      for (const auto& cl : soc->clusters) {
        CHECK(make_cluster_em(cl).has_value());
      }
    }
  });
}
