"""我的合同 (STOCK-05 for new houses): a buyer (public user, 购房人) follows their own contracts —
those where one of the buyers or co-owners carries the ID number of the logged-in user's own
account (app_user.id_number, set at real-name registration) — and each one's progress: the
contract's state (草拟 … 已备案, 已退房) and the stage its signing case is at. Read-only; the
rows come from the user's ID number inside the query, so no other person's contract can be
listed, opened or exported, whatever id the browser asks for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from models.contract import Contract, ContractParty, ContractStatus
from models.enums import Role
from models.user import User
from models.workflow import Case, CaseStatus
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import Principal

_CASE_STATUS = {CaseStatus.ACTIVE: "办理中", CaseStatus.ARCHIVED: "已办结", CaseStatus.CANCELLED: "已取消"}


def case_progress(session: Any, numbers: list[str]) -> dict[str, str]:
    """case number -> "F2026…：购房合同录入（办理中）": where each case stands, in its flow's words."""
    from netsign_console.workflow.rules import flow_for_case

    out = {}
    for case in session.scalars(select(Case).where(Case.number.in_([n for n in numbers if n]))).all():
        state = _CASE_STATUS.get(case.status, case.status)
        if case.status != CaseStatus.ACTIVE or not case.current_stage:
            out[case.number] = f"{case.number}（{state}）"
            continue
        flow = flow_for_case(case)
        titles = []
        for code in case.current_stage.split(","):
            try:
                titles.append(flow.node(code).title)
            except Exception:  # a stage of a retired flow version: its code rather than a failed list
                titles.append(code)
        out[case.number] = f"{case.number}：{'、'.join(titles)}（{state}）"
    return out


def own_contracts(principal: Principal) -> Select:
    mine = select(func.upper(User.id_number)).where(User.id == principal.user_id, User.id_number.is_not(None))
    parties = select(ContractParty.contract_id).where(func.upper(ContractParty.id_number) == mine.scalar_subquery())
    return select(Contract).where(Contract.id.in_(parties), Contract.contract_number.is_not(None),
                                  Contract.status != ContractStatus.WITHDRAWN.value)


class MyContractsAdmin(ModelAdmin, model=Contract):
    slug = "my-contracts"
    # Public users' 系统管理 entries are listed under 便民服务 (navigation.menu_for).
    menu_group = "系统管理"
    menu_order = 5
    title = "我的合同"
    verbose_name = "合同"
    help_text = "您作为买受人或共有人的商品房买卖合同及其办理进度（按本人账户登记的身份证号匹配）。"
    view_perm = Perm.HOME
    view_roles = frozenset({Role.BUYER})
    list_columns = ("contract_number", "building_id", "room_id", "total_price", "status", "case_number", "filed_at",
                    "unwind_case_number", "unwound_at")
    labels = {"case_number": "签约办理进度", "unwind_case_number": "退房办理进度"}
    search_fields = ("^contract_number",)
    search_placeholder = "合同编号"
    filters = ("status",)
    sort_fields = ("contract_number", "filed_at")
    default_sort = "-id"
    form_fields = ("contract_number", "kind", "status", "project_id", "building_id", "room_id", "gross_area",
                   "total_price", "payment_method", "signed_at", "filed_at", "filing_number", "unwound_at")
    readonly_fields = form_fields
    fk_labels = {"building_id": "building_number", "room_id": "room_number"}
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False

    def get_list_query(self, principal: Principal) -> Select:
        return own_contracts(principal)

    def annotate_rows(self, session: Any, rows: list[dict[str, str]]) -> None:
        progress = case_progress(session, [r[c] for r in rows for c in ("case_number", "unwind_case_number")])
        for r in rows:
            for column in ("case_number", "unwind_case_number"):
                r[column] = progress.get(r[column], r[column])
