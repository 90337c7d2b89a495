"""解除监管 (FUND-12): once the building's initial registration is recorded and the balance is
paid out, the developer applies; the regulator and then the supervising bank approve."""

from __future__ import annotations

from sqlmodel import Session

from models.fund import AgreementStatus
from models.workflow import Case
from netsign_console.fund import withdrawals
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.nodes import AcceptContext, End, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, FormStep, SubtaskContext, Table
from netsign_console.workflow.times import local_date

REGISTRATION = ("registration_number", "registered_on")


def paid_out(ctx: AcceptContext) -> str | None:
    a = ctx.subject
    if withdrawals.open_count(ctx.session, a.id):
        return "该监管协议有正在办理的资金支取，办结后才能解除监管"
    if a.balance != 0:
        return f"该监管协议余额为{_fund.format_money(a.balance)}元，监管资金拨付完毕后才能解除监管"
    return None


def figures_table(ctx: SubtaskContext) -> Table:
    a = ctx.session.get(_fund.FundAgreement, ctx.data.agreement_id)
    return Table(("项目", "内容"), tuple(_fund.agreement_rows(ctx.session, a) + _fund.figure_rows(a)))


class FundRelease(_fund.AgreementFlow):
    """解除资金监管"""

    code = _fund.RELEASE

    start = Start(_fund.DEVELOPER, subject=_fund.SUBJECT, checks=(_fund.no_open_agreement_case, paid_out),
                  initial_data=_fund.agreement_data,
                  hint="楼栋首次登记完成、监管资金拨付完毕后申请解除监管；主管部门与监管银行审核通过后协议解除。")
    entry = Stage("解除申请", _fund.DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("监管资金核对", text="已核对监管资金已全部拨付", table=figures_table, code="figures"),
        FormStep("首次登记信息", admin="fund-agreements", record=lambda ctx: ctx.data.agreement_id,
                 fields=REGISTRATION, required_fields=REGISTRATION),
    ))
    review = _fund.regulator_review()
    bank_review = _fund.bank_review()
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        a = self.agreement(session, case)
        a.status = AgreementStatus.RELEASING.value
        session.add(a)

    def on_cancel(self, session: Session, case: Case) -> None:
        a = self.agreement(session, case)
        if a.status == AgreementStatus.RELEASING.value:
            a.status = AgreementStatus.FILED.value
            session.add(a)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        a = self.agreement(session, case)
        a.status, a.released_on = AgreementStatus.RELEASED.value, local_date(case.archived_at)
        session.add(a)
