"""The fund-supervision condition of a pre-sale signing, as the signing gate asks it."""

from __future__ import annotations

from sqlmodel import select

from models.building import Building, Room
from models.fund import AgreementStatus, FundAgreement
from netsign_console.db import session_scope
from netsign_console.domain.saleability import NO_FUND_SUPERVISION
from netsign_console.fund.signing_check import fund_supervision_check
from netsign_console.services.saleability import signing_checks, signing_refusal_of


def _d001(s):
    building = s.exec(select(Building).where(Building.building_number == "D001")).one()
    room = s.exec(select(Room).where(Room.building_id == building.id, Room.trade_status == "saleable")).first()
    agreement = s.exec(select(FundAgreement).where(FundAgreement.building_id == building.id)).one()
    return room, agreement


def test_the_gate_refuses_a_presale_signing_once_supervision_is_lifted(demo_url):
    assert "fund_supervision" in signing_checks()
    with session_scope(demo_url) as s:
        room, agreement = _d001(s)
        assert agreement.status == AgreementStatus.FILED.value
        assert signing_refusal_of(s, room, sale_kind="presale") is None
        for status, expected in ((AgreementStatus.CHANGING, None), (AgreementStatus.RELEASING, None),
                                 (AgreementStatus.RELEASED, NO_FUND_SUPERVISION),
                                 (AgreementStatus.WITHDRAWN, NO_FUND_SUPERVISION)):
            agreement.status = status.value
            s.add(agreement)
            s.flush()
            assert fund_supervision_check(s, room, "presale") == expected, status
        assert signing_refusal_of(s, room, sale_kind="presale") == NO_FUND_SUPERVISION
        assert signing_refusal_of(s, room) == NO_FUND_SUPERVISION  # the grid's hint: a pre-sale permit only
        # A spot sale needs no pre-sale supervision.
        assert fund_supervision_check(s, room, "spot_sale") is None
        s.rollback()
