"""户室流水补录 (FUND-10, prefix L): a contract of a room of a filed agreement with its deposits
(入账) and, only where the contract has a refund due, its refund (退款); reviewed by the
regulator. Until contracts are signed in the console, the contract comes from this backfill.
Its entries count in the agreement's figures from the archive on."""

from __future__ import annotations

from sqlmodel import Session

from models.enums import Role
from models.fund import FundContract, FundLedgerEntry, LedgerKind, LedgerType
from models.workflow import Case
from netsign_console.fund import withdrawals
from netsign_console.workflow.flows import _fund
from netsign_console.workflow.nodes import End, Review, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import FormStep

CONTRACT = ("room_id", "contract_number", "buyer_name", "total_price", "payment_method", "down_payment", "refund_due")
ENTRY = ("entry_type", "amount", "entry_date", "voucher_number")


class FundLedgerBackfill(_fund.AgreementFlow):
    """户室流水补录"""

    code = _fund.LEDGER
    prefix = "L"

    start = Start(_fund.DEVELOPER, subject=_fund.SUBJECT, initial_data=_fund.agreement_data,
                  hint="选择监管协议（监管协议号或栋号）；录入一份合同的信息及其入账流水，有退款项的合同可录入退款流水。")
    entry = Stage("流水录入", _fund.DEVELOPER, org=initiating_org, subtasks=(
        FormStep("合同信息", admin="fund-contracts", record=lambda ctx: ctx.data.contract_id, fields=CONTRACT,
                 required_fields=CONTRACT[:5]),
        FormStep("入账流水补录", admin="fund-ledger-entries", record=lambda ctx: ctx.data.deposit_id, fields=ENTRY,
                 required_fields=ENTRY[:3], code="deposit"),
        FormStep("退款流水补录", admin="fund-ledger-entries", record=lambda ctx: ctx.data.refund_id, fields=ENTRY,
                 required_fields=ENTRY[:3], code="refund", required=False),
    ))
    review = Review("主管部门审核", (Role.REGULATOR,), on_reject="entry", opinion_required_for=("approve", "reject"))
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        contract = FundContract(agreement_id=subject.id, developer_org_id=subject.developer_org_id,
                                case_number=case.number)
        session.add(contract)
        session.flush()
        entries = {}
        for kind, entry_type in ((LedgerKind.DEPOSIT, LedgerType.DOWN_PAYMENT), (LedgerKind.REFUND,
                                                                                 LedgerType.UNWIND_REFUND)):
            entry = FundLedgerEntry(agreement_id=subject.id, contract_id=contract.id, kind=kind.value,
                                    entry_type=entry_type.value, case_number=case.number)
            session.add(entry)
            session.flush()
            entries[kind] = entry.id
        self.set_data(case, contract_id=contract.id, deposit_id=entries[LedgerKind.DEPOSIT],
                      refund_id=entries[LedgerKind.REFUND])
        session.add(case)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        withdrawals.activate_backfill(session, case.number, data.agreement_id, data.contract_id)
