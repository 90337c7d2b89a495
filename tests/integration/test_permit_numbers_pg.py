"""Permit numbers (YYYY-NNNN, PERMIT-05) under real concurrency on PostgreSQL: 50 permits
numbered by 10 threads at once, every fifth attempt rolled back (a failed generation). The
50 committed numbers must be distinct and exactly 2026-0001 … 2026-0050: the counter row
serialises the takers and a rollback hands its number back.

Runs in a schema of its own (only the counter table), beside the migrated `public` schema.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

import models  # noqa: F401
from netsign_console.numbering import yearly_number

THREADS, PERMITS, ROLLBACK_EVERY = 10, 50, 5


@pytest.fixture
def pg_engine(pg_server):
    schema = f"permit_numbers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(pg_server, connect_args={"options": f"-csearch_path={schema}"}, pool_size=THREADS,
                           max_overflow=0)
    try:
        SQLModel.metadata.create_all(engine, tables=[SQLModel.metadata.tables["number_sequence"]])
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_fifty_parallel_permits_get_fifty_gap_free_numbers(pg_engine):
    committed: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)
    remaining = [PERMITS]

    def worker() -> None:
        try:
            start.wait()
            attempt = 0
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                while True:
                    attempt += 1
                    with Session(pg_engine) as session:
                        number, _ = yearly_number(session, "permit-presale", 2026)
                        time.sleep(0.002)  # the PDF being rendered while the number is held
                        if attempt % ROLLBACK_EVERY == 0:
                            session.rollback()
                            continue
                        session.commit()
                    with lock:
                        committed.append(number)
                    break
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(committed) == len(set(committed)) == PERMITS
    assert sorted(committed) == [f"2026-{n:04d}" for n in range(1, PERMITS + 1)]
