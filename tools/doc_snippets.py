#!/usr/bin/env python3
"""Keeps code blocks in docs/ identical to the compiled files they quote.

A quoted block is announced by an HTML comment on the line before its opening fence:

    <!-- snippet: examples/die_package_board.cpp#build-network -->
    ```cpp
    ...
    ```

and the source marks the region with two `// [build-network]` lines (`# [tag]` in scenario and
study files). Without `#tag` the whole
file is quoted. `doc_snippets.py --check` (run by ctest) fails on any difference;
`doc_snippets.py --update` rewrites the blocks. Python 3 standard library only.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARK = re.compile(r"^<!-- snippet: (?P<path>[^#\s]+)(#(?P<tag>[\w-]+))? -->$")


def region(path: str, tag: str | None) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    if tag is None:
        return text.rstrip("\n")
    # `// [tag]` in C++ sources, `# [tag]` in scenario and study files
    pat = re.compile(r"^[ \t]*(?://|#) \[" + re.escape(tag) + r"\][ \t]*\n(.*?)^[ \t]*(?://|#) \[" + re.escape(tag) + r"\]",
                     re.S | re.M)
    m = pat.search(text)
    if not m:
        raise SystemExit(f"{path}: no region [{tag}]")
    lines = m.group(1).rstrip("\n").split("\n")
    indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    return "\n".join(l[indent:] for l in lines)


def process(md: pathlib.Path, update: bool) -> list[str]:
    lines = md.read_text(encoding="utf-8").split("\n")
    out, problems, i = [], [], 0
    while i < len(lines):
        out.append(lines[i])
        m = MARK.match(lines[i].strip())
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            out.append(lines[i + 1])
            j = i + 2
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            current = "\n".join(lines[i + 2:j])
            wanted = region(m.group("path"), m.group("tag"))
            if current != wanted:
                problems.append(f"{md.relative_to(ROOT)}:{i + 1}: block differs from {m.group(0)[14:-4]}")
            out.extend(wanted.split("\n"))
            if j < len(lines):
                out.append(lines[j])
            i = j + 1
            continue
        i += 1
    if update and problems:
        md.write_text("\n".join(out), encoding="utf-8")
    return problems


def main() -> int:
    update = "--update" in sys.argv
    problems = []
    for md in sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]:
        problems += process(md, update)
    for p in problems:
        print(("updated: " if update else "") + p)
    return 0 if update or not problems else 1


if __name__ == "__main__":
    sys.exit(main())
