"""预售资金监管 lists (FUND-01 to FUND-12): agreements with their figures, withdrawals, the
contracts and ledger entries ledger backfills name. Written only by the fund flows (no create,
edit or delete here); the cases' forms edit the fields their step names, checked below.

Who sees what is netsign_console/fund/scope.py: the regulator every row (its city view), a
developer its own, a supervising bank the agreements and withdrawals at its bank only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select

from models.enums import Role
from models.fund import (
    AgreementStatus, FundAgreement, FundAgreementRoom, FundContract, FundLedgerEntry, FundStandard, FundWithdrawal,
    LedgerKind, LedgerType,
)
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import Principal
from netsign_console.errors import ValidationFailed
from netsign_console.fund import withdrawals
from netsign_console.fund.scope import visible

PARTIES = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.DEVELOPER_ADMIN, Role.OPERATOR, Role.SUPERVISING_BANK})


# What the cases' forms may fill in (协议录入, 协议补录, 首次登记信息); the rest only the flows write.
EDITABLE = ("agreement_number", "construction_progress", "presale_total", "signed_on", "registration_number",
            "registered_on")


def _key_amount(session: Any, obj: FundAgreement) -> Decimal | None:
    if obj.status not in (AgreementStatus.APPLYING.value, AgreementStatus.DRAFT.value):
        return obj.key_amount  # filed: the amount as it was computed and agreed
    from netsign_console.workflow.flows._fund import key_amount_of

    return key_amount_of(session, obj)


class FundAgreementAdmin(ModelAdmin, model=FundAgreement):
    slug = "fund-agreements"
    menu_group = "业务办理"
    menu_order = 70
    title = "预售资金监管协议"
    verbose_name = "监管协议"
    view_perm = Perm.CASE_HANDLE
    view_roles = PARTIES
    list_columns = ("agreement_number", "building_id", "developer_org_id", "bank_org_id", "total_supervised",
                    "balance", "key_amount", "disbursable", "construction_progress", "supervised_count",
                    "saleable_count", "status")
    search_fields = ("^agreement_number", "^case_number")
    search_placeholder = "监管协议号或业务编号"
    filters = ("status", "bank_org_id")
    sort_fields = ("agreement_number", "balance", "disbursable", "key_amount", "total_supervised")
    default_sort = "-id"
    count_mode = "estimate"
    form_fields = ("agreement_number", "building_id", "project_id", "developer_org_id", "bank_org_id", "account_id",
                   "construction_progress", "presale_total", "key_amount", "signed_on", "registration_number",
                   "registered_on", "total_supervised", "deposited", "disbursed", "refunded", "frozen", "balance",
                   "disbursable", "status", "version", "case_number")
    readonly_fields = tuple(f for f in form_fields if f not in EDITABLE)
    computed = {"key_amount": _key_amount}
    labels = {"developer_org_id": "开发企业（甲方）", "bank_org_id": "监管银行（乙方）"}
    fk_labels = {"building_id": "building_number", "account_id": "account_name"}
    row_links = (("协议详情", "/fund/agreements/{id}"),)
    can_create = False
    can_edit = False
    can_delete = False

    def get_list_query(self, principal: Principal) -> Select:
        stmt = select(FundAgreement).where(FundAgreement.status != AgreementStatus.DRAFT.value)
        clause = visible(FundAgreement, principal)
        return stmt if clause is None else stmt.where(clause)

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = {}
        if obj.presale_total is not None and obj.presale_total <= 0:
            errors["presale_total"] = "项目预售总额必须大于0"
        if obj.agreement_number is not None and not obj.agreement_number.strip():
            errors["agreement_number"] = "请填写监管协议号"
        if obj.registered_on is not None and obj.signed_on is not None and obj.registered_on < obj.signed_on:
            errors["registered_on"] = "首次登记日期不能早于协议签订时间"
        if errors:
            raise ValidationFailed(errors)


class FundWithdrawalAdmin(ModelAdmin, model=FundWithdrawal):
    slug = "fund-withdrawals"
    menu_group = "业务办理"
    menu_order = 71
    title = "资金支取"
    verbose_name = "支取申请"
    view_perm = Perm.CASE_HANDLE
    view_roles = PARTIES
    list_columns = ("case_number", "agreement_id", "developer_org_id", "bank_org_id", "amount", "status", "paid_on",
                    "paid_amount", "voucher_number")
    search_fields = ("^case_number", "^voucher_number")
    search_placeholder = "业务编号或打款凭证号"
    filters = ("status",)
    sort_fields = ("amount", "paid_on", "case_number")
    default_sort = "-id"
    form_fields = ("case_number", "agreement_id", "developer_org_id", "bank_org_id", "amount", "purpose", "status",
                   "paid_on", "paid_amount", "voucher_number")
    readonly_fields = ("case_number", "agreement_id", "developer_org_id", "bank_org_id", "status")
    fk_labels = {"agreement_id": "agreement_number"}
    can_create = False
    can_edit = False
    can_delete = False

    def get_list_query(self, principal: Principal) -> Select:
        stmt = select(FundWithdrawal)
        clause = visible(FundWithdrawal, principal)
        return stmt if clause is None else stmt.where(clause)

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = withdrawals.payment_errors(obj)
        if "amount" in data:
            problem = withdrawals.amount_error(session, obj, obj.amount)
            if problem:
                errors["amount"] = problem
        if errors:
            raise ValidationFailed(errors)
        if "amount" in data:
            session.add(obj)
            withdrawals.amount_saved(session, obj)  # frozen from now on


class FundContractAdmin(ModelAdmin, model=FundContract):
    slug = "fund-contracts"
    menu_group = "业务办理"
    menu_order = 72
    title = "户室合同（流水补录）"
    verbose_name = "合同"
    view_perm = Perm.CASE_HANDLE
    view_roles = PARTIES - {Role.SUPERVISING_BANK}
    list_columns = ("contract_number", "agreement_id", "room_id", "buyer_name", "total_price", "payment_method",
                    "refund_due", "active", "case_number")
    search_fields = ("^contract_number", "^case_number")
    search_placeholder = "合同编号或业务编号"
    form_fields = ("agreement_id", "room_id", "contract_number", "buyer_name", "total_price", "payment_method",
                   "down_payment", "refund_due", "case_number", "active")
    readonly_fields = ("agreement_id", "case_number", "active")
    masked_fields = ("buyer_name",)
    fk_labels = {"agreement_id": "agreement_number", "room_id": "room_number"}
    can_create = False
    can_edit = False
    can_delete = False

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = {}
        if obj.room_id is not None and session.exec(select(FundAgreementRoom.id).where(
                FundAgreementRoom.agreement_id == obj.agreement_id, FundAgreementRoom.room_id == obj.room_id)).first() is None:
            errors["room_id"] = "该户室不在本监管协议范围内"
        if obj.total_price is not None and obj.total_price <= 0:
            errors["total_price"] = "总房款必须大于0"
        if obj.down_payment is not None and obj.total_price is not None and obj.down_payment > obj.total_price:
            errors["down_payment"] = "首付金额不能超过总房款"
        if errors:
            raise ValidationFailed(errors)


class FundLedgerEntryAdmin(ModelAdmin, model=FundLedgerEntry):
    slug = "fund-ledger-entries"
    menu_group = "业务办理"
    menu_order = 73
    title = "户室流水"
    verbose_name = "流水"
    view_perm = Perm.CASE_HANDLE
    view_roles = PARTIES - {Role.SUPERVISING_BANK}
    list_columns = ("agreement_id", "room_id", "kind", "entry_type", "amount", "entry_date", "voucher_number",
                    "case_number", "active")
    search_fields = ("^case_number", "^voucher_number")
    filters = ("kind",)
    form_fields = ("agreement_id", "kind", "entry_type", "amount", "entry_date", "voucher_number", "case_number",
                   "active")
    readonly_fields = ("agreement_id", "kind", "case_number", "active")
    fk_labels = {"agreement_id": "agreement_number", "room_id": "room_number"}
    can_create = False
    can_edit = False
    can_delete = False

    def get_list_query(self, principal: Principal) -> Select:
        stmt = select(FundLedgerEntry)
        clause = visible(FundAgreement, principal)
        if clause is None:
            return stmt
        return stmt.where(FundLedgerEntry.agreement_id.in_(select(FundAgreement.id).where(clause)))

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = {}
        if obj.amount is not None and obj.amount <= 0:
            errors["amount"] = "金额必须大于0"
        refund = obj.kind == LedgerKind.REFUND.value
        if obj.entry_type in (LedgerType.WITHDRAWAL.value,) or (refund != (obj.entry_type == LedgerType.UNWIND_REFUND.value)):
            errors["entry_type"] = "退款流水的款项类型为退房退款" if refund else "入账流水请选择首付款、房款或贷款类款项"
        problem = withdrawals.refund_error(session, obj)
        if problem:
            errors["amount"] = problem
        if errors:
            raise ValidationFailed(errors)


class FundStandardAdmin(ModelAdmin, model=FundStandard):
    """重点监管资金标准: the regulator sets the city's rule and figures (N12); new agreements use
    them from then on, filed ones keep what they were computed with."""

    slug = "fund-standard"
    menu_order = 75
    title = "重点监管资金标准"
    single_object = True
    view_perm = edit_perm = Perm.FUND_STANDARD_MANAGE
    form_fields = ("standard_per_m2", "key_ratio", "remarks", "updated_at")
    readonly_fields = ("updated_at",)
    required_fields = ("standard_per_m2", "key_ratio")
    help_text = ("新受理的资金监管协议按本市规则计算重点监管资金：监管户室建筑面积×每平方米标准金额，或项目预售总额×监管比例"
                 "（如10%填写0.10）。已备案的协议保持其计算时的标准。")
    labels = {"key_ratio": "监管比例（0至1）"}
    can_create = can_delete = can_export = False

    def get_object_id(self, principal: Principal) -> Any:
        from netsign_console.fund.key import STANDARD_ID

        return STANDARD_ID

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = {}
        if obj.standard_per_m2 is not None and obj.standard_per_m2 <= 0:
            errors["standard_per_m2"] = "每平方米标准金额必须大于0"
        if obj.key_ratio is not None and not (0 < obj.key_ratio <= 1):
            errors["key_ratio"] = "监管比例应为0到1之间的小数，如10%填写0.10"
        if errors:
            raise ValidationFailed(errors)

