"""No room sold twice, on PostgreSQL under real concurrency: 20 signings of one room started at
once (threads, one connection each, a barrier) leave exactly one claim and the room 签约中, its
version bumped once; the 19 others are refused with the reason the lock let them see.

Runs in a schema of its own (the app's tables by create_all plus the demo data), like
test_survey_pg.py, so it neither needs the migrations nor disturbs the `public` schema.
"""

from __future__ import annotations

import threading
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel, select

import models  # noqa: F401
from models.building import Building, Room
from models.enums import Role
from models.user import RoleDef
from netsign_console.db import dispose_engines, session_scope
from netsign_console.demo.loader import load_demo_data
from netsign_console.errors import UserError
from netsign_console.services import room_claim

WORKERS = 20


@pytest.fixture
def pg_demo(pg_server):
    schema = f"room_claim_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_server}?options={quote(f'-csearch_path={schema}')}"
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


def _room(url: str, number: str) -> tuple[int, int]:
    with session_scope(url) as s:
        room = s.exec(select(Room).join(Building, Building.id == Room.building_id)
                      .where(Building.building_number == "D001", Room.room_number == number)).one()
        assert room.trade_status == "saleable"
        return room.id, room.version


def _race(url: str, room_id: int) -> tuple[list[str], list[str], list[BaseException]]:
    won: list[str] = []
    refused: list[str] = []
    crashed: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def worker(i: int) -> None:
        case_number = f"F20261202{i:07d}"
        try:
            start.wait()
            with session_scope(url) as s:
                room_claim.claim(s, room_id, case_number=case_number)
            with lock:
                won.append(case_number)
        except UserError as exc:
            with lock:
                refused.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - any other failure fails the test below
            with lock:
                crashed.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return won, refused, crashed


def test_twenty_simultaneous_signings_of_one_room_leave_one_claim(pg_demo):
    room_id, version = _room(pg_demo, "1-1001")
    won, refused, crashed = _race(pg_demo, room_id)
    assert crashed == []
    assert len(won) == 1 and len(refused) == WORKERS - 1
    # The lock serialises them: each loser re-reads the room after the winner committed.
    assert set(refused) == {"该户室正在签约中，不能重复签约"}
    with session_scope(pg_demo) as s:
        room = s.get(Room, room_id)
        assert (room.trade_status, room.version) == ("signing", version + 1)


def test_a_released_room_can_be_raced_for_again(pg_demo):
    room_id, _version = _room(pg_demo, "1-1002")
    won, _refused, crashed = _race(pg_demo, room_id)
    assert crashed == [] and len(won) == 1
    with session_scope(pg_demo) as s:
        assert room_claim.release(s, room_id).trade_status == "saleable"
    won, _refused, crashed = _race(pg_demo, room_id)
    assert crashed == [] and len(won) == 1
