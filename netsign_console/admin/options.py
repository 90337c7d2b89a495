"""Small declarative pieces used in ModelAdmin options: filters and bulk actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

# Filter kinds; "" means "infer from the column" (enum/bool -> choice, date -> range, fk -> picker).
CHOICE, DATE_RANGE, FK_PICK, TEXT_EQ = "choice", "date_range", "fk", "text"


@dataclass(frozen=True)
class Filter:
    column: str
    kind: str = ""
    label: str = ""
    # Static (code, label) pairs, or a callable returning them (evaluated per request).
    choices: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] | None = None


def DateRange(column: str, label: str = "") -> Filter:  # noqa: N802  reads like a class in options
    return Filter(column, DATE_RANGE, label)


@dataclass(frozen=True)
class Notice:
    """A result shown once, in a dialog that stays until the user closes it (not a toast that
    fades): e.g. one-time passwords. `secrets` are (whose, value) rows, shown large."""

    text: str
    secrets: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BulkAction:
    """An action on the rows ticked in a list.

    `run(session, principal, objects) -> str | Notice` gets the scoped, permission-checked
    objects (never ids from the browser) inside one transaction and returns a Chinese
    summary (a toast) or a Notice (a dialog).
    """

    name: str
    label: str
    run: Callable[[Any, Any, list[Any]], "str | Notice"]
    confirm: str = ""
    # None: the admin's edit permission.
    perm: Any = None
