"""Declarative flow definitions: one class per case type, stages as class attributes.

    class NetworkAccess(Flow):
        \"\"\"用户入网\"\"\"
        code = "network_access"
        prefix = "N"
        apply = Stage("入网申请", [Role.DEVELOPER_ADMIN], accept=True, org=initiating_org, next="review")
        review = Stage("入网审核", [Role.REGULATOR], archive=True, returns_to=("apply",),
                       decisions={"approve": "通过", "reject": "驳回"})

The class reads like the diagram; the engine (engine.py) implements the verbs once for all
flows. A class registers itself when it is defined (pass `register=False` for a class that
should not, e.g. a test's broken definition) and is validated then, so a broken flow fails
at start-up rather than on a user's click.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

from models.enums import Role
from netsign_console.errors import FlowDefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from netsign_console.auth.principal import Principal

    from models.workflow import Case

NextRule = str | Callable[["Case"], str] | None
OrgRule = Callable[["Case", "Session"], int | None]


def initiating_org(case: "Case", session: "Session") -> int | None:
    """Org rule: the stage is handled inside the organisation that accepted the case."""
    return case.org_id


def _role_codes(roles: Role | str | Iterable[Role | str]) -> tuple[str, ...]:
    if isinstance(roles, str):  # Role is a str too
        roles = (roles,)
    return tuple(str(r) for r in roles)


class Stage:
    """One stage (办理环节). The attribute name in the flow class is its code."""

    def __init__(
        self,
        title: str,
        roles: Role | str | Iterable[Role | str],
        *,
        next: NextRule = None,
        branches: Iterable[str] = (),
        returns_to: Iterable[str] = (),
        point_of_no_return: bool = False,
        archive: bool = False,
        decisions: dict[str, str] | None = None,
        org: OrgRule | None = None,
        todo: Iterable[str] = (),
        accept: bool = False,
        opinion_required_for: Iterable[str] = (),
    ) -> None:
        self.title = title
        self.roles = _role_codes(roles)
        # None = the stage defined after this one (the diagram's reading order).
        self.next = next
        # The stages a callable `next` may return, so validation can check the graph.
        self.branches = tuple(branches)
        self.returns_to = tuple(returns_to)
        self.point_of_no_return = point_of_no_return
        self.archive = archive
        self.decisions = dict(decisions) if decisions is not None else None
        self.org = org
        self.todo = tuple(todo)
        self.accept = accept
        # Decisions that must come with a written reason (a rejection, say).
        self.opinion_required_for = tuple(opinion_required_for)
        self.code = ""

    def __set_name__(self, owner: type, name: str) -> None:
        if self.code and self.code != name:
            raise FlowDefinitionError(
                f"{owner.__name__}: one Stage object is bound to both '{self.code}' and '{name}'"
            )
        self.code = name

    @property
    def roles_code(self) -> str:
        """What Task.roles stores: sorted so the same set always gives the same string."""
        return ",".join(sorted(self.roles))

    def __repr__(self) -> str:
        return f"Stage({self.code!r}, {self.title!r})"


class Flow:
    """Base class of every case type. The class docstring's first line is the default title."""

    code: ClassVar[str] = ""
    title: ClassVar[str] = ""
    prefix: ClassVar[str] = ""
    version: ClassVar[int] = 1
    subject_type: ClassVar[str] = ""
    # Roles that may accept (受理) a new case; empty = the accept stage's roles.
    accept_roles: ClassVar[tuple[str, ...]] = ()
    _declared_accept_roles: ClassVar[tuple[str, ...]] = ()
    # STOCK-07: a version accepts new cases only inside this window; old cases finish on it.
    accept_from: ClassVar[date | None] = None
    accept_until: ClassVar[date | None] = None
    # Collected by __init_subclass__, in definition order (inherited stages first).
    stages: ClassVar[dict[str, Stage]] = {}

    def __init_subclass__(cls, register: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        stages = dict(cls.stages)
        for name, value in cls.__dict__.items():
            if isinstance(value, Stage):
                stages[name] = value
            elif value is None and name in stages:  # a later version drops an inherited stage
                del stages[name]
        cls.stages = stages
        if not cls.__dict__.get("title") and cls.__dict__.get("__doc__"):
            cls.title = cls.__doc__.strip().splitlines()[0].strip()
        # Remember what was declared, so a later version that changes the accept stage's
        # roles does not inherit the earlier version's computed default.
        if "accept_roles" in cls.__dict__:
            cls._declared_accept_roles = _role_codes(cls.__dict__["accept_roles"])
        roles = cls._declared_accept_roles
        if not roles:
            first = [s for s in stages.values() if s.accept]
            roles = first[0].roles if len(first) == 1 else ()
        cls.accept_roles = roles
        if register and cls.code and not cls.__dict__.get("abstract", False):
            from netsign_console.workflow import registry

            registry.register(cls)

    # ----- reading the definition -------------------------------------------------------------

    @classmethod
    def stage(cls, code: str) -> Stage:
        try:
            return cls.stages[code]
        except KeyError:
            raise FlowDefinitionError(f"{cls.label()}: no stage '{code}'") from None

    @classmethod
    def accept_stage(cls) -> Stage:
        return next(s for s in cls.stages.values() if s.accept)

    @classmethod
    def next_targets(cls, code: str) -> tuple[str, ...]:
        """Every stage a dispatch from `code` can lead to (empty for an archive stage)."""
        stage = cls.stage(code)
        if stage.archive:
            return ()
        if stage.next is None:
            codes = list(cls.stages)
            index = codes.index(code)
            return (codes[index + 1],) if index + 1 < len(codes) else ()
        if callable(stage.next):
            return stage.branches
        return (stage.next,)

    @classmethod
    def resolve_next(cls, code: str, case: "Case") -> Stage:
        """The stage a dispatch from `code` goes to for this case (branches read case.data)."""
        stage = cls.stage(code)
        if callable(stage.next):
            target = stage.next(case)
            if target not in stage.branches:
                raise FlowDefinitionError(
                    f"{cls.label()}: stage '{code}' branched to '{target}', not one of {stage.branches}"
                )
            return cls.stage(target)
        targets = cls.next_targets(code)
        if not targets:
            raise FlowDefinitionError(f"{cls.label()}: stage '{code}' has no next stage")
        return cls.stage(targets[0])

    @classmethod
    def points_of_no_return(cls) -> tuple[str, ...]:
        return tuple(code for code, s in cls.stages.items() if s.point_of_no_return)

    @classmethod
    def accepts_on(cls, day: date) -> bool:
        if cls.accept_from is not None and day < cls.accept_from:
            return False
        if cls.accept_until is not None and day > cls.accept_until:
            return False
        return True

    @classmethod
    def label(cls) -> str:
        return f"{cls.__name__} ({cls.code} v{cls.version})"

    @classmethod
    def validate(cls) -> None:
        """Raise FlowDefinitionError naming every inconsistency (see validation.py)."""
        from netsign_console.workflow.validation import validate_flow

        validate_flow(cls)

    # ----- hooks (override in a flow; the engine calls them on an instance) -------------------

    def __init__(self, principal: "Principal | None" = None) -> None:
        # Who triggered the hook (for audit records); None outside a verb.
        self.principal = principal

    def case_title(
        self, session: "Session", *, subject_type: str, subject_id: int | None, data: dict
    ) -> str:
        """The list title when accept() is given none."""
        return self.title

    def on_archive(self, session: "Session", case: "Case", decision: str | None) -> None:
        """The case was archived (with the archive stage's decision, if it declares decisions)."""

    def on_cancel(self, session: "Session", case: "Case") -> None:
        """The case was cancelled: undo what accepting it reserved."""

    def describe_subject(self, session: "Session", case: "Case") -> list[tuple[str, str]]:
        """(label, value) rows of the entity the case concerns, for the case page (WF-05).

        Personal data must come masked: the case page is seen by every party of the case."""
        return []
