"""户室信息补录 (SUPP-01) in the browser: the generic 业务受理 page, dispatch refused while a
sub-task is missing, Chinese errors at the field, the room batch with its preview, data
read-only after dispatch and editable again after a 不通过, the regulator's archive (found
through the inbox's stage filter), the timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"


def _pick(page, option: str) -> None:
    page.locator("#field-structure").click()
    page.get_by_role("option", name=option).click()


def test_room_backfill_round_trip(new_page):
    dev = new_page()
    login(dev, "dev_operator")
    # The sidebar's 业务受理 entries come from the flows this role may accept.
    expect(dev.locator("#sidebar")).to_contain_text("补充功能")
    dev.goto("/accept?group=补充功能")
    dev.locator("#start-room-backfill").click()
    expect(dev.locator("#start-title")).to_have_text("户室信息补录")
    expect(dev.locator("#pick-D001")).to_be_visible()  # the first matches show before anything is typed
    dev.locator("#subject-search").fill("东方")  # searched as you type (坐落 or 栋号)
    expect(dev.locator("#pick-D001")).to_have_count(0)
    dev.locator("#pick-1栋").click()
    expect(dev.locator("#accept-ok")).to_be_visible()
    screenshot(dev, "accept-room-backfill")
    dev.locator("#accept-picked").click()
    dev.wait_for_url("**/case/B*")
    number = dev.locator("#case-number").inner_text()
    assert re.fullmatch(r"B\d{8}\d{7}", number)
    expect(dev.locator("#case-stage")).to_have_text("信息补录")

    # Dispatch is refused while a sub-task is missing, naming what is missing.
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#error-subtasks")).to_have_text("请先完成待办任务：项目信息补录、栋信息补录、户室信息补录")

    # 项目信息补录: a bad value is refused at the field, in Chinese; nothing is saved.
    dev.locator("#subtask-form-projects").click()
    expect(dev.locator("#screen-title")).to_have_text("项目信息补录")
    dev.locator("#field-land_area").fill("一万二")
    dev.locator("#field-district").fill("雨花区")
    dev.locator("#subtask-save").click()
    expect(dev.locator("#error-land_area")).to_have_text("用地面积应为数字，最多四位小数")
    expect(dev.locator("#error-planned_gross_area")).to_have_text("请填写规划总建筑面积")
    dev.locator("#field-land_area").fill("12000.5")
    dev.locator("#field-planned_gross_area").fill("36000")
    dev.locator("#field-start_date").fill("2008-03-01")
    dev.locator("#field-planned_completion_date").fill("2010-06-30")
    dev.locator("#subtask-save").click()
    expect(dev.locator("#subtask-form-projects").locator("xpath=..")).to_contain_text("已保存")

    # 栋信息补录
    dev.locator("#subtask-form-buildings").click()
    expect(dev.locator("#screen-title")).to_have_text("栋信息补录")
    dev.locator("#field-address").fill("长沙市雨花区韶山中路419号1栋")
    dev.locator("#field-gross_area").fill("2324.52")
    dev.locator("#field-height").fill("18.6")
    _pick(dev, "混合结构")
    dev.locator("#subtask-save").click()
    expect(dev.locator("#subtask-form-buildings").locator("xpath=..")).to_contain_text("已保存")

    # 户室信息补录: select all, preview how many change, confirm; then a pattern for one layout.
    dev.locator("#subtask-rooms").click()
    expect(dev.locator("#rooms-missing")).to_contain_text("24")
    dev.locator("#select-all").click()
    expect(dev.locator("#batch-note")).to_have_text("已选择24户")
    dev.locator("#batch-structure").select_option(label="混合结构")
    dev.locator("#batch-room_type").select_option(label="住宅")
    dev.locator("#batch-usage").select_option(label="住宅")
    dev.locator("#batch-nature").select_option(label="市场化商品房")
    dev.locator("#batch-layout").fill("两室一厅")
    dev.locator("#batch-decoration").fill("简装")
    dev.locator("#batch-apply").click()
    expect(dev.locator("#batch-preview")).to_have_text("已选择24户，将修改24户，确认设置吗？")
    dev.locator("#batch-confirm").click()
    expect(dev.locator("#rooms-complete")).to_be_visible()
    dev.locator("#select-digits").fill("02")
    dev.locator("#select-length").fill("2")
    dev.locator("#select-pattern").click()
    expect(dev.locator("#batch-note")).to_have_text("已选择12户")
    dev.locator("#batch-layout").fill("三室两厅")
    dev.locator("#batch-apply").click()
    expect(dev.locator("#batch-preview")).to_contain_text("将修改12户")
    dev.locator("#batch-confirm").click()
    expect(dev.locator("#rooms-table")).to_contain_text("三室两厅")
    screenshot(dev, "room-batch")

    dev.locator("#dispatch-opinion").fill("补录完成，请审批")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审批")
    # Read-only after dispatch.
    dev.locator("#subtask-form-buildings").click()
    expect(dev.locator("#screen-readonly")).to_be_visible()
    expect(dev.locator("#subtask-save")).to_have_count(0)
    expect(dev.locator("#field-address")).to_be_disabled()

    # The regulator finds it by the stage name shown, and sends it back with a reason.
    reg = new_page()
    login(reg, "regulator")
    reg.goto("/inbox")
    reg.locator("#filter-stage").select_option(label="主管部门审批")
    reg.locator("#inbox-search").click()
    expect(reg.locator(f"#inbox-{number}")).to_be_visible()
    expect(reg.locator("#inbox-table")).not_to_contain_text("入网审核")
    reg.locator(f"#claim-{number}").click()
    reg.wait_for_url(f"**/case/{number}")
    reg.locator("#decision-reject").click()
    reg.locator("#act-archive").click()
    expect(reg.locator("#error-archive_opinion")).to_have_text("审核结论为“不通过”时，请填写原因")
    reg.locator("#archive-opinion").fill("层高与测绘报告不符，请核实")
    reg.locator("#act-archive").click()
    expect(reg.locator("#case-stage")).to_have_text("信息补录")

    # Editable again for the developer after the return.
    dev.goto(f"/case/{number}")
    dev.locator("#subtask-form-buildings").click()
    expect(dev.locator("#subtask-save")).to_be_visible()
    dev.locator("#field-height").fill("18.9")
    dev.locator("#subtask-save").click()
    expect(dev.locator("#subtask-form-buildings").locator("xpath=..")).to_contain_text("已保存")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审批")

    reg.goto("/inbox")
    reg.locator(f"#claim-{number}").click()
    reg.wait_for_url(f"**/case/{number}")
    reg.locator("#decision-approve").click()
    reg.locator("#archive-opinion").fill("同意补录")
    reg.locator("#act-archive").click()
    expect(reg.locator("#case-status")).to_have_text("已办结")
    lines = reg.locator("#timeline").inner_text()
    for pattern in (
        r"开始 赵经办发起业务",
        rf"赵经办办理 {TIME}（项目信息补录：已保存）",
        rf"赵经办办理 {TIME}（户室信息补录：已设置24户，户室信息已完整）",
        rf"赵经办派工 {TIME}",
        rf"张审核审核不通过 {TIME}（退回至“信息补录”，原因：层高与测绘报告不符，请核实）",
        rf"张审核归档 {TIME}（审核结论：通过，意见：同意补录）",
    ):
        assert re.search(pattern, lines), f"{pattern!r} not in timeline:\n{lines}"
    screenshot(reg, "case-backfill-archived")

    # Another developer cannot open it.
    other = new_page()
    login(other, "dev2_admin")
    other.goto(f"/case/{number}")
    other.wait_for_url("**/denied")
