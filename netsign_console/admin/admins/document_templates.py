"""文书模板: the read-only list of every template version (editing is the editor page's job:
/documents/templates/edit, where saving always makes a new version)."""

from __future__ import annotations

from typing import Any, Mapping

from models.document import DocumentTemplate, TemplateStatus
from netsign_console.admin.base import ModelAdmin
from netsign_console.admin.options import CHOICE, Filter
from netsign_console.auth.permissions import Perm


def kind_choices() -> list[tuple[str, str]]:
    from netsign_console.documents import all_kinds

    return [(k.code, k.title) for k in all_kinds()]


def _kind_label(value: Any, row: Mapping[str, Any] | None = None) -> str:
    return dict(kind_choices()).get(value, value or "")


def _variant_label(value: Any, row: Mapping[str, Any] | None = None) -> str:
    from netsign_console.documents import variant_label

    return variant_label(value or "")


class DocumentTemplateAdmin(ModelAdmin, model=DocumentTemplate):
    slug = "document-templates"
    title = "文书模板"
    verbose_name = "模板"
    help_text = ("文书模板的每次修改都保存为新版本，已生成的文书记录其所用版本。修改模板请到“文书模板编辑”，"
                 "可在编辑时实时预览样例数据的效果。")
    view_perm = edit_perm = Perm.TEMPLATE_MANAGE
    list_columns = ("title", "kind", "variant", "version", "status", "created_by_id", "created_at", "remarks")
    search_fields = ("^title",)
    search_placeholder = "模板名称"
    filters = (Filter("kind", CHOICE, choices=kind_choices), "status")
    sort_fields = ("kind", "version", "created_at")
    default_sort = "-created_at"
    form_fields = ("kind", "variant", "version", "title", "status", "remarks", "created_by_id", "created_at", "body")
    readonly_fields = form_fields
    textarea_fields = ("body",)
    enums = {"status": TemplateStatus}
    labels = {"created_by_id": "保存人"}
    fk_labels = {"created_by_id": "display_name"}
    column_formatters = {"kind": _kind_label, "variant": _variant_label}
    can_create = can_edit = can_delete = can_import = False
