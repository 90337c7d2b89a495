"""The regulator's inbox (在手业务) over 100,000 open network-access review tasks:
the first page (20 rows) and the header's pending count, each as the console calls it
(one session per call), against the hand-written SQL for the same rows / number.

    python -m bench.inbox_bench [--db URL] [--runs 20]
"""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import bindparam, text

from bench.common import cli, db_label, principals
from bench.list_bench import attach_plan
from bench.measure import Result, measure, measure_bare, trace

PAGE_SIZE = 20
# The claimable queue of inbox._inbox_scope, written out: my open tasks, or open unowned
# tasks of one of my role codes, for no organisation or mine.
SCOPE = ("t.status = 'open' AND (t.owner_id = :me OR (t.owner_id IS NULL AND t.roles IN :roles "
         "AND (t.org_id IS NULL OR t.org_id = :org)))")
BARE_PAGE = text(
    "SELECT t.id, t.case_id, t.stage, t.stage_title, t.created_at, t.owner_id, c.number, c.case_type, "
    "c.flow_version, c.title, o.name, ow.display_name, d.display_name, pv.status, pv.return_reason "
    "FROM case_task t JOIN case_record c ON c.id = t.case_id "
    "LEFT JOIN app_user ow ON ow.id = t.owner_id LEFT JOIN case_task pv ON pv.id = t.previous_task_id "
    "LEFT JOIN organization o ON o.id = c.org_id LEFT JOIN app_user d ON d.id = t.dispatched_by_id "
    f"WHERE {SCOPE} ORDER BY t.created_at DESC, t.id DESC LIMIT :limit"
).bindparams(bindparam("roles", expanding=True))
BARE_COUNT = text(f"SELECT count(*) FROM case_task t WHERE {SCOPE}").bindparams(bindparam("roles", expanding=True))


INBOX_SCENARIOS = {"page": "inbox page 1 (20 rows)", "count": "inbox_count (header badge)"}


def bench_inbox(url: str, which: str, *, runs: int, warmup: int, label: str = "") -> Result:
    """One inbox scenario ("page" or "count") as the console calls it, and its bare SQL."""
    import netsign_console.workflow  # noqa: F401  registers the flows
    from netsign_console.db import get_engine, session_scope
    from netsign_console.workflow.inbox import inbox, inbox_count
    from netsign_console.workflow.registry import roles_codes_for

    engine = get_engine(url)
    principal = principals(url)["regulator"]
    params = {"me": principal.user_id, "org": principal.org_id, "roles": roles_codes_for(principal.role),
              "limit": PAGE_SIZE + 1}

    def call():
        with session_scope(url) as session:
            if which == "page":
                return inbox(session, principal, page=1, page_size=PAGE_SIZE)
            return inbox_count(session, principal)

    statement = BARE_PAGE if which == "page" else BARE_COUNT

    def bare():
        with engine.connect() as conn:
            return conn.execute(statement, params).all()

    res = measure(Result(db_label(url), "inbox", "regulator", INBOX_SCENARIOS[which] + label), call,
                  runs=runs, warmup=warmup)
    measure_bare(res, bare, runs=runs, warmup=warmup)
    out = call()
    if which == "page":
        # The page state holds one flat dict per row (pages/inbox.py InboxItem): about this.
        res.payload_bytes = len(json.dumps([asdict(r) for r in out.rows], ensure_ascii=False).encode())
        same = [r[0] for r in bare()][:PAGE_SIZE] == [r.task_id for r in out.rows]
        res.note = "" if same else "bare SQL returned different rows!"
    else:
        res.note = f"{out:,} tasks" if out == bare()[0][0] else "bare count differs!"
    trace(res, engine, call)
    attach_plan(url, res)
    print(f"  {res.database:<10} {res.scenario:<45} {res.median_ms:8.1f} ms", flush=True)
    return res


def run(url: str, *, runs: int = 20, warmup: int = 3) -> list[Result]:
    return [bench_inbox(url, which, runs=runs, warmup=warmup) for which in INBOX_SCENARIOS]


def main(argv: list[str] | None = None) -> None:
    cli("python -m bench.inbox_bench", run, argv)


if __name__ == "__main__":
    main()
