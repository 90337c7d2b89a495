"""GET /api/files/{slug}/{record_id}/{column}: a private file of a record (e.g. a certificate scan).

Served only after the same checks as the record itself: view permission and row scope
(load_scoped). Files live under settings.private_dir, never under the public upload dir.
"""

from __future__ import annotations

import mimetypes

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from netsign_console.admin.base import get_admin
from netsign_console.admin.files import resolve_stored
from netsign_console.admin.service import load_scoped
from netsign_console.api.auth import not_logged_in, principal_of, refuse
from netsign_console.errors import PermissionDenied
from netsign_console.db import session_scope


def _stored_path(admin, principal, record_id: str, column: str) -> str:
    with session_scope() as session:
        obj = load_scoped(session, admin, principal, record_id)
        return getattr(obj, column, None) or ""


async def private_file(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    admin = get_admin(request.path_params["slug"])
    column = request.path_params["column"]
    if admin is None or column not in admin.file_fields:
        return refuse(404, "文件不存在")
    try:
        relative = await run_in_threadpool(_stored_path, admin, principal, request.path_params["record_id"], column)
    except PermissionDenied as exc:
        return refuse(403, str(exc))
    path = resolve_stored(relative)
    if path is None:
        return refuse(404, "文件不存在")
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "private, no-store"})
