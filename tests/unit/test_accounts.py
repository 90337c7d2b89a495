"""Passwords done properly: the policy, one-time passwords for new users and admin resets
that must be changed before anything else opens, unlock, every session ended by a change,
and idle sessions expiring -- against a migrated SQLite database with the demo data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

import netsign_console.admin.admins  # noqa: F401  registers the user lists
from models.audit import AuditLog
from models.base import utcnow
from models.user import User, UserSession
from netsign_console.admin import service
from netsign_console.admin.options import Notice
from netsign_console.auth.accounts import PasswordChangeError, change_password, create_system_admin, reset_passwords, unlock_users
from netsign_console.auth.password_policy import PasswordRejected, check_password, one_time_password
from netsign_console.auth.permissions import PasswordChangeRequired, Perm, PermissionDenied, has_permission, require
from netsign_console.auth.service import LoginError, login, logout, principal_for_user, resolve
from netsign_console.db import session_scope
from netsign_console.demo.accounts import DEMO_PASSWORD
from netsign_console.navigation import menu_for
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture

GOOD = "Changsha2026ok"


def _user(url, username) -> User:
    with session_scope(url) as s:
        return s.exec(select(User).where(User.username == username)).one()


def _login(url, name, password, now=None):
    failure = None
    with session_scope(url) as s:
        try:
            return login(s, name, password, now=now)
        except LoginError as exc:
            failure = exc
    raise failure


def _resolve(url, token, now=None):
    with session_scope(url) as s:
        return resolve(s, token, now=now)


@pytest.mark.parametrize("password,message", [
    ("Ab12345", "至少10位"),
    ("abcdefghijk", "字母和数字"),
    ("12345678901", "字母和数字"),
    ("１２３４５６７８９０ab", "字母和数字"),  # full-width digits are not digits here
    ("x" * 129 + "1", "不能超过128位"),
    (" Abcdefg123", "首尾不能有空格"),
    ("dev_operator99", "不能包含用户名"),
    ("Tel13900000006", "不能包含手机号"),
])
def test_policy_refuses_with_a_chinese_message(password, message):
    with pytest.raises(PasswordRejected, match=message):
        check_password(password, username="dev_operator", phone="13900000006")


def test_policy_accepts_a_good_password_and_one_time_passwords_pass_it():
    check_password(GOOD, username="dev_operator", phone="13900000006")
    drawn = {one_time_password(username="abc", phone="13900000006") for _ in range(200)}
    assert len(drawn) == 200  # random, not derived from anything
    for password in drawn:
        check_password(password, username="abc", phone="13900000006")
        assert len(password) == 12 and not set(password) & set("0O1lI")


def test_change_password_checks_each_field_and_ends_every_session(demo_db):
    first = _login(demo_db, "dev_operator", DEMO_PASSWORD)
    other = _login(demo_db, "dev_operator", DEMO_PASSWORD)
    me = first.principal
    cases = [
        (("", GOOD, GOOD), "old_password", "请输入原密码"),
        (("wrong-old", GOOD, GOOD), "old_password", "原密码不正确"),
        ((DEMO_PASSWORD, "short1", "short1"), "new_password", "密码至少10位"),
        ((DEMO_PASSWORD, GOOD, GOOD + "x"), "repeat_password", "两次输入的新密码不一致"),
        ((DEMO_PASSWORD, DEMO_PASSWORD + "0", ""), "repeat_password", "请再次输入新密码"),
    ]
    for values, field, message in cases:
        with pytest.raises(PasswordChangeError) as err, session_scope(demo_db) as s:
            change_password(s, me, *values)
        assert (err.value.field, str(err.value)) == (field, message)
    assert _resolve(demo_db, first.token) is not None  # nothing changed by a refused attempt
    with session_scope(demo_db) as s:
        assert change_password(s, me, DEMO_PASSWORD, GOOD, GOOD) == 2
    assert _resolve(demo_db, first.token) is None and _resolve(demo_db, other.token) is None
    with pytest.raises(LoginError, match="用户名或密码错误"):
        _login(demo_db, "dev_operator", DEMO_PASSWORD)
    assert _login(demo_db, "dev_operator", GOOD).principal.username == "dev_operator"
    with session_scope(demo_db) as s:
        event = s.exec(select(AuditLog).where(AuditLog.action == "change_password")).one()
        assert event.user_name == "赵经办" and GOOD not in str(event.changes) and DEMO_PASSWORD not in str(event.changes)


def test_new_enterprise_user_gets_a_one_time_password_shown_once(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    rid, notice = service.create_record_with_notice(
        "enterprise-users", dev,
        {"username": "op_new", "display_name": "新经办", "phone": "13912345678", "id_number": "430102198001011233"},
        url=demo_db)
    assert isinstance(notice, Notice) and len(notice.secrets) == 1
    who, password = notice.secrets[0]
    assert who == "新经办（op_new）" and "345678" not in password and len(password) == 12
    user = _user(demo_db, "op_new")
    assert user.must_change_password and user.password_hash.startswith("$argon2")
    with session_scope(demo_db) as s:
        assert password not in str([e.changes for e in s.exec(select(AuditLog)).all()])
        approved = s.get(User, int(rid))
        approved.network_access_status = "approved"  # as the regulator's decision would
        s.add(approved)
    session = _login(demo_db, "op_new", password)
    principal = session.principal
    assert principal.must_change_password
    # Before the change nothing opens but the password page: no permission, no menu.
    assert not has_permission(principal, Perm.HOME) and menu_for(principal) == []
    with pytest.raises(PasswordChangeRequired):
        require(principal, Perm.CASE_INBOX)
    assert require(principal, Perm.ACCOUNT_OWN) is principal
    with session_scope(demo_db) as s:
        change_password(s, principal, password, GOOD, GOOD)
    after = _login(demo_db, "op_new", GOOD).principal
    assert not after.must_change_password and has_permission(after, Perm.CASE_INBOX)


def test_admins_reset_and_unlock_only_whom_they_administer(demo_db):
    for _ in range(5):
        with pytest.raises(LoginError):
            _login(demo_db, "dev_operator", "bad")
    victim_session = _login(demo_db, "broker", DEMO_PASSWORD)
    dev = demo_principal(demo_db, "dev_admin")
    dev2 = demo_principal(demo_db, "dev2_admin")
    sysadmin = demo_principal(demo_db, "admin")
    with session_scope(demo_db) as s:
        operator = s.exec(select(User).where(User.username == "dev_operator")).one()
        broker = s.exec(select(User).where(User.username == "broker")).one()
        regulator = s.exec(select(User).where(User.username == "regulator")).one()
        for outsider, target in ((dev2, operator), (dev, broker), (dev, regulator), (sysadmin, s.get(User, sysadmin.user_id))):
            with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
                reset_passwords(s, outsider, [target])
        assert unlock_users(s, dev, [operator]) == 1
    with session_scope(demo_db) as s:
        assert s.get(User, operator.id).locked_until is None
    _login(demo_db, "dev_operator", DEMO_PASSWORD)  # unlocked: the right password works again
    with session_scope(demo_db) as s:
        issued = reset_passwords(s, sysadmin, [s.get(User, broker.id)])
    assert _resolve(demo_db, victim_session.token) is None  # the reset ended the broker's sessions
    assert _login(demo_db, "broker", issued[0].password).principal.must_change_password
    with session_scope(demo_db) as s:
        actions = [e.action for e in s.exec(select(AuditLog).where(AuditLog.model == "app_user")).all()]
        assert actions.count("unlock") == 1 and actions.count("reset_password") == 1
        assert issued[0].password not in str([e.changes for e in s.exec(select(AuditLog)).all()])


def test_reset_and_unlock_are_bulk_actions_of_the_user_lists(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    operator = _user(demo_db, "dev_operator")
    result = service.run_bulk_action("enterprise-users", dev, "reset_password", [operator.id], url=demo_db)
    assert isinstance(result, Notice) and result.secrets[0][0] == "赵经办（dev_operator）"
    # The reset lifted any lockout already, so there is nothing left to unlock.
    assert service.run_bulk_action("enterprise-users", dev, "unlock", [operator.id], url=demo_db) \
        == "所选用户均未被锁定，已清零密码错误次数"
    # The regulator may look users up but administers no accounts.
    regulator = demo_principal(demo_db, "regulator")
    with pytest.raises(PermissionDenied):
        service.run_bulk_action("users", regulator, "reset_password", [operator.id], url=demo_db)
    sysadmin = demo_principal(demo_db, "admin")
    assert isinstance(service.run_bulk_action("users", sysadmin, "reset_password", [operator.id], url=demo_db), Notice)


def test_logout_ends_every_session_of_the_user(demo_db):
    a = _login(demo_db, "window", DEMO_PASSWORD)
    b = _login(demo_db, "window", DEMO_PASSWORD)
    someone_else = _login(demo_db, "survey", DEMO_PASSWORD)
    with session_scope(demo_db) as s:
        assert logout(s, a.token) == 2
        assert logout(s, "not-a-token") == 0
    assert _resolve(demo_db, b.token) is None and _resolve(demo_db, someone_else.token) is not None


def test_idle_sessions_expire_and_use_is_recorded_at_most_once_a_minute(demo_db):
    t0 = utcnow()
    result = _login(demo_db, "regulator", DEMO_PASSWORD, now=t0)

    def last_seen():
        with session_scope(demo_db) as s:
            return s.exec(select(UserSession.last_seen_at).where(UserSession.user_id == result.principal.user_id)).one()

    assert _resolve(demo_db, result.token, now=t0 + timedelta(seconds=30)) is not None
    assert last_seen() == t0  # under a minute: no write
    assert _resolve(demo_db, result.token, now=t0 + timedelta(minutes=29)) is not None
    assert last_seen() == t0 + timedelta(minutes=29)  # used: the idle clock starts again
    assert _resolve(demo_db, result.token, now=t0 + timedelta(minutes=58)) is not None
    assert _resolve(demo_db, result.token, now=t0 + timedelta(minutes=58 + 30)) is None  # idle 30 minutes


def test_create_admin_refuses_a_weak_password_and_records_the_event(demo_db):
    with pytest.raises(PasswordChangeError, match="至少10位"), session_scope(demo_db) as s:
        create_system_admin(s, "root2", "管理员", "short1")
    with pytest.raises(PasswordChangeError, match="已存在"), session_scope(demo_db) as s:
        create_system_admin(s, "admin", "管理员", GOOD)
    with session_scope(demo_db) as s:
        user = create_system_admin(s, "root2", "", GOOD, organization="长沙市住房和城乡建设局")
        assert user.role == "system_admin" and not user.must_change_password
    principal = _login(demo_db, "root2", GOOD).principal
    assert principal.display_name == "root2" and has_permission(principal, Perm.USER_ADMIN)
    with session_scope(demo_db) as s:
        assert principal_for_user(s, s.get(User, principal.user_id)).org_name == "长沙市住房和城乡建设局"
        assert s.exec(select(AuditLog).where(AuditLog.action == "create_admin")).one().user_name == "系统"
