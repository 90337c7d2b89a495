"""The two scripts that talk to /api/session: the cookie is HttpOnly, so only an HTTP
response can set or clear it. After a login the next page loads in full, so the new
websocket carries the new cookie; after a logout the old one carries a revoked token, which
resolves to nobody. Neither script ever sees the token."""

from __future__ import annotations

import reflex as rx

# Resolves to {field, message}: shown at the field by LoginState.show_login_result. On
# success the browser is already on its way to the next page.
LOGIN = """
(async () => {
  const value = (id) => (document.getElementById(id) || {}).value || "";
  const next = (document.getElementById("login-next") || {dataset: {}}).dataset.next || "";
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


# Resolves once the server answered (or failed to): AppState.after_logout then shows the login page.
LOGOUT = (
    "fetch('/api/session/logout', {method: 'POST', credentials: 'same-origin', cache: 'no-store', "
    "headers: {'Content-Type': 'application/json'}, body: '{}'}).then(() => true, () => false)"
)


def logout() -> rx.event.EventSpec:
    from netsign_console.state.app_state import AppState

    return rx.call_script(LOGOUT, callback=AppState.after_logout)
