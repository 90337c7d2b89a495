"""退房 (RET-01 to RET-04, prefix T) through the engine on the demo: the filed contract found by
number or building + room, the applicant from its buyers, the regulator's proof and archive —
contract 已退房, room 可售, PDF 已退房 on /verify, the refund due on the fund ledger, the room
signable again; the refusals at 受理; who finds what (合同查询, 我的合同, another developer)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

import netsign_console.admin.admins  # noqa: F401  registers the console's admins
from models.building import Room
from models.contract import Contract, ContractParty
from models.contract_unwind import ContractUnwind
from models.document import Document
from models.fund import FundAgreement, FundContract
from models.user import User
from netsign_console.admin import service as admin_service
from netsign_console.admin.base import get_admin
from netsign_console.admin.query import ListParams, list_records
from netsign_console.api.verify import lookup
from netsign_console.api.verify_page import document_page
from netsign_console.contracts.entry import assign_number, open_contract, save_parties
from netsign_console.db import session_scope
from netsign_console.demo.filed_contract import DEMO_BUYER, DEMO_ROOM, file_contract, room_id_of
from netsign_console.domain.contract import Party
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import acceptance, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture
from tests.unit.survey_fixtures import principal

SLUG, CODE = "contract-unwind", "contract_unwind"
APPLICANT, REASON, PROOF = "records-applicant_party_id", "form-contract-unwinds", "upload"
PDF = b"%PDF-1.4\n%unwind proof\n"
LI = Party(name="李四", id_type="resident_id", id_number="430102198001011233", phone="13907310001",
           role="co_owner", share="40")


@pytest.fixture(autouse=True)
def _filed(demo_db):
    """The demo buyer's filed contract on D001 2-1602 (the contract services, as the signing flow)."""
    with session_scope(demo_db) as s:
        file_contract(s, room_id_of(s, *DEMO_ROOM), [DEMO_BUYER])


def _demo_contract(s) -> Contract:
    return s.exec(select(Contract).where(Contract.room_id == room_id_of(s, *DEMO_ROOM))).one()


def _apply(url, contract_id, *, who="dev_operator", reason="购房人家庭原因，双方协商解除合同") -> int:
    """受理 and 退房申请 filled in and dispatched to the regulator; returns the case id."""
    with session_scope(url) as s:
        dev = principal(s, who)
        case_id = wf.accept(s, dev, CODE, subject_id=contract_id).id
        _sub, slots, editable = record_pick.view(s, dev, case_id, "application", APPLICANT)
        assert editable
        record_pick.save(s, dev, case_id, "application", APPLICANT, {"": slots[0].options[0][0]})
        st.save_form(s, dev, case_id, "application", REASON, {"reason": reason})
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    return case_id


def test_archive_unwinds_contract_room_document_and_fund_ledger(demo_db):
    with session_scope(demo_db) as s:
        dev = principal(s, "dev_operator")
        c = _demo_contract(s)
        number, code = c.contract_number, s.get(Document, c.document_id).verification_code
        # RET-01: found by its number and by building + room, inside the developer's scope.
        assert [o.id for o in acceptance.search(s, dev, SLUG, number)] == [c.id]
        assert [o.id for o in acceptance.search(s, dev, SLUG, f"{DEMO_ROOM[0]} {DEMO_ROOM[1]}")] == [c.id]
        rows, refusals = acceptance.preview(s, dev, SLUG, c.id)
        assert refusals == [] and dict(rows)["买受人"] == "钱**（4301**********1230）"
        contract_id = c.id
    case_id = _apply(demo_db, contract_id)
    with session_scope(demo_db) as s:
        regulator = principal(s, "regulator")
        task = wf.open_task(s, case_id)
        assert task.stage == "review"
        wf.claim(s, regulator, task.id)
        with pytest.raises(UserError, match="请先完成待办任务：凭证上传"):
            wf.decide(s, regulator, task.id, decision="approve")
    with session_scope(demo_db) as s:
        regulator = principal(s, "regulator")
        st.upload(s, regulator, case_id, "review", PROOF, "unwind_proof", "退房协议.pdf", PDF)
        wf.decide(s, regulator, wf.open_task(s, case_id).id, decision="approve", opinion="同意退房")
    with session_scope(demo_db) as s:
        c = s.get(Contract, contract_id)
        row = s.exec(select(ContractUnwind).where(ContractUnwind.contract_id == c.id)).one()
        assert (c.status, c.active_room_id, c.unwind_case_number) == ("unwound", None, row.case_number)
        assert c.unwound_at is not None and row.case_number.startswith("T")
        assert (row.status, row.open_contract_id, row.reason) == ("archived", None, "购房人家庭原因，双方协商解除合同")
        assert s.get(ContractParty, row.applicant_party_id).name == "钱购房"
        assert s.get(Room, c.room_id).trade_status == "saleable"
        assert s.get(Document, c.document_id).status == "unwound"
        agreement = s.exec(select(FundAgreement).where(FundAgreement.building_id == c.building_id)).one()
        ledger = s.exec(select(FundContract).where(FundContract.contract_number == number)).one()
        assert (ledger.agreement_id, ledger.refund_due, ledger.active) == (agreement.id, True, True)
        assert ledger.total_price is None, "an unwound contract adds nothing to the supervised total"
    rows = list_records(get_admin("my-contracts"), demo_principal(demo_db, "buyer"), ListParams()).rows
    assert [(r["status"], r["unwind_case_number"]) for r in rows] == [("已退房", f"{row.case_number}（已办结）")]
    verified = lookup(code)
    assert verified.status == "unwound"
    assert "已退房（合同已解除）" in document_page(verified)
    # The room is on the market again: the next signing starts a new contract.
    with session_scope(demo_db) as s:
        again = open_contract(s, s.get(Contract, contract_id).room_id, case_number="F202612029999999")
        assert again.id != contract_id and s.get(Room, again.room_id).trade_status == "signing"


def test_the_refund_due_lets_a_later_ledger_backfill_enter_the_refund(demo_db):
    with session_scope(demo_db) as s:
        c = _demo_contract(s)
        number, room_id, contract_id = c.contract_number, c.room_id, c.id
    case_id = _apply(demo_db, contract_id)
    with session_scope(demo_db) as s:
        regulator = principal(s, "regulator")
        wf.claim(s, regulator, wf.open_task(s, case_id).id)
        st.upload(s, regulator, case_id, "review", PROOF, "unwind_proof", "proof.pdf", PDF)
        wf.decide(s, regulator, wf.open_task(s, case_id).id, decision="approve")
    with session_scope(demo_db) as s:
        dev = principal(s, "dev_operator")
        agreement = s.exec(select(FundAgreement).where(FundAgreement.building_id == c.building_id)).one()
        backfill = wf.accept(s, dev, "fund_ledger_backfill", subject_id=agreement.id).id
        # The backfill's own contract says nothing of a refund: the unwind's record does.
        st.save_form(s, dev, backfill, "entry", "form-fund-contracts", {
            "room_id": str(room_id), "contract_number": number, "buyer_name": "钱购房",
            "total_price": "500000.00", "payment_method": "lump_sum", "refund_due": "false"})
        st.save_form(s, dev, backfill, "entry", "deposit", {"entry_type": "lump_sum", "amount": "500000.00",
                                                            "entry_date": "2026-07-01"})
        st.save_form(s, dev, backfill, "entry", "refund", {"entry_type": "unwind_refund", "amount": "500000.00",
                                                           "entry_date": "2026-12-02"})
        wf.dispatch(s, dev, wf.open_task(s, backfill).id)
    with session_scope(demo_db) as s:
        regulator = principal(s, "regulator")
        task = wf.open_task(s, backfill)
        wf.claim(s, regulator, task.id)
        wf.decide(s, regulator, task.id, decision="approve", opinion="同意")
    with session_scope(demo_db) as s:
        known = s.exec(select(FundContract).where(FundContract.contract_number == number,
                                                  FundContract.active.is_(True))).all()
        assert [k.refund_due for k in known] == [True], "joined the unwind's record; the refund stays due"
        agreement = s.exec(select(FundAgreement).where(FundAgreement.id == known[0].agreement_id)).one()
        assert agreement.refunded >= Decimal("500000.00")


def test_refusals_at_acceptance(demo_db):
    with session_scope(demo_db) as s:
        dev = principal(s, "dev_operator")
        draft = open_contract(s, room_id_of(s, "D001", "1-1001"), case_number="F202612020000101")
        save_parties(s, draft, [Party(**{**DEMO_BUYER.__dict__, "share": "60"}), LI])
        assign_number(s, draft)
        draft_id = draft.id
        _rows, refusals = acceptance.preview(s, dev, SLUG, draft_id)
        assert refusals == ["该合同当前为草拟，尚未备案，不能办理退房"]
        with pytest.raises(UserError, match="尚未备案"):
            wf.accept(s, dev, CODE, subject_id=draft_id)
        filed_id = _demo_contract(s).id
    first = _apply(demo_db, filed_id)
    with session_scope(demo_db) as s:
        dev = principal(s, "dev_operator")
        number = s.exec(select(ContractUnwind.case_number).where(ContractUnwind.status == "applying")).one()
        with pytest.raises(UserError, match=f"该合同已有正在办理的退房业务（{number}）"):
            wf.accept(s, dev, CODE, subject_id=filed_id)
    # The database refuses a second open application even past the check.
    with pytest.raises(IntegrityError), session_scope(demo_db) as s:
        s.add(ContractUnwind(contract_id=filed_id, open_contract_id=filed_id, developer_org_id=1,
                             case_number="T202612020009999"))
        s.flush()
    with session_scope(demo_db) as s:
        dev = principal(s, "dev_operator")
        wf.cancel(s, dev, first, reason="申请人撤回")
    with session_scope(demo_db) as s:
        assert s.exec(select(ContractUnwind.status)).one() == "cancelled"
        assert s.get(Contract, filed_id).status == "filed"
        wf.accept(s, principal(s, "dev_operator"), CODE, subject_id=filed_id)  # open again after the cancel


def test_the_applicant_is_one_of_the_contracts_buyers_and_the_reason_is_required(demo_db):
    with session_scope(demo_db) as s:
        other = file_contract(s, room_id_of(s, "D001", "1-1002"), [LI.__class__(**{**LI.__dict__, "share": "100",
                                                                                   "role": "buyer"})])
        stranger = s.exec(select(ContractParty.id).where(ContractParty.contract_id == other.id)).one()
        dev = principal(s, "dev_operator")
        case_id = wf.accept(s, dev, CODE, subject_id=_demo_contract(s).id).id
        with pytest.raises(ValidationFailed) as refused:
            record_pick.save(s, dev, case_id, "application", APPLICANT, {"": str(stranger)})
        assert refused.value.errors == {"records-": "所选申请注销人不在可选范围内，请重新选择"}
        with pytest.raises(UserError, match="请先完成待办任务：申请注销人、退房原因"):
            wf.dispatch(s, dev, wf.open_task(s, case_id).id)


def test_another_developer_finds_nothing_and_lists_follow_the_scope(demo_db):
    with session_scope(demo_db) as s:
        c = _demo_contract(s)
        number, contract_id = c.contract_number, c.id
        code = s.get(Document, c.document_id).verification_code
        dev2 = principal(s, "dev2_admin")
        assert acceptance.search(s, dev2, SLUG, number) == []
        assert acceptance.search(s, dev2, SLUG, f"{DEMO_ROOM[0]} {DEMO_ROOM[1]}") == []
        with pytest.raises(PermissionDenied):
            wf.accept(s, dev2, CODE, subject_id=contract_id)
    search = get_admin("contract-search")

    def found(who, text):
        return [r["contract_number"] for r in list_records(search, demo_principal(demo_db, who),
                                                           ListParams(search=text)).rows]

    for text in (number, code, code.replace("-", "").lower(), DEMO_BUYER.id_number, "D001 2-1602"):
        assert found("regulator", text) == [number], text
        assert found("dev_operator", text) == [number], text
        assert found("dev2_admin", text) == [], text
    assert found("regulator", DEMO_BUYER.id_number[:12]) == [], "only the whole ID number finds a buyer"
    assert found("mortgage_bank", number) == [], "nothing was routed to the bank"
    row = list_records(search, demo_principal(demo_db, "regulator"), ListParams(search=number)).rows[0]
    assert row["id"] == "钱**（4301**********1230）"
    # 我的合同: the buyer's own account (its ID number), nobody else's.
    mine = get_admin("my-contracts")
    rows = list_records(mine, demo_principal(demo_db, "buyer"), ListParams()).rows
    assert [(r["contract_number"], r["status"]) for r in rows] == [(number, "已备案")]
    with session_scope(demo_db) as s:
        s.add(User(username="buyer2", display_name="李四", password_hash="x", role="buyer", id_number=LI.id_number))
    assert list_records(mine, demo_principal(demo_db, "buyer2"), ListParams()).rows == []
    with session_scope(demo_db) as s, pytest.raises(PermissionDenied):
        admin_service.load_scoped(s, mine, demo_principal(demo_db, "buyer2"), contract_id)
    with pytest.raises(PermissionDenied):
        list_records(mine, demo_principal(demo_db, "dev_operator"), ListParams())
