"""The one permission module. Every event handler and every HTTP route asks it.

`require(principal, perm)` is a gate: it raises PermissionDenied (with a Chinese
message) instead of returning a flag that a caller might forget to look at.
Row scope (whose data a user may see) lives in `scope_org_ids` / `require_org_access`.
"""

from __future__ import annotations

from typing import Callable

from models.enums import LabeledEnum, OrgType, Role
from netsign_console.auth.principal import Principal
from netsign_console.errors import NOT_FOUND, NotAuthenticated, PermissionDenied  # noqa: F401  (re-exported)


class PasswordChangeRequired(PermissionDenied):
    """A one-time password is still in use: nothing but changing it opens."""

    def __init__(self, message: str = "请先修改初始密码") -> None:
        super().__init__(message)


class Perm(LabeledEnum):
    HOME = ("home.view", "工作台")
    ORG_OWN_EDIT = ("org.own.edit", "维护本企业信息")
    ORG_ALL_VIEW = ("org.all.view", "查看全部机构")
    ORG_ALL_EDIT = ("org.all.edit", "维护机构名录")
    MASTER_DATA_VIEW = ("master_data.view", "查看项目与基础信息")
    MASTER_DATA_MANAGE = ("master_data.manage", "维护项目与基础信息")
    SERVICE_POINT_VIEW = ("service_point.view", "查看服务网点")
    SERVICE_POINT_MANAGE = ("service_point.manage", "维护服务网点")
    USER_MANAGE = ("user.manage", "企业用户管理")
    USER_ADMIN = ("user.admin", "用户账户管理")
    # Every logged-in user, even one who still has to replace a one-time password.
    ACCOUNT_OWN = ("account.own", "修改本人密码")
    NETWORK_ACCESS_APPLY = ("network_access.apply", "申请用户入网")
    NETWORK_ACCESS_REVIEW = ("network_access.review", "审核用户入网")
    AUDIT_VIEW = ("audit.view", "查看审计日志")
    CASE_INBOX = ("case.inbox", "在手业务")
    CASE_DONE = ("case.done", "已办业务")
    CASE_ACCEPT = ("case.accept", "业务受理")
    CASE_HANDLE = ("case.handle", "业务办理")
    STATS_VIEW = ("stats.view", "统计查询")
    TEMPLATE_MANAGE = ("document_template.manage", "维护文书模板")
    SURVEY_IMPORT = ("survey.import", "导入测绘成果")
    FUND_STANDARD_MANAGE = ("fund_standard.manage", "维护重点监管资金标准")


_STAFF = {Perm.HOME, Perm.CASE_INBOX, Perm.CASE_DONE, Perm.CASE_HANDLE, Perm.SERVICE_POINT_VIEW}
_REGULATOR_SIDE = _STAFF | {
    Perm.ORG_ALL_VIEW,
    Perm.MASTER_DATA_VIEW,
    Perm.NETWORK_ACCESS_REVIEW,
    Perm.AUDIT_VIEW,
    Perm.STATS_VIEW,
}

# A developer's own pages (its organisation, its operators, its network-access applications)
# are not the system administrator's: it administers every user through 用户名录 instead.
_DEVELOPER_OWN = {Perm.ORG_OWN_EDIT, Perm.USER_MANAGE, Perm.NETWORK_ACCESS_APPLY}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset(set(Perm) - _DEVELOPER_OWN),
    Role.REGULATOR: frozenset(
        _REGULATOR_SIDE | {Perm.ORG_ALL_EDIT, Perm.SERVICE_POINT_MANAGE, Perm.TEMPLATE_MANAGE, Perm.SURVEY_IMPORT,
                           Perm.FUND_STANDARD_MANAGE}
    ),
    # Survey results (测绘成果库) are the survey office's to import (issue 8).
    Role.SURVEY_OFFICE: frozenset(_STAFF | {Perm.MASTER_DATA_VIEW, Perm.SURVEY_IMPORT}),
    Role.SERVICE_WINDOW: frozenset(_STAFF | {Perm.MASTER_DATA_VIEW}),
    Role.DEVELOPER_ADMIN: frozenset(
        _STAFF
        | {
            Perm.ORG_OWN_EDIT,
            Perm.MASTER_DATA_VIEW,
            Perm.MASTER_DATA_MANAGE,
            Perm.USER_MANAGE,
            Perm.NETWORK_ACCESS_APPLY,
        }
    ),
    Role.OPERATOR: frozenset(_STAFF | {Perm.MASTER_DATA_VIEW}),
    Role.MORTGAGE_BANK: frozenset(_STAFF),
    Role.SUPERVISING_BANK: frozenset(_STAFF),
    Role.PROVIDENT_FUND_CENTER: frozenset(_STAFF),
    Role.BROKERAGE: frozenset(_STAFF),
    # Public users follow their own cases; their pages arrive with the resale issues. The
    # service points they may look up are listed under 便民服务, not 系统管理 (navigation.menu_for).
    Role.BUYER: frozenset({Perm.HOME, Perm.SERVICE_POINT_VIEW}),
    Role.SELLER: frozenset({Perm.HOME, Perm.SERVICE_POINT_VIEW}),
}


# Permissions that follow from declarations rather than from the table above: CASE_ACCEPT is
# "some registered flow's Start names your role" (the workflow registers that rule), so a new
# case type never needs this module edited.
_DERIVED: dict[Perm, Callable[[Principal], bool]] = {}


def derive_permission(perm: Perm, rule: Callable[[Principal], bool]) -> None:
    """Grant `perm` to whoever `rule` says (in addition to the role table)."""
    _DERIVED[perm] = rule


def has_permission(principal: Principal | None, perm: Perm) -> bool:
    if principal is None:
        return False
    if perm is Perm.ACCOUNT_OWN:
        return True
    if principal.must_change_password:
        return False
    if principal.role == Role.OPERATOR and perm == Perm.MASTER_DATA_VIEW:
        # A bank's or brokerage's operator has no developer master data to look at.
        return principal.org_type == OrgType.DEVELOPER
    if perm in ROLE_PERMISSIONS.get(principal.role, frozenset()):
        return True
    rule = _DERIVED.get(perm)
    return rule is not None and rule(principal)


def require(principal: Principal | None, perm: Perm) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    if principal.must_change_password and perm is not Perm.ACCOUNT_OWN:
        raise PasswordChangeRequired()
    if not has_permission(principal, perm):
        raise PermissionDenied(f"您没有“{perm.label}”的权限")
    return principal


def scope_org_ids(principal: Principal) -> list[int] | None:
    """The organisations whose rows the user may see; None means all of them."""
    if principal.sees_all_organizations:
        return None
    return [principal.org_id] if principal.org_id is not None else []


def can_access_org(principal: Principal, org_id: int | None) -> bool:
    allowed = scope_org_ids(principal)
    return allowed is None or (org_id is not None and org_id in allowed)


def require_org_access(principal: Principal, org_id: int | None) -> None:
    # Same message as for a missing record, so probing ids reveals nothing.
    if not can_access_org(principal, org_id):
        raise PermissionDenied(NOT_FOUND)
