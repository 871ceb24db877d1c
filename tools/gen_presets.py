#!/usr/bin/env python3
"""Generate thermo's SoC preset headers (include/thermo/presets/<soc>.hpp and all.hpp) from
soc-data.json (real Linux 6.12 device-tree data, see ../shared/spec/kernel-reference.md part C).

Usage:
  tools/gen_presets.py [--data PATH] [--output-dir DIR] [--compare-with DIR]

With --compare-with, the freshly generated files are compared with the ones in DIR (the
committed headers) and the script exits 1 naming every stale or missing file. That is what the
CTest staleness check runs. Python 3 standard library only; output is deterministic.
"""

import argparse
import hashlib
import json
import os
import sys

SOCS = ["rk3399", "hi3660", "mt8183", "mt8173", "exynos5422", "rk3588"]
NO_LIMIT = "THERMAL_NO_LIMIT"
TRIP_TYPES = {"active", "passive", "hot", "critical"}


class DataError(Exception):
    pass


def cxx_string(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def num(n):
    """C++ integer with digit separators: 1416000 -> 1'416'000."""
    return "{:,}".format(n).replace(",", "'")


def ident(s):
    return "".join(c if c.isalnum() else "_" for c in s)


def first_microvolt(opp, prop):
    cells = opp.get("opp_microvolt", {}).get(prop)
    if not cells:
        raise DataError("OPP %s has no %s" % (opp.get("name"), prop))
    return cells[0]


def opp_rows(table, prop):
    rows = []
    for o in table["opps"]:
        if o.get("opp_supported_hw") is not None or o.get("turbo_mode"):
            raise DataError("%s: OPP %s is filtered/turbo; not supported by the generator"
                            % (table["node"], o["name"]))
        hz = o["opp_hz"]
        if hz % 1000:
            raise DataError("%s: %d Hz is not a whole kHz" % (table["node"], hz))
        uw = o.get("opp_microwatt", 0) or 0
        rows.append((hz // 1000, first_microvolt(o, prop), uw))
    return rows


def em_rows(obj):
    ems = obj.get("energy_model") or {}
    if not ems:
        return None, None
    if len(ems) != 1:
        raise DataError("several voltage properties for one EM: %s" % sorted(ems))
    prop = next(iter(ems))
    return prop, ems[prop]


def check_opps_match_em(rows, em, what):
    got = [(r[0], r[1]) for r in rows]
    want = [(r["frequency_khz"], r["voltage_uv"]) for r in em]
    if got != want:
        raise DataError("%s: OPP table and EM rows differ" % what)


def unit_name(node):
    """Linux platform device name of a DT node: "/gpu@ff9a0000" -> "ff9a0000.gpu"."""
    base = node.rsplit("/", 1)[-1]
    if "@" in base:
        name, addr = base.split("@", 1)
        return "%s.%s" % (addr, name)
    return base


def cluster_names(domains):
    caps = [d["cpu_capacity"] for d in domains]
    if len(domains) == 1:
        return ["cpu"]
    top, bottom = max(caps), min(caps)
    names = []
    n_top = caps.count(top)
    k_top = 0
    for c in caps:
        if c == top:
            names.append("big" if n_top == 1 else "big%d" % k_top)
            k_top += 1
        elif c == bottom:
            names.append("little")
        else:
            names.append("mid")
    if len(set(names)) != len(names):
        raise DataError("cannot name clusters uniquely: %s" % names)
    return names


def is_gpu(dev):
    base = dev["node"].rsplit("/", 1)[-1]
    return base.startswith("gpu@") or any("mali" in c for c in dev.get("compatible", []))


def limit_expr(v):
    if v == NO_LIMIT:
        return "schema::thermal_no_limit"
    if not isinstance(v, int) or v < 0:
        raise DataError("bad cooling limit %r" % (v,))
    return "%dU" % v


class SocGen:
    def __init__(self, soc):
        self.soc = soc
        self.id = soc["id"]
        self.lines = []

    def emit(self, s=""):
        self.lines.append(s)

    def build(self):
        soc = self.soc
        cpu_index = {c["node"]: i for i, c in enumerate(soc["cpus"])}
        domains = [d for d in soc["perf_domains"] if d.get("opp_table")]
        names = cluster_names(domains)

        # ---- clusters
        clusters = []
        for name, d in zip(names, domains):
            prop, em = em_rows(d)
            rows = opp_rows(soc["opp_tables"][d["opp_table"]], prop or "opp-microvolt")
            if em is not None:
                check_opps_match_em(rows, em, "%s %s" % (self.id, name))
            ids = [cpu_index[n] for n in d["cpus"]]
            shared = bool(soc["opp_tables"][d["opp_table"]].get("shared"))
            clusters.append(dict(name=name, d=d, rows=rows, ids=ids, shared=shared))

        # ---- devices (GPUs)
        dev_em = {e["device"]: e for e in soc.get("device_energy_models", [])}
        devices = []
        for dev in soc.get("other_devices", []):
            if not is_gpu(dev) or dev.get("status", "okay") not in ("okay", "ok"):
                continue
            table = dev["operating_points_v2"][0]
            e = dev_em.get(dev["node"])
            prop, em = em_rows(e) if e else (None, None)
            rows = opp_rows(soc["opp_tables"][table], prop or "opp-microvolt")
            if em is not None:
                check_opps_match_em(rows, em, "%s gpu" % self.id)
            coeff = dev.get("dynamic_power_coefficient") or 0
            if e and e["dynamic_power_coefficient"] != coeff:
                raise DataError("%s: GPU coefficient mismatch" % self.id)
            devices.append(dict(name="gpu" if not devices else "gpu%d" % len(devices), dev=dev,
                                table=table, rows=rows, coeff=coeff))

        # ---- cooling devices
        cdevs = []
        node_to_cdev = {}
        first_cpus = set()
        for i, c in enumerate(clusters):
            first = min(c["ids"])
            node = soc["cpus"][first]["node"]
            first_cpus.add(node)
            node_to_cdev[node] = len(cdevs)
            cdevs.append(dict(name="cpufreq-cpu%d" % first, node=node, type="cpufreq", domain=i,
                              max_state=len(c["rows"]) - 1, levels=[], speeds=[]))
        for i, g in enumerate(devices):
            if not g["dev"].get("cooling_cells"):
                continue
            node_to_cdev[g["dev"]["node"]] = len(cdevs)
            cdevs.append(dict(name="devfreq-" + unit_name(g["dev"]["node"]), node=g["dev"]["node"],
                              type="devfreq", domain=i, max_state=len(g["rows"]) - 1, levels=[],
                              speeds=[]))
        for dev in soc.get("other_devices", []):
            compat = dev.get("compatible", [])
            if "pwm-fan" in compat:
                levels = dev["cooling_levels"]
                node_to_cdev[dev["node"]] = len(cdevs)
                cdevs.append(dict(name="pwm-fan", node=dev["node"], type="pwm_fan", domain=-1,
                                  max_state=len(levels) - 1, levels=levels, speeds=[]))
            elif "gpio-fan" in compat:
                # gpio-fan,speed-map: (rpm, gpio value) pairs, one per state; the RPM is kept
                speeds = [pair[0] for pair in dev["gpio_fan_speed_map"]]
                node_to_cdev[dev["node"]] = len(cdevs)
                cdevs.append(dict(name="gpio-fan", node=dev["node"], type="gpio_fan", domain=-1,
                                  max_state=len(speeds) - 1, levels=[], speeds=speeds))

        def resolve(node):
            if node in node_to_cdev:
                return node_to_cdev[node]
            if node in cpu_index:
                return -1  # a CPU that is not its policy's first: binds nothing
            raise DataError("%s: cooling map names unknown device %s" % (self.id, node))

        # ---- zones
        zones = []
        for z in soc["thermal_zones"]:
            trips = z["trips"]
            trip_names = [t["name"] for t in trips]
            if len(set(trip_names)) != len(trip_names):
                raise DataError("%s/%s: duplicate trip names" % (self.id, z["name"]))
            for t in trips:
                if t["type"] not in TRIP_TYPES:
                    raise DataError("bad trip type %s" % t["type"])
            maps = []
            for m in z["cooling_maps"]:
                entries = [(c["device"], limit_expr(c["min_state"]), limit_expr(c["max_state"]),
                            resolve(c["device"])) for c in m["cooling_devices"]]
                maps.append(dict(name=m["name"], trip=trip_names.index(m["trip"]),
                                 contribution=m.get("contribution") or 0, entries=entries))
            sensor = z["thermal_sensors"]
            # `coefficients` and `critical-action` as thermal_of.c reads them: the first two
            # coefficients (slope 1, offset 0 when absent or shorter), and reboot only for
            # "reboot" (any case), else the default shutdown. soc-data.json's boards set neither.
            coefficients = z.get("coefficients") or []
            slope, offset = (coefficients[0], coefficients[1]) if len(coefficients) >= 2 else (1, 0)
            action = "reboot" if str(z.get("critical_action", "")).lower() == "reboot" else "shutdown"
            zones.append(dict(z=z, maps=maps, sensor=sensor["sensor"],
                              sensor_id=sensor["args"][0] if sensor["args"] else -1,
                              slope=slope, offset=offset, action=action))

        self.write(clusters, devices, cdevs, zones)

    def write(self, clusters, devices, cdevs, zones):
        soc, sid = self.soc, self.id
        e = self.emit
        e("namespace thermo::presets {")
        e("namespace detail::%s {" % sid)
        e()
        for c in clusters:
            n = ident(c["name"])
            e("inline constexpr std::array<power::opp, %d> %s_opps{{" % (len(c["rows"]), n))
            for khz, uv, uw in c["rows"]:
                e("    {kilohertz(%s), microvolts(%s), microwatts(%s)}," % (num(khz), num(uv), num(uw)))
            e("}};")
            e("inline constexpr std::array<std::string_view, %d> %s_cpu_nodes{{%s}};"
              % (len(c["d"]["cpus"]), n, ", ".join(cxx_string(x) for x in c["d"]["cpus"])))
            e("inline constexpr std::array<std::uint32_t, %d> %s_cpu_ids{{%s}};"
              % (len(c["ids"]), n, ", ".join("%dU" % i for i in c["ids"])))
            e()
        for g in devices:
            n = ident(g["name"])
            e("inline constexpr std::array<power::opp, %d> %s_opps{{" % (len(g["rows"]), n))
            for khz, uv, uw in g["rows"]:
                e("    {kilohertz(%s), microvolts(%s), microwatts(%s)}," % (num(khz), num(uv), num(uw)))
            e("}};")
            e()
        # turbo_frequencies is {}: opp_rows refuses turbo OPPs (soc-data.json has none)
        e("inline constexpr std::array<schema::cpu_cluster_desc, %d> clusters{{" % len(clusters))
        for c in clusters:
            d, n = c["d"], ident(c["name"])
            e("    {%s, %s, %s_cpu_nodes, %s_cpu_ids, %dU, %dU, %dU, %s, %s_opps, {}, %s}," % (
                cxx_string(c["name"]), cxx_string(d["compatible"][0]), n, n,
                d["dynamic_power_coefficient"] or 0, d["capacity_dmips_mhz"], d["cpu_capacity"],
                cxx_string(d["opp_table"]), n, "true" if c["shared"] else "false"))
        e("}};")
        if devices:
            e("inline constexpr std::array<schema::device_desc, %d> devices{{" % len(devices))
            for g in devices:
                e("    {%s, %s, %s, %dU, %s, %s_opps}," % (
                    cxx_string(g["name"]), cxx_string(g["dev"]["node"]),
                    cxx_string(g["dev"]["compatible"][0]), g["coeff"], cxx_string(g["table"]),
                    ident(g["name"])))
            e("}};")
        for i, c in enumerate(cdevs):
            if c["levels"]:
                e("inline constexpr std::array<std::uint32_t, %d> cdev%d_levels{{%s}};"
                  % (len(c["levels"]), i, ", ".join("%dU" % v for v in c["levels"])))
            if c["speeds"]:
                e("inline constexpr std::array<std::uint32_t, %d> cdev%d_speeds{{%s}};"
                  % (len(c["speeds"]), i, ", ".join("%dU" % v for v in c["speeds"])))
        e("inline constexpr std::array<schema::cooling_device_desc, %d> cooling_devices{{" % len(cdevs))
        for i, c in enumerate(cdevs):
            e("    {%s, %s, schema::cooling_device_type::%s, %d, %dU, %s, %s}," % (
                cxx_string(c["name"]), cxx_string(c["node"]), c["type"], c["domain"],
                c["max_state"], ("cdev%d_levels" % i) if c["levels"] else "{}",
                ("cdev%d_speeds" % i) if c["speeds"] else "{}"))
        e("}};")
        e()
        for zi, zz in enumerate(zones):
            z = zz["z"]
            e("// %s" % z["name"])
            e("inline constexpr std::array<schema::trip_desc, %d> zone%d_trips{{" % (len(z["trips"]), zi))
            for t in z["trips"]:
                e("    {%s, millicelsius(%s), millikelvin_delta(%s), schema::trip_type::%s}," % (
                    cxx_string(t["name"]), num(t["temperature_mC"]), num(t["hysteresis_mC"]), t["type"]))
            e("}};")
            for mi, m in enumerate(zz["maps"]):
                e("inline constexpr std::array<schema::cooling_map_entry, %d> zone%d_map%d{{"
                  % (len(m["entries"]), zi, mi))
                for dev, lo, hi, cd in m["entries"]:
                    e("    {%s, %s, %s, %d}," % (cxx_string(dev), lo, hi, cd))
                e("}};")
            if zz["maps"]:
                e("inline constexpr std::array<schema::cooling_map_desc, %d> zone%d_maps{{" % (len(zz["maps"]), zi))
                for mi, m in enumerate(zz["maps"]):
                    e("    {%s, %d, %dU, zone%d_map%d}," % (cxx_string(m["name"]), m["trip"],
                                                        m["contribution"], zi, mi))
                e("}};")
        e("inline constexpr std::array<schema::thermal_zone_desc, %d> thermal_zones{{" % len(zones))
        for zi, zz in enumerate(zones):
            z = zz["z"]
            e("    {%s, milliseconds(%s), milliseconds(%s), milliwatts(%s), %s, %d, zone%d_trips, %s, %d, %d,"
              % (cxx_string(z["name"]), num(z.get("polling_delay") or 0), num(z.get("polling_delay_passive") or 0),
                 num(z.get("sustainable_power") or 0), cxx_string(zz["sensor"]), zz["sensor_id"], zi,
                 ("zone%d_maps" % zi) if zz["maps"] else "{}", zz["slope"], zz["offset"]))
            e("     schema::critical_action::%s}," % zz["action"])
        e("}};")
        e("inline constexpr std::array<std::string_view, %d> notes{{" % len(soc["notes"]))
        for note in soc["notes"]:
            e("    %s," % cxx_string(note))
        e("}};")
        e()
        e("}  // namespace detail::%s" % sid)
        e()
        e("/// %s — %s (%s)." % (soc["name"], soc["model"], soc["board_dts"]))
        e("inline constexpr schema::soc_description %s{" % sid)
        e("    %s," % cxx_string(sid))
        e("    %s," % cxx_string(soc["name"]))
        e("    %s," % cxx_string(soc["model"]))
        e("    %s," % cxx_string(soc["board_dts"]))
        e("    %s," % cxx_string(soc["kernel_version"]))
        e("    detail::%s::clusters," % sid)
        e("    %s," % (("detail::%s::devices" % sid) if devices else "{}"))
        e("    detail::%s::cooling_devices," % sid)
        e("    detail::%s::thermal_zones," % sid)
        e("    detail::%s::notes," % sid)
        e("};")
        e()
        e("}  // namespace thermo::presets")


def header(source_name, digest, title):
    return [
        "/// @file %s" % title,
        "/// GENERATED by tools/gen_presets.py from %s — DO NOT EDIT." % source_name,
        "/// Input sha256: %s" % digest,
        "/// Regenerate with `python3 tools/gen_presets.py --data ../shared/data/soc-data.json`;",
        "/// the CTest test thermo.power.presets_up_to_date fails when this file is stale.",
    ]


def generate(data_path):
    with open(data_path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw.decode("utf-8"))
    by_id = {s["id"]: s for s in data["socs"]}
    source_name = "shared/data/soc-data.json (Linux %s device trees)" % data["schema"]["kernel_version"].split(" ")[0]
    files = {}
    for sid in SOCS:
        if sid not in by_id:
            raise DataError("SoC %s missing from %s" % (sid, data_path))
        g = SocGen(by_id[sid])
        g.build()
        lines = header(source_name, digest, "%s.hpp" % sid)
        lines += ["/// Only values: the types are the schema, schema/soc.hpp.", "#pragma once", "", "#include <array>", "#include <cstdint>", "#include <string_view>", "",
                  '#include "thermo/core/time.hpp"', '#include "thermo/core/units.hpp"',
                  '#include "thermo/power/opp.hpp"', '#include "thermo/schema/soc.hpp"', ""]
        lines += g.lines
        files["%s.hpp" % sid] = "\n".join(lines) + "\n"

    lines = header(source_name, digest, "all.hpp")
    lines += ["/// Every generated SoC preset, and lookup by id (values of the schema, schema/soc.hpp).",
              "#pragma once", "", "#include <array>",
              "#include <string_view>", ""]
    lines += ['#include "thermo/presets/%s.hpp"' % sid for sid in SOCS]
    lines += ['#include "thermo/schema/soc.hpp"', "", "namespace thermo::presets {", "",
              "/// All presets, in a fixed order.",
              "inline constexpr std::array<const schema::soc_description*, %d> all_socs{{%s}};"
              % (len(SOCS), ", ".join("&%s" % s for s in SOCS)), "",
              "/// The preset with this id (\"rk3399\" …), or nullptr.",
              "[[nodiscard]] constexpr const schema::soc_description* find_soc(std::string_view id) noexcept {",
              "  for (const schema::soc_description* s : all_socs) {",
              "    if (s->id == id) {",
              "      return s;",
              "    }",
              "  }",
              "  return nullptr;",
              "}", "", "}  // namespace thermo::presets"]
    files["all.hpp"] = "\n".join(lines) + "\n"
    return files


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(repo, "..", "shared", "data", "soc-data.json"))
    ap.add_argument("--output-dir", default=os.path.join(repo, "include", "thermo", "presets"))
    ap.add_argument("--compare-with", default=None,
                    help="directory with the committed headers; exit 1 if any differs")
    args = ap.parse_args()
    try:
        files = generate(args.data)
    except (DataError, KeyError, ValueError, OSError) as exc:
        print("gen_presets: %s" % exc, file=sys.stderr)
        return 2
    os.makedirs(args.output_dir, exist_ok=True)
    for name, text in sorted(files.items()):
        with open(os.path.join(args.output_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    if args.compare_with is None:
        return 0
    stale = []
    for name, text in sorted(files.items()):
        path = os.path.join(args.compare_with, name)
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(name + " (differs)")
        except OSError:
            stale.append(name + " (missing)")
    if stale:
        print("gen_presets: stale presets in %s: %s\n  regenerate with: python3 tools/gen_presets.py"
              % (args.compare_with, ", ".join(stale)), file=sys.stderr)
        return 1
    print("gen_presets: %d preset headers up to date" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
