"""Start (受理): who may accept, the start form's subject, the acceptance checks, the first stage.

    start = Start(DEVELOPER, subject="building", checks=(no_open_case,), next="entry")

The subject is what the case is about (a building, a room, a permit, a user ...), picked on
the generic 业务受理 page by searching as you type (workflow/subjects.py). Each check is a
plain function of an AcceptContext returning a Chinese refusal or None; the page shows a
refusal at the subject field, and the engine runs the same checks again when accepting.
The first stage's task goes straight to the person who accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from models.enums import Role
from netsign_console.workflow.nodes.base import Node, role_codes

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from netsign_console.auth.principal import Principal


@dataclass
class AcceptContext:
    session: "Session"
    principal: "Principal"
    flow: Any
    subject: Any  # the loaded subject record (None for flows without a subject)
    data: dict[str, Any] = field(default_factory=dict)  # the initial data, before typing


Check = Callable[[AcceptContext], "str | None"]


class Start(Node):
    kind = "start"

    def __init__(
        self,
        roles: Role | str | Iterable[Role | str],
        *,
        subject: Any = None,
        checks: Iterable[Check] = (),
        initial_data: Callable[[AcceptContext], dict[str, Any]] | None = None,
        title: str = "受理",
        next: str | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(title, next=next)
        self.roles = role_codes(roles)
        # A subject kind code ("building") or a SubjectKind; resolved by the flow on first use.
        self.subject = subject
        self.checks = tuple(checks)
        # The case's data from the picked subject (e.g. {"building_id": subject.id}).
        self.initial_data = initial_data
        self.hint = hint  # the start page's one-line explanation

    def refusals(self, ctx: AcceptContext) -> list[str]:
        """Every check's refusal (in declaration order); empty = the case may be accepted."""
        out = []
        for check in self.checks:
            message = check(ctx)
            if message:
                out.append(message)
        return out
