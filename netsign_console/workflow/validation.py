"""Static checks of one flow class, run when it registers and again by validate_all().

Messages are for developers (English); every problem is listed, not only the first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.enums import Role
from netsign_console.errors import FlowDefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.workflow.flow import Flow

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PREFIX = re.compile(r"^[A-Z]$")
_ROLE_CODES = {r.value for r in Role}


def validate_flow(flow: type["Flow"]) -> None:
    errors = _header_errors(flow) + _stage_errors(flow)
    # The graph checks need every target to exist; report the basics first.
    if not errors:
        errors += _graph_errors(flow)
    if errors:
        raise FlowDefinitionError(f"{flow.label()}: " + "; ".join(errors))


def _header_errors(flow: type["Flow"]) -> list[str]:
    errors = []
    if not _CODE.match(flow.code or ""):
        errors.append(f"code {flow.code!r} must be a lower-case identifier")
    if not flow.title:
        errors.append("title is empty (set `title` or a docstring)")
    if not _PREFIX.match(flow.prefix or ""):
        errors.append(f"prefix {flow.prefix!r} must be one upper-case letter")
    if not isinstance(flow.version, int) or isinstance(flow.version, bool) or flow.version < 1:
        errors.append(f"version {flow.version!r} must be an integer >= 1")
    if flow.accept_from and flow.accept_until and flow.accept_from > flow.accept_until:
        errors.append("accept_from is after accept_until")
    if not flow.stages:
        errors.append("no stages")
    return errors


def _stage_errors(flow: type["Flow"]) -> list[str]:
    errors: list[str] = []
    stages = flow.stages
    accept = [code for code, s in stages.items() if s.accept]
    if len(accept) != 1:
        errors.append(f"needs exactly one accept stage, found {len(accept)} {accept}")
    else:
        missing = set(flow.accept_roles) - set(stages[accept[0]].roles)
        if missing:
            errors.append(f"accept_roles {sorted(missing)} cannot hold the accept stage '{accept[0]}'")
    codes = list(stages)
    for index, (code, s) in enumerate(stages.items()):
        where = f"stage '{code}'"
        if not s.title:
            errors.append(f"{where} has no title")
        if not s.roles:
            errors.append(f"{where} has no role")
        unknown = [r for r in s.roles if r not in _ROLE_CODES]
        if unknown:
            errors.append(f"{where} has unknown roles {unknown}")
        if s.archive and s.next is not None:
            errors.append(f"{where} is an archive stage but declares next")
        if callable(s.next):
            if not s.branches:
                errors.append(f"{where} has a callable next: declare its targets with branches=(...)")
        elif s.branches:
            errors.append(f"{where} declares branches without a callable next")
        if isinstance(s.next, str) and s.next not in stages:
            errors.append(f"{where} goes next to unknown stage '{s.next}'")
        if s.next is None and not s.archive and index == len(codes) - 1:
            errors.append(f"{where} is the last stage but neither archives nor declares next")
        for target in s.branches:
            if target not in stages:
                errors.append(f"{where} branches to unknown stage '{target}'")
        for target in s.returns_to:
            if target not in stages:
                errors.append(f"{where} returns to unknown stage '{target}'")
            elif target == code:
                errors.append(f"{where} returns to itself")
        if s.decisions is not None:
            if not s.archive:
                errors.append(f"{where} declares decisions but is not an archive stage")
            elif not s.decisions or not all(k and v for k, v in s.decisions.items()):
                errors.append(f"{where} declares empty decisions")
        unknown = [d for d in s.opinion_required_for if d not in (s.decisions or {})]
        if unknown:
            errors.append(f"{where} requires an opinion for unknown decisions {unknown}")
        if s.org is not None and not callable(s.org):
            errors.append(f"{where}: org must be a callable (case, session) -> org_id")
    return errors


def _reach(flow: type["Flow"], start: str) -> set[str]:
    """Stages reachable from `start` by dispatches (forward edges), excluding `start` itself."""
    seen: set[str] = set()
    todo = list(flow.next_targets(start))
    while todo:
        code = todo.pop()
        if code not in seen:
            seen.add(code)
            todo.extend(flow.next_targets(code))
    return seen


def _graph_errors(flow: type["Flow"]) -> list[str]:
    errors: list[str] = []
    stages = flow.stages
    reach = {code: _reach(flow, code) for code in stages}
    archives = {code for code, s in stages.items() if s.archive}
    if not archives:
        errors.append("no archive stage")
    for code in stages:
        # Going back is what returns are for; a dispatch loop would make "passed" meaningless.
        if code in reach[code]:
            errors.append(f"stage '{code}' can dispatch back to itself (a cycle): use returns_to")
        elif archives and not (reach[code] | {code}) & archives:
            errors.append(f"no archive stage is reachable from stage '{code}'")
    accept = flow.accept_stage().code
    reachable = {accept} | reach[accept]
    unreachable = [code for code in stages if code not in reachable]
    if unreachable:
        errors.append(f"stages {unreachable} cannot be reached from the accept stage '{accept}'")
    for code, s in stages.items():
        for target in s.returns_to:
            if code not in reach[target]:
                errors.append(f"stage '{code}' returns to '{target}', which does not come before it")
    for pnr in flow.points_of_no_return():
        allowed = reach[pnr] | {pnr}
        for code in reach[pnr]:
            for target in stages[code].returns_to:
                if target not in allowed:
                    errors.append(
                        f"stage '{code}' returns to '{target}', past the point of no return '{pnr}'"
                    )
    return errors
