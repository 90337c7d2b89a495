"""The signing gate on the database: a room's facts as domain/saleability.py's rules read them.

    refusal = signing_refusal_of(session, room)      # None: the room may be signed now

Two indexed lookups: the permits whose scope holds the room (not cancelled), and the room's
active restrictions with their signing authorisation (在建工程抵押, MORT-01).
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.building import Room, RoomRestriction
from models.permit import Permit, PermitRoom, PermitStatus
from netsign_console.domain.saleability import RoomFacts, signing_refusal


def room_facts(session: Session, room: Room) -> RoomFacts:
    statuses = set(session.exec(
        select(Permit.status).join(PermitRoom, PermitRoom.permit_id == Permit.id)
        .where(PermitRoom.room_id == room.id, Permit.status != PermitStatus.CANCELLED.value)
    ).all())
    restrictions = session.exec(
        select(RoomRestriction.kind, RoomRestriction.sale_authorised)
        .where(RoomRestriction.room_id == room.id, RoomRestriction.active.is_(True))
        .order_by(RoomRestriction.id)
    ).all()
    return RoomFacts(
        trade_status=room.trade_status,
        designation=room.designation,
        retired=room.retired,
        permitted=bool(statuses),
        permit_changing=PermitStatus.CHANGING.value in statuses,
        restrictions=tuple((kind, bool(authorised)) for kind, authorised in restrictions),
    )


def signing_refusal_of(session: Session, room: Room) -> str | None:
    """Why the room cannot be signed now, in Chinese (None: it can)."""
    return signing_refusal(room_facts(session, room))
