"""Checking a survey-result file (测绘成果) before import (SURV-01, SURV-13, SURV-14, SURV-15, N15).

Layout (the simplest a survey office can fill, and what survey software exports): ONE table,
one row per room (户室). The survey's columns (测绘宗号, 测绘类型) and the building's columns
(测绘编码, 总套数, 楼栋建筑面积, 建筑结构, 建筑高度, 地上层数, 地下层数, 单元数) are repeated on
every row, or filled on a building's first row and left blank below it; 栋号 is on every row.
The columns are in survey_columns.COLUMNS; template_xlsx() writes them with a sample and notes.

Checks (each a RowError(row, column, message); row as the user sees it, header = row 1):

* errors (the file may be imported only when there are none): a missing required column or
  cell; a cell that is not a number / integer / dictionary entry (N15 code or label); an area
  ≤ 0 (分摊面积 may be 0) or with more than 4 decimals; more than one 测绘宗号 or 测绘类型 in the
  file, or one that differs from the case's; a building value that differs from the one
  given on an earlier row of the same 栋号; 建筑面积 ≠ 套内面积 + 分摊面积 beyond ±tolerance
  (SURV-15); a 室号 twice in one building; an 实际层 outside −地下层数..地上层数 or 0; a 单元
  missing when the building has several, a numeric 单元 outside 1..单元数, or more distinct
  单元 than 单元数; 总套数 ≠ the number of room rows of the building.
* each error has a scope: ``file`` (the header, the file as a whole, the survey's own
  columns: nothing can be imported until it is fixed), ``building`` (a building's values are
  missing, or its 总套数 differs from its rows: that building is left out, or recounted, when
  only the good rows are imported) or ``row`` (that row alone is wrong). ``valid_part`` is
  what "仅导入正确的行" imports.
* warnings (shown, not blocking): 楼栋建筑面积 ≠ Σ room 建筑面积 beyond ±building_tolerance,
  because a building's gross area lawfully includes common parts that no room shares
  (GB/T 17986: 不应分摊的共有建筑面积, e.g. civil-defence basements); fewer distinct 单元 than
  单元数; unknown columns (ignored).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from netsign_console.domain.area import area_identity_error
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.decimals import require_decimal
from netsign_console.domain.money import format_area
from netsign_console.domain.survey_columns import (
    BUILDING,
    COLUMN_BY_HEADER,
    COLUMNS,
    IGNORED_HEADERS,
    ROOM,
    SURVEY,
    Column,
    SurveyKind,
    normalize_header,
)
from netsign_console.domain.survey_io import MAX_ROWS, read_rows, template_xlsx

__all__ = [
    "MAX_ROOMS",
    "RowError",
    "SurveyBuilding",
    "SurveyFile",
    "SurveyKind",
    "SurveyRoom",
    "check_survey_file",
    "error_rows",
    "parse_survey",
    "read_rows",
    "template_xlsx",
    "valid_part",
]

MAX_ROOMS = MAX_ROWS
_ROOM_HEADERS = frozenset(c.header for c in COLUMNS if c.level == ROOM)
_BUILDING_COLUMNS = tuple(c for c in COLUMNS if c.level == BUILDING)


ROW, BUILDING_SCOPE, FILE = "row", "building", "file"


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header, 2 = the first room; 0 = the file as a whole
    column: str  # the Chinese column header, "" for the whole row or file
    message: str
    scope: str = ROW  # ROW, BUILDING_SCOPE or FILE: what dropping bad rows can and cannot mend


@dataclass(frozen=True)
class SurveyBuilding:
    building_number: str
    survey_code: str | None
    total_units: int
    gross_area: Decimal
    structure: str | None  # HouseStructure code
    height: Decimal | None
    floors_above: int
    floors_below: int
    unit_count: int
    row: int  # the building's first row


@dataclass(frozen=True)
class SurveyRoom:
    row: int
    building_number: str
    room_number: str
    unit: str | None
    actual_floor: int
    nominal_floor: str | None
    gross_area: Decimal
    inner_area: Decimal
    shared_area: Decimal
    structure: str | None  # HouseStructure code
    room_type: str | None  # HouseType code
    usage: str  # HouseUsage code
    nature: str | None  # HouseNature code
    has_elevator: bool | None
    layout: str | None
    decoration: str | None


@dataclass(frozen=True)
class SurveyFile:
    survey_number: str | None
    kind: SurveyKind | None
    buildings: tuple[SurveyBuilding, ...]
    rooms: tuple[SurveyRoom, ...]  # every row that could be read, even when errors remain
    errors: tuple[RowError, ...]
    warnings: tuple[RowError, ...]
    row_count: int = 0  # the non-blank room rows of the file

    @property
    def ok(self) -> bool:
        return not self.errors


class _Draft:
    """What the rows say about one building so far."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.values: dict[str, object] = {}
        self.value_rows: dict[str, tuple[int, str]] = {}
        self.unreadable: set[str] = set()  # headers already reported on some row
        self.room_rows = 0


class _Checker:
    def __init__(self, tolerance: Decimal, building_tolerance: Decimal) -> None:
        self.tolerance = tolerance
        self.building_tolerance = building_tolerance
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.survey: dict[str, tuple[object, int, str]] = {}
        self.unreadable: set[str] = set()  # headers of cells already reported as unreadable
        self.drafts: dict[str, _Draft] = {}
        self.rooms: list[dict[str, object]] = []
        self.first_row = 0
        self.row_count = 0

    def error(self, row: int, column: str, message: str, scope: str = ROW) -> None:
        self.errors.append(RowError(row, column, message, scope))

    # -- header ---------------------------------------------------------------------------

    def columns(self, header: Sequence[str]) -> dict[str, Column] | None:
        """raw header -> column; None when a required column is missing."""
        found: dict[str, Column] = {}
        seen: set[str] = set()
        for raw in header:
            name = normalize_header(raw)
            if not name or name in IGNORED_HEADERS:
                continue
            column = COLUMN_BY_HEADER.get(name)
            if column is None:
                self.warnings.append(RowError(1, str(raw), f"未识别的列“{raw}”，已忽略"))
            elif column.header in seen:
                self.error(1, column.header, f"列“{column.header}”重复", FILE)
            else:
                seen.add(column.header)
                found[raw] = column
        missing = [c.header for c in COLUMNS if c.required and c.header not in seen]
        if missing:
            self.error(1, "", "缺少必填列：" + "、".join(missing), FILE)
        return None if missing or self.errors else found

    # -- one row --------------------------------------------------------------------------

    def row(self, row_no: int, cells: Mapping[str, object], columns: dict[str, Column]) -> None:
        texts = {column: _cell(cells.get(raw)) for raw, column in columns.items()}
        if not any(texts.values()):
            return
        self.first_row = self.first_row or row_no
        self.row_count += 1
        values: dict[str, dict[str, object]] = {SURVEY: {}, BUILDING: {}, ROOM: {}}
        unread: set[str] = set()
        for column, text in texts.items():
            if not text:
                continue
            try:
                values[column.level][column.field] = column.read(text)
            except ValueError as exc:
                self.error(row_no, column.header, str(exc))
                unread.add(column.header)
        self.unreadable |= unread
        for column, text in texts.items():
            if column.level == SURVEY and column.field in values[SURVEY]:
                self._survey_value(row_no, column, values[SURVEY][column.field], text)
        number = values[BUILDING].pop("building_number", None)
        if number is None:
            if "栋号" not in unread:
                self.error(row_no, "栋号", "请填写栋号")
            return
        draft = self.drafts.get(number)
        if draft is None:
            draft = self.drafts[number] = _Draft(row_no)
        draft.room_rows += 1
        draft.unreadable |= unread
        for column, text in texts.items():
            if column.level == BUILDING and column.field in values[BUILDING]:
                self._building_value(row_no, draft, column, values[BUILDING][column.field], text)
        room = values[ROOM]
        missing = [c.header for c in texts if c.level == ROOM and c.required
                   and c.field not in room and c.header not in unread]
        for header in missing:
            self.error(row_no, header, f"请填写{header}")
        if not missing and not any(h in unread for h in _ROOM_HEADERS):
            self.rooms.append(room | {"row": row_no, "building_number": number})

    def _survey_value(self, row_no: int, column: Column, value: object, text: str) -> None:
        if column.field not in self.survey:
            self.survey[column.field] = (value, row_no, text)
        elif self.survey[column.field][0] != value:
            _, first, first_text = self.survey[column.field]
            self.error(row_no, column.header,
                       f"一个文件只能有一个{column.header}：第{first}行为“{first_text}”，本行为“{text}”")

    def _building_value(self, row_no: int, draft: _Draft, column: Column, value: object, text: str) -> None:
        if column.field not in draft.values:
            draft.values[column.field] = value
            draft.value_rows[column.field] = (row_no, text)
        elif draft.values[column.field] != value:
            first, first_text = draft.value_rows[column.field]
            self.error(row_no, column.header,
                       f"与第{first}行填写的{column.header}“{first_text}”不一致（同一栋号的楼栋信息须相同）")

    # -- the whole file -------------------------------------------------------------------

    def buildings(self) -> dict[str, SurveyBuilding]:
        built: dict[str, SurveyBuilding] = {}
        for number, draft in self.drafts.items():
            values = {"floors_below": 0, "unit_count": 1, "survey_code": None, "structure": None,
                      "height": None} | draft.values
            missing = [c.header for c in COLUMNS if c.level == BUILDING and c.required
                       and c.field != "building_number" and c.field not in values
                       and c.header not in draft.unreadable]
            for header in missing:
                self.error(draft.row, header, f"请填写栋号{number}的{header}", BUILDING_SCOPE)
            if not missing and not any(c.header in draft.unreadable for c in _BUILDING_COLUMNS):
                built[number] = SurveyBuilding(building_number=number, row=draft.row, **values)
        return built

    def cross_checks(self, buildings: dict[str, SurveyBuilding]) -> None:
        first_row_of: dict[tuple[str, str], int] = {}
        units: dict[str, dict[str, int]] = {}
        rooms_of: dict[str, list[dict]] = {}
        for room in self.rooms:
            rooms_of.setdefault(room["building_number"], []).append(room)
            row, number = room["row"], room["building_number"]
            message = area_identity_error(room["gross_area"], room["inner_area"], room["shared_area"],
                                          self.tolerance)
            if message:
                self.error(row, "建筑面积", message)
            key = (number, room["room_number"])
            if key in first_row_of:
                self.error(row, "室号", f"室号“{room['room_number']}”在栋号{number}中重复（第{first_row_of[key]}行）")
            else:
                first_row_of[key] = row
            building = buildings.get(number)
            if building is not None:
                self._floor(room, building)
                self._unit(room, building, units.setdefault(number, {}))
        for number, building in buildings.items():
            self._totals(building, rooms_of.get(number, []), units.get(number, {}))

    def _floor(self, room: dict, building: SurveyBuilding) -> None:
        floor = room["actual_floor"]
        if not -building.floors_below <= floor <= building.floors_above:
            below = f"地下{building.floors_below}层、" if building.floors_below else ""
            self.error(room["row"], "实际层", f"实际层{floor}超出栋号{building.building_number}的楼层范围"
                                             f"（{below}地上{building.floors_above}层）")

    def _unit(self, room: dict, building: SurveyBuilding, seen: dict[str, int]) -> None:
        unit = room.get("unit")
        row, number = room["row"], building.building_number
        if unit is None:
            if building.unit_count > 1:
                self.error(row, "单元", f"栋号{number}有{building.unit_count}个单元，请填写单元")
            return
        key = str(int(unit)) if unit.isascii() and unit.isdigit() else unit
        if key.isdigit() and not 1 <= int(key) <= building.unit_count:
            self.error(row, "单元", f"单元“{unit}”超出栋号{number}的单元数（1至{building.unit_count}）")
            return
        if key not in seen:
            seen[key] = row
            if len(seen) > building.unit_count:
                self.error(row, "单元", f"栋号{number}的单元数为{building.unit_count}，"
                                       f"文件中已有{len(seen)}个不同的单元")

    def _totals(self, building: SurveyBuilding, rooms: list[dict], units: dict[str, int]) -> None:
        number, row = building.building_number, building.row
        count = self.drafts[number].room_rows
        if count != building.total_units:
            self.error(row, "总套数", f"栋号{number}的总套数为{building.total_units}，文件中有{count}户",
                       BUILDING_SCOPE)
        # Compared only when every room's area could be read; a partial sum would mislead.
        if len(rooms) == count:
            total = sum((r["gross_area"] for r in rooms), Decimal(0))
            gap = building.gross_area - total
            if abs(gap) > self.building_tolerance:
                self.warnings.append(RowError(row, "楼栋建筑面积", (
                    f"栋号{number}的楼栋建筑面积{format_area(building.gross_area)}m²与各户建筑面积之和"
                    f"{format_area(total)}m²相差{format_area(gap)}m²（允许误差±{self.building_tolerance}m²），"
                    "请核对是否含不分摊的共有面积")))
        if 0 < len(units) < building.unit_count:
            self.warnings.append(RowError(row, "单元数", (
                f"栋号{number}的单元数为{building.unit_count}，户室只涉及{len(units)}个单元")))


def _cell(value: object) -> str:
    # str.strip also removes the full-width spaces an IME leaves in a "blank" cell.
    return "" if value is None else str(value).strip()


def _room(values: dict[str, object]) -> SurveyRoom:
    defaults = {"unit": None, "nominal_floor": None, "structure": None, "room_type": None, "nature": None,
                "has_elevator": None, "layout": None, "decoration": None}
    return SurveyRoom(**(defaults | values))


def parse_survey(
    header: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    tolerance: Decimal = Decimal("0.01"),
    building_tolerance: Decimal = Decimal("0.01"),
    survey_number: str | None = None,
    kind: SurveyKind | str | None = None,
) -> SurveyFile:
    """Check and type a survey table: ``rows[i]`` is spreadsheet row i + 2, keyed by ``header``.

    ``survey_number`` / ``kind``, when given, are what the case expects the file to hold.
    """
    tolerance = require_decimal(tolerance, "允许误差")
    building_tolerance = require_decimal(building_tolerance, "楼栋面积允许误差")
    if tolerance < 0 or building_tolerance < 0:
        raise ValueError("允许误差不能为负数")
    checker = _Checker(tolerance, building_tolerance)
    columns = checker.columns(header)
    if columns is None:
        return SurveyFile(None, None, (), (), tuple(checker.errors), tuple(checker.warnings))
    for index, cells in enumerate(rows):
        if index >= MAX_ROOMS:
            checker.error(0, "", f"一个文件最多{MAX_ROOMS}户，请分栋导入", FILE)
            break
        checker.row(index + 2, cells, columns)
    if not checker.first_row:
        checker.error(1, "", "文件中没有户室数据", FILE)
    _expect(checker, survey_number, kind)
    buildings = checker.buildings()
    checker.cross_checks(buildings)
    found_number = checker.survey.get("survey_number", (None,))[0]
    found_kind = checker.survey.get("kind", (None,))[0]
    return SurveyFile(
        survey_number=found_number,
        kind=SurveyKind(found_kind) if found_kind else None,
        buildings=tuple(sorted(buildings.values(), key=lambda b: b.row)),
        rooms=tuple(_room(r) for r in checker.rooms),
        errors=tuple(sorted(checker.errors, key=lambda e: e.row)),
        warnings=tuple(sorted(checker.warnings, key=lambda e: e.row)),
        row_count=checker.row_count,
    )


def _expect(checker: _Checker, survey_number: str | None, kind: SurveyKind | str | None) -> None:
    expected_kind = parse_choice(SurveyKind, kind, "测绘类型").value if kind else None
    for field, header, expected in (("survey_number", "测绘宗号", survey_number),
                                    ("kind", "测绘类型", expected_kind)):
        if field not in checker.survey:
            if checker.first_row and header not in checker.unreadable:
                checker.error(checker.first_row, header, f"请填写{header}", FILE)
            continue
        value, row, text = checker.survey[field]
        if expected is not None and value != expected:
            shown = SurveyKind(expected).label if field == "kind" else expected
            checker.error(row, header, f"文件中的{header}“{text}”与本业务的{header}“{shown}”不一致", FILE)


def check_survey_file(data: bytes, filename: str, **options) -> SurveyFile:
    """read_rows + parse_survey; an unreadable file is one error at row 0."""
    try:
        header, rows = read_rows(data, filename)
    except ValueError as exc:
        return SurveyFile(None, None, (), (), (RowError(0, "", str(exc), FILE),), ())
    return parse_survey(header, rows, **options)


def error_rows(survey: SurveyFile) -> frozenset[int]:
    """The rows that "仅导入正确的行" leaves out because of an error of their own."""
    return frozenset(e.row for e in survey.errors if e.scope == ROW)


def valid_part(survey: SurveyFile) -> SurveyFile | None:
    """What "仅导入正确的行" imports: the readable rooms whose row has no error, in the buildings
    whose values could be read, each building's 总套数 recounted to the rooms kept; buildings
    left without rooms are dropped. None when nothing can be imported (a file-level error, no
    survey number or kind, or no good room at all)."""
    if survey.survey_number is None or survey.kind is None or any(e.scope == FILE for e in survey.errors):
        return None
    bad = error_rows(survey)
    known = {b.building_number for b in survey.buildings}
    rooms = tuple(r for r in survey.rooms if r.row not in bad and r.building_number in known)
    counts: dict[str, int] = {}
    for room in rooms:
        counts[room.building_number] = counts.get(room.building_number, 0) + 1
    buildings = tuple(replace(b, total_units=counts[b.building_number])
                      for b in survey.buildings if b.building_number in counts)
    if not rooms:
        return None
    return SurveyFile(survey.survey_number, survey.kind, buildings, rooms, (), survey.warnings, survey.row_count)
