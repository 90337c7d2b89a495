"""Validators for master-data fields that the shared domain validators do not cover."""

from __future__ import annotations

import re

from netsign_console.domain.validators import normalize_mobile

_LANDLINE = re.compile(r"^(0[0-9]{2,3}-?)?[0-9]{7,8}(-[0-9]{1,6})?$", re.ASCII)
_ACCOUNT = re.compile(r"^[0-9]{8,32}$", re.ASCII)

# Changsha's districts and counties, for the project form's hint and the demo data.
DEVELOPER_ORGS = {"org_type": "developer"}
BANK_ORGS = {"org_type": "bank"}


def normalize_phone(s: str) -> str:
    """A mobile number, or a landline such as 0731-88665000 / 84529160 (extension allowed)."""
    compact = re.sub(r"\s", "", s or "")
    if not compact:
        raise ValueError("联系电话不能为空")
    if _LANDLINE.match(compact):
        return compact
    try:
        return normalize_mobile(compact)
    except ValueError:
        raise ValueError("联系电话格式不正确，应为手机号或固定电话（如0731-88665000）") from None


def normalize_account_number(s: str) -> str:
    """A bank account number: 8-32 digits; spaces and '-' as typed from a passbook are removed."""
    compact = re.sub(r"[\s\-]", "", s or "")
    if not _ACCOUNT.match(compact):
        raise ValueError("监管账号应为8至32位数字")
    return compact
