"""The room screens of a case's sub-tasks (state: pages/case_rooms.py CaseRoomsState as `R`):
the selection tools (SURV-03), 批量设置 with its preview, 快捷设置价格 (SURV-05), 价格核对 (SURV-06),
快速设置 of one room (SURV-04), and the room picker of a RoomPickStep.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.domain.pricing import Change, Direction, PriceKind


def _error(R, field: str) -> rx.Component:
    return rx.cond(R.errors.contains(field), rx.text(R.errors[field], color="red", size="2", id=f"error-{field}"))


def _select(name: str, options: list[tuple[str, str]], **props) -> rx.Component:
    return rx.el.select(*[rx.el.option(label, value=value) for value, label in options], name=name,
                        style={"padding": "4px"}, **props)


def selection_tools(R) -> rx.Component:
    def tool(mode: str, *fields: rx.Component, label: str) -> rx.Component:
        return rx.form(
            rx.hstack(rx.el.input(type="hidden", name="mode", value=mode), *fields,
                      rx.button(label, size="1", variant="soft", type="submit", id=f"select-{mode}"),
                      align="center", spacing="1"),
            on_submit=R.select_rooms, reset_on_submit=False, width="auto",
        )

    return rx.vstack(
        rx.flex(
            tool("all", label="全选"),
            tool("none", label="清除选择"),
            tool("unit", rx.el.select(rx.foreach(R.units, lambda u: rx.el.option(u, value=u)), name="unit",
                                      id="select-unit-value", style={"padding": "4px"}), label="按单元选择"),
            tool("floor", rx.input(name="floor", placeholder="实际层", width="80px", id="select-floor-value"),
                 label="按实际层选择"),
            tool("pattern",
                 _select("position", [("back", "向后匹配"), ("front", "向前匹配")]),
                 rx.input(name="digits", placeholder="匹配数字", width="90px", id="select-digits"),
                 rx.input(name="length", placeholder="长度", width="60px", id="select-length"),
                 label="室号匹配"),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        _error(R, "selection"),
        spacing="1",
        width="100%",
    )


def _pending(R, what: str) -> rx.Component:
    return rx.cond(
        R.pending == what,
        rx.callout(
            rx.hstack(
                rx.text(R.note, id=f"{what}-preview"),
                rx.button("确认", size="1", color_scheme="green", type="button", on_click=R.confirm_pending,
                          id=f"{what}-confirm"),
                rx.button("取消", size="1", variant="soft", color_scheme="gray", type="button",
                          on_click=R.cancel_pending),
                align="center",
            ),
            icon="info", size="1",
        ),
    )


def _batch_input(f) -> rx.Component:
    return rx.vstack(
        rx.text(f.label, size="1", color="gray"),
        rx.cond(
            f.widget == "enum",
            rx.el.select(rx.el.option("（不修改）", value=""),
                         rx.foreach(f.choices, lambda c: rx.el.option(c[1], value=c[0])),
                         name=f.name, id="batch-" + f.name, style={"padding": "4px", "minWidth": "120px"}),
            rx.cond(
                f.widget == "bool",
                rx.el.select(rx.el.option("（不修改）", value=""), rx.el.option("是", value="1"),
                             rx.el.option("否", value="0"), name=f.name, id="batch-" + f.name,
                             style={"padding": "4px"}),
                rx.input(name=f.name, id="batch-" + f.name, width="120px", placeholder="不修改请留空"),
            ),
        ),
        spacing="1",
    )


def batch_form(R) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("批量设置（仅填写要修改的项，已选户室统一设置）", size="2", weight="bold"),
            rx.flex(rx.foreach(R.fields, _batch_input), wrap="wrap", spacing="3"),
            _error(R, "batch_values"),
            rx.foreach(R.fields, lambda f: _error(R, f.name)),
            rx.button("批量设置", type="submit", size="2", id="batch-apply"),
            _pending(R, "batch"),
            spacing="2",
            width="100%",
        ),
        on_submit=R.preview_batch, reset_on_submit=False, id="batch-form", width="100%",
    )


def price_generator(R) -> rx.Component:
    """快捷设置价格: by 户型 and 实际层 from a base price at a base floor, up or down, per floor."""
    def field(label: str, control: rx.Component) -> rx.Component:
        return rx.vstack(rx.text(label, size="1", color="gray"), control, spacing="1")

    return rx.form(
        rx.vstack(
            rx.text("快捷设置价格（按户型和实际层逐层生成；不选户室时作用于全部户室）", size="2", weight="bold"),
            rx.flex(
                field("价格类型", _select("price_kind", [(k.value, k.label) for k in PriceKind], id="price-kind")),
                field("户型", rx.el.select(rx.el.option("全部户型", value=""),
                                          rx.foreach(R.layouts, lambda x: rx.el.option(x, value=x)),
                                          name="layout", id="price-layout", style={"padding": "4px"})),
                field("基础价格（元/㎡）", rx.input(name="base_price", width="120px", id="price-base")),
                field("基准层数", rx.input(name="base_floor", width="80px", id="price-base-floor")),
                field("方向", _select("direction", [(d.value, d.label) for d in Direction], id="price-direction")),
                field("递增/递减", _select("change", [(c.value, c.label) for c in Change], id="price-change")),
                field("每层金额（元/㎡）", rx.input(name="step", width="100px", id="price-step")),
                wrap="wrap", spacing="3", align="end",
            ),
            rx.foreach(["price_kind", "base_price", "base_floor", "step", "price_rule"], lambda k: _error(R, k)),
            rx.button("生成价格", type="submit", size="2", id="price-generate"),
            _pending(R, "prices"),
            spacing="2",
            width="100%",
        ),
        on_submit=R.preview_prices, reset_on_submit=False, width="100%",
    )


def price_check(R) -> rx.Component:
    """价格核对: filtered by 实际层, 单元, 名义层, 用途, 户型; each cell "毛 装 面 销", corrected room by room."""
    def row(p) -> rx.Component:
        return rx.table.row(
            rx.table.cell(p.room_number), rx.table.cell(p.unit), rx.table.cell(p.floor),
            rx.table.cell(p.nominal_floor), rx.table.cell(p.usage), rx.table.cell(p.layout),
            rx.table.cell(rx.text(p.label, id="price-label-" + p.room_number, white_space="nowrap")),
            rx.table.cell(p.total),
            rx.cond(R.editable, rx.table.cell(rx.button("修改", size="1", variant="soft",
                                                          on_click=R.edit_room(p.id), id="price-edit-" + p.room_number))),
        )

    return rx.vstack(
        rx.text("价格核对", size="2", weight="bold"),
        rx.form(
            rx.hstack(
                rx.input(name="actual_floor", placeholder="实际层", width="80px", id="pf-actual_floor"),
                rx.input(name="unit", placeholder="单元", width="90px", id="pf-unit"),
                rx.input(name="nominal_floor", placeholder="名义层", width="80px"),
                rx.input(name="usage", placeholder="用途代码", width="90px"),
                rx.input(name="layout", placeholder="户型", width="100px", id="pf-layout"),
                rx.button("筛选", size="1", type="submit", variant="soft", id="price-filter"),
                align="center", spacing="2",
            ),
            on_submit=R.filter_prices, reset_on_submit=False,
        ),
        _error(R, "price_filter"),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in (
                    "室号", "单元", "实际层", "名义层", "用途", "户型", "毛坯/装修/面积/销售", "总价（元）")],
                    rx.cond(R.editable, rx.table.column_header_cell("操作")))),
                rx.table.body(rx.foreach(R.price_rows, row)),
                size="1", width="100%", id="price-table",
            ),
            max_height="360px", overflow_y="auto", width="100%",
        ),
        spacing="2",
        width="100%",
    )


def room_editor(R) -> rx.Component:
    """快速设置 / a price correction of one room (the fields the step allows)."""
    price = [("shell_price", "毛坯单价"), ("decoration_price", "装修单价"), ("sale_price", "销售单价")]
    return rx.cond(
        R.editing_room != 0,
        rx.card(
            rx.form(
                rx.vstack(
                    rx.text("修改户室（留空表示不修改；来自测绘成果的数据不能修改）", size="2", weight="bold"),
                    rx.flex(
                        rx.foreach(R.quick_fields, lambda f: rx.vstack(
                            rx.text(f.label, size="1", color="gray"),
                            rx.input(name=f.name, width="120px", id="quick-" + f.name), spacing="1")),
                        rx.cond(R.price_tools, rx.fragment(*[rx.vstack(
                            rx.text(label, size="1", color="gray"),
                            rx.input(name=name, width="120px", id="quick-" + name), spacing="1") for name, label in price])),
                        wrap="wrap", spacing="3",
                    ),
                    _error(R, "room_edit"), _error(R, "gross_area"),
                    rx.foreach(["shell_price", "decoration_price", "sale_price", "inner_area", "shared_area",
                                "actual_floor"], lambda k: _error(R, k)),
                    rx.hstack(
                        rx.button("保存", type="submit", size="2", id="quick-save"),
                        rx.button("取消", type="button", size="2", variant="soft", on_click=R.close_edit),
                        spacing="2",
                    ),
                    spacing="2",
                ),
                on_submit=R.save_room, reset_on_submit=True,
            ),
            width="100%",
        ),
    )


def _table(R, with_fields: bool) -> rx.Component:
    def row(r) -> rx.Component:
        return rx.table.row(
            rx.cond(R.editable,
                    rx.table.cell(rx.checkbox(checked=R.selected.contains(r.id), on_change=lambda _: R.toggle_room(r.id),
                                              id="room-check-" + r.room_number))),
            rx.table.cell(r.room_number),
            rx.table.cell(r.unit),
            rx.table.cell(r.floor),
            *([rx.foreach(r.cells, lambda v, i: rx.table.cell(rx.cond(
                v == "",
                rx.cond(R.fields[i].required, rx.text("未填", color="red", size="1"), rx.text("—", color="gray")),
                v,
            )))] if with_fields else []),
            rx.cond(R.editable & (R.quick_fields.length() > 0),
                    rx.table.cell(rx.button("快速设置", size="1", variant="ghost", on_click=R.edit_room(r.id),
                                            id="quick-edit-" + r.room_number))),
            background=rx.cond(r.missing, "#fff7ed", rx.cond(R.selected.contains(r.id), "var(--accent-2)", "transparent")),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.cond(R.editable, rx.table.column_header_cell("选择")),
                rx.table.column_header_cell("室号"), rx.table.column_header_cell("单元"),
                rx.table.column_header_cell("实际层"),
                *([rx.foreach(R.fields, lambda f: rx.table.column_header_cell(f.label))] if with_fields else []),
                rx.cond(R.editable & (R.quick_fields.length() > 0), rx.table.column_header_cell("操作")),
            )),
            rx.table.body(rx.foreach(R.rows, row)),
            size="1",
            width="100%",
            id="rooms-table",
        ),
        max_height="480px",
        overflow_y="auto",
        width="100%",
    )


def _grid_block(R, hint: str) -> rx.Component:
    """The building's grid: a click picks or drops a room of the step (the same selection as
    the table's ticks and the selection tools)."""
    from netsign_console.components.building_grid import building_grid

    return rx.cond(
        R.grid_room_count > 0,
        rx.vstack(
            rx.hstack(rx.text("楼盘表", weight="bold", size="2"),
                      rx.cond(R.editable, rx.text(hint, size="1", color="gray")), align="center"),
            building_grid(R, selectable=True),
            spacing="2", width="100%", id="case-grid",
        ),
    )


def rooms_screen(R) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("共", R.rows.length(), "户", size="2"),
            rx.cond(R.missing > 0, rx.badge(R.missing, "户信息不全", color_scheme="orange", id="rooms-missing"),
                    rx.badge("户室信息完整", color_scheme="green", id="rooms-complete")),
            rx.text(R.note, size="2", color="#1e3a5f", id="batch-note"),
            align="center",
        ),
        _grid_block(R, "点击户室加入或移出所选，再批量设置"),
        rx.cond(R.editable, rx.vstack(selection_tools(R), batch_form(R),
                                      rx.cond(R.price_tools, price_generator(R)), room_editor(R),
                                      spacing="3", width="100%")),
        _table(R, True),
        rx.cond(R.price_tools, price_check(R)),
        spacing="3",
        width="100%",
    )


def pick_screen(R) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("共", R.rows.length(), "户，已选", R.selected.length(), "户", size="2", id="pick-count"),
            rx.text(R.note, size="2", color="#1e3a5f", id="batch-note"),
            align="center",
        ),
        rx.cond(R.pick_figures.length() > 0, rx.hstack(rx.foreach(R.pick_figures, lambda f: rx.hstack(
            rx.text(f[0], size="2", color="gray"), rx.text(f[1], size="2", weight="bold", id="pick-figure-" + f[0]),
            spacing="1")), spacing="5", wrap="wrap", id="pick-figures")),
        _grid_block(R, "点击户室选择或取消，选好后保存"),
        rx.cond(R.editable, rx.vstack(
            selection_tools(R),
            rx.button("保存所选户室（", R.pick_action, "）", on_click=R.save_pick, size="2", id="pick-save"),
            spacing="2", width="100%",
        )),
        _table(R, False),
        spacing="3",
        width="100%",
    )


def mapping_screen(M) -> rx.Component:
    """户室关系对照: counts, the unmapped rooms of both sides (tick, then 对应/拆分/合并/新增/删除), the
    links made (each can be undone), and N13's settlement for every room whose area changed."""
    def side(title: str, rows, which: str) -> rx.Component:
        picked = M.picked_forecast if which == "forecast" else M.picked_as_built
        return rx.card(
            rx.text(title, weight="bold", size="2"),
            rx.vstack(rx.foreach(rows, lambda r: rx.hstack(
                rx.cond(M.editable, rx.checkbox(checked=picked.contains(r[0]), on_change=lambda _: M.toggle(which, r[0]),
                                                id=f"map-{which}-" + r[0])),
                rx.text(r[1], size="1"), align="center")), spacing="1", max_height="260px", overflow_y="auto"),
            width="100%",
        )

    def count(label: str, value, elem: str) -> rx.Component:
        return rx.vstack(rx.text(label, size="1", color="gray"), rx.heading(value, size="5", id=elem), spacing="0")

    ops = [("match", "对应"), ("split", "拆分"), ("merge", "合并"), ("add", "新增"), ("delete", "删除"), ("auto", "重新自动对照")]
    return rx.vstack(
        rx.hstack(count("原预测绘户室套数", M.counts[0], "map-forecast-count"),
                  count("实测绘户室套数", M.counts[1], "map-as-built-count"),
                  count("对照后户室套数", M.counts[2], "map-mapped-count"),
                  count("自动/手工对应", M.counts[3], "map-matched-count"), spacing="6"),
        rx.cond(M.problems.length() > 0,
                rx.callout(rx.vstack(rx.foreach(M.problems, lambda p: rx.text(p, size="1"))), icon="info", size="1",
                           color_scheme="orange", id="map-problems"),
                rx.callout("户室关系对照已完成", icon="circle_check", size="1", color_scheme="green", id="map-complete")),
        rx.grid(side("未对照的预测户室", M.unmapped_forecast, "forecast"),
                side("未对照的实测户室", M.unmapped_as_built, "as_built"), columns="2", spacing="3", width="100%"),
        rx.cond(M.editable, rx.hstack(*[rx.button(label, size="1", variant="soft", on_click=M.operate(op),
                                                  id=f"map-op-{op}") for op, label in ops], spacing="2")),
        _error(M, "mapping"),
        rx.text("已对照（拆分、合并、新增、删除）", size="2", weight="bold"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in ("方式", "预测户室", "实测户室")],
                                         rx.cond(M.editable, rx.table.column_header_cell("操作")))),
            rx.table.body(rx.foreach(M.links, lambda x: rx.cond(
                x.kind != "对应",
                rx.table.row(rx.table.cell(x.kind), rx.table.cell(x.forecast), rx.table.cell(x.as_built),
                             rx.cond(M.editable, rx.table.cell(rx.button("撤销", size="1", variant="ghost",
                                                                          on_click=M.unmap(x.key)))))))),
            size="1", width="100%", id="map-links"), max_height="240px", overflow_y="auto", width="100%"),
        rx.cond(M.areas.length() > 0, rx.vstack(
            rx.text("面积变化户室的面积误差处理（商品房销售管理办法第二十条，按当前销售单价试算）", size="2", weight="bold"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in (
                    "室号", "预测建筑面积", "实测建筑面积", "误差比", "买受人可退房", "买受人补交（负数为退还）", "开发企业承担")])),
                rx.table.body(rx.foreach(M.areas, lambda r: rx.table.row(rx.foreach(r, lambda c: rx.table.cell(c))))),
                size="1", width="100%", id="map-areas"),
            width="100%")),
        spacing="3",
        width="100%",
    )
