"""Helpers for the workflow tests: a fresh SQLite database, organisations, users, principals,
and a test-only flow that exercises what the real flows do not yet (branches, routing to a
named bank, a point of no return, an archive without decisions).

Imported by the tests explicitly (not a conftest), so nothing here is a fixture by magic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

import models  # noqa: F401  (registers every table)
from models.enums import NetworkAccessStatus, OrgType, Role
from models.organization import Organization
from models.user import RoleDef, User
from models.workflow import Task
from netsign_console.auth.principal import Principal
from netsign_console.auth.service import principal_for_user
from netsign_console.workflow import engine as wf
from netsign_console.workflow.access import holds_role, in_task_org
from pydantic import Field as DataField
from netsign_console.workflow import End, Flow, Join, Review, Split, Stage, Start, Switch, branch_org, initiating_org
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.subtasks import ConfirmStep

# ----- database -------------------------------------------------------------------------------


def sqlite_engine(path: Path) -> Engine:
    """A SQLite file with every table created from the models (no migrations needed)."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    SQLModel.metadata.create_all(engine)
    return engine


# ----- people ---------------------------------------------------------------------------------


def principal_of(session: Session, user: User) -> Principal:
    return principal_for_user(session, user)


def add_org(session: Session, name: str, org_type: OrgType) -> Organization:
    org = Organization(name=name, org_type=org_type.value)
    session.add(org)
    session.flush()
    return org


def add_user(
    session: Session,
    username: str,
    display_name: str,
    role: Role,
    org: Organization | None,
    status: NetworkAccessStatus = NetworkAccessStatus.APPROVED,
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        password_hash="x",
        role=role.value,
        organization_id=org.id if org else None,
        network_access_status=status.value,
    )
    session.add(user)
    session.flush()
    return user


@dataclass
class World:
    """Organisations and people of a small city; `p` maps a short name to a Principal."""

    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    p: dict[str, Principal] = field(default_factory=dict)

    def principals(self) -> list[Principal]:
        return list(self.p.values())


# short name: (username, display name, role, org key)
PEOPLE = {
    "reg": ("reg1", "审核员甲", Role.REGULATOR, "regulator"),
    "reg2": ("reg2", "审核员乙", Role.REGULATOR, "regulator"),
    "sysadmin": ("admin", "系统管理员", Role.SYSTEM_ADMIN, "regulator"),
    "window": ("window", "窗口人员", Role.SERVICE_WINDOW, "regulator"),
    "dev_a": ("dev_a_admin", "星城管理员", Role.DEVELOPER_ADMIN, "dev_a"),
    "dev_a2": ("dev_a_admin2", "星城管理员二", Role.DEVELOPER_ADMIN, "dev_a"),
    "op_a": ("dev_a_op", "星城经办人", Role.OPERATOR, "dev_a"),
    "dev_b": ("dev_b_admin", "麓山管理员", Role.DEVELOPER_ADMIN, "dev_b"),
    "bank_a": ("bank_a", "工行审核员", Role.MORTGAGE_BANK, "bank_a"),
    "bank_b": ("bank_b", "建行审核员", Role.MORTGAGE_BANK, "bank_b"),
}
ORGS = {
    "regulator": ("长沙市住房和城乡建设局", OrgType.REGULATOR),
    "dev_a": ("湖南星城置业有限公司", OrgType.DEVELOPER),
    "dev_b": ("长沙麓山地产有限公司", OrgType.DEVELOPER),
    "bank_a": ("工商银行长沙分行", OrgType.BANK),
    "bank_b": ("建设银行长沙分行", OrgType.BANK),
}


def seed_roles(session: Session) -> None:
    for role in Role:
        if session.get(RoleDef, role.value) is None:
            session.add(RoleDef(code=role.value, name=role.label))
    session.flush()


def seed_world(session: Session) -> World:
    seed_roles(session)
    world = World()
    for key, (name, org_type) in ORGS.items():
        world.orgs[key] = add_org(session, name, org_type)
    for key, (username, display, role, org_key) in PEOPLE.items():
        user = add_user(session, username, display, role, world.orgs[org_key])
        world.users[key] = user
        world.p[key] = principal_of(session, user)
    return world


def add_applicant(session: Session, world: World, key: str, org_key: str = "dev_a", **kw) -> User:
    """An enterprise user waiting for network access (the subject of a network_access case)."""
    status = kw.pop("status", NetworkAccessStatus.DRAFT)
    user = add_user(session, f"new_{key}", f"新用户{key}", Role.OPERATOR, world.orgs[org_key], status)
    world.users[key] = user
    return user


# ----- test-only flows -------------------------------------------------------------------------


class LoanTestData(CaseData):
    bank_ids: list[int] = DataField(default_factory=list, title="贷款银行")


def has_banks(data: LoanTestData) -> bool:
    return bool(data.bank_ids)


class LoanReviewTestFlow(Flow, register=False):
    """测试贷款审核

    Every node type: sub-tasks, a review in the middle, a switch on the typed data, a split
    into one review per named bank and its join, a return from a bank's review (the second
    review) to the first stage, and a stage before the end."""

    code = "test_loan_review"
    prefix = "T"
    category = "测试业务"
    data_model = LoanTestData

    start = Start((Role.DEVELOPER_ADMIN, Role.OPERATOR), subject="user")
    entry = Stage(
        "合同录入", (Role.DEVELOPER_ADMIN, Role.OPERATOR), org=initiating_org,
        subtasks=(ConfirmStep("合同信息查询", code="query"), ConfirmStep("订购合同盖章", code="seal", required=False)),
    )
    check = Review("初审", (Role.REGULATOR,), on_reject="entry")
    route = Switch(("banks", has_banks), default="filing")
    banks = Split("bank_review", per=lambda d: d.bank_ids, join="reviewed")
    bank_review = Review("银行抵押审核", (Role.MORTGAGE_BANK,), org=branch_org, on_reject="entry",
                         returns_to=("entry",))
    reviewed = Join()
    filing = Stage("备案", (Role.REGULATOR, Role.SYSTEM_ADMIN), returns_to=("check",))
    end = End()


class NoReturnTestFlow(Flow, register=False):
    """测试不可撤回

    A point of no return: once 审查 is dispatched the case can no longer be cancelled."""

    code = "test_no_return"
    prefix = "T"
    category = "测试业务"

    start = Start((Role.DEVELOPER_ADMIN,), subject="user")
    entry = Stage("申请", (Role.DEVELOPER_ADMIN,), org=initiating_org)
    check = Stage("审查", (Role.REGULATOR,), point_of_no_return=True, returns_to=("entry",))
    decision = Review("决定", (Role.REGULATOR, Role.SYSTEM_ADMIN), on_reject="end", returns_to=("check",))
    end = End()


TEST_FLOWS = (LoanReviewTestFlow, NoReturnTestFlow)


# ----- driving a flow generically -------------------------------------------------------------


def accept_as(flow: type[Flow], world: World) -> Principal:
    """A principal of developer A who may accept the flow."""
    for principal in world.principals():
        if str(principal.role) in flow.accept_roles() and principal.org_id == world.orgs["dev_a"].id:
            return principal
    raise AssertionError(f"no developer user may accept {flow.code}")


def claimer_for(world: World, task: Task, *, not_user: int | None = None) -> Principal:
    for principal in world.principals():
        if principal.user_id != not_user and holds_role(principal, task) and in_task_org(principal, task):
            return principal
    raise AssertionError(f"nobody can claim stage {task.stage}")


def accept_case(session: Session, world: World, flow: type[Flow], *, data: dict | None = None, now=None):
    """Accept a case of `flow` for a fresh applicant; returns (case, accepting principal)."""
    principal = accept_as(flow, world)
    subject = add_applicant(session, world, f"s{len(world.users)}")
    case = wf.accept(session, principal, flow.code, subject_id=subject.id, data=data or {}, now=now)
    return case, principal
