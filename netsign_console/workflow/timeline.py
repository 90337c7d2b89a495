"""业务进度 (WF-04): the case's events as display lines.

    开始 张三发起业务
    张三操作 2026-11-21 09:30:00
    张三派工 2026-11-21 09:31:12
    李四操作 2026-11-21 10:02:45
    李四退件 2026-11-21 10:05:00（退回至“入网申请”，原因：身份证号有误）
    ...

This reads no permission: callers show it only after require_case_access().
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models.workflow import Case, CaseEvent, Task
from netsign_console.workflow.registry import UnknownFlow, get_flow
from netsign_console.workflow.times import format_local

# Verbs whose actor was working on the task: the first of them stands for "took it up"
# when the task was assigned to them directly (a return, or a named next handler).
_WORK_VERBS = {"dispatch", "decide", "return", "opinion", "archive", "release", "subtask", "data"}


@dataclass(frozen=True)
class TimelineRow:
    kind: str  # "start", "operate", or the event's verb
    actor_name: str
    actor_org_name: str
    stage_title: str
    time: str  # Asia/Shanghai, "YYYY-MM-DD HH:MM:SS"
    note: str  # opinion or reason
    line: str  # the whole display line


def timeline(session: Session, case_id: int) -> list[TimelineRow]:
    case = session.get(Case, case_id)
    if case is None:
        return []
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.created_at, CaseEvent.id)
    ).all()
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.case_id == case_id)).all()}
    try:
        flow = get_flow(case.case_type, case.flow_version)
    except UnknownFlow:
        flow = None

    def stage_title(code: str | None) -> str:
        if flow is not None and code in flow.nodes:
            return flow.nodes[code].title
        return code or ""

    def decision_label(code: str | None) -> str:
        labels = {k: v for n in (flow.stages().values() if flow else ()) for k, v in getattr(n, "decisions", {}).items()}
        return labels.get(code, code or "")

    rows: list[TimelineRow] = []
    operated: set[int] = set()
    for e in events:
        task = tasks.get(e.task_id) if e.task_id is not None else None
        title = task.stage_title if task is not None else stage_title(e.from_stage or e.to_stage)
        when = format_local(e.created_at)
        name = e.actor_name
        note = e.text or ""

        def add(kind: str, line: str, row_note: str = "") -> None:
            rows.append(TimelineRow(kind, name, e.actor_org_name, title, when, row_note, line))

        if e.verb == "accept":
            add("start", f"开始 {name}发起业务")
        if e.verb in ("accept", "claim") or (e.verb in _WORK_VERBS and e.task_id not in operated):
            add("operate", f"{name}操作 {when}")
            if e.task_id is not None:
                operated.add(e.task_id)
        if e.verb == "dispatch":
            add("dispatch", f"{name}派工 {when}", note)
        elif e.verb == "decide":
            label = decision_label(task.decision if task is not None else None)
            if task is not None and task.status == "returned":
                add("decide", f"{name}审核{label} {when}（退回至“{stage_title(e.to_stage)}”，原因：{note}）", note)
            else:
                add("decide", f"{name}审核{label} {when}" + (f"（意见：{note}）" if note else ""), note)
        elif e.verb == "subtask":
            add("subtask", f"{name}办理 {when}（{note}）", note)
        elif e.verb == "data":
            add("data", f"{name}修改业务数据 {when}")
        elif e.verb == "return":
            add("return", f"{name}退件 {when}（退回至“{stage_title(e.to_stage)}”，原因：{note}）", note)
        elif e.verb == "opinion":
            add("opinion", f"{name}签署意见 {when}（{note}）", note)
        elif e.verb == "release":
            add("release", f"{name}释放任务 {when}")
        elif e.verb == "archive":
            parts = []
            if case.decision:
                parts.append(f"审核结论：{decision_label(case.decision)}")
            if note:
                parts.append(f"意见：{note}")
            suffix = f"（{'，'.join(parts)}）" if parts else ""
            add("archive", f"{name}归档 {when}{suffix}", note)
        elif e.verb == "cancel":
            add("cancel", f"{name}取消受理 {when}（原因：{note}）", note)
    return rows
