"""AdminImportState: the import dialog of every list (template, upload, check, commit)."""

from __future__ import annotations

import asyncio

import reflex as rx

from netsign_console.errors import ActionRefused
from netsign_console.admin.files import FileRefused
from netsign_console.admin.importer import check_file, commit_import, error_report_csv
from netsign_console.admin.ui.jobs import run_with_progress
from netsign_console.admin.ui.list_state import AdminListState, _admin
from netsign_console.auth.guard import guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import current_principal
from netsign_console.state.app_state import AppState

SHOWN = 50


class AdminImportState(AppState):
    slug: str = ""
    open: bool = False
    import_token: str = ""  # NOT "token": that is AppState's session cookie
    filename: str = ""
    total: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[list[str]] = []  # [row, column, message], the first SHOWN
    running: bool = False
    progress: int = 0
    result: str = ""

    def _reset(self) -> None:
        self.import_token, self.filename, self.total, self.valid, self.error_count = "", "", 0, 0, 0
        self.errors, self.running, self.progress, self.result = [], False, 0, ""

    @guarded(Perm.HOME)
    def open_import(self, slug: str):
        admin = _admin(slug)
        if not admin.has_import_permission(current_principal()):
            raise PermissionDenied(f"您没有导入“{admin.title}”的权限")
        self.slug, self.open = slug, True
        self._reset()

    @guarded(Perm.HOME)
    def set_open(self, value: bool):
        self.open = bool(value) and bool(self.slug)
        if not self.open and not self.running:
            self._reset()

    @guarded(Perm.HOME)
    async def upload(self, files_in: list[rx.UploadFile]):
        if not files_in:
            yield rx.toast.warning("请先选择文件")
            return
        principal = current_principal()
        upload = files_in[0]
        data = await upload.read()
        filename, slug = upload.name or "import.xlsx", self.slug
        self._reset()
        self.running = True
        yield
        loop = asyncio.get_running_loop()
        shared = {"percent": 0}

        def progress(done: int, total: int) -> None:
            shared["percent"] = int(done * 100 / total) if total else 100

        task = loop.run_in_executor(None, lambda: check_file(slug, principal, filename, data, progress=progress))
        while not task.done():
            await asyncio.sleep(0.4)
            self.progress = shared["percent"]
            yield
        try:
            check = await task
        except (FileRefused, ActionRefused) as exc:
            self.running = False
            raise UserError(str(exc)) from None
        self.running, self.progress = False, 100
        self.import_token, self.filename, self.total, self.valid = check.token, check.filename, check.total, check.valid
        self.error_count = check.error_count
        self.errors = [[str(e.row), e.column, e.message] for e in check.errors[:SHOWN]]
        if not check.error_count:
            self.result = f"校验通过：共{check.total}行，可以导入"
        else:
            self.result = f"共{check.total}行，正确{check.valid}行，发现{check.error_count}处错误"

    @rx.event(background=True)
    @guarded(Perm.HOME)
    async def commit(self, valid_only: bool):
        principal = current_principal()
        async with self:
            if self.running or not self.import_token:
                return
            slug, token, self.running, self.progress = self.slug, self.import_token, True, 0

        async def report(percent: int):
            async with self:
                self.progress = percent

        try:
            inserted, skipped = await run_with_progress(
                lambda progress: commit_import(slug, principal, token, valid_only=bool(valid_only), progress=progress), report)
        except ActionRefused as exc:
            async with self:
                self.running = False
            yield rx.toast.error(str(exc))
            return
        async with self:
            self.running, self.progress, self.import_token = False, 100, ""
            self.result = f"已导入{inserted}行" + (f"，跳过错误行{skipped}行" if skipped else "")
        yield rx.toast.success(f"已导入{inserted}行")
        yield AdminListState.first_page

    @guarded(Perm.HOME)
    def download_errors(self):
        if not self.import_token:
            return
        admin = _admin(self.slug)
        data = error_report_csv(admin, current_principal(), self.import_token)
        return rx.download(data=data, filename=f"{admin.title}_导入错误报告.csv", mime_type="text/csv")
