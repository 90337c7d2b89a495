"""A small hand-made building for the grid tests: three units (natural order 1 < 2 < 10), floors
4, 2, 1 and -1 (floor 3 missing: an empty row), a missing and a retired position, every marker
kind, one trade status the code list does not know, and a second developer's building."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlmodel import Session

from models.building import Building, Room, RoomRestriction
from models.project import Project
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import ORG_A, ORG_B, make_db

D = Decimal

# room number, unit, floor, nominal, status, designation, release_pending, retired, gross, price
ROOMS = [
    ("1-0401", "1单元", 4, "5", "saleable", None, False, False, D("103.5000"), D("1234.55")),
    ("1-0402", "1单元", 4, "5", "filed", None, False, False, D("88.1234"), D("9000.00")),
    ("1-0201", "1单元", 2, "2", "saleable", None, False, True, D("90.0000"), D("9000.00")),  # retired
    ("1-0202", "1单元", 2, "2", "signed", "property_mgmt", False, False, D("90.0000"), None),
    ("1-0101", "1单元", 1, "1", "registered", None, False, False, D("90.0000"), D("8000.00")),
    ("1-0102", "1单元", 1, "1", "not_for_sale", None, True, False, D("90.0000"), D("8000.00")),
    ("1-B0101", "1单元", -1, "-1", "not_for_sale", "reserved", False, False, D("30.0000"), None),
    ("2-0401", "2单元", 4, "5", "saleable", "resettlement", False, False, D("95.0000"), D("9100.00")),
    ("2-0201", "2单元", 2, "2", "frozen", None, False, False, D("95.0000"), D("9100.00")),  # unknown status
    ("2-0101", "2单元", 1, "1", "saleable", "non_ordinary", False, False, D("95.0000"), D("9100.00")),
    ("商铺乙", "10单元", 1, "1", "saleable", None, False, False, D("150.0000"), D("20000.00")),
    ("商铺甲", "10单元", 1, "1", "not_for_sale", None, False, False, D("120.0000"), D("20000.00")),
]
# room number -> (kind, active)
RESTRICTIONS = {
    "1-0401": [("waiting_pre_seizure", True), ("mortgage", True)],
    "1-0402": [("seizure", False), ("advance_notice", True)],
    "2-0401": [("construction_mortgage", True), ("administrative", True)],
    "2-0101": [("objection", True)],
    "1-0201": [("seizure", True)],  # on the retired room: not on the grid
}


@dataclass
class GridData:
    url: str
    building_id: int
    other_building_id: int
    rooms: dict[str, int] = field(default_factory=dict)
    other_room_id: int = 0


def _room(building: Building, number, unit, floor, nominal, status, designation, pending, retired, gross, price):
    inner = (gross * D("0.85")).quantize(D("0.0001"))
    return Room(building_id=building.id, project_id=building.project_id, developer_org_id=building.developer_org_id,
                room_number=number, unit=unit, actual_floor=floor, nominal_floor=nominal, gross_area=gross,
                inner_area=inner, shared_area=gross - inner, usage="10", layout="三室两厅", sale_price=price,
                trade_status=status, designation=designation, release_pending=pending, retired=retired)


def build(url: str) -> GridData:
    with Session(get_engine(url)) as session:
        project = Project(developer_org_id=ORG_A, name="测试·楼盘表", location="长沙市天心区测试路1号")
        other_project = Project(developer_org_id=ORG_B, name="乙·测试苑", location="长沙市岳麓区测试路2号")
        session.add_all([project, other_project])
        session.flush()
        building = Building(project_id=project.id, developer_org_id=ORG_A, building_number="T1",
                            survey_code="CL20261201001", address="长沙市天心区测试路1号T1栋", survey_kind="forecast",
                            floors_above=4, floors_below=1, unit_count=3)
        other = Building(project_id=other_project.id, developer_org_id=ORG_B, building_number="B1")
        session.add_all([building, other])
        session.flush()
        rooms = {spec[0]: _room(building, *spec) for spec in reversed(ROOMS)}  # stored out of order
        other_room = _room(other, "1-0101", "1单元", 1, "1", "saleable", None, False, False, D("90"), D("9000"))
        session.add_all([*rooms.values(), other_room])
        session.flush()
        start = datetime(2026, 10, 12, 1, 0, tzinfo=timezone.utc)
        for number, items in RESTRICTIONS.items():
            for kind, active in items:
                session.add(RoomRestriction(room_id=rooms[number].id, kind=kind, active=active, starts_at=start,
                                            reference=f"文书{number}", authority="长沙市天心区人民法院"))
        session.commit()
        return GridData(url, building.id, other.id, {n: r.id for n, r in rooms.items()}, other_room.id)


@pytest.fixture
def grid_data(tmp_path) -> GridData:
    return build(make_db(tmp_path))
