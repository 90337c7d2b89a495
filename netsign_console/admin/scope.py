"""Row scope: which rows a principal may see, as a SQL clause and as a check on one row.

`org_field` is either a column holding the organisation id ("organization_id") or a path
through one foreign key ("project_id.developer_org_id"), evaluated as a sub-select so the
list query needs no join.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, select
from sqlalchemy.sql.elements import ColumnElement

from netsign_console.admin.columns import model_for_table
from netsign_console.auth.permissions import scope_org_ids
from netsign_console.auth.principal import Principal


def _split(model: type, org_field: str):
    head, _, tail = org_field.partition(".")
    column = getattr(model, head)
    if not tail:
        return column, None, None
    fk = next(iter(model.__table__.c[head].foreign_keys))
    target = model_for_table(model, fk.column.table)
    return column, target, tail


def scope_clause(model: type, org_field: str | None, principal: Principal) -> ColumnElement | None:
    """None: no restriction (the regulator's side, or a model without row scope)."""
    if not org_field:
        return None
    ids = scope_org_ids(principal)
    if ids is None:
        return None
    if not ids:
        return false()
    column, target, tail = _split(model, org_field)
    if target is None:
        return column.in_(ids)
    target_pk = next(iter(target.__table__.primary_key.columns))
    return column.in_(select(target_pk).where(getattr(target, tail).in_(ids)))


def target_scope_clause(model: type, principal: Principal) -> ColumnElement | None:
    """Scope of a foreign key's target model, from its `__org_scope__` (pickers, FK checks)."""
    return scope_clause(model, getattr(model, "__org_scope__", None), principal)


def forced_org_value(org_field: str | None, principal: Principal) -> Any:
    """The value a user who sees only their own organisation must have in a direct org column."""
    if not org_field or "." in org_field or principal.sees_all_organizations:
        return None
    return principal.org_id


def pickable_targets(admin: Any, principal: Principal, column: str):
    """(select(key, label), key, label): the rows of a foreign key's target this user may pick
    for `column` — the target's own row scope, the admin's fk_filters, and for the forced
    organisation column only the user's own organisation. Pickers, imports and the save-time
    check all use this one query, so they can never disagree."""
    info = admin.columns[column]
    target = info.fk_model
    key, label = getattr(target, info.fk_target), getattr(target, info.fk_label)
    stmt = select(key, label)
    clause = target_scope_clause(target, principal)
    if clause is not None:
        stmt = stmt.where(clause)
    forced = forced_org_value(admin.org_field, principal)
    if column == admin.org_field and forced is not None:
        stmt = stmt.where(key == forced)
    for col, expected in admin.fk_filters.get(column, {}).items():
        stmt = stmt.where(getattr(target, col) == expected)
    return stmt, key, label
