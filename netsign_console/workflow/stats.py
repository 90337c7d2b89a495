"""业务统计: case counts by type and status, aggregated in SQL (tens of rows leave the database)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from models.workflow import Case, CaseStatus
from netsign_console.auth.permissions import Perm, require
from netsign_console.auth.principal import Principal
from netsign_console.workflow.registry import flow_title
from netsign_console.workflow.times import local_day_end_utc, local_day_start_utc


def case_counts(session: Session, principal: Principal, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """One row per case type: accepted, in progress, archived, cancelled (by acceptance date)."""
    require(principal, Perm.STATS_VIEW)
    query = select(Case.case_type, Case.status, func.count()).group_by(Case.case_type, Case.status)
    if start:
        query = query.where(Case.created_at >= local_day_start_utc(start))
    if end:
        query = query.where(Case.created_at < local_day_end_utc(end))
    table: dict[str, dict[str, int]] = {}
    for case_type, status, count in session.exec(query).all():
        table.setdefault(case_type, {})[status] = count
    rows = []
    for case_type, by_status in sorted(table.items()):
        title = flow_title(case_type)
        rows.append(
            {
                "case_type": title,
                "total": sum(by_status.values()),
                "active": by_status.get(CaseStatus.ACTIVE, 0),
                "archived": by_status.get(CaseStatus.ARCHIVED, 0),
                "cancelled": by_status.get(CaseStatus.CANCELLED, 0),
            }
        )
    return rows
