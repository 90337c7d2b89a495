"""Demo variety for the building grid (楼盘表): in D001 (湖南星城置业, after the new-house chain of
demo/new_house_chain.py made its 物管用房 and permit) and A01 (长沙麓山) a few rooms are signed,
filed or registered, some carry restrictions (查封, 轮候查封, 抵押, 在建工程抵押, 预告登记, 行政限制,
异议登记) or designations (安置房, 保留房, 非普通住宅), and one former 物管用房 waits for a permit
change (PMR-04), so every colour and marker appears after `make run`.

The trade statuses and restrictions are set directly: the contract and registration flows
that will make them do not exist yet (ROADMAP). Nothing else may rely on them.

Idempotent: a room already in its demo state is left alone, a restriction is added only if
the room has none of that kind with that document number.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session, select

from models.building import Building, Room, RoomRestriction
from models.project import Project
from netsign_console.demo.loader import seed_step

COURT = "长沙市天心区人民法院"
REGISTRY = "长沙市不动产登记中心"

# (project, building) -> room number -> field values
ROOM_STATES: dict[tuple[str, str], dict[str, dict]] = {
    ("星城·湘江府", "D001"): {
        "2-0102": {"release_pending": True},
        "1-0301": {"trade_status": "signed"},
        "1-0302": {"trade_status": "signed"},
        "2-0302": {"trade_status": "signed"},
        "1-0401": {"trade_status": "filed"},
        "1-0402": {"trade_status": "filed"},
        "2-0401": {"trade_status": "filed"},
        "1-0501": {"trade_status": "registered"},
        "2-0501": {"trade_status": "signing"},
        "1-0602": {"trade_status": "signing"},
        "2-1501": {"designation": "non_ordinary"},
        "1-1801": {"designation": "resettlement"},
        "1-1802": {"designation": "reserved", "trade_status": "not_for_sale"},
    },
    ("麓山·桃李苑", "A01"): {
        "1-0301": {"trade_status": "signed"},
        "1-0302": {"trade_status": "filed"},
        "2-0301": {"trade_status": "registered"},
    },
}

# (project, building, room number, kind, reference, authority, start)
RESTRICTIONS = [
    ("星城·湘江府", "D001", "1-0801", "seizure", "（2026）湘0103执保1234号", COURT, datetime(2026, 10, 12, 1, 0)),
    ("星城·湘江府", "D001", "2-0902", "waiting_seizure", "（2026）湘0103执保1301号", COURT, datetime(2026, 11, 3, 2, 0)),
    ("星城·湘江府", "D001", "1-0401", "advance_notice", "湘（2026）长沙市不动产证明第0012345号", REGISTRY,
     datetime(2026, 9, 20, 3, 0)),
    ("星城·湘江府", "D001", "1-0501", "mortgage", "湘（2026）长沙市不动产证明第0012377号", REGISTRY,
     datetime(2026, 8, 2, 3, 0)),
    ("星城·湘江府", "D001", "2-1001", "construction_mortgage", "湘（2026）长沙市不动产证明第0020001号", REGISTRY,
     datetime(2026, 5, 6, 2, 0)),
    ("星城·湘江府", "D001", "2-1002", "construction_mortgage", "湘（2026）长沙市不动产证明第0020001号", REGISTRY,
     datetime(2026, 5, 6, 2, 0)),
    ("星城·湘江府", "D001", "1-1201", "administrative", "长住建限〔2026〕8号", "长沙市住房和城乡建设局",
     datetime(2026, 7, 1, 1, 0)),
    ("星城·湘江府", "D001", "2-1201", "objection", "湘（2026）长沙市不动产证明第0013001号", REGISTRY,
     datetime(2026, 11, 18, 6, 0)),
]


def _rooms(session: Session, project: str, building: str) -> dict[str, Room]:
    rows = session.exec(
        select(Room).join(Building, Building.id == Room.building_id).join(Project, Project.id == Building.project_id)
        .where(Project.name == project, Building.building_number == building)
    ).all()
    return {room.room_number: room for room in rows}


@seed_step("楼盘表演示状态")
def seed_grid_states(session: Session) -> int:
    changed = 0
    for (project, building), states in ROOM_STATES.items():
        rooms = _rooms(session, project, building)
        for number, values in states.items():
            room = rooms.get(number)
            if room is None:
                continue
            if all(getattr(room, k) == v for k, v in values.items()):
                continue
            if "trade_status" in values and room.trade_status != values["trade_status"]:
                room.version += 1  # every trade-status change bumps it (models/building.py)
            for key, value in values.items():
                setattr(room, key, value)
            changed += 1
    for project, building, number, kind, reference, authority, start in RESTRICTIONS:
        room = _rooms(session, project, building).get(number)
        if room is None:
            continue
        exists = session.exec(select(RoomRestriction.id).where(
            RoomRestriction.room_id == room.id, RoomRestriction.kind == kind,
            RoomRestriction.reference == reference)).first()
        if exists:
            continue
        session.add(RoomRestriction(room_id=room.id, kind=kind, reference=reference, authority=authority,
                                    starts_at=start.replace(tzinfo=timezone.utc)))
        changed += 1
    return changed
