"""A prefix search that an index can serve on every database we run on.

`col LIKE 'x%'` uses a btree only under byte-order collations, and SQLite never uses one
for the `LIKE ? || '%' ESCAPE '/'` that SQLAlchemy writes. So where the column compares
bytewise (SQLite's default BINARY, or PostgreSQL's COLLATE "C") the match is also written as
the range `term <= col < successor(term)`, which any btree serves; the LIKE stays as the
exact test. Elsewhere (a linguistic collation) only the LIKE is written, because there the
range would not be the same set of rows. Measured in docs/benchmarks.md (F1, F5).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class PrefixMatch(ColumnElement):
    type = Boolean()
    # The term is not part of the statement's cache key, so statements holding it are not cached.
    inherit_cache = False
    # A predicate: otherwise SQLAlchemy appends "= 1" to it on SQLite (no native booleans).
    _is_implicitly_boolean = True

    def __init__(self, column: Any, term: str) -> None:
        self.column = column
        self.term = term


def prefix_match(column: Any, term: str) -> PrefixMatch:
    return PrefixMatch(column, term)


def _successor(term: str) -> str | None:
    last = ord(term[-1])
    return term[:-1] + chr(last + 1) if term and last < 0x10FFFF else None


def _like(element: PrefixMatch) -> Any:
    return element.column.startswith(element.term, autoescape=True)


def _with_range(element: PrefixMatch) -> Any:
    upper = _successor(element.term)
    if upper is None:
        return _like(element)
    return and_(element.column >= element.term, element.column < upper, _like(element))


@compiles(PrefixMatch)
def _compile_default(element: PrefixMatch, compiler: Any, **kw: Any) -> str:
    return compiler.process(_like(element), **kw)


@compiles(PrefixMatch, "sqlite")
def _compile_sqlite(element: PrefixMatch, compiler: Any, **kw: Any) -> str:
    return compiler.process(_with_range(element), **kw)


@compiles(PrefixMatch, "postgresql")
def _compile_postgresql(element: PrefixMatch, compiler: Any, **kw: Any) -> str:
    impl = element.column.type.dialect_impl(compiler.dialect)
    bytewise = getattr(impl, "collation", None) == "C"
    return compiler.process(_with_range(element) if bytewise else _like(element), **kw)
