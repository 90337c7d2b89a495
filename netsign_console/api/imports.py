"""GET /api/import/{slug}/template.xlsx: the import template (headers = form labels, * = required)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from netsign_console.admin.base import get_admin
from netsign_console.admin.export import MEDIA_TYPES
from netsign_console.admin.importer import template_xlsx
from netsign_console.api.auth import attachment, not_logged_in, principal_of, refuse
from netsign_console.errors import PermissionDenied


async def import_template(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    admin = get_admin(request.path_params["slug"])
    if admin is None:
        return refuse(404, "页面不存在")
    try:
        data = await run_in_threadpool(template_xlsx, admin, principal)
    except PermissionDenied as exc:
        return refuse(403, str(exc))
    return Response(data, media_type=MEDIA_TYPES["xlsx"], headers=attachment(f"{admin.title}_导入模板.xlsx"))
