"""退房 in the browser (issue 11, RET-01 to RET-03): a filed contract prepared through the contract
services in the app's database → the developer finds it by its contract number → 受理 → the
applicant picked from the buyers, the reason → the regulator uploads the proof and archives →
the grid shows the room 可售 again, the contract's verify page says 已退房, the buyer sees it in
我的合同 as 已退房, 合同查询 finds it by the buyer's ID; another developer's search finds nothing."""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models.building import Building
from models.document import Document
from netsign_console import settings as config
from netsign_console.db import dispose_engines, session_scope
from netsign_console.demo.filed_contract import DEMO_BUYER, file_contract, room_id_of
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

ROOM = ("D001", "1-1602")
REASON = "购房人工作调动，经双方协商一致解除合同"


def _prepare(work) -> tuple[str, str, int]:
    """(contract number, verification code, building id) of a contract filed for the demo buyer."""
    saved = config.settings
    config.settings = dataclasses.replace(saved, private_dir=work / "private", keys_dir=work / "keys")
    try:
        with session_scope(f"sqlite:///{work / 'e2e.db'}") as s:
            c = file_contract(s, room_id_of(s, *ROOM), [DEMO_BUYER])
            code = s.get(Document, c.document_id).verification_code
            building = s.exec(select(Building.id).where(Building.building_number == ROOM[0])).one()
            result = c.contract_number, code, building
        dispose_engines()
        return result
    finally:
        config.settings = saved


def _done(page, code: str, text: str) -> None:
    expect(page.locator(f"#subtask-{code}").locator("xpath=..")).to_contain_text(text)


def _search(page, term: str):
    page.goto("/accept?group=商品房合同")
    page.locator("#start-contract-unwind").click()
    page.locator("#subject-search").fill(term)


def test_unwind_from_search_to_the_buyers_view(new_page, e2e_work, app_url, tmp_path):
    number, code, building_id = _prepare(e2e_work)

    # Another developer finds nothing, by number or by building + room.
    other = new_page()
    login(other, "dev2_admin")
    _search(other, number)
    expect(other.locator("#subject-table")).not_to_contain_text(number, timeout=5_000)
    expect(other.locator(f"#pick-{number}")).to_have_count(0)
    _search(other, f"{ROOM[0]} {ROOM[1]}")
    expect(other.locator(f"#pick-{number}")).to_have_count(0)
    screenshot(other, "unwind-other-developer-finds-nothing")

    dev = new_page()
    login(dev, "dev_operator")
    _search(dev, number)
    expect(dev.locator(f"#pick-{number}")).to_have_count(1)
    dev.locator(f"#pick-{number}").click()
    expect(dev.locator("#accept-ok")).to_be_visible(timeout=15_000)
    expect(dev.locator("body")).to_contain_text("钱**")
    screenshot(dev, "unwind-accept")
    dev.locator("#accept-picked").click()
    dev.wait_for_url("**/case/T*")
    case = dev.url.rstrip("/").rsplit("/", 1)[-1]
    expect(dev.locator("#case-stage")).to_have_text("退房申请")

    dev.locator("#subtask-records-applicant_party_id").click()
    dev.locator("#subtask-screen").get_by_role("combobox").first.click()
    dev.get_by_role("option", name=re.compile("钱购房")).click()
    screenshot(dev, "unwind-applicant")
    dev.locator("#records-save").click()
    _done(dev, "records-applicant_party_id", "已选择")
    dev.locator("#subtask-form-contract-unwinds").click()
    dev.locator("#field-reason").fill(REASON)
    screenshot(dev, "unwind-reason")
    dev.locator("#subtask-save").click()
    _done(dev, "form-contract-unwinds", "已保存")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审核")

    # The regulator takes it, uploads the proof and archives.
    reg = new_page()
    login(reg, "regulator")
    reg.goto(f"/case/{case}")
    expect(reg.locator("#case-number")).to_have_text(case)
    reg.locator("#act-claim").click()
    reg.locator("#subtask-upload").click()
    expect(reg.locator("#screen-title")).to_have_text("凭证上传")
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    reg.locator("#subtask-upload-files input[type=file]").set_input_files(str(proof))
    reg.locator("#subtask-upload-send").click()
    _done(reg, "upload", "已上传")
    screenshot(reg, "unwind-regulator-proof")
    reg.locator("#decision-approve").click()
    reg.locator("#archive-opinion").fill("退房凭证齐全，同意退房")
    reg.locator("#act-archive").click()
    expect(reg.locator("#case-status")).to_have_text("已办结")

    # The room is 可售 on the grid again.
    reg.goto(f"/buildings/{building_id}/grid")
    cell = reg.locator(f'#grid-table td[data-room="{ROOM[1]}"]')
    expect(cell).to_have_attribute("data-status", "saleable")
    screenshot(reg, "unwind-grid-saleable")

    # The contract's verify page: 已退房.
    public = new_page()
    public.goto(f"/verify/{code}")
    expect(public.locator("#verify-status")).to_have_text("已退房（合同已解除）")
    expect(public.locator("#verify-table")).to_contain_text(number)
    expect(public.locator("#verify-table")).to_contain_text("退房时间")
    screenshot(public, "unwind-verify")

    # 合同查询 by the buyer's whole ID number, shown masked.
    reg.goto("/admin/contract-search")
    reg.locator("#admin-search").fill(DEMO_BUYER.id_number)
    reg.locator("#admin-search").press("Enter")
    table = reg.locator("#admin-table")
    expect(table).to_contain_text(number)
    expect(table).to_contain_text("4301**********1230")
    expect(table).not_to_contain_text(DEMO_BUYER.id_number)
    screenshot(reg, "contract-search")

    # The buyer follows it in 我的合同.
    buyer = new_page()
    login(buyer, "buyer")
    expect(buyer.locator("#sidebar")).to_contain_text("我的合同")
    buyer.goto("/admin/my-contracts")
    row = buyer.locator("#admin-table tr", has_text=number)
    expect(row).to_contain_text("已退房")
    expect(row).to_contain_text(f"{case}（已办结）")
    screenshot(buyer, "my-contracts")
