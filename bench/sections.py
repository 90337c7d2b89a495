"""The suites that write their own section of docs/benchmarks.md (documents, survey, grid,
prices): replace the section between its two markers, or append it, leaving the rest."""

from __future__ import annotations

from pathlib import Path


def write_section(text: str, out: Path, start: str, end: str) -> None:
    current = out.read_text(encoding="utf-8") if out.exists() else "# Performance benchmarks\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        tail = rest.split(end, 1)[1]
        current = head.rstrip() + "\n\n" + text + tail
    else:
        current = current.rstrip() + "\n\n" + text + "\n"
    out.write_text(current, encoding="utf-8")
