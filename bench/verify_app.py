"""The console's HTTP routes as a bare ASGI app, for the verify-page load benchmark
(documents_bench.load_suite runs it under granian), plus /bench/bare: a static page of the
same size, to show the server's and client's own ceiling."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

import models  # noqa: F401
from netsign_console.api.routes import api_routes
from netsign_console.api.verify import HEADERS

_BARE = Path(os.environ.get("NETSIGN_BENCH_BARE_PAGE", "/nonexistent"))
_PAGE = _BARE.read_text(encoding="utf-8") if _BARE.is_file() else "<p>bare</p>"


async def bare(request):
    return HTMLResponse(_PAGE, headers=HEADERS)


app = Starlette(routes=[Route("/bench/bare", bare), *api_routes()])
