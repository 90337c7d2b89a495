"""Spreadsheet cells that are safe to open (CSV/formula injection, the OWASP rule).

A text starting with = + - @ tab or carriage return is a formula to Excel or LibreOffice
("=HYPERLINK(...)", "@SUM(...)", "-2+3"). Every export, import template and error report
writes such a value as text: in CSV with a leading apostrophe (which the spreadsheet hides);
in XLSX as a string cell with the quote-prefix style, so it stays text even when edited.
Plain numbers such as "-1,234.00" are left alone: they are not formulas.
Reading a CSV back (the importer) drops that apostrophe again, so a round trip is exact.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_FIRST) and not _NUMBER.fullmatch(value)


def csv_value(value: Any) -> Any:
    return "'" + value if is_risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(v) for v in values]


def from_csv(value: Any) -> Any:
    """Undo csv_value for a cell read from a CSV file."""
    if isinstance(value, str) and value.startswith("'") and is_risky(value[1:]):
        return value[1:]
    return value


def _as_text(cell: Any) -> Any:
    # openpyxl makes any str starting with "=" a formula cell: force a string, and mark it
    # quote-prefixed so that Excel keeps it text if someone edits the cell.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for sheet.append(): risky texts as text cells (write-only or normal sheets)."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        out.append(_as_text(WriteOnlyCell(sheet, value=value)) if is_risky(value) else value)
    return out


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """sheet.append with the rule applied, for a normal (not write-only) worksheet."""
    values = list(values)
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if is_risky(value):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            _as_text(cell)
