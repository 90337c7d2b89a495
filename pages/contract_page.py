"""合同详情 (/contracts/<id>): a contract's figures, its PDFs and versions (each with its verify
link), buyers (masked for a lender), who confirmed when, the seals, the payments, the loan
reviews and the signing case. From the 商品房买卖合同 list (row_links) and the case page.
Outside the user's scope: /denied, like a missing one (netsign_console/contracts/view.py)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.contracts.view import contract_view
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState

ROUTE = "/contracts/[contract_id]"


@dataclasses.dataclass
class DocLine:
    id: int
    title: str
    version: int
    status: str
    code: str
    issued: str
    sha256: str
    signed: bool


class ContractPageState(AppState):
    contract_number: str = ""
    contract_status: str = ""
    contract_case: str = ""
    contract_rows: list[list[str]] = []
    contract_docs: list[DocLine] = []
    contract_buyers: list[list[str]] = []
    contract_confirmations: list[list[str]] = []
    contract_seals: list[list[str]] = []
    contract_payments: list[list[str]] = []
    contract_reviews: list[list[str]] = []

    @guarded(Perm.CASE_INBOX, page_load=True)
    def load_page(self):
        with session_scope() as session:
            view = contract_view(session, current_principal(), self.router.page.params.get("contract_id", ""))
        self.contract_number, self.contract_status, self.contract_case = view.number, view.status, view.case_number
        self.contract_rows = [list(r) for r in view.rows]
        self.contract_docs = [DocLine(d.id, d.title, d.version, d.status, d.code, d.issued, d.sha256, d.signed)
                              for d in view.documents]
        self.contract_buyers, self.contract_confirmations = view.buyers, view.confirmations
        self.contract_seals, self.contract_payments, self.contract_reviews = view.seals, view.payments, view.reviews


def _doc(d) -> rx.Component:
    return rx.hstack(
        rx.text(d.title, size="2", weight="medium"),
        rx.text("第", d.version, "版", size="2"),
        rx.badge(d.status, color_scheme=rx.cond(d.status == "有效", "green", "gray")),
        rx.cond(d.signed, rx.badge("已电子签章", color_scheme="blue")),
        rx.text(d.issued, size="1", color="gray"),
        rx.link("下载PDF", href="/api/documents/" + d.id.to_string() + ".pdf", is_external=True, size="2"),
        rx.link("在线查验", href="/verify/" + d.code, is_external=True, size="2"),
        rx.code(d.code, size="1"),
        rx.text("SHA-256 ", d.sha256[:16], "…", size="1", color="gray", title=d.sha256),
        spacing="3", align="center", wrap="wrap",
    )


def _table(title: str, headers: list[str], rows, id_: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.text(title, weight="bold", size="2"),
        rx.cond(rows.length() > 0,
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                    rx.table.body(rx.foreach(rows, lambda r: rx.table.row(rx.foreach(r, lambda c: rx.table.cell(c))))),
                    size="1", width="100%", id=id_),
                rx.text("暂无", size="2", color="gray")),
        spacing="2", width="100%"), width="100%")


@console_page(ROUTE, "合同详情", Perm.CASE_INBOX, on_load=ContractPageState.load_page)
def contract_page() -> rx.Component:
    S = ContractPageState
    return rx.vstack(
        rx.hstack(
            rx.heading("商品房买卖合同 ", S.contract_number, size="5", id="contract-title"),
            rx.badge(S.contract_status, size="2", id="contract-status"),
            rx.link("签约业务 ", S.contract_case, href="/case/" + S.contract_case, size="2", id="contract-case"),
            align="center", spacing="3",
        ),
        rx.card(rx.grid(rx.foreach(S.contract_rows, lambda r: rx.hstack(
            rx.text(r[0], size="2", color="gray", min_width="96px"), rx.text(r[1], size="2", weight="medium"))),
            columns=rx.breakpoints(initial="1", md="3"), spacing="2", width="100%", id="contract-figures"),
            width="100%"),
        rx.card(rx.vstack(rx.text("合同文书", weight="bold", size="2"), rx.foreach(S.contract_docs, _doc),
                          spacing="2", id="contract-documents"), width="100%"),
        _table("买受人及共有人", ["身份", "姓名/名称", "证件类型", "证件号码", "手机号", "共有份额"], S.contract_buyers,
               "contract-buyers"),
        rx.grid(
            _table("签署确认", ["签署人", "确认时间"], S.contract_confirmations, "contract-confirmations"),
            _table("合同盖章", ["印章", "印章名称", "盖章时间"], S.contract_seals, "contract-seals"),
            columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%",
        ),
        _table("缴款记录（资金缴款通知单）", ["缴款日期", "金额(元)", "缴款凭证号"], S.contract_payments, "contract-payments"),
        _table("贷款审核与备案", ["环节", "机构", "结论", "意见", "办结时间"], S.contract_reviews, "contract-reviews"),
        spacing="3", width="100%",
    )
