"""The 信息列表 sub-task (RecordListStep): rows of the case's entity (buyers, payments,
instalments) added, edited and removed through the admin's own form and validation.

Every write locks the case and needs the stage's open task (subtask_service.locate); the rows
reachable are only those matching the step's `parent(ctx)` columns, evaluated on the server, so
an id from the browser that belongs to another case is not found. Once `locked(ctx)` gives a
reason, the rows are read-only for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models.audit import AuditAction
from netsign_console.admin import service as admin_service
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow.access import NOT_FOUND
from netsign_console.workflow.subtask_service import context, locate, mark, require_kind, stored_row
from netsign_console.workflow.subtasks import RecordListStep, SubtaskContext


@dataclass(frozen=True)
class ListRow:
    id: int
    cells: list[str]  # display values of the step's fields, personal data masked where the admin masks it


@dataclass(frozen=True)
class ListScreen:
    title: str
    headers: list[str]
    fields: list[str]
    rows: list[ListRow]
    figures: list[tuple[str, str]]
    editable: bool  # the holder may add / finish
    rows_editable: bool
    rows_removable: bool
    locked_reason: str
    min_rows: int
    done: bool


def _display(session: Session, sub: RecordListStep, obj, principal: Principal) -> list[str]:
    view = admin_service.embedded_form(session, sub.admin, principal, obj, fields=list(sub.fields), editable=False)
    return [str(view.display.get(f, "") or "") for f in sub.fields]


def screen(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> ListScreen:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RecordListStep)
    ctx = context(session, case, principal)
    rows = sub.rows(ctx)
    reason = (sub.locked(ctx) if sub.locked is not None else None) or ""
    editable = task is not None and case.status == "active" and not reason
    figures = sub.figures(ctx, rows) if sub.figures is not None else []
    return ListScreen(sub.title, [sub.admin.label(f) for f in sub.fields], list(sub.fields),
                      [ListRow(getattr(r, sub.admin.pk), _display(session, sub, r, principal)) for r in rows],
                      figures, editable, editable and sub.editable, editable and sub.removable, reason,
                      sub.min_rows(ctx), sub.is_done(ctx, stored_row(session, case.id, stage.code, sub.code)))


def _writable(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, RecordListStep)
    ctx = context(session, case, principal)
    reason = sub.locked(ctx) if sub.locked is not None else None
    if reason:
        raise UserError(reason)
    return case, stage, sub, task, ctx


def _own_row(sub: RecordListStep, ctx: SubtaskContext, row_id: int):
    for row in sub.rows(ctx):
        if getattr(row, sub.admin.pk) == int(row_id):
            return row
    raise PermissionDenied(NOT_FOUND)


def _summary(sub: RecordListStep, ctx: SubtaskContext) -> str:
    rows = sub.rows(ctx)
    figures = sub.figures(ctx, rows) if sub.figures is not None else []
    return f"共{len(rows)}条" + ("；" + "，".join(f"{k}{v}" for k, v in figures) if figures else "")


def _keep_open(session: Session, case, stage, sub, principal, task, ctx) -> None:
    """A change after 完成 reopens the step until it is finished again (the set rule is re-checked)."""
    row = stored_row(session, case.id, stage.code, sub.code)
    if row is not None and row.done_at is not None and sub.finish is not None:
        row.done_at = None
        row.summary = _summary(sub, ctx) + "（已修改，待完成）"
        session.add(row)
        session.flush()
    elif sub.finish is None:
        mark(session, principal, case, stage, sub, task, _summary(sub, ctx))


def add(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, values: dict) -> int:
    case, stage, sub, task, ctx = _writable(session, principal, case_id, stage_code, code)
    obj = admin_service.create_embedded(session, sub.admin, principal, values, fields=list(sub.fields),
                                        preset=sub.parent(ctx))
    if sub.after_add is not None:
        sub.after_add(ctx, obj)
    _keep_open(session, case, stage, sub, principal, task, ctx)
    return getattr(obj, sub.admin.pk)


def edit(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, row_id: int,
         values: dict) -> None:
    case, stage, sub, task, ctx = _writable(session, principal, case_id, stage_code, code)
    if not sub.editable:
        raise UserError(f"“{sub.title}”已录入的记录不能修改")
    obj = _own_row(sub, ctx, row_id)
    admin_service.save_embedded(session, sub.admin, principal, obj, values, fields=list(sub.fields))
    _keep_open(session, case, stage, sub, principal, task, ctx)


def remove(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, row_id: int) -> None:
    from netsign_console.admin.audit import record_event

    case, stage, sub, task, ctx = _writable(session, principal, case_id, stage_code, code)
    if not sub.removable:
        raise UserError(f"“{sub.title}”已录入的记录不能删除")
    obj = _own_row(sub, ctx, row_id)
    record_event(session, principal, AuditAction.DELETE, sub.admin.model.__tablename__, row_id, {})
    session.delete(obj)
    session.flush()
    _keep_open(session, case, stage, sub, principal, task, ctx)


def finish(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> None:
    """完成: at least `min_rows` rows, then the step's rule over the whole set; done."""
    case, stage, sub, task, ctx = _writable(session, principal, case_id, stage_code, code)
    rows = sub.rows(ctx)
    least = sub.min_rows(ctx)
    if len(rows) < least:
        raise ValidationFailed({"list": f"请至少录入{least}条{sub.title}"})
    if sub.finish is not None:
        sub.finish(ctx, rows)
    if sub.done is not None and not sub.done(ctx, sub.rows(ctx)):
        raise ValidationFailed({"list": f"“{sub.title}”尚未完成：" + _summary(sub, ctx)})
    mark(session, principal, case, stage, sub, task, _summary(sub, ctx))


def subtask_of(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> RecordListStep:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    return require_kind(sub, RecordListStep)


def own_row(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, row_id: int):
    """A row of this case's list for the edit form (PermissionDenied for any other id)."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RecordListStep)
    return _own_row(sub, context(session, case, principal), row_id)
