"""A search for any part of a column's text, served by an index on both databases.

`~col` in ModelAdmin.search_fields. Only columns with a fragment index (models/search.py)
may use it; admin/base.py refuses the others at start-up. Matching ignores the case of
ASCII letters on both databases. A term shorter than MIN_LENGTH searches the start of the
text instead (admin/prefix.py): "1" or "4-" is part of most room numbers, and neither a
trigram nor a suffix range narrows such a term down (4 s on SQLite at a million rooms).

* PostgreSQL: `col ILIKE '%t%'`, which the pg_trgm GIN index serves (terms of 3 or more
  characters use trigrams; shorter ones still scan the index, not the table).
* SQLite: `pk IN (SELECT room_id FROM <suffixes> WHERE suffix >= T AND suffix < T')` with T
  the upper-cased term: a range on the side table's primary key. For a user who sees only
  their own organisation's rows (`scoped`) it is `col LIKE '%t%'` instead: the scope index
  bounds that scan to the organisation, which is cheaper than gathering the matches of the
  whole city from the side table (20,000 rooms: 5 ms against 97 ms, docs/benchmarks.md).
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


@compiles(FragmentMatch)
def _compile_default(element: FragmentMatch, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.icontains(element.term, autoescape=True), **kw)


@compiles(FragmentMatch, "sqlite")
def _compile_sqlite(element: FragmentMatch, compiler: Any, **kw: Any) -> str:
    if element.scoped:  # SQLite's LIKE ignores the case of ASCII letters, as the side table does
        return compiler.process(element.column.contains(element.term, autoescape=True), **kw)
    side, key, target = FRAGMENT_INDEXES[(element.column.table.name, element.column.key)]
    term = ascii_upper(element.term)
    suffix = side.__table__.c.suffix
    upper = _successor(term)
    # The range is what the primary key serves; the LIKE keeps the match exact for a term
    # without a successor (never for text people type).
    condition = and_(suffix >= term, suffix < upper) if upper else suffix.startswith(term, autoescape=True)
    ids = select(side.__table__.c[key]).where(condition)
    return compiler.process(element.column.table.c[target].in_(ids), **kw)
