"""Click to painted grid, in the real app in Chromium (the 楼盘表 benchmark's browser part).

The app (`reflex run --env prod`, this worktree's .web) serves the SQLite city with the tower;
the browser holds a session of the tower's developer (bench/grid_tower.py makes one: the
generated accounts have no known password). Every run opens a new browser context, so the
Reflex state starts empty and nothing painted by an earlier run can be counted.

Times are taken inside the page with performance.now(): from the click (dispatched by the
page's own script, so no Playwright round trip is inside the measurement) until, on an
animation frame, all 960 cells are in the table, plus one more task so that frame's paint
is done.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT
from bench.grid_tower import ROOMS, SURVEY_CODE, Tower

CHROMIUM = "/usr/bin/chromium"
CELLS = "#grid-table td[data-room]"

# Click `click`, then resolve with the ms until `selector` matches `count` elements (or until
# `text_sel` contains `text`) and that frame has been painted.
_MEASURE = """
([click, selector, count, textSel, text]) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const done = () => textSel ? (document.querySelector(textSel)?.textContent || '').includes(text)
                             : document.querySelectorAll(selector).length >= count;
  const check = () => {
    if (done()) { requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)); return; }
    if (performance.now() - t0 > 30000) { reject(new Error('timed out')); return; }
    requestAnimationFrame(check);
  };
  document.querySelector(click).click();
  requestAnimationFrame(check);
})
"""
# After a navigation: ms from the navigation's start until the cells are there and painted.
_SINCE_NAVIGATION = """
([selector, count]) => new Promise((resolve, reject) => {
  const check = () => {
    if (document.querySelectorAll(selector).length >= count) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)); return; }
    if (performance.now() > 60000) { reject(new Error('timed out')); return; }
    requestAnimationFrame(check);
  };
  check();
})
"""


@dataclass
class BrowserTiming:
    name: str
    samples: list[float]
    target_ms: float | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(url: str, work: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, NETSIGN_DB_URL=url, NETSIGN_PORT=str(port), NETSIGN_PRIVATE_DIR=str(work / "private"),
               NETSIGN_KEYS_DIR=str(work / "keys"), REFLEX_USE_SYSTEM_BUN="1", REFLEX_CHECK_LATEST_VERSION="false",
               PATH=f"{ROOT / 'tools' / 'bun' / 'node_modules' / '.bin'}:{os.environ.get('PATH', '')}")
    env.pop("NETSIGN_REDIS_URL", None)
    log = work / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--single-port",
                                 "--backend-port", str(port), "--loglevel", "warning"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            time.sleep(1)
    _stop(proc)
    raise RuntimeError(f"app did not come up:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _context(browser, base: str, tower: Tower):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=base)
    ctx.set_default_timeout(60_000)
    ctx.add_cookies([{"name": "netsign_token", "value": tower.token, "url": base, "sameSite": "Strict"}])
    return ctx


def _list_page(ctx):
    page = ctx.new_page()
    page.goto("/admin/buildings")
    page.locator("#admin-search").fill(SURVEY_CODE)
    page.locator(".admin-row", has_text=SURVEY_CODE).wait_for()
    page.wait_for_function("document.querySelectorAll('.admin-row').length === 1")
    return page


def browser_suite(url: str, tower: Tower, runs: int) -> tuple[list[BrowserTiming], str]:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="netsign-gridbench-"))
    proc, base = _start_app(url, work)
    click, card, cold = [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for n in range(runs + 1):  # the first run warms the server (imports, caches), not counted
                ctx = _context(browser, base, tower)
                page = _list_page(ctx)
                ms = page.evaluate(_MEASURE, ["a.row-extra-link", CELLS, ROOMS, "", ""])
                assert page.locator(CELLS).count() == ROOMS
                room = "4-3001"
                card_ms = page.evaluate(_MEASURE, [f'[data-room="{room}"]', "", 0, "#card-title", room])
                if n:
                    click.append(ms)
                    card.append(card_ms)
                ctx.close()
                ctx = _context(browser, base, tower)
                page = ctx.new_page()
                page.goto(f"/buildings/{tower.building_id}/grid", wait_until="commit")
                cold_ms = page.evaluate(_SINCE_NAVIGATION, [CELLS, ROOMS])
                if n:
                    cold.append(cold_ms)
                ctx.close()
            browser.close()
    finally:
        _stop(proc)
    timings = [
        BrowserTiming("click 楼盘表 on the building list → 960 cells painted", click, 1000.0),
        BrowserTiming("click a cell → its room card painted", card),
        BrowserTiming("open the grid's URL in a new tab (page load, websocket, gate, grid) → painted", cold),
    ]
    how = ("How: the list page is loaded and searched to the tower first (not timed); the page's own script "
           "then clicks the link and checks on every animation frame whether all 960 `td[data-room]` cells "
           "exist, and stops one task after that frame (its paint). The click runs a client-side route change, "
           "the page-load gate and the grid handler over the websocket, the state delta and React's render. "
           "The URL row counts from the navigation's start (performance.now() origin). One unmeasured run "
           "first; each run in a new browser context.")
    return timings, how
