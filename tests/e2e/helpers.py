"""Shared browser steps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from netsign_console.demo.accounts import DEMO_PASSWORD


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.locator("#login_name").fill(username)
    page.locator("#password").fill(password)
    page.locator("#login-submit").click()
    # The login posts the form, then loads the next page in full (a new websocket with the
    # cookie): allow for a busy machine.
    expect(page.locator("#header-user")).to_be_visible(timeout=20_000)


def menu_labels(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#sidebar a").all_inner_texts() if t.strip()]
