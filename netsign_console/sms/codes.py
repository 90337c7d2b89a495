"""One-time SMS codes on the database (SIGN-10 buyer signing, SIGN-12 seal authorisation): the
pure rules are domain/sms_code.py (6 digits, salted HMAC, 5 minutes, single use, locked after 5
wrong tries); this module keeps their state in `sms_code` and sends the text through the
configured SmsSender.

    sent = send_code(session, purpose="contract_signing", subject_type="contract", subject_id=c.id,
                     phone=buyer.phone, about="合同YS430100-2026-000017的签署", case_number=...)
    check = verify_code(session, purpose="contract_signing", subject_type="contract", subject_id=c.id,
                        phone=buyer.phone, entered="123456")
    if not check.ok: show check.message      # "验证码错误，还可尝试3次", "验证码已过期，请重新获取", ...

A wrong try must stay counted: `verify_code` returns its verdict instead of raising, so the
caller's transaction commits the new count. Every write of a code row is a conditional UPDATE on
its `revision`: two guesses checked at once cannot both use the same remaining try (the second
re-reads and is judged on the new state), and two resends cannot both replace the code.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.base import utcnow
from models.sms import SmsCode, SmsPurpose
from netsign_console import settings as config  # read at call time: tests swap config.settings
from netsign_console.domain.sms_code import LIFETIME, MAX_ATTEMPTS, SmsCodeState, check_code, issue_code, resend_wait_seconds
from netsign_console.domain.validators import mask_mobile, normalize_mobile
from netsign_console.errors import UserError
from netsign_console.sms.sender import Sms, get_sender

NOT_SENT = "请先获取验证码"
BUSY = "验证码校验繁忙，请重试"
_RETRIES = 5


@dataclass(frozen=True)
class CodeSent:
    phone: str  # masked, for "验证码已发送至138****8000"
    expires_at: datetime
    resend_after: int  # seconds


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    message: str | None  # Chinese; None when ok
    tries_left: int


def _pepper() -> bytes:
    if config.settings.sms_pepper:
        return config.settings.sms_pepper.encode("utf-8")
    path = Path(config.settings.keys_dir) / "sms-pepper.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive create: two processes starting at once keep one pepper, not one each.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
    return path.read_bytes()


def _phone(phone: str) -> str:
    try:
        return normalize_mobile(phone)
    except ValueError as exc:
        raise UserError(str(exc), "phone") from None


def _row(session: Session, purpose: str, subject_type: str, subject_id: int, phone: str) -> SmsCode | None:
    return session.exec(
        select(SmsCode).where(SmsCode.purpose == purpose, SmsCode.subject_type == subject_type,
                              SmsCode.subject_id == subject_id, SmsCode.phone == phone)
        .execution_options(populate_existing=True)
    ).first()


def _state(row: SmsCode) -> SmsCodeState:
    return SmsCodeState(code_hash=row.code_hash, salt=row.salt, issued_at=row.issued_at, expires_at=row.expires_at,
                        attempts=row.attempts, used_at=row.used_at, locked=row.locked)


def _values(state: SmsCodeState) -> dict:
    return dict(code_hash=state.code_hash, salt=state.salt, issued_at=state.issued_at, expires_at=state.expires_at,
                attempts=state.attempts, used_at=state.used_at, locked=state.locked)


def _store(session: Session, row: SmsCode, state: SmsCodeState) -> bool:
    """Write `state` over `row` if nobody else wrote it since it was read."""
    result = session.execute(
        update(SmsCode).where(SmsCode.id == row.id, SmsCode.revision == row.revision)
        .values(**_values(state), revision=SmsCode.revision + 1).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def send_code(session: Session, *, purpose: str, subject_type: str, subject_id: int, phone: str, about: str = "",
              case_number: str | None = None, now: datetime | None = None) -> CodeSent:
    """Issue a fresh code for (purpose, subject, phone), replacing any earlier one, and send it.
    Refused (UserError at "code") while the previous one is younger than the resend wait."""
    purpose_label = SmsPurpose(purpose).label
    number = _phone(phone)
    now = now or utcnow()
    wait = timedelta(seconds=config.settings.sms_resend_seconds)
    code, state = issue_code(now, pepper=_pepper())
    row = _row(session, purpose, subject_type, subject_id, number)
    if row is not None:
        remaining = resend_wait_seconds(_state(row), now, after=wait)
        if remaining:
            raise UserError(f"验证码已发送，请{remaining}秒后再获取", "code")
        if not _store(session, row, state):
            raise UserError("验证码正在发送，请稍后再试", "code")
    else:
        try:
            with session.begin_nested():
                session.add(SmsCode(purpose=purpose, subject_type=subject_type, subject_id=subject_id, phone=number,
                                    **_values(state)))
        except IntegrityError:
            # A parallel first request for the same code won the insert.
            raise UserError("验证码正在发送，请稍后再试", "code") from None
    minutes = int(LIFETIME.total_seconds() // 60)
    what = f"（{about}）" if about else ""
    text = (f"【{config.settings.city}网签备案】您的{purpose_label}验证码为{code}{what}，{minutes}分钟内有效。"
            "如非本人操作请忽略，切勿将验证码告诉他人。")
    get_sender().send(session, Sms(phone=number, text=text, purpose=purpose, subject_type=subject_type,
                                   subject_id=subject_id, case_number=case_number))
    return CodeSent(phone=mask_mobile(number), expires_at=state.expires_at, resend_after=int(wait.total_seconds()))


def verify_code(session: Session, *, purpose: str, subject_type: str, subject_id: int, phone: str, entered: str,
                now: datetime | None = None) -> CodeCheck:
    """Check an entered code. A wrong try, a lock and a use are written in the caller's
    transaction: commit it whatever the verdict."""
    number = _phone(phone)
    pepper = _pepper()
    for _attempt in range(_RETRIES):
        row = _row(session, purpose, subject_type, subject_id, number)
        if row is None:
            return CodeCheck(False, NOT_SENT, 0)
        state = _state(row)
        ok, new_state, message = check_code(state, entered, now or utcnow(), pepper=pepper)
        tries_left = 0 if new_state.locked else MAX_ATTEMPTS - new_state.attempts
        if new_state == state:  # expired, used, locked or empty: nothing to record
            return CodeCheck(ok, message, tries_left)
        if _store(session, row, new_state):
            return CodeCheck(ok, message, tries_left)
        # Someone else's check wrote the row meanwhile: judge this try on the new state.
    return CodeCheck(False, BUSY, 0)


def current_code_state(session: Session, *, purpose: str, subject_type: str, subject_id: int,
                       phone: str) -> SmsCodeState | None:
    """The stored state (for a countdown on the page), or None if no code was sent."""
    row = _row(session, purpose, subject_type, subject_id, _phone(phone))
    return None if row is None else _state(row)
