"""Importing a survey-result file into the library (测绘成果库, issue 8): check, then import.

    check = check_upload(principal, data, "D004.xlsx", developer_org_id=3, project_id=7)
    check.errors / check.warnings        # RowError(row, column, message, scope), row 1 = header
    result = commit_import(principal, check.token)                   # refused while errors exist
    result = commit_import(principal, check.token, only_valid=True)  # "仅导入正确的行"

The file is staged privately between the two calls (admin/staging.py) and parsed again on
import, so nothing the browser says about it is trusted. The import is one transaction: the
result, its buildings and its rooms (bulk INSERTs) and one audit event, or nothing.
Importing is the survey office's job (Perm.SURVEY_IMPORT: survey office, regulator, system admin).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.audit import AuditAction
from models.enums import OrgType, SurveyKind
from models.organization import Organization
from models.project import Project
from models.survey import SurveyBuilding, SurveyResult, SurveyRoom
from netsign_console.admin.audit import record_event, summary
from netsign_console.admin.files import extension
from netsign_console.admin.importer import MAX_BYTES
from netsign_console.admin.staging import discard_staged, load_staged, stage_file
from netsign_console.auth.permissions import Perm, derive_permission, require
from netsign_console.auth.principal import Principal
from netsign_console.db import session_scope
from netsign_console.domain.survey_file import (
    FILE,
    RowError,
    SurveyFile,
    check_survey_file,
    error_rows,
    valid_part,
)
from netsign_console.errors import ActionRefused, UserError
from netsign_console.settings import settings

PURPOSE = "survey-results"  # the staged files of this import
BATCH = 1000  # rooms per INSERT statement (executemany in one round of insertmanyvalues)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildingSummary:
    building_number: str
    survey_code: str
    total_units: int  # as the file says
    rooms: int  # rows of this building that could be read
    valid_rooms: int  # of those, the ones without an error ("仅导入正确的行" imports them)


@dataclass(frozen=True)
class SurveyCheck:
    """What the check found; `token` imports exactly this file with commit_import."""

    token: str
    filename: str
    developer_org_id: int
    developer_name: str
    project_id: int
    project_name: str
    survey_number: str | None
    kind: str | None  # SurveyKind code
    kind_label: str
    buildings: tuple[BuildingSummary, ...]
    row_count: int  # non-blank room rows in the file
    room_count: int  # rooms that could be read
    errors: tuple[RowError, ...]
    warnings: tuple[RowError, ...]
    # What "仅导入正确的行" would import (0 / 0 when it cannot: a file-level error, no good row).
    valid_building_count: int
    valid_room_count: int

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_row_count(self) -> int:
        return len({e.row for e in self.errors if e.row >= 2})

    @property
    def can_import_valid_only(self) -> bool:
        return bool(self.errors) and self.valid_room_count > 0




def _file_mode_importer(principal: Principal) -> bool:
    """文件导入 (SURV-01, NETSIGN_SURVEY_IMPORT_MODE=file): the city's developers bring the survey
    file themselves, for their own projects; in 查询导入 only the survey office imports."""
    from models.enums import Role
    from netsign_console import settings as config

    return (config.settings.survey_import_mode == "file" and principal.org_type == OrgType.DEVELOPER
            and principal.role in (Role.DEVELOPER_ADMIN, Role.OPERATOR))


derive_permission(Perm.SURVEY_IMPORT, _file_mode_importer)

def check_survey(data: bytes, filename: str, *, survey_number: str | None = None,
                 kind: SurveyKind | str | None = None) -> SurveyFile:
    """Parse and check a survey file with the configured tolerance (NETSIGN_AREA_TOLERANCE).
    No permission and no database: for the filing flows' own file step (NETSIGN_SURVEY_IMPORT_MODE
    = "file"), whose engine checks who may act; `survey_number` / `kind` are what the case expects."""
    return check_survey_file(data, filename, tolerance=settings.area_tolerance,
                             building_tolerance=settings.area_tolerance, survey_number=survey_number, kind=kind)


def _refuse_file(filename: str, data: bytes) -> None:
    if extension(filename) not in ("csv", "xlsx"):
        raise UserError("请上传CSV或XLSX格式的测绘成果文件", field="file")
    if len(data) > MAX_BYTES:
        raise UserError(f"文件过大，最大{MAX_BYTES // 1024 // 1024}MB", field="file")
    if not data:
        raise UserError("文件是空的，请重新选择", field="file")


def _target(session: Session, developer_org_id: object, project_id: object,
            principal: Principal | None = None) -> tuple[Organization, Project]:
    """The developer and its project the result is imported for; refusals at their fields. A
    developer's own user (文件导入) imports for its own organisation only."""
    try:
        org_key = int(developer_org_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        org_key = 0
    developer = session.get(Organization, org_key) if org_key else None
    if developer is None or developer.org_type != OrgType.DEVELOPER.value:
        raise UserError("请选择开发企业", field="developer_org_id")
    if principal is not None and not principal.sees_all_organizations and developer.id != principal.org_id:
        raise UserError("只能导入本企业的测绘成果", field="developer_org_id")
    try:
        project_key = int(project_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        project_key = 0
    project = session.get(Project, project_key) if project_key else None
    if project is None:
        raise UserError("请选择项目", field="project_id")
    if project.developer_org_id != developer.id:
        raise UserError(f"项目“{project.name}”不属于{developer.name}", field="project_id")
    return developer, project


def _already_imported(session: Session, survey_number: str) -> bool:
    found = session.exec(select(SurveyResult.id).where(SurveyResult.survey_number == survey_number)).first()
    return found is not None


def duplicate_message(survey_number: str) -> str:
    return f"测绘宗号“{survey_number}”已导入"


def check_upload(principal: Principal, data: bytes, filename: str, *, developer_org_id: int, project_id: int,
                 url: str | None = None) -> SurveyCheck:
    """Check a survey file for a developer's project and stage it. Refusals (raised, nothing
    staged): PermissionDenied for a caller who is not the survey office's side; UserError at
    `file` (not CSV/XLSX, too big, 测绘宗号 already in the library), `developer_org_id` or
    `project_id` (not a developer, project not of that developer). Row problems are not
    refusals: they are the check's errors and warnings."""
    require(principal, Perm.SURVEY_IMPORT)
    filename = (filename or "").strip() or "测绘成果.xlsx"
    _refuse_file(filename, data)
    parsed = check_survey(data, filename)
    with session_scope(url) as session:
        developer, project = _target(session, developer_org_id, project_id, principal)
        if parsed.survey_number and _already_imported(session, parsed.survey_number):
            raise UserError(duplicate_message(parsed.survey_number), field="file")
    token = stage_file(principal, PURPOSE, filename, data, developer_org_id=developer.id, project_id=project.id)
    valid = valid_part(parsed) if parsed.errors else parsed
    counts, valid_counts = _per_building(parsed), _per_building(valid)
    return SurveyCheck(
        token=token, filename=filename, developer_org_id=developer.id, developer_name=developer.name,
        project_id=project.id, project_name=project.name, survey_number=parsed.survey_number,
        kind=parsed.kind.value if parsed.kind else None, kind_label=parsed.kind.label if parsed.kind else "",
        buildings=tuple(BuildingSummary(b.building_number, b.survey_code or "", b.total_units,
                                        counts.get(b.building_number, 0), valid_counts.get(b.building_number, 0))
                        for b in parsed.buildings),
        row_count=parsed.row_count, room_count=len(parsed.rooms), errors=parsed.errors, warnings=parsed.warnings,
        valid_building_count=len(valid.buildings) if valid else 0, valid_room_count=len(valid.rooms) if valid else 0,
    )


def _per_building(survey: SurveyFile | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for room in survey.rooms if survey else ():
        counts[room.building_number] = counts.get(room.building_number, 0) + 1
    return counts


def store_survey(session: Session, survey: SurveyFile, *, developer_org_id: int, project_id: int,
                 file_name: str | None = None, imported_by_id: int | None = None, remarks: str | None = None,
                 progress: Progress | None = None) -> SurveyResult:
    """Insert a checked survey (no errors) as a library result in `session`'s transaction: the
    result, its buildings, then its rooms in bulk INSERTs of BATCH rows. No permission check
    and no audit event: callers do both (commit_import; a filing flow's file step; demo data)."""
    if survey.errors or survey.survey_number is None or survey.kind is None:
        raise ValueError("store_survey needs a survey without errors")
    result = SurveyResult(
        survey_number=survey.survey_number, kind=survey.kind.value, developer_org_id=developer_org_id,
        project_id=project_id, building_count=len(survey.buildings), room_count=len(survey.rooms),
        file_name=(file_name or None) and file_name[:200], imported_by_id=imported_by_id, remarks=remarks,
    )
    session.add(result)
    session.flush()
    buildings = [SurveyBuilding(
        result_id=result.id, building_number=b.building_number, survey_code=b.survey_code,
        total_units=b.total_units, gross_area=b.gross_area, structure=b.structure, height=b.height,
        floors_above=b.floors_above, floors_below=b.floors_below, unit_count=b.unit_count,
    ) for b in survey.buildings]
    session.add_all(buildings)
    session.flush()
    building_id = {b.building_number: b.id for b in buildings}
    rows = [{
        "result_id": result.id, "survey_building_id": building_id[r.building_number], "room_number": r.room_number,
        "unit": r.unit, "actual_floor": r.actual_floor, "nominal_floor": r.nominal_floor,
        "gross_area": r.gross_area, "inner_area": r.inner_area, "shared_area": r.shared_area,
        "structure": r.structure, "room_type": r.room_type, "usage": r.usage, "nature": r.nature,
        "has_elevator": r.has_elevator, "layout": r.layout, "decoration": r.decoration,
    } for r in survey.rooms]
    statement = insert(SurveyRoom.__table__)
    for start in range(0, len(rows), BATCH):
        session.execute(statement, rows[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(rows)), len(rows))
    return result


def _importable(parsed: SurveyFile, only_valid: bool) -> SurveyFile:
    if not parsed.errors:
        return parsed
    if not only_valid:
        raise ActionRefused(f"文件有{len(parsed.errors)}处错误，未导入任何数据。"
                            "请修改后重新上传，或选择“仅导入正确的行”")
    part = valid_part(parsed)
    if part is None:
        whole = [e.message for e in parsed.errors if e.scope == FILE]
        if whole:
            raise ActionRefused("文件有整体性错误，不能仅导入正确的行：" + "；".join(whole[:3]))
        raise ActionRefused("文件中没有可导入的正确数据")
    return part


def commit_import(principal: Principal, token: str, *, only_valid: bool = False, url: str | None = None,
                  progress: Progress | None = None) -> SurveyResult:
    """Import the staged file of `token` (this principal's own check). Refused (ActionRefused,
    nothing saved) while the file has errors, unless `only_valid`: then the rows with errors
    and the buildings left without rooms are dropped and the counts recounted."""
    require(principal, Perm.SURVEY_IMPORT)
    filename, data, meta = load_staged(principal, PURPOSE, token)
    parsed = check_survey(data, filename)
    survey = _importable(parsed, only_valid)
    skipped = parsed.row_count - len(survey.rooms)
    try:
        with session_scope(url) as session:
            try:
                developer, project = _target(session, meta.get("developer_org_id"), meta.get("project_id"))
            except UserError as exc:
                raise ActionRefused(str(exc)) from None
            if _already_imported(session, survey.survey_number):
                raise ActionRefused(duplicate_message(survey.survey_number))
            result = store_survey(session, survey, developer_org_id=developer.id, project_id=project.id,
                                  file_name=filename, imported_by_id=principal.user_id, progress=progress,
                                  remarks=f"仅导入正确的行，跳过{skipped}行" if skipped else None)
            text = (f"导入测绘成果{survey.survey_number}（{survey.kind.label}）：{len(survey.buildings)}栋"
                    f"{len(survey.rooms)}户，文件：{filename}" + (f"，跳过错误行{skipped}行" if skipped else ""))
            record_event(session, principal, AuditAction.IMPORT, SurveyResult.__tablename__, result.id,
                         summary(text, survey_number=survey.survey_number, buildings=len(survey.buildings),
                                 rooms=len(survey.rooms), skipped=skipped, file=filename,
                                 error_rows=sorted(error_rows(parsed))[:200]))
    except IntegrityError:
        # Another import of the same number won the race between our check and our INSERT.
        raise ActionRefused(duplicate_message(survey.survey_number)) from None
    discard_staged(token)
    return result


def error_report_csv(principal: Principal, token: str) -> bytes:
    """The check's errors and warnings as a CSV (UTF-8 with BOM, for Excel), parsed again from the staged file."""
    require(principal, Perm.SURVEY_IMPORT)
    filename, data, _ = load_staged(principal, PURPOSE, token)
    parsed = check_survey(data, filename)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["类别", "行号", "列", "说明"])
    for label, items in (("错误", parsed.errors), ("提示", parsed.warnings)):
        for e in items:
            writer.writerow([label, e.row or "", _cell(e.column), _cell(e.message)])
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    # A header or value from the file could start a spreadsheet formula when Excel opens the report.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
