#!/usr/bin/env python3
"""Generates thermo's workload presets from ../shared/data/workloads.json and documents how the
inference model was calibrated.

Outputs (all committed; `--check` regenerates them in memory and fails if a committed file differs):

  include/thermo/presets/inference_models.hpp   core types, measurement platforms, models with
                                                their calibrated (efficiency, serial fraction) per
                                                framework, every published latency with the
                                                model's prediction
  include/thermo/presets/compressors.hpp        measured ARM32 boot rows, decompressor profiles
  include/thermo/presets/storage.hpp            storage media read bandwidths
  docs/explanation/inference-calibration.md     which published row calibrates what, predicted vs
                                                published for every other row

Python 3 standard library only. Usage:

    python3 tools/gen_workload_presets.py                 # rewrite the outputs
    python3 tools/gen_workload_presets.py --check         # exit 1 if any output is stale

The inference model (models.md §4): one inference needs W MACs; on a core with int8 peak m MACs
per cycle at frequency f a framework sustains m·e MACs per cycle; n threads give Amdahl's speed-up
S(n) = 1 / (s + (1 − s)/n). Latency t = W / (m·f · e · S(n)). The procedure below fixes e and s;
the docstrings of `calibrate_*` say which published row fixes which number.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "workloads.json"

# --------------------------------------------------------------------------------------------
# Core types: int8 MACs per cycle per core.
# A53, A55, A72, A76 are the data's `cpu_int8_peak_macs_per_cycle_per_core` rows. Cortex-A73 has
# no row in the data: it implements the same ISA level as the A72 (Armv8.0-A, 128-bit Advanced
# SIMD, no SDOT), so it gets the A72's 8 — an estimate, flagged as such. Every calibration that
# involves an A73 (the Pixel 2 rows) absorbs this choice into e; only the *ratio* of core rates
# matters when a calibrated model moves to another core.
CORE_TYPES = [
    # name, compatible, int8 MACs/cycle, status
    ("Cortex-A53", "arm,cortex-a53", None, None),
    ("Cortex-A55", "arm,cortex-a55", None, None),
    ("Cortex-A72", "arm,cortex-a72", None, None),
    ("Cortex-A73", "arm,cortex-a73", 8.0,
     "ESTIMATE (not in workloads.json): same ISA level as Cortex-A72 (Armv8.0-A, no SDOT), so the A72's 8"),
    ("Cortex-A76", "arm,cortex-a76", None, None),
]

# Measurement platforms: per-core rate R = m·f (MACs per second at e = 1).
# Frequencies: Pixel 2 from models.md §4 ("one Pixel 2 big core at 2.35 GHz"); Raspberry Pi 4 from
# the data's device string ("4x Cortex-A72 @1.5 GHz"); Pixel 4 (Snapdragon 855) uses its three
# 2.42 GHz Cortex-A76-class performance cores (Qualcomm's published clocks, e.g.
# https://9to5google.com/2018/12/05/qualcomm-snapdragon-855-specs/), the fourth thread's 2.84 GHz
# prime core is ignored. The Pixel 3's Kryo 385 Gold (a Cortex-A75 derivative) has no core-rate
# row in the data, so its rate is *calibrated* (see calibrate_pixel3).
PLATFORMS = {
    "pixel2_big": ("Pixel 2 (Snapdragon 835), one Kryo 280 Gold big core (Cortex-A73 class) at 2.35 GHz",
                   "Cortex-A73", 2.35e9),
    "rpi4": ("Raspberry Pi 4B (BCM2711), Cortex-A72 at 1.5 GHz", "Cortex-A72", 1.5e9),
    "pixel4": ("Pixel 4 (Snapdragon 855), Cortex-A76-class performance cores at 2.42 GHz", "Cortex-A76", 2.42e9),
    "pixel3_big": ("Pixel 3 (Snapdragon 845), Kryo 385 Gold big cores (Cortex-A75 class; rate calibrated)",
                   None, None),
}

# XNNPACK rows name models loosely; this maps them onto our families.
XNNPACK_FAMILY = {
    "MobileNet v1 1.0X": "MobileNetV1",
    "MobileNet v2 1.0X": "MobileNetV2",
    "MobileNet v3 Large": "MobileNetV3-Large",
    "MobileNet v3 Small": "MobileNetV3-Small",
}
# Big-core counts of the phones in the XNNPACK table ("as many threads as big cores"):
# Snapdragon 835 (Pixel 2) 4 + 4, Snapdragon 821 (Pixel) 2 + 2, Snapdragon 670 (Pixel 3a) 2 + 6.
BIG_CORES = {"Pixel 2": 4, "Pixel": 2, "Pixel 3a": 2}
XNNPACK_CALIBRATION_DEVICE = "Pixel 2"

# TVM-vs-TFLite table model names → our model names.
RPI4_MODEL = {
    "inception_v1": "Inception_V1_quant",
    "inception_v2": "Inception_V2_quant",
    "inception_v3": "Inception_V3_quant",
    "inception_v4": "Inception_V4_quant",
    "mobilenet_v1": "Mobilenet_V1_1.0_224_quant",
    "mobilenet_v2": "Mobilenet_V2_1.0_224_quant",
    "mobilenet_v1 (TFLite quantized)": "Mobilenet_V1_1.0_224_quant",
}

REFERENCE_MODEL = "Mobilenet_V1_1.0_224_quant"  # models.md's calibration example


def amdahl(s: float, n: int) -> float:
    return 1.0 / (s + (1.0 - s) / n)


def family_of(model: dict) -> str:
    name = model["name"]
    if name.startswith("MobileNetV3_Large"):
        return "MobileNetV3-Large"
    if name.startswith("MobileNetV3_Small"):
        return "MobileNetV3-Small"
    if name.lower().startswith("mobilenet_v1"):
        return "MobileNetV1"
    if name.lower().startswith("mobilenet_v2"):
        return "MobileNetV2"
    return model["family"]


def short_source(src) -> str:
    if isinstance(src, list):
        src = src[0]
    return src.split(" -- ")[0].split(" (")[0]


class Calibration:
    """Everything derived from workloads.json, with the role of every published row."""

    def __init__(self, data: dict):
        self.data = data
        self.core_rate = {}   # core name -> int8 MACs/cycle
        self.core_rows = []   # (name, compatible, m, status, source)
        self.platform_rate = {}  # platform id -> R = m·f [MAC/s at e = 1]
        self.platform_rows = []
        self.models = {}      # name -> model dict (with MACs)
        self.skipped_models = []  # (name, reason)
        self.s_family = {}    # family -> (s, calibration text)
        self.e = {"tflite": {}, "tvm": {}}  # model -> (e, text)
        self.s = {"tflite": {}, "tvm": {}}  # model -> (s, text)
        self.rows = []        # published latency rows: dict(model, framework, platform, threads, published, predicted, role, note, source)
        self.speedup_rows = []  # XNNPACK Amdahl rows
        self.single_e_rows = []  # the 'one e for all models' comparison

    # -- inputs --------------------------------------------------------------------------------
    def load_cores(self):
        peaks = {r["core"]: r for r in self.data["frameworks"] if r["kind"] == "cpu_int8_peak_macs_per_cycle_per_core"}
        for name, compat, fixed, status in CORE_TYPES:
            if fixed is not None:
                self.core_rate[name] = fixed
                self.core_rows.append((name, compat, fixed, status, "estimate"))
                continue
            row = next(r for k, r in peaks.items() if k.startswith(name + " "))
            self.core_rate[name] = float(row["macs_per_cycle"])
            self.core_rows.append((name, compat, float(row["macs_per_cycle"]), row["status"], short_source(row["source"])))

    def load_models(self):
        for m in self.data["models"]:
            if m.get("macs_millions") is None:
                self.skipped_models.append((m["name"], "no MAC count in the data"))
                continue
            self.models[m["name"]] = m

    def platform(self, pid: str) -> float:
        if pid not in self.platform_rate:
            desc, core, f = PLATFORMS[pid]
            self.platform_rate[pid] = self.core_rate[core] * f
        return self.platform_rate[pid]

    def macs(self, name: str) -> float:
        return float(self.models[name]["macs_millions"]) * 1e6

    def add_row(self, model, fw, pid, threads, published_ms, role, note, source):
        e, _ = self.e[fw][model]
        s, _ = self.s[fw][model]
        predicted_ms = self.macs(model) / (self.platform(pid) * e * amdahl(s, threads)) * 1e3
        self.rows.append(dict(model=model, framework=fw, platform=pid, threads=threads, published=float(published_ms),
                              predicted=predicted_ms, role=role, note=note, source=source))

    # -- step 1: serial fractions --------------------------------------------------------------
    def calibrate_serial_fractions(self):
        """s per family from the XNNPACK Pixel 2 pair (1 thread vs 4 big-core threads):
        S = t1/t4 and s = (n/S − 1)/(n − 1). Families without a pair use MobileNet V1's s.
        Checks: the Pixel and Pixel 3a pairs (2 big cores): predicted t2 = t1·(s + (1 − s)/2)."""
        rows = [r for r in self.data["frameworks"] if r["kind"] == "xnnpack_fp32"]
        one = {(r["device"], r["model"]): r for r in rows if r["threads"] == 1}
        many = {(r["device"], r["model"]): r for r in rows if r["threads"] == "as many as big cores"}
        for xmodel, fam in XNNPACK_FAMILY.items():
            t1 = float(one[(XNNPACK_CALIBRATION_DEVICE, xmodel)]["ms"])
            tn = float(many[(XNNPACK_CALIBRATION_DEVICE, xmodel)]["ms"])
            n = BIG_CORES[XNNPACK_CALIBRATION_DEVICE]
            s = (n * tn / t1 - 1.0) / (n - 1)
            self.s_family[fam] = (s, f"XNNPACK {XNNPACK_CALIBRATION_DEVICE}: {xmodel} {t1:g} ms (1 thread) vs {tn:g} ms ({n} threads)")
            self.speedup_rows.append(dict(device=XNNPACK_CALIBRATION_DEVICE, model=xmodel, n=n, t1=t1, published=tn,
                                          predicted=tn, s=s, role="calibration"))
            for dev in ("Pixel", "Pixel 3a"):
                t1d = float(one[(dev, xmodel)]["ms"])
                tnd = float(many[(dev, xmodel)]["ms"])
                nd = BIG_CORES[dev]
                self.speedup_rows.append(dict(device=dev, model=xmodel, n=nd, t1=t1d, published=tnd,
                                              predicted=t1d / amdahl(s, nd), s=s, role="check"))

    def s_for(self, model: str):
        fam = family_of(self.models[model])
        if fam in self.s_family:
            return self.s_family[fam]
        s, _ = self.s_family["MobileNetV1"]
        return s, f"no {fam} pair in the data: MobileNet V1's s"

    # -- step 2: TFLite efficiencies -----------------------------------------------------------
    def calibrate_tflite(self):
        """e per model from its Pixel 2 single-big-core TFLite latency: e = W/(t·m_A73·f).
        EfficientNet-lite (no Pixel 2 row): from its Pixel 4 int8 4-thread row with s as above."""
        for name, m in self.models.items():
            lat = m.get("latency_ms", {})
            self.s["tflite"][name] = self.s_for(name)
            t = lat.get("pixel2_cpu_1thread_bigcore") or lat.get("pixel2_tflite_1thread_bigcore")
            if t is not None:
                e = self.macs(name) / (float(t) * 1e-3 * self.platform("pixel2_big"))
                self.e["tflite"][name] = (e, f"Pixel 2 big core, 1 thread: {float(t):g} ms")
                continue
            t4 = lat.get("pixel4_cpu_4threads_int8")
            if t4 is not None:
                s, _ = self.s["tflite"][name]
                e = self.macs(name) / (float(t4) * 1e-3 * self.platform("pixel4") * amdahl(s, 4))
                self.e["tflite"][name] = (e, f"Pixel 4, 4 threads, int8: {float(t4):g} ms (s as stated)")
                continue
            self.skipped_models.append((name, "no latency on a core type the data describes"))
        for name in [n for n, _ in self.skipped_models if n in self.models]:
            del self.models[name]
            self.s["tflite"].pop(name, None)

    # -- step 3: Pixel 3 platform --------------------------------------------------------------
    def calibrate_pixel3(self):
        """The Pixel 3's per-core rate R (MACs/s at e = 1) from one row: Mobilenet_V1_1.0_224_quant,
        Pixel 3, 4 threads: R = W/(t·e·S(4)). Every other Pixel 3 row is a check."""
        t = float(self.models[REFERENCE_MODEL]["latency_ms"]["pixel3_cpu_4threads"])
        e, _ = self.e["tflite"][REFERENCE_MODEL]
        s, _ = self.s["tflite"][REFERENCE_MODEL]
        self.platform_rate["pixel3_big"] = self.macs(REFERENCE_MODEL) / (t * 1e-3 * e * amdahl(s, 4))

    # -- step 4: TVM ---------------------------------------------------------------------------
    def calibrate_tvm(self):
        """e_TVM per model from its Raspberry Pi 4 TVM row (4 threads, A72 at 1.5 GHz), with
        s_TVM = s_TFLite (no single-thread TVM latency in the data). Models without a TVM row:
        e_TVM = e_TFLite × (e_TVM/e_TFLite of Mobilenet_V1_1.0_224_quant)."""
        tvm = [r for r in self.data["frameworks"] if r["kind"] == "tvm_vs_tflite" and r["threads"] == 4]
        for name in self.models:
            self.s["tvm"][name] = self.s["tflite"][name]
        for r in tvm:
            name = RPI4_MODEL.get(r["model"])
            if name is None or name not in self.models:
                continue
            s, _ = self.s["tvm"][name]
            e = self.macs(name) / (float(r["tvm_ms"]) * 1e-3 * self.platform("rpi4") * amdahl(s, 4))
            self.e["tvm"][name] = (e, f"Raspberry Pi 4, TVM, 4 threads: {float(r['tvm_ms']):g} ms")
        ratio = self.e["tvm"][REFERENCE_MODEL][0] / self.e["tflite"][REFERENCE_MODEL][0]
        self.tvm_ratio = ratio
        for name in self.models:
            if name not in self.e["tvm"]:
                self.e["tvm"][name] = (self.e["tflite"][name][0] * ratio,
                                       f"no TVM row: e_TFLite × {ratio:.4f} (the {REFERENCE_MODEL} ratio)")

    # -- the published rows, with roles --------------------------------------------------------
    def collect_rows(self):
        src_p2 = "TFLite hosted models (older page), Pixel 2, 1 big core"
        src_p3 = "TFLite hosted models, Pixel 3, Android 10, 4 threads"
        for name, m in self.models.items():
            lat = m.get("latency_ms", {})
            for key in ("pixel2_cpu_1thread_bigcore", "pixel2_tflite_1thread_bigcore"):
                if lat.get(key) is not None:
                    self.add_row(name, "tflite", "pixel2_big", 1, lat[key], "calibration", "e (TFLite)",
                                 src_p2 if key.startswith("pixel2_cpu") else "model authors / TF list, Pixel 2, 1 big core")
            if lat.get("pixel3_cpu_4threads") is not None:
                role = "calibration" if name == REFERENCE_MODEL else "check"
                self.add_row(name, "tflite", "pixel3_big", 4, lat["pixel3_cpu_4threads"], role,
                             "Pixel 3 core rate" if role == "calibration" else "", src_p3)
            if lat.get("pixel3_tflite_1thread_bigcore") is not None:
                self.add_row(name, "tflite", "pixel3_big", 1, lat["pixel3_tflite_1thread_bigcore"], "check", "",
                             "model authors (MobileNetV3 README), Pixel 3, 1 big core")
            if lat.get("pixel4_cpu_4threads_int8") is not None:
                self.add_row(name, "tflite", "pixel4", 4, lat["pixel4_cpu_4threads_int8"], "calibration",
                             "e (TFLite)", "EfficientNet-lite README, Pixel 4, 4 threads, int8")
        for r in self.data["frameworks"]:
            if r["kind"] != "tvm_vs_tflite":
                continue
            name = RPI4_MODEL.get(r["model"])
            if name is None or name not in self.models:
                continue
            threads = r["threads"] if r["threads"] is not None else 4
            src = short_source(r["source"])
            if r["threads"] == 4:
                self.add_row(name, "tflite", "rpi4", 4, r["tflite_ms"], "check", "", src)
                self.add_row(name, "tvm", "rpi4", 4, r["tvm_ms"], "calibration", "e (TVM)", src)
            else:
                self.add_row(name, "tvm", "rpi4", threads, r["tvm_ms"], "check",
                             "second measurement; threads not stated (4 assumed)", src)
        # models.md's single-number calibration (3.45 MAC/cycle) applied to every Pixel 2 row.
        ref = next(r for r in self.rows if r["model"] == REFERENCE_MODEL and r["platform"] == "pixel2_big")
        e_single = self.e["tflite"][REFERENCE_MODEL][0]
        self.single_macs_per_cycle = e_single * self.core_rate["Cortex-A73"]
        for r in self.rows:
            if r["platform"] == "pixel2_big" and "quant" in r["model"]:
                pred = self.macs(r["model"]) / (self.platform("pixel2_big") * e_single) * 1e3
                self.single_e_rows.append(dict(model=r["model"], published=r["published"], predicted=pred,
                                               role="calibration" if r is ref else "check"))

    def run(self):
        self.load_cores()
        self.load_models()
        self.calibrate_serial_fractions()
        self.calibrate_tflite()
        self.calibrate_pixel3()
        self.calibrate_tvm()
        self.collect_rows()
        for pid, (desc, core, f) in PLATFORMS.items():
            rate = self.platform(pid)
            how = (f"{self.core_rate[core]:g} MAC/cycle x {f / 1e9:g} GHz" if core else
                   f"calibrated on {REFERENCE_MODEL}, Pixel 3, 4 threads")
            self.platform_rows.append((pid, desc, core or "", rate, how))
        return self


# ---------------------------------------------------------------------------------------------
# C++ emission helpers


def cstr(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def num(x: float) -> str:
    r = repr(float(x))
    return r if ("e" in r or "." in r or "inf" in r) else r + ".0"


def header(title: str, digest: str) -> str:
    return (f"/// @file {title}\n"
            f"/// GENERATED by tools/gen_workload_presets.py from shared/data/workloads.json — DO NOT EDIT.\n"
            f"/// Input sha256: {digest}\n"
            f"/// Regenerate with `python3 tools/gen_workload_presets.py`; the CTest test\n"
            f"/// thermo.workload.presets_up_to_date fails when this file is stale.\n")


def emit_inference(cal: Calibration, digest: str) -> str:
    o = [header("inference_models.hpp", digest)]
    o.append("""///
/// Data for the inference workload (workload/inference.hpp, models.md §4): int8 MAC rates of core
/// types, the platforms the published latencies were measured on, the models (MACs) with their
/// calibrated efficiency e and Amdahl serial fraction s per framework, and every published latency
/// with the model's prediction. How each number was obtained: docs/explanation/inference-calibration.md.
/// Only values and lookups: the types are the schema, schema/inference.hpp; the work of a preset
/// model by name is presets/inference.hpp (`preset_work`).
#pragma once

#include <array>
#include <string_view>

#include "thermo/schema/inference.hpp"

namespace thermo::presets {

""")
    o.append(f"/// Core types with an int8 MAC rate (models.md §4).\n"
             f"inline constexpr std::array<schema::core_type_desc, {len(cal.core_rows)}> core_types{{{{\n")
    for name, compat, m, status, _src in cal.core_rows:
        o.append(f"    {{{cstr(name)}, {cstr(compat)}, {num(m)}, {cstr(status)}}},\n")
    o.append("}};\n\n")
    o.append(f"/// Platforms of the published latencies.\n"
             f"inline constexpr std::array<schema::measurement_platform_desc, {len(cal.platform_rows)}> measurement_platforms{{{{\n")
    for pid, desc, core, rate, how in cal.platform_rows:
        o.append(f"    {{{cstr(pid)}, {cstr(desc)}, {cstr(core)}, {num(rate)}, {cstr(how)}}},\n")
    o.append("}};\n\n")
    o.append(f"/// Models with a MAC count and a calibration ({len(cal.models)} of {len(cal.data['models'])} in workloads.json).\n"
             f"inline constexpr std::array<schema::inference_model_desc, {len(cal.models)}> inference_models{{{{\n")
    for name, m in cal.models.items():
        fits = []
        for fw in ("tflite", "tvm"):
            e, et = cal.e[fw][name]
            s, st = cal.s[fw][name]
            fits.append(f"{{{num(e)}, {num(s)}, {cstr(et)}, {cstr(st)}}}")
        o.append(f"    {{{cstr(name)}, {cstr(family_of(m))}, {cstr(m.get('precision', ''))}, {int(m.get('input_size') or 0)}U,\n"
                 f"     {num(m['macs_millions'])}, {num(m.get('params_millions') or 0.0)},\n"
                 f"     {fits[0]},\n     {fits[1]}}},\n")
    o.append("}};\n\n")
    o.append(f"/// Every published latency the calibration uses or checks.\n"
             f"inline constexpr std::array<schema::reference_latency, {len(cal.rows)}> reference_latencies{{{{\n")
    for r in cal.rows:
        o.append(f"    {{{cstr(r['model'])}, schema::framework::{r['framework']}, {cstr(r['platform'])}, {r['threads']}U, "
                 f"{num(r['published'])}, {num(r['predicted'])}, schema::reference_role::{r['role']}, {cstr(r['source'])}}},\n")
    o.append("}};\n\n")
    o.append("""/// The model named `name`, or nullptr. O(models).
[[nodiscard]] constexpr const schema::inference_model_desc* find_inference_model(std::string_view name) noexcept {
  for (const auto& m : inference_models) {
    if (m.name == name) {
      return &m;
    }
  }
  return nullptr;
}

/// The core type with device-tree compatible (or name) `key`, or nullptr. O(types).
[[nodiscard]] constexpr const schema::core_type_desc* find_core_type(std::string_view key) noexcept {
  for (const auto& c : core_types) {
    if (c.compatible == key || c.name == key) {
      return &c;
    }
  }
  return nullptr;
}

/// The measurement platform `id`, or nullptr.
[[nodiscard]] constexpr const schema::measurement_platform_desc* find_measurement_platform(std::string_view id) noexcept {
  for (const auto& p : measurement_platforms) {
    if (p.id == id) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace thermo::presets
""")
    return "".join(o)


# ---------------------------------------------------------------------------------------------
# Compressors and storage

BOARD_CORES = {
    # board string prefix -> (core, boot clock [Hz]) as the data's board strings state them
    "OMAP4430 PandaBoard": ("Cortex-A9", 1.0e9),
    "Calao USB-A9263": ("ARM926EJ-S", 200e6),
}


def board_key(board: str) -> str:
    return "pandaboard" if board.startswith("OMAP4430") else "at91sam9263"


def emit_compressors(data: dict, digest: str) -> str:
    rows = [r for r in data["compressors"] if r["kind"] == "arm_kernel_boot_measurement"]
    o = [header("compressors.hpp", digest)]
    o.append("""///
/// Data for the compressed-kernel boot model (analysis/boot_cost.hpp, models.md §5): the published
/// ARM32 boot measurements (Opdenacker 2012: PandaBoard from MMC, AT91SAM9263 from NAND, U-Boot,
/// grabserial timestamps) and decompressor profiles in CPU cycles per output byte with caches on.
/// A profile measured on a board at clock f_ref with output rate R is `f_ref / R` cycles per byte;
/// at another clock f the decompressor runs at f / cycles_per_byte (speed scales with frequency).
/// Only values: the types are the schema, schema/boot.hpp.
#pragma once

#include <array>
#include <string_view>

#include "thermo/schema/boot.hpp"

namespace thermo::presets {

""")
    o.append(f"/// The published ARM32 boot rows (workloads.json → compressors, kind arm_kernel_boot_measurement).\n"
             f"inline constexpr std::array<schema::boot_measurement, {len(rows)}> boot_measurements{{{{\n")
    for r in rows:
        core, f = next(v for k, v in BOARD_CORES.items() if r["board"].startswith(k))
        desc = f"{r['board']}, {r['boot_media']}"
        o.append(f"    {{{cstr(board_key(r['board']))}, {cstr(desc)}, {cstr(core)}, {num(f)}, schema::compressor::{r['algorithm']},\n"
                 f"     {num(r['image_bytes'])}, {num(r['uncompressed_image_bytes'])}, {num(r['load_time_s'])}, "
                 f"{num(r['decompress_time_s'])},\n     {cstr(short_source(r['source']))}}},\n")
    o.append("}};\n\n")
    profiles = []
    for r in rows:
        if r["algorithm"] == "none":
            continue
        core, f = next(v for k, v in BOARD_CORES.items() if r["board"].startswith(k))
        rate = r["uncompressed_image_bytes"] / r["decompress_time_s"]
        profiles.append((core, r["algorithm"], f / rate, f, rate,
                         f"{board_key(r['board'])} {r['algorithm']}: {r['uncompressed_image_bytes']} B in {r['decompress_time_s']} s"))
    for r in data["compressors"]:
        if r["kind"] == "arm_kernel_decompress_speed":
            f = float(r["board"].split(" ")[1]) * 1e9  # "ARMv7 1.5 GHz board"
            rate = r["decompress_MBps"] * 1e6
            profiles.append((f"ARMv7 {r['board'].split(' ')[1]} GHz (Linux {r['kernel'].split(' ')[1]})", r["algorithm"].lower(),
                             f / rate, f, rate, f"Lee 2013 LZ4 commit: {r['decompress_MBps']} MB/s on an {r['board']}"))
    for r in data["compressors"]:
        if r["kind"] == "x86_kernel_decompress_speed":
            f = 2.2e9
            rate = r["decompress_MBps"] * 1e6
            profiles.append(("x86-64 (QEMU host)", r["algorithm"], f / rate, f, rate,
                             f"Terrell 2017 ZSTD cover letter: {r['decompress_MBps']} MB/s at 2.2 GHz"))
    o.append(f"/// Decompressor profiles derived from the measurements (cycles per output byte, caches on).\n"
             f"inline constexpr std::array<schema::decompressor_profile, {len(profiles)}> decompressor_profiles{{{{\n")
    for core, alg, cpb, f, rate, frm in profiles:
        o.append(f"    {{{cstr(core)}, schema::compressor::{alg}, {num(cpb)}, {num(f)}, {num(rate)}, {cstr(frm)}}},\n")
    o.append("}};\n\n")
    arm32 = next(r for r in data["compressors"] if r["kind"] == "arm32_image_size")
    o.append(f"""/// The Gemini example (Walleij 2020): vmlinux {arm32['vmlinux_MB']} MB, zImage {arm32['zImage_MB']} MB (MB = 10⁶ bytes).
inline constexpr double gemini_vmlinux_bytes = {num(arm32['vmlinux_MB'] * 1e6)};
inline constexpr double gemini_zimage_bytes = {num(arm32['zImage_MB'] * 1e6)};

/// The profile of `algorithm` on `core`, or nullptr.
[[nodiscard]] constexpr const schema::decompressor_profile* find_decompressor(std::string_view core, schema::compressor algorithm) noexcept {{
  for (const auto& p : decompressor_profiles) {{
    if (p.core == core && p.algorithm == algorithm) {{
      return &p;
    }}
  }}
  return nullptr;
}}

/// The measurement of `algorithm` on `board`, or nullptr.
[[nodiscard]] constexpr const schema::boot_measurement* find_boot_measurement(std::string_view board, schema::compressor algorithm) noexcept {{
  for (const auto& m : boot_measurements) {{
    if (m.board == board && m.algorithm == algorithm) {{
      return &m;
    }}
  }}
  return nullptr;
}}

}}  // namespace thermo::presets
""")
    return "".join(o)


def emit_storage(data: dict, digest: str) -> str:
    rows = data["storage"]
    o = [header("storage.hpp", digest)]
    o.append("""///
/// Storage media read bandwidths for the boot model (workloads.json → storage). Bus maxima from
/// specifications are upper bounds, not sustained throughput; `status` says which is which.
/// Only values: the type is the schema, schema/boot.hpp.
#pragma once

#include <array>

#include "thermo/schema/boot.hpp"

namespace thermo::presets {

""")
    o.append(f"/// Storage media (workloads.json order).\n"
             f"inline constexpr std::array<schema::storage_medium, {len(rows)}> storage_media{{{{\n")
    for r in rows:
        o.append(f"    {{{cstr(r['media'])}, {cstr(r['mode'])}, {num(r['read_MBps'] * 1e6)}, {cstr(r['status'])},\n"
                 f"     {cstr(short_source(r['source']))}}},\n")
    o.append("}};\n\n}  // namespace thermo::presets\n")
    return "".join(o)


# ---------------------------------------------------------------------------------------------
# Documentation


def pct(pred: float, pub: float) -> str:
    return f"{(pred - pub) / pub * 100:+.1f} %"


def emit_doc(cal: Calibration, digest: str) -> str:
    o = ["<!-- GENERATED by tools/gen_workload_presets.py from shared/data/workloads.json — do not edit;\n"
         f"     input sha256 {digest}. ctest's thermo.workload.presets_up_to_date fails when stale. -->\n",
         "# Inference model calibration\n\n",
         "How every number of `include/thermo/presets/inference_models.hpp` was obtained from\n"
         "`../shared/data/workloads.json`, and how well the calibrated model predicts the published\n"
         "latencies it was *not* calibrated on. The model and why it has these parameters:\n"
         "[inference-workloads.md](inference-workloads.md). The procedure is code:\n"
         "`tools/gen_workload_presets.py` (Python standard library); the C++ test\n"
         "`tests/workload/inference_presets_test.cpp` recomputes every prediction below with the\n"
         "library's own formula and checks it against this table.\n\n",
         "Latency of one inference: `t = W / (R · e · S(n))`, `R = m_k · f` (one core's int8 MAC rate),\n"
         "`S(n) = 1 / (s + (1 − s)/n)`.\n\n"]
    o.append("## 1. Core types (m_k, int8 MACs per cycle)\n\n| core | m_k | status |\n|---|---:|---|\n")
    for name, compat, m, status, _ in cal.core_rows:
        o.append(f"| {name} (`{compat}`) | {m:g} | {status} |\n")
    o.append("\n## 2. Measurement platforms (R = m_k · f per core)\n\n| platform | R (GMAC/s at e = 1) | how |\n|---|---:|---|\n")
    for pid, desc, core, rate, how in cal.platform_rows:
        o.append(f"| `{pid}`: {desc} | {rate / 1e9:.3f} | {how} |\n")
    o.append("\n## 3. Serial fraction s (Amdahl), per family\n\n"
             f"Calibrated on the XNNPACK {XNNPACK_CALIBRATION_DEVICE} pair (1 thread vs one thread per big core, "
             f"n = {BIG_CORES[XNNPACK_CALIBRATION_DEVICE]}): `S = t1/tn`, `s = (n/S − 1)/(n − 1)`. "
             "Families without a pair (Inception, EfficientNet, NASNet, SqueezeNet …) use MobileNet V1's s. "
             "XNNPACK rows are fp32; the same s is used for the int8 variants.\n\n"
             "| device (big cores) | model | t1 ms | s | published tn ms | predicted tn ms | error | role |\n"
             "|---|---|---:|---:|---:|---:|---:|---|\n")
    for r in cal.speedup_rows:
        o.append(f"| {r['device']} ({r['n']}) | {r['model']} | {r['t1']:g} | {r['s']:.4f} | {r['published']:g} | "
                 f"{r['predicted']:.2f} | {pct(r['predicted'], r['published'])} | {r['role']} |\n")
    checks = [r for r in cal.speedup_rows if r["role"] == "check"]
    o.append(f"\nSpeed-up checks: mean |error| {statistics.mean(abs(r['predicted'] - r['published']) / r['published'] for r in checks) * 100:.1f} %, "
             f"max {max(abs(r['predicted'] - r['published']) / r['published'] for r in checks) * 100:.1f} % "
             "(published times are whole milliseconds, so a 7 ms row is only known to ±7 %).\n")
    o.append("\n## 4. Efficiency e per model and framework\n\n"
             "TFLite: from the model's Pixel 2 single-big-core latency, `e = W/(t · R_pixel2)` (S(1) = 1, so s plays no part). "
             "EfficientNet-lite has no Pixel 2 row: its Pixel 4 int8 4-thread row fixes e with s as above.\n"
             "TVM: from the Raspberry Pi 4 TVM 4-thread row, `e = W/(t · R_rpi4 · S(4))`, with s_TVM = s_TFLite "
             "(the data has no single-thread TVM latency); models without a TVM row get "
             f"`e_TVM = e_TFLite × {cal.tvm_ratio:.4f}`, the ratio of {REFERENCE_MODEL}.\n\n"
             "| model | MACs (M) | e TFLite | s | e TVM | e TFLite from | e TVM from |\n|---|---:|---:|---:|---:|---|---|\n")
    for name, m in cal.models.items():
        o.append(f"| {name} | {m['macs_millions']:g} | {cal.e['tflite'][name][0]:.4f} | {cal.s['tflite'][name][0]:.4f} | "
                 f"{cal.e['tvm'][name][0]:.4f} | {cal.e['tflite'][name][1]} | {cal.e['tvm'][name][1]} |\n")
    o.append("\nNot in the table (kept out of the presets): "
             + "; ".join(f"{n} ({why})" for n, why in cal.skipped_models) + ".\n")
    o.append("\n## 5. Predicted vs published, every row\n\n"
             "`calibration` rows fixed a parameter (error 0 by construction); `check` rows are predictions.\n\n"
             "| model | framework | platform | threads | published ms | predicted ms | error | role |\n"
             "|---|---|---|---:|---:|---:|---:|---|\n")
    for r in cal.rows:
        o.append(f"| {r['model']} | {r['framework']} | `{r['platform']}` | {r['threads']} | {r['published']:g} | "
                 f"{r['predicted']:.2f} | {pct(r['predicted'], r['published'])} | {r['role']} |\n")
    o.append("\nChecks by group (mean |error| / max |error|):\n\n")
    groups = {}
    for r in cal.rows:
        if r["role"] != "check":
            continue
        key = f"{r['framework']} on `{r['platform']}`, {r['threads']} thread{'s' if r['threads'] > 1 else ''}"
        groups.setdefault(key, []).append(abs(r["predicted"] - r["published"]) / r["published"])
    for key, errs in groups.items():
        o.append(f"* {key}: {len(errs)} row{'s' if len(errs) > 1 else ''}, "
                 f"{statistics.mean(errs) * 100:.1f} % / {max(errs) * 100:.1f} %\n")
    o.append("\n## 6. Why e is per model: one e for all (models.md's single calibration)\n\n"
             f"models.md calibrates one number: {REFERENCE_MODEL} on one Pixel 2 big core → "
             f"{cal.single_macs_per_cycle:.2f} MAC/cycle. Applied to every quantized model on the same core:\n\n"
             "| model | published ms | predicted ms | error | role |\n|---|---:|---:|---:|---|\n")
    for r in cal.single_e_rows:
        o.append(f"| {r['model']} | {r['published']:g} | {r['predicted']:.2f} | {pct(r['predicted'], r['published'])} | {r['role']} |\n")
    o.append("\nSmall models run far below the big ones' MAC rate (fixed per-layer overheads), so a single e "
             "misses them by up to a factor of two; hence one e per model.\n")
    return "".join(o)


# ---------------------------------------------------------------------------------------------


def outputs(data_path: pathlib.Path) -> dict[pathlib.Path, str]:
    raw = data_path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    cal = Calibration(data).run()
    return {
        ROOT / "include/thermo/presets/inference_models.hpp": emit_inference(cal, digest),
        ROOT / "include/thermo/presets/compressors.hpp": emit_compressors(data, digest),
        ROOT / "include/thermo/presets/storage.hpp": emit_storage(data, digest),
        ROOT / "docs/explanation/inference-calibration.md": emit_doc(cal, digest),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA, help="workloads.json")
    ap.add_argument("--check", action="store_true", help="fail if a committed output differs")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"{args.data}: no such file", file=sys.stderr)
        return 2
    stale = []
    for path, text in outputs(args.data).items():
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale (run python3 tools/gen_workload_presets.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
