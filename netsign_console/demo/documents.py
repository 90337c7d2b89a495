"""Demo data: the default document templates (the same idempotent seeding the app runs at start-up)."""

from __future__ import annotations

from sqlmodel import Session

from netsign_console.demo.loader import seed_step


@seed_step("文书模板")
def seed_document_templates(session: Session) -> int:
    from netsign_console.documents import seed_templates

    return seed_templates(session)
