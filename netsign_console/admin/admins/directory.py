"""The regulator's lists: 机构名录 (every organisation) and 用户名录 (every user)."""

from __future__ import annotations

from typing import Any

from models.enums import NetworkAccessStatus, OrgType
from models.organization import Organization
from models.user import User
from netsign_console.admin.admins.organizations import ORG_VALIDATORS, PROFILE_FIELDS
from netsign_console.admin.admins.account_actions import account_actions, lock_status
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import DateRange
from netsign_console.auth.permissions import Perm
from netsign_console.domain.validators import normalize_id_number, normalize_mobile


class OrganizationAdmin(ModelAdmin, model=Organization):
    slug = "organizations"
    menu_order = 80
    title = "机构名录"
    verbose_name = "机构"
    view_perm = Perm.ORG_ALL_VIEW
    edit_perm = Perm.ORG_ALL_EDIT
    list_columns = ("name", "org_type", "credit_code", "legal_rep", "legal_rep_phone", "region", "status", "is_valid")
    search_fields = ("^name", "=credit_code")
    search_placeholder = "机构名称或统一社会信用代码"
    filters = ("org_type", "is_valid", DateRange("created_at"))
    sort_fields = ("name", "org_type", "created_at")
    default_sort = "name"
    form_fields = ("org_type",) + PROFILE_FIELDS + ("contact_phone",)
    required_fields = ("credit_code",)
    labels = {"name": "机构名称"}
    validators = ORG_VALIDATORS
    masked_fields = ("legal_rep_id_number", "legal_rep_phone")
    can_import = True


class UserAdmin(ModelAdmin, model=User):
    """Users are created through 用户入网 (SYS-09); here the regulator looks them up and the
    system administrator corrects names and phones, disables an account, resets a password
    or lifts a lockout."""

    slug = "users"
    menu_order = 81
    title = "用户名录"
    verbose_name = "用户"
    view_perm = Perm.ORG_ALL_VIEW
    edit_perm = Perm.USER_ADMIN
    org_field = "organization_id"
    list_columns = ("username", "display_name", "phone", "role", "organization_id", "network_access_status",
                    "is_active", "locked_until", "last_login_at")
    search_fields = ("^username", "display_name", "=phone")
    search_placeholder = "用户名、姓名或手机号"
    filters = ("role", "organization_id", "network_access_status", "is_active")
    sort_fields = ("username", "display_name", "last_login_at", "created_at")
    default_sort = "username"
    form_fields = ("username", "display_name", "phone", "id_number", "role", "organization_id",
                   "network_access_status", "is_active")
    readonly_fields = ("username", "role", "organization_id", "network_access_status")
    validators = {"phone": normalize_mobile, "id_number": normalize_id_number}
    masked_fields = ("phone", "id_number")
    labels = {"locked_until": "锁定至"}
    column_formatters = {"locked_until": lock_status}
    can_create = can_delete = False
    bulk_actions = account_actions(Perm.USER_ADMIN)

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        if data.get("is_active") is False:
            from netsign_console.auth.service import revoke_user_sessions

            revoke_user_sessions(session, obj.id)
