"""Reflex configuration. Values come from netsign_console.settings (environment variables)."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from netsign_console.settings import settings

config = rx.Config(
    app_name="netsign_console",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="blue", radius="medium"))],
    disable_plugins=[SitemapPlugin],
    # Our own Alembic setup owns the database (see docs/architecture.md), so Reflex's
    # db_url stays unset and Reflex never runs its own migration checks.
    redis_url=settings.redis_url or None,
    frontend_port=settings.port,
    backend_port=settings.port,
)
