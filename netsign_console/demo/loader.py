"""Upsert the demo data set by natural keys, in one transaction."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlmodel import Session, select

import models  # noqa: F401
from models.organization import Organization
from models.release_note import ReleaseNote
from models.user import User
from netsign_console.auth.passwords import hash_password
from netsign_console.db import analyze, session_scope
from netsign_console.demo.accounts import ACCOUNTS, DEMO_PASSWORD, ORGANIZATIONS

SeedStep = Callable[[Session], int]
_EXTRA_STEPS: list[tuple[str, SeedStep]] = []


def seed_step(label: str) -> Callable[[SeedStep], SeedStep]:
    """Register a further demo-data step (used by later modules: projects, service points...)."""

    def register(fn: SeedStep) -> SeedStep:
        if all(existing is not fn for _, existing in _EXTRA_STEPS):
            _EXTRA_STEPS.append((label, fn))
        return fn

    return register


def org_id(session: Session, name: str) -> int:
    return session.exec(select(Organization.id).where(Organization.name == name)).one()


def _seed_organizations(session: Session) -> int:
    added = 0
    for spec in ORGANIZATIONS:
        if session.exec(select(Organization.id).where(Organization.name == spec["name"])).first():
            continue
        session.add(Organization(**{k: (v.value if hasattr(v, "value") else v) for k, v in spec.items()}))
        added += 1
    session.flush()
    return added


def _seed_users(session: Session) -> int:
    added = 0
    password_hash = None
    for username, display_name, phone, role, org_name in ACCOUNTS:
        if session.exec(select(User.id).where(User.username == username)).first():
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        session.add(
            User(
                username=username,
                display_name=display_name,
                phone=phone,
                role=role.value,
                organization_id=org_id(session, org_name) if org_name else None,
                password_hash=password_hash,
                network_access_status="approved",
            )
        )
        added += 1
    session.flush()
    return added


RELEASE_NOTES = [
    dict(version="V1.0.0", title="网签备案管理控制台上线",
         content="统一登录（用户名或手机号）、按角色显示菜单、连续5次密码错误锁定15分钟；\n工作台显示待处理业务数与版本更新记录。",
         release_at=datetime(2026, 11, 1, tzinfo=timezone.utc)),
]


def _seed_release_notes(session: Session) -> int:
    added = 0
    for note in RELEASE_NOTES:
        if session.exec(select(ReleaseNote.id).where(ReleaseNote.version == note["version"])).first():
            continue
        session.add(ReleaseNote(**note))
        added += 1
    return added


def load_demo_data(db_url: str | None = None) -> dict[str, int]:
    # Modules that contribute steps register them on import.
    import netsign_console.demo.steps  # noqa: F401

    steps: list[tuple[str, SeedStep]] = [
        ("机构", _seed_organizations),
        ("用户", _seed_users),
        ("版本记录", _seed_release_notes),
        *_EXTRA_STEPS,
    ]
    counts: dict[str, int] = {}
    with session_scope(db_url) as session:
        for label, step in steps:
            counts[label] = step(session)
            session.flush()
    if any(counts.values()):
        analyze(db_url)
    return counts
