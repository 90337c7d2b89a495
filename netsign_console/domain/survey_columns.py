"""The columns of a survey-result file (测绘成果, SURV-01, SURV-13, SURV-14, N15) and how each
cell is read: one table of rooms, the survey's and the building's columns repeated (or left
blank after a building's first row).

Every reader takes the cell text and raises ValueError with the Chinese message shown at
that cell; it returns the typed value (Decimal, int, bool, a code, or text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models.enums import HouseNature, HouseStructure, HouseType, HouseUsage, LabeledEnum, SurveyKind
from netsign_console.domain.decimals import AREA, decimal_places

__all__ = [
    "AREA_PLACES",
    "BUILDING",
    "COLUMNS",
    "COLUMN_BY_HEADER",
    "IGNORED_HEADERS",
    "ROOM",
    "SURVEY",
    "Column",
    "SurveyKind",
    "dictionary_lookup",
    "normalize_header",
]

SURVEY, BUILDING, ROOM = "survey", "building", "room"
AREA_PLACES = 4
# Numeric(14, 4): ten digits before the point.
_AREA_LIMIT = Decimal(10) ** 10
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    level: str  # SURVEY, BUILDING or ROOM
    required: bool
    read: Callable[[str], object]
    hint: str  # shown in the template's notes sheet


def _decimal(header: str, text: str, *, allow_zero: bool) -> Decimal:
    compact = text.replace(",", "")
    if compact.startswith("-"):
        raise ValueError(f"{header}不能为负数")
    if not _NUMBER.fullmatch(compact):
        raise ValueError(f"{header}应为数字，最多{AREA_PLACES}位小数")
    try:
        value = Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(f"{header}应为数字") from None
    if decimal_places(value.normalize()) > AREA_PLACES:
        raise ValueError(f"{header}最多{AREA_PLACES}位小数")
    if value == 0 and not allow_zero:
        raise ValueError(f"{header}必须大于0")
    if value >= _AREA_LIMIT:
        raise ValueError(f"{header}数值过大")
    return value.quantize(AREA)


def _area(header: str, *, allow_zero: bool = False) -> Callable[[str], Decimal]:
    return lambda text: _decimal(header, text, allow_zero=allow_zero)


def _integer(header: str, minimum: int, maximum: int, *, zero: bool = True) -> Callable[[str], int]:
    def read(text: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise ValueError(f"{header}应为整数")
        value = int(text)
        if not zero and value == 0:
            raise ValueError(f"{header}不能为0（没有第0层）")
        if not minimum <= value <= maximum:
            raise ValueError(f"{header}应在{minimum}到{maximum}之间")
        return value

    return read


def _text(header: str, max_length: int) -> Callable[[str], str]:
    def read(text: str) -> str:
        if len(text) > max_length:
            raise ValueError(f"{header}最多{max_length}个字符")
        return text

    return read


def _folded(text: str) -> str:
    return text.replace("其他", "其它")


def dictionary_lookup(enum: type[LabeledEnum]) -> dict[str, str]:
    """Code or Chinese label (N15) -> code. 结构 may be left off a structure's label."""
    lookup: dict[str, str] = {}
    for member in enum:
        lookup[member.value] = member.value
        lookup[_folded(member.label)] = member.value
        short = member.label.removesuffix("结构")
        if short and short != member.label:
            lookup[_folded(short)] = member.value
    return lookup


def _choice(header: str, enum: type[LabeledEnum]) -> Callable[[str], str]:
    lookup = dictionary_lookup(enum)
    allowed = "、".join(f"{m.value} {m.label}" for m in enum)

    def read(text: str) -> str:
        code = lookup.get(_folded(text))
        if code is None:
            raise ValueError(f"{header}“{text}”不在字典中，可填代码或名称：{allowed}")
        return code

    return read


def _kind(text: str) -> str:
    for member in SurveyKind:
        if text in (member.value, member.label, member.label + "绘"):
            return member.value
    raise ValueError(f"测绘类型“{text}”无效，请填写“预测”或“实测”")


_YES = {"是", "有", "y", "yes", "1", "true"}
_NO = {"否", "无", "n", "no", "0", "false"}


def _elevator(text: str) -> bool:
    folded = text.lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError(f"电梯应填写“是”或“否”，不能填写“{text}”")


COLUMNS: tuple[Column, ...] = (
    Column("测绘宗号", "survey_number", SURVEY, True, _text("测绘宗号", 30), "一个文件只能有一个测绘宗号（测量号）"),
    Column("测绘类型", "kind", SURVEY, True, _kind, "预测 或 实测"),
    Column("栋号", "building_number", BUILDING, True, _text("栋号", 30), "如 D004；每行必填"),
    Column("测绘编码", "survey_code", BUILDING, False, _text("测绘编码", 30), "如 CL20220406001"),
    Column("总套数", "total_units", BUILDING, True, _integer("总套数", 1, 100_000), "须等于本栋户室行数"),
    Column("楼栋建筑面积", "gross_area", BUILDING, True, _area("楼栋建筑面积"), "m²，最多4位小数"),
    Column("建筑结构", "structure", BUILDING, False, _choice("建筑结构", HouseStructure), "填代码或名称，见下方字典"),
    Column("建筑高度", "height", BUILDING, False, _area("建筑高度"), "m，最多4位小数"),
    Column("地上层数", "floors_above", BUILDING, True, _integer("地上层数", 1, 300), "正整数"),
    Column("地下层数", "floors_below", BUILDING, False, _integer("地下层数", 0, 20), "不填为0"),
    Column("单元数", "unit_count", BUILDING, False, _integer("单元数", 1, 99), "不填为1；多于1个单元时户室须填单元"),
    Column("室号", "room_number", ROOM, True, _text("室号", 30), "如 1-0101，同一栋内不能重复"),
    Column("单元", "unit", ROOM, False, _text("单元", 10), "如 1 或 A01；纯数字时须在1至单元数之间"),
    Column("实际层", "actual_floor", ROOM, True, _integer("实际层", -20, 300, zero=False),
           "整数，地下层为负数（-1为地下一层），不能为0"),
    Column("名义层", "nominal_floor", ROOM, False, _text("名义层", 10), "如 12A"),
    Column("建筑面积", "gross_area", ROOM, True, _area("建筑面积"), "m²，最多4位小数；须等于套内面积+分摊面积"),
    Column("套内面积", "inner_area", ROOM, True, _area("套内面积"), "m²，最多4位小数"),
    Column("分摊面积", "shared_area", ROOM, True, _area("分摊面积", allow_zero=True), "m²，最多4位小数，可为0"),
    Column("房屋结构", "structure", ROOM, False, _choice("房屋结构", HouseStructure), "填代码或名称，见下方字典"),
    Column("房屋类型", "room_type", ROOM, False, _choice("房屋类型", HouseType), "填代码或名称，见下方字典"),
    Column("房屋用途", "usage", ROOM, True, _choice("房屋用途", HouseUsage), "填代码或名称，见下方字典"),
    Column("房屋性质", "nature", ROOM, False, _choice("房屋性质", HouseNature), "填代码或名称，见下方字典"),
    Column("电梯", "has_elevator", ROOM, False, _elevator, "是 或 否"),
    Column("户型", "layout", ROOM, False, _text("户型", 20), "如 三室一厅"),
    Column("装修情况", "decoration", ROOM, False, _text("装修情况", 20), "如 毛坯"),
)

# Other names survey software uses for the same columns.
_ALIASES = {"测量号": "测绘宗号", "预测测量号": "测绘宗号", "实测测量号": "测绘宗号", "预测绘宗号": "测绘宗号",
            "实测绘宗号": "测绘宗号", "楼栋": "栋号", "幢号": "栋号", "装修档次": "装修情况"}
COLUMN_BY_HEADER: dict[str, Column] = {c.header: c for c in COLUMNS} | {
    alias: next(c for c in COLUMNS if c.header == target) for alias, target in _ALIASES.items()
}
IGNORED_HEADERS = frozenset({"序号"})
_UNIT_SUFFIX = re.compile(r"[(（][^()（）]*[)）]$")


def normalize_header(text: str) -> str:
    """"建筑面积(m²)*" -> "建筑面积": no spaces, no required mark, no unit in brackets."""
    compact = "".join(str(text).split()).rstrip("*＊")
    return _UNIT_SUFFIX.sub("", compact).rstrip("*＊")
