"""Verification codes (查验码): 100 random bits written as 20 Crockford base32 characters.

The code comes from `secrets`, not from the document number or the database id, so
knowing one document's number or code says nothing about another's. Crockford's alphabet
has no I, L, O or U, and reading a typed code forgives the look-alikes (O→0, I/L→1),
case, spaces and dashes: the code is printed in groups of four.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
BITS = LENGTH * 5  # 100 >= the 80 bits FEATURES §5.2 asks for
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_]+")
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    value = secrets.randbits(BITS)
    chars = []
    for _ in range(LENGTH):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(chars)


def normalize_code(text: str | None) -> str | None:
    """The canonical code for what a person typed or scanned, or None if it cannot be one."""
    if not text or len(text) > 64:
        return None
    code = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    return code if _VALID.match(code) else None


def display_code(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS-TVWX: easier to read aloud and to type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
