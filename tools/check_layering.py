#!/usr/bin/env python3
"""Fails when an include points the wrong way between thermo's folders, or a folder reaches
into another folder's internals (docs/explanation/architecture.md, docs/adr/0004-layout.md).

The folders under include/thermo are layers; a header may include only its own folder and the
folders listed for it below. The device side (core, power, schema, control) includes nothing host-only,
model and workload know no presets, analyses, file formats or simulation, and the simulation
knows no file formats. Run by ctest (thermo.layering); Python 3 standard library only.

Checks:
  * every `#include "thermo/<folder>/…"` in include/thermo/<area>/ is allowed for <area>;
  * no header includes another folder's `detail/` headers;
  * no header names `detail::X` where X is declared in another folder's `namespace detail`.
"""
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "include" / "thermo"

# folder -> folders it may include (besides itself). Top-level headers (config.hpp, fwd.hpp,
# thermo.hpp, device.hpp) are checked by tools/gen_umbrella.py.
ALLOWED = {
    "core": {"config"},
    "power": {"core"},
    "control": {"core", "power", "schema"},
    "schema": {"core", "power"},
    "model": {"core", "power", "schema"},
    "workload": {"core", "power", "schema"},
    "sim": {"core", "power", "control", "model", "schema", "workload"},
    "analysis": {"core", "power", "control", "model", "schema", "workload", "sim", "presets"},
    "presets": {"core", "power", "schema", "workload"},
    "io": {"core", "power", "control", "model", "schema", "workload", "sim"},
}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"thermo/([a-z_]+)(?:/([^"]*))?"', re.M)
DETAIL_BLOCK_RE = re.compile(r"namespace\s+(?:[\w:]*::)?detail(?:::\w+)*\s*\{")
DECL_RE = re.compile(
    r"^\s*(?:template\s*<[^;{]*>\s*)?(?:\[\[nodiscard\]\]\s*)?(?:inline\s+|constexpr\s+|static\s+)*"
    r"(?:struct|class|using|concept|[\w:<>,\s\*&]+?)\s+(\w+)\s*(?:[=({<;:]|$)",
    re.M)


def area_of(path: pathlib.Path, include: pathlib.Path) -> str:
    return path.relative_to(include).parts[0]


def detail_names(text: str) -> set[str]:
    """Names declared at the top level of `namespace …detail… { }` blocks (brace-matched)."""
    names = set()
    for m in DETAIL_BLOCK_RE.finditer(text):
        depth, i, start = 1, m.end(), m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[start:i - 1]
        # keep only depth-0 lines of the block
        flat, d = [], 0
        for line in body.split("\n"):
            if d == 0:
                flat.append(line)
            d += line.count("{") - line.count("}")
        for dm in DECL_RE.finditer("\n".join(flat)):
            names.add(dm.group(1))
    return names - {"const", "return", "noexcept", "operator"}


def check(include: pathlib.Path) -> list[str]:
    """The layering problems of the headers under `include` (include/thermo)."""
    headers = sorted(p for p in include.rglob("*.hpp") if len(p.relative_to(include).parts) > 1)
    texts = {p: p.read_text(encoding="utf-8") for p in headers}
    problems = []
    owned: dict[str, set[str]] = {}
    for p, t in texts.items():
        owned.setdefault(area_of(p, include), set()).update(detail_names(t))
    for p, t in texts.items():
        area = area_of(p, include)
        rel = p.relative_to(include.parent.parent)
        for m in INCLUDE_RE.finditer(t):
            target, rest = m.group(1), m.group(2) or ""
            line = t.count("\n", 0, m.start()) + 1
            if target != area and target not in ALLOWED.get(area, set()):
                problems.append(f"{rel}:{line}: {area}/ may not include thermo/{target}/ "
                                f"(allowed: {', '.join(sorted(ALLOWED.get(area, set()))) or 'none'})")
            if target != area and rest.startswith("detail/"):
                problems.append(f"{rel}:{line}: includes another folder's detail/ (thermo/{target}/{rest})")
        code = re.sub(r"//[^\n]*", "", t)
        for m in re.finditer(r"\bdetail::(?:\w+::)*(\w+)", code):
            name = m.group(1)
            if name in owned.get(area, set()):
                continue
            others = [a for a, names in sorted(owned.items()) if a != area and name in names]
            if others:
                line = code.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: uses {others[0]}/'s detail::{name}")
    return problems


def self_test() -> int:
    """Each kind of violation in a small fake tree is reported, and nothing else."""
    # Folder names are spelled @area@ and filled in below, so that this file names no header
    # that does not exist (tools/check_paths.py checks the paths named in the sources).
    fake = {
        "@model@/a.hpp": '#include "thermo/@core@/x.hpp"\n#include "thermo/@sim@/s.hpp"\n',
        "@sim@/s.hpp": '#include "thermo/@io@/csv.hpp"\n#include "thermo/@model@/detail/k.hpp"\n'
                       "int f() { return thermo::detail::rc::kernel(); }\n",
        "@model@/detail/k.hpp": "namespace thermo::detail::rc {\ninline int kernel() { return 1; }\n}\n",
        "@control@/c.hpp": '#include "thermo/@power@/p.hpp"\n#include "thermo/@model@/a.hpp"\n',
        "@core@/x.hpp": "namespace thermo::detail {\nconstexpr int helper = 0;\n}\n",
        "@power@/p.hpp": '#include "thermo/@core@/x.hpp"\nint g() { return detail::helper; }\n',
        "@io@/csv.hpp": '#include "thermo/@sim@/s.hpp"\n',
    }
    fill = lambda text: re.sub(r"@(\w+)@", r"\1", text)  # noqa: E731
    files = {fill(k): fill(v) for k, v in fake.items()}
    with tempfile.TemporaryDirectory() as d:
        include = pathlib.Path(d) / "include" / "thermo"
        for name, text in files.items():
            (include / name).parent.mkdir(parents=True, exist_ok=True)
            (include / name).write_text(text, encoding="utf-8")
        got = check(include)
    expected = [fill(e) for e in (
        "@model@/a.hpp:2: @model@/ may not include thermo/@sim@/",
        "@sim@/s.hpp:1: @sim@/ may not include thermo/@io@/",
        "@sim@/s.hpp:2: includes another folder's detail/",
        "@sim@/s.hpp:3: uses @model@/'s detail::kernel",
        "@control@/c.hpp:2: @control@/ may not include thermo/@model@/",
        "@power@/p.hpp:2: uses @core@/'s detail::helper",
    )]
    missing = [e for e in expected if not any(e in g for g in got)]
    extra = [g for g in got if not any(e in g for e in expected)]
    for m in missing:
        print(f"self-test: not reported: {m}")
    for x in extra:
        print(f"self-test: reported but not expected: {x}")
    if missing or extra:
        return 1
    print(f"layering self-test: all {len(expected)} kinds of violation reported")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    problems = check(INCLUDE)
    for msg in problems:
        print(msg)
    if problems:
        print(f"{len(problems)} layering problem(s); see docs/explanation/architecture.md")
        return 1
    print("layering: every include points down, no folder uses another's detail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
