"""Every flow class, all versions, keyed by (code, version).

A case stores its flow version, so old versions stay registered for as long as their
cases may still be open (STOCK-07); `get_flow(code)` picks the one accepting today.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Iterator

from netsign_console.errors import ConfigProblem, FlowDefinitionError
from netsign_console.workflow.times import local_date

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.workflow.flow import Flow

_flows: dict[tuple[str, int], type["Flow"]] = {}


class UnknownFlow(LookupError):
    """No flow with that code (or version, or none accepting on that day)."""


def register(flow: type["Flow"]) -> None:
    key = (flow.code, flow.version)
    existing = _flows.get(key)
    if existing is not None and existing is not flow and (existing.__module__, existing.__qualname__) != (
        flow.__module__, flow.__qualname__
    ):
        raise FlowDefinitionError(ConfigProblem(
            "F037", flow.label(), f"{existing.__name__} already registers {flow.code} v{flow.version}"))
    flow.validate()
    _flows[key] = flow


def unregister(flow: type["Flow"]) -> None:
    if _flows.get((flow.code, flow.version)) is flow:
        del _flows[(flow.code, flow.version)]


@contextmanager
def temporary_flows(*flows: type["Flow"]) -> Iterator[None]:
    """Register flows for the duration of a block, then restore the registry exactly.

    Tests define their flows with `register=False` and use this, so they never leak into
    all_flows() for other tests.
    """
    saved = dict(_flows)
    try:
        for flow in flows:
            register(flow)
        yield
    finally:
        _flows.clear()
        _flows.update(saved)


def all_flows() -> list[type["Flow"]]:
    return [_flows[key] for key in sorted(_flows)]


def get_flow(code: str, version: int | None = None, *, on: date | None = None) -> type["Flow"]:
    """A given version, or the current one: the newest version accepting on `on` (default today)."""
    if version is not None:
        try:
            return _flows[(code, version)]
        except KeyError:
            raise UnknownFlow(f"no flow {code} v{version}") from None
    versions = [flow for (c, _), flow in _flows.items() if c == code]
    if not versions:
        raise UnknownFlow(f"no flow {code}")
    day = on or local_date()
    accepting = [flow for flow in versions if flow.accepts_on(day)]
    if not accepting:
        raise UnknownFlow(f"no version of {code} accepts new cases on {day}")
    return max(accepting, key=lambda flow: flow.version)


def flow_title(code: str, version: int | None = None) -> str:
    """The case type's Chinese title for display; the code itself if the flow is gone."""
    matches = [f for (c, v), f in _flows.items() if c == code and (version is None or v == version)]
    return max(matches, key=lambda f: f.version).title if matches else code


def codes_titled(text: str) -> list[str]:
    """Case type codes whose title contains `text` (done-list search by 业务类型)."""
    return sorted({f.code for f in _flows.values() if text and text in f.title})


def roles_codes_for(role: str) -> list[str]:
    """Every Task.roles value a user of `role` may claim.

    Task.roles is written only from stage definitions, so the set of possible values is
    known here; the inbox then matches with `roles IN (...)`, which the
    (status, roles, org_id) index serves, instead of a LIKE that no index can.
    """
    return sorted(
        {s.roles_code for f in _flows.values() for s in f.stages().values() if str(role) in s.roles}
    )


def current_flows() -> list[type["Flow"]]:
    """One class per case type: the version accepting today, else the newest."""
    by_code: dict[str, list[type["Flow"]]] = {}
    for flow in all_flows():
        by_code.setdefault(flow.code, []).append(flow)
    day = local_date()
    out = []
    for versions in by_code.values():
        accepting = [f for f in versions if f.accepts_on(day)]
        out.append(max(accepting or versions, key=lambda f: f.version))
    return out


def flows_acting_role(role: str) -> list[type["Flow"]]:
    """Flows that name `role` anywhere (accepting or handling a stage)."""
    return [f for f in all_flows() if str(role) in f.roles()]


def accepting_flows(role: str) -> list[type["Flow"]]:
    """The case types a user of `role` may accept today, in menu order (category, then title)."""
    day = local_date()
    flows = [f for f in current_flows() if str(role) in f.accept_roles() and f.accepts_on(day)]
    return sorted(flows, key=lambda f: (f.category, f.title))


def stage_titles() -> list[str]:
    """Every stage title people see in lists (the inbox's 办理阶段 choices), in flow order."""
    return list(dict.fromkeys(s.title for f in current_flows() for s in f.stages().values()))


def stage_codes_titled(title: str) -> list[tuple[str, str]]:
    """(case type, stage code) pairs whose stage is shown as `title`."""
    return sorted({(f.code, c) for f in _flows.values() for c, s in f.stages().items() if s.title == title})


def check_flows() -> list[ConfigProblem]:
    """Every problem of every registered flow (start-up and a test report them together)."""
    from netsign_console.workflow.validation import flow_problems

    return [problem for flow in all_flows() for problem in flow_problems(flow)]


def validate_all() -> None:
    problems = check_flows()
    if problems:
        raise FlowDefinitionError(problems)
