"""Numbers and notes for the workbench (SYS-04)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from models.base import utcnow
from models.release_note import ReleaseNote
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings


def recent_done_count(session: Session, principal: Principal, days: int = 7) -> int:
    """Tasks this user finished in the last `days` days (最近业务处理数)."""
    from models.workflow import Task

    since = utcnow() - timedelta(days=days)
    return session.exec(
        select(func.count())
        .select_from(Task)
        .where(Task.owner_id == principal.user_id, Task.finished_at.is_not(None), Task.finished_at >= since)
    ).one()


def visible_release_notes(session: Session, limit: int = 5) -> list[dict]:
    tz = ZoneInfo(settings.timezone)
    rows = session.exec(
        select(ReleaseNote)
        .where(ReleaseNote.release_at <= utcnow())
        .order_by(ReleaseNote.release_at.desc())
        .limit(limit)
    ).all()
    return [
        {
            "version": r.version,
            "title": r.title,
            "content": r.content,
            "release_at": r.release_at.astimezone(tz).strftime("%Y-%m-%d"),
        }
        for r in rows
    ]
