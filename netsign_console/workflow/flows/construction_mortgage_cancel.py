"""在建工程抵押注销 (MORT-01): the mortgage ends; its rooms are free of it once the mortgagee and
the regulator approve."""

from __future__ import annotations

from sqlmodel import Session

from models.workflow import Case
from netsign_console.mortgage import rooms as mortgage_rooms
from netsign_console.workflow.flows import _mortgage
from netsign_console.workflow.nodes import End, Stage
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep


class ConstructionMortgageCancel(_mortgage.MortgageFlow):
    """在建工程抵押注销"""

    code = _mortgage.CANCEL

    start = _mortgage.start_on_mortgage(hint="选择抵押中的在建工程抵押；抵押权人与主管部门审核通过后，该抵押的全部户室解除限制。")
    entry = Stage("注销申请", _mortgage.DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("抵押信息确认", text="已核对抵押信息，申请注销该在建工程抵押", table=_mortgage.mortgage_table,
                    code="mortgage"),
    ))
    bank_review = _mortgage.bank_review("抵押权人审核")
    review = _mortgage.regulator_review()
    end = End()

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        mortgage_rooms.release(session, self.mortgage(session, case), case_number=case.number, now=case.archived_at)
