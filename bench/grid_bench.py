"""楼盘表 (building grid) benchmark (docs/benchmarks.md, section "Building grid").

A 60-floor × 8-unit tower (960 rooms, bench/grid_tower.py) is added to the generated city on
SQLite and PostgreSQL, measured, and removed again.

1. Server time: `building_grid(session, principal, id)` as the page's handler calls it (fresh
   session, the four statements, cells, tooltips, legend), and with `grid_vars(view)` (the
   state's values: what the handler does in all), interleaved in one loop with the bare SQL —
   the same four statements by hand on the same engine, rows fetched, nothing built.
   Target: under 50 ms.
2. Payload: the UTF-8 bytes of the grid vars as Reflex serialises them (its own json_dumps).
3. The browser (bench/grid_browser.py): click on the building list's 楼盘表 link → the last of
   the 960 cells painted, in the real app in Chromium. Target: under 1 s.

    python -m bench --suite grid [--runs 20] [--skip-generate]
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import text

from bench.common import db_label, median, p95, principals, time_ms
from bench.grid_tower import ROOMS, Tower, add_tower, remove_tower

TARGET_SERVER_MS = 50.0
TARGET_PAINT_MS = 1000.0
START, END = "<!-- grid:start -->", "<!-- grid:end -->"

BARE = (
    "SELECT b.id, b.building_number, b.survey_code, b.name, b.address, b.survey_kind, b.floors_above, "
    "b.floors_below, b.unit_count, b.total_units, p.name, o.name FROM building b "
    "JOIN project p ON p.id = b.project_id JOIN organization o ON o.id = b.developer_org_id WHERE b.id = :id{scope}",
    "SELECT id, room_number, unit, actual_floor, nominal_floor, gross_area, inner_area, shared_area, layout, usage, "
    "sale_price, trade_status, designation, release_pending FROM room WHERE building_id = :id AND retired = false",
    "SELECT rr.room_id, rr.kind FROM room_restriction rr JOIN room r ON r.id = rr.room_id "
    "WHERE r.building_id = :id AND r.retired = false AND rr.active = true ORDER BY rr.room_id, rr.id",
    "SELECT number, case_type, flow_version, status, current_stage, created_at, subject_id FROM case_record "
    "WHERE subject_type = 'building' AND subject_id = :id ORDER BY created_at DESC, id DESC LIMIT 50",
)


@dataclass
class ServerRow:
    database: str
    who: str
    scenario: str
    median_ms: float
    p95_ms: float
    min_ms: float
    bare_ms: float | None = None
    checked: bool = True
    load: float = 0.0  # 1-minute load average when measured (a shared 2-CPU machine)

    @property
    def met(self) -> bool | None:
        return None if not self.checked else self.median_ms < TARGET_SERVER_MS


def _interleaved(a: Callable[[], Any], b: Callable[[], Any], runs: int, warmup: int) -> tuple[list, list]:
    for _ in range(warmup):
        a(), b()
    ta, tb = [], []
    for i in range(runs):
        order = ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta))
        for fn, out in order:
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
    return ta, tb


def server_suite(url: str, tower: Tower, runs: int, warmup: int) -> tuple[list[ServerRow], dict]:
    from reflex_base.utils.format import json_dumps

    from netsign_console.db import get_engine, session_scope
    from netsign_console.grid import building_grid
    from netsign_console.grid.payload import grid_vars

    rows, payload = [], {}
    for who, principal in principals(url).items():
        scope = "" if principal.sees_all_organizations else f" AND b.developer_org_id = {int(principal.org_id)}"
        statements = [text(BARE[0].format(scope=scope)), *(text(sql) for sql in BARE[1:])]

        def grid(principal=principal):
            with session_scope(url) as session:
                return building_grid(session, principal, tower.building_id)

        def handler():
            return grid_vars(grid())

        def bare(statements=statements):
            with get_engine(url).connect() as conn:
                for stmt in statements:
                    conn.execute(stmt, {"id": tower.building_id}).all()

        view = grid()
        assert view.room_count == ROOMS, f"{who} sees {view.room_count} rooms of the tower"
        t_grid, t_bare = _interleaved(grid, bare, runs, warmup)
        t_handler = time_ms(handler, runs=runs, warmup=warmup)
        database = db_label(url)
        load = os.getloadavg()[0]
        rows.append(ServerRow(database, who, "building_grid()", median(t_grid), p95(t_grid), min(t_grid),
                              median(t_bare), load=load))
        rows.append(ServerRow(database, who, "building_grid() + grid_vars() (the handler's work)", median(t_handler),
                              p95(t_handler), min(t_handler), median(t_bare), load=load))
        if not payload:
            values = grid_vars(view)
            tips = sum(len(json_dumps(c.tooltip).encode()) for f in values["grid_floors"] for c in f.cells)
            payload = {"bytes": len(json_dumps(values).encode()), "tooltips": tips, "cells": ROOMS,
                       "floor_bytes": len(json_dumps(values["grid_floors"]).encode())}
    return rows, payload


# ------------------------------------------------------------------ report
def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value:.1f}" if value >= 1 else f"{value:.2f}")


def _met(flag: bool | None) -> str:
    return {True: "✓", False: "✗", None: "—"}[flag]


def section(rows: list[ServerRow], payload: dict, browser: list, meta: dict) -> str:
    lines = [START, "", "## Building grid (楼盘表)", "",
             f"Run {meta['date']} with `{meta['command']}`: {meta['runs']} timed runs after {meta['warmup']} warm-up "
             "runs per server scenario (medians, nearest-rank p95, best). The data is the generated city plus one "
             f"tower of 60 floors × 8 units × 2 rooms = {ROOMS} rooms of the first developer (about 6 % of its rooms "
             "restricted, a few designated), added for this run and removed afterwards.", "",
             f"Targets: the grid under {TARGET_SERVER_MS:.0f} ms server time; a click on the building list's 楼盘表 "
             f"link to the last cell painted under {TARGET_PAINT_MS / 1000:.0f} s.", "",
             "| Database | Who | Scenario | Median ms | p95 ms | Best ms | Bare SQL ms | Ratio | Load | Target met |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|:---:|"]
    for r in rows:
        ratio = f"{r.median_ms / r.bare_ms:.1f}×" if r.bare_ms else "—"
        lines.append(f"| {r.database} | {r.who} | {r.scenario} | {_ms(r.median_ms)} | {_ms(r.p95_ms)} | "
                     f"{_ms(r.min_ms)} | {_ms(r.bare_ms)} | {ratio} | {r.load:.1f} | {_met(r.met)} |")
    lines += [
        "",
        "- **Load**: the 1-minute load average when the row was measured; above 2 (the CPUs) other work shared "
        "the machine and every time here is stretched accordingly; Best is the least disturbed run.",
        "- **building_grid()**: a fresh session, the building with its project and developer (row scope "
        "applied), the 960 rooms (only the drawn columns), their active restrictions (one join), the building's "
        "cases; then placement, cells with tooltips, the legend.",
        "- **Bare SQL**: the same four statements written by hand on the same engine, all rows fetched (raw "
        "driver values), nothing built from them; interleaved with `building_grid()` in one loop. The difference "
        "is the grid's own Python work: Decimal rows, placement, 960 cells with their tooltips (areas and prices "
        "formatted once per distinct value), the legend. The ratio has no target here: the bare query returns "
        "rows, the grid a drawn building.",
        f"- **Payload**: the grid vars as Reflex sends them (its `json_dumps`): **{payload.get('bytes', 0):,} bytes** "
        f"for {payload.get('cells', 0)} cells, of which {payload.get('floor_bytes', 0):,} are the floors "
        f"(cells) and {payload.get('tooltips', 0):,} the tooltip texts; it is sent once when the grid loads "
        "(a click on a cell sends only the room card's vars).",
        "",
    ]
    if browser:
        lines += ["Browser (Chromium, headless, the real app `reflex run --env prod` on the SQLite city, one "
                  "developer session): each run is a new browser context (a fresh Reflex state, nothing cached "
                  "from the previous run).", "",
                  "| Scenario | Runs | Median ms | Max ms | Min ms | Target met |", "|---|---:|---:|---:|---:|:---:|"]
        for b in browser:
            flag = None if b.target_ms is None else b.median_ms < b.target_ms
            lines.append(f"| {b.name} | {len(b.samples)} | {_ms(b.median_ms)} | {_ms(max(b.samples))} | "
                         f"{_ms(min(b.samples))} | {_met(flag)} |")
        lines += ["", meta.get("browser_how", "")]
    else:
        lines += ["Browser: not measured in this run (" + meta.get("browser_skipped", "skipped") + ")."]
    lines += ["", "- Machine: " + meta["machine"], "", END]
    return "\n".join(lines)


def write_section(text_: str, out: Path) -> None:
    """Replace the grid section of docs/benchmarks.md (or append it), leaving the rest."""
    from bench.sections import write_section as write

    write(text_, out, START, END)


def run(urls: list[str], runs: int = 20, warmup: int = 3, browser_runs: int = 5, browser: bool = True) -> str:
    import platform
    from datetime import datetime

    from bench.grid_browser import browser_suite

    load_before = os.getloadavg()[0]
    rows, payload, timings, meta = [], {}, [], {}
    for url in urls:
        tower = add_tower(url)
        try:
            found, payload_here = server_suite(url, tower, runs, warmup)
            rows += found
            payload = payload or payload_here
            for r in found:
                print(f"{r.database} {r.who} {r.scenario}: {r.median_ms:.1f} ms (bare {_ms(r.bare_ms)} ms)", flush=True)
            if browser and not timings and not url.startswith("postgresql"):
                timings, how = browser_suite(url, tower, browser_runs)
                meta["browser_how"] = how
                for t in timings:
                    print(f"browser {t.name}: median {t.median_ms:.0f} ms", flush=True)
        finally:
            remove_tower(url)
    if browser and not timings:
        meta["browser_skipped"] = "it runs on the SQLite city, which this run did not include"
    elif not browser:
        meta["browser_skipped"] = "--no-browser"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    meta.update({"date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                 "command": "python -m bench --suite grid", "runs": runs, "warmup": warmup,
                 "machine": f"{os.cpu_count()} × {cpu}; Python {platform.python_version()}; 1-minute load average "
                            f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 CPUs, shared)"})
    return section(rows, payload, timings, meta)
