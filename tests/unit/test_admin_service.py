"""create / update / delete through the service: one transaction each, permission and row
scope checked inside, audited with before/after values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, select

from models.audit import AuditLog
from netsign_console.admin import ActionRefused, ValidationFailed, service
from netsign_console.errors import PermissionDenied
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import (  # noqa: F401  admin_db is a fixture
    DEV_A, DEV_B, OPERATOR_A, ORG_A, ORG_B, REGULATOR, SYSADMIN, VALID_CREDIT_CODE, VALID_ID, Gadget, Widget,
    add_widgets, admin_db,
)

NOT_FOUND = "记录不存在或无权访问"


def audit_rows(url: str, model: str = "t_widget") -> list[AuditLog]:
    with Session(get_engine(url)) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.model == model).order_by(AuditLog.id)))


def widget(url: str, wid: int) -> Widget | None:
    with Session(get_engine(url)) as session:
        return session.get(Widget, wid)


def test_create_forces_the_row_scope_and_audits(admin_db):
    rid = service.create_record("t-widgets", DEV_A, {"name": "新部件", "price": "1,000", "kind": "large",
                                                     "owner_org_id": str(ORG_B), "phone": "13800138000"}, url=admin_db)
    saved = widget(admin_db, int(rid))
    assert saved.owner_org_id == ORG_A  # not ORG_B: a developer cannot create rows for another organisation
    assert saved.price == Decimal("1000.00") and saved.kind == "large"
    [event] = audit_rows(admin_db)
    assert (event.action, event.record_id, event.user_id, event.user_name, event.org_id) == ("create", rid, 1, "用户1", ORG_A)
    assert event.changes["name"] == [None, "新部件"] and event.changes["price"] == [None, "1000.00"]
    assert event.changes["phone"] == [None, "138****8000"]  # personal data stays masked in the audit log
    assert event.created_at.tzinfo is not None


def test_validation_failure_saves_nothing(admin_db):
    with pytest.raises(ValidationFailed) as err:
        service.create_record("t-widgets", DEV_A, {"name": "", "credit_code": "9143000023582", "price": "1.234"},
                              url=admin_db)
    assert err.value.errors == {"name": "请填写部件名称", "credit_code": "统一社会信用代码应为18位，当前为13位",
                                "price": "价格应为金额，最多两位小数"}
    with Session(get_engine(admin_db)) as session:
        assert session.exec(select(Widget)).first() is None
    assert audit_rows(admin_db) == []


def test_update_records_changed_fields_before_and_after(admin_db):
    [wid] = add_widgets(admin_db, 1)
    service.update_record("t-widgets", DEV_A, wid, {"name": "改名", "price": "0.50", "id_number": "",
                                                    "notes": "浏览器提交的只读字段"}, url=admin_db)
    saved = widget(admin_db, wid)
    assert saved.name == "改名" and saved.id_number is None and saved.notes is None
    [event] = audit_rows(admin_db)
    assert event.action == "update" and event.record_id == str(wid)
    assert event.changes == {"name": ["部件000", "改名"], "id_number": ["4301**********1233", None]}
    # Nothing changed: no event.
    service.update_record("t-widgets", DEV_A, wid, {"name": "改名"}, url=admin_db)
    assert len(audit_rows(admin_db)) == 1


def test_unique_values_are_refused_with_the_field(admin_db):
    service.create_record("t-widgets", DEV_A, {"name": "一", "credit_code": VALID_CREDIT_CODE}, url=admin_db)
    with pytest.raises(ValidationFailed) as err:
        service.create_record("t-widgets", DEV_B, {"name": "二", "credit_code": VALID_CREDIT_CODE.lower()}, url=admin_db)
    assert err.value.errors == {"credit_code": f"统一社会信用代码“{VALID_CREDIT_CODE}”已存在"}


@pytest.mark.parametrize("guess", ["1", "999", "abc", "-1", "1 OR 1=1"])
def test_another_developers_rows_are_invisible_and_untouchable(admin_db, guess):
    add_widgets(admin_db, 1, ORG_A)  # id 1 belongs to A
    for call in (
        lambda: service.get_form("t-widgets", DEV_B, guess, url=admin_db),
        lambda: service.update_record("t-widgets", DEV_B, guess, {"name": "劫持"}, url=admin_db),
        lambda: service.delete_preview("t-widgets", DEV_B, guess, url=admin_db),
        lambda: service.delete_record("t-widgets", DEV_B, guess, url=admin_db),
        lambda: service.run_bulk_action("t-widgets", DEV_B, "delete_selected", [guess], url=admin_db),
    ):
        with pytest.raises(PermissionDenied, match=NOT_FOUND):
            call()
    assert widget(admin_db, 1).name == "部件000"
    assert audit_rows(admin_db) == []


def test_read_only_roles_cannot_write(admin_db):
    [wid] = add_widgets(admin_db, 1)
    assert service.get_form("t-widgets", REGULATOR, wid, url=admin_db).can_edit is False
    assert service.get_form("t-widgets", OPERATOR_A, wid, url=admin_db).values["phone"] == "138****8000"
    for who in (REGULATOR, OPERATOR_A):
        with pytest.raises(PermissionDenied, match="没有修改"):
            service.update_record("t-widgets", who, wid, {"name": "x"}, url=admin_db)
        with pytest.raises(PermissionDenied, match="没有新增"):
            service.create_record("t-widgets", who, {"name": "x"}, url=admin_db)
        with pytest.raises(PermissionDenied, match="没有删除"):
            service.delete_record("t-widgets", who, wid, url=admin_db)
    assert widget(admin_db, wid).name == "部件000"


def test_whole_personal_data_is_shown_to_editors_and_logged(admin_db):
    [wid] = add_widgets(admin_db, 1)
    form = service.get_form("t-widgets", DEV_A, wid, url=admin_db)
    assert form.values["id_number"] == VALID_ID and form.can_edit and form.can_delete
    [event] = audit_rows(admin_db)
    assert event.action == "view_personal" and "身份证号" in event.changes["_summary"]


def test_foreign_keys_must_exist_and_be_in_scope(admin_db):
    a_widget, = add_widgets(admin_db, 1, ORG_A)
    b_widget, = add_widgets(admin_db, 1, ORG_B)
    with pytest.raises(ValidationFailed) as err:
        service.create_record("t-gadgets", DEV_B, {"widget_id": str(a_widget), "name": "偷挂"}, url=admin_db)
    assert err.value.errors == {"widget_id": "所选所属部件不存在或无权访问"}
    with pytest.raises(ValidationFailed):
        service.create_record("t-gadgets", DEV_B, {"widget_id": "12345", "name": "幽灵"}, url=admin_db)
    gid = service.create_record("t-gadgets", DEV_B, {"widget_id": str(b_widget), "name": "正常"}, url=admin_db)
    # Moving it under A's widget by an update is refused the same way.
    with pytest.raises(ValidationFailed):
        service.update_record("t-gadgets", DEV_B, gid, {"widget_id": str(a_widget)}, url=admin_db)


def test_foreign_key_picker_searches_at_most_twenty_in_scope(admin_db):
    add_widgets(admin_db, 30, ORG_A)
    add_widgets(admin_db, 2, ORG_B)
    found = service.fk_search("t-gadgets", DEV_A, "widget_id", "部件", url=admin_db)
    assert len(found) == 20 and all(label.startswith("部件") for _, label in found)
    assert [label for _, label in service.fk_search("t-gadgets", DEV_B, "widget_id", "", url=admin_db)] == ["部件000", "部件001"]
    assert service.fk_search("t-gadgets", DEV_A, "widget_id", "部件02", url=admin_db)[0][1] == "部件020"
    with pytest.raises(PermissionDenied):
        service.fk_search("t-gadgets", DEV_A, "name", "", url=admin_db)  # not a foreign key


def test_delete_shows_dependents_and_refuses(admin_db):
    wid, other = add_widgets(admin_db, 2)
    with Session(get_engine(admin_db)) as session:
        session.add_all([Gadget(widget_id=wid, name="配件1"), Gadget(widget_id=wid, name="配件2")])
        session.commit()
    preview = service.delete_preview("t-widgets", DEV_A, wid, url=admin_db)
    assert preview.blocked and preview.dependents == [("配件", 2)]
    assert preview.message == "该记录有2条关联数据（配件2条），不能删除"
    with pytest.raises(ActionRefused, match="该记录有2条关联数据（配件2条），不能删除"):
        service.delete_record("t-widgets", DEV_A, wid, url=admin_db)
    assert widget(admin_db, wid) is not None
    clear = service.delete_preview("t-widgets", DEV_A, other, url=admin_db)
    assert not clear.blocked and clear.message == "确定删除“部件001”吗？删除后不能恢复。"
    service.delete_record("t-widgets", DEV_A, other, url=admin_db)
    assert widget(admin_db, other) is None
    [event] = audit_rows(admin_db)
    assert event.action == "delete" and event.changes["name"] == ["部件001", None]


def test_bulk_delete_is_all_or_nothing(admin_db):
    ids = add_widgets(admin_db, 3)
    with Session(get_engine(admin_db)) as session:
        session.add(Gadget(widget_id=ids[2], name="挂件"))
        session.commit()
    with pytest.raises(ActionRefused, match="配件1条"):
        service.run_bulk_action("t-widgets", DEV_A, "delete_selected", [str(i) for i in ids], url=admin_db)
    assert all(widget(admin_db, i) for i in ids)
    assert service.run_bulk_action("t-widgets", DEV_A, "delete_selected", [str(ids[0]), str(ids[1])], url=admin_db) \
        == "已删除2条记录"
    assert [e.action for e in audit_rows(admin_db)] == ["delete", "delete"]
    with pytest.raises(PermissionDenied):
        service.run_bulk_action("t-widgets", OPERATOR_A, "delete_selected", [str(ids[2])], url=admin_db)


def test_regulator_side_sees_all_and_system_admin_picks_the_organisation(admin_db):
    rid = service.create_record("t-widgets", SYSADMIN, {"name": "代建", "owner_org_id": str(ORG_B)}, url=admin_db)
    assert widget(admin_db, int(rid)).owner_org_id == ORG_B
    with pytest.raises(ValidationFailed) as err:
        service.create_record("t-widgets", SYSADMIN, {"name": "缺机构"}, url=admin_db)
    assert err.value.errors == {"owner_org_id": "请填写所属机构"}
    assert service.get_form("t-widgets", REGULATOR, rid, url=admin_db).display["name"] == "代建"
