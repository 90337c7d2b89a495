"""Typed form widgets, built once per field from its column type (no page code per model).

Ids for browser tests: field inputs id="field-<column>", errors id="error-<column>".
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from netsign_console.admin.columns import BOOL, DATE, DECIMAL, ENUM, FILE, FK, INT, TEXTAREA
from netsign_console.admin.forms import NONE_CHOICE
from netsign_console.admin.ui.form_state import AdminFormState as S

DEBOUNCE_MS = 350


def _label(admin: Any, name: str) -> rx.Component:
    return rx.hstack(
        rx.text(admin.label(name), size="2", weight="medium"),
        rx.cond(S.required.get(name, False) & (S.modes.get(name, "") == "edit"), rx.text("*", color="red", size="2")),
        spacing="1",
    )


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors.get(name, ""), color="red", size="1", id=f"error-{name}"),
    )


def _readonly(admin: Any, name: str) -> rx.Component:
    info = admin.columns[name]
    if info.kind == FILE:
        return _file_link(admin, name)
    if info.kind == TEXTAREA:
        return rx.text_area(value=S.display.get(name, ""), read_only=True, disabled=True, id=f"field-{name}", width="100%")
    return rx.input(value=S.display.get(name, ""), read_only=True, disabled=True, id=f"field-{name}", width="100%")


def _file_link(admin: Any, name: str) -> rx.Component:
    return rx.cond(
        S.values.get(name, "") != "",
        rx.link("查看已上传文件", href=f"/api/files/{admin.slug}/" + S.current_id + f"/{name}", is_external=True,
                id=f"file-{name}"),
        rx.text("未上传", size="2", color="gray", id=f"file-{name}"),
    )


def _picker_setter(name: str):
    return lambda value: S.search_fk(name, value)


def _fk_picker(admin: Any, name: str) -> rx.Component:
    info = admin.columns[name]

    def option(item) -> rx.Component:
        return rx.box(
            rx.text(item[1], size="2"),
            on_click=S.pick_fk(name, item[0], item[1]),
            padding="6px 10px",
            cursor="pointer",
            _hover={"background": "var(--accent-3)"},
            class_name="fk-option",
        )

    return rx.box(
        rx.input(
            value=S.fk_labels.get(name, ""),
            on_change=_picker_setter(name),
            name=f"pick-{name}",  # submitted under this name and ignored: the id comes from state
            debounce_timeout=DEBOUNCE_MS,
            placeholder=f"输入{info.label}关键字搜索，最多显示20条",
            id=f"field-{name}",
            width="100%",
            auto_complete="off",
        ),
        rx.cond(
            S.fk_options.contains(name),
            rx.cond(
                S.fk_options[name].length() > 0,
                rx.card(rx.foreach(S.fk_options[name], option), position="absolute", z_index="20", width="100%",
                        padding="2px", id=f"options-{name}"),
            ),
        ),
        position="relative",
        width="100%",
    )


def _file_input(admin: Any, name: str) -> rx.Component:
    upload_id = f"upload-{name}"
    return rx.vstack(
        _file_link(admin, name),
        rx.hstack(
            rx.upload(
                rx.button("选择文件", variant="soft", size="1", type="button"),
                id=upload_id,
                max_files=1,
                multiple=False,
                accept={"application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]},
            ),
            rx.foreach(rx.selected_files(upload_id), lambda f: rx.text(f, size="1")),
            rx.button("上传", size="1", type="button", id=f"upload-button-{name}",
                      on_click=S.upload_file(name, rx.upload_files(upload_id=upload_id))),
            rx.cond(S.file_names.contains(name), rx.badge("待保存：", S.file_names.get(name, ""), color_scheme="green")),
            align="center",
        ),
        rx.text("支持PDF、JPG、PNG，最大20MB；文件保存在非公开目录，仅有权限的用户可查看。", size="1", color="gray"),
        spacing="1",
        width="100%",
    )


def _editable(admin: Any, name: str) -> rx.Component:
    info = admin.columns[name]
    value = S.values.get(name, "")
    common = dict(name=name, id=f"field-{name}", width="100%")
    if info.kind == FK:
        return _fk_picker(admin, name)
    if info.kind == FILE:
        return _file_input(admin, name)
    if info.kind == BOOL:
        return rx.el.label(
            rx.el.input(type="checkbox", name=name, id=f"field-{name}", default_checked=value == "1"),
            rx.text(" 是", as_="span", size="2"),
        )
    if info.kind == ENUM:
        items = [rx.select.item(label, value=code) for code, label in info.enum.choices()]
        if not admin.is_required(name):
            items.insert(0, rx.select.item("（空）", value=NONE_CHOICE))
        return rx.select.root(
            rx.select.trigger(placeholder=f"请选择{info.label}", id=f"field-{name}", width="100%"),
            rx.select.content(*items),
            name=name,
            default_value=rx.cond(value != "", value, NONE_CHOICE),
        )
    if info.kind == TEXTAREA:
        return rx.text_area(default_value=value, rows="3", **common)
    if info.kind == DATE:
        return rx.input(type="date", default_value=value, **common)
    if info.kind == DECIMAL:
        return rx.input(default_value=value, input_mode="decimal", placeholder=_hint(info), **common)
    if info.kind == INT:
        return rx.input(default_value=value, input_mode="numeric", **common)
    if info.kind == "datetime":
        return rx.input(type="datetime-local", default_value=value, **common)
    return rx.input(default_value=value, max_length=info.max_length or 2000, **common)


def _hint(info: Any) -> str:
    return "金额（元），最多两位小数" if info.places == 2 else ("面积（㎡），最多四位小数" if info.places == 4 else "数字")


def field_widget(admin: Any, name: str) -> rx.Component:
    """One form row: label (* if required), the typed control or its read-only text, the error."""
    wide = admin.columns[name].kind in (TEXTAREA, FILE)
    return rx.cond(
        S.modes.contains(name),
        rx.vstack(
            _label(admin, name),
            rx.cond(S.modes.get(name, "") == "edit", _editable(admin, name), _readonly(admin, name)),
            _error(name),
            spacing="1",
            width="100%",
            grid_column="1 / -1" if wide else "auto",
        ),
    )
