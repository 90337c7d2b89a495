"""The generic 业务受理 page's data, from the flows' Start declarations (no page per flow).

    catalogue(principal)                  the case types the user may accept, grouped by category
    start_form(principal, code)           the flow's start form: title, hint, what to pick
    search(session, principal, code, t)   at most 20 subjects matching as the user types
    preview(session, principal, code, id) the picked subject's rows and the acceptance checks' refusals

engine.accept runs the same checks again inside its transaction; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from netsign_console.auth.principal import Principal
from netsign_console.errors import PermissionDenied
from netsign_console.workflow.nodes import AcceptContext
from netsign_console.workflow.registry import UnknownFlow, accepting_flows, get_flow
from netsign_console.workflow.subjects import SubjectOption

# The Hunan manual's business areas (SYS-01), in its order; a category not listed comes last.
CATEGORY_ORDER = ("测绘成果备案", "物管用房管理", "预售资金监管", "预售许可", "预售签约", "退房", "在建工程抵押",
                  "现售许可", "现售签约", "补充功能", "用户入网")


@dataclass(frozen=True)
class FlowEntry:
    code: str
    slug: str
    title: str
    hint: str
    prefix: str


@dataclass(frozen=True)
class Category:
    title: str
    flows: list[FlowEntry] = field(default_factory=list)


@dataclass(frozen=True)
class StartForm:
    code: str
    title: str
    category: str
    hint: str
    subject_label: str  # "" for a flow without a subject
    placeholder: str
    list_first: bool
    note: str = ""  # the subject kind's note for this city's settings


def _category_rank(title: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(title), "") if title in CATEGORY_ORDER else (len(CATEGORY_ORDER), title)


def catalogue(principal: Principal) -> list[Category]:
    groups: dict[str, list[FlowEntry]] = {}
    for flow in accepting_flows(principal.role):
        groups.setdefault(flow.category, []).append(
            FlowEntry(flow.code, flow.slug(), flow.title, flow.start_node().hint, flow.prefix))
    return [Category(title, groups[title]) for title in sorted(groups, key=_category_rank)]


def menu_entries(principal: Principal) -> list[dict]:
    """The sidebar's 业务受理 group: one entry per category this user may accept in."""
    return [{"label": c.title, "route": f"/accept?group={c.title}", "icon": "circle"} for c in catalogue(principal)]


def flow_for_slug(principal: Principal, slug: str):
    """The current flow behind /accept/<slug>, if this user may accept it (else PermissionDenied)."""
    code = (slug or "").replace("-", "_")
    try:
        flow = get_flow(code)
    except UnknownFlow:
        raise PermissionDenied("业务类型不存在或当前不受理") from None
    if str(principal.role) not in flow.accept_roles():
        raise PermissionDenied(f"您没有受理“{flow.title}”业务的权限")
    return flow


def may_accept_slug(principal: Principal, slug: str) -> bool:
    try:
        flow_for_slug(principal, slug)
    except PermissionDenied:
        return False
    return True


def start_form(principal: Principal, slug: str) -> StartForm:
    flow = flow_for_slug(principal, slug)
    kind = flow.subject_kind()
    return StartForm(
        code=flow.code, title=flow.title, category=flow.category, hint=flow.start_node().hint,
        subject_label=kind.label if kind is not None else "",
        placeholder=kind.placeholder if kind is not None else "",
        list_first=kind.list_first if kind is not None else False,
        note=kind.note() if kind is not None else "",
    )


def search(session: Session, principal: Principal, slug: str, term: str) -> list[SubjectOption]:
    flow = flow_for_slug(principal, slug)
    kind = flow.subject_kind()
    return kind.search(session, principal, term) if kind is not None else []


def preview(session: Session, principal: Principal, slug: str, subject_id: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(the subject's rows, the acceptance checks' refusals) for the picked subject."""
    flow = flow_for_slug(principal, slug)
    kind = flow.subject_kind()
    subject = kind.load(session, principal, subject_id) if kind is not None else None
    ctx = AcceptContext(session, principal, flow, subject, {})
    start = flow.start_node()
    if start.initial_data is not None:
        ctx.data = dict(start.initial_data(ctx))
    rows = kind.describe(session, subject) if subject is not None else []
    return rows, start.refusals(ctx)
