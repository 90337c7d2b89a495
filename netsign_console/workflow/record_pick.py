"""The 信息选择 sub-task (RecordPickStep): master-data records the case names (the permit's
物业公司 and four certificates, an agreement's supervision account), picked from the ones
the case may name or added on the spot through the admin's own validation.

The ids offered and accepted are the step's `choices(ctx)` only, evaluated on the server:
an id from the browser outside them is refused, whatever the user's master-data rights.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models.base import utcnow
from netsign_console.admin import service as admin_service
from netsign_console.auth.principal import Principal
from netsign_console.errors import UserError
from netsign_console.workflow.rules import flow_for_case
from netsign_console.workflow.subtask_service import context, locate, mark, require_kind
from netsign_console.workflow.subtasks import RecordPickStep, SubtaskContext


@dataclass(frozen=True)
class Slot:
    code: str
    label: str
    options: list[tuple[str, str]]  # (id, label)
    picked: str  # id or ""


def _options(session: Session, sub: RecordPickStep, ctx: SubtaskContext) -> dict[str, list]:
    admin = sub.admin
    model = admin.model
    rows = session.exec(select(model).where(sub.choices(ctx)).order_by(getattr(model, admin.pk)).limit(500)).all()
    out: dict[str, list] = {code: [] for code in sub.slots}
    for row in rows:
        slot = str(getattr(row, sub.slot_field)) if sub.multi else ""
        if slot in out:
            out[slot].append(row)
    return out


def _label(sub: RecordPickStep, row, ctx: SubtaskContext) -> str:
    if sub.label is not None:
        return sub.label(ctx, row)
    label = admin_service.record_label(sub.admin, row)
    number = getattr(row, "number", None) or getattr(row, "account_number", None)
    return f"{label}（{number}）" if number and number not in label else label


def view(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """(the step, its slots, editable)."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RecordPickStep)
    ctx = context(session, case, principal)
    picked = sub.picked(ctx)
    options = _options(session, sub, ctx)
    slots = [Slot(k, label, [(str(r.id), _label(sub, r, ctx)) for r in options[k]], str(picked.get(k, "")))
             for k, label in sub.slots.items()]
    return sub, slots, task is not None and case.status == "active"


def _store(session: Session, principal: Principal, case, stage, sub: RecordPickStep, task, ctx, picked: dict[str, int]):
    from netsign_console.workflow.engine import event

    before = sub.picked(ctx)
    value = {k: v for k, v in picked.items()} if sub.multi else picked.get("")
    chosen = {k: r for k, rs in _options(session, sub, ctx).items() for r in rs if picked.get(k) == r.id}
    derived = sub.derive(ctx, chosen) if sub.derive is not None else {}
    flow_for_case(case).set_data(case, **{sub.data_field: value}, **derived)
    session.add(case)
    after = context(session, case, principal)
    labels = [_label(sub, r, after) for r in chosen.values()]
    mark(session, principal, case, stage, sub, task, "已选择：" + "、".join(labels) if labels else "未选择")
    if before != picked:
        event(session, principal, case, "data", utcnow(), task=task, from_stage=stage.code,
              before={sub.data_field: before, **{k: getattr(ctx.data, k) for k in derived}},
              after={sub.data_field: picked, **derived})


def save(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
         chosen: dict[str, str]) -> None:
    """Keep the chosen records (slot -> id); every slot must be filled, from the choices."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, RecordPickStep)
    ctx = context(session, case, principal)
    options = _options(session, sub, ctx)
    picked, errors = {}, {}
    for slot, label in sub.slots.items():
        raw = str(chosen.get(slot, "") or "").strip()
        if not raw:
            errors[f"records-{slot}"] = f"请选择{label}"
            continue
        if not raw.isdigit() or int(raw) not in {r.id for r in options[slot]}:
            errors[f"records-{slot}"] = f"所选{label}不在可选范围内，请重新选择"
            continue
        picked[slot] = int(raw)
    if errors:
        from netsign_console.errors import ValidationFailed

        raise ValidationFailed(errors)
    _store(session, principal, case, stage, sub, task, ctx, picked)


def add(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, slot: str,
        values: dict[str, str]) -> int:
    """新增: create the record (the admin's validation; the step's defaults and the slot fixed)
    and pick it for `slot`. Returns its id."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, RecordPickStep)
    if not sub.add_fields:
        raise UserError(f"“{sub.title}”不能在此新增")
    if slot not in sub.slots:
        raise UserError("请选择要新增的类型", "screen")
    ctx = context(session, case, principal)
    preset = dict(sub.defaults(ctx)) if sub.defaults is not None else {}
    if sub.multi:
        preset[sub.slot_field] = slot
    obj = admin_service.create_embedded(session, sub.admin, principal, values, fields=list(sub.add_fields),
                                        preset=preset)
    new_id = getattr(obj, sub.admin.pk)
    picked = {**sub.picked(ctx), slot: new_id}
    _store(session, principal, case, stage, sub, task, ctx, picked)
    return new_id
