"""GET /api/survey/template.xlsx: the blank survey-result file (测绘成果导入模板, SURV-13, SURV-14, N15).

Everyone who works with survey data may fetch it (Perm.MASTER_DATA_VIEW: the survey office,
the regulator's side, developers, who fill it where the city files surveys by file).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from netsign_console.admin.export import MEDIA_TYPES
from netsign_console.api.auth import attachment, not_logged_in, principal_of, refuse
from netsign_console.auth.permissions import Perm, require
from netsign_console.domain.survey_file import template_xlsx
from netsign_console.errors import PermissionDenied
from netsign_console.settings import settings

TEMPLATE_NAME = "测绘成果导入模板.xlsx"


async def survey_template(request: Request) -> Response:
    principal = await principal_of(request)
    if principal is None:
        return not_logged_in()
    try:
        require(principal, Perm.MASTER_DATA_VIEW)
    except PermissionDenied as exc:
        return refuse(403, str(exc))
    data = await run_in_threadpool(template_xlsx, settings.area_tolerance)
    return Response(data, media_type=MEDIA_TYPES["xlsx"], headers=attachment(TEMPLATE_NAME))
