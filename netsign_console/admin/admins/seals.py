"""印章管理 (SIGN-12): a developer's company and legal-representative seals, kept by its developer
admin (own organisation only, by the model's row scope; the system administrator sees all,
the regulator reads them). The image is checked on its content (PNG/JPEG, size, pixels:
contracts/seals.py) when it is uploaded; the 印章授权人 is one of the organisation's users or a
phone number, and receives the SMS code before a contract is sealed."""

from __future__ import annotations

from typing import Any

from models.enums import Role
from models.seal import Seal
from models.user import User
from netsign_console.admin.admins.common import DEVELOPER_ORGS
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import FileRule
from netsign_console.contracts.seals import check_seal_image
from netsign_console.domain.validators import normalize_mobile
from netsign_console.errors import ValidationFailed
from netsign_console.settings import settings


class SealAdmin(ModelAdmin, model=Seal):
    slug = "seals"
    menu_order = 35
    title = "印章管理"
    verbose_name = "印章"
    help_text = "合同盖章使用的公司章（合同专用章）与法人章；盖章前向印章授权人发送短信验证码。"
    view_roles = frozenset({Role.DEVELOPER_ADMIN, Role.SYSTEM_ADMIN, Role.REGULATOR})
    list_columns = ("name", "kind", "developer_org_id", "authorised_user_id", "authorised_phone", "active", "image_file")
    search_fields = ("^name",)
    search_placeholder = "印章名称"
    filters = ("kind", "active")
    sort_fields = ("name", "created_at")
    default_sort = "-created_at"
    form_fields = ("developer_org_id", "kind", "name", "image_file", "authorised_user_id", "authorised_phone", "active")
    file_fields = ("image_file",)
    file_rules = {"image_file": FileRule(types=("png", "jpg", "jpeg"), max_bytes=lambda: settings.seal_max_bytes,
                                         check=check_seal_image)}
    fk_filters = {"developer_org_id": DEVELOPER_ORGS}
    fk_labels = {"authorised_user_id": "display_name"}
    validators = {"authorised_phone": normalize_mobile}
    masked_fields = ("authorised_phone",)

    def before_save(self, session: Any, principal: Any, obj: Any, data: dict[str, Any]) -> None:
        user = session.get(User, obj.authorised_user_id) if obj.authorised_user_id else None
        if user is not None and user.organization_id != obj.developer_org_id:
            raise ValidationFailed({"authorised_user_id": "印章授权人应为本企业的用户"})
        if user is None and not obj.authorised_phone:
            raise ValidationFailed({"authorised_user_id": "请选择印章授权人或填写授权人手机号"})
        if user is not None and not obj.authorised_phone and user.phone:
            obj.authorised_phone = user.phone  # the code goes to the person's own phone
