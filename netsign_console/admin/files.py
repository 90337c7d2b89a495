"""Private files (scans, import files, exports) under settings.private_dir.

Nothing here is under Reflex's public upload directory. An upload is first *staged* under
an unguessable name bound to the uploader; saving a record moves it into place. A form can
therefore only ever point a record at a file its own user just uploaded.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path

from netsign_console.auth.principal import Principal
from netsign_console.settings import settings

ALLOWED_SCAN_TYPES = {"pdf", "jpg", "jpeg", "png"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_TOKEN = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{1,5}$")


class FileRefused(ValueError):
    pass


def private_root() -> Path:
    root = settings.private_dir
    root.mkdir(parents=True, exist_ok=True)
    return root


def private_path(*parts: str) -> Path:
    path = private_root().joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def extension(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def stage_upload(filename: str, data: bytes, principal: Principal, allowed: set[str] = ALLOWED_SCAN_TYPES) -> str:
    ext = extension(filename)
    if ext not in allowed:
        raise FileRefused("文件类型不支持，请上传" + "、".join(sorted(a.upper() for a in allowed)) + "文件")
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefused(f"文件过大，最大{MAX_UPLOAD_BYTES // 1024 // 1024}MB")
    token = f"{secrets.token_hex(16)}.{ext}"
    private_path("staging", token).write_bytes(data)
    private_path("staging", token + ".json").write_text(
        json.dumps({"user_id": principal.user_id, "name": filename}, ensure_ascii=False)
    )
    return token


def is_token(value: str) -> bool:
    return bool(_TOKEN.match(value or ""))


def claim_staged(token: str, principal: Principal, folder: str) -> str:
    """Move a staged upload of this user into files/<folder>/; return the stored relative path."""
    if not is_token(token):
        raise FileRefused("上传的文件已失效，请重新上传")
    source = private_root() / "staging" / token
    meta_path = source.with_name(token + ".json")
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        raise FileRefused("上传的文件已失效，请重新上传") from None
    if meta.get("user_id") != principal.user_id or not source.exists():
        raise FileRefused("上传的文件已失效，请重新上传")
    relative = f"files/{folder}/{token}"
    shutil.move(str(source), str(private_path(*relative.split("/"))))
    meta_path.unlink(missing_ok=True)
    return relative


def resolve_stored(relative: str) -> Path | None:
    """The file of a stored relative path, refusing anything outside the private directory."""
    if not relative:
        return None
    root = private_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
