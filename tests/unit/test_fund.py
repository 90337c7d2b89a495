"""预售资金监管 (issue 10) at the service level: signing on D002 (the key amount from the picked
rooms, the bank of the chosen account reviewing after the regulator, a second bank seeing
nothing); the demo's D001 agreement and its backfilled deposits; a withdrawal above the
disbursable amount refused at the field, one within it through the whole chain moving the
balance by exactly the amount paid; one open withdrawal at a time; the freeze lifted on cancel;
change (a new version, the old PDF superseded), backfill (bank first), ledger refunds only
where due, release refused while money is left."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from models.building import Building, Room
from models.document import Document
from models.enums import Role
from models.fund import FundAgreement, FundAgreementRoom, FundLedgerEntry, FundWithdrawal
from models.organization import Organization
from models.user import User
from models.workflow import Case
from netsign_console.admin.query import ListParams, list_records
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.fund import figures as fund_figures
from netsign_console.fund.view import agreement_view
from netsign_console.workflow import acceptance, document_step, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.inbox import inbox_count
from tests.unit.survey_fixtures import principal

CMB, CCB = "招商银行股份有限公司长沙分行", "中国建设银行股份有限公司长沙分行"
PICK, ACCOUNT, TERMS, DOC = "pick-supervised_ids", "records-account_id", "form-fund-agreements", \
    "document-fund_supervision_agreement"


def _org(s, name) -> Organization:
    return s.exec(select(Organization).where(Organization.name == name)).one()


def _building(s, number) -> Building:
    return s.exec(select(Building).where(Building.building_number == number)).one()


def _rooms(s, b) -> dict[str, Room]:
    return {r.room_number: r for r in s.exec(select(Room).where(Room.building_id == b.id))}


def _second_bank_user(url) -> None:
    with session_scope(url) as s:
        s.add(User(username="ccb_supervising", display_name="钱建行", password_hash="x",
                   role=Role.SUPERVISING_BANK.value, organization_id=_org(s, CCB).id))


def _review(url, case_id, who, *, decision="approve", opinion="同意"):
    with session_scope(url) as s:
        person = principal(s, who)
        task = wf.open_task(s, case_id)
        wf.claim(s, person, task.id)
        return wf.decide(s, person, task.id, decision=decision, opinion=opinion)


def _sign_d002(url, numbers=("1-0201", "1-0202", "2-0201")) -> int:
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s, "D002")
        case_id = wf.accept(s, dev, "fund_agreement_signing", subject_id=b.id).id
        rooms = _rooms(s, b)
        ids = [rooms[n].id for n in numbers]
        figures = dict(st.pick_figures(s, dev, case_id, "entry", PICK, ids))
        area = sum((rooms[n].gross_area for n in numbers), Decimal(0))
        assert figures["重点监管资金"] == f"{(area * 1500).quantize(Decimal('0.01')):,.2f}元"
        assert figures["监管户数"] == f"3户（共{len(rooms)}户）"
        pmr = s.exec(select(Room).where(Room.building_id == b.id, Room.designation == "property_mgmt")).first()
        if pmr is not None:
            with pytest.raises((UserError, ValidationFailed)):
                st.pick_save(s, dev, case_id, "entry", PICK, [pmr.id])
        st.pick_save(s, dev, case_id, "entry", PICK, ids)
        _sub, slots, editable = record_pick.view(s, dev, case_id, "entry", ACCOUNT)
        assert editable and len(slots[0].options) == 1 and CMB in slots[0].options[0][1]
        record_pick.save(s, dev, case_id, "entry", ACCOUNT, {"": slots[0].options[0][0]})
        assert st.save_form(s, dev, case_id, "entry", TERMS,
                            {"construction_progress": "正负零", "presale_total": "3200000.00"}) == []
        doc = document_step.generate(s, dev, case_id, "entry", DOC)
        assert doc.number.startswith("JG")
        st.confirm(s, dev, case_id, "entry", "filing")
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    return case_id


def test_signing_computes_the_key_amount_and_routes_to_the_bank_of_the_account(demo_url):
    _second_bank_user(demo_url)
    case_id = _sign_d002(demo_url)
    with session_scope(demo_url) as s:
        task = wf.open_task(s, case_id)
        assert task.stage == "review", "the regulator first"
    with pytest.raises((UserError, ValidationFailed)):  # the opinion is required
        _review(demo_url, case_id, "regulator", opinion="")
    _review(demo_url, case_id, "regulator", opinion="同意备案")
    with session_scope(demo_url) as s:
        task = wf.open_task(s, case_id)
        assert (task.stage, task.org_id) == ("bank_review", _org(s, CMB).id)
        assert inbox_count(s, principal(s, "ccb_supervising")) == 0
        assert inbox_count(s, principal(s, "supervising_bank")) == 1
        with pytest.raises(PermissionDenied):
            wf.claim(s, principal(s, "ccb_supervising"), task.id)
    _review(demo_url, case_id, "supervising_bank", opinion="同意监管")
    with session_scope(demo_url) as s:
        a = s.exec(select(FundAgreement).where(FundAgreement.building_id == _building(s, "D002").id)).one()
        rooms = _rooms(s, _building(s, "D002"))
        area = sum((rooms[n].gross_area for n in ("1-0201", "1-0202", "2-0201")), Decimal(0))
        assert (a.status, a.bank_org_id, a.supervised_count) == ("filed", _org(s, CMB).id, 3)
        assert a.key_amount == (area * 1500).quantize(Decimal("0.01")) and a.key_rule == "area"
        assert s.exec(select(FundAgreementRoom).where(FundAgreementRoom.agreement_id == a.id)).all().__len__() == len(rooms)
        assert a.document_id is not None and a.agreement_number.startswith("JG")
        # Nobody at the other bank sees it; the developer and the regulator do.
        other = principal(s, "ccb_supervising")
        with pytest.raises(PermissionDenied):
            agreement_view(s, other, a.id)
        assert agreement_view(s, principal(s, "dev_operator"), a.id).number == a.agreement_number
    for who, seen in (("ccb_supervising", 0), ("supervising_bank", 2), ("regulator", 2), ("dev2_admin", 0)):
        with session_scope(demo_url) as s:
            p = principal(s, who)
        assert len(list_records("fund-agreements", p, ListParams(), url=demo_url).rows) == seen, who


def _demo_agreement(s) -> FundAgreement:
    return s.exec(select(FundAgreement).where(FundAgreement.building_id == _building(s, "D001").id)).one()


def _withdraw(url, amount: str) -> tuple[int, list]:
    """受理 and 申请信息录入; returns the case id and the form's result (or raises)."""
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        case_id = wf.accept(s, dev, "fund_withdrawal", subject_id=_demo_agreement(s).id).id
    with session_scope(url) as s:
        return case_id, st.save_form(s, principal(s, "dev_operator"), case_id, "entry", "form-fund-withdrawals",
                                     {"amount": amount, "purpose": "支付工程进度款"})


def test_the_demo_agreement_has_real_figures(demo_url):
    with session_scope(demo_url) as s:
        a = _demo_agreement(s)
        entries = s.exec(select(FundLedgerEntry).where(FundLedgerEntry.agreement_id == a.id,
                                                       FundLedgerEntry.active.is_(True))).all()
        deposited = sum((e.amount for e in entries), Decimal(0))
        assert a.status == "filed" and a.deposited == deposited == a.balance
        assert a.disbursable == a.balance - a.key_amount > 0
        assert fund_figures.compute(s, a).disbursable == a.disbursable
        view = agreement_view(s, principal(s, "supervising_bank"), a.id)
        sold = [h for h in view.history if h[4]]
        assert len(sold) == 9 and all("*" in h[4] for h in sold), "buyers masked"


def test_a_withdrawal_goes_through_the_chain_and_moves_the_balance_by_exactly_its_amount(demo_url):
    with session_scope(demo_url) as s:
        before = _demo_agreement(s)
        balance, disbursable = before.balance, before.disbursable
    too_much = str(disbursable + Decimal("0.01"))
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        case_id = wf.accept(s, dev, "fund_withdrawal", subject_id=_demo_agreement(s).id).id
    with session_scope(demo_url) as s, pytest.raises(ValidationFailed) as refused:
        st.save_form(s, principal(s, "dev_operator"), case_id, "entry", "form-fund-withdrawals", {"amount": too_much})
    assert "不能超过可拨付金额" in refused.value.errors["amount"]
    amount = Decimal("300000.05")
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        assert st.save_form(s, dev, case_id, "entry", "form-fund-withdrawals", {"amount": str(amount)}) == []
        a = _demo_agreement(s)
        assert (a.frozen, a.disbursable) == (amount, disbursable - amount), "frozen from the moment it is entered"
        # A second one while this is open: refused at 受理.
        with pytest.raises(UserError) as second:
            wf.accept(s, dev, "fund_withdrawal", subject_id=a.id)
        assert "已有正在办理的资金支取" in str(second.value)
        for code in ("info", "history"):
            st.confirm(s, dev, case_id, "entry", code)
        doc = document_step.generate(s, dev, case_id, "entry", "document-fund_withdrawal_application")
        assert doc.number == s.get(Case, case_id).number
        st.upload(s, dev, case_id, "entry", "upload", "progress_proof", "proof.pdf", b"%PDF-1.4\n%test\n")
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    with session_scope(demo_url) as s:
        seal = principal(s, "dev_admin")
        task = wf.open_task(s, case_id)
        assert task.stage == "seal"
        wf.claim(s, seal, task.id)
        st.confirm(s, seal, case_id, "seal", "seal")
        wf.dispatch(s, seal, task.id)
    _review(demo_url, case_id, "regulator", opinion="初审通过")
    _review(demo_url, case_id, "regulator", opinion="复审通过")
    with session_scope(demo_url) as s:
        bank = principal(s, "supervising_bank")
        task = wf.open_task(s, case_id)
        assert (task.stage, task.org_id) == ("payment", _org(s, CMB).id)
        wf.claim(s, bank, task.id)
        with pytest.raises(ValidationFailed) as over:
            st.save_form(s, bank, case_id, "payment", "payment",
                         {"paid_on": "2026-12-01", "paid_amount": str(amount + 1), "voucher_number": "ZS001"})
        assert "不能超过申请支取金额" in over.value.errors["paid_amount"]
    with session_scope(demo_url) as s:
        bank = principal(s, "supervising_bank")
        assert st.save_form(s, bank, case_id, "payment", "payment",
                            {"paid_on": "2026-12-01", "paid_amount": str(amount), "voucher_number": "ZS001"}) == []
        wf.dispatch(s, bank, wf.open_task(s, case_id).id)
    with session_scope(demo_url) as s:
        regulator = principal(s, "regulator")
        task = wf.open_task(s, case_id)
        wf.claim(s, regulator, task.id)
        st.confirm(s, regulator, case_id, "archive", "paid")
        wf.dispatch(s, regulator, task.id)
    with session_scope(demo_url) as s:
        a = _demo_agreement(s)
        w = s.exec(select(FundWithdrawal).where(FundWithdrawal.case_number == s.get(Case, case_id).number)).one()
        assert s.get(Case, case_id).status == "archived"
        assert (w.status, w.open_agreement_id) == ("paid", None)
        assert (a.balance, a.disbursed, a.frozen) == (balance - amount, amount, Decimal("0.00"))
        assert a.disbursable == disbursable - amount
        # Closed: a new one may start.
        wf.accept(s, principal(s, "dev_operator"), "fund_withdrawal", subject_id=a.id)


def test_cancel_lifts_the_freeze(demo_url):
    with session_scope(demo_url) as s:
        disbursable = _demo_agreement(s).disbursable
    case_id, missing = _withdraw(demo_url, "5000.00")
    assert missing == []
    with session_scope(demo_url) as s:
        assert _demo_agreement(s).disbursable == disbursable - Decimal("5000.00")
        wf.cancel(s, principal(s, "dev_operator"), case_id, reason="不再支取")
    with session_scope(demo_url) as s:
        a = _demo_agreement(s)
        assert (a.frozen, a.disbursable) == (Decimal("0.00"), disbursable)
        _rows, refusals = acceptance.preview(s, principal(s, "dev_operator"), "fund-withdrawal", a.id)
        assert refusals == []


def test_change_gives_a_new_version_and_supersedes_the_old_pdf(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        a = _demo_agreement(s)
        old_doc, old_key, old_ids = a.document_id, a.key_amount, a.id
        case_id = wf.accept(s, dev, "fund_agreement_change", subject_id=a.id).id
        st.confirm(s, dev, case_id, "original", "original")
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        wf.claim(s, dev, wf.open_task(s, case_id).id)
        _sub, _rows, picked, _e = st.pick_view(s, dev, case_id, "entry", PICK)
        st.pick_save(s, dev, case_id, "entry", PICK, picked[:-2])  # two rooms fewer
        record_pick.save(s, dev, case_id, "entry", ACCOUNT, {"": str(a.account_id)})
        st.save_form(s, dev, case_id, "entry", TERMS, {"construction_progress": "主体结构封顶"})
        document_step.generate(s, dev, case_id, "entry", DOC)
        st.confirm(s, dev, case_id, "entry", "filing")
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    _review(demo_url, case_id, "regulator")
    _review(demo_url, case_id, "supervising_bank")
    with session_scope(demo_url) as s:
        a = _demo_agreement(s)
        assert (a.id, a.version, a.construction_progress, a.supervised_count) == (old_ids, 2, "主体结构封顶", 60)
        assert a.key_amount < old_key and a.disbursable == a.balance - a.key_amount
        assert s.get(Document, old_doc).status == "superseded" and a.document_id != old_doc
        assert s.exec(select(FundAgreement).where(FundAgreement.status == "draft")).all() == []


def test_backfill_is_reviewed_by_the_bank_first_and_needs_the_signed_paper(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s, "D002")
        case_id = wf.accept(s, dev, "fund_agreement_backfill", subject_id=b.id).id
        ids = [r.id for r in _rooms(s, b).values() if r.designation != "property_mgmt"]
        st.pick_save(s, dev, case_id, "entry", PICK, ids)
        _sub, slots, _e = record_pick.view(s, dev, case_id, "entry", ACCOUNT)
        record_pick.save(s, dev, case_id, "entry", ACCOUNT, {"": slots[0].options[0][0]})
        st.confirm(s, dev, case_id, "entry", "rooms")
        st.save_form(s, dev, case_id, "entry", TERMS, {"agreement_number": "10002403", "signed_on": "2023-05-06",
                                                       "construction_progress": "主体结构施工", "presale_total": "9000000"})
        with pytest.raises(UserError):
            wf.dispatch(s, dev, wf.open_task(s, case_id).id)  # the paper agreement is missing
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        st.upload(s, dev, case_id, "entry", "upload", "signed_agreement", "agreement.pdf", b"%PDF-1.4\n%x\n")
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        assert wf.open_task(s, case_id).stage == "bank_review"
    _review(demo_url, case_id, "supervising_bank")
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "review"
    _review(demo_url, case_id, "regulator")
    with session_scope(demo_url) as s:
        a = s.exec(select(FundAgreement).where(FundAgreement.building_id == _building(s, "D002").id)).one()
        assert (a.status, a.agreement_number, a.backfill, str(a.signed_on)) == ("filed", "10002403", True, "2023-05-06")
        assert a.supervised_count == len(ids)


def test_a_refund_entry_only_where_the_contract_has_a_refund_due(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        a = _demo_agreement(s)
        room = _rooms(s, _building(s, "D001"))["1-0301"]
        case_id = wf.accept(s, dev, "fund_ledger_backfill", subject_id=a.id).id
        st.save_form(s, dev, case_id, "entry", "form-fund-contracts", {
            "room_id": str(room.id), "contract_number": "YS202699999", "buyer_name": "孙退房",
            "total_price": "900000.00", "payment_method": "lump_sum", "refund_due": "false"})
        st.save_form(s, dev, case_id, "entry", "deposit", {"entry_type": "lump_sum", "amount": "900000.00",
                                                            "entry_date": "2026-07-01"})
    with session_scope(demo_url) as s, pytest.raises(ValidationFailed) as refused:
        st.save_form(s, principal(s, "dev_operator"), case_id, "entry", "refund",
                     {"entry_type": "unwind_refund", "amount": "900000.00", "entry_date": "2026-08-01"})
    assert refused.value.errors["amount"] == "该合同没有退款项，不能录入退款流水"
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        st.save_form(s, dev, case_id, "entry", "form-fund-contracts", {"refund_due": "true"})
        st.save_form(s, dev, case_id, "entry", "refund",
                     {"entry_type": "unwind_refund", "amount": "900000.00", "entry_date": "2026-08-01"})
        balance = _demo_agreement(s).balance
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    _review(demo_url, case_id, "regulator")
    with session_scope(demo_url) as s:
        a = _demo_agreement(s)
        assert a.balance == balance, "deposited and refunded the same amount"
        assert a.refunded == Decimal("900000.00")


def test_release_waits_until_the_money_is_paid_out(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        a = _demo_agreement(s)
        _rows, refusals = acceptance.preview(s, dev, "fund-release", a.id)
        assert refusals == [f"该监管协议余额为{a.balance:,.2f}元，监管资金拨付完毕后才能解除监管"]


def test_the_city_rule_decides_the_key_amount(monkeypatch):
    from netsign_console import settings as config
    from netsign_console.fund import key

    rooms = [(1, Decimal("103.5000"), None, "saleable"), (2, Decimal("83.9500"), None, "saleable"),
             (3, Decimal("100.0000"), "property_mgmt", "not_for_sale")]
    area = key.compute(rooms, [1, 2], Decimal("3000000.00"))
    assert (area.rule, area.amount, area.supervised_area, area.supervised_count) == (
        "area", Decimal("281175.00"), Decimal("187.4500"), 2)  # 187.45 × 1,500
    by_ratio = key.KeyParameters("ratio", Decimal("1500.00"), Decimal("0.1234"))
    ratio = key.compute(rooms, [1, 2], Decimal("3000000.05"), params=by_ratio)
    assert ratio.amount == Decimal("370200.01")  # 370,200.00617 → to the fen, once
    assert key.compute(rooms, [1], None, params=by_ratio).missing == "请先填写项目预售总额"
    assert key.rule_text(ratio) == "项目预售总额×12.34%"
    monkeypatch.setenv("NETSIGN_FUND_KEY_RULE", "price")
    with pytest.raises(ValueError, match="NETSIGN_FUND_KEY_RULE"):
        config.Settings()
