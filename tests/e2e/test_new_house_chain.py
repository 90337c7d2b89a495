"""The new-house chain in the browser (issues 8 and 9): the survey office imports a forecast
survey; the developer's operator finds it by its survey case number, completes the empty
fields, generates prices floor by floor, corrects one room in the price check and dispatches;
the survey office archives and the grid shows the rooms with legend counts that add up. Then a
pre-sale permit on that building: the scope picked on the grid, the property manager and the
four certificates; the regulator approves and generates the permit; its PDF names the permit
number, the developer and the room count, and the verify address printed with its QR code
says 有效; after a change approval the old PDF's code says 已变更."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login
from tests.unit.survey_rows import HEADER, building_rows, to_csv

pytestmark = pytest.mark.e2e

SURVEY_NUMBER, BUILDING = "YC20261202101", "D007"
DEVELOPER = "湖南星城置业有限公司"


def _import_survey(office, tmp_path) -> None:
    path = tmp_path / "forecast.csv"
    path.write_bytes(to_csv(building_rows(BUILDING, survey_number=SURVEY_NUMBER, floors=6, per_floor=2, units=2),
                            HEADER))
    office.goto("/survey/import")
    office.locator("#developer-search").fill("湖南星城")
    office.locator(".developer-option").filter(has_text=DEVELOPER).click()
    office.locator(".project-option").filter(has_text="星城·湘江府").click()
    office.locator("#survey-upload input[type=file]").set_input_files(str(path))
    office.locator("#survey-check").click()
    expect(office.locator("#report-summary")).to_have_text("校验通过：1栋24户，可以导入")
    office.locator("#survey-commit").click()
    expect(office.locator("#import-done")).to_contain_text(f"已导入测绘成果{SURVEY_NUMBER}：1栋24户")


def _accept(page, group: str, slug: str, search: str, pick: str, prefix: str) -> str:
    page.goto(f"/accept?group={group}")
    page.locator(f"#start-{slug}").click()
    page.locator("#subject-search").fill(search)
    expect(page.locator(pick)).to_have_count(1)  # the list has followed the typing
    page.locator(pick).first.click()
    expect(page.locator("#accept-ok")).to_be_visible(timeout=15_000)
    page.locator("#accept-picked").click()
    page.wait_for_url(f"**/case/{prefix}*")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    # The tab's state still holds the last case until this one has loaded.
    expect(page.locator("#case-number")).to_have_text(number)
    return number


def _done(page, code: str, text: str) -> None:
    expect(page.locator(f"#subtask-{code}").locator("xpath=..")).to_contain_text(text)


def _confirm(page, code: str) -> None:
    page.locator(f"#subtask-{code}").click()
    page.locator("#confirm-subtask").click()
    _done(page, code, "已确认")


def _pick_records(page, code: str, slots: int) -> None:
    page.locator(f"#subtask-{code}").click()
    boxes = page.locator("#subtask-screen").get_by_role("combobox")
    expect(boxes).to_have_count(slots + 0)
    for i in range(slots):
        boxes.nth(i).click()
        page.get_by_role("option").first.click()
    page.locator("#records-save").click()
    _done(page, code, "已选择")


def _review(page, number: str, opinion: str, *, archive: bool = False) -> None:
    page.goto(f"/case/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.locator("#act-claim").click()
    page.locator("#decision-approve").click()
    page.locator("#archive-opinion").fill(opinion)
    page.locator("#act-archive" if archive else "#act-decide").click()


def _pdf_text(page, href: str, tmp_path, name: str) -> str:
    response = page.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(response.body())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _generate_permit(reg, number: str, tmp_path, name: str) -> tuple[str, str]:
    """The regulator's 许可证生成: preview, generate, download; returns (PDF text, verify path)."""
    reg.goto(f"/case/{number}")
    expect(reg.locator("#case-number")).to_have_text(number)
    reg.locator("#act-claim").click()
    reg.locator("#subtask-document-presale_permit").click()
    reg.locator("#document-preview").click()
    expect(reg.locator("#document-preview-frame")).to_be_visible()
    reg.locator("#document-generate").click()
    expect(reg.locator("#document-number")).to_have_text(re.compile(r"\d{4}-\d{4}"))
    screenshot(reg, f"permit-generated-{name}")
    href = reg.locator("#document-download").get_attribute("href")
    text = _pdf_text(reg, href, tmp_path, f"{name}.pdf")
    found = re.search(r"/verify/([0-9A-Z-]+)", text)
    assert found, text
    reg.locator("#dispatch-opinion").fill("许可证已生成，归档")
    reg.locator("#act-dispatch").click()
    expect(reg.locator("#case-status")).to_have_text("已办结")
    return text, f"/verify/{found.group(1)}"


def test_survey_filing_grid_and_permit(new_page, tmp_path):
    office = new_page()
    login(office, "survey")
    _import_survey(office, tmp_path)

    # 预测成果备案, found by the survey case number (查询导入).
    dev = new_page()
    login(dev, "dev_operator")
    number = _accept(dev, "测绘成果备案", "survey-forecast-filing", SURVEY_NUMBER, f"[id^=pick-][id$=-{BUILDING}]", "C")
    expect(dev.locator("#case-stage")).to_have_text("测绘信息编辑")
    _confirm(dev, "original")
    # Only the empty fields can be completed (SURV-02).
    dev.locator("#subtask-form-buildings").click()
    expect(dev.locator("#field-floors_above")).to_be_disabled()
    dev.locator("#field-address").fill("长沙市天心区湘府中路288号D007栋")
    dev.locator("#field-name").fill("D007栋")
    dev.locator("#subtask-save").click()
    _done(dev, "form-buildings", "已保存")

    # Prices floor by floor: shell 9,000 at floor 1, +80 a floor; decoration 1,500 flat.
    dev.locator("#subtask-rooms").click()
    expect(dev.locator("#case-grid")).to_be_visible()
    for kind, base, step in (("shell_price", "9000", "80"), ("decoration_price", "1500", "0")):
        dev.locator("#price-kind").select_option(kind)
        dev.locator("#price-base").fill(base)
        dev.locator("#price-base-floor").fill("1")
        dev.locator("#price-step").fill(step)
        dev.locator("#price-generate").click()
        expect(dev.locator("#prices-preview")).to_contain_text("24")
        dev.locator("#prices-confirm").click()
        expect(dev.locator("#batch-note")).to_have_count(1)
    expect(dev.locator("#price-label-1-0601")).to_have_text("毛 9400 装 1500 面 100.0000 销 10900")
    # One room corrected in the price check.
    dev.locator("#price-edit-2-0602").click()
    dev.locator("#quick-shell_price").fill("9388")
    dev.locator("#quick-save").click()
    expect(dev.locator("#price-label-2-0602")).to_have_text("毛 9388 装 1500 面 100.0000 销 10888")
    screenshot(dev, "survey-filing-prices")
    _confirm(dev, "compare")
    _confirm(dev, "confirm")
    dev.locator("#dispatch-opinion").fill("测绘信息已完善，提请备案")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text(re.compile("审核"))

    _review(office, number, "同意备案", archive=True)
    expect(office.locator("#case-status")).to_have_text("已办结")

    # The grid: 24 rooms, not for sale yet; the legend's status counts add up to the rooms drawn.
    dev.goto("/admin/buildings")
    dev.locator("#admin-search").fill(BUILDING)
    dev.locator("#admin-table .admin-row").filter(has_text=BUILDING).locator("a", has_text="楼盘表").click()
    expect(dev.locator("#grid-room-count")).to_contain_text("24")
    counts = {code: int(dev.locator(f"#legend-count-{code}").inner_text())
              for code in ("not_for_sale", "saleable", "signing", "signed", "filed", "registered")}
    assert counts["not_for_sale"] == 24 and sum(counts.values()) == 24
    expect(dev.locator("#grid-table td[data-room]")).to_have_count(24)
    screenshot(dev, "grid-after-filing")

    # 预售许可: the scope picked on the grid (all but 2-0602), the property manager, the four certificates.
    permit_case = _accept(dev, "预售许可管理", "presale-permit", BUILDING, f"#pick-{BUILDING}", "Y")
    _confirm(dev, "project")
    _pick_records(dev, "records-property_manager_id", 1)
    dev.locator("#act-dispatch").click()
    dev.locator("#act-claim").click()
    dev.locator("#subtask-pick-room_ids").click()
    dev.locator("#select-all").click()
    dev.locator('#case-grid td[data-room="2-0602"]').click()
    expect(dev.locator("#pick-count")).to_have_text("共24户，已选23户")
    dev.locator("#pick-save").click()
    _done(dev, "pick-room_ids", "已纳入预售范围23户")
    screenshot(dev, "permit-scope-on-grid")
    _pick_records(dev, "records-certificate_ids", 4)
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审核")

    reg = new_page()
    login(reg, "regulator")
    _review(reg, permit_case, "符合预售条件，同意")
    expect(reg.locator("#case-stage")).to_have_text("许可证生成")
    text, verify = _generate_permit(reg, permit_case, tmp_path, "initial")
    permit_number = re.search(r"编号：(\d{4}-\d{4})", text).group(1)
    assert DEVELOPER in text and "23 套" in text

    public = new_page()
    public.goto(verify)
    expect(public.locator("body")).to_contain_text("有效")
    expect(public.locator("body")).to_contain_text(permit_number)

    # The permit list and page: the scope outlined on the grid, saleable now.
    dev.goto("/admin/presale-permits")
    dev.locator("#admin-table .admin-row").filter(has_text=permit_number).locator("a", has_text="许可证详情").click()
    expect(dev.locator("#permit-title")).to_contain_text(permit_number)
    expect(dev.locator("#legend-count-saleable")).to_have_text("23")
    screenshot(dev, "permit-page")

    # 变更审批: 2-0602 enters the scope; the old PDF's code then says 已变更.
    change = _accept(dev, "预售许可管理", "presale-permit-change", BUILDING, f"#pick-{BUILDING}", "Y")
    _confirm(dev, "original")
    dev.locator("#act-dispatch").click()
    dev.locator("#act-claim").click()
    _confirm(dev, "project")
    _pick_records(dev, "records-property_manager_id", 1)
    dev.locator("#act-dispatch").click()
    dev.locator("#act-claim").click()
    dev.locator("#subtask-pick-room_ids").click()
    dev.locator('#case-grid td[data-room="2-0602"]').click()
    expect(dev.locator("#pick-count")).to_have_text("共24户，已选24户")
    dev.locator("#pick-save").click()
    _pick_records(dev, "records-certificate_ids", 4)
    dev.locator("#act-dispatch").click()
    _review(reg, change, "同意变更")
    text, new_verify = _generate_permit(reg, change, tmp_path, "changed")
    assert permit_number in text and "24 套" in text and new_verify != verify
    public.goto(verify)
    expect(public.locator("body")).to_contain_text("已变更")
    public.goto(new_verify)
    expect(public.locator("body")).to_contain_text("有效")
