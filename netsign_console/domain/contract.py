"""Rules of a new-house contract that need no database (SIGN-05, SIGN-06, SIGN-14; FEATURES §5.2):

* the parties: at least one buyer; each with a name, an ID of its type (a resident ID by
  GB 11643, a credit code by GB 32100, permits and passports by their formats), a mobile
  number, and a share; several parties' shares (共有份额) add up to exactly 100 %; one ID
  appears once;
* the price: 建筑面积 × 单价 to the fen unless an agreed total is entered (loan.contract_total),
  with the gap;
* the contract number: readable and sequential per city and year (the counter is in
  numbering.py), YS (预售) / XS (现售) + the city's division code + year + 6 digits;
* which status may follow which.

Problems come back as {field: Chinese message}, with fields named "parties.0.id_number" so a
form can show each one at its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from netsign_console.domain.decimals import decimal_places
from netsign_console.domain.loan import ContractTotal, contract_total
from netsign_console.domain.validators import normalize_credit_code, normalize_id_number, normalize_mobile

__all__ = [
    "FULL_SHARE",
    "Party",
    "check_parties",
    "check_transition",
    "contract_number",
    "normalize_party_id",
    "price_of",
]

FULL_SHARE = Decimal("100.00")
MAX_PARTIES = 10
KIND_LETTERS = {"presale": "YS", "spot_sale": "XS"}

# The resident-ID rule needs none of these: it has its own validator.
_ID_FORMATS = {
    "passport": (re.compile(r"[A-Z0-9]{5,20}", re.ASCII), "护照号码应为5至20位字母或数字"),
    "hk_macao_permit": (re.compile(r"[HM][0-9]{8}([0-9]{2})?", re.ASCII),
                        "港澳居民来往内地通行证号码应为H或M加8位（或10位）数字"),
    "taiwan_permit": (re.compile(r"[0-9]{8}([0-9]{2})?", re.ASCII), "台湾居民来往大陆通行证号码应为8位（或10位）数字"),
    "foreign_permanent": (re.compile(r"[A-Z]{3}[0-9]{12}|9[0-9]{17}", re.ASCII),
                          "外国人永久居留身份证号码应为3位字母加12位数字，或以9开头的18位数字"),
}
_ID_TYPES = ("resident_id", "credit_code", *_ID_FORMATS)


@dataclass(frozen=True)
class Party:
    """A buyer or co-owner as the entry form gives it (strings as typed; share in per cent)."""

    name: str
    id_type: str
    id_number: str
    phone: str
    address: str = ""
    share: str | Decimal | None = None
    role: str = "buyer"


def normalize_party_id(id_type: str, id_number: str) -> str:
    """The canonical ID number of its type; ValueError with a Chinese message otherwise."""
    value = re.sub(r"\s", "", id_number or "").upper()
    if not value:
        raise ValueError("证件号码不能为空")
    if id_type == "resident_id":
        return normalize_id_number(value)
    if id_type == "credit_code":
        return normalize_credit_code(value)
    if id_type not in _ID_FORMATS:
        raise ValueError("请选择证件类型")
    pattern, message = _ID_FORMATS[id_type]
    if not pattern.fullmatch(value):
        raise ValueError(message)
    return value


def _share(value: str | Decimal | None, alone: bool) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        if alone:
            return FULL_SHARE  # a sole buyer owns the whole
        raise ValueError("有多个购房人时请填写每人的共有份额")
    try:
        share = value if isinstance(value, Decimal) else Decimal(str(value).strip().rstrip("%％"))
    except InvalidOperation:
        raise ValueError("共有份额应为数字，如50或33.33") from None
    if not share.is_finite() or share <= 0 or share > FULL_SHARE:
        raise ValueError("共有份额应大于0且不超过100")
    if decimal_places(share.normalize()) > 2:
        raise ValueError("共有份额最多保留2位小数")
    return share.quantize(Decimal("0.01"))


def check_parties(parties: Sequence[Party]) -> tuple[list[Party], dict[str, str]]:
    """(the parties normalised, {field: message}); a party with problems is left as typed."""
    errors: dict[str, str] = {}
    if not parties:
        return [], {"parties": "请至少录入一名买受人"}
    if len(parties) > MAX_PARTIES:
        return list(parties), {"parties": f"购房人最多{MAX_PARTIES}名"}
    if parties[0].role != "buyer":
        errors["parties.0.role"] = "第一名购房人应为买受人"
    out: list[Party] = []
    seen: dict[str, int] = {}
    shares_ok = True
    total = Decimal(0)
    alone = len(parties) == 1
    for index, party in enumerate(parties):
        key = f"parties.{index}"
        values = {}
        name = (party.name or "").strip()
        if not name:
            errors[f"{key}.name"] = "请填写姓名或名称"
        elif len(name) > 100:
            errors[f"{key}.name"] = "姓名或名称不能超过100个字"
        values["name"] = name
        if party.role not in ("buyer", "co_owner"):
            errors[f"{key}.role"] = "身份应为买受人或共有人"
        if party.id_type not in _ID_TYPES:
            errors[f"{key}.id_type"] = "请选择证件类型"
            values["id_number"] = party.id_number
        else:
            try:
                values["id_number"] = normalize_party_id(party.id_type, party.id_number)
            except ValueError as exc:
                errors[f"{key}.id_number"] = str(exc)
                values["id_number"] = party.id_number
            else:
                if values["id_number"] in seen:
                    errors[f"{key}.id_number"] = f"与第{seen[values['id_number']] + 1}名购房人的证件号码相同"
                seen.setdefault(values["id_number"], index)
        try:
            values["phone"] = normalize_mobile(party.phone)
        except ValueError as exc:
            errors[f"{key}.phone"] = str(exc)
            values["phone"] = party.phone
        address = (party.address or "").strip()
        if len(address) > 200:
            errors[f"{key}.address"] = "通讯地址不能超过200个字"
        values["address"] = address
        try:
            values["share"] = _share(party.share, alone)
            total += values["share"]
        except ValueError as exc:
            errors[f"{key}.share"] = str(exc)
            values["share"] = party.share
            shares_ok = False
        out.append(Party(role=party.role, id_type=party.id_type, **values))
    # A sum over shares already refused would only mislead.
    if shares_ok and total != FULL_SHARE:
        errors["parties"] = f"各购房人共有份额合计为{total:f}%，应为100%"
    return out, errors


def price_of(gross_area: Decimal, unit_price: Decimal, agreed_total: Decimal | None = None) -> ContractTotal:
    """The contract's total, the computed one and the gap (loan.contract_total)."""
    return contract_total(gross_area, unit_price, agreed_total)


def contract_number(kind: str, city_code: str, year: int, sequence: int) -> str:
    """YS430100-2026-000017: kind, city, year, the city's sequence of that year."""
    if kind not in KIND_LETTERS:
        raise ValueError(f"未知的合同类型：{kind}")
    if not re.fullmatch(r"[0-9]{6}", city_code or "", re.ASCII):
        raise ValueError("城市行政区划代码应为6位数字")
    return f"{KIND_LETTERS[kind]}{city_code}-{year}-{sequence:06d}"


# Which status may follow which; everything not listed is refused.
_NEXT: Mapping[str, tuple[str, ...]] = {
    "draft": ("awaiting_signature", "withdrawn"),
    "awaiting_signature": ("draft", "signed", "withdrawn"),
    "signed": ("sealed", "withdrawn", "unwound"),
    "sealed": ("filed", "withdrawn", "unwound"),
    "filed": ("unwound",),
    "unwound": (),
    "withdrawn": (),
}
_LABELS = {"draft": "草拟", "awaiting_signature": "待签署", "signed": "已签署", "sealed": "已盖章",
           "filed": "已备案", "unwound": "已退房", "withdrawn": "已撤销"}


def check_transition(current: str, target: str) -> str | None:
    """None when the contract may go from `current` to `target`, else why not (Chinese)."""
    if target in _NEXT.get(current, ()):
        return None
    return f"合同当前为{_LABELS.get(current, current)}，不能变为{_LABELS.get(target, target)}"


# ----- 资金缴款通知单 (SIGN-07) ------------------------------------------------------------------

_CENT = Decimal("0.01")


def amount_due(method: str, total: Decimal, down_payment: Decimal | None,
               first_instalment: Decimal | None) -> Decimal:
    """What the payment notice asks the buyer to pay into the supervision account before
    signing: the whole price (一次性付款), the first instalment (分期付款), the down payment
    (the three loan methods: the loans are paid in by the lenders later)."""
    if method == "lump_sum":
        return total
    if method == "instalment":
        if first_instalment is None:
            raise ValueError("请先录入分期付款计划")
        return first_instalment
    if down_payment is None:
        raise ValueError("请先录入首付款")
    return down_payment


def check_payment(due: Decimal, paid_before: Decimal, amount: Decimal | None) -> str | None:
    """Why a payment of `amount` cannot be recorded (None: it can): positive, to the fen, and
    never more than is still due."""
    if amount is None:
        return "请填写缴款金额"
    if not amount.is_finite() or amount <= 0:
        return "缴款金额应大于0"
    if decimal_places(amount.normalize()) > 2:
        return "缴款金额最多保留2位小数（精确到分）"
    left = due - paid_before
    if amount > left:
        return f"缴款金额超出尚需缴纳的{left.quantize(_CENT):,}元"
    return None


def payment_complete(due: Decimal, paid: Sequence[Decimal]) -> bool:
    """Done exactly when the payments add up to the amount due, to the fen."""
    return sum(paid, Decimal("0")).quantize(_CENT) == due.quantize(_CENT)
