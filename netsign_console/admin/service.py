"""Create, read, update, delete: one transaction each, permission and row scope checked
inside, audited. The UI and the HTTP routes call only these functions.

A row outside the user's scope is reported exactly like a missing one
("记录不存在或无权访问"), so guessing ids reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from sqlalchemy import UniqueConstraint, and_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.audit import AuditAction
from netsign_console.admin import files
from netsign_console.admin.audit import diff, record_event, snapshot
from netsign_console.admin.base import ModelAdmin, admin_for
from netsign_console.admin.columns import FILE, FK, INT
from netsign_console.admin.dependents import count_dependents, refusal_message
from netsign_console.errors import ActionRefused, ValidationFailed
from netsign_console.admin.formatting import format_value, mask_value
from netsign_console.admin.forms import FieldSpec, field_specs, parse_submission, to_form_value
from netsign_console.admin.options import BulkAction, Notice
from netsign_console.admin.scope import forced_org_value, pickable_targets
from netsign_console.errors import NOT_FOUND, PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.db import session_scope

FK_PICK_LIMIT = 20


@dataclass
class FormView:
    record_id: str
    fields: list[FieldSpec]
    values: dict[str, str]  # what the inputs hold
    display: dict[str, str]  # formatted text (read-only fields, foreign-key labels)
    can_edit: bool
    can_delete: bool


@dataclass
class DeletePreview:
    record_id: str
    label: str
    dependents: list[tuple[str, int]] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.dependents)

    @property
    def message(self) -> str:
        return refusal_message(self.dependents) if self.dependents else f"确定删除“{self.label}”吗？删除后不能恢复。"


# ---------------------------------------------------------------- reading
def require_view(admin: ModelAdmin, principal: Principal | None) -> None:
    if principal is None:
        raise PermissionDenied("请先登录")
    if not admin.has_view_permission(principal):
        raise PermissionDenied(f"您没有查看“{admin.title}”的权限")


def _pk_value(admin: ModelAdmin, record_id: Any) -> Any:
    if admin.columns[admin.pk].kind in (INT, FK):
        try:
            return int(str(record_id))
        except ValueError:
            raise PermissionDenied(NOT_FOUND) from None
    return str(record_id)


def load_scoped(session: Session, admin: ModelAdmin, principal: Principal, record_id: Any) -> Any:
    """The record if this user may see it (through get_list_query: scope and overrides)."""
    require_view(admin, principal)
    if admin.single_object:
        record_id = admin.get_object_id(principal)
        if record_id is None:
            raise PermissionDenied(NOT_FOUND)
    pk = getattr(admin.model, admin.pk)
    obj = session.execute(admin.get_list_query(principal).where(pk == _pk_value(admin, record_id))).scalars().first()
    if obj is None:
        raise PermissionDenied(NOT_FOUND)
    return obj


def record_label(admin: ModelAdmin, obj: Any) -> str:
    for name in ("name", "display_name", "title", "number", "account_name"):
        if name in admin.columns and getattr(obj, name, None):
            return str(getattr(obj, name))
    return f"{admin.noun}{getattr(obj, admin.pk)}"


def fk_label(session: Session, admin: ModelAdmin, column: str, value: Any) -> str:
    info = admin.columns[column]
    if value is None:
        return ""
    target = info.fk_model
    label = session.execute(
        select(getattr(target, info.fk_label)).where(getattr(target, info.fk_target) == value)
    ).scalar()
    return "" if label is None else str(label)


def get_form(admin: Any, principal: Principal, record_id: Any = None, *, url: str | None = None) -> FormView:
    admin = admin_for(admin)
    require_view(admin, principal)
    creating = record_id in (None, "", "new") and not admin.single_object
    with session_scope(url) as session:
        if creating:
            if not admin.has_create_permission(principal):
                raise PermissionDenied(f"您没有新增“{admin.title}”的权限")
            obj, can_edit, can_delete = admin.new_object(), True, False
        else:
            obj = load_scoped(session, admin, principal, record_id)
            can_edit = admin.has_edit_permission(principal, obj)
            can_delete = admin.has_delete_permission(principal, obj)
        specs = field_specs(admin, principal, None if creating else obj)
        values, display, whole = {}, {}, []
        for spec in specs:
            info, raw = admin.columns[spec.name], getattr(obj, spec.name, None)
            masked = spec.name in admin.masked_fields and raw not in (None, "")
            if masked and spec.readonly:
                values[spec.name] = display[spec.name] = mask_value(spec.name, raw, admin.validators.get(spec.name))
                continue
            if masked:
                whole.append(spec.name)
            values[spec.name] = to_form_value(info, raw)
            formatter = admin.column_formatters.get(spec.name)
            if formatter is not None:
                display[spec.name] = formatter(raw, {n: getattr(obj, n, None) for n in admin.columns})
            elif info.kind == FK:
                display[spec.name] = fk_label(session, admin, spec.name, raw)
            else:
                display[spec.name] = format_value(info, raw)
        if whole:  # FEATURES §5.8: every whole view of personal data is logged
            record_event(session, principal, AuditAction.VIEW_PERSONAL, admin.model.__tablename__,
                         getattr(obj, admin.pk), {"_summary": "查看完整信息：" + "、".join(admin.label(n) for n in whole)})
        rid = "" if creating else str(getattr(obj, admin.pk))
        return FormView(rid, specs, values, display, can_edit, can_delete)


# ---------------------------------------------------------------- checks before saving
def check_foreign_keys(session: Session, admin: ModelAdmin, principal: Principal, values: Mapping[str, Any]) -> dict[str, str]:
    errors = {}
    for name, value in values.items():
        info = admin.columns[name]
        if info.kind != FK or value is None:
            continue
        stmt, key, _ = pickable_targets(admin, principal, name)
        if session.execute(stmt.where(key == value)).first() is None:
            errors[name] = f"所选{info.label}不存在或无权访问"
    return errors


def check_unique(session: Session, admin: ModelAdmin, obj: Any, values: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    model, table = admin.model, admin.model.__table__
    pk = getattr(model, admin.pk)
    own_pk = getattr(obj, admin.pk, None)
    groups = [([c.key], None) for c in table.c if c.unique]
    groups += [([c.key for c in con.columns], con) for con in table.constraints if isinstance(con, UniqueConstraint)]
    for cols, _ in groups:
        if not any(c in values for c in cols):
            continue
        current = {c: values.get(c, getattr(obj, c, None)) for c in cols}
        if any(v is None for v in current.values()):
            continue
        stmt = select(pk).where(and_(*[getattr(model, c) == v for c, v in current.items()]))
        if own_pk is not None:
            stmt = stmt.where(pk != own_pk)
        if session.execute(stmt.limit(1)).first() is None:
            continue
        # Report it on a field the user edits (not the forced organisation column) if there is one.
        candidates = [c for c in cols if c in values and c not in errors]
        target = next((c for c in candidates if c != admin.org_field), candidates[0] if candidates else None)
        if target is None:
            continue
        if len(cols) == 1:
            errors[target] = f"{admin.label(target)}“{current[target]}”已存在"
        else:
            errors[target] = "已存在相同" + "、".join(admin.label(c) for c in cols) + "的记录"
    return errors


def _claim_files(admin: ModelAdmin, principal: Principal, obj: Any, values: dict[str, Any], errors: dict[str, str]) -> None:
    for name in list(values):
        if admin.columns[name].kind != FILE:
            continue
        value = values[name]
        if value == getattr(obj, name, None):
            values.pop(name)  # unchanged
            continue
        if value in (None, ""):
            continue  # cleared
        try:
            values[name] = files.claim_staged(value, principal, admin.model.__tablename__)
        except files.FileRefused as exc:
            errors[name] = str(exc)


def validate_values(session: Session, admin: ModelAdmin, principal: Principal, obj: Any, specs: list[FieldSpec],
                    data: Mapping[str, Any], *, creating: bool, lenient: bool = False,
                    partial: bool | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse, force the row-scope column, check foreign keys (exist and in scope) and uniqueness."""
    values, errors = parse_submission(admin, specs, data, partial=(not creating) if partial is None else partial,
                                      lenient=lenient)
    forced = forced_org_value(admin.org_field, principal)
    if creating and forced is not None:
        values[admin.org_field] = forced
    errors.update({k: v for k, v in check_foreign_keys(session, admin, principal, values).items() if k not in errors})
    errors.update({k: v for k, v in check_unique(session, admin, obj, values).items() if k not in errors})
    return values, errors


def _apply(session: Session, admin: ModelAdmin, principal: Principal, obj: Any, specs: list[FieldSpec],
           data: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    values, errors = validate_values(session, admin, principal, obj, specs, data, creating=creating)
    if errors:
        raise ValidationFailed(errors)
    _claim_files(admin, principal, obj, values, errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(obj, name, value)
    admin.apply_computed(session, obj)
    admin.before_save(session, principal, obj, values)
    session.add(obj)
    try:
        session.flush()
    except IntegrityError:
        raise ActionRefused("保存失败：数据与已有记录冲突，请检查后重试") from None
    return values


def _tracked(admin: ModelAdmin, specs: list[FieldSpec]) -> list[str]:
    names = [s.name for s in specs]
    if admin.org_field and "." not in admin.org_field and admin.org_field not in names:
        names.append(admin.org_field)
    return names


# ---------------------------------------------------------------- embedded forms
def _embedded_specs(admin: ModelAdmin, principal: Principal, obj: Any, fields: list[str], readonly, required,
                    editable: bool) -> list[FieldSpec]:
    specs = field_specs(admin, principal, obj, fields=fields, readonly=readonly, editable=editable)
    for spec in specs:
        if spec.name in required and not spec.readonly:
            spec.required = True
    return specs


def embedded_form(session: Session, admin: Any, principal: Principal, obj: Any, *, fields: list[str],
                  readonly: list[str] = (), required: list[str] = (), editable: bool) -> FormView:
    """The form of one record inside another screen (a case's sub-task): `fields` only, editable
    when the caller says so (it checked the right to edit: holding the case's task), `required`
    added to the admin's own required fields."""
    admin = admin_for(admin)
    specs = _embedded_specs(admin, principal, obj, fields, readonly, required, editable)
    values, display = {}, {}
    for spec in specs:
        info, raw = admin.columns[spec.name], getattr(obj, spec.name, None)
        if spec.name in admin.masked_fields and raw not in (None, "") and spec.readonly:
            values[spec.name] = display[spec.name] = mask_value(spec.name, raw, admin.validators.get(spec.name))
            continue
        values[spec.name] = to_form_value(info, raw)
        display[spec.name] = fk_label(session, admin, spec.name, raw) if info.kind == FK else format_value(info, raw)
    return FormView(str(getattr(obj, admin.pk)), specs, values, display, editable, False)


def save_embedded(session: Session, admin: Any, principal: Principal, obj: Any, data: Mapping[str, Any], *,
                  fields: list[str], readonly: list[str] = (), required: list[str] = ()) -> dict[str, list]:
    """Save an embedded form inside the caller's transaction; audited; returns the changes.
    Raises ValidationFailed with Chinese messages per field, saving nothing."""
    admin = admin_for(admin)
    specs = _embedded_specs(admin, principal, obj, fields, readonly, required, True)
    tracked = [s.name for s in specs]
    before = snapshot(admin, obj, tracked, session)
    _apply(session, admin, principal, obj, specs, data, creating=False)
    changes = diff(before, snapshot(admin, obj, tracked, session))
    if changes:
        record_event(session, principal, AuditAction.UPDATE, admin.model.__tablename__, getattr(obj, admin.pk), changes)
    return changes


def create_embedded(session: Session, admin: Any, principal: Principal, data: Mapping[str, Any], *,
                    fields: list[str], preset: Mapping[str, Any] | None = None) -> Any:
    """Create a record from inside another screen (a case's 新增物业公司) in the caller's
    transaction: `fields` from the user, `preset` columns fixed by the caller (the case's
    project), the row scope forced as on the admin's own page; audited. The caller checked
    the right to do it (holding the case's task); ValidationFailed per field otherwise."""
    admin = admin_for(admin)
    obj = admin.new_object()
    for name, value in (preset or {}).items():
        setattr(obj, name, value)
    specs = field_specs(admin, principal, None, fields=fields, editable=True)
    _apply(session, admin, principal, obj, specs, data, creating=True)
    after = snapshot(admin, obj, [*_tracked(admin, specs), *(preset or {})], session)
    record_event(session, principal, AuditAction.CREATE, admin.model.__tablename__, getattr(obj, admin.pk),
                 {k: [None, v] for k, v in after.items() if v not in (None, "")})
    return obj


# ---------------------------------------------------------------- writing
def create_record(admin: Any, principal: Principal, data: Mapping[str, Any], *, url: str | None = None) -> str:
    return create_record_with_notice(admin, principal, data, url=url)[0]


def create_record_with_notice(admin: Any, principal: Principal, data: Mapping[str, Any], *,
                              url: str | None = None) -> tuple[str, Notice | None]:
    """create_record, plus what the admin's after_create wants shown once to the creator."""
    admin = admin_for(admin)
    require_view(admin, principal)
    if not admin.has_create_permission(principal):
        raise PermissionDenied(f"您没有新增“{admin.title}”的权限")
    with session_scope(url) as session:
        obj = admin.new_object()
        specs = field_specs(admin, principal, None)
        _apply(session, admin, principal, obj, specs, data, creating=True)
        after = snapshot(admin, obj, _tracked(admin, specs), session)
        rid = getattr(obj, admin.pk)
        record_event(session, principal, AuditAction.CREATE, admin.model.__tablename__, rid,
                     {k: [None, v] for k, v in after.items() if v not in (None, "")})
        notice = admin.after_create(session, principal, obj)
        session.flush()
        return str(rid), notice


def update_record(admin: Any, principal: Principal, record_id: Any, data: Mapping[str, Any], *, url: str | None = None) -> str:
    admin = admin_for(admin)
    with session_scope(url) as session:
        obj = load_scoped(session, admin, principal, record_id)
        if not admin.has_edit_permission(principal, obj):
            raise PermissionDenied(f"您没有修改“{admin.title}”的权限")
        specs = field_specs(admin, principal, obj)
        tracked = _tracked(admin, specs)
        before = snapshot(admin, obj, tracked, session)
        _apply(session, admin, principal, obj, specs, data, creating=False)
        changes = diff(before, snapshot(admin, obj, tracked, session))
        rid = getattr(obj, admin.pk)
        if changes:
            record_event(session, principal, AuditAction.UPDATE, admin.model.__tablename__, rid, changes)
        return str(rid)


def delete_preview(admin: Any, principal: Principal, record_id: Any, *, url: str | None = None) -> DeletePreview:
    admin = admin_for(admin)
    with session_scope(url) as session:
        obj = load_scoped(session, admin, principal, record_id)
        if not admin.has_delete_permission(principal, obj):
            raise PermissionDenied(f"您没有删除“{admin.title}”的权限")
        return DeletePreview(str(getattr(obj, admin.pk)), record_label(admin, obj), count_dependents(session, admin, obj))


def _delete(session: Session, admin: ModelAdmin, principal: Principal, obj: Any) -> None:
    dependents = count_dependents(session, admin, obj)
    if dependents:
        raise ActionRefused(refusal_message(dependents))
    before = snapshot(admin, obj, list(admin.form_fields), session)
    rid = getattr(obj, admin.pk)
    session.delete(obj)
    try:
        session.flush()
    except IntegrityError:
        raise ActionRefused("该记录有关联数据，不能删除") from None
    record_event(session, principal, AuditAction.DELETE, admin.model.__tablename__, rid,
                 {k: [v, None] for k, v in before.items() if v not in (None, "")})


def delete_record(admin: Any, principal: Principal, record_id: Any, *, url: str | None = None) -> None:
    admin = admin_for(admin)
    with session_scope(url) as session:
        obj = load_scoped(session, admin, principal, record_id)
        if not admin.has_delete_permission(principal, obj):
            raise PermissionDenied(f"您没有删除“{admin.title}”的权限")
        _delete(session, admin, principal, obj)


def _delete_selected(session: Session, principal: Principal, objects: list[Any], admin: ModelAdmin | None = None) -> str:
    for obj in objects:
        _delete(session, admin, principal, obj)
    return f"已删除{len(objects)}条记录"


def delete_selected_action() -> BulkAction:
    return BulkAction("delete_selected", "删除所选", _delete_selected, confirm="确定删除所选记录吗？有关联数据的记录不能删除。")


def run_bulk_action(admin: Any, principal: Principal, name: str, record_ids: list[Any], *,
                    url: str | None = None) -> str | Notice:
    admin = admin_for(admin)
    require_view(admin, principal)
    action = next((a for a in admin.get_bulk_actions(principal) if a.name == name), None)
    if action is None:
        raise PermissionDenied("您没有执行该操作的权限")
    ids = list(dict.fromkeys(str(i) for i in record_ids))[: admin.page_size * 5]
    if not ids:
        raise ActionRefused("请先勾选记录")
    with session_scope(url) as session:
        objects = [load_scoped(session, admin, principal, rid) for rid in ids]
        if action.name == "delete_selected":
            if not all(admin.has_delete_permission(principal, o) for o in objects):
                raise PermissionDenied(f"您没有删除“{admin.title}”的权限")
            return _delete_selected(session, principal, objects, admin)
        return action.run(session, principal, objects)


def fk_search(admin: Any, principal: Principal, column: str, term: str, *, url: str | None = None) -> list[tuple[str, str]]:
    """At most 20 (id, label) matches for a foreign-key picker; never a whole table."""
    admin = admin_for(admin)
    require_view(admin, principal)
    pickable = set(admin.form_fields) | {f.column for f in admin.filter_specs()}
    info = admin.columns.get(column)
    if info is None or info.kind != FK or column not in pickable:
        raise PermissionDenied("该字段不支持选择")
    stmt, key, label = pickable_targets(admin, principal, column)
    term = (term or "").strip()
    if term:
        stmt = stmt.where(label.icontains(term, autoescape=True))
    with session_scope(url) as session:
        rows = session.execute(stmt.order_by(label, key).limit(FK_PICK_LIMIT)).all()
    return [(str(k), str(v)) for k, v in rows]
