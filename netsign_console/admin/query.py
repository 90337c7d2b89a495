"""The server-side list: row scope, search, filters, whitelisted sort with the primary key
as tie-break, offset or keyset pages, a count per mode, only the displayed columns (foreign
keys through one join to their label column), formatted to plain strings."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Iterator, Mapping
from urllib.parse import urlencode

from sqlalchemy import Select, false, func, or_, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ClauseElement, Executable
from sqlmodel import Session

from netsign_console.admin.fragment import MIN_LENGTH as FRAGMENT_MIN, fragment_match
from netsign_console.admin.prefix import prefix_match
from netsign_console.admin.columns import BOOL, DATE, DATETIME, DECIMAL, ENUM, FK, INT, TEXT, TEXTAREA
from netsign_console.admin.formatting import format_value, json_safe, local_zone, mask_value
from netsign_console.admin.options import CHOICE, DATE_RANGE, FK_PICK, TEXT_EQ, Filter
from netsign_console.auth.permissions import scope_org_ids
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.db import session_scope

ESTIMATE_CAP = 10_000
ESTIMATED = "约"  # how count_rows labels a PostgreSQL estimate (above ESTIMATE_CAP)
MAX_SEARCH_TERMS = 5
MAX_PAGE = 1_000_000


@dataclass
class ListParams:
    search: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = ""  # "name" or "-name"; anything not whitelisted falls back to the default
    page: int = 1
    cursor: str = ""  # keyset position after the previous page's last row

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ListParams":
        filters = {k[2:]: str(v) for k, v in query.items() if k.startswith("f_") and str(v) != ""}
        try:
            page = max(1, min(MAX_PAGE, int(query.get("page", 1) or 1)))
        except ValueError:
            page = 1
        return cls(str(query.get("q", "")), filters, str(query.get("sort", "")), page, str(query.get("cursor", "")))

    def to_query(self) -> str:
        pairs = [("q", self.search), ("sort", self.sort)] + [(f"f_{k}", v) for k, v in sorted(self.filters.items())]
        return urlencode([(k, v) for k, v in pairs if v])


@dataclass
class ListResult:
    columns: list[tuple[str, str]]
    rows: list[dict[str, str]]
    page: int
    page_size: int
    total: int | None
    total_label: str
    has_next: bool
    next_cursor: str
    sort: str


def filter_kind(admin: Any, spec: Filter) -> str:
    if spec.kind:
        return spec.kind
    if spec.choices is not None:
        return CHOICE
    return admin.columns[spec.column].column_kind.filter or TEXT_EQ


def filter_choices(admin: Any, spec: Filter) -> list[tuple[str, str]]:
    if spec.choices is not None:
        return list(spec.choices() if callable(spec.choices) else spec.choices)
    info = admin.columns[spec.column]
    if info.kind == ENUM:
        return info.enum.choices()
    if info.kind == BOOL:
        return [("1", "是"), ("0", "否")]
    return []


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _int(text: str) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def apply_filters(admin: Any, stmt: Select, params: ListParams) -> Select:
    model = admin.model
    for spec in admin.filter_specs():
        col = getattr(model, spec.column)
        info = admin.columns[spec.column]
        kind = filter_kind(admin, spec)
        if kind == DATE_RANGE:
            start, end = _day(params.filters.get(f"{spec.column}__from", "")), _day(params.filters.get(f"{spec.column}__to", ""))
            if info.kind == DATETIME:
                zone = local_zone()
                if start:
                    stmt = stmt.where(col >= datetime.combine(start, time(), tzinfo=zone))
                if end:
                    stmt = stmt.where(col < datetime.combine(end + timedelta(days=1), time(), tzinfo=zone))
            else:
                if start:
                    stmt = stmt.where(col >= start)
                if end:
                    stmt = stmt.where(col <= end)
            continue
        value = params.filters.get(spec.column, "")
        if value == "":
            continue
        if info.kind == BOOL:
            if value in ("1", "0"):
                stmt = stmt.where(col.is_(value == "1"))
        elif info.kind == FK and not info.fk_int:
            stmt = stmt.where(col == value)
        elif info.kind in (FK, INT):
            number = _int(value)
            if number is not None:
                stmt = stmt.where(col == number)
        elif info.kind == ENUM:
            if value in {c for c, _ in info.enum.choices()}:
                stmt = stmt.where(col == value)
        else:
            stmt = stmt.where(col == value)
    return stmt


def apply_search(admin: Any, stmt: Select, text: str, *, scoped: bool = False) -> Select:
    terms = (text or "").split()[:MAX_SEARCH_TERMS]
    if not terms or not admin.search_fields:
        return stmt
    for term in terms:
        conditions = []
        for spec in admin.search_fields:
            name = spec.lstrip("^=~")
            col = getattr(admin.model, name)
            info = admin.columns[name]
            if info.kind == ENUM:
                codes = [c for c, label in info.enum.choices() if term in label or term == c]
                if codes:
                    conditions.append(col.in_(codes))
            elif spec.startswith("^"):
                conditions.append(prefix_match(col, term))  # an index can serve it (admin/prefix.py)
            elif spec.startswith("~") and len(term) < FRAGMENT_MIN:
                conditions.append(prefix_match(col, term))  # too short to narrow anything down
            elif spec.startswith("~"):
                conditions.append(fragment_match(col, term, scoped=scoped))  # any part (admin/fragment.py)
            elif spec.startswith("="):
                conditions.append(col == term)
            elif info.kind in (TEXT, TEXTAREA):
                conditions.append(col.icontains(term, autoescape=True))
        extra = getattr(admin, "search_conditions", None)
        conditions += extra(term) if extra is not None else []
        stmt = stmt.where(or_(*conditions)) if conditions else stmt.where(false())
    return stmt


def resolve_sort(admin: Any, sort: str) -> tuple[str, bool]:
    name, desc = sort.lstrip("-"), sort.startswith("-")
    if not sort or (name not in admin.sort_fields and name != admin.pk):
        name, desc = admin.default_sort.lstrip("-"), admin.default_sort.startswith("-")
    return name, desc


def filtered_select(admin: Any, principal: Principal, params: ListParams) -> Select:
    """The scoped, searched, filtered statement over the model (columns chosen later)."""
    if not admin.has_view_permission(principal):
        raise PermissionDenied(f"您没有查看“{admin.title}”的权限")
    stmt = admin.get_list_query(principal)
    stmt = apply_filters(admin, stmt, params)
    scoped = bool(admin.org_field) and scope_org_ids(principal) is not None
    return apply_search(admin, stmt, params.search, scoped=scoped)


def display_select(admin: Any, stmt: Select, sort_name: str) -> tuple[Select, Any]:
    model = admin.model
    pk = getattr(model, admin.pk)
    cols = [pk.label("_id")]
    joins = []
    sort_expr = getattr(model, sort_name)
    for name in admin.list_columns:
        info = admin.columns[name]
        if info.kind == FK:
            target = aliased(info.fk_model)
            label_col = getattr(target, info.fk_label)
            cols.append(label_col.label(name))
            joins.append((target, getattr(target, info.fk_target) == getattr(model, name)))
            if name == sort_name:
                sort_expr = label_col
        else:
            cols.append(getattr(model, name).label(name))
    cols.append(sort_expr.label("_sort"))
    out = stmt.with_only_columns(*cols).select_from(model)
    for target, onclause in joins:
        out = out.outerjoin(target, onclause)
    return out, sort_expr


def _keyset_ok(admin: Any, sort_name: str) -> bool:
    info = admin.columns[sort_name]
    return sort_name == admin.pk or (info.kind != FK and not info.nullable)


def _encode_cursor(sort_name: str, desc: bool, value: Any, pk: Any) -> str:
    raw = json.dumps([sort_name, desc, json_safe(value), json_safe(pk)], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _typed(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == INT:
        return int(value)
    if kind == DECIMAL:
        return Decimal(str(value))
    if kind == DATE:
        return date.fromisoformat(value)
    if kind == DATETIME:
        return datetime.fromisoformat(value)
    if kind == BOOL:
        return bool(value)
    return str(value)


def _decode_cursor(admin: Any, cursor: str, sort_name: str, desc: bool) -> tuple[Any, Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, cur_desc, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if name != sort_name or bool(cur_desc) != desc:
            return None
        return _typed(admin.columns[sort_name].kind, value), _typed(admin.columns[admin.pk].kind, pk)
    except (ValueError, TypeError, KeyError):
        return None


def format_cell(admin: Any, name: str, raw: Any, row: Mapping[str, Any] | None = None) -> str:
    info = admin.columns[name]
    formatter = admin.column_formatters.get(name)
    if formatter is not None:
        return formatter(raw, row or {})
    if name in admin.masked_fields:
        return mask_value(name, raw, admin.validators.get(name))
    if info.kind == FK:
        return "" if raw is None else str(raw)
    return format_value(info, raw)


def format_row(admin: Any, row: Any) -> dict[str, str]:
    mapping = row._mapping
    out = {"_id": str(mapping["_id"])}
    for name in admin.list_columns:
        out[name] = format_cell(admin, name, mapping[name], mapping)
    return out


def count_rows(session: Session, admin: Any, stmt: Select) -> tuple[int | None, str]:
    mode = admin.count_mode
    if mode == "none":
        return None, ""
    pk = getattr(admin.model, admin.pk)
    ids = stmt.with_only_columns(pk).order_by(None)
    if mode == "exact":
        total = session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()
        return total, f"共 {total} 条"
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        estimate = _pg_estimate(session, admin, ids)
        if estimate is not None and estimate > ESTIMATE_CAP:
            return estimate, f"{ESTIMATED} {estimate} 条"
    capped = session.execute(select(func.count()).select_from(ids.limit(ESTIMATE_CAP + 1).subquery())).scalar_one()
    if capped > ESTIMATE_CAP:
        return capped, f"共 {ESTIMATE_CAP}+ 条"
    return capped, f"共 {capped} 条"


class _Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) <select>, compiled with the select's own bound parameters."""

    inherit_cache = False

    def __init__(self, stmt: Select) -> None:
        self.stmt = stmt


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.stmt, **kw)


def _pg_estimate(session: Session, admin: Any, ids: Select) -> int | None:
    conn = session.connection()
    if ids.whereclause is None:
        value = conn.exec_driver_sql(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %(t)s::regclass", {"t": admin.model.__tablename__}
        ).scalar()
        return int(value) if value is not None and value >= 0 else None
    return planned_rows(session, ids)


def planned_rows(session: Session, stmt: Select) -> int:
    """PostgreSQL's estimate of the rows `stmt` returns (EXPLAIN, nothing is run)."""
    plan = session.connection().execute(_Explain(stmt)).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def ordered_select(admin: Any, principal: Principal, params: ListParams) -> tuple[Select, str, bool, Any]:
    stmt = filtered_select(admin, principal, params)
    sort_name, desc = resolve_sort(admin, params.sort)
    display, sort_expr = display_select(admin, stmt, sort_name)
    pk = getattr(admin.model, admin.pk)
    order = [sort_expr.desc() if desc else sort_expr.asc()]
    if sort_name != admin.pk:
        order.append(pk.desc() if desc else pk.asc())
    return display.order_by(*order), sort_name, desc, stmt


def fragment_searched(admin: Any, params: ListParams) -> bool:
    """Some term of the search is looked for in any part of a text (admin/search_pages.py)."""
    return (any(len(t) >= FRAGMENT_MIN for t in params.search.split())
            and any(spec.startswith("~") for spec in admin.search_fields))


def _ordered_page(admin: Any, display: Select, sort_name: str, desc: bool, keyset: tuple | None,
                  page: int, size: int) -> Select:
    if keyset is None:
        return display.offset((page - 1) * size).limit(size + 1)
    value, last_pk = keyset
    col, pk = getattr(admin.model, sort_name), getattr(admin.model, admin.pk)
    if sort_name == admin.pk:
        return display.where(pk < last_pk if desc else pk > last_pk).limit(size + 1)
    # A row-value comparison is an index range on SQLite and PostgreSQL; the equivalent
    # `col > v OR (col = v AND id > k)` is a filter over everything before the page.
    after = tuple_(col, pk) < tuple_(value, last_pk) if desc else tuple_(col, pk) > tuple_(value, last_pk)
    return display.where(after).limit(size + 1)


def list_records(admin: Any, principal: Principal, params: ListParams, *, url: str | None = None) -> ListResult:
    from netsign_console.admin.base import admin_for

    admin = admin_for(admin)
    size = admin.page_size
    with session_scope(url) as session:
        display, sort_name, desc, filtered = ordered_select(admin, principal, params)
        keyset = _decode_cursor(admin, params.cursor, sort_name, desc) if params.cursor and params.page > 1 else None
        if keyset is not None and not _keyset_ok(admin, sort_name):
            keyset = None
        counted, page_stmt = None, None
        if fragment_searched(admin, params):
            from netsign_console.admin.search_pages import search_page

            counted, page_stmt = search_page(session, admin, principal, params, filtered, sort_name, desc, keyset)
        if page_stmt is None:
            page_stmt = _ordered_page(admin, display, sort_name, desc, keyset, params.page, size)
        rows = session.execute(page_stmt).all()
        has_next = len(rows) > size
        rows = rows[:size]
        total, label = counted or count_rows(session, admin, filtered)
        next_cursor = ""
        if has_next and rows and _keyset_ok(admin, sort_name):
            last = rows[-1]._mapping
            next_cursor = _encode_cursor(sort_name, desc, last["_sort"], last["_id"])
        shown = [format_row(admin, r) for r in rows]
        annotate = getattr(admin, "annotate_rows", None)
        if annotate is not None:
            annotate(session, shown)
        return ListResult(
            columns=[(n, admin.label(n)) for n in admin.list_columns],
            rows=shown,
            page=params.page,
            page_size=size,
            total=total,
            total_label=label,
            has_next=has_next,
            next_cursor=next_cursor,
            sort=("-" if desc else "") + sort_name,
        )


def iter_display_rows(session: Session, admin: Any, principal: Principal, params: ListParams, chunk: int = 1000) -> Iterator[dict[str, str]]:
    """Every row of the filtered list, streamed (exports)."""
    display, *_ = ordered_select(admin, principal, params)
    result = session.execute(display.execution_options(yield_per=chunk))
    for row in result:
        yield format_row(admin, row)
