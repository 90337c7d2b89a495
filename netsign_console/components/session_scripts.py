"""The two scripts that talk to /api/session: the cookie is HttpOnly, so only an HTTP
response can set or clear it, and the page then loads in full so the new websocket carries
the new cookie. Neither script ever sees the token."""

from __future__ import annotations

import json

import reflex as rx

# Resolves to {field, message}: shown at the field by LoginState.show_login_result. On
# success the browser is already on its way to the next page.
LOGIN = """
(async () => {
  const value = (id) => (document.getElementById(id) || {}).value || "";
  const next = new URLSearchParams(window.location.search).get("next") || "";
  let response;
  try {
    response = await fetch("/api/session", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({login_name: value("login_name"), password: value("password"), next}),
    });
  } catch (error) {
    return {field: "", message: "无法连接服务器，请检查网络后重试"};
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok && typeof body.next === "string" && body.next.startsWith("/")) {
    window.location.assign(body.next);
    return {field: "", message: ""};
  }
  return {field: body.field || "", message: body.message || "登录失败，请稍后重试"};
})()
"""


def logout_script(then: str = "/login") -> str:
    """End every session of this user, clear the cookie, then load `then` in full."""
    return (
        "fetch('/api/session/logout', {method: 'POST', credentials: 'same-origin', cache: 'no-store', "
        "headers: {'Content-Type': 'application/json'}, body: '{}'})"
        f".catch(() => null).finally(() => window.location.assign({json.dumps(then)}))"
    )


def logout(then: str = "/login") -> rx.event.EventSpec:
    return rx.call_script(logout_script(then))
