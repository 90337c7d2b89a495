"""A new case type is one flow module, one model module and one admin class: nothing else.

The case type here lives in a temporary package written by the test (outside the repository)
and is loaded the way extensions are (netsign_console/discovery.py). Without editing any file
of the console it gets its 业务受理 menu entry and start page, its case page with the sub-task
form over its own entity, inbox rows for the regulator, and the permission checks.
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from sqlmodel import Session

from models.building import Building
from models.enums import Role
from models.project import Project
from netsign_console.admin.base import get_admin, temporary_admins
from netsign_console.discovery import load_extension
from netsign_console.errors import ConfigurationError, PermissionDenied, ValidationFailed
from netsign_console.navigation import menu_for, route_allows
from netsign_console.workflow import engine as wf
from netsign_console.workflow import acceptance, subtask_service, temporary_flows
from netsign_console.workflow.inbox import inbox
from netsign_console.workflow.view import case_view
from tests.unit.workflow_fixtures import seed_world, sqlite_engine

import pages  # noqa: E402,F401  the console's pages and their route gates, as the app registers them

MODEL = '''
"""车位销售申请: the case type's own entity (on its own metadata, so the app's schema is untouched)."""
from decimal import Decimal
from typing import Optional
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel
from models.base import money_field

class ExtBase(SQLModel, registry=registry()):
    pass

class ParkingApplication(ExtBase, table=True):
    __tablename__ = "ext_parking_application"
    __org_scope__ = "developer_org_id"
    id: Optional[int] = Field(default=None, primary_key=True)
    developer_org_id: int = Field(title="开发企业")
    building_id: int = Field(title="楼栋")
    space_count: Optional[int] = Field(default=None, title="车位数量")
    unit_price: Optional[Decimal] = money_field(default=None, title="车位单价（元）")
'''

ADMIN = '''
from netsign_console.admin.base import ModelAdmin
from ext_parking.model import ParkingApplication

class ParkingApplicationAdmin(ModelAdmin, model=ParkingApplication):
    slug = "ext-parking"
    title = "车位销售申请"
    show_in_console = False
    form_fields = ("space_count", "unit_price")
    required_fields = ("space_count", "unit_price")
'''

FLOW = '''
from pydantic import Field
from models.enums import Role
from netsign_console.workflow import End, Flow, Review, Stage, Start, initiating_org
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.subtasks import FormStep
from ext_parking.model import ParkingApplication

DEVELOPER = (Role.DEVELOPER_ADMIN, Role.OPERATOR)

class ParkingData(CaseData):
    building_id: int = Field(title="楼栋")
    application_id: int | None = Field(default=None, title="申请")

class ParkingSale(Flow):
    """车位销售备案"""
    code = "ext_parking_sale"
    prefix = "P"
    category = "扩展业务"
    data_model = ParkingData

    start = Start(DEVELOPER, subject="building", initial_data=lambda ctx: {"building_id": ctx.subject.id})
    entry = Stage("车位信息录入", DEVELOPER, org=initiating_org, subtasks=(
        FormStep("车位信息", admin="ext-parking", record=lambda ctx: ctx.data.application_id),
    ))
    review = Review("主管部门审核", (Role.REGULATOR,), on_reject="entry")
    end = End()

    def on_accept(self, session, case, subject):
        application = ParkingApplication(developer_org_id=case.org_id, building_id=subject.id)
        session.add(application)
        session.flush()
        self.set_data(case, application_id=application.id)
'''


def _write_package(root, name: str, files: dict[str, str]) -> None:
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, text in files.items():
        (package / f"{module}.py").write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def extension(tmp_path, monkeypatch):
    _write_package(tmp_path, "ext_parking", {"model": MODEL, "admin": ADMIN, "flow": FLOW})
    monkeypatch.syspath_prepend(str(tmp_path))
    with temporary_flows(), temporary_admins():
        modules = load_extension("ext_parking")
        yield {m.__name__.rsplit(".", 1)[-1]: m for m in modules}
    for name in [m for m in sys.modules if m == "ext_parking" or m.startswith("ext_parking.")]:
        del sys.modules[name]


@pytest.fixture
def db(tmp_path, extension):
    engine = sqlite_engine(tmp_path / "ext.db")
    extension["model"].ExtBase.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = seed_world(session)
        project = Project(developer_org_id=world.orgs["dev_a"].id, name="星城·车位项目", location="长沙市")
        session.add(project)
        session.flush()
        building = Building(project_id=project.id, developer_org_id=project.developer_org_id, building_number="P1")
        session.add(building)
        session.commit()
        yield session, world, building
    engine.dispose()


def test_the_extension_loads_in_the_right_order(extension):
    assert list(extension) == ["model", "admin", "flow"]  # models, then admins, then the rest
    assert get_admin("ext-parking") is not None


def test_menu_start_page_case_page_inbox_and_permissions_come_from_the_declarations(db):
    session, world, building = db
    dev, reg = world.p["dev_a"], world.p["reg"]

    # 业务受理: the menu entry and the start page, for the roles the flow names only.
    groups = {g["group"]: g["items"] for g in menu_for(dev)}
    assert {"label": "扩展业务", "route": "/accept?group=扩展业务", "icon": "circle"} in groups["业务受理"]
    [category] = [c for c in acceptance.catalogue(dev) if c.title == "扩展业务"]
    assert [f.title for f in category.flows] == ["车位销售备案"]
    assert route_allows(dev, "/accept/[flow]", {"flow": "ext-parking-sale"})
    assert not route_allows(reg, "/accept/[flow]", {"flow": "ext-parking-sale"})
    assert not route_allows(world.p["bank_a"], "/accept/[flow]", {"flow": "ext-parking-sale"})
    assert [o.key for o in acceptance.search(session, dev, "ext-parking-sale", "P")] == ["P1"]
    assert acceptance.search(session, world.p["dev_b"], "ext-parking-sale", "P") == []  # not theirs
    with pytest.raises(PermissionDenied):
        wf.accept(session, world.p["bank_a"], "ext_parking_sale", subject_id=building.id)
    with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
        wf.accept(session, world.p["dev_b"], "ext_parking_sale", subject_id=building.id)

    case = wf.accept(session, dev, "ext_parking_sale", subject_id=building.id)
    assert case.number.startswith("P") and case.data["application_id"]

    # The case page: the stage with its sub-task form over the extension's own entity.
    view = case_view(session, dev, case.number)
    [stage] = view.stages
    assert (stage.title, stage.editable, [(s.title, s.kind, s.done) for s in stage.subtasks]) == (
        "车位信息录入", True, [("车位信息", "form", False)])
    form, missing = subtask_service.form_view(session, dev, case.id, "entry", "form-ext-parking")
    assert [f.name for f in form.fields] == ["space_count", "unit_price"] and form.can_edit
    assert missing == ["车位数量", "车位单价（元）"]
    with pytest.raises(ValidationFailed) as bad:
        subtask_service.save_form(session, dev, case.id, "entry", "form-ext-parking",
                                  {"space_count": "很多", "unit_price": "-1"})
    assert bad.value.errors == {"space_count": "车位数量应为整数", "unit_price": "车位单价不能为负数"}
    with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
        case_view(session, world.p["dev_b"], case.number)
    task = wf.open_task(session, case.id)
    with pytest.raises(Exception, match="请先完成待办任务：车位信息"):
        wf.dispatch(session, dev, task.id)
    assert subtask_service.save_form(session, dev, case.id, "entry", "form-ext-parking",
                                     {"space_count": "120", "unit_price": "150000"}) == []
    [review] = wf.dispatch(session, dev, task.id)

    # Inbox rows for the regulator; the developer's stage is now read-only.
    row = next(r for r in inbox(session, reg).rows if r.case_number == case.number)
    assert (row.stage_title, row.case_type_title, row.mine) == ("主管部门审核", "【长沙市】车位销售备案", False)
    form, _ = subtask_service.form_view(session, dev, case.id, "entry", "form-ext-parking")
    assert not form.can_edit
    wf.claim(session, reg, review.id)
    wf.decide(session, reg, review.id, decision="approve", opinion="同意")
    assert case.status == "archived"


def test_a_broken_extension_is_reported_with_every_problem(tmp_path, monkeypatch):
    broken_admin = ADMIN.replace('form_fields = ("space_count", "unit_price")', 'form_fields = ("nope",)')
    broken_flow = FLOW.replace('on_reject="entry"', 'on_reject="nowhere"').replace("Role.REGULATOR", '"landlord"')
    _write_package(tmp_path, "ext_broken", {"model": MODEL.replace("ext_parking", "ext_broken"),
                                            "admin": broken_admin.replace("ext_parking", "ext_broken"),
                                            "flow": broken_flow.replace("ext_parking", "ext_broken")
                                            .replace('code = "ext_parking_sale"', 'code = "ext_broken_sale"')})
    monkeypatch.syspath_prepend(str(tmp_path))
    with temporary_flows(), temporary_admins():
        with pytest.raises(ConfigurationError) as exc:
            load_extension("ext_broken")
    codes = {p.code for p in exc.value.problems}
    assert {"A010", "F007", "F027"} <= codes  # the admin's and the flow's problems, together
    for name in [m for m in sys.modules if m.startswith("ext_broken")]:
        del sys.modules[name]
