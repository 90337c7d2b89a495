"""The building grid's fixed palette: one colour per trade status, one badge per marker.

The colours are light tints with a darker border and text of the same hue, so a grid stays
readable on screen and on a black-and-white printout (the border and the badge letters carry
the meaning where the tint is lost). The order is the order of a sale's life:

    不可售 grey · 可售 green · 签约中 amber · 已签约 orange · 已备案 blue · 已登记 purple-red

Markers are small one-character badges on a cell: restrictions (the four seizure kinds all show
as 查封), designations, and "待许可变更后可售" (PMR-04). Each has its own letter and colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Designation, RestrictionKind, TradeStatus


@dataclass(frozen=True)
class Swatch:
    """One legend entry's look: background, border and text colour (CSS hex)."""

    code: str
    label: str
    background: str
    border: str
    text: str


# Code of the catch-all status for a trade status the code list does not know (a data error):
# such rooms are still drawn and counted, so the legend always adds up to the rooms shown.
OTHER_STATUS = "other"

STATUS_SWATCHES: dict[str, Swatch] = {
    s.code: s
    for s in (
        Swatch(TradeStatus.NOT_FOR_SALE.value, TradeStatus.NOT_FOR_SALE.label, "#e5e7eb", "#9ca3af", "#374151"),
        Swatch(TradeStatus.SALEABLE.value, TradeStatus.SALEABLE.label, "#bbf7d0", "#16a34a", "#14532d"),
        Swatch(TradeStatus.SIGNING.value, TradeStatus.SIGNING.label, "#fef08a", "#ca8a04", "#713f12"),
        Swatch(TradeStatus.SIGNED.value, TradeStatus.SIGNED.label, "#fed7aa", "#ea580c", "#7c2d12"),
        Swatch(TradeStatus.FILED.value, TradeStatus.FILED.label, "#bfdbfe", "#2563eb", "#1e3a8a"),
        Swatch(TradeStatus.REGISTERED.value, TradeStatus.REGISTERED.label, "#fbcfe8", "#be185d", "#831843"),
    )
}
OTHER_SWATCH = Swatch(OTHER_STATUS, "其他状态", "#ffffff", "#111827", "#111827")


@dataclass(frozen=True)
class Marker:
    code: str
    label: str  # legend and tooltip
    letter: str  # the badge
    color: str  # badge background (white letter)


RELEASE_PENDING = "release_pending"

MARKERS: dict[str, Marker] = {
    m.code: m
    for m in (
        Marker("seizure", "查封", "封", "#dc2626"),
        Marker(RestrictionKind.ADMINISTRATIVE.value, "行政限制", "限", "#7c3aed"),
        Marker(RestrictionKind.MORTGAGE.value, "抵押", "押", "#0f766e"),
        Marker(RestrictionKind.CONSTRUCTION_MORTGAGE.value, "在建工程抵押", "建", "#0369a1"),
        Marker(RestrictionKind.ADVANCE_NOTICE.value, "预告登记", "预", "#4338ca"),
        Marker(RestrictionKind.OBJECTION.value, "异议", "异", "#a16207"),
        Marker(Designation.PROPERTY_MGMT.value, Designation.PROPERTY_MGMT.label, "物", "#475569"),
        Marker(Designation.RESETTLEMENT.value, Designation.RESETTLEMENT.label, "安", "#15803d"),
        Marker(Designation.RESERVED.value, Designation.RESERVED.label, "保", "#9f1239"),
        Marker(Designation.NON_ORDINARY.value, Designation.NON_ORDINARY.label, "非", "#57534e"),
        Marker(RELEASE_PENDING, "待许可变更后可售", "待", "#c2410c"),
    )
}

# Restriction kind -> marker: the seizure family is one marker (its exact kind is in the tooltip).
_RESTRICTION_MARKER = {
    RestrictionKind.SEIZURE.value: "seizure",
    RestrictionKind.WAITING_SEIZURE.value: "seizure",
    RestrictionKind.PRE_SEIZURE.value: "seizure",
    RestrictionKind.WAITING_PRE_SEIZURE.value: "seizure",
    RestrictionKind.ADMINISTRATIVE.value: RestrictionKind.ADMINISTRATIVE.value,
    RestrictionKind.MORTGAGE.value: RestrictionKind.MORTGAGE.value,
    RestrictionKind.CONSTRUCTION_MORTGAGE.value: RestrictionKind.CONSTRUCTION_MORTGAGE.value,
    RestrictionKind.ADVANCE_NOTICE.value: RestrictionKind.ADVANCE_NOTICE.value,
    RestrictionKind.OBJECTION.value: RestrictionKind.OBJECTION.value,
}
# A restriction kind outside the code list still restricts the room: shown as 行政限制.
_FALLBACK_RESTRICTION = RestrictionKind.ADMINISTRATIVE.value
_ORDER = {code: n for n, code in enumerate(MARKERS)}


def status_swatch(code: str) -> Swatch:
    return STATUS_SWATCHES.get(code, OTHER_SWATCH)


def status_code(code: str | None) -> str:
    """The legend's status for a stored trade status (unknown codes go to OTHER_STATUS)."""
    return code if code in STATUS_SWATCHES else OTHER_STATUS


def restriction_marker(kind: str) -> str:
    return _RESTRICTION_MARKER.get(kind, _FALLBACK_RESTRICTION)


def room_markers(restriction_kinds: list[str] | tuple[str, ...], designation: str | None,
                 release_pending: bool) -> tuple[str, ...]:
    """The marker codes of one room, each once, in the legend's order."""
    codes = {restriction_marker(kind) for kind in restriction_kinds}
    if designation in MARKERS:
        codes.add(designation)
    if release_pending:
        codes.add(RELEASE_PENDING)
    return tuple(sorted(codes, key=_ORDER.__getitem__))


def css() -> str:
    """The stylesheet of the palette: `.st-<status>` for cells and swatches, `.mk-<marker>` for badges."""
    rules = [f".st-{s.code}{{background:{s.background};border-color:{s.border};color:{s.text}}}"
             for s in (*STATUS_SWATCHES.values(), OTHER_SWATCH)]
    rules += [f".mk-{m.code}{{background:{m.color}}}" for m in MARKERS.values()]
    return "".join(rules)
