"""Document kinds, declared in code: one small DocumentKind per kind of document.

    register_kind(DocumentKind(
        code="presale_permit", title="商品房预售许可证",
        sample=lambda: {...},                    # plain data for the editor's preview
        templates={"": "presale_permit.html"},   # variant -> default file in templates/
    ))

The default file becomes version 1 in the database (seed_templates); from then on the
regulator edits it in the console and the database holds every version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

# Shown in the editor's variant picker; a kind with a single layout uses "".
VARIANT_LABELS = {"": "标准版式", "electronic": "电子合同", "paper": "纸质合同"}


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    # Returns fresh sample data each call (a template must never change it for the next one).
    sample: Callable[[], dict[str, Any]]
    templates: dict[str, str | Path] = field(default_factory=lambda: {"": ""})
    description: str = ""
    # (session, document) -> further (label, text) rows the public verify page shows, masked: what
    # the document's entity says now (a contract: 已备案 / 已退房 and its filing number).
    verify_rows: Callable[[Any, Any], list[tuple[str, str]]] | None = None
    # Where the kind stands in the template editor's list (the chain's order: permits, agreements,
    # contracts; the editor opens on the first): declared, so the list does not depend on which
    # module was imported first.
    order: int = 100

    def default_body(self, variant: str = "") -> str:
        name = self.templates[variant]
        path = Path(name) if Path(name).is_absolute() else TEMPLATE_DIR / name
        return path.read_text(encoding="utf-8")

    @property
    def variants(self) -> list[str]:
        return list(self.templates)


_KINDS: dict[str, DocumentKind] = {}


class UnknownKind(LookupError):
    pass


def register_kind(kind: DocumentKind) -> DocumentKind:
    existing = _KINDS.get(kind.code)
    # A module imported twice re-declares its kind with new lambdas: that is not a clash.
    if existing is not None and (existing.title, existing.templates) != (kind.title, kind.templates):
        raise ValueError(f"document kind {kind.code!r} is declared twice")
    if not kind.templates:
        raise ValueError(f"document kind {kind.code!r} has no default template")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> DocumentKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownKind(f"未知的文书类型：{code}") from None


def all_kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


def variant_label(variant: str) -> str:
    return VARIANT_LABELS.get(variant, variant)
