from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.validators import (
    credit_code_org_code_warning,
    id_number_gender,
    mask_id_number,
    mask_mobile,
    mobile_strict_warning,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    normalize_permit_number,
    validate_case_number,
)

# ---------------------------------------------------------------------------
# Independent reference implementations, written straight from the standards
# so the tests do not just replay the module's own arithmetic.
# ---------------------------------------------------------------------------


def id_check_char(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # GB 11643 derives W_i = 2^(i-1) mod 11
    assert weights == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def build_id(address: str, birth: date, sequence: int) -> str:
    first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_check_char(first17: str) -> str:
    weights = [3**i % 31 for i in range(17)]  # GB 32100 weights are 3^(i-1) mod 31
    assert weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, weights))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2]))
    r = 11 - total % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def build_credit_code(prefix: str, area: str, org_body: str, org_check: str | None = None) -> str:
    first17 = prefix + area + org_body + (org_check or org_check_char(org_body))
    return first17 + credit_check_char(first17)


def wrong_check(valid: str, charset: str) -> str:
    """Same code with a different (hence wrong) final character."""
    replacement = next(c for c in charset if c != valid[-1])
    return valid[:-1] + replacement


# ---------------------------------------------------------------------------
# Resident ID numbers
# ---------------------------------------------------------------------------


class TestIdNumber:
    def test_known_valid_id_with_x_check_char(self):
        assert id_check_char("11010519491231002") == "X"
        assert normalize_id_number("11010519491231002X") == "11010519491231002X"

    def test_lower_case_x_is_upper_cased(self):
        assert normalize_id_number("11010519491231002x") == "11010519491231002X"

    def test_surrounding_whitespace_is_stripped(self):
        assert normalize_id_number("  11010519491231002X\t") == "11010519491231002X"

    def test_valid_id_with_digit_check_char(self):
        built = build_id("430102", date(1990, 1, 1), 123)
        assert built[-1].isdigit() or built[-1] == "X"
        assert normalize_id_number(built) == built

    def test_legacy_15_digit_is_upgraded(self):
        assert normalize_id_number("110105491231002") == "11010519491231002X"

    def test_legacy_15_digit_must_be_numeric(self):
        with pytest.raises(ValueError, match="15位旧号应全部为数字"):
            normalize_id_number("11010549123100X")

    def test_features_demo_id_is_rejected(self):
        with pytest.raises(ValueError):
            normalize_id_number("110101111111111111")

    @pytest.mark.parametrize("blank", ["", "   ", None])
    def test_empty(self, blank):
        with pytest.raises(ValueError, match="身份证号不能为空"):
            normalize_id_number(blank)

    @pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002X1", "1234"])
    def test_wrong_length(self, value):
        with pytest.raises(ValueError, match=r"身份证号应为18位（或15位旧号）"):
            normalize_id_number(value)

    @pytest.mark.parametrize(
        "value",
        ["1101051949123100AX", "11010519491231002Y", "X10105194912310021", "１１０１０５１９４９１２３１００２X"],
    )
    def test_bad_format(self, value):
        with pytest.raises(ValueError, match="前17位应为数字，最后一位为数字或X"):
            normalize_id_number(value)

    @pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "20230229"])
    def test_impossible_birth_date(self, birth):
        first17 = f"110105{birth}002"
        with pytest.raises(ValueError, match="出生日期无效"):
            normalize_id_number(first17 + id_check_char(first17))

    def test_leap_day_is_a_real_date(self):
        built = build_id("110105", date(2000, 2, 29), 1)
        assert normalize_id_number(built) == built

    def test_birth_in_future(self):
        today = date(2024, 6, 1)
        with pytest.raises(ValueError, match="不能晚于今天"):
            normalize_id_number(build_id("110105", today + timedelta(days=1), 1), today=today)
        # Born today is fine.
        born_today = build_id("110105", today, 1)
        assert normalize_id_number(born_today, today=today) == born_today

    def test_birth_in_future_uses_real_today_by_default(self):
        with pytest.raises(ValueError, match="不能晚于今天"):
            normalize_id_number(build_id("110105", date.today() + timedelta(days=1), 1))

    def test_birth_before_1900(self):
        with pytest.raises(ValueError, match="不能早于1900年"):
            normalize_id_number(build_id("110105", date(1899, 12, 31), 1))
        earliest = build_id("110105", date(1900, 1, 1), 1)
        assert normalize_id_number(earliest) == earliest

    def test_wrong_check_char(self):
        valid = build_id("430102", date(1985, 7, 15), 42)
        with pytest.raises(ValueError, match="身份证号校验位错误"):
            normalize_id_number(wrong_check(valid, "0123456789X"))

    def test_messages_are_distinct(self):
        bad_inputs = [
            "",
            "123",
            "1101051949123100AX",
            "110105194902300021",
            build_id("110105", date.today() + timedelta(days=2), 1),
            build_id("110105", date(1899, 1, 1), 1),
            "110105194912310021",
        ]
        messages = set()
        for value in bad_inputs:
            with pytest.raises(ValueError) as excinfo:
                normalize_id_number(value)
            messages.add(str(excinfo.value))
        assert len(messages) == len(bad_inputs)

    @given(
        address=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
        birth=st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
        sequence=st.integers(0, 999),
    )
    def test_every_built_id_round_trips_and_any_other_check_char_fails(self, address, birth, sequence):
        valid = build_id(address, birth, sequence)
        assert normalize_id_number(valid) == valid
        for other in "0123456789X":
            if other != valid[-1]:
                with pytest.raises(ValueError, match="校验位错误"):
                    normalize_id_number(valid[:-1] + other)

    @given(
        address=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
        birth=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
        sequence=st.integers(0, 999),
    )
    def test_legacy_conversion_matches_18_digit_form(self, address, birth, sequence):
        legacy = f"{address}{birth:%y%m%d}{sequence:03d}"
        assert normalize_id_number(legacy) == build_id(address, birth, sequence)

    def test_gender(self):
        assert id_number_gender("11010519491231002X") == "女"  # sequence 002
        assert id_number_gender(build_id("110105", date(1980, 5, 5), 13)) == "男"
        assert id_number_gender("110105491231002") == "女"

    def test_gender_rejects_invalid(self):
        with pytest.raises(ValueError):
            id_number_gender("110101111111111111")


class TestMasking:
    def test_mask_18_digit_id(self):
        assert mask_id_number("430102199001011234") == "4301**********1234"

    def test_mask_id_upper_cases_and_strips(self):
        assert mask_id_number(" 11010519491231002x ") == "1101**********002X"

    def test_mask_15_digit_id(self):
        assert mask_id_number("110105491231002") == "1101*******1002"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("", ""), ("1", "*"), ("123", "***"), ("12345678", "12****78"), ("123456789", "1234*6789")],
    )
    def test_mask_short_ids_never_reveal_everything(self, value, expected):
        assert mask_id_number(value) == expected

    @pytest.mark.parametrize("value", ["13800138000", "+86 138-0013-8000", "008613800138000"])
    def test_mask_mobile(self, value):
        assert mask_mobile(value) == "138****8000"

    def test_mask_invalid_mobile_still_masks(self):
        assert mask_mobile("12345678901") == "123****8901"
        assert mask_mobile("123") == "***"


# ---------------------------------------------------------------------------
# Unified social credit code
# ---------------------------------------------------------------------------


class TestCreditCode:
    def test_real_world_example(self):
        # Example code printed in GB 32100 explanatory material.
        assert credit_check_char("91350100M000100Y4") == "3"
        assert normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"

    def test_built_company_code(self):
        code = build_credit_code("91", "430100", "MA4L1234")
        assert normalize_credit_code(code) == code

    def test_lower_case_and_spaces_are_normalized(self):
        assert normalize_credit_code(" 91350100 m000100y43 ") == "91350100M000100Y43"

    def test_y_prefix_is_allowed(self):
        code = build_credit_code("Y1", "110105", "MA01ABCD")
        assert code.startswith("Y")
        assert normalize_credit_code(code) == code

    def test_empty(self):
        with pytest.raises(ValueError, match="统一社会信用代码不能为空"):
            normalize_credit_code("  ")

    def test_thirteen_chars_rejected(self):
        with pytest.raises(ValueError, match="统一社会信用代码应为18位，当前为13位"):
            normalize_credit_code("9143000023582")

    @pytest.mark.parametrize("bad_char", ["I", "O", "S", "V", "Z"])
    def test_illegal_letters_are_named(self, bad_char):
        code = "91350100M000100" + bad_char + "43"
        with pytest.raises(ValueError, match=f"统一社会信用代码含有非法字符“{bad_char}”"):
            normalize_credit_code(code)

    def test_illegal_punctuation_is_named(self):
        with pytest.raises(ValueError, match="非法字符“-”"):
            normalize_credit_code("91350100-000100Y43")

    def test_area_code_must_be_digits(self):
        code = build_credit_code("91", "43A100", "MA4L1234")
        with pytest.raises(ValueError, match="第3-8位"):
            normalize_credit_code(code)

    def test_wrong_check_char(self):
        with pytest.raises(ValueError, match="统一社会信用代码校验位错误"):
            normalize_credit_code(wrong_check("91350100M000100Y43", CREDIT_CHARSET))

    @given(
        prefix=st.sampled_from(["11", "12", "51", "52", "91", "92", "93", "Y1", "N2", "A1"]),
        area=st.from_regex(r"[0-9]{6}", fullmatch=True),
        org_body=st.text(alphabet=CREDIT_CHARSET, min_size=8, max_size=8),
    )
    def test_every_built_code_round_trips_and_other_check_chars_fail(self, prefix, area, org_body):
        code = build_credit_code(prefix, area, org_body)
        assert normalize_credit_code(code) == code
        assert credit_code_org_code_warning(code) is None
        for other in CREDIT_CHARSET:
            if other != code[-1]:
                with pytest.raises(ValueError, match="校验位错误"):
                    normalize_credit_code(code[:-1] + other)

    def test_org_code_ok(self):
        assert org_check_char("M000100Y") == "4"
        assert credit_code_org_code_warning("91350100M000100Y43") is None

    def test_org_code_check_x_and_zero(self):
        # Bodies whose GB 11714 remainder maps to the special characters.
        x_body = next(f"{n:08d}" for n in range(10**6) if org_check_char(f"{n:08d}") == "X")
        zero_body = next(f"{n:08d}" for n in range(10**6) if org_check_char(f"{n:08d}") == "0")
        for body in (x_body, zero_body):
            code = build_credit_code("91", "110000", body)
            assert credit_code_org_code_warning(code) is None

    def test_org_code_mismatch_is_only_a_warning(self):
        right = org_check_char("MA4L1234")
        wrong = next(c for c in "0123456789X" if c != right)
        code = build_credit_code("92", "430100", "MA4L1234", org_check=wrong)
        assert normalize_credit_code(code) == code  # still a valid credit code
        warning = credit_code_org_code_warning(code)
        assert warning is not None and "组织机构代码" in warning

    @pytest.mark.parametrize("value", ["", "9143000023582", None])
    def test_org_code_warning_never_raises_on_garbage(self, value):
        assert credit_code_org_code_warning(value) is None


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------


class TestMobile:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("13800138000", "13800138000"),
            ("19912345678", "19912345678"),
            ("16612345678", "16612345678"),
            ("14512345678", "14512345678"),
            ("17012345678", "17012345678"),
            ("19212345678", "19212345678"),
            ("+8613800138000", "13800138000"),
            ("008613800138000", "13800138000"),
            ("8613800138000", "13800138000"),
            ("138 0013 8000", "13800138000"),
            ("138-0013-8000", "13800138000"),
            ("+86 138-0013-8000", "13800138000"),
            ("14012345678", "14012345678"),
        ],
    )
    def test_valid(self, value, expected):
        assert normalize_mobile(value) == expected

    @pytest.mark.parametrize("value", ["12345678901", "11012345678", "10012345678", "02012345678"])
    def test_bad_prefix(self, value):
        with pytest.raises(ValueError, match="手机号格式不正确，应为11位且以13-19开头"):
            normalize_mobile(value)

    @pytest.mark.parametrize(("value", "length"), [("1380013800", 10), ("138001380001", 12)])
    def test_wrong_length(self, value, length):
        with pytest.raises(ValueError, match=f"手机号应为11位，当前为{length}位"):
            normalize_mobile(value)

    @pytest.mark.parametrize("value", ["", "  ", " - ", None])
    def test_empty(self, value):
        with pytest.raises(ValueError, match="手机号不能为空"):
            normalize_mobile(value)

    @pytest.mark.parametrize("value", ["1380013800a", "１３８００１３８０００", "+1 13800138000", "(138)00138000"])
    def test_non_digits(self, value):
        with pytest.raises(ValueError, match="只能包含数字"):
            normalize_mobile(value)

    def test_86_without_plus_only_strips_when_13_digits(self):
        # 86 followed by 9 digits is not a country code, and 86x is no valid prefix.
        with pytest.raises(ValueError):
            normalize_mobile("86138001380")

    @pytest.mark.parametrize(
        "value",
        ["13800138000", "19912345678", "16612345678", "14512345678", "17012345678", "19212345678"],
    )
    def test_strict_rule_accepts_known_segments(self, value):
        assert mobile_strict_warning(value) is None

    @pytest.mark.parametrize("value", ["14012345678", "16012345678", "17912345678", "19412345678", "15412345678"])
    def test_strict_rule_warns_on_unallocated_segments(self, value):
        assert normalize_mobile(value) == value
        warning = mobile_strict_warning(value)
        assert warning is not None and value[:3] in warning

    def test_strict_warning_accepts_formatted_input(self):
        assert mobile_strict_warning("+86 140-1234-5678") is not None
        assert mobile_strict_warning("+86 138-0013-8000") is None

    def test_strict_warning_is_silent_for_invalid_numbers(self):
        assert mobile_strict_warning("12345678901") is None


# ---------------------------------------------------------------------------
# Permit and case numbers
# ---------------------------------------------------------------------------


class TestPermitNumber:
    def test_valid(self):
        assert normalize_permit_number(" 2022-0010 ") == "2022-0010"

    @pytest.mark.parametrize("value", ["2022-010", "20220010", "2022—0010", "22-0010", "2022-00100", "abcd-0010"])
    def test_invalid(self, value):
        with pytest.raises(ValueError, match="预售许可证号格式不正确"):
            normalize_permit_number(value)

    def test_empty(self):
        with pytest.raises(ValueError, match="预售许可证号不能为空"):
            normalize_permit_number("")


class TestCaseNumber:
    def test_valid(self):
        assert validate_case_number("F202203290000015") == "F202203290000015"

    def test_letter_is_upper_cased_and_whitespace_stripped(self):
        assert validate_case_number(" f202203290000015 ") == "F202203290000015"

    @pytest.mark.parametrize(
        "value",
        ["202203290000015", "F20220329000001", "F2022032900000150", "FF02203290000015", "F2022-3290000015"],
    )
    def test_bad_format(self, value):
        with pytest.raises(ValueError, match="案件编号格式不正确"):
            validate_case_number(value)

    @pytest.mark.parametrize("value", ["F202202300000015", "F202213010000015", "F202300290000015"])
    def test_invalid_date(self, value):
        with pytest.raises(ValueError, match="案件编号中的日期无效"):
            validate_case_number(value)

    def test_leap_day(self):
        assert validate_case_number("F202402290000001") == "F202402290000001"
        with pytest.raises(ValueError, match="日期无效"):
            validate_case_number("F202302290000001")

    def test_empty(self):
        with pytest.raises(ValueError, match="案件编号不能为空"):
            validate_case_number("   ")
