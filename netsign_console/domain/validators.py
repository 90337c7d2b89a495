"""Validators for identifiers that appear in housing-transaction filings.

Every ``normalize_*`` / ``validate_*`` function returns the canonical form of
its input or raises ``ValueError`` with a Chinese message that can be shown to
the operator as-is.  The ``*_warning`` functions never raise: they flag values
that pass the hard rules but look suspicious, so the operator can double-check
without being blocked.

Only the standard library is used so the module can be reused by scripts and
tests that do not load the web framework.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "credit_code_org_code_warning",
    "id_number_gender",
    "mask_id_number",
    "mask_mobile",
    "mobile_strict_warning",
    "normalize_credit_code",
    "normalize_id_number",
    "normalize_mobile",
    "normalize_permit_number",
    "validate_case_number",
]

# ``str.isdigit`` and ``\d`` also accept full-width and other Unicode digits,
# which would slip through into filings; every check below is ASCII-only.
_ASCII_DIGITS = frozenset("0123456789")


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


def _parse_yyyymmdd(text: str) -> date | None:
    """Return the calendar date for an 8-digit YYYYMMDD string, or None."""
    if len(text) != 8 or not _is_ascii_digits(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _mask_middle(text: str, head: int, tail: int) -> str:
    """Keep ``head``/``tail`` characters; short values get proportionally less.

    A value too short to keep the requested characters while still hiding
    something is masked more aggressively rather than revealed in full.
    """
    length = len(text)
    if length <= head + tail:
        head = tail = length // 4
    hidden = length - head - tail
    return text[:head] + "*" * hidden + text[length - tail :]


# ---------------------------------------------------------------------------
# Resident identity card number (GB 11643-1999)
# ---------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_EARLIEST_BIRTH = date(1900, 1, 1)


def _id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(ch) * weight for ch, weight in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def _upgrade_legacy_id(legacy: str) -> str:
    """Convert a 15-digit first-generation ID to the 18-digit form.

    Legacy IDs only carry a two-digit year; they were issued to people born
    in the 1900s, hence the fixed "19" century.
    """
    if not _is_ascii_digits(legacy):
        raise ValueError("身份证号格式不正确：15位旧号应全部为数字")
    first17 = legacy[:6] + "19" + legacy[6:]
    return first17 + _id_check_char(first17)


def normalize_id_number(s: str, *, today: date | None = None) -> str:
    """Validate a resident ID number and return its 18-character form.

    Lower-case ``x`` is accepted and returned as ``X``; 15-digit legacy
    numbers are upgraded to 18 digits.  ``today`` is injectable so the
    "not in the future" rule can be tested deterministically.
    """
    value = (s or "").strip().upper()
    if not value:
        raise ValueError("身份证号不能为空")
    if len(value) == 15:
        value = _upgrade_legacy_id(value)
    elif len(value) != 18:
        raise ValueError("身份证号应为18位（或15位旧号）")

    first17, check = value[:17], value[17]
    if not _is_ascii_digits(first17) or not (check in _ASCII_DIGITS or check == "X"):
        raise ValueError("身份证号格式不正确：前17位应为数字，最后一位为数字或X")

    birth = _parse_yyyymmdd(value[6:14])
    if birth is None:
        raise ValueError("身份证号中的出生日期无效")
    if birth > (today or date.today()):
        raise ValueError("身份证号中的出生日期不能晚于今天")
    if birth < _ID_EARLIEST_BIRTH:
        raise ValueError("身份证号中的出生日期不能早于1900年")

    if _id_check_char(first17) != check:
        raise ValueError("身份证号校验位错误")
    return value


def id_number_gender(s: str) -> str:
    """Return "男" or "女" from the sequence code (odd means male)."""
    normalized = normalize_id_number(s)
    return "男" if int(normalized[16]) % 2 == 1 else "女"


def mask_id_number(s: str) -> str:
    """Mask an ID number for display, e.g. ``4301**********1234``.

    The input is not validated: masking must also work for the invalid
    values an operator is being told about.
    """
    return _mask_middle((s or "").strip().upper(), head=4, tail=4)


# ---------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# ---------------------------------------------------------------------------

# I, O, S, V and Z are excluded by the standard to avoid confusion with 1/0/5/U/2.
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {ch: index for index, ch in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _clean_credit_code(s: str) -> str:
    # Codes are often copied from licences with spaces between digit groups.
    return "".join((s or "").split()).upper()


def _credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUES[ch] * weight for ch, weight in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(s: str) -> str:
    """Validate a unified social credit code and return it upper-cased."""
    code = _clean_credit_code(s)
    if not code:
        raise ValueError("统一社会信用代码不能为空")
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为18位，当前为{len(code)}位")
    for ch in code:
        if ch not in _CREDIT_VALUES:
            raise ValueError(f"统一社会信用代码含有非法字符“{ch}”")
    if not _is_ascii_digits(code[2:8]):
        raise ValueError("统一社会信用代码第3-8位（登记管理机关行政区划码）应为数字")
    if _credit_check_char(code[:17]) != code[17]:
        raise ValueError("统一社会信用代码校验位错误")
    return code


def _org_code_char_value(ch: str) -> int:
    return int(ch) if ch in _ASCII_DIGITS else ord(ch) - ord("A") + 10


def _org_code_check_char(body: str) -> str:
    total = sum(_org_code_char_value(ch) * w for ch, w in zip(body, _ORG_CODE_WEIGHTS))
    remainder = 11 - total % 11
    if remainder == 10:
        return "X"
    if remainder == 11:
        return "0"
    return str(remainder)


def credit_code_org_code_warning(code: str) -> str | None:
    """Check the embedded GB 11714 organisation code (positions 9-17).

    Some legitimately issued codes (notably for individual businesses) carry
    an organisation code that does not satisfy GB 11714, so a mismatch is
    only a warning.  Values that are not even 18 alphanumerics return None;
    ``normalize_credit_code`` is responsible for reporting those.
    """
    cleaned = _clean_credit_code(code)
    if len(cleaned) != 18 or not all(ch in _ASCII_ALNUM for ch in cleaned[8:17]):
        return None
    if _org_code_check_char(cleaned[8:16]) != cleaned[16]:
        return "统一社会信用代码第9-17位（组织机构代码）校验未通过，请核对是否录入有误"
    return None


# ---------------------------------------------------------------------------
# Mobile phone number
# ---------------------------------------------------------------------------

_MOBILE_LENIENT = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
# Segments actually allocated to carriers; new segments appear over time,
# which is why this stricter rule only produces a warning.
_MOBILE_STRICT = re.compile(
    r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-35-9])[0-9]{8}", re.ASCII
)


def _strip_country_code(digits: str) -> str:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    # A bare "86" is only a country code when it leaves exactly 11 digits.
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def normalize_mobile(s: str) -> str:
    """Validate a mainland mobile number and return its 11 digits."""
    compact = re.sub(r"[\s\-]", "", s or "")
    if not compact:
        raise ValueError("手机号不能为空")
    number = _strip_country_code(compact)
    if not _is_ascii_digits(number):
        raise ValueError("手机号格式不正确：只能包含数字（可带+86前缀）")
    if len(number) != 11:
        raise ValueError(f"手机号应为11位，当前为{len(number)}位")
    if not _MOBILE_LENIENT.fullmatch(number):
        raise ValueError("手机号格式不正确，应为11位且以13-19开头")
    return number


def mobile_strict_warning(s: str) -> str | None:
    """Warn when a valid number is outside the known carrier segments.

    Returns None for numbers that fail ``normalize_mobile``: reporting those
    is the hard validator's job, not the warning's.
    """
    try:
        number = normalize_mobile(s)
    except ValueError:
        return None
    if _MOBILE_STRICT.fullmatch(number):
        return None
    return f"手机号号段“{number[:3]}”不常见，请核对是否录入有误"


def mask_mobile(s: str) -> str:
    """Mask a mobile number for display, e.g. ``138****8000``."""
    try:
        number = normalize_mobile(s)
    except ValueError:
        # Still mask invalid input: it is shown in error lists and logs.
        number = (s or "").strip()
    return _mask_middle(number, head=3, tail=4)


# ---------------------------------------------------------------------------
# Filing numbers
# ---------------------------------------------------------------------------

_PERMIT_PATTERN = re.compile(r"[0-9]{4}-[0-9]{4}", re.ASCII)
_CASE_PATTERN = re.compile(r"[A-Z][0-9]{15}", re.ASCII)


def normalize_permit_number(s: str) -> str:
    """Validate a pre-sale permit number such as ``2022-0010``."""
    value = (s or "").strip()
    if not value:
        raise ValueError("预售许可证号不能为空")
    if not _PERMIT_PATTERN.fullmatch(value):
        raise ValueError("预售许可证号格式不正确，应为“4位年份-4位序号”，例如2022-0010")
    return value


def validate_case_number(s: str) -> str:
    """Validate a case number: letter + YYYYMMDD + 7-digit sequence.

    Example: ``F202203290000015``.  The letter is upper-cased because it is
    often retyped by hand; everything else must already be exact.
    """
    value = (s or "").strip().upper()
    if not value:
        raise ValueError("案件编号不能为空")
    if not _CASE_PATTERN.fullmatch(value):
        raise ValueError("案件编号格式不正确，应为1位大写字母+8位日期+7位序号，例如F202203290000015")
    if _parse_yyyymmdd(value[1:9]) is None:
        raise ValueError("案件编号中的日期无效")
    return value
