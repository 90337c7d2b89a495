"""预售签约 acceptance on PostgreSQL under real concurrency: 20 engine acceptances of one room
started at once (threads, one connection each, a barrier) leave exactly one F case, one live
contract and the room 签约中; the 19 others are refused at the subject with the issue's words
and leave neither a case nor a case number behind (their transactions rolled back whole)."""

from __future__ import annotations

import threading

from sqlmodel import select

from models.building import Building, Room
from models.contract import Contract
from models.workflow import Case
from netsign_console.db import session_scope
from netsign_console.errors import UserError
from netsign_console.services import room_claim
from netsign_console.workflow import engine as wf
from tests.integration.test_room_claim_pg import pg_demo  # noqa: F401  (the fixture)
from tests.unit.survey_fixtures import principal

WORKERS = 20


def test_twenty_acceptances_of_one_room_leave_one_case(pg_demo):  # noqa: F811
    url = pg_demo
    with session_scope(url) as s:
        room = s.exec(select(Room).join(Building, Building.id == Room.building_id)
                      .where(Building.building_number == "D001", Room.room_number == "1-1001")).one()
        room_id, version = room.id, room.version
    won, refused, crashed = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            with session_scope(url) as s:
                dev = principal(s, "dev_operator")
                start.wait()
                case = wf.accept(s, dev, "presale_contract_signing", subject_id=room_id)
                number = case.number
            with lock:
                won.append(number)
        except UserError as exc:
            with lock:
                refused.append((exc.field, str(exc)))
        except BaseException as exc:  # noqa: BLE001 - any other failure fails the test below
            with lock:
                crashed.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not crashed, crashed
    assert len(won) == 1 and len(refused) == WORKERS - 1
    assert {f for f, _ in refused} == {"subject"}
    assert {m for _, m in refused} <= {"该户室正在签约中，不能重复签约", room_claim.CONFLICT}
    with session_scope(url) as s:
        cases = s.exec(select(Case).where(Case.case_type == "presale_contract_signing")).all()
        assert [c.number for c in cases] == won
        room = s.get(Room, room_id)
        assert (room.trade_status, room.version) == ("signing", version + 1)
        live = s.exec(select(Contract).where(Contract.active_room_id == room_id)).all()
        assert [c.case_number for c in live] == won
