"""预售资金监管 (FUND-01 to FUND-12): agreements, their rooms, the room ledgers and withdrawals.

* FundAgreement is the agreement as it stands. A 协议签订 / 协议补录 case writes it at 受理
  (申请中) and files it on archive; a 协议变更 case writes a draft row (`replaces_id` = the
  agreement) whose terms the archive copies onto the agreement (version + 1, the new PDF; the
  old PDF answers 已变更) before the draft is removed. Ledger entries and withdrawals point at
  the agreement, which keeps its id through every change.
* The figures (入账, 拨付, 退款, 在途冻结, 余额, 可拨付) are kept on the agreement row, written by
  `netsign_console/fund/figures.refresh` in the same transaction as every ledger entry and
  withdrawal change, from SQL sums through `domain.fund.agreement_figures`: the regulator's
  list of thousands of agreements reads columns instead of summing ledgers.
* One open withdrawal per agreement (FUND-06) holds under concurrency twice over: acceptance
  locks the agreement row, and `open_agreement_id` (the agreement while the withdrawal is
  open, NULL after) is unique.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, Index, Numeric, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import area_field, code_field, created_at_field, money_field, unit_price_field, updated_at_field
from models.enums import LabeledEnum, LedgerKind, PaymentMethod

_ZERO = Decimal("0.00")


class AgreementStatus(LabeledEnum):
    APPLYING = ("applying", "申请中")
    FILED = ("filed", "已备案")
    CHANGING = ("changing", "变更中")
    RELEASING = ("releasing", "解除申请中")
    RELEASED = ("released", "已解除")
    WITHDRAWN = ("withdrawn", "已撤回")  # the signing case was cancelled before archive
    DRAFT = ("draft", "变更草稿")  # the terms a 协议变更 case proposes


class WithdrawalStatus(LabeledEnum):
    APPLYING = ("applying", "办理中")
    PAID = ("paid", "已拨付")
    CANCELLED = ("cancelled", "已取消")


class LedgerType(LabeledEnum):
    """款项类型 of a ledger entry (FUND-10)."""

    DOWN_PAYMENT = ("down_payment", "首付款")
    LUMP_SUM = ("lump_sum", "一次性付款")
    INSTALMENT = ("instalment", "分期付款")
    COMMERCIAL_LOAN = ("commercial_loan", "商业贷款")
    PROVIDENT_LOAN = ("provident_loan", "公积金贷款")
    UNWIND_REFUND = ("unwind_refund", "退房退款")
    WITHDRAWAL = ("withdrawal", "一般资金支取")


class FundAgreement(SQLModel, table=True):
    __tablename__ = "fund_agreement"
    __org_scope__ = "developer_org_id"
    __table_args__ = (Index("ix_fund_agreement_status_id", "status", "id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    # JG2026-0001: taken when the agreement document is first generated; a change keeps it.
    agreement_number: Optional[str] = Field(default=None, sa_type=String(20), index=True, title="监管协议号")
    version: int = Field(default=1, title="版本")
    building_id: int = Field(foreign_key="building.id", index=True, title="楼栋")
    project_id: int = Field(foreign_key="project.id", title="项目")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    account_id: Optional[int] = Field(default=None, foreign_key="supervision_account.id", title="监管账户")
    # The bank holding the account: its users review and pay; they see nothing else.
    bank_org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True, title="监管银行")
    construction_progress: Optional[str] = Field(default=None, sa_type=String(100), max_length=100,
                                                 title="实际工程进度")
    presale_total: Optional[Decimal] = money_field(default=None, title="项目预售总额(元)")
    # The rule and its parameters as they were when the amount was computed (settings may change later).
    key_rule: Optional[str] = Field(default=None, sa_type=String(16), title="重点监管资金计算规则")
    key_standard_per_m2: Optional[Decimal] = unit_price_field(default=None, title="重点监管资金标准(元/m²)")
    key_ratio: Optional[Decimal] = Field(default=None, sa_type=Numeric(8, 4, asdecimal=True), title="重点监管资金比例")
    key_amount: Optional[Decimal] = money_field(default=None, title="重点监管资金(元)")
    room_count: int = Field(default=0, title="协议户数")
    supervised_count: int = Field(default=0, title="监管户数")
    saleable_count: int = Field(default=0, title="可售户数")
    supervised_area: Decimal = area_field(default=Decimal("0"), title="监管面积(m²)")
    status: str = code_field(16, enum=AgreementStatus, default=AgreementStatus.APPLYING.value, title="状态")
    backfill: bool = Field(default=False, title="补录协议")
    signed_on: Optional[date] = Field(default=None, sa_type=Date, title="签订时间")
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", title="协议书")
    replaces_id: Optional[int] = Field(default=None, foreign_key="fund_agreement.id", title="变更的协议")
    case_number: str = Field(sa_type=String(16), title="业务编号")
    # 解除监管 (FUND-12): the building's initial registration, as the release case records it.
    registration_number: Optional[str] = Field(default=None, sa_type=String(60), max_length=60,
                                               title="首次登记证明号")
    registered_on: Optional[date] = Field(default=None, sa_type=Date, title="首次登记日期")
    released_on: Optional[date] = Field(default=None, sa_type=Date, title="解除监管日期")
    # Figures (netsign_console/fund/figures.py keeps them; never typed).
    total_supervised: Decimal = money_field(default=_ZERO, title="监管资金总额(元)")
    deposited: Decimal = money_field(default=_ZERO, title="入账金额(元)")
    disbursed: Decimal = money_field(default=_ZERO, title="已拨付(元)")
    refunded: Decimal = money_field(default=_ZERO, title="退款金额(元)")
    frozen: Decimal = money_field(default=_ZERO, title="在途支取(元)")
    balance: Decimal = money_field(default=_ZERO, title="协议余额(元)")
    disbursable: Decimal = money_field(default=_ZERO, title="可拨付(元)")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class FundAgreementRoom(SQLModel, table=True):
    """One room of an agreement, 监管 or 不监管 (FUND-02, FUND-11)."""

    __tablename__ = "fund_agreement_room"
    __table_args__ = (UniqueConstraint("agreement_id", "room_id"), Index("ix_fund_agreement_room_room_id", "room_id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="fund_agreement.id", title="监管协议")
    room_id: int = Field(foreign_key="room.id", title="户室")
    supervised: bool = Field(default=True, title="是否监管")


class FundContract(SQLModel, table=True):
    """A purchase contract as a ledger backfill names it (FUND-10): until contracts are signed in
    the console, the backfill itself is where a room's contract comes from."""

    __tablename__ = "fund_contract"
    __org_scope__ = "developer_org_id"
    __table_args__ = (Index("ix_fund_contract_agreement_room", "agreement_id", "room_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="fund_agreement.id", title="监管协议")
    developer_org_id: int = Field(foreign_key="organization.id", title="开发企业")
    room_id: Optional[int] = Field(default=None, foreign_key="room.id", title="户室")
    contract_number: Optional[str] = Field(default=None, sa_type=String(40), max_length=40, index=True,
                                           title="合同编号")
    buyer_name: Optional[str] = Field(default=None, sa_type=String(100), max_length=100, title="购房人")
    total_price: Optional[Decimal] = money_field(default=None, title="总房款(元)")
    payment_method: Optional[str] = code_field(24, enum=PaymentMethod, default=None, title="付款方式")
    down_payment: Optional[Decimal] = money_field(default=None, title="首付金额(元)")
    # 退款流水 only where the contract has a refund due (退房, FUND-10).
    refund_due: bool = Field(default=False, title="有退款项")
    case_number: str = Field(sa_type=String(16), title="补录业务编号")
    active: bool = Field(default=False, title="已归档")
    created_at: datetime = created_at_field()


class FundLedgerEntry(SQLModel, table=True):
    """One movement of an agreement's account: 入账 / 退款 of a room's contract, 拨付 of a withdrawal.
    A backfill's entries count once its case is archived (`active`)."""

    __tablename__ = "fund_ledger_entry"
    __table_args__ = (Index("ix_fund_ledger_entry_agreement_active_kind", "agreement_id", "active", "kind"),
                      Index("ix_fund_ledger_entry_case", "case_number"))

    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="fund_agreement.id", title="监管协议")
    contract_id: Optional[int] = Field(default=None, foreign_key="fund_contract.id", title="合同")
    # A payment against a console-signed contract's 资金缴款通知单 (SIGN-07): that contract. A
    # backfilled entry names its FundContract instead; the figures sum both alike.
    sale_contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", index=True,
                                            title="商品房买卖合同")
    room_id: Optional[int] = Field(default=None, foreign_key="room.id", title="户室")
    kind: str = code_field(16, enum=LedgerKind, title="流水类型")
    entry_type: str = code_field(16, enum=LedgerType, title="款项类型")
    # Empty only while a backfill case is filling the entry in (archive drops an empty one).
    amount: Optional[Decimal] = money_field(default=None, title="金额(元)")
    entry_date: Optional[date] = Field(default=None, sa_type=Date, title="日期")
    voucher_number: Optional[str] = Field(default=None, sa_type=String(60), max_length=60, title="凭证号")
    withdrawal_id: Optional[int] = Field(default=None, foreign_key="fund_withdrawal.id", title="支取申请")
    case_number: str = Field(sa_type=String(16), title="业务编号")
    active: bool = Field(default=False, title="已生效")
    created_at: datetime = created_at_field()


class FundWithdrawal(SQLModel, table=True):
    """一般资金支取 (FUND-06 to FUND-09): written at 受理; its amount is frozen from the moment it is
    entered until the case is archived (then it is a 拨付 entry) or cancelled."""

    __tablename__ = "fund_withdrawal"
    __org_scope__ = "developer_org_id"

    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="fund_agreement.id", index=True, title="监管协议")
    # The agreement while this withdrawal is open, NULL after: unique, so two can never be open.
    open_agreement_id: Optional[int] = Field(default=None, foreign_key="fund_agreement.id", unique=True,
                                             title="办理中的协议")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="开发企业")
    bank_org_id: int = Field(foreign_key="organization.id", index=True, title="监管银行")
    amount: Optional[Decimal] = money_field(default=None, title="支取金额(元)")
    purpose: Optional[str] = Field(default=None, sa_type=String(200), max_length=200, title="资金用途")
    status: str = code_field(16, enum=WithdrawalStatus, default=WithdrawalStatus.APPLYING.value, index=True,
                             title="状态")
    paid_on: Optional[date] = Field(default=None, sa_type=Date, title="打款日期")
    paid_amount: Optional[Decimal] = money_field(default=None, title="打款金额(元)")
    voucher_number: Optional[str] = Field(default=None, sa_type=String(60), max_length=60, title="打款凭证号")
    case_number: str = Field(sa_type=String(16), title="业务编号")
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", title="支取申请表")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class FundStandard(SQLModel, table=True):
    """重点监管资金标准 (FUND-02, N12): the figures of the city's rule (settings.fund_key_rule), set by
    the regulator. One row, written by the migration with the starting values; an agreement copies
    what it was computed with (key_rule, key_standard_per_m2, key_ratio), so a later change of the
    standard moves no filed agreement."""

    __tablename__ = "fund_standard"

    id: Optional[int] = Field(default=None, primary_key=True)
    standard_per_m2: Decimal = unit_price_field(title="每平方米标准金额(元/m²)")
    key_ratio: Decimal = Field(sa_type=Numeric(8, 4, asdecimal=True), title="监管比例")
    remarks: Optional[str] = Field(default=None, sa_type=String(200), max_length=200, title="说明")
    updated_at: datetime = updated_at_field()

