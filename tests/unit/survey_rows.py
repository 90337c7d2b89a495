"""Builds survey tables for the survey-file tests (and the timing in the report)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from netsign_console.domain.survey_columns import COLUMNS

HEADER = [c.header for c in COLUMNS]


def building_rows(
    number: str = "D004",
    *,
    floors: int = 3,
    per_floor: int = 2,
    units: int = 1,
    survey_number: str = "CL001",
    kind: str = "预测",
    gross: Decimal = Decimal("100.0000"),
    inner: Decimal = Decimal("80.0000"),
) -> list[dict[str, str]]:
    """A consistent building: units × floors × per_floor rooms "U-FFRR", building area = Σ rooms."""
    count = units * floors * per_floor
    shared = gross - inner
    rows = []
    for unit in range(1, units + 1):
        for floor in range(1, floors + 1):
            for room in range(1, per_floor + 1):
                rows.append({
                    "测绘宗号": survey_number, "测绘类型": kind, "栋号": number, "测绘编码": f"CL-{number}",
                    "总套数": str(count), "楼栋建筑面积": str(gross * count), "建筑结构": "3",
                    "建筑高度": "30.5", "地上层数": str(floors), "地下层数": "0", "单元数": str(units),
                    "室号": f"{unit}-{floor:02d}{room:02d}", "单元": str(unit), "实际层": str(floor),
                    "名义层": str(floor), "建筑面积": str(gross), "套内面积": str(inner),
                    "分摊面积": str(shared), "房屋结构": "钢筋混凝土结构", "房屋类型": "住宅", "房屋用途": "10",
                    "房屋性质": "市场化商品房", "电梯": "是", "户型": "三室一厅", "装修情况": "毛坯",
                })
    return rows


def to_csv(rows: list[dict[str, str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode(encoding)
