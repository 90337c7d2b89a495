"""Contract rules without a database (domain/contract.py): parties, shares, IDs of each type,
the price, the contract number and the status moves; and the number counter (numbering.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from netsign_console.domain.contract import (
    Party, check_parties, check_transition, contract_number, normalize_party_id, price_of,
)

ZHANG = Party(name="张三", id_type="resident_id", id_number="11010519491231002X", phone="13800138000",
              address="长沙市天心区湘府中路1号")
LI = Party(name="李四", id_type="resident_id", id_number="430102198001011233", phone="+86 139-0731-0001",
           role="co_owner")


def test_a_sole_buyer_owns_the_whole_and_is_normalised():
    [party], errors = check_parties([Party(**{**ZHANG.__dict__, "id_number": "11010519491231002x"})])
    assert errors == {}
    assert (party.id_number, party.phone, party.share) == ("11010519491231002X", "13800138000", Decimal("100.00"))


def test_co_owners_shares_must_add_up_to_exactly_one_hundred_per_cent():
    def with_shares(a, b):
        return check_parties([Party(**{**ZHANG.__dict__, "share": a}), Party(**{**LI.__dict__, "share": b})])

    parties, errors = with_shares("50", "50%")
    assert errors == {} and [p.share for p in parties] == [Decimal("50.00"), Decimal("50.00")]
    assert with_shares("66.67", "33.33")[1] == {}
    assert with_shares("60", "30")[1] == {"parties": "各购房人共有份额合计为90.00%，应为100%"}
    assert with_shares("", "100")[1] == {"parties.0.share": "有多个购房人时请填写每人的共有份额"}
    assert with_shares("33.333", "66.667")[1]["parties.0.share"] == "共有份额最多保留2位小数"
    assert with_shares("abc", "100")[1]["parties.0.share"] == "共有份额应为数字，如50或33.33"
    assert with_shares("0", "100")[1]["parties.0.share"] == "共有份额应大于0且不超过100"


def test_each_field_of_each_party_is_checked_at_its_own_input():
    bad = Party(name=" ", id_type="resident_id", id_number="110105194912310021", phone="12345678901", share="50")
    _parties, errors = check_parties([bad, Party(**{**LI.__dict__, "share": "50"})])
    assert errors == {"parties.0.name": "请填写姓名或名称", "parties.0.id_number": "身份证号校验位错误",
                      "parties.0.phone": "手机号格式不正确，应为11位且以13-19开头"}
    assert check_parties([])[1] == {"parties": "请至少录入一名买受人"}
    assert check_parties([LI])[1] == {"parties.0.role": "第一名购房人应为买受人"}
    same = check_parties([Party(**{**ZHANG.__dict__, "share": "50"}),
                          Party(**{**ZHANG.__dict__, "role": "co_owner", "share": "50"})])[1]
    assert same == {"parties.1.id_number": "与第1名购房人的证件号码相同"}


def test_id_numbers_of_every_type():
    assert normalize_party_id("credit_code", "91430100ma4l0001xa") == "91430100MA4L0001XA"
    assert normalize_party_id("passport", "e 1234 5678") == "E12345678"
    assert normalize_party_id("hk_macao_permit", "H12345678") == "H12345678"
    assert normalize_party_id("taiwan_permit", "12345678") == "12345678"
    assert normalize_party_id("foreign_permanent", "USA123456789012") == "USA123456789012"
    for kind, value, message in (
        ("hk_macao_permit", "X12345678", "港澳居民来往内地通行证号码应为H或M加8位（或10位）数字"),
        ("taiwan_permit", "1234", "台湾居民来往大陆通行证号码应为8位（或10位）数字"),
        ("passport", "E1", "护照号码应为5至20位字母或数字"),
        ("resident_id", "", "证件号码不能为空"),
        ("driving_licence", "123456", "请选择证件类型"),
    ):
        with pytest.raises(ValueError, match=message):
            normalize_party_id(kind, value)


def test_the_price_is_area_times_unit_price_unless_agreed_with_the_gap():
    computed = price_of(Decimal("89.1234"), Decimal("9876.54"))
    assert computed == (Decimal("880230.83"), Decimal("880230.83"), Decimal("0.00"))
    agreed = price_of(Decimal("89.1234"), Decimal("9876.54"), Decimal("880000"))
    assert agreed == (Decimal("880000.00"), Decimal("880230.83"), Decimal("-230.83"))


def test_the_contract_number_is_readable():
    assert contract_number("presale", "430100", 2026, 17) == "YS430100-2026-000017"
    assert contract_number("spot_sale", "430100", 2027, 1) == "XS430100-2027-000001"
    with pytest.raises(ValueError):
        contract_number("resale", "430100", 2026, 1)


def test_status_moves():
    assert check_transition("draft", "awaiting_signature") is None
    assert check_transition("sealed", "filed") is None
    assert check_transition("filed", "unwound") is None
    assert check_transition("filed", "draft") == "合同当前为已备案，不能变为草拟"
    assert check_transition("unwound", "filed") == "合同当前为已退房，不能变为已备案"


def test_contract_numbers_are_sequential_per_city_and_year(sqlite_url):
    from netsign_console.db import session_scope
    from netsign_console.numbering import contract_number as take

    with session_scope(sqlite_url) as s:
        first = [take(s, "presale", 2026), take(s, "spot_sale", 2026), take(s, "presale", 2027)]
        other_city = take(s, "presale", 2026, city_code="430200")
    assert first == ["YS430100-2026-000001", "XS430100-2026-000002", "YS430100-2027-000001"]
    assert other_city == "YS430200-2026-000001"
