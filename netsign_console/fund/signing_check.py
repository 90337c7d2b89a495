"""The fund-supervision condition of a pre-sale signing (FUND-01, SIGN-01): a building is signed
on a 预售许可证 only while a filed fund-supervision agreement covers it. Registered with the
signing gate (services/saleability.py) when this package is imported, so the gate and the
room claim need not know these tables."""

from __future__ import annotations

from sqlmodel import Session, select

from models.building import Room
from models.fund import AgreementStatus, FundAgreement
from models.permit import Permit, PermitKind, PermitRoom, PermitStatus
from netsign_console.domain.saleability import NO_FUND_SUPERVISION
from netsign_console.services.saleability import register_signing_check

# Supervision holds from the archive of the signing until the release is archived; a change or
# a release in progress does not lift it.
SUPERVISING = (AgreementStatus.FILED.value, AgreementStatus.CHANGING.value, AgreementStatus.RELEASING.value)


def is_supervised(session: Session, building_id: int) -> bool:
    return session.exec(select(FundAgreement.id).where(
        FundAgreement.building_id == building_id, FundAgreement.status.in_(SUPERVISING)).limit(1)).first() is not None


def _on_spot_sale_permit(session: Session, room: Room) -> bool:
    return session.exec(select(Permit.id).join(PermitRoom, PermitRoom.permit_id == Permit.id).where(
        PermitRoom.room_id == room.id, Permit.kind == PermitKind.SPOT_SALE.value,
        Permit.status != PermitStatus.CANCELLED.value).limit(1)).first() is not None


def fund_supervision_check(session: Session, room: Room, sale_kind: str | None) -> str | None:
    if sale_kind == PermitKind.SPOT_SALE.value:
        return None
    # The grid's hint (any permit): a room a spot-sale permit covers needs no pre-sale supervision.
    if sale_kind is None and _on_spot_sale_permit(session, room):
        return None
    return None if is_supervised(session, room.building_id) else NO_FUND_SUPERVISION


register_signing_check("fund_supervision", fund_supervision_check)
