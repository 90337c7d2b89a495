"""重置密码 / 解除锁定: bulk actions on the user lists (企业用户管理 for a developer admin,
用户名录 for the system admin). The rules and the audit are in auth/accounts.py; a new or
reset password is shown once to the administrator, never stored or logged in clear."""

from __future__ import annotations

from typing import Any

from models.base import utcnow
from netsign_console.admin.formatting import format_datetime
from netsign_console.admin.options import BulkAction, Notice
from netsign_console.auth.accounts import issue_one_time_password, reset_passwords, unlock_users

ONE_TIME_HINT = "仅显示这一次，请当面或电话告知本人；首次登录时须设置自己的新密码。"


def _reset(session: Any, principal: Any, users: list) -> Notice:
    issued = reset_passwords(session, principal, users)
    return Notice(f"已为{len(issued)}个用户重置密码（原登录已全部退出，锁定已解除）。{ONE_TIME_HINT}",
                  tuple((f"{p.display_name}（{p.username}）", p.password) for p in issued))


def _unlock(session: Any, principal: Any, users: list) -> str:
    count = unlock_users(session, principal, users)
    return f"已解除{count}个用户的锁定" if count else "所选用户均未被锁定，已清零密码错误次数"


def account_actions(perm: Any) -> tuple[BulkAction, BulkAction]:
    return (
        BulkAction("reset_password", "重置密码", _reset, perm=perm,
                   confirm="确认为所选用户重置密码？将生成一次性密码，用户的现有登录全部退出。"),
        BulkAction("unlock", "解除锁定", _unlock, perm=perm, confirm="确认解除所选用户的登录锁定？"),
    )


def initial_password_notice(session: Any, user: Any) -> Notice:
    """A new account's one-time initial password (after_create of the enterprise users)."""
    password = issue_one_time_password(user)
    session.add(user)
    return Notice(f"已创建用户“{user.display_name}”，初始密码为一次性密码。{ONE_TIME_HINT}",
                  ((f"{user.display_name}（{user.username}）", password),))


def lock_status(raw: Any, row: Any) -> str:
    """locked_until as people need it: only a lockout still running, "" once it is over."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        from datetime import datetime

        raw = datetime.fromisoformat(raw)
    return f"锁定至{format_datetime(raw)}" if raw > utcnow() else ""
