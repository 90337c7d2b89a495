"""Reading a survey-result file into text cells, and the blank template (SURV-01, N15).

``read_rows`` turns .csv (UTF-8 with or without BOM, or GB18030, as Excel saves it on a
Chinese Windows) and .xlsx (the sheet 户室, else the first) into (header, rows) of text;
the checks are in survey_file.
Fully blank rows are kept as empty dicts so that ``rows[i]`` is spreadsheet row i + 2.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from models.enums import HouseNature, HouseStructure, HouseType, HouseUsage
from netsign_console.domain.decimals import decimal_places
from netsign_console.domain.survey_columns import COLUMNS

__all__ = ["MAX_ROWS", "ROOM_SHEET", "read_rows", "template_xlsx"]

ROOM_SHEET = "户室"
NOTES_SHEET = "填写说明"
MAX_ROWS = 50_000
# Excel shows 15 significant digits; beyond 10 decimals a float is formula noise.
_FLOAT_PLACES = 10


def _float_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    # The shortest repr is what was typed ("103.5"); a formula's result such as
    # 128.5 + 1.6 = 130.10000000000002 is cut back to what the person sees in the cell.
    number = Decimal(repr(value))
    if decimal_places(number) > _FLOAT_PLACES:
        number = round(number, _FLOAT_PLACES)
    return format(number.normalize(), "f")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别CSV文件的编码，请另存为UTF-8或GB18030编码")


def _as_dicts(header: list[str], rows) -> list[dict[str, str]]:
    result = []
    for cells in rows:
        if len(result) >= MAX_ROWS:
            raise ValueError(f"一个文件最多{MAX_ROWS}行，请分栋导入")
        texts = [_cell_text(c) for c in cells]
        result.append({h: texts[i] if i < len(texts) else "" for i, h in enumerate(header) if h})
    return result


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) from a .csv or .xlsx survey file; raises ValueError (Chinese) if unreadable."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = _decode(data)
        except UnicodeDecodeError:
            raise ValueError("CSV文件的UTF-8编码有误，请重新保存") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [_cell_text(h) for h in next(reader, [])]
        return header, _as_dicts(header, reader)
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001  every broken workbook gets the same message
            raise ValueError("无法读取该Excel文件，请使用下载的模板") from None
        try:
            sheet = workbook[ROOM_SHEET] if ROOM_SHEET in workbook.sheetnames else workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [_cell_text(h) for h in next(rows, ())]
            return header, _as_dicts(header, rows)
        finally:
            workbook.close()
    raise ValueError("请上传CSV或XLSX格式的测绘成果文件")


_SAMPLE = {
    "测绘宗号": "CL20220406001", "测绘类型": "预测", "栋号": "D004", "测绘编码": "CL20220406001",
    "总套数": "2", "楼栋建筑面积": "260.2000", "建筑结构": "钢筋混凝土结构", "建筑高度": "9.0000",
    "地上层数": "3", "地下层数": "0", "单元数": "1", "单元": "1", "实际层": "1", "名义层": "1",
    "建筑面积": "130.1000", "套内面积": "110.2000", "分摊面积": "19.9000", "房屋结构": "钢筋混凝土结构",
    "房屋类型": "住宅", "房屋用途": "住宅", "房屋性质": "市场化商品房", "电梯": "是", "户型": "三室一厅",
    "装修情况": "毛坯",
}
_SAMPLE_ROOMS = ("1-0101", "1-0102")
_TEXT_COLUMNS = frozenset({"测绘宗号", "栋号", "测绘编码", "室号", "单元", "名义层"})
_NOTES = (
    "一个文件只包含一个测绘宗号（测量号）的成果，每行一户。",
    "楼栋信息（测绘编码至单元数）可每行重复填写，也可只在该栋第一行填写；同一栋号填写的值必须一致。",
    "带 * 的列必填。面积单位为m²，最多4位小数；建筑面积须等于套内面积+分摊面积（允许误差±{tolerance}m²）。",
    "实际层为整数，地下层填负数（-1为地下一层），没有第0层；总套数须等于该栋的户室行数。",
    "楼栋建筑面积与各户建筑面积之和不一致时只提示，不阻止导入（楼栋可含不分摊的共有面积）。",
    "字典列可填代码或名称。第2、3行为示例，导入前请删除。",
)
_DICTIONARIES = (("房屋结构、建筑结构", HouseStructure), ("房屋类型", HouseType),
                 ("房屋用途", HouseUsage), ("房屋性质", HouseNature))


def template_xlsx(tolerance: Decimal | str = "0.01") -> bytes:
    """The blank survey file: the 户室 sheet (headers, * = required, two sample rooms) and notes;
    ``tolerance`` is the area tolerance the notes state (the console's NETSIGN_AREA_TOLERANCE)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROOM_SHEET
    sheet.append([f"{c.header}*" if c.required else c.header for c in COLUMNS])
    for number in _SAMPLE_ROOMS:
        sheet.append([number if c.header == "室号" else _SAMPLE.get(c.header, "") for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        if column.header in _TEXT_COLUMNS:
            # Text cells keep what is typed: "0101" would otherwise lose its zero.
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 2 + len(_SAMPLE_ROOMS)):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append(["列名", "是否必填", "填写说明"])
    for column in COLUMNS:
        notes.append([column.header, "是" if column.required else "否", column.hint])
    notes.append([])
    for line in _NOTES:
        notes.append(["说明", "", line.format(tolerance=format(Decimal(tolerance).normalize(), "f"))])
    for title, enum in _DICTIONARIES:
        notes.append([])
        notes.append([f"字典：{title}", "代码", "名称"])
        for member in enum:
            notes.append(["", member.value, member.label])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
