"""The console's own admin classes over the demo data: organisation profile (SYS-05),
projects, certificates, banks, service points, the directory and the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

import netsign_console.admin.admins  # noqa: F401  registers the console's admins
from models.audit import AuditLog
from models.organization import Organization
from netsign_console.admin import ValidationFailed, service
from netsign_console.admin.query import ListParams, list_records
from netsign_console.errors import PermissionDenied
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture

XINGCHENG = "湖南星城置业有限公司"
LUSHAN = "长沙麓山房地产开发有限公司"


def org(url: str, name: str) -> Organization:
    with Session(get_engine(url)) as session:
        return session.exec(select(Organization).where(Organization.name == name)).one()


def test_profile_bad_credit_code_is_refused_and_nothing_saved(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    before = org(demo_db, XINGCHENG)
    with pytest.raises(ValidationFailed) as err:
        service.update_record("org-profile", dev, None, {"credit_code": "9143000023582", "legal_rep": "新法人",
                                                         "registered_capital": "60000000"}, url=demo_db)
    assert err.value.errors == {"credit_code": "统一社会信用代码应为18位，当前为13位"}
    after = org(demo_db, XINGCHENG)
    assert (after.credit_code, after.legal_rep, after.registered_capital) == \
        (before.credit_code, before.legal_rep, before.registered_capital)
    with Session(get_engine(demo_db)) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "update", AuditLog.model == "organization")).first() is None


def test_profile_edits_only_the_users_own_organisation(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    other = org(demo_db, LUSHAN)
    # Whatever id is posted, the profile is the user's own organisation.
    service.update_record("org-profile", dev, other.id, {"legal_rep": "王新", "legal_rep_id_number": "11010519491231002X",
                                                         "status": "注销", "registered_capital": "1,000,000"}, url=demo_db)
    mine, theirs = org(demo_db, XINGCHENG), org(demo_db, LUSHAN)
    assert mine.legal_rep == "王新" and str(mine.registered_capital) == "1000000.00"
    assert mine.status == "正常"  # read-only in the profile
    assert theirs.legal_rep == other.legal_rep
    with Session(get_engine(demo_db)) as session:
        [event] = session.exec(select(AuditLog).where(AuditLog.action == "update", AuditLog.model == "organization")).all()
    assert event.model == "organization" and event.record_id == str(mine.id)
    assert event.changes["legal_rep"] == ["王建国", "王新"]
    assert event.changes["legal_rep_id_number"] == ["4301**********1233", "1101**********002X"]
    form = service.get_form("org-profile", dev, None, url=demo_db)
    assert form.values["credit_code"] == "91430100MA4L0001XA" and form.record_id == str(mine.id)
    for role in ("regulator", "dev_operator"):
        with pytest.raises(PermissionDenied):
            service.get_form("org-profile", demo_principal(demo_db, role), None, url=demo_db)


def test_projects_and_certificates_are_scoped_to_the_developer(demo_db):
    dev, dev2 = demo_principal(demo_db, "dev_admin"), demo_principal(demo_db, "dev2_admin")
    regulator = demo_principal(demo_db, "regulator")
    names = lambda r: sorted(row["name"] for row in r.rows)  # noqa: E731
    assert names(list_records("projects", dev, ListParams(), url=demo_db)) == ["星城·东方名苑", "星城·湘江府", "星城·麓谷雅苑"]
    assert names(list_records("projects", dev2, ListParams(), url=demo_db)) == ["麓山·桃李苑"]
    assert list_records("projects", regulator, ListParams(), url=demo_db).total == 4
    row = list_records("projects", dev, ListParams(search="湘江"), url=demo_db).rows
    assert row == []  # prefix search on the name
    row = list_records("projects", dev, ListParams(search="星城·湘"), url=demo_db).rows[0]
    assert row["developer_org_id"] == XINGCHENG and row["total_investment"] == "1,250,000,000.00"
    assert row["planned_gross_area"] == "168,530.2100" and row["status"] == "在建"
    assert list_records("project-certificates", dev, ListParams(), url=demo_db).total == 4
    assert list_records("project-certificates", dev2, ListParams(), url=demo_db).total == 2
    cert = list_records("project-certificates", dev, ListParams(filters={"kind": "construction"}), url=demo_db).rows[0]
    assert cert["kind"] == "建筑工程施工许可证" and cert["project_id"] == "星城·湘江府"
    # dev2 can neither open nor attach a certificate to dev's project.
    with pytest.raises(PermissionDenied):
        service.get_form("project-certificates", dev2, cert["_id"], url=demo_db)
    with pytest.raises(ValidationFailed):
        service.create_record("project-certificates", dev2, {"project_id": cert["_id"], "kind": "land_use",
                                                             "number": "X1"}, url=demo_db)
    # The project cannot be deleted while certificates (and the demo buildings and rooms) point at it.
    preview = service.delete_preview("projects", dev, list_records("projects", dev, ListParams(search="星城·湘"),
                                                                   url=demo_db).rows[0]["_id"], url=demo_db)
    assert preview.message == "该记录有154条关联数据（楼栋2条、监管协议1条、预售许可证1条、项目证件4条、户室144条、测绘成果2条），不能删除"
    with pytest.raises(PermissionDenied):
        service.create_record("projects", regulator, {"name": "x", "location": "y"}, url=demo_db)


def test_project_dates_are_checked(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    with pytest.raises(ValidationFailed) as err:
        service.create_record("projects", dev, {"name": "新项目", "location": "长沙市", "status": "planning",
                                                "start_date": "2025-01-01", "planned_completion_date": "2024-01-01"},
                              url=demo_db)
    assert err.value.errors == {"planned_completion_date": "计划竣工日期不能早于开工日期"}


def test_bank_links_pick_from_the_regulators_bank_list(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    mortgage = list_records("mortgage-banks", dev, ListParams(), url=demo_db)
    assert sorted(r["bank_org_id"] for r in mortgage.rows) == ["中国建设银行股份有限公司长沙分行", "招商银行股份有限公司长沙分行"]
    assert [r["bank_org_id"] for r in list_records("loan-banks", dev, ListParams(), url=demo_db).rows] == \
        ["中国建设银行股份有限公司长沙分行"]
    banks = service.fk_search("loan-banks", dev, "bank_org_id", "", url=demo_db)
    assert {label for _, label in banks} == {"中国建设银行股份有限公司长沙分行", "招商银行股份有限公司长沙分行"}
    cmb = next(i for i, label in banks if label.startswith("招商"))
    rid = service.create_record("loan-banks", dev, {"bank_org_id": cmb, "contact_person": "周经理",
                                                    "contact_phone": "0731-84001234"}, url=demo_db)
    form = service.get_form("loan-banks", dev, rid, url=demo_db)
    assert form.display["bank_org_id"] == "招商银行股份有限公司长沙分行"
    # A developer is not a bank; and the mortgage list does not show the new loan link.
    developer_id = org(demo_db, LUSHAN).id
    with pytest.raises(ValidationFailed):
        service.create_record("loan-banks", dev, {"bank_org_id": str(developer_id)}, url=demo_db)
    assert list_records("mortgage-banks", dev, ListParams(), url=demo_db).total == 2
    with pytest.raises(ValidationFailed) as err:  # the same link twice
        service.create_record("loan-banks", dev, {"bank_org_id": cmb}, url=demo_db)
    assert "已存在相同" in err.value.errors["bank_org_id"]


def test_supervision_accounts(demo_db):
    dev, dev2 = demo_principal(demo_db, "dev_admin"), demo_principal(demo_db, "dev2_admin")
    [row] = list_records("supervision-accounts", dev, ListParams(), url=demo_db).rows
    assert row["account_number"] == "731900123410801" and row["is_active"] == "是"
    assert list_records("supervision-accounts", dev2, ListParams(), url=demo_db).total == 0
    bank = service.fk_search("supervision-accounts", dev2, "bank_org_id", "招商", url=demo_db)[0][0]
    with pytest.raises(ValidationFailed) as err:
        service.create_record("supervision-accounts", dev2, {"bank_org_id": bank, "account_name": "麓山监管户",
                                                             "account_number": "7319-0012-3410-801",
                                                             "opening_branch": "招商银行长沙分行"}, url=demo_db)
    assert err.value.errors == {"account_number": "监管账号“731900123410801”已存在"}
    with pytest.raises(ValidationFailed) as err:
        service.create_record("supervision-accounts", dev2, {"bank_org_id": bank, "account_name": "麓山监管户",
                                                             "account_number": "12AB", "opening_branch": "x"}, url=demo_db)
    assert err.value.errors == {"account_number": "监管账号应为8至32位数字"}


def test_service_points_are_the_six_changsha_windows(demo_db):
    buyer = demo_principal(demo_db, "buyer")
    result = list_records("service-points", buyer, ListParams(), url=demo_db)
    assert [r["name"] for r in result.rows] == ["芙蓉点", "市府点", "天心点", "麓谷点", "开福点", "雨花点"]
    assert result.rows[0]["windows"] == "201、202" and result.rows[0]["phone"] == "84529160"
    with pytest.raises(PermissionDenied):
        service.update_record("service-points", buyer, result.rows[0]["_id"], {"phone": "1"}, url=demo_db)
    regulator = demo_principal(demo_db, "regulator")
    service.update_record("service-points", regulator, result.rows[0]["_id"], {"phone": "0731-84529160"}, url=demo_db)


def test_directory_is_for_the_regulator_side(demo_db):
    regulator, dev = demo_principal(demo_db, "regulator"), demo_principal(demo_db, "dev_admin")
    orgs = list_records("organizations", regulator, ListParams(filters={"org_type": "bank"}), url=demo_db)
    assert orgs.total == 2
    users = list_records("users", regulator, ListParams(search="dev"), url=demo_db)
    assert {"dev_admin", "dev_operator", "dev2_admin"} <= {r["username"] for r in users.rows}
    assert all("*" in r["phone"] for r in users.rows)
    for slug in ("organizations", "users"):
        with pytest.raises(PermissionDenied):
            list_records(slug, dev, ListParams(), url=demo_db)
    # The regulator sees users but may not edit them (user management is the system admin's).
    with pytest.raises(PermissionDenied):
        service.update_record("users", regulator, users.rows[0]["_id"], {"display_name": "x"}, url=demo_db)
    # An organisation with users cannot be deleted.
    sysadmin = demo_principal(demo_db, "admin")
    preview = service.delete_preview("organizations", sysadmin, org(demo_db, LUSHAN).id, url=demo_db)
    assert preview.blocked and "用户1条" in preview.message and "项目1条" in preview.message


def test_audit_log_shows_changes_before_and_after(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    service.update_record("org-profile", dev, None, {"legal_rep": "王新"}, url=demo_db)
    regulator = demo_principal(demo_db, "regulator")
    rows = list_records("audit", regulator, ListParams(filters={"action": "update", "model": "organization"}),
                        url=demo_db).rows
    assert rows[0]["changes"] == "法定代表人：王建国 → 王新"
    assert rows[0]["model"] == "开发企业信息" and rows[0]["action"] == "修改" and rows[0]["user_name"] == "王管理"
    with pytest.raises(PermissionDenied):
        list_records("audit", dev, ListParams(), url=demo_db)
    assert service.get_form("audit", regulator, rows[0]["_id"], url=demo_db).can_edit is False


def test_audit_values_are_readable(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    project = list_records("projects", dev, ListParams(search="星城·湘"), url=demo_db).rows[0]["_id"]
    service.create_record("project-certificates", dev, {"project_id": project, "kind": "construction_planning",
                                                        "number": "建字第0001号"}, url=demo_db)
    rows = list_records("audit", demo_principal(demo_db, "admin"), ListParams(filters={"action": "create"}),
                        url=demo_db).rows
    assert "所属项目：（空） → 星城·湘江府（" in rows[0]["changes"]
    assert "证件类型：（空） → 建设工程规划许可证" in rows[0]["changes"]
