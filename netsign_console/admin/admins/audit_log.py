"""审计日志: a read-only admin over AuditLog, with the changes shown as "字段：前 → 后"."""

from __future__ import annotations

from typing import Any, Mapping

from models.audit import AuditAction, AuditLog
from netsign_console.admin.audit import format_changes
from netsign_console.admin.base import ModelAdmin, all_admins
from netsign_console.admin.dependents import TABLE_LABELS
from netsign_console.admin.options import CHOICE, DateRange, Filter
from netsign_console.auth.permissions import Perm


def model_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for admin in all_admins():
        seen.setdefault(admin.model.__tablename__, admin.noun)
    return sorted(seen.items(), key=lambda kv: kv[1])


def _model_label(table: Any, row: Mapping[str, Any] | None = None) -> str:
    return dict(model_choices()).get(table) or TABLE_LABELS.get(table, table or "")


def _changes(value: Any, row: Mapping[str, Any]) -> str:
    table = row.get("model")
    columns: dict[str, Any] = {}
    for admin in all_admins():
        if admin.model.__tablename__ == table:
            columns.update({n: i for n, i in admin.columns.items() if n not in columns})
    return format_changes(value, columns)


class AuditLogAdmin(ModelAdmin, model=AuditLog):
    slug = "audit"
    menu_order = 90
    title = "审计日志"
    list_route = "/audit"
    view_perm = edit_perm = Perm.AUDIT_VIEW
    list_columns = ("created_at", "user_name", "action", "model", "record_id", "changes")
    search_fields = ("^user_name", "=record_id")
    search_placeholder = "操作人姓名或记录编号"
    filters = ("user_id", Filter("model", CHOICE, choices=model_choices), "action", DateRange("created_at"))
    sort_fields = ("created_at",)
    default_sort = "-created_at"
    count_mode = "estimate"
    form_fields = ("created_at", "user_name", "action", "model", "record_id", "changes")
    readonly_fields = form_fields
    labels = {"user_id": "操作人"}
    fk_labels = {"user_id": "display_name"}
    column_formatters = {"model": _model_label, "changes": _changes}
    can_create = can_edit = can_delete = can_import = False
