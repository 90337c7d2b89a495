"""What a case can be about, and how the 业务受理 page picks it: subject kinds.

A flow's Start names one (`Start(..., subject="building")`). The start page searches it as the
user types (at most 20 matches, never a whole table), inside the user's row scope, and shows
the picked record's rows before accepting; the engine loads it again with the same scope.

Later modules add their own kinds (a permit, a contract, an agreement) with `subject_kind(...)`
next to their model; nothing here needs editing for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from sqlalchemy import or_
from sqlmodel import select

from netsign_console.admin.prefix import prefix_match
from netsign_console.admin.scope import scope_clause
from netsign_console.errors import ConfigProblem, FlowDefinitionError, PermissionDenied

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from netsign_console.auth.principal import Principal

NOT_FOUND = "记录不存在或无权访问"
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class SubjectOption:
    id: int
    label: str
    key: str  # a stable, readable key for element ids (a username, a building number ...)


@dataclass(frozen=True)
class SubjectKind:
    code: str
    label: str  # 楼栋, 用户 ...
    model: type
    # Columns searched by prefix (an index serves them) and by substring.
    prefix_columns: Sequence[str] = ()
    contains_columns: Sequence[str] = ()
    # Further matches for a typed term (e.g. a building by its project's name).
    search_also: Callable[[str], list] = lambda term: []
    title_of: Callable[[Any], str] = str
    key_of: Callable[[Any], str] = lambda obj: str(obj.id)
    describe_rows: Callable[["Session", Any], list[tuple[str, str]]] = lambda session, obj: []
    # Further conditions on which records may be picked at all (e.g. users not yet admitted).
    where: Callable[["Principal"], list] = lambda principal: []
    org_of: Callable[[Any], int | None] = lambda obj: getattr(obj, "developer_org_id", None)
    order_by: Sequence[str] = ("id",)
    # Show the first matches before anything is typed (small sets such as a developer's users).
    list_first: bool = True
    placeholder: str = ""
    # A note for the start form that depends on the city's settings (e.g. 文件导入: where to upload).
    note: Callable[[], str] = lambda: ""
    extra: dict = field(default_factory=dict)

    def _base(self, principal: "Principal"):
        stmt = select(self.model)
        clause = scope_clause(self.model, getattr(self.model, "__org_scope__", None), principal)
        if clause is not None:
            stmt = stmt.where(clause)
        for condition in self.where(principal):
            stmt = stmt.where(condition)
        return stmt

    def search(self, session: "Session", principal: "Principal", term: str, limit: int = SEARCH_LIMIT) -> list[SubjectOption]:
        term = (term or "").strip()[:50]
        if not term and not self.list_first:
            return []
        stmt = self._base(principal)
        if term:
            conditions = [prefix_match(getattr(self.model, c), term) for c in self.prefix_columns]
            conditions += [getattr(self.model, c).contains(term, autoescape=True) for c in self.contains_columns]
            conditions += self.search_also(term)
            stmt = stmt.where(or_(*conditions))
        stmt = stmt.order_by(*[getattr(self.model, c) for c in self.order_by]).limit(min(limit, SEARCH_LIMIT))
        return [SubjectOption(obj.id, self.title_of(obj), self.key_of(obj)) for obj in session.exec(stmt).all()]

    def load(self, session: "Session", principal: "Principal", subject_id: Any) -> Any:
        """The record, if this user may pick it; PermissionDenied (same words as missing) otherwise."""
        try:
            key = int(subject_id)
        except (TypeError, ValueError):
            raise PermissionDenied(NOT_FOUND) from None
        found = session.exec(self._base(principal).where(self.model.id == key)).first()
        if found is None:
            raise PermissionDenied(NOT_FOUND)
        return found

    def describe(self, session: "Session", obj: Any) -> list[tuple[str, str]]:
        return self.describe_rows(session, obj)


_KINDS: dict[str, SubjectKind] = {}


def subject_kind(kind: SubjectKind) -> SubjectKind:
    """Register a subject kind (at import of the module that owns its model)."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing is not kind and existing.model is not kind.model:
        raise FlowDefinitionError(ConfigProblem("S001", f"subject kind {kind.code!r}", "registered twice"))
    _KINDS[kind.code] = kind
    return kind


def resolve_subject_kind(ref: Any) -> SubjectKind | None:
    if ref is None or isinstance(ref, SubjectKind):
        return ref
    import netsign_console.workflow.subject_kinds  # noqa: F401  (the built-in kinds)

    try:
        return _KINDS[ref]
    except KeyError:
        raise FlowDefinitionError(ConfigProblem("S002", f"subject {ref!r}", f"unknown subject kind; known: {sorted(_KINDS)}")) from None


def known_subject_kinds() -> list[str]:
    import netsign_console.workflow.subject_kinds  # noqa: F401

    return sorted(_KINDS)
