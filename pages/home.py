"""工作台 (SYS-04): pending count, recent work, the role's applications, release notes."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.db import session_scope
from netsign_console.services.workbench import recent_done_count, visible_release_notes
from netsign_console.state.app_state import AppState, MenuGroup


@dataclasses.dataclass
class NoteRow:
    version: str
    title: str
    content: str
    release_at: str


class HomeState(AppState):
    recent_count: int = 0
    notes: list[NoteRow] = []

    @guarded(Perm.HOME, page_load=True)
    def load(self):
        principal = current_principal()
        with session_scope() as session:
            self.recent_count = recent_done_count(session, principal)
            self.notes = [NoteRow(**n) for n in visible_release_notes(session)]


def _stat(label: str, value, href: str, elem_id: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.text(label, size="2", color="gray"),
                rx.heading(value, size="8", id=elem_id),
                spacing="1",
            ),
            width="220px",
        ),
        href=href,
        underline="none",
    )


def _app_group(group: MenuGroup) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(group.group, weight="bold"),
            rx.flex(
                rx.foreach(
                    group.links,
                    lambda item: rx.link(rx.button(item.label, variant="soft", size="2"), href=item.route),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
        ),
        width="100%",
    )


def _note(note: NoteRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(note.version),
            rx.text(note.title, weight="bold"),
            rx.text(note.release_at, size="1", color="gray"),
            align="center",
        ),
        rx.text(note.content, size="2", white_space="pre-wrap"),
        spacing="1",
        width="100%",
    )


@console_page("/", "工作台", Perm.HOME, on_load=HomeState.load)
def home_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _stat("待处理业务数", AppState.pending_count, "/inbox", "home-pending"),
            _stat("近7日已办业务数", HomeState.recent_count, "/done", "home-recent"),
            spacing="4",
        ),
        rx.heading("平台应用", size="4"),
        rx.foreach(AppState.menu, _app_group),
        rx.heading("版本更新记录", size="4"),
        rx.card(
            rx.cond(
                HomeState.notes.length() > 0,
                rx.vstack(rx.foreach(HomeState.notes, _note), spacing="4", width="100%"),
                rx.text("暂无更新记录", color="gray"),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
