"""Audit events: who, when, which record, and every changed field before and after.

Written in the same transaction as the change it records, so there is never a change
without its event (or an event for a change that was rolled back). Masked fields are
stored masked: the audit log must not become a second copy of personal data.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import select
from sqlmodel import Session

from models.audit import AuditAction, AuditLog
from netsign_console.admin.formatting import json_safe, mask_value
from netsign_console.auth.principal import Principal

SUMMARY_KEY = "_summary"


def record_event(
    session: Session,
    principal: Principal | None,
    action: AuditAction | str,
    model: str,
    record_id: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    event = AuditLog(
        user_id=principal.user_id if principal else None,
        user_name=principal.display_name if principal else "系统",
        org_id=principal.org_id if principal else None,
        action=str(action),
        model=model,
        record_id=None if record_id is None else str(record_id),
        changes=changes or {},
    )
    session.add(event)
    return event


def snapshot(admin: Any, obj: Any, fields: Iterable[str], session: Session | None = None) -> dict[str, Any]:
    """JSON-safe values of `fields`, masked where the admin masks them; with a session,
    foreign keys are stored as "label（id）" so the log stays readable after renames."""
    out = {}
    for name in fields:
        value = getattr(obj, name, None)
        info = admin.columns.get(name)
        if name in admin.masked_fields and value not in (None, ""):
            out[name] = mask_value(name, value, admin.validators.get(name))
        elif session is not None and info is not None and info.kind == "fk" and value is not None:
            target = info.fk_model
            label = session.execute(
                select(getattr(target, info.fk_label)).where(getattr(target, info.fk_target) == value)
            ).scalar()
            out[name] = f"{label}（{value}）" if label is not None and str(label) != str(value) else json_safe(value)
        else:
            out[name] = json_safe(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def summary(text: str, **extra: Any) -> dict[str, Any]:
    """Changes of an event that is not a field edit (import batch, export)."""
    return {SUMMARY_KEY: text, **{k: json_safe(v) for k, v in extra.items()}}


def display_value(info: Any, value: Any) -> str:
    """A stored audit value as people read it (enum labels, 是/否, file marker)."""
    if value in (None, ""):
        return "（空）"
    if info is not None:
        if info.kind == "enum" and info.enum is not None:
            return info.enum.label_of(str(value))
        if info.kind == "bool":
            return "是" if value else "否"
        if info.kind == "file":
            return "已上传文件"
    return str(value)


# Keys that audit events record beside a model's own columns (e.g. the case behind a decision).
EXTRA_LABELS = {"case_number": "业务编号"}


def format_changes(changes: dict[str, Any] | None, columns: dict[str, Any] | None = None) -> str:
    """"企业名称：旧 → 新；注册资本：… → …" for the audit page (`columns`: name -> ColumnInfo)."""
    if not changes:
        return ""
    if SUMMARY_KEY in changes:
        return str(changes[SUMMARY_KEY])
    columns = columns or {}
    parts = []
    for name, pair in changes.items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        info = columns.get(name)
        label = info.label if info is not None and info.label else EXTRA_LABELS.get(name, name)
        parts.append(f"{label}：{display_value(info, before)} → {display_value(info, after)}")
    return "；".join(parts)
