"""May a room be signed now? The rules that say no, in the order a counter clerk checks them
(PERMIT-03, PMR-05, SIGN-04, MORT-01, FEATURES §1.17):

* a retired forecast room is not on the grid any more;
* a 物管用房 is never sold ("物管用房不能销售");
* while a permit change is in progress on the building, pre-sale signing waits;
* only rooms in a valid permit's scope are for sale ("没有找到有效许可证户室信息", SIGN-02), and
  only when 可售 (a room in signing or sold says so);
* a seizure of any kind or an administrative restriction blocks with exactly
  "该户室已司法查封或行政限制" (SIGN-03); every other active restriction blocks too, except a
  在建工程抵押 the mortgagee authorised.

Checks that need other packages' data (the fund-supervision agreement of issue 10) are added
by those packages to services/saleability.py's registry; their messages live here so the
wording is in one place.

Plain data in, a Chinese reason (or None) out: the grid's hints, the signing step and the
contract issues all ask this one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from models.enums import Designation, RestrictionKind, TradeStatus


NO_VALID_PERMIT = "没有找到有效许可证户室信息"
SEIZED_OR_RESTRICTED = "该户室已司法查封或行政限制"
PROPERTY_MGMT_ROOM = "物管用房不能销售"
PERMIT_CHANGING = "该楼栋预售许可变更办理中，暂停签约"
IN_SIGNING = "该户室正在签约中，不能重复签约"
NO_FUND_SUPERVISION = "当前楼栋未资金监管，不能进行预售合同签约"
_SEIZURES = frozenset({RestrictionKind.SEIZURE.value, RestrictionKind.WAITING_SEIZURE.value,
                       RestrictionKind.PRE_SEIZURE.value, RestrictionKind.WAITING_PRE_SEIZURE.value,
                       RestrictionKind.ADMINISTRATIVE.value})
_SOLD = frozenset({TradeStatus.SIGNED.value, TradeStatus.FILED.value, TradeStatus.REGISTERED.value})


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
        return PROPERTY_MGMT_ROOM
    if room.permit_changing:
        return PERMIT_CHANGING
    if not room.permitted:
        return NO_VALID_PERMIT
    if room.trade_status == TradeStatus.SIGNING.value:
        return IN_SIGNING
    if room.trade_status in _SOLD:
        return f"该户室已售（{TradeStatus.label_of(room.trade_status)}），不能签约"
    if room.trade_status != TradeStatus.SALEABLE.value:
        return f"户室当前为{TradeStatus.label_of(room.trade_status)}，不可签约"
    if any(kind in _SEIZURES for kind, _authorised in room.restrictions):
        return SEIZED_OR_RESTRICTED
    refusals = restriction_refusals(room.restrictions)
    if refusals:
        return "；".join(refusals) + "，不能签约"
    return None
