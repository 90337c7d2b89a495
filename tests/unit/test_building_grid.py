"""楼盘表 service: layout (units, floors, positions), statuses, markers, legend, tooltips, scope,
retired rooms, and a fixed number of statements whatever the size of the building."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session

from models.building import Room, RoomRestriction
from netsign_console.db import get_engine
from netsign_console.errors import PermissionDenied
from netsign_console.grid import building_grid
from netsign_console.grid.layout import natural_key, stack_of
from netsign_console.grid.palette import MARKERS, STATUS_SWATCHES, css
from netsign_console.grid.payload import grid_vars
from tests.unit.admin_fixtures import DEV_A, DEV_B, OPERATOR_A, REGULATOR
from tests.unit.grid_fixtures import grid_data  # noqa: F401  fixture


def _grid(data, principal=DEV_A, building_id=None):
    with Session(get_engine(data.url)) as session:
        return building_grid(session, principal, data.building_id if building_id is None else building_id)


def _numbers(floor):
    return [[c.room_number if c else None for c in unit] for unit in floor.slots]


def test_units_in_natural_order_and_floors_top_down_with_gaps_and_basements_last(grid_data):
    view = _grid(grid_data)
    assert view.units == ["1单元", "2单元", "10单元"]
    assert view.columns == [2, 1, 2]
    assert [f.label for f in view.floors] == ["4层", "3层", "2层", "1层", "-1层"]
    by_label = {f.label: _numbers(f) for f in view.floors}
    assert by_label["4层"] == [["1-0401", "1-0402"], ["2-0401"], [None, None]]
    assert by_label["3层"] == [[None, None], [None], [None, None]]  # no rooms: an empty row
    # 1-0201 is retired: its position stays empty and 1-0202 keeps its stack.
    assert by_label["2层"] == [[None, "1-0202"], ["2-0201"], [None, None]]
    # Numbers without a floor/stack pattern fall back to room-number order within the floor.
    assert by_label["1层"] == [["1-0101", "1-0102"], ["2-0101"], ["商铺乙", "商铺甲"]]
    assert by_label["-1层"] == [["1-B0101", None], [None], [None, None]]


def test_nominal_floor_shown_only_where_it_differs(grid_data):
    view = _grid(grid_data)
    assert {f.label: f.nominal for f in view.floors} == {"4层": "5", "3层": "", "2层": "", "1层": "", "-1层": ""}


def test_retired_rooms_are_never_on_the_grid(grid_data):
    view = _grid(grid_data)
    numbers = [c.room_number for c in view.cells()]
    assert "1-0201" not in numbers and len(numbers) == 11
    assert grid_data.rooms["1-0201"] not in {c.room_id for c in view.cells()}


def test_statuses_markers_and_a_legend_that_adds_up(grid_data):
    view = _grid(grid_data)
    cells = {c.room_number: c for c in view.cells()}
    assert cells["1-0402"].status == "filed" and cells["1-0402"].status_label == "已备案"
    assert cells["2-0201"].status == "other" and cells["2-0201"].status_label == "其他状态"
    # The whole seizure family shows as 查封; an inactive restriction shows nothing.
    assert cells["1-0401"].markers == ("seizure", "mortgage")
    assert cells["1-0402"].markers == ("advance_notice",)
    assert cells["2-0401"].markers == ("administrative", "construction_mortgage", "resettlement")
    assert cells["2-0101"].markers == ("objection", "non_ordinary")
    assert cells["1-0202"].markers == ("property_mgmt",)
    assert cells["1-0102"].markers == ("release_pending",)
    assert cells["1-B0101"].markers == ("reserved",)
    assert cells["1-0101"].markers == ()

    statuses = {e.code: e.count for e in view.legend.statuses}
    assert statuses == {"not_for_sale": 3, "saleable": 4, "signing": 0, "signed": 1, "filed": 1, "registered": 1,
                        "other": 1}
    assert [e.label for e in view.legend.statuses][:6] == ["不可售", "可售", "签约中", "已签约", "已备案", "已登记"]
    assert view.legend.total == sum(statuses.values()) == len(list(view.cells())) == view.room_count == 11
    markers = {e.code: e.count for e in view.legend.markers}
    assert list(markers) == list(MARKERS)  # every marker listed, zero included
    assert markers == {code: 1 for code in MARKERS}


def test_a_legend_without_unknown_statuses_lists_exactly_the_six(grid_data):
    with Session(get_engine(grid_data.url)) as session:
        session.get(Room, grid_data.rooms["2-0201"]).trade_status = "signing"
        session.commit()
    view = _grid(grid_data)
    assert [e.code for e in view.legend.statuses] == list(STATUS_SWATCHES)
    assert {e.code: e.count for e in view.legend.statuses}["signing"] == 1


def test_tooltip_has_the_figures_and_a_total_rounded_half_up_to_the_fen(grid_data):
    cells = {c.room_number: c for c in _grid(grid_data).cells()}
    tip = cells["1-0401"].tooltip.split("\n")
    # 103.5000 m² × 1,234.55 元/m² = 127,775.925 -> 127,775.93 (half up; a float gives .92).
    assert tip == [
        "室号 1-0401　单元 1单元",
        "实际层/名义层 4/5",
        "建筑/套内/分摊面积 103.5000/87.9750/15.5250 m²",
        "户型 三室两厅　用途 住宅",
        "销售单价 1,234.55 元/m²",
        "总价 127,775.93 元",
        "状态 可售",
        "限制 轮候预查封、抵押",
    ]
    no_price = cells["1-0202"].tooltip
    assert "销售单价 —" in no_price and "总价 —" in no_price and "标记 物管用房" in no_price
    assert "标记 待许可变更后可售" in cells["1-0102"].tooltip


def test_header_names_the_building_with_its_survey_code(grid_data):
    b = _grid(grid_data).building
    assert b.title == "T1(CL20261201001)" and b.project_name == "测试·楼盘表" and b.developer_name == "甲开发公司"
    assert b.survey_kind_label == "预测"


@pytest.mark.parametrize("who", [DEV_A, OPERATOR_A, REGULATOR])
def test_the_developer_and_the_regulator_side_see_the_grid(grid_data, who):
    assert _grid(grid_data, who).room_count == 11


@pytest.mark.parametrize("building", ["other", "missing", "abc", "-3", "", "99999999999999999999"])
def test_outside_the_scope_is_exactly_like_missing(grid_data, building):
    target = {"other": grid_data.building_id, "missing": 99999}.get(building, building)
    with pytest.raises(PermissionDenied, match="^记录不存在或无权访问$"):
        _grid(grid_data, DEV_B, building_id=target)


def test_developer_b_sees_its_own_building_only(grid_data):
    view = _grid(grid_data, DEV_B, building_id=grid_data.other_building_id)
    assert [c.room_number for c in view.cells()] == ["1-0101"]
    with pytest.raises(PermissionDenied):
        _grid(grid_data, DEV_A, building_id=grid_data.other_building_id)


def _statements(url, fn) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_statement_count_does_not_grow_with_rooms_or_restrictions(grid_data):
    small = _statements(grid_data.url, lambda: _grid(grid_data))
    with Session(get_engine(grid_data.url)) as session:
        template = session.get(Room, grid_data.rooms["1-0101"])
        for floor in range(5, 45):
            for seq in (1, 2):
                room = Room(**{**template.model_dump(exclude={"id", "room_number", "actual_floor"}),
                               "room_number": f"1-{floor:02d}{seq:02d}", "actual_floor": floor})
                session.add(room)
                session.flush()
                session.add(RoomRestriction(room_id=room.id, kind="mortgage"))
        session.commit()
    big = _statements(grid_data.url, lambda: _grid(grid_data))
    assert len(big) == len(small) == 4  # building, rooms, restrictions, the building's cases
    assert _grid(grid_data).legend.total == 11 + 80


def test_payload_is_flat_and_marks_unit_boundaries(grid_data):
    values = grid_vars(_grid(grid_data))
    assert [(u.label, u.span) for u in values["grid_units"]] == [("1单元", 2), ("2单元", 1), ("10单元", 2)]
    top = values["grid_floors"][0]
    assert [c.room_number for c in top.cells] == ["1-0401", "1-0402", "2-0401", "", ""]
    assert [c.unit_start for c in top.cells] == [True, False, True, True, False]
    assert top.cells[3].room_id == 0  # an empty position
    assert sum(i.count for i in values["grid_legend"] if i.kind == "status") == values["grid_room_count"] == 11
    assert values["grid_title"] == "T1(CL20261201001)" and ["项目", "测试·楼盘表"] in values["grid_header"]


def test_natural_order_and_stacks():
    assert sorted(["10单元", "2单元", "1单元", ""], key=natural_key) == ["1单元", "2单元", "10单元", ""]
    assert sorted(["1-1001", "1-0902", "1-101"], key=natural_key) == ["1-101", "1-0902", "1-1001"]
    # Odd characters people type do not break the order: superscripts, full-width digits.
    assert sorted(["1²", "１２单元", "2单元"], key=natural_key) == ["1²", "2单元", "１２单元"]
    assert stack_of("2-1503", 15) == "03" and stack_of("1-101", 1) == "01" and stack_of("1-B0102", -1) == "02"
    assert stack_of("商铺甲", 1) is None and stack_of("1-0301", 2) is None


def test_palette_is_complete_and_distinct():
    backgrounds = [s.background for s in STATUS_SWATCHES.values()]
    assert len(set(backgrounds)) == 6 and len({m.letter for m in MARKERS.values()}) == len(MARKERS)
    sheet = css()
    assert all(f".st-{code}{{" in sheet for code in STATUS_SWATCHES) and all(f".mk-{c}{{" in sheet for c in MARKERS)



def test_the_grid_service_loads_no_reflex():
    """netsign_console/grid is a service: a fresh interpreter imports all of it without Reflex."""
    import subprocess
    import sys
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "netsign_console" / "grid"
    modules = [f"netsign_console.grid.{p.stem}" for p in sorted(package.glob("*.py")) if p.stem != "__init__"]
    assert len(modules) >= 7
    script = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + \
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('reflex', 'reflex_base'))))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=package.parents[1])
    assert result.stdout.strip() == ""


def test_a_building_without_rooms_is_an_empty_grid_with_a_zero_legend(grid_data):
    from models.building import Building

    with Session(get_engine(grid_data.url)) as session:
        empty = Building(project_id=session.get(Building, grid_data.building_id).project_id, developer_org_id=1,
                         building_number="T2")
        session.add(empty)
        session.commit()
        empty_id = empty.id
    view = _grid(grid_data, building_id=empty_id)
    assert view.units == [] and view.floors == [] and view.room_count == 0
    assert [e.count for e in view.legend.statuses] == [0] * 6 and all(e.count == 0 for e in view.legend.markers)
    assert grid_vars(view)["grid_floors"] == []
