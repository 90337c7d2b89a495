"""Operator commands for a production install (no demo data there):

    python -m netsign_console.admin_cli create-admin [--username admin] [--name 系统管理员]
                                                     [--phone 139...] [--org 长沙市住房和城乡建设局]

asks for the password twice (not echoed), refuses a weak one (auth/password_policy.py), and
creates the first system administrator in NETSIGN_DB_URL. Nothing with a known password.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from netsign_console.auth.accounts import PasswordChangeError, create_system_admin
from netsign_console.auth.password_policy import PasswordRejected, check_password
from netsign_console.db import session_scope
from netsign_console.settings import settings

ATTEMPTS = 3


def _ask_password(username: str, phone: str | None, ask=getpass.getpass) -> str:
    for _ in range(ATTEMPTS):
        first = ask("请输入密码（至少10位，含字母和数字）：")
        try:
            check_password(first, username=username, phone=phone)
        except PasswordRejected as exc:
            print(f"密码不符合要求：{exc}", file=sys.stderr)
            continue
        if ask("请再次输入密码：") != first:
            print("两次输入的密码不一致", file=sys.stderr)
            continue
        return first
    raise SystemExit("未创建：密码多次不符合要求")


def create_admin(args: argparse.Namespace, ask=getpass.getpass) -> int:
    import models  # noqa: F401  every table registered

    password = _ask_password(args.username, args.phone, ask)
    try:
        with session_scope(args.db) as session:
            user = create_system_admin(session, args.username, args.name, password, phone=args.phone,
                                       organization=args.org)
            user_id = user.id
    except PasswordChangeError as exc:
        print(f"未创建：{exc}", file=sys.stderr)
        return 1
    print(f"已创建系统管理员“{args.username}”（编号 {user_id}），数据库：{_where(args.db)}")
    return 0


def _where(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url or settings.db_url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None, ask=getpass.getpass) -> int:
    parser = argparse.ArgumentParser(prog="python -m netsign_console.admin_cli", description="运维命令")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="创建系统管理员（交互输入密码）")
    create.add_argument("--username", default="admin")
    create.add_argument("--name", default="系统管理员", help="姓名")
    create.add_argument("--phone", default=None)
    create.add_argument("--org", default=None, help="所属机构名称（须已存在）")
    create.add_argument("--db", default=None, help="database URL (default: NETSIGN_DB_URL)")
    args = parser.parse_args(argv)
    return create_admin(args, ask)


if __name__ == "__main__":
    raise SystemExit(main())
