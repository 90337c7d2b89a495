"""One-time SMS codes (SIGN-10 buyer signing, SIGN-12 seal authorisation; FEATURES §5
decision 6), independent of where the state is stored and how the SMS is sent.

* A code is 6 digits from ``secrets``; only HMAC-SHA256(salt [+ pepper], code) is kept, with a
  fresh random salt per code. Six digits are only 10^6 values, so a leaked state could be
  brute-forced offline despite the salt: pass a server-side ``pepper`` (a secret from the
  settings, not stored beside the state) to close that.
* It expires 5 minutes after issue, is good for one successful check, and locks after 5 wrong
  tries; an expired, used or locked code can only be replaced by issuing a new one.
* The functions are pure: they take the state and return a new one. The caller stores it and
  must not let two checks of the same state race (store with a conditional update on
  ``attempts``), or parallel guesses could exceed the limit.
* Times are timezone-aware; they are kept in UTC.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

__all__ = [
    "CODE_LENGTH",
    "LIFETIME",
    "MAX_ATTEMPTS",
    "RESEND_AFTER",
    "SmsCodeState",
    "check_code",
    "issue_code",
    "resend_wait_seconds",
]

CODE_LENGTH = 6
LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)

USED = "验证码已使用"
EXPIRED = "验证码已过期，请重新获取"
LOCKED = "验证码错误次数过多，已锁定，请重新获取"
EMPTY = "请输入验证码"


@dataclass(frozen=True)
class SmsCodeState:
    code_hash: str  # hex HMAC-SHA256
    salt: str  # hex, 16 random bytes
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0  # wrong tries so far
    used_at: datetime | None = None
    locked: bool = False


def _utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError("时间应为datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("时间必须带时区（UTC）")
    return moment.astimezone(timezone.utc)


def _digest(code: str, salt: str, pepper: bytes) -> str:
    return hmac.new(pepper + bytes.fromhex(salt), code.encode("ascii"), hashlib.sha256).hexdigest()


def issue_code(now: datetime, *, pepper: bytes = b"") -> tuple[str, SmsCodeState]:
    """A new code (send it, never store it) and the state to store."""
    now = _utc(now)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    salt = secrets.token_hex(16)
    state = SmsCodeState(code_hash=_digest(code, salt, pepper), salt=salt, issued_at=now,
                         expires_at=now + LIFETIME)
    return code, state


def _normalized(entered: str) -> str:
    # Phones may send full-width digits (１２３); NFKC makes them ASCII.
    return unicodedata.normalize("NFKC", entered or "").strip().replace(" ", "")


def check_code(
    state: SmsCodeState, entered: str, now: datetime, *, pepper: bytes = b""
) -> tuple[bool, SmsCodeState, str | None]:
    """(ok, new state, Chinese message or None when ok). Only a wrong code counts as a try."""
    now = _utc(now)
    if state.used_at is not None:
        return False, state, USED
    if state.locked:
        return False, state, LOCKED
    if now >= state.expires_at:
        return False, state, EXPIRED
    code = _normalized(entered)
    if not code:
        return False, state, EMPTY
    well_formed = len(code) == CODE_LENGTH and code.isascii() and code.isdigit()
    # compare_digest on the hashes: the time taken says nothing about how close a guess was.
    if well_formed and hmac.compare_digest(_digest(code, state.salt, pepper), state.code_hash):
        return True, replace(state, used_at=now), None
    attempts = state.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        return False, replace(state, attempts=attempts, locked=True), LOCKED
    return False, replace(state, attempts=attempts), f"验证码错误，还可尝试{MAX_ATTEMPTS - attempts}次"


def resend_wait_seconds(state: SmsCodeState | None, now: datetime, *, after: timedelta = RESEND_AFTER) -> int:
    """Seconds before another code may be sent (the 获取验证码 countdown); 0 = now.

    One SMS per ``after`` even after a lock: the wait is what stops SMS bombing and makes
    guessing cost one SMS per five tries.
    """
    if state is None:
        return 0
    remaining = state.issued_at + after - _utc(now)
    return max(0, math.ceil(remaining.total_seconds()))
