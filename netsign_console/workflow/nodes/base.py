"""What every node of a flow shares: its code (the attribute name), a title, the next node.

A flow is a class whose attributes are nodes; the attribute name is the node's code, and
`next=None` means "the node declared after this one", so a flow reads top to bottom like
its diagram. Human nodes (Stage, Review) become tasks; the others (Switch, Split, Join,
End) are passed through by the engine the moment a case reaches them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from models.enums import Role
from netsign_console.errors import FlowDefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.workflow.flow import Flow


def role_codes(roles: Role | str | Iterable[Role | str]) -> tuple[str, ...]:
    if isinstance(roles, str):  # Role is a str too
        roles = (roles,)
    return tuple(str(r) for r in roles)


class Node:
    """Base of every node type; see nodes/__init__.py for the list."""

    kind: ClassVar[str] = ""
    human: ClassVar[bool] = False  # becomes a task somebody holds

    def __init__(self, title: str = "", *, next: str | None = None) -> None:
        self.title = title
        # None = the node defined after this one (the diagram's reading order).
        self.next = next
        self.code = ""

    def __set_name__(self, owner: type, name: str) -> None:
        if self.code and self.code != name:
            raise FlowDefinitionError(
                f"{owner.__name__}: one node object is bound to both '{self.code}' and '{name}'"
            )
        self.code = name

    def targets(self, flow: type["Flow"]) -> tuple[str, ...]:
        """Every node a case can go to from here by moving forward (not by a return)."""
        following = flow.following(self.code)
        return (self.next,) if self.next else ((following,) if following else ())

    def forward(self, flow: type["Flow"]) -> tuple[str, ...]:
        """The targets without the edges that send a case back (a review's 不通过 to a stage)."""
        return self.targets(flow)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.title!r})"


class HumanNode(Node):
    """A node that becomes a task: roles, the organisation that handles it, returns."""

    human = True

    def __init__(
        self,
        title: str,
        roles: Role | str | Iterable[Role | str],
        *,
        org: Any = None,
        next: str | None = None,
        returns_to: Iterable[str] = (),
        point_of_no_return: bool = False,
        subtasks: Iterable[Any] = (),
    ) -> None:
        super().__init__(title, next=next)
        self.roles = role_codes(roles)
        # An OrgRule (workflow/routing.py); None = any organisation whose users hold a role.
        self.org = org
        self.returns_to = tuple(returns_to)
        self.point_of_no_return = point_of_no_return
        self.subtasks = tuple(subtasks)

    @property
    def roles_code(self) -> str:
        """What Task.roles stores: sorted so the same set always gives the same string."""
        return ",".join(sorted(self.roles))

    def subtask(self, code: str) -> Any:
        for sub in self.subtasks:
            if sub.code == code:
                return sub
        raise KeyError(code)

    @property
    def todo(self) -> tuple[str, ...]:
        """The 待办任务 titles, in order (inbox column, diagrams)."""
        return tuple(s.title for s in self.subtasks)
