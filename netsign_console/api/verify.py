"""GET /verify/<code>: the public verify page (no login, rate-limited per client); GET /verify: a form.

Registered as plain Starlette routes, which the Reflex app mounts below its own routes
(api_transformer), so in `reflex run --single-port` a browser's request for /verify/...
reaches this handler and not the frontend's router. A link to it from a console page must
be a full page load (rx.link(..., is_external=True) or a plain <a>), not client routing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from models.document import Document
from models.organization import Organization
from netsign_console import settings as config
from netsign_console.api.rate_limit import SlidingWindowLimiter
from netsign_console.api.verify_page import (
    VerifiedDocument,
    document_page,
    form_page,
    local_time,
    not_found_page,
    too_many_page,
)
from netsign_console.db import session_scope

HEADERS = {
    # The code is in the URL: never send it on as a referrer, never cache the answer.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
}
SIGNATURE_TTL_SECONDS = 600

_limiter: SlidingWindowLimiter | None = None
_limiter_lock = threading.Lock()
_signatures: OrderedDict[tuple[int, str], tuple[float, bool, str]] = OrderedDict()
_signatures_lock = threading.Lock()


def limiter() -> SlidingWindowLimiter:
    global _limiter
    with _limiter_lock:
        if _limiter is None:
            _limiter = SlidingWindowLimiter(config.settings.verify_rate_limit, 60.0,
                                            redis_url=config.settings.redis_url)
        return _limiter


def set_limiter(value: SlidingWindowLimiter | None) -> None:
    """Replace the limiter (tests, benchmarks); None rebuilds it from the settings."""
    global _limiter
    with _limiter_lock:
        _limiter = value


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _signature(doc: Document) -> tuple[bool, str]:
    """The signature check of the stored file, cached: the file never changes, the verdict
    only with time (certificate validity), so ten minutes is fresh enough."""
    from netsign_console.documents.issuing import read_pdf
    from netsign_console.documents.signing import validate_pdf

    key = (doc.id, doc.sha256)
    with _signatures_lock:
        hit = _signatures.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1], hit[2]
    try:
        data = read_pdf(doc)
    except Exception:
        return False, "无法核验：文件不可用，请向发证机关核实"
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        ok, text = False, "无法核验：存档文件与登记的SHA-256不一致，请向发证机关核实"
    else:
        check = validate_pdf(data)
        when = f"，签章时间 {local_time(check.signed_at)}" if check.signed_at else ""
        ok, text = check.valid, (f"有效（{check.signer}{when}）" if check.valid else check.message)
    with _signatures_lock:
        _signatures[key] = (time.monotonic() + SIGNATURE_TTL_SECONDS, ok, text)
        while len(_signatures) > 1000:
            _signatures.popitem(last=False)
    return ok, text


def _kind_rows(session, doc: Document) -> dict[str, str]:
    """What the document's kind adds (documents/kinds.py verify_rows)."""
    from netsign_console.documents.kinds import UnknownKind, get_kind

    try:
        kind = get_kind(doc.kind)
    except UnknownKind:
        return {}
    return dict(kind.verify_rows(session, doc)) if kind.verify_rows is not None else {}


def lookup(code: str) -> VerifiedDocument | None:
    from netsign_console.documents.issuing import find_by_code

    with session_scope() as session:
        doc = find_by_code(session, code)
        if doc is None:
            return None
        issuer = session.get(Organization, doc.issuer_org_id)
        newer = session.get(Document, doc.superseded_by_id) if doc.superseded_by_id else None
        ok, text = _signature(doc) if doc.signed else (None, "")
        summary = dict(doc.masked_summary or {})
        summary.update(_kind_rows(session, doc))
        return VerifiedDocument(
            title=doc.title, number=doc.number, issuer=issuer.name if issuer else "", status=doc.status,
            version=doc.version, issued_at=doc.created_at, sha256=doc.sha256, summary=summary,
            signed=doc.signed, signature_ok=ok, signature_text=text,
            changed_at=newer.created_at if newer else doc.cancelled_at, newer_version=newer.version if newer else None,
        )


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def verify_document(request: Request) -> Response:
    if not limiter().allow(_client(request)):
        return _html(too_many_page(), 429)
    code = request.path_params.get("code", "")
    found = await run_in_threadpool(lookup, code)
    if found is None:
        return _html(not_found_page(code), 404)
    return _html(document_page(found))


async def verify_form(request: Request) -> Response:
    code = (request.query_params.get("code") or "").strip()
    if code:
        if not limiter().allow(_client(request)):
            return _html(too_many_page(), 429)
        from netsign_console.documents.codes import normalize_code

        target = normalize_code(code) or code[:40]
        return RedirectResponse(f"/verify/{quote(target, safe='')}", status_code=303, headers=HEADERS)
    return _html(form_page())
