"""在建工程抵押签约授权 (MORT-01): the mortgagee lets chosen rooms of its mortgage be signed; without
it a mortgaged room cannot be (domain/saleability.py)."""

from __future__ import annotations

from sqlmodel import Session

from models.workflow import Case
from netsign_console.mortgage import rooms as mortgage_rooms
from netsign_console.workflow.flows import _mortgage
from netsign_console.workflow.nodes import End, Stage
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import RoomPickStep


class ConstructionMortgageAuthorisation(_mortgage.MortgageFlow):
    """在建工程抵押签约授权"""

    code = _mortgage.AUTHORISE

    start = _mortgage.start_on_mortgage(_mortgage.has_unauthorised_rooms,
                                        hint="选择抵押中的在建工程抵押，再选择申请签约授权的户室；抵押权人同意后这些户室方可签约。")
    entry = Stage("签约授权申请", _mortgage.DEVELOPER, org=initiating_org, subtasks=(
        RoomPickStep("选择授权户室", rooms=_mortgage.unauthorised_rooms, data_field="room_ids", action="申请签约授权"),
    ))
    bank_review = _mortgage.bank_review("抵押权人审核")
    review = _mortgage.regulator_review()
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        mortgage_rooms.authorise(session, self.mortgage(session, case), data.room_ids, now=case.archived_at)
