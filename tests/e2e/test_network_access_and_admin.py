"""Issue 3 in the browser: enterprise info with a bad credit code, a supervision account,
network access for two users in one batch, the regulator's decisions, logins, the audit
page, and another developer locked out of all of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

USERS = [("op_zhou", "周经办", "13912340001", "430102198001011233"),
         ("op_wu", "吴经办", "13912340002", "430102198505052346")]


def _save(page: Page) -> None:
    page.locator("#form-save").click()


def _fill_user(page: Page, username, name, phone, id_number) -> str:
    """Create the user; returns its one-time initial password, shown once after saving."""
    page.goto("/admin/enterprise-users/new")
    page.locator("#field-username").fill(username)
    page.locator("#field-display_name").fill(name)
    page.locator("#field-phone").fill(phone)
    page.locator("#field-id_number").fill(id_number)
    _save(page)
    page.wait_for_url(re.compile(r".*/admin/enterprise-users/\d+$"))
    secret = page.locator(".notice-secret").first
    expect(secret).to_be_visible()
    password = secret.inner_text().strip()
    page.locator("#notice-close").click()
    expect(page.locator("#notice-close")).to_have_count(0)
    return password


def _decide(page: Page, display_name: str, decision: str, opinion: str) -> None:
    page.goto("/inbox")
    row = page.locator("tr", has_text=display_name).first
    expect(row).to_be_visible()
    row.locator("[id^=claim-]").click()
    page.wait_for_url("**/case/**")
    page.locator(f"#decision-{decision}").click()
    page.locator("#archive-opinion").fill(opinion)
    page.locator("#act-archive").click()
    expect(page.locator("#case-status")).to_have_text("已办结")


def test_enterprise_admin_and_network_access_end_to_end(new_page):
    admin = new_page()
    login(admin, "dev_admin")

    # 开发企业信息: a 13-character credit code is refused at the field, nothing saved.
    admin.goto("/org/profile")
    code = admin.locator("#field-credit_code")
    expect(code).to_have_value("91430100MA4L0001XA")
    code.fill("9143000023582")
    admin.locator("#field-legal_rep").fill("改名不应保存")
    _save(admin)
    expect(admin.locator("#error-credit_code")).to_contain_text("统一社会信用代码")
    screenshot(admin, "org-profile-error")
    admin.reload()
    expect(admin.locator("#field-credit_code")).to_have_value("91430100MA4L0001XA")
    expect(admin.locator("#field-legal_rep")).to_have_value("王建国")

    # 监管银行账户: a bank chosen through the search picker.
    admin.goto("/admin/supervision-accounts/new")
    admin.locator("#field-bank_org_id").fill("招商")
    admin.locator("#options-bank_org_id .fk-option").first.click()
    admin.locator("#field-account_name").fill("湖南星城置业有限公司星城花园预售资金监管户")
    admin.locator("#field-account_number").fill("7319 0188 0000 1234")
    admin.locator("#field-opening_branch").fill("招商银行长沙分行营业部")
    _save(admin)
    admin.wait_for_url(re.compile(r".*/admin/supervision-accounts/\d+$"))
    account_url = admin.url
    admin.goto("/admin/supervision-accounts")
    expect(admin.locator("#admin-table")).to_contain_text("731901880000")

    # Two operators, applied for in one batch.
    passwords = {user[0]: _fill_user(admin, *user) for user in USERS}
    admin.goto("/admin/enterprise-users")
    for _, name, _, _ in USERS:
        admin.locator("tr.admin-row", has_text=name).locator("button[role=checkbox]").click()
    admin.locator("#bulk-apply_network_access").click()
    admin.locator("#bulk-confirm-apply_network_access").click()
    for _, name, _, _ in USERS:
        expect(admin.locator("tr.admin-row", has_text=name)).to_contain_text("待审核")
    screenshot(admin, "enterprise-users-applied")

    # The regulator approves one and rejects the other, with a reason.
    reg = new_page()
    login(reg, "regulator")
    _decide(reg, "周经办", "approve", "材料齐全，同意入网")
    _decide(reg, "吴经办", "reject", "身份证信息与本人不符")
    screenshot(reg, "case-rejected")

    # Both sides see the outcome.
    admin.goto("/admin/enterprise-users")
    expect(admin.locator("tr.admin-row", has_text="周经办")).to_contain_text("已入网")
    expect(admin.locator("tr.admin-row", has_text="吴经办")).to_contain_text("已驳回")

    # The approved user logs in with the initial password; the rejected one cannot.
    approved = new_page()
    login(approved, "op_zhou", passwords["op_zhou"])
    expect(approved.locator("#header-role")).to_have_text("经办人")
    rejected = new_page()
    rejected.goto("/login")
    rejected.locator("#login_name").fill("op_wu")
    rejected.locator("#password").fill(passwords["op_wu"])
    rejected.locator("#login-submit").click()
    expect(rejected.locator("#login_name-error")).to_contain_text("已驳回")

    # The audit page shows all of it.
    reg.goto("/audit")
    table = reg.locator("#admin-table")
    for text in ("审核通过", "驳回", "监管账户", "新增", "业务编号"):
        expect(table).to_contain_text(text)
    expect(table).not_to_contain_text("case_number")
    screenshot(reg, "audit")

    # Another developer sees none of it, even by URL.
    other = new_page()
    login(other, "dev2_admin")
    other.goto("/admin/supervision-accounts")
    expect(other.locator("#admin-table")).not_to_contain_text("731901880000")
    other.goto("/admin/enterprise-users")
    expect(other.locator("#admin-table")).not_to_contain_text("周经办")
    other.goto(account_url)
    expect(other.locator("body")).not_to_contain_text("731901880000")
    expect(other.locator("body")).to_contain_text(re.compile("不存在或无权访问|没有访问该页面的权限"))
    screenshot(other, "other-developer-denied")
