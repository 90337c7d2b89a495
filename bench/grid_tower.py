"""The benchmark's tall building: 60 floors × 8 units × 2 rooms = 960 rooms, added to the
generated city for the grid benchmark and removed afterwards, so the city the list and inbox
benchmarks reuse keeps its exact row counts.

It belongs to the first developer (the one the list benchmark acts as) and its first
project; statuses follow the city's mix, about 6 % of the rooms carry a restriction and a few
a designation, so every marker is drawn. Deterministic (one seeded Random).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import delete, insert, select, text

from bench.city import NOW

FLOORS, UNITS, PER_FLOOR = 60, 8, 2
ROOMS = FLOORS * UNITS * PER_FLOOR
SURVEY_CODE = "BENCH-GRID-60F"  # how the bench finds (and removes) its tower
NUMBER = "T60栋"
STATUSES = [("saleable", 0.45), ("filed", 0.2), ("registered", 0.1), ("signed", 0.08), ("signing", 0.04),
            ("not_for_sale", 0.13)]
# The bench's browser sessions are recognised by this expiry and removed with the tower.
SESSION_EXPIRY = datetime(2099, 12, 31, tzinfo=timezone.utc)
RESTRICTIONS = ["mortgage", "seizure", "waiting_seizure", "construction_mortgage", "advance_notice",
                "administrative", "objection"]


@dataclass(frozen=True)
class Tower:
    building_id: int
    developer_org_id: int
    developer_user_id: int
    token: str  # a browser session of the developer's admin (the generated accounts cannot log in)
    last_room: str  # the room number drawn last (bottom right)


def _status(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for status, share in STATUSES:
        acc += share
        if x < acc:
            return status
    return STATUSES[-1][0]


def remove_tower(url: str) -> int:
    """Delete the tower (and the bench's sessions) if a run left one; returns rooms removed."""
    from models.building import Building, Room, RoomRestriction
    from models.user import UserSession
    from netsign_console.db import session_scope

    with session_scope(url) as session:
        session.execute(delete(UserSession).where(UserSession.expires_at == SESSION_EXPIRY))
        ids = session.execute(select(Building.id).where(Building.survey_code == SURVEY_CODE)).scalars().all()
        if not ids:
            return 0
        rooms = select(Room.id).where(Room.building_id.in_(ids))
        session.execute(delete(RoomRestriction).where(RoomRestriction.room_id.in_(rooms)))
        removed = session.execute(delete(Room).where(Room.building_id.in_(ids))).rowcount
        session.execute(delete(Building).where(Building.id.in_(ids)))
        return removed


def add_tower(url: str) -> Tower:
    from models.building import Building, Room, RoomRestriction
    from models.user import UserSession
    from netsign_console.auth.service import _token_hash
    from netsign_console.db import session_scope

    remove_tower(url)
    rng = random.Random(60_8_2)
    with session_scope(url) as session:
        org_id, user_id = session.execute(text(
            "SELECT o.id, u.id FROM organization o JOIN app_user u ON u.organization_id = o.id "
            "WHERE o.org_type = 'developer' AND u.role = 'developer_admin' ORDER BY o.id, u.id LIMIT 1")).one()
        project_id = session.execute(text("SELECT min(id) FROM project WHERE developer_org_id = :o"),
                                     {"o": org_id}).scalar_one()
        building = Building(project_id=project_id, developer_org_id=org_id, building_number=NUMBER,
                            survey_code=SURVEY_CODE, name=NUMBER, address="长沙市天心区基准测试路60号", total_units=ROOMS,
                            structure="3", floors_above=FLOORS, floors_below=0, unit_count=UNITS,
                            survey_kind="forecast", created_at=NOW, updated_at=NOW)
        session.add(building)
        session.flush()
        rows, numbers = [], []
        for floor in range(1, FLOORS + 1):
            for unit in range(1, UNITS + 1):
                for seq in range(1, PER_FLOOR + 1):
                    inner = Decimal(88_0000 + 2000 * seq + 137 * unit).scaleb(-4)
                    shared = (inner * Decimal("0.21")).quantize(Decimal("0.0001"))
                    status = _status(rng)
                    price = None if status == "not_for_sale" else Decimal(12000 + 40 * floor)
                    designation = ("property_mgmt" if floor == 1 and seq == 1 else
                                   "resettlement" if floor == 2 and unit == 8 else
                                   "reserved" if floor == FLOORS else None)
                    numbers.append(f"{unit}-{floor:02d}{seq:02d}")
                    rows.append(dict(building_id=building.id, project_id=project_id, developer_org_id=org_id,
                                     room_number=numbers[-1], unit=f"{unit}单元", actual_floor=floor,
                                     nominal_floor=str(floor), gross_area=inner + shared, inner_area=inner,
                                     shared_area=shared, structure="3", room_type="1", usage="11", nature="0",
                                     has_elevator=True, layout="三室两厅两卫" if seq == 1 else "两室两厅一卫",
                                     decoration="毛坯", shell_price=price, decoration_price=None, sale_price=price,
                                     trade_status=status, designation=designation,
                                     release_pending=floor == 1 and seq == 2 and unit == 1, retired=False, version=1,
                                     created_at=NOW, updated_at=NOW))
        session.execute(insert(Room), rows)
        ids = session.execute(select(Room.id).where(Room.building_id == building.id).order_by(Room.id)).scalars().all()
        restrictions = [dict(room_id=rid, kind=rng.choice(RESTRICTIONS), reference=f"基准{rid}", authority="基准测试",
                             active=True, starts_at=NOW - timedelta(days=30), created_at=NOW)
                        for rid in ids if rng.random() < 0.06]
        session.execute(insert(RoomRestriction), restrictions)
        token = secrets.token_urlsafe(32)
        session.add(UserSession(token_hash=_token_hash(token), user_id=user_id, created_at=NOW,
                                expires_at=SESSION_EXPIRY))
        building_id = building.id
    return Tower(building_id, org_id, user_id, token, last_room=f"{UNITS}-01{PER_FLOOR:02d}")
