"""Issue 2 in the browser: login, roles and menus, the URL gate, bad input and lockout."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login, menu_labels

pytestmark = pytest.mark.e2e


def test_login_page_is_chinese_and_refuses_empty_input(new_page):
    page = new_page()
    page.goto("/")
    page.wait_for_url("**/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("#login-submit").click()
    expect(page.locator("#login_name-error")).to_have_text("请输入用户名或手机号")
    page.locator("#login_name").fill("dev_admin")
    page.locator("#login-submit").click()
    expect(page.locator("#password-error")).to_have_text("请输入密码")
    page.locator("#password").fill("wrong-password")
    page.locator("#login-submit").click()
    expect(page.locator("#password-error")).to_contain_text("用户名或密码错误")
    screenshot(page, "login-error")
    assert "Built with Reflex" not in page.content()


@pytest.mark.parametrize(
    "username,role,org,present,absent",
    [
        ("dev_admin", "开发企业管理员", "湖南星城置业有限公司",
         ["开发企业信息", "企业用户管理", "在手业务"], ["审计日志", "机构名录"]),
        ("dev_operator", "经办人", "湖南星城置业有限公司",
         ["在手业务", "已办业务"], ["企业用户管理", "审计日志", "开发企业信息"]),
        ("regulator", "主管部门审核人员", "长沙市住房和城乡建设局",
         ["机构名录", "审计日志", "在手业务"], ["开发企业信息", "企业用户管理"]),
        ("mortgage_bank", "按揭银行", "中国建设银行股份有限公司长沙分行",
         ["在手业务"], ["开发企业信息", "审计日志", "项目信息"]),
    ],
)
def test_each_role_sees_its_own_menu(new_page, username, role, org, present, absent):
    page = new_page()
    login(page, username)
    expect(page.locator("#header-role")).to_have_text(role)
    expect(page.locator("#header-org")).to_have_text(org)
    labels = menu_labels(page)
    for label in present:
        assert label in labels, f"{username} should see {label}: {labels}"
    for label in absent:
        assert label not in labels, f"{username} must not see {label}: {labels}"
    screenshot(page, f"home-{username}")


def test_login_by_phone_and_session_survives_reload(new_page):
    page = new_page()
    login(page, "13900000002")  # the regulator's phone number
    expect(page.locator("#header-user")).to_have_text("张审核")
    page.reload()
    expect(page.locator("#header-user")).to_have_text("张审核")
    page.goto("/")
    expect(page.locator("#header-user")).to_have_text("张审核")


def test_operator_cannot_open_a_regulator_page_by_url(new_page):
    page = new_page()
    login(page, "dev_operator")
    page.goto("/audit")
    page.wait_for_url("**/denied")
    expect(page.locator("#denied")).to_contain_text("没有访问该页面的权限")
    screenshot(page, "denied")


def test_anonymous_visitor_is_sent_to_login(new_page):
    page = new_page()
    page.goto("/audit")
    page.wait_for_url("**/login")


def test_logout_ends_the_session(new_page):
    page = new_page()
    login(page, "broker")
    page.locator("#logout").click()
    page.wait_for_url("**/login")
    page.goto("/")
    page.wait_for_url("**/login")


def test_sixth_attempt_is_refused_even_with_the_right_password(new_page):
    page = new_page()
    page.goto("/login")
    page.locator("#login_name").fill("seller")
    for attempt in range(1, 5):
        page.locator("#password").fill("not-the-password")
        page.locator("#login-submit").click()
        expect(page.locator("#password-error")).to_contain_text(f"再错{5 - attempt}次")
    page.locator("#password").fill("not-the-password")
    page.locator("#login-submit").click()
    expect(page.locator("#password-error")).to_contain_text("账户已锁定15分钟")
    page.locator("#password").fill("Netsign@2026")
    page.locator("#login-submit").click()
    expect(page.locator("#password-error")).to_contain_text("已锁定")
    expect(page.locator("#header-user")).to_have_count(0)
    screenshot(page, "lockout")
