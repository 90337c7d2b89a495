"""预售资金监管协议补录 (FUND-11): an agreement signed on paper before the console. Every room of
the building is 监管 or 不监管, the key amount is computed from them (never typed), the signed
agreement is uploaded; the supervising bank reviews first, then the regulator (the reverse of
签订: the order is the declaration's)."""

from __future__ import annotations

from sqlmodel import Session

from models.fund import AgreementStatus
from models.workflow import Case
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.nodes import End, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import ConfirmStep, FormStep, RecordPickStep, RoomPickStep, UploadStep

TERMS = ("agreement_number", "signed_on", "construction_progress", "presale_total", "key_amount")
REQUIRED = ("agreement_number", "signed_on", "construction_progress", "presale_total")


class FundAgreementBackfill(_fund.AgreementFlow):
    """预售资金监管协议补录"""

    code = _fund.BACKFILL

    start = Start(_fund.DEVELOPER, subject="building", checks=(_fund.survey_filed, _fund.no_agreement_yet),
                  initial_data=_fund.building_data,
                  hint="补录系统上线前已签订的监管协议：全部户室逐一确定监管或不监管，重点监管资金自动计算；上传已签订的纸质协议。"
                       "尚未维护监管银行账户的，可在“监管账户”中直接新增。")
    entry = Stage("协议录入", _fund.DEVELOPER, org=initiating_org, subtasks=(
        RecordPickStep("协议录入：监管银行账户", admin="supervision-accounts", data_field="account_id",
                       choices=_fund.supervision_accounts, label=_fund.account_label, derive=_fund.bank_of_account,
                       add_fields=("bank_org_id", "account_name", "account_number", "opening_branch"),
                       defaults=_fund.account_defaults),
        RoomPickStep("协议录入：监管户室", rooms=_fund.building_rooms, data_field="supervised_ids", action="纳入监管",
                     eligible=_fund.may_supervise, figures=_fund.pick_figures),
        ConfirmStep("全部户室监管状态确认", text="已逐一确认本栋全部户室的监管或不监管状态", table=_fund.rooms_table,
                    code="rooms"),
        FormStep("协议录入：协议信息", admin="fund-agreements", record=_fund.terms_id, fields=TERMS,
                 required_fields=REQUIRED),
        UploadStep("用户收件", kinds={"signed_agreement": "已签订的纸质监管协议"}),
    ))
    bank_review = _fund.bank_review()
    review = _fund.regulator_review()
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        row = self.new_row(session, case, subject, backfill=True)
        self.set_data(case, agreement_id=row.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        a = self.agreement(session, case)
        if a.status == AgreementStatus.APPLYING.value:
            a.status = AgreementStatus.WITHDRAWN.value
            session.add(a)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        a = self.agreement(session, case)
        self.file_terms(session, case, a, a, signed_on=a.signed_on)
