"""What a rendered document may contain besides text: no scripts, frames or forms, and no
reference to anything outside it (a file on the server, an address on the network).

xhtml2pdf fetches whatever `src=`, `url()` and `@import` name, from disk or the network;
its resource policy (pdf.py) refuses such fetches silently, which would print a permit
without its picture and without a word. This check runs on the rendered HTML (so a path
that came from the data is caught too), looks at tags, attributes and style sheets only
(a buyer's remark that reads "src=..." is text, not a reference) and says what it refused.
Images can be embedded as data:image/... URIs; links (<a href>) may point to web pages.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from netsign_console.documents.sandbox import TemplateRejected

_FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "meta", "base", "form",
    "input", "button", "textarea", "select", "svg", "math", "video", "audio", "source", "track", "noscript",
})
_RESOURCE_ATTRS = frozenset({"src", "background", "poster", "data", "action", "formaction", "srcset",
                             "xlink:href", "lowsrc", "dynsrc"})
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif);base64,[A-Za-z0-9+/=\s]*$", re.I)
_SAFE_LINK = re.compile(r"^(#|https?://|mailto:)", re.I)
_CSS_URL = re.compile(r"""url\s*\(\s*(["']?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_EXTERNAL = re.compile(r"@import|@font-face", re.I)
_CSS_PAGE = re.compile(r"@page|-pdf-frame|netsign-footer", re.I)


def _short(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 60 else value[:57] + "..."


def _check_css(css: str) -> None:
    match = _CSS_PAGE.search(css)
    if match:
        raise TemplateRejected(f"模板中不能使用 {match.group(0)}：页面设置和每页的文书编号、查验码由系统统一提供")
    match = _CSS_EXTERNAL.search(css)
    if match:
        raise TemplateRejected(f"模板中不能使用 {match.group(0)}：不能引用外部样式或字体，字体由系统统一嵌入")
    if "url" in css.lower():
        for found in _CSS_URL.finditer(css):
            if not _DATA_IMAGE.match(found.group(2).strip()):
                raise TemplateRejected(f"模板不安全：不允许引用外部文件或网址（url({_short(found.group(2))})）")
        if re.search(r"url\s*\(", css, re.I) and not _CSS_URL.search(css):
            raise TemplateRejected("模板不安全：样式中的 url( 没有闭合")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_style = False

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if tag in _FORBIDDEN_TAGS:
            raise TemplateRejected(f"模板不安全：文书中不允许使用 <{tag}> 标签")
        for attr, value in attrs:
            attr, value = attr.lower(), (value or "").strip()
            if attr in _RESOURCE_ATTRS and not _DATA_IMAGE.match(value):
                raise TemplateRejected(f"模板不安全：不允许引用外部文件或网址（{attr}={_short(value)}），"
                                       "图片请以 data:image/png;base64 形式嵌入")
            if attr == "href" and not _SAFE_LINK.match(value):
                raise TemplateRejected(f"模板不安全：链接只能指向网页（href={_short(value)}）")
            if attr == "style" or (attr == "id" and value.lower() == "netsign-footer"):
                _check_css(value)  # the footer's id is the layer's: a template may not claim it
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            _check_css(data)


def check_markup(html: str) -> None:
    """Raise TemplateRejected if the rendered document contains what a document may not."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
