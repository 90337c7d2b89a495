import hashlib
import hmac
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.sms_code import (
    LIFETIME,
    check_code,
    issue_code,
    resend_wait_seconds,
)

NOW = datetime(2026, 3, 29, 8, 0, tzinfo=timezone.utc)
SHANGHAI = timezone(timedelta(hours=8))


def wrong(code: str) -> str:
    return "".join(str((int(c) + 1) % 10) for c in code)


class TestIssue:
    def test_six_digits_stored_only_as_a_salted_hash(self):
        code, state = issue_code(NOW)
        assert len(code) == 6 and code.isdigit()
        assert code not in repr(state)
        expected = hmac.new(bytes.fromhex(state.salt), code.encode(), hashlib.sha256).hexdigest()
        assert state.code_hash == expected
        assert (state.issued_at, state.expires_at, state.attempts, state.used_at, state.locked) == \
            (NOW, NOW + timedelta(minutes=5), 0, None, False)

    def test_salts_differ_so_equal_codes_hash_differently(self):
        states = [issue_code(NOW)[1] for _ in range(20)]
        assert len({s.salt for s in states}) == 20 and len({s.code_hash for s in states}) == 20

    def test_codes_are_spread(self):
        codes = {issue_code(NOW)[0] for _ in range(200)}
        assert len(codes) > 190  # 200 draws from 10^6 rarely collide

    def test_times_must_be_aware_and_are_kept_in_utc(self):
        with pytest.raises(ValueError, match="时间必须带时区"):
            issue_code(datetime(2026, 3, 29, 8, 0))
        _, state = issue_code(datetime(2026, 3, 29, 16, 0, tzinfo=SHANGHAI))
        assert state.issued_at == NOW and state.issued_at.tzinfo == timezone.utc


class TestCheck:
    def test_right_code_once(self):
        code, state = issue_code(NOW)
        ok, state, message = check_code(state, code, NOW + timedelta(minutes=1))
        assert (ok, message, state.used_at) == (True, None, NOW + timedelta(minutes=1))
        assert check_code(state, code, NOW + timedelta(minutes=2)) == (False, state, "验证码已使用")

    def test_wrong_tries_count_down_then_lock(self):
        code, state = issue_code(NOW)
        messages = []
        for _ in range(5):
            ok, state, message = check_code(state, wrong(code), NOW)
            assert not ok
            messages.append(message)
        assert messages == ["验证码错误，还可尝试4次", "验证码错误，还可尝试3次", "验证码错误，还可尝试2次",
                            "验证码错误，还可尝试1次", "验证码错误次数过多，已锁定，请重新获取"]
        assert state.locked and state.attempts == 5
        # Locked: even the right code is refused now.
        assert check_code(state, code, NOW) == (False, state, "验证码错误次数过多，已锁定，请重新获取")

    def test_right_code_after_some_wrong_tries(self):
        code, state = issue_code(NOW)
        for _ in range(4):
            _, state, _ = check_code(state, wrong(code), NOW)
        ok, state, _ = check_code(state, code, NOW)
        assert ok and state.attempts == 4

    def test_expiry_at_five_minutes(self):
        code, state = issue_code(NOW)
        assert check_code(state, code, NOW + LIFETIME - timedelta(seconds=1))[0]
        ok, after, message = check_code(state, code, NOW + LIFETIME)
        assert (ok, after, message) == (False, state, "验证码已过期，请重新获取")

    def test_malformed_input_counts_empty_does_not(self):
        code, state = issue_code(NOW)
        assert check_code(state, "  ", NOW) == (False, state, "请输入验证码")
        ok, state, message = check_code(state, "12ab", NOW)
        assert (ok, state.attempts, message) == (False, 1, "验证码错误，还可尝试4次")

    def test_full_width_digits_and_spaces(self):
        code, state = issue_code(NOW)
        full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
        assert check_code(state, f" {full_width[:3]} {full_width[3:]} ", NOW)[0]

    def test_pepper_is_needed_when_used(self):
        code, state = issue_code(NOW, pepper=b"server-secret")
        assert not check_code(state, code, NOW)[0]
        assert check_code(state, code, NOW, pepper=b"server-secret")[0]

    def test_naive_time_refused(self):
        code, state = issue_code(NOW)
        with pytest.raises(ValueError):
            check_code(state, code, datetime(2026, 3, 29, 8, 1))

    def test_state_is_frozen(self):
        _, state = issue_code(NOW)
        with pytest.raises(AttributeError):
            state.attempts = 0  # type: ignore[misc]

    @given(st.text(alphabet="0123456789", min_size=6, max_size=6))
    def test_only_the_issued_code_passes(self, guess):
        code, state = issue_code(NOW)
        assert check_code(state, guess, NOW)[0] is (guess == code)


class TestResend:
    def test_countdown(self):
        _, state = issue_code(NOW)
        assert resend_wait_seconds(None, NOW) == 0
        assert resend_wait_seconds(state, NOW) == 60
        assert resend_wait_seconds(state, NOW + timedelta(seconds=59, milliseconds=1)) == 1
        assert resend_wait_seconds(state, NOW + timedelta(seconds=60)) == 0
        assert resend_wait_seconds(replace(state, locked=True), NOW + timedelta(seconds=10)) == 50
        assert resend_wait_seconds(state, NOW, after=timedelta(seconds=120)) == 120
