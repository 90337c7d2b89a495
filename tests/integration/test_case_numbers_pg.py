"""Case numbers under real concurrency on PostgreSQL: 8 threads, each with its own connection,
accept 200 cases at once (and roll some more back). The numbers must be distinct and their
sequence parts exactly 1..200: unique, shared, and gap-free (a rollback gives its number back).

Runs in a fresh schema of its own, so it neither needs the migrations nor disturbs the
`public` schema other integration tests rebuild.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

import models  # noqa: F401
from models.enums import Role
from netsign_console.workflow import engine as wf
from netsign_console.workflow.numbers import split_case_number
from netsign_console.workflow import temporary_flows
from tests.unit.workflow_fixtures import NoReturnTestFlow, add_applicant, seed_world

THREADS, PER_THREAD, ROLLBACK_EVERY = 8, 25, 5
NOW = datetime(2026, 11, 21, 2, 0, tzinfo=timezone.utc)  # one fixed local day, even at midnight

TABLES = [
    SQLModel.metadata.tables[name]
    for name in ("role", "organization", "app_user", "case_record", "case_task", "case_event",
                 "case_number_sequence", "case_subtask", "audit_log")
]


@pytest.fixture
def pg_engine(pg_server):
    schema = f"wf_numbers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(
        pg_server,
        connect_args={"options": f"-csearch_path={schema}"},
        pool_size=THREADS,
        max_overflow=0,
    )
    try:
        SQLModel.metadata.create_all(engine, tables=TABLES)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_concurrent_acceptance_gives_gap_free_numbers(pg_engine):
    with Session(pg_engine) as session:
        world = seed_world(session)
        accepting = [world.p["dev_a"], world.p["dev_a2"], world.p["dev_b"]]
        org_keys = ["dev_a", "dev_a", "dev_b"]
        # Each thread accepts cases about a user of its own organisation (another's is invisible).
        subjects = [add_applicant(session, world, f"c{i}", org_key=org_keys[i % 3]).id for i in range(THREADS)]
        session.commit()
    assert all(str(p.role) == Role.DEVELOPER_ADMIN for p in accepting)

    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        principal = accepting[index % len(accepting)]
        try:
            start.wait()
            committed = attempt = 0
            while committed < PER_THREAD:
                attempt += 1
                with Session(pg_engine) as session:  # one connection per thread, held throughout
                    case = wf.accept(
                        session, principal, NoReturnTestFlow.code, subject_id=subjects[index],
                        title=f"并发测试{index}-{attempt}", now=NOW,
                    )
                    if attempt % ROLLBACK_EVERY == 0:
                        session.rollback()  # the number must come back, not leave a gap
                        continue
                    number = case.number
                    session.commit()
                committed += 1
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    with temporary_flows(NoReturnTestFlow):  # a flow whose acceptance changes nothing else
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    assert len(numbers) == THREADS * PER_THREAD == len(set(numbers))
    parts = [split_case_number(n) for n in numbers]
    assert {(prefix, day) for prefix, day, _ in parts} == {("T", "20261121")}
    assert sorted(seq for _, _, seq in parts) == list(range(1, THREADS * PER_THREAD + 1))
