"""SMS behind a small interface (FEATURES §5 decision 6): the sender (sender.py: the local
outbox, or a provider named in NETSIGN_SMS_SENDER) and one-time codes on the database
(codes.py: send_code / verify_code). The regulator reads the outbox at 短信发件箱."""

from netsign_console.sms.codes import CodeCheck, CodeSent, send_code, verify_code
from netsign_console.sms.sender import OutboxSender, Sms, SmsSender, get_sender

__all__ = ["CodeCheck", "CodeSent", "OutboxSender", "Sms", "SmsSender", "get_sender", "send_code", "verify_code"]
