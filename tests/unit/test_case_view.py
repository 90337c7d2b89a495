"""The case page's data (WF-05), attachments and statistics, on the migrated demo database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.enums import NetworkAccessStatus
from models.user import User
from netsign_console.errors import UserError
from netsign_console.auth.passwords import hash_password
from netsign_console.errors import PermissionDenied
from netsign_console.auth.principal import Principal
from netsign_console.auth.service import principal_for_user
from netsign_console.db import session_scope
from netsign_console.workflow import engine
from netsign_console.workflow.attachments import add_attachment, open_attachment
from netsign_console.workflow.flows.network_access import apply_network_access
from netsign_console.workflow.stats import case_counts
from netsign_console.workflow.view import case_view

PDF = b"%PDF-1.4 test"


def _principal(session, username: str) -> Principal:
    return principal_for_user(session, session.exec(select(User).where(User.username == username)).one())


@pytest.fixture
def case_number(demo_url, monkeypatch, tmp_path):
    monkeypatch.setattr("netsign_console.workflow.attachments.settings", type("S", (), {"private_dir": tmp_path})())
    with session_scope(demo_url) as s:
        admin = _principal(s, "dev_admin")
        user = User(username="new_op", display_name="新经办", phone="13700000001", id_number="430102198001011233",
                    password_hash=hash_password("x"), role="operator", organization_id=admin.org_id,
                    network_access_status=NetworkAccessStatus.DRAFT.value)
        s.add(user)
        s.flush()
        (case,) = apply_network_access(s, admin, [user.id])
        return case.number


def test_initiator_sees_summary_subject_masked_and_timeline(demo_url, case_number):
    with session_scope(demo_url) as s:
        view = case_view(s, _principal(s, "dev_admin"), case_number)
    assert view.case_type_title == "【长沙市】用户入网"
    assert view.stage_title == "入网审核" and view.status_label == "未办结"
    subject = dict(view.subject)
    assert subject["姓名"] == "新经办" and subject["入网状态"] == "待审核"
    assert subject["手机号"] == "137****0001" and "*" in subject["身份证号"]
    assert view.timeline[0] == "开始 王管理发起业务"
    assert any("王管理派工" in line for line in view.timeline)
    assert "claim" not in view.actions  # a developer cannot take the regulator's review


def _task_id(view) -> int:
    return view.tasks[0].task_id


def test_regulator_claims_then_may_decide_or_return(demo_url, case_number):
    with session_scope(demo_url) as s:
        reg = _principal(s, "regulator")
        view = case_view(s, reg, case_number)
        assert view.actions[:1] == ["claim"] and view.tasks[0].verbs == ["claim"]
        engine.claim(s, reg, _task_id(view))
    with session_scope(demo_url) as s:
        view = case_view(s, _principal(s, "regulator"), case_number)
    assert {"decide", "return", "release", "opinion"} <= set(view.actions)
    [panel] = view.tasks
    assert panel.is_review and panel.ends_case  # 通过 archives the case: the button says 归档
    assert panel.decisions == [("approve", "通过"), ("reject", "驳回")]
    assert panel.return_targets == [("apply", "入网申请")]
    assert view.holder_name == "张审核" and panel.holder_name == "张审核"
    # The stage with sub-tasks is listed, read-only for the regulator (it is the developer's stage).
    [stage] = view.stages
    assert (stage.stage, stage.open, stage.editable) == ("apply", False, False)
    assert [(x.title, x.required) for x in stage.subtasks] == [("核对用户信息", False)]


@pytest.mark.parametrize("outsider", ["dev2_admin", "mortgage_bank", "broker"])
def test_outsiders_cannot_see_the_case(demo_url, case_number, outsider):
    with session_scope(demo_url) as s:
        with pytest.raises(PermissionDenied, match="不存在或无权访问"):
            case_view(s, _principal(s, outsider), case_number)


def test_only_the_task_holder_attaches_and_only_case_parties_download(demo_url, case_number):
    with session_scope(demo_url) as s:
        reg = _principal(s, "regulator")
        case_id = case_view(s, reg, case_number).case_id
        with pytest.raises(PermissionDenied):
            add_attachment(s, reg, case_id, "证明.pdf", PDF)  # not claimed yet
        engine.claim(s, reg, _task_id(case_view(s, reg, case_number)))
    with session_scope(demo_url) as s:
        reg = _principal(s, "regulator")
        with pytest.raises(UserError, match="仅支持"):
            add_attachment(s, reg, case_id, "脚本.exe", b"MZ")
        with pytest.raises(UserError, match="内容不是PDF格式"):  # the name alone proves nothing
            add_attachment(s, reg, case_id, "伪装.pdf", b"MZ\x90\x00")
        row = add_attachment(s, reg, case_id, "入网证明.pdf", PDF)
        attachment_id = row.id
    with session_scope(demo_url) as s:
        meta, path = open_attachment(s, _principal(s, "dev_admin"), attachment_id)
        assert meta.file_name == "入网证明.pdf" and path.read_bytes() == PDF
        with pytest.raises(PermissionDenied):
            open_attachment(s, _principal(s, "dev2_admin"), attachment_id)


def test_statistics_count_by_type_and_status_for_the_regulator_only(demo_url, case_number):
    with session_scope(demo_url) as s:
        reg = _principal(s, "regulator")
        before = {r["case_type"]: r for r in case_counts(s, reg)}["用户入网"]
        view = case_view(s, reg, case_number)
        engine.claim(s, reg, _task_id(view))
        engine.decide(s, reg, _task_id(view), decision="approve")
        after = {r["case_type"]: r for r in case_counts(s, reg)}
        # The demo's chain (预测成果备案 ×2, 物管用房核定, 预售许可) is archived; the network-access case moves.
        assert {"用户入网", "预测成果备案", "期房物管用房核定", "商品房预售许可初始审批"} <= set(after)
        assert after["预测成果备案"]["archived"] == 2 and after["预测成果备案"]["active"] == 0  # D001, D002
        net = after["用户入网"]
        assert net["total"] == before["total"]
        assert (net["active"], net["archived"]) == (before["active"] - 1, before["archived"] + 1)
        with pytest.raises(PermissionDenied):
            case_counts(s, _principal(s, "dev_admin"))


def test_rejection_needs_a_reason_and_is_audited(demo_url, case_number):
    from models.audit import AuditLog

    with session_scope(demo_url) as s:
        reg = _principal(s, "regulator")
        task_id = _task_id(case_view(s, reg, case_number))
        engine.claim(s, reg, task_id)
    with session_scope(demo_url) as s:
        with pytest.raises(UserError, match="请填写原因") as err:
            engine.decide(s, _principal(s, "regulator"), task_id, decision="reject", opinion=" ")
        assert err.value.field == "opinion"
    with session_scope(demo_url) as s:
        engine.decide(s, _principal(s, "regulator"), task_id, decision="reject", opinion="身份证复印件不清晰")
    with session_scope(demo_url) as s:
        view = case_view(s, _principal(s, "dev_admin"), case_number)
        assert (view.status_label, view.decision_label, view.tasks) == ("已办结", "驳回", [])
    with session_scope(demo_url) as s:
        user = s.exec(select(User).where(User.username == "new_op")).one()
        assert user.network_access_status == "rejected"
        audit = s.exec(select(AuditLog).where(AuditLog.model == "app_user", AuditLog.record_id == str(user.id))).all()
        assert [(a.action, a.user_name) for a in audit] == [("reject", "张审核")]
        assert audit[0].changes["network_access_status"] == ["pending", "rejected"]
