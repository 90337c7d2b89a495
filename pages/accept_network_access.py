"""业务受理 → 用户入网: accept a network-access case for one of my organisation's users.

The case then waits at 入网申请 in my inbox; on the case page I check the user's data and
dispatch it to the regulator (the batch shortcut is 企业用户管理's “申请入网”).
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import select

from models.enums import NetworkAccessStatus
from models.user import User
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import empty_row, header_row
from netsign_console.db import session_scope
from netsign_console.domain.validators import mask_mobile
from netsign_console.state.app_state import AppState
from netsign_console.workflow.flows.network_access import apply_network_access

_WAITING = (NetworkAccessStatus.DRAFT.value, NetworkAccessStatus.REJECTED.value)


@dataclasses.dataclass
class Applicant:
    user_id: int
    username: str
    display_name: str
    phone: str
    status: str


class AcceptNetworkAccessState(AppState):
    applicants: list[Applicant] = []

    def _load(self) -> None:
        principal = current_principal()
        with session_scope() as session:
            users = session.exec(
                select(User)
                .where(User.organization_id == principal.org_id, User.network_access_status.in_(_WAITING))
                .order_by(User.username)
                .limit(200)
            ).all()
            self.applicants = [
                Applicant(u.id, u.username, u.display_name, mask_mobile(u.phone or ""),
                          NetworkAccessStatus.label_of(u.network_access_status))
                for u in users
            ]

    @guarded(Perm.NETWORK_ACCESS_APPLY, page_load=True)
    def load(self):
        self._load()

    @guarded(Perm.NETWORK_ACCESS_APPLY)
    def accept(self, user_id: int):
        # apply_network_access re-checks the organisation and the status of the user id.
        with session_scope() as session:
            (case,) = apply_network_access(session, current_principal(), [int(user_id)], dispatch=False)
            number = case.number
        return [rx.toast.success(f"已受理，业务编号 {number}"), rx.redirect(f"/case/{number}")]


def _row(a: Applicant) -> rx.Component:
    return rx.table.row(
        rx.table.cell(a.username), rx.table.cell(a.display_name), rx.table.cell(a.phone),
        rx.table.cell(rx.badge(a.status)),
        rx.table.cell(rx.button("受理", size="1", on_click=AcceptNetworkAccessState.accept(a.user_id),
                                id="accept-" + a.username)),
    )


@console_page("/accept/network-access", "用户入网受理", Perm.NETWORK_ACCESS_APPLY, menu="业务受理",
              on_load=AcceptNetworkAccessState.load)
def accept_network_access_page() -> rx.Component:
    return rx.vstack(
        rx.callout("选择本企业尚未入网（或被驳回后已更正）的用户受理入网业务；受理后在业务详情中核对信息并派工至主管部门审核。",
                   icon="info", size="1"),
        rx.card(
            rx.table.root(
                header_row("用户名", "姓名", "手机号", "入网状态", "操作"),
                rx.table.body(rx.cond(AcceptNetworkAccessState.applicants.length() > 0,
                                      rx.foreach(AcceptNetworkAccessState.applicants, _row),
                                      empty_row(5, "没有待申请入网的用户"))),
                width="100%",
                id="applicants-table",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
