"""The room card (户室卡片) beside a building grid: figures, restrictions, lineage, cases.

    room_card_panel(S)

Reads the card vars of netsign_console/grid/payload.py (card_room_id, card_title, ...) and
calls S.open_room(room_id) (a lineage entry) and S.close_room(); GridState has all of them.
Shown while S.card_room_id > 0. Ids: #room-card, #card-title, #card-status, #card-cases,
#card-record-link, #card-close.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.components.building_grid import marker_badge
from netsign_console.grid.palette import MARKERS


def _section(title: str, *children) -> rx.Component:
    return rx.vstack(rx.text(title, size="2", weight="bold", color="#334155"), *children, spacing="1", width="100%")


def _figure(row) -> rx.Component:
    return rx.el.tr(rx.el.th(row[0], style={"textAlign": "left", "color": "#64748b", "fontWeight": 400,
                                            "paddingRight": "12px", "whiteSpace": "nowrap"}),
                    rx.el.td(row[1]))


def _marker_label(code) -> rx.Component:
    label = rx.match(code, *[(m.code, m.label) for m in MARKERS.values()], "")
    return rx.hstack(marker_badge(code), rx.text(label, size="1"), spacing="1", align="center")


def _restriction(r) -> rx.Component:
    return rx.box(
        rx.hstack(marker_badge(r.marker), rx.text(r.kind_label, size="2", weight="medium"),
                  rx.badge(rx.cond(r.active, "有效", "已解除"), color_scheme=rx.cond(r.active, "red", "gray"),
                           size="1"), spacing="2", align="center"),
        rx.text("文书编号：", r.reference, size="1", color="gray"),
        rx.text("限制机关：", r.authority, size="1", color="gray"),
        rx.text("期限：", r.period, size="1", color="gray"),
        padding_y="4px", border_bottom="1px solid #f1f5f9", width="100%",
    )


def _lineage(S, x) -> rx.Component:
    other = rx.cond(
        x.room_id > 0,
        rx.link(x.building_number, " ", x.room_number, on_click=S.open_room(x.room_id), cursor="pointer", size="2"),
        rx.text("—", size="2"),
    )
    return rx.hstack(rx.text(x.relation, size="1", color="gray"), other, rx.badge(x.kind_label, size="1"),
                     rx.text(x.case_number, size="1", color="gray"), spacing="2", align="center", wrap="wrap")


def _case(c) -> rx.Component:
    return rx.box(
        rx.hstack(rx.link(c.number, href=c.link, size="2", weight="medium", class_name="card-case-link"),
                  rx.badge(c.status_label, size="1", variant="soft"), spacing="2", align="center"),
        rx.text(c.type_title, " · ", c.stage, size="1", color="gray"),
        rx.cond(c.via != "", rx.text("经", c.via, size="1", color="gray")),
        padding_y="3px",
    )


def room_card_panel(S) -> rx.Component:
    return rx.cond(
        S.card_room_id > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(S.card_title, size="3", id="card-title"),
                    rx.spacer(),
                    rx.icon_button(rx.icon("x", size=16), on_click=S.close_room, variant="ghost", size="1",
                                   id="card-close", aria_label="关闭"),
                    width="100%", align="center",
                ),
                rx.hstack(
                    rx.el.span(S.card_status_label, class_name=f"st-{S.card_status}", id="card-status",
                               style={"border": "1px solid", "borderRadius": "4px", "padding": "1px 8px",
                                      "fontSize": "13px"}),
                    rx.foreach(S.card_markers, _marker_label),
                    spacing="2", align="center", wrap="wrap",
                ),
                rx.cond(S.card_note != "", rx.callout(S.card_note, size="1", color_scheme="orange", icon="info")),
                rx.el.table(rx.el.tbody(rx.foreach(S.card_figures, _figure)), style={"fontSize": "13px"},
                            id="card-figures"),
                _section("限制信息", rx.cond(S.card_restrictions.length() > 0,
                                         rx.foreach(S.card_restrictions, _restriction),
                                         rx.text("无", size="1", color="gray"))),
                rx.cond(S.card_lineage.length() > 0,
                        _section("测绘对照", rx.foreach(S.card_lineage, lambda x: _lineage(S, x)))),
                _section("相关业务", rx.box(rx.cond(S.card_cases.length() > 0, rx.foreach(S.card_cases, _case),
                                                rx.text("暂无业务", size="1", color="gray")), id="card-cases")),
                rx.link("查看户室信息 →", href=S.card_record_link, size="2", id="card-record-link"),
                spacing="3", width="100%",
            ),
            id="room-card", width="100%",
        ),
    )
