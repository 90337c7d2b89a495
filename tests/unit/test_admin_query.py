"""The generated list from one admin class: pages, sort, search, filters, counts, formatting, scope."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from urllib.parse import parse_qsl

import pytest
from sqlmodel import Session

from netsign_console.admin import query
from netsign_console.admin.query import ListParams, list_records
from netsign_console.errors import PermissionDenied
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import (  # noqa: F401  admin_db is a fixture
    DEV_A, DEV_B, OPERATOR_A, ORG_A, ORG_B, REGULATOR, Gadget, Widget, WidgetAdmin, add_widgets, admin_db,
)
from models.enums import OrgType, Role
from netsign_console.auth.principal import Principal


class WidgetEstimateAdmin(WidgetAdmin):
    slug = "t-widgets-estimate"
    count_mode = "estimate"


class WidgetNoCountAdmin(WidgetAdmin):
    slug = "t-widgets-nocount"
    count_mode = "none"


def names(result) -> list[str]:
    return [r["name"] for r in result.rows]


def test_pages_with_offset_and_keyset_agree(admin_db):
    add_widgets(admin_db, 12)
    first = list_records("t-widgets", DEV_A, ListParams(), url=admin_db)
    assert first.total == 12 and first.total_label == "共 12 条" and first.has_next and len(first.rows) == 5
    assert names(first) == [f"部件{i:03d}" for i in range(5)]
    by_offset = list_records("t-widgets", DEV_A, ListParams(page=2), url=admin_db)
    by_keyset = list_records("t-widgets", DEV_A, ListParams(page=2, cursor=first.next_cursor), url=admin_db)
    assert names(by_offset) == names(by_keyset) == [f"部件{i:03d}" for i in range(5, 10)]
    last = list_records("t-widgets", DEV_A, ListParams(page=3, cursor=by_keyset.next_cursor), url=admin_db)
    assert names(last) == ["部件010", "部件011"] and not last.has_next and last.next_cursor == ""
    # A cursor made for another sort is ignored (falls back to the offset).
    other = list_records("t-widgets", DEV_A, ListParams(page=2, sort="-name", cursor=first.next_cursor), url=admin_db)
    assert names(other) == [f"部件{i:03d}" for i in range(6, 1, -1)]


def test_sort_is_whitelisted_and_ties_break_on_the_primary_key(admin_db):
    ids = add_widgets(admin_db, 7, name="同名")
    asc = list_records("t-widgets", DEV_A, ListParams(sort="name"), url=admin_db)
    assert [r["_id"] for r in asc.rows] == [str(i) for i in ids[:5]]
    page2 = list_records("t-widgets", DEV_A, ListParams(sort="name", page=2, cursor=asc.next_cursor), url=admin_db)
    assert [r["_id"] for r in page2.rows] == [str(i) for i in ids[5:]]
    desc = list_records("t-widgets", DEV_A, ListParams(sort="-name"), url=admin_db)
    assert [r["_id"] for r in desc.rows] == [str(i) for i in reversed(ids)][:5] and desc.sort == "-name"
    # Not whitelisted (phone) or not a column at all: the default sort is used.
    for bad in ("phone", "-id_number", "name; drop table t_widget", "__class__"):
        assert list_records("t-widgets", DEV_A, ListParams(sort=bad), url=admin_db).sort == "name"
    by_price = list_records("t-widgets", DEV_A, ListParams(sort="-price"), url=admin_db)
    assert by_price.rows[0]["price"] == "6,000.50"


def test_search_prefix_contains_and_wildcards_are_literal(admin_db):
    add_widgets(admin_db, 3)
    add_widgets(admin_db, 1, name="特价%部件")
    with Session(get_engine(admin_db)) as session:
        session.add(Widget(owner_org_id=ORG_A, name="其他", notes="含有关键字部件的备注"))
        session.commit()
    assert names(list_records("t-widgets", DEV_A, ListParams(search="部件00"), url=admin_db)) == ["部件000", "部件001", "部件002"]
    # "notes" is a contains-search, "^name" a prefix search.
    assert names(list_records("t-widgets", DEV_A, ListParams(search="关键字"), url=admin_db)) == ["其他"]
    assert names(list_records("t-widgets", DEV_A, ListParams(search="价%"), url=admin_db)) == []
    assert names(list_records("t-widgets", DEV_A, ListParams(search="特价%"), url=admin_db)) == ["特价%部件"]
    assert names(list_records("t-widgets", DEV_A, ListParams(search="%"), url=admin_db)) == []
    # Several words must all match.
    assert names(list_records("t-widgets", DEV_A, ListParams(search="部件 部件001"), url=admin_db)) == ["部件001"]


def test_filters_enum_bool_date_and_datetime_ranges(admin_db):
    add_widgets(admin_db, 6)
    with Session(get_engine(admin_db)) as session:
        w = session.get(Widget, 1)
        w.active = False
        # 2024-03-01 23:30 in Shanghai is 15:30 UTC: it belongs to the local day 2024-03-01.
        w.created_at = datetime(2024, 3, 1, 15, 30, tzinfo=timezone.utc)
        session.add(w)
        session.commit()
    assert names(list_records("t-widgets", DEV_A, ListParams(filters={"kind": "large"}), url=admin_db)) == \
        ["部件000", "部件002", "部件004"]
    assert list_records("t-widgets", DEV_A, ListParams(filters={"kind": "bogus"}), url=admin_db).total == 6
    assert names(list_records("t-widgets", DEV_A, ListParams(filters={"active": "0"}), url=admin_db)) == ["部件000"]
    assert list_records("t-widgets", DEV_A, ListParams(filters={"active": "1"}), url=admin_db).total == 5
    ranged = list_records("t-widgets", DEV_A, ListParams(filters={"made_on__from": "2024-01-02", "made_on__to": "2024-01-04"}),
                          url=admin_db)
    assert names(ranged) == ["部件001", "部件002", "部件003"]
    day = ListParams(filters={"created_at__from": "2024-03-01", "created_at__to": "2024-03-01"})
    assert names(list_records("t-widgets", DEV_A, day, url=admin_db)) == ["部件000"]
    next_day = ListParams(filters={"created_at__from": "2024-03-02", "created_at__to": "2024-03-02"})
    assert list_records("t-widgets", DEV_A, next_day, url=admin_db).total == 0
    # Unknown filter keys and malformed dates are ignored, never passed to SQL.
    junk = ListParams(filters={"made_on__from": "not a date", "secret": "x", "owner_org_id": str(ORG_B)})
    assert list_records("t-widgets", DEV_A, junk, url=admin_db).total == 6


def test_count_modes(admin_db, monkeypatch):
    add_widgets(admin_db, 12)
    monkeypatch.setattr(query, "ESTIMATE_CAP", 10)
    estimate = list_records("t-widgets-estimate", DEV_A, ListParams(), url=admin_db)
    assert estimate.total_label == "共 10+ 条" and estimate.has_next
    small = list_records("t-widgets-estimate", DEV_A, ListParams(search="部件00"), url=admin_db)
    assert small.total_label == "共 10 条"
    none = list_records("t-widgets-nocount", DEV_A, ListParams(), url=admin_db)
    assert none.total is None and none.total_label == "" and none.has_next and len(none.rows) == 5
    end = list_records("t-widgets-nocount", DEV_A, ListParams(page=3), url=admin_db)
    assert not end.has_next and len(end.rows) == 2


def test_formatting_and_masking(admin_db):
    with Session(get_engine(admin_db)) as session:
        session.add(Widget(owner_org_id=ORG_A, name="样品", kind="large", price=Decimal("1234567.8"),
                           area=Decimal("130.1"), active=False, made_on=date(2024, 2, 29), phone="13800138000",
                           id_number="430102198001011233", created_at=datetime(2024, 1, 1, 16, 5, tzinfo=timezone.utc)))
        session.commit()
    row = list_records("t-widgets", DEV_A, ListParams(), url=admin_db).rows[0]
    assert row == {
        "_id": "1", "name": "样品", "kind": "大型", "price": "1,234,567.80", "area": "130.1000", "active": "否",
        "made_on": "2024-02-29", "phone": "138****8000", "id_number": "4301**********1233",
        "created_at": "2024-01-02 00:05",  # Asia/Shanghai
    }
    assert all(isinstance(v, str) for v in row.values())


def test_foreign_keys_show_their_label_through_one_join(admin_db):
    ids = add_widgets(admin_db, 2)
    with Session(get_engine(admin_db)) as session:
        session.add(Gadget(widget_id=ids[1], name="配件甲"))
        session.commit()
    rows = list_records("t-gadgets", DEV_A, ListParams(), url=admin_db).rows
    assert rows == [{"_id": "1", "name": "配件甲", "widget_id": "部件001"}]


def test_row_scope_in_lists(admin_db):
    add_widgets(admin_db, 3, ORG_A)
    add_widgets(admin_db, 2, ORG_B)
    assert list_records("t-widgets", DEV_A, ListParams(), url=admin_db).total == 3
    assert list_records("t-widgets", OPERATOR_A, ListParams(), url=admin_db).total == 3
    assert list_records("t-widgets", DEV_B, ListParams(), url=admin_db).total == 2
    assert list_records("t-widgets", REGULATOR, ListParams(), url=admin_db).total == 5
    # Scope also goes through a foreign key (gadget -> widget.owner_org_id).
    with Session(get_engine(admin_db)) as session:
        session.add(Gadget(widget_id=1, name="甲的配件"))
        session.add(Gadget(widget_id=4, name="乙的配件"))
        session.commit()
    assert names(list_records("t-gadgets", DEV_B, ListParams(), url=admin_db)) == ["乙的配件"]
    assert len(list_records("t-gadgets", REGULATOR, ListParams(), url=admin_db).rows) == 2
    # A user of no organisation sees nothing; a role without the view permission is refused.
    orphan = Principal(6, "x", "无机构", Role.DEVELOPER_ADMIN, None, None, "")
    assert list_records("t-widgets", orphan, ListParams(), url=admin_db).total == 0
    bank = Principal(7, "b", "银行", Role.MORTGAGE_BANK, 20, OrgType.BANK, "建设银行")
    with pytest.raises(PermissionDenied, match="没有查看"):
        list_records("t-widgets", bank, ListParams(), url=admin_db)


def test_query_string_round_trip():
    params = ListParams("湘江 府", {"kind": "large", "made_on__from": "2024-01-01"}, "-price", 3, "abc")
    again = ListParams.from_query(dict(parse_qsl(params.to_query())))
    assert (again.search, again.filters, again.sort) == (params.search, params.filters, params.sort)
    assert ListParams.from_query({"page": "-5"}).page == 1 and ListParams.from_query({"page": "x"}).page == 1
