"""ModelAdmin: one declarative class per model drives its list, form, export and import.

    class ProjectAdmin(ModelAdmin, model=Project):
        slug = "project"
        title = "项目信息"
        list_columns = ("name", "developer_org_id", "district", "status")
        search_fields = ("^name", "location")
        filters = ("status", "developer_org_id", DateRange("start_date"))

Options are typed class attributes with plain defaults; every option can be refined for one
user with a one-method override (get_list_query, get_form_fields, has_edit_permission, ...).
Options are checked when the class is declared: an unknown column raises AdminConfigError.
Admins are used as singletons: `get_admin(slug)` returns the registered instance.
"""

from __future__ import annotations

import re
from typing import Any, Callable, ClassVar, Mapping, Sequence

from sqlalchemy import Select, select

from models.enums import LabeledEnum
from netsign_console.admin.columns import FILE, FK, TEXT, TEXTAREA, ColumnInfo, describe_column
from netsign_console.admin.errors import AdminConfigError
from netsign_console.admin.options import BulkAction, Filter, Notice
from netsign_console.auth.permissions import Perm, has_permission
from netsign_console.auth.principal import Principal

COUNT_MODES = ("exact", "estimate", "none")
MENU_GROUPS = ("系统管理", "业务办理", "业务受理", "统计查询")  # = navigation.GROUPS
_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_REGISTRY: dict[str, "ModelAdmin"] = {}
_NOT_IN_FORM = ("created_at", "updated_at")


class ModelAdmin:
    model: ClassVar[type]
    # --- identity and navigation
    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""  # short noun for messages ("项目"); default: title
    menu_group: ClassVar[str | None] = "系统管理"
    menu_label: ClassVar[str | None] = None
    list_route: ClassVar[str | None] = None  # default /admin/<slug>
    single_object: ClassVar[bool] = False  # one form, record from get_object_id()
    show_in_console: ClassVar[bool] = True  # False: services/API only, no pages
    help_text: ClassVar[str] = ""
    # --- list
    list_columns: ClassVar[Sequence[str]] = ()
    # "^col" prefix (index), "~col" any part (index, admin/fragment.py), "=col" exact, "col" contains (scan)
    search_fields: ClassVar[Sequence[str]] = ()
    search_placeholder: ClassVar[str] = ""
    filters: ClassVar[Sequence[str | Filter]] = ()
    sort_fields: ClassVar[Sequence[str]] = ()
    default_sort: ClassVar[str] = ""  # "-created_at"; default: primary key descending
    page_size: ClassVar[int] = 20
    count_mode: ClassVar[str] = "exact"
    # column -> fn(raw value, raw row mapping) -> display text (lists, exports, detail)
    column_formatters: ClassVar[Mapping[str, Callable[[Any, Mapping[str, Any]], str]]] = {}
    # --- form
    form_fields: ClassVar[Sequence[str]] = ()
    readonly_fields: ClassVar[Sequence[str]] = ()
    required_fields: ClassVar[Sequence[str]] = ()
    validators: ClassVar[Mapping[str, Callable[[str], Any]]] = {}
    enums: ClassVar[Mapping[str, type[LabeledEnum]]] = {}
    labels: ClassVar[Mapping[str, str]] = {}
    file_fields: ClassVar[Sequence[str]] = ()
    textarea_fields: ClassVar[Sequence[str]] = ()
    fk_labels: ClassVar[Mapping[str, str]] = {}
    fk_filters: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    # Values every row of this admin has (list filtered by them, new rows get them).
    fixed_values: ClassVar[Mapping[str, Any]] = {}
    # --- privacy, scope, permissions
    masked_fields: ClassVar[Sequence[str]] = ()
    org_field: ClassVar[str | None] = None  # default: the model's __org_scope__
    view_perm: ClassVar[Perm] = Perm.MASTER_DATA_VIEW
    edit_perm: ClassVar[Perm] = Perm.MASTER_DATA_MANAGE
    can_create: ClassVar[bool] = True
    can_edit: ClassVar[bool] = True
    can_delete: ClassVar[bool] = True
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = False
    bulk_actions: ClassVar[Sequence[BulkAction]] = ()

    # filled at declaration
    columns: ClassVar[dict[str, ColumnInfo]]
    pk: ClassVar[str]

    def __init_subclass__(cls, model: type | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if model is not None:
            cls.model = model
        if not hasattr(cls, "model") or cls.__dict__.get("abstract", False):
            return
        _prepare(cls)
        _check(cls)
        _register(cls)

    # ------------------------------------------------------------ one-method overrides
    def get_list_query(self, principal: Principal) -> Select:
        """All rows this user may see (row scope applied). Single-record reads use it too."""
        from netsign_console.admin.scope import scope_clause

        stmt = select(self.model)
        for column, value in self.fixed_values.items():
            stmt = stmt.where(getattr(self.model, column) == value)
        clause = scope_clause(self.model, self.org_field, principal)
        return stmt if clause is None else stmt.where(clause)

    def new_object(self) -> Any:
        obj = self.model()
        for column, value in self.fixed_values.items():
            setattr(obj, column, value)
        return obj

    def get_form_fields(self, principal: Principal, obj: Any = None) -> list[str]:
        """The fields this user sees in the form; the forced row-scope column is hidden from
        users who only see their own organisation (it is set from their principal)."""
        fields = list(self.form_fields)
        if self.org_field and "." not in self.org_field and not principal.sees_all_organizations:
            fields = [f for f in fields if f != self.org_field]
        return fields

    def get_readonly_fields(self, principal: Principal, obj: Any = None) -> list[str]:
        """Shown disabled and ignored on submit. Everything, when the user may not write."""
        allowed = self.has_create_permission(principal) if obj is None else self.has_edit_permission(principal, obj)
        if not allowed:
            return list(self.get_form_fields(principal, obj))
        return list(self.readonly_fields)

    def has_view_permission(self, principal: Principal) -> bool:
        return has_permission(principal, self.view_perm)

    def has_create_permission(self, principal: Principal) -> bool:
        return self.can_create and not self.single_object and has_permission(principal, self.edit_perm)

    def has_edit_permission(self, principal: Principal, obj: Any = None) -> bool:
        return self.can_edit and has_permission(principal, self.edit_perm)

    def has_delete_permission(self, principal: Principal, obj: Any = None) -> bool:
        return self.can_delete and not self.single_object and has_permission(principal, self.edit_perm)

    def has_import_permission(self, principal: Principal) -> bool:
        return self.can_import and self.has_create_permission(principal)

    def has_export_permission(self, principal: Principal) -> bool:
        return self.can_export and self.has_view_permission(principal)

    def get_object_id(self, principal: Principal) -> Any:
        """single_object admins: which record the user edits (e.g. their own organisation).
        Declaring single_object without overriding this fails at start-up (_check)."""
        raise AdminConfigError(f"{type(self).__name__}: single_object needs get_object_id()")

    def before_save(self, session: Any, principal: Principal, obj: Any, data: dict[str, Any]) -> None:
        """Last hook before a create/update is flushed; raise ValidationFailed/ActionRefused to refuse."""

    def after_create(self, session: Any, principal: Principal, obj: Any) -> "Notice | None":
        """After a new record is flushed, in the same transaction; a Notice is shown once to
        the user who created it (e.g. a new account's one-time password)."""
        return None

    def get_bulk_actions(self, principal: Principal) -> list[BulkAction]:
        from netsign_console.admin.service import delete_selected_action

        actions = [a for a in self.bulk_actions if has_permission(principal, a.perm or self.edit_perm)]
        if self.has_delete_permission(principal):
            actions.append(delete_selected_action())
        return actions

    # ------------------------------------------------------------ helpers
    @property
    def noun(self) -> str:
        return self.verbose_name or self.title

    @property
    def route(self) -> str:
        return self.list_route or f"/admin/{self.slug}"

    def label(self, column: str) -> str:
        return self.columns[column].label

    @classmethod
    def filter_specs(cls) -> list[Filter]:
        return [f if isinstance(f, Filter) else Filter(f) for f in cls.filters]

    def is_required(self, column: str) -> bool:
        info = self.columns[column]
        if column in self.required_fields:
            return True
        return not info.nullable and not info.primary_key and info.kind != "bool"


# ---------------------------------------------------------------- declaration checks
def _fail(cls: type, option: str, detail: str) -> None:
    raise AdminConfigError(f"{cls.__name__}.{option}: {detail}")


def _prepare(cls: type[ModelAdmin]) -> None:
    model = cls.model
    table = getattr(model, "__table__", None)
    if table is None:
        _fail(cls, "model", f"{model!r} is not a table model")
    if cls.org_field is None and "org_field" not in cls.__dict__:
        cls.org_field = getattr(model, "__org_scope__", None)
    for option in ("enums", "labels", "validators", "fk_labels", "fk_filters", "column_formatters", "fixed_values"):
        for name in getattr(cls, option):
            if name not in table.c:
                _fail(cls, option, f"unknown column {name!r} on {model.__name__}")
    for option in ("file_fields", "textarea_fields"):
        for name in getattr(cls, option):
            if name not in table.c:
                _fail(cls, option, f"unknown column {name!r} on {model.__name__}")
    cls.columns = {
        col.key: describe_column(
            model, col, labels=dict(cls.labels), enums=dict(cls.enums), file_fields=set(cls.file_fields),
            textarea_fields=set(cls.textarea_fields), fk_labels=dict(cls.fk_labels),
        )
        for col in table.c
    }
    for option in ("form_fields", "list_columns", "readonly_fields", "required_fields", "sort_fields", "masked_fields"):
        for name in getattr(cls, option):
            if name not in table.c:
                _fail(cls, option, f"unknown column {name!r} on {model.__name__}")
    pks = [c.key for c in table.primary_key.columns]
    if len(pks) != 1:
        _fail(cls, "model", "the generator needs exactly one primary-key column")
    cls.pk = pks[0]
    if not cls.form_fields:
        cls.form_fields = tuple(n for n in cls.columns if n != cls.pk and n not in _NOT_IN_FORM)
    if not cls.list_columns:
        cls.list_columns = tuple(cls.form_fields[:6])
    if not cls.sort_fields:
        cls.sort_fields = tuple(cls.list_columns)
    if not cls.default_sort:
        cls.default_sort = f"-{cls.pk}"
    if not cls.verbose_name:
        cls.verbose_name = cls.title


def _check(cls: type[ModelAdmin]) -> None:
    cols = cls.columns

    def known(option: str, column: str) -> None:
        if column not in cols:
            _fail(cls, option, f"unknown column {column!r} on {cls.model.__name__}")

    if not cls.slug or not _SLUG.match(cls.slug):
        _fail(cls, "slug", f"{cls.slug!r} must be lower-case letters, digits and '-'")
    if not cls.title:
        _fail(cls, "title", "a Chinese title is required")
    if cls.menu_group is not None and cls.menu_group not in MENU_GROUPS:
        _fail(cls, "menu_group", f"{cls.menu_group!r} is not one of {MENU_GROUPS}")
    if cls.count_mode not in COUNT_MODES:
        _fail(cls, "count_mode", f"{cls.count_mode!r} is not one of {COUNT_MODES}")
    if not 1 <= int(cls.page_size) <= 500:
        _fail(cls, "page_size", "must be between 1 and 500")
    for option in ("list_columns", "form_fields", "readonly_fields", "required_fields", "sort_fields", "masked_fields"):
        for column in getattr(cls, option):
            known(option, column)
    for column in cls.search_fields:
        bare = column.lstrip("^=~")
        known("search_fields", bare)
        if cols[bare].kind not in (TEXT, TEXTAREA) and cols[bare].kind != "enum":
            _fail(cls, "search_fields", f"{bare!r} is not a text column")
        if column.startswith("~"):
            from netsign_console.admin.fragment import has_fragment_index

            if not has_fragment_index(cls.model.__table__.c[bare]):
                _fail(cls, "search_fields", f"{column!r}: no fragment index for {bare!r} (see models/search.py)")
    known("default_sort", cls.default_sort.lstrip("-"))
    if cls.default_sort.lstrip("-") not in set(cls.sort_fields) | {cls.pk}:
        _fail(cls, "default_sort", f"{cls.default_sort!r} is not in sort_fields")
    for spec in cls.filter_specs():
        known("filters", spec.column)
    for column in cls.readonly_fields:
        if column not in cls.form_fields:
            _fail(cls, "readonly_fields", f"{column!r} is not in form_fields")
    both = set(cls.readonly_fields) & set(cls.required_fields)
    if both:
        _fail(cls, "required_fields", f"{sorted(both)} are also read-only")
    for column in cls.fk_labels:
        info = cols[column]
        if info.kind != FK:
            _fail(cls, "fk_labels", f"{column!r} is not a foreign key")
        if info.fk_label not in info.fk_model.__table__.c:
            _fail(cls, "fk_labels", f"{info.fk_model.__name__} has no column {info.fk_label!r}")
    for column, conditions in cls.fk_filters.items():
        info = cols[column]
        if info.kind != FK:
            _fail(cls, "fk_filters", f"{column!r} is not a foreign key")
        for target_col in conditions:
            if target_col not in info.fk_model.__table__.c:
                _fail(cls, "fk_filters", f"{info.fk_model.__name__} has no column {target_col!r}")
    for column in cls.file_fields:
        if cols[column].max_length is None:
            _fail(cls, "file_fields", f"{column!r} must be a String column (it stores a path)")
    if cls.org_field:
        head, _, tail = cls.org_field.partition(".")
        known("org_field", head)
        if tail:
            info = cols[head]
            if info.kind != FK or tail not in info.fk_model.__table__.c:
                _fail(cls, "org_field", f"{cls.org_field!r} must be <foreign key>.<column of its model>")
    shown = set(cls.list_columns) | set(cls.form_fields) | {s.column for s in cls.filter_specs()}
    for column in shown:
        if not cols[column].label:
            _fail(cls, "labels", f"column {column!r} has no Chinese label (add title= to its Field or labels=)")
    if cls.single_object and cls.get_object_id is ModelAdmin.get_object_id:
        _fail(cls, "single_object", "needs a get_object_id(principal) override")


def _register(cls: type[ModelAdmin]) -> None:
    existing = _REGISTRY.get(cls.slug)
    if existing is not None and (type(existing).__module__, type(existing).__qualname__) != (cls.__module__, cls.__qualname__):
        raise AdminConfigError(f"{cls.__name__}.slug: {cls.slug!r} is already used by {type(existing).__name__}")
    _REGISTRY[cls.slug] = cls()


def all_admins() -> list[ModelAdmin]:
    return list(_REGISTRY.values())


def get_admin(slug: str) -> ModelAdmin | None:
    return _REGISTRY.get(slug)


def admin_for(admin: "ModelAdmin | type[ModelAdmin] | str") -> ModelAdmin:
    """Resolve a slug, class or instance to the registered instance (KeyError if unknown)."""
    if isinstance(admin, ModelAdmin):
        return admin
    if isinstance(admin, type):
        admin = admin.slug
    found = _REGISTRY.get(admin)
    if found is None:
        raise KeyError(admin)
    return found


def admins_for_model(model: type) -> list[ModelAdmin]:
    return [a for a in _REGISTRY.values() if a.model is model]


__all__ = ["ModelAdmin", "all_admins", "get_admin", "admin_for", "admins_for_model", "FILE", "FK"]
