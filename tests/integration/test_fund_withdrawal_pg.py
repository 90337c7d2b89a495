"""FUND-06 under real concurrency on PostgreSQL: ten developers' sessions accept a withdrawal on
the same agreement at the same moment. Exactly one case opens; the nine others are refused
with the Chinese message (acceptance locks the agreement row, so the later ones see the first
withdrawal), and the unique open_agreement_id would stop a tenth even without the lock.

Runs in a schema of its own with the demo data (D001's filed agreement and its deposits).
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import SQLModel, select

import models  # noqa: F401
from models.fund import FundAgreement, FundWithdrawal
from models.user import RoleDef, User
from models.enums import Role
from models.workflow import Case
from netsign_console.admin import files
from netsign_console.auth.service import principal_for_user
from netsign_console.db import dispose_engines, session_scope
from netsign_console.demo.loader import load_demo_data
from netsign_console.errors import UserError
from netsign_console.workflow import engine as wf

THREADS = 10


@pytest.fixture
def pg_fund(pg_server, tmp_path, monkeypatch):
    schema = f"fund_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_server}?options={quote(f'-csearch_path={schema}')}"
    monkeypatch.setattr(files, "settings", dataclasses.replace(files.settings, private_dir=tmp_path / "private"))
    try:
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            for role in Role:
                conn.execute(RoleDef.__table__.insert().values(code=role.value, name=role.label))
        engine.dispose()
        load_demo_data(url)
        yield url
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_ten_parallel_acceptances_leave_exactly_one_open_withdrawal(pg_fund):
    with session_scope(pg_fund) as s:
        agreement_id = s.exec(select(FundAgreement.id).where(FundAgreement.status == "filed")).one()
        dev = principal_for_user(s, s.exec(select(User).where(User.username == "dev_operator")).one())
    opened, refused, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker() -> None:
        try:
            start.wait()
            with session_scope(pg_fund) as s:
                number = wf.accept(s, dev, "fund_withdrawal", subject_id=agreement_id).number
            with lock:
                opened.append(number)
        except UserError as exc:
            with lock:
                refused.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(opened) == 1 and len(refused) == THREADS - 1
    assert set(refused) == {"该监管协议已有正在办理的资金支取业务，办结或取消后才能发起新的支取"}
    with session_scope(pg_fund) as s:
        assert s.exec(select(func.count()).select_from(FundWithdrawal).where(
            FundWithdrawal.agreement_id == agreement_id, FundWithdrawal.status == "applying")).one() == 1
        assert s.exec(select(func.count()).select_from(Case).where(Case.case_type == "fund_withdrawal")).one() == 1
