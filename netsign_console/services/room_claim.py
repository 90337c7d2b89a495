"""No room is ever sold twice: the claim of a room for a signing, and what follows it.

    room = claim(session, room_id, case_number="F202612020000015", sale_kind="presale")   # 可售 → 签约中
    release(session, room_id)        # a cancelled signing or an unwind: → 可售
    mark_signed(session, room_id)    # 签约中 → 已签约 (the contract is signed and sealed)
    mark_filed(session, room_id)     # 已签约 → 已备案

Everything runs in the caller's transaction (the signing case's acceptance, say), so the
checks, the claim and the case row commit together or not at all. `claim`:

1. locks the room row (SELECT … FOR UPDATE on PostgreSQL; SQLite takes the database's write
   lock at the UPDATE instead, and the version check below still holds);
2. re-runs every signing check under that lock (services/saleability.py, with the checks
   other packages registered), so a room seized or claimed a moment ago is refused with
   its reason rather than a generic conflict;
3. moves the room with a conditional UPDATE on its `version` and status: if anything else
   changed the room since it was read, nothing is written and the claim is refused.

A refusal is a UserError at the field "room" with the Chinese reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import Session, select

from models.base import utcnow
from models.building import Room
from models.enums import TradeStatus
from netsign_console.errors import UserError
from netsign_console.services.saleability import signing_refusal_of

log = logging.getLogger(__name__)
CONFLICT = "该户室状态已变化（可能正在被他人签约），请刷新后重试"
NOT_FOUND = "没有找到有效许可证户室信息"


def _locked(session: Session, room_id: int) -> Room:
    room = session.exec(
        select(Room).where(Room.id == room_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if room is None:
        raise UserError(NOT_FOUND, "room")
    return room


def _move(session: Session, room: Room, allowed_from: Iterable[str], target: str) -> Room:
    """Conditional UPDATE on version and status; the ORM object is refreshed with the result."""
    allowed = tuple(allowed_from)
    result = session.execute(
        update(Room)
        .where(Room.id == room.id, Room.version == room.version, Room.trade_status.in_(allowed))
        .values(trade_status=target, version=Room.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise UserError(CONFLICT, "room")
    session.refresh(room)
    return room


def claim(session: Session, room_id: int, *, case_number: str, sale_kind: str | None = "presale") -> Room:
    """可售 → 签约中 for the signing case `case_number`, or UserError with the reason."""
    if not case_number:
        raise ValueError("case_number is required")
    room = _locked(session, room_id)
    refusal = signing_refusal_of(session, room, sale_kind)
    if refusal:
        raise UserError(refusal, "room")
    room = _move(session, room, (TradeStatus.SALEABLE.value,), TradeStatus.SIGNING.value)
    log.info("room %s claimed for signing case %s (version %s)", room.id, case_number, room.version)
    return room


def release(session: Session, room_id: int) -> Room:
    """Back to 可售: a signing cancelled before filing (签约中 / 已签约) or an unwind of a filed
    contract (已备案). The restrictions and the permit are not re-checked: a room returns to
    the market as it is, and the next claim checks it again."""
    room = _locked(session, room_id)
    sources = (TradeStatus.SIGNING.value, TradeStatus.SIGNED.value, TradeStatus.FILED.value)
    if room.trade_status not in sources:
        raise UserError(f"户室当前为{TradeStatus.label_of(room.trade_status)}，无需释放", "room")
    return _move(session, room, sources, TradeStatus.SALEABLE.value)


def mark_signed(session: Session, room_id: int) -> Room:
    room = _locked(session, room_id)
    if room.trade_status != TradeStatus.SIGNING.value:
        raise UserError(f"户室当前为{TradeStatus.label_of(room.trade_status)}，不能标记为已签约", "room")
    return _move(session, room, (TradeStatus.SIGNING.value,), TradeStatus.SIGNED.value)


def mark_filed(session: Session, room_id: int) -> Room:
    room = _locked(session, room_id)
    if room.trade_status != TradeStatus.SIGNED.value:
        raise UserError(f"户室当前为{TradeStatus.label_of(room.trade_status)}，不能标记为已备案", "room")
    return _move(session, room, (TradeStatus.SIGNED.value,), TradeStatus.FILED.value)
