"""New-house contract benchmarks (docs/benchmarks.md, section "Contracts", issue 11).

1. Per contract: the PDF rendered through the document layer from a real contract's rows
   (商品房买卖合同（预售）, electronic layout, a combined loan, two buyers), the developer's two
   seals stamped at the template's marks, and the filing authority's PAdES signature — beside
   bare xhtml2pdf (`pisa.CreatePDF` with defaults) on the very HTML the layer produced,
   interleaved in the same run. Target: the whole chain under 300 ms.
2. Accepted signings per second with 20 parallel workers on PostgreSQL: each worker takes the
   next room and runs the real claim (row lock, every signing check, conditional UPDATE on the
   version) in its own transaction — alone, followed by the draft contract row, and followed by
   the draft and its number from the city's yearly counter; then every worker racing for the
   same rooms (one wins each). Beside it the bare work: the conditional UPDATE alone, same workers.
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import threading
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from bench.common import DEFAULT_URLS, median, p95

TARGET_MS = 300.0
WORKERS = 20
ROOMS = 2000
START, END = "<!-- contracts:start -->", "<!-- contracts:end -->"
BENCH_DB = "netsign_bench_contracts"
CODE = "ABCDEFGHJKMNPQRSTVWX"


# ------------------------------------------------------------------ PDF per contract
def _contract_for_pdf(url: str) -> int:
    from sqlmodel import select

    from models.building import Building, Room
    from models.organization import Organization
    from netsign_console.contracts.entry import Terms, assign_number, open_contract, save_parties, save_terms
    from netsign_console.db import session_scope
    from netsign_console.domain.contract import Party

    with session_scope(url) as s:
        room_id = s.exec(select(Room.id).join(Building, Building.id == Room.building_id)
                         .where(Building.building_number == "D001", Room.room_number == "1-1001")).one()
        contract = open_contract(s, room_id, case_number="F202612020000001")
        assign_number(s, contract)
        save_parties(s, contract, [
            Party(name="张三", id_type="resident_id", id_number="11010519491231002X", phone="13800138000",
                  address="长沙市天心区湘府中路1号", share="60"),
            Party(name="李四", id_type="resident_id", id_number="430102198001011233", phone="13907310001",
                  address="长沙市岳麓区麓山南路9号", share="40", role="co_owner")])
        bank = s.exec(select(Organization.id).where(Organization.name.startswith("中国建设银行"))).one()
        centre = s.exec(select(Organization.id).where(Organization.name.startswith("长沙住房公积金"))).one()
        save_terms(s, contract, Terms(payment_method="combined_loan", mortgage_bank_org_id=bank, fund_center_org_id=centre,
                                      commercial_loan_amount=Decimal("300000"), fund_loan_amount=Decimal("400000")))
        return contract.id


def pdf_suite(runs: int, warmup: int) -> list[tuple[str, list[float], list[float] | None, str]]:
    from sqlmodel import select
    from xhtml2pdf import pisa

    from bench.documents_bench import _interleaved, _setup
    from models.contract import Contract
    from models.seal import Seal
    from netsign_console.contracts.document_data import contract_data, document_kind
    from netsign_console.contracts.seals import seal_image
    from netsign_console.contracts.signing import seal_pdf
    from netsign_console.db import session_scope
    from netsign_console.documents import render_pdf, resolve_template
    from netsign_console.documents.pdf import Stamp, pdf_html
    from netsign_console.documents.signing import sign_pdf, validate_pdf
    from netsign_console.documents.templates_service import render_body

    from netsign_console.admin import files

    work = Path(tempfile.mkdtemp(prefix="netsign-contractbench-"))
    # Seal images are admin files (admin/files.py reads its own settings): keep them in the bench's folder too.
    files.settings = dataclasses.replace(files.settings, private_dir=work / "private")
    url = _setup(work)
    contract_id = _contract_for_pdf(url)
    with session_scope(url) as s:
        contract = s.get(Contract, contract_id)
        kind, data = document_kind(contract), contract_data(s, contract)
        seals = {seal.kind: seal_image(seal) for seal in s.exec(select(Seal).where(
            Seal.developer_org_id == contract.developer_org_id, Seal.active.is_(True)))}
        body = resolve_template(s, kind, variant="electronic").body
    stamp = Stamp(contract.contract_number, CODE)
    html = pdf_html(render_body(kind, body, data, stamp), stamp)

    def render() -> bytes:
        with session_scope(url) as s:
            return render_pdf(s, kind, data, number=stamp.number, verification_code=CODE, variant="electronic")

    def chain() -> bytes:
        return sign_pdf(seal_pdf(render(), seals), reason="合同盖章", location="长沙市")

    def bare() -> bytes:
        buf = io.BytesIO()
        pisa.CreatePDF(html, dest=buf)
        return buf.getvalue()

    signed = chain()
    assert validate_pdf(signed).valid, "the benchmark's own contract must validate"
    whole, bare_times = _interleaved(chain, bare, runs, warmup)
    pdf = render()
    parts = []
    for label, fn in (("render only (template, sandbox, frame, QR, xhtml2pdf)", render),
                      ("stamp two seals (find marks, overlay, merge)", lambda: seal_pdf(pdf, seals)),
                      ("sign (PAdES B-B, RSA-2048)", lambda: sign_pdf(pdf, reason="合同盖章", location="长沙市"))):
        times = []
        for i in range(warmup + runs):
            start = time.perf_counter()
            fn()
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000)
        parts.append((f"↳ {label}", times, None, "information"))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(signed)).pages)
    return [(f"render + stamp + sign: 商品房买卖合同（预售）, {pages} pages, {len(signed) // 1024} KB", whole, bare_times,
             "target"), *parts]


# ------------------------------------------------------------------ accepted signings per second
def _pg_setup(url: str, rooms_count: int) -> list[int]:
    """A fresh database with the demo and one bench building of ROOMS saleable, permitted rooms."""
    from datetime import date

    from sqlmodel import select

    from bench.common import ensure_database, migrate
    from models.building import Building, Room
    from models.fund import AgreementStatus, FundAgreement
    from models.permit import Permit, PermitRoom
    from models.project import Project
    from netsign_console.db import session_scope
    from netsign_console.demo.loader import load_demo_data

    ensure_database(url, reset=True)
    migrate(url)
    load_demo_data(url)
    with session_scope(url) as s:
        project = s.exec(select(Project).where(Project.name == "星城·湘江府")).one()
        building = Building(project_id=project.id, developer_org_id=project.developer_org_id, building_number="B900",
                            address=f"{project.location}B900栋", total_units=rooms_count)
        s.add(building)
        s.flush()
        rooms = [Room(building_id=building.id, project_id=project.id, developer_org_id=project.developer_org_id,
                      room_number=f"{n // 20 + 1}-{n % 20 + 1:02d}", unit="1单元", actual_floor=n // 20 + 1,
                      gross_area=Decimal("98.7600"), inner_area=Decimal("80.9832"), shared_area=Decimal("17.7768"),
                      sale_price=Decimal("9800.00"), trade_status="saleable") for n in range(rooms_count)]
        s.add_all(rooms)
        s.flush()
        permit = Permit(kind="presale", number="2026-0900", year=2026, sequence=900, project_id=project.id,
                        building_id=building.id, developer_org_id=project.developer_org_id, issue_date=date(2026, 12, 1),
                        room_count=rooms_count, case_number="Y202612010000900")
        s.add(permit)
        s.flush()
        s.add_all(PermitRoom(permit_id=permit.id, room_id=r.id) for r in rooms)
        # Pre-sale signing needs the building under fund supervision (a filed agreement).
        s.add(FundAgreement(building_id=building.id, project_id=project.id, developer_org_id=project.developer_org_id,
                            status=AgreementStatus.FILED.value, case_number="Z202612010000900"))
        return [r.id for r in rooms]


def _reset(url: str, room_ids: list[int]) -> None:
    from netsign_console.db import get_engine

    with get_engine(url).begin() as conn:
        cases = "(SELECT id FROM case_record WHERE case_type = 'presale_contract_signing')"
        for table in ("case_event", "case_subtask", "case_task"):
            conn.execute(text(f"DELETE FROM {table} WHERE case_id IN {cases}"))
        conn.execute(text("DELETE FROM case_record WHERE case_type = 'presale_contract_signing'"))
        conn.execute(text("DELETE FROM contract WHERE room_id = ANY(:ids)"), {"ids": room_ids})
        conn.execute(text("UPDATE room SET trade_status = 'saleable' WHERE id = ANY(:ids)"), {"ids": room_ids})


def _parallel(work_items: list, fn) -> tuple[float, int, int]:
    """(seconds, accepted, refused) of WORKERS threads taking items off one queue."""
    from netsign_console.errors import UserError

    queue = list(reversed(work_items))
    lock = threading.Lock()
    counts = {"ok": 0, "refused": 0}
    start = threading.Barrier(WORKERS + 1)

    def worker() -> None:
        start.wait()
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            try:
                fn(item)
                outcome = "ok"
            except UserError:
                outcome = "refused"
            with lock:
                counts[outcome] += 1

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began, counts["ok"], counts["refused"]


def claims_suite(url: str, rounds: int, rooms_count: int = ROOMS) -> list[dict]:
    from netsign_console.contracts.entry import assign_number, open_contract
    from netsign_console.db import dispose_engines, get_engine, session_scope
    from netsign_console.services import room_claim

    room_ids = _pg_setup(url, rooms_count)
    engine = get_engine(url)

    def claim(room_id: int) -> None:
        with session_scope(url) as s:
            room_claim.claim(s, room_id, case_number="F202612020000001")

    def draft(room_id: int) -> None:
        with session_scope(url) as s:
            open_contract(s, room_id, case_number="F202612020000001")

    def numbered(room_id: int) -> None:
        with session_scope(url) as s:
            assign_number(s, open_contract(s, room_id, case_number="F202612020000001"))

    from sqlmodel import select

    from models.user import User
    from netsign_console.auth.service import principal_for_user
    from netsign_console.workflow import engine as wf

    with session_scope(url) as s:
        developer = principal_for_user(s, s.exec(select(User).where(User.username == "dev_operator")).one())

    def accepted(room_id: int) -> None:
        # The 受理 of 预售签约 as the console runs it: the flow version, the subject in the user's
        # scope, the Start checks, the case number, open_contract (claim + draft), the first task.
        with session_scope(url) as s:
            wf.accept(s, developer, "presale_contract_signing", subject_id=room_id)

    def bare(room_id: int) -> None:
        with engine.begin() as conn:
            done = conn.execute(text("UPDATE room SET trade_status = 'signing', version = version + 1 "
                                     "WHERE id = :id AND trade_status = 'saleable'"), {"id": room_id}).rowcount
            if done != 1:
                from netsign_console.errors import UserError

                raise UserError("refused")

    raced = room_ids[:100]
    contended = [rid for rid in raced for _ in range(WORKERS)]  # every room wanted by 20 at once
    scenarios = (
        ("claim (lock, checks, version UPDATE), distinct rooms", claim, room_ids),
        ("claim + draft contract row, distinct rooms", draft, room_ids),
        ("claim + draft + contract number in the same transaction, distinct rooms", numbered, room_ids),
        (f"claim, 20 workers racing for each of {len(raced)} rooms", claim, contended),
        ("engine 受理 of 预售签约 (case + claim + draft + first task), distinct rooms", accepted, room_ids),
        (f"engine 受理 of 预售签约, 20 workers racing for each of {len(raced)} rooms", accepted, contended),
    )
    results = []
    for label, fn, items in scenarios:
        rates, bare_rates, last = [], [], None
        for _ in range(rounds):
            _reset(url, room_ids)
            seconds, ok, refused = _parallel(items, fn)
            rates.append(ok / seconds)
            last = (ok, refused)
            _reset(url, room_ids)
            seconds, bare_ok, _ = _parallel(items, bare)
            bare_rates.append(bare_ok / seconds)
        results.append({"label": label, "rate": median(rates), "bare": median(bare_rates), "accepted": last[0],
                        "refused": last[1], "attempts": len(items)})
    _reset(url, room_ids)
    dispose_engines()
    return results


def run(runs: int = 20, warmup: int = 3, rounds: int = 3, pg: bool = True, pg_url: str | None = None,
        rooms: int = ROOMS) -> str:
    from sqlalchemy.engine import make_url

    from netsign_console import settings as config

    load_before = os.getloadavg()[0]
    from netsign_console import db
    from netsign_console.admin import files

    saved, saved_files = config.settings, files.settings
    try:
        pdf = pdf_suite(runs, warmup)
    finally:
        config.settings, db.settings, files.settings = saved, saved, saved_files
    lines = [START, "", "## Contracts (商品房买卖合同, issue 11)", "",
             f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `python -m bench --suite contracts`: {runs} timed "
             f"runs after {warmup} warm-up runs, interleaved with bare xhtml2pdf on the same HTML.", "",
             "| Per contract | Median ms | p95 ms | Bare xhtml2pdf median ms | Target < 300 ms |",
             "|---|---:|---:|---:|:---:|"]
    for label, times, bare, kind in pdf:
        bare_text = f"{median(bare):,.1f}" if bare else ""
        met = ("✓" if median(times) < TARGET_MS else "✗") if kind == "target" else ""
        lines.append(f"| {label} | {median(times):,.1f} | {p95(times):,.1f} | {bare_text} | {met} |")
    lines += ["", "- The contract is a real one from the demo: D001 1-1001, two buyers, 组合贷; data read from its rows "
              "(`contracts.document_data.contract_data`), the demo developer's drawn seals (`contracts.signing.seal_pdf`), "
              "the filing authority's key (`documents.signing.sign_pdf`). The signed PDF validates."]
    if pg:
        url = pg_url or make_url(DEFAULT_URLS["PostgreSQL"]).set(database=BENCH_DB).render_as_string(False)
        claims = claims_suite(url, rounds, rooms)
        lines += ["", f"Accepted signings per second on PostgreSQL, {WORKERS} worker threads with a connection each, "
                  f"{rooms:,} saleable permitted rooms in one building; median of {rounds} rounds.", "",
                  "| Scenario | Accepted/s | Bare conditional UPDATE/s | Accepted | Refused | Attempts |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in claims:
            lines.append(f"| {r['label']} | {r['rate']:,.0f} | {r['bare']:,.0f} | {r['accepted']:,} | {r['refused']:,} | "
                         f"{r['attempts']:,} |")
        lines += ["", "- Claim: `services.room_claim.claim` — `SELECT … FOR UPDATE` of the room, the permit and "
                  "restriction lookups and the registered checks, the conditional UPDATE on version and status, "
                  "commit. Draft: `contracts.entry.open_contract` — the claim and the contract row. Number: "
                  "`contracts.entry.assign_number` in the same transaction — the city's yearly counter is one row "
                  "that every numbering transaction holds until it commits, which is why the flow takes the "
                  "number at 签订购房合同, not at 受理. Racing: each room is attempted by all 20 workers; "
                  "exactly one claim per room is accepted, the others are refused with “该户室正在签约中”.",
                  "- Engine 受理: `workflow.engine.accept(…, \"presale_contract_signing\", subject_id=room)` as the 受理 "
                  "button runs it — the subject loaded in the developer's scope, the Start check, the day's case "
                  "number (one counter row per prefix and day, held until commit), `open_contract` in `on_accept`, "
                  "the first task and the timeline event, one transaction per acceptance.",
                  "- Bare: `UPDATE room SET trade_status = 'signing', version = version + 1 WHERE id = … AND "
                  "trade_status = 'saleable'` in its own transaction, no checks."]
    lines += [f"- Load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after.", "", END]
    return "\n".join(lines)


def write_section(text_: str, out: Path) -> None:
    from bench.sections import write_section as write

    write(text_, out, START, END)


if __name__ == "__main__":
    print(run())
