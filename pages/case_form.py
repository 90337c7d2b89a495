"""The generator's form of one record of a case, embedded in the case page (a FormStep).

It is AdminFormState with a different load and save: the record is the one the case names,
the fields are the step's, and the right to edit is holding the stage's open task (checked
again by workflow.subtask_service on every save). The widgets are the generator's own.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.admin.ui.form_state import AdminFormState
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import ValidationFailed
from netsign_console.workflow import subtask_service


class CaseFormState(AdminFormState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    missing: list[str] = []

    def _show(self, view, missing: list[str]) -> None:
        self.current_id = view.record_id
        self.values, self.display, self.errors, self.form_error = view.values, view.display, {}, ""
        self.modes = {f.name: "readonly" if f.readonly else "edit" for f in view.fields}
        self.required = {f.name: f.required for f in view.fields}
        self.can_edit = view.can_edit and any(not f.readonly for f in view.fields)
        self.can_delete = False
        fk_columns = [f.name for f in view.fields if f.widget == "fk"]
        self.fk_values = {c: view.values.get(c, "") for c in fk_columns}
        self.fk_labels = {c: view.display.get(c, "") for c in fk_columns}
        self.fk_options, self.file_names, self._staged = {}, {}, {}
        self.missing = missing
        self.form_key += 1

    @guarded(Perm.CASE_HANDLE)
    def open_form(self, case_id: int, stage: str, code: str):
        with session_scope() as session:
            sub = subtask_service.subtask_of(session, current_principal(), int(case_id), stage, code)
            view, missing = subtask_service.form_view(session, current_principal(), int(case_id), stage, code)
        self.case_id, self.stage, self.code, self.slug = int(case_id), stage, code, sub.admin.slug
        self._show(view, missing)

    @guarded(Perm.CASE_HANDLE)
    def save(self, form_data: dict):
        data = self._submitted(subtask_service.admin_of(self._sub()), form_data)
        if data is None:
            return
        self.errors, self.form_error = {}, ""
        try:
            with session_scope() as session:
                missing = subtask_service.save_form(session, current_principal(), self.case_id, self.stage,
                                                    self.code, data)
        except ValidationFailed as exc:
            self.errors = exc.errors
            self.form_error = str(exc)
            return rx.toast.error(str(exc))
        with session_scope() as session:
            view, missing = subtask_service.form_view(session, current_principal(), self.case_id, self.stage, self.code)
        self._show(view, missing)
        from pages.case_page import CaseState

        message = "已保存" if not missing else "已保存，仍有必填项未填写：" + "、".join(missing)
        return [rx.toast.success(message), CaseState.reload]

    def _sub(self):
        with session_scope() as session:
            return subtask_service.subtask_of(session, current_principal(), self.case_id, self.stage, self.code)
