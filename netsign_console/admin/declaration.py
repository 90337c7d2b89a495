"""Checking a ModelAdmin declaration when its class is defined (at start-up, not on a click).

Every problem of the class is collected and raised together as an AdminConfigError of
ConfigProblems with stable codes (docs/configuration-errors.md):

    A001 model is not a table / has no single primary key    A012 default_sort not sortable
    A002 slug malformed or taken                              A013 read-only field not in the form
    A003 title missing                                        A014 a field both required and read-only
    A004 unknown menu group                                   A015 fk_labels on a non-foreign key / bad label
    A005 unknown count mode                                   A016 fk_filters on a non-foreign key / bad column
    A006 page size out of range                               A017 file field not a string column / rule for a non-file
    A010 an option names an unknown column                    A018 org_field malformed
    A011 search on a non-text column                          A019 a shown column without a Chinese label
    A020 single_object without get_object_id                  A021 unknown column kind
    A022 fieldsets: no heading / not a form field / twice     A023 detail_links: no label / route without {id}
    A024 ~column search without a fragment index               A025 row_links: not (label, "/route/{id}")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsign_console.admin.columns import FK, TEXT, TEXTAREA, describe_column
from netsign_console.errors import AdminConfigError, ConfigProblem

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.admin.base import ModelAdmin

_COLUMN_OPTIONS = ("enums", "labels", "validators", "fk_labels", "fk_filters", "column_formatters", "fixed_values",
                   "kinds", "computed", "file_fields", "textarea_fields")
_FIELD_OPTIONS = ("form_fields", "list_columns", "readonly_fields", "required_fields", "sort_fields", "masked_fields")
_NOT_IN_FORM = ("created_at", "updated_at")


class _Problems(list):
    def __init__(self, cls) -> None:
        super().__init__()
        self.cls = cls

    def add(self, code: str, option: str, detail: str) -> None:
        self.append(ConfigProblem(code, f"{self.cls.__name__}.{option}", detail))


def check_declaration(cls: type["ModelAdmin"]) -> None:
    problems = _Problems(cls)
    if _prepare(cls, problems):
        _check(cls, problems)
    if problems:
        raise AdminConfigError(list(problems))


def _prepare(cls, problems: _Problems) -> bool:
    """Fill the derived options (columns, pk, defaults); False when nothing further can be checked."""
    model = cls.model
    table = getattr(model, "__table__", None)
    if table is None:
        problems.add("A001", "model", f"{model!r} is not a table model")
        return False
    pks = [c.key for c in table.primary_key.columns]
    if len(pks) != 1:
        problems.add("A001", "model", "the generator needs exactly one primary-key column")
        return False
    if cls.org_field is None and "org_field" not in cls.__dict__:
        cls.org_field = getattr(model, "__org_scope__", None)
    for option in _COLUMN_OPTIONS + _FIELD_OPTIONS:
        for name in getattr(cls, option):
            if name not in table.c:
                problems.add("A010", option, f"unknown column {name!r} on {model.__name__}")
    from netsign_console.admin.kinds import KINDS

    for column, code in cls.kinds.items():
        if code not in KINDS:
            problems.add("A021", "kinds", f"{column!r}: unknown kind {code!r}, one of {sorted(KINDS)}")
    if problems:
        return False  # the columns cannot be described with unknown names in the options
    cls.columns = {
        col.key: describe_column(
            model, col, labels=dict(cls.labels), enums=dict(cls.enums), file_fields=set(cls.file_fields),
            textarea_fields=set(cls.textarea_fields), fk_labels=dict(cls.fk_labels),
            kinds={**{c: "computed" for c in cls.computed}, **dict(cls.kinds)},
        )
        for col in table.c
    }
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
    return True


def _check(cls, problems: _Problems) -> None:
    from netsign_console.admin.base import COUNT_MODES, MENU_GROUPS, _SLUG, ModelAdmin

    cols = cls.columns
    add = problems.add
    if not cls.slug or not _SLUG.match(cls.slug):
        add("A002", "slug", f"{cls.slug!r} must be lower-case letters, digits and '-'")
    if not cls.title:
        add("A003", "title", "a Chinese title is required")
    if cls.menu_group is not None and cls.menu_group not in MENU_GROUPS:
        add("A004", "menu_group", f"{cls.menu_group!r} is not one of {MENU_GROUPS}")
    if cls.count_mode not in COUNT_MODES:
        add("A005", "count_mode", f"{cls.count_mode!r} is not one of {COUNT_MODES}")
    if not 1 <= int(cls.page_size) <= 500:
        add("A006", "page_size", "must be between 1 and 500")
    for column in cls.search_fields:
        bare = column.lstrip("^=~")
        if bare not in cols:
            add("A010", "search_fields", f"unknown column {bare!r} on {cls.model.__name__}")
        elif cols[bare].kind not in (TEXT, TEXTAREA) and cols[bare].kind != "enum":
            add("A011", "search_fields", f"{bare!r} is not a text column")
        elif column.startswith("~"):
            from netsign_console.admin.fragment import has_fragment_index

            if not has_fragment_index(cls.model.__table__.c[bare]):
                add("A024", "search_fields", f"{column!r}: no fragment index for {bare!r} (see models/search.py)")
    sort = cls.default_sort.lstrip("-")
    if sort not in cols:
        add("A010", "default_sort", f"unknown column {sort!r} on {cls.model.__name__}")
    elif sort not in set(cls.sort_fields) | {cls.pk}:
        add("A012", "default_sort", f"{cls.default_sort!r} is not in sort_fields")
    for spec in cls.filter_specs():
        if spec.column not in cols:
            add("A010", "filters", f"unknown column {spec.column!r} on {cls.model.__name__}")
    grouped: list[str] = []
    for heading, columns in cls.fieldsets:
        if not heading:
            add("A022", "fieldsets", "every fieldset needs a Chinese heading")
        for column in columns:
            if column not in cls.form_fields:
                add("A022", "fieldsets", f"{column!r} is not in form_fields")
        grouped.extend(columns)
    if len(grouped) != len(set(grouped)):
        add("A022", "fieldsets", "a column appears in two fieldsets")
    for column in cls.readonly_fields:
        if column not in cls.form_fields:
            add("A013", "readonly_fields", f"{column!r} is not in form_fields")
    both = set(cls.readonly_fields) & set(cls.required_fields)
    if both:
        add("A014", "required_fields", f"{sorted(both)} are also read-only")
    for column in cls.fk_labels:
        info = cols[column]
        if info.kind != FK:
            add("A015", "fk_labels", f"{column!r} is not a foreign key")
        elif info.fk_label not in info.fk_model.__table__.c:
            add("A015", "fk_labels", f"{info.fk_model.__name__} has no column {info.fk_label!r}")
    for column, conditions in cls.fk_filters.items():
        info = cols[column]
        if info.kind != FK:
            add("A016", "fk_filters", f"{column!r} is not a foreign key")
            continue
        for target_col in conditions:
            if target_col not in info.fk_model.__table__.c:
                add("A016", "fk_filters", f"{info.fk_model.__name__} has no column {target_col!r}")
    for column in cls.file_fields:
        if cols[column].max_length is None:
            add("A017", "file_fields", f"{column!r} must be a String column (it stores a path)")
    for column in cls.file_rules:
        if column not in cls.file_fields:
            add("A017", "file_rules", f"{column!r} is not in file_fields")
    if cls.org_field:
        head, _, tail = cls.org_field.partition(".")
        if head not in cols:
            add("A010", "org_field", f"unknown column {head!r} on {cls.model.__name__}")
        elif tail and (cols[head].kind != FK or tail not in cols[head].fk_model.__table__.c):
            add("A018", "org_field", f"{cls.org_field!r} must be <foreign key>.<column of its model>")
    shown = set(cls.list_columns) | set(cls.form_fields) | {s.column for s in cls.filter_specs()}
    for column in sorted(shown & set(cols)):
        if not cols[column].label:
            add("A019", "labels", f"column {column!r} has no Chinese label (add title= to its Field or labels=)")
    for link in cls.detail_links:
        label, route = (tuple(link) + ("", ""))[:2] if isinstance(link, (tuple, list)) else ("", "")
        if not label or not route.startswith("/") or route.count("{id}") != 1:
            add("A023", "detail_links", f"{link!r} must be (Chinese label, '/route/with/{{id}}')")
    _check_row_links(cls, problems)
    if cls.single_object and cls.get_object_id is ModelAdmin.get_object_id:
        add("A020", "single_object", "needs a get_object_id(principal) override")


ROW_LINK_ID = "{id}"


def _check_row_links(cls, problems: _Problems) -> None:
    """Each row link is (Chinese label, "/route/with/{id}"): an absolute route inside the console
    with exactly one {id} (the row's primary key) and no other placeholder."""
    labels = []
    for entry in cls.row_links:
        if not (isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            problems.add("A025", "row_links", f"{entry!r} is not a (label, route template) pair of strings")
            continue
        label, template = entry
        if not label.strip():
            problems.add("A025", "row_links", f"{template!r} needs a Chinese label")
        labels.append(label)
        bare = template.replace(ROW_LINK_ID, "")
        if (not template.startswith("/") or template.startswith("//") or template.count(ROW_LINK_ID) != 1
                or "{" in bare or "}" in bare or any(c.isspace() for c in template)):
            problems.add("A025", "row_links", f"{template!r} must be a route starting with '/' with exactly one "
                                              f"{ROW_LINK_ID} and no other placeholder or space")
    if len(labels) != len(set(labels)):
        problems.add("A025", "row_links", "two row links share a label")
