"""Sub-tasks (待办任务) in use: their state, the screens' data, and saving them.

Every write here follows the verbs' rules: the case row is locked, the principal must hold
the open task of the sub-task's stage (holding the task is the right to edit the stage's
data, whatever the role's master-data permissions), the record edited is the one the case
names (never an id from the browser), and each change lands in the timeline and the audit
log. Once the stage is dispatched nobody holds it, so its data is read-only; a return opens
a new task there and makes it editable again (SURV-07).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from models.base import utcnow
from models.user import User
from models.workflow import Case, CaseSubtask, Task, TaskStatus
from netsign_console.admin import service as admin_service
from netsign_console.admin.base import admin_for
from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow import room_batch, room_tools
from netsign_console.workflow.access import NOT_FOUND, require_case_access
from netsign_console.workflow.nodes import HumanNode
from netsign_console.workflow.rules import check_active, flow_for_case
from netsign_console.workflow.subtasks import (
    ConfirmStep, DocumentStep, FormStep, MappingStep, RoomBatchStep, RoomPickStep, SubTask, SubtaskContext, UploadStep,
)


@dataclass(frozen=True)
class SubtaskView:
    stage: str
    code: str
    title: str
    kind: str
    kind_label: str
    required: bool
    done: bool
    summary: str


@dataclass(frozen=True)
class StageView:
    """One stage of the case that has sub-tasks and has been reached, for the case page."""

    stage: str
    title: str
    open: bool  # a task of it is open now
    holder_name: str
    editable: bool  # the viewer holds its open task
    subtasks: list[SubtaskView] = field(default_factory=list)


def context(session: Session, case: Case, principal: Principal | None = None) -> SubtaskContext:
    flow = flow_for_case(case)
    return SubtaskContext(session, case, flow.data_of(case), principal)


def stored_row(session: Session, case_id: int, stage: str, code: str) -> CaseSubtask | None:
    return session.exec(
        select(CaseSubtask).where(CaseSubtask.case_id == case_id, CaseSubtask.stage == stage, CaseSubtask.code == code)
    ).first()


def is_done(session: Session, case: Case, stage: HumanNode, sub: SubTask, ctx: SubtaskContext | None = None) -> bool:
    ctx = ctx or context(session, case)
    return sub.is_done(ctx, stored_row(session, case.id, stage.code, sub.code))


def missing_required(session: Session, flow, case: Case, stage: HumanNode) -> list[str]:
    """Titles of the stage's required sub-tasks that are not done (dispatch is refused while any is)."""
    ctx = context(session, case)
    return [s.title for s in stage.subtasks if s.required and not is_done(session, case, stage, s, ctx)]


def stage_views(session: Session, principal: Principal, case: Case) -> list[StageView]:
    flow = flow_for_case(case)
    tasks = session.exec(select(Task).where(Task.case_id == case.id).order_by(Task.id)).all()
    reached = {t.stage for t in tasks}
    open_by_stage = {t.stage: t for t in tasks if t.status == TaskStatus.OPEN}
    ctx = context(session, case, principal)
    views = []
    for code, stage in flow.stages().items():
        if not stage.subtasks or code not in reached:
            continue
        task = open_by_stage.get(code)
        holder = session.get(User, task.owner_id) if task is not None and task.owner_id else None
        editable = task is not None and task.owner_id == principal.user_id
        subs = []
        for sub in stage.subtasks:
            row = stored_row(session, case.id, code, sub.code)
            subs.append(SubtaskView(code, sub.code, sub.title, sub.kind, sub.kind_label, sub.required,
                                    sub.is_done(ctx, row), (row.summary or "") if row else ""))
        views.append(StageView(code, stage.title, task is not None,
                               holder.display_name if holder else ("待接件" if task is not None else ""),
                               editable, subs))
    return views


# ----- the write path shared by every kind ------------------------------------------------------


def locate(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
            *, for_write: bool) -> tuple[Case, HumanNode, SubTask, Task | None]:
    if for_write:
        from netsign_console.workflow.engine import lock_case

        case = lock_case(session, case_id)
    else:
        case = session.get(Case, case_id)
    case = require_case_access(session, principal, case)
    flow = flow_for_case(case)
    try:
        stage = flow.stage(stage_code)
        sub = stage.subtask(code)
    except Exception:
        raise PermissionDenied(NOT_FOUND) from None
    task = session.exec(
        select(Task).where(Task.case_id == case.id, Task.stage == stage_code, Task.status == TaskStatus.OPEN,
                           Task.owner_id == principal.user_id)
    ).first()
    if for_write:
        check_active(case)
        if task is None:
            raise PermissionDenied(f"“{stage.title}”不在您的在手业务中，信息只读")
    return case, stage, sub, task


def mark(session: Session, principal: Principal, case: Case, stage: HumanNode, sub: SubTask, task: Task | None,
          summary: str, data: dict | None = None) -> CaseSubtask:
    from netsign_console.workflow.engine import event

    now = utcnow()
    row = stored_row(session, case.id, stage.code, sub.code) or CaseSubtask(case_id=case.id, stage=stage.code, code=sub.code)
    row.done_at = now
    row.done_by_id = principal.user_id
    row.summary = summary[:200]
    if data:
        row.data = {**(row.data or {}), **data}
    session.add(row)
    event(session, principal, case, "subtask", now, task=task, from_stage=stage.code, text=f"{sub.title}：{summary}")
    session.flush()
    return row


def require_kind(sub: SubTask, kind: type) -> Any:
    if not isinstance(sub, kind):
        raise PermissionDenied(NOT_FOUND)
    return sub


# ----- FormStep -----------------------------------------------------------------------------------


def _locked_fields(session: Session, case: Case, stage: HumanNode, sub: FormStep, obj: Any, editable: bool) -> list[str]:
    """SURV-02: with only_empty, the fields that had a value when the stage first opened stay
    read-only; the ones the user completes stay editable until dispatch."""
    if not sub.only_empty:
        return []
    row = stored_row(session, case.id, stage.code, sub.code)
    if row is not None and "locked" in (row.data or {}):
        return list(row.data["locked"])
    locked = [f for f in sub.fields if getattr(obj, f, None) not in (None, "")]
    if editable:  # remember them (only the holder's first view writes)
        row = row or CaseSubtask(case_id=case.id, stage=stage.code, code=sub.code)
        row.data = {**(row.data or {}), "locked": locked}
        session.add(row)
        session.flush()
    return locked


def _record(session: Session, sub: FormStep, ctx: SubtaskContext) -> Any:
    record_id = sub.record(ctx)
    obj = session.get(sub.admin.model, record_id) if record_id is not None else None
    if obj is None:
        raise UserError(f"“{sub.title}”对应的记录不存在")
    return obj


def form_view(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """(FormView, missing field labels) of a FormStep: editable for the holder of the stage's task."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, FormStep)
    ctx = context(session, case, principal)
    obj = _record(session, sub, ctx)
    editable = task is not None and case.status == "active"
    locked = _locked_fields(session, case, stage, sub, obj, editable)
    view = admin_service.embedded_form(session, sub.admin, principal, obj, fields=list(sub.fields),
                                       readonly=locked, required=list(sub.required_fields), editable=editable)
    missing = [sub.admin.label(f) for f in sub.missing(obj)]
    return view, missing


def save_form(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
              values: dict[str, Any]) -> list[str]:
    """Save a FormStep; returns the labels of required fields still empty (done when none)."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, FormStep)
    ctx = context(session, case, principal)
    obj = _record(session, sub, ctx)
    locked = _locked_fields(session, case, stage, sub, obj, True)
    admin_service.save_embedded(session, sub.admin, principal, obj, values, fields=list(sub.fields), readonly=locked,
                                required=list(sub.required_fields))
    if sub.derive is not None:
        flow_for_case(case).set_data(case, **sub.derive(ctx, obj))
        session.add(case)
    missing = [sub.admin.label(f) for f in sub.missing(obj)]
    summary = "已保存" if not missing else "已保存，尚缺：" + "、".join(missing)
    mark(session, principal, case, stage, sub, task, summary)
    return missing


# ----- RoomBatchStep ------------------------------------------------------------------------------


def rooms_view(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """(rows, editable, missing count) of a RoomBatchStep."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RoomBatchStep)
    ctx = context(session, case, principal)
    return room_batch.room_rows(session, sub, ctx), task is not None and case.status == "active", \
        room_batch.count_missing(session, sub, ctx)


def rooms_preview(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                  selection: room_batch.RoomSelection, values: dict[str, Any]) -> tuple[int, int]:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RoomBatchStep)
    return room_batch.preview(session, sub, context(session, case, principal), selection, values)


def rooms_apply(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                selection: room_batch.RoomSelection, values: dict[str, Any]) -> tuple[int, int]:
    """Apply a batch; returns (rooms changed, rooms still missing a required field)."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, RoomBatchStep)
    ctx = context(session, case, principal)
    kept = 0
    if sub.only_empty:
        changed, kept = room_tools.apply_keeping_survey(session, sub, ctx, selection, values)
    else:
        changed = room_batch.apply(session, sub, ctx, selection, values)
    missing = room_batch.count_missing(session, sub, ctx)
    summary = f"已设置{changed}户" + (f"（{kept}户保留测绘成果原值）" if kept else "") + \
        (f"，尚有{missing}户信息不全" if missing else "，户室信息已完整")
    mark(session, principal, case, stage, sub, task, summary)
    return changed, missing


def _rooms_write(session, principal, case_id, stage_code, code, kind=RoomBatchStep):
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    return case, stage, require_kind(sub, kind), task, context(session, case, principal)


def rooms_generate_prices(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                          selection: room_batch.RoomSelection, raw: dict[str, Any], *, preview: bool) -> int:
    """快捷设置价格 (SURV-05): how many rooms the rule reaches (preview) or sets."""
    case, stage, sub, task, ctx = _rooms_write(session, principal, case_id, stage_code, code)
    if not sub.price_tools:
        raise PermissionDenied(NOT_FOUND)
    rule = room_tools.parse_price_rule(raw)
    count = room_tools.generate_prices(session, sub, ctx, selection, rule, preview=preview)
    if not preview:
        mark(session, principal, case, stage, sub, task, f"按楼层生成价格{count}户")
    return count


def rooms_price_rows(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                     filters: dict[str, str]):
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RoomBatchStep)
    return room_tools.price_rows(session, sub, context(session, case, principal), filters)


def rooms_quick_set(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                    room_id: int, raw: dict[str, Any]) -> None:
    """快速设置 or a 价格核对 correction of one room."""
    case, stage, sub, task, ctx = _rooms_write(session, principal, case_id, stage_code, code)
    room = room_tools.quick_set(session, sub, ctx, room_id, raw)
    mark(session, principal, case, stage, sub, task, f"已修改{room.room_number}")


def pick_view(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """(the step, the rooms it may pick as RoomRows, the picked ids, editable) of a RoomPickStep."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RoomPickStep)
    ctx = context(session, case, principal)
    return sub, room_batch.room_rows(session, sub, ctx), sub.picked(ctx), task is not None and case.status == "active"


def pick_figures(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
                 room_ids: list[int]) -> list[tuple[str, str]]:
    """What a selection not yet saved amounts to (RoomPickStep.figures); only the step's own rooms count."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, RoomPickStep)
    if sub.figures is None:
        return []
    ctx = context(session, case, principal)
    from models.building import Room

    wanted = {int(i) for i in room_ids}
    ids = [i for i in session.exec(select(Room.id).where(sub.rooms(ctx))).all() if i in wanted] if wanted else []
    return list(sub.figures(ctx, ids))


def rooms_grid(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """The building grid of a room step's rooms (RoomBatchStep, RoomPickStep): access is the
    case's (whoever may read the case may see the building it concerns), so the grid is read
    without the master-data row scope. None when the step has no rooms."""
    from netsign_console.grid import building_grid

    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    if not isinstance(sub, (RoomBatchStep, RoomPickStep)):
        raise PermissionDenied(NOT_FOUND)
    from models.building import Room

    building_id = session.exec(select(Room.building_id).where(sub.rooms(context(session, case, principal)))
                               .limit(1)).first()
    return building_grid(session, principal, building_id, scoped=False) if building_id else None


def pick_save(session: Session, principal: Principal, case_id: int, stage_code: str, code: str,
              room_ids: list[int]) -> int:
    """Keep the picked rooms in the case's typed data (the flow applies them on archive)."""
    case, stage, sub, task, ctx = _rooms_write(session, principal, case_id, stage_code, code, RoomPickStep)
    ids = room_tools.pick(session, sub, ctx, room_ids)
    before = sub.picked(ctx)
    flow_for_case(case).set_data(case, **{sub.data_field: ids})
    session.add(case)
    mark(session, principal, case, stage, sub, task, f"已{sub.action}{len(ids)}户" if ids else f"本栋不{sub.action}")
    from netsign_console.workflow.engine import event

    if before != ids:
        event(session, principal, case, "data", utcnow(), task=task, from_stage=stage.code,
              before={sub.data_field: before}, after={sub.data_field: ids})
    return len(ids)


# ----- ConfirmStep, UploadStep (DocumentStep: workflow/document_step.py) ------------------------------------------------------


def confirm_table(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """The table a ConfirmStep shows (None when it shows none); read access like the case page."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, ConfirmStep)
    return sub.table(context(session, case, principal)) if sub.table is not None else None


def confirm(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> None:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, ConfirmStep)
    mark(session, principal, case, stage, sub, task, f"{principal.display_name}已确认")


def upload(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, kind: str,
           file_name: str, data: bytes):
    from netsign_console.workflow.attachments import add_attachment

    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, UploadStep)
    if kind not in sub.kinds:
        raise UserError("材料类型无效", "attachment")
    row = add_attachment(session, principal, case.id, file_name, data, kind=kind, task=task)
    mark(session, principal, case, stage, sub, task, f"已上传{sub.kinds[kind]}：{row.file_name}")
    return row


def subtask_of(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> SubTask:
    """The declaration (for screens), after the same access check as reading."""
    return locate(session, principal, case_id, stage_code, code, for_write=False)[2]


def admin_of(sub: FormStep):
    return admin_for(sub.admin_ref)


# ----- MappingStep ------------------------------------------------------------------------------


def mapping_view(session: Session, principal: Principal, case_id: int, stage_code: str, code: str):
    """(the MappingView, editable) of a 户室关系对照 step."""
    from netsign_console.workflow import room_mapping_service

    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, MappingStep)
    ctx = context(session, case, principal)
    return room_mapping_service.view(session, sub, ctx), task is not None and case.status == "active"


def mapping_operate(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, op: str,
                    forecast_ids: list[int], as_built_ids: list[int]) -> list[str]:
    """One mapping operation, kept in the case's data; returns what is still unmapped."""
    from netsign_console.workflow import room_mapping_service

    case, stage, sub, task, ctx = _rooms_write(session, principal, case_id, stage_code, code, MappingStep)
    mapping = room_mapping_service.operate(sub, ctx, op, [int(i) for i in forecast_ids], [int(i) for i in as_built_ids])
    flow_for_case(case).set_data(case, **{sub.data_field: room_mapping_service.dump(mapping)})
    session.add(case)
    problems = mapping.check_complete()
    s = mapping.summary()
    mark(session, principal, case, stage, sub, task,
          f"原预测{s.forecast_count}户，实测{s.as_built_count}户，对照后{s.mapped_count}户" + ("" if not problems else "，尚未完成"))
    return problems
