"""CSV and XLSX exports of the FILTERED list, streamed in chunks, personal data masked.

CSV starts with a UTF-8 BOM so Excel opens Chinese correctly. XLSX uses openpyxl's
write-only mode (rows are not kept in memory). Every cell that a spreadsheet would run as a
formula is written as text (admin/cell_safety.py). Exports above BACKGROUND_THRESHOLD rows
run as a background job that writes to settings.private_dir; the finished file is served
by the same authorised route (GET /api/export/<slug>.<fmt>?job=<id>).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from openpyxl import Workbook
from sqlalchemy import func, select

from models.audit import AuditAction
from netsign_console.admin.audit import record_event, summary
from netsign_console.admin.base import ModelAdmin, admin_for
from netsign_console.admin.cell_safety import csv_row, xlsx_row
from netsign_console.admin.files import private_path, private_root
from netsign_console.admin.formatting import local_zone
from netsign_console.admin.query import ListParams, filtered_select, iter_display_rows
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.db import session_scope

FORMATS = ("csv", "xlsx")
BACKGROUND_THRESHOLD = 50_000
CHUNK = 1000
BOM = "\ufeff"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Progress = Callable[[int], None]


def check_export(admin: ModelAdmin, principal: Principal | None, fmt: str) -> None:
    if principal is None:
        raise PermissionDenied("请先登录")
    if fmt not in FORMATS:
        raise PermissionDenied("不支持的导出格式")
    if not admin.has_export_permission(principal):
        raise PermissionDenied(f"您没有导出“{admin.title}”的权限")


def export_filename(admin: ModelAdmin, fmt: str) -> str:
    return f"{admin.title}_{datetime.now(local_zone()):%Y%m%d%H%M}.{fmt}"


def count_for_export(admin: Any, principal: Principal, params: ListParams, *, url: str | None = None,
                     cap: int | None = BACKGROUND_THRESHOLD + 1) -> int:
    """Rows the export would contain, counted up to `cap` (None: exact)."""
    admin = admin_for(admin)
    with session_scope(url) as session:
        pk = getattr(admin.model, admin.pk)
        ids = filtered_select(admin, principal, params).with_only_columns(pk).order_by(None)
        if cap is not None:
            ids = ids.limit(cap)
        return session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()


def _audit(admin: ModelAdmin, principal: Principal, params: ListParams, fmt: str, url: str | None) -> None:
    with session_scope(url) as session:
        condition = params.to_query() or "全部"
        record_event(session, principal, AuditAction.EXPORT, admin.model.__tablename__, None,
                     summary(f"导出{fmt.upper()}（条件：{condition}）"))


def _header(admin: ModelAdmin) -> list[str]:
    return [admin.label(n) for n in admin.list_columns]


def _rows(admin: ModelAdmin, principal: Principal, params: ListParams, url: str | None) -> Iterator[list[str]]:
    with session_scope(url) as session:
        for row in iter_display_rows(session, admin, principal, params, CHUNK):
            yield [row[n] for n in admin.list_columns]


def iter_csv(admin: Any, principal: Principal, params: ListParams, *, url: str | None = None,
             progress: Progress | None = None) -> Iterator[bytes]:
    """The CSV as a stream of byte chunks (a StreamingResponse body)."""
    admin = admin_for(admin)
    check_export(admin, principal, "csv")
    _audit(admin, principal, params, "csv", url)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(csv_row(_header(admin)))
    done = 0
    for values in _rows(admin, principal, params, url):
        writer.writerow(csv_row(values))
        done += 1
        if done % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(done)
    yield buffer.getvalue().encode("utf-8")
    if progress:
        progress(done)


def write_export(admin: Any, principal: Principal, params: ListParams, fmt: str, path: Path, *,
                 url: str | None = None, progress: Progress | None = None) -> int:
    """Write the export to `path`; returns the number of data rows."""
    admin = admin_for(admin)
    check_export(admin, principal, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        written = 0

        def track(n: int) -> None:
            nonlocal written
            written = n
            if progress:
                progress(n)

        with open(path, "wb") as out:
            for chunk in iter_csv(admin, principal, params, url=url, progress=track):
                out.write(chunk)
        return written
    _audit(admin, principal, params, fmt, url)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(admin.title[:31])
    sheet.append(xlsx_row(sheet, _header(admin)))
    done = 0
    for values in _rows(admin, principal, params, url):
        sheet.append(xlsx_row(sheet, values))
        done += 1
        if progress and done % CHUNK == 0:
            progress(done)
    workbook.save(path)
    if progress:
        progress(done)
    return done


# ---------------------------------------------------------------- background jobs
def _job_meta(job_id: str) -> Path:
    return private_root() / "exports" / f"{job_id}.json"


def new_job(admin: ModelAdmin, principal: Principal, fmt: str) -> tuple[str, Path]:
    check_export(admin, principal, fmt)
    job_id = secrets.token_hex(16)
    path = private_path("exports", f"{job_id}.{fmt}")
    _job_meta(job_id).write_text(json.dumps({
        "user_id": principal.user_id, "slug": admin.slug, "fmt": fmt, "status": "running",
        "filename": export_filename(admin, fmt), "created": datetime.now(timezone.utc).isoformat(),
    }, ensure_ascii=False))
    return job_id, path


def finish_job(job_id: str, rows: int, error: str = "") -> None:
    meta_path = _job_meta(job_id)
    meta = json.loads(meta_path.read_text())
    meta.update(status="failed" if error else "done", rows=rows, error=error)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False))


def job_file(job_id: str, principal: Principal, slug: str, fmt: str) -> tuple[Path, str] | None:
    """The finished file of a job started by this user for this list, else None."""
    if len(job_id) != 32 or any(c not in "0123456789abcdef" for c in job_id):
        return None
    try:
        meta = json.loads(_job_meta(job_id).read_text())
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != principal.user_id or meta.get("slug") != slug or meta.get("fmt") != fmt:
        return None
    path = private_root() / "exports" / f"{job_id}.{fmt}"
    if meta.get("status") != "done" or not path.is_file():
        return None
    return path, meta["filename"]
