"""The 信息列表 screen of a case (RecordListStep): the rows (personal data masked as the admin
masks it), 新增 / 修改 / 删除 with the admin's own widgets and validation, 完成 checking the set
rule. The service (workflow/record_list.py) decides which rows are the case's and who may write."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.admin.base import admin_for
from netsign_console.admin.ui.form_state import AdminFormState
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.workflow import record_list


@dataclasses.dataclass
class ListRowView:
    id: int
    cells: list[str]


class CaseListState(AdminFormState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    headers: list[str] = []
    rows: list[ListRowView] = []
    figures: list[list[str]] = []
    list_editable: bool = False
    rows_editable: bool = False
    rows_removable: bool = False
    locked_reason: str = ""
    list_done: bool = False
    editing: bool = False
    editing_id: int = 0  # 0: a new row
    list_errors: list[str] = []
    _fields: list[str] = []

    def _reload(self) -> None:
        with session_scope() as session:
            screen = record_list.screen(session, current_principal(), self.case_id, self.stage, self.code)
            sub = record_list.subtask_of(session, current_principal(), self.case_id, self.stage, self.code)
        self.slug = sub.admin.slug
        self._fields = list(screen.fields)
        self.headers = screen.headers
        self.rows = [ListRowView(r.id, r.cells) for r in screen.rows]
        self.figures = [list(f) for f in screen.figures]
        self.list_editable, self.rows_editable = screen.editable, screen.rows_editable
        self.rows_removable, self.locked_reason, self.list_done = screen.rows_removable, screen.locked_reason, screen.done

    @guarded(Perm.CASE_INBOX)
    def open_list(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.editing, self.errors, self.form_error, self.list_errors = False, {}, "", []
        self._reload()

    def _open_form(self, values: dict[str, str], display: dict[str, str]) -> None:
        admin = admin_for(self.slug)
        self.values, self.display = values, display
        self.modes = {f: "edit" for f in self._fields}
        self.required = {f: admin.is_required(f) for f in self._fields}
        fk = [f for f in self._fields if admin.columns[f].kind == "fk"]
        self.fk_values = {f: values.get(f, "") for f in fk}
        self.fk_labels = {f: display.get(f, "") for f in fk}
        self.errors, self.form_error, self.fk_options, self.file_names, self._staged = {}, "", {}, {}, {}
        self.editing = True
        self.form_key += 1

    @guarded(Perm.CASE_HANDLE)
    def start_add(self):
        from netsign_console.admin.forms import to_form_value

        admin = admin_for(self.slug)
        blank = admin.new_object()  # the model's defaults (买受人, 居民身份证) preselected
        values = {f: to_form_value(admin.columns[f], getattr(blank, f, None)) for f in self._fields}
        self.editing_id = 0
        self._open_form(values, dict(values))

    @guarded(Perm.CASE_HANDLE)
    def start_edit(self, row_id: int):
        from netsign_console.admin import service as admin_service

        with session_scope() as session:
            sub = record_list.subtask_of(session, current_principal(), self.case_id, self.stage, self.code)
            row = record_list.own_row(session, current_principal(), self.case_id, self.stage, self.code, int(row_id))
            view = admin_service.embedded_form(session, sub.admin, current_principal(), row, fields=list(sub.fields),
                                               editable=True)
        self.editing_id = int(row_id)
        self._open_form(dict(view.values), dict(view.display))

    @guarded(Perm.CASE_HANDLE)
    def cancel_edit(self):
        self.editing = False

    def _write(self, write, success: str):
        self.list_errors = []
        try:
            with session_scope() as session:
                write(session)
        except ValidationFailed as exc:
            self.list_errors = [m for k, m in sorted(exc.errors.items()) if k.startswith("list")]
            self.errors = {k: v for k, v in exc.errors.items() if not k.startswith("list")}
            self.form_error = str(exc) if self.errors else ""
            return rx.toast.error(str(exc))
        except UserError as exc:
            self.list_errors = [str(exc)]
            return rx.toast.error(str(exc))
        self.editing = False
        self._reload()
        from pages.case_page import CaseState

        return [rx.toast.success(success), CaseState.reload]

    @guarded(Perm.CASE_HANDLE)
    def save(self, form_data: dict):
        data = self._submitted(admin_for(self.slug), form_data)
        if data is None:
            return
        p, row_id = current_principal(), self.editing_id
        if row_id:
            return self._write(lambda s: record_list.edit(s, p, self.case_id, self.stage, self.code, row_id, data),
                               "已修改")
        return self._write(lambda s: record_list.add(s, p, self.case_id, self.stage, self.code, data), "已新增")

    @guarded(Perm.CASE_HANDLE)
    def remove(self, row_id: int):
        p = current_principal()
        return self._write(lambda s: record_list.remove(s, p, self.case_id, self.stage, self.code, int(row_id)),
                           "已删除")

    @guarded(Perm.CASE_HANDLE)
    def finish(self):
        p = current_principal()
        return self._write(lambda s: record_list.finish(s, p, self.case_id, self.stage, self.code), "已完成")
