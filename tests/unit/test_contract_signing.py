"""预售签约 F through the engine on the demo's D001: every refusal at acceptance with the issue's
message, the whole chain for a combined loan (buyers locked, terms, payment notice paid in two
parts into the fund ledger, the contract generated, the buyers' codes from the outbox, the
seals, the fund centre then the bank, filing with a signed PDF and the verify rows), the
routing of each payment method, five wrong codes locking, and a cancel returning the room."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from sqlmodel import select

from models.building import Building, Room
from models.contract import Contract
from models.fund import FundAgreement, FundLedgerEntry
from models.organization import Organization
from models.permit import Permit
from models.sms import SmsMessage
from models.workflow import Case
from netsign_console import documents
from netsign_console.db import session_scope
from netsign_console.documents.signing import validate_pdf
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import code_confirm, document_step, record_list
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.flows._contract import ContractData
from netsign_console.workflow.rules import flow_for_case
from tests.unit.survey_fixtures import principal


def pdf_text(pdf: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()

FLOW = "presale_contract_signing"
BUYERS, TERMS, SCHEDULE, NOTICE, PAYMENTS, CONTRACT = (
    "list-contract-buyers", "form-contract-terms", "list-instalments", "document-notice", "list-payments",
    "document-contract")
CCB = "中国建设银行股份有限公司长沙分行"
CENTRE = "长沙住房公积金管理中心"


def _room(s, number: str, building: str = "D001") -> Room:
    return s.exec(select(Room).join(Building, Building.id == Room.building_id)
                  .where(Building.building_number == building, Room.room_number == number)).one()


def _org(s, name: str) -> Organization:
    return s.exec(select(Organization).where(Organization.name == name)).one()


def _accept(url: str, number: str, building: str = "D001", flow: str = FLOW) -> int:
    with session_scope(url) as s:
        return wf.accept(s, principal(s, "dev_operator"), flow, subject_id=_room(s, number, building).id).id


def _refusal(url: str, number: str, building: str = "D001", flow: str = FLOW) -> str:
    with pytest.raises(UserError) as caught:
        _accept(url, number, building, flow)
    assert caught.value.field == "subject"
    return str(caught.value)


def test_each_refusal_at_acceptance_has_the_issues_message(demo_url):
    assert _refusal(demo_url, "1-0101", "D002") == "没有找到有效许可证户室信息"
    assert _refusal(demo_url, "1-1001", flow="spot_contract_signing") == "没有找到有效许可证户室信息"
    assert _refusal(demo_url, "1-0801") == "该户室已司法查封或行政限制"
    assert _refusal(demo_url, "1-1201") == "该户室已司法查封或行政限制"
    assert _refusal(demo_url, "1-0101") == "物管用房不能销售"
    assert _refusal(demo_url, "2-1001") == "户室已设定在建工程抵押，未取得抵押权人签约授权，不能签约"
    assert _refusal(demo_url, "1-0602") == "该户室正在签约中，不能重复签约"
    assert _refusal(demo_url, "1-0301") == "该户室已售（已签约），不能签约"
    with session_scope(demo_url) as s:
        permit = s.exec(select(Permit).where(Permit.number == "2026-0001")).one()
        permit.status = "changing"
        s.add(permit)
    assert _refusal(demo_url, "1-1001") == "该楼栋预售许可变更办理中，暂停签约"
    with session_scope(demo_url) as s:
        permit = s.exec(select(Permit).where(Permit.number == "2026-0001")).one()
        permit.status = "valid"
        s.add(permit)
        for a in s.exec(select(FundAgreement).where(FundAgreement.building_id == _room(s, "1-1001").building_id)):
            a.status = "released"
            s.add(a)
    assert _refusal(demo_url, "1-1001") == "当前楼栋未资金监管，不能进行预售合同签约"
    with session_scope(demo_url) as s:
        assert _room(s, "1-1001").trade_status == "saleable", "a refusal writes nothing"
        assert s.exec(select(Case).where(Case.case_type == FLOW)).first() is None


def test_acceptance_claims_the_room_and_a_cancel_returns_it(demo_url):
    case_id = _accept(demo_url, "1-1001")
    assert _refusal(demo_url, "1-1001") == "该户室正在签约中，不能重复签约"
    with session_scope(demo_url) as s:
        assert _room(s, "1-1001").trade_status == "signing"
        c = s.exec(select(Contract).where(Contract.room_id == _room(s, "1-1001").id)).one()
        assert (c.status, c.active_room_id) == ("draft", c.room_id)
        wf.cancel(s, principal(s, "dev_operator"), case_id, reason="买受人放弃购买")
    with session_scope(demo_url) as s:
        assert _room(s, "1-1001").trade_status == "saleable"
        c = s.exec(select(Contract).where(Contract.case_number == s.get(Case, case_id).number)).one()
        assert (c.status, c.active_room_id) == ("withdrawn", None)
    _accept(demo_url, "1-1001")  # the room can be signed again


def test_the_routing_follows_the_payment_method():
    from netsign_console.workflow.flows.presale_contract_signing import PresaleContractSigning as F

    def route(method: str, variant: str = "electronic") -> list[str]:
        """The human nodes after 合同盖章, walking the flow's own Switches on the typed data."""
        d = ContractData(room_id=1, building_id=1, project_id=1, payment_method=method, variant=variant)
        path, code = [], F.following("sealing")
        while code is not None:
            node = F.node(code)
            if node.kind == "switch":
                code = node.choose(d)
                continue
            path.append(code)
            if node.kind == "end":
                break
            code = node.next or F.following(code)
        return path

    assert route("commercial_loan") == ["bank_review", "filing", "end"]
    assert route("provident_fund_loan") == ["fund_review", "filing", "end"]
    assert route("combined_loan") == ["fund_review", "bank_review", "filing", "end"]
    assert route("lump_sum") == ["filing", "end"]
    assert route("instalment") == ["filing", "end"]
    assert F.node("sign_switch").choose(ContractData(room_id=1, building_id=1, project_id=1)) == "esign"
    assert F.node("sign_switch").choose(ContractData(room_id=1, building_id=1, project_id=1, variant="paper")) \
        == "paper_sign"


def _code_in_outbox(s, phone: str) -> str:
    msg = s.exec(select(SmsMessage).where(SmsMessage.phone == phone).order_by(SmsMessage.id.desc())).first()
    return re.search(r"验证码为(\d{6})", msg.text).group(1)


def _enter_contract(url: str, case_id: int, *, method: str = "combined_loan") -> None:
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        with pytest.raises(ValidationFailed) as bad:
            record_list.add(s, dev, case_id, "entry", BUYERS, {"role": "buyer", "name": "王小明", "id_type": "resident_id",
                                                                  "id_number": "43010419900101123A", "phone": "13800138000",
                                                                  "share": "60"})
        assert "id_number" in bad.value.errors
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        record_list.add(s, dev, case_id, "entry", BUYERS, {"role": "buyer", "name": "王小明", "id_type": "resident_id",
                                                              "id_number": "11010519491231002X", "phone": "13800138000",
                                                              "address": "<script>x</script>长沙市", "share": "60"})
        second = record_list.add(s, dev, case_id, "entry", BUYERS, {
            "role": "co_owner", "name": "李小红", "id_type": "resident_id", "id_number": "110105198001010016",
            "phone": "13800138001", "share": "30"})
    with session_scope(url) as s:
        with pytest.raises(ValidationFailed) as bad:
            record_list.finish(s, principal(s, "dev_operator"), case_id, "entry", BUYERS)
        assert "合计为90.00%" in bad.value.errors["list"]
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        record_list.edit(s, dev, case_id, "entry", BUYERS, second, {"share": "40"})
        record_list.finish(s, dev, case_id, "entry", BUYERS)
    with session_scope(url) as s:
        with pytest.raises(UserError, match="锁定"):
            record_list.remove(s, principal(s, "dev_operator"), case_id, "entry", BUYERS, second)
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        bank, centre = _org(s, CCB).id, _org(s, CENTRE).id
        c = s.exec(select(Contract).where(Contract.case_number == s.get(Case, case_id).number)).one()
        if method == "combined_loan":
            with pytest.raises(ValidationFailed) as bad:
                st.save_form(s, dev, case_id, "entry", TERMS, {"payment_method": method,
                                                               "commercial_loan_amount": "300000",
                                                               "fund_loan_amount": "300000"})
            assert set(bad.value.errors) >= {"mortgage_bank_org_id", "fund_center_org_id"}
    with session_scope(url) as s:
        values = {"payment_method": method, "agreed_total": str(c.computed_total - Decimal("0.40")),
                  "delivery_date": "2028-06-30"}
        if method in ("combined_loan", "commercial_loan"):
            values.update(commercial_loan_amount="300000", mortgage_bank_org_id=str(bank))
        if method in ("combined_loan", "provident_fund_loan"):
            values.update(fund_loan_amount="300000", fund_center_org_id=str(centre))
        assert st.save_form(s, principal(s, "dev_operator"), case_id, "entry", TERMS, values) == []
    with session_scope(url) as s:
        c = s.get(Contract, c.id)
        assert c.total_price == c.computed_total - Decimal("0.40")
        assert c.mortgagor == ("王小明、李小红" if method.endswith("loan") else None)
        record_list.finish(s, principal(s, "dev_operator"), case_id, "entry", SCHEDULE)  # no schedule for a loan


def _pay(url: str, case_id: int) -> Contract:
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        notice = document_step.generate(s, dev, case_id, "entry", NOTICE)
        assert notice.kind == "fund_payment_notice"
        c = s.exec(select(Contract).where(Contract.case_number == s.get(Case, case_id).number)).one()
        due = c.down_payment
        agreement = s.exec(select(FundAgreement).where(FundAgreement.building_id == c.building_id,
                                                       FundAgreement.status == "filed")).one()
        deposited = agreement.deposited
        first = (due / 3).quantize(Decimal("0.01"))
        record_list.add(s, dev, case_id, "entry", PAYMENTS, {"paid_on": "2026-12-01", "amount": str(first),
                                                                "voucher_number": "PZ001"})
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        with pytest.raises(ValidationFailed) as bad:
            record_list.add(s, dev, case_id, "entry", PAYMENTS, {"paid_on": "2026-12-02", "amount": str(due),
                                                                    "voucher_number": "PZ002"})
        assert "超出" in bad.value.errors["amount"]
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        with pytest.raises(ValidationFailed, match="尚未完成"):
            record_list.finish(s, dev, case_id, "entry", PAYMENTS)
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        record_list.add(s, dev, case_id, "entry", PAYMENTS, {"paid_on": "2026-12-02", "amount": str(due - first),
                                                                "voucher_number": "PZ002"})
        record_list.finish(s, dev, case_id, "entry", PAYMENTS)
        entries = s.exec(select(FundLedgerEntry).where(FundLedgerEntry.sale_contract_id == c.id)).all()
        assert sorted(e.amount for e in entries) == sorted([first, due - first])
        assert all(e.active and e.kind == "deposit" for e in entries)
        assert s.get(FundAgreement, agreement.id).deposited == deposited + due
        return c


def _confirm_all(url: str, case_id: int, stage: str, code: str) -> None:
    with session_scope(url) as s:
        screen = code_confirm.screen(s, principal(s, "dev_operator"), case_id, stage, code)
        keys = [r.key for r in screen.rows]
    for key in keys:
        with session_scope(url) as s:
            code_confirm.send(s, principal(s, "dev_operator"), case_id, stage, code, key)
        with session_scope(url) as s:
            ctx = st.context(s, s.get(Case, case_id))
            sub = flow_for_case(s.get(Case, case_id)).stage(stage).subtask(code)
            phone = next(x.phone for x in sub.signers(ctx) if x.key == key)
            verdict = code_confirm.verify(s, principal(s, "dev_operator"), case_id, stage, code, key,
                                          _code_in_outbox(s, phone))
            assert verdict.ok, verdict.message


def _dispatch(url: str, case_id: int, who: str = "dev_operator") -> None:
    """派工 to oneself when the next stage is the developer's again (签约, 合同盖章)."""
    with session_scope(url) as s:
        person = principal(s, who)
        wf.dispatch(s, person, wf.open_task(s, case_id).id, opinion="")
    with session_scope(url) as s:
        task = wf.open_task(s, case_id)
        if task.stage in ("esign", "paper_sign", "sealing"):
            wf.claim(s, principal(s, who), task.id)


def _review(url: str, case_id: int, who: str, form: tuple[str, dict] | None = None) -> None:
    with session_scope(url) as s:
        person = principal(s, who)
        task = wf.open_task(s, case_id)
        wf.claim(s, person, task.id)
        if form is not None:
            st.save_form(s, person, case_id, task.stage, form[0], form[1])
        wf.decide(s, person, task.id, decision="approve", opinion="同意")


def test_a_combined_loan_goes_from_acceptance_to_a_filed_signed_contract(demo_url):
    case_id = _accept(demo_url, "1-1001")
    _enter_contract(demo_url, case_id)
    c = _pay(demo_url, case_id)
    with session_scope(demo_url) as s:
        doc = document_step.generate(s, principal(s, "dev_operator"), case_id, "entry", CONTRACT, "electronic")
        c = s.get(Contract, c.id)
        assert (c.status, c.document_id, c.variant) == ("awaiting_signature", doc.id, "electronic")
        assert re.fullmatch(r"YS430100-\d{4}-\d{6}", c.contract_number)
    _dispatch(demo_url, case_id)
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "esign"
    _confirm_all(demo_url, case_id, "esign", "codes-contract_signing")
    with session_scope(demo_url) as s:
        assert s.get(Contract, c.id).status == "signed"
    _dispatch(demo_url, case_id)
    _confirm_all(demo_url, case_id, "sealing", "codes-seal_authorisation")
    with session_scope(demo_url) as s:
        assert (s.get(Contract, c.id).status, _room(s, "1-1001").trade_status) == ("sealed", "signed")
    _dispatch(demo_url, case_id)
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "fund_review"
        with pytest.raises(PermissionDenied):  # the bank is not routed yet
            wf.claim(s, principal(s, "mortgage_bank"), wf.open_task(s, case_id).id)
    appraisal = str(c.total_price - Decimal("100000"))
    _review(demo_url, case_id, "fund_center", ("form-fund-loan", {"appraisal_price": appraisal,
                                                                  "fund_loan_amount": "300000"}))
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "bank_review"
        rows = dict(flow_for_case(s.get(Case, case_id))().describe_subject(s, s.get(Case, case_id)))
        assert rows["贷款基数(元)"].startswith(f"{Decimal(appraisal):,.2f}")
    _review(demo_url, case_id, "mortgage_bank", ("form-bank-loan", {"mortgagor": "王小明、李小红",
                                                                    "appraisal_price": appraisal,
                                                                    "commercial_loan_amount": "300000"}))
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "filing"
    _review(demo_url, case_id, "regulator")
    with session_scope(demo_url) as s:
        case = s.get(Case, case_id)
        c = s.get(Contract, c.id)
        assert case.status == "archived"
        assert c.status == "filed" and re.fullmatch(r"BA430100-\d{4}-\d{6}", c.filing_number)
        assert _room(s, "1-1001").trade_status == "filed"
        doc, pdf = documents.open_pdf(s, principal(s, "regulator"), c.document_id)
        assert validate_pdf(pdf).valid, "the seals came before the filing signature"
        assert doc.signed and hashlib.sha256(pdf).hexdigest() == doc.sha256
        from netsign_console.api.verify import _kind_rows

        rows = _kind_rows(s, doc)  # what /verify/<code> adds through the document kind
        assert rows == {"合同编号": c.contract_number, "备案状态": "已备案", "备案号": c.filing_number}
        text = pdf_text(pdf)
        assert "王小明" in text and "<script>x</script>" in text.replace("\n", "")  # printed as text
        assert c.contract_number in text and doc.verification_code[:4] in text
        # The contract's page: the seller whole, the routed bank masked, anyone else nothing.
        from netsign_console.contracts.view import contract_view

        own = contract_view(s, principal(s, "dev_operator"), c.id)
        assert own.buyers[0][3] == "11010519491231002X" and len(own.payments) == 2 and len(own.confirmations) == 2
        assert [r[0] for r in own.reviews] == ["公积金中心审核", "按揭银行审核", "备案归档"]
        assert {d.title for d in own.documents} == {"商品房预售资金缴款通知单", "商品房买卖合同（预售）"}
        lender = contract_view(s, principal(s, "mortgage_bank"), c.id)
        assert lender.buyers[0][3] != "11010519491231002X" and "*" in lender.buyers[0][4]
        for outsider in ("dev2_admin", "supervising_bank"):
            with pytest.raises(PermissionDenied):
                contract_view(s, principal(s, outsider), c.id)


def test_five_wrong_codes_lock_the_buyers_code(demo_url):
    case_id = _accept(demo_url, "1-1002")
    _enter_contract(demo_url, case_id, method="lump_sum")
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        document_step.generate(s, dev, case_id, "entry", NOTICE)
        c = s.exec(select(Contract).where(Contract.case_number == s.get(Case, case_id).number)).one()
        record_list.add(s, dev, case_id, "entry", PAYMENTS, {"paid_on": "2026-12-01", "amount": str(c.total_price),
                                                                "voucher_number": "PZ9"})
        record_list.finish(s, dev, case_id, "entry", PAYMENTS)
        document_step.generate(s, dev, case_id, "entry", CONTRACT, "electronic")
    _dispatch(demo_url, case_id)
    with session_scope(demo_url) as s:
        key = code_confirm.screen(s, principal(s, "dev_operator"), case_id, "esign", "codes-contract_signing").rows[0].key
        code_confirm.send(s, principal(s, "dev_operator"), case_id, "esign", "codes-contract_signing", key)
    messages = []
    for _ in range(5):
        with session_scope(demo_url) as s:
            right = _code_in_outbox(s, "13800138000")
            wrong = "000000" if right != "000000" else "111111"
            v = code_confirm.verify(s, principal(s, "dev_operator"), case_id, "esign", "codes-contract_signing", key,
                                    wrong)
            messages.append(v.message)
            assert not v.ok
    assert messages[0] == "验证码错误，还可尝试4次"
    assert messages[-1] == "验证码错误次数过多，已锁定，请重新获取"
    with session_scope(demo_url) as s:
        v = code_confirm.verify(s, principal(s, "dev_operator"), case_id, "esign", "codes-contract_signing", key,
                                _code_in_outbox(s, "13800138000"))
        assert not v.ok and "锁定" in v.message
        assert s.get(Contract, c.id).status == "awaiting_signature"


def test_rows_of_another_case_are_not_reachable(demo_url):
    first = _accept(demo_url, "1-1001")
    second = _accept(demo_url, "1-1002")
    with session_scope(demo_url) as s:
        row = record_list.add(s, principal(s, "dev_operator"), first, "entry", BUYERS, {
            "role": "buyer", "name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X",
            "phone": "13800138000", "share": "100"})
    with session_scope(demo_url) as s:
        with pytest.raises(PermissionDenied):
            record_list.remove(s, principal(s, "dev_operator"), second, "entry", BUYERS, row)
    with session_scope(demo_url) as s:
        with pytest.raises(PermissionDenied):  # another developer's operator sees neither case
            record_list.screen(s, principal(s, "dev2_admin"), first, "entry", BUYERS)


def test_a_paper_contract_is_signed_by_its_uploaded_scan_and_goes_straight_to_filing(demo_url):
    case_id = _accept(demo_url, "1-1002")
    _enter_contract(demo_url, case_id, method="lump_sum")
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        document_step.generate(s, dev, case_id, "entry", NOTICE)
        c = s.exec(select(Contract).where(Contract.case_number == s.get(Case, case_id).number)).one()
        record_list.add(s, dev, case_id, "entry", PAYMENTS, {"paid_on": "2026-12-01", "amount": str(c.total_price),
                                                                "voucher_number": "PZ7"})
        record_list.finish(s, dev, case_id, "entry", PAYMENTS)
        document_step.generate(s, dev, case_id, "entry", CONTRACT, "paper")
    _dispatch(demo_url, case_id)
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "paper_sign"
        with pytest.raises(UserError):  # not a PDF / image by its content
            st.upload(s, principal(s, "dev_operator"), case_id, "paper_sign", "upload", "signed_scan", "scan.pdf",
                      b"MZ\x90\x00 not a pdf")
    with session_scope(demo_url) as s:
        st.upload(s, principal(s, "dev_operator"), case_id, "paper_sign", "upload", "signed_scan", "scan.pdf",
                  b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    _dispatch(demo_url, case_id)
    _confirm_all(demo_url, case_id, "sealing", "codes-seal_authorisation")
    with session_scope(demo_url) as s:
        c = s.get(Contract, c.id)
        assert (c.variant, c.status) == ("paper", "sealed") and c.signed_at is not None
    _dispatch(demo_url, case_id)
    with session_scope(demo_url) as s:
        assert wf.open_task(s, case_id).stage == "filing"  # no loan: no lender review
