"""Screenshots of the main pages for docs/screenshots/ (run against a running console).

    .venv/bin/python tools/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--lang=zh-CN",
        "--disable-sync", "--no-first-run"]
PASSWORD = "Netsign@2026"

# (account, path, file name)
SHOTS = [
    (None, "/login", "login"),
    ("dev_admin", "/account/password", "change-password"),
    ("dev_admin", "/no-such-page", "not-found"),
    ("dev_admin", "/", "home-developer-admin"),
    ("dev_admin", "/org/profile", "org-profile"),
    ("dev_admin", "/admin/projects", "projects-list"),
    ("dev_admin", "/admin/rooms", "rooms-list"),
    ("dev_admin", "/admin/supervision-accounts", "supervision-accounts"),
    ("dev_admin", "/admin/enterprise-users", "enterprise-users"),
    ("dev_admin", "/accept", "accept-catalogue"),
    ("regulator", "/", "home-regulator"),
    ("regulator", "/inbox", "inbox-regulator"),
    ("regulator", "/done", "done-regulator"),
    ("regulator", "/audit", "audit"),
    ("regulator", "/admin/organizations", "organizations"),
    ("regulator", "/stats/cases", "case-stats"),
    ("regulator", "/documents/templates/edit", "template-editor"),
    ("regulator", "/admin/document-templates", "document-templates"),
    ("mortgage_bank", "/", "home-bank"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        contexts = {}
        for account, path, name in SHOTS:
            if args.only and args.only not in name:
                continue
            if account not in contexts:
                ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=args.url)
                page = ctx.new_page()
                if account:
                    page.goto("/login")
                    page.locator("#login_name").fill(account)
                    page.locator("#password").fill(PASSWORD)
                    page.locator("#login-submit").click()
                    page.locator("#header-user").wait_for()
                contexts[account] = page
            page = contexts[account]
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1200)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
