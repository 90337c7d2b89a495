"""在建工程抵押 list (MORT-01): the mortgages as they stand, written only by the three mortgage
flows (no create, edit or delete here). The regulator sees all; a developer its own; a bank
the mortgages it is the mortgagee of (netsign_console/mortgage/scope.py, also used by the
detail page, the export and the 受理 search).

The 设立 case's form (抵押金额与期限) edits amount, term and start date through this admin:
holding the case's task is the right to, so those three are the only fields not read-only
there; on this admin's own pages nothing is editable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from models.enums import Role
from models.mortgage import ConstructionMortgage
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import Principal
from netsign_console.domain.mortgage import terms_errors
from netsign_console.errors import ValidationFailed
from netsign_console.mortgage.scope import visible

TERMS = ("amount", "term_months", "starts_on")


class ConstructionMortgageAdmin(ModelAdmin, model=ConstructionMortgage):
    slug = "construction-mortgages"
    menu_group = "业务办理"
    menu_order = 65
    title = "在建工程抵押"
    verbose_name = "在建工程抵押"
    # Banks hold no master-data permission; every party of a mortgage works cases, and only
    # the parties of a mortgage see the list (not a broker, a supervising bank, the fund centre).
    view_perm = Perm.CASE_HANDLE
    view_roles = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.DEVELOPER_ADMIN, Role.OPERATOR,
                            Role.MORTGAGE_BANK})
    list_columns = ("building_id", "developer_org_id", "bank_org_id", "amount", "term_months", "room_count",
                    "authorised_count", "status", "case_number", "cancel_case_number")
    search_fields = ("^case_number", "^cancel_case_number")
    search_placeholder = "设立或注销业务编号"
    filters = ("status",)
    sort_fields = ("amount", "starts_on", "room_count", "case_number")
    default_sort = "-case_number"
    form_fields = ("building_id", "project_id", "developer_org_id", "bank_org_id", *TERMS, "room_count",
                   "whole_building", "authorised_count", "status", "case_number", "cancel_case_number")
    readonly_fields = tuple(f for f in form_fields if f not in TERMS)
    labels = {"developer_org_id": "开发企业（抵押人）"}
    fk_labels = {"building_id": "building_number"}
    can_create = False
    can_edit = False
    can_delete = False

    def get_list_query(self, principal: Principal) -> Select:
        stmt = select(ConstructionMortgage)
        clause = visible(principal)
        return stmt if clause is None else stmt.where(clause)

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        errors = terms_errors(obj.amount, obj.term_months)
        if errors:
            raise ValidationFailed(errors)
