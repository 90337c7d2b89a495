"""The permission module: roles, gates and row scope."""

from __future__ import annotations

import pytest

import netsign_console.netsign_console  # noqa: F401  registers every page's menu entry
from models.enums import OrgType, Role
from netsign_console.auth.permissions import ROLE_PERMISSIONS, Perm, can_access_org, has_permission, require, require_org_access, scope_org_ids
from netsign_console.errors import NotAuthenticated, PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.navigation import route_allows, GROUPS, MENU, MENU_ORDER, menu_for, permission_for_route


def principal(role: Role, org_id: int | None = 1, org_type: OrgType | None = OrgType.DEVELOPER) -> Principal:
    return Principal(1, "u", "用户", role, org_id, org_type, "机构")


def test_every_role_has_permissions():
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role in Role:
        assert Perm.HOME in ROLE_PERMISSIONS[role]


def test_require_is_a_gate_with_chinese_messages():
    with pytest.raises(NotAuthenticated, match="请先登录"):
        require(None, Perm.HOME)
    with pytest.raises(PermissionDenied, match="审核用户入网"):
        require(principal(Role.OPERATOR), Perm.NETWORK_ACCESS_REVIEW)
    assert require(principal(Role.REGULATOR, 9, OrgType.REGULATOR), Perm.NETWORK_ACCESS_REVIEW)


def test_operator_master_data_only_in_developers():
    assert has_permission(principal(Role.OPERATOR), Perm.MASTER_DATA_VIEW)
    assert not has_permission(principal(Role.OPERATOR, 5, OrgType.BANK), Perm.MASTER_DATA_VIEW)


def test_row_scope():
    dev = principal(Role.DEVELOPER_ADMIN, 7)
    assert scope_org_ids(dev) == [7]
    assert can_access_org(dev, 7) and not can_access_org(dev, 8) and not can_access_org(dev, None)
    with pytest.raises(PermissionDenied, match="记录不存在或无权访问"):
        require_org_access(dev, 8)
    reg = principal(Role.REGULATOR, 1, OrgType.REGULATOR)
    assert scope_org_ids(reg) is None and can_access_org(reg, 8)
    public = principal(Role.BUYER, None, None)
    assert scope_org_ids(public) == []


def test_menu_shows_only_permitted_items_in_manual_groups():
    assert MENU, "pages registered menu entries"
    for role in Role:
        p = principal(role, 1, OrgType.REGULATOR if role in (Role.REGULATOR, Role.SYSTEM_ADMIN) else OrgType.DEVELOPER)
        groups = menu_for(p)
        assert [g["group"] for g in groups] == [g for g in MENU_ORDER if g in {x["group"] for x in groups}]
        for g in groups:
            for item in g["items"]:
                assert route_allows(p, item["route"].split("?")[0])


def test_roles_see_different_menus():
    def routes(p):
        return {i["route"] for g in menu_for(p) for i in g["items"]}

    dev_admin = routes(principal(Role.DEVELOPER_ADMIN))
    operator = routes(principal(Role.OPERATOR))
    regulator = routes(principal(Role.REGULATOR, 1, OrgType.REGULATOR))
    buyer = routes(principal(Role.BUYER, None, None))
    assert operator < dev_admin or operator != dev_admin
    assert regulator != dev_admin
    assert len(buyer) <= len(operator)


def test_each_role_is_shown_only_what_it_works_with():
    def groups(p):
        return {g["group"]: [i["label"] for i in g["items"]] for g in menu_for(p)}

    sysadmin = groups(principal(Role.SYSTEM_ADMIN, 1, OrgType.REGULATOR))
    # Not the developer's own pages as if the authority were a developer.
    for label in ("开发企业信息", "企业用户管理", "用户入网受理"):
        assert label not in sum(sysadmin.values(), []), label
    assert "用户名录" in sysadmin["系统管理"]
    # Public users administer nothing: no 系统管理 group, the service points as a public service.
    # A buyer also follows their own contracts (我的合同, STOCK-05).
    for role, entries in ((Role.BUYER, ["我的合同", "服务网点"]), (Role.SELLER, ["服务网点"])):
        public = groups(principal(role, None, None))
        assert "系统管理" not in public and public == {"便民服务": entries}


def test_a_one_time_password_opens_nothing_but_changing_it():
    from dataclasses import replace

    from netsign_console.auth.permissions import PasswordChangeRequired

    fresh = replace(principal(Role.DEVELOPER_ADMIN), must_change_password=True)
    assert menu_for(fresh) == []
    for perm in Perm:
        if perm is Perm.ACCOUNT_OWN:
            assert require(fresh, perm) is fresh
        else:
            assert not has_permission(fresh, perm)
            with pytest.raises(PasswordChangeRequired, match="请先修改初始密码"):
                require(fresh, perm)
