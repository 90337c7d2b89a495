"""The room claim of a signing (services/room_claim.py): every refusal of issue 11 with its exact
message, the claim itself with its version bump, and the moves that follow (release, signed,
filed). Rooms come from the demo's D001, which has one of each kind."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models.building import Building, Room, RoomRestriction
from models.permit import Permit
from netsign_console.db import session_scope
from netsign_console.domain.saleability import NO_FUND_SUPERVISION
from netsign_console.errors import UserError
from netsign_console.services import room_claim
from netsign_console.services.saleability import register_signing_check, signing_checks, unregister_signing_check

CASE = "F202612020000099"


def _room(s: Session, number: str, building: str = "D001") -> Room:
    return s.exec(select(Room).join(Building, Building.id == Room.building_id)
                  .where(Building.building_number == building, Room.room_number == number)).one()


def _refusal(url: str, number: str, building: str = "D001", sale_kind: str = "presale") -> str:
    with session_scope(url) as s:
        with pytest.raises(UserError) as caught:
            room_claim.claim(s, _room(s, number, building).id, case_number=CASE, sale_kind=sale_kind)
        assert caught.value.field == "room"
        return str(caught.value)


def test_a_saleable_permitted_room_is_claimed_once_with_its_version_bumped(demo_url):
    with session_scope(demo_url) as s:
        room = _room(s, "1-1001")
        before = room.version
        claimed = room_claim.claim(s, room.id, case_number=CASE)
        assert (claimed.trade_status, claimed.version) == ("signing", before + 1)
    with session_scope(demo_url) as s:
        assert _room(s, "1-1001").trade_status == "signing"
    assert _refusal(demo_url, "1-1001") == "该户室正在签约中，不能重复签约"


def test_each_refusal_of_the_issue_has_its_exact_message(demo_url):
    # D002 has no permit at all; D001's permit is a 预售许可证, so a 现售 signing finds none either.
    assert _refusal(demo_url, "1-0101", "D002") == "没有找到有效许可证户室信息"
    assert _refusal(demo_url, "1-1001", sale_kind="spot_sale") == "没有找到有效许可证户室信息"
    assert _refusal(demo_url, "1-1801") == "没有找到有效许可证户室信息"  # resettlement: outside the scope
    assert _refusal(demo_url, "1-0801") == "该户室已司法查封或行政限制"  # 查封
    assert _refusal(demo_url, "2-0902") == "该户室已司法查封或行政限制"  # 轮候查封
    assert _refusal(demo_url, "1-1201") == "该户室已司法查封或行政限制"  # 行政限制
    assert _refusal(demo_url, "1-0101") == "物管用房不能销售"
    assert _refusal(demo_url, "2-1001") == "户室已设定在建工程抵押，未取得抵押权人签约授权，不能签约"
    assert _refusal(demo_url, "2-1201") == "户室存在异议登记，不能签约"
    assert _refusal(demo_url, "1-0602") == "该户室正在签约中，不能重复签约"
    assert _refusal(demo_url, "1-0301") == "该户室已售（已签约），不能签约"
    assert _refusal(demo_url, "1-0402") == "该户室已售（已备案），不能签约"
    with session_scope(demo_url) as s:
        permit = s.exec(select(Permit).where(Permit.number == "2026-0001")).one()
        permit.status = "changing"
        s.add(permit)
    assert _refusal(demo_url, "1-1001") == "该楼栋预售许可变更办理中，暂停签约"
    with session_scope(demo_url) as s:
        assert _room(s, "1-1001").trade_status == "saleable", "a refusal writes nothing"


def test_the_check_runs_under_the_lock_on_what_the_room_is_now(demo_url):
    with session_scope(demo_url) as s:
        room = _room(s, "1-1002")
        s.add(RoomRestriction(room_id=room.id, kind="pre_seizure"))
    assert _refusal(demo_url, "1-1002") == "该户室已司法查封或行政限制"


def test_a_room_changed_since_it_was_read_is_refused_without_writing(demo_url):
    from sqlalchemy import update

    with session_scope(demo_url) as s:
        room = _room(s, "1-1101")
        room_id, version = room.id, room.version
    with session_scope(demo_url) as s:
        stale = s.get(Room, room_id)
        # Someone else's write after our read (here without refreshing the loaded object): the
        # conditional UPDATE compares the version that was read, so the stale read cannot win.
        s.execute(update(Room).where(Room.id == room_id).values(version=version + 1)
                  .execution_options(synchronize_session=False))
        with pytest.raises(UserError, match="该户室状态已变化"):
            room_claim._move(s, stale, ("saleable",), "signing")
    with session_scope(demo_url) as s:
        assert s.get(Room, room_id).trade_status == "saleable"


def test_a_registered_check_refuses_and_can_be_removed(demo_url):
    # What the fund-supervision package registers: its own tables, its own rule, this message.
    def no_agreement(session, room, sale_kind):
        return NO_FUND_SUPERVISION if sale_kind == "presale" else None

    register_signing_check("test_fund_supervision", no_agreement)
    register_signing_check("test_fund_supervision", no_agreement)  # idempotent
    try:
        assert signing_checks().count("test_fund_supervision") == 1
        assert _refusal(demo_url, "1-1001") == "当前楼栋未资金监管，不能进行预售合同签约"
    finally:
        unregister_signing_check("test_fund_supervision")
    with session_scope(demo_url) as s:
        assert room_claim.claim(s, _room(s, "1-1001").id, case_number=CASE).trade_status == "signing"


def test_signed_filed_and_released(demo_url):
    with session_scope(demo_url) as s:
        room_id = _room(s, "1-1102").id
        room_claim.claim(s, room_id, case_number=CASE)
        with pytest.raises(UserError, match="不能标记为已备案"):
            room_claim.mark_filed(s, room_id)
        assert room_claim.mark_signed(s, room_id).trade_status == "signed"
        assert room_claim.mark_filed(s, room_id).trade_status == "filed"
        assert room_claim.release(s, room_id).trade_status == "saleable"  # an unwind
        with pytest.raises(UserError, match="无需释放"):
            room_claim.release(s, room_id)
        version = s.get(Room, room_id).version
    with session_scope(demo_url) as s:
        room = s.get(Room, room_id)
        assert (room.trade_status, room.version) == ("saleable", version)
        assert room_claim.claim(s, room_id, case_number=CASE).trade_status == "signing"


def test_an_unknown_room_is_not_found(demo_url):
    with session_scope(demo_url) as s:
        with pytest.raises(UserError, match="没有找到有效许可证户室信息"):
            room_claim.claim(s, 10_000_000, case_number=CASE)
