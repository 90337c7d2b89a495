"""Exports (CSV with BOM, XLSX, filtered, masked, streamed) and imports (template, per-row
errors, nothing saved from a file with errors unless "仅导入正确的行", one audit event)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from models.audit import AuditLog
from netsign_console.admin import ActionRefused, export, importer
from netsign_console.admin.files import FileRefused
from netsign_console.admin.query import ListParams
from netsign_console.errors import PermissionDenied
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import (  # noqa: F401  admin_db is a fixture
    DEV_A, DEV_B, OPERATOR_A, ORG_A, ORG_B, REGULATOR, VALID_CREDIT_CODE, Gadget, Widget, add_widgets, admin_db,
)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8 Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_is_filtered_scoped_masked_and_streamed(admin_db, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    add_widgets(admin_db, 6, ORG_A)
    add_widgets(admin_db, 3, ORG_B)
    chunks = list(export.iter_csv("t-widgets", DEV_A, ListParams(filters={"kind": "large"}, sort="-name"), url=admin_db))
    assert len(chunks) > 1
    rows = csv_rows(b"".join(chunks))
    assert rows[0] == ["部件名称", "类型", "价格", "面积", "是否启用", "生产日期", "手机号", "身份证号", "创建时间"]
    assert [r[0] for r in rows[1:]] == ["部件004", "部件002", "部件000"]
    assert rows[1][2] == "4,000.50" and rows[1][6] == "138****8000" and rows[1][7] == "4301**********1233"
    with Session(get_engine(admin_db)) as session:
        [event] = session.exec(select(AuditLog).where(AuditLog.action == "export")).all()
    assert "CSV" in event.changes["_summary"] and "kind=large" in event.changes["_summary"]


def test_xlsx_export(admin_db, tmp_path):
    add_widgets(admin_db, 3, ORG_B)
    rows = export.write_export("t-widgets", DEV_B, ListParams(), "xlsx", tmp_path / "out.xlsx", url=admin_db)
    assert rows == 3
    sheet = load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "部件名称" and len(values) == 4
    assert values[1][7] == "4301**********1233"


def test_export_needs_the_view_permission(admin_db):
    from models.enums import OrgType, Role
    from netsign_console.auth.principal import Principal

    bank = Principal(7, "b", "银行", Role.MORTGAGE_BANK, 20, OrgType.BANK, "建设银行")
    with pytest.raises(PermissionDenied):
        list(export.iter_csv("t-widgets", bank, ListParams(), url=admin_db))
    with pytest.raises(PermissionDenied):
        list(export.iter_csv("t-widgets", None, ListParams(), url=admin_db))


def test_background_job_files_belong_to_their_user(admin_db):
    from netsign_console.admin.base import get_admin

    add_widgets(admin_db, 2)
    admin = get_admin("t-widgets")
    job_id, path = export.new_job(admin, DEV_A, "csv")
    assert export.job_file(job_id, DEV_A, "t-widgets", "csv") is None  # still running
    rows = export.write_export(admin, DEV_A, ListParams(), "csv", path, url=admin_db)
    export.finish_job(job_id, rows)
    found = export.job_file(job_id, DEV_A, "t-widgets", "csv")
    assert found and found[0] == path and found[1].startswith("测试部件_")
    assert export.job_file(job_id, DEV_B, "t-widgets", "csv") is None
    assert export.job_file(job_id, DEV_A, "t-gadgets", "csv") is None
    assert export.job_file("../../etc/passwd", DEV_A, "t-widgets", "csv") is None
    assert export.count_for_export(admin, DEV_A, ListParams(), url=admin_db) == 2
    # A job is only started for a known format by a user who may export.
    with pytest.raises(PermissionDenied):
        export.new_job(admin, DEV_A, "../../x")
    with pytest.raises(PermissionDenied):
        export.new_job(admin, None, "csv")


def test_template_has_the_form_headers_with_required_marks(admin_db):
    data = importer.template_xlsx("t-widgets", DEV_A)
    workbook = load_workbook(io.BytesIO(data))
    headers = [c.value for c in workbook.worksheets[0][1]]
    # The developer's form: no organisation column (it is forced), no read-only notes.
    assert headers == ["部件名称*", "统一社会信用代码", "类型*", "价格", "面积", "是否启用", "生产日期", "手机号", "身份证号"]
    notes = {r[0]: r[2] for r in workbook["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert notes["类型"] == "可选：小型、大型"
    with pytest.raises(PermissionDenied):
        importer.template_xlsx("t-widgets", OPERATOR_A)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


BAD_FILE = [
    ["部件名称*", "类型*", "价格", "统一社会信用代码", "手机号"],
    ["甲", "大型", "100.5", VALID_CREDIT_CODE, "13800138000"],
    ["", "小型", "1", "", ""],
    ["乙", "巨型", "1.234", "9143000023582", "123"],
    [None, None, None, None, None],  # blank lines are skipped
    ["丙", "small", 2000, "", ""],
    ["丁", "大型", "", VALID_CREDIT_CODE, ""],
]


def count_widgets(url: str) -> int:
    with Session(get_engine(url)) as session:
        return len(session.exec(select(Widget)).all())


def test_check_reports_every_error_by_row_and_column(admin_db):
    check = importer.check_file("t-widgets", DEV_A, "部件.xlsx", xlsx(BAD_FILE), url=admin_db)
    assert (check.total, check.valid, check.error_count) == (5, 2, 6)
    got = {(e.row, e.column, e.message) for e in check.errors}
    assert got == {
        (3, "部件名称", "请填写部件名称"),
        (4, "类型", "类型的取值无效，可选：小型、大型"),
        (4, "价格", "价格应为金额，最多两位小数"),
        (4, "统一社会信用代码", "统一社会信用代码应为18位，当前为13位"),
        (4, "手机号", "手机号应为11位，当前为3位"),
        (7, "统一社会信用代码", "与第2行重复"),
    }
    report = csv_rows(importer.error_report_csv("t-widgets", DEV_A, check.token))
    assert report[0] == ["行号", "列", "错误信息"] and len(report) == 7
    with pytest.raises(ActionRefused):
        importer.error_report_csv("t-widgets", DEV_B, check.token)  # another user's upload
    assert count_widgets(admin_db) == 0


def test_nothing_is_saved_from_a_file_with_errors_unless_chosen(admin_db):
    check = importer.check_file("t-widgets", DEV_A, "部件.xlsx", xlsx(BAD_FILE), url=admin_db)
    with pytest.raises(ActionRefused, match="文件有6处错误，未导入任何数据"):
        importer.commit_import("t-widgets", DEV_A, check.token, url=admin_db)
    assert count_widgets(admin_db) == 0
    assert importer.commit_import("t-widgets", DEV_A, check.token, valid_only=True, url=admin_db) == (2, 3)
    with Session(get_engine(admin_db)) as session:
        saved = session.exec(select(Widget).order_by(Widget.id)).all()
        events = session.exec(select(AuditLog)).all()
    assert [(w.name, w.kind, str(w.price), w.owner_org_id) for w in saved] == \
        [("甲", "large", "100.50", ORG_A), ("丙", "small", "2000.00", ORG_A)]
    [event] = events  # one audit event for the batch
    assert event.action == "import" and event.changes["rows"] == 2 and event.changes["skipped"] == 3
    assert "部件.xlsx" in event.changes["_summary"]


def test_a_clean_csv_imports_in_one_batch(admin_db):
    text = "部件名称*,类型*,价格,是否启用\n" + "".join(f"部件{i},大型,{i}.5,否\n" for i in range(30))
    check = importer.check_file("t-widgets", DEV_B, "批量.csv", ("\ufeff" + text).encode("utf-8"), url=admin_db)
    assert (check.total, check.valid, check.error_count) == (30, 30, 0)
    assert importer.commit_import("t-widgets", DEV_B, check.token, url=admin_db) == (30, 0)
    with Session(get_engine(admin_db)) as session:
        assert {w.owner_org_id for w in session.exec(select(Widget))} == {ORG_B}
        assert session.exec(select(Widget).where(Widget.name == "部件7")).one().active is False
    # GBK files from older Excel versions are read too.
    check = importer.check_file("t-widgets", DEV_B, "gbk.csv", "部件名称*,类型*\n新部件,小型\n".encode("gbk"), url=admin_db)
    assert check.valid == 1


def test_foreign_keys_are_imported_by_name_within_scope(admin_db):
    add_widgets(admin_db, 1, ORG_A, name="甲部件")
    add_widgets(admin_db, 1, ORG_B, name="乙部件")
    data = "所属部件*,配件名称*\n乙部件,好配件\n甲部件,越界配件\n不存在,无主配件\n".encode("utf-8")
    check = importer.check_file("t-gadgets", DEV_B, "配件.csv", data, url=admin_db)
    assert check.valid == 1
    assert [(e.row, e.message) for e in check.errors] == [(3, "所属部件“甲部件”不存在、不唯一或无权使用"),
                                                          (4, "所属部件“不存在”不存在、不唯一或无权使用")]


def test_files_that_cannot_be_imported(admin_db):
    with pytest.raises(FileRefused, match="CSV或XLSX"):
        importer.check_file("t-widgets", DEV_A, "x.txt", b"abc", url=admin_db)
    with pytest.raises(FileRefused, match="无法读取"):
        importer.check_file("t-widgets", DEV_A, "x.xlsx", b"not a zip", url=admin_db)
    check = importer.check_file("t-widgets", DEV_A, "x.csv", "价格\n1\n".encode(), url=admin_db)
    assert check.errors[0].message == "缺少必填列：部件名称"
    with pytest.raises(ActionRefused, match="已失效"):
        importer.commit_import("t-widgets", DEV_A, "0" * 32, url=admin_db)
    with pytest.raises(PermissionDenied):
        importer.check_file("t-widgets", REGULATOR, "x.csv", b"a\n", url=admin_db)
