"""One code from a code list (models.enums), with a Chinese refusal for anything else.

The rule modules take either the enum member or its code string, so a caller holding a
database value needs no conversion; an unknown code is a ValueError a person can read.
"""

from __future__ import annotations

from typing import TypeVar

from models.enums import LabeledEnum

__all__ = ["parse_choice"]

E = TypeVar("E", bound=LabeledEnum)


def parse_choice(enum: type[E], value: object, label: str) -> E:
    """The member of ``enum`` whose code is ``value`` (members pass through)."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = "、".join(f"{m.value}（{m.label}）" for m in enum)
        raise ValueError(f"{label}“{value}”无效，可选：{allowed}") from None
