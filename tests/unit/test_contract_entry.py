"""购房合同录入 services (contracts/entry.py) on the demo: a draft contract claims its room and
takes a number; buyers are validated and then locked; the terms per payment method; a
withdrawal frees the room; the lists mask buyers' data and keep developers apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

import netsign_console.admin.admins  # noqa: F401  registers the console's admins
from models.building import Building, Room
from models.contract import Contract, ContractInstalment
from models.organization import Organization
from netsign_console.admin.query import ListParams, list_records
from netsign_console.contracts.entry import Terms, assign_number, open_contract, save_parties, save_terms, withdraw
from netsign_console.db import session_scope
from netsign_console.domain.contract import Party
from netsign_console.errors import UserError, ValidationFailed
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture

ZHANG = Party(name="张三", id_type="resident_id", id_number="11010519491231002X", phone="13800138000",
              address="长沙市天心区湘府中路1号", share="60")
LI = Party(name="李四", id_type="resident_id", id_number="430102198001011233", phone="13907310001",
           role="co_owner", share="40")


def _room_id(s, number: str) -> int:
    return s.exec(select(Room.id).join(Building, Building.id == Room.building_id)
                  .where(Building.building_number == "D001", Room.room_number == number)).one()


def _org(s, name_start: str) -> int:
    return s.exec(select(Organization.id).where(Organization.name.startswith(name_start))).one()


def test_a_draft_claims_the_room_prices_it_and_is_numbered_once(demo_db):
    with session_scope(demo_db) as s:
        c = open_contract(s, _room_id(s, "1-1001"), case_number="F202612020000001")
        room = s.get(Room, c.room_id)
        assert room.trade_status == "signing" and c.active_room_id == room.id
        assert c.contract_number is None and c.status == "draft"
        assert assign_number(s, c, year=2026) == "YS430100-2026-000001"
        assert assign_number(s, c, year=2026) == "YS430100-2026-000001"  # kept, not taken again
        assert c.total_price == (room.gross_area * room.sale_price).quantize(Decimal("0.01"))
        assert c.permit_id is not None and c.developer_org_id == room.developer_org_id
    with session_scope(demo_db) as s:
        with pytest.raises(UserError, match="该户室正在签约中"):
            open_contract(s, _room_id(s, "1-1001"), case_number="F202612020000002")


def test_buyers_are_checked_then_locked(demo_db):
    with session_scope(demo_db) as s:
        c = open_contract(s, _room_id(s, "1-1002"), case_number="F202612020000003")
        with pytest.raises(ValidationFailed) as refused:
            save_parties(s, c, [ZHANG, Party(**{**LI.__dict__, "share": "50"})])
        assert refused.value.errors == {"parties": "各购房人共有份额合计为110.00%，应为100%"}
        rows = save_parties(s, c, [ZHANG, LI])
        assert [(r.ordinal, r.name, r.share) for r in rows] == [(1, "张三", Decimal("60.00")), (2, "李四", Decimal("40.00"))]
        assert c.buyers_locked and c.version == 2
        with pytest.raises(UserError, match="购房主体保存后不能变更，如需变更请办理退房"):
            save_parties(s, c, [ZHANG])


def test_terms_per_payment_method(demo_db):
    with session_scope(demo_db) as s:
        c = open_contract(s, _room_id(s, "1-1101"), case_number="F202612020000004")
        save_parties(s, c, [ZHANG, LI])
        total = c.total_price
        with pytest.raises(ValidationFailed) as refused:
            save_terms(s, c, Terms(payment_method="combined_loan"))
        assert refused.value.errors == {"mortgage_bank_org_id": "请选择按揭银行（抵押权人）",
                                        "commercial_loan_amount": "请填写商业贷款金额",
                                        "fund_center_org_id": "请选择公积金中心（抵押权人）",
                                        "fund_loan_amount": "请填写公积金贷款金额"}
        bank, centre = _org(s, "中国建设银行"), _org(s, "长沙住房公积金")
        with pytest.raises(ValidationFailed) as refused:
            save_terms(s, c, Terms(payment_method="combined_loan", mortgage_bank_org_id=centre, fund_center_org_id=bank,
                                   commercial_loan_amount=Decimal("1"), fund_loan_amount=Decimal("1")))
        assert set(refused.value.errors) == {"mortgage_bank_org_id", "fund_center_org_id"}
        save_terms(s, c, Terms(payment_method="combined_loan", agreed_total=Decimal("900000"),
                               mortgage_bank_org_id=bank, fund_center_org_id=centre,
                               commercial_loan_amount=Decimal("300000"), fund_loan_amount=Decimal("330000"),
                               delivery_date=date(2028, 6, 30)))
        assert (c.total_price, c.computed_total) == (Decimal("900000.00"), total)
        assert (c.down_payment, c.mortgagor) == (Decimal("270000.00"), "张三、李四")
        # Switching to instalments clears the loan and writes the schedule.
        schedule = [(date(2027, 1, 1), Decimal("400000.00")), (date(2027, 6, 1), Decimal("500000.00"))]
        with pytest.raises(ValidationFailed) as refused:
            save_terms(s, c, Terms(payment_method="instalment", agreed_total=Decimal("900000"),
                                   instalments=schedule[:1]))
        assert "与合同总价900,000.00元不一致" in refused.value.errors["instalments"]
        save_terms(s, c, Terms(payment_method="instalment", agreed_total=Decimal("900000"), instalments=schedule))
        assert (c.mortgage_bank_org_id, c.commercial_loan_amount, c.down_payment) == (None, None, None)
        amounts = s.exec(select(ContractInstalment.amount).where(ContractInstalment.contract_id == c.id)
                         .order_by(ContractInstalment.ordinal)).all()
        assert amounts == [Decimal("400000.00"), Decimal("500000.00")]


def test_a_withdrawn_contract_frees_its_room_for_the_next_signing(demo_db):
    with session_scope(demo_db) as s:
        room_id = _room_id(s, "1-1102")
        first = open_contract(s, room_id, case_number="F202612020000005")
        withdraw(s, first)
        assert (first.status, first.active_room_id, s.get(Room, room_id).trade_status) == ("withdrawn", None, "saleable")
        second = open_contract(s, room_id, case_number="F202612020000006")
        assert second.id != first.id and second.active_room_id == room_id
        with pytest.raises(UserError, match="合同当前为已撤销"):
            withdraw(s, first)


def test_lists_mask_buyers_and_keep_developers_apart(demo_db):
    with session_scope(demo_db) as s:
        c = open_contract(s, _room_id(s, "1-1301"), case_number="F202612020000007")
        save_parties(s, c, [ZHANG, LI])
        number = assign_number(s, c)
    dev, dev2 = demo_principal(demo_db, "dev_operator"), demo_principal(demo_db, "dev2_admin")
    regulator = demo_principal(demo_db, "regulator")
    assert [r["contract_number"] for r in list_records("contracts", dev, ListParams(), url=demo_db).rows] == [number]
    assert list_records("contracts", dev2, ListParams(), url=demo_db).total == 0
    assert list_records("contract-parties", dev2, ListParams(), url=demo_db).total == 0
    rows = list_records("contract-parties", regulator, ListParams(search="11010519491231002X"), url=demo_db).rows
    assert [(r["name"], r["id_number"], r["phone"]) for r in rows] == [("张三", "1101**********002X", "138****8000")]
    with session_scope(demo_db) as s:
        assert s.exec(select(Contract).where(Contract.contract_number == number)).one().buyers_locked
