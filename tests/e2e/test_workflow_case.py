"""Issue 4 in the browser: accept → dispatch → claim → return with a reason → back in the
operator's inbox → fix and dispatch again → archive; done lists and timeline; outsiders
locked out of the case by UI, URL and handler."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"


def test_case_goes_round_the_engine_and_leaves_a_timeline(new_page):
    dev = new_page()
    login(dev, "dev_admin")
    # 业务受理: the operator side accepts the case for 钱经办 and dispatches it.
    dev.goto("/accept/network-access")
    dev.locator("#accept-dev_clerk1").click()
    dev.wait_for_url("**/case/N*")
    number = dev.locator("#case-number").inner_text()
    assert re.fullmatch(r"N\d{8}\d{7}", number)
    expect(dev.locator("#case-stage")).to_have_text("入网申请")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("入网审核")
    expect(dev.locator("#act-dispatch")).to_have_count(0)

    # The regulator claims it from the queue and returns it; a return needs a reason.
    reg = new_page()
    login(reg, "regulator")
    reg.goto("/inbox")
    reg.locator(f"#claim-{number}").click()
    reg.wait_for_url(f"**/case/{number}")
    reg.locator("#act-return").click()
    expect(reg.locator("#error-reason")).to_have_text("请填写退件原因")
    reg.locator("#return-reason").fill("身份证号与姓名不一致，请核实后重新派工")
    reg.locator("#act-return").click()
    expect(reg.locator("#case-stage")).to_have_text("入网申请")

    # Back in the operator's inbox, with the reason.
    dev.goto("/inbox")
    row = dev.locator(f"#inbox-{number}")
    expect(row).to_contain_text("退件")
    expect(row).to_contain_text("身份证号与姓名不一致")
    screenshot(dev, "inbox-returned")
    # Fix the data (企业用户管理), then dispatch again.
    dev.goto("/admin/enterprise-users")
    dev.locator("tr.admin-row", has_text="钱经办").locator("a.row-link").click()
    dev.locator("#field-display_name").fill("钱经办")
    dev.locator("#field-id_number").fill("430104199009093453")
    dev.locator("#form-save").click()
    dev.goto(f"/case/{number}")
    dev.locator("#dispatch-opinion").fill("已核实身份证号")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("入网审核")

    # The regulator archives it.
    reg.goto("/inbox")
    reg.locator(f"#claim-{number}").click()
    reg.wait_for_url(f"**/case/{number}")
    # A rejection needs a reason: refused at the archive form's own opinion box.
    reg.locator("#decision-reject").click()
    reg.locator("#act-archive").click()
    expect(reg.locator("#error-archive_opinion")).to_contain_text("请填写原因")
    expect(reg.locator("#case-status")).to_have_text("未办结")
    reg.locator("#decision-approve").click()
    reg.locator("#archive-opinion").fill("同意入网")
    reg.locator("#act-archive").click()
    expect(reg.locator("#case-status")).to_have_text("已办结")
    expect(reg.locator("#no-actions")).to_be_visible()

    # The timeline names every step with times.
    lines = reg.locator("#timeline").inner_text().splitlines()
    text = "\n".join(lines)
    assert lines[0].strip() == "开始 王管理发起业务"
    for pattern in (
        rf"王管理派工 {TIME}",
        rf"张审核操作 {TIME}",
        rf"张审核退件 {TIME}.*身份证号与姓名不一致",
        rf"王管理操作 {TIME}",
        rf"张审核归档 {TIME}",
    ):
        assert re.search(pattern, text), f"{pattern!r} not in timeline:\n{text}"
    assert len(re.findall(r"王管理派工", text)) == 2
    screenshot(reg, "case-archived")

    # Both done lists show it.
    for page in (dev, reg):
        page.goto("/done")
        page.locator("#done-query").fill(number)
        page.locator("#done-search").click()
        expect(page.locator("#done-table")).to_contain_text(number)
        expect(page.locator("#done-table")).to_contain_text("已办结")
    screenshot(dev, "done-list")

    # Outsiders: another developer and a bank cannot open it by URL.
    for username in ("dev2_admin", "mortgage_bank"):
        outsider = new_page()
        login(outsider, username)
        outsider.goto(f"/case/{number}")
        outsider.wait_for_url("**/denied")
        expect(outsider.locator("body")).not_to_contain_text("钱经办")


def test_two_regulators_cannot_both_claim(new_page):
    dev = new_page()
    login(dev, "dev_admin")
    dev.goto("/accept/network-access")
    expect(dev.locator("#subject-table")).to_be_visible()
    # A fresh applicant keeps this test independent of the other one.
    dev.goto("/admin/enterprise-users/new")
    dev.locator("#field-username").fill("op_claim")
    dev.locator("#field-display_name").fill("郑接件")
    dev.locator("#field-phone").fill("13912349999")
    dev.locator("#field-id_number").fill("430102198001011233")
    dev.locator("#form-save").click()
    dev.wait_for_url(re.compile(r".*/admin/enterprise-users/\d+$"))
    dev.goto("/accept/network-access")
    dev.locator("#accept-op_claim").click()
    dev.wait_for_url("**/case/N*")
    number = dev.locator("#case-number").inner_text()
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("入网审核")

    first, second = new_page(), new_page()
    login(first, "regulator")
    login(second, "admin")
    for page in (first, second):
        page.goto("/inbox")
        expect(page.locator(f"#claim-{number}")).to_be_visible()
    first.locator(f"#claim-{number}").click()
    first.wait_for_url(f"**/case/{number}")
    second.locator(f"#claim-{number}").click()
    expect(second.locator("body")).to_contain_text("该任务已被他人接件")
    second.goto(f"/case/{number}")
    expect(second.locator("#act-claim")).to_have_count(0)
