"""Browser tests: the real app (`reflex run --env prod`) on a fresh migrated SQLite file
with the demo data, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "test-results" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app did not come up at {url}:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def e2e_work(tmp_path_factory) -> Path:
    """The app's folder: e2e.db, private/ and keys/ (tests that prepare data write there)."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def app_url(e2e_work) -> str:
    from netsign_console.demo.loader import load_demo_data

    from netsign_console import settings as config
    from netsign_console.documents.signing import ensure_keys

    work = e2e_work
    db_url = f"sqlite:///{work / 'e2e.db'}"
    migrate(db_url)
    # The demo's permit PDF is issued here, in this process: with the app's folders and keys.
    ensure_keys(work / "keys")
    from netsign_console.admin import files

    saved, saved_files = config.settings, files.settings
    config.settings = dataclasses.replace(saved, private_dir=work / "private", keys_dir=work / "keys")
    # Admin files (the demo's seal images) follow their own settings object: the app's folder too.
    files.settings = config.settings
    try:
        load_demo_data(db_url)
    finally:
        config.settings, files.settings = saved, saved_files

    port = _free_port()
    env = dict(os.environ)
    env.update(
        NETSIGN_DB_URL=db_url,
        NETSIGN_PORT=str(port),
        NETSIGN_PRIVATE_DIR=str(work / "private"),
        NETSIGN_KEYS_DIR=str(work / "keys"),
        NETSIGN_PUBLIC_URL=f"http://127.0.0.1:{port}",  # what the PDFs' QR codes and verify links name
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_CHECK_LATEST_VERSION="false",
        PATH=f"{ROOT / 'tools' / 'bun' / 'node_modules' / '.bin'}:{env.get('PATH', '')}",
    )
    env.pop("NETSIGN_REDIS_URL", None)
    log = work / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--single-port",
             "--backend-port", str(port), "--loglevel", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/ping", proc, log)
        _wait_for(f"{base}/login", proc, log)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, app_url):
    """A factory of fresh browser sessions (separate cookies), closed after the test."""
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=app_url)
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # sticky header and sidebar drawn where they belong
    page.screenshot(path=str(path), full_page=True)
    return path
