"""Form widgets, one builder per widget name of a column kind (admin/kinds.py): no page code per model.

Every builder takes the form's state class, so the same widgets serve the generated admin
pages (AdminFormState) and forms embedded elsewhere, e.g. a case's sub-task (a subclass of
AdminFormState with its own load and save). Ids for browser tests: inputs id="field-<column>",
errors id="error-<column>".
"""

from __future__ import annotations

from typing import Any, Callable

import reflex as rx

from netsign_console.admin.columns import FK, TEXTAREA, FILE
from netsign_console.admin.forms import NONE_CHOICE
from netsign_console.admin.ui.form_state import AdminFormState

DEBOUNCE_MS = 350
Builder = Callable[[Any, Any, str], rx.Component]


def _label(S, admin: Any, name: str) -> rx.Component:
    return rx.hstack(
        rx.text(admin.label(name), size="2", weight="medium"),
        rx.cond(S.required.get(name, False) & (S.modes.get(name, "") == "edit"), rx.text("*", color="red", size="2")),
        spacing="1",
    )


def _error(S, name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors.get(name, ""), color="red", size="1", id=f"error-{name}"),
    )


def _readonly(S, admin: Any, name: str) -> rx.Component:
    info = admin.columns[name]
    if info.kind == FILE:
        return _file_link(S, admin, name)
    if info.kind == TEXTAREA:
        return rx.text_area(value=S.display.get(name, ""), read_only=True, disabled=True, id=f"field-{name}", width="100%")
    return rx.input(value=S.display.get(name, ""), read_only=True, disabled=True, id=f"field-{name}", width="100%")


def _file_link(S, admin: Any, name: str) -> rx.Component:
    return rx.cond(
        S.values.get(name, "") != "",
        rx.link("查看已上传文件", href=f"/api/files/{admin.slug}/" + S.current_id + f"/{name}", is_external=True,
                id=f"file-{name}"),
        rx.text("未上传", size="2", color="gray", id=f"file-{name}"),
    )


def _fk_picker(S, admin: Any, name: str) -> rx.Component:
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
            on_change=lambda value: S.search_fk(name, value),
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


_MIME = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def _accept(types: tuple[str, ...]) -> dict[str, list[str]]:
    accept: dict[str, list[str]] = {}
    for t in types:
        accept.setdefault(_MIME.get(t, "application/octet-stream"), []).append(f".{t}")
    return accept


def _file_input(S, admin: Any, name: str) -> rx.Component:
    upload_id = f"upload-{name}"
    return rx.vstack(
        _file_link(S, admin, name),
        rx.hstack(
            rx.upload(
                rx.button("选择文件", variant="soft", size="1", type="button"),
                id=upload_id,
                max_files=1,
                multiple=False,
                accept=_accept(admin.file_rule(name).types),
            ),
            rx.foreach(rx.selected_files(upload_id), lambda f: rx.text(f, size="1")),
            rx.button("上传", size="1", type="button", id=f"upload-button-{name}",
                      on_click=S.upload_file(name, rx.upload_files(upload_id=upload_id))),
            rx.cond(S.file_names.contains(name), rx.badge("待保存：", S.file_names.get(name, ""), color_scheme="green")),
            align="center",
        ),
        rx.text(admin.file_rule(name).hint, size="1", color="gray"),
        spacing="1",
        width="100%",
    )


def _common(name: str) -> dict:
    return dict(name=name, id=f"field-{name}", width="100%")


def _bool(S, admin, name):
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=f"field-{name}", default_checked=S.values.get(name, "") == "1"),
        rx.text(" 是", as_="span", size="2"),
    )


def _enum(S, admin, name):
    info = admin.columns[name]
    value = S.values.get(name, "")
    items = [rx.select.item(label, value=code) for code, label in info.enum.choices()]
    if not admin.is_required(name):
        items.insert(0, rx.select.item("（空）", value=NONE_CHOICE))
    return rx.select.root(
        rx.select.trigger(placeholder=f"请选择{info.label}", id=f"field-{name}", width="100%"),
        rx.select.content(*items),
        name=name,
        default_value=rx.cond(value != "", value, NONE_CHOICE),
    )


def _number(mode: str) -> Builder:
    def build(S, admin, name):
        return rx.input(default_value=S.values.get(name, ""), input_mode=mode,
                        placeholder=admin.columns[name].column_kind.placeholder, **_common(name))

    return build


def _typed_input(input_type: str) -> Builder:
    def build(S, admin, name):
        return rx.input(type=input_type, default_value=S.values.get(name, ""), **_common(name))

    return build


def _text(S, admin, name):
    info = admin.columns[name]
    return rx.input(default_value=S.values.get(name, ""), max_length=info.max_length or 2000, **_common(name))


def _textarea(S, admin, name):
    return rx.text_area(default_value=S.values.get(name, ""), rows="3", **_common(name))


def _rooms(S, admin, name):
    """Room ids as a comma list; the building grid (a later issue) replaces this plain picker."""
    return rx.input(default_value=S.values.get(name, ""), placeholder="户室编号，以逗号分隔", **_common(name))


WIDGETS: dict[str, Builder] = {
    "text": _text,
    "textarea": _textarea,
    "int": _number("numeric"),
    "money": _number("decimal"),
    "area": _number("decimal"),
    "unit_price": _number("decimal"),
    "decimal": _number("decimal"),
    "date": _typed_input("date"),
    "datetime": _typed_input("datetime-local"),
    "bool": _bool,
    "enum": _enum,
    "fk": _fk_picker,
    "file": _file_input,
    "rooms": _rooms,
    "computed": lambda S, admin, name: _readonly(S, admin, name),
    "readonly": lambda S, admin, name: _readonly(S, admin, name),
}


def _editable(S, admin: Any, name: str) -> rx.Component:
    return WIDGETS[admin.columns[name].column_kind.widget](S, admin, name)


def field_widget(admin: Any, name: str, state: Any = AdminFormState) -> rx.Component:
    """One form row: label (* if required), the typed control or its read-only text, the error."""
    S = state
    wide = admin.columns[name].kind in (TEXTAREA, FILE)
    return rx.cond(
        S.modes.contains(name),
        rx.vstack(
            _label(S, admin, name),
            rx.cond(S.modes.get(name, "") == "edit", _editable(S, admin, name), _readonly(S, admin, name)),
            _error(S, name),
            spacing="1",
            width="100%",
            grid_column="1 / -1" if wide else "auto",
        ),
    )


def field_grid(admin: Any, names: list[str], state: Any = AdminFormState) -> rx.Component:
    """The fields under their fieldset headings (in the fieldsets' order), then the ungrouped ones."""
    wanted = set(names)
    sections = [(heading, [c for c in columns if c in wanted]) for heading, columns in admin.fieldsets]
    grouped = {c for _, columns in sections for c in columns}
    sections.append(("", [n for n in names if n not in grouped]))
    blocks = []
    for heading, columns in sections:
        if not columns:
            continue
        grid = rx.grid(*[field_widget(admin, n, state) for n in columns], columns=rx.breakpoints(initial="1", md="2"),
                       spacing="4", width="100%")
        blocks.append(rx.vstack(rx.heading(heading, size="3", color="#1e3a5f"), grid, width="100%") if heading else grid)
    return rx.vstack(*blocks, spacing="5", width="100%")
