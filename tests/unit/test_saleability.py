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
        "户室不在有效的预（现）售许可范围内": RoomFacts("saleable", permitted=False),
        "户室当前为已签约，不可签约": RoomFacts("signed", permitted=True),
        "户室存在查封，不能签约": RoomFacts("saleable", permitted=True, restrictions=(("seizure", False),)),
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
    assert signing_refusal(both) == "户室存在查封，不能签约"


def test_the_order_puts_the_designation_before_the_permit():
    # A 物管用房 in a permit's scope is still not for sale, and says why.
    assert signing_refusal(RoomFacts("not_for_sale", designation="property_mgmt", permitted=True)) == "物管用房不能销售"
