"""The template sandbox: user text printed as text (HTML and PDF), nothing outside the data
reachable (attributes, imports, files, the network), Chinese errors with the line, and
the helper filters' output."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from netsign_console.documents.helpers import DataNotPlain, plain_data
from netsign_console.documents.markup import check_markup
from netsign_console.documents.pdf import Stamp, html_to_pdf, pdf_html
from netsign_console.documents.sandbox import TemplateRejected, render
from netsign_console.documents.templates_service import render_body
from tests.unit.document_fixtures import pdf_text

SCRIPT_NAME = '<script>alert("x")</script>李<b>四</b>'
BUYER_TEMPLATE = "<p>买受人：{{ buyer.name }}</p><p>证件号码：{{ buyer.id_number | mask_id }}</p>"
BUYER = {"buyer": {"name": SCRIPT_NAME, "id_number": "430102199001011234"}}


def rejected(body: str, data: dict | None = None) -> TemplateRejected:
    with pytest.raises(TemplateRejected) as info:
        render(body, data or {"name": "张三", "rows": [1, 2], "d": {"k": "v"}})
    return info.value


def test_script_in_a_buyers_name_is_printed_as_text_in_html_and_pdf(tmp_path):
    html = render_body("presale_permit", BUYER_TEMPLATE, BUYER, Stamp("2026-0001", "0" * 20))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;李&lt;b&gt;四&lt;/b&gt;" in html
    check_markup(html)  # escaped text is not markup: nothing to refuse
    pdf = html_to_pdf(pdf_html(html, Stamp("2026-0001", "0" * 20)))
    text = pdf_text(pdf, tmp_path)
    assert '<script>alert("x")</script>李<b>四</b>' in text
    assert "4301**********1234" in text and "430102199001011234" not in text


@pytest.mark.parametrize("body, what", [
    ("{{ name.__class__ }}", "__class__"),
    ("{{ name.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("{{ ''.__class__ }}", "__class__"),
    ("{{ d['__class__'] }}", "__class__"),
    ("{{ rows.__len__ }}", "__len__"),
    ("{{ namespace.__init__.__globals__ }}", "__init__"),
    ("{{ self.__init__.__globals__ }}", "__init__"),
    ("{{ range.__self__ }}", "__self__"),
    ("{% set f = name.format %}{{ f }}", "format"),
    ("{{ rows.pop() }}", "pop"),
    ("{{ d.update({'k': 1}) }}", "update"),
])
def test_attributes_outside_the_data_are_refused(body, what):
    error = rejected(body)
    assert str(error).startswith("模板不安全：不允许访问 ") and what in str(error)
    assert error.field == "body" and error.line == 1


def test_an_unsafe_attribute_in_a_branch_the_data_never_takes_is_still_refused():
    error = rejected("第一行\n{% if false %}\n{{ name.mro() }}\n{% endif %}")
    assert "不允许访问 mro" in str(error) and error.line == 3


def test_a_dynamic_attribute_name_is_checked_when_used():
    # Not visible to the static check: the attribute name is data.
    error = rejected("{{ name | attr(key) }}", {"name": "x", "key": "__class__"})
    assert "不允许访问 __class__" in str(error)


@pytest.mark.parametrize("body", [
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}{{ os }}",
    "{% from 'x.html' import y %}",
    "{% extends 'base.html' %}",
])
def test_imports_and_includes_are_refused(body):
    assert "不允许引用其他模板或文件" in str(rejected(body))


def test_python_globals_are_not_there():
    for name in ("cycler", "joiner", "lipsum", "dict", "config", "request", "os"):
        assert f"模板引用了不存在的数据 {name}" in str(rejected("{{ %s }}" % name))


@pytest.mark.parametrize("body, words", [
    ('<img src="/etc/passwd">', "src=/etc/passwd"),
    ('<img src="file:///etc/hostname">', "src=file:///etc/hostname"),
    ('<img src="&#47;etc&#47;passwd">', "src=/etc/passwd"),
    ('<img src="http://169.254.169.254/latest/meta-data/">', "169.254.169.254"),
    ('<p style="background-image: url(/etc/passwd)">x</p>', "url(/etc/passwd)"),
    ("<style>td { background: url('file:///etc/passwd') }</style>", "url(file:///etc/passwd)"),
    ('<style>@import "/etc/passwd";</style>', "@import"),
    ("<style>@font-face { font-family: x; src: url(/etc/passwd) }</style>", "@font-face"),
    ('<link rel="stylesheet" href="/etc/passwd">', "<link>"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:alert(1)"),
])
def test_reading_files_or_the_network_from_markup_is_refused(body, words):
    with pytest.raises(TemplateRejected) as info:
        check_markup(render(body, {}))
    assert words in str(info.value) and "模板" in str(info.value)


def test_a_path_that_comes_from_the_data_is_caught_too():
    html = render('<img src="{{ photo }}">', {"photo": "/etc/passwd"})
    with pytest.raises(TemplateRejected, match="不允许引用外部文件或网址"):
        check_markup(html)


def test_text_that_only_looks_like_a_reference_is_allowed():
    check_markup(render("<p>{{ remark }}</p>", {"remark": 'src="/etc/passwd" url(/x) <img src=/y>'}))


def test_page_setup_belongs_to_the_layer():
    for body in ("<style>@page { size: a5 }</style>", '<div id="netsign-footer"></div>'):
        with pytest.raises(TemplateRejected, match="由系统统一提供"):
            check_markup(render(body, {}))


def test_embedded_images_are_allowed():
    check_markup('<img src="data:image/png;base64,iVBORw0KGgo=">')


@pytest.mark.parametrize("body, message, line", [
    ("第一行\n{% for r in rows %}{{ r }}", "模板语法错误：第2行 模板意外结束，缺少 {% endfor %}", 2),
    ("{% if name %}\n\n{% endfor %}", "模板语法错误：第3行 此处不应出现 {% endfor %}，缺少 {% endif %}", 3),
    ("{{ name | nosuch }}", "模板语法错误：第1行 不存在的过滤器 nosuch", 1),
    ("{{ name | safe }}", "不存在的过滤器 safe", 1),
    ("a\nb\n{{ missing }}", "模板引用了不存在的数据 missing（第3行）", 3),
    ("{{ d.nmae }}", "数据中没有字段 nmae", 1),
    ("{{ 1 / 0 }}", "模板渲染出错：除数为零", 1),
])
def test_errors_are_chinese_and_name_the_line(body, message, line):
    error = rejected(body)
    assert message in str(error) and error.line == line


def test_resource_bombs_are_bounded():
    assert "过多的循环" in str(rejected("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}"))
    assert "过长的重复" in str(rejected("{{ 'x' * 10000000 }}"))
    assert "过大的乘方" in str(rejected("{{ 9 ** 999999 }}"))
    assert "batch" in str(rejected("{{ rows | batch(100000000, 'x') | list }}"))


def test_loops_namespaces_and_dict_fields_named_like_methods_work():
    body = ("{% set ns = namespace(total=0) %}{% for r in rows %}{{ loop.index }}{% set ns.total = ns.total + r.n %}"
            "{% endfor %}={{ ns.total }} {{ room.copy }} {{ room.items }}")
    data = {"rows": [{"n": 2}, {"n": 3}], "room": {"copy": "副本", "items": "条目"}}
    assert render(body, data) == "12=5 副本 条目"


def test_helpers():
    body = ("{{ p | money }}|{{ p | money_words }}|{{ a | area }}|{{ d | cn_date }}|{{ t | cn_date }}|"
            "{{ i | mask_id }}|{{ m | mask_phone }}|{{ none | money }}")
    data = {"p": Decimal("1234567.885"), "a": Decimal("89.12345"), "d": date(2026, 12, 2),
            "t": datetime(2026, 12, 1, 17, 30, tzinfo=timezone.utc),  # 2026-12-02 01:30 in Changsha
            "i": "430102199001011234", "m": "13812348000", "none": None}
    assert render(body, data) == ("1,234,567.89|壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分|89.1235|2026年12月2日|"
                                  "2026年12月2日|4301**********1234|138****8000|")
    assert render("{{ x | money_words }}", {"x": Decimal("100")}) == "壹佰元整"
    assert render("{{ x | money_words }}", {"x": Decimal("1005.07")}) == "壹仟零伍元零柒分"


def test_data_must_be_plain():
    assert plain_data({"a": (1, Decimal("2"))}) == {"a": [1, Decimal("2")]}
    with pytest.raises(DataNotPlain, match="float"):
        plain_data({"area": 1.5})
    with pytest.raises(DataNotPlain, match="object"):
        plain_data({"row": object()})
    with pytest.raises(DataNotPlain, match="keys must be str"):
        plain_data({1: "x"})
    # A float that slips into a filter is refused there too, in Chinese.
    assert "浮点数" in str(rejected("{{ x | money }}", {"x": 1.5}))
