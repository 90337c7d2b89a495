"""修改密码: every user's own password (old, new twice, the policy checked at the field).

A user on a one-time password lands here first and nothing else opens until it is changed
(permissions.require). A change ends every session of the user, this one included, so the
page then logs out and the new password is used at once.
"""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.accounts import PasswordChangeError, change_password
from netsign_console.auth.guard import guarded
from netsign_console.auth.password_policy import MIN_LENGTH
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.auth.web_session import CHANGE_PASSWORD_PATH
from netsign_console.components.page import console_page
from netsign_console.components.session_scripts import logout
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState

FIELDS = ("old_password", "new_password", "repeat_password")
POLICY = f"至少{MIN_LENGTH}位，须同时包含字母和数字，不能包含用户名或手机号。"


class ChangePasswordState(AppState):
    old_password_error: str = ""
    new_password_error: str = ""
    repeat_password_error: str = ""
    must_change: bool = False
    form_key: int = 0

    def _clear(self) -> None:
        self.old_password_error = self.new_password_error = self.repeat_password_error = ""

    @guarded(Perm.ACCOUNT_OWN, page_load=True)
    def load(self):
        self._clear()
        self.must_change = current_principal().must_change_password
        self.form_key += 1

    @guarded(Perm.ACCOUNT_OWN)
    def submit(self, form_data: dict):
        self._clear()
        values = [str(form_data.get(name, "")) for name in FIELDS]
        try:
            with session_scope() as session:
                change_password(session, current_principal(), *values)
        except PasswordChangeError as exc:
            setattr(self, f"{exc.field}_error", str(exc))
            return
        # Every session ended with the change: log in again with the new password (the page
        # first asked for, if any, is still in login_next).
        self.login_notice = "密码已修改，请使用新密码登录"
        return logout()


def _field(label: str, name: str, error, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, type="password", size="3", width="100%", **props),
        rx.cond(error != "", rx.text(error, color="red", size="2", id=f"{name}-error")),
        spacing="1",
        width="100%",
    )


@console_page(CHANGE_PASSWORD_PATH, "修改密码", Perm.ACCOUNT_OWN, on_load=ChangePasswordState.load)
def change_password_page() -> rx.Component:
    S = ChangePasswordState
    return rx.card(
        rx.form(
            rx.vstack(
                rx.cond(
                    S.must_change,
                    rx.callout("您正在使用管理员发放的一次性密码，请先设置自己的新密码，修改后才能使用其他功能。",
                               icon="key_round", color_scheme="orange", size="2", id="must-change"),
                ),
                _field("原密码", "old_password", S.old_password_error, auto_complete="current-password",
                       placeholder="请输入当前密码"),
                _field("新密码", "new_password", S.new_password_error, auto_complete="new-password",
                       placeholder="请输入新密码"),
                _field("确认新密码", "repeat_password", S.repeat_password_error, auto_complete="new-password",
                       placeholder="请再次输入新密码"),
                rx.text(POLICY, size="1", color="gray", id="password-policy"),
                rx.text("修改成功后将退出全部已登录的设备，请使用新密码重新登录。", size="1", color="gray"),
                rx.button("确认修改", type="submit", size="3", id="change-password-submit"),
                spacing="4",
                width="100%",
            ),
            on_submit=S.submit,
            reset_on_submit=False,
            key=S.form_key,
        ),
        max_width="480px",
        width="100%",
    )
