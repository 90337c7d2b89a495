"""物管用房 (PMR-01 to PMR-04) at the service level: determination picked on the grid and set on
archive, the other buildings shown, PMR-02's "none needed", a change setting a room back with
its release pending until a permit change."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.building import Room
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow import acceptance
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from tests.unit.survey_fixtures import principal
from tests.unit.test_survey_filing import _building, _file_forecast, _rooms

PICK = "pick-room_ids"
PROJECT = "星城·麓谷雅苑"


def _decide(url, case_id, decision="approve", opinion="同意"):
    with session_scope(url) as s:
        reg = principal(s, "regulator")
        task = wf.open_task(s, case_id)
        wf.claim(s, reg, task.id)
        wf.decide(s, reg, task.id, decision=decision, opinion=opinion)


def test_determination_then_change(demo_url):
    # In a project of their own: the demo's D001 (星城·湘江府) already has 物管用房 (PMR-02).
    _file_forecast(demo_url, project=PROJECT)
    _file_forecast(demo_url, "YC2026120004", "D004", project=PROJECT)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        building = _building(s)
        _rows, refusals = acceptance.preview(s, dev, "pmr-offplan-change", building.id)
        assert refusals == ["该楼栋的物管用房尚未核定，请先办理物管用房核定"]
        _rows, refusals = acceptance.preview(s, dev, "pmr-completed-determination", building.id)
        assert refusals == ["该楼栋的实测成果尚未备案，不能办理现房物管用房"]
        case = wf.accept(s, dev, "pmr_offplan_determination", subject_id=building.id)
        case_id = case.id
        rooms = _rooms(s, building)
        table = st.confirm_table(s, dev, case_id, "entry", "project")
        assert ("D003（本栋）", "0", "无") in table.rows and "均未设置" in table.note
        # PMR-02: no other building of 星城·麓谷雅苑 has 物管用房, so picking none is refused.
        with pytest.raises(UserError, match="请先选择要设为物管用房的户室"):
            st.pick_save(s, dev, case_id, "entry", PICK, [])
        with pytest.raises(PermissionDenied):
            st.pick_save(s, dev, case_id, "entry", PICK, [_rooms(s, _building(s, "D004"))["1-0301"].id])  # not this building
        rooms["1-0101"].trade_status = "signing"
        s.add(rooms["1-0101"])
        with pytest.raises(UserError, match="1-0101：已签约或在签约中"):
            st.pick_save(s, dev, case_id, "entry", PICK, [rooms["1-0101"].id])
        assert st.pick_save(s, dev, case_id, "entry", PICK, [rooms["1-0102"].id, rooms["2-0102"].id]) == 2
        st.confirm(s, dev, case_id, "entry", "project")
        assert {r.designation for r in _rooms(s, building).values()} == {None}  # nothing changes before archive
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    _decide(demo_url, case_id)
    with session_scope(demo_url) as s:
        rooms = _rooms(s, _building(s))
        assert {n for n, r in rooms.items() if r.designation == "property_mgmt"} == {"1-0102", "2-0102"}
        dev = principal(s, "dev_operator")
        _rows, refusals = acceptance.preview(s, dev, "pmr-offplan-determination", _building(s).id)
        assert refusals[0].startswith("该楼栋的物管用房已核定")
        # Another building of the project now needs none (PMR-02).
        other = wf.accept(s, dev, "pmr_offplan_determination", subject_id=_building(s, "D004").id)
        assert st.pick_save(s, dev, other.id, "entry", PICK, []) == 0
        assert "已设置物管用房" in st.confirm_table(s, dev, other.id, "entry", "project").note
        change = wf.accept(s, dev, "pmr_offplan_change", subject_id=_building(s).id)
        change_id = change.id
        assert sorted(change.data["room_ids"]) == sorted([rooms["1-0102"].id, rooms["2-0102"].id])
        st.confirm(s, dev, change_id, "entry", "project")
        st.pick_save(s, dev, change_id, "entry", PICK, [rooms["1-0102"].id])  # 2-0102 set back to saleable
        wf.dispatch(s, dev, wf.open_task(s, change_id).id)
    _decide(demo_url, change_id)
    with session_scope(demo_url) as s:
        room = _rooms(s, _building(s))["2-0102"]
        # PMR-04: no longer 物管用房, but saleable only after a later permit change.
        assert (room.designation, room.release_pending, room.trade_status) == (None, True, "not_for_sale")
