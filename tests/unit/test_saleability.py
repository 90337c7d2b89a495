"""The signing gate's rules (domain/saleability.py), each one able to say no on its own."""

from netsign_console.domain.saleability import RoomFacts, signing_refusal

OK = RoomFacts(trade_status="saleable", permitted=True)


def test_a_saleable_permitted_room_without_restrictions_may_be_signed():
    assert signing_refusal(OK) is None


def test_each_rule_refuses_in_chinese():
    cases = {
        "户室已注销，不能签约": RoomFacts("saleable", retired=True, permitted=True),
        "物管用房不能销售": RoomFacts("saleable", designation="property_mgmt", permitted=True),
        "该楼栋预售许可变更办理中，暂停签约": RoomFacts("saleable", permitted=True, permit_changing=True),
        "没有找到有效许可证户室信息": RoomFacts("saleable", permitted=False),
        "该户室正在签约中，不能重复签约": RoomFacts("signing", permitted=True),
        "该户室已售（已签约），不能签约": RoomFacts("signed", permitted=True),
        "户室当前为不可售，不可签约": RoomFacts("not_for_sale", permitted=True),
        "该户室已司法查封或行政限制": RoomFacts("saleable", permitted=True, restrictions=(("seizure", False),)),
        "户室存在抵押，不能签约": RoomFacts("saleable", permitted=True, restrictions=(("mortgage", False),)),
    }
    for expected, facts in cases.items():
        assert signing_refusal(facts) == expected


def test_a_construction_mortgage_blocks_until_the_mortgagee_authorises_it():
    blocked = RoomFacts("saleable", permitted=True, restrictions=(("construction_mortgage", False),))
    assert signing_refusal(blocked) == "户室已设定在建工程抵押，未取得抵押权人签约授权，不能签约"
    authorised = RoomFacts("saleable", permitted=True, restrictions=(("construction_mortgage", True),))
    assert signing_refusal(authorised) is None
    # An authorisation covers the mortgage only, not a seizure on the same room.
    both = RoomFacts("saleable", permitted=True, restrictions=(("construction_mortgage", True), ("seizure", False)))
    assert signing_refusal(both) == "该户室已司法查封或行政限制"


def test_every_seizure_and_an_administrative_restriction_say_the_same_exact_words():
    for kind in ("seizure", "waiting_seizure", "pre_seizure", "waiting_pre_seizure", "administrative"):
        facts = RoomFacts("saleable", permitted=True, restrictions=(("advance_notice", False), (kind, False)))
        assert signing_refusal(facts) == "该户室已司法查封或行政限制", kind


def test_the_order_puts_the_designation_before_the_permit():
    # A 物管用房 in a permit's scope is still not for sale, and says why.
    assert signing_refusal(RoomFacts("not_for_sale", designation="property_mgmt", permitted=True)) == "物管用房不能销售"
