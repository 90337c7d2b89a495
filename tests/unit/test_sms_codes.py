"""SMS codes on the database (netsign_console/sms/): the outbox delivery, five wrong tries lock
the code, expiry, single use, the resend wait, a guess judged on a state someone else changed,
a provider plugged in by configuration, and the regulator's outbox list with masked phones."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlmodel import select

import netsign_console.admin.admins  # noqa: F401  registers the console's admins
from models.base import utcnow
from models.sms import SmsCode, SmsMessage
from netsign_console import settings as config
from netsign_console.admin.query import ListParams, list_records
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.sms import send_code, verify_code
from netsign_console.sms.sender import OutboxSender
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture

PHONE = "13800138000"
SUBJECT = dict(purpose="contract_signing", subject_type="contract", subject_id=7, phone=PHONE)


@pytest.fixture
def sms_db(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings, keys_dir=tmp_path / "keys"))
    return sqlite_url


def _send(url: str, now=None, **kw) -> str:
    """Send and return the code as the phone received it (read from the outbox)."""
    with session_scope(url) as s:
        send_code(s, **{**SUBJECT, **kw}, about="合同YS430100-2026-000001的签署", case_number="F202612020000001",
                  now=now)
        text = s.exec(select(SmsMessage.text).order_by(SmsMessage.id.desc())).first()
    return re.search(r"验证码为(\d{6})", text).group(1)


def _verify(url: str, entered: str, now=None, **kw):
    with session_scope(url) as s:
        return verify_code(s, **{**SUBJECT, **kw}, entered=entered, now=now)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_outbox_holds_the_text_and_the_table_only_a_hash(sms_db):
    code = _send(sms_db)
    with session_scope(sms_db) as s:
        message = s.exec(select(SmsMessage)).one()
        row = s.exec(select(SmsCode)).one()
    assert message.text == (f"【长沙市网签备案】您的合同签署验证码为{code}（合同YS430100-2026-000001的签署），5分钟内有效。"
                            "如非本人操作请忽略，切勿将验证码告诉他人。")
    assert (message.phone, message.sender, message.case_number) == (PHONE, "outbox", "F202612020000001")
    assert code not in (row.code_hash + row.salt)
    assert (tmp := config.settings.keys_dir / "sms-pepper.key").is_file() and len(tmp.read_bytes()) == 32


def test_five_wrong_codes_lock_it_and_then_even_the_right_one_is_refused(sms_db):
    code = _send(sms_db)
    messages = [_verify(sms_db, _wrong(code)).message for _ in range(5)]
    assert messages == ["验证码错误，还可尝试4次", "验证码错误，还可尝试3次", "验证码错误，还可尝试2次",
                        "验证码错误，还可尝试1次", "验证码错误次数过多，已锁定，请重新获取"]
    check = _verify(sms_db, code)
    assert (check.ok, check.message, check.tries_left) == (False, "验证码错误次数过多，已锁定，请重新获取", 0)
    with session_scope(sms_db) as s:
        assert s.exec(select(SmsCode.attempts, SmsCode.locked)).one() == (5, True)


def test_a_code_is_good_once_and_for_five_minutes(sms_db):
    start = utcnow()
    code = _send(sms_db, now=start)
    assert _verify(sms_db, code, now=start + timedelta(minutes=5)).message == "验证码已过期，请重新获取"
    later = start + timedelta(minutes=6)
    code = _send(sms_db, now=later)
    assert _verify(sms_db, "", now=later).message == "请输入验证码"
    assert _verify(sms_db, "１２", now=later).message == "验证码错误，还可尝试4次"  # full-width digits read
    check = _verify(sms_db, f" {code} ", now=later + timedelta(minutes=4))
    assert (check.ok, check.message) == (True, None)
    assert _verify(sms_db, code, now=later + timedelta(minutes=4)).message == "验证码已使用"


def test_another_subject_or_phone_has_its_own_code(sms_db):
    code = _send(sms_db)
    assert _verify(sms_db, code, subject_id=8).message == "请先获取验证码"
    assert _verify(sms_db, code, phone="13907310001").message == "请先获取验证码"
    with pytest.raises(UserError, match="手机号应为11位"):
        _verify(sms_db, code, phone="1380013800")


def test_resends_wait_a_minute_and_replace_the_code(sms_db):
    start = utcnow()
    first = _send(sms_db, now=start)
    with pytest.raises(UserError, match="验证码已发送，请30秒后再获取") as refused:
        _send(sms_db, now=start + timedelta(seconds=30))
    assert refused.value.field == "code"
    second = _send(sms_db, now=start + timedelta(seconds=60))
    if first != second:  # one in a million draws the same code again
        assert _verify(sms_db, first, now=start + timedelta(seconds=61)).message == "验证码错误，还可尝试4次"
    assert _verify(sms_db, second, now=start + timedelta(seconds=62)).ok
    with session_scope(sms_db) as s:
        assert len(s.exec(select(SmsMessage)).all()) == 2 and len(s.exec(select(SmsCode)).all()) == 1


def test_a_guess_is_judged_on_the_state_another_check_just_wrote(sms_db, monkeypatch):
    """Two checks read the same state; the first writes its wrong try; the second's conditional
    UPDATE then finds nothing and it re-reads: it is the second wrong try, not the first again."""
    from netsign_console.sms import codes

    code = _send(sms_db)
    real_store = codes._store
    calls = []

    def racing_store(session, row, state):
        if not calls:
            calls.append(1)
            assert _verify(sms_db, _wrong(code)).message == "验证码错误，还可尝试4次"  # the other check
        return real_store(session, row, state)

    monkeypatch.setattr(codes, "_store", racing_store)
    assert _verify(sms_db, _wrong(code)).message == "验证码错误，还可尝试3次"


class _Provider:
    name = "test"
    sent: list = []

    def send(self, session, sms):
        self.sent.append(sms.phone)
        OutboxSender.record(session, sms, sender=self.name, text=re.sub(r"\d{6}", "******", sms.text))


def test_a_provider_plugs_in_by_configuration(sms_db, monkeypatch):
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings,
                                                                sms_sender=f"{__name__}:_Provider"))
    with session_scope(sms_db) as s:
        send_code(s, **SUBJECT)
        message = s.exec(select(SmsMessage)).one()
    assert _Provider.sent == [PHONE] and message.sender == "test" and "******" in message.text


def test_the_outbox_is_the_regulators_with_phones_masked(demo_db):
    with session_scope(demo_db) as s:
        send_code(s, **SUBJECT)
    rows = list_records("sms-outbox", demo_principal(demo_db, "regulator"), ListParams(), url=demo_db).rows
    assert [(r["phone"], r["purpose"]) for r in rows] == [("138****8000", "合同签署")]
    assert "验证码为" in rows[0]["text"]
    for username in ("dev_admin", "mortgage_bank", "buyer"):
        with pytest.raises(PermissionDenied):
            list_records("sms-outbox", demo_principal(demo_db, username), ListParams(), url=demo_db)
