"""One permit for its page: the header, its scope (room ids, for the grid), its documents
(every version, newest first, each verifiable), under the permit admin's row scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.building import Building
from models.document import Document, DocumentStatus
from models.organization import Organization
from models.permit import Permit, PermitKind, PermitRoom, PermitStatus
from models.project import Project
from models.property_manager import PropertyManager
from netsign_console.admin.scope import scope_clause
from netsign_console.auth.principal import Principal
from netsign_console.documents import display_code
from netsign_console.domain.money import format_area
from netsign_console.errors import NOT_FOUND, PermissionDenied
from netsign_console.grid.service import parse_id


@dataclass(frozen=True)
class PermitDocument:
    id: int
    version: int
    status_label: str
    code: str
    issued_at: str


@dataclass(frozen=True)
class PermitView:
    id: int
    number: str
    kind_label: str
    building_id: int
    rows: list[tuple[str, str]]
    scope_ids: list[int]
    documents: list[PermitDocument] = field(default_factory=list)


def permit_view(session: Session, principal: Principal, permit_id: object) -> PermitView:
    stmt = select(Permit).where(Permit.id == parse_id(permit_id))
    clause = scope_clause(Permit, Permit.__org_scope__, principal)
    if clause is not None:
        stmt = stmt.where(clause)
    permit = session.exec(stmt).first()
    if permit is None:
        raise PermissionDenied(NOT_FOUND)
    building = session.get(Building, permit.building_id)
    project = session.get(Project, permit.project_id)
    developer = session.get(Organization, permit.developer_org_id)
    manager = session.get(PropertyManager, permit.property_manager_id) if permit.property_manager_id else None
    rows = [
        ("许可证号", permit.number),
        ("许可证类型", PermitKind.label_of(permit.kind)),
        ("状态", PermitStatus.label_of(permit.status)),
        ("版本", f"第{permit.version}版"),
        ("开发企业", developer.name if developer else ""),
        ("项目", project.name if project else ""),
        ("楼栋", building.building_number if building else ""),
        ("许可套数", f"{permit.room_count}套"),
        ("许可面积", f"{format_area(permit.gross_area)}平方米"),
        ("发证日期", f"{permit.issue_date:%Y-%m-%d}"),
        ("物业公司", manager.name if manager else ""),
        ("业务编号", permit.case_number),
    ]
    scope = list(session.exec(select(PermitRoom.room_id).where(PermitRoom.permit_id == permit.id)).all())
    docs = []
    current = session.get(Document, permit.document_id) if permit.document_id else None
    while current is not None:  # the chain of versions, newest first
        docs.append(PermitDocument(current.id, current.version, DocumentStatus.label_of(current.status),
                                   display_code(current.verification_code), f"{current.created_at:%Y-%m-%d}"))
        current = session.exec(select(Document).where(Document.superseded_by_id == current.id)).first()
    return PermitView(permit.id, permit.number, PermitKind.label_of(permit.kind), permit.building_id, rows, scope, docs)
