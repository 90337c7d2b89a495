"""AdminListState: ONE list state for every admin, keyed by the admin's slug.

Only one page of small flat rows is kept (list[dict[str, str]] of formatted text). Every
handler passes the login gate (guarded) and calls the service layer, which checks the
admin's own permission and the row scope again: a browser may call any handler with any
slug.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.admin.base import admin_for
from netsign_console.errors import ActionRefused
from netsign_console.admin.options import Notice
from netsign_console.admin.export import BACKGROUND_THRESHOLD, count_for_export, export_filename, finish_job, new_job, write_export
from netsign_console.admin.query import ListParams, list_records
from netsign_console.admin.service import fk_search, run_bulk_action
from netsign_console.admin.ui.jobs import run_with_progress
from netsign_console.admin.ui.notice import notice_fields
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.auth.principal import current_principal
from netsign_console.state.app_state import AppState

ALL = "__all__"  # select value meaning "no filter"


def _admin(slug: str):
    try:
        return admin_for(slug)
    except KeyError:
        raise PermissionDenied("记录不存在或无权访问") from None


class AdminListState(AppState):
    slug: str = ""
    rows: list[dict[str, str]] = []
    search: str = ""
    filters: dict[str, str] = {}
    filter_labels: dict[str, str] = {}
    filter_options: dict[str, list[list[str]]] = {}
    sort: str = ""
    page: int = 1
    next_cursor: str = ""
    has_next: bool = False
    total_label: str = ""
    selected: list[str] = []
    can_create: bool = False
    can_export: bool = False
    can_import: bool = False
    bulk_allowed: list[str] = []
    export_query: str = ""
    export_running: bool = False
    export_progress: int = 0
    notice_text: str = ""  # a bulk action's Notice (e.g. one-time passwords), until closed
    notice_rows: list[list[str]] = []

    # ------------------------------------------------------------ loading
    def _fetch(self, cursor: str = "") -> None:
        principal = current_principal()
        admin = _admin(self.slug)
        params = ListParams(self.search, dict(self.filters), self.sort, self.page, cursor)
        result = list_records(admin, principal, params)
        self.rows = result.rows
        self.has_next = result.has_next
        self.next_cursor = result.next_cursor
        self.total_label = result.total_label
        self.sort = result.sort
        self.export_query = params.to_query()
        self.selected = [s for s in self.selected if any(r["_id"] == s for r in self.rows)]

    @guarded(Perm.HOME, page_load=True)
    def load_list(self, slug: str):
        principal = current_principal()
        admin = _admin(slug)
        if not admin.has_view_permission(principal):
            raise PermissionDenied(f"您没有查看“{admin.title}”的权限")
        if slug != self.slug:
            self.search, self.filters, self.filter_labels, self.filter_options = "", {}, {}, {}
            self.sort = ""
        self.slug, self.page, self.selected, self.rows = slug, 1, [], []
        self.can_create = admin.has_create_permission(principal)
        self.can_export = admin.has_export_permission(principal)
        self.can_import = admin.has_import_permission(principal)
        self.bulk_allowed = [a.name for a in admin.get_bulk_actions(principal)]
        self.export_running, self.export_progress = False, 0
        self._fetch()

    @guarded(Perm.HOME)
    def set_search(self, value: str):
        self.search, self.page = str(value)[:100], 1
        self._fetch()

    @guarded(Perm.HOME)
    def set_filter(self, key: str, value: str):
        value = "" if value == ALL else str(value)[:100]
        filters = dict(self.filters)
        if value:
            filters[key] = value
        else:
            filters.pop(key, None)
        self.filters, self.page = filters, 1
        self._fetch()

    @guarded(Perm.HOME)
    def search_filter_options(self, column: str, term: str):
        options = fk_search(self.slug, current_principal(), column, term)
        self.filter_options = {**self.filter_options, column: [list(o) for o in options]}
        self.filter_labels = {**self.filter_labels, column: str(term)}

    @guarded(Perm.HOME)
    def pick_filter(self, column: str, value: str, label: str):
        self.filter_labels = {**self.filter_labels, column: label}
        self.filter_options = {**self.filter_options, column: []}
        self.filters, self.page = {**self.filters, column: str(value)}, 1
        self._fetch()

    @guarded(Perm.HOME)
    def clear_filters(self):
        self.filters, self.filter_labels, self.filter_options, self.search, self.page = {}, {}, {}, "", 1
        self._fetch()

    @guarded(Perm.HOME)
    def sort_by(self, column: str):
        self.sort = f"-{column}" if self.sort == column else column
        self.page = 1
        self._fetch()

    @guarded(Perm.HOME)
    def next_page(self):
        if not self.has_next:
            return
        cursor = self.next_cursor
        self.page += 1
        self._fetch(cursor)

    @guarded(Perm.HOME)
    def prev_page(self):
        self.page = max(1, self.page - 1)
        self._fetch()

    @guarded(Perm.HOME)
    def first_page(self):
        self.page = 1
        self._fetch()

    # ------------------------------------------------------------ selection and bulk actions
    @guarded(Perm.HOME)
    def toggle_row(self, record_id: str, checked: bool):
        chosen = [s for s in self.selected if s != record_id]
        self.selected = chosen + [record_id] if checked else chosen

    @guarded(Perm.HOME)
    def toggle_all(self, checked: bool):
        self.selected = [r["_id"] for r in self.rows] if checked else []

    @guarded(Perm.HOME)
    def run_bulk(self, name: str):
        try:
            message = run_bulk_action(self.slug, current_principal(), name, list(self.selected))
        except ActionRefused as exc:
            raise UserError(str(exc)) from None
        self.selected = []
        self._fetch()
        if isinstance(message, Notice):
            self.notice_text, self.notice_rows = notice_fields(message)
            return None
        return rx.toast.success(message)

    @guarded(Perm.HOME)
    def close_notice(self):
        self.notice_text, self.notice_rows = "", []

    # ------------------------------------------------------------ export
    @guarded(Perm.HOME)
    def start_export(self, fmt: str):
        principal = current_principal()
        admin = _admin(self.slug)
        if not admin.has_export_permission(principal) or fmt not in ("csv", "xlsx"):
            raise PermissionDenied(f"您没有导出“{admin.title}”的权限")
        params = ListParams(self.search, dict(self.filters), self.sort)
        if count_for_export(admin, principal, params) <= BACKGROUND_THRESHOLD:
            query = params.to_query()
            return rx.download(url=f"/api/export/{admin.slug}.{fmt}" + (f"?{query}" if query else ""),
                               filename=export_filename(admin, fmt))
        return AdminListState.run_export_job(fmt)

    @rx.event(background=True)
    @guarded(Perm.HOME)
    async def run_export_job(self, fmt: str):
        principal = current_principal()
        async with self:
            if self.export_running:
                return
            slug = self.slug
            params = ListParams(self.search, dict(self.filters), self.sort)
            self.export_running, self.export_progress = True, 0
        admin = _admin(slug)
        try:
            job_id, path = new_job(admin, principal, fmt)  # checks the export permission and the format
        except PermissionDenied as exc:
            async with self:
                self.export_running = False
            yield rx.toast.error(str(exc))
            return

        def work(progress):
            total = max(1, count_for_export(admin, principal, params, cap=None))
            rows = write_export(admin, principal, params, fmt, path, progress=lambda n: progress(n, total))
            finish_job(job_id, rows)
            return rows

        async def report(percent: int):
            async with self:
                self.export_progress = percent

        try:
            rows = await run_with_progress(work, report)
        except Exception:
            finish_job(job_id, 0, "failed")
            async with self:
                self.export_running = False
            yield rx.toast.error("导出失败，请稍后重试")
            return
        async with self:
            self.export_running, self.export_progress = False, 100
        yield rx.toast.success(f"导出完成，共{rows}行")
        yield rx.download(url=f"/api/export/{slug}.{fmt}?job={job_id}", filename=export_filename(admin, fmt))
