"""户室信息补录 (SUPP-01) on the demo data: the three sub-tasks, their refusals, read-only after
dispatch, editable after a 不通过, the regulator's archive."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.building import Building, Room
from models.user import User
from netsign_console.auth.service import principal_for_user
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import acceptance
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.room_batch import RoomSelection
from netsign_console.workflow.view import case_view

PROJECT = "form-projects"
BUILDING = "form-buildings"
ROOMS = "rooms"


def _p(session, username):
    return principal_for_user(session, session.exec(select(User).where(User.username == username)).one())


def _legacy_building(session) -> Building:
    return session.exec(select(Building).where(Building.building_number == "1栋")).one()


@pytest.fixture
def case_id(demo_url):
    with session_scope(demo_url) as s:
        building = _legacy_building(s)
        case = wf.accept(s, _p(s, "dev_operator"), "room_backfill", subject_id=building.id)
        return case.id


def test_the_start_page_shows_the_building_and_its_checks(demo_url, case_id):
    with session_scope(demo_url) as s:
        dev = _p(s, "dev_operator")
        options = acceptance.search(s, dev, "room-backfill", "1栋")
        assert options[0].key == "1栋" and "D001" in [o.key for o in options]  # "D001栋" contains it too
        rows, refusals = acceptance.preview(s, dev, "room-backfill", options[0].id)
        assert dict(rows)["项目名称"] == "星城·东方名苑"
        assert refusals == [f"该楼栋已有正在办理的户室信息补录业务（{s.get(wf.Case, case_id).number}）"]
        with pytest.raises(UserError, match="已有正在办理"):
            wf.accept(s, dev, "room_backfill", subject_id=options[0].id)
        # Another developer neither finds the building nor can accept on it.
        other = _p(s, "dev2_admin")
        assert options[0].id not in [o.id for o in acceptance.search(s, other, "room-backfill", "1栋")]
        with pytest.raises(PermissionDenied):
            wf.accept(s, other, "room_backfill", subject_id=options[0].id)


def test_backfill_end_to_end_at_the_service_level(demo_url, case_id):
    with session_scope(demo_url) as s:
        dev = _p(s, "dev_operator")
        task = wf.open_task(s, case_id)
        with pytest.raises(UserError, match="请先完成待办任务：项目信息补录、栋信息补录、户室信息补录"):
            wf.dispatch(s, dev, task.id)
    with session_scope(demo_url) as s:
        dev = _p(s, "dev_operator")
        view, missing = st.form_view(s, dev, case_id, "entry", PROJECT)
        assert view.can_edit and "用地面积（㎡）" in missing
        with pytest.raises(ValidationFailed) as bad:
            st.save_form(s, dev, case_id, "entry", PROJECT, {"land_area": "很大", "district": "", "start_date": "2008-02-30"})
        assert bad.value.errors["land_area"] == "用地面积应为数字，最多四位小数"
        assert bad.value.errors["district"] == "请填写所属区县"
        assert bad.value.errors["start_date"] == "开工日期应为日期，格式如2024-01-31"
    with session_scope(demo_url) as s:  # nothing was saved half-way
        assert s.exec(select(wf.Case)).all() and _legacy_building(s).gross_area is None
        dev = _p(s, "dev_operator")
        assert st.save_form(s, dev, case_id, "entry", PROJECT, {
            "name": "星城·东方名苑", "location": "长沙市雨花区韶山中路419号", "district": "雨花区", "land_area": "12000.5",
            "planned_gross_area": "36000", "total_investment": "", "start_date": "2008-03-01",
            "planned_completion_date": "2010-06-30", "status": "completed"}) == []
        assert st.save_form(s, dev, case_id, "entry", BUILDING, {
            "building_number": "1栋", "address": "长沙市雨花区韶山中路419号1栋", "gross_area": "2324.52",
            "structure": "4", "height": "18.6", "floors_above": "6", "unit_count": "2", "total_units": "24"}) == []
        # Rooms: select, preview, apply in one transaction.
        rows, editable, missing = st.rooms_view(s, dev, case_id, "entry", ROOMS)
        assert editable and len(rows) == 24 and missing == 24
        unit_1 = RoomSelection(units=("1单元",))
        assert st.rooms_preview(s, dev, case_id, "entry", ROOMS, unit_1, {"usage": "10"}) == (12, 12)
        with pytest.raises(ValidationFailed) as bad:
            st.rooms_apply(s, dev, case_id, "entry", ROOMS, unit_1, {"usage": "bogus"})
        assert "房屋用途的取值无效" in bad.value.errors["usage"]
        values = {"structure": "4", "room_type": "1", "usage": "10", "nature": "0", "layout": "两室一厅", "decoration": "简装"}
        assert st.rooms_apply(s, dev, case_id, "entry", ROOMS, RoomSelection(all_rooms=True), values) == (24, 0)
        back = RoomSelection(pattern=("back", "02", 2))
        assert st.rooms_apply(s, dev, case_id, "entry", ROOMS, back, {"layout": "三室两厅"}) == (12, 0)
        task = wf.open_task(s, case_id)
        [review] = wf.dispatch(s, dev, task.id)
    with session_scope(demo_url) as s:
        layouts = {r.room_number: r.layout for r in s.exec(select(Room).where(Room.building_id == _legacy_building(s).id))}
        assert layouts["1-0101"] == "两室一厅" and layouts["1-0102"] == "三室两厅"
        dev = _p(s, "dev_operator")
        view, _ = st.form_view(s, dev, case_id, "entry", BUILDING)
        assert not view.can_edit  # dispatched: read-only
        with pytest.raises(PermissionDenied, match="信息只读"):
            st.save_form(s, dev, case_id, "entry", BUILDING, {"height": "20"})
        reg = _p(s, "regulator")
        wf.claim(s, reg, review.id)
        with pytest.raises(UserError, match="请填写原因"):
            wf.decide(s, reg, review.id, decision="approve")  # 审批意见 is required either way
        [entry] = wf.decide(s, reg, review.id, decision="reject", opinion="层高与测绘报告不符")
        assert entry.owner_id == dev.user_id
    with session_scope(demo_url) as s:
        dev = _p(s, "dev_operator")
        view, _ = st.form_view(s, dev, case_id, "entry", BUILDING)
        assert view.can_edit  # editable again after the return
        st.save_form(s, dev, case_id, "entry", BUILDING, {"height": "18.9"})
        [review] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        reg = _p(s, "regulator")
        wf.claim(s, reg, review.id)
        wf.decide(s, reg, review.id, decision="approve", opinion="同意补录")
    with session_scope(demo_url) as s:
        view = case_view(s, _p(s, "dev_operator"), s.get(wf.Case, case_id).number)
        assert view.status_label == "已办结" and view.decision_label == "通过"
        assert _legacy_building(s).backfill_case_number == view.number
        assert any("层高与测绘报告不符" in line for line in view.timeline)
        assert view.timeline[-1].startswith("张审核归档")
