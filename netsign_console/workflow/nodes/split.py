"""Split and Join: several tasks open at once; the case continues when all of them are done.

    reviews = Split("fund_review", "bank_review", join="reviewed")     one task per stage
    banks = Split("bank_review", per=lambda d: d.bank_org_ids, join="reviewed")
                                                                       one task per bank
    reviewed = Join()

With `per`, each item (an organisation id) opens its own task of the one branch stage,
routed to that organisation (routing.branch_org). Every branch runs to the Join; a return
or a 不通过 from inside a branch to a stage before the split withdraws the sibling tasks
(they are superseded: the case goes round again).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from netsign_console.workflow.nodes.base import Node


class Split(Node):
    kind = "split"

    def __init__(self, *branches: str, join: str, per: Callable[[Any], Iterable[Any]] | None = None,
                 title: str = "") -> None:
        super().__init__(title or "并行办理")
        self.branches = tuple(branches)
        self.join = join
        self.per = per

    def targets(self, flow) -> tuple[str, ...]:
        return self.branches

    def branch_members(self, flow) -> dict[str, set[str]]:
        """branch stage -> the codes of that branch's nodes (moving forward up to the join)."""
        out = {}
        for branch in self.branches:
            members, todo = set(), [branch]
            while todo:
                code = todo.pop()
                if code == self.join or code in members:
                    continue
                members.add(code)
                todo.extend(flow.node(code).forward(flow))
            out[branch] = members
        return out

    def items(self, data: Any) -> list[tuple[str, str | None]]:
        """(stage code, branch key) of every task to open."""
        if self.per is None:
            return [(code, code) for code in self.branches]
        keys = list(dict.fromkeys(str(item) for item in self.per(data)))
        return [(self.branches[0], key) for key in keys]


class Join(Node):
    kind = "join"

    def __init__(self, title: str = "", *, next: str | None = None) -> None:
        super().__init__(title or "汇合", next=next)
