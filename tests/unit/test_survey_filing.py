"""The survey-filing flows (SURV-01, 02, 04-10, 12, 15) on the demo data, at the service level:
a forecast filing from the library into the grid, survey values kept, prices floor by floor,
a change, the forecast → as-built mapping with a split, a merge, an add and a delete, and
a room's restriction following it to its successors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from models.building import Building, Room, RoomLineage, RoomRestriction
from models.survey import SurveyResult
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import acceptance
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.room_batch import RoomSelection
from tests.unit.survey_fixtures import INNER, SHARED, make_result, principal, room_spec

ROOMS = "rooms"


def _building(s, number="D003") -> Building:
    return s.exec(select(Building).where(Building.building_number == number)).one()


def _rooms(s, building) -> dict[str, Room]:
    return {r.room_number: r for r in s.exec(select(Room).where(Room.building_id == building.id, Room.retired.is_(False)))}


def _accept(s, flow: str, survey_building, who="dev_operator"):
    return wf.accept(s, principal(s, who), flow, subject_id=survey_building.id)


def _file_forecast(url, number: str = "YC2026120001", building: str = "D003", project: str = "星城·湘江府") -> int:
    """预测成果备案 of a building through to the survey office's archive; returns the case id."""
    with session_scope(url) as s:
        sb = make_result(s, number=number, building=building, project=project)
        case = _accept(s, "survey_forecast_filing", sb)
        case_id = case.id
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        for code in ("original", "compare", "confirm"):
            st.confirm(s, dev, case_id, "entry", code)
        st.save_form(s, dev, case_id, "entry", "form-buildings", {"address": f"长沙市天心区湘府中路288号{building}栋"})
        st.rooms_apply(s, dev, case_id, "entry", ROOMS, RoomSelection(all_rooms=True), {"layout": "三室两厅"})
        st.rooms_generate_prices(s, dev, case_id, "entry", ROOMS, RoomSelection(),
                                 {"price_kind": "shell_price", "base_price": "9000", "base_floor": "1",
                                  "direction": "up", "change": "increase", "step": "60"}, preview=False)
        [review] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        survey = principal(s, "survey")
        wf.claim(s, survey, review.id)
        wf.decide(s, survey, review.id, decision="approve", opinion="同意备案")
    return case_id


def test_forecast_filing_from_the_library_to_the_grid(demo_url):
    with session_scope(demo_url) as s:
        sb = make_result(s, number="YC2026120001")
        dev = principal(s, "dev_operator")
        # 查询导入: the developer finds its own result by the survey case number; another cannot.
        assert [o.id for o in acceptance.search(s, dev, "survey-forecast-filing", "YC2026120001")] == [sb.id]
        assert acceptance.search(s, principal(s, "dev2_admin"), "survey-forecast-filing", "YC2026120001") == []
        rows, refusals = acceptance.preview(s, dev, "survey-forecast-filing", sb.id)
        assert dict(rows)["测绘宗号"] == "YC2026120001" and refusals == []
        # An as-built filing refuses a forecast result, with the reason.
        _rows, refusals = acceptance.preview(s, dev, "survey-as-built-filing", sb.id)
        assert refusals == ["测绘宗号“YC2026120001”为预测成果，本业务需要实测成果"]
        case = _accept(s, "survey_forecast_filing", sb)
        case_id = case.id
        building = _building(s)
        assert building.survey_kind == "forecast" and building.survey_case_number is None
        rooms = _rooms(s, building)
        assert len(rooms) == 24 and {r.trade_status for r in rooms.values()} == {"not_for_sale"}
        assert s.get(SurveyResult, sb.result_id).status == "filing"
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        with pytest.raises(UserError, match="请先完成待办任务：原测绘信息查看、楼栋信息完善、户室信息编辑、测绘信息查看、栋项目信息确认"):
            wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        table = st.confirm_table(s, dev, case_id, "entry", "original")
        assert len(table.rows) == 24 and "YC2026120001" in table.note
        # SURV-02: what came from the survey is read-only; only the empty fields can be completed.
        view, missing = st.form_view(s, dev, case_id, "entry", "form-buildings")
        readonly = {f.name for f in view.fields if f.readonly}
        assert {"gross_area", "floors_above", "structure"} <= readonly and "address" not in readonly
        assert missing == ["坐落"]
        st.save_form(s, dev, case_id, "entry", "form-buildings", {"address": "长沙市天心区湘府中路288号D003栋",
                                                                 "gross_area": "1.0000"})
        assert _building(s).gross_area == (INNER + SHARED) * 24  # ignored: it came from the survey
        changed, _ = st.rooms_apply(s, dev, case_id, "entry", ROOMS, RoomSelection(all_rooms=True),
                                    {"usage": "30", "layout": "三室两厅"})
        rooms = _rooms(s, _building(s))
        assert changed == 24 and {r.usage for r in rooms.values()} == {"10"}  # the survey's usage kept
        assert {r.layout for r in rooms.values()} == {"三室两厅"}
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        # 快捷设置价格: base 9,000 at floor 1, up, +60 per floor; sale = shell + decoration.
        rule = {"price_kind": "shell_price", "base_price": "9000", "base_floor": "1", "direction": "up",
                "change": "increase", "step": "60"}
        assert st.rooms_generate_prices(s, dev, case_id, "entry", ROOMS, RoomSelection(), rule, preview=True) == 24
        with pytest.raises(ValidationFailed) as bad:
            st.rooms_generate_prices(s, dev, case_id, "entry", ROOMS, RoomSelection(), {**rule, "base_price": "九千"},
                                     preview=True)
        assert bad.value.errors == {"base_price": "基础价格应为金额，最多两位小数"}
        st.rooms_generate_prices(s, dev, case_id, "entry", ROOMS, RoomSelection(), rule, preview=False)
        rooms = _rooms(s, _building(s))
        assert rooms["1-0601"].shell_price == Decimal("9300.00") and rooms["1-0601"].sale_price == Decimal("9300.00")
        # 价格核对: one room corrected; the cell reads 毛 装 面 销.
        target = rooms["2-0302"]
        st.rooms_quick_set(s, dev, case_id, "entry", ROOMS, target.id, {"decoration_price": "1500"})
        [row] = [r for r in st.rooms_price_rows(s, dev, case_id, "entry", ROOMS, {"unit": "2单元", "actual_floor": "3"})
                 if r.room_number == "2-0302"]
        assert row.label == "毛 9120 装 1500 面 103.5000 销 10620"
        assert row.total == "1,099,170.00"  # 103.5000 m² × 10,620.00, to the fen
        # The survey's areas stay as they are (SURV-02): a quick set of them changes nothing.
        st.rooms_quick_set(s, dev, case_id, "entry", ROOMS, target.id, {"inner_area": "1", "nominal_floor": "3"})
        assert (target.inner_area, target.nominal_floor) == (INNER, "3")
        compare = st.confirm_table(s, dev, case_id, "entry", "compare")
        assert ("2-0302", "装修单价", "（空）", "1,500.00") in compare.rows
        for code in ("original", "compare", "confirm"):
            st.confirm(s, dev, case_id, "entry", code)
        [review] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        assert review.stage == "review" and review.roles == "survey_office"
        survey = principal(s, "survey")
        wf.claim(s, survey, review.id)
        wf.decide(s, survey, review.id, decision="approve", opinion="同意备案")
    with session_scope(demo_url) as s:
        building = _building(s)
        case = s.get(wf.Case, case_id)
        assert building.survey_case_number == case.number and case.status == "archived"
        assert s.exec(select(SurveyResult.status).where(SurveyResult.survey_number == "YC2026120001")).one() == "filed"


def test_a_cancelled_filing_takes_its_building_back_off_the_grid(demo_url):
    with session_scope(demo_url) as s:
        sb = make_result(s, number="YC2026120009", building="D009")
        case = _accept(s, "survey_forecast_filing", sb)
        assert _building(s, "D009") is not None
        wf.cancel(s, principal(s, "dev_operator"), case.id, reason="测绘成果有误，重新测绘")
        assert s.exec(select(Building).where(Building.building_number == "D009")).first() is None
        assert s.get(SurveyResult, sb.result_id).status == "available"


def test_a_forecast_change_keeps_history_and_refuses_to_lose_a_sold_room(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        spec = [r for r in room_spec() if r["room_number"] != "2-0602"]  # one room is gone
        spec[0] = {**spec[0], "gross_area": Decimal("104.5000"), "shared_area": SHARED + 1}  # one area changed
        spec.append({**room_spec()[0], "room_number": "1-0603", "actual_floor": 6})  # one room is new
        sb = make_result(s, number="YC2026120002", rooms=spec)
        _rows, refusals = acceptance.preview(s, principal(s, "dev_operator"), "survey-forecast-filing", sb.id)
        assert refusals == ["项目中已有栋号“D003”的楼栋，请办理变更或预测转实测"]
        case = _accept(s, "survey_forecast_change", sb)
        case_id = case.id
        rooms = _rooms(s, _building(s))
        rooms["2-0602"].trade_status = "signing"  # meanwhile somebody signs for it
        s.add(rooms["2-0602"])
    with session_scope(demo_url) as s:
        dev, reg = principal(s, "dev_operator"), principal(s, "regulator")
        for code in ("original", "new"):
            st.confirm(s, dev, case_id, "entry", code)
        [review] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        assert review.roles == "regulator"
        wf.claim(s, reg, review.id)
    with pytest.raises(UserError, match="2-0602"):  # the verb and its hook roll back together
        with session_scope(demo_url) as s:
            wf.decide(s, principal(s, "regulator"), review.id, decision="approve", opinion="同意")
    with session_scope(demo_url) as s:
        room = _rooms(s, _building(s))["2-0602"]
        room.trade_status = "not_for_sale"  # the signing was cancelled
        s.add(room)
    with session_scope(demo_url) as s:
        reg = principal(s, "regulator")
        wf.decide(s, reg, wf.open_task(s, case_id).id, decision="approve", opinion="同意变更")
    with session_scope(demo_url) as s:
        rooms = _rooms(s, _building(s))
        assert "2-0602" not in rooms and "1-0603" in rooms and len(rooms) == 24
        assert rooms["1-0101"].gross_area == Decimal("104.5000") and rooms["1-0101"].sale_price == Decimal("9000.00")
        kinds = sorted(x.kind for x in s.exec(select(RoomLineage).where(RoomLineage.case_number == s.get(wf.Case, case_id).number)))
        assert kinds == ["add", "delete"]
        assert s.exec(select(SurveyResult.status).where(SurveyResult.survey_number == "YC2026120001")).one() == "superseded"


def test_forecast_to_as_built_with_a_split_a_merge_an_add_and_a_delete(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        forecast = _rooms(s, _building(s))
        s.add(RoomRestriction(room_id=forecast["1-0101"].id, kind="seizure", reference="（2026）湘0103执1号",
                              authority="长沙市天心区人民法院"))
        base = {r["room_number"]: r for r in room_spec()}
        spec = [r for n, r in base.items() if n not in ("1-0101", "1-0201", "1-0202", "2-0602")]
        half = {"gross_area": Decimal("51.7500"), "inner_area": Decimal("44.6760"), "shared_area": Decimal("7.0740")}
        spec += [{**base["1-0101"], "room_number": "1-0101A", **half}, {**base["1-0101"], "room_number": "1-0101B", **half}]
        spec += [{**base["1-0201"], "room_number": "1-0201", "gross_area": Decimal("207.0000"),
                  "inner_area": Decimal("178.7042"), "shared_area": Decimal("28.2958")}]
        spec += [{**base["1-0601"], "room_number": "1-0701", "actual_floor": 7}]
        spec[0] = {**spec[0], "gross_area": Decimal("100.5000"), "inner_area": Decimal("86.3521")}  # 1-0102 shrank
        sb = make_result(s, number="SC2026120001", kind="as_built", rooms=spec)
        case = _accept(s, "survey_forecast_to_as_built", sb)
        case_id = case.id
    with session_scope(demo_url) as s:
        dev, reg = principal(s, "dev_operator"), principal(s, "regulator")
        for code in ("original", "new"):
            st.confirm(s, dev, case_id, "entry", code)
        [review] = wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        wf.claim(s, reg, review.id)
        view, editable = st.mapping_view(s, reg, case_id, "review", "mapping")
        # Identical rooms are matched automatically, the merged room's number (1-0201) too.
        assert editable and (view.forecast_count, view.as_built_count, view.matched) == (24, 24, 21)
        f = {label.split("（")[0]: i for i, label in view.unmapped_forecast}
        a = {label.split("（")[0]: i for i, label in view.unmapped_as_built}
        assert set(f) == {"1-0101", "1-0202", "2-0602"} and set(a) == {"1-0101A", "1-0101B", "1-0701"}
        with pytest.raises(UserError, match="请先完成待办任务：户室关系对照"):
            wf.decide(s, reg, review.id, decision="approve", opinion="同意")
        forecast_0201 = _rooms(s, _building(s))["1-0201"].id
        [match_key] = [x[0] for x in view.links if x[2] == "1-0201"]
        as_built_0201 = int(match_key.split(":")[2])
        st.mapping_operate(s, reg, case_id, "review", "mapping", "unmap", [forecast_0201], [])  # 撤销 the match
        f["1-0201"], a["1-0201"] = forecast_0201, as_built_0201
        st.mapping_operate(s, reg, case_id, "review", "mapping", "split", [f["1-0101"]], [a["1-0101A"], a["1-0101B"]])
        st.mapping_operate(s, reg, case_id, "review", "mapping", "merge", [f["1-0201"], f["1-0202"]], [a["1-0201"]])
        st.mapping_operate(s, reg, case_id, "review", "mapping", "add", [], [a["1-0701"]])
        assert st.mapping_operate(s, reg, case_id, "review", "mapping", "delete", [f["2-0602"]], []) == []
        view, _ = st.mapping_view(s, reg, case_id, "review", "mapping")
        assert (view.forecast_count, view.as_built_count, view.mapped_count) == (24, 24, 24)
        assert sorted(x[1] for x in view.links if x[1] != "对应") == ["删除", "合并", "拆分", "新增"]
        # N13 for the room whose area changed: 103.5 → 100.5 m² (−2.90 %) at 9,000.00 yuan/m².
        [area] = view.areas
        assert area[:5] == ("1-0102", "103.5000", "100.5000", "-2.90%", "否") and area[5] == "-27,000.00"
        with pytest.raises(PermissionDenied):
            st.mapping_operate(s, principal(s, "dev_operator"), case_id, "review", "mapping", "auto", [], [])
        wf.decide(s, reg, review.id, decision="approve", opinion="同意转实测")
    with session_scope(demo_url) as s:
        building = _building(s)
        rooms = _rooms(s, building)
        assert building.survey_kind == "as_built" and len(rooms) == 24
        assert {"1-0101A", "1-0101B", "1-0701"} <= set(rooms) and "1-0202" not in rooms and "2-0602" not in rooms
        assert rooms["1-0201"].gross_area == Decimal("207.0000")
        # The seizure of 1-0101 follows it to both halves.
        for number in ("1-0101A", "1-0101B"):
            assert s.exec(select(RoomRestriction.kind).where(RoomRestriction.room_id == rooms[number].id)).all() == ["seizure"]
        lineage = s.exec(select(RoomLineage).where(RoomLineage.kind != "match")).all()
        assert sorted(x.kind for x in lineage) == ["add", "delete", "merge", "merge", "split", "split"]
        retired = s.exec(select(Room).where(Room.building_id == building.id, Room.retired.is_(True))).all()
        assert len(retired) == 4 and all("#" in r.room_number for r in retired)


def test_a_room_whose_areas_do_not_add_up_is_refused_at_the_field(demo_url):
    from netsign_console.admin import service

    with session_scope(demo_url) as s:
        room = _rooms(s, _building(s, "D002"))["1-0301"]
        room_id, admin = room.id, principal(s, "dev_admin")
    with pytest.raises(ValidationFailed) as bad:
        service.update_record("rooms", admin, room_id, {"inner_area": "80.0000"}, url=demo_url)
    assert bad.value.errors["gross_area"].startswith("建筑面积103.5000m²与套内面积80.0000m²加分摊面积14.1479m²之和")
    with session_scope(demo_url) as s:
        assert s.get(Room, room_id).inner_area == INNER  # nothing saved
