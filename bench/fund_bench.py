"""Pre-sale fund supervision benchmark (docs/benchmarks.md, section "Fund supervision", issue 10).

Its own data set on top of the demo: one agreement over a 2,000-room building with 1,500
contracts and 20,000 active ledger entries (入账, 退款, 拨付), and 5,000 further agreements
(one building each) for the regulator's city view. Two measurements, each interleaved with
the bare SQL of the same answer:

* balances: `fund.figures.compute` (three SQL sums, then every figure through
  domain/fund.py's rules in Decimal) beside one grouped SUM over the ledger. Target < 20 ms.
* list: the regulator's agreement list, first page, through the admin generator
  (`list_records("fund-agreements")`: scope, ordering, estimate count, formatting) beside one
  SELECT … ORDER BY id DESC LIMIT 21. Target < 150 ms.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from bench.common import DEFAULT_URLS, p95

START, END = "<!-- fund:start -->", "<!-- fund:end -->"
BENCH_DB = "netsign_bench_fund"
ROOMS, ENTRIES, CONTRACTS, AGREEMENTS = 2_000, 20_000, 1_500, 5_000
TARGETS = {"balances": 20.0, "list": 150.0}
BARE_BALANCES = text("SELECT kind, sum(amount) FROM fund_ledger_entry WHERE agreement_id = :a AND active = :t "
                     "GROUP BY kind")
BARE_LIST = text("SELECT id, agreement_number, building_id, developer_org_id, bank_org_id, total_supervised, balance, "
                 "key_amount, disbursable, construction_progress, supervised_count, saleable_count, status "
                 "FROM fund_agreement WHERE status <> 'draft' ORDER BY id DESC LIMIT 21")


@dataclasses.dataclass
class Timing:
    database: str
    what: str
    service: list[float]
    bare: list[float]

    @property
    def met(self) -> bool:
        return statistics.median(self.service) < TARGETS[self.what]


def _setup(url: str) -> int:
    """The data set; returns the big agreement's id."""
    from sqlmodel import Session, select

    from bench.common import ensure_database, migrate
    from models.bank import SupervisionAccount
    from models.building import Building, Room
    from models.fund import FundAgreement, FundAgreementRoom, FundContract, FundLedgerEntry
    from models.project import Project
    from netsign_console.db import get_engine
    from netsign_console.demo.loader import load_demo_data
    from netsign_console.fund import figures

    ensure_database(url, reset=True)
    migrate(url)
    load_demo_data(url)
    engine = get_engine(url)
    with Session(engine) as s:
        project = s.exec(select(Project).where(Project.name == "星城·湘江府")).one()
        account = s.exec(select(SupervisionAccount)).first()
        dev = project.developer_org_id
        buildings = [Building(project_id=project.id, developer_org_id=dev, building_number=f"F{i:05d}")
                     for i in range(AGREEMENTS + 1)]
        s.add_all(buildings)
        s.flush()
        big = buildings[0]
        rooms = [Room(building_id=big.id, project_id=project.id, developer_org_id=dev, room_number=f"{i // 40 + 1}-{i:04d}",
                      actual_floor=i // 40 + 1, gross_area=Decimal("95.1234") + i % 7, inner_area=Decimal("80.0000"),
                      shared_area=Decimal("15.1234") + i % 7, trade_status="saleable") for i in range(ROOMS)]
        s.add_all(rooms)
        s.flush()

        def agreement(b, n) -> FundAgreement:
            return FundAgreement(building_id=b.id, project_id=project.id, developer_org_id=dev, account_id=account.id,
                                 bank_org_id=account.bank_org_id, agreement_number=f"JG2026-{n:05d}",
                                 construction_progress="主体结构施工", presale_total=Decimal("200000000.00"),
                                 key_rule="area", key_amount=Decimal("30000000.00"), room_count=ROOMS,
                                 supervised_count=ROOMS, saleable_count=ROOMS, status="filed", case_number=f"Z{n:015d}",
                                 balance=Decimal(n * 1000), disbursable=Decimal(n * 100))
        main = agreement(big, 0)
        s.add(main)
        s.add_all([agreement(b, n) for n, b in enumerate(buildings[1:], start=1)])
        s.flush()
        s.add_all([FundAgreementRoom(agreement_id=main.id, room_id=r.id, supervised=i % 10 != 0)
                   for i, r in enumerate(rooms)])
        contracts = [FundContract(agreement_id=main.id, developer_org_id=dev, room_id=rooms[i].id,
                                  contract_number=f"YS{i:08d}", buyer_name="购房人", total_price=Decimal("1200000.00"),
                                  payment_method="commercial_loan", case_number=f"L{i:015d}", active=True)
                     for i in range(CONTRACTS)]
        s.add_all(contracts)
        s.flush()
        day = date(2026, 1, 1)
        kinds = ["deposit"] * 18 + ["refund", "disbursement"]
        s.add_all([FundLedgerEntry(agreement_id=main.id, contract_id=contracts[i % CONTRACTS].id,
                                   room_id=contracts[i % CONTRACTS].room_id, kind=kinds[i % 20],
                                   entry_type={"deposit": "down_payment", "refund": "unwind_refund"}.get(kinds[i % 20],
                                                                                                        "withdrawal"),
                                   amount=Decimal("12345.67") + i % 100, entry_date=day + timedelta(days=i % 300),
                                   case_number=f"L{i:015d}", active=True) for i in range(ENTRIES)])
        s.flush()
        figures.refresh(s, main)
        s.commit()
        main_id = main.id
    from netsign_console.db import analyze

    analyze(url)
    return main_id


def measure(url: str, label: str, runs: int, warmup: int) -> list[Timing]:
    from sqlmodel import Session, select

    from models.fund import FundAgreement
    from models.user import User
    from netsign_console.admin.query import ListParams, list_records
    from netsign_console.auth.service import principal_for_user
    from netsign_console.db import get_engine
    from netsign_console.fund import figures

    agreement_id = _setup(url)
    engine = get_engine(url)
    with Session(engine) as session:
        regulator = principal_for_user(session, session.exec(select(User).where(User.username == "regulator")).one())

    def balances() -> object:
        with Session(engine) as session:
            return figures.compute(session, session.get(FundAgreement, agreement_id))

    def bare_balances() -> object:
        with Session(engine) as session:
            return session.execute(BARE_BALANCES, {"a": agreement_id, "t": True}).all()

    def listing() -> object:
        return list_records("fund-agreements", regulator, ListParams(), url=url)

    def bare_listing() -> object:
        with Session(engine) as session:
            return session.execute(BARE_LIST).all()

    computed = balances()
    sums = dict(bare_balances())
    assert computed.deposited == Decimal(sums["deposit"]).quantize(Decimal("0.01"))
    assert len(listing().rows) == 20 and len(bare_listing()) == 21
    out = []
    for what, service, bare in (("balances", balances, bare_balances), ("list", listing, bare_listing)):
        for _ in range(warmup):
            service(), bare()
        timing = Timing(label, what, [], [])
        for _ in range(runs):  # interleaved: both sides see the same machine
            start = time.perf_counter()
            service()
            timing.service.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare()
            timing.bare.append((time.perf_counter() - start) * 1000)
        out.append(timing)
    return out


def run(runs: int = 20, warmup: int = 3, databases: tuple[str, ...] = ("SQLite", "PostgreSQL")) -> str:
    from datetime import datetime

    from sqlalchemy.engine import make_url

    from netsign_console import settings as config
    from netsign_console.db import dispose_engines

    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="netsign-fundbench-"))
    saved = config.settings
    config.settings = dataclasses.replace(saved, private_dir=work / "private")
    timings: list[Timing] = []
    try:
        for name in databases:
            url = (f"sqlite:///{work / 'fund.db'}" if name == "SQLite"
                   else make_url(DEFAULT_URLS["PostgreSQL"]).set(database=BENCH_DB).render_as_string(False))
            timings += measure(url, name, runs, warmup)
            dispose_engines()
    finally:
        config.settings = saved
    labels = {"balances": f"Balances of one agreement ({ROOMS:,} rooms, {ENTRIES:,} ledger entries)",
              "list": f"Regulator's agreement list, first page ({AGREEMENTS + 1:,} agreements)"}
    lines = [START, "", "## Fund supervision (预售资金监管, issue 10)", "",
             f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `python -m bench --suite fund`: {runs} timed "
             f"runs after {warmup} warm-up runs, interleaved with the bare SQL. The suite builds its own data on top "
             f"of the demo: one agreement over a {ROOMS:,}-room building with {CONTRACTS:,} contracts and "
             f"{ENTRIES:,} active ledger entries, and {AGREEMENTS:,} further agreements.", "",
             "| Database | Measurement | Service median ms | p95 ms | Bare SQL median ms | Ratio | Target |",
             "|---|---|---:|---:|---:|---:|:---:|"]
    for t in timings:
        med, bare = statistics.median(t.service), statistics.median(t.bare)
        lines.append(f"| {t.database} | {labels[t.what]} | {med:,.1f} | {p95(t.service):,.1f} | {bare:,.1f} | "
                     f"{med / bare:,.1f}× | {'✓' if t.met else '✗'} < {TARGETS[t.what]:.0f} ms |")
    lines += ["",
              "- Balances: `netsign_console.fund.figures.compute` — a grouped SUM over the agreement's active ledger "
              "entries, the SUM of its open withdrawals, the SUM of the contracts of its supervised rooms, then "
              "`domain.fund.agreement_figures` (balance, key amount, frozen, disbursable) in Decimal, rounded once. "
              "Bare: the grouped SUM alone.",
              "- List: `list_records(\"fund-agreements\")` as the regulator's 预售资金监管协议 page asks it (scope, "
              "ordering by id, the estimate count, every column formatted). The figures are columns of the "
              "agreement, kept by `figures.refresh` with every ledger or withdrawal change, so the list sums "
              "nothing. Bare: one SELECT of the same columns, LIMIT 21.",
              f"- Load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after.", "", END]
    return "\n".join(lines)


def write_section(text_: str, out: Path) -> None:
    from bench.sections import write_section as write

    write(text_, out, START, END)


if __name__ == "__main__":
    print(run())
