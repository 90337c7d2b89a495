"""The gate itself: a guarded handler runs only for a logged-in user holding the permission,
with that user as current_principal(); refusals become Chinese toasts or redirects."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from concurrent.futures import ThreadPoolExecutor

import pytest

from netsign_console.auth import guard
from netsign_console.auth.guard import GUARD_ATTR, guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.auth.service import login, resolve
from netsign_console.db import session_scope
from netsign_console.demo.accounts import DEMO_PASSWORD


def run_async(coro):
    # In its own thread: Playwright's sync API (the browser tests, same process) leaves an
    # event loop running in the main thread, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FakeState:
    """What the guard reads of a Reflex state: the Cookie header of the event's websocket."""

    def __init__(self, token: str = "") -> None:
        cookie = f"other=1; netsign_token={token}" if token else "other=1"
        self.router = SimpleNamespace(headers=SimpleNamespace(cookie=cookie),
                                      url=SimpleNamespace(path="/audit", query=""))
        self.calls: list[str] = []


@pytest.fixture
def tokens(demo_url, monkeypatch):
    def resolve_in_demo(token):
        with session_scope(demo_url) as s:
            return resolve(s, token)

    monkeypatch.setattr(guard, "resolve_token", resolve_in_demo)
    out = {}
    for name in ("dev_admin", "regulator"):
        with session_scope(demo_url) as s:
            out[name] = login(s, name, DEMO_PASSWORD).token
    return out


def _spec_names(result) -> str:
    return repr(result)


def test_anonymous_call_is_refused_and_the_body_never_runs(tokens):
    @guarded(Perm.AUDIT_VIEW)
    def handler(self):
        self.calls.append(current_principal().username)

    state = FakeState("")
    result = handler(state)
    assert state.calls == []
    assert "/login" in _spec_names(result)
    assert getattr(handler, GUARD_ATTR) == Perm.AUDIT_VIEW


def test_wrong_role_gets_a_chinese_refusal(tokens):
    @guarded(Perm.AUDIT_VIEW)
    def handler(self):
        self.calls.append("ran")

    state = FakeState(tokens["dev_admin"])
    result = handler(state)
    assert state.calls == []
    assert "查看审计日志" in _spec_names(result)

    @guarded(Perm.AUDIT_VIEW, page_load=True)
    def page_load(self):
        self.calls.append("ran")

    assert "/denied" in _spec_names(page_load(state)) and state.calls == []


def test_permitted_user_runs_with_its_principal_and_user_errors_become_toasts(tokens):
    @guarded(Perm.AUDIT_VIEW)
    def handler(self, fail: bool):
        self.calls.append(current_principal().username)
        if fail:
            raise UserError("业务已办结，不能再操作")

    state = FakeState(tokens["regulator"])
    assert handler(state, False) is None
    assert "业务已办结" in _spec_names(handler(state, True))
    assert state.calls == ["regulator", "regulator"]
    with pytest.raises(RuntimeError):
        current_principal()  # reset after the call


def test_async_and_generator_handlers_are_gated_too(tokens):
    @guarded(Perm.AUDIT_VIEW)
    async def async_handler(self):
        self.calls.append("async")

    @guarded(Perm.AUDIT_VIEW)
    def gen_handler(self):
        self.calls.append("gen")
        yield None

    outsider = FakeState(tokens["dev_admin"])
    run_async(async_handler(outsider))
    list(gen_handler(outsider))
    assert outsider.calls == []
    insider = FakeState(tokens["regulator"])
    run_async(async_handler(insider))
    list(gen_handler(insider))
    assert insider.calls == ["async", "gen"]


def test_an_anonymous_page_load_remembers_the_way_back_and_a_missing_record_reads_the_same(tokens):
    @guarded(Perm.AUDIT_VIEW, page_load=True)
    def page_load(self):
        self.calls.append("ran")

    @guarded(Perm.HOME, page_load=True)
    def load_record(self):
        from netsign_console.auth.permissions import NOT_FOUND, PermissionDenied

        raise PermissionDenied(NOT_FOUND)

    anonymous = FakeState("")
    anonymous.login_next = ""
    assert "/login" in _spec_names(page_load(anonymous)) and anonymous.login_next == "/audit"
    anonymous.router.url = SimpleNamespace(path="//evil.example/x", query="")
    anonymous.login_next = ""
    page_load(anonymous)
    assert anonymous.login_next == ""  # only paths of this site
    someone = FakeState(tokens["dev_admin"])
    someone.denied_message = ""
    assert "/denied" in _spec_names(load_record(someone)) and someone.denied_message == "记录不存在或无权访问"
