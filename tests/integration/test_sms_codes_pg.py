"""Parallel guesses cannot exceed the limit, on PostgreSQL: 20 wrong codes checked at once (threads,
one connection each, a barrier) against one code leave it locked after exactly 5 counted tries;
the other 15 are told it is locked. Runs in a schema of its own (the SMS tables only)."""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel, select

import models  # noqa: F401
from models.sms import SmsCode, SmsMessage
from netsign_console.db import dispose_engines, session_scope
from netsign_console.sms import send_code, verify_code

WORKERS = 20
SUBJECT = dict(purpose="seal_authorisation", subject_type="contract", subject_id=1, phone="13900000005")


@pytest.fixture
def pg_sms(pg_server):
    schema = f"sms_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_server}?options={quote(f'-csearch_path={schema}')}"
    try:
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine, tables=[SmsCode.__table__, SmsMessage.__table__])
        engine.dispose()
        yield url
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_twenty_parallel_wrong_guesses_count_five_and_lock(pg_sms):
    with session_scope(pg_sms) as s:
        send_code(s, **SUBJECT)
        code = re.search(r"验证码为(\d{6})", s.exec(select(SmsMessage.text)).one()).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    results: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def guess() -> None:
        start.wait()
        with session_scope(pg_sms) as s:
            message = verify_code(s, **SUBJECT, entered=wrong).message
        with lock:
            results.append(message)

    threads = [threading.Thread(target=guess) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    counts = Counter(results)
    assert len(results) == WORKERS
    # Each of the five tries was used exactly once; "busy" answers are not tries.
    wrong_tries = {m: n for m, n in counts.items() if m.startswith("验证码错误，还可尝试")}
    assert wrong_tries == {f"验证码错误，还可尝试{n}次": 1 for n in (4, 3, 2, 1)}
    assert counts["验证码错误次数过多，已锁定，请重新获取"] + counts.get("验证码校验繁忙，请重试", 0) == WORKERS - 4
    with session_scope(pg_sms) as s:
        row = s.exec(select(SmsCode)).one()
        assert (row.attempts, row.locked) == (5, True)
        assert verify_code(s, **SUBJECT, entered=code).message == "验证码错误次数过多，已锁定，请重新获取"
