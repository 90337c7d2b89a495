"""The survey library on PostgreSQL: an import's bulk INSERTs and its audit event, two imports
of one survey number racing (the unique index decides, the loser gets the Chinese refusal and
saves nothing), and two cases racing to reserve one result (the conditional UPDATE decides).

Runs in a schema of its own (the app's tables by create_all plus the demo data), so it
neither needs the migrations nor disturbs the `public` schema other integration tests rebuild.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import SQLModel, select

import models  # noqa: F401
from models.audit import AuditLog
from models.project import Project
from models.survey import SurveyResult, SurveyRoom
from models.user import RoleDef, User
from models.enums import Role
from netsign_console.admin import files
from netsign_console.auth.service import principal_for_user
from netsign_console.db import dispose_engines, session_scope
from netsign_console.demo.loader import load_demo_data
from netsign_console.errors import ActionRefused, UserError
from netsign_console.survey import check_upload, commit_import, find_result, reserve_for_filing
from tests.unit.survey_rows import building_rows, to_csv


@pytest.fixture
def pg_survey(pg_server, tmp_path, monkeypatch):
    schema = f"survey_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_server}?options={quote(f'-csearch_path={schema}')}"
    monkeypatch.setattr(files, "settings", dataclasses.replace(files.settings, private_dir=tmp_path / "private"))
    try:
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            for role in Role:
                conn.execute(RoleDef.__table__.insert().values(code=role.value, name=role.label))
        engine.dispose()
        load_demo_data(url)
        yield url
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _principal(url: str, username: str):
    with session_scope(url) as session:
        return principal_for_user(session, session.exec(select(User).where(User.username == username)).one())


def _target(url: str) -> dict:
    with session_scope(url) as session:
        project = session.exec(select(Project).where(Project.name == "星城·湘江府")).one()
        return {"developer_org_id": project.developer_org_id, "project_id": project.id}


def test_import_and_the_races_it_must_win(pg_survey):
    url, survey = pg_survey, _principal(pg_survey, "survey")
    data = to_csv(building_rows("D001", floors=20, per_floor=4, units=2, survey_number="PG001"))
    check = check_upload(survey, data, "pg.csv", url=url, **_target(url))
    assert check.ok and check.room_count == 160
    result = commit_import(survey, check.token, url=url)
    with session_scope(url) as session:
        assert session.exec(select(func.count()).select_from(SurveyRoom).where(
            SurveyRoom.result_id == result.id)).one() == 160
        assert session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.model == "survey_result", AuditLog.action == "import")).one() == 1

    # Two checks of one new number, imported at the same moment: exactly one wins.
    data = to_csv(building_rows("D002", survey_number="PG002"))
    tokens = [check_upload(survey, data, f"{i}.csv", url=url, **_target(url)).token for i in range(2)]
    outcomes: list[object] = [None, None]
    start = threading.Barrier(2)

    def race(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = commit_import(survey, tokens[i], url=url).survey_number
        except ActionRefused as exc:
            outcomes[i] = str(exc)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["PG002", "测绘宗号“PG002”已导入"]
    with session_scope(url) as session:
        assert session.exec(select(func.count()).select_from(SurveyResult).where(
            SurveyResult.survey_number == "PG002")).one() == 1
        assert session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.model == "survey_result", AuditLog.action == "import")).one() == 2

    # Two cases reserving the same result: one holds it, the other is told which case does.
    developer = _principal(url, "dev_admin")
    with session_scope(url) as session:
        result_id = find_result(session, developer, "PG002").id
    messages: list[str] = []

    def reserve(case_number: str) -> None:
        start.wait()
        try:
            with session_scope(url) as session:
                reserve_for_filing(session, developer, result_id, case_number)
            messages.append("ok")
        except UserError as exc:
            messages.append(str(exc))

    threads = [threading.Thread(target=reserve, args=(f"C20261202000000{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert messages.count("ok") == 1
    (refusal,) = [m for m in messages if m != "ok"]
    assert refusal.startswith("测绘宗号“PG002”的测绘成果备案中（业务C20261202000000") and refusal.endswith("，不能选用")
