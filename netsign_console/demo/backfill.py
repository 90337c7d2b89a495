"""Demo data for 户室信息补录 (SUPP-01): an older project of 星城 entered before the system, whose
project, building and room records are incomplete, so a developer has something to backfill."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.building import Building, Room
from models.project import Project
from netsign_console.demo.accounts import DEVELOPER
from netsign_console.demo.loader import org_id, seed_step

PROJECT = "星城·东方名苑"
FLOORS, UNITS, PER_FLOOR = 6, 2, 2


@seed_step("补录演示楼栋")
def seed_backfill(session: Session) -> int:
    if session.exec(select(Project.id).where(Project.name == PROJECT)).first():
        return 0
    developer = org_id(session, DEVELOPER)
    # Only what the old system kept: the name and the address; the rest is to be backfilled.
    project = Project(developer_org_id=developer, name=PROJECT, location="长沙市雨花区韶山中路419号",
                      status="completed")
    session.add(project)
    session.flush()
    building = Building(project_id=project.id, developer_org_id=developer, building_number="1栋",
                        name="1栋", total_units=FLOORS * UNITS * PER_FLOOR, floors_above=FLOORS, unit_count=UNITS)
    session.add(building)
    session.flush()
    for floor in range(1, FLOORS + 1):
        for unit in range(1, UNITS + 1):
            for seq in range(1, PER_FLOOR + 1):
                inner, shared = (Decimal("78.4200"), Decimal("12.3300")) if seq == 1 else (Decimal("96.1500"), Decimal("15.0100"))
                session.add(Room(
                    building_id=building.id, project_id=project.id, developer_org_id=developer,
                    room_number=f"{unit}-{floor:02d}{seq:02d}", unit=f"{unit}单元", actual_floor=floor,
                    gross_area=inner + shared, inner_area=inner, shared_area=shared, has_elevator=False,
                    trade_status="registered",
                ))
    return 1
