"""退房申请 (RET-01 to RET-03): the unwind applications, written by the 退房 flow; its 退房原因
step edits the reason here (the form of one record of the case), nothing else is typed."""

from __future__ import annotations

from typing import Any

from models.contract_unwind import ContractUnwind
from models.enums import Role
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.errors import ValidationFailed

REASON_MAX = 500


class ContractUnwindAdmin(ModelAdmin, model=ContractUnwind):
    slug = "contract-unwinds"
    menu_group = "业务办理"
    menu_order = 72
    title = "退房申请"
    verbose_name = "退房申请"
    view_perm = Perm.CASE_HANDLE
    view_roles = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.SERVICE_WINDOW, Role.DEVELOPER_ADMIN,
                            Role.OPERATOR})
    list_columns = ("case_number", "contract_id", "developer_org_id", "applicant_party_id", "status", "archived_at",
                    "created_at")
    search_fields = ("^case_number",)
    search_placeholder = "退房业务编号"
    filters = ("status",)
    sort_fields = ("case_number", "archived_at", "created_at")
    default_sort = "-id"
    form_fields = ("case_number", "contract_id", "developer_org_id", "applicant_party_id", "reason", "status",
                   "archived_at")
    readonly_fields = ("case_number", "contract_id", "developer_org_id", "applicant_party_id", "status", "archived_at")
    textarea_fields = ("reason",)
    fk_labels = {"contract_id": "contract_number", "applicant_party_id": "name"}
    can_create = False
    can_edit = False
    can_delete = False

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        reason = (obj.reason or "").strip()
        if "reason" in data and len(reason) > REASON_MAX:
            raise ValidationFailed({"reason": f"退房原因不能超过{REASON_MAX}个字"})
        obj.reason = reason or None
