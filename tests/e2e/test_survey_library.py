"""测绘成果库 in the browser: the survey office imports a good file and a file with bad rows
(refused with each row number and reason, nothing imported, then explicitly only the good
rows), finds the result in the library by its survey number and opens its buildings and
rooms; a developer sees its own results but not another developer's, and cannot import."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login, menu_labels
from tests.unit.survey_rows import HEADER, building_rows, to_csv

pytestmark = pytest.mark.e2e

OTHER_DEVELOPERS = "YC20261201002"  # demo result of 长沙麓山房地产开发有限公司


def _files(tmp_path):
    good = building_rows("D004", survey_number="CL20261202001", floors=6, per_floor=4, units=2)
    bad = building_rows("D005", survey_number="CL20261202002", floors=3, per_floor=2)
    bad[2]["建筑面积"] = "130.1"  # row 4: 130.1 ≠ 80 + 20
    bad[4]["房屋用途"] = "仓库"  # row 6: not in the N15 dictionary
    paths = {}
    for name, rows, header in (("good", good, HEADER), ("bad", bad, HEADER + ["备注"])):  # 备注: a warning
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(to_csv(rows, header))
    return paths


def _check(page, path) -> None:
    page.locator("#survey-upload input[type=file]").set_input_files(str(path))
    page.locator("#survey-check").click()


def _search_library(page, term: str) -> None:
    page.goto("/admin/survey-results")
    expect(page.locator("#admin-total")).to_contain_text("共")  # loaded: typing now is not overwritten
    page.locator("#admin-search").fill(term)
    expect(page.locator("#admin-search")).to_have_value(term)


def test_survey_results_library(new_page, e2e_work, tmp_path):
    files = _files(tmp_path)
    office = new_page()
    login(office, "survey")
    assert "测绘成果导入" in menu_labels(office) and "测绘成果库" in menu_labels(office)
    office.goto("/survey/import")

    # Nothing picked yet: refused at the fields, in Chinese.
    _check(office, files["good"])
    expect(office.locator("#error-developer_org_id")).to_have_text("请选择开发企业")
    expect(office.locator("#error-project_id")).to_have_text("请选择项目")

    # The pickers search as you type; the project list is the picked developer's only.
    office.locator("#developer-search").fill("星城")
    office.locator(".developer-option").filter(has_text="湖南星城置业有限公司").click()
    expect(office.locator(".project-option").filter(has_text="麓山·桃李苑")).to_have_count(0)
    office.locator(".project-option").filter(has_text="星城·湘江府").click()
    expect(office.locator("#project-search")).to_have_value("星城·湘江府")

    # A file with bad rows: each row named with its column and reason; 导入 refused; nothing saved.
    _check(office, files["bad"])
    expect(office.locator("#report-summary")).to_have_text(re.compile("发现2处错误（涉及2行）"))
    errors = office.locator("#report-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("4建筑面积建筑面积130.1000m²与套内面积80.0000m²加分摊面积20.0000m²之和")
    expect(errors.nth(1)).to_contain_text("6房屋用途房屋用途“仓库”不在字典中")
    expect(office.locator("#report-warnings")).to_contain_text("1备注未识别的列“备注”，已忽略")  # apart from errors
    expect(office.locator("#survey-commit")).to_be_disabled()
    screenshot(office, "survey-import-report")
    _search_library(office, "CL20261202002")
    expect(office.locator("#admin-empty")).to_be_visible()
    expect(office.locator("#admin-table")).not_to_contain_text("CL20261202002")

    # The good file: imported, with a link to the new result.
    office.goto("/survey/import")
    office.locator("#developer-search").fill("湖南星城")
    office.locator(".developer-option").filter(has_text="湖南星城置业有限公司").click()
    office.locator(".project-option").filter(has_text="星城·湘江府").click()
    _check(office, files["good"])
    expect(office.locator("#report-summary")).to_have_text("校验通过：1栋48户，可以导入")
    office.locator("#survey-commit").click()
    expect(office.locator("#import-done")).to_have_text("已导入测绘成果CL20261202001：1栋48户")

    # The same number again is refused at the file.
    _check(office, files["good"])
    expect(office.locator("#error-file")).to_have_text("测绘宗号“CL20261202001”已导入")

    # The bad file again, this time explicitly only its good rows.
    _check(office, files["bad"])
    office.locator("#survey-commit-valid").click()
    expect(office.get_by_role("alertdialog")).to_contain_text("将导入1栋4户，跳过有错误的2行")
    office.locator("#survey-commit-valid-confirm").click()
    expect(office.locator("#import-done")).to_have_text("已导入测绘成果CL20261202002：1栋4户")

    # Found in the library by its number (prefix), and its rooms are there.
    _search_library(office, "CL2026120200")
    rows = office.locator("#admin-table .admin-row")
    expect(rows).to_have_count(2)
    _search_library(office, "CL20261202001")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("预测")
    expect(rows.first).to_contain_text("星城·湘江府")
    expect(rows.first).to_contain_text("48")
    expect(rows.first).to_contain_text("待备案")
    screenshot(office, "survey-results")
    rows.first.locator(".row-link").click()
    expect(office.locator("#field-survey_number")).to_have_value("CL20261202001")
    expect(office.locator("#form-save")).to_have_count(0)  # read-only for everybody
    office.locator("#detail-link-0").click()
    expect(office.locator("#result-title")).to_have_text("测绘成果 CL20261202001")
    expect(office.locator("#rooms-total")).to_have_text("共 48 户")
    expect(office.locator("#result-rooms tbody tr")).to_have_count(48)
    expect(office.locator("#result-buildings")).to_contain_text("CL-D004")
    screenshot(office, "survey-result-rooms")

    # A developer: its own results, not another developer's; no import.
    with create_engine(f"sqlite:///{e2e_work / 'e2e.db'}").connect() as conn:
        other_id = conn.execute(text("SELECT id FROM survey_result WHERE survey_number = :n"),
                                {"n": OTHER_DEVELOPERS}).scalar_one()
    dev = new_page()
    login(dev, "dev_admin")
    assert "测绘成果库" in menu_labels(dev) and "测绘成果导入" not in menu_labels(dev)
    dev.goto("/admin/survey-results")
    table = dev.locator("#admin-table")
    expect(table).to_contain_text("CL20261202001")
    expect(table).to_contain_text("YC20261201001")
    expect(table).not_to_contain_text(OTHER_DEVELOPERS)
    _search_library(dev, OTHER_DEVELOPERS)
    expect(dev.locator("#admin-empty")).to_be_visible()
    for path in (f"/admin/survey-results/{other_id}", f"/survey/results/{other_id}", "/survey/import"):
        dev.goto(path)
        dev.wait_for_url("**/denied")
    other = new_page()
    login(other, "dev2_admin")
    other.goto("/admin/survey-results")
    expect(other.locator("#admin-table")).to_contain_text(OTHER_DEVELOPERS)
    expect(other.locator("#admin-table")).not_to_contain_text("CL20261202001")
