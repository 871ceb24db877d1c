#!/usr/bin/env python3
"""Fails on paths in the docs and in code comments that lead nowhere.

Two checks, both run by ctest (tests/CMakeLists.txt):

``--links``
    * every relative Markdown link in README.md and docs/ (``[text](../x/y.md#anchor)``) names an
      existing file, and its ``#anchor`` (into a Markdown file) an existing heading;
    * every repository path mentioned in docs/ prose or in a comment of the sources
      (``docs/reference/core.md``, ``examples/sim_scenario.cpp``, ``tests/tools/run_cli.cmake``
      …) exists — a bare program name like ``examples/boot_cost`` counts if ``.cpp`` exists;
    * every header named relative to ``include/thermo`` in a comment or a doc
      (``control/concepts.hpp``, ``thermo/sim/types.hpp``) exists.
    Globs and placeholders (``tests/<area>/*_test.cpp``) and paths inside longer paths
    (``build/dev/examples/…``) are not checked.

``--binaries``
    every ``build/…/<example>`` path in README.md and docs/ that names an example program
    (``examples/<name>.cpp``) is the one the documented command produces:
    ``cmake --preset examples && cmake --build --preset examples`` puts it in
    ``<binaryDir of the examples preset>/examples/<name>`` (``build/examples/examples/<name>``).

Without options, both. Python 3 standard library only.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (include/ only as include/thermo/: include/linux/thermal.h in a comment is the kernel's.)
TOP_DIRS = ("docs", "examples", "tools", "tests", "include/thermo", "scripts", "bench", "cmake")
AREAS = ("core", "model", "power", "control", "workload", "sim", "analysis", "io", "presets", "schema")
SOURCE_GLOBS = ("include/**/*.hpp", "examples/**/*.cpp", "examples/**/*.hpp", "examples/**/*.cmake",
                "examples/**/*.sh", "examples/**/CMakeLists.txt", "tools/**/*.py", "tools/**/*.hpp",
                "tools/**/*.cpp", "tools/**/CMakeLists.txt", "tests/**/*.cpp", "tests/**/*.hpp",
                "tests/**/*.cmake", "tests/**/*.py", "tests/**/CMakeLists.txt", "bench/**/*.cpp",
                "bench/CMakeLists.txt", "scripts/*.sh", "cmake/**/*.cmake", "CMakeLists.txt")

# A path token: a top-level folder or an include/thermo area, then path characters. The
# look-behind keeps paths that are only the tail of a longer one (build/dev/examples/x, ../x).
REPO_PATH = re.compile(r"(?<![\w./-])(?P<p>(?:" + "|".join(TOP_DIRS) + r")/[\w./<>*{}-]*[\w*>}])")
HEADER_PATH = re.compile(r"(?<![\w./-])(?P<p>(?:thermo/)?(?:" + "|".join(AREAS) + r")/[\w/-]+\.hpp)\b")
MD_LINK = re.compile(r"\]\((?P<t>[^()\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]*`")
BUILD_PATH = re.compile(r"(?<![\w./-])(?P<p>build/[\w./-]*\w)")


def md_files() -> list[pathlib.Path]:
    return sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]


def source_files() -> list[pathlib.Path]:
    seen = set()
    for pattern in SOURCE_GLOBS:
        for f in sorted(ROOT.glob(pattern)):
            if f.is_file() and "build" not in f.relative_to(ROOT).parts[:1] and f not in seen:
                seen.add(f)
                yield f


def comment_text(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line number, comment text) for the comments of a C++/CMake/Python/shell file."""
    out = []
    cpp = path.suffix in (".hpp", ".cpp", ".h", ".inc")
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if cpp:
            i = line.find("//")
            if i < 0:
                s = line.strip()
                if s.startswith(("*", "/*")):
                    out.append((n, s))
                continue
            out.append((n, line[i + 2:]))
        else:
            i = line.find("#")
            if i >= 0:
                out.append((n, line[i + 1:]))
            elif path.suffix == ".py":
                out.append((n, line))  # docstrings: Python comments are not only '#'
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(md: pathlib.Path) -> set[str]:
    found, counts, fence = set(), {}, False
    for line in md.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```"):
            fence = not fence
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m and not fence:
            base = slug(m.group(2))
            k = counts.get(base, 0)
            counts[base] = k + 1
            found.add(base if k == 0 else f"{base}-{k}")
    return found


def exists(rel: str) -> bool:
    rel = rel.rstrip(".")
    p = ROOT / rel
    return p.exists() or p.with_name(p.name + ".cpp").exists()


def placeholder(token: str) -> bool:
    return any(c in token for c in "*<>{}")


def check_text(where: str, n: int, text: str) -> list[str]:
    problems = []
    text = MD_LINK.sub("", text)  # link targets are relative to their page: checked elsewhere
    for m in REPO_PATH.finditer(text):
        token = m.group("p")
        if not placeholder(token) and not exists(token):
            problems.append(f"{where}:{n}: no such file: {token}")
    for m in HEADER_PATH.finditer(text):
        token = m.group("p")
        rel = token if token.startswith("thermo/") else "thermo/" + token
        if not (ROOT / "include" / rel).exists():
            problems.append(f"{where}:{n}: no such header: include/{rel}")
    return problems


def check_links() -> list[str]:
    problems = []
    for md in md_files():
        rel_md = md.relative_to(ROOT)
        fence = False
        for n, line in enumerate(md.read_text(encoding="utf-8").split("\n"), 1):
            if line.startswith("```"):
                fence = not fence
            for m in MD_LINK.finditer(CODE_SPAN.sub("", line)):  # `operator[](i)` is no link
                target = m.group("t")
                if re.match(r"^[a-z]+:", target) or fence:
                    continue
                path, _, anchor = target.partition("#")
                dest = (md.parent / path).resolve() if path else md
                if not dest.exists():
                    problems.append(f"{rel_md}:{n}: broken link: {target}")
                elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                    problems.append(f"{rel_md}:{n}: no heading #{anchor} in {dest.relative_to(ROOT)}")
            if not fence:
                problems += check_text(str(rel_md), n, line)
    for src in source_files():
        for n, text in comment_text(src):
            problems += check_text(str(src.relative_to(ROOT)), n, text)
    return problems


def examples_binary_dir() -> str:
    """`<binaryDir>/examples` of the `examples` configure preset, relative to the source tree."""
    presets = {p["name"]: p for p in json.loads((ROOT / "CMakePresets.json").read_text())["configurePresets"]}

    def binary_dir(name: str) -> str:
        p = presets[name]
        if "binaryDir" in p:
            return p["binaryDir"]
        inherits = p.get("inherits", [])
        for parent in [inherits] if isinstance(inherits, str) else inherits:
            found = binary_dir(parent)
            if found:
                return found
        return ""

    d = binary_dir("examples").replace("${presetName}", "examples").replace("${sourceDir}/", "")
    return d + "/examples"


def check_binaries() -> list[str]:
    programs = {p.stem for p in (ROOT / "examples").glob("*.cpp")}
    prefix = examples_binary_dir()
    problems = []
    for md in md_files():
        for n, line in enumerate(md.read_text(encoding="utf-8").split("\n"), 1):
            for m in BUILD_PATH.finditer(line):
                token = m.group("p")
                name = token.rsplit("/", 1)[-1]
                if name in programs and token != f"{prefix}/{name}":
                    problems.append(f"{md.relative_to(ROOT)}:{n}: {token}: the examples preset builds "
                                    f"this program as {prefix}/{name}")
    return problems


def main() -> int:
    args = set(sys.argv[1:]) or {"--links", "--binaries"}
    problems = []
    if "--links" in args:
        problems += check_links()
    if "--binaries" in args:
        problems += check_binaries()
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
