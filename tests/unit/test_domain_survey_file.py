import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from netsign_console.domain.survey_file import (
    RowError,
    SurveyKind,
    check_survey_file,
    error_rows,
    parse_survey,
    read_rows,
    template_xlsx,
    valid_part,
)
from tests.unit.survey_rows import HEADER, building_rows, to_csv

D = Decimal


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def parse(rows, header=HEADER, **kw):
    return parse_survey(header, rows, **kw)


class TestValidFiles:
    def test_a_consistent_building_parses_into_typed_values(self):
        result = parse(building_rows(floors=3, per_floor=2))
        assert result.ok and result.warnings == ()
        assert (result.survey_number, result.kind) == ("CL001", SurveyKind.FORECAST)
        (building,) = result.buildings
        assert (building.building_number, building.total_units, building.gross_area, building.structure,
                building.height, building.floors_above, building.floors_below, building.unit_count, building.row) == \
            ("D004", 6, D("600.0000"), "3", D("30.5000"), 3, 0, 1, 2)
        first = result.rooms[0]
        assert (first.row, first.room_number, first.unit, first.actual_floor, first.gross_area,
                first.inner_area, first.shared_area, first.structure, first.room_type, first.usage,
                first.nature, first.has_elevator) == \
            (2, "1-0101", "1", 1, D("100.0000"), D("80.0000"), D("20.0000"), "3", "1", "10", "0", True)
        assert [r.row for r in result.rooms] == list(range(2, 8))

    def test_several_buildings_in_one_file(self):
        rows = building_rows("D001") + building_rows("D002", floors=2, per_floor=1, units=2)
        result = parse(rows)
        assert result.ok
        assert [(b.building_number, b.row, b.total_units) for b in result.buildings] == [("D001", 2, 6), ("D002", 8, 4)]

    def test_building_columns_may_be_left_blank_after_the_first_row(self):
        rows = building_rows()
        for row in rows[1:]:
            for key in ("测绘宗号", "测绘类型", "测绘编码", "总套数", "楼栋建筑面积", "地上层数", "单元数"):
                row[key] = ""
        assert parse(rows).ok

    def test_template_sample_is_a_valid_file(self):
        data = template_xlsx()
        result = check_survey_file(data, "模板.xlsx")
        assert result.ok and result.warnings == ()
        assert [r.room_number for r in result.rooms] == ["1-0101", "1-0102"]
        workbook = load_workbook(io.BytesIO(data))
        assert workbook.sheetnames == ["户室", "填写说明"]
        header = [c.value for c in workbook["户室"][1]]
        assert "室号*" in header and "名义层" in header
        notes = [row[1:3] for row in workbook["填写说明"].iter_rows(values_only=True)]
        # Every N15 code of the four dictionaries is listed.
        assert ("3", "钢筋混凝土结构") in notes and ("99", "其它") in notes and ("84", "物管用房") in notes

    def test_headers_with_marks_units_and_aliases(self):
        header = [h + "*" for h in HEADER]
        header[HEADER.index("建筑面积")] = "建筑面积(m²)"
        header[HEADER.index("测绘宗号")] = "预测测量号"
        rows = [{header[i]: row[h] for i, h in enumerate(HEADER)} for row in building_rows()]
        header.insert(0, "序号")
        assert parse(rows, header).ok

    def test_unknown_column_is_a_warning(self):
        result = parse(building_rows(), HEADER + ["备注"])
        assert result.ok
        assert result.warnings == (RowError(1, "备注", "未识别的列“备注”，已忽略"),)


class TestReading:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
    def test_csv_encodings(self, encoding):
        result = check_survey_file(to_csv(building_rows(), encoding=encoding), "成果.CSV")
        assert result.ok and len(result.rooms) == 6
        assert result.rooms[0].layout == "三室一厅"

    def test_blank_rows_keep_the_row_numbers(self):
        rows = building_rows()
        rows[3]["建筑面积"] = "abc"
        rows.insert(2, {})
        result = check_survey_file(to_csv(rows), "a.csv")
        assert errors_of(result)[0][:2] == (6, "建筑面积")

    def test_xlsx_with_numeric_cells(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for row in building_rows():
            values = [row[h] for h in HEADER]
            for name in ("总套数", "地上层数", "实际层"):
                values[HEADER.index(name)] = int(row[name])
            values[HEADER.index("套内面积")] = 80.0
            # What a formula =套内+分摊 leaves in the cell: binary noise past the 10th decimal.
            values[HEADER.index("建筑面积")] = 100.00000000000001
            values[HEADER.index("分摊面积")] = 20.0
            values[HEADER.index("电梯")] = True
            sheet.append(values)
        out = io.BytesIO()
        workbook.save(out)
        header, rows = read_rows(out.getvalue(), "成果.xlsx")
        assert rows[0]["建筑面积"] == "100" and rows[0]["电梯"] == "是"
        assert check_survey_file(out.getvalue(), "成果.xlsx").ok

    def test_float_text_is_what_was_typed(self):
        workbook = Workbook()
        workbook.active.append(["建筑面积", "套内面积"])
        workbook.active.append([103.5, 128.50000000000003])
        out = io.BytesIO()
        workbook.save(out)
        assert read_rows(out.getvalue(), "x.xlsx")[1] == [{"建筑面积": "103.5", "套内面积": "128.5"}]

    @pytest.mark.parametrize(
        ("data", "name", "message"),
        [
            (b"PK\x03\x04broken", "a.xlsx", "无法读取该Excel文件"),
            (b"x", "a.xls", "请上传CSV或XLSX格式"),
            (b"\xef\xbb\xbf\xff\xfe", "a.csv", "UTF-8编码有误"),
            (b"\xff\xfe\xff", "a.csv", "无法识别CSV文件的编码"),
        ],
    )
    def test_unreadable_files(self, data, name, message):
        result = check_survey_file(data, name)
        assert not result.ok and result.errors[0].row == 0 and message in result.errors[0].message


class TestHeaderErrors:
    def test_missing_required_columns(self):
        header = [h for h in HEADER if h not in ("套内面积", "室号")]
        result = parse(building_rows(), header)
        assert errors_of(result) == [(1, "", "缺少必填列：室号、套内面积")]
        assert result.rooms == ()

    def test_duplicate_column(self):
        result = parse(building_rows(), HEADER + ["建筑面积(m²)"])
        assert errors_of(result) == [(1, "建筑面积", "列“建筑面积”重复")]

    def test_empty_file(self):
        assert errors_of(parse([])) == [(1, "", "文件中没有户室数据")]
        assert errors_of(parse([{}, {}])) == [(1, "", "文件中没有户室数据")]


class TestCellErrors:
    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("室号", "", "请填写室号"),
            ("房屋用途", "", "请填写房屋用途"),
            ("建筑面积", "abc", "建筑面积应为数字，最多4位小数"),
            ("套内面积", "80.00001", "套内面积最多4位小数"),
            ("套内面积", "0", "套内面积必须大于0"),
            ("分摊面积", "-20", "分摊面积不能为负数"),
            ("实际层", "1.5", "实际层应为整数"),
            ("实际层", "0", "实际层不能为0（没有第0层）"),
            ("房屋结构", "木头", "房屋结构“木头”不在字典中"),
            ("房屋用途", "住房", "房屋用途“住房”不在字典中，可填代码或名称：10 住宅"),
            ("电梯", "也许", "电梯应填写“是”或“否”"),
            ("户型", "三" * 21, "户型最多20个字符"),
        ],
    )
    def test_message_at_the_cell(self, column, value, message):
        rows = building_rows()
        rows[1][column] = value
        result = parse(rows)
        assert [(r, c) for r, c, _ in errors_of(result)] == [(3, column)]
        assert message in result.errors[0].message
        # The other rooms are still read; the broken one is left out.
        assert [r.row for r in result.rooms] == [2, 4, 5, 6, 7]

    @pytest.mark.parametrize(("text", "code"), [("3", "3"), ("钢筋混凝土结构", "3"), ("钢筋混凝土", "3"),
                                                ("其他结构", "6"), ("钢结构", "1")])
    def test_dictionaries_accept_code_or_label(self, text, code):
        rows = building_rows()
        rows[0]["房屋结构"] = text
        assert parse(rows).rooms[0].structure == code

    @pytest.mark.parametrize(("text", "value"), [("否", False), ("无", False), ("Y", True), ("", None)])
    def test_elevator(self, text, value):
        rows = building_rows()
        rows[0]["电梯"] = text
        assert parse(rows).rooms[0].has_elevator is value

    def test_trailing_zeros_beyond_four_places_are_fine(self):
        rows = building_rows()
        rows[0]["套内面积"] = "80.000000"
        assert parse(rows).ok


class TestRules:
    def test_area_identity(self):
        rows = building_rows()
        rows[0].update({"建筑面积": "130.1", "套内面积": "128.5", "分摊面积": "111.1"})
        result = parse(rows)
        (error,) = [e for e in result.errors if e.column == "建筑面积"]
        assert error.row == 2 and "130.1000" in error.message and "111.1000" in error.message

    def test_area_tolerance_is_a_parameter(self):
        rows = building_rows()
        rows[0]["建筑面积"] = "100.03"
        assert not parse(rows).ok
        result = parse(rows, tolerance=D("0.05"), building_tolerance=D("0.05"))
        assert result.ok and result.warnings == ()

    def test_room_number_unique_within_a_building(self):
        rows = building_rows() + building_rows("D005")
        rows[1]["室号"] = rows[0]["室号"]
        result = parse(rows)
        assert errors_of(result) == [(3, "室号", "室号“1-0101”在栋号D004中重复（第2行）")]

    @pytest.mark.parametrize(
        ("floor", "below", "ok"),
        [("3", "0", True), ("4", "0", False), ("-1", "0", False), ("-1", "1", True), ("-2", "1", False)],
    )
    def test_floor_within_the_building(self, floor, below, ok):
        rows = building_rows()
        rows[0]["实际层"] = floor
        for row in rows:
            row["地下层数"] = below
        result = parse(rows)
        assert result.ok is ok
        if not ok:
            assert errors_of(result)[0][:2] == (2, "实际层")
            assert "超出栋号D004的楼层范围" in result.errors[0].message

    def test_unit_required_when_several(self):
        rows = building_rows(units=2)
        rows[0]["单元"] = ""
        assert errors_of(parse(rows)) == [(2, "单元", "栋号D004有2个单元，请填写单元")]

    def test_numeric_unit_within_the_count(self):
        rows = building_rows(units=2)
        rows[0]["单元"] = "3"
        assert errors_of(parse(rows)) == [(2, "单元", "单元“3”超出栋号D004的单元数（1至2）")]

    def test_more_named_units_than_the_count(self):
        rows = building_rows(units=1, floors=1, per_floor=3)
        for row, unit in zip(rows, ("A01", "A01", "B01")):
            row["单元"] = unit
        assert errors_of(parse(rows)) == [(4, "单元", "栋号D004的单元数为1，文件中已有2个不同的单元")]

    def test_zero_padded_units_are_one_unit(self):
        rows = building_rows(units=1)
        rows[0]["单元"] = "01"
        assert parse(rows).ok

    def test_fewer_units_than_the_count_is_a_warning(self):
        rows = building_rows()
        for row in rows:
            row["单元数"] = "2"
        result = parse(rows)
        assert result.ok and result.warnings == (RowError(2, "单元数", "栋号D004的单元数为2，户室只涉及1个单元"),)

    def test_total_units_must_equal_the_rooms(self):
        rows = building_rows()[:-1]
        result = parse(rows)
        assert (2, "总套数", "栋号D004的总套数为6，文件中有5户") in errors_of(result)

    def test_building_area_mismatch_is_only_a_warning(self):
        rows = building_rows()
        for row in rows:
            row["楼栋建筑面积"] = "650"
        result = parse(rows)
        assert result.ok
        (warning,) = result.warnings
        assert (warning.row, warning.column) == (2, "楼栋建筑面积")
        assert "650.0000" in warning.message and "600.0000" in warning.message and "50.0000" in warning.message

    def test_building_values_must_agree(self):
        rows = building_rows()
        rows[2]["地上层数"] = "4"
        assert errors_of(parse(rows)) == [
            (4, "地上层数", "与第2行填写的地上层数“3”不一致（同一栋号的楼栋信息须相同）")]

    def test_building_required_value_missing_everywhere(self):
        rows = building_rows()
        for row in rows:
            row["地上层数"] = ""
        assert errors_of(parse(rows)) == [(2, "地上层数", "请填写栋号D004的地上层数")]

    def test_missing_building_number(self):
        rows = building_rows()
        rows[1]["栋号"] = ""
        assert (3, "栋号", "请填写栋号") in errors_of(parse(rows))

    def test_one_survey_number_per_file(self):
        rows = building_rows()
        rows[4]["测绘宗号"] = "CL002"
        assert errors_of(parse(rows)) == [(6, "测绘宗号", "一个文件只能有一个测绘宗号：第2行为“CL001”，本行为“CL002”")]

    def test_survey_number_and_kind_expected_by_the_case(self):
        result = parse(building_rows(), survey_number="CL009", kind="as_built")
        assert errors_of(result) == [
            (2, "测绘宗号", "文件中的测绘宗号“CL001”与本业务的测绘宗号“CL009”不一致"),
            (2, "测绘类型", "文件中的测绘类型“预测”与本业务的测绘类型“实测”不一致"),
        ]
        assert parse(building_rows(kind="实测"), survey_number="CL001", kind=SurveyKind.AS_BUILT).ok

    def test_survey_columns_blank_everywhere(self):
        rows = building_rows()
        for row in rows:
            row["测绘宗号"] = ""
        assert errors_of(parse(rows)) == [(2, "测绘宗号", "请填写测绘宗号")]

    def test_errors_are_in_row_order(self):
        rows = building_rows()[:-1]
        rows[3]["建筑面积"] = "x"
        assert [e.row for e in parse(rows).errors] == sorted(e.row for e in parse(rows).errors)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 6),
    st.integers(1, 3),
    st.decimals(min_value=D("20"), max_value=D("300"), places=4),
    st.decimals(min_value=D("0.5"), max_value=D("1"), places=2),
    st.data(),
)
def test_generated_files_are_valid_and_one_broken_cell_is_found(units, floors, per_floor, gross, share, data):
    inner = (gross * share).quantize(D("0.0001"))
    rows = building_rows(units=units, floors=floors, per_floor=per_floor, gross=gross, inner=inner)
    result = parse(rows)
    assert result.ok and len(result.rooms) == units * floors * per_floor
    assert sum(r.gross_area for r in result.rooms) == result.buildings[0].gross_area
    victim = data.draw(st.integers(0, len(rows) - 1))
    column, value = data.draw(st.sampled_from([("建筑面积", str(gross + 1)), ("实际层", str(floors + 1)),
                                               ("室号", rows[victim - 1]["室号"] if victim else "")]))
    rows[victim][column] = value
    assert (victim + 2, column) in [(e.row, e.column) for e in parse(rows).errors]


def test_an_unreadable_building_value_is_reported_once():
    rows = building_rows()
    rows[0]["地上层数"] = "三"
    for row in rows[1:]:
        row["地上层数"] = ""
    assert errors_of(parse(rows)) == [(2, "地上层数", "地上层数应为整数")]


def test_an_unreadable_survey_number_is_reported_once():
    rows = building_rows(floors=1, per_floor=1)
    rows[0]["测绘宗号"] = "X" * 31
    assert errors_of(parse(rows)) == [(2, "测绘宗号", "测绘宗号最多30个字符")]


def test_negative_tolerance_refused():
    with pytest.raises(ValueError, match="允许误差不能为负数"):
        parse(building_rows(), tolerance=D("-0.01"))


class TestValidPart:
    """What "仅导入正确的行" imports: decided by each error's scope."""

    def test_row_errors_drop_their_rows_and_the_totals_are_recounted(self):
        rows = building_rows(floors=3, per_floor=2)
        rows[2]["套内面积"] = "70"  # row 4: 100 ≠ 70 + 20
        result = parse(rows)
        assert [(e.row, e.scope) for e in result.errors] == [(4, "row")]
        part = valid_part(result)
        assert part.ok and [r.row for r in part.rooms] == [2, 3, 5, 6, 7]
        assert [(b.building_number, b.total_units) for b in part.buildings] == [("D004", 5)]
        assert part.row_count == result.row_count == 6

    def test_a_wrong_total_is_a_building_error_mended_by_the_recount(self):
        rows = building_rows(floors=1, per_floor=2)
        for row in rows:
            row["总套数"] = "3"
        result = parse(rows)
        assert [(e.row, e.column, e.scope) for e in result.errors] == [(2, "总套数", "building")]
        part = valid_part(result)
        assert [r.row for r in part.rooms] == [2, 3] and part.buildings[0].total_units == 2

    def test_a_building_whose_values_are_missing_is_left_out(self):
        rows = building_rows("D001", floors=1, per_floor=1) + building_rows("D002", floors=1, per_floor=1)
        rows[1]["地上层数"] = ""
        result = parse(rows)
        assert [(e.row, e.column, e.scope) for e in result.errors] == [(3, "地上层数", "building")]
        part = valid_part(result)
        assert [b.building_number for b in part.buildings] == ["D001"] and len(part.rooms) == 1

    @pytest.mark.parametrize("change", ["missing_column", "no_survey_number"])
    def test_file_errors_leave_nothing_to_import(self, change):
        rows = building_rows()
        header = HEADER
        if change == "missing_column":
            header = [h for h in HEADER if h != "室号"]
        else:
            for row in rows:
                row["测绘宗号"] = ""
        result = parse(rows, header)
        assert result.errors and all(e.scope == "file" for e in result.errors)
        assert valid_part(result) is None

    def test_nothing_good_left(self):
        rows = building_rows(floors=1, per_floor=1)
        rows[0]["实际层"] = "9"
        result = parse(rows)
        assert result.errors and valid_part(result) is None
        assert error_rows(result) == {2}

    def test_template_notes_state_the_tolerance(self):
        notes = [row[2] for row in load_workbook(io.BytesIO(template_xlsx("0.05")))["填写说明"].iter_rows(values_only=True)]
        assert any("允许误差±0.05m²" in (n or "") for n in notes)
