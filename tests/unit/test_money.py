from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsign_console.domain.money import (
    MAX_AMOUNT,
    amount_in_words,
    format_area,
    format_money,
    parse_amount_in_words,
)

CANONICAL_VECTORS = [
    ("0", "零元整"),
    ("0.5", "伍角"),
    ("0.05", "伍分"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("1.5", "壹元伍角"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("110", "壹佰壹拾元整"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("1680.02", "壹仟陆佰捌拾元零贰分"),
    ("1000.5", "壹仟元伍角"),
    ("1001", "壹仟零壹元整"),
    ("10010", "壹万零壹拾元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("100000", "壹拾万元整"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("1000100", "壹佰万零壹佰元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100001000", "壹亿壹仟元整"),
    ("1001000000", "壹拾亿零壹佰万元整"),
    ("1010000000", "壹拾亿壹仟万元整"),
    ("20000000000", "贰佰亿元整"),
    ("100100000000", "壹仟零壹亿元整"),
    ("1000000000000", "壹万亿元整"),
    ("100000000000000", "壹佰万亿元整"),
    ("9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    (
        "9999999999999999.99",
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
]


class TestAmountInWords:
    @pytest.mark.parametrize(("amount", "words"), CANONICAL_VECTORS)
    def test_canonical_vectors(self, amount, words):
        assert amount_in_words(Decimal(amount)) == words

    @pytest.mark.parametrize(("amount", "words"), CANONICAL_VECTORS)
    def test_canonical_vectors_parse_back(self, amount, words):
        assert parse_amount_in_words(words) == Decimal(amount).quantize(Decimal("0.01"))

    def test_never_wan_yi_sequence_above_yi(self):
        words = amount_in_words(Decimal("9999999999999.99"))
        assert "万亿" not in words and words.count("亿") == 1

    def test_accepts_int_and_str(self):
        assert amount_in_words(10) == "壹拾元整"
        assert amount_in_words(" 1680.32 ") == "壹仟陆佰捌拾元叁角贰分"

    @pytest.mark.parametrize(
        ("amount", "words"),
        [
            ("1.005", "壹元零壹分"),  # half-up, not banker's rounding
            ("0.125", "壹角叁分"),
            ("0.995", "壹元整"),
            ("0.004", "零元整"),
            ("2.675", "贰元陆角捌分"),
        ],
    )
    def test_rounds_half_up_to_fen(self, amount, words):
        assert amount_in_words(Decimal(amount)) == words

    def test_no_zheng_after_jiao_or_fen(self):
        assert not amount_in_words(Decimal("3.5")).endswith("整")
        assert not amount_in_words(Decimal("3.55")).endswith("整")

    @pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("-0.01"), -5, "-0.001"])
    def test_negative_rejected(self, amount):
        with pytest.raises(ValueError, match="金额不能为负数"):
            amount_in_words(amount)

    def test_negative_zero_is_zero(self):
        assert amount_in_words(Decimal("-0")) == "零元整"

    @pytest.mark.parametrize("amount", [1.5, 0.0, True])
    def test_float_and_bool_rejected(self, amount):
        with pytest.raises(TypeError, match="浮点数"):
            amount_in_words(amount)

    @pytest.mark.parametrize("amount", [None, [1], b"1"])
    def test_other_types_rejected(self, amount):
        with pytest.raises(TypeError, match="类型不支持"):
            amount_in_words(amount)

    @pytest.mark.parametrize("amount", ["abc", "1,000", ""])
    def test_bad_strings_rejected(self, amount):
        with pytest.raises(ValueError, match="金额格式不正确"):
            amount_in_words(amount)

    @pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), "inf"])
    def test_non_finite_rejected(self, amount):
        with pytest.raises(ValueError, match="有限数值"):
            amount_in_words(amount)

    @pytest.mark.parametrize(
        "amount", [MAX_AMOUNT, Decimal("1e16"), Decimal("9999999999999999.995"), Decimal("1e40")]
    )
    def test_upper_bound(self, amount):
        with pytest.raises(ValueError, match="金额超出上限"):
            amount_in_words(amount)

    def test_max_amount_is_10_pow_16(self):
        assert MAX_AMOUNT == Decimal(10) ** 16
        assert amount_in_words(Decimal("9999999999999999.994")).endswith("玖角玖分")


class TestParseAmountInWords:
    @pytest.mark.parametrize(
        ("words", "amount"),
        [
            ("人民币壹仟陆佰捌拾元叁角贰分", "1680.32"),
            ("壹仟陆佰捌拾圆叁角贰分", "1680.32"),
            ("壹佰元正", "100"),
            ("壹佰圆整", "100"),
            ("人民币壹佰圆正", "100"),
            ("壹元伍角整", "1.5"),
            ("壹元伍角正", "1.5"),
            ("伍角整", "0.5"),
            # optional 零 when 万位/元位 is 0 and the next lower digit is not
            ("壹仟陆佰捌拾元零叁角贰分", "1680.32"),
            ("壹拾万零柒仟元伍角叁分", "107000.53"),
            ("壹拾万柒仟元零伍角叁分", "107000.53"),
            ("壹拾万零柒仟元零伍角叁分", "107000.53"),
            ("壹亿零壹仟元整", "100001000"),
            ("壹拾亿零壹仟万元整", "1010000000"),
            # bare 拾 for 壹拾
            ("拾元整", "10"),
            ("拾伍元整", "15"),
            ("拾万元整", "100000"),
            ("壹万零拾元整", "10010"),
            ("人民币拾元整", "10"),
            # whitespace anywhere, including full-width spaces
            (" 壹 万 陆仟肆佰零玖元\u3000零贰分 ", "16409.02"),
            ("人民币 叁佰贰拾伍元零肆分", "325.04"),
            # tolerated 零元 for amounts below 1 元
            ("零元伍角", "0.5"),
            ("零元伍角伍分", "0.55"),
        ],
    )
    def test_legal_variants(self, words, amount):
        result = parse_amount_in_words(words)
        assert result == Decimal(amount)
        assert result.as_tuple().exponent == -2

    @pytest.mark.parametrize(
        ("words", "message"),
        [
            ("", "不能为空"),
            ("   ", "不能为空"),
            ("壹元伍角叁分整", "“分”之后不应写“整（正）”"),
            ("伍分正", "“分”之后不应写“整（正）”"),
            ("壹佰佰元整", "单位“佰”重复"),
            ("壹佰贰佰元整", "单位“佰”重复"),
            ("壹万万元整", "单位“万”重复"),
            ("壹亿亿元整", "单位“亿”重复"),
            ("壹元伍角伍角", "单位“角”重复"),
            ("壹贰元整", "“壹”与“贰”之间缺少单位"),
            ("壹元贰叁角", "“贰”与“叁”之间缺少单位"),
            ("壹仟零零壹元整", "不能连续写“零”"),
            ("元整", "没有数字"),
            ("人民币", "没有数字"),
            ("整", "没有数字"),
            ("一百元整", "非法字符“一”"),
            ("壹佰元二角", "非法字符“二”"),
            ("100元整", "非法字符“1”"),
            ("壹佰元整abc", "非法字符“a”"),
            ("壹佰元整。", "非法字符“。”"),
            ("壹佰伍角", "缺少“元”"),
            ("壹佰整", "缺少“元”"),
            ("伍", "缺少“元”"),
            ("壹元伍分叁角", "“角”应写在“分”之前"),
            ("壹拾佰元整", "单位顺序错误"),
            ("壹佰仟元整", "单位顺序错误"),
            ("壹佰贰仟元整", "单位顺序错误"),
            ("壹佰拾元整", "“拾”前缺少数字"),
            ("佰元整", "没有数字"),
            ("壹万佰元整", "“佰”前缺少数字"),
            ("壹亿万元整", "“万”前缺少数字"),
            ("壹元角", "“角”前缺少数字"),
            ("壹佰元伍", "“伍”之后缺少单位"),
            ("壹整元", "只能写在末尾"),
            ("壹佰元整整", "只能写在末尾"),
            ("壹元元整", "“元”重复"),
            ("壹元伍拾", "“元”之后只能写角、分"),
        ],
    )
    def test_rejects_malformed(self, words, message):
        with pytest.raises(ValueError, match=message):
            parse_amount_in_words(words)

    @pytest.mark.parametrize(
        ("words", "canonical"),
        [
            ("壹佰元", "壹佰元整"),  # annex: 整 is required after 元
            ("壹元伍分", "壹元零伍分"),  # annex: 零 is required when 角 is 0
            ("壹万拾元整", "壹万零壹拾元整"),
            ("壹佰零元整", "壹佰元整"),
            ("零壹元整", "壹元整"),
            ("壹元零伍角", "壹元伍角"),  # 元位 is 1, so no 零 before 角
            ("零伍分", "伍分"),
            ("零角伍分", "伍分"),
            ("壹元零角伍分", "壹元零伍分"),
            ("伍角零", "伍角"),
            ("壹仟壹元整", "壹仟零壹元整"),
            ("壹亿壹万元整", "壹亿零壹万元整"),
            ("零元", "零元整"),
        ],
    )
    def test_rejects_non_standard_spelling_naming_canonical(self, words, canonical):
        with pytest.raises(ValueError, match=f"写法不规范，规范写法为：{canonical}$"):
            parse_amount_in_words(words)

    def test_rejects_non_string(self):
        with pytest.raises(TypeError):
            parse_amount_in_words(100)

    def test_messages_name_the_problem_distinctly(self):
        samples = ["", "壹元伍角叁分整", "壹佰佰元整", "壹贰元整", "壹仟零零壹元整", "元整", "一百元整", "壹佰伍角", "壹元伍分叁角", "壹拾佰元整"]
        messages = set()
        for words in samples:
            with pytest.raises(ValueError) as excinfo:
                parse_amount_in_words(words)
            messages.add(str(excinfo.value))
        assert len(messages) == len(samples)


amounts = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("9999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


class TestRoundTrip:
    @given(amounts)
    def test_parse_inverts_generate(self, amount):
        words = amount_in_words(amount)
        assert parse_amount_in_words(words) == amount

    @given(amounts)
    def test_prefixed_and_synonym_variants_parse(self, amount):
        words = amount_in_words(amount)
        assert parse_amount_in_words("人民币" + words) == amount
        assert parse_amount_in_words("人民币" + words.replace("元", "圆").replace("整", "正")) == amount

    @given(amounts)
    def test_canonical_form_obeys_annex_rules(self, amount):
        words = amount_in_words(amount)
        assert "零零" not in words
        assert not words.endswith("分整")
        assert not words.endswith("角整")
        assert words.endswith("整") == (amount == amount.to_integral_value())
        assert words.count("亿") <= 1 and "万万" not in words

    @given(st.integers(min_value=0, max_value=10**16 - 1))
    def test_integers_round_trip_up_to_max(self, number):
        assert parse_amount_in_words(amount_in_words(number)) == Decimal(number)

    @given(st.integers(min_value=0, max_value=10**13 - 1), st.integers(min_value=0, max_value=99))
    def test_distinct_amounts_have_distinct_words(self, number, cents):
        amount = Decimal(number) + Decimal(cents) / 100
        other = amount + Decimal("0.01")
        assert amount_in_words(amount) != amount_in_words(other)


class TestFormatting:
    @pytest.mark.parametrize(
        ("amount", "text"),
        [
            (Decimal("1234567.89"), "1,234,567.89"),
            (Decimal("1234567.885"), "1,234,567.89"),
            (Decimal("2.675"), "2.68"),
            (Decimal("0.125"), "0.13"),
            (Decimal("0"), "0.00"),
            (Decimal("999.995"), "1,000.00"),
            (1000, "1,000.00"),
            ("1234.5", "1,234.50"),
            (Decimal("-1234.5"), "-1,234.50"),
            (Decimal("12345678901234567890.12"), "12,345,678,901,234,567,890.12"),
        ],
    )
    def test_format_money(self, amount, text):
        assert format_money(amount) == text

    @pytest.mark.parametrize(
        ("area", "text"),
        [
            (Decimal("130.1"), "130.1000"),
            (Decimal("1234.56785"), "1,234.5679"),
            (Decimal("0.00005"), "0.0001"),
            (Decimal("98765.4321"), "98,765.4321"),
            (12, "12.0000"),
        ],
    )
    def test_format_area(self, area, text):
        assert format_area(area) == text

    def test_format_rejects_float(self):
        with pytest.raises(TypeError):
            format_money(1.5)
        with pytest.raises(TypeError, match="面积"):
            format_area(130.1)
