"""GridState's handlers on the demo data: every one passes the gate, reads through the scoped
service, and refuses a building or room the caller may not see (or a room not on the grid)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from sqlmodel import select

from models.building import Building, Room
from netsign_console import db
from netsign_console.auth import guard
from netsign_console.auth.service import login, resolve
from netsign_console.db import session_scope
from netsign_console.demo.accounts import DEMO_PASSWORD
from netsign_console.grid.payload import empty_card_vars, empty_grid_vars
from netsign_console.state.grid_state import GridState
from pages.building_grid import BuildingGridPageState


class FakeGridState:
    """The handlers' bodies run against plain attributes (no Reflex app needed)."""

    _apply = GridState._apply
    _show_grid = GridState._show_grid

    def __init__(self, token: str, building_id: str = "") -> None:
        self.token = token
        for name, value in {**empty_grid_vars(), **empty_card_vars()}.items():
            setattr(self, name, value)
        self.selected, self._grid_rooms = [], set()
        # The session travels as the HttpOnly cookie of the websocket handshake (auth/guard.py).
        self.router = SimpleNamespace(page=SimpleNamespace(params={"building_id": building_id}),
                                      headers=SimpleNamespace(cookie=f"netsign_token={token}"),
                                      url=SimpleNamespace(path=f"/buildings/{building_id}/grid", query=""))


def handler(cls, name):
    return cls.event_handlers[name].fn


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> SimpleNamespace:
    """One migrated demo database and one login per account for the module (handlers here only read)."""
    from netsign_console.demo.loader import load_demo_data
    from tests.conftest import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('grid-state') / 'demo.db'}"
    migrate(url)
    load_demo_data(url)
    tokens = {}
    for name in ("dev_admin", "dev2_admin", "regulator", "mortgage_bank"):
        with session_scope(url) as s:
            tokens[name] = login(s, name, DEMO_PASSWORD).token
    with session_scope(url) as s:
        ids = {b.building_number: b.id for b in s.exec(select(Building)).all()}
        rooms = {(r.building_id, r.room_number): r.id for r in s.exec(select(Room)).all()}
    return SimpleNamespace(url=url, tokens=tokens, buildings=ids, rooms=rooms)


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setattr(db, "settings", dataclasses.replace(db.settings, db_url=demo_db.url))

    def resolve_in_demo(token):
        with session_scope(demo_db.url) as s:
            return resolve(s, token)

    monkeypatch.setattr(guard, "resolve_token", resolve_in_demo)
    return demo_db


def test_load_grid_and_open_a_room(demo):
    state = FakeGridState(demo.tokens["dev_admin"])
    d001 = demo.buildings["D001"]
    assert handler(GridState, "load_grid")(state, d001) is None
    assert state.grid_title == "D001(CL20260406001)" and state.grid_room_count == 72
    assert sum(i.count for i in state.grid_legend if i.kind == "status") == 72
    assert len(state._grid_rooms) == 72
    room = demo.rooms[(d001, "1-0801")]
    handler(GridState, "open_room")(state, room)
    assert state.card_room_id == room and state.card_markers == ["seizure"]
    assert state.card_restrictions[0].kind_label == "查封"
    handler(GridState, "close_room")(state)
    assert state.card_room_id == 0


def test_another_developer_gets_nothing(demo):
    state = FakeGridState(demo.tokens["dev2_admin"])
    result = handler(GridState, "load_grid")(state, demo.buildings["D001"])
    assert "记录不存在或无权访问" in repr(result) and state.grid_room_count == 0 and state.grid_floors == []
    result = handler(GridState, "open_room")(state, demo.rooms[(demo.buildings["D001"], "1-0801")])
    assert "记录不存在或无权访问" in repr(result) and state.card_room_id == 0


def test_page_load_outside_the_scope_goes_to_denied(demo):
    page_load = handler(BuildingGridPageState, "load_page")
    denied = FakeGridState(demo.tokens["dev2_admin"], str(demo.buildings["D001"]))
    assert "/denied" in repr(page_load(denied)) and denied.grid_room_count == 0
    assert "/denied" in repr(page_load(FakeGridState(demo.tokens["dev_admin"], "not-a-number")))
    # A bank has no master-data permission at all.
    assert "/denied" in repr(page_load(FakeGridState(demo.tokens["mortgage_bank"], str(demo.buildings["D001"]))))
    ok = FakeGridState(demo.tokens["regulator"], str(demo.buildings["A01"]))
    assert page_load(ok) is None and ok.grid_title == "A01(CL20260512001)"


def test_toggle_only_rooms_on_the_grid(demo):
    state = FakeGridState(demo.tokens["dev_admin"])
    d001 = demo.buildings["D001"]
    handler(GridState, "load_grid")(state, d001)
    toggle = handler(GridState, "toggle_room")
    a, b = demo.rooms[(d001, "1-0301")], demo.rooms[(d001, "2-0301")]
    toggle(state, a)
    toggle(state, str(b))  # the browser may send strings
    assert state.selected == [a, b]
    toggle(state, a)
    assert state.selected == [b]
    elsewhere = demo.rooms[(demo.buildings["D002"], "1-0301")]
    assert "记录不存在或无权访问" in repr(toggle(state, elsewhere)) and state.selected == [b]
    assert "记录不存在或无权访问" in repr(toggle(state, "x")) and state.selected == [b]
    handler(GridState, "clear_selection")(state)
    assert state.selected == []


def test_demo_grid_shows_every_status_and_marker_and_reloading_changes_nothing(demo):
    from netsign_console.demo.loader import load_demo_data
    from netsign_console.grid import building_grid
    from tests.unit.admin_fixtures import demo_principal

    with session_scope(demo.url) as s:
        view = building_grid(s, demo_principal(demo.url, "regulator"), demo.buildings["D001"])
    assert all(e.count > 0 for e in view.legend.statuses), view.legend.statuses
    assert all(e.count > 0 for e in view.legend.markers), view.legend.markers
    assert load_demo_data(demo.url)["楼盘表演示状态"] == 0


def test_both_component_modes_compile_against_the_state_contract():
    from netsign_console.components.building_grid import building_grid
    from netsign_console.components.room_card import room_card_panel

    plain = str(building_grid(BuildingGridPageState))
    picking = str(building_grid(BuildingGridPageState, selectable=True))
    assert "open_room" in plain and "toggle_room" not in plain
    assert "toggle_room" in picking and "open_room" not in picking and "selected" in picking
    assert "close_room" in str(room_card_panel(BuildingGridPageState))
