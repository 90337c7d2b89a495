"""The 文书生成 screen of a case (DocumentStep): template, preview on the case's data in a
sandboxed iframe, generate, and the generated document with its download and verify links.
The service (workflow/document_step.py) checks access and the stage's task on every call."""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.documents import TemplateRejected
from netsign_console.errors import UserError
from netsign_console.state.app_state import AppState
from netsign_console.workflow import document_step


class CaseDocumentState(AppState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    kind_title: str = ""
    templates: list[list[str]] = []
    variant: str = ""
    preview: str = ""
    editable: bool = False
    document_id: int = 0
    number: str = ""
    verification_code: str = ""
    status_label: str = ""
    version: int = 0
    template_label: str = ""
    error: str = ""

    def _show(self, view: document_step.DocumentScreen) -> None:
        self.kind_title, self.editable = view.kind_title, view.editable
        self.templates = [[t.variant, t.label] for t in view.templates]
        if self.variant not in [t.variant for t in view.templates]:
            self.variant = view.templates[0].variant if view.templates else ""
        self.document_id, self.number, self.verification_code = view.document_id, view.number, view.code
        self.status_label, self.version, self.template_label = view.status_label, view.version, view.template_label

    @guarded(Perm.CASE_INBOX)
    def open_document(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.preview, self.error, self.variant = "", "", ""
        with session_scope() as session:
            self._show(document_step.screen(session, current_principal(), self.case_id, self.stage, self.code))

    @guarded(Perm.CASE_INBOX)
    def choose_variant(self, variant: str):
        self.variant = str(variant)
        self.preview = ""

    @guarded(Perm.CASE_INBOX)
    def show_preview(self):
        self.error = ""
        try:
            with session_scope() as session:
                self.preview = document_step.preview(session, current_principal(), self.case_id, self.stage,
                                                     self.code, self.variant)
        except (UserError, TemplateRejected) as exc:
            self.error = str(exc)

    @guarded(Perm.CASE_HANDLE)
    def generate(self):
        self.error = ""
        try:
            with session_scope() as session:
                doc = document_step.generate(session, current_principal(), self.case_id, self.stage, self.code,
                                             self.variant)
                number = doc.number
        except (UserError, TemplateRejected) as exc:
            self.error = str(exc)
            return rx.toast.error(str(exc))
        with session_scope() as session:
            self._show(document_step.screen(session, current_principal(), self.case_id, self.stage, self.code))
        from pages.case_page import CaseState

        return [rx.toast.success(f"已生成{self.kind_title}，编号{number}"), CaseState.reload]
