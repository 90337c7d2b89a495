"""POST /api/session and /api/session/logout: the HttpOnly, SameSite=Strict cookie (Secure
over https), JSON only, same origin only, the way back after login limited to this site; and
the guard reading the cookie from the websocket's Cookie header, not from state."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():  # starlette asks for "httpx2"; the installed httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from netsign_console.api.routes import api_routes
from netsign_console.auth import guard
from netsign_console.auth.service import resolve_token
from netsign_console.auth.web_session import after_login, safe_next, token_from_cookie_header
from netsign_console.demo.accounts import DEMO_PASSWORD
from tests.unit.admin_fixtures import demo_db  # noqa: F401  demo_db is a fixture


@pytest.fixture
def client(demo_db) -> TestClient:
    return TestClient(Starlette(routes=api_routes()), base_url="http://console.test")


def _post(client, body, **headers):
    return client.post("/api/session", json=body, headers=headers)


def test_login_sets_an_httponly_strict_cookie_and_answers_where_to_go(client):
    response = _post(client, {"login_name": "regulator", "password": DEMO_PASSWORD, "next": "/audit?q=1"})
    assert response.status_code == 200 and response.json() == {"next": "/audit?q=1"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("netsign_token=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie and "Max-Age=28800" in cookie
    token = token_from_cookie_header(cookie.split(";")[0])
    assert resolve_token(token).username == "regulator"
    assert token not in response.text  # the body never carries it
    # Behind an https proxy the cookie is Secure too.
    secure = _post(client, {"login_name": "regulator", "password": DEMO_PASSWORD}, **{"X-Forwarded-Proto": "https"})
    assert "Secure" in secure.headers["set-cookie"] and secure.json() == {"next": "/"}


def test_refusals_name_the_field_and_set_no_cookie(client):
    response = _post(client, {"login_name": "regulator", "password": "wrong"})
    assert response.status_code == 400 and "set-cookie" not in response.headers
    assert response.json()["field"] == "password" and "用户名或密码错误" in response.json()["message"]
    assert _post(client, {"login_name": "", "password": "x"}).json() == {"field": "login_name",
                                                                         "message": "请输入用户名或手机号"}


def test_only_json_from_this_origin(client):
    form = client.post("/api/session", data={"login_name": "regulator", "password": DEMO_PASSWORD})
    assert form.status_code == 400 and "set-cookie" not in form.headers
    other = _post(client, {"login_name": "regulator", "password": DEMO_PASSWORD}, Origin="https://evil.example")
    assert other.status_code == 403 and "set-cookie" not in other.headers
    same = _post(client, {"login_name": "regulator", "password": DEMO_PASSWORD}, Origin="http://console.test")
    assert same.status_code == 200


def test_after_login_goes_only_to_paths_of_this_site():
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                    "/login", "/api/export/users.csv", "/x\r\nSet-Cookie: a=b", "audit", ""):
        assert safe_next(hostile) == "/", hostile
    assert safe_next("/admin/projects?page=2") == "/admin/projects?page=2"
    assert after_login("/audit", must_change_password=True) == "/account/password"
    assert after_login("/audit", must_change_password=False) == "/audit"


def test_one_time_password_users_get_the_password_page_first(client, demo_db):
    from sqlmodel import select

    from models.user import User
    from netsign_console.db import session_scope

    with session_scope(demo_db) as s:
        user = s.exec(select(User).where(User.username == "dev_operator")).one()
        user.must_change_password = True
        s.add(user)
    response = _post(client, {"login_name": "dev_operator", "password": DEMO_PASSWORD, "next": "/inbox"})
    assert response.json() == {"next": "/account/password"}
    # Every other route refuses it until the password is changed.
    client.cookies.set("netsign_token", token_from_cookie_header(response.headers["set-cookie"].split(";")[0]))
    assert client.get("/api/export/projects.csv").status_code == 403


def test_logout_ends_every_session_and_clears_the_cookie(client):
    first = _post(client, {"login_name": "broker", "password": DEMO_PASSWORD})
    token = token_from_cookie_header(first.headers["set-cookie"].split(";")[0])
    elsewhere = TestClient(Starlette(routes=api_routes()), base_url="http://console.test")
    second = _post(elsewhere, {"login_name": "broker", "password": DEMO_PASSWORD})
    other_token = token_from_cookie_header(second.headers["set-cookie"].split(";")[0])
    client.cookies.set("netsign_token", token)
    response = client.post("/api/session/logout", json={})
    assert response.status_code == 200 and response.json() == {"next": "/login"}
    cleared = response.headers["set-cookie"]
    assert cleared.startswith('netsign_token=""') and "Max-Age=0" in cleared and "HttpOnly" in cleared
    assert resolve_token(token) is None and resolve_token(other_token) is None


def test_the_guard_reads_the_connection_cookie_not_a_state_var(client):
    response = _post(client, {"login_name": "regulator", "password": DEMO_PASSWORD})
    token = token_from_cookie_header(response.headers["set-cookie"].split(";")[0])

    def state(cookie: str, **extra):
        return SimpleNamespace(router=SimpleNamespace(headers=SimpleNamespace(cookie=cookie)), **extra)

    assert guard.principal_of_state(state(f"a=1; netsign_token={token}; b=2")).username == "regulator"
    # A var the browser could set, named like the token, counts for nothing.
    assert guard.principal_of_state(state("a=1", token=token, netsign_token=token)) is None
    assert guard.principal_of_state(SimpleNamespace()) is None
