"""The room card: figures, restrictions (active first), designation, lineage both ways, the
cases about the room and about its predecessor, and the same scope as the grid."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from models.building import RoomLineage
from models.workflow import Case
from netsign_console.db import get_engine
from netsign_console.errors import PermissionDenied
from netsign_console.grid import room_card
from netsign_console.grid.payload import card_vars
from tests.unit.admin_fixtures import DEV_A, DEV_B, REGULATOR
from tests.unit.grid_fixtures import grid_data  # noqa: F401  fixture

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def _card(data, room, principal=DEV_A):
    with Session(get_engine(data.url)) as session:
        return room_card(session, principal, data.rooms.get(room, room))


def _history(data) -> None:
    """1-0201 (retired forecast room) was matched by 1-0202; cases about both."""
    with Session(get_engine(data.url)) as session:
        session.add(RoomLineage(predecessor_id=data.rooms["1-0201"], successor_id=data.rooms["1-0202"], kind="match",
                                case_number="S202612010000001"))
        for n, (room, status, stage) in enumerate([("1-0202", "active", "entry"), ("1-0202", "archived", ""),
                                                   ("1-0201", "archived", "")]):
            session.add(Case(number=f"B20261201000000{n + 2}", case_type="room_backfill", title="测试业务",
                             status=status, current_stage=stage, subject_type="room", subject_id=data.rooms[room],
                             org_id=1, created_by_id=DEV_A.user_id, created_at=T0 + timedelta(hours=n)))
        # A case about something else with the same id must not appear.
        session.add(Case(number="N202612010000009", case_type="network_access", title="入网", subject_type="user",
                         subject_id=data.rooms["1-0202"], org_id=1, created_by_id=DEV_A.user_id, created_at=T0))
        session.commit()


def test_figures_status_and_links(grid_data):
    card = _card(grid_data, "1-0401")
    figures = dict(card.figures)
    assert figures["室号"] == "1-0401" and figures["单元"] == "1单元" and figures["实际层/名义层"] == "4 / 5"
    assert figures["建筑面积"] == "103.5000 m²" and figures["套内面积"] == "87.9750 m²"
    assert figures["销售单价"] == "1,234.55 元/m²" and figures["总价"] == "127,775.93 元"
    assert figures["交易状态"] == "可售" and card.status == "saleable"
    assert card.building_title == "T1(CL20261201001)"
    assert card.record_link == f"/admin/rooms/{grid_data.rooms['1-0401']}"
    assert card.grid_link == f"/buildings/{grid_data.building_id}/grid"
    assert card.markers == ("seizure", "mortgage")


def test_restrictions_active_first_with_reference_authority_and_dates(grid_data):
    card = _card(grid_data, "1-0402")
    assert [(r.kind_label, r.active) for r in card.restrictions] == [("预告登记", True), ("查封", False)]
    first = card.restrictions[0]
    assert first.reference == "文书1-0402" and first.authority == "长沙市天心区人民法院"
    assert first.starts_at == "2026-10-12 09:00:00" and first.ends_at == ""  # shown in Asia/Shanghai
    assert card.markers == ("advance_notice",)  # the lifted seizure is history, not a marker
    values = card_vars(card)
    assert values["card_restrictions"][0].period == "2026-10-12 至 —"


def test_designation_and_pending_release(grid_data):
    assert _card(grid_data, "1-0202").designation_label == "物管用房"
    pending = card_vars(_card(grid_data, "1-0102"))
    assert pending["card_markers"] == ["release_pending"] and "待预售许可变更后方可销售" in pending["card_note"]


def test_lineage_both_ways_and_cases_including_the_predecessors(grid_data):
    _history(grid_data)
    card = _card(grid_data, "1-0202")
    assert [(x.relation, x.kind_label, x.room_number, x.case_number) for x in card.lineage] == [
        ("原预测户室", "对照", "1-0201", "S202612010000001")]
    assert [(c.number, c.stage, c.status_label, c.via) for c in card.cases] == [
        ("B202612010000004", "已办结", "已办结", "原预测户室 1-0201"),
        ("B202612010000003", "已办结", "已办结", ""),
        ("B202612010000002", "信息补录", "办理中", ""),
    ]
    assert card.cases[0].link == "/case/B202612010000004" and card.cases[0].type_title == "户室信息补录"

    retired = _card(grid_data, "1-0201")  # history: a card, though never on the grid
    assert retired.retired and [(x.relation, x.room_number) for x in retired.lineage] == [("实测户室", "1-0202")]
    assert "已注销" in card_vars(retired)["card_note"]
    assert [c.number for c in retired.cases] == ["B202612010000004"]


def test_a_room_with_no_cases_or_lineage(grid_data):
    card = _card(grid_data, "1-0101")
    assert card.cases == [] and card.lineage == [] and card.restrictions == []


@pytest.mark.parametrize("room", ["1-0401", 99999, "x", 0])
def test_outside_the_scope_is_exactly_like_missing(grid_data, room):
    with pytest.raises(PermissionDenied, match="^记录不存在或无权访问$"):
        _card(grid_data, room, DEV_B)


def test_regulator_reads_any_developer_and_developers_only_their_own(grid_data):
    assert _card(grid_data, grid_data.other_room_id, REGULATOR).room_number == "1-0101"
    assert _card(grid_data, grid_data.other_room_id, DEV_B).building_title == "B1"
    with pytest.raises(PermissionDenied):
        _card(grid_data, grid_data.other_room_id, DEV_A)


def test_lineage_to_a_room_outside_the_scope_is_not_shown(grid_data):
    with Session(get_engine(grid_data.url)) as session:
        session.add(RoomLineage(predecessor_id=grid_data.other_room_id, successor_id=grid_data.rooms["1-0101"],
                                kind="merge", case_number="S202612010000002"))
        session.commit()
    assert _card(grid_data, "1-0101").lineage == []
    assert [(x.building_number, x.room_number) for x in _card(grid_data, "1-0101", REGULATOR).lineage] == [
        ("B1", "1-0101")]
