"""The plain data a contract document is rendered from (documents/catalog/sale_contract.py describes
its shape), read from the contract's rows: seller, buyers, room, permit, price, payment.

Figures are Decimal as stored (rounded where they were computed); the document layer's filters
format them and write the amount in 大写. The contract carries full personal data; its
`masked_summary` (for the public verify page) masks them.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from models.building import Building, Room
from models.contract import Contract, ContractInstalment, ContractKind, IdType, PartyRole
from models.enums import HouseStructure, HouseUsage, PaymentMethod
from models.organization import Organization
from models.permit import Permit
from models.project import CertificateKind, Project, ProjectCertificate
from netsign_console.contracts.entry import parties_of
from netsign_console.documents.catalog.sale_contract import KIND_OF_SALE
from netsign_console.documents.signing import AUTHORITY
from netsign_console.domain.area import LIMIT_PERCENT
from netsign_console.domain.validators import mask_id_number


def _certificates(session: Session, project_id: int) -> dict[str, str]:
    rows = session.exec(select(ProjectCertificate.kind, ProjectCertificate.number)
                        .where(ProjectCertificate.project_id == project_id).order_by(ProjectCertificate.id)).all()
    found: dict[str, str] = {}
    for kind, number in rows:
        found.setdefault(kind, number)
    return found


def _org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id else None
    return org.name if org else ""


def contract_data(session: Session, contract: Contract, *, extra: dict | None = None) -> dict:
    """Everything the template prints. `extra` adds or overrides keys the flow knows (the
    supervision account of the building's agreement, the consultant, signing times)."""
    room = session.get(Room, contract.room_id)
    building = session.get(Building, contract.building_id)
    project = session.get(Project, contract.project_id)
    seller = session.get(Organization, contract.developer_org_id)
    permit = session.get(Permit, contract.permit_id) if contract.permit_id else None
    certificates = _certificates(session, project.id)
    instalments = session.exec(select(ContractInstalment).where(ContractInstalment.contract_id == contract.id)
                               .order_by(ContractInstalment.ordinal)).all()
    data = {
        "contract_number": contract.contract_number,
        "sale_kind": contract.kind,
        "seller": {"name": seller.name, "credit_code": seller.credit_code or "", "legal_rep": seller.legal_rep or "",
                   "address": seller.registered_address or "", "phone": seller.contact_phone or ""},
        "buyers": [{"role": PartyRole.label_of(p.role), "name": p.name, "id_type": IdType.label_of(p.id_type),
                    "id_number": p.id_number, "phone": p.phone, "address": p.address or "", "share": p.share,
                    "signed_at": None} for p in parties_of(session, contract.id)],
        "project_name": project.name,
        "location": project.location,
        "house_address": building.address or f"{project.location}{building.building_number}栋",
        "building_number": building.building_number,
        "unit": room.unit or "",
        "actual_floor": room.actual_floor,
        "nominal_floor": room.nominal_floor or str(room.actual_floor),
        "room_number": room.room_number,
        "usage": HouseUsage.label_of(room.usage),
        "layout": room.layout or "",
        "structure": HouseStructure.label_of(room.structure),
        "decoration": room.decoration or "",
        "gross_area": contract.gross_area,
        "inner_area": contract.inner_area,
        "shared_area": contract.shared_area,
        "permit_number": permit.number if permit else "",
        "permit_authority": AUTHORITY,
        "land_use_certificate": certificates.get(CertificateKind.LAND_USE.value, ""),
        "construction_planning_certificate": certificates.get(CertificateKind.CONSTRUCTION_PLANNING.value, ""),
        "construction_certificate": certificates.get(CertificateKind.CONSTRUCTION.value, ""),
        "unit_price": contract.unit_price,
        "computed_total": contract.computed_total,
        "agreed_total": contract.agreed_total,
        "total_price": contract.total_price,
        "price_gap": contract.total_price - contract.computed_total,
        "payment_method": PaymentMethod.label_of(contract.payment_method),
        "payment_method_code": contract.payment_method or "",
        "down_payment": contract.down_payment if contract.down_payment is not None else Decimal("0.00"),
        "commercial_loan_amount": contract.commercial_loan_amount,
        "fund_loan_amount": contract.fund_loan_amount,
        "mortgage_bank": _org_name(session, contract.mortgage_bank_org_id),
        "fund_center": _org_name(session, contract.fund_center_org_id),
        "mortgagor": contract.mortgagor or "",
        "instalments": [{"ordinal": i.ordinal, "due_date": i.due_date, "amount": i.amount} for i in instalments],
        # The building's fund-supervision agreement names it (issue 10): the flow passes it in `extra`.
        "supervision_account": None,
        "delivery_date": contract.delivery_date,
        "area_limit_percent": LIMIT_PERCENT,
        "filing_authority": AUTHORITY,
        "consultant": "",
        "agent": "",
        "brokerage": "",
        "broker": "",
        "signed_on": contract.signed_at.date() if contract.signed_at else None,
    }
    data.update(extra or {})
    return data


def document_kind(contract: Contract) -> str:
    return KIND_OF_SALE[ContractKind(contract.kind).value]


def masked_summary(session: Session, contract: Contract) -> dict[str, str]:
    """What the public verify page may show: no whole ID number, no phone, no price."""
    room = session.get(Room, contract.room_id)
    building = session.get(Building, contract.building_id)
    buyers = parties_of(session, contract.id)
    return {
        "合同编号": contract.contract_number,
        "出卖人": _org_name(session, contract.developer_org_id),
        "房屋": f"{building.building_number}栋{room.room_number}室",
        "买受人": "、".join(p.name[:1] + "*" * (len(p.name) - 1) for p in buyers),
        "买受人证件号码": "、".join(mask_id_number(p.id_number) for p in buyers),
    }


def filing_state_rows(session: Session, document) -> list[tuple[str, str]]:
    """What the verify page adds for a contract PDF (documents/kinds.py verify_rows): the
    contract number, its filing state and number; nothing personal."""
    from models.contract import ContractStatus

    c = session.exec(select(Contract).where(Contract.document_id == document.id)).first()
    if c is None:
        return []
    state = {ContractStatus.FILED.value: "已备案", ContractStatus.UNWOUND.value: "已退房",
             ContractStatus.WITHDRAWN.value: "已撤销"}.get(c.status, "签约中（未备案）")
    rows = [("合同编号", c.contract_number or ""), ("备案状态", state)]
    if c.filing_number:
        rows.append(("备案号", c.filing_number))
    if c.status == ContractStatus.UNWOUND.value and c.unwound_at is not None:
        from netsign_console.workflow.times import format_local

        rows.append(("退房时间", format_local(c.unwound_at)))
    return rows
