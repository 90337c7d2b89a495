"""Batch price generation benchmark (docs/benchmarks.md, section "Price generation", issue 8).

One 2,000-room building (50 floors × 4 units × 10 rooms) in a 预测成果备案 case, and the
floor-by-floor generator of SURV-05 run through the case's service as the screen runs it
(access and task check, the rule parsed, every room's price computed in Decimal and
rounded once, sale price = shell + decoration, the rooms written through the ORM, the
timeline and audit events) — each run in a transaction rolled back, so every run prices the same
rooms. Beside it, interleaved: the bare work, one UPDATE statement computing the same prices
in SQL. Target: under 1 s.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.common import DEFAULT_URLS, p95

TARGET_MS = 1000.0
START, END = "<!-- prices:start -->", "<!-- prices:end -->"
BENCH_DB = "netsign_bench_prices"
FLOORS, UNITS, PER_FLOOR = 50, 4, 10
RULE = {"price_kind": "shell_price", "base_price": "9000", "base_floor": "1", "direction": "up",
        "change": "increase", "step": "60"}
BARE = text(
    "UPDATE room SET shell_price = 9000 + 60 * (actual_floor - 1), "
    "sale_price = 9000 + 60 * (actual_floor - 1) + coalesce(decoration_price, 0) "
    "WHERE building_id = :b AND retired = :f"
)


@dataclasses.dataclass
class Timing:
    database: str
    rooms: int
    service: list[float]
    bare: list[float]

    @property
    def met(self) -> bool:
        return statistics.median(self.service) < TARGET_MS


def _setup(url: str) -> tuple[int, int]:
    """(case id, building id) of a forecast filing case over a fresh 2,000-room survey."""
    from sqlmodel import select

    from bench.common import ensure_database, migrate
    from models.building import Building
    from models.project import Project
    from models.survey import SurveyBuilding
    from models.user import User
    from netsign_console.auth.service import principal_for_user
    from netsign_console.db import session_scope
    from netsign_console.demo.loader import load_demo_data
    from netsign_console.demo.survey import survey_rows
    from netsign_console.domain.survey_columns import COLUMNS
    from netsign_console.domain.survey_file import parse_survey
    from netsign_console.survey.importing import store_survey
    from netsign_console.workflow import engine as wf

    ensure_database(url, reset=True)
    migrate(url)
    load_demo_data(url)
    with session_scope(url) as session:
        project = session.exec(select(Project).where(Project.name == "星城·湘江府")).one()
        survey = parse_survey([c.header for c in COLUMNS],
                              survey_rows("YC20269990001", "T001", "CL20269990001", FLOORS, UNITS, PER_FLOOR))
        result = store_survey(session, survey, developer_org_id=project.developer_org_id, project_id=project.id)
        sb = session.exec(select(SurveyBuilding).where(SurveyBuilding.result_id == result.id)).one()
        dev = principal_for_user(session, session.exec(select(User).where(User.username == "dev_operator")).one())
        case = wf.accept(session, dev, "survey_forecast_filing", subject_id=sb.id)
        building = session.exec(select(Building).where(Building.building_number == "T001")).one()
        return case.id, building.id


def measure(url: str, label: str, runs: int, warmup: int) -> Timing:
    from sqlmodel import Session, select

    from models.user import User
    from netsign_console.auth.service import principal_for_user
    from netsign_console.db import get_engine
    from netsign_console.workflow import subtask_service as st
    from netsign_console.workflow.room_batch import RoomSelection

    case_id, building_id = _setup(url)
    engine = get_engine(url)
    with Session(engine) as session:
        dev = principal_for_user(session, session.exec(select(User).where(User.username == "dev_operator")).one())

    def service() -> int:
        with Session(engine) as session:
            count = st.rooms_generate_prices(session, dev, case_id, "entry", "rooms", RoomSelection(), RULE,
                                             preview=False)
            session.rollback()
        return count

    def bare() -> int:
        with Session(engine) as session:
            count = session.execute(BARE, {"b": building_id, "f": False}).rowcount
            session.rollback()
        return count

    assert service() == bare() == FLOORS * UNITS * PER_FLOOR
    for _ in range(warmup):
        service(), bare()
    timing = Timing(label, FLOORS * UNITS * PER_FLOOR, [], [])
    for _ in range(runs):  # interleaved: both sides see the same machine
        start = time.perf_counter()
        service()
        timing.service.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare()
        timing.bare.append((time.perf_counter() - start) * 1000)
    return timing


def run(runs: int = 10, warmup: int = 2, databases: tuple[str, ...] = ("SQLite", "PostgreSQL")) -> str:
    from datetime import datetime

    from sqlalchemy.engine import make_url

    from netsign_console import settings as config
    from netsign_console.db import dispose_engines

    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="netsign-pricebench-"))
    saved = config.settings
    config.settings = dataclasses.replace(saved, private_dir=work / "private")
    timings = []
    try:
        for name in databases:
            url = (f"sqlite:///{work / 'prices.db'}" if name == "SQLite"
                   else make_url(DEFAULT_URLS["PostgreSQL"]).set(database=BENCH_DB).render_as_string(False))
            timings.append(measure(url, name, runs, warmup))
            dispose_engines()
    finally:
        config.settings = saved
    lines = [START, "", "## Price generation (价格快捷设置, SURV-05)", "",
             f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `python -m bench --suite prices`: {runs} timed "
             f"runs after {warmup} warm-up runs, interleaved with the bare work. A {FLOORS}-floor × {UNITS}-unit × "
             f"{PER_FLOOR}-room building ({FLOORS * UNITS * PER_FLOOR:,} rooms) in a 预测成果备案 case; each run is "
             "rolled back.", "",
             "| Database | Rooms | Generator median ms | p95 ms | Bare UPDATE median ms | Ratio | Target < 1 s |",
             "|---|---:|---:|---:|---:|---:|:---:|"]
    for t in timings:
        med, bare = statistics.median(t.service), statistics.median(t.bare)
        lines.append(f"| {t.database} | {t.rooms:,} | {med:,.1f} | {p95(t.service):,.1f} | {bare:,.1f} | "
                     f"{med / bare:,.1f}× | {'✓' if t.met else '✗'} |")
    lines += ["",
              "- Generator: `subtask_service.rooms_generate_prices` — the case and task check, the rule, Decimal "
              "prices per room (shell by floor, sale = shell + decoration, rounded once to the fen), the rooms "
              "written through the ORM (a batched UPDATE, a row per room), the subtask mark, the timeline event "
              "and the audit row.",
              "- Bare: one `UPDATE room SET shell_price = 9000 + 60 × (floor − 1), sale_price = …` over the "
              "building, in SQL arithmetic (no Decimal in Python, no events).",
              f"- Load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after.", "", END]
    return "\n".join(lines)


def write_section(text_: str, out: Path) -> None:
    from bench.sections import write_section as write

    write(text_, out, START, END)


if __name__ == "__main__":
    print(run())
