"""Demo buildings and rooms entered directly: 麓山·桃李苑 A01 (18 floors × 2 units × 2 rooms),
areas that add up (gross = inner + shared) and floor-by-floor prices, as a city's data migrated
from its old system looks. 星城·湘江府 D001 and D002 are not here: they go through the survey
filing, the 物管用房 and the permit flows (demo/new_house_chain.py)."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.building import Building, Room
from models.project import Project
from netsign_console.demo.loader import seed_step

FLOORS, UNITS, PER_FLOOR = 18, 2, 2
BUILDINGS = [
    # project name, building number, survey code
    ("麓山·桃李苑", "A01", "CL20260512001"),
]
LAYOUTS = [("三室两厅", Decimal("89.3521"), Decimal("14.1479")), ("四室两厅", Decimal("118.2064"), Decimal("18.6936"))]


def _rooms(building: Building) -> list[Room]:
    rooms = []
    for floor in range(1, FLOORS + 1):
        for unit in range(1, UNITS + 1):
            for seq in range(1, PER_FLOOR + 1):
                layout, inner, shared = LAYOUTS[(seq - 1) % len(LAYOUTS)]
                shell = Decimal("9000.00") + Decimal("60.00") * (floor - 1)
                rooms.append(Room(
                    building_id=building.id, project_id=building.project_id,
                    developer_org_id=building.developer_org_id,
                    room_number=f"{unit}-{floor:02d}{seq:02d}", unit=f"{unit}单元", actual_floor=floor,
                    nominal_floor=str(floor), gross_area=inner + shared, inner_area=inner, shared_area=shared,
                    structure="3", room_type="1", usage="10", nature="0", has_elevator=True, layout=layout,
                    decoration="毛坯", shell_price=shell, decoration_price=Decimal("0.00"), sale_price=shell,
                    trade_status="saleable" if floor > 2 else "not_for_sale",
                ))
    return rooms


@seed_step("楼栋与户室")
def seed_buildings(session: Session) -> int:
    added = 0
    for project_name, number, survey_code in BUILDINGS:
        project = session.exec(select(Project).where(Project.name == project_name)).first()
        if project is None:
            continue
        exists = session.exec(
            select(Building.id).where(Building.project_id == project.id, Building.building_number == number)
        ).first()
        if exists:
            continue
        building = Building(
            project_id=project.id, developer_org_id=project.developer_org_id, building_number=number,
            survey_code=survey_code, name=f"{number}栋", address=f"{project.location}{number}栋",
            total_units=FLOORS * UNITS * PER_FLOOR, structure="3", floors_above=FLOORS, floors_below=2,
            height=Decimal("3.0") * FLOORS, unit_count=UNITS,
        )
        session.add(building)
        session.flush()
        rooms = _rooms(building)
        building.gross_area = sum((r.gross_area for r in rooms), Decimal("0"))
        session.add_all(rooms)
        added += 1
    return added
