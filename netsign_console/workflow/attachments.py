"""Case attachments: saved in the private directory, listed and read with the case's access rules."""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from sqlmodel import Session, select

from models.attachment import CaseAttachment
from models.workflow import Case, Task, TaskStatus
from netsign_console.errors import UserError
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings
from netsign_console.workflow.access import require_case_access
from netsign_console.workflow.rules import check_active, check_owner, open_task

MAX_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".ofd"}


def _folder() -> Path:
    folder = settings.private_dir / "case-files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# What a file must start with to be what its name says (the name alone proves nothing).
_MAGIC = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
          ".jpeg": (b"\xff\xd8\xff",), ".ofd": (b"PK\x03\x04",)}


def check_file(file_name: str, data: bytes) -> str:
    """The safe base name of an acceptable upload; UserError (at the attachment field) otherwise."""
    name = Path(file_name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UserError("附件仅支持 PDF、JPG、PNG、OFD 格式", "attachment")
    if not data:
        raise UserError("附件内容为空", "attachment")
    if len(data) > MAX_BYTES:
        raise UserError("单个附件不能超过20MB", "attachment")
    if not data.startswith(_MAGIC[suffix]):
        raise UserError(f"文件“{name}”的内容不是{suffix[1:].upper()}格式", "attachment")
    return name


def add_attachment(session: Session, principal: Principal, case_id: int, file_name: str, data: bytes, *,
                   kind: str = "", task: Task | None = None) -> CaseAttachment:
    """Only the holder of one of the case's open tasks may attach (the stage's 上传资料 step)."""
    case = require_case_access(session, principal, case_id)
    check_active(case)
    if task is None:
        task = session.exec(
            select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.OPEN,
                               Task.owner_id == principal.user_id).order_by(Task.id)
        ).first()
        if task is None:
            if open_task(session, case.id) is None:
                raise UserError("业务当前没有待办环节，不能上传附件")
            raise PermissionDenied("该任务不在您的在手业务中")
    check_owner(principal, task)
    name = check_file(file_name, data)
    suffix = Path(name).suffix.lower()
    stored = f"{secrets.token_hex(16)}{suffix}"
    (_folder() / stored).write_bytes(data)
    row = CaseAttachment(
        case_id=case.id,
        task_id=task.id,
        kind=kind,
        file_name=name[:200],
        stored_name=stored,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        uploaded_by_id=principal.user_id,
    )
    session.add(row)
    session.flush()
    return row


def open_attachment(session: Session, principal: Principal, attachment_id: int) -> tuple[CaseAttachment, Path]:
    row = session.get(CaseAttachment, attachment_id)
    if row is None:
        raise PermissionDenied("附件不存在或无权访问")
    require_case_access(session, principal, session.get(Case, row.case_id))
    path = _folder() / row.stored_name
    if not path.is_file():
        raise PermissionDenied("附件不存在或无权访问")
    return row, path
