"""合同查询 (issue 11): contracts found by contract number, filing number, the verification code
printed on the PDF, building + room, or a buyer's ID number (exact, whole number only: a part
of someone's ID finds nothing; the list shows the buyers masked).

Who finds what: the regulator's side every contract, a developer its own, a bank or the
provident-fund centre only contracts of cases that were routed to it (a task of the case for
its organisation), anyone else nothing. A row opens the contract's page, /contracts/<id>."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, func, select

from models.contract import Contract, ContractParty
from models.document import Document
from models.enums import OrgType, Role
from models.workflow import Case, Task
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.scope import scope_clause
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import Principal
from netsign_console.contracts.search import by_building_and_room

ROUTED_ORGS = (OrgType.BANK, OrgType.PROVIDENT_FUND_CENTER)
SEARCHERS = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.SERVICE_WINDOW, Role.DEVELOPER_ADMIN, Role.OPERATOR,
                       Role.MORTGAGE_BANK, Role.PROVIDENT_FUND_CENTER})


def masked_buyers(session: Any, contract_ids: list[int]) -> dict[int, str]:
    """contract id -> "钱**（4301**********1230）、…" (names and ID numbers masked)."""
    from netsign_console.domain.validators import mask_id_number

    out: dict[int, list[str]] = {}
    for cid, name, number in session.exec(select(ContractParty.contract_id, ContractParty.name, ContractParty.id_number)
                                          .where(ContractParty.contract_id.in_(contract_ids))
                                          .order_by(ContractParty.contract_id, ContractParty.ordinal)).all():
        out.setdefault(cid, []).append(f"{name[:1]}{'*' * (len(name) - 1)}（{mask_id_number(number)}）")
    return {cid: "、".join(names) for cid, names in out.items()}


def routed_clause(principal: Principal):
    """Contracts whose case (signing or unwind) has had a task for the principal's organisation."""
    cases = select(Case.number).join(Task, Task.case_id == Case.id).where(Task.org_id == principal.org_id)
    return Contract.case_number.in_(cases) | Contract.unwind_case_number.in_(cases)


class ContractSearchAdmin(ModelAdmin, model=Contract):
    slug = "contract-search"
    menu_group = "统计查询"
    menu_order = 30
    title = "合同查询"
    verbose_name = "合同"
    help_text = "按合同编号、备案号、查验码、栋号 + 房号（如 D001 1-1001）或购房人证件号码（完整号码）查询。"
    view_perm = Perm.CASE_HANDLE
    view_roles = SEARCHERS
    list_columns = ("contract_number", "status", "building_id", "room_id", "developer_org_id", "id",
                    "total_price", "filing_number", "filed_at", "unwound_at")
    labels = {"id": "买受人"}
    column_formatters = {"id": lambda raw, row: ""}  # filled per page by annotate_rows
    search_fields = ("^contract_number", "^filing_number", "^case_number")
    search_placeholder = "合同编号、查验码、栋号 房号或购房人证件号码"
    filters = ("status", "kind", "project_id")
    sort_fields = ("contract_number", "total_price", "filed_at")
    default_sort = "-id"
    form_fields = ("contract_number", "case_number", "kind", "variant", "status", "project_id", "building_id",
                   "room_id", "developer_org_id", "gross_area", "total_price", "payment_method", "filing_number",
                   "filed_at", "unwound_at", "unwind_case_number")
    readonly_fields = form_fields
    fk_labels = {"building_id": "building_number", "room_id": "room_number"}
    row_links = (("合同详情", "/contracts/{id}"),)
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False

    def get_list_query(self, principal: Principal) -> Select:
        stmt = select(Contract).where(Contract.contract_number.is_not(None))
        if principal.sees_all_organizations:
            return stmt
        if principal.org_type in ROUTED_ORGS:
            return stmt.where(routed_clause(principal))
        if principal.org_type == OrgType.DEVELOPER:
            return stmt.where(scope_clause(Contract, "developer_org_id", principal))
        return stmt.where(false())

    def annotate_rows(self, session: Any, rows: list[dict[str, str]]) -> None:
        buyers = masked_buyers(session, [int(r["_id"]) for r in rows])
        for r in rows:
            r["id"] = buyers.get(int(r["_id"]), "")

    def search_conditions(self, term: str) -> list:
        # Imported here, not at module load: importing the document layer loads its whole
        # catalog, and the template editor opens on the kind registered first.
        from netsign_console.documents.codes import normalize_code

        conditions = by_building_and_room(term)
        code = normalize_code(term)
        if code is not None:
            # Any version of the contract's PDF: the code printed on the buyer's copy.
            docs = select(Document.id, Document.subject_id).where(Document.verification_code == code)
            conditions.append(Contract.document_id.in_(docs.with_only_columns(Document.id)))
            conditions.append(Contract.id.in_(docs.where(Document.subject_type == "contract")
                                              .with_only_columns(Document.subject_id)))
        # The whole ID number only: it is personal data, so no prefix of it finds anyone.
        conditions.append(Contract.id.in_(select(ContractParty.contract_id).where(
            func.upper(ContractParty.id_number) == term.upper())))
        return conditions
