"""End (归档 / 办结): the case is archived and the flow's on_archive hook runs.

A flow may have more than one End (e.g. `rejected = End("不予通过")`); the decision that led
there (the last review's) is the case's decision.
"""

from __future__ import annotations

from netsign_console.workflow.nodes.base import Node


class End(Node):
    kind = "end"

    def __init__(self, title: str = "归档") -> None:
        super().__init__(title)

    def targets(self, flow) -> tuple[str, ...]:
        return ()
