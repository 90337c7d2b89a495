"""Rows that point at a record: counted per referencing table, for delete confirmation."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

# Tables without an admin class of their own.
TABLE_LABELS = {
    "app_user": "用户",
    "user_session": "登录会话",
    "case_record": "业务",
    "case_task": "任务",
    "case_event": "业务进度",
    "audit_log": "审计日志",
    "release_note": "版本记录",
    "role": "角色",
    "organization": "机构",
}


def table_label(table) -> str:
    from netsign_console.admin.base import all_admins

    for admin in all_admins():
        if admin.model.__table__ is table:
            return admin.noun
    return TABLE_LABELS.get(table.name, table.name)


def count_dependents(session: Session, admin: Any, obj: Any) -> list[tuple[str, int]]:
    table = admin.model.__table__
    pk_value = getattr(obj, admin.pk)
    counts: dict[str, int] = defaultdict(int)
    # By table name, so the message reads the same whatever order the models were imported in.
    for other in sorted(table.metadata.tables.values(), key=lambda t: t.name):
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            n = session.execute(select(func.count()).select_from(other).where(fk.parent == pk_value)).scalar_one()
            if other is table:
                n -= 1 if getattr(obj, fk.parent.key, None) == pk_value else 0
            if n:
                counts[table_label(other)] += n
    return list(counts.items())


def refusal_message(dependents: list[tuple[str, int]]) -> str:
    total = sum(n for _, n in dependents)
    detail = "、".join(f"{label}{n}条" for label, n in dependents)
    return f"该记录有{total}条关联数据（{detail}），不能删除"
