"""GET /api/documents/{id}.pdf: an issued document's PDF for whoever may read it
(documents.open_pdf: the regulator's side, the owner or issuing organisation, or a user
who may see the document's case). 401 without a session, 403 otherwise, in Chinese."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from netsign_console.api.auth import attachment, not_logged_in, principal_of, refuse
from netsign_console.auth.permissions import Perm, PermissionDenied, require
from netsign_console.db import session_scope


def _open(principal, document_id: int) -> tuple[str, bytes]:
    from netsign_console.documents.issuing import open_pdf

    with session_scope() as session:
        doc, data = open_pdf(session, principal, document_id)
        suffix = f"（第{doc.version}版）" if doc.version > 1 else ""
        return f"{doc.title}{doc.number}{suffix}.pdf", data


async def document_pdf(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    try:
        require(principal, Perm.HOME)
        name, data = await run_in_threadpool(_open, principal, int(request.path_params["document_id"]))
    except PermissionDenied as exc:
        return refuse(403, str(exc))
    headers = {**attachment(name), "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type="application/pdf", headers=headers)
