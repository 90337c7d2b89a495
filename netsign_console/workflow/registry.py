"""Every flow class, all versions, keyed by (code, version).

A case stores its flow version, so old versions stay registered for as long as their
cases may still be open (STOCK-07); `get_flow(code)` picks the one accepting today.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Iterator

from netsign_console.errors import FlowDefinitionError
from netsign_console.workflow.times import local_date

if TYPE_CHECKING:  # pragma: no cover
    from netsign_console.workflow.flow import Flow

_flows: dict[tuple[str, int], type["Flow"]] = {}


class UnknownFlow(LookupError):
    """No flow with that code (or version, or none accepting on that day)."""


def register(flow: type["Flow"]) -> None:
    key = (flow.code, flow.version)
    existing = _flows.get(key)
    if existing is not None and existing is not flow:
        raise FlowDefinitionError(
            f"{flow.label()}: {existing.__name__} already registers {flow.code} v{flow.version}"
        )
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
        {s.roles_code for f in _flows.values() for s in f.stages.values() if str(role) in s.roles}
    )


def validate_all() -> None:
    for flow in all_flows():
        flow.validate()
