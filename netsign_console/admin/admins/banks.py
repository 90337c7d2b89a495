"""Bank master data of a developer (SYS-07): 按揭银行, 贷款银行 and 监管银行账户.

The two kinds of bank link share one table; each admin fixes its kind (fixed_values), so
the lists are filtered and new rows get the right kind without any page code.
"""

from __future__ import annotations

from models.bank import BankLink, BankLinkKind, SupervisionAccount
from netsign_console.admin.admins.common import BANK_ORGS, DEVELOPER_ORGS, normalize_account_number, normalize_phone
from netsign_console.admin.base import ModelAdmin


class BankLinkAdminBase(ModelAdmin, model=BankLink):
    abstract = True
    list_columns = ("bank_org_id", "contact_person", "contact_phone", "organization_id", "created_at")
    sort_fields = ("created_at",)
    default_sort = "-created_at"
    filters = ("bank_org_id", "organization_id")
    form_fields = ("organization_id", "bank_org_id", "contact_person", "contact_phone", "remarks")
    fk_filters = {"bank_org_id": BANK_ORGS, "organization_id": DEVELOPER_ORGS}
    validators = {"contact_phone": normalize_phone}
    masked_fields = ("contact_phone",)


class MortgageBankAdmin(BankLinkAdminBase):
    slug = "mortgage-banks"
    menu_order = 50
    title = "按揭银行"
    help_text = "预售签约时可选择的按揭银行，从主管部门维护的银行名录中选择。"
    labels = {"bank_org_id": "按揭银行"}
    fixed_values = {"kind": BankLinkKind.MORTGAGE.value}


class LoanBankAdmin(BankLinkAdminBase):
    slug = "loan-banks"
    menu_order = 51
    title = "贷款银行"
    help_text = "在建工程抵押时可选择的贷款银行，从主管部门维护的银行名录中选择。"
    labels = {"bank_org_id": "贷款银行"}
    fixed_values = {"kind": BankLinkKind.LOAN.value}


class SupervisionAccountAdmin(ModelAdmin, model=SupervisionAccount):
    slug = "supervision-accounts"
    menu_order = 52
    title = "监管银行账户"
    verbose_name = "监管账户"
    help_text = "签订预售资金监管协议时选择的监管账户。"
    list_columns = ("account_name", "account_number", "bank_org_id", "opening_branch", "organization_id", "is_active")
    search_fields = ("^account_number", "account_name")
    search_placeholder = "监管账号或账户名称"
    filters = ("bank_org_id", "is_active", "organization_id")
    sort_fields = ("account_name", "account_number", "created_at")
    default_sort = "-created_at"
    form_fields = ("organization_id", "bank_org_id", "account_name", "account_number", "opening_branch",
                   "is_active", "remarks")
    fk_filters = {"bank_org_id": BANK_ORGS, "organization_id": DEVELOPER_ORGS}
    validators = {"account_number": normalize_account_number}
