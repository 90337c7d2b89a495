"""The authorised HTTP routes (exports, import template, private files) and the generated
pages' registration (routes, menu, permissions)."""

from __future__ import annotations

import io
import warnings

import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette

with warnings.catch_warnings():  # starlette asks for "httpx2"; the installed httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from netsign_console.admin import files, service
from netsign_console.admin.query import ListParams, list_records
from netsign_console.api.routes import api_routes
from netsign_console.auth.permissions import Perm
from netsign_console.auth.service import attempt_login
from netsign_console.demo.accounts import DEMO_PASSWORD
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture


@pytest.fixture
def client(demo_db) -> TestClient:
    return TestClient(Starlette(routes=api_routes()))


def login(client: TestClient, username: str) -> TestClient:
    client.cookies.set("netsign_token", attempt_login(username, DEMO_PASSWORD).token)
    return client


def test_export_requires_login_and_permission(client):
    response = client.get("/api/export/projects.csv")
    assert response.status_code == 401 and response.json() == {"message": "请先登录"}
    client.cookies.set("netsign_token", "forged")
    assert client.get("/api/export/projects.csv").status_code == 401
    login(client, "mortgage_bank")
    response = client.get("/api/export/projects.csv")
    assert response.status_code == 403 and "没有导出" in response.json()["message"]
    login(client, "dev_admin")
    assert client.get("/api/export/nothing.csv").status_code == 404
    assert client.get("/api/export/projects.pdf").json() == {"message": "不支持的导出格式"}
    assert client.get("/api/export/org-profile.csv").status_code == 403  # that admin has no export


def test_csv_export_is_the_users_filtered_list(client):
    login(client, "dev2_admin")
    response = client.get("/api/export/projects.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff项目名称,开发企业,")
    assert "麓山·桃李苑" in text and "星城" not in text
    login(client, "regulator")
    text = client.get("/api/export/projects.csv", params={"q": "星城", "sort": "-name"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    # 星城's three demo projects (one of them the 户室信息补录 demo), by name descending.
    assert len(lines) == 4 and [line.split(",")[0] for line in lines[1:]] == ["星城·麓谷雅苑", "星城·湘江府", "星城·东方名苑"]


def test_xlsx_export_and_masking(client):
    login(client, "regulator")
    response = client.get("/api/export/users.xlsx", params={"q": "dev2"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("用户名", "姓名", "手机号") and [r[0] for r in rows[1:]] == ["dev2_admin"]
    assert all("****" in r[2] for r in rows[1:])


def test_background_job_download_is_for_its_owner_only(client, demo_db):
    from netsign_console.admin.base import get_admin
    from netsign_console.admin.export import finish_job, new_job, write_export

    dev = demo_principal(demo_db, "dev_admin")
    admin = get_admin("projects")
    job_id, path = new_job(admin, dev, "csv")
    finish_job(job_id, write_export(admin, dev, ListParams(), "csv", path))
    login(client, "dev_admin")
    ok = client.get(f"/api/export/projects.csv?job={job_id}")
    assert ok.status_code == 200 and "星城·湘江府" in ok.content.decode("utf-8")
    login(client, "dev2_admin")
    assert client.get(f"/api/export/projects.csv?job={job_id}").status_code == 404


def test_import_template_route(client):
    assert client.get("/api/import/projects/template.xlsx").status_code == 401
    login(client, "regulator")
    assert client.get("/api/import/projects/template.xlsx").status_code == 403
    login(client, "dev_admin")
    response = client.get("/api/import/projects/template.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert headers[:3] == ["项目名称*", "坐落*", "所属区县"] and "开发企业" not in " ".join(headers)


def test_certificate_scans_are_private_and_scoped(client, demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    cert_id = list_records("project-certificates", dev, ListParams(), url=demo_db).rows[0]["_id"]
    token = files.stage_upload("四证.pdf", b"%PDF-1.4 scan", dev)
    # Another user cannot attach this upload (tokens are bound to their uploader).
    dev2 = demo_principal(demo_db, "dev2_admin")
    other_cert = list_records("project-certificates", dev2, ListParams(), url=demo_db).rows[0]["_id"]
    with pytest.raises(service.ValidationFailed, match="已失效"):
        service.update_record("project-certificates", dev2, other_cert, {"scan_file": token})
    service.update_record("project-certificates", dev, cert_id, {"scan_file": token})
    stored = service.get_form("project-certificates", dev, cert_id).values["scan_file"]
    assert stored.startswith("files/project_certificate/") and "_upload" not in stored
    # A browser cannot point a record at an arbitrary path.
    with pytest.raises(service.ValidationFailed):
        service.update_record("project-certificates", dev, cert_id, {"scan_file": "../../netsign.db"})
    url = f"/api/files/project-certificates/{cert_id}/scan_file"
    assert client.get(url).status_code == 401
    login(client, "dev_admin")
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 scan"
    assert response.headers["content-type"] == "application/pdf"
    login(client, "regulator")
    assert client.get(url).status_code == 200
    login(client, "dev2_admin")
    response = client.get(url)
    assert response.status_code == 403 and response.json() == {"message": "记录不存在或无权访问"}
    assert client.get(f"/api/files/project-certificates/{cert_id}/number").status_code == 404
    with pytest.raises(files.FileRefused, match="文件类型不支持"):
        files.stage_upload("evil.html", b"<script>", dev)


def test_generated_pages_register_routes_menu_and_permissions():
    import netsign_console.netsign_console  # noqa: F401  registers every page
    from netsign_console.components.page import PAGES
    from netsign_console.navigation import MENU, permission_for_route

    routes = {p.route for p in PAGES}
    assert {"/org/profile", "/admin/projects", "/admin/projects/new", "/admin/projects/[record_id]", "/audit",
            "/audit/[record_id]", "/admin/users", "/admin/service-points"} <= routes
    assert "/admin/users/new" not in routes and "/audit/new" not in routes  # those admins cannot create
    assert not any(r.startswith("/admin/t-") for r in routes)  # test admins have no pages
    assert permission_for_route("/org/profile") is Perm.ORG_OWN_EDIT
    assert permission_for_route("/admin/projects") is Perm.MASTER_DATA_VIEW
    assert permission_for_route("/admin/projects/new") is Perm.MASTER_DATA_MANAGE
    assert permission_for_route("/admin/projects/[record_id]") is Perm.MASTER_DATA_VIEW
    assert permission_for_route("/admin/organizations") is Perm.ORG_ALL_VIEW
    assert permission_for_route("/admin/service-points") is Perm.SERVICE_POINT_VIEW
    assert permission_for_route("/audit") is Perm.AUDIT_VIEW
    labels = [m.label for m in sorted(MENU, key=lambda m: m.order) if m.group == "系统管理"]
    mine = ["开发企业信息", "项目信息", "项目证件", "按揭银行", "贷款银行", "监管银行账户", "物业公司", "服务网点",
            "机构名录", "用户名录", "审计日志"]
    assert [label for label in labels if label in mine] == mine  # declared once, in each admin's menu_order


def test_generic_states_do_not_shadow_the_session_cookie():
    # A substate var named "token" would hide AppState.token (the login cookie) from the guard.
    from netsign_console.admin.ui.form_state import AdminFormState
    from netsign_console.admin.ui.import_state import AdminImportState
    from netsign_console.admin.ui.list_state import AdminListState
    from netsign_console.state.app_state import AppState

    for cls in (AdminListState, AdminFormState, AdminImportState):
        assert issubclass(cls, AppState) and "token" not in cls.__dict__.get("__annotations__", {})
        assert "token" not in cls.get_fields() or cls.get_fields()["token"] is AppState.get_fields()["token"]
