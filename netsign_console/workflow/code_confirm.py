"""The 短信验证 sub-task (CodeStep): each signer confirms with a one-time code sent to their
phone. The phone is the step's, never one from the browser; the code's rules (5 minutes, once,
5 wrong tries lock it, resend wait) are sms/codes.py's.

`verify` returns the verdict instead of raising on a wrong code, because the wrong try must be
committed with the caller's transaction to count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.base import utcnow
from models.workflow import CaseSubtask
from netsign_console import sms
from netsign_console.auth.principal import Principal
from netsign_console.domain.validators import mask_mobile
from netsign_console.errors import PermissionDenied
from netsign_console.workflow.access import NOT_FOUND
from netsign_console.workflow.subtask_service import context, locate, mark, require_kind, stored_row
from netsign_console.workflow.subtasks import CodeStep, Signer, SubtaskContext
from netsign_console.workflow.times import format_local


@dataclass(frozen=True)
class SignerRow:
    key: str
    label: str
    phone: str  # masked
    confirmed_at: str  # local time, "" while not confirmed


@dataclass(frozen=True)
class CodeScreen:
    rows: list[SignerRow]
    editable: bool
    done: bool


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str
    done: bool  # every signer has confirmed now


def _signer(sub: CodeStep, ctx: SubtaskContext, key: str) -> Signer:
    found = next((s for s in sub.signers(ctx) if s.key == key), None)
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


def screen(session: Session, principal: Principal, case_id: int, stage_code: str, code: str) -> CodeScreen:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=False)
    sub = require_kind(sub, CodeStep)
    ctx = context(session, case, principal)
    row = stored_row(session, case.id, stage.code, sub.code)
    confirmed = sub.confirmed(row)
    rows = [SignerRow(s.key, s.label, mask_mobile(s.phone) if s.phone else "未登记手机号",
                      format_local(datetime.fromisoformat(confirmed[s.key])) if s.key in confirmed else "")
            for s in sub.signers(ctx)]
    return CodeScreen(rows, task is not None and case.status == "active", sub.is_done(ctx, row))


def send(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, key: str) -> str:
    """获取验证码: returns the masked phone it went to (UserError while the resend wait runs)."""
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, CodeStep)
    ctx = context(session, case, principal)
    signer = _signer(sub, ctx, key)
    subject_type, subject_id = sub.subject(ctx)
    sent = sms.send_code(session, purpose=sub.purpose, subject_type=subject_type, subject_id=subject_id,
                         phone=signer.phone, about=sub.about(ctx) if sub.about is not None else "",
                         case_number=case.number)
    return sent.phone


def verify(session: Session, principal: Principal, case_id: int, stage_code: str, code: str, key: str,
           entered: str) -> Verdict:
    case, stage, sub, task = locate(session, principal, case_id, stage_code, code, for_write=True)
    sub = require_kind(sub, CodeStep)
    ctx = context(session, case, principal)
    signer = _signer(sub, ctx, key)
    row = stored_row(session, case.id, stage.code, sub.code)
    confirmed = sub.confirmed(row)
    if key in confirmed:
        return Verdict(True, f"{signer.label}已确认", sub.is_done(ctx, row))
    subject_type, subject_id = sub.subject(ctx)
    check = sms.verify_code(session, purpose=sub.purpose, subject_type=subject_type, subject_id=subject_id,
                            phone=signer.phone, entered=(entered or "").strip())
    if not check.ok:
        return Verdict(False, check.message, False)
    confirmed[key] = utcnow().isoformat()
    row = row or CaseSubtask(case_id=case.id, stage=stage.code, code=sub.code)
    row.data = {**(row.data or {}), "confirmed": confirmed}
    session.add(row)
    session.flush()
    left = [s for s in sub.signers(ctx) if s.key not in confirmed]
    summary = f"{len(confirmed)}人已确认" + (f"，尚有{len(left)}人" if left else "，全部确认")
    row = mark(session, principal, case, stage, sub, task, f"{signer.label}已确认；{summary}")
    done = sub.is_done(ctx, row)
    if done and sub.on_complete is not None:
        sub.on_complete(context(session, case, principal))
    return Verdict(True, f"{signer.label}已确认", done)
