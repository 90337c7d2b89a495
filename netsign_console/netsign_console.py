"""The Reflex app: Chinese shell, the console's pages and its plain HTTP routes."""

import logging

import reflex as rx
from starlette.applications import Starlette

from netsign_console.configuration import require_valid_configuration

# Models, admin classes, flows and extension packages, every problem reported together.
require_valid_configuration()

import pages  # noqa: E402,F401  registers every page through console_page
from netsign_console.components.overlay import chinese_error_boundary, chinese_overlay, chinese_toaster
from netsign_console.api.routes import api_routes
from netsign_console.components.page import add_pages

log = logging.getLogger("netsign_console")


def _backend_error(exception: Exception):
    # Reflex's default toast is English and shows internals; log them, show Chinese.
    log.exception("event handler failed", exc_info=exception)
    return rx.toast.error("系统处理出错，请稍后重试；如仍有问题请联系管理员。")


app = rx.App(
    html_lang="zh-CN",
    style={"font_family": '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif'},
    backend_exception_handler=_backend_error,
    api_transformer=Starlette(routes=api_routes()),
    toaster=chinese_toaster(),
)
# Reflex's own connection banner, toasts and error page are English: replaced by Chinese ones.
app.app_wraps[(5, "Overlay")] = lambda stateful: chinese_overlay() if stateful else None
app.app_wraps[(55, "ErrorBoundary")] = lambda stateful: chinese_error_boundary(**({} if stateful else {"on_error": rx.noop()}))
add_pages(app)


async def _seed_document_templates() -> None:
    # Idempotent (documents.seed_templates): a kind declared in code gets its default template.
    from starlette.concurrency import run_in_threadpool

    from netsign_console.documents.templates_service import seed_at_startup

    await run_in_threadpool(seed_at_startup)


app.register_lifespan_task(_seed_document_templates)
