"""Static checks of one flow class, run when it registers and again by check_flows().

Every problem is collected (not only the first) as a ConfigProblem with a stable code;
docs/configuration-errors.md lists the codes. Messages are for developers (English).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.enums import Role
from netsign_console.errors import ConfigProblem, FlowDefinitionError
from netsign_console.workflow.data import CaseData
from netsign_console.workflow.nodes import End, HumanNode, Join, Review, Split, Start, Switch
from netsign_console.workflow.routing import OrgRule

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.workflow.flow import Flow

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PREFIX = re.compile(r"^[A-Z]$")
_ROLE_CODES = {r.value for r in Role}


def validate_flow(flow: type["Flow"]) -> None:
    problems = flow_problems(flow)
    if problems:
        raise FlowDefinitionError(problems)


def flow_problems(flow: type["Flow"]) -> list[ConfigProblem]:
    where = flow.label()
    out: list[ConfigProblem] = []

    def add(code: str, detail: str, node: str = "") -> None:
        out.append(ConfigProblem(code, f"{where}{'.' + node if node else ''}", detail))

    from netsign_console.workflow.flow import Flow as Base

    hidden = [code for code in flow.nodes if hasattr(Base, code)]
    for code in hidden:
        add("F038", f"node name '{code}' hides Flow.{code}: choose another name", code)
    if hidden:  # the class's own attributes are not what they should be: nothing else is reliable
        return out
    _header(flow, add)
    _nodes(flow, add)
    if not out:  # the graph checks need every target to exist
        _graph(flow, add)
    return out


def _header(flow, add) -> None:
    if not _CODE.match(flow.code or ""):
        add("F001", f"code {flow.code!r} must be a lower-case identifier")
    if not flow.title:
        add("F002", "title is empty (set `title` or a docstring)")
    if not _PREFIX.match(flow.prefix or ""):
        add("F003", f"prefix {flow.prefix!r} must be one upper-case letter")
    if not isinstance(flow.version, int) or isinstance(flow.version, bool) or flow.version < 1:
        add("F004", f"version {flow.version!r} must be an integer >= 1")
    if flow.accept_from and flow.accept_until and flow.accept_from > flow.accept_until:
        add("F005", "accept_from is after accept_until")
    if not (isinstance(flow.data_model, type) and issubclass(flow.data_model, CaseData)):
        add("F024", "data_model must be a CaseData subclass")
    if not flow.category:
        add("F036", "category is empty: it names the 业务受理 menu group")


def _roles(node, add) -> None:
    if not node.roles:
        add("F008", "has no role", node.code)
    unknown = [r for r in node.roles if r not in _ROLE_CODES]
    if unknown:
        add("F007", f"unknown roles {unknown}", node.code)


def _nodes(flow, add) -> None:
    nodes = flow.nodes
    starts = [c for c, n in nodes.items() if isinstance(n, Start)]
    if len(starts) != 1:
        add("F006", f"needs exactly one Start node, found {starts}")
    if not any(isinstance(n, End) for n in nodes.values()):
        add("F011", "no End node")
    fields = set(getattr(flow.data_model, "model_fields", {}))
    for code, node in nodes.items():
        for target in node.targets(flow):
            if target not in nodes:
                add("F009", f"goes to unknown node '{target}'", code)
        if not node.targets(flow) and not isinstance(node, End):
            add("F032", "is the last node but is not an End and declares no next", code)
        if isinstance(node, Start):
            _roles(node, add)
            first = node.targets(flow)
            if first and first[0] in nodes and not isinstance(nodes[first[0]], HumanNode):
                add("F017", f"must lead to a human stage, not '{first[0]}'", code)
            if node.subject is not None:
                try:
                    flow.subject_kind()
                except FlowDefinitionError as exc:
                    add("F031", str(exc), code)
        if isinstance(node, HumanNode):
            _roles(node, add)
            for target in node.returns_to:
                if target not in nodes or not isinstance(nodes[target], HumanNode):
                    add("F010", f"returns to '{target}', which is not a stage", code)
                elif target == code:
                    add("F010", "returns to itself", code)
            if node.org is not None and not isinstance(node.org, OrgRule):
                add("F022", "org must be a routing rule (workflow/routing.py)", code)
            elif node.org is not None:
                for name in node.org.fields():
                    if name not in fields:
                        add("F023", f"routes on data field {name!r}, not in {flow.data_model.__name__}", code)
            _subtasks(flow, node, add)
        if isinstance(node, Review):
            if node.on_reject not in nodes:
                add("F027", f"on_reject names unknown node '{node.on_reject}'", code)
            if not node.decisions or not all(k and v for k, v in node.decisions.items()):
                add("F028", "declares empty decisions", code)
            elif set(node.decisions) != {"approve", "reject"}:
                add("F028", "decisions must be exactly approve and reject (their labels may differ)", code)
            unknown = [d for d in node.opinion_required_for if d not in node.decisions]
            if unknown:
                add("F029", f"requires an opinion for unknown decisions {unknown}", code)
        if isinstance(node, Switch) and not node.default:
            add("F030", "needs a default target", code)
        if isinstance(node, Split):
            if node.join not in nodes or not isinstance(nodes[node.join], Join):
                add("F018", f"join '{node.join}' is not a Join node", code)
            if not node.branches:
                add("F019", "has no branches", code)
            if node.per is not None and len(node.branches) != 1:
                add("F021", "a split `per` item opens one branch stage", code)
    _codes_across_stages(nodes, add)


def _codes_across_stages(nodes, add) -> None:
    # The case page shows every stage's sub-tasks with the code in their element ids and routes,
    # so a code used by two stages would answer for both.
    owner: dict[str, str] = {}
    for code, node in nodes.items():
        if not isinstance(node, HumanNode):
            continue
        for sub in node.subtasks:
            first = owner.setdefault(sub.code, code)
            if first != code:
                add("F041", f"sub-task code {sub.code!r} is used by '{first}' too: give one an explicit code=", code)


def _subtasks(flow, node: HumanNode, add) -> None:
    seen = set()
    for sub in node.subtasks:
        if sub.code in seen:
            add("F025", f"two sub-tasks share the code {sub.code!r}: give one an explicit code=", node.code)
        seen.add(sub.code)
        data_field = getattr(sub, "data_field", None)
        if data_field and flow.data_model is not None and data_field not in flow.data_model.model_fields:
            add("F039", f"sub-task {sub.code!r} keeps its choice in {data_field!r}, which "
                        f"{flow.data_model.__name__} does not declare", node.code)
        if sub.kind == "document":
            from netsign_console.documents.kinds import UnknownKind, get_kind
            import netsign_console.documents.catalog  # noqa: F401

            try:
                get_kind(sub.document_kind)
            except UnknownKind:
                add("F040", f"sub-task {sub.code!r}: unknown document kind {sub.document_kind!r}", node.code)
            continue
        if sub.kind == "rooms":
            from netsign_console.admin.base import admin_for
            import netsign_console.admin.admins  # noqa: F401

            unknown = [f for f in (*sub.fields, *sub.required_fields) if f not in admin_for("rooms").columns]
            if unknown:
                add("F026", f"sub-task {sub.code!r}: rooms have no columns {unknown}", node.code)
            continue
        admin_ref = getattr(sub, "admin_ref", None)
        if admin_ref is None:
            continue
        try:
            admin = sub.admin
        except KeyError:
            add("F026", f"sub-task {sub.code!r}: unknown admin {admin_ref!r}", node.code)
            continue
        unknown = [f for f in sub.declared_columns() if f not in admin.columns]
        if unknown:
            add("F026", f"sub-task {sub.code!r}: {type(admin).__name__} has no columns {unknown}", node.code)


# ----- the graph ------------------------------------------------------------------------------


def _reach(flow, start: str) -> set[str]:
    """Nodes reachable from `start` by moving forward, excluding `start` itself."""
    seen: set[str] = set()
    todo = list(flow.targets(start))
    while todo:
        code = todo.pop()
        if code not in seen:
            seen.add(code)
            todo.extend(flow.targets(code))
    return seen


def _forward_reach(flow, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        code = todo.pop()
        if code not in seen:
            seen.add(code)
            todo.extend(flow.node(code).forward(flow))
    return seen


def _graph(flow, add) -> None:
    nodes = flow.nodes
    reach = {code: _reach(flow, code) for code in nodes}
    ends = {c for c, n in nodes.items() if isinstance(n, End)}
    # Going back is what returns are for; a forward cycle would make "passed" meaningless.
    # A Review's 不通过 edge back to a stage is a return too, so it is left out here.
    forward = {c: set(n.forward(flow)) for c, n in nodes.items()}
    for code in nodes:
        todo, seen = list(forward[code]), set()
        while todo:
            c = todo.pop()
            if c == code:
                add("F012", "can move forward back to itself (a cycle): use returns_to", code)
                break
            if c not in seen:
                seen.add(c)
                todo.extend(forward[c])
        if not isinstance(nodes[code], End) and not (reach[code] & ends):
            add("F013", "no End is reachable from here", code)
    start = flow.start_node().code
    unreachable = [c for c in nodes if c != start and c not in reach[start]]
    if unreachable:
        add("F014", f"nodes {unreachable} cannot be reached from the Start")
    # Returns are judged on the forward graph: a return goes to a node the case passed.
    ahead = {code: _forward_reach(flow, code) - {code} for code in nodes}
    for code, node in nodes.items():
        if not isinstance(node, HumanNode):
            continue
        backs = list(node.returns_to)
        if isinstance(node, Review) and node.rejects_by_return(flow):
            backs.append(node.on_reject)
        for target in backs:
            if code not in ahead[target]:
                add("F015", f"returns to '{target}', which does not come before it", code)
    for pnr in flow.points_of_no_return():
        allowed = ahead[pnr] | {pnr}
        for code in ahead[pnr]:
            node = nodes[code]
            backs = list(getattr(node, "returns_to", ()))
            if isinstance(node, Review) and node.rejects_by_return(flow):
                backs.append(node.on_reject)
            for target in backs:
                if target not in allowed:
                    add("F016", f"returns to '{target}', past the point of no return '{pnr}'", code)
    for code, node in nodes.items():
        if isinstance(node, Split):
            _split(flow, code, node, add)


def _split(flow, code: str, split: Split, add) -> None:
    branches = split.branch_members(flow)
    all_members = set().union(*branches.values()) if branches else set()
    for branch, members in branches.items():
        for member in members:
            node = flow.nodes[member]
            if isinstance(node, (End, Split, Start)):
                add("F020", f"branch '{branch}' contains {node.kind} '{member}': a branch runs to the join", code)
            if isinstance(node, HumanNode):
                backs = list(node.returns_to)
                if isinstance(node, Review) and node.rejects_by_return(flow):
                    backs.append(node.on_reject)
                for target in backs:
                    if target in all_members and target not in members:
                        add("F034", f"'{member}' returns into another branch ('{target}')", code)
        if split.join not in _forward_reach(flow, branch):
            add("F019", f"branch '{branch}' never reaches the join '{split.join}'", code)
