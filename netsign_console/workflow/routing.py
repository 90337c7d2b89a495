"""Who handles a stage: roles within an organisation chosen by a routing rule.

    Stage("协议录入", DEVELOPER, org=initiating_org)            the organisation that accepted the case
    Review("监管银行审核", [Role.SUPERVISING_BANK], org=org_from_data("bank_org_id"))
                                                              the bank named in the case's typed data
    Review("公积金审核", [Role.PROVIDENT_FUND_CENTER], org=fixed_org(org_type="provident_fund_center"))
                                                              a fixed organisation
    Review("主管部门审核", [Role.REGULATOR])                     any organisation whose users hold the role

A bank's users see a case only once a task routed to their organisation exists on it
(workflow/access.py), so routing is also the rule of who may look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import select

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from models.workflow import Case


@dataclass(frozen=True)
class RouteContext:
    session: "Session"
    case: "Case"
    data: Any  # the flow's typed data (a CaseData)
    branch_key: str | None = None  # the item of a split (e.g. a bank's organisation id)


class OrgRule:
    """Base of the routing rules; `label` is what the flow diagram shows."""

    label = "指定机构办理"

    def __call__(self, ctx: RouteContext) -> int | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields(self) -> tuple[str, ...]:
        """Typed-data fields the rule reads (checked against the flow's data model)."""
        return ()


class _InitiatingOrg(OrgRule):
    label = "受理机构办理"

    def __call__(self, ctx: RouteContext) -> int | None:
        return ctx.case.org_id


initiating_org = _InitiatingOrg()


@dataclass(frozen=True)
class org_from_data(OrgRule):  # noqa: N801  reads like a function in declarations
    """The organisation whose id is in a typed-data field (the chosen bank, the supervising bank)."""

    field: str
    what: str = "业务数据中指定的机构"

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.what}办理"

    def __call__(self, ctx: RouteContext) -> int | None:
        value = getattr(ctx.data, self.field)
        return int(value) if value is not None else None

    def fields(self) -> tuple[str, ...]:
        return (self.field,)


@dataclass(frozen=True)
class fixed_org(OrgRule):  # noqa: N801
    """One organisation, found by name or (the first) by type when the task is created."""

    name: str | None = None
    org_type: str | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.name or '指定机构'}办理"

    def __call__(self, ctx: RouteContext) -> int | None:
        from models.organization import Organization

        query = select(Organization.id)
        if self.name:
            query = query.where(Organization.name == self.name)
        if self.org_type:
            query = query.where(Organization.org_type == self.org_type)
        found = ctx.session.exec(query.order_by(Organization.id)).first()
        if found is None:
            from netsign_console.errors import UserError

            raise UserError(f"系统中没有{self.name or '承办机构'}，无法派工，请联系系统管理员")
        return found


class _BranchOrg(OrgRule):
    label = "分支对应机构办理"

    def __call__(self, ctx: RouteContext) -> int | None:
        return int(ctx.branch_key) if ctx.branch_key is not None else None


branch_org = _BranchOrg()  # the organisation a split opened this branch for
