"""开发企业信息 (SYS-05): a developer admin edits only their own organisation, one form."""

from __future__ import annotations

from typing import Any

from models.organization import Organization
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.domain.validators import normalize_credit_code, normalize_id_number, normalize_mobile

# The SYS-05 profile fields, in the manual's order.
PROFILE_FIELDS = (
    "credit_code", "name", "enterprise_type", "legal_rep", "legal_rep_id_number", "legal_rep_phone",
    "region", "status", "is_valid", "established_on", "business_reg_number", "registered_capital",
    "paid_in_capital", "taxpayer_id", "registered_address", "business_scope", "remarks",
)
ORG_VALIDATORS = {
    "credit_code": normalize_credit_code,
    "legal_rep_id_number": normalize_id_number,
    "legal_rep_phone": normalize_mobile,
}


class OrgProfileAdmin(ModelAdmin, model=Organization):
    slug = "org-profile"
    menu_order = 10
    title = "开发企业信息"
    list_route = "/org/profile"
    single_object = True
    org_field = "id"  # the row is the user's own organisation
    view_perm = edit_perm = Perm.ORG_OWN_EDIT
    form_fields = PROFILE_FIELDS
    readonly_fields = ("status", "is_valid")  # kept by the regulator (机构名录)
    required_fields = ("credit_code",)
    validators = ORG_VALIDATORS
    masked_fields = ("legal_rep_id_number", "legal_rep_phone")
    can_create = can_delete = can_export = False

    def get_object_id(self, principal: Any) -> Any:
        return principal.org_id
