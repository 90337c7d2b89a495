"""The sandboxed template engine: a template reads its document's data and nothing else.

Jinja2's ImmutableSandboxedEnvironment, tightened:

* autoescape on, and no `safe` filter: text from users (a buyer's name with `<script>`)
  is always printed as text;
* StrictUndefined: a misspelt field is an error, not an empty space on a permit;
* attributes by allow-list per type (dict.items, str.upper, date.year, loop.index ...);
  anything else, `__class__`, `mro`, `format`, `pop`, fails with 模板不安全：不允许访问 X;
* no include / import / extends (no loader: nothing outside the one template source);
* no globals but `range` (with a per-render budget) and `namespace`; a curated filter list;
* `*` and `**` bounded, and the output capped, so a template cannot fill the memory.

Errors are TemplateRejected (a UserError) with a Chinese message and the template line,
which the editor shows at the field.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateSyntaxError, UndefinedError, nodes, pass_eval_context
from jinja2.exceptions import SecurityError, TemplateAssertionError
from jinja2.filters import FILTERS as _BUILTIN_FILTERS
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from netsign_console.documents.helpers import FILTERS
from netsign_console.errors import UserError

MAX_OUTPUT_CHARS = 4_000_000
MAX_RANGE_ITEMS = 10_000  # all range() calls of one render together
MAX_REPEAT_CHARS = 10_000  # "ab" * n, [x] * n
MAX_EXPONENT = 64
TEMPLATE_NAME = "<template>"

_STR_ATTRS = frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
                        "title", "capitalize", "isdigit"})
_DICT_ATTRS = frozenset({"items", "keys", "values", "get"})
_DATE_ATTRS = frozenset({"year", "month", "day", "weekday", "isoformat"})
_DATETIME_ATTRS = _DATE_ATTRS | {"hour", "minute", "second"}
_LOOP_ATTRS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                         "depth0", "previtem", "nextitem", "cycle", "changed"})
# Seen statically: refused at save time even in a branch the sample data never takes.
_INTERNAL_NAMES = frozenset({"mro", "format", "format_map", "func_globals", "func_code", "f_globals", "f_locals",
                             "f_builtins", "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "tb_frame",
                             "im_func", "im_self"})
# The Jinja filters a document needs; the others either bypass escaping (safe), are not
# reproducible (random) or can blow one value up to gigabytes (center, indent, format...).
_JINJA_FILTERS = ("abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
                  "forceescape", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map",
                  "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr",
                  "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper",
                  "wordcount", "batch")


class TemplateRejected(UserError):
    """The template cannot be used: unsafe, malformed, or failing on the data. Chinese message."""

    def __init__(self, message: str, line: int | None = None) -> None:
        text = f"{message}（第{line}行）" if line and "第" not in message else message
        super().__init__(text, "body")
        self.line = line
        self.reason = message


class _Unsafe(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _NoLoader(BaseLoader):
    def get_source(self, environment, template):
        raise _Unsafe(f"引用其他模板或文件（{template}）")


def _allowed(obj: Any, attr: str) -> bool:
    if isinstance(obj, str):
        return attr in _STR_ATTRS
    if isinstance(obj, dict):
        return attr in _DICT_ATTRS
    if isinstance(obj, datetime):
        return attr in _DATETIME_ATTRS
    if isinstance(obj, date):
        return attr in _DATE_ATTRS
    if isinstance(obj, LoopContext):
        return attr in _LOOP_ATTRS
    if isinstance(obj, Namespace):
        return not attr.startswith("_")
    return False


class DocumentSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return super().is_safe_attribute(obj, attr, value) and _allowed(obj, attr)

    def unsafe_undefined(self, obj: Any, attribute: str):
        # Fail now, not when (or if) the value is printed.
        raise _Unsafe(attribute)

    def wrap_str_format(self, value: Any):
        # str.format would otherwise bypass is_safe_attribute; it is not on the allow-list.
        return None

    def getattr(self, obj: Any, attribute: str):
        # A data field named like a dict method (room.copy, item.pop) means the field.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise _Unsafe(f"过大的乘方（** {right}）")
            return left**right
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT_CHARS:
                raise _Unsafe(f"过长的重复（* {times}）")
        return left * right


class _RangeBudget:
    def __init__(self) -> None:
        self.left = MAX_RANGE_ITEMS

    def __call__(self, *args: int) -> range:
        rng = range(*args)
        self.left -= len(rng)
        if self.left < 0:
            raise _Unsafe(f"过多的循环（range 合计超过 {MAX_RANGE_ITEMS} 次）")
        return rng


def _batch(value, linecount: int, fill_with: Any = None):
    if not isinstance(linecount, int) or not 0 < linecount <= 1000:
        raise ValueError("batch 的每组数量须在 1 到 1000 之间")
    return _BUILTIN_FILTERS["batch"](value, linecount, fill_with)


@pass_eval_context
def _replace(eval_ctx, s, old, new, count=None):
    text, old_text, new_text = str(s), str(old), str(new)
    if len(text) + (text.count(old_text) if old_text else len(text) + 1) * len(new_text) > MAX_OUTPUT_CHARS:
        raise ValueError("replace 的结果过长")
    return _BUILTIN_FILTERS["replace"](eval_ctx, s, old, new, count)


def _make_env() -> DocumentSandbox:
    env = DocumentSandbox(autoescape=True, undefined=StrictUndefined, loader=_NoLoader(),
                          trim_blocks=True, lstrip_blocks=True)
    env.filters = {name: env.filters[name] for name in _JINJA_FILTERS}
    env.filters["batch"] = _batch
    env.filters["replace"] = _replace
    env.filters.update(FILTERS)
    env.globals = {"namespace": Namespace}
    return env


ENV = _make_env()


# ------------------------------------------------------------------ error messages
_TOKEN_NAMES = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "模板结尾"}


def _token(name: str) -> str:
    return _TOKEN_NAMES.get(name, name)


def _expected_tag(text: str) -> str:
    """'elif' or 'else' or 'endif' -> {% endif %}: the closing tag is what is usually missing."""
    names = re.findall(r"'(\w+)'", text.split("looking for the following tags:", 1)[-1])
    closing = [n for n in names if n.startswith("end")] or names
    return f"{{% {closing[0]} %}}" if closing else "结束标签"


_SYNTAX_MESSAGES = [
    (re.compile(r"unexpected end of template.*looking for the following tags", re.S | re.I),
     lambda m, t: f"模板意外结束，缺少 {_expected_tag(t)}"),
    (re.compile(r"unexpected end of template", re.I), lambda m, t: "模板意外结束（标签或表达式没有闭合）"),
    (re.compile(r"Encountered unknown tag '(\w+)'.*looking for the following tags", re.S),
     lambda m, t: f"此处不应出现 {{% {m.group(1)} %}}，缺少 {_expected_tag(t)}"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), lambda m, t: f"未知的标签 {m.group(1)}"),
    (re.compile(r"No filter named '(\w+)'"),
     lambda m, t: f"不存在的过滤器 {m.group(1)}（本系统提供：{_filter_list()}）"),
    (re.compile(r"No test named '(\w+)'"), lambda m, t: f"不存在的判断 {m.group(1)}"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), lambda m, t: f"此处应为 {_token(m.group(1))}，实际为 {_token(m.group(2))}"),
    (re.compile(r"unexpected '(.+?)'"), lambda m, t: f"此处不应出现 {_token(m.group(1))}（表达式不完整？）"),
]


def _filter_list() -> str:
    return "、".join(sorted(FILTERS))


def _syntax_message(exc: TemplateSyntaxError) -> str:
    text = exc.message or ""
    for pattern, build in _SYNTAX_MESSAGES:
        match = pattern.search(text)
        if match:
            return f"模板语法错误：第{exc.lineno}行 {build(match, text)}"
    return f"模板语法错误：第{exc.lineno}行 {text}"


def _template_line(exc: BaseException) -> int | None:
    line, tb = None, exc.__traceback__
    while tb is not None:
        # Jinja rewrites the traceback so template frames carry template line numbers.
        if tb.tb_frame.f_code.co_filename in (TEMPLATE_NAME, "<unknown>"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _undefined_message(exc: UndefinedError) -> str:
    text = str(exc)
    match = re.search(r"has no attribute '(.+?)'", text) or re.search(r"has no element '?(.+?)'?$", text)
    if match:
        return f"数据中没有字段 {match.group(1)}"
    match = re.search(r"'(.+?)' is undefined", text)
    if match:
        return f"模板引用了不存在的数据 {match.group(1)}"
    return f"模板引用了不存在的数据：{text}"


# ------------------------------------------------------------------ static checks
def _static_check(ast: nodes.Template, body: str) -> None:
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise TemplateRejected("模板不安全：不允许引用其他模板或文件（include / import / extends）", node.lineno)
    found: dict[str, int] = {}
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            name = node.arg.value
        else:
            continue
        if name.startswith("_") or name in _INTERNAL_NAMES:
            found.setdefault(name, node.lineno)
    if found:
        # In the order they are written: a.__class__.__mro__ names __class__ first.
        names = sorted(found, key=lambda n: (found[n], body.find(n)))
        raise TemplateRejected(f"模板不安全：不允许访问 {'、'.join(names)}", found[names[0]])


@functools.lru_cache(maxsize=64)
def compile_template(body: str):
    """The compiled template for a source text (cached: a template is compiled once, not per document)."""
    try:
        ast = ENV.parse(body, name=TEMPLATE_NAME)
        _static_check(ast, body)
        return ENV.from_string(ast)
    except TemplateAssertionError as exc:  # unknown filter / test: found at compile time
        raise TemplateRejected(_syntax_message(exc), exc.lineno) from None
    except TemplateSyntaxError as exc:
        raise TemplateRejected(_syntax_message(exc), exc.lineno) from None


def render(body: str, context: dict[str, Any]) -> str:
    """Render `body` with `context` (plain data; see helpers.plain_data). Raises TemplateRejected."""
    template = compile_template(body)
    values = dict(context)
    values["range"] = _RangeBudget()
    size, parts = 0, []
    try:
        for chunk in template.generate(values):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateRejected(f"模板输出内容过大（超过 {MAX_OUTPUT_CHARS // 1_000_000}MB 字符）")
            parts.append(chunk)
    except TemplateRejected:
        raise
    except _Unsafe as exc:
        raise TemplateRejected(f"模板不安全：不允许{_what(exc.what)}", _template_line(exc)) from None
    except SecurityError as exc:
        raise TemplateRejected(f"模板不安全：{exc}", _template_line(exc)) from None
    except UndefinedError as exc:
        raise TemplateRejected(_undefined_message(exc), _template_line(exc)) from None
    except ZeroDivisionError as exc:
        raise TemplateRejected("模板渲染出错：除数为零", _template_line(exc)) from None
    except Exception as exc:  # a filter refusing its input (the helpers' messages are Chinese)
        raise TemplateRejected(f"模板渲染出错：{exc}", _template_line(exc)) from None
    return "".join(parts)


def _what(what: str) -> str:
    # An attribute name reads "不允许访问 __class__"; the other refusals carry their own words.
    return what if what.startswith(("过", "引用")) else f"访问 {what}"
