"""One benchmark result, and the tools to explain one: per-statement tracing and EXPLAIN."""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterator

from sqlalchemy import event

from bench.common import is_pg, median, p95, time_ms

TARGET_MS = 150.0
TARGET_RATIO = 2.0


@dataclass
class Result:
    database: str
    suite: str  # "rooms" | "inbox"
    who: str  # "developer" | "regulator"
    scenario: str
    median_ms: float | None = None
    p95_ms: float | None = None
    bare_ms: float | None = None
    payload_bytes: int | None = None
    checked: bool = True  # False: shown for information, no target
    note: str = ""
    error: str = ""
    # One traced call: (sql, params, ms) of every statement it ran, slowest first.
    statements: list[tuple[str, Any, float]] = field(default_factory=list)
    plan: str = ""  # EXPLAIN of the statements, when the time target is missed
    page_floor_ms: float | None = None  # the fastest page statement over the traced calls
    load: float | None = None  # 1-minute load average when measured: the box may be shared

    @property
    def ratio(self) -> float | None:
        if self.median_ms is None or not self.bare_ms:
            return None
        return self.median_ms / self.bare_ms

    @property
    def met(self) -> bool | None:
        if not self.checked:
            return None
        if self.error or self.median_ms is None:
            return False
        ratio_ok = self.ratio is None or self.ratio <= TARGET_RATIO
        return self.median_ms < TARGET_MS and ratio_ok

    def to_json(self) -> dict:
        out = asdict(self)
        out["ratio"], out["met"] = self.ratio, self.met
        return out


def measure(result: Result, fn: Callable[[], Any], *, runs: int, warmup: int) -> Result:
    samples = time_ms(fn, runs=runs, warmup=warmup)
    result.load = os.getloadavg()[0]
    result.median_ms, result.p95_ms = median(samples), p95(samples)
    return result


def measure_bare(result: Result, fn: Callable[[], Any], *, runs: int, warmup: int) -> None:
    result.bare_ms = median(time_ms(fn, runs=runs, warmup=warmup))


@contextmanager
def traced(engine) -> Iterator[list[tuple[str, Any, float]]]:
    """Record every statement the engine runs inside the block, with its time.

    The time is cursor.execute(): all of the work on PostgreSQL (psycopg2 fetches the
    whole result there); on SQLite it is the first step, which includes any sort."""
    out: list[tuple[str, Any, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        t0 = conn.info["bench_t0"].pop()
        out.append((statement, parameters, (time.perf_counter() - t0) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        out.sort(key=lambda s: -s[2])


def trace(res: Result, engine, fn: Callable[[], Any], n: int = 5) -> None:
    """Trace `n` calls: keep the statements of the median one (by total statement time), since one
    call alone is too noisy for sub-millisecond statements, and the fastest page statement seen."""
    calls = []
    for _ in range(n):
        with traced(engine) as statements:
            fn()
        calls.append(statements)
    calls.sort(key=lambda st: sum(ms for _sql, _params, ms in st))
    res.statements = calls[len(calls) // 2]
    res.page_floor_ms = min(sum(ms for sql, _p, ms in st if not _is_count(sql)) for st in calls)


def _is_count(sql: str) -> bool:
    low = sql.lower()
    return "count(" in low or low.lstrip().startswith("explain") or "reltuples" in low


def split_ms(res: Result) -> tuple[float, float, float]:
    """The traced call: page statement ms, count statement(s) ms, and the rest (Python)."""
    page = sum(ms for sql, _p, ms in res.statements if not _is_count(sql))
    count = sum(ms for sql, _p, ms in res.statements if _is_count(sql))
    return page, count, max(0.0, (res.median_ms or 0) - page - count)


def statement_bound(res: Result) -> bool:
    """Even the fastest traced page statement took over TARGET_RATIO × the whole bare query (which
    also pays for its connection and rows): that gap is in the SQL the call sends, not in Python."""
    page = res.page_floor_ms if res.page_floor_ms is not None else split_ms(res)[0]
    return bool(res.bare_ms) and page > TARGET_RATIO * res.bare_ms


def explain(url: str, statement: str, params: Any) -> str:
    """The plan as the database runs it: EXPLAIN ANALYZE (PostgreSQL) or EXPLAIN QUERY PLAN."""
    from netsign_console.db import get_engine

    with get_engine(url).connect() as conn:
        if is_pg(url):
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).all()
            return "\n".join(r[0] for r in rows)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)


def plans_of(url: str, res: Result) -> str:
    """EXPLAIN of every data statement of the traced call. All of them, not the slowest: on
    SQLite the traced time of a page statement is only its first step."""
    parts = []
    for sql, params, ms in res.statements:
        if sql.lstrip().upper().startswith("EXPLAIN") or "reltuples" in sql:
            continue  # the estimate's own EXPLAIN / catalogue lookup
        parts.append(f"-- {ms:.1f} ms: {' '.join(sql.split())[:90]} …\n{explain(url, sql, params)}")
    return "\n\n".join(parts)


def params_text(params: Any) -> str:
    try:
        return json.dumps(params, ensure_ascii=False, default=str)
    except TypeError:
        return str(params)
