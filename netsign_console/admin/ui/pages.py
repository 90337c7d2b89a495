"""Turn every registered ModelAdmin into its pages through console_page (menu + permission gate).

    list    <route>                  view permission, menu entry in the admin's group
    create  <route>/new              edit permission (only if the admin can create)
    detail  <route>/[record_id]      view permission (edit controls shown per user)
    single  <route>                  single-object admins: just the form
"""

from __future__ import annotations

from netsign_console.admin.base import ModelAdmin, all_admins
from netsign_console.admin.ui.form_page import form_page
from netsign_console.admin.ui.form_state import AdminFormState
from netsign_console.admin.ui.list_page import list_page
from netsign_console.admin.ui.list_state import AdminListState
from netsign_console.components.page import console_page

_DONE: set[str] = set()


def register_admin_pages(admin: ModelAdmin) -> None:
    if admin.slug in _DONE or not admin.show_in_console:
        return
    _DONE.add(admin.slug)
    menu = dict(menu=admin.menu_group, label=admin.menu_label or admin.title, order=admin.menu_order) \
        if admin.menu_group else {}
    if admin.view_roles is not None:  # the page gate and the menu ask the admin, not just the permission
        menu["check"] = lambda principal, params: admin.has_view_permission(principal)
    if admin.single_object:
        console_page(admin.route, admin.title, admin.view_perm, on_load=AdminFormState.load_form(admin.slug),
                     **menu)(lambda: form_page(admin))
        return
    console_page(admin.route, admin.title, admin.view_perm, on_load=AdminListState.load_list(admin.slug),
                 **menu)(lambda: list_page(admin))
    if admin.can_create:
        console_page(f"{admin.route}/new", f"新增{admin.noun}", admin.edit_perm,
                     on_load=AdminFormState.load_form(admin.slug))(lambda: form_page(admin))
    console_page(f"{admin.route}/[record_id]", f"{admin.noun}详情", admin.view_perm,
                 on_load=AdminFormState.load_form(admin.slug), check=menu.get("check"))(lambda: form_page(admin))


def register_all() -> None:
    for admin in all_admins():
        register_admin_pages(admin)
