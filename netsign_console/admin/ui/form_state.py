"""AdminFormState: ONE form state for every admin (create, detail/edit, single-object forms).

Values are strings; the service parses and validates them, ignores read-only fields, and
re-checks permission and row scope: typing another developer's record id into the URL or
calling a handler with it ends in "记录不存在或无权访问".
"""

from __future__ import annotations

from urllib.parse import unquote

import reflex as rx

from netsign_console.admin import files
from netsign_console.errors import ActionRefused, UserError, ValidationFailed
from netsign_console.admin.service import (
    create_record_with_notice, delete_preview, delete_record, fk_search, get_form, update_record,
)
from netsign_console.admin.ui.list_state import _admin
from netsign_console.admin.ui.notice import notice_fields
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.state.app_state import AppState


class AdminFormState(AppState):
    slug: str = ""
    current_id: str = ""  # the record shown; "" when creating
    values: dict[str, str] = {}
    display: dict[str, str] = {}
    errors: dict[str, str] = {}
    modes: dict[str, str] = {}  # column -> "edit" | "readonly" | "hidden"
    required: dict[str, bool] = {}
    can_edit: bool = False
    can_delete: bool = False
    form_key: int = 0  # bumped on load so uncontrolled inputs pick up the new values
    fk_values: dict[str, str] = {}
    fk_labels: dict[str, str] = {}
    fk_options: dict[str, list[list[str]]] = {}
    file_names: dict[str, str] = {}
    form_error: str = ""
    delete_open: bool = False
    delete_message: str = ""
    delete_blocked: bool = False
    notice_text: str = ""  # after_create's Notice (a new account's one-time password), until closed
    notice_rows: list[list[str]] = []
    _staged: dict[str, str] = {}
    _notice_for: str = ""  # the new record whose page shows the notice (once)

    @guarded(Perm.HOME, page_load=True)
    def load_form(self, slug: str):
        self._load(slug)

    def _route_record_id(self, route: str) -> str | None:
        """The id in <route>/<id>; None on <route>/new."""
        path = str(self.router.url.path or "").rstrip("/")
        tail = path[len(route):].strip("/") if path.startswith(route) else ""
        return None if tail in ("", "new") else unquote(tail)

    def _load(self, slug: str) -> None:
        principal = current_principal()
        admin = _admin(slug)
        view = get_form(admin, principal, None if admin.single_object else self._route_record_id(admin.route))
        self.slug, self.current_id = slug, view.record_id
        self.values, self.display, self.errors, self.form_error = view.values, view.display, {}, ""
        self.modes = {f.name: "readonly" if f.readonly else "edit" for f in view.fields}
        self.required = {f.name: f.required for f in view.fields}
        self.can_edit = view.can_edit and any(not f.readonly for f in view.fields)
        self.can_delete = view.can_delete
        fk_columns = [f.name for f in view.fields if f.widget == "fk"]
        self.fk_values = {c: view.values.get(c, "") for c in fk_columns}
        self.fk_labels = {c: view.display.get(c, "") for c in fk_columns}
        self.fk_options = {}
        self.file_names, self._staged = {}, {}
        self.delete_open = False
        self.form_key += 1
        # The notice survives the redirect to the new record's page, and nothing after it.
        if not self._notice_for or self._notice_for != self.current_id:
            self.notice_text, self.notice_rows = "", []
        self._notice_for = ""

    # ------------------------------------------------------------ foreign-key picker
    @guarded(Perm.HOME)
    def search_fk(self, column: str, term: str):
        options = fk_search(self.slug, current_principal(), column, term)
        self.fk_labels = {**self.fk_labels, column: str(term)[:100]}
        self.fk_values = {**self.fk_values, column: ""}
        self.fk_options = {**self.fk_options, column: [list(o) for o in options]}

    @guarded(Perm.HOME)
    def pick_fk(self, column: str, value: str, label: str):
        self.fk_values = {**self.fk_values, column: str(value)}
        self.fk_labels = {**self.fk_labels, column: str(label)}
        self.fk_options = {**self.fk_options, column: []}
        self.errors = {k: v for k, v in self.errors.items() if k != column}

    # ------------------------------------------------------------ files
    @guarded(Perm.HOME)
    async def upload_file(self, column: str, files_in: list[rx.UploadFile]):
        if self.modes.get(column) != "edit" or not files_in:
            return
        upload = files_in[0]
        data = await upload.read()
        try:
            token = files.stage_upload(upload.name or "", data, current_principal(),
                                      _admin(self.slug).file_rule(column))
        except files.FileRefused as exc:
            self.errors = {**self.errors, column: str(exc)}
            return
        self._staged = {**self._staged, column: token}
        self.file_names = {**self.file_names, column: upload.name or "已选择文件"}
        self.errors = {k: v for k, v in self.errors.items() if k != column}

    # ------------------------------------------------------------ save
    def _submitted(self, admin, form_data: dict) -> dict[str, str] | None:
        """The editable fields as the service parses them; None (with the field's error set) when a
        foreign key was typed but not picked from the list."""
        data: dict[str, str] = {}
        for name, mode in self.modes.items():
            if mode != "edit":
                continue
            info = admin.columns[name]
            if info.kind == "bool":
                data[name] = "1" if str(form_data.get(name, "")).lower() in ("on", "1", "true") else ""
            elif info.kind == "fk":
                if not self.fk_values.get(name) and self.fk_labels.get(name):
                    self.errors = {**self.errors, name: f"请从列表中选择{info.label}"}
                    return None
                data[name] = self.fk_values.get(name, "")
            elif info.kind == "file":
                if name in self._staged:
                    data[name] = self._staged[name]
            elif name in form_data:
                data[name] = str(form_data[name])
        return data

    @guarded(Perm.HOME)
    def save(self, form_data: dict):
        principal = current_principal()
        admin = _admin(self.slug)
        data = self._submitted(admin, form_data)
        if data is None:
            return
        self.errors, self.form_error = {}, ""
        try:
            if self.current_id:
                update_record(admin, principal, self.current_id, data)
            else:
                new_id, notice = create_record_with_notice(admin, principal, data)
        except ValidationFailed as exc:
            self.errors = exc.errors
            self.form_error = str(exc)
            return
        except ActionRefused as exc:
            raise UserError(str(exc)) from None
        if admin.single_object:
            self._load(self.slug)
            return rx.toast.success("已保存")
        if not self.current_id:
            if notice is not None:
                self.notice_text, self.notice_rows = notice_fields(notice)
                self._notice_for = new_id
            return [rx.toast.success("已新增"), rx.redirect(f"{admin.route}/{new_id}")]
        self._staged = {}
        return [rx.toast.success("已保存"), rx.redirect(admin.route)]

    @guarded(Perm.HOME)
    def close_notice(self):
        self.notice_text, self.notice_rows = "", []

    # ------------------------------------------------------------ delete
    @guarded(Perm.HOME)
    def open_delete(self):
        preview = delete_preview(self.slug, current_principal(), self.current_id)
        self.delete_message, self.delete_blocked, self.delete_open = preview.message, preview.blocked, True

    @guarded(Perm.HOME)
    def close_delete(self):
        self.delete_open = False

    @guarded(Perm.HOME)
    def confirm_delete(self):
        admin = _admin(self.slug)
        try:
            delete_record(admin, current_principal(), self.current_id)
        except ActionRefused as exc:
            self.delete_open = False
            raise UserError(str(exc)) from None
        self.delete_open = False
        return [rx.toast.success("已删除"), rx.redirect(admin.route)]
