"""A search for any part of a column's text, served by an index on both databases.

`~col` in ModelAdmin.search_fields. Only columns with a fragment index (models/search.py)
may use it; admin/base.py refuses the others at start-up. Matching ignores the case of
ASCII letters. A term shorter than MIN_LENGTH searches the start of the text instead
(admin/prefix.py): "1" or "4-" is part of most room numbers, and no index narrows such a
term down (4 s on SQLite at a million rooms).

The condition is `pk IN (SELECT room_id FROM <suffixes> WHERE suffix >= T AND suffix < T')`
with T the upper-cased term: a range on the side table's primary key, on both databases.
For a user who sees only their own organisation's rows (`scoped`) it is `col ILIKE '%t%'`
instead: the scope index bounds that scan to the organisation (20,000 rooms: 5 ms), which is
cheaper than gathering the matches of the whole city from the side table (97 ms).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, and_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from models.search import RoomNumberSuffix

# column (table name, column name) -> (side table model, its key column, the column it points at)
FRAGMENT_INDEXES: dict[tuple[str, str], tuple[Any, str, str]] = {
    ("room", "room_number"): (RoomNumberSuffix, "room_id", "id"),
}
# The side table's copy of the searched text (same values, so the same order).
COPY_COLUMN = "room_number"
MIN_LENGTH = 3
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def has_fragment_index(column: Any) -> bool:
    return (column.table.name, column.key) in FRAGMENT_INDEXES


class FragmentMatch(ColumnElement):
    type = Boolean()
    inherit_cache = False  # the term is not part of the cache key
    # A predicate, not a boolean value: without this SQLAlchemy writes "<condition> = 1" on
    # SQLite, and "room.id IN (...) = 1" is no longer an IN that the planner can drive from.
    _is_implicitly_boolean = True

    def __init__(self, column: Any, term: str, scoped: bool) -> None:
        self.column = column
        self.term = term
        self.scoped = scoped


def fragment_match(column: Any, term: str, *, scoped: bool = False) -> FragmentMatch:
    """`scoped`: the statement is limited to one organisation's rows by an indexed column."""
    if not has_fragment_index(column):
        raise ValueError(f"{column.table.name}.{column.key} has no fragment index (models/search.py)")
    return FragmentMatch(column, term, scoped)


def ascii_upper(text: str) -> str:
    """What SQLite's upper() does: ASCII letters only (the side table is filled with it)."""
    return text.translate(_UPPER)


def _successor(term: str) -> str | None:
    last = ord(term[-1])
    return term[:-1] + chr(last + 1) if term and last < 0x10FFFF else None


def _side(column: Any) -> tuple[Any, Any, Any]:
    """(side table, its key column, the column of `column`'s table it points at)."""
    side, key, target = FRAGMENT_INDEXES[(column.table.name, column.key)]
    return side.__table__, side.__table__.c[key], column.table.c[target]


def _in_range(table: Any, term: str) -> Any:
    term = ascii_upper(term)
    suffix = table.c.suffix
    upper = _successor(term)
    # The range is what the primary key serves; the LIKE keeps the match exact for a term
    # without a successor (never for text people type).
    return and_(suffix >= term, suffix < upper) if upper else suffix.startswith(term, autoescape=True)


@compiles(FragmentMatch)
def _compile(element: FragmentMatch, compiler: Any, **kw: Any) -> str:
    if element.scoped:
        return compiler.process(element.column.icontains(element.term, autoescape=True), **kw)
    table, key, target = _side(element.column)
    return compiler.process(target.in_(select(key).where(_in_range(table, element.term))), **kw)


# ---------------------------------------------------------------- from the side table alone
def matches(column: Any, term: str) -> Any:
    """(_id, _sort) of every row whose `column` contains `term`, once each: the side table's
    key and its copy of the text, read from its primary key without touching the rows."""
    table, key, _target = _side(column)
    copy = table.c[COPY_COLUMN]
    return (select(key.label("_id"), copy.label("_sort")).where(_in_range(table, term))
            .group_by(key, copy).subquery("matches"))
