"""Permits as people read them (预售许可证 / 现售许可证 pages): the permit, its scope, its PDF
versions. Written only by the permit flows (workflow/flows/_permit.py); no Reflex here."""

from netsign_console.permits.view import PermitView, permit_view

__all__ = ["PermitView", "permit_view"]
