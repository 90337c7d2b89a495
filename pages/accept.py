"""业务受理: one generic page for every case type, generated from the flows' Start declarations.

    /accept                 the case types this role may accept, grouped like the Hunan manual
    /accept/<flow slug>     the start form: pick the subject (searched as you type), see it and
                            the acceptance checks, 受理 → the new case's page

The sidebar's 业务受理 entries (one per category) come from the same declarations.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.db import session_scope
from netsign_console.errors import UserError
from netsign_console.state.app_state import AppState
from netsign_console.workflow import acceptance, engine

DEBOUNCE_MS = 350


@dataclasses.dataclass
class FlowCard:
    slug: str
    title: str
    hint: str
    prefix: str


@dataclasses.dataclass
class CategoryBlock:
    title: str
    flows: list[FlowCard]


@dataclasses.dataclass
class SubjectRow:
    id: int
    label: str
    key: str


class AcceptIndexState(AppState):
    categories: list[CategoryBlock] = []
    group: str = ""

    @guarded(Perm.CASE_ACCEPT, page_load=True)
    def load(self):
        self.group = str(self.router.url.query_parameters.get("group", ""))
        self.categories = [
            CategoryBlock(c.title, [FlowCard(f.slug, f.title, f.hint, f.prefix) for f in c.flows])
            for c in acceptance.catalogue(current_principal())
            if not self.group or c.title == self.group
        ]


def _flow_card(card: FlowCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.badge(card.prefix, variant="soft"), rx.text(card.title, weight="bold"), align="center"),
            rx.text(card.hint, size="2", color="gray"),
            rx.link(rx.button("受理", size="2", id="start-" + card.slug), href="/accept/" + card.slug),
            spacing="2",
            align="start",
        ),
        width="320px",
    )


def _category(block: CategoryBlock) -> rx.Component:
    return rx.vstack(
        rx.heading(block.title, size="4", color="#1e3a5f"),
        rx.flex(rx.foreach(block.flows, _flow_card), wrap="wrap", spacing="3"),
        spacing="2",
        width="100%",
    )


@console_page("/accept", "业务受理", Perm.CASE_ACCEPT, on_load=AcceptIndexState.load)
def accept_index_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            AcceptIndexState.categories.length() > 0,
            rx.foreach(AcceptIndexState.categories, _category),
            rx.text("您当前没有可以受理的业务类型", color="gray"),
        ),
        spacing="5",
        width="100%",
        id="accept-catalogue",
    )


class StartState(AppState):
    slug: str = ""
    flow_title: str = ""
    category: str = ""
    hint: str = ""
    subject_label: str = ""
    placeholder: str = ""
    note: str = ""
    term: str = ""
    options: list[SubjectRow] = []
    picked_id: int = 0
    picked_label: str = ""
    details: list[list[str]] = []
    refusals: list[str] = []
    error: str = ""

    def _search(self) -> None:
        with session_scope() as session:
            found = acceptance.search(session, current_principal(), self.slug, self.term)
        self.options = [SubjectRow(o.id, o.label, o.key) for o in found]

    @guarded(Perm.CASE_ACCEPT, page_load=True)
    def load(self):
        self.slug = str(self.router.page.params.get("flow", ""))
        form = acceptance.start_form(current_principal(), self.slug)
        self.flow_title, self.category, self.hint = form.title, form.category, form.hint
        self.subject_label, self.placeholder = form.subject_label, form.placeholder
        self.note = form.note
        self.term, self.picked_id, self.picked_label, self.details, self.refusals, self.error = "", 0, "", [], [], ""
        self.options = []
        if form.list_first:
            self._search()

    @guarded(Perm.CASE_ACCEPT)
    def search(self, term: str):
        self.term = str(term)[:50]
        self._search()

    @guarded(Perm.CASE_ACCEPT)
    def pick(self, subject_id: int):
        with session_scope() as session:
            rows, refusals = acceptance.preview(session, current_principal(), self.slug, int(subject_id))
        self.picked_id = int(subject_id)
        self.picked_label = next((o.label for o in self.options if o.id == self.picked_id), "")
        self.details = [list(r) for r in rows]
        self.refusals = refusals
        self.error = ""

    @guarded(Perm.CASE_ACCEPT)
    def accept(self, subject_id: int):
        code = acceptance.flow_for_slug(current_principal(), self.slug).code
        try:
            with session_scope() as session:
                case = engine.accept(session, current_principal(), code, subject_id=int(subject_id) or None)
                number = case.number
        except UserError as exc:
            self.error = str(exc)
            self.picked_id = int(subject_id)
            return rx.toast.error(str(exc))
        return [rx.toast.success(f"已受理，业务编号 {number}"), rx.redirect(f"/case/{number}")]


def _option(row: SubjectRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.label, on_click=StartState.pick(row.id), cursor="pointer", color="var(--accent-11)",
                              id="pick-" + row.key)),
        rx.table.cell(rx.hstack(
            rx.button("查看", size="1", variant="soft", on_click=StartState.pick(row.id)),
            rx.button("受理", size="1", on_click=StartState.accept(row.id), id="accept-" + row.key),
            spacing="2",
        )),
        background=rx.cond(StartState.picked_id == row.id, "var(--accent-2)", "transparent"),
    )


def _picked() -> rx.Component:
    return rx.cond(
        StartState.picked_id != 0,
        rx.card(
            rx.vstack(
                rx.heading(StartState.subject_label + "信息", size="3"),
                rx.data_list.root(rx.foreach(StartState.details, lambda kv: rx.data_list.item(
                    rx.data_list.label(kv[0]), rx.data_list.value(kv[1]))), orientation="horizontal"),
                rx.cond(
                    StartState.refusals.length() > 0,
                    rx.callout(rx.vstack(rx.foreach(StartState.refusals, lambda r: rx.text(r)), spacing="1"),
                               icon="ban", color_scheme="red", id="accept-refusals", width="100%"),
                    rx.callout("受理条件检查通过，可以受理", icon="circle_check", color_scheme="green", id="accept-ok"),
                ),
                rx.button("受理", on_click=StartState.accept(StartState.picked_id), id="accept-picked",
                          disabled=StartState.refusals.length() > 0),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def _may_open_start_page(principal, params: dict) -> bool:
    return acceptance.may_accept_slug(principal, str(params.get("flow", "")))


@console_page("/accept/[flow]", "业务受理", Perm.CASE_ACCEPT, on_load=StartState.load, check=_may_open_start_page)
def start_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(StartState.flow_title, size="5", id="start-title"),
                  rx.badge(StartState.category, variant="soft"), align="center"),
        rx.cond(StartState.hint != "", rx.callout(StartState.hint, icon="info", size="1")),
        rx.cond(StartState.note != "", rx.callout(StartState.note, icon="upload", size="1", color_scheme="orange",
                                                  id="start-note")),
        rx.card(
            rx.vstack(
                rx.text("选择", StartState.subject_label, weight="bold"),
                rx.input(value=StartState.term, on_change=StartState.search, debounce_timeout=DEBOUNCE_MS,
                         placeholder=StartState.placeholder + "，最多显示20条", id="subject-search", width="420px",
                         auto_complete="off"),
                rx.cond(StartState.error != "", rx.text(StartState.error, color="red", size="2", id="error-subject")),
                rx.table.root(
                    rx.table.header(rx.table.row(rx.table.column_header_cell(StartState.subject_label),
                                                 rx.table.column_header_cell("操作"))),
                    rx.table.body(rx.cond(
                        StartState.options.length() > 0,
                        rx.foreach(StartState.options, _option),
                        rx.table.row(rx.table.cell(rx.text("没有符合条件的记录", color="gray"), col_span=2)),
                    )),
                    width="100%",
                    id="subject-table",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        _picked(),
        spacing="4",
        width="100%",
    )

