"""GET /api/case-file/{attachment_id}: a case attachment, for whoever may see the case."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from netsign_console.api.auth import attachment, not_logged_in, principal_of, refuse
from netsign_console.auth.permissions import Perm, require
from netsign_console.errors import PermissionDenied
from netsign_console.db import session_scope
from netsign_console.workflow.attachments import open_attachment


def _open(principal, attachment_id: int):
    with session_scope() as session:
        row, path = open_attachment(session, principal, attachment_id)
        return row.file_name, row.content_type, path


async def case_file(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    try:
        require(principal, Perm.CASE_INBOX)
        attachment_id = int(request.path_params["attachment_id"])
        name, content_type, path = await run_in_threadpool(_open, principal, attachment_id)
    except (PermissionDenied, ValueError) as exc:
        return refuse(403, str(exc) if isinstance(exc, PermissionDenied) else "附件不存在或无权访问")
    return FileResponse(path, media_type=content_type, headers=attachment(name))
