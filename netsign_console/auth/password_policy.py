"""The password policy and one-time passwords, in plain Python.

A password a person chooses: at least 10 characters, letters and digits, and not their
username or phone number (nor containing them). A one-time password (new enterprise user,
administrator reset) is random: nothing about the user, least of all the phone number that
lists show half of, helps to guess it.
"""

from __future__ import annotations

import secrets

MIN_LENGTH = 10
MAX_LENGTH = 128
# No 0/O, 1/l/I: the administrator reads the password out or writes it down.
_OTP_LETTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_OTP_DIGITS = "23456789"
OTP_LENGTH = 12


class PasswordRejected(ValueError):
    """The message is Chinese and belongs to the new-password field."""


def check_password(password: str, *, username: str = "", phone: str | None = None) -> None:
    """Raise PasswordRejected with the first rule the password breaks."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"密码至少{MIN_LENGTH}位")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"密码不能超过{MAX_LENGTH}位")
    if password != password.strip():
        raise PasswordRejected("密码首尾不能有空格")
    has_letter = any(c.isascii() and c.isalpha() for c in password)
    has_digit = any(c.isascii() and c.isdigit() for c in password)
    if not (has_letter and has_digit):
        raise PasswordRejected("密码须同时包含字母和数字")
    lowered = password.lower()
    # Short usernames (e.g. "li") would forbid too much; from 3 characters on they are a guess.
    if username and len(username) >= 3 and username.lower() in lowered:
        raise PasswordRejected("密码不能包含用户名")
    if phone and phone in password:
        raise PasswordRejected("密码不能包含手机号")


def one_time_password(*, username: str = "", phone: str | None = None) -> str:
    """12 random characters with letters and digits that pass check_password for this user."""
    rng = secrets.SystemRandom()
    while True:
        chars = [secrets.choice(_OTP_LETTERS), secrets.choice(_OTP_DIGITS)]
        chars += [secrets.choice(_OTP_LETTERS + _OTP_DIGITS) for _ in range(OTP_LENGTH - 2)]
        rng.shuffle(chars)
        candidate = "".join(chars)
        try:
            check_password(candidate, username=username, phone=phone)
        except PasswordRejected:  # it contained the username by chance: draw again
            continue
        return candidate
