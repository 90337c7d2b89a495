"""商品房买卖合同 lists (SIGN-05 to SIGN-17): the contracts as they stand and their buyers. Both
are written only by the signing and unwind flows (no create, edit or delete here); a developer
sees its own, the regulator all. Buyers' ID numbers and phones are masked in the list and the
export (FEATURES §5 decision 8); the contract PDF itself carries them whole.

Banks and the provident-fund centre see a contract when its loan review is routed to them;
that arrives with the signing flow (its case access), not as a list of every contract."""

from __future__ import annotations

from models.contract import Contract, ContractParty
from models.enums import Role
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm

_PARTIES_OF_CONTRACTS = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.SERVICE_WINDOW, Role.DEVELOPER_ADMIN,
                                   Role.OPERATOR})


class ContractAdmin(ModelAdmin, model=Contract):
    slug = "contracts"
    menu_group = "业务办理"
    menu_order = 70
    title = "商品房买卖合同"
    verbose_name = "合同"
    view_perm = Perm.CASE_HANDLE
    view_roles = _PARTIES_OF_CONTRACTS
    list_columns = ("contract_number", "kind", "variant", "status", "building_id", "room_id", "developer_org_id",
                    "total_price", "payment_method", "case_number", "filing_number")
    search_fields = ("^contract_number", "^case_number", "^filing_number")
    search_placeholder = "合同编号、签约业务编号或备案号"
    filters = ("status", "kind", "payment_method", "project_id")
    sort_fields = ("contract_number", "total_price", "created_at", "filed_at")
    default_sort = "-contract_number"
    form_fields = ("contract_number", "case_number", "kind", "variant", "status", "project_id", "building_id",
                   "room_id", "permit_id", "developer_org_id", "gross_area", "inner_area", "shared_area",
                   "unit_price", "computed_total", "agreed_total", "total_price", "payment_method", "down_payment",
                   "commercial_loan_amount", "fund_loan_amount", "mortgagor", "mortgage_bank_org_id",
                   "fund_center_org_id", "appraisal_price", "delivery_date", "buyers_locked", "filing_number",
                   "filed_at", "signed_at", "sealed_at", "unwound_at", "unwind_case_number", "version")
    readonly_fields = form_fields
    fieldsets = (
        ("合同", ("contract_number", "case_number", "kind", "variant", "status", "version")),
        ("房屋", ("project_id", "building_id", "room_id", "permit_id", "developer_org_id", "gross_area", "inner_area",
                 "shared_area")),
        ("价款与付款", ("unit_price", "computed_total", "agreed_total", "total_price", "payment_method", "down_payment",
                     "commercial_loan_amount", "fund_loan_amount", "delivery_date")),
        ("抵押", ("mortgagor", "mortgage_bank_org_id", "fund_center_org_id", "appraisal_price")),
        ("签署与备案", ("buyers_locked", "signed_at", "sealed_at", "filing_number", "filed_at", "unwound_at",
                     "unwind_case_number")),
    )
    fk_labels = {"building_id": "building_number", "room_id": "room_number", "permit_id": "number"}
    can_create = False
    can_edit = False
    can_delete = False
    row_links = (("合同详情", "/contracts/{id}"),)


class ContractPartyAdmin(ModelAdmin, model=ContractParty):
    slug = "contract-parties"
    menu_group = "业务办理"
    menu_order = 71
    title = "合同购房人"
    verbose_name = "购房人"
    help_text = "按证件号码查询购房人的合同；列表中证件号码与手机号已脱敏。"
    view_perm = Perm.CASE_HANDLE
    view_roles = _PARTIES_OF_CONTRACTS
    org_field = "contract_id.developer_org_id"
    list_columns = ("contract_id", "ordinal", "role", "name", "id_type", "id_number", "phone", "share")
    search_fields = ("=id_number", "^name")
    search_placeholder = "证件号码（完整）或姓名"
    filters = ("role", "id_type")
    sort_fields = ("contract_id", "ordinal")
    default_sort = "-contract_id"
    form_fields = ("contract_id", "ordinal", "role", "name", "id_type", "id_number", "phone", "address", "share")
    readonly_fields = form_fields
    masked_fields = ("id_number", "phone")
    fk_labels = {"contract_id": "contract_number"}
    can_create = False
    can_edit = False
    can_delete = False
