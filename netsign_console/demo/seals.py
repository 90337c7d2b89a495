"""Demo seals (SIGN-12): each demo developer's 合同专用章 and 法人章, drawn (contracts/seals.py),
authorised to its developer admin."""

from __future__ import annotations

from sqlmodel import Session, select

from models.enums import OrgType, Role
from models.organization import Organization
from models.seal import Seal
from models.user import User
from netsign_console.contracts.seals import draw_company_seal, draw_legal_rep_seal, store_seal_image
from netsign_console.demo.loader import seed_step


@seed_step("印章")
def seed_seals(session: Session) -> int:
    added = 0
    developers = session.exec(select(Organization).where(Organization.org_type == OrgType.DEVELOPER.value)
                              .order_by(Organization.id)).all()
    for org in developers:
        admin = session.exec(select(User).where(User.organization_id == org.id,
                                                User.role == Role.DEVELOPER_ADMIN.value).order_by(User.id)).first()
        if admin is None:
            continue
        wanted = [("company", f"{org.name}合同专用章", lambda o=org: draw_company_seal(o.name))]
        if org.legal_rep:
            wanted.append(("legal_rep", f"{org.legal_rep}（法定代表人）", lambda o=org: draw_legal_rep_seal(o.legal_rep)))
        for kind, name, draw in wanted:
            if session.exec(select(Seal.id).where(Seal.developer_org_id == org.id, Seal.kind == kind)).first():
                continue
            session.add(Seal(developer_org_id=org.id, kind=kind, name=name, image_file=store_seal_image(draw()),
                             authorised_user_id=admin.id, authorised_phone=admin.phone))
            added += 1
    return added
