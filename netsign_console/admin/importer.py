"""Import from CSV/XLSX with the form's rules, a per-row error report, and all-or-nothing
saving unless the user explicitly chooses "仅导入正确的行".

1. `template_xlsx` - headers are the form fields' Chinese labels, required ones marked *.
2. `check_file`    - stages the file privately, validates every row, returns the errors.
3. `commit_import` - re-validates from the staged file (never trusts the browser), then
                     bulk-inserts the valid rows in ONE transaction with ONE audit event.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from openpyxl import Workbook, load_workbook

from models.audit import AuditAction
from netsign_console.admin.audit import record_event, summary
from netsign_console.admin.base import ModelAdmin, admin_for
from netsign_console.admin.cell_safety import append_row, csv_row, from_csv
from netsign_console.admin.columns import FILE, FK
from netsign_console.errors import ActionRefused
from netsign_console.admin.files import FileRefused, extension
from netsign_console.admin.staging import load_staged, stage_file, update_staged
from netsign_console.admin.forms import FieldSpec, field_specs
from netsign_console.admin.scope import pickable_targets
from netsign_console.admin.service import require_view, validate_values
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.db import session_scope

MAX_ROWS = 100_000
MAX_BYTES = 30 * 1024 * 1024
BATCH = 500
SHOWN_ERRORS = 200
Progress = Callable[[int, int], None]


@dataclass
class RowError:
    row: int  # spreadsheet row number (the header is row 1)
    column: str  # Chinese column label ("" for the whole row or file)
    message: str


@dataclass
class ImportCheck:
    token: str
    filename: str
    total: int
    valid: int
    errors: list[RowError] = field(default_factory=list)  # the first SHOWN_ERRORS
    error_count: int = 0


def _check_permission(admin: ModelAdmin, principal: Principal) -> None:
    require_view(admin, principal)
    if not admin.has_import_permission(principal):
        raise PermissionDenied(f"您没有导入“{admin.title}”的权限")


def import_fields(admin: ModelAdmin, principal: Principal) -> list[FieldSpec]:
    return [s for s in field_specs(admin, principal, None) if not s.readonly and s.widget != FILE]


def header_of(spec: FieldSpec) -> str:
    return f"{spec.label}*" if spec.required else spec.label


def template_xlsx(admin: Any, principal: Principal) -> bytes:
    admin = admin_for(admin)
    _check_permission(admin, principal)
    specs = import_fields(admin, principal)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = admin.title[:31]
    append_row(sheet, [header_of(s) for s in specs])
    for index, _ in enumerate(specs, start=1):
        sheet.cell(row=1, column=index).number_format = "@"
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 20
    notes = workbook.create_sheet("填写说明")
    append_row(notes, ["列名", "是否必填", "填写说明"])
    for spec in specs:
        append_row(notes, [spec.label, "是" if spec.required else "否", _hint(admin, spec)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _hint(admin: ModelAdmin, spec: FieldSpec) -> str:
    info = admin.columns[spec.name]
    if spec.choices:
        return "可选：" + "、".join(label for _, label in spec.choices)
    if info.kind == FK:
        return f"填写{info.label}的名称"
    if info.kind == "bool":
        return "填写“是”或“否”"
    return spec.placeholder


def read_table(filename: str, data: bytes) -> tuple[list[str], Iterator[list[Any]]]:
    ext = extension(filename)
    if ext == "csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileRefused("无法识别文件编码，请另存为UTF-8编码的CSV")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        # A value this console exported as text ('=...) comes back as it was (cell_safety).
        return [str(from_csv(h)).strip() for h in header], ([from_csv(c) for c in r] for r in reader)
    if ext == "xlsx":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001  any broken workbook is the same message
            raise FileRefused("无法读取该Excel文件，请使用下载的模板") from None
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, ())
        return [str(h or "").strip() for h in header], (list(r) for r in rows)
    raise FileRefused("请上传CSV或XLSX文件")


def _resolve_fk_labels(session: Any, admin: ModelAdmin, principal: Principal, column: str, labels: set[str]) -> dict[str, Any]:
    """label -> id for labels naming exactly one visible target row (ambiguous names are left out)."""
    pickable, key, label = pickable_targets(admin, principal, column)
    found: dict[str, list[Any]] = {}
    names = sorted(labels)
    for start in range(0, len(names), BATCH):
        stmt = pickable.where(label.in_(names[start:start + BATCH]))
        for k, v in session.execute(stmt).all():
            found.setdefault(str(v), []).append(k)
    return {name: ids[0] for name, ids in found.items() if len(ids) == 1}


def _validated_rows(session: Any, admin: ModelAdmin, principal: Principal, filename: str, data: bytes,
                    progress: Progress | None = None) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError], int]:
    specs = import_fields(admin, principal)
    by_header = {s.label: s for s in specs} | {header_of(s): s for s in specs}
    header, rows = read_table(filename, data)
    columns = [by_header.get(h.replace(" ", "")) for h in header]
    present = {s.name for s in columns if s}
    missing = [s for s in specs if s.required and s.name not in present and not admin.columns[s.name].has_default]
    if missing:
        return [], [RowError(1, "", "缺少必填列：" + "、".join(s.label for s in missing))], 0
    raw_rows = []
    for index, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        raw_rows.append((index, {s.name: cells[i] if i < len(cells) else None for i, s in enumerate(columns) if s}))
        if len(raw_rows) > MAX_ROWS:
            raise FileRefused(f"一次最多导入{MAX_ROWS}行，请分批导入")
    fk_maps = {}
    for name in present:
        if admin.columns[name].kind == FK:
            wanted = {str(r[name]).strip() for _, r in raw_rows if r.get(name) not in (None, "")}
            fk_maps[name] = _resolve_fk_labels(session, admin, principal, name, wanted)
    present_specs = [s for s in specs if s.name in present]
    valid, errors, seen = [], [], {}
    for done, (row_no, cells) in enumerate(raw_rows, start=1):
        row_errors: dict[str, str] = {}
        for name, mapping in fk_maps.items():
            text = str(cells.get(name) or "").strip()
            if text:
                if text in mapping:
                    cells[name] = mapping[text]
                else:
                    row_errors[name] = f"{admin.label(name)}“{text}”不存在、不唯一或无权使用"
                    cells[name] = None
        for name in list(cells):
            info = admin.columns[name]
            if cells[name] in (None, "") and info.has_default and name not in row_errors:
                cells.pop(name)  # an empty cell keeps the column's default
        obj = admin.new_object()
        values, errs = validate_values(session, admin, principal, obj, present_specs, cells,
                                       creating=True, lenient=True, partial=True)
        errs.update(row_errors)
        key_errors = _duplicates_in_file(admin, values, seen, row_no)
        for name, message in {**key_errors, **errs}.items():
            errors.append(RowError(row_no, admin.label(name), message))
        if not errs and not key_errors:
            valid.append((row_no, values))
        if progress and done % BATCH == 0:
            progress(done, len(raw_rows))
    if progress:
        progress(len(raw_rows), len(raw_rows))
    return valid, errors, len(raw_rows)


def _duplicates_in_file(admin: ModelAdmin, values: dict[str, Any], seen: dict, row_no: int) -> dict[str, str]:
    from sqlalchemy import UniqueConstraint

    table = admin.model.__table__
    groups = [(c.key,) for c in table.c if c.unique]
    groups += [tuple(c.key for c in con.columns) for con in table.constraints if isinstance(con, UniqueConstraint)]
    errors = {}
    for group in groups:
        if not all(values.get(c) is not None for c in group):
            continue
        key = (group, tuple(str(values[c]) for c in group))
        first = seen.setdefault(key, row_no)
        if first != row_no:
            target = next((c for c in group if c != admin.org_field), group[0])
            errors[target] = f"与第{first}行重复"
    return errors


def _stage(admin: ModelAdmin, principal: Principal, filename: str, data: bytes) -> str:
    return stage_file(principal, admin.slug, filename, data)


def _load_staged(admin: ModelAdmin, principal: Principal, token: str) -> tuple[str, bytes, dict]:
    return load_staged(principal, admin.slug, token)


def check_file(admin: Any, principal: Principal, filename: str, data: bytes, *, url: str | None = None,
               progress: Progress | None = None) -> ImportCheck:
    admin = admin_for(admin)
    _check_permission(admin, principal)
    if len(data) > MAX_BYTES:
        raise FileRefused(f"文件过大，最大{MAX_BYTES // 1024 // 1024}MB")
    if extension(filename) not in ("csv", "xlsx"):
        raise FileRefused("请上传CSV或XLSX文件")
    token = _stage(admin, principal, filename, data)
    with session_scope(url) as session:
        valid, errors, total = _validated_rows(session, admin, principal, filename, data, progress)
        session.rollback()  # validation only
    update_staged(token, errors=[[e.row, e.column, e.message] for e in errors])
    return ImportCheck(token, filename, total, len(valid), errors[:SHOWN_ERRORS], len(errors))


def error_report_csv(admin: Any, principal: Principal, token: str) -> bytes:
    admin = admin_for(admin)
    _check_permission(admin, principal)
    _, _, meta = _load_staged(admin, principal, token)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["行号", "列", "错误信息"])
    writer.writerows(csv_row(row) for row in meta.get("errors", []))
    return out.getvalue().encode("utf-8")


def commit_import(admin: Any, principal: Principal, token: str, *, valid_only: bool = False,
                  url: str | None = None, progress: Progress | None = None) -> tuple[int, int]:
    """Insert the file's valid rows; returns (inserted, skipped). Nothing is saved from a file
    with errors unless valid_only is chosen."""
    admin = admin_for(admin)
    _check_permission(admin, principal)
    filename, data, _ = _load_staged(admin, principal, token)
    with session_scope(url) as session:
        valid, errors, total = _validated_rows(session, admin, principal, filename, data)
        if errors and not valid_only:
            raise ActionRefused(f"文件有{len(errors)}处错误，未导入任何数据。请修改后重新上传，或选择“仅导入正确的行”")
        if not valid:
            raise ActionRefused("文件中没有可导入的正确数据")
        batch = []
        for done, (_, values) in enumerate(valid, start=1):
            obj = admin.new_object()
            for name, value in values.items():
                setattr(obj, name, value)
            admin.before_save(session, principal, obj, values)
            batch.append(obj)
            if len(batch) >= BATCH:
                session.add_all(batch)
                session.flush()
                batch = []
                if progress:
                    progress(done, len(valid))
        session.add_all(batch)
        session.flush()
        skipped = total - len(valid)
        record_event(session, principal, AuditAction.IMPORT, admin.model.__tablename__, None,
                     summary(f"导入{len(valid)}行（文件：{filename}" + (f"，跳过错误行{skipped}行）" if skipped else "）"),
                             rows=len(valid), skipped=skipped, file=filename))
        if progress:
            progress(len(valid), len(valid))
    return len(valid), skipped
