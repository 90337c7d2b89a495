"""Switch: branch on the case's typed data, the moment a case reaches it.

    route = Switch(
        ("fund_review", lambda d: d.payment_method in ("provident_fund", "combined")),
        ("bank_review", lambda d: d.payment_method == "commercial"),
        default="filing",
    )

The first branch whose predicate is true wins; `default` when none is.
"""

from __future__ import annotations

from typing import Any, Callable

from netsign_console.workflow.nodes.base import Node

Predicate = Callable[[Any], bool]


class Switch(Node):
    kind = "switch"

    def __init__(self, *branches: tuple[str, Predicate], default: str, title: str = "") -> None:
        super().__init__(title or "条件分支")
        self.branches = tuple(branches)
        self.default = default

    def targets(self, flow) -> tuple[str, ...]:
        return tuple(dict.fromkeys([target for target, _ in self.branches] + [self.default]))

    def choose(self, data: Any) -> str:
        for target, predicate in self.branches:
            if predicate(data):
                return target
        return self.default
