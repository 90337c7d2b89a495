"""The built-in subject kinds: an enterprise user (用户入网) and a building (楼栋).

Modules of later case types register theirs (room, permit, contract, agreement) with
subjects.subject_kind next to their own model.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.building import Building
from models.enums import HouseStructure, NetworkAccessStatus, Role
from models.organization import Organization
from models.project import Project
from models.user import User
from netsign_console.domain.money import format_area
from netsign_console.domain.validators import mask_id_number, mask_mobile
from netsign_console.workflow.subjects import SubjectKind, subject_kind


def _org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def _user_rows(session: Session, user: User) -> list[tuple[str, str]]:
    return [
        ("姓名", user.display_name),
        ("用户名", user.username),
        ("手机号", mask_mobile(user.phone) if user.phone else ""),
        ("身份证号", mask_id_number(user.id_number) if user.id_number else ""),
        ("角色", Role.label_of(user.role)),
        ("所属机构", _org_name(session, user.organization_id)),
        ("入网状态", NetworkAccessStatus.label_of(user.network_access_status)),
    ]


# Users who may be applied for: not yet admitted, or rejected and corrected since (SYS-09).
MAY_APPLY = (NetworkAccessStatus.DRAFT.value, NetworkAccessStatus.REJECTED.value)

USER = subject_kind(SubjectKind(
    code="user",
    label="用户",
    model=User,
    prefix_columns=("username",),
    contains_columns=("display_name",),
    title_of=lambda u: f"{u.display_name}（{u.username}）",
    key_of=lambda u: u.username,
    describe_rows=_user_rows,
    where=lambda p: [User.organization_id == p.org_id, User.network_access_status.in_(MAY_APPLY)],
    org_of=lambda u: u.organization_id,
    order_by=("username",),
    placeholder="输入用户名或姓名",
))


def building_label(building: Building) -> str:
    """栋号 with its survey code, as the manual shows it: D004(CL20220406001)."""
    name = building.building_number
    return f"{name}({building.survey_code})" if building.survey_code else name


def _building_rows(session: Session, b: Building) -> list[tuple[str, str]]:
    project = session.get(Project, b.project_id)
    return [
        ("项目名称", project.name if project else ""),
        ("开发企业", _org_name(session, b.developer_org_id)),
        ("栋号", building_label(b)),
        ("坐落", b.address or ""),
        ("总套数", str(b.total_units)),
        ("建筑面积(m²)", format_area(b.gross_area) if b.gross_area is not None else ""),
        ("建筑结构", HouseStructure.label_of(b.structure)),
        ("地上/地下层数", f"{b.floors_above} / {b.floors_below}"),
        ("单元数", str(b.unit_count)),
    ]


BUILDING = subject_kind(SubjectKind(
    code="building",
    label="楼栋",
    model=Building,
    prefix_columns=("building_number", "survey_code"),
    contains_columns=("name", "address"),
    search_also=lambda term: [Building.project_id.in_(
        select(Project.id).where(Project.name.contains(term, autoescape=True)))],
    title_of=lambda b: b.address or building_label(b),
    key_of=lambda b: b.building_number,
    describe_rows=_building_rows,
    order_by=("building_number", "id"),
    placeholder="输入栋号、测绘编码、坐落或项目名称",
))
