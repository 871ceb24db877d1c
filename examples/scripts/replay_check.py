#!/usr/bin/env python3
"""Check a simulated zone against the kernel's own decisions with `thermo replay`.

`thermo simulate --trace` records, every `record_interval`, the zone's last reading and each
cluster's frequency and utilisation; `thermo replay` re-runs one zone on such readings exactly
as Linux 6.12 does. This script joins the two (docs/tutorials/tune-the-power-allocator.md):

  replay_check.py to-replay TRACE.csv --zone cpu-thermal --cluster little=0-3 --cluster big=4-5 \
      > replay-in.csv
  thermo replay --soc rk3399 --zone cpu-thermal --governor power_allocator \
      --tzp sustainable_power=1000 --tzp k_pu=250 --input replay-in.csv --output replay-out.csv
  replay_check.py compare TRACE.csv replay-out.csv

`to-replay` writes one replay row per periodic row of the trace (time, the zone's reading in
m°C, per CPU its cluster's frequency in kHz and utilisation in %). `compare` pairs each replay
update with the trace row it came from and compares the cooling states both hold after it,
for every cooling device the two share; it prints how many agree and the first that do not,
and exits 1 when fewer than --min-agree (default 0.5) agree.
"""
import argparse
import csv
import sys


def cpu_ranges(specs):
    """['little=0-3', 'big=4-5'] -> [('little', [0, 1, 2, 3]), ('big', [4, 5])]."""
    out = []
    for spec in specs:
        name, _, cpus = spec.partition('=')
        lo, _, hi = cpus.partition('-')
        if not name or not lo.isdigit() or (hi and not hi.isdigit()):
            sys.exit(f"replay_check.py: bad --cluster '{spec}' (NAME=FIRST-LAST, e.g. big=4-5)")
        out.append((name, list(range(int(lo), int(hi or lo) + 1))))
    return out


def periodic_rows(path):
    with open(path, newline='') as f:
        rows = [r for r in csv.DictReader(f) if r['event'] == 'sample']
    if not rows:
        sys.exit(f"replay_check.py: {path} has no periodic rows (record_interval = 0?)")
    return rows


def to_replay(args):
    rows = periodic_rows(args.trace)
    clusters = cpu_ranges(args.cluster)
    zone = f"zone_{args.zone}_C"
    for name, _ in clusters:
        for col in (f"f_{name}_MHz", f"u_{name}"):
            if col not in rows[0]:
                sys.exit(f"replay_check.py: {args.trace} has no column {col} (is '{name}' simulated?)")
    if zone not in rows[0]:
        sys.exit(f"replay_check.py: {args.trace} has no column {zone}")
    head = ['time_ms', 'temperature']
    for name, cpus in clusters:
        head.append(f"freq:cpu{cpus[0]}")  # one frequency column per policy
        head += [f"load:cpu{c}" for c in cpus]
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(head)
    for r in rows:
        line = [round(float(r['time_s']) * 1000), round(float(r[zone]) * 1000)]
        for name, cpus in clusters:
            line.append(round(float(r[f"f_{name}_MHz"]) * 1000))
            line += [f"{float(r[f'u_{name}']) * 100:.3f}"] * len(cpus)
        out.writerow(line)


def compare(args):
    sim = periodic_rows(args.trace)
    with open(args.replay, newline='') as f:
        rep = list(csv.DictReader(f))
    devices = [c[len('state:'):] for c in rep[0] if c.startswith('state:') and f"state_{c[len('state:'):]}" in sim[0]]
    if not devices:
        sys.exit("replay_check.py: the two files share no cooling device")
    n = min(len(sim), len(rep))
    agree = 0
    first = None
    for k in range(n):
        a = [int(float(sim[k][f"state_{d}"])) for d in devices]
        b = [int(rep[k][f"state:{d}"]) for d in devices]
        if a == b:
            agree += 1
        elif first is None:
            first = (sim[k]['time_s'], a, b, rep[k])
    print(f"updates compared: {n}; cooling states identical after {agree} ({100.0 * agree / n:.1f} %)")
    print(f"devices: {', '.join(devices)}")
    if first:
        t, a, b, r = first
        granted = '; '.join(f"{d}: granted {r.get('granted:' + d) or '-'} of max {r.get('max:' + d) or '-'} mW" for d in devices)
        print(f"first difference at {t} s: simulated {a}, replay {b} ({granted})")
    return 0 if agree >= args.min_agree * n else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('to-replay', help='a simulate trace as a replay input (stdout)')
    a.add_argument('trace')
    a.add_argument('--zone', required=True)
    a.add_argument('--cluster', action='append', required=True, help='NAME=FIRST-LAST CPU numbers')
    c = sub.add_parser('compare', help='cooling states of the trace against a replay output')
    c.add_argument('trace')
    c.add_argument('replay')
    c.add_argument('--min-agree', type=float, default=0.5)
    args = p.parse_args()
    if args.cmd == 'to-replay':
        to_replay(args)
        return 0
    return compare(args)


if __name__ == '__main__':
    sys.exit(main())
