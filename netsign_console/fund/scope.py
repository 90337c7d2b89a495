"""Who may see an agreement or a withdrawal: the regulator's side all, a developer its own, a
bank those whose supervision account it holds, anybody else none.

The models' own row scope (the developer) cannot express the bank's side, so lists, pages and
the 受理 search take these clauses instead; an empty organisation or an unknown kind of user
sees nothing (a gate, not a filter a caller may forget).
"""

from __future__ import annotations

from sqlalchemy import false
from sqlalchemy.sql.elements import ColumnElement

from models.enums import OrgType
from netsign_console.auth.principal import Principal


def visible(model, principal: Principal) -> ColumnElement | None:
    """The condition on FundAgreement or FundWithdrawal for this user (None: every row)."""
    if principal.sees_all_organizations:
        return None
    if principal.org_id is None:
        return false()
    if principal.org_type == OrgType.BANK:
        return model.bank_org_id == principal.org_id
    if principal.org_type == OrgType.DEVELOPER:
        return model.developer_org_id == principal.org_id
    return false()
