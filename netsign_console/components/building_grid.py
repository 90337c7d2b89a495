"""The building grid (楼盘表) component: a legend row and the grid, drawn from state vars.

    building_grid(S)                    # a cell click calls S.open_room(room_id)
    building_grid(S, selectable=True)   # a cell click calls S.toggle_room(room_id); S.selected outlined

The contract: `S` has the vars of netsign_console/grid/payload.py —

    S.grid_units: list[GridUnit]       unit label and its number of positions (column span)
    S.grid_floors: list[FloorLine]     top-down; label, nominal floor, cells across all units
                                       (GridCellData: room_id (0 = empty), room_number, status,
                                       markers, tooltip, unit_start)
    S.grid_legend: list[LegendItem]    kind "status" | "marker", code, label, count
    S.grid_room_count: int

and the handler `S.open_room(room_id)` (the cell of `S.card_room_id`, if the state has it, is
outlined), or with `selectable=True` the var `S.selected: list[int]` (outlined) and the handler
`S.toggle_room(room_id)`. GridState (state/grid_state.py) has all of them;
any other state may hold them itself.

Why it is drawn this way: 500–1,000 cells must stay cheap, so a cell is a plain <td> (its room
number as text, a badge row only when it has markers) with a CSS class per status (the
palette's stylesheet, palette.css(), is emitted once with the grid) and the browser's own
`title` tooltip, not a tooltip component per cell. The grid scrolls
inside its card (`width:0; min-width:100%` keeps a wide building from widening the page);
unit headers and floor labels are sticky.

Element ids for tests and printing: #building-grid, #grid-table, cells `[data-room="1-0101"]`,
#legend-<code> with #legend-count-<code>, #grid-room-count.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.grid.palette import MARKERS, css as palette_css

LAYOUT_CSS = """
.bg-scroll{max-height:70vh;overflow:auto;border:1px solid #e5e7eb;border-radius:8px;background:#fff;
  width:0;min-width:100%}
.bg-table{border-collapse:separate;border-spacing:2px;font-size:12px;line-height:1.15}
.bg-table th{background:#f8fafc;font-weight:600;white-space:nowrap;color:#334155}
.bg-table thead th{position:sticky;top:0;z-index:2;padding:4px 6px;border-bottom:1px solid #cbd5e1}
.bg-table th.bg-corner{left:0;z-index:3}
.bg-table tbody th{position:sticky;left:0;z-index:1;padding:2px 8px;text-align:right;border-right:1px solid #cbd5e1}
.bg-nominal{display:block;font-weight:400;font-size:10px;color:#64748b}
.bg-gap{width:6px;min-width:6px;padding:0;background:transparent}
.bg-cell{min-width:64px;height:32px;padding:2px 4px;border:1px solid;border-radius:3px;cursor:pointer;
  text-align:center;white-space:nowrap;vertical-align:middle;font-weight:600}
.bg-cell:hover{filter:brightness(0.93)}
.bg-cell.sel{outline:3px solid #111827;outline-offset:-3px}
.bg-empty{min-width:64px;height:32px;border:1px dashed #e5e7eb;border-radius:3px}
.bg-mks{display:block;height:14px;font-weight:400}
.bg-mk{display:inline-block;min-width:14px;height:14px;line-height:14px;padding:0 1px;margin:0 1px;
  border-radius:3px;color:#fff;font-size:10px;text-align:center;font-weight:600}
.bg-legend{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:12px;color:#334155}
.bg-legend-item{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}
.bg-legend-item.zero{opacity:0.45}
.bg-swatch{display:inline-block;width:18px;height:14px;border:1px solid;border-radius:3px}
.bg-count{font-weight:600}
@media print{.bg-scroll{max-height:none;overflow:visible;border:none}
  .bg-table *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def grid_css() -> str:
    return LAYOUT_CSS.replace("\n", "") + palette_css()


def marker_letter(code) -> rx.Component:
    """The badge letter of a marker code var (a JS switch over the fixed palette)."""
    return rx.match(code, *[(m.code, m.letter) for m in MARKERS.values()], "?")


def marker_badge(code) -> rx.Component:
    return rx.el.span(marker_letter(code), class_name=f"bg-mk mk-{code}")


def _legend_item(item) -> rx.Component:
    mark = rx.cond(item.kind == "status", rx.el.span(class_name=f"bg-swatch st-{item.code}"), marker_badge(item.code))
    return rx.el.span(
        mark,
        rx.el.span(item.label),
        rx.el.span(item.count, class_name="bg-count", id=f"legend-count-{item.code}"),
        class_name=rx.cond(item.count > 0, "bg-legend-item", "bg-legend-item zero"),
        id=f"legend-{item.code}",
        custom_attrs={"data-kind": item.kind},
    )


def grid_legend(S) -> rx.Component:
    return rx.el.div(
        rx.el.span("共 ", rx.el.strong(S.grid_room_count, id="grid-room-count"), " 户", class_name="bg-legend-item"),
        rx.foreach(S.grid_legend, _legend_item),
        class_name="bg-legend",
        id="grid-legend",
    )


def _cell(S, cell, selectable: bool) -> rx.Component:
    if selectable:
        chosen = rx.cond(S.selected.contains(cell.room_id), " sel", "")
        click = S.toggle_room(cell.room_id)
    else:
        # The cell whose room card is open, where the state has one (card_room_id).
        chosen = rx.cond(S.card_room_id == cell.room_id, " sel", "") if hasattr(S, "card_room_id") else ""
        click = S.open_room(cell.room_id)
    room = rx.el.td(
        cell.room_number,
        rx.cond(cell.markers.length() > 0, rx.el.span(rx.foreach(cell.markers, marker_badge), class_name="bg-mks")),
        class_name=f"bg-cell st-{cell.status}{chosen}",
        title=cell.tooltip,
        on_click=click,
        custom_attrs={"data-room": cell.room_number, "data-status": cell.status},
    )
    return rx.fragment(
        rx.cond(cell.unit_start, rx.el.td(class_name="bg-gap")),
        rx.cond(cell.room_id > 0, room, rx.el.td(class_name="bg-empty")),
    )


def _floor_row(S, floor, selectable: bool) -> rx.Component:
    return rx.el.tr(
        rx.el.th(floor.label, rx.cond(floor.nominal != "", rx.el.span("名义", floor.nominal, class_name="bg-nominal"))),
        rx.foreach(floor.cells, lambda cell: _cell(S, cell, selectable)),
    )


def _unit_head(unit) -> rx.Component:
    return rx.fragment(rx.el.th(class_name="bg-gap"), rx.el.th(unit.label, col_span=unit.span))


def building_grid(S, selectable: bool = False) -> rx.Component:
    return rx.el.div(
        rx.el.style(grid_css()),
        grid_legend(S),
        rx.el.div(
            rx.el.table(
                rx.el.thead(rx.el.tr(rx.el.th("楼层", class_name="bg-corner"), rx.foreach(S.grid_units, _unit_head))),
                rx.el.tbody(rx.foreach(S.grid_floors, lambda floor: _floor_row(S, floor, selectable))),
                class_name="bg-table",
                id="grid-table",
            ),
            rx.cond(S.grid_floors.length() == 0,
                    rx.el.p("该楼栋暂无户室信息", style={"padding": "16px", "color": "#64748b"}, id="grid-empty")),
            class_name="bg-scroll",
            margin_top="8px",
        ),
        id="building-grid",
        width="100%",
    )
