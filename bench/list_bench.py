"""The room list (admin "rooms", 1,000,000 rows) through `list_records`, against the bare
SQL a person would write for the same page.

Per principal (a developer sees its ~20,000 rooms, the regulator all of them):
  a  first page with the configured count (estimate); the exact count is timed on its own
  b  search "3-05" (the start of a number)
  c  filter trade_status=saleable, sort by sale price descending
  d  page 500 by offset, and by the keyset cursor handed out with page 499
  e  search "0101", an inner part of the number (20,000 of the million rooms hold it)
  f  search "4-0": 90,000 matches, the first of them three quarters down the sort order (the
     hardest kind of term for either strategy; see docs/benchmarks.md)
  b′, e′ on SQLite: the same page and count by plain LIKE '%…%', for scale (not a target)

"Bare" = the same 21 rows (page size + 1) by hand-written SQL, no count, no formatting:
the ratio list/bare is what the generic list machinery costs on top of the query itself.

    python -m bench.list_bench [--db URL] [--runs 20]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Callable

from sqlalchemy import func, select, text

from bench.common import cli, db_label, is_pg, principals, time_ms
from bench.measure import TARGET_MS, Result, measure, measure_bare, plans_of, statement_bound, trace, traced

SEARCH = "3-05"
INNER = "0101"
DENSE_LATE = "4-0"
DEEP_PAGE = 500
BARE_COLUMNS = ("r.id, r.room_number, b.name AS building, r.unit, r.actual_floor, r.nominal_floor, r.gross_area, "
                "r.inner_area, r.shared_area, r.usage, r.layout, r.sale_price, r.trade_status")


@dataclass(frozen=True)
class Scenario:
    title: str
    search: str = ""
    status: str = ""  # trade_status filter
    by_price: bool = False  # sort -sale_price instead of the default room_number
    page: int = 1
    keyset: bool = False

    def params(self, cursor: str = ""):
        from netsign_console.admin.query import ListParams

        return ListParams(search=self.search, filters={"trade_status": self.status} if self.status else {},
                          sort="-sale_price" if self.by_price else "", page=self.page, cursor=cursor)


SCENARIOS = (
    Scenario("a. first page"),
    Scenario(f"b. search “{SEARCH}”", search=SEARCH),
    Scenario("c. saleable, sort −sale_price", status="saleable", by_price=True),
    Scenario(f"d. page {DEEP_PAGE} (offset)", page=DEEP_PAGE),
    Scenario(f"d. page {DEEP_PAGE} (keyset)", page=DEEP_PAGE, keyset=True),
    Scenario(f"e. search inner part “{INNER}”", search=INNER),
    Scenario(f"f. search “{DENSE_LATE}” (90,000 matches, late in the order)", search=DENSE_LATE),
)


def bare_page(s: Scenario, org_id: int | None, size: int, after: tuple[str, int] | None,
              pg: bool = False) -> tuple[str, dict]:
    """Hand-written SQL for the same page; a keyset page compares the (room_number, id) pair."""
    where, params = [], {"limit": size + 1, "offset": 0 if after else (s.page - 1) * size}
    if s.search:
        return bare_search_page(s.search, org_id, params)
    if org_id is not None:
        where.append("r.developer_org_id = :org")
        params["org"] = org_id
    if s.status:
        where.append("r.trade_status = :status")
        params["status"] = s.status
    if after:
        where.append("(r.room_number, r.id) > (:after_value, :after_id)")
        params["after_value"], params["after_id"] = after
    order = "r.sale_price DESC, r.id DESC" if s.by_price else "r.room_number, r.id"
    sql = (f"SELECT {BARE_COLUMNS} FROM room r LEFT JOIN building b ON b.id = r.building_id "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT :limit OFFSET :offset")
    return sql, params


def bare_search_page(term: str, org_id: int | None, params: dict) -> tuple[str, dict]:
    """The search page as one would write it by hand with the same structures: a developer's
    rooms by LIKE over its scope; the whole city by the page's 21 matches from the side table
    (models/search.py), joined to room afterwards."""
    from netsign_console.admin.fragment import ascii_upper

    joined = f"SELECT {BARE_COLUMNS} FROM room r LEFT JOIN building b ON b.id = r.building_id"
    if org_id is not None:
        params.update(org=org_id, pattern=f"%{term.lower()}%")
        return (f"{joined} WHERE r.developer_org_id = :org AND lower(r.room_number) LIKE :pattern "
                "ORDER BY r.room_number, r.id LIMIT :limit OFFSET :offset"), params
    params["lo"], params["hi"] = ascii_upper(term), ascii_upper(term[:-1] + chr(ord(term[-1]) + 1))
    page = ("SELECT room_id, room_number FROM room_number_suffix WHERE suffix >= :lo AND suffix < :hi "
            "GROUP BY room_id, room_number ORDER BY room_number, room_id LIMIT :limit OFFSET :offset")
    return (f"{joined} JOIN ({page}) m ON m.room_id = r.id ORDER BY r.room_number, r.id"), params


def payload_bytes(result) -> int:
    """What the browser receives for the table: rows, column headers and the total label."""
    body = {"columns": result.columns, "rows": result.rows, "total_label": result.total_label}
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _bench_scenario(url: str, admin: Any, who: str, principal: Any, s: Scenario, runs: int, warmup: int,
                    label: str = "") -> Result:
    from netsign_console.admin.query import list_records
    from netsign_console.db import get_engine

    engine = get_engine(url)
    res = Result(db_label(url), "rooms", who, s.title + label)
    cursor, after = "", None
    if s.keyset:
        previous = list_records(admin, principal, replace(s, page=s.page - 1, keyset=False).params(), url=url)
        cursor = previous.next_cursor
        last = previous.rows[-1]
        after = (last["room_number"], int(last["_id"]))
    params = s.params(cursor)
    call: Callable[[], Any] = lambda: list_records(admin, principal, params, url=url)  # noqa: E731
    first = call()
    measure(res, call, runs=runs, warmup=warmup)
    res.payload_bytes = payload_bytes(first)
    sql, sql_params = bare_page(s, principal.org_id if who == "developer" else None, admin.page_size, after,
                                pg=is_pg(url))

    def bare():
        with engine.connect() as conn:
            return conn.execute(text(sql), sql_params).all()

    measure_bare(res, bare, runs=runs, warmup=warmup)
    bare_ids = [row[0] for row in bare()][: admin.page_size]
    if bare_ids != [int(r["_id"]) for r in first.rows]:
        res.note = "bare SQL returned different rows!"
    res.note = "; ".join(filter(None, [res.note, f"total label “{first.total_label}”"]))
    trace(res, engine, call)
    return res


def _naive_like(url: str, who: str, principal: Any, term: str, tag: str, runs: int, warmup: int) -> Result:
    """b′ / e′: the page and its capped count by `room_number LIKE '%term%'` alone, as one might
    write them without the side table: what the index strategy saves on SQLite. No target."""
    from netsign_console.db import get_engine

    where = "r.room_number LIKE :pattern" + (" AND r.developer_org_id = :org" if who == "developer" else "")
    page_sql = text(f"SELECT {BARE_COLUMNS} FROM room r LEFT JOIN building b ON b.id = r.building_id "
                    f"WHERE {where} ORDER BY r.room_number, r.id LIMIT 21")
    count_sql = text(f"SELECT count(*) FROM (SELECT r.id FROM room r WHERE {where} LIMIT 10001) AS capped")
    params = {"pattern": f"%{term}%", "org": principal.org_id}
    engine = get_engine(url)

    def both():
        with engine.connect() as conn:
            conn.execute(page_sql, params).all()
            return conn.execute(count_sql, params).scalar_one()

    return measure(Result(db_label(url), "rooms", who, f"{tag}′. page + count by plain LIKE '%{term}%' (for scale)",
                          checked=False, note="no side table: the LIKE reads the room_number index"),
                   both, runs=max(5, runs // 2), warmup=1)


def _exact_count(url: str, admin: Any, who: str, principal: Any, runs: int, warmup: int) -> Result:
    """What count_mode "exact" would add to the first page: the count of all visible rows."""
    from netsign_console.admin.query import ListParams, filtered_select
    from netsign_console.db import get_engine, session_scope

    ids = filtered_select(admin, principal, ListParams()).with_only_columns(admin.model.id).order_by(None)
    stmt = select(func.count()).select_from(ids.subquery())
    total = {}

    def count():
        with session_scope(url) as session:
            total["n"] = session.execute(stmt).scalar_one()

    res = measure(Result(db_label(url), "rooms", who, "a′. exact count alone (not configured)", checked=False),
                  count, runs=max(5, runs // 2), warmup=1)
    res.note = f"{total['n']:,} rows"
    with traced(get_engine(url)) as statements:
        count()
    res.statements = statements
    return res


def attach_plan(url: str, res: Result) -> None:
    """For a missed time target, or a ratio miss in the SQL itself: the plans of the statements
    the call ran. Other ratio misses are per-call overhead: the report's breakdown says so."""
    if res.met is not False or not res.statements:
        return
    if (res.median_ms or 0) < TARGET_MS and not statement_bound(res):
        return
    try:
        res.plan = plans_of(url, res)
    except Exception as exc:  # the plan is a diagnostic; never lose the numbers over it
        res.plan = f"(EXPLAIN failed: {exc})"


def bench_rooms(url: str, who: str, s: Scenario, *, runs: int, warmup: int, label: str = "") -> list[Result]:
    """One scenario; a call that raises is reported as a failed result, not a crashed run."""
    import netsign_console.admin.admins  # noqa: F401  registers the admins
    from netsign_console.admin.base import get_admin

    try:
        return [_bench_scenario(url, get_admin("rooms"), who, principals(url)[who], s, runs, warmup, label)]
    except Exception as exc:
        return [Result(db_label(url), "rooms", who, s.title + label, error=_first_line(exc))]


def run(url: str, *, runs: int = 20, warmup: int = 3) -> list[Result]:
    import netsign_console.admin.admins  # noqa: F401  registers the admins
    from netsign_console.admin.base import get_admin

    results = []
    for who, principal in principals(url).items():
        for s in SCENARIOS:
            results += bench_rooms(url, who, s, runs=runs, warmup=warmup)
            print(f"  {results[-1].database:<10} {who:<9} {results[-1].scenario:<45} "
                  f"{results[-1].median_ms or 0:8.1f} ms", flush=True)
        results.append(_exact_count(url, get_admin("rooms"), who, principal, runs, warmup))
        if not is_pg(url):
            for term, tag in ((SEARCH, "b"), (INNER, "e")):
                results.append(_naive_like(url, who, principal, term, tag, runs, warmup))
    for res in results:
        attach_plan(url, res)
    return results


def _first_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"


def main(argv: list[str] | None = None) -> None:
    cli("python -m bench.list_bench", run, argv)


if __name__ == "__main__":
    main()
