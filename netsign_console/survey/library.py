"""Reading the survey results library (测绘成果库) and moving a result through its filing.

Who sees what: Perm.MASTER_DATA_VIEW (the survey office, the regulator's side, developers'
staff) and the row scope — a developer sees only its own results; asking for another's is
"记录不存在或无权访问", the same as for a missing one.

A result's status follows the filing case that uses it (SurveyResultStatus):

    待备案 available --reserve_for_filing--> 备案中 filing --mark_filed--> 已备案 filed
                     <--release_from_filing--                             --mark_superseded--> 已变更

Each move is one conditional UPDATE (a second case cannot take a result another one holds)
and one audit event, in the caller's transaction (the flow's verb).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from models.audit import AuditAction
from models.base import utcnow
from models.enums import HouseNature, HouseStructure, HouseType, HouseUsage, SurveyKind, SurveyResultStatus
from models.organization import Organization
from models.project import Project
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from netsign_console.admin.audit import record_event
from netsign_console.admin.formatting import format_datetime
from netsign_console.admin.scope import scope_clause
from netsign_console.auth.permissions import Perm, can_access_org, require
from netsign_console.auth.principal import Principal
from netsign_console.domain.money import format_area
from netsign_console.errors import PermissionDenied, UserError

NOT_FOUND = "记录不存在或无权访问"
ROOM_PAGE = 100

BUILDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("building_number", "栋号"), ("survey_code", "测绘编码"), ("total_units", "总套数"),
    ("rooms", "户室数"), ("gross_area", "建筑面积(m²)"), ("structure", "建筑结构"), ("height", "建筑高度(m)"),
    ("floors", "地上/地下层数"), ("unit_count", "单元数"),
)
ROOM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"), ("room_number", "室号"), ("building_number", "楼栋"), ("unit", "单元"),
    ("actual_floor", "实际层"), ("nominal_floor", "名义层"), ("gross_area", "建筑面积(m²)"),
    ("inner_area", "套内面积(m²)"), ("shared_area", "分摊面积(m²)"), ("structure", "房屋结构"),
    ("room_type", "房屋类型"), ("usage", "房屋用途"), ("nature", "房屋性质"), ("has_elevator", "电梯"),
    ("layout", "户型"), ("decoration", "装修情况"),
)


def _codes(value: object, enum: type) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
    return tuple(enum(v).value if not isinstance(v, enum) else v.value for v in items)


def visible_results(principal: Principal):
    """select(SurveyResult) of the results this principal may see (row scope applied)."""
    stmt = select(SurveyResult)
    clause = scope_clause(SurveyResult, SurveyResult.__org_scope__, principal)
    return stmt if clause is None else stmt.where(clause)


def find_result(session: Session, principal: Principal, survey_number: str, *,
                kind: SurveyKind | str | None = None,
                status: SurveyResultStatus | str | Sequence[SurveyResultStatus | str] | None = None,
                ) -> SurveyResult | None:
    """查询导入: the result of this 测绘宗号 that the principal may see (and of that kind / status), or None."""
    require(principal, Perm.MASTER_DATA_VIEW)
    number = (survey_number or "").strip()
    if not number:
        return None
    stmt = visible_results(principal).where(SurveyResult.survey_number == number)
    if kind is not None:
        stmt = stmt.where(SurveyResult.kind.in_(_codes(kind, SurveyKind)))
    if status is not None:
        stmt = stmt.where(SurveyResult.status.in_(_codes(status, SurveyResultStatus)))
    return session.exec(stmt).first()


def lookup_result(session: Session, principal: Principal, survey_number: str, *,
                  kind: SurveyKind | str | None = None,
                  status: SurveyResultStatus | str | Sequence[SurveyResultStatus | str] | None = None,
                  ) -> SurveyResult:
    """find_result, or UserError(field="survey_number") saying why not: none visible with that
    number, another kind (预测/实测), or another status (已备案…)."""
    number = (survey_number or "").strip()
    if not number:
        raise UserError("请输入测绘宗号", field="survey_number")
    found = find_result(session, principal, number)
    if found is None:
        raise UserError(f"未找到测绘宗号“{number}”的测绘成果", field="survey_number")
    kinds = _codes(kind, SurveyKind)
    if kinds and found.kind not in kinds:
        wanted = "、".join(SurveyKind(k).label for k in kinds)
        raise UserError(f"测绘宗号“{number}”是{SurveyKind.label_of(found.kind)}成果，不是{wanted}成果",
                        field="survey_number")
    statuses = _codes(status, SurveyResultStatus)
    if statuses and found.status not in statuses:
        held = f"（业务{found.case_number}）" if found.case_number else ""
        raise UserError(f"测绘宗号“{number}”的测绘成果{SurveyResultStatus.label_of(found.status)}{held}，不能选用",
                        field="survey_number")
    return found


def get_result(session: Session, principal: Principal, result_id: object) -> SurveyResult:
    """One result the principal may see; PermissionDenied (same words as missing) otherwise."""
    require(principal, Perm.MASTER_DATA_VIEW)
    try:
        key = int(result_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PermissionDenied(NOT_FOUND) from None
    found = session.exec(visible_results(principal).where(SurveyResult.id == key)).first()
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


@dataclass
class SurveyData:
    """A result with its buildings and rooms as stored (file order): what filing copies."""

    result: SurveyResult
    buildings: list[SurveyBuilding]
    rooms: list[SurveyRoom]

    def rooms_of(self, building: SurveyBuilding) -> list[SurveyRoom]:
        return [r for r in self.rooms if r.survey_building_id == building.id]


def load_survey(session: Session, principal: Principal, result_id: object) -> SurveyData:
    result = get_result(session, principal, result_id)
    buildings = list(session.exec(select(SurveyBuilding).where(SurveyBuilding.result_id == result.id)
                                  .order_by(SurveyBuilding.id)).all())
    rooms = list(session.exec(select(SurveyRoom).where(SurveyRoom.result_id == result.id)
                              .order_by(SurveyRoom.id)).all())
    return SurveyData(result, buildings, rooms)


# ------------------------------------------------------------------ display rows


def _name(session: Session, model: type, key: int | None, column: str = "name") -> str:
    if key is None:
        return ""
    value = session.exec(select(getattr(model, column)).where(model.id == key)).first()
    return value or ""


def _when(value: datetime | None) -> str:
    return format_datetime(value) if value else ""


def describe_result(session: Session, result: SurveyResult) -> list[tuple[str, str]]:
    """(label, text) rows that describe a result: the start form's panel, the library's pages."""
    rows = [
        ("测绘宗号", result.survey_number),
        ("测绘类型", SurveyKind.label_of(result.kind)),
        ("项目", _name(session, Project, result.project_id)),
        ("开发企业", _name(session, Organization, result.developer_org_id)),
        ("栋数", str(result.building_count)),
        ("户数", str(result.room_count)),
        ("状态", SurveyResultStatus.label_of(result.status)),
        ("导入时间", _when(result.created_at)),
    ]
    if result.case_number:
        rows.append(("备案业务编号", result.case_number))
    return rows


def _area(value) -> str:
    return "" if value is None else format_area(value)


def building_row(b: SurveyBuilding, rooms: int) -> dict[str, str]:
    return {
        "id": str(b.id), "building_number": b.building_number, "survey_code": b.survey_code or "",
        "label": f"{b.building_number}({b.survey_code})" if b.survey_code else b.building_number,
        "total_units": str(b.total_units), "rooms": str(rooms), "gross_area": _area(b.gross_area),
        "structure": HouseStructure.label_of(b.structure) if b.structure else "", "height": _area(b.height),
        "floors": f"{b.floors_above} / {b.floors_below}", "unit_count": str(b.unit_count),
    }


def room_row(r: SurveyRoom, seq: int, building_number: str) -> dict[str, str]:
    return {
        "id": str(r.id), "seq": str(seq), "room_number": r.room_number, "building_number": building_number,
        "unit": r.unit or "", "actual_floor": str(r.actual_floor), "nominal_floor": r.nominal_floor or "",
        "gross_area": _area(r.gross_area), "inner_area": _area(r.inner_area), "shared_area": _area(r.shared_area),
        "structure": HouseStructure.label_of(r.structure) if r.structure else "",
        "room_type": HouseType.label_of(r.room_type) if r.room_type else "",
        "usage": HouseUsage.label_of(r.usage) if r.usage else "",
        "nature": HouseNature.label_of(r.nature) if r.nature else "",
        "has_elevator": "" if r.has_elevator is None else ("是" if r.has_elevator else "否"),
        "layout": r.layout or "", "decoration": r.decoration or "",
    }


@dataclass(frozen=True)
class ResultTables:
    """原测绘信息查看: a result's 建筑物信息 and (one page of) its 户室对照表, as display text."""

    result_id: int
    survey_number: str
    summary: list[tuple[str, str]]
    buildings: list[dict[str, str]]  # keys: BUILDING_COLUMNS + id, label
    rooms: list[dict[str, str]]  # keys: ROOM_COLUMNS + id; seq counts from 1 over the whole selection
    room_total: int  # rooms of the selection (all pages)
    offset: int
    building_columns: tuple[tuple[str, str], ...] = BUILDING_COLUMNS
    room_columns: tuple[tuple[str, str], ...] = ROOM_COLUMNS

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rooms) < self.room_total


def result_tables(session: Session, principal: Principal, result_id: object, *, building_id: int | None = None,
                  offset: int = 0, limit: int | None = ROOM_PAGE) -> ResultTables:
    """The buildings of a result and `limit` of its rooms from `offset` (file order; only those
    of `building_id` when given; limit=None: all of them)."""
    result = get_result(session, principal, result_id)
    buildings = list(session.exec(select(SurveyBuilding).where(SurveyBuilding.result_id == result.id)
                                  .order_by(SurveyBuilding.id)).all())
    counts = dict(session.exec(select(SurveyRoom.survey_building_id, func.count()).where(
        SurveyRoom.result_id == result.id).group_by(SurveyRoom.survey_building_id)).all())
    numbers = {b.id: b.building_number for b in buildings}
    rooms_stmt = select(SurveyRoom).where(SurveyRoom.result_id == result.id)
    if building_id is not None:
        if int(building_id) not in numbers:
            raise PermissionDenied(NOT_FOUND)
        rooms_stmt = rooms_stmt.where(SurveyRoom.survey_building_id == int(building_id))
        total = counts.get(int(building_id), 0)
    else:
        total = sum(counts.values())
    offset = max(0, int(offset))
    rooms_stmt = rooms_stmt.order_by(SurveyRoom.id).offset(offset)
    if limit is not None:
        rooms_stmt = rooms_stmt.limit(max(1, int(limit)))
    rooms = session.exec(rooms_stmt).all()
    return ResultTables(
        result_id=result.id, survey_number=result.survey_number, summary=describe_result(session, result),
        buildings=[building_row(b, counts.get(b.id, 0)) for b in buildings],
        rooms=[room_row(r, offset + i + 1, numbers.get(r.survey_building_id, "")) for i, r in enumerate(rooms)],
        room_total=total, offset=offset,
    )


# ------------------------------------------------------------------ filing status

_MOVES = {
    "reserve": (SurveyResultStatus.AVAILABLE, SurveyResultStatus.FILING),
    "release": (SurveyResultStatus.FILING, SurveyResultStatus.AVAILABLE),
    "filed": (SurveyResultStatus.FILING, SurveyResultStatus.FILED),
    "superseded": (SurveyResultStatus.FILED, SurveyResultStatus.SUPERSEDED),
}


_VERBS = {"reserve": "选用", "release": "释放", "filed": "备案", "superseded": "变更"}


def _move(session: Session, principal: Principal, result_id: int, move: str, case_number: str) -> SurveyResult:
    before, after = _MOVES[move]
    result = session.get(SurveyResult, int(result_id))
    if result is None or not can_access_org(principal, result.developer_org_id):
        raise PermissionDenied(NOT_FOUND)
    held_by = result.case_number
    stmt = update(SurveyResult).where(SurveyResult.id == result.id, SurveyResult.status == before.value)
    if move in ("release", "filed"):
        # Only the case that holds the result may finish or give it back.
        stmt = stmt.where(SurveyResult.case_number == case_number)
    # "release" forgets the case; every other move records the case that made it.
    number = None if move == "release" else case_number
    done = session.execute(stmt.values(status=after.value, case_number=number, updated_at=utcnow())).rowcount
    session.refresh(result)
    if not done:
        held = f"（业务{result.case_number}）" if result.case_number else ""
        raise UserError(f"测绘宗号“{result.survey_number}”的测绘成果{SurveyResultStatus.label_of(result.status)}"
                        f"{held}，不能{_VERBS[move]}", field="survey_number")
    record_event(session, principal, AuditAction.UPDATE, SurveyResult.__tablename__, result.id,
                 {"status": [before.value, after.value], "case_number": [held_by, number]})
    return result


def reserve_for_filing(session: Session, principal: Principal, result_id: int, case_number: str) -> SurveyResult:
    """待备案 → 备案中, held by `case_number` (at 受理); refused if another case holds it already."""
    return _move(session, principal, result_id, "reserve", case_number)


def release_from_filing(session: Session, principal: Principal, result_id: int, case_number: str) -> SurveyResult:
    """备案中 → 待备案 (the case was cancelled or ended rejected)."""
    return _move(session, principal, result_id, "release", case_number)


def mark_filed(session: Session, principal: Principal, result_id: int, case_number: str) -> SurveyResult:
    """备案中 → 已备案 (the case that holds it is archived)."""
    return _move(session, principal, result_id, "filed", case_number)


def mark_superseded(session: Session, principal: Principal, result_id: int, case_number: str) -> SurveyResult:
    """已备案 → 已变更 (a change or as-built filing `case_number` replaced it)."""
    return _move(session, principal, result_id, "superseded", case_number)
