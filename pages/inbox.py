"""在手业务 (WF-02): my tasks and the queue of tasks my role may claim, with filters."""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import empty_row, header_row, pager
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState
from netsign_console.workflow import all_flows, engine
from netsign_console.workflow.inbox import InboxFilters, inbox
from netsign_console.workflow.registry import stage_titles

PAGE_SIZE = 20
STATUS_CHOICES = [("", "全部"), ("mine", "我的任务"), ("queue", "待接件"), ("returned", "退件")]


@dataclasses.dataclass
class InboxItem:
    task_id: int
    case_number: str
    case_type_title: str
    case_title: str
    stage_title: str
    todo: str
    created_at: str
    initiator_name: str
    handler_name: str
    org_name: str
    dispatched_by_name: str
    mine: bool
    returned: bool
    return_reason: str


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise UserError("日期格式应为 年-月-日", "created")


class InboxState(AppState):
    rows: list[InboxItem] = []
    page: int = 1
    has_next: bool = False
    filters: dict[str, str] = {}
    case_types: list[list[str]] = []
    stage_choices: list[str] = []

    def _load(self) -> None:
        f = self.filters
        filters = InboxFilters(
            case_type=f.get("case_type") or None,
            stage=f.get("stage") or None,
            created_from=_parse_day(f.get("created_from", "")),
            created_to=_parse_day(f.get("created_to", "")),
            initiator=f.get("initiator") or None,
            handler=f.get("handler") or None,
            status=f.get("status") or None,
            org_name=f.get("org_name") or None,
        )
        with session_scope() as session:
            result = inbox(session, current_principal(), filters=filters, page=self.page, page_size=PAGE_SIZE)
        self.rows = [
            InboxItem(
                task_id=r.task_id, case_number=r.case_number, case_type_title=r.case_type_title,
                case_title=r.case_title, stage_title=r.stage_title, todo="、".join(r.todo),
                created_at=r.created_at, initiator_name=r.initiator_name or "—", handler_name=r.handler_name or "—",
                org_name=r.org_name,
                dispatched_by_name=r.dispatched_by_name or "—", mine=r.mine, returned=r.returned,
                return_reason=r.return_reason,
            )
            for r in result.rows
        ]
        self.has_next = result.has_next
        self.case_types = [["", "全部"]] + [[f.code, f.title] for f in {f.code: f for f in all_flows()}.values()]
        self.stage_choices = stage_titles()

    @guarded(Perm.CASE_INBOX, page_load=True)
    def load(self):
        self.page = 1
        self._load()

    @guarded(Perm.CASE_INBOX)
    def search(self, form_data: dict):
        # "all" stands for no filter: Radix selects cannot hold an empty value.
        self.filters = {k: "" if v == "all" else str(v).strip() for k, v in form_data.items()}
        self.page = 1
        self._load()

    @guarded(Perm.CASE_INBOX)
    def next_page(self):
        if self.has_next:
            self.page += 1
            self._load()

    @guarded(Perm.CASE_INBOX)
    def prev_page(self):
        if self.page > 1:
            self.page -= 1
            self._load()

    @guarded(Perm.CASE_HANDLE)
    def claim(self, task_id: int):
        with session_scope() as session:
            task = engine.claim(session, current_principal(), int(task_id))
            number = engine.require_case_access(session, current_principal(), task.case_id).number
        return [rx.toast.success("接件成功"), rx.redirect(f"/case/{number}")]


def _status_badge(row: InboxItem) -> rx.Component:
    return rx.cond(
        row.returned,
        rx.tooltip(rx.badge("退件", color_scheme="red"), content=row.return_reason),
        rx.cond(row.mine, rx.badge("我的任务", color_scheme="blue"), rx.badge("待接件", color_scheme="orange")),
    )


def _row(row: InboxItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row.case_number, href="/case/" + row.case_number)),
        rx.table.cell(row.case_type_title),
        rx.table.cell(row.case_title),
        rx.table.cell(row.stage_title),
        rx.table.cell(row.todo),
        rx.table.cell(row.created_at),
        rx.table.cell(row.initiator_name),
        rx.table.cell(row.handler_name),
        rx.table.cell(row.org_name),
        rx.table.cell(row.dispatched_by_name),
        rx.table.cell(
            rx.vstack(
                _status_badge(row),
                rx.cond(row.returned, rx.text("退件原因：", row.return_reason, size="1", color="red")),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.cond(
                row.mine,
                rx.link(rx.button("办理", size="1", white_space="nowrap"), href="/case/" + row.case_number),
                rx.button("接件", size="1", color_scheme="orange", on_click=InboxState.claim(row.task_id),
                          id="claim-" + row.case_number, white_space="nowrap"),
            )
        ),
        id="inbox-" + row.case_number,
    )


def _captioned(caption: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(caption, size="1", color="gray"), control, spacing="1")


def _filters() -> rx.Component:
    """WF-02's filters, each with its caption. 退房消息 and 业务属性 come with the contract data."""
    return rx.form(
        rx.flex(
            _captioned("业务类型", rx.select.root(
                rx.select.trigger(placeholder="业务类型", id="filter-case_type"),
                rx.select.content(rx.foreach(InboxState.case_types, lambda c: rx.select.item(c[1], value=rx.cond(c[0] == "", "all", c[0])))),
                name="case_type", default_value="all",
            )),
            _captioned("办理阶段", rx.el.select(
                rx.el.option("全部", value=""),
                rx.foreach(InboxState.stage_choices, lambda t: rx.el.option(t, value=t)),
                name="stage", id="filter-stage", style={"padding": "6px", "minWidth": "140px"},
            )),
            _captioned("创建时间起", rx.input(name="created_from", type="date", id="filter-created_from")),
            _captioned("创建时间止", rx.input(name="created_to", type="date", id="filter-created_to")),
            _captioned("经办人员（受理人）", rx.input(name="initiator", placeholder="姓名", id="filter-initiator")),
            _captioned("当前办理人", rx.input(name="handler", placeholder="姓名", id="filter-handler")),
            _captioned("开发企业", rx.input(name="org_name", placeholder="企业名称", id="filter-org_name")),
            _captioned("状态", rx.select.root(
                rx.select.trigger(placeholder="状态", id="filter-status"),
                rx.select.content(*[rx.select.item(label, value=code or "all") for code, label in STATUS_CHOICES]),
                name="status", default_value="all",
            )),
            rx.button("查询", type="submit", id="inbox-search"),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        on_submit=InboxState.search,
        reset_on_submit=False,
    )


@console_page("/inbox", "在手业务", Perm.CASE_INBOX, menu="业务办理", on_load=InboxState.load)
def inbox_page() -> rx.Component:
    return rx.vstack(
        _filters(),
        rx.card(
            rx.table.root(
                header_row("业务编号", "业务类型", "业务摘要", "办理阶段", "待办事项", "创建时间", "经办人员", "当前办理人",
                           "发起机构", "上一派工人员", "状态", "操作"),
                rx.table.body(
                    rx.cond(InboxState.rows.length() > 0, rx.foreach(InboxState.rows, _row), empty_row(12, "暂无在手业务")),
                ),
                width="100%",
                id="inbox-table",
            ),
            pager(InboxState.page, InboxState.has_next, InboxState.prev_page, InboxState.next_page),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
