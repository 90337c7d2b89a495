"""ModelAdmin declarations: options with defaults, checked when the class is declared."""

from __future__ import annotations

from typing import Optional

import pytest
from sqlalchemy import String
from sqlmodel import Field

from netsign_console.admin import AdminConfigError, ModelAdmin, all_admins, get_admin
from netsign_console.admin.base import admin_for
from netsign_console.admin.options import DateRange, Filter
from netsign_console.auth.permissions import Perm
from tests.unit.admin_fixtures import Gadget, GadgetAdmin, ThrowawayBase, Widget, WidgetAdmin


def declare(**options):
    """Declare a throwaway admin over Widget with the given options (slug unique per call)."""
    declare.n = getattr(declare, "n", 0) + 1
    attrs = {"slug": f"t-cfg-{declare.n}", "title": "测试", "show_in_console": False, **options}
    return type("BadAdmin", (ModelAdmin,), attrs, model=Widget)


def test_one_class_gives_a_registered_admin_with_plain_defaults():
    admin = get_admin("t-widgets")
    assert isinstance(admin, WidgetAdmin) and admin_for(WidgetAdmin) is admin and admin_for("t-widgets") is admin
    assert admin in all_admins()
    plain = declare()()
    assert plain.page_size == 20 and plain.count_mode == "exact"
    assert plain.view_perm is Perm.MASTER_DATA_VIEW and plain.edit_perm is Perm.MASTER_DATA_MANAGE
    assert plain.can_create and plain.can_edit and plain.can_delete and plain.can_export and not plain.can_import
    # Defaults derived from the model: every column but the key and timestamps, pk-descending sort.
    assert "id" not in plain.form_fields and "created_at" not in plain.form_fields and "name" in plain.form_fields
    assert plain.default_sort == "-id" and plain.org_field == "owner_org_id"  # from __org_scope__


def test_labels_come_from_field_titles():
    admin = get_admin("t-widgets")
    assert admin.label("name") == "部件名称"
    assert admin.label("created_at") == "创建时间"  # common columns have default labels
    assert get_admin("t-gadgets").label("widget_id") == "所属部件"


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({"list_columns": ("name", "nope")}, "list_columns: unknown column 'nope'"),
        ({"search_fields": ("^missing",)}, "search_fields: unknown column 'missing'"),
        ({"search_fields": ("price",)}, "search_fields: 'price' is not a text column"),
        ({"filters": ("ghost",)}, "filters: unknown column 'ghost'"),
        ({"filters": (DateRange("when"),)}, "filters: unknown column 'when'"),
        ({"form_fields": ("name", "colour")}, "form_fields: unknown column 'colour'"),
        ({"sort_fields": ("name",), "default_sort": "-price"}, "default_sort"),
        ({"readonly_fields": ("notes",), "form_fields": ("name",)}, "readonly_fields: 'notes' is not in form_fields"),
        ({"readonly_fields": ("name",), "required_fields": ("name",)}, "also read-only"),
        ({"masked_fields": ("secret",)}, "masked_fields: unknown column 'secret'"),
        ({"validators": {"nme": str}}, "validators: unknown column 'nme'"),
        ({"fk_labels": {"name": "x"}}, "fk_labels: 'name' is not a foreign key"),
        ({"org_field": "owner"}, "org_field: unknown column 'owner'"),
        ({"org_field": "name.id"}, "org_field"),
        ({"count_mode": "sometimes"}, "count_mode"),
        ({"page_size": 0}, "page_size"),
        ({"slug": "Bad Slug"}, "slug"),
        ({"title": ""}, "title"),
        ({"menu_group": "杂项"}, "menu_group"),
        ({"single_object": True}, "get_object_id"),
        ({"file_fields": ("price",)}, "file_fields"),
        ({"row_links": (("楼盘表", "/buildings/{id}/grid/{id}"),)}, "[A025] BadAdmin.row_links"),
        ({"row_links": (("楼盘表", "/buildings/grid"),)}, "exactly one {id}"),
        ({"row_links": (("楼盘表", "buildings/{id}/grid"),)}, "starting with '/'"),
        ({"row_links": (("楼盘表", "//evil.example/{id}"),)}, "starting with '/'"),
        ({"row_links": (("楼盘表", "/buildings/{id}/{kind}"),)}, "no other placeholder"),
        ({"row_links": (("", "/buildings/{id}/grid"),)}, "needs a Chinese label"),
        ({"row_links": ("/buildings/{id}/grid",)}, "is not a (label, route template) pair"),
        ({"row_links": (("楼盘表", "/a/{id}"), ("楼盘表", "/b/{id}"))}, "share a label"),
    ],
)
def test_bad_options_fail_when_the_class_is_declared(options, fragment):
    with pytest.raises(AdminConfigError) as err:
        declare(**options)
    assert "BadAdmin" in str(err.value) and fragment in str(err.value)


class Untitled(ThrowawayBase, table=True):
    __tablename__ = "t_untitled"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20))


def test_a_shown_column_without_a_chinese_label_fails():
    with pytest.raises(AdminConfigError, match="'code' has no Chinese label"):
        type("NoLabelAdmin", (ModelAdmin,), {"slug": "t-nolabel", "title": "测试", "show_in_console": False},
             model=Untitled)
    # A label given in the admin is enough.
    type("LabelledAdmin", (ModelAdmin,), {"slug": "t-labelled", "title": "测试", "show_in_console": False,
                                          "labels": {"code": "代码"}, "filters": (Filter("code"),)}, model=Untitled)


def test_duplicate_slug_is_refused():
    with pytest.raises(AdminConfigError, match="already used by GadgetAdmin"):
        type("OtherAdmin", (ModelAdmin,), {"slug": "t-gadgets", "title": "重复", "show_in_console": False}, model=Gadget)
    assert type(get_admin("t-gadgets")) is GadgetAdmin


def test_abstract_base_is_not_registered_and_subclasses_inherit():
    base = type("Base", (ModelAdmin,), {"abstract": True, "title": "基类"}, model=Widget)
    child = type("Child", (base,), {"slug": "t-child", "show_in_console": False})
    assert get_admin("t-child") is not None and type(get_admin("t-child")) is child
    assert all(type(a) is not base for a in all_admins())


def test_console_admins_are_declared_consistently():
    import netsign_console.admin.admins  # noqa: F401

    console = [a for a in all_admins() if a.show_in_console]
    slugs = {a.slug for a in console}
    assert {"org-profile", "projects", "project-certificates", "mortgage-banks", "loan-banks", "supervision-accounts",
            "property-managers", "service-points", "organizations", "users", "audit"} <= slugs
    routes = [a.route for a in console]
    assert len(routes) == len(set(routes))
    assert get_admin("org-profile").route == "/org/profile" and get_admin("audit").route == "/audit"
    for admin in console:
        for name in set(admin.list_columns) | set(admin.form_fields):
            assert admin.label(name), (admin.slug, name)


def test_row_links_are_declared_once_and_the_building_list_links_its_grid():
    admin = declare(row_links=(("楼盘表", "/buildings/{id}/grid"), ("户室", "/rooms?building={id}")))()
    assert admin.row_links[0] == ("楼盘表", "/buildings/{id}/grid")
    assert declare()().row_links == ()
    import netsign_console.admin.admins  # noqa: F401

    assert get_admin("buildings").row_links == (("楼盘表", "/buildings/{id}/grid"),)
