"""重点监管资金标准: the regulator sets the city's rule and figures in the console; a new
agreement's key amount follows them, bad figures are refused at the field, and nobody else may
open the page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.fund import FundStandard
from netsign_console.admin.base import get_admin
from netsign_console.admin.service import get_form, update_record
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, ValidationFailed
from netsign_console.fund import key
from tests.unit.survey_fixtures import principal

ROOMS = [(1, Decimal("103.5000"), None, "saleable"), (2, Decimal("83.9500"), None, "saleable")]


def test_the_regulator_sets_the_standard_and_new_amounts_follow_it(demo_url):
    admin = get_admin("fund-standard")
    with session_scope(demo_url) as s:
        assert key.parameters(s) == key.configured()  # the migration's starting standard
        regulator, developer = principal(s, "regulator"), principal(s, "dev_admin")
    with pytest.raises(PermissionDenied):
        get_form(admin, developer, admin.get_object_id(developer), url=demo_url)
    view = get_form(admin, regulator, admin.get_object_id(regulator), url=demo_url)
    assert (view.values["standard_per_m2"], view.values["key_ratio"]) == ("1500.00", "0.1000")

    with pytest.raises(ValidationFailed) as bad:
        update_record(admin, regulator, key.STANDARD_ID, {"standard_per_m2": "0",
                                                          "key_ratio": "1.5"}, url=demo_url)
    assert bad.value.errors == {"standard_per_m2": "每平方米标准金额必须大于0",
                                "key_ratio": "监管比例应为0到1之间的小数，如10%填写0.10"}
    update_record(admin, regulator, key.STANDARD_ID, {"standard_per_m2": "2000.00",
                                                      "key_ratio": "0.10"}, url=demo_url)
    with session_scope(demo_url) as s:
        assert s.get(FundStandard, key.STANDARD_ID).standard_per_m2 == Decimal("2000.00")
        figure = key.compute(ROOMS, [1, 2], None, params=key.parameters(s))
    assert figure.amount == Decimal("374900.00")  # 187.45 m² × 2,000
