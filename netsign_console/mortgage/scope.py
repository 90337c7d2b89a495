"""Who may see a construction mortgage: the regulator's side all of them, a developer its own,
a bank those it is the mortgagee of, anybody else none.

The model's own row scope (`__org_scope__` = the developer) cannot express the bank's side, so
the list, the detail page and the 受理 search all take this clause instead; it is a gate, not
a filter a caller may forget: an empty organisation or an unknown kind of user sees nothing.
"""

from __future__ import annotations

from sqlalchemy import false
from sqlalchemy.sql.elements import ColumnElement

from models.enums import OrgType
from models.mortgage import ConstructionMortgage
from netsign_console.auth.principal import Principal


def visible(principal: Principal) -> ColumnElement | None:
    """The condition on ConstructionMortgage for this user (None: every row)."""
    if principal.sees_all_organizations:
        return None
    if principal.org_id is None:
        return false()
    if principal.org_type == OrgType.BANK:
        return ConstructionMortgage.bank_org_id == principal.org_id
    if principal.org_type == OrgType.DEVELOPER:
        return ConstructionMortgage.developer_org_id == principal.org_id
    return false()
