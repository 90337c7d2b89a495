"""Room search by any part of the room number: the SQLite side table stays in step with the
rooms (insert, rename, delete, rows that existed before the migration) and the list finds
exactly the rooms whose number contains the term, on a migrated database."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from models.building import Room
from models.search import RoomNumberSuffix
import netsign_console.admin.admins  # noqa: F401  registers "rooms"
from netsign_console.admin.base import AdminConfigError, ModelAdmin
from netsign_console.admin.fragment import fragment_match
from netsign_console.admin.query import ListParams, list_records
from netsign_console.auth.service import principal_for_user
from netsign_console.db import get_engine, session_scope
from models.user import User
from tests.conftest import migrate


def _numbers(url: str, term: str, username: str = "regulator") -> list[str]:
    with session_scope(url) as s:
        principal = principal_for_user(s, s.execute(select(User).where(User.username == username)).scalar_one())
    found, page, cursor = [], 1, ""
    while True:
        result = list_records("rooms", principal, ListParams(search=term, page=page, cursor=cursor), url=url)
        found += [r["room_number"] for r in result.rows]
        if not result.has_next:
            return found
        page, cursor = page + 1, result.next_cursor


def _all_numbers(url: str) -> list[str]:
    with get_engine(url).connect() as conn:
        return [r[0] for r in conn.execute(select(Room.room_number))]


def test_any_part_of_the_number_finds_exactly_the_rooms_containing_it(demo_url):
    everything = _all_numbers(demo_url)
    assert len(everything) > 200  # the demo's buildings, several sharing numbers
    for term in ("0101", "1-01", "-18", "1801", "2-1802", "x-1", "01-", "102"):
        expected = sorted(n for n in everything if term.upper() in n.upper())
        assert sorted(_numbers(demo_url, term)) == expected, term
    # One or two characters are part of nearly every number: they search its start.
    for term in ("1", "02", "2-"):
        assert sorted(_numbers(demo_url, term)) == sorted(n for n in everything if n.startswith(term)), term
    assert _numbers(demo_url, "0101")[:2] == ["1-0101", "1-0101"]  # two buildings, ordered by number


def test_pages_of_a_search_follow_any_sort_through_offset_and_keyset(demo_url):
    # A search gathers its matches before sorting them (query._collected): pages by offset and
    # by keyset must still agree, ascending and descending, on a key with ties (sale price).
    with session_scope(demo_url) as s:
        principal = principal_for_user(s, s.execute(select(User).where(User.username == "regulator")).scalar_one())
    for sort in ("-room_number", "sale_price", "-sale_price"):
        by_offset, by_keyset, page, cursor = [], [], 1, ""
        while True:
            a = list_records("rooms", principal, ListParams(search="1-0", sort=sort, page=page), url=demo_url)
            b = list_records("rooms", principal, ListParams(search="1-0", sort=sort, page=page, cursor=cursor),
                             url=demo_url)
            by_offset += [r["_id"] for r in a.rows]
            by_keyset += [r["_id"] for r in b.rows]
            if not b.has_next:
                break
            page, cursor = page + 1, b.next_cursor
        assert by_offset == by_keyset and len(by_keyset) == len(set(by_keyset)) > 20, sort


def test_developer_scope_still_applies(demo_url):
    # 麓山 (dev2) has one building of 72 rooms; its "0101" rooms are only its own.
    assert sorted(_numbers(demo_url, "0101", "dev2_admin")) == ["1-0101", "2-0101"]


def test_side_table_follows_inserts_renames_and_deletes(demo_url):
    engine = get_engine(demo_url)
    with engine.begin() as conn:
        room = conn.execute(select(Room).where(Room.room_number == "1-0101")).first()
        conn.execute(update(Room.__table__).where(Room.id == room.id).values(room_number="b9-77"))
        suffixes = {r[0] for r in conn.execute(
            select(RoomNumberSuffix.suffix).where(RoomNumberSuffix.room_id == room.id))}
        assert suffixes == {"B9-77", "9-77", "-77", "77", "7"}
        conn.execute(delete(Room.__table__).where(Room.id == room.id))
        assert conn.execute(select(RoomNumberSuffix.suffix).where(RoomNumberSuffix.room_id == room.id)).all() == []
        total = conn.execute(text("SELECT count(*) FROM room_number_suffix")).scalar_one()
        expected = conn.execute(text("SELECT coalesce(sum(length(room_number)), 0) FROM room")).scalar_one()
        assert total == expected  # one row per suffix of every room, nothing left over
    assert "b9-77" not in _numbers(demo_url, "9-7")


def test_migration_fills_the_side_table_for_rooms_that_already_exist(tmp_path):
    path = tmp_path / "old.db"
    migrate(f"sqlite:///{path}", "0006_permits")
    # Rooms written before revision 0007_accounts (a plain connection: foreign keys are off by default).
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO room (id, building_id, project_id, developer_org_id, room_number, actual_floor, gross_area, "
            "inner_area, shared_area, has_elevator, trade_status, version, created_at, updated_at) "
            "VALUES (?, 1, 1, 1, ?, 1, 1, 1, 0, 1, 'saleable', 1, '2026-01-01', '2026-01-01')",
            [(1, "1-0101"), (2, "a-201")])
    migrate(f"sqlite:///{path}")
    with get_engine(f"sqlite:///{path}").connect() as conn:
        got = conn.execute(select(Room.id).where(fragment_match(Room.__table__.c.room_number, "A-2"))).all()
        assert [r[0] for r in got] == [2]
        assert conn.execute(text("SELECT count(*) FROM room_number_suffix")).scalar_one() == 11


def test_both_databases_run_the_suffix_range_and_a_scoped_search_scans_its_scope():
    column = Room.__table__.c.room_number
    for dialect in (postgresql.dialect(), sqlite.dialect()):
        city = str(select(Room.id).where(fragment_match(column, "0101")).compile(dialect=dialect))
        assert "room_number_suffix.suffix >=" in city and "= 1" not in city and "LIKE" not in city
        own = str(select(Room.id).where(fragment_match(column, "0101", scoped=True)).compile(dialect=dialect))
        assert "room_number_suffix" not in own and "LIKE" in own


def test_only_columns_with_a_fragment_index_may_use_it():
    with pytest.raises(AdminConfigError, match="no fragment index"):
        class BadRoomAdmin(ModelAdmin, model=Room):  # noqa: F841
            slug = "t-bad-rooms"
            title = "户室"
            search_fields = ("~layout",)
