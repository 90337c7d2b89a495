"""The import page's pickers: a developer, then one of its projects, searched as the user types
(at most SEARCH_LIMIT matches; never a whole table)."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from models.enums import OrgType
from models.organization import Organization
from models.project import Project
from netsign_console.admin.prefix import prefix_match
from netsign_console.auth.permissions import Perm, require
from netsign_console.auth.principal import Principal

SEARCH_LIMIT = 20


def _term(term: str) -> str:
    return (term or "").strip()[:50]


def search_developers(session: Session, principal: Principal, term: str) -> list[tuple[int, str]]:
    """(id, name) of developers whose name contains `term` or whose credit code starts with it."""
    require(principal, Perm.SURVEY_IMPORT)
    stmt = select(Organization.id, Organization.name).where(Organization.org_type == OrgType.DEVELOPER.value)
    if not principal.sees_all_organizations:  # 文件导入: a developer imports for itself only
        stmt = stmt.where(Organization.id == principal.org_id)
    text = _term(term)
    if text:
        stmt = stmt.where(or_(Organization.name.contains(text, autoescape=True),
                              prefix_match(Organization.credit_code, text.upper())))
    return [(k, n) for k, n in session.exec(stmt.order_by(Organization.name, Organization.id).limit(SEARCH_LIMIT))]


def search_projects(session: Session, principal: Principal, developer_org_id: int, term: str) -> list[tuple[int, str]]:
    """(id, name) of the developer's projects whose name or location contains `term`."""
    require(principal, Perm.SURVEY_IMPORT)
    stmt = select(Project.id, Project.name).where(Project.developer_org_id == int(developer_org_id))
    if not principal.sees_all_organizations:
        stmt = stmt.where(Project.developer_org_id == principal.org_id)
    text = _term(term)
    if text:
        stmt = stmt.where(or_(Project.name.contains(text, autoescape=True),
                              Project.location.contains(text, autoescape=True)))
    return [(k, n) for k, n in session.exec(stmt.order_by(Project.name, Project.id).limit(SEARCH_LIMIT))]
