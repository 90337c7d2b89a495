"""登录: username or phone number + password, with lockout (auth.service).

The form posts to /api/session with fetch() (components/session_scripts.py): the session
cookie is HttpOnly, so only that HTTP response can set it. Errors come back to this state
for display at their field; a reloaded login page starts clean.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.guard import principal_of_state, public_handler
from netsign_console.auth.permissions import Perm
from netsign_console.auth.web_session import after_login
from netsign_console.components.page import APP_TITLE, console_page
from netsign_console.components.session_scripts import LOGIN
from netsign_console.settings import settings
from netsign_console.state.app_state import AppState

_FIELDS = ("login_name", "password")


class LoginState(AppState):
    login_name_error: str = ""
    password_error: str = ""
    form_error: str = ""
    notice: str = ""

    @public_handler
    def on_load_login(self):
        self._clear_shell()
        self.login_name_error = self.password_error = self.form_error = ""
        self.notice, self.login_notice = self.login_notice, ""
        principal = principal_of_state(self)
        # A still-valid session goes straight on (to the password page if it must change).
        if principal is not None:
            return rx.redirect(after_login(self.login_next, principal.must_change_password))

    @public_handler
    def show_login_result(self, result: dict):
        """Display what POST /api/session answered. Only this tab's own messages: a forged
        call can do no more than show its sender a text."""
        result = result if isinstance(result, dict) else {}
        field = str(result.get("field") or "")
        message = str(result.get("message") or "")[:200]
        self.login_name_error = message if field == "login_name" else ""
        self.password_error = message if field == "password" else ""
        self.form_error = message if field not in _FIELDS else ""
        if message:
            self.notice = ""


def _field(label: str, name: str, error, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, size="3", width="100%", **props),
        rx.cond(error != "", rx.text(error, color="red", size="2", id=f"{name}-error")),
        spacing="1",
        width="100%",
    )


@console_page("/login", "登录", Perm.HOME, bare=True, on_load=LoginState.on_load_login)
def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(APP_TITLE, size="6"),
                    rx.text("住房交易网签备案 · 请登录", color="gray", size="2"),
                    rx.cond(LoginState.notice != "",
                            rx.callout(LoginState.notice, icon="circle_check", color_scheme="green", size="1",
                                       id="login-notice")),
                    _field("用户名 / 手机号", "login_name", LoginState.login_name_error,
                           placeholder="请输入用户名或手机号", auto_complete="username"),
                    _field("密码", "password", LoginState.password_error, type="password",
                           placeholder="请输入密码", auto_complete="current-password"),
                    rx.cond(LoginState.form_error != "",
                            rx.text(LoginState.form_error, color="red", size="2", id="form-error")),
                    rx.button("登录", type="submit", size="3", width="100%", id="login-submit"),
                    rx.box(id="login-next", custom_attrs={"data-next": AppState.login_next}, display="none"),
                    rx.text(f"连续输错{settings.lockout_attempts}次密码，账户将锁定{settings.lockout_minutes}分钟。",
                            size="1", color="gray"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=rx.call_script(LOGIN, callback=LoginState.show_login_result),
                reset_on_submit=False,
            ),
            width="400px",
            padding="32px",
        ),
        height="100vh",
        background="linear-gradient(135deg, #1e3a5f 0%, #3b6ea5 100%)",
    )
