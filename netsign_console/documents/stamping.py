"""Seal images onto a PDF (SIGN-12), before it is signed.

    positions = last_marks(pdf, ["出卖人（盖章）", "法定代表人（签章）"])   # where the template put them
    stamped = stamp(pdf, [StampSpec(seal_png, page=3, x=120, y=400, size=120), ...])
    signed = signing.sign_pdf(stamped, reason=..., location=...)           # validates afterwards

Each page that gets a seal is merged with a one-page overlay that ReportLab draws the image on
(transparency kept, so the text under a seal still shows and stays extractable); other pages
are copied untouched. Coordinates are PDF points from the bottom-left corner of the page;
(x, y) is the seal's centre. Stamping rewrites the file, so it must come before any signature:
a signature made afterwards covers the seals.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from netsign_console.errors import UserError


@dataclass(frozen=True)
class StampSpec:
    image: bytes  # PNG or JPEG
    page: int  # 1-based
    x: float  # centre, points from the left edge
    y: float  # centre, points from the bottom edge
    size: float = 120.0  # width in points (the height follows the image's proportions)


@dataclass(frozen=True)
class Mark:
    text: str
    page: int  # 1-based
    x: float  # where the marker text starts, points from the left
    y: float  # its baseline, points from the bottom


def _page_marks(page, number: int, wanted: list[str]) -> dict[str, list[Mark]]:
    """The marks on one page. Its text comes in pieces (CJK lines are broken between any two
    characters), so the pieces are joined and a marker's position is that of the piece it
    starts in."""
    pieces: list[tuple[int, float, float]] = []  # (start offset in the joined text, x, y)
    parts: list[str] = []
    length = 0

    def visit(text, cm, tm, _font, _size):
        nonlocal length
        if not text:
            return
        # The text matrix in the current transformation gives the page position.
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        pieces.append((length, float(x), float(y)))
        parts.append(text)
        length += len(text)

    page.extract_text(visitor_text=visit)
    joined = "".join(parts)
    found: dict[str, list[Mark]] = {m: [] for m in wanted}
    for marker in wanted:
        start = joined.find(marker)
        while start != -1:
            _offset, x, y = next(p for p in reversed(pieces) if p[0] <= start)
            found[marker].append(Mark(marker, number, x, y))
            start = joined.find(marker, start + len(marker))
    return found


def mark_positions(pdf_bytes: bytes, markers: Iterable[str]) -> dict[str, list[Mark]]:
    """Where each marker text is drawn, page by page (every occurrence, in page order)."""
    from pypdf import PdfReader

    wanted = list(markers)
    found: dict[str, list[Mark]] = {m: [] for m in wanted}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf_bytes)).pages, start=1):
        for marker, marks in _page_marks(page, number, wanted).items():
            found[marker].extend(marks)
    return found


def last_marks(pdf_bytes: bytes, markers: Iterable[str]) -> dict[str, Mark]:
    """The last occurrence of each marker, reading pages from the end and stopping once every
    marker is found (a signature page is last: usually one page is read, not the contract)."""
    from pypdf import PdfReader

    wanted = list(markers)
    found: dict[str, Mark] = {}
    pages = PdfReader(io.BytesIO(pdf_bytes)).pages
    for number in range(len(pages), 0, -1):
        missing = [m for m in wanted if m not in found]
        if not missing:
            break
        for marker, marks in _page_marks(pages[number - 1], number, missing).items():
            if marks:
                found[marker] = marks[-1]
    return found


def _overlay(width: float, height: float, stamps: Sequence[StampSpec]) -> bytes:
    from reportlab import rl_config

    from netsign_console.documents.pdf import _render_lock

    # ReportLab wraps images in ASCII85 by default, in pure Python here (~30 ms a seal): binary
    # streams are as valid and smaller. The setting is global, so it is changed only under the
    # lock every PDF render takes.
    with _render_lock:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            return _draw_overlay(width, height, stamps)
        finally:
            rl_config.useA85 = saved


def _draw_overlay(width: float, height: float, stamps: Sequence[StampSpec]) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height))
    for spec in stamps:
        try:
            reader = ImageReader(io.BytesIO(spec.image))
            w, h = reader.getSize()
        except Exception:
            raise UserError("印章图片无法读取，请重新上传印章") from None
        draw_w = spec.size
        draw_h = spec.size * h / w
        pdf.drawImage(reader, spec.x - draw_w / 2, spec.y - draw_h / 2, draw_w, draw_h, mask="auto")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def stamp(pdf_bytes: bytes, stamps: Sequence[StampSpec]) -> bytes:
    """The PDF with every seal image drawn at its place; the text layer is unchanged."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = len(reader.pages)
    by_page: dict[int, list[StampSpec]] = {}
    for spec in stamps:
        if not 1 <= spec.page <= pages:
            raise UserError(f"盖章位置不在文件中：第{spec.page}页（共{pages}页）")
        if spec.size <= 0:
            raise UserError("印章大小必须大于0")
        by_page.setdefault(spec.page, []).append(spec)
    # Incremental: the original bytes stay as they are and only the changed pages are appended.
    writer = PdfWriter(io.BytesIO(pdf_bytes), incremental=True)
    for number, specs in by_page.items():
        page = writer.pages[number - 1]
        box = page.mediabox
        overlay = PdfReader(io.BytesIO(_overlay(float(box.width), float(box.height), specs))).pages[0]
        page.merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
