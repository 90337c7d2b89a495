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
from contextlib import contextmanager
from typing import Any, Callable, ClassVar, Iterator, Mapping, Sequence

from sqlalchemy import Select, select

from models.enums import LabeledEnum
from netsign_console.admin.columns import FILE, FK, ColumnInfo
from netsign_console.errors import AdminConfigError, ConfigProblem
from netsign_console.admin.options import BulkAction, FileRule, Filter, Notice
from netsign_console.auth.permissions import Perm, has_permission
from netsign_console.auth.principal import Principal

COUNT_MODES = ("exact", "estimate", "none")
MENU_GROUPS = ("系统管理", "业务办理", "业务受理", "统计查询")  # = navigation.GROUPS
_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_REGISTRY: dict[str, "ModelAdmin"] = {}


class ModelAdmin:
    model: ClassVar[type]
    # --- identity and navigation
    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""  # short noun for messages ("项目"); default: title
    menu_group: ClassVar[str | None] = "系统管理"
    menu_label: ClassVar[str | None] = None
    menu_order: ClassVar[int] = 100  # position within the menu group (admins are discovered, not listed)
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
    # (label, route template) links shown in a 操作 column of the list, "{id}" = the row's
    # primary key: (("楼盘表", "/buildings/{id}/grid"),). The target page checks its own permission.
    row_links: ClassVar[Sequence[tuple[str, str]]] = ()
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
    # file column -> FileRule (types, size, content check); default: PDF/JPG/PNG scans up to 20 MB
    file_rules: ClassVar[Mapping[str, FileRule]] = {}
    textarea_fields: ClassVar[Sequence[str]] = ()
    fk_labels: ClassVar[Mapping[str, str]] = {}
    # Column -> kind code (admin/kinds.py) where the model's own kind is not the one to show.
    kinds: ClassVar[Mapping[str, str]] = {}
    # Column -> fn(session, obj) -> value: shown read-only, recomputed on every save.
    computed: ClassVar[Mapping[str, Callable[[Any, Any], Any]]] = {}
    # (heading, columns) groups for long forms; columns in no group come last, untitled.
    fieldsets: ClassVar[Sequence[tuple[str, Sequence[str]]]] = ()
    fk_filters: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    # Values every row of this admin has (list filtered by them, new rows get them).
    fixed_values: ClassVar[Mapping[str, Any]] = {}
    # --- privacy, scope, permissions
    masked_fields: ClassVar[Sequence[str]] = ()
    org_field: ClassVar[str | None] = None  # default: the model's __org_scope__
    view_perm: ClassVar[Perm] = Perm.MASTER_DATA_VIEW
    # Further narrows who sees the pages (and the menu entry) among the holders of view_perm:
    # the roles that work with these rows (None: every holder).
    view_roles: ClassVar[frozenset | None] = None
    edit_perm: ClassVar[Perm] = Perm.MASTER_DATA_MANAGE
    can_create: ClassVar[bool] = True
    can_edit: ClassVar[bool] = True
    can_delete: ClassVar[bool] = True
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = False
    bulk_actions: ClassVar[Sequence[BulkAction]] = ()
    # (label, route with "{id}") links shown on a record's detail page, e.g. a page of its children.
    detail_links: ClassVar[Sequence[tuple[str, str]]] = ()

    # filled at declaration
    columns: ClassVar[dict[str, ColumnInfo]]
    pk: ClassVar[str]

    def __init_subclass__(cls, model: type | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if model is not None:
            cls.model = model
        if not hasattr(cls, "model") or cls.__dict__.get("abstract", False):
            return
        from netsign_console.admin.declaration import check_declaration

        check_declaration(cls)  # raises AdminConfigError with every problem of the class
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

    def search_conditions(self, term: str) -> list:
        """Further SQL conditions a search term may match, beyond the model's own columns
        (search_fields): a contract by its document's verification code or a buyer's ID
        number. OR-ed with the columns' conditions, per term; terms are AND-ed as always."""
        return []

    def annotate_rows(self, session: Any, rows: list[dict[str, str]]) -> None:
        """Fill in display cells of one list page that need more than the list's own query (a
        contract's buyers, where its case stands): one query for the page, in the list's own
        session. `rows` are the formatted rows, "_id" the primary key."""

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
        if self.view_roles is not None and principal.role not in self.view_roles:
            return False
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
    def fieldset_of(self) -> dict[str, str]:
        """column -> the heading of its fieldset."""
        return {column: heading for heading, columns in self.fieldsets for column in columns}

    def apply_computed(self, session: Any, obj: Any) -> None:
        for column, compute in self.computed.items():
            setattr(obj, column, compute(session, obj))

    def file_rule(self, column: str) -> FileRule:
        return self.file_rules.get(column) or FileRule()

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


def _register(cls: type[ModelAdmin]) -> None:
    existing = _REGISTRY.get(cls.slug)
    if existing is not None and (type(existing).__module__, type(existing).__qualname__) != (cls.__module__, cls.__qualname__):
        raise AdminConfigError(ConfigProblem("A002", f"{cls.__name__}.slug",
                                             f"{cls.slug!r} is already used by {type(existing).__name__}"))
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


@contextmanager
def temporary_admins() -> Iterator[None]:
    """Admins declared inside the block are forgotten afterwards (tests of extension packages)."""
    saved = dict(_REGISTRY)
    try:
        yield
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(saved)


def admins_for_model(model: type) -> list[ModelAdmin]:
    return [a for a in _REGISTRY.values() if a.model is model]


__all__ = ["ModelAdmin", "all_admins", "get_admin", "admin_for", "admins_for_model", "FILE", "FK"]
