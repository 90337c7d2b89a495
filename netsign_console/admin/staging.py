"""Import files waiting for their user's confirmation, kept under settings.private_dir.

Checking a file and importing it are two calls (the user reads the report in between), so
the file is staged privately under an unguessable token bound to its uploader and to the
import it belongs to (an admin's slug, "survey-results", ...). The import re-reads the staged
bytes and checks them again: nothing the browser sends back is trusted.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from netsign_console.admin.files import extension, private_path, private_root
from netsign_console.auth.principal import Principal
from netsign_console.errors import ActionRefused

FOLDER = "imports"
EXPIRED = "导入文件已失效，请重新上传"


def _valid(token: str) -> bool:
    return len(token or "") == 32 and all(c in "0123456789abcdef" for c in token)


def _meta_path(token: str) -> Path:
    return private_root() / FOLDER / f"{token}.json"


def stage_file(principal: Principal, purpose: str, filename: str, data: bytes, **meta: Any) -> str:
    """Keep `data` for `principal`'s import `purpose`; returns the token. `meta` is stored beside it."""
    token = secrets.token_hex(16)
    private_path(FOLDER, f"{token}.{extension(filename)}").write_bytes(data)
    record = {"user_id": principal.user_id, "purpose": purpose, "filename": filename, **meta}
    private_path(FOLDER, f"{token}.json").write_text(json.dumps(record, ensure_ascii=False))
    return token


def load_staged(principal: Principal, purpose: str, token: str) -> tuple[str, bytes, dict]:
    """(filename, bytes, meta) of a file this principal staged for this purpose; ActionRefused otherwise."""
    if not _valid(token):
        raise ActionRefused(EXPIRED)
    try:
        meta = json.loads(_meta_path(token).read_text())
        data = (private_root() / FOLDER / f"{token}.{extension(meta['filename'])}").read_bytes()
    except (OSError, ValueError, KeyError):
        raise ActionRefused(EXPIRED) from None
    if meta.get("user_id") != principal.user_id or meta.get("purpose") != purpose:
        raise ActionRefused(EXPIRED)
    return meta["filename"], data, meta


def update_staged(token: str, **values: Any) -> None:
    """Add to a staged file's meta (e.g. the error report of its check)."""
    path = _meta_path(token)
    meta = json.loads(path.read_text())
    meta.update(values)
    path.write_text(json.dumps(meta, ensure_ascii=False))


def discard_staged(token: str) -> None:
    """Forget a staged file once it is imported: its token cannot import it twice."""
    if not _valid(token):
        return
    for path in (private_root() / FOLDER).glob(f"{token}.*"):
        path.unlink(missing_ok=True)
