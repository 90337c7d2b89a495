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

from netsign_console.admin.options import FileRule
from netsign_console.auth.principal import Principal
from netsign_console.settings import settings

# What a file must start with to be what its name says (the name alone proves nothing).
MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
         "xlsx": (b"PK\x03\x04",), "ofd": (b"PK\x03\x04",)}
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


def check_upload(filename: str, data: bytes, rule: FileRule | None = None) -> str:
    """The file's type (its extension) if `rule` accepts name, size and content; FileRefused otherwise."""
    rule = rule or FileRule()
    ext = extension(filename)
    if ext not in rule.types:
        raise FileRefused("文件类型不支持，请上传" + "、".join(sorted({a.upper() for a in rule.types})) + "文件")
    if not data:
        raise FileRefused("文件内容为空")
    limit = rule.limit
    if len(data) > limit:
        shown = f"{limit // 1024 // 1024}MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)}KB"
        raise FileRefused(f"文件过大，最大{shown}")
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise FileRefused(f"文件内容不是{ext.upper()}格式")
    if rule.check is not None:
        try:
            rule.check(data)
        except ValueError as exc:
            raise FileRefused(str(exc)) from None
    return ext


def stage_upload(filename: str, data: bytes, principal: Principal, rule: FileRule | None = None) -> str:
    ext = check_upload(filename, data, rule)
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
