"""The cases about a building or a room (Case.subject_type / subject_id), as lines with links.

The lines say only what the case is (number, type, stage, status); opening one goes through
the case page, which checks the viewer's access to that case itself.
"""

from __future__ import annotations

from typing import Iterable

from sqlmodel import Session, select

from models.workflow import Case, CaseStatus
from netsign_console.grid.view import CaseLine
from netsign_console.workflow.registry import UnknownFlow, flow_title, get_flow
from netsign_console.workflow.times import format_local

STATUS_LABELS = {CaseStatus.ACTIVE: "办理中", CaseStatus.ARCHIVED: "已办结", CaseStatus.CANCELLED: "已取消"}
LIMIT = 50  # a room has a handful of cases; a cap keeps a pathological one from flooding the card


def _stage_titles(case_type: str, version: int, codes: str) -> str:
    try:
        flow = get_flow(case_type, version)
    except UnknownFlow:
        return codes
    titles = []
    for code in filter(None, codes.split(",")):
        try:
            titles.append(flow.stage(code).title)
        except Exception:  # a stage renamed in a later version: show its code
            titles.append(code)
    return "、".join(dict.fromkeys(titles))


def case_lines(session: Session, subject_type: str, subject_ids: Iterable[int],
               via: dict[int, str] | None = None) -> list[CaseLine]:
    """Newest first. `via` names the subject a case came through (a predecessor room)."""
    ids = list(subject_ids)
    if not ids:
        return []
    rows = session.exec(
        select(Case.number, Case.case_type, Case.flow_version, Case.status, Case.current_stage, Case.created_at,
               Case.subject_id)
        .where(Case.subject_type == subject_type, Case.subject_id.in_(ids))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(LIMIT)
    ).all()
    lines = []
    for number, case_type, version, status, stage, created_at, subject_id in rows:
        status_label = STATUS_LABELS.get(status, status)
        lines.append(CaseLine(
            number=number,
            type_title=flow_title(case_type, version),
            stage=_stage_titles(case_type, version, stage) if status == CaseStatus.ACTIVE else status_label,
            status_label=status_label,
            created_at=format_local(created_at),
            link=f"/case/{number}",
            via=(via or {}).get(subject_id, ""),
        ))
    return lines
