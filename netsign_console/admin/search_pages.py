"""Pages of a search for any part of a text (`~col`, admin/fragment.py), chosen among the
matches instead of by walking the sort index.

Planners assume the matches are spread evenly over the sort index and walk it expecting the
first page soon, but "3-05" sits half-way down a million room numbers (540,000 rows read,
0.8 s on PostgreSQL). So the page is picked among the gathered matches, which costs what the
matches cost, never where they sit in the order; only the page's rows are joined to what the
list shows. Two sources of matches:

* the side table alone (fragment.matches), when the list is just "every row containing one
  term, in the order of that text": count and page come from its primary key;
* otherwise (filters, a scope, another sort) the filtered rows themselves, after counting
  them, when there are not too many (COLLECT_LIMIT); beyond that the matches are dense and
  the ordinary ordered page is left to the planner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlmodel import Session

from netsign_console.admin.columns import FK
from netsign_console.admin.fragment import MIN_LENGTH, matches
from netsign_console.admin.query import (
    ESTIMATE_CAP, ESTIMATED, ListParams, count_rows, display_select, planned_rows,
)
from netsign_console.auth.principal import Principal

# Gathering the filtered rows pays per match; PostgreSQL's estimate says how many there are.
COLLECT_LIMIT = 100_000


def search_page(session: Session, admin: Any, principal: Principal, params: ListParams, filtered: Select,
                sort_name: str, desc: bool, keyset: tuple | None) -> tuple[tuple[int | None, str] | None, Select | None]:
    """(count, page statement); a None page means the ordinary ordered page (count reused if given)."""
    size = admin.page_size
    offset = (params.page - 1) * size
    side = _side_table_search(admin, principal, params, sort_name)
    if side is not None:
        return _count_matches(session, admin, side), _collected_page(admin, side, sort_name, desc, keyset, offset,
                                                                     size + 1)
    if admin.columns[sort_name].kind == FK:
        return None, None  # the sort key is a joined label: nothing to gather it from
    counted = count_rows(session, admin, filtered)
    total, label = counted
    few = total is not None and (total <= ESTIMATE_CAP or (label.startswith(ESTIMATED) and total <= COLLECT_LIMIT))
    if not few:
        return counted, None
    return counted, _collected_page(admin, _gathered(admin, filtered, sort_name), sort_name, desc, keyset, offset,
                                    size + 1)


def _collected_page(admin: Any, matched: Any, sort_name: str, desc: bool, keyset: tuple | None,
                    offset: int, limit: int) -> Select:
    """The page's ids chosen among `matched` (a subquery of (_id, _sort)) by offset or keyset,
    then only those rows read with the list's columns, in the list's order."""
    model = admin.model
    pk = getattr(model, admin.pk)
    key = (matched.c._id,) if sort_name == admin.pk else (matched.c._sort, matched.c._id)
    ids = select(matched.c._id).order_by(*[k.desc() if desc else k.asc() for k in key])
    if keyset is not None:
        value, last_pk = keyset
        after = (last_pk,) if sort_name == admin.pk else (value, last_pk)
        ids = ids.where(tuple_(*key) < tuple_(*after) if desc else tuple_(*key) > tuple_(*after))
    else:
        ids = ids.offset(offset)
    display, sort_expr = display_select(admin, select(model).where(pk.in_(ids.limit(limit))), sort_name)
    order = [sort_expr.desc() if desc else sort_expr.asc()]
    if sort_name != admin.pk:
        order.append(pk.desc() if desc else pk.asc())
    return display.order_by(*order)


def _gathered(admin: Any, filtered: Select, sort_name: str) -> Any:
    """(_id, _sort) of the filtered rows. OFFSET 0 keeps the subquery from being merged into
    an ordered walk of the sort index: its own index (the search's) finds the rows."""
    pk, col = getattr(admin.model, admin.pk), getattr(admin.model, sort_name)
    return filtered.with_only_columns(pk.label("_id"), col.label("_sort")).order_by(None).offset(0).subquery()


def _side_table_search(admin: Any, principal: Principal, params: ListParams, sort_name: str) -> Any | None:
    """The side table's matches when the list is only "every row containing one term, in the
    order of that text": then they answer count and page by themselves (fragment.matches)."""
    terms = params.search.split()
    if len(terms) != 1 or len(terms[0]) < MIN_LENGTH or params.filters:
        return None
    if tuple(admin.search_fields) != (f"~{sort_name}",):
        return None
    if admin.get_list_query(principal).whereclause is not None:  # a scope or a condition of the admin
        return None
    return matches(admin.model.__table__.c[sort_name], terms[0])


def _count_matches(session: Session, admin: Any, matched: Any) -> tuple[int | None, str]:
    if admin.count_mode == "none":
        return None, ""
    ids = select(matched.c._id)
    if admin.count_mode == "exact":
        total = session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()
        return total, f"共 {total} 条"
    if session.get_bind().dialect.name == "postgresql":
        # Many matches: the estimate, as count_rows gives for other lists (counting them would
        # first have to set aside the rooms that hold the term twice: 90 ms for 90,000).
        estimate = planned_rows(session, ids)
        if estimate > ESTIMATE_CAP:
            return estimate, f"{ESTIMATED} {estimate} 条"
    capped = session.execute(select(func.count()).select_from(ids.limit(ESTIMATE_CAP + 1).subquery())).scalar_one()
    return capped, f"共 {ESTIMATE_CAP}+ 条" if capped > ESTIMATE_CAP else f"共 {capped} 条"
