"""May a room be signed now? The rules that say no, in the order a counter clerk checks them
(PERMIT-03, PMR-05, SIGN-04, MORT-01, FEATURES §1.17):

* a retired forecast room is not on the grid any more;
* a 物管用房 is never sold ("物管用房不能销售");
* while a permit change is in progress on the building, pre-sale signing waits;
* only rooms in a valid permit's scope are for sale, and only when 可售;
* every active restriction blocks, except a 在建工程抵押 the mortgagee authorised.

Plain data in, a Chinese reason (or None) out: the grid's hints, the signing step and the
contract issues all ask this one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from models.enums import Designation, RestrictionKind, TradeStatus


@dataclass(frozen=True)
class RoomFacts:
    trade_status: str
    designation: str | None = None
    retired: bool = False
    permitted: bool = False  # in the scope of a valid permit
    permit_changing: bool = False  # a permit change case is open on the building
    # (kind, sale_authorised) of every active restriction
    restrictions: tuple[tuple[str, bool], ...] = field(default_factory=tuple)


def restriction_refusals(restrictions: Iterable[tuple[str, bool]]) -> list[str]:
    out = []
    for kind, authorised in restrictions:
        if kind == RestrictionKind.CONSTRUCTION_MORTGAGE.value and authorised:
            continue
        label = RestrictionKind.label_of(kind)
        if kind == RestrictionKind.CONSTRUCTION_MORTGAGE.value:
            out.append(f"户室已设定{label}，未取得抵押权人签约授权")
        else:
            out.append(f"户室存在{label}")
    return out


def signing_refusal(room: RoomFacts) -> str | None:
    if room.retired:
        return "户室已注销，不能签约"
    if room.designation == Designation.PROPERTY_MGMT.value:
        return "物管用房不能销售"
    if room.permit_changing:
        return "该楼栋预售许可变更办理中，暂停签约"
    if not room.permitted:
        return "户室不在有效的预（现）售许可范围内"
    if room.trade_status != TradeStatus.SALEABLE.value:
        return f"户室当前为{TradeStatus.label_of(room.trade_status)}，不可签约"
    refusals = restriction_refusals(room.restrictions)
    if refusals:
        return "；".join(refusals) + "，不能签约"
    return None
