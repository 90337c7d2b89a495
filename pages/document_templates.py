"""文书模板编辑: the regulator edits a document kind's template with a live preview on the
kind's sample data, and saves it as a new version (documents.save_template_version).

The preview is the rendered HTML in a sandboxed iframe (srcdoc, sandbox=""): no script in
a template could run in the console's origin. Rendering errors are shown at the field,
in Chinese, with the template line. Ids: kind-select, variant-select, template-body,
template-title, template-remarks, template-error, template-preview, template-save,
template-sample-pdf, template-revert, versions-table.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import select

from models.document import TemplateStatus
from models.user import User
from netsign_console import documents
from netsign_console.auth.guard import guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import empty_row, header_row
from netsign_console.db import session_scope
from netsign_console.settings import settings
from netsign_console.state.app_state import AppState

ROUTE = "/documents/templates/edit"
DEFAULT_VARIANT = "standard"  # Radix selects cannot hold "": the kind's only layout
DEBOUNCE_MS = 600


def _variant_code(key: str) -> str:
    return "" if key in ("", DEFAULT_VARIANT) else key


def _variant_key(code: str) -> str:
    return code or DEFAULT_VARIANT


@dataclasses.dataclass
class Option:
    value: str
    label: str


@dataclasses.dataclass
class VersionRow:
    version: int
    title: str
    variant: str
    status: str
    author: str
    created_at: str
    remarks: str


def sample_outline(data: dict) -> str:
    """The sample data as the template sees it (lists shortened to their first two items)."""
    def shorten(value):
        if isinstance(value, dict):
            return {k: shorten(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shorten(v) for v in value[:2]] + ([f"……共{len(value)}项"] if len(value) > 2 else [])
        if isinstance(value, (Decimal, date)):
            return str(value)
        return value

    return json.dumps(shorten(data), ensure_ascii=False, indent=2)


class TemplateEditorState(AppState):
    kinds: list[Option] = []
    variants: list[Option] = []
    kind: str = ""
    variant: str = DEFAULT_VARIANT
    versions: list[VersionRow] = []
    editing_version: int = 0
    body: str = ""
    saved_body: str = ""
    title: str = ""
    remarks: str = ""
    preview: str = ""
    error: str = ""
    saving: bool = False
    sample: str = ""
    show_sample: bool = False

    @rx.var
    def dirty(self) -> bool:
        return self.body != self.saved_body

    # ------------------------------------------------------------ loading
    def _load_kind(self, kind: str, variant: str | None = None, version: int | None = None) -> None:
        info = documents.get_kind(kind)
        self.kind = kind
        self.variants = [Option(_variant_key(v), documents.variant_label(v)) for v in info.variants]
        code = _variant_code(variant) if variant is not None else info.variants[0]
        if code not in info.variants:
            code = info.variants[0]
        self.variant = _variant_key(code)
        zone = ZoneInfo(settings.timezone)
        with session_scope() as session:
            rows = documents.list_templates(session, kind)
            ids = {r.created_by_id for r in rows if r.created_by_id}
            authors = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
            chosen = (documents.template_version(session, kind, version) if version
                      else documents.current_template(session, kind, code))
        self.versions = [
            VersionRow(r.version, r.title, documents.variant_label(r.variant), TemplateStatus.label_of(r.status),
                       authors.get(r.created_by_id, "系统"), r.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                       r.remarks or "")
            for r in rows
        ]
        if chosen is None:
            self.editing_version, self.title, self.body = 0, info.title, info.default_body(code)
        else:
            self.editing_version, self.title, self.body = chosen.version, chosen.title, chosen.body
            self.variant = _variant_key(chosen.variant)
        self.saved_body, self.remarks = self.body, ""
        self.sample = sample_outline(info.sample())
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        try:
            with session_scope() as session:
                self.preview = documents.preview_html(session, self.kind, body=self.body)
            self.error = ""
        except UserError as exc:
            self.error = str(exc)

    @guarded(Perm.TEMPLATE_MANAGE, page_load=True)
    def load(self):
        self.kinds = [Option(k.code, k.title) for k in documents.all_kinds()]
        wanted = self.router.url.query_parameters.get("kind", "")
        codes = [k.value for k in self.kinds]
        if codes:
            self._load_kind(wanted if wanted in codes else (self.kind if self.kind in codes else codes[0]))

    @guarded(Perm.TEMPLATE_MANAGE)
    def select_kind(self, kind: str):
        self._load_kind(kind)

    @guarded(Perm.TEMPLATE_MANAGE)
    def select_variant(self, variant: str):
        self._load_kind(self.kind, variant)

    @guarded(Perm.TEMPLATE_MANAGE)
    def open_version(self, version: int):
        self._load_kind(self.kind, None, int(version))
        return rx.toast.info(f"已载入第{self.editing_version}版，可在此基础上修改后保存为新版本")

    # ------------------------------------------------------------ editing
    @guarded(Perm.TEMPLATE_MANAGE)
    def set_body(self, value: str):
        self.body = value
        self._refresh_preview()

    @guarded(Perm.TEMPLATE_MANAGE)
    def set_title(self, value: str):
        self.title = value

    @guarded(Perm.TEMPLATE_MANAGE)
    def set_remarks(self, value: str):
        self.remarks = value

    @guarded(Perm.TEMPLATE_MANAGE)
    def toggle_sample(self):
        self.show_sample = not self.show_sample

    @guarded(Perm.TEMPLATE_MANAGE)
    def revert(self):
        self.body = self.saved_body
        self._refresh_preview()

    @guarded(Perm.TEMPLATE_MANAGE)
    async def save(self):
        principal = current_principal()
        kind, body, title, remarks, variant = self.kind, self.body, self.title, self.remarks, _variant_code(self.variant)

        def run() -> int:
            with session_scope() as session:
                row = documents.save_template_version(session, principal, kind, body, title=title, variant=variant,
                                                      remarks=remarks)
                return row.version

        self.saving = True
        try:
            # The test render includes a PDF (a few hundred ms): not on the event loop.
            version = await asyncio.to_thread(run)
        except UserError as exc:
            self.error = str(exc)
            raise
        finally:
            self.saving = False
        self._load_kind(kind, self.variant, version)
        return rx.toast.success(f"已保存为第{version}版，之后生成的文书将使用此版本")

    @guarded(Perm.TEMPLATE_MANAGE)
    async def sample_pdf(self):
        kind, body = self.kind, self.body

        def run() -> bytes:
            from netsign_console.documents.pdf import Stamp, html_to_pdf, pdf_html
            from netsign_console.documents.templates_service import PREVIEW_CODE, PREVIEW_NUMBER, render_body

            info = documents.get_kind(kind)
            stamp = Stamp(PREVIEW_NUMBER, PREVIEW_CODE)
            return html_to_pdf(pdf_html(render_body(kind, body, info.sample(), stamp), stamp))

        try:
            data = await asyncio.to_thread(run)
        except UserError as exc:
            self.error = str(exc)
            raise
        return rx.download(data=data, filename=f"{documents.get_kind(kind).title}_样张.pdf", mime_type="application/pdf")


# ---------------------------------------------------------------- page
def _version_row(row: VersionRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(f"第", row.version, "版"), rx.table.cell(row.title), rx.table.cell(row.variant),
        rx.table.cell(rx.badge(row.status, color_scheme=rx.cond(row.status == "启用", "green", "gray"))),
        rx.table.cell(row.author), rx.table.cell(row.created_at), rx.table.cell(row.remarks),
        rx.table.cell(rx.button("载入", size="1", variant="soft", on_click=TemplateEditorState.open_version(row.version),
                                id=f"open-version-{row.version}")),
    )


def _pickers() -> rx.Component:
    S = TemplateEditorState
    return rx.hstack(
        rx.text("文书类型", size="2"),
        rx.select.root(rx.select.trigger(id="kind-select", width="220px"),
                       rx.select.content(rx.foreach(S.kinds, lambda o: rx.select.item(o.label, value=o.value))),
                       value=S.kind, on_change=S.select_kind),
        rx.text("版式", size="2"),
        rx.select.root(rx.select.trigger(id="variant-select", width="140px"),
                       rx.select.content(rx.foreach(S.variants, lambda o: rx.select.item(o.label, value=o.value))),
                       value=S.variant, on_change=S.select_variant),
        rx.text(rx.cond(S.editing_version > 0, f"当前编辑基于第", ""), rx.cond(S.editing_version > 0, S.editing_version, ""),
                rx.cond(S.editing_version > 0, "版", "尚未保存过的默认模板"), size="2", color="gray"),
        rx.spacer(),
        rx.link("查看全部模板版本", href="/admin/document-templates", size="2"),
        align="center", spacing="3", width="100%", wrap="wrap",
    )


def _editor() -> rx.Component:
    S = TemplateEditorState
    return rx.vstack(
        rx.hstack(
            rx.input(value=S.title, on_change=S.set_title, placeholder="模板名称", id="template-title", width="50%"),
            rx.input(value=S.remarks, on_change=S.set_remarks, placeholder="修改说明（选填）", id="template-remarks",
                     width="50%"),
            width="100%",
        ),
        rx.text_area(value=S.body, on_change=S.set_body, debounce_timeout=DEBOUNCE_MS, id="template-body",
                     font_family="monospace", font_size="12px", rows="34", width="100%", spell_check=False),
        rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert", color_scheme="red", size="1",
                                          id="template-error", width="100%")),
        rx.hstack(
            rx.button("保存为新版本", on_click=S.save, loading=S.saving, disabled=~S.dirty & (S.editing_version > 0),
                      id="template-save"),
            rx.button("下载PDF样张", on_click=S.sample_pdf, variant="outline", id="template-sample-pdf"),
            rx.button("撤销修改", on_click=S.revert, variant="soft", color_scheme="gray", disabled=~S.dirty,
                      id="template-revert"),
            spacing="3",
        ),
        rx.text("用户输入的内容一律按文本输出；每页页脚的文书编号、查验码和二维码由系统自动添加。",
                size="1", color="gray"),
        rx.button(rx.cond(S.show_sample, "收起样例数据与可用过滤器", "查看样例数据与可用过滤器"), on_click=S.toggle_sample,
                  variant="ghost", size="1", id="template-sample-toggle"),
        rx.cond(
            S.show_sample,
            rx.vstack(
                rx.text("过滤器：money（金额 1,234.56）、money_words（人民币大写）、area（面积4位小数）、"
                        "cn_date（2026年12月2日）、mask_id（身份证脱敏）、mask_phone（手机号脱敏）；"
                        "document.number / document.verification_code / document.verify_url 为本文书信息。",
                        size="1"),
                rx.el.pre(S.sample, id="template-sample",
                          style={"font_size": "11px", "width": "100%", "max_height": "360px", "overflow": "auto",
                                 "background": "var(--gray-2)", "padding": "8px", "border_radius": "6px",
                                 "margin": "0"}),
                width="100%",
            ),
        ),
        width="100%", spacing="2",
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.text("实时预览（样例数据）", size="2", weight="medium"),
        rx.el.iframe(src_doc=TemplateEditorState.preview, sandbox="", id="template-preview", title="模板预览",
                     style={"width": "100%", "height": "820px", "border": "1px solid var(--gray-5)",
                            "border_radius": "6px", "background": "#e9ecef"}),
        width="100%", spacing="2",
    )


@console_page(ROUTE, "文书模板编辑", Perm.TEMPLATE_MANAGE, menu="系统管理", on_load=TemplateEditorState.load)
def template_editor_page() -> rx.Component:
    return rx.vstack(
        _pickers(),
        rx.grid(_editor(), _preview(), columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%"),
        rx.card(
            rx.text("版本记录", size="2", weight="medium"),
            rx.table.root(
                header_row("版本", "模板名称", "版式", "状态", "保存人", "保存时间", "修改说明", "操作"),
                rx.table.body(rx.cond(TemplateEditorState.versions.length() > 0,
                                      rx.foreach(TemplateEditorState.versions, _version_row),
                                      empty_row(8, "尚无保存的版本"))),
                width="100%", id="versions-table",
            ),
            width="100%",
        ),
        spacing="4", width="100%",
    )
