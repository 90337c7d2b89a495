"""The survey results library (测绘成果库, issue 8): import with its report, refusals, scope,
the subject kind of the filing flows, display rows and the filing status moves."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from models.audit import AuditLog
from models.enums import SurveyResultStatus
from models.project import Project
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from netsign_console.admin.query import ListParams, list_records
from netsign_console.admin.staging import FOLDER
from netsign_console.admin.files import private_root
from netsign_console.db import get_engine, session_scope
from netsign_console.errors import ActionRefused, PermissionDenied, UserError
from netsign_console.survey import (
    check_upload,
    commit_import,
    error_report_csv,
    find_result,
    get_result,
    lookup_result,
    mark_filed,
    release_from_filing,
    reserve_for_filing,
    result_tables,
)
from netsign_console.survey import importing
from netsign_console.survey.subject import AS_BUILT_RESULT, FORECAST_RESULT, SURVEY_RESULT
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture
from tests.unit.survey_rows import building_rows, to_csv

CHAIN = {"YC20260406001", "YC20260406002"}  # D001 and D002, filed by demo/new_house_chain.py
DEMO_DEV1 = "YC20261201001"  # the demo result of 湖南星城置业 (dev_admin)
DEMO_DEV2 = "YC20261201002"  # the demo result of 长沙麓山 (dev2_admin)


@pytest.fixture
def who(demo_db):
    return {name: demo_principal(demo_db, name)
            for name in ("survey", "regulator", "admin", "window", "dev_admin", "dev2_admin", "dev_operator")}


def project_of(url: str, name: str) -> Project:
    with Session(get_engine(url)) as session:
        return session.exec(select(Project).where(Project.name == name)).one()


@pytest.fixture
def target(demo_db):
    project = project_of(demo_db, "星城·湘江府")
    return {"developer_org_id": project.developer_org_id, "project_id": project.id}


def good_file(number: str = "CL2026001", **kw) -> bytes:
    # Two buildings: D001 of 6 rooms (3 floors × 2) and D002 of 4 rooms (2 floors × 1 × 2 units).
    rows = building_rows("D001", survey_number=number, **kw) + \
        building_rows("D002", floors=2, per_floor=1, units=2, survey_number=number, **kw)
    return to_csv(rows)


def bad_file(number: str = "CL2026002") -> bytes:
    rows = building_rows("D001", survey_number=number) + \
        building_rows("D002", floors=2, per_floor=1, units=2, survey_number=number)
    rows[3]["建筑面积"] = "130.1000"  # spreadsheet row 5: 130.1 ≠ 80 + 20
    rows[7]["室号"] = rows[6]["室号"]  # row 9: the same room number twice in D002
    return to_csv(rows)


def stored(url: str, number: str) -> tuple[SurveyResult | None, list[SurveyBuilding], list[SurveyRoom]]:
    with Session(get_engine(url)) as session:
        result = session.exec(select(SurveyResult).where(SurveyResult.survey_number == number)).first()
        if result is None:
            return None, [], []
        buildings = session.exec(select(SurveyBuilding).where(SurveyBuilding.result_id == result.id)
                                 .order_by(SurveyBuilding.id)).all()
        rooms = session.exec(select(SurveyRoom).where(SurveyRoom.result_id == result.id).order_by(SurveyRoom.id)).all()
        return result, list(buildings), list(rooms)


def import_events(url: str) -> list[AuditLog]:
    with Session(get_engine(url)) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.model == "survey_result",
                                                        AuditLog.action == "import")).all())


class TestImport:
    def test_a_good_file_is_checked_then_imported_in_one_transaction(self, demo_db, who, target):
        check = check_upload(who["survey"], good_file(), "成果.csv", **target)
        assert check.ok and check.warnings == ()
        assert (check.survey_number, check.kind, check.kind_label) == ("CL2026001", "forecast", "预测")
        assert (check.developer_name, check.project_name) == ("湖南星城置业有限公司", "星城·湘江府")
        assert [(b.building_number, b.total_units, b.rooms) for b in check.buildings] == [("D001", 6, 6), ("D002", 4, 4)]
        assert (check.row_count, check.room_count, check.valid_room_count) == (10, 10, 10)
        assert stored(demo_db, "CL2026001")[0] is None  # the check saves nothing

        result = commit_import(who["survey"], check.token)
        assert (result.survey_number, result.kind, result.status) == ("CL2026001", "forecast", "available")
        assert (result.building_count, result.room_count, result.file_name) == (2, 10, "成果.csv")
        saved, buildings, rooms = stored(demo_db, "CL2026001")
        assert saved.id == result.id and saved.imported_by_id == who["survey"].user_id
        assert saved.developer_org_id == target["developer_org_id"] and saved.project_id == target["project_id"]
        assert [(b.building_number, b.total_units, b.floors_above, b.unit_count) for b in buildings] == \
            [("D001", 6, 3, 1), ("D002", 4, 2, 2)]
        first = rooms[0]
        assert (first.room_number, first.actual_floor, first.gross_area, first.inner_area, first.shared_area,
                first.structure, first.usage, first.nature, first.has_elevator) == \
            ("1-0101", 1, Decimal("100.0000"), Decimal("80.0000"), Decimal("20.0000"), "3", "10", "0", True)
        assert {r.survey_building_id for r in rooms[6:]} == {buildings[1].id}
        (event,) = import_events(demo_db)
        assert event.record_id == str(result.id) and event.user_id == who["survey"].user_id
        assert event.changes["_summary"] == "导入测绘成果CL2026001（预测）：2栋10户，文件：成果.csv"
        # The token is spent: the same check cannot import twice.
        with pytest.raises(ActionRefused, match="导入文件已失效"):
            commit_import(who["survey"], check.token)

    def test_a_file_with_bad_rows_is_refused_naming_each_row_and_reason(self, demo_db, who, target):
        check = check_upload(who["survey"], bad_file(), "成果.csv", **target)
        assert not check.ok
        found = [(e.row, e.column, e.message) for e in check.errors]
        assert found == [
            (5, "建筑面积", "建筑面积130.1000m²与套内面积80.0000m²加分摊面积20.0000m²之和100.0000m²不一致（允许误差±0.01m²）"),
            (9, "室号", "室号“1-0101”在栋号D002中重复（第8行）"),
        ]
        assert check.error_row_count == 2
        with pytest.raises(ActionRefused, match="文件有.*处错误，未导入任何数据"):
            commit_import(who["survey"], check.token)
        assert stored(demo_db, "CL2026002") == (None, [], [])
        assert import_events(demo_db) == []
        report = error_report_csv(who["survey"], check.token).decode("utf-8-sig")
        assert report.splitlines()[0] == "类别,行号,列,说明"
        assert "错误,5,建筑面积," in report and "错误,9,室号," in report

    def test_only_valid_drops_the_bad_rows_and_recounts(self, demo_db, who, target):
        check = check_upload(who["survey"], bad_file(), "成果.csv", **target)
        assert check.can_import_valid_only and (check.valid_building_count, check.valid_room_count) == (2, 8)
        assert [(b.building_number, b.rooms, b.valid_rooms) for b in check.buildings] == [("D001", 6, 5), ("D002", 4, 3)]
        result = commit_import(who["survey"], check.token, only_valid=True)
        assert (result.building_count, result.room_count) == (2, 8)
        assert result.remarks == "仅导入正确的行，跳过2行"
        _, buildings, rooms = stored(demo_db, "CL2026002")
        assert [(b.building_number, b.total_units) for b in buildings] == [("D001", 5), ("D002", 3)]
        d001 = [r.room_number for r in rooms if r.survey_building_id == buildings[0].id]
        d002 = [r.room_number for r in rooms if r.survey_building_id == buildings[1].id]
        assert d001 == ["1-0101", "1-0102", "1-0201", "1-0301", "1-0302"]  # not row 5's 1-0202
        assert d002 == ["1-0101", "2-0101", "2-0201"]  # row 8 kept, its duplicate on row 9 dropped
        (event,) = import_events(demo_db)
        assert event.changes["skipped"] == 2 and event.changes["error_rows"] == [5, 9]

    def test_a_building_left_without_rooms_is_dropped(self, demo_db, who, target):
        rows = building_rows("D001", survey_number="CL2026003") + \
            building_rows("D002", floors=1, per_floor=1, survey_number="CL2026003")
        rows[-1]["实际层"] = "0"  # D002's only room
        check = check_upload(who["survey"], to_csv(rows), "a.csv", **target)
        assert (check.valid_building_count, check.valid_room_count) == (1, 6)
        result = commit_import(who["survey"], check.token, only_valid=True)
        assert (result.building_count, result.room_count) == (1, 6)
        assert [b.building_number for b in stored(demo_db, "CL2026003")[1]] == ["D001"]

    def test_file_level_errors_cannot_be_imported_even_as_valid_rows(self, demo_db, who, target):
        rows = building_rows(survey_number="")
        check = check_upload(who["survey"], to_csv(rows), "a.csv", **target)
        assert [(e.row, e.column, e.scope) for e in check.errors] == [(2, "测绘宗号", "file")]
        assert not check.can_import_valid_only
        with pytest.raises(ActionRefused, match="文件有整体性错误，不能仅导入正确的行：请填写测绘宗号"):
            commit_import(who["survey"], check.token, only_valid=True)

    def test_the_import_parses_the_staged_file_again(self, demo_db, who, target):
        check = check_upload(who["survey"], good_file("CL2026004"), "a.csv", **target)
        (staged,) = (private_root() / FOLDER).glob(f"{check.token}.csv")
        staged.write_bytes(bad_file("CL2026004"))  # whatever happened to the file since the check
        with pytest.raises(ActionRefused, match="未导入任何数据"):
            commit_import(who["survey"], check.token)
        assert stored(demo_db, "CL2026004")[0] is None

    def test_the_token_is_the_uploaders_own(self, demo_db, who, target):
        check = check_upload(who["survey"], good_file("CL2026005"), "a.csv", **target)
        with pytest.raises(ActionRefused, match="导入文件已失效"):
            commit_import(who["regulator"], check.token)
        with pytest.raises(ActionRefused, match="导入文件已失效"):
            commit_import(who["survey"], "../../etc/passwd")

    def test_the_configured_tolerance_applies(self, demo_db, who, target, monkeypatch):
        rows = building_rows(survey_number="CL2026006")
        for row in rows:
            row["建筑面积"] = "100.3000"  # 0.3 m² more than 80 + 20
        data = to_csv(rows)
        assert not check_upload(who["survey"], data, "a.csv", **target).ok
        monkeypatch.setattr(importing, "settings", dataclasses.replace(importing.settings,
                                                                       area_tolerance=Decimal("0.5")))
        assert check_upload(who["survey"], data, "a.csv", **target).ok


class TestRefusals:
    @pytest.mark.parametrize("name", ["dev_admin", "dev_operator", "window"])
    def test_only_the_survey_office_side_imports(self, demo_db, who, target, name):
        with pytest.raises(PermissionDenied, match="导入测绘成果"):
            check_upload(who[name], good_file(), "a.csv", **target)

    @pytest.mark.parametrize("name", ["survey", "regulator", "admin"])
    def test_survey_office_regulator_and_admin_may_import(self, demo_db, who, target, name):
        assert check_upload(who[name], good_file(), "a.csv", **target).ok

    def test_the_project_must_be_the_developers(self, demo_db, who, target):
        other = project_of(demo_db, "麓山·桃李苑")
        with pytest.raises(UserError, match="项目“麓山·桃李苑”不属于湖南星城置业有限公司") as refused:
            check_upload(who["survey"], good_file(), "a.csv", developer_org_id=target["developer_org_id"],
                         project_id=other.id)
        assert refused.value.field == "project_id"
        with pytest.raises(UserError, match="请选择开发企业"):
            check_upload(who["survey"], good_file(), "a.csv", developer_org_id=who["regulator"].org_id,
                         project_id=other.id)
        with pytest.raises(UserError, match="请选择项目"):
            check_upload(who["survey"], good_file(), "a.csv", developer_org_id=target["developer_org_id"],
                         project_id=0)

    def test_a_survey_number_already_in_the_library(self, demo_db, who, target):
        with pytest.raises(UserError, match=f"测绘宗号“{DEMO_DEV1}”已导入") as refused:
            check_upload(who["survey"], good_file(DEMO_DEV1), "a.csv", **target)
        assert refused.value.field == "file"
        first = check_upload(who["survey"], good_file("CL2026010"), "a.csv", **target)
        second = check_upload(who["survey"], good_file("CL2026010"), "b.csv", **target)
        commit_import(who["survey"], first.token)
        with pytest.raises(ActionRefused, match="测绘宗号“CL2026010”已导入"):
            commit_import(who["survey"], second.token)
        assert len(import_events(demo_db)) == 1

    def test_a_duplicate_that_slips_past_the_check_is_refused_by_the_unique_index(self, demo_db, who, target,
                                                                                   monkeypatch):
        first = check_upload(who["survey"], good_file("CL2026011"), "a.csv", **target)
        second = check_upload(who["survey"], good_file("CL2026011"), "b.csv", **target)
        commit_import(who["survey"], first.token)
        monkeypatch.setattr(importing, "_already_imported", lambda session, number: False)  # a race lost
        with pytest.raises(ActionRefused, match="测绘宗号“CL2026011”已导入"):
            commit_import(who["survey"], second.token)
        assert len(import_events(demo_db)) == 1 and len(stored(demo_db, "CL2026011")[2]) == 10

    @pytest.mark.parametrize(("name", "data", "message"), [
        ("a.pdf", b"%PDF-1.4", "请上传CSV或XLSX格式的测绘成果文件"),
        ("a.csv", b"", "文件是空的"),
        ("a.csv", b"x" * (importing.MAX_BYTES + 1), "文件过大，最大30MB"),
    ])
    def test_file_type_and_size(self, demo_db, who, target, name, data, message):
        with pytest.raises(UserError, match=message):
            check_upload(who["survey"], data, name, **target)


class TestScope:
    def test_a_developer_finds_its_own_results_only(self, demo_db, who):
        with session_scope() as session:
            assert find_result(session, who["dev_admin"], DEMO_DEV1).survey_number == DEMO_DEV1
            assert find_result(session, who["dev_admin"], DEMO_DEV2) is None
            assert find_result(session, who["dev2_admin"], DEMO_DEV2).survey_number == DEMO_DEV2
            assert find_result(session, who["survey"], DEMO_DEV2) is not None
            other = find_result(session, who["survey"], DEMO_DEV2)
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                get_result(session, who["dev_admin"], other.id)
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                result_tables(session, who["dev_admin"], other.id)

    def test_the_library_list_is_scoped(self, demo_db, who):
        def numbers(name, search=""):
            rows = list_records("survey-results", who[name], ListParams(search=search)).rows
            return {r["survey_number"] for r in rows}

        assert numbers("dev_admin") == {DEMO_DEV1, *CHAIN}  # and D001's and D002's, filed by the demo chain
        assert numbers("dev2_admin") == {DEMO_DEV2}
        assert numbers("survey") == numbers("regulator") == {DEMO_DEV1, DEMO_DEV2, *CHAIN}
        assert numbers("survey", "YC20261201002") == {DEMO_DEV2}
        assert numbers("survey", "YC202612") == {DEMO_DEV1, DEMO_DEV2}  # prefix

    def test_lookup_says_why_a_result_cannot_be_used(self, demo_db, who):
        with session_scope() as session:
            with pytest.raises(UserError, match=f"未找到测绘宗号“{DEMO_DEV2}”的测绘成果"):
                lookup_result(session, who["dev_admin"], DEMO_DEV2)
            with pytest.raises(UserError, match="是预测成果，不是实测成果"):
                lookup_result(session, who["dev_admin"], DEMO_DEV1, kind="as_built")
            found = lookup_result(session, who["dev_admin"], f" {DEMO_DEV1} ", kind="forecast",
                                  status=SurveyResultStatus.AVAILABLE)
            reserve_for_filing(session, who["dev_admin"], found.id, "C202612020000001")
            with pytest.raises(UserError, match=r"备案中（业务C202612020000001），不能选用"):
                lookup_result(session, who["dev_admin"], DEMO_DEV1, status="available")


class TestSubjectKind:
    def test_search_by_number_prefix_within_scope_and_only_available(self, demo_db, who):
        with session_scope() as session:
            dev = [o.key for o in SURVEY_RESULT.search(session, who["dev_admin"], "YC2026")]
            reg = [o.key for o in SURVEY_RESULT.search(session, who["survey"], "YC2026")]
            assert dev == [DEMO_DEV1] and reg == [DEMO_DEV1, DEMO_DEV2]
            assert [o.key for o in SURVEY_RESULT.search(session, who["survey"], "YC20261201002")] == [DEMO_DEV2]
            assert SURVEY_RESULT.search(session, who["survey"], "1201002") == []  # a prefix, not a substring
            assert [o.key for o in SURVEY_RESULT.search(session, who["survey"], "桃李")] == [DEMO_DEV2]  # project
            option = SURVEY_RESULT.search(session, who["dev_admin"], "")[0]
            assert option.label == f"{DEMO_DEV1}（预测，1栋24户）"
            assert FORECAST_RESULT.search(session, who["survey"], "YC") != []
            assert AS_BUILT_RESULT.search(session, who["survey"], "YC") == []
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                SURVEY_RESULT.load(session, who["dev_admin"], find_result(session, who["survey"], DEMO_DEV2).id)
            mine = SURVEY_RESULT.load(session, who["dev_admin"], option.id)
            rows = dict(SURVEY_RESULT.describe(session, mine))
            assert list(rows)[:8] == ["测绘宗号", "测绘类型", "项目", "开发企业", "栋数", "户数", "状态", "导入时间"]
            assert (rows["项目"], rows["开发企业"], rows["户数"], rows["状态"]) == \
                ("星城·麓谷雅苑", "湖南星城置业有限公司", "24", "待备案")
            reserve_for_filing(session, who["dev_admin"], mine.id, "C202612020000001")
            assert SURVEY_RESULT.search(session, who["dev_admin"], "YC") == []  # no longer 待备案


class TestDisplayAndStatus:
    def test_result_tables_pages_the_rooms(self, demo_db, who):
        with session_scope() as session:
            found = find_result(session, who["dev_admin"], DEMO_DEV1)
            tables = result_tables(session, who["dev_admin"], found.id, limit=10)
            (building,) = tables.buildings
            assert (building["label"], building["total_units"], building["rooms"], building["floors"]) == \
                ("D101(CL20261201001)", "24", "24", "6 / 0")
            assert tables.room_total == 24 and len(tables.rooms) == 10 and tables.has_more
            first = tables.rooms[0]
            assert (first["seq"], first["room_number"], first["building_number"], first["gross_area"],
                    first["structure"], first["usage"], first["nature"], first["has_elevator"]) == \
                ("1", "1-0101", "D101", "103.5000", "钢筋混凝土结构", "住宅", "市场化商品房", "是")
            last_page = result_tables(session, who["dev_admin"], found.id, offset=20, limit=10)
            assert [r["seq"] for r in last_page.rooms] == ["21", "22", "23", "24"] and not last_page.has_more
            one = result_tables(session, who["dev_admin"], found.id, building_id=int(building["id"]), limit=None)
            assert one.room_total == 24 and len(one.rooms) == 24
            with pytest.raises(PermissionDenied):
                result_tables(session, who["dev_admin"], found.id, building_id=999_999)

    def test_filing_moves_are_guarded_by_status_and_case(self, demo_db, who):
        with session_scope() as session:
            result = find_result(session, who["dev_admin"], DEMO_DEV1)
            with pytest.raises(PermissionDenied):
                reserve_for_filing(session, who["dev2_admin"], result.id, "C1")
            reserve_for_filing(session, who["dev_admin"], result.id, "C1")
            with pytest.raises(UserError, match="备案中（业务C1），不能选用"):
                reserve_for_filing(session, who["dev_admin"], result.id, "C2")
            with pytest.raises(UserError, match="不能释放"):
                release_from_filing(session, who["dev_admin"], result.id, "C2")  # not the holder
            release_from_filing(session, who["dev_admin"], result.id, "C1")
            assert (result.status, result.case_number) == ("available", None)
            reserve_for_filing(session, who["dev_admin"], result.id, "C2")
            mark_filed(session, who["regulator"], result.id, "C2")
            assert (result.status, result.case_number) == ("filed", "C2")
        with Session(get_engine(demo_db)) as session:
            events = session.exec(select(AuditLog).where(AuditLog.model == "survey_result",
                                                         AuditLog.action == "update")).all()
            assert [e.changes["status"] for e in events] == [["available", "filing"], ["filing", "available"],
                                                             ["available", "filing"], ["filing", "filed"]]


def test_the_template_route_needs_a_login_and_survey_data_permission(demo_db):
    import io
    import warnings

    from openpyxl import load_workbook
    from starlette.applications import Starlette

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from netsign_console.api.routes import api_routes
    from netsign_console.auth.service import attempt_login
    from netsign_console.demo.accounts import DEMO_PASSWORD

    client = TestClient(Starlette(routes=api_routes()))
    assert client.get("/api/survey/template.xlsx").status_code == 401
    client.cookies.set("netsign_token", attempt_login("mortgage_bank", DEMO_PASSWORD).token)
    response = client.get("/api/survey/template.xlsx")
    assert response.status_code == 403 and "查看项目与基础信息" in response.json()["message"]
    for name in ("survey", "dev_operator"):
        client.cookies.set("netsign_token", attempt_login(name, DEMO_PASSWORD).token)
        response = client.get("/api/survey/template.xlsx")
        assert response.status_code == 200
        assert "filename*=UTF-8''%E6%B5%8B%E7%BB%98" in response.headers["content-disposition"]
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["户室", "填写说明"]
        assert "测绘宗号*" in [c.value for c in workbook["户室"][1]]
