"""SURV-01's two ways in, chosen per city: in 查询导入 (the default) only the survey office
imports and developers pick results by 测绘宗号; in 文件导入 (NETSIGN_SURVEY_IMPORT_MODE=file) a
developer's users upload their own survey files, for their own projects only, and the filing
start form says where."""

from __future__ import annotations

import dataclasses

import pytest

from netsign_console import settings as config
from netsign_console.auth.permissions import Perm, has_permission
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.survey import check_upload, commit_import
from netsign_console.survey.pickers import search_developers
from netsign_console.db import session_scope
from netsign_console.workflow import acceptance
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture
from tests.unit.survey_rows import building_rows, to_csv
from tests.unit.test_survey_library import project_of


@pytest.fixture
def file_mode(monkeypatch):
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings, survey_import_mode="file"))


def _file(number: str) -> bytes:
    return to_csv(building_rows("D009", survey_number=number, floors=2, per_floor=2))


def test_query_mode_keeps_imports_with_the_survey_office(demo_db):
    dev = demo_principal(demo_db, "dev_operator")
    assert not has_permission(dev, Perm.SURVEY_IMPORT)
    project = project_of(demo_db, "星城·湘江府")
    with pytest.raises(PermissionDenied):
        check_upload(dev, _file("YC20269990101"), "a.csv", developer_org_id=project.developer_org_id,
                     project_id=project.id)
    assert acceptance.start_form(dev, "survey-forecast-filing").note == ""


def test_file_mode_lets_a_developer_import_for_itself_only(demo_db, file_mode):
    dev = demo_principal(demo_db, "dev_operator")
    assert has_permission(dev, Perm.SURVEY_IMPORT)
    assert not has_permission(demo_principal(demo_db, "mortgage_bank"), Perm.SURVEY_IMPORT)
    own, other = project_of(demo_db, "星城·湘江府"), project_of(demo_db, "麓山·桃李苑")
    with session_scope(demo_db) as session:
        assert [name for _id, name in search_developers(session, dev, "")] == [dev.org_name]
    with pytest.raises(UserError, match="只能导入本企业的测绘成果") as refused:
        check_upload(dev, _file("YC20269990102"), "a.csv", developer_org_id=other.developer_org_id,
                     project_id=other.id)
    assert refused.value.field == "developer_org_id"
    check = check_upload(dev, _file("YC20269990103"), "a.csv", developer_org_id=own.developer_org_id,
                         project_id=own.id)
    assert not check.errors
    result = commit_import(dev, check.token)
    assert result.survey_number == "YC20269990103" and result.developer_org_id == dev.org_id
    # The filing start form tells the developer where the file goes, and then finds it by its number.
    assert "测绘成果导入" in acceptance.start_form(dev, "survey-forecast-filing").note
    with session_scope(demo_db) as session:
        found = acceptance.search(session, dev, "survey-forecast-filing", "YC20269990103")
    assert [o.key for o in found] == [f"{result.id}-D009"]
