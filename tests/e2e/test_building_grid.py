"""楼盘表 in the browser: from the building list's link to the grid of a demo building, the
legend adding up to the cells drawn (per status and per marker), the room card of a clicked
cell with its restriction and its links, and another developer sent to /denied by the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

STATUSES = ("not_for_sale", "saleable", "signing", "signed", "filed", "registered")


def _count(page, code: str) -> int:
    return int(page.locator(f"#legend-count-{code}").inner_text())


def test_building_grid_from_the_list_to_the_room_card(new_page):
    dev = new_page()
    login(dev, "dev_admin")
    dev.goto("/admin/buildings")
    row = dev.locator(".admin-row", has_text="D001")
    row.locator("a.row-extra-link", has_text="楼盘表").click()
    dev.wait_for_url(re.compile(r".*/buildings/\d+/grid$"))
    grid_url = dev.url
    expect(dev.locator("#grid-title")).to_have_text("D001(CL20260406001)")
    cells = dev.locator("#grid-table td[data-room]")
    expect(cells).to_have_count(72)
    expect(dev.locator("#grid-header")).to_contain_text("星城·湘江府")

    # The legend adds up to the cells drawn, status by status and marker by marker.
    assert int(dev.locator("#grid-room-count").inner_text()) == 72
    counts = {code: _count(dev, code) for code in STATUSES}
    assert sum(counts.values()) == 72
    for code, n in counts.items():
        assert dev.locator(f'#grid-table td[data-status="{code}"]').count() == n, code
    assert all(n > 0 for n in counts.values()), counts  # the demo data shows every status
    for code in ("seizure", "mortgage", "construction_mortgage", "property_mgmt", "release_pending"):
        assert dev.locator(f"#grid-table .mk-{code}").count() == _count(dev, code) > 0, code
    # Floors top-down: the first row is the 18th floor, 1-1801 above 1-1701.
    expect(dev.locator("#grid-table tbody tr").first.locator("th")).to_have_text("18层")
    first = dev.locator('[data-room="1-1801"]').bounding_box()
    below = dev.locator('[data-room="1-1701"]').bounding_box()
    assert first["y"] < below["y"] and abs(first["x"] - below["x"]) < 1
    tip = dev.locator('[data-room="1-0801"]').get_attribute("title")
    assert "室号 1-0801" in tip and "限制 查封" in tip and "总价 " in tip
    screenshot(dev, "building-grid")

    # A cell opens the room card: figures, the seizure with its document, links.
    dev.locator('[data-room="1-0801"]').click()
    card = dev.locator("#room-card")
    expect(card).to_be_visible()
    expect(dev.locator("#card-title")).to_have_text("D001(CL20260406001) 1-0801")
    expect(dev.locator("#card-status")).to_have_text("可售")
    expect(card).to_contain_text("查封")
    expect(card).to_contain_text("（2026）湘0103执保1234号")
    expect(card).to_contain_text("长沙市天心区人民法院")
    expect(dev.locator("#card-cases")).to_contain_text("暂无业务")
    expect(dev.locator('[data-room="1-0801"]')).to_have_class(re.compile(r"\bsel\b"))
    screenshot(dev, "building-grid-room-card")
    # Another cell replaces the card; the record link opens the room's own page.
    dev.locator('[data-room="2-0102"]').click()
    expect(dev.locator("#card-title")).to_have_text("D001(CL20260406001) 2-0102")
    expect(card).to_contain_text("待预售许可变更后方可销售")
    href = dev.locator("#card-record-link").get_attribute("href")
    assert re.fullmatch(r"/admin/rooms/\d+", href)
    dev.locator("#card-record-link").click()
    dev.wait_for_url(f"**{href}")
    expect(dev.locator("#field-room_number")).to_have_value("2-0102")

    # The other developer may not open it, not even by typing the URL.
    other = new_page()
    login(other, "dev2_admin")
    other.goto(grid_url)
    other.wait_for_url("**/denied")
    # ... but sees its own building's grid.
    other.goto("/admin/buildings")
    other.locator(".admin-row", has_text="A01").locator("a.row-extra-link").click()
    expect(other.locator("#grid-title")).to_have_text("A01(CL20260512001)")
    expect(other.locator("#grid-table td[data-room]")).to_have_count(72)
