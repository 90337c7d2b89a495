"""The demo's pre-sale fund supervision on D001 (issue 10), walked through the real flows: the
agreement is signed (its rooms in the permit's scope supervised, the account at 招商银行),
filed by the regulator and confirmed by the bank, then the contracts of the nine rooms the
grid shows as sold are backfilled with their deposits (户室流水补录), so the withdrawal screen shows real figures
after `make run`: a balance above the key amount, something disbursable."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, select

from models.bank import SupervisionAccount
from models.building import Building, Room
from models.enums import Designation
from models.workflow import Case
from netsign_console.workflow import document_step, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st

# room number, buyer, payment method, (entry type, share of the price) deposits
# The rooms the demo grid shows as signed, filed, registered or in signing
# (demo/grid_states.py): room number, buyer, payment method, (entry type, share of the price) deposits.
SOLD = [
    ("1-0301", "李明", "lump_sum", (("lump_sum", "1"),)),
    ("1-0302", "王芳", "commercial_loan", (("down_payment", "0.3"), ("commercial_loan", "0.7"))),
    ("2-0302", "张伟", "provident_fund_loan", (("down_payment", "0.3"), ("provident_loan", "0.7"))),
    ("1-0401", "刘洋", "lump_sum", (("lump_sum", "1"),)),
    ("1-0402", "陈静", "combined_loan", (("down_payment", "0.3"), ("commercial_loan", "0.4"), ("provident_loan", "0.3"))),
    ("2-0401", "杨帆", "lump_sum", (("lump_sum", "1"),)),
    ("1-0501", "赵磊", "commercial_loan", (("down_payment", "0.3"), ("commercial_loan", "0.7"))),
    ("2-0501", "黄婷", "lump_sum", (("lump_sum", "1"),)),
    ("1-0602", "周杰", "instalment", (("down_payment", "0.5"), ("instalment", "0.5"))),
]
START = date(2026, 6, 1)


def _review(session: Session, who, case_id: int, opinion: str) -> None:
    task = wf.open_task(session, case_id)
    wf.claim(session, who, task.id)
    wf.decide(session, who, task.id, decision="approve", opinion=opinion)


def _total(room: Room) -> Decimal:
    return (room.sale_price * room.gross_area).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def sign_agreement(session: Session, who, building: Building) -> int:
    """D001's agreement through 签订: returns its id."""
    dev, regulator, bank = who("dev_operator"), who("regulator"), who("supervising_bank")
    case_id = wf.accept(session, dev, "fund_agreement_signing", subject_id=building.id).id
    rooms = session.exec(select(Room).where(Room.building_id == building.id, Room.retired.is_(False))).all()
    # The rooms the permit lets be sold (floors 1-16); 物管用房 never.
    picked = [r.id for r in rooms if r.actual_floor <= 16 and r.designation != Designation.PROPERTY_MGMT.value]
    st.pick_save(session, dev, case_id, "entry", "pick-supervised_ids", picked)
    account = session.exec(select(SupervisionAccount).where(
        SupervisionAccount.organization_id == building.developer_org_id)).first()
    record_pick.save(session, dev, case_id, "entry", "records-account_id", {"": str(account.id)})
    presale = sum((_total(r) for r in rooms if r.id in set(picked)), Decimal("0"))
    st.save_form(session, dev, case_id, "entry", "form-fund-agreements",
                 {"construction_progress": "主体结构施工至第12层", "presale_total": str(presale)})
    document_step.generate(session, dev, case_id, "entry", "document-fund_supervision_agreement")
    st.confirm(session, dev, case_id, "entry", "filing")
    wf.dispatch(session, dev, wf.open_task(session, case_id).id, opinion="申请资金监管协议备案")
    _review(session, regulator, case_id, "监管户室与重点监管资金核算无误，同意备案")
    _review(session, bank, case_id, "监管账户信息无误，同意监管")
    return int(session.get(Case, case_id).data["agreement_id"])


def _shares(total: Decimal, deposits) -> list[Decimal]:
    """Each part of the price to the fen; the last takes what rounding left."""
    parts = [(total * Decimal(share)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for _t, share in deposits]
    parts[-1] = total - sum(parts[:-1], Decimal("0"))
    return parts


def backfill_ledgers(session: Session, who, building: Building, agreement_id: int) -> int:
    """One 户室流水补录 per payment: a loan or an instalment arrives after the down payment."""
    dev, regulator = who("dev_operator"), who("regulator")
    rooms = {r.room_number: r for r in session.exec(select(Room).where(Room.building_id == building.id))}
    cases = 0
    for index, (number, buyer, method, deposits) in enumerate(SOLD):
        room = rooms[number]
        total = _total(room)
        parts = _shares(total, deposits)
        for n, ((entry_type, _share), amount) in enumerate(zip(deposits, parts)):
            case_id = wf.accept(session, dev, "fund_ledger_backfill", subject_id=agreement_id).id
            st.save_form(session, dev, case_id, "entry", "form-fund-contracts", {
                "room_id": str(room.id), "contract_number": f"YS2026{index + 1:05d}", "buyer_name": buyer,
                "total_price": str(total), "payment_method": method, "down_payment": str(parts[0])})
            st.save_form(session, dev, case_id, "entry", "deposit", {
                "entry_type": entry_type, "amount": str(amount),
                "entry_date": (START + timedelta(days=7 * index + 30 * n)).isoformat(),
                "voucher_number": f"ZS{START:%Y%m}{index + 1:03d}{n + 1}"})
            wf.dispatch(session, dev, wf.open_task(session, case_id).id, opinion="补录历史入账流水")
            _review(session, regulator, case_id, "与银行流水核对一致")
            cases += 1
    return cases


def seed_fund(session: Session, who, building: Building) -> int:
    agreement_id = sign_agreement(session, who, building)
    return 1 + backfill_ledgers(session, who, building, agreement_id)
