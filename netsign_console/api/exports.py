"""GET /api/export/{slug}.{fmt}?<list query>: the FILTERED list as CSV or XLSX.

Authenticates with the `netsign_token` cookie, checks the admin's view/export permission
and applies the user's row scope (the same query as the list). `?job=<id>` serves the file
of a finished background export started by the same user.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from netsign_console.admin.base import get_admin
from netsign_console.admin.export import MEDIA_TYPES, check_export, export_filename, iter_csv, job_file, write_export
from netsign_console.admin.files import private_root
from netsign_console.admin.query import ListParams
from netsign_console.api.auth import attachment, not_logged_in, principal_of, refuse
from netsign_console.errors import PermissionDenied


async def export_list(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    admin = get_admin(request.path_params["slug"])
    fmt = request.path_params["fmt"]
    if admin is None:
        return refuse(404, "页面不存在")
    try:
        check_export(admin, principal, fmt)
    except PermissionDenied as exc:
        return refuse(403, str(exc))
    job = request.query_params.get("job")
    if job:
        found = job_file(job, principal, admin.slug, fmt)
        if found is None:
            return refuse(404, "导出文件不存在或已过期，请重新导出")
        path, filename = found
        return FileResponse(path, media_type=MEDIA_TYPES[fmt], headers=attachment(filename))
    params = ListParams.from_query(request.query_params)
    filename = export_filename(admin, fmt)
    if fmt == "csv":
        return StreamingResponse(iter_csv(admin, principal, params), media_type=MEDIA_TYPES["csv"],
                                 headers=attachment(filename))
    # openpyxl writes a whole file: build it privately in a thread, stream it, delete it.
    tmp_dir = private_root() / "exports" / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".xlsx", dir=tmp_dir)
    os.close(handle)
    try:
        await run_in_threadpool(write_export, admin, principal, params, "xlsx", Path(name))
    except BaseException:
        os.unlink(name)
        raise
    # Not a FileResponse with a background unlink: with the ASGI "pathsend" extension (granian)
    # the server reads the file after the response returns, so the unlink could win the race and
    # the browser got a cancelled download. The file is open before it is unlinked here.
    return StreamingResponse(_read_then_delete(Path(name)), media_type=MEDIA_TYPES["xlsx"],
                             headers=attachment(filename))


def _read_then_delete(path: Path, chunk: int = 64 * 1024):
    with open(path, "rb") as handle:
        os.unlink(path)  # the open handle keeps the data readable; nothing is left behind
        while data := handle.read(chunk):
            yield data
