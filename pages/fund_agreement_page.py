"""监管协议详情 (/fund/agreements/<id>): an agreement's figures (监管资金总额, 协议余额, 重点监管资金,
在途支取, 可拨付, 实际工程进度, 监管户数 vs 可售户数), its PDF versions (each verifiable: an older one
answers 已变更) and the per-room 历史拨付记录表. From the 预售资金监管协议 list (row_links). The
agreement's own scope (fund/scope.py): a developer its own, a bank those at its bank, the
regulator all; anything else lands on /denied like a missing one."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.db import session_scope
from netsign_console.fund.view import HISTORY_HEADERS, agreement_view
from netsign_console.state.app_state import AppState

ROUTE = "/fund/agreements/[agreement_id]"


@dataclasses.dataclass
class DocLine:
    id: int
    version: int
    status: str
    code: str
    issued: str


class FundAgreementPageState(AppState):
    agreement_number: str = ""
    agreement_status: str = ""
    agreement_rows: list[list[str]] = []
    agreement_docs: list[DocLine] = []
    history: list[list[str]] = []

    @guarded(Perm.CASE_HANDLE, page_load=True)
    def load_page(self):
        with session_scope() as session:
            view = agreement_view(session, current_principal(), self.router.page.params.get("agreement_id", ""))
        self.agreement_number, self.agreement_status = view.number, view.status_label
        self.agreement_rows = [list(r) for r in view.rows]
        self.agreement_docs = [DocLine(d.id, d.version, d.status_label, d.code, d.issued_at) for d in view.documents]
        self.history = [list(r) for r in view.history]


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


def _history() -> rx.Component:
    S = FundAgreementPageState
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in HISTORY_HEADERS])),
        rx.table.body(rx.foreach(S.history, lambda row: rx.table.row(
            rx.foreach(row, lambda cell: rx.table.cell(cell, white_space="nowrap"))))),
        size="1", variant="surface", width="100%", id="fund-history",
    )


@console_page(ROUTE, "监管协议详情", Perm.CASE_HANDLE, on_load=FundAgreementPageState.load_page)
def fund_agreement_page() -> rx.Component:
    S = FundAgreementPageState
    return rx.vstack(
        rx.hstack(rx.heading("预售资金监管协议 ", S.agreement_number, size="5", id="agreement-title"),
                  rx.badge(S.agreement_status, size="2"), align="center"),
        rx.card(
            rx.grid(rx.foreach(S.agreement_rows, lambda r: rx.hstack(
                rx.text(r[0], size="2", color="gray", width="110px", min_width="110px"),
                rx.text(r[1], size="2", weight="medium"))),
                columns=rx.breakpoints(initial="1", md="2", lg="3"), spacing="2", width="100%", id="agreement-figures"),
            width="100%",
        ),
        rx.card(rx.vstack(rx.text("监管协议书", weight="bold", size="2"), rx.foreach(S.agreement_docs, _doc),
                          spacing="2", id="agreement-documents"), width="100%"),
        rx.text("历史拨付记录表（每户室的合同与资金；购房人已脱敏）", size="2", color="gray"),
        rx.box(_history(), width="100%", overflow_x="auto"),
        spacing="3", width="100%",
    )
