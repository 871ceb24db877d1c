#!/usr/bin/env python3
"""CTest driver for examples/energy_model.cpp.

  check_energy_model.py EXE DATA.json SOC [PLOT.svg]   CSV header, one row per OPP, every value
                                                       equal to the kernel's (soc-data.json),
                                                       summary present, plot well-formed
  check_energy_model.py EXE --unknown                  unknown SoC: exit 2, known ones listed
"""
import json
import subprocess
import sys
import xml.dom.minidom

HEADER = "domain,frequency_khz,voltage_uv,power_uw,performance,cost,inefficient"
KNOWN = ["rk3399", "hi3660", "mt8183", "mt8173", "exynos5422", "rk3588"]


def fail(msg):
    print("check_energy_model: FAIL: " + msg)
    sys.exit(1)


def expected_rows(data_path, soc_id):
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    soc = next(s for s in data["socs"] if s["id"] == soc_id)
    rows = []
    for d in soc["perf_domains"]:
        for em in (d.get("energy_model") or {}).values():
            rows += [(r["frequency_khz"], r["voltage_uv"], r["power_uw"], r["performance"], r["cost"],
                      1 if r["inefficient"] else 0) for r in em]
    for d in soc.get("device_energy_models", []):
        for em in d["energy_model"].values():
            rows += [(r["frequency_khz"], r["voltage_uv"], r["power_uw"], 0, 0, 0) for r in em]
    return rows


def check_unknown(exe):
    p = subprocess.run([exe, "--soc", "not-a-soc"], capture_output=True, text=True)
    if p.returncode != 2:
        fail("unknown SoC: exit code %d, want 2" % p.returncode)
    if "unknown SoC 'not-a-soc'" not in p.stderr:
        fail("unknown SoC: no clear error in stderr: %r" % p.stderr)
    missing = [k for k in KNOWN if k not in p.stderr]
    if missing:
        fail("unknown SoC: known SoCs not listed: %s" % missing)
    if p.stdout:
        fail("unknown SoC: unexpected stdout %r" % p.stdout)


def main():
    if len(sys.argv) == 3 and sys.argv[2] == "--unknown":
        check_unknown(sys.argv[1])
        print("ok: unknown SoC rejected with exit 2")
        return
    exe, data, soc = sys.argv[1:4]
    plot = sys.argv[4] if len(sys.argv) > 4 else None
    cmd = [exe, "--soc", soc] + (["--plot", plot] if plot else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail("exit code %d, stderr %r" % (p.returncode, p.stderr))
    lines = p.stdout.split("\n")
    if lines[0] != HEADER:
        fail("header %r" % lines[0])
    csv = []
    for line in lines[1:]:
        if line == "":
            break
        csv.append(line.split(","))
    want = expected_rows(data, soc)
    if len(csv) != len(want):
        fail("%d CSV rows, want %d (one per OPP of every domain with an EM)" % (len(csv), len(want)))
    prev = None
    for i, (row, w) in enumerate(zip(csv, want)):
        if len(row) != 7:
            fail("row %d has %d fields" % (i, len(row)))
        got = tuple(int(x) for x in row[1:])
        if got != w:
            fail("row %d %s: got %s, want %s" % (i, row[0], got, w))
        if prev and prev[0] == row[0] and int(prev[1]) >= int(row[1]):
            fail("row %d: frequencies not ascending within %s" % (i, row[0]))
        prev = row
    summary = "\n".join(lines[len(csv) + 2:])
    for needle in ("Inefficient OPPs", "Max power per domain", "3000 mW budget"):
        if needle not in summary:
            fail("summary lacks %r" % needle)
    if plot:
        try:
            doc = xml.dom.minidom.parse(plot)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a test failure
            fail("plot %s is not well-formed XML: %s" % (plot, exc))
        if doc.documentElement.tagName != "svg":
            fail("plot root is %s" % doc.documentElement.tagName)
        if not doc.getElementsByTagName("polyline") and not doc.getElementsByTagName("path"):
            fail("plot has no lines")
    print("ok: %s, %d rows" % (soc, len(csv)))


if __name__ == "__main__":
    main()
