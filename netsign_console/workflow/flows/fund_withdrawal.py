"""一般资金支取 (FUND-06 to FUND-09, prefix Q): the developer asks for money above the key amount;
the regulator reviews it twice, the supervising bank pays, the regulator archives. The amount
is frozen from the moment it is entered; the archive turns the payment into a 拨付 entry, so the
balance moves by exactly the amount paid; a cancel lifts the freeze."""

from __future__ import annotations

from sqlmodel import Session

from models.enums import Role
from models.fund import FundWithdrawal
from models.workflow import Case
from netsign_console.fund import figures as fund_figures
from netsign_console.fund import view as fund_view
from netsign_console.fund import withdrawals
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.nodes import AcceptContext, End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, DocumentStep, FormStep, SubtaskContext, Table, UploadStep
from netsign_console.workflow.times import local_date

APPLICATION = ("amount", "purpose")
PAYMENT = ("paid_on", "paid_amount", "voucher_number")


def no_open_withdrawal(ctx: AcceptContext) -> str | None:
    return withdrawals.start_refusal(ctx.session, ctx.subject)


def withdrawal_data(ctx: AcceptContext) -> dict:
    a = ctx.subject
    return {"building_id": a.building_id, "project_id": a.project_id, "agreement_id": a.id,
            "account_id": a.account_id, "bank_org_id": a.bank_org_id}


def withdrawal_of(ctx: SubtaskContext) -> int | None:
    return ctx.data.withdrawal_id


def info_table(ctx: SubtaskContext) -> Table:
    a = ctx.session.get(_fund.FundAgreement, ctx.data.agreement_id)
    return Table(("项目", "内容"), tuple(fund_view.info_rows(ctx.session, a)),
                 "支取金额不能超过可拨付金额（协议余额−重点监管资金−在途支取）")


def history_table(ctx: SubtaskContext) -> Table:
    a = ctx.session.get(_fund.FundAgreement, ctx.data.agreement_id)
    return Table(fund_view.HISTORY_HEADERS, tuple(fund_view.room_history(ctx.session, a)))


def application_data(ctx: SubtaskContext) -> dict:
    s = ctx.session
    w = s.get(FundWithdrawal, ctx.data.withdrawal_id)
    a = s.get(_fund.FundAgreement, ctx.data.agreement_id)
    info = dict(fund_view.info_rows(s, a))
    # What may be paid out beside this application: its own frozen amount left out.
    before = fund_figures.compute(s, a, exclude_withdrawal=w.id)
    return {
        "case_number": ctx.case.number,
        "agreement_number": a.agreement_number or "",
        "developer_name": info["开发企业"], "project_name": info["项目名称"], "building_number": info["栋号"],
        "location": info["坐落"], "bank_name": info["监管银行"], "account_name": info["监管账户名称"],
        "account_number": info["监管账号"], "opening_branch": info["开户行"],
        "construction_progress": a.construction_progress or "",
        "total_supervised": a.total_supervised, "balance": a.balance, "key_amount": a.key_amount or 0,
        "disbursable": before.disbursable, "amount": w.amount if w.amount is not None else 0,
        "purpose": w.purpose or "", "apply_date": local_date(),
    }


def application_summary(ctx: SubtaskContext) -> dict:
    d = application_data(ctx)
    return {"开发企业": d["developer_name"], "监管协议号": d["agreement_number"], "楼栋": d["building_number"],
            "支取金额": f"{_fund.format_money(d['amount'])}元"}


class FundWithdrawalFlow(_fund.AgreementFlow):
    """一般资金支取"""

    code = _fund.WITHDRAWAL
    prefix = "Q"

    start = Start(_fund.DEVELOPER, subject=_fund.SUBJECT, checks=(no_open_withdrawal,), initial_data=withdrawal_data,
                  hint="选择栋号与监管协议；同一监管协议同时只能有一笔正在办理的资金支取。")
    entry = Stage("申请信息录入", _fund.DEVELOPER, org=initiating_org, subtasks=(
        ConfirmStep("监管协议信息", text="已核对监管协议信息", table=info_table, code="info"),
        ConfirmStep("历史拨付记录", text="已核对历史拨付记录", table=history_table, code="history"),
        FormStep("申请信息录入", admin="fund-withdrawals", record=withdrawal_of, fields=APPLICATION,
                 required_fields=("amount",)),
        DocumentStep("生成支取申请表", document_kind="fund_withdrawal_application", data=application_data,
                     number=lambda ctx: ctx.case.number, summary=application_summary,
                     subject=lambda ctx: ("building", ctx.data.building_id)),
        UploadStep("上传资料", kinds={"progress_proof": "工程进度证明", "use_plan": "资金使用计划"},
                   required_kinds=("progress_proof",)),
    ))
    seal = Stage("开发企业盖章", (Role.DEVELOPER_ADMIN,), org=initiating_org, subtasks=(
        ConfirmStep("开发企业盖章", text="本企业确认支取申请表内容无误，同意加盖企业印章", code="seal"),
    ))
    first_review = Review("主管部门初审", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",))
    second_review = Review("主管部门复审", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("reject",))
    payment = Stage("监管银行打款", (Role.SUPERVISING_BANK,), org=_fund.SUPERVISING_BANK, subtasks=(
        FormStep("打款信息", admin="fund-withdrawals", record=withdrawal_of, fields=PAYMENT, required_fields=PAYMENT,
                 code="payment"),
    ))
    archive = Stage("主管部门归档", (Role.REGULATOR,), subtasks=(
        ConfirmStep("打款信息核对", text="已核对监管银行打款信息", code="paid"),
    ))
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        w = withdrawals.open_withdrawal(session, subject.id, case.number)
        self.set_data(case, withdrawal_id=w.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        withdrawals.close(session, session.get(FundWithdrawal, self.data_of(case).withdrawal_id), paid=False,
                          on=local_date())

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        withdrawals.close(session, session.get(FundWithdrawal, self.data_of(case).withdrawal_id), paid=True,
                          on=local_date(case.archived_at))

    def describe_subject(self, session: Session, case: Case) -> list[tuple[str, str]]:
        data = self.data_of(case)
        a = session.get(_fund.FundAgreement, data.agreement_id)
        w = session.get(FundWithdrawal, data.withdrawal_id)
        rows = _fund.agreement_rows(session, a)[:9] + _fund.figure_rows(a)
        rows.append(("支取金额", _fund.money(w.amount) if w.amount is not None else "（待录入）"))
        if w.paid_amount is not None:
            rows.append(("打款金额", _fund.money(w.paid_amount)))
            rows.append(("打款日期 / 凭证号", f"{w.paid_on or ''} / {w.voucher_number or ''}"))
        return rows
