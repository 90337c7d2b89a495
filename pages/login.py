"""登录: username or phone number + password, with lockout (auth.service)."""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.guard import public_handler
from netsign_console.auth.service import LoginError, attempt_login, resolve_token
from netsign_console.components.page import APP_TITLE, console_page
from netsign_console.auth.permissions import Perm
from netsign_console.state.app_state import AppState


class LoginState(AppState):
    login_name_error: str = ""
    password_error: str = ""
    form_error: str = ""

    @public_handler
    def on_load_login(self):
        # A still-valid session goes straight to the workbench.
        if resolve_token(self.token) is not None:
            return rx.redirect("/")

    @public_handler
    def submit(self, form_data: dict):
        self.login_name_error = self.password_error = self.form_error = ""
        try:
            result = attempt_login(str(form_data.get("login_name", "")), str(form_data.get("password", "")))
        except LoginError as exc:
            if exc.field == "login_name":
                self.login_name_error = str(exc)
            elif exc.field == "password":
                self.password_error = str(exc)
            else:
                self.form_error = str(exc)
            return
        self.token = result.token
        return rx.redirect("/")


def _field(label: str, name: str, error, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
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
                    _field("用户名 / 手机号", "login_name", LoginState.login_name_error, placeholder="请输入用户名或手机号"),
                    _field("密码", "password", LoginState.password_error, type="password", placeholder="请输入密码"),
                    rx.cond(LoginState.form_error != "", rx.text(LoginState.form_error, color="red", size="2")),
                    rx.button("登录", type="submit", size="3", width="100%", id="login-submit"),
                    rx.text("连续输错5次密码，账户将锁定15分钟。", size="1", color="gray"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=LoginState.submit,
                reset_on_submit=False,
            ),
            width="400px",
            padding="32px",
        ),
        height="100vh",
        background="linear-gradient(135deg, #1e3a5f 0%, #3b6ea5 100%)",
    )
