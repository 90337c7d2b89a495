"""Small declarative pieces used in ModelAdmin options: filters, file rules and bulk actions."""

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


SCAN_TYPES = ("pdf", "jpg", "jpeg", "png")
SCAN_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileRule:
    """What an upload into one file column may be (ModelAdmin.file_rules). The content is always
    checked against its type (a .png must start like a PNG); `check(data)` may refuse more
    (raise ValueError with a Chinese message), e.g. an image's pixel size. `max_bytes` may be a
    callable so a setting is read when the file arrives, not at import."""

    types: tuple[str, ...] = SCAN_TYPES
    max_bytes: int | Callable[[], int] = SCAN_MAX_BYTES
    check: Callable[[bytes], None] | None = None

    @property
    def limit(self) -> int:
        return self.max_bytes() if callable(self.max_bytes) else self.max_bytes

    @property
    def hint(self) -> str:
        size = self.limit
        shown = f"{size // 1024 // 1024}MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)}KB"
        names = "、".join(dict.fromkeys("JPG" if t in ("jpg", "jpeg") else t.upper() for t in self.types))
        return f"支持{names}，最大{shown}；文件保存在非公开目录，仅有权限的用户可查看。"


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
