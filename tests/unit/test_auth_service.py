"""Login, lockout and sessions against a migrated SQLite database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.base import utcnow
from models.enums import Role
from models.user import User, UserSession
from netsign_console.auth.passwords import hash_password, verify_password
from netsign_console.auth.service import LoginError, login, logout, resolve, revoke_user_sessions
from netsign_console.db import session_scope
from netsign_console.demo.accounts import DEMO_PASSWORD


def _try(url, name, password, now=None):
    """One login attempt in its own transaction, like the login page does."""
    failure = None
    with session_scope(url) as s:
        try:
            return login(s, name, password, now=now)
        except LoginError as exc:
            failure = exc
    raise failure


def test_password_hash_is_argon2_and_verifies():
    h = hash_password("秘密Passw0rd")
    assert h.startswith("$argon2")
    assert "秘密Passw0rd" not in h
    assert verify_password("秘密Passw0rd", h)
    assert not verify_password("wrong", h)


def test_login_by_username_and_by_phone(demo_url):
    by_name = _try(demo_url, "dev_admin", DEMO_PASSWORD)
    assert by_name.principal.role == Role.DEVELOPER_ADMIN
    assert by_name.principal.org_name == "湖南星城置业有限公司"
    by_phone = _try(demo_url, "13900000005", DEMO_PASSWORD)
    assert by_phone.principal.user_id == by_name.principal.user_id
    assert by_phone.token != by_name.token


def test_stored_passwords_are_hashed(demo_url):
    with session_scope(demo_url) as s:
        hashes = s.exec(select(User.password_hash)).all()
    assert hashes and all(h.startswith("$argon2") and DEMO_PASSWORD not in h for h in hashes)


@pytest.mark.parametrize(
    "name,password,field,message",
    [
        ("", "x", "login_name", "请输入用户名或手机号"),
        ("dev_admin", "", "password", "请输入密码"),
        ("nobody", "whatever", "password", "用户名或密码错误"),
    ],
)
def test_empty_and_unknown_credentials(demo_url, name, password, field, message):
    with pytest.raises(LoginError) as err:
        _try(demo_url, name, password)
    assert err.value.field == field
    assert str(err.value) == message


def test_five_wrong_passwords_lock_for_fifteen_minutes(demo_url):
    t0 = utcnow()
    for attempt in range(1, 5):
        with pytest.raises(LoginError) as err:
            _try(demo_url, "seller", "bad", now=t0)
        assert f"再错{5 - attempt}次" in str(err.value)
    with pytest.raises(LoginError) as err:
        _try(demo_url, "seller", "bad", now=t0)
    assert "已锁定15分钟" in str(err.value)
    # The sixth attempt is refused even with the right password...
    with pytest.raises(LoginError) as err:
        _try(demo_url, "seller", DEMO_PASSWORD, now=t0 + timedelta(minutes=14, seconds=59))
    assert "已锁定" in str(err.value)
    # ...until the lockout ends.
    ok = _try(demo_url, "seller", DEMO_PASSWORD, now=t0 + timedelta(minutes=15, seconds=1))
    assert ok.principal.username == "seller"
    with session_scope(demo_url) as s:
        user = s.exec(select(User).where(User.username == "seller")).one()
        assert user.failed_login_count == 0 and user.locked_until is None


def test_right_password_resets_the_counter(demo_url):
    for _ in range(4):
        with pytest.raises(LoginError):
            _try(demo_url, "buyer", "bad")
    _try(demo_url, "buyer", DEMO_PASSWORD)
    with pytest.raises(LoginError) as err:
        _try(demo_url, "buyer", "bad")
    assert "再错4次" in str(err.value)


@pytest.mark.parametrize("status,label", [("pending", "待审核"), ("rejected", "已驳回"), ("draft", "未申请")])
def test_only_network_approved_users_log_in(demo_url, status, label):
    with session_scope(demo_url) as s:
        user = s.exec(select(User).where(User.username == "dev_operator")).one()
        user.network_access_status = status
        s.add(user)
    with pytest.raises(LoginError) as err:
        _try(demo_url, "dev_operator", DEMO_PASSWORD)
    assert label in str(err.value) and "入网审核" in str(err.value)


def test_session_resolves_until_logout_or_expiry(demo_url):
    result = _try(demo_url, "regulator", DEMO_PASSWORD)
    with session_scope(demo_url) as s:
        assert resolve(s, result.token).username == "regulator"
        assert resolve(s, result.token + "x") is None
        assert resolve(s, "") is None
        assert resolve(s, result.token, now=utcnow() + timedelta(hours=9)) is None
        logout(s, result.token)
    with session_scope(demo_url) as s:
        assert resolve(s, result.token) is None
        # Only the hash of the token is stored.
        assert not s.exec(select(UserSession).where(UserSession.token_hash == result.token)).first()


def test_revoking_a_users_sessions(demo_url):
    a = _try(demo_url, "broker", DEMO_PASSWORD)
    b = _try(demo_url, "broker", DEMO_PASSWORD)
    with session_scope(demo_url) as s:
        assert revoke_user_sessions(s, a.principal.user_id) == 2
    with session_scope(demo_url) as s:
        assert resolve(s, a.token) is None and resolve(s, b.token) is None


def test_disabled_user_cannot_log_in_and_loses_sessions(demo_url):
    result = _try(demo_url, "window", DEMO_PASSWORD)
    with session_scope(demo_url) as s:
        user = s.exec(select(User).where(User.username == "window")).one()
        user.is_active = False
        s.add(user)
    with session_scope(demo_url) as s:
        assert resolve(s, result.token) is None
    with pytest.raises(LoginError) as err:
        _try(demo_url, "window", DEMO_PASSWORD)
    assert "停用" in str(err.value)
