"""许可证详情 (/permits/<id>): a permit's figures, its PDF versions (each with its verify link:
an older one answers 已变更), and its building's grid with the permit's scope outlined. From the
预售许可证 / 现售许可证 lists (row_links). Outside the user's scope: /denied, like a missing one."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.building_grid import building_grid
from netsign_console.components.page import console_page
from netsign_console.components.room_card import room_card_panel
from netsign_console.db import session_scope
from netsign_console.permits import permit_view
from netsign_console.state.grid_state import GridState

ROUTE = "/permits/[permit_id]"


@dataclasses.dataclass
class DocLine:
    id: int
    version: int
    status: str
    code: str
    issued: str


class PermitPageState(GridState):
    permit_number: str = ""
    permit_kind: str = ""
    permit_rows: list[list[str]] = []
    permit_docs: list[DocLine] = []

    @guarded(Perm.MASTER_DATA_VIEW, page_load=True)
    def load_page(self):
        with session_scope() as session:
            view = permit_view(session, current_principal(), self.router.page.params.get("permit_id", ""))
        self.permit_number, self.permit_kind = view.number, view.kind_label
        self.permit_rows = [list(r) for r in view.rows]
        self.permit_docs = [DocLine(d.id, d.version, d.status_label, d.code, d.issued_at) for d in view.documents]
        # The developer's permit page shows its own building: the grid's scope check agrees.
        self._show_grid(view.building_id)
        self.selected = view.scope_ids  # outlined: the permit's scope

    @guarded(Perm.MASTER_DATA_VIEW)
    def toggle_room(self, room_id: int):
        """A click on this read-only grid opens the room's card; the scope is not edited here."""
        return PermitPageState.open_room(room_id)


def _doc(d) -> rx.Component:
    return rx.hstack(
        rx.text("第", d.version, "版", size="2", weight="medium"),
        rx.badge(d.status, color_scheme=rx.cond(d.status == "有效", "green", "gray")),
        rx.text(d.issued, size="2", color="gray"),
        rx.link("下载PDF", href="/api/documents/" + d.id.to_string() + ".pdf", is_external=True, size="2"),
        rx.link("在线查验", href="/verify/" + d.code, is_external=True, size="2"),
        rx.code(d.code, size="1"),
        spacing="3", align="center",
    )


@console_page(ROUTE, "许可证详情", Perm.MASTER_DATA_VIEW, on_load=PermitPageState.load_page)
def permit_page() -> rx.Component:
    S = PermitPageState
    return rx.vstack(
        rx.heading(S.permit_kind, " ", S.permit_number, size="5", id="permit-title"),
        rx.card(
            rx.grid(rx.foreach(S.permit_rows, lambda r: rx.hstack(
                rx.text(r[0], size="2", color="gray", width="80px"), rx.text(r[1], size="2", weight="medium"))),
                columns=rx.breakpoints(initial="1", md="3"), spacing="2", width="100%", id="permit-figures"),
            width="100%",
        ),
        rx.card(rx.vstack(rx.text("许可证文书", weight="bold", size="2"), rx.foreach(S.permit_docs, _doc),
                          spacing="2", id="permit-documents"), width="100%"),
        rx.text("楼盘表（黑框为许可范围内的户室）", size="2", color="gray"),
        rx.flex(
            rx.card(building_grid(S, selectable=True), flex="1", min_width="0"),
            rx.cond(S.card_room_id > 0, rx.box(room_card_panel(S), width="380px", min_width="380px")),
            spacing="4", width="100%", align="start",
        ),
        spacing="3", width="100%",
    )
