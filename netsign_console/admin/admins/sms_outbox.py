"""短信发件箱 (FEATURES §5 decision 6): every SMS the console sent, newest first, for the
regulator's side only (system administrator and reviewers: Perm.AUDIT_VIEW). With the local
sender this is where messages are delivered, so it holds the codes themselves: a code is
good for 5 minutes and one use, and only the regulator can read it here. Phones are masked in
the list and the export like every personal number."""

from __future__ import annotations

from models.sms import SmsMessage
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import DateRange
from netsign_console.auth.permissions import Perm


def _sender(raw, _row) -> str:
    return "本地发件箱" if raw == "outbox" else str(raw or "")


class SmsOutboxAdmin(ModelAdmin, model=SmsMessage):
    slug = "sms-outbox"
    menu_order = 92
    title = "短信发件箱"
    verbose_name = "短信"
    help_text = "本地短信通道：系统发出的短信（含验证码）记录在此，验证码5分钟内有效且只能使用一次。"
    view_perm = Perm.AUDIT_VIEW
    count_mode = "estimate"
    list_columns = ("created_at", "phone", "purpose", "text", "case_number", "sender")
    search_fields = ("=phone", "^case_number")
    search_placeholder = "手机号（完整）或业务编号"
    filters = ("purpose", DateRange("created_at"))
    sort_fields = ("created_at",)
    default_sort = "-created_at"
    form_fields = ("created_at", "phone", "purpose", "text", "subject_type", "subject_id", "case_number", "sender")
    readonly_fields = form_fields
    masked_fields = ("phone",)
    column_formatters = {"sender": _sender}
    can_create = False
    can_edit = False
    can_delete = False
