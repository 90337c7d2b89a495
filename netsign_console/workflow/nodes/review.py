"""Review: a decision (通过 / 不通过) with an opinion, anywhere in a flow.

    review = Review("主管部门审核", [Role.REGULATOR], on_reject="entry")       不通过 goes back to entry
    review = Review("入网审核", REVIEWERS, decisions={"approve": "通过", "reject": "驳回"},
                    on_reject="end", returns_to=("apply",))                  不通过 ends the case

通过 goes to `next`. 不通过 either returns the case to the stage `on_reject` names (like a 退件,
the opinion being the reason, so the opinion is required) or, when `on_reject` names an End
node, ends the case as rejected. `opinion_required_for` lists the decisions that need a
written opinion (不通过 always does).
"""

from __future__ import annotations

from typing import Any, Iterable

from models.enums import Role
from netsign_console.workflow.nodes.base import HumanNode

APPROVE, REJECT = "approve", "reject"
DEFAULT_DECISIONS = {APPROVE: "通过", REJECT: "不通过"}


class Review(HumanNode):
    kind = "review"

    def __init__(
        self,
        title: str,
        roles: Role | str | Iterable[Role | str],
        *,
        on_reject: str,
        decisions: dict[str, str] | None = None,
        opinion_required_for: Iterable[str] = (),
        org: Any = None,
        next: str | None = None,
        returns_to: Iterable[str] = (),
        point_of_no_return: bool = False,
        subtasks: Iterable[Any] = (),
    ) -> None:
        super().__init__(title, roles, org=org, next=next, returns_to=returns_to,
                         point_of_no_return=point_of_no_return, subtasks=subtasks)
        self.decisions = dict(decisions or DEFAULT_DECISIONS)
        self.on_reject = on_reject
        self.opinion_required_for = tuple(dict.fromkeys((*opinion_required_for, REJECT)))

    def targets(self, flow) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*super().targets(flow), self.on_reject)))

    def forward(self, flow) -> tuple[str, ...]:
        if self.rejects_by_return(flow):
            return tuple(t for t in self.targets(flow) if t != self.on_reject)
        return self.targets(flow)

    def rejects_by_return(self, flow) -> bool:
        """不通过 sends the case back to a stage (True) or ends it (False)."""
        return flow.node(self.on_reject).kind != "end"
