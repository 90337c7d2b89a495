"""The HTML of the public verify page (/verify/<code>): plain, server-rendered, no JavaScript.

Everything printed goes through html.escape. A document shows its header (kind, number,
issuing body, status, version, issue time, SHA-256), its masked summary, and for signed
documents the signature check; an unknown code shows only that it is unknown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from netsign_console import settings as config

NOT_FOUND_TEXT = "未找到该查验码对应的文书，请核对后重试"
STATUS_TEXT = {"valid": "有效", "superseded": "已变更（已被新版本替代）", "cancelled": "已作废",
               "unwound": "已退房（合同已解除）"}
STATUS_CLASS = {"valid": "ok", "superseded": "warn", "cancelled": "bad", "unwound": "bad"}


@dataclass(frozen=True)
class VerifiedDocument:
    """What the page may show of a document: already public or already masked."""

    title: str
    number: str
    issuer: str
    status: str
    version: int
    issued_at: datetime
    sha256: str
    summary: dict[str, str] = field(default_factory=dict)
    signed: bool = False
    signature_ok: bool | None = None
    signature_text: str = ""
    changed_at: datetime | None = None  # when it was superseded (the new version's issue time) or cancelled
    newer_version: int | None = None


_CSS = """
body { margin: 0; background: #f3f5f8; color: #1f2933; font-family: "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; font-size: 15px; line-height: 1.6; }
header { background: #1d4e89; color: #fff; padding: 14px 20px; }
header h1 { margin: 0; font-size: 19px; font-weight: 600; letter-spacing: 1px; }
header p { margin: 2px 0 0; font-size: 13px; opacity: .85; }
main { max-width: 760px; margin: 24px auto; padding: 0 16px; }
.card { background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.08); padding: 20px 22px; margin-bottom: 16px; }
.status { display: inline-block; padding: 4px 14px; border-radius: 16px; font-weight: 600; font-size: 16px; }
.ok { background: #e3f6e8; color: #18794e; } .warn { background: #fff4e0; color: #ad5700; }
.bad { background: #fde8e8; color: #c0262d; } .muted { color: #6b7785; font-size: 13px; }
h2 { font-size: 20px; margin: 0 0 12px; } table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
th { width: 32%; color: #52606d; font-weight: 500; } td.hash { font-family: monospace; font-size: 13px; word-break: break-all; }
form { display: flex; gap: 8px; flex-wrap: wrap; } input[type=text] { flex: 1; min-width: 220px; padding: 9px 10px;
  font-size: 15px; border: 1px solid #c5ccd6; border-radius: 6px; letter-spacing: 1px; }
button { padding: 9px 18px; font-size: 15px; border: 0; border-radius: 6px; background: #1d4e89; color: #fff; cursor: pointer; }
footer { text-align: center; color: #8a96a3; font-size: 12px; margin: 24px 0; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(config.settings.timezone)).strftime("%Y-%m-%d %H:%M")


def _page(title: str, content: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{_e(title)} - 文书查验</title><style>{_CSS}</style></head>'
        f'<body><header><h1>{_e(config.settings.city)}住房交易网签备案 · 文书查验</h1>'
        '<p>核对纸质或电子文书的真伪与当前状态</p></header>'
        f'<main>{content}</main><footer>本页仅显示经脱敏处理的信息。如有疑问，请向发证机关核实。</footer></body></html>'
    )


def _form(code: str = "") -> str:
    return (
        '<div class="card"><form method="get" action="/verify">'
        f'<input type="text" name="code" value="{_e(code)}" placeholder="输入文书上的查验码，如 ABCD-EFGH-JKMN-PQRS-TVWX"'
        ' maxlength="40" autocomplete="off" aria-label="查验码"><button type="submit">查验</button></form></div>'
    )


def form_page() -> str:
    return _page("输入查验码", _form())


def not_found_page(code: str = "") -> str:
    # Nothing about the code is echoed back beyond what the person typed into the box.
    return _page("未找到", f'<div class="card"><h2 id="verify-result">{NOT_FOUND_TEXT}</h2>'
                       '<p class="muted">查验码在文书每页页脚，共20位字母与数字；扫描二维码可直接查验。</p></div>'
                 + _form(code[:40]))


def too_many_page() -> str:
    return _page("请求过于频繁", '<div class="card"><h2 id="verify-result">查询过于频繁，请一分钟后再试</h2></div>')


def document_page(doc: VerifiedDocument) -> str:
    rows = [("文书名称", doc.title), ("文书编号", doc.number), ("发证（签发）机关", doc.issuer),
            ("版本", f"第{doc.version}版"), ("签发时间", local_time(doc.issued_at))]
    if doc.status == "superseded" and doc.newer_version:
        rows.append(("变更情况", f"已由第{doc.newer_version}版替代（{local_time(doc.changed_at)}），本文书不再有效"))
    if doc.status == "cancelled":
        rows.append(("作废时间", local_time(doc.changed_at)))
    if doc.status == "unwound":
        rows.append(("退房时间", local_time(doc.changed_at)))
    rows += list(doc.summary.items())
    if doc.signed:
        rows.append(("电子签章", doc.signature_text))
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    body += f'<tr><th>文件SHA-256</th><td class="hash" id="verify-sha256">{_e(doc.sha256)}</td></tr>'
    status = STATUS_TEXT.get(doc.status, doc.status)
    return _page(doc.title, (
        f'<div class="card"><h2>{_e(doc.title)}</h2>'
        f'<p>当前状态：<span class="status {STATUS_CLASS.get(doc.status, "warn")}" id="verify-status">{_e(status)}</span></p>'
        f'<table id="verify-table">{body}</table>'
        '<p class="muted">文件SHA-256用于核对：与您持有的PDF文件计算出的SHA-256一致，说明文件未被改动。</p></div>'
    ) + _form())
