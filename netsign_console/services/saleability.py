"""The signing gate on the database: a room's facts as domain/saleability.py's rules read them.

    refusal = signing_refusal_of(session, room)                   # None: the room may be signed now
    refusal = signing_refusal_of(session, room, sale_kind="presale")   # only a 预售许可证 counts

Two indexed lookups: the permits whose scope holds the room (not cancelled), and the room's
active restrictions with their signing authorisation (在建工程抵押, MORT-01). Then every check
another package registered (`register_signing_check`): the fund-supervision package adds
"当前楼栋未资金监管，不能进行预售合同签约" that way, without this module knowing its tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, select

from models.building import Room, RoomRestriction
from models.permit import Permit, PermitRoom, PermitStatus
from netsign_console.domain.saleability import RoomFacts, signing_refusal

# fn(session, room, sale_kind) -> Chinese refusal or None; sale_kind is "presale", "spot_sale"
# or None (any permit: the grid's hints).
SigningCheck = Callable[[Session, Room, "str | None"], "str | None"]


@dataclass(frozen=True)
class _Registered:
    name: str
    check: SigningCheck


_CHECKS: list[_Registered] = []


def register_signing_check(name: str, check: SigningCheck) -> SigningCheck:
    """Add a check run after the built-in ones, in registration order. Registering the same
    name again replaces the check (a module imported twice does not run it twice)."""
    for index, existing in enumerate(_CHECKS):
        if existing.name == name:
            _CHECKS[index] = _Registered(name, check)
            return check
    _CHECKS.append(_Registered(name, check))
    return check


def unregister_signing_check(name: str) -> None:
    _CHECKS[:] = [c for c in _CHECKS if c.name != name]


def signing_checks() -> list[str]:
    return [c.name for c in _CHECKS]


def room_facts(session: Session, room: Room, sale_kind: str | None = None) -> RoomFacts:
    permits = session.exec(
        select(Permit.kind, Permit.status).join(PermitRoom, PermitRoom.permit_id == Permit.id)
        .where(PermitRoom.room_id == room.id, Permit.status != PermitStatus.CANCELLED.value)
    ).all()
    statuses = {status for kind, status in permits if sale_kind is None or kind == sale_kind}
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
        permit_changing=PermitStatus.CHANGING.value in {status for _kind, status in permits},
        restrictions=tuple((kind, bool(authorised)) for kind, authorised in restrictions),
    )


def signing_refusal_of(session: Session, room: Room, sale_kind: str | None = None) -> str | None:
    """Why the room cannot be signed now, in Chinese (None: it can)."""
    refusal = signing_refusal(room_facts(session, room, sale_kind))
    if refusal is not None:
        return refusal
    for registered in list(_CHECKS):
        refusal = registered.check(session, room, sale_kind)
        if refusal:
            return refusal
    return None
