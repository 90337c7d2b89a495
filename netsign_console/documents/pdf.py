"""HTML → PDF with xhtml2pdf: the A4 page, the CJK font, and on every page the document
number, the verification code and a QR code of the public verify address.

The page frame is the layer's, not the template's: a template supplies the content only
(markup.check_markup refuses @page in it), so no template can drop the verification code.
The font is a TrueType CJK face registered once per process with ReportLab (reading and
parsing a CJK font costs ~0.3 s; xhtml2pdf's @font-face would also hash the 16 MB file on
every document). xhtml2pdf and ReportLab cannot embed OpenType-CFF fonts, hence TrueType.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from netsign_console.documents import cjk_wrap
from netsign_console.documents.codes import display_code
from netsign_console.errors import UserError
from netsign_console import settings as config  # read at call time: tests swap config.settings

log = logging.getLogger(__name__)

FONT_NAME = "NetsignCJK"
# CSS family names a template may use; all of them draw with the embedded CJK face
# (xhtml2pdf would otherwise fall back to Helvetica, which has no Chinese glyphs).
_FONT_ALIASES = ("netsigncjk", "serif", "sans-serif", "simsun", "宋体", "songti", "simhei", "黑体", "heiti",
                 "kaiti", "楷体", "fangsong", "仿宋", "microsoft yahei", "微软雅黑", "wenquanyi zen hei",
                 "wqy zenhei", "noto sans cjk sc", "noto serif cjk sc", "pingfang sc")
_font_lock = threading.Lock()
# One PDF at a time per process: xhtml2pdf/ReportLab keep module-level state, and the work is
# pure Python under the GIL, so a second thread would not make it faster anyway.
_render_lock = threading.Lock()
_font_ready = False


class FontMissing(UserError):
    """The CJK font is not installed: said in Chinese, with what to install."""


def ensure_font(path: Path | None = None) -> None:
    """Register the CJK font with ReportLab and xhtml2pdf, and the line-wrap fix (once per process)."""
    global _font_ready
    if _font_ready:
        return
    with _font_lock:
        if _font_ready:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        import xhtml2pdf.default

        font = Path(path or config.settings.pdf_font)
        if not font.is_file():
            raise FontMissing(f"找不到PDF中文字体 {font}：请安装 fonts-wqy-zenhei（make 会安装）或设置 NETSIGN_PDF_FONT")
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font), subfontIndex=0))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)  # the face has no bold: same glyphs
        for alias in _FONT_ALIASES:
            xhtml2pdf.default.DEFAULT_FONT[alias] = FONT_NAME
        cjk_wrap.install()
        _font_ready = True


def qr_data_uri(text: str, scale: int = 4) -> str:
    import segno

    buf = io.BytesIO()
    segno.make_qr(text, error="m").save(buf, kind="png", scale=scale, border=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def verify_url(code: str) -> str:
    return f"{config.settings.public_url}/verify/{code}"


@dataclass(frozen=True)
class Stamp:
    """What every page of a document carries."""

    number: str
    code: str

    @property
    def url(self) -> str:
        return verify_url(self.code)


_PDF_CSS = """
@page {
  size: a4 portrait;
  margin: 1.8cm 1.8cm 3.1cm 1.8cm;
  @frame netsign_footer { -pdf-frame-content: netsign-footer; left: 1.8cm; right: 1.8cm; bottom: 0.6cm; height: 2.3cm; }
}
body { font-family: NetsignCJK; font-size: 10.5pt; line-height: 1.45; color: #111111; -pdf-word-wrap: CJK; }
"""
_PDF_FOOTER_CSS = """
#netsign-footer { font-family: NetsignCJK; font-size: 8pt; color: #333333; }
#netsign-footer td { vertical-align: middle; padding: 0; }
"""


def _footer(stamp: Stamp, qr: str, *, pdf: bool) -> str:
    number, code, url = (html.escape(v) for v in (stamp.number, display_code(stamp.code), stamp.url))
    pages = "第<pdf:pagenumber/>页 共<pdf:pagecount/>页" if pdf else "（预览：分页以生成的PDF为准）"
    return (
        f'<table style="width:100%; border-top: 0.5pt solid #999999;"><tr>'
        f'<td style="width:82%; padding-top:4pt;">文书编号：{number}　查验码：<b>{code}</b><br/>'
        f'扫描右侧二维码或访问 {url} 查验真伪<br/>{pages}</td>'
        f'<td style="width:18%; text-align:right;"><img src="{qr}" width="62" height="62"'
        f' style="width:1.9cm; height:1.9cm;"/></td></tr></table>'
    )


def pdf_html(body: str, stamp: Stamp) -> str:
    """The full HTML xhtml2pdf renders: the page frame around the template's content."""
    qr = qr_data_uri(stamp.url)
    return (
        f'<html><head><meta charset="utf-8"/><style>{_PDF_CSS}</style></head><body>'
        f'<div id="netsign-footer">{_footer(stamp, qr, pdf=True)}</div>\n{body}\n'
        # Last, so that no rule of the template outranks the footer's.
        f'<style>{_PDF_FOOTER_CSS}</style></body></html>'
    )


_PREVIEW_CSS = """
html { background: #e9ecef; }
body { margin: 0; padding: 16px 0; }
.netsign-sheet { box-sizing: border-box; width: 210mm; max-width: calc(100vw - 24px); min-height: 297mm;
  margin: 0 auto; background: #ffffff; padding: min(18mm, 4vw) min(18mm, 4vw) 34mm min(18mm, 4vw);
  position: relative; box-shadow: 0 1px 6px rgba(0,0,0,.25);
  font-family: "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #111111; }
.netsign-preview-footer { position: absolute; left: min(18mm, 4vw); right: min(18mm, 4vw); bottom: 7mm; font-size: 8pt; color: #333333; }
"""


def preview_page(body: str, stamp: Stamp) -> str:
    """A browser page showing the document on one A4 sheet (for an iframe srcdoc)."""
    qr = qr_data_uri(stamp.url)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{_PREVIEW_CSS}</style></head>'
        f'<body><div class="netsign-sheet">{body}<div class="netsign-preview-footer">'
        f'{_footer(stamp, qr, pdf=False)}</div></div></body></html>'
    )


class PdfFailed(UserError):
    pass


def _policy():
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    # Nothing to fetch: no disk (base_dir=None), no network; images are data: URIs.
    return ResourceAccessPolicy.server(base_dir=None, allow_remote=False, max_render_seconds=60)


def html_to_pdf(document_html: str) -> bytes:
    from xhtml2pdf import pisa

    ensure_font()
    out = io.BytesIO()
    with _render_lock:
        result = pisa.CreatePDF(document_html, dest=out, encoding="utf-8", resource_policy=_policy())
    if result.err:
        raise PdfFailed(f"PDF生成失败（{result.err}个错误）")
    return out.getvalue()

