"""What a construction mortgage does to its rooms: one 在建工程抵押 restriction per room while it
is 抵押中 (the grid's marker and the signing gate read it), signing authorised room by room by
the mortgagee (签约授权), all of them ended by 注销.

Each function works inside the caller's transaction (a case's archive) and locks what it
changes, so two archives cannot mortgage the same room twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models.building import Room, RoomRestriction
from models.enums import RestrictionKind, TradeStatus
from models.mortgage import RESTRICTION_SOURCE, ConstructionMortgage, MortgageStatus
from models.organization import Organization
from netsign_console.errors import UserError

KIND = RestrictionKind.CONSTRUCTION_MORTGAGE.value
# A room a buyer has (or is signing) cannot be put up as security for the developer's loan.
SOLD = (TradeStatus.SIGNING.value, TradeStatus.SIGNED.value, TradeStatus.FILED.value, TradeStatus.REGISTERED.value)


def restrictions_of(mortgage_id: int):
    """The active restrictions a mortgage put on its rooms (a statement to refine)."""
    return select(RoomRestriction).where(RoomRestriction.source_type == RESTRICTION_SOURCE,
                                         RoomRestriction.source_id == mortgage_id, RoomRestriction.active.is_(True))


def unauthorised_room_ids(mortgage_id: int):
    """A sub-select of the mortgage's rooms on the grid the mortgagee has not authorised for
    signing yet (a forecast room the as-built survey replaced passed its restriction on)."""
    return select(RoomRestriction.room_id).join(Room, Room.id == RoomRestriction.room_id).where(
        RoomRestriction.source_type == RESTRICTION_SOURCE, RoomRestriction.source_id == mortgage_id,
        RoomRestriction.active.is_(True), RoomRestriction.sale_authorised.is_(False), Room.retired.is_(False))


def _holders(session: Session, condition) -> dict[int, ConstructionMortgage]:
    rows = session.exec(
        select(RoomRestriction.room_id, ConstructionMortgage)
        .join(ConstructionMortgage, ConstructionMortgage.id == RoomRestriction.source_id)
        .where(condition, RoomRestriction.kind == KIND, RoomRestriction.active.is_(True),
               RoomRestriction.source_type == RESTRICTION_SOURCE)
    ).all()
    return {room_id: mortgage for room_id, mortgage in rows}


def holders(session: Session, room_ids: list[int]) -> dict[int, ConstructionMortgage]:
    """room id -> the construction mortgage it is under now (rooms under none are absent)."""
    return _holders(session, RoomRestriction.room_id.in_(room_ids)) if room_ids else {}


def building_holders(session: Session, building_id: int) -> dict[int, ConstructionMortgage]:
    """The same for every room of a building."""
    return _holders(session, RoomRestriction.room_id.in_(select(Room.id).where(Room.building_id == building_id)))


def bank_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def refusal(session: Session, room: Room, holder: ConstructionMortgage | None) -> str | None:
    """Why a room cannot be mortgaged now (None: it can)."""
    if room.retired:
        return "户室已注销"
    if room.trade_status in SOLD:
        return f"户室{TradeStatus.label_of(room.trade_status)}，已售房屋不能设定在建工程抵押"
    if holder is not None:
        return f"已设定在建工程抵押（{bank_name(session, holder.bank_org_id)}，{holder.case_number}）"
    return None


def _limit(messages: list[str]) -> str:
    return "；".join(messages[:10]) + ("……" if len(messages) > 10 else "")


def establish(session: Session, mortgage: ConstructionMortgage, room_ids: list[int], *, bank_org_id: int,
              now: datetime) -> int:
    """设立 archived: the mortgage becomes 抵押中 with `bank_org_id` as mortgagee and one restriction
    per room. Every room is checked again under lock (a room signed or mortgaged by another case
    since it was picked refuses the whole archive). Returns the number of rooms."""
    if mortgage.status != MortgageStatus.APPLYING.value:
        raise UserError(f"该在建工程抵押当前为{MortgageStatus.label_of(mortgage.status)}，不能设立")
    if not room_ids:
        raise UserError("未选择抵押户室")
    rooms = {r.id: r for r in session.exec(
        select(Room).where(Room.building_id == mortgage.building_id, Room.id.in_(room_ids)).with_for_update()).all()}
    if len(rooms) != len(set(room_ids)):
        raise UserError("所选抵押户室已不在该楼栋中，请退回重新选择")
    held = holders(session, list(rooms))
    problems = [f"{r.room_number}：{why}" for r in rooms.values() if (why := refusal(session, r, held.get(r.id)))]
    if problems:
        raise UserError("以下户室已不能设定抵押，请退回重新选择：" + _limit(problems))
    name = bank_name(session, bank_org_id)
    for room_id in sorted(rooms):
        session.add(RoomRestriction(room_id=room_id, kind=KIND, reference=mortgage.case_number, authority=name[:100],
                                    active=True, starts_at=now, source_type=RESTRICTION_SOURCE, source_id=mortgage.id))
    on_grid = session.exec(select(Room.id).where(Room.building_id == mortgage.building_id,
                                                 Room.retired.is_(False))).all()
    mortgage.bank_org_id = bank_org_id
    mortgage.room_count = len(rooms)
    mortgage.whole_building = set(on_grid) <= set(rooms)
    mortgage.authorised_count = 0
    mortgage.status = MortgageStatus.ACTIVE.value
    mortgage.updated_at = now
    session.add(mortgage)
    session.flush()
    return len(rooms)


def release(session: Session, mortgage: ConstructionMortgage, *, case_number: str, now: datetime) -> int:
    """注销 archived: every restriction of the mortgage ends now; the mortgage is 已注销."""
    if mortgage.status != MortgageStatus.ACTIVE.value:
        raise UserError(f"该在建工程抵押当前为{MortgageStatus.label_of(mortgage.status)}，不能注销")
    rows = session.exec(restrictions_of(mortgage.id).with_for_update()).all()
    for row in rows:
        row.active = False
        row.ends_at = now
        session.add(row)
    mortgage.status = MortgageStatus.CANCELLED.value
    mortgage.cancel_case_number = case_number
    mortgage.updated_at = now
    session.add(mortgage)
    session.flush()
    return len(rows)


def authorise(session: Session, mortgage: ConstructionMortgage, room_ids: list[int], *, now: datetime) -> int:
    """签约授权 archived: the mortgagee lets these rooms be signed. Returns how many it changed."""
    if mortgage.status != MortgageStatus.ACTIVE.value:
        raise UserError(f"该在建工程抵押当前为{MortgageStatus.label_of(mortgage.status)}，不能签约授权")
    rows = session.exec(restrictions_of(mortgage.id).where(RoomRestriction.room_id.in_(room_ids))
                        .with_for_update()).all() if room_ids else []
    if len(rows) != len(set(room_ids)):
        raise UserError("所选授权户室已不在该抵押范围内，请退回重新选择")
    changed = 0
    for row in rows:
        if not row.sale_authorised:
            row.sale_authorised = True
            session.add(row)
            changed += 1
    session.flush()
    mortgage.authorised_count = len(session.exec(
        restrictions_of(mortgage.id).where(RoomRestriction.sale_authorised.is_(True))).all())
    mortgage.updated_at = now
    session.add(mortgage)
    session.flush()
    return changed
