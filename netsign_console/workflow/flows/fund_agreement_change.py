"""预售资金监管协议变更 (FUND-05): found by agreement number or building; the proposed terms live on
a draft row until the archive copies them onto the agreement, which gets a new version (its new
PDF; the old one answers 已变更 on the verify page)."""

from __future__ import annotations

from sqlmodel import Session, select

from models.fund import AgreementStatus, FundAgreement, FundAgreementRoom
from models.workflow import Case
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.flows.fund_agreement_signing import entry_subtasks
from netsign_console.workflow.nodes import End, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep


class FundAgreementChange(_fund.AgreementFlow):
    """预售资金监管协议变更"""

    code = _fund.CHANGE

    start = Start(_fund.DEVELOPER, subject=_fund.SUBJECT, checks=(_fund.no_open_agreement_case,),
                  initial_data=_fund.agreement_data,
                  hint="输入原资金监管协议编号或栋号查找已备案的协议；变更归档后协议生成新版本。")
    original = Stage("原资金监管信息", _fund.DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("原资金监管信息", text="已核对原资金监管协议信息", table=_fund.original_table, code="original"),
    ))
    entry = Stage("协议录入", _fund.DEVELOPER, org=initiating_org, subtasks=entry_subtasks(change=True))
    review = _fund.regulator_review()
    bank_review = _fund.bank_review()
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        a = subject
        draft = FundAgreement(building_id=a.building_id, project_id=a.project_id, developer_org_id=a.developer_org_id,
                              agreement_number=a.agreement_number, version=a.version + 1, account_id=a.account_id,
                              bank_org_id=a.bank_org_id, construction_progress=a.construction_progress,
                              presale_total=a.presale_total, status=AgreementStatus.DRAFT.value, replaces_id=a.id,
                              case_number=case.number, backfill=a.backfill)
        session.add(draft)
        session.flush()
        self.set_data(case, draft_id=draft.id)
        session.add(case)

    def _drop_draft(self, session: Session, case: Case) -> None:
        draft = session.get(FundAgreement, self.data_of(case).draft_id)
        if draft is not None:
            for row in session.exec(select(FundAgreementRoom).where(FundAgreementRoom.agreement_id == draft.id)).all():
                session.delete(row)
            session.delete(draft)

    def on_cancel(self, session: Session, case: Case) -> None:
        self._drop_draft(session, case)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        a = self.agreement(session, case)
        draft = session.get(FundAgreement, self.data_of(case).draft_id)
        self.file_terms(session, case, a, draft, signed_on=None)
        a.version += 1
        session.add(a)
        self._drop_draft(session, case)
