"""企业用户管理 / 用户入网 (SYS-09): an enterprise admin adds its operators and applies for
their network access, one by one or in batch; the regulator decides each application as a
用户入网 case (netsign_console/workflow/flows/network_access.py). Only approved users log in,
first with a random one-time password shown once to the admin, which they must replace.
"""

from __future__ import annotations

from typing import Any

from models.enums import NetworkAccessStatus, Role
from models.user import User
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.admins.account_actions import account_actions, lock_status, initial_password_notice
from netsign_console.admin.options import BulkAction, Notice
from netsign_console.auth.permissions import Perm
from netsign_console.domain.validators import normalize_id_number, normalize_mobile

# No usable password until after_create issues the one-time one ("!" is no argon2 hash,
# so verify_password refuses everything against it).
NO_PASSWORD = "!"


def _apply(session: Any, principal: Any, users: list[User]) -> str:
    from netsign_console.workflow.flows.network_access import apply_network_access

    cases = apply_network_access(session, principal, [u.id for u in users])
    return f"已提交{len(cases)}个入网申请（{cases[0].number}等），请等待主管部门审核" if cases else "没有提交申请"


class EnterpriseUserAdmin(ModelAdmin, model=User):
    slug = "enterprise-users"
    menu_order = 20
    title = "企业用户管理"
    verbose_name = "企业用户"
    help_text = (
        "新增经办人后，勾选用户并点击“申请入网”，由主管部门审核；审核通过后方可登录。"
        "新增用户时系统生成一次性初始密码（只显示一次），用户首次登录须修改；忘记密码或被锁定时可“重置密码”或“解除锁定”。"
    )
    view_perm = Perm.USER_MANAGE
    edit_perm = Perm.USER_MANAGE
    org_field = "organization_id"
    # An enterprise admin manages its operators; its own account is the regulator's business.
    fixed_values = {"role": Role.OPERATOR.value}
    list_columns = ("username", "display_name", "phone", "id_number", "network_access_status", "is_active",
                    "locked_until", "last_login_at", "created_at")
    search_fields = ("^username", "display_name", "=phone")
    search_placeholder = "用户名、姓名或手机号"
    filters = ("network_access_status", "is_active")
    sort_fields = ("username", "display_name", "created_at", "last_login_at")
    default_sort = "username"
    form_fields = ("username", "display_name", "phone", "id_number", "organization_id", "is_active",
                   "network_access_status")
    readonly_fields = ("network_access_status",)
    required_fields = ("phone", "id_number")
    labels = {"username": "用户名", "display_name": "姓名", "phone": "手机号", "id_number": "身份证号",
              "is_active": "启用", "network_access_status": "入网状态", "last_login_at": "最近登录",
              "created_at": "创建时间", "organization_id": "所属机构", "locked_until": "锁定至"}
    validators = {"phone": normalize_mobile, "id_number": normalize_id_number}
    masked_fields = ("phone", "id_number")
    column_formatters = {"locked_until": lock_status}
    bulk_actions = (
        BulkAction("apply_network_access", "申请入网", _apply,
                   confirm="确认为所选用户申请入网？每个用户生成一笔入网业务，由主管部门逐一审核。",
                   perm=Perm.NETWORK_ACCESS_APPLY),
        *account_actions(Perm.USER_MANAGE),
    )

    def has_delete_permission(self, principal: Any, obj: Any = None) -> bool:
        # Only a user that never applied can be removed; the others have a case history.
        return super().has_delete_permission(principal, obj) and (
            obj is None or obj.network_access_status == NetworkAccessStatus.DRAFT.value
        )

    def before_save(self, session: Any, principal: Any, obj: User, data: dict[str, Any]) -> None:
        if not obj.password_hash:
            obj.password_hash = NO_PASSWORD
            obj.network_access_status = NetworkAccessStatus.DRAFT.value
        if data.get("is_active") is False and obj.id is not None:
            from netsign_console.auth.service import revoke_user_sessions

            revoke_user_sessions(session, obj.id)

    def after_create(self, session: Any, principal: Any, obj: User) -> Notice:
        return initial_password_notice(session, obj)
