"""What issue 11's flow will stand on, in the real console: the developer admin's 印章管理 (its own
seals only, an upload refused on its content, a new seal with its 印章授权人), the regulator's
短信发件箱 with a code sent to a buyer (phone masked), and the contract lists (buyers masked)."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models.building import Building, Room
from netsign_console import settings as config
from netsign_console.contracts.entry import assign_number, open_contract, save_parties
from netsign_console.contracts.seals import draw_company_seal
from netsign_console.db import dispose_engines, session_scope
from netsign_console.domain.contract import Party
from netsign_console.sms import send_code
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e


def _prepare(work) -> str:
    """A draft contract with two buyers and a signing code sent to the first (what the flow's
    entry and 签约环节 will do), written into the app's database."""
    saved = config.settings
    config.settings = dataclasses.replace(saved, private_dir=work / "private", keys_dir=work / "keys")
    try:
        url = f"sqlite:///{work / 'e2e.db'}"
        with session_scope(url) as s:
            room_id = s.exec(select(Room.id).join(Building, Building.id == Room.building_id)
                             .where(Building.building_number == "D001", Room.room_number == "1-1301")).one()
            contract = open_contract(s, room_id, case_number=f"F{datetime.now():%Y%m%d}9990001")
            save_parties(s, contract, [
                Party(name="张三", id_type="resident_id", id_number="11010519491231002X", phone="13800138000",
                      address="长沙市天心区湘府中路1号", share="50"),
                Party(name="李四", id_type="resident_id", id_number="430102198001011233", phone="13907310001",
                      role="co_owner", share="50")])
            assign_number(s, contract)
            send_code(s, purpose="contract_signing", subject_type="contract", subject_id=contract.id,
                      phone="13800138000", about=f"合同{contract.contract_number}的签署",
                      case_number=contract.case_number)
            number = contract.contract_number
        dispose_engines()
        return number
    finally:
        config.settings = saved


def _upload(page: Page, path) -> None:
    page.locator("#upload-image_file input[type=file]").set_input_files(str(path))
    page.locator("#upload-button-image_file").click()


def test_seals_outbox_and_contract_lists(new_page, e2e_work, tmp_path):
    number = _prepare(e2e_work)

    # 印章管理: the demo's two seals of the developer admin's own organisation.
    admin = new_page()
    login(admin, "dev_admin")
    admin.goto("/admin/seals")
    table = admin.locator("#admin-table")
    expect(table).to_contain_text("湖南星城置业有限公司合同专用章")
    expect(table).to_contain_text("王建国（法定代表人）")
    expect(table).not_to_contain_text("长沙麓山")
    expect(table).to_contain_text("139****0005")  # the 印章授权人's phone, masked
    screenshot(admin, "seal-admin")

    # A new seal: a file named .png that is not one is refused on its content; a real one is kept.
    admin.goto("/admin/seals/new")
    fake = tmp_path / "seal.png"
    fake.write_bytes(b"%PDF-1.4 not an image")
    _upload(admin, fake)
    expect(admin.locator("#error-image_file")).to_contain_text("文件内容不是PNG格式")
    admin.goto("/admin/seals/new")  # the picker keeps one file: start the form afresh
    admin.locator("#field-kind").click()
    admin.get_by_role("option", name="公司章").click()
    admin.locator("#field-name").fill("湖南星城置业有限公司公章")
    real = tmp_path / "公章.png"
    real.write_bytes(draw_company_seal("湖南星城置业有限公司", footer="公章"))
    _upload(admin, real)
    expect(admin.get_by_text("待保存：")).to_be_visible()
    admin.locator("#field-authorised_user_id").fill("赵")
    admin.locator("#options-authorised_user_id .fk-option").first.click()
    screenshot(admin, "seal-form")
    admin.locator("#form-save").click()
    admin.wait_for_url(re.compile(r".*/admin/seals/\d+$"))
    admin.goto("/admin/seals")
    expect(admin.locator("#admin-table")).to_contain_text("湖南星城置业有限公司公章")

    # Another developer sees none of them; an operator has no 印章管理.
    other = new_page()
    login(other, "dev2_admin")
    other.goto("/admin/seals")
    expect(other.locator("#admin-table")).to_contain_text("长沙麓山房地产开发有限公司合同专用章")
    expect(other.locator("#admin-table")).not_to_contain_text("星城")

    # 短信发件箱: the regulator reads the code that went to the buyer; the phone is masked.
    reg = new_page()
    login(reg, "regulator")
    reg.goto("/admin/sms-outbox")
    outbox = reg.locator("#admin-table")
    expect(outbox).to_contain_text("138****8000")
    expect(outbox).to_contain_text(f"合同{number}的签署")
    expect(outbox).not_to_contain_text("13800138000")
    expect(outbox).to_contain_text("本地发件箱")
    assert re.search(r"验证码为\d{6}", outbox.inner_text())
    screenshot(reg, "sms-outbox")
    admin.goto("/admin/sms-outbox")
    expect(admin).to_have_url(re.compile(r".*/denied"))

    # The contract lists: the developer's operator finds its draft; buyers' IDs and phones masked.
    op = new_page()
    login(op, "dev_operator")
    op.goto("/admin/contracts")
    expect(op.locator("#admin-table")).to_contain_text(number)
    expect(op.locator("#admin-table")).to_contain_text("草拟")
    op.goto("/admin/contract-parties")
    parties = op.locator("#admin-table")
    expect(parties).to_contain_text("1101**********002X")
    expect(parties).not_to_contain_text("11010519491231002X")
    screenshot(op, "contract-parties")
