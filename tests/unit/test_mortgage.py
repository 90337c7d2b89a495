"""在建工程抵押 (MORT-01) at the service level: 设立 from the developer's loan banks through the
bank's and the regulator's review to one restriction per room; the signing gate saying no
until 签约授权 says yes; 注销 ending the restrictions; who sees what (a second bank nothing);
the refusals at 受理 and the field messages of the terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from models.building import Building, Room, RoomRestriction
from models.enums import Role
from models.fund import AgreementStatus, FundAgreement
from models.mortgage import ConstructionMortgage
from models.organization import Organization
from models.permit import Permit, PermitRoom
from models.user import User
from models.workflow import Case, Task
from netsign_console.admin import service as admin_service
from netsign_console.admin.query import ListParams, list_records
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.services.saleability import signing_refusal_of
from netsign_console.workflow import acceptance, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.flows._mortgage import MORTGAGE
from netsign_console.workflow.inbox import inbox
from netsign_console.workflow.view import case_view
from tests.unit.survey_fixtures import principal
from tests.unit.test_survey_filing import _building, _file_forecast, _rooms

CREATE, CANCEL, AUTHORISE = ("construction_mortgage_create", "construction_mortgage_cancel",
                             "construction_mortgage_authorisation")
BANK, ROOMS, TERMS = "records-bank_link_id", "pick-room_ids", "form-construction-mortgages"
CCB, CMB = "中国建设银行股份有限公司长沙分行", "招商银行股份有限公司长沙分行"
GOOD_TERMS = {"amount": "85000000.00", "term_months": "36", "starts_on": "2026-12-01"}


def _org(s, name) -> Organization:
    return s.exec(select(Organization).where(Organization.name == name)).one()


def _second_bank_user(url) -> None:
    """A mortgage-bank user of another bank (the demo has one bank user per bank kind)."""
    with session_scope(url) as s:
        s.add(User(username="cmb_mortgage", display_name="钱招行", password_hash="x", role=Role.MORTGAGE_BANK.value,
                   organization_id=_org(s, CMB).id))


def _review(url, case_id, who, *, decision="approve", opinion="同意"):
    with session_scope(url) as s:
        person = principal(s, who)
        task = wf.open_task(s, case_id)
        wf.claim(s, person, task.id)
        return wf.decide(s, person, task.id, decision=decision, opinion=opinion)


def _both_reviews(url, case_id):
    _review(url, case_id, "mortgage_bank")
    _review(url, case_id, "regulator")


def _create(url, numbers=None, *, terms=GOOD_TERMS) -> int:
    """设立 accepted and filled in by the developer, dispatched to the bank; returns the case id."""
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s)
        case_id = wf.accept(s, dev, CREATE, subject_id=b.id).id
        _sub, slots, editable = record_pick.view(s, dev, case_id, "entry", BANK)
        assert editable and [label for _id, label in slots[0].options] == [CCB], "the developer's loan banks only"
        record_pick.save(s, dev, case_id, "entry", BANK, {"": slots[0].options[0][0]})
        rooms = _rooms(s, b)
        ids = [r.id for r in rooms.values()] if numbers is None else [rooms[n].id for n in numbers]
        st.pick_save(s, dev, case_id, "entry", ROOMS, ids)
        assert st.save_form(s, dev, case_id, "entry", TERMS, terms) == []
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    return case_id


def _mortgage(s) -> ConstructionMortgage:
    return s.exec(select(ConstructionMortgage).order_by(ConstructionMortgage.id.desc())).first()


def _restrictions(s, m) -> list[RoomRestriction]:
    return list(s.exec(select(RoomRestriction).where(RoomRestriction.source_type == "mortgage",
                                                     RoomRestriction.source_id == m.id)).all())


def _case_page_subject(s, case_id, who) -> list[tuple[str, str]]:
    return case_view(s, principal(s, who), s.get(Case, case_id).number).subject


def _permit_all_rooms(s, b: Building) -> None:
    """The building's rooms in a valid pre-sale permit and 可售, as PERMIT-01's archive leaves them,
    under a filed fund-supervision agreement (FUND-04's archive), so only the mortgage decides."""
    rooms = _rooms(s, b)
    s.add(FundAgreement(building_id=b.id, project_id=b.project_id, developer_org_id=b.developer_org_id,
                        status=AgreementStatus.FILED.value, case_number="Z202612010000001"))
    permit = Permit(kind="presale", number="2026-0901", year=2026, sequence=901, project_id=b.project_id,
                    building_id=b.id, developer_org_id=b.developer_org_id, issue_date=date(2026, 12, 1),
                    room_count=len(rooms), gross_area=Decimal("0"), case_number="Y202612010000001")
    s.add(permit)
    s.flush()
    for room in rooms.values():
        s.add(PermitRoom(permit_id=permit.id, room_id=room.id))
        room.trade_status = "saleable"
        s.add(room)


def test_create_reviewed_by_the_bank_and_the_regulator_puts_a_restriction_on_each_room(demo_url):
    _file_forecast(demo_url)
    case_id = _create(demo_url, ["1-0101", "1-0102", "1-0201"])
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        assert (m.status, m.bank_org_id, m.amount) == ("applying", None, Decimal("85000000.00"))
        bank_task = wf.open_task(s, case_id)
        assert (bank_task.stage, bank_task.org_id) == ("bank_review", _org(s, CCB).id), "routed to the picked bank"
        # The bank's reviewer sees the application on the case page.
        rows = dict(_case_page_subject(s, case_id, "mortgage_bank"))
        assert rows["抵押权人（贷款银行）"] == CCB and rows["抵押户数"] == "3户"
        assert rows["抵押期限"] == "36个月（2026-12-01 至 2029-12-01）"
    _both_reviews(demo_url, case_id)
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        b = _building(s)
        assert (m.status, m.bank_org_id, m.room_count, m.whole_building) == ("active", _org(s, CCB).id, 3, False)
        restrictions = _restrictions(s, m)
        rooms = _rooms(s, b)
        assert sorted(r.room_id for r in restrictions) == sorted(rooms[n].id for n in ("1-0101", "1-0102", "1-0201"))
        assert {(r.kind, r.active, r.sale_authorised, r.authority) for r in restrictions} == {
            ("construction_mortgage", True, False, CCB)}


def test_signing_waits_for_the_authorisation_and_the_cancel_frees_the_rooms(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        _permit_all_rooms(s, _building(s))
    _both_reviews(demo_url, _create(demo_url))
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        rooms = _rooms(s, _building(s))
        assert (m.room_count, m.whole_building) == (24, True), "every room picked: the whole building"
        assert signing_refusal_of(s, rooms["1-0101"]) == "户室已设定在建工程抵押，未取得抵押权人签约授权，不能签约"
        # The building's rooms are all mortgaged now: no second 设立 on it.
        _rows, refusals = acceptance.preview(s, principal(s, "dev_operator"), "construction-mortgage-create",
                                             _building(s).id)
        assert refusals == ["该楼栋的户室均已设定在建工程抵押"]

    # 签约授权 of two rooms: only the mortgage's own rooms can be picked.
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        auth_id = wf.accept(s, dev, AUTHORISE, subject_id=m.id).id
        _sub, offered, _picked, editable = st.pick_view(s, dev, auth_id, "entry", ROOMS)
        assert editable and len(offered) == 24
        outside = s.exec(select(Room.id).where(Room.building_id != m.building_id)).first()
        with pytest.raises(PermissionDenied):
            st.pick_save(s, dev, auth_id, "entry", ROOMS, [outside])
        st.pick_save(s, dev, auth_id, "entry", ROOMS, [rooms["1-0101"].id, rooms["1-0102"].id])
        # While it is open, nothing else may be applied for on this mortgage.
        _rows, refusals = acceptance.preview(s, dev, "construction-mortgage-cancel", m.id)
        number = s.get(Case, auth_id).number
        assert refusals == [f"该在建工程抵押已有正在办理的业务（{number}），请办结后再申请"]
        [bank_task] = wf.dispatch(s, dev, wf.open_task(s, auth_id).id)
        assert bank_task.org_id == m.bank_org_id and bank_task.stage_title == "抵押权人审核"
    _both_reviews(demo_url, auth_id)
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        rooms = _rooms(s, _building(s))
        assert m.authorised_count == 2
        assert signing_refusal_of(s, rooms["1-0101"]) is None
        assert signing_refusal_of(s, rooms["1-0102"]) is None
        assert signing_refusal_of(s, rooms["1-0201"]) == "户室已设定在建工程抵押，未取得抵押权人签约授权，不能签约"

    # 注销: the table shows the mortgage as it stands; after both reviews no restriction is left.
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        cancel_id = wf.accept(s, dev, CANCEL, subject_id=m.id).id
        table = st.confirm_table(s, dev, cancel_id, "entry", "mortgage")
        assert ("抵押权人（贷款银行）", CCB) in table.rows and ("已签约授权户数", "2户") in table.rows
        assert ("抵押户数", "24户（整栋抵押）") in table.rows
        st.confirm(s, dev, cancel_id, "entry", "mortgage")
        wf.dispatch(s, dev, wf.open_task(s, cancel_id).id)
    _both_reviews(demo_url, cancel_id)
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        rooms = _rooms(s, _building(s))
        assert (m.status, m.cancel_case_number) == ("cancelled", s.get(Case, cancel_id).number)
        restrictions = _restrictions(s, m)
        assert len(restrictions) == 24 and not any(r.active for r in restrictions)
        assert all(r.ends_at is not None for r in restrictions)
        assert signing_refusal_of(s, rooms["1-0201"]) is None
        # A cancelled mortgage is no subject of 注销 or 签约授权 any more.
        with pytest.raises(PermissionDenied):
            wf.accept(s, principal(s, "dev_operator"), AUTHORISE, subject_id=m.id)


def test_a_second_bank_and_another_developer_see_nothing(demo_url):
    _file_forecast(demo_url)
    _second_bank_user(demo_url)
    case_id = _create(demo_url, ["2-0101"])
    with session_scope(demo_url) as s:
        other = principal(s, "cmb_mortgage")
        ours = principal(s, "mortgage_bank")
        task = wf.open_task(s, case_id)
        assert [r.case_id for r in inbox(s, other).rows] == []
        assert [r.case_id for r in inbox(s, ours).rows] == [case_id]
        with pytest.raises(PermissionDenied):
            wf.claim(s, other, task.id)
        with pytest.raises(PermissionDenied):
            st.form_view(s, other, case_id, "entry", TERMS)
    _both_reviews(demo_url, case_id)
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        who = {name: principal(s, name) for name in ("cmb_mortgage", "mortgage_bank", "dev2_admin", "dev_operator",
                                                      "regulator", "broker")}
        for name in ("cmb_mortgage", "dev2_admin", "broker"):
            assert MORTGAGE.search(s, who[name], "") == [], name
            with pytest.raises(PermissionDenied):
                MORTGAGE.load(s, who[name], m.id)
        for name in ("mortgage_bank", "dev_operator", "regulator"):
            assert [o.id for o in MORTGAGE.search(s, who[name], "")] == [m.id], name
        assert [o.id for o in MORTGAGE.search(s, who["mortgage_bank"], m.case_number[:6])] == [m.id]
    with session_scope(demo_url) as s:  # a broker is no party of any mortgage: not even the list opens
        broker = principal(s, "broker")
    with pytest.raises(PermissionDenied):
        list_records("construction-mortgages", broker, ListParams(), url=demo_url)
    for name, expected in (("cmb_mortgage", 0), ("dev2_admin", 0), ("mortgage_bank", 1),
                           ("dev_operator", 1), ("regulator", 1)):
        with session_scope(demo_url) as s:
            p = principal(s, name)
        rows = list_records("construction-mortgages", p, ListParams(), url=demo_url).rows
        assert len(rows) == expected, name
        if not expected:  # nor by its id (the detail page and the export load through the same scope)
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                admin_service.get_form("construction-mortgages", p, m.id, url=demo_url)
        if expected:
            assert admin_service.get_form("construction-mortgages", p, m.id, url=demo_url).values["term_months"] == "36"
            assert rows[0]["bank_org_id"] == CCB and rows[0]["status"] == "抵押中" and rows[0]["room_count"] == "1"


def test_refusals_at_acceptance(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        # 东方名苑 1栋 was completed by 户室信息补录, without a filed survey (D001 went through the chain).
        _rows, refusals = acceptance.preview(s, dev, "construction-mortgage-create", _building(s, "1栋").id)
        assert refusals[0] == "该楼栋的测绘成果尚未备案，不能办理在建工程抵押"
        with pytest.raises(PermissionDenied):  # only developers apply
            acceptance.preview(s, principal(s, "mortgage_bank"), "construction-mortgage-create", _building(s, "1栋").id)
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        case = wf.accept(s, dev, CREATE, subject_id=_building(s).id)
        _rows, refusals = acceptance.preview(s, dev, "construction-mortgage-create", _building(s).id)
        assert refusals == [f"该楼栋已有正在办理的在建工程抵押设立业务（{case.number}）"]
        with pytest.raises(UserError, match="该楼栋已有正在办理的在建工程抵押设立业务"):
            wf.accept(s, dev, CREATE, subject_id=_building(s).id)
        # Cancelling the application withdraws its mortgage row and frees the building.
        wf.cancel(s, dev, case.id, reason="暂不办理")
        assert _mortgage(s).status == "withdrawn"
        _rows, refusals = acceptance.preview(s, dev, "construction-mortgage-create", _building(s).id)
        assert refusals == []
        for room in _rooms(s, _building(s)).values():
            room.trade_status = "signed"
            s.add(room)
        s.flush()
        _rows, refusals = acceptance.preview(s, dev, "construction-mortgage-create", _building(s).id)
        assert refusals == ["该楼栋未设定抵押的户室均已售出，没有可设定在建工程抵押的户室"]


def test_terms_are_checked_at_the_field_and_nothing_is_dispatched_without_them(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        case_id = wf.accept(s, dev, CREATE, subject_id=_building(s).id).id
    bad = {
        "amount": ({"amount": "0"}, "抵押金额必须大于0元"),
        "term_months": ({"term_months": "0"}, "抵押期限必须大于0个月"),
    }
    # Each refusal leaves its transaction (as a handler's session_scope does): nothing is kept.
    for field, (values, message) in bad.items():
        with pytest.raises(ValidationFailed) as refused:
            with session_scope(demo_url) as s:
                st.save_form(s, principal(s, "dev_operator"), case_id, "entry", TERMS, {**GOOD_TERMS, **values})
        assert refused.value.errors == {field: message}
    for values, field, message in (({"amount": "12.345"}, "amount", "抵押金额应为金额，最多两位小数"),
                                   ({"amount": "-5"}, "amount", "抵押金额不能为负数"),
                                   ({"amount": ""}, "amount", "请填写抵押金额"),
                                   ({"term_months": "三年"}, "term_months", "抵押期限应为整数"),
                                   ({"term_months": "601"}, "term_months", "抵押期限不能超过600个月"),
                                   ({"starts_on": "2026-13-01"}, "starts_on", "抵押起始日期应为日期，格式如2024-01-31")):
        with pytest.raises(ValidationFailed) as refused:
            with session_scope(demo_url) as s:
                st.save_form(s, principal(s, "dev_operator"), case_id, "entry", TERMS, {**GOOD_TERMS, **values})
        assert refused.value.errors == {field: message}
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        assert (m.amount, m.term_months, m.starts_on) == (None, None, None), "nothing saved half-way"
        dev = principal(s, "dev_operator")
        with pytest.raises(UserError, match="请先完成待办任务：贷款银行、选择抵押户室、抵押金额与期限"):
            wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        # The list page itself edits nothing, whoever asks.
        with pytest.raises(PermissionDenied):
            admin_service.update_record("construction-mortgages", principal(s, "regulator"), m.id, GOOD_TERMS,
                                        url=demo_url)


def test_a_bank_link_added_on_the_spot_and_a_rejection_back_to_the_developer(demo_url):
    _file_forecast(demo_url)
    _second_bank_user(demo_url)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        case_id = wf.accept(s, dev, CREATE, subject_id=_building(s).id).id
        # Before a bank is picked nobody can be named for its review; afterwards only that bank's users.
        number = s.get(Case, case_id).number
        assert case_view(s, dev, number).tasks[0].next_handlers == []
        # Another developer's or a mortgage-kind link is not among the choices, whatever id is sent.
        with pytest.raises(ValidationFailed):
            record_pick.save(s, dev, case_id, "entry", BANK, {"": "999999"})
        new_id = record_pick.add(s, dev, case_id, "entry", BANK, "", {"bank_org_id": str(_org(s, CMB).id),
                                                                     "contact_person": "王经理"})
        _sub, slots, _ = record_pick.view(s, dev, case_id, "entry", BANK)
        assert slots[0].picked == str(new_id) and {label for _i, label in slots[0].options} == {CCB, CMB}
        assert [label for _id, label in case_view(s, dev, number).tasks[0].next_handlers] == ["钱招行（按揭银行）"]
        st.pick_save(s, dev, case_id, "entry", ROOMS, [_rooms(s, _building(s))["1-0101"].id])
        st.save_form(s, dev, case_id, "entry", TERMS, GOOD_TERMS)
        [task] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        assert task.org_id == _org(s, CMB).id
        assert [r.case_id for r in inbox(s, principal(s, "mortgage_bank")).rows] == [], "CCB was not picked"
    _review(demo_url, case_id, "cmb_mortgage", decision="reject", opinion="抵押金额超过授信额度")
    with session_scope(demo_url) as s:
        task = wf.open_task(s, case_id)
        assert (task.stage, task.owner_id) == ("entry", principal(s, "dev_operator").user_id)
        assert _mortgage(s).status == "applying"


def test_the_archive_checks_the_rooms_again(demo_url):
    _file_forecast(demo_url)
    case_id = _create(demo_url, ["1-0101", "1-0102"])
    _review(demo_url, case_id, "mortgage_bank")
    with session_scope(demo_url) as s:
        room = _rooms(s, _building(s))["1-0102"]
        room.trade_status = "signed"  # sold meanwhile
        s.add(room)
    with pytest.raises(UserError, match="以下户室已不能设定抵押，请退回重新选择：1-0102：户室已签约"):
        _review(demo_url, case_id, "regulator")
    with session_scope(demo_url) as s:
        assert _mortgage(s).status == "applying" and _restrictions(s, _mortgage(s)) == []
        assert s.exec(select(Task).where(Task.case_id == case_id, Task.stage == "review")).one().owner_id is None


def test_term_end_follows_the_civil_code():
    from netsign_console.domain.mortgage import term_end, terms_errors

    assert term_end(date(2026, 3, 1), 12) == date(2027, 3, 1)
    assert term_end(date(2026, 1, 31), 1) == date(2026, 2, 28)  # no 31 February: its last day
    assert term_end(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert term_end(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert terms_errors(Decimal("0.01"), 1) == {} and terms_errors(None, None) == {}
    assert terms_errors(Decimal("0.00"), 600) == {"amount": "抵押金额必须大于0元"}


def test_the_signing_gate_reads_permits_and_restrictions_from_the_database(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        room = _rooms(s, _building(s))["1-0101"]
        assert signing_refusal_of(s, room) == "没有找到有效许可证户室信息"
        _permit_all_rooms(s, _building(s))
        s.flush()
        assert signing_refusal_of(s, room) is None
        permit = s.exec(select(Permit).where(Permit.building_id == _building(s).id)).one()
        permit.status = "changing"
        s.add(permit)
        s.flush()
        assert signing_refusal_of(s, room) == "该楼栋预售许可变更办理中，暂停签约"
        permit.status = "valid"
        s.add(RoomRestriction(room_id=room.id, kind="seizure", active=False))  # ended: no longer counts
        s.add(permit)
        s.flush()
        assert signing_refusal_of(s, room) is None


def test_a_mortgage_follows_its_rooms_through_the_as_built_survey(demo_url):
    from netsign_console.mortgage.rooms import holders, release
    from netsign_console.workflow.flows._survey import carry_restrictions

    _file_forecast(demo_url)
    _both_reviews(demo_url, _create(demo_url, ["1-0101"]))
    with session_scope(demo_url) as s:
        m = _mortgage(s)
        forecast = _rooms(s, _building(s))["1-0101"]
        # SURV-09 splits 1-0101: its restrictions go to the successor, which the mortgage then finds.
        half = Room(**{k: v for k, v in forecast.model_dump().items() if k not in ("id", "room_number", "survey_room_id")},
                    room_number="1-0101A")
        s.add(half)
        s.flush()
        assert carry_restrictions(s, forecast, [half], None) == 1
        forecast.retired = True
        s.add(forecast)
        s.flush()
        assert holders(s, [half.id])[half.id].id == m.id
        [carried] = [r for r in _restrictions(s, m) if r.room_id == half.id]
        assert (carried.kind, carried.sale_authorised, carried.reference) == ("construction_mortgage", False, m.case_number)
        dev = principal(s, "dev_operator")
        auth_id = wf.accept(s, dev, AUTHORISE, subject_id=m.id).id
        _sub, offered, _picked, _editable = st.pick_view(s, dev, auth_id, "entry", ROOMS)
        assert [r.room_number for r in offered] == ["1-0101A"], "the retired forecast room is not offered"
        with pytest.raises(PermissionDenied):
            st.pick_save(s, dev, auth_id, "entry", ROOMS, [forecast.id])
        wf.cancel(s, dev, auth_id, reason="改为注销")
        assert release(s, m, case_number="M000", now=m.updated_at) == 2
        assert holders(s, [half.id, forecast.id]) == {}


def test_only_the_parties_of_a_mortgage_have_its_list_in_their_menu(demo_url):
    import netsign_console.admin.admins  # noqa: F401
    from netsign_console.admin.ui.pages import register_all
    from netsign_console.navigation import menu_for, route_allows

    register_all()
    with session_scope(demo_url) as s:
        for username, expected in (("dev_operator", True), ("mortgage_bank", True), ("regulator", True),
                                   ("broker", False), ("supervising_bank", False), ("fund_center", False)):
            who = principal(s, username)
            labels = [i["label"] for g in menu_for(who) for i in g["items"] if g["group"] == "业务办理"]
            assert ("在建工程抵押" in labels) is expected, username
            assert route_allows(who, "/admin/construction-mortgages") is expected, username
