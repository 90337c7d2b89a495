"""Room search by any part of the number on PostgreSQL: the statement triggers (transition
tables) keep the suffix table in step with inserts, renames, other updates and deletes, and
the list finds exactly the rooms whose number contains the term."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from netsign_console.admin.query import ListParams, list_records
from netsign_console.auth.principal import Principal
from models.enums import OrgType, Role

pytestmark = pytest.mark.integration

NUMBERS = ["1-0101", "1-0102", "2-0101", "3-0501", "a-101", "B-0110"]


def _suffixes(conn, room_id: int) -> set[str]:
    return {r[0] for r in conn.execute(text("SELECT suffix FROM room_number_suffix WHERE room_id = :id"),
                                       {"id": room_id})}


@pytest.fixture
def rooms(pg_url):
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        org = conn.execute(text(
            "INSERT INTO organization (org_type, name, status, is_valid, created_at, updated_at) "
            "VALUES ('developer', '搜索测试开发企业', 'normal', true, now(), now()) RETURNING id")).scalar_one()
        project = conn.execute(text(
            "INSERT INTO project (developer_org_id, name, location, status, created_at, updated_at) "
            "VALUES (:org, '搜索测试项目', '长沙', 'planning', now(), now()) RETURNING id"), {"org": org}).scalar_one()
        building = conn.execute(text(
            "INSERT INTO building (project_id, developer_org_id, building_number, total_units, floors_above, "
            "floors_below, unit_count, created_at, updated_at) VALUES (:p, :org, '1栋', 0, 5, 0, 2, now(), now()) "
            "RETURNING id"), {"p": project, "org": org}).scalar_one()
        # One multi-row statement: the insert trigger sees all of them in its transition table.
        values = ", ".join(f"(:b, :p, :org, '{n}', 1, 100, 80, 20, true, 'saleable', 1, now(), now())"
                           for n in NUMBERS)
        ids = [r[0] for r in conn.execute(text(
            "INSERT INTO room (building_id, project_id, developer_org_id, room_number, actual_floor, gross_area, "
            "inner_area, shared_area, has_elevator, trade_status, version, created_at, updated_at) "
            f"VALUES {values} RETURNING id"), {"b": building, "p": project, "org": org})]
    try:
        yield engine, org, dict(zip(NUMBERS, ids))
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM room WHERE building_id = :b"), {"b": building})
            conn.execute(text("DELETE FROM building WHERE id = :b"), {"b": building})
            conn.execute(text("DELETE FROM project WHERE id = :p"), {"p": project})
            conn.execute(text("DELETE FROM organization WHERE id = :o"), {"o": org})
            left = conn.execute(text("SELECT count(*) FROM room_number_suffix WHERE room_id = ANY(:ids)"),
                                {"ids": ids}).scalar_one()
        engine.dispose()
        assert left == 0  # the delete trigger took their suffixes along


def test_triggers_keep_the_suffixes_in_step(rooms):
    engine, _org, ids = rooms
    with engine.begin() as conn:
        assert _suffixes(conn, ids["a-101"]) == {"A-101", "-101", "101", "01", "1"}
        conn.execute(text("UPDATE room SET trade_status = 'signed' WHERE id = :id"), {"id": ids["a-101"]})
        assert _suffixes(conn, ids["a-101"]) == {"A-101", "-101", "101", "01", "1"}  # not a rename
        conn.execute(text("UPDATE room SET room_number = 'c-77' WHERE id = :id"), {"id": ids["a-101"]})
        assert _suffixes(conn, ids["a-101"]) == {"C-77", "-77", "77", "7"}
        conn.execute(text("UPDATE room SET room_number = 'a-101' WHERE id = :id"), {"id": ids["a-101"]})


def test_the_list_finds_any_part_of_the_number(rooms, pg_url):
    _engine, org, _ids = rooms
    regulator = Principal(1, "r", "审核", Role.REGULATOR, None, OrgType.REGULATOR, "主管部门")
    developer = Principal(2, "d", "开发", Role.DEVELOPER_ADMIN, org, OrgType.DEVELOPER, "搜索测试开发企业")
    import netsign_console.admin.admins  # noqa: F401  registers "rooms"

    for principal in (regulator, developer):
        for term, expected in (("0101", ["1-0101", "2-0101"]), ("A-1", ["a-101"]), ("-01", ["1-0101", "1-0102",
                               "2-0101", "B-0110"]), ("110", ["B-0110"])):
            result = list_records("rooms", principal, ListParams(search=term), url=pg_url)
            found = [r["room_number"] for r in result.rows if r["room_number"] in NUMBERS]
            assert found == expected, (principal.role, term, found)
