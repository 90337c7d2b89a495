"""The Reflex app: Chinese shell, the console's pages and its plain HTTP routes."""

import logging

import reflex as rx
from starlette.applications import Starlette

import models  # noqa: F401  every table registered before any query
import pages  # noqa: F401  registers every page through console_page
from netsign_console import workflow  # noqa: F401  validates every flow at start-up
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
