"""商品房买卖合同 (SIGN-05 to SIGN-17, RET-01 to RET-04): a new-house contract, its parties, its
instalment schedule and its recorded payments.

A contract row is written when its signing case is accepted (草拟) and follows the case:
entry (price, payment method, buyers, schedule) → 待签署 (PDF generated) → 已签署 (buyers' codes
or the uploaded paper scan) → 已盖章 (the developer's seals) → 已备案 (filing number, signed PDF);
an unwind makes it 已退房. The room's own trade status (可售 → 签约中 → 已签约 → 已备案) is moved
by services/room_claim.py in the same transactions.

`active_room_id` is the room while the contract is live and NULL once it is unwound or
withdrawn: a unique column, so the database itself refuses a second live contract for one
room even if every check above it were bypassed (NULLs never collide, on SQLite or PostgreSQL).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Date, Index, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, area_field, code_field, created_at_field, money_field, unit_price_field, updated_at_field
from models.enums import LabeledEnum, PaymentMethod

# A share of ownership in per cent with 2 places (50.00, 33.33); never a float.
Share = Numeric(5, 2, asdecimal=True)


class ContractKind(LabeledEnum):
    PRESALE = ("presale", "预售")
    SPOT_SALE = ("spot_sale", "现售")


class ContractVariant(LabeledEnum):
    ELECTRONIC = ("electronic", "电子合同")
    PAPER = ("paper", "纸质合同")


class ContractStatus(LabeledEnum):
    DRAFT = ("draft", "草拟")
    AWAITING_SIGNATURE = ("awaiting_signature", "待签署")
    SIGNED = ("signed", "已签署")
    SEALED = ("sealed", "已盖章")
    FILED = ("filed", "已备案")
    UNWOUND = ("unwound", "已退房")
    WITHDRAWN = ("withdrawn", "已撤销")  # the signing case was cancelled before filing


class PartyRole(LabeledEnum):
    BUYER = ("buyer", "买受人")
    CO_OWNER = ("co_owner", "共有人")


class IdType(LabeledEnum):
    """证件类型 of a buyer or co-owner (domain/contract.py checks each number)."""

    RESIDENT_ID = ("resident_id", "居民身份证")
    PASSPORT = ("passport", "护照")
    HK_MACAO_PERMIT = ("hk_macao_permit", "港澳居民来往内地通行证")
    TAIWAN_PERMIT = ("taiwan_permit", "台湾居民来往大陆通行证")
    FOREIGN_PERMANENT = ("foreign_permanent", "外国人永久居留身份证")
    CREDIT_CODE = ("credit_code", "统一社会信用代码")


class Contract(SQLModel, table=True):
    __tablename__ = "contract"
    __org_scope__ = "developer_org_id"
    __table_args__ = (
        UniqueConstraint("contract_number"),
        UniqueConstraint("filing_number"),
        UniqueConstraint("active_room_id"),
        # A room's contracts, newest first (unwound ones stay: the room's history).
        Index("ix_contract_room_id_id", "room_id", "id"),
        Index("ix_contract_building_status", "building_id", "status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    # Readable, sequential per city and year (numbering.contract_number), e.g. YS430100-2026-000017.
    # Given when the contract document is generated, not at acceptance: the city's counter row is
    # locked until the numbering transaction commits, so taking it late keeps acceptances parallel.
    contract_number: Optional[str] = Field(default=None, sa_type=String(32), title="合同编号")
    case_number: str = Field(sa_type=String(16), index=True, title="签约业务编号")
    kind: str = code_field(16, enum=ContractKind, title="合同类型")
    variant: str = code_field(16, enum=ContractVariant, default=ContractVariant.ELECTRONIC.value, title="合同形式")
    status: str = code_field(24, enum=ContractStatus, default=ContractStatus.DRAFT.value, index=True, title="合同状态")
    room_id: int = Field(foreign_key="room.id", title="户室")
    active_room_id: Optional[int] = Field(default=None, foreign_key="room.id", title="在签户室")
    building_id: int = Field(foreign_key="building.id", title="楼栋")
    project_id: int = Field(foreign_key="project.id", index=True, title="项目")
    permit_id: Optional[int] = Field(default=None, foreign_key="permit.id", index=True, title="预（现）售许可证")
    developer_org_id: int = Field(foreign_key="organization.id", index=True, title="出卖人（开发企业）")
    # The areas as agreed at signing: the as-built survey later settles against these (N13).
    gross_area: Decimal = area_field(title="合同建筑面积(m²)")
    inner_area: Decimal = area_field(title="合同套内面积(m²)")
    shared_area: Decimal = area_field(title="合同分摊面积(m²)")
    unit_price: Decimal = unit_price_field(title="单价(元/m²)")
    computed_total: Decimal = money_field(title="计算总价(元)")
    agreed_total: Optional[Decimal] = money_field(default=None, title="约定总价(元)")
    total_price: Decimal = money_field(title="合同总价(元)")
    payment_method: Optional[str] = code_field(24, enum=PaymentMethod, default=None, title="付款方式")
    down_payment: Optional[Decimal] = money_field(default=None, title="首付款(元)")
    commercial_loan_amount: Optional[Decimal] = money_field(default=None, title="商业贷款金额(元)")
    fund_loan_amount: Optional[Decimal] = money_field(default=None, title="公积金贷款金额(元)")
    mortgagor: Optional[str] = Field(default=None, sa_type=String(200), title="抵押人")
    mortgage_bank_org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True,
                                                title="抵押权人（按揭银行）")
    fund_center_org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True,
                                              title="抵押权人（公积金中心）")
    # Entered by the bank or the centre at its review: the loan base is min(price, appraisal) (FIN-01/02).
    appraisal_price: Optional[Decimal] = money_field(default=None, title="评估价(元)")
    delivery_date: Optional[date] = Field(default=None, sa_type=Date, title="交付日期")
    filing_number: Optional[str] = Field(default=None, sa_type=String(32), title="备案号")
    filed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="备案时间")
    # The contract PDF as it stands now (generated, then stamped and signed, then filed).
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", title="合同文书")
    # SIGN-06: once the buyers are saved they are fixed; only an unwind (退房) changes them.
    buyers_locked: bool = Field(default=False, title="购房主体已锁定")
    signed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="签署时间")
    sealed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="盖章时间")
    unwound_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, title="退房时间")
    unwind_case_number: Optional[str] = Field(default=None, sa_type=String(16), title="退房业务编号")
    # Bumped by every save: a stale form cannot overwrite a newer one (conditional UPDATE).
    version: int = Field(default=1, title="版本")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class ContractParty(SQLModel, table=True):
    """A buyer (买受人) or co-owner (共有人) of a contract, in the order entered."""

    __tablename__ = "contract_party"
    __table_args__ = (UniqueConstraint("contract_id", "ordinal"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", title="合同")
    ordinal: int = Field(title="序号")
    role: str = code_field(16, enum=PartyRole, default=PartyRole.BUYER.value, title="身份")
    name: str = Field(sa_type=String(100), title="姓名/名称")
    id_type: str = code_field(24, enum=IdType, default=IdType.RESIDENT_ID.value, title="证件类型")
    id_number: str = Field(sa_type=String(32), index=True, title="证件号码")
    phone: str = Field(sa_type=String(20), title="手机号")
    address: Optional[str] = Field(default=None, sa_type=String(200), title="通讯地址")
    share: Decimal = Field(sa_type=Share, title="共有份额(%)")
    created_at: datetime = created_at_field()


class ContractInstalment(SQLModel, table=True):
    """One instalment of the schedule (分期付款, or the down payment of a loan)."""

    __tablename__ = "contract_instalment"
    __table_args__ = (UniqueConstraint("contract_id", "ordinal"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", title="合同")
    ordinal: int = Field(title="期数")
    due_date: date = Field(sa_type=Date, title="付款日期")
    amount: Decimal = money_field(title="金额(元)")
    note: Optional[str] = Field(default=None, sa_type=String(100), title="说明")


class ContractPayment(SQLModel, table=True):
    """A payment recorded against the 资金缴款通知单 (SIGN-07): the stage completes when these
    add up to the amount due."""

    __tablename__ = "contract_payment"

    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, title="合同")
    paid_on: date = Field(sa_type=Date, title="缴款日期")
    amount: Decimal = money_field(title="金额(元)")
    voucher_number: str = Field(sa_type=String(64), title="缴款凭证号")
    remarks: Optional[str] = Field(default=None, sa_type=Text, title="备注")
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="app_user.id", title="录入人")
    created_at: datetime = created_at_field()
