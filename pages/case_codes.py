"""The 短信验证 screen of a case (CodeStep): one line per signer with 获取验证码, the code box and
确认. The service (workflow/code_confirm.py) sends to the signer's own phone and counts every
wrong try (the transaction is committed whatever the verdict)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import UserError
from netsign_console.state.app_state import AppState
from netsign_console.workflow import code_confirm


@dataclasses.dataclass
class SignerView:
    key: str
    label: str
    phone: str
    confirmed_at: str


class CaseCodesState(AppState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    signers: list[SignerView] = []
    entered: dict[str, str] = {}
    messages: dict[str, str] = {}
    codes_editable: bool = False
    codes_done: bool = False

    def _reload(self) -> None:
        with session_scope() as session:
            screen = code_confirm.screen(session, current_principal(), self.case_id, self.stage, self.code)
        self.signers = [SignerView(r.key, r.label, r.phone, r.confirmed_at) for r in screen.rows]
        self.codes_editable, self.codes_done = screen.editable, screen.done

    @guarded(Perm.CASE_INBOX)
    def open_codes(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.entered, self.messages = {}, {}
        self._reload()

    @guarded(Perm.CASE_HANDLE)
    def set_entered(self, key: str, value: str):
        self.entered = {**self.entered, str(key): str(value)[:12]}

    @guarded(Perm.CASE_HANDLE)
    def send(self, key: str):
        try:
            with session_scope() as session:
                phone = code_confirm.send(session, current_principal(), self.case_id, self.stage, self.code, str(key))
        except UserError as exc:
            self.messages = {**self.messages, str(key): str(exc)}
            return rx.toast.error(str(exc))
        self.messages = {**self.messages, str(key): f"验证码已发送至{phone}，5分钟内有效"}
        return rx.toast.success("验证码已发送")

    @guarded(Perm.CASE_HANDLE)
    def verify(self, key: str):
        key = str(key)
        try:
            with session_scope() as session:
                verdict = code_confirm.verify(session, current_principal(), self.case_id, self.stage, self.code, key,
                                              self.entered.get(key, ""))
        except UserError as exc:
            self.messages = {**self.messages, key: str(exc)}
            return rx.toast.error(str(exc))
        self.messages = {**self.messages, key: verdict.message}
        self._reload()
        if not verdict.ok:
            return rx.toast.error(verdict.message)
        from pages.case_page import CaseState

        return [rx.toast.success(verdict.message), CaseState.reload]
