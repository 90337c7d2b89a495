"""Declarative flow definitions: one class per case type, nodes as class attributes.

    class RoomBackfill(Flow):
        \"\"\"户室信息补录\"\"\"
        code = "room_backfill"
        prefix = "B"
        category = "补充功能"
        data_model = RoomBackfillData

        start = Start(DEVELOPER, subject="building", checks=(no_open_backfill,))
        entry = Stage("户室信息补录", DEVELOPER, org=initiating_org, subtasks=(...))
        review = Review("主管部门审批", [Role.REGULATOR], on_reject="entry")
        end = End()

The class reads like its diagram (node types in workflow/nodes/); the engine (engine.py)
implements the verbs once for all flows. A class registers itself when it is defined (pass
`register=False` for one that should not, e.g. a test's broken definition) and is validated
then, so a broken flow fails at start-up rather than on a user's click.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from netsign_console.errors import FlowDefinitionError
from netsign_console.workflow.data import CaseData, NoData
from netsign_console.workflow.nodes import HumanNode, Node, Start
from netsign_console.workflow.routing import initiating_org  # noqa: F401  (re-exported for flows)

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from models.workflow import Case
    from netsign_console.auth.principal import Principal


class Flow:
    """Base of every case type. The class docstring's first line is the default title."""

    code: ClassVar[str] = ""
    title: ClassVar[str] = ""
    prefix: ClassVar[str] = ""
    version: ClassVar[int] = 1
    # The 业务受理 menu group (the Hunan manual's business areas: 测绘成果备案, 预售许可 ...).
    category: ClassVar[str] = ""
    data_model: ClassVar[type[CaseData]] = NoData
    # STOCK-07: a version accepts new cases only inside this window; old cases finish on it.
    accept_from: ClassVar[date | None] = None
    accept_until: ClassVar[date | None] = None
    # Collected by __init_subclass__, in definition order (inherited nodes first).
    nodes: ClassVar[dict[str, Node]] = {}

    def __init_subclass__(cls, register: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        nodes = dict(cls.nodes)
        for name, value in cls.__dict__.items():
            if isinstance(value, Node):
                nodes[name] = value
            elif value is None and name in nodes:  # a later version drops an inherited node
                del nodes[name]
        cls.nodes = nodes
        if not cls.__dict__.get("title") and cls.__dict__.get("__doc__"):
            cls.title = cls.__doc__.strip().splitlines()[0].strip()
        if register and cls.code and not cls.__dict__.get("abstract", False):
            from netsign_console.workflow import registry

            registry.register(cls)

    # ----- reading the definition -------------------------------------------------------------

    @classmethod
    def node(cls, code: str) -> Node:
        try:
            return cls.nodes[code]
        except KeyError:
            raise FlowDefinitionError(f"{cls.label()}: no node '{code}'") from None

    @classmethod
    def stage(cls, code: str) -> HumanNode:
        """A human node (Stage or Review) by code."""
        node = cls.node(code)
        if not isinstance(node, HumanNode):
            raise FlowDefinitionError(f"{cls.label()}: '{code}' is a {node.kind}, not a stage")
        return node

    @classmethod
    def stages(cls) -> dict[str, HumanNode]:
        """The human nodes (the tasks people hold), in declaration order."""
        return {code: n for code, n in cls.nodes.items() if isinstance(n, HumanNode)}

    @classmethod
    def start_node(cls) -> Start:
        found = [n for n in cls.nodes.values() if isinstance(n, Start)]
        if len(found) != 1:
            raise FlowDefinitionError(f"{cls.label()}: needs exactly one Start node, found {len(found)}")
        return found[0]

    @classmethod
    def following(cls, code: str) -> str | None:
        """The node declared after `code` (what `next=None` means)."""
        codes = list(cls.nodes)
        index = codes.index(code)
        return codes[index + 1] if index + 1 < len(codes) else None

    @classmethod
    def targets(cls, code: str) -> tuple[str, ...]:
        return cls.node(code).targets(cls)

    @classmethod
    def first_stage(cls) -> HumanNode:
        """The stage the accepted case opens with (the Start's target, through no automatic node)."""
        return cls.stage(cls.start_node().targets(cls)[0])

    @classmethod
    def accept_roles(cls) -> tuple[str, ...]:
        return cls.start_node().roles

    @classmethod
    def roles(cls) -> set[str]:
        """Every role the flow names: those may act on its cases (menus and permissions derive from it)."""
        out = set(cls.start_node().roles)
        for node in cls.stages().values():
            out.update(node.roles)
        return out

    @classmethod
    def points_of_no_return(cls) -> tuple[str, ...]:
        return tuple(code for code, s in cls.stages().items() if s.point_of_no_return)

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
    def slug(cls) -> str:
        """The code as it appears in URLs (/accept/room-backfill)."""
        return cls.code.replace("_", "-")

    @classmethod
    def subject_kind(cls):
        """The SubjectKind the start form picks (None: a flow without a subject)."""
        from netsign_console.workflow.subjects import resolve_subject_kind

        return resolve_subject_kind(cls.start_node().subject)

    @classmethod
    def data_of(cls, case: "Case") -> CaseData:
        """The case's typed data (validated on every save, so reading it cannot fail)."""
        return cls.data_model.model_validate(dict(case.data or {}))

    @classmethod
    def set_data(cls, case: "Case", **values: Any) -> CaseData:
        """Change fields of the case's typed data (ValidationFailed, in Chinese, if they do not fit)."""
        from netsign_console.workflow.data import dump_data, validate_data

        typed = validate_data(cls.data_model, {**dict(case.data or {}), **values})
        case.data = dump_data(typed)
        return typed

    @classmethod
    def validate(cls) -> None:
        """Raise FlowDefinitionError naming every inconsistency (see validation.py)."""
        from netsign_console.workflow.validation import validate_flow

        validate_flow(cls)

    # ----- hooks (override in a flow; the engine calls them on an instance) -------------------

    def __init__(self, principal: "Principal | None" = None) -> None:
        # Who triggered the hook (for audit records); None outside a verb.
        self.principal = principal

    def case_title(self, session: "Session", subject: Any, data: CaseData) -> str:
        """The list title of a new case: "<subject> <flow title>" by default."""
        kind = self.subject_kind()
        name = kind.title_of(subject) if kind is not None and subject is not None else ""
        return f"{name}{self.title}" if name else self.title

    def on_accept(self, session: "Session", case: "Case", subject: Any) -> None:
        """The case was accepted (reserve what it needs, e.g. mark the subject pending)."""

    def on_archive(self, session: "Session", case: "Case", decision: str | None) -> None:
        """The case reached an End (with the decision of the review that led there, if any)."""

    def on_cancel(self, session: "Session", case: "Case") -> None:
        """The case was cancelled: undo what accepting it reserved."""

    def describe_subject(self, session: "Session", case: "Case") -> list[tuple[str, str]]:
        """(label, value) rows of the entity the case concerns, for the case page (WF-05).

        Personal data must come masked: the case page is seen by every party of the case."""
        kind = self.subject_kind()
        if kind is None or case.subject_id is None:
            return []
        obj = session.get(kind.model, case.subject_id)
        return kind.describe(session, obj) if obj is not None else []
