"""The 信息选择 screen of a case (RecordPickStep): a select per slot (物业公司; the four
certificates), and 新增 with the admin's own widgets and validation. The service
(workflow/record_pick.py) decides what may be picked and who may write."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.admin.ui.form_state import AdminFormState
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.workflow import record_pick


@dataclasses.dataclass
class SlotRow:
    code: str
    label: str
    options: list[list[str]]
    picked: str


class CaseRecordsState(AdminFormState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    slots: list[SlotRow] = []
    chosen: dict[str, str] = {}
    screen_editable: bool = False
    can_add: bool = False
    adding: bool = False
    adding_slot: str = ""
    adding_label: str = ""

    def _reload(self) -> None:
        with session_scope() as session:
            sub, slots, editable = record_pick.view(session, current_principal(), self.case_id, self.stage, self.code)
        self.slug = sub.admin.slug
        self.slots = [SlotRow(s.code, s.label, [list(o) for o in s.options], s.picked) for s in slots]
        self.chosen = {s.code: s.picked for s in slots}
        self.screen_editable = editable
        self.can_add = editable and bool(sub.add_fields)
        self._add_fields = list(sub.add_fields)

    _add_fields: list[str] = []

    @guarded(Perm.CASE_INBOX)
    def open_records(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.adding, self.errors, self.form_error = False, {}, ""
        self._reload()

    @guarded(Perm.CASE_HANDLE)
    def choose(self, slot: str, value: str):
        self.chosen = {**self.chosen, str(slot): str(value)}

    @guarded(Perm.CASE_HANDLE)
    def save_choice(self):
        self.errors = {}
        try:
            with session_scope() as session:
                record_pick.save(session, current_principal(), self.case_id, self.stage, self.code, self.chosen)
        except ValidationFailed as exc:
            self.errors = exc.errors
            return rx.toast.error(str(exc))
        except UserError as exc:
            self.errors = {"screen": str(exc)}
            return rx.toast.error(str(exc))
        self._reload()
        from pages.case_page import CaseState

        return [rx.toast.success("已保存"), CaseState.reload]

    @guarded(Perm.CASE_HANDLE)
    def start_add(self, slot: str):
        label = next((s.label for s in self.slots if s.code == slot), "")
        self.adding, self.adding_slot, self.adding_label = True, str(slot), label
        self.values = {f: "" for f in self._add_fields}
        self.display = dict(self.values)
        self.modes = {f: "edit" for f in self._add_fields}
        self.errors, self.form_error = {}, ""
        self.fk_values, self.fk_labels, self.fk_options, self.file_names, self._staged = {}, {}, {}, {}, {}
        self.form_key += 1

    @guarded(Perm.CASE_HANDLE)
    def cancel_add(self):
        self.adding = False

    @guarded(Perm.CASE_HANDLE)
    def save(self, form_data: dict):
        data = {}
        for name in self._add_fields:
            if name in self.fk_values:
                data[name] = self.fk_values.get(name, "")
            elif name in form_data:
                data[name] = str(form_data[name])
        self.errors, self.form_error = {}, ""
        try:
            with session_scope() as session:
                record_pick.add(session, current_principal(), self.case_id, self.stage, self.code, self.adding_slot,
                                data)
        except ValidationFailed as exc:
            self.errors, self.form_error = exc.errors, str(exc)
            return rx.toast.error(str(exc))
        except UserError as exc:
            self.form_error = str(exc)
            return rx.toast.error(str(exc))
        self.adding = False
        self._reload()
        from pages.case_page import CaseState

        return [rx.toast.success(f"已新增并选择{self.adding_label}"), CaseState.reload]
