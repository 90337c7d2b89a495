"""Chinese line wrapping in xhtml2pdf, with <br/> honoured.

Chinese has no spaces, so the page frame sets `-pdf-word-wrap: CJK` (break between any two
characters). xhtml2pdf 0.2.28's copy of ReportLab's CJK splitter skips a <br/> instead of
ending the line there (`if lineBreak: continue`), so "发证机关：…<br/>2026年12月2日" came out
on one line. ReportLab's own splitter ends the line; this is that behaviour, installed in
place of xhtml2pdf's function (looked up by name at call time) when the font is set up.
"""

from __future__ import annotations


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    from xhtml2pdf import reportlab_paragraph as rp

    units = []
    for frag in frags:
        text = frag.text if isinstance(frag.text, str) else frag.text.decode(encoding)
        units.extend([rp.cjkU(ch, frag, encoding) for ch in text] if text else [rp.cjkU(text, frag, encoding)])

    lines = []

    def width_of_next_line() -> float:
        return maxWidths[len(lines)] if len(lines) < len(maxWidths) else maxWidths[-1]

    max_width = width_of_next_line()
    start, used, i = 0, 0.0, 0
    while i < len(units):
        unit = units[i]
        if hasattr(unit.frag, "lineBreak"):
            # The break (an empty unit) closes its line and gives an empty line its height.
            lines.append(rp.makeCJKParaLine(units[start:i + 1], max_width - used, calcBounds))
            max_width = width_of_next_line()
            start, used, i = i + 1, 0.0, i + 1
            continue
        if used + unit.width > max_width + rp._FUZZ and used > 0:
            if unit in rp.ALL_CANNOT_START:
                # Closing punctuation may not start a line: it hangs in the margin instead.
                lines.append(rp.makeCJKParaLine(units[start:i + 1], max_width - used - unit.width, calcBounds))
                start, used = i + 1, 0.0
            else:
                lines.append(rp.makeCJKParaLine(units[start:i], max_width - used, calcBounds))
                start, used = i, unit.width
            max_width = width_of_next_line()
            i += 1
            continue
        used += unit.width
        i += 1
    if start < len(units):
        lines.append(rp.makeCJKParaLine(units[start:], max_width - used, calcBounds))
    return rp.ParaLines(kind=1, lines=lines)


def install() -> None:
    from xhtml2pdf import reportlab_paragraph

    reportlab_paragraph.cjkFragSplit = cjk_frag_split
