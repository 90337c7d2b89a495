"""Who delivers an SMS (FEATURES §5 decision 6): a small interface and its local implementation.

    sender = get_sender()                 # NETSIGN_SMS_SENDER: "outbox" or "package.module:ClassName"
    sender.send(session, Sms(phone, text, purpose, subject_type, subject_id, case_number))

`OutboxSender` writes the message into `sms_message` in the caller's transaction: nothing leaves
the console, the regulator reads it at 短信发件箱, and tests read codes from it. A provider
plugs in by configuration: a class with the same `send` method (it should also call
`OutboxSender.record` with the code hidden, so the outbox stays the log of what was sent).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session

from models.sms import SmsMessage
from netsign_console import settings as config  # read at call time: tests swap config.settings


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    purpose: str
    subject_type: str = ""
    subject_id: int | None = None
    case_number: str | None = None


class SmsSender(Protocol):
    name: str

    def send(self, session: Session, sms: Sms) -> None: ...


class OutboxSender:
    """The local implementation: the outbox is the delivery."""

    name = "outbox"

    @staticmethod
    def record(session: Session, sms: Sms, *, sender: str = "outbox", text: str | None = None) -> SmsMessage:
        row = SmsMessage(phone=sms.phone, text=sms.text if text is None else text, purpose=sms.purpose,
                         subject_type=sms.subject_type, subject_id=sms.subject_id, case_number=sms.case_number,
                         sender=sender)
        session.add(row)
        session.flush()
        return row

    def send(self, session: Session, sms: Sms) -> None:
        self.record(session, sms)


def get_sender(name: str | None = None) -> SmsSender:
    spec = (name or config.settings.sms_sender or "outbox").strip()
    if spec == "outbox":
        return OutboxSender()
    module_name, _, class_name = spec.partition(":")
    if not class_name:
        raise ValueError(f"NETSIGN_SMS_SENDER={spec!r}: use 'outbox' or 'package.module:ClassName'")
    return getattr(importlib.import_module(module_name), class_name)()
