"""预售资金监管协议签订 (FUND-01 to FUND-04): the developer and the bank holding the chosen
supervision account sign the agreement; the regulator files it, then that bank confirms it."""

from __future__ import annotations

from sqlmodel import Session

from models.fund import AgreementStatus
from models.workflow import Case
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.nodes import End, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, DocumentStep, FormStep, RecordPickStep, RoomPickStep
from netsign_console.workflow.times import local_date

TERMS = ("construction_progress", "presale_total", "key_amount")
REQUIRED = ("construction_progress", "presale_total")


def entry_subtasks(*, change: bool) -> tuple:
    return (
        RoomPickStep("协议录入：监管户室", rooms=_fund.building_rooms, data_field="supervised_ids", action="纳入监管",
                     eligible=_fund.may_supervise, figures=_fund.pick_figures),
        RecordPickStep("协议录入：监管账户", admin="supervision-accounts", data_field="account_id",
                       choices=_fund.supervision_accounts, label=_fund.account_label, derive=_fund.bank_of_account,
                       add_fields=("bank_org_id", "account_name", "account_number", "opening_branch"),
                       defaults=_fund.account_defaults),
        FormStep("协议录入：工程进度与预售总额", admin="fund-agreements", record=_fund.terms_id, fields=TERMS,
                 required_fields=REQUIRED),
        DocumentStep("编辑协议书", document_kind="fund_supervision_agreement", data=_fund.document_data,
                     number=_fund.take_number, summary=_fund.document_summary, sign=True,
                     version_of=_fund.current_document if change else None,
                     subject=lambda ctx: ("building", ctx.data.building_id)),
        ConfirmStep("协议备案", text="已核对协议书内容，提交协议备案", table=_fund.rooms_table, code="filing"),
    )


class FundAgreementSigning(_fund.AgreementFlow):
    """预售资金监管协议签订"""

    code = _fund.SIGNING

    start = Start(_fund.DEVELOPER, subject="building", checks=(_fund.survey_filed, _fund.no_agreement_yet),
                  initial_data=_fund.building_data,
                  hint="选择测绘成果已备案的楼栋；受理后在楼盘表上选择监管户室（重点监管资金随选随算），选择监管账户，生成监管协议书。")
    entry = Stage("协议录入", _fund.DEVELOPER, org=initiating_org, subtasks=entry_subtasks(change=False))
    review = _fund.regulator_review()
    bank_review = _fund.bank_review()
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        row = self.new_row(session, case, subject)
        self.set_data(case, agreement_id=row.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        a = self.agreement(session, case)
        if a.status == AgreementStatus.APPLYING.value:
            a.status = AgreementStatus.WITHDRAWN.value
            session.add(a)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        a = self.agreement(session, case)
        self.file_terms(session, case, a, a, signed_on=local_date(case.archived_at))
