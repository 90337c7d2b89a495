"""Forms from one admin class: typed widgets, required marks, parsing with Chinese messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from netsign_console.admin.forms import field_specs, parse_submission, parse_value, to_form_value, FieldError
from netsign_console.admin.base import get_admin
from tests.unit.admin_fixtures import DEV_A, OPERATOR_A, REGULATOR, SYSADMIN, VALID_CREDIT_CODE

W = get_admin("t-widgets")


def spec_map(principal, obj=None):
    return {s.name: s for s in field_specs(W, principal, obj)}


def parse(name, raw, required=None, lenient=False):
    info = W.columns[name]
    return parse_value(W, info, raw, required=W.is_required(name) if required is None else required, lenient=lenient)


def test_widgets_are_inferred_from_column_types():
    specs = spec_map(SYSADMIN)
    kinds = {n: s.widget for n, s in specs.items()}
    assert kinds == {
        "owner_org_id": "int", "name": "text", "credit_code": "text", "kind": "enum", "price": "money",
        "area": "area", "active": "bool", "made_on": "date", "phone": "text", "id_number": "text", "notes": "textarea",
    }
    assert specs["price"].places == 2 and specs["area"].places == 4 and specs["name"].max_length == 50
    assert specs["kind"].choices == [("small", "小型"), ("large", "大型")]
    # Required: NOT NULL columns (booleans never); read-only from the admin.
    assert {n for n, s in specs.items() if s.required} == {"owner_org_id", "name", "kind"}
    assert {n for n, s in specs.items() if s.readonly} == {"notes"}


def test_form_fields_depend_on_the_user():
    # The row-scope column is set from the developer's own organisation: not in their form.
    assert "owner_org_id" not in spec_map(DEV_A) and "owner_org_id" in spec_map(SYSADMIN)
    # Without the edit permission every field is read-only.
    assert all(s.readonly for s in spec_map(OPERATOR_A).values())
    assert all(s.readonly for s in spec_map(REGULATOR).values())


@pytest.mark.parametrize(
    "name, raw, message",
    [
        ("name", "", "请填写部件名称"),
        ("name", "   ", "请填写部件名称"),
        ("kind", "", "请选择类型"),
        ("name", "长" * 51, "部件名称最多50个字"),
        ("price", "12.345", "价格应为金额，最多两位小数"),
        ("price", "abc", "价格应为金额，最多两位小数"),
        ("price", "1e5", "价格应为金额，最多两位小数"),
        ("price", "-3", "价格不能为负数"),
        ("price", "12345678901234567.00", "价格数值过大"),
        ("area", "1.23456", "面积应为数字，最多四位小数"),
        ("made_on", "2024-02-30", "生产日期应为日期，格式如2024-01-31"),
        ("made_on", "明天", "生产日期应为日期，格式如2024-01-31"),
        ("kind", "huge", "类型的取值无效，可选：小型、大型"),
        ("active", "maybe", "是否启用应为“是”或“否”"),
        ("owner_org_id", "1.5", "所属机构应为整数"),
        ("credit_code", "9143000023582", "统一社会信用代码应为18位，当前为13位"),
        ("credit_code", "91430100MA4L0001XB", "统一社会信用代码校验位错误"),
        ("id_number", "110101111111111111", "身份证号中的出生日期不能早于1900年"),
        ("id_number", "430102198001011234", "身份证号校验位错误"),
        ("phone", "12345678901", "手机号格式不正确，应为11位且以13-19开头"),
    ],
)
def test_refusals_name_the_field_in_chinese(name, raw, message):
    with pytest.raises(FieldError) as err:
        parse(name, raw)
    assert str(err.value) == message


def test_values_are_parsed_to_exact_types():
    assert parse("price", "1,234.5") == Decimal("1234.50")
    assert parse("price", "0") == Decimal("0.00") and parse("price", "12.300") == Decimal("12.30")
    assert parse("area", "130.1") == Decimal("130.1000")
    assert parse("made_on", "2024/3/5") == date(2024, 3, 5) and parse("made_on", "20240305") == date(2024, 3, 5)
    assert parse("active", "on") is True and parse("active", "") is False and parse("active", "否") is False
    assert parse("credit_code", " 91430100ma4l0001xa ") == VALID_CREDIT_CODE
    assert parse("phone", "+86 138-0013-8000") == "13800138000"
    assert parse("price", "") is None and parse("kind", "__none__", required=False) is None
    # Spreadsheet cells: enum labels are accepted, floats never reach Decimal as binary fractions.
    assert parse("kind", "大型", lenient=True) == "large"
    assert parse("price", 0.1, lenient=True) == Decimal("0.10") and parse("price", 1234.0, lenient=True) == Decimal("1234.00")
    assert isinstance(parse("price", "9.99"), Decimal)


def test_read_only_and_unknown_fields_are_ignored_on_submit():
    specs = field_specs(W, DEV_A)
    values, errors = parse_submission(W, specs, {"name": "甲", "kind": "small", "notes": "改备注", "owner_org_id": "2",
                                                 "id": "99", "evil": "x"}, partial=True)
    assert values == {"name": "甲", "kind": "small"} and errors == {}


def test_missing_fields_on_creation_are_empty_or_default():
    specs = field_specs(W, DEV_A)
    values, errors = parse_submission(W, specs, {"price": "5"}, partial=False)
    assert errors == {"name": "请填写部件名称"}  # kind has a default, so it may be left out
    assert "kind" not in values and values["price"] == Decimal("5.00")


def test_form_values_are_plain_strings():
    info = W.columns
    assert to_form_value(info["price"], Decimal("1234.5")) == "1234.50"
    assert to_form_value(info["area"], Decimal("1")) == "1.0000"
    assert to_form_value(info["active"], True) == "1" and to_form_value(info["active"], False) == ""
    assert to_form_value(info["made_on"], date(2024, 1, 2)) == "2024-01-02"
    assert to_form_value(info["name"], None) == ""
