"""The verbs, replayed as scripts on SQLite: the happy paths of every flow, every refusal,
splits and joins, the inbox, the done list, the timeline, the audit trail, case numbers and
flow-version pinning."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session, select

from models.audit import AuditLog
from models.enums import NetworkAccessStatus, Role
from models.workflow import Case, CaseEvent, CaseNumberSequence, Task
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import End, Review, Stage, all_flows, temporary_flows
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service
from netsign_console.workflow.flows.network_access import NetworkAccess, apply_network_access
from netsign_console.workflow.inbox import InboxFilters, done_list, inbox, inbox_count, timeline
from netsign_console.workflow.numbers import next_case_number, split_case_number
from netsign_console.workflow.nodes import Review as ReviewNode
from netsign_console.workflow.times import format_local
from tests.unit.workflow_fixtures import (
    TEST_FLOWS,
    LoanReviewTestFlow,
    NoReturnTestFlow,
    accept_case,
    add_applicant,
    add_user,
    claimer_for,
    principal_of,
    seed_world,
    sqlite_engine,
)

NOT_FOUND = "记录不存在或无权访问"
TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"


@pytest.fixture
def db(tmp_path):
    engine = sqlite_engine(tmp_path / "wf.db")
    with Session(engine, expire_on_commit=False) as session, temporary_flows(*TEST_FLOWS):
        world = seed_world(session)
        session.commit()
        yield session, world
    engine.dispose()


def _open(session, case) -> Task:
    return wf.open_task(session, case.id)


def _opens(session, case) -> list[Task]:
    return wf.open_tasks(session, case.id)


def _by_id(world, user_id):
    return next(p for p in world.principals() if p.user_id == user_id)


def _finish_required(session, principal, case, task) -> None:
    """Do the stage's required confirmations (the only sub-task kind these flows use)."""
    flow = LoanReviewTestFlow if case.case_type == LoanReviewTestFlow.code else None
    stage = (flow or wf.rules.flow_for_case(case)).stage(task.stage)
    for sub in stage.subtasks:
        if sub.required and sub.kind == "confirm":
            subtask_service.confirm(session, principal, case.id, task.stage, sub.code)


# ----- every flow, scripted -------------------------------------------------------------------

USER_FLOWS = [f for f in all_flows() if f.subject_kind() is not None and f.subject_kind().code == "user"]
SCRIPTS = [(f, None) for f in USER_FLOWS] + [
    (LoanReviewTestFlow, ("bank_a", "bank_b")),
    (LoanReviewTestFlow, ()),
    (NoReturnTestFlow, None),
]


@pytest.mark.parametrize("flow,banks", SCRIPTS, ids=lambda v: getattr(v, "code", None) or str(v))
def test_scripted_walk(db, flow, banks):
    """accept -> (sub-tasks) -> dispatch -> claim -> return -> (back in the inbox with the reason)
    -> ... -> every split task approved -> archive."""
    session, world = db
    data = {"bank_ids": [world.orgs[b].id for b in banks]} if banks is not None else {}
    case, initiator = accept_case(session, world, flow, data=data)
    assert re.fullmatch(rf"{flow.prefix}\d{{8}}\d{{7}}", case.number)
    assert (case.flow_version, case.current_stage) == (flow.version, flow.first_stage().code)
    first = _open(session, case)
    assert first.owner_id == initiator.user_id and first.claimed_at is not None

    returned = False
    for _ in range(30):
        tasks = _opens(session, case)
        if not tasks:
            break
        task = tasks[0]
        node = flow.stage(task.stage)
        if task.owner_id is None:
            holder = claimer_for(world, task)
            assert wf.claim(session, holder, task.id).owner_id == holder.user_id
        holder = _by_id(world, task.owner_id)
        if node.returns_to and not returned:
            returned = True
            target = node.returns_to[0]
            last = session.exec(
                select(Task).where(Task.case_id == case.id, Task.stage == target, Task.status == "done")
            ).all()[-1]
            new = wf.return_case(session, holder, task.id, target_stage=target, reason="材料不全，请补正")
            assert (new.stage, new.owner_id, new.dispatched_by_id) == (target, last.owner_id, holder.user_id)
            session.refresh(task)
            assert (task.status, task.return_reason, task.returned_to) == ("returned", "材料不全，请补正", target)
            back = _by_id(world, last.owner_id)
            row = next(r for r in inbox(session, back).rows if r.task_id == new.id)
            assert row.mine and row.returned and row.return_reason == "材料不全，请补正"
            assert _opens(session, case) == [new]  # a return out of a split withdrew the siblings
            continue
        _finish_required(session, holder, case, task)
        if isinstance(node, ReviewNode):
            wf.decide(session, holder, task.id, decision="approve", opinion="同意")
        else:
            wf.dispatch(session, holder, task.id, opinion="同意")
    session.refresh(case)
    assert case.status == "archived" and case.current_stage == "" and case.archived_at is not None
    assert _opens(session, case) == []
    lines = [r.line for r in timeline(session, case.id)]
    assert lines[0] == f"开始 {initiator.display_name}发起业务"
    assert any(("退件" in line or "不通过" in line) and "原因：材料不全，请补正" in line for line in lines)
    assert "归档" in lines[-1]
    assert any(re.fullmatch(rf"\S+操作 {TIME}", line) for line in lines)
    if banks:
        reviewed = session.exec(select(Task).where(Task.case_id == case.id, Task.stage == "bank_review",
                                                   Task.decision == "approve")).all()
        assert {t.org_id for t in reviewed} >= {world.orgs[b].id for b in banks}
    session.commit()


# ----- network access (SYS-09) ----------------------------------------------------------------


def test_network_access_as_specified(db):
    session, world = db
    applicant = add_applicant(session, world, "zhang")
    dev, reg = world.p["dev_a"], world.p["reg"]
    [case] = apply_network_access(session, dev, [applicant.id])
    assert applicant.network_access_status == "pending"
    assert case.title == "新用户zhang（new_zhang）用户入网" and case.subject_id == applicant.id
    assert NetworkAccess.data_of(case).username == "new_zhang"  # typed data
    review = _open(session, case)
    assert (review.stage, review.owner_id, review.org_id, review.roles) == (
        "review", None, None, "regulator,system_admin")
    assert inbox_count(session, reg) == 1 and inbox_count(session, world.p["reg2"]) == 1
    wf.claim(session, reg, review.id)
    assert inbox_count(session, world.p["reg2"]) == 0
    apply_task = wf.return_case(session, reg, review.id, target_stage="apply", reason="身份证号有误")
    [row] = inbox(session, dev).rows
    assert (row.task_id, row.mine, row.returned, row.return_reason) == (apply_task.id, True, True, "身份证号有误")
    assert row.todo == ("核对用户信息",) and row.dispatched_by_name == "审核员甲"
    assert row.initiator_name == "星城管理员"
    [again] = wf.dispatch(session, dev, apply_task.id)
    wf.claim(session, world.p["reg2"], again.id)
    assert wf.decide(session, world.p["reg2"], again.id, decision="approve", opinion="材料齐全") == []
    assert applicant.network_access_status == "approved" and case.decision == "approve"
    assert session.get(Task, again.id).status == "archived"


def test_network_access_batch_each_decided_alone(db):
    session, world = db
    a, b = add_applicant(session, world, "a"), add_applicant(session, world, "b")
    dev, reg = world.p["dev_a"], world.p["reg"]
    cases = apply_network_access(session, dev, [a.id, b.id, a.id])
    assert [c.subject_id for c in cases] == [a.id, b.id]
    for case, decision in zip(cases, ("approve", "reject")):
        task = wf.claim(session, reg, _open(session, case).id)
        wf.decide(session, reg, task.id, decision=decision, opinion="材料不全" if decision == "reject" else None)
    assert (a.network_access_status, b.network_access_status) == ("approved", "rejected")
    assert [c.status for c in cases] == ["archived", "archived"]  # 驳回 ends the case as rejected
    [again] = apply_network_access(session, dev, [b.id])  # a rejected user may apply again
    wf.cancel(session, dev, again.id, reason="信息填错，撤回")
    assert b.network_access_status == "draft"


def test_network_access_refusals_change_nothing(db):
    session, world = db
    mine, other = add_applicant(session, world, "m"), add_applicant(session, world, "o", org_key="dev_b")
    waiting = add_applicant(session, world, "w", status=NetworkAccessStatus.PENDING)
    events = session.exec(select(CaseEvent)).all()
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        apply_network_access(session, world.p["dev_a"], [mine.id, other.id])
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        apply_network_access(session, world.p["dev_a"], [999999])
    with pytest.raises(UserError, match="新用户w.*待审核"):
        apply_network_access(session, world.p["dev_a"], [waiting.id])
    with pytest.raises(PermissionDenied):
        apply_network_access(session, world.p["op_a"], [mine.id])  # operators may not apply
    with pytest.raises(UserError):
        apply_network_access(session, world.p["dev_a"], [])
    assert mine.network_access_status == "draft"
    assert session.exec(select(CaseEvent)).all() == events


# ----- refusals -------------------------------------------------------------------------------


def _loan_at_check(session, world, banks=("bank_a",)):
    case, dev = accept_case(session, world, LoanReviewTestFlow,
                            data={"bank_ids": [world.orgs[b].id for b in banks]})
    entry = _open(session, case)
    subtask_service.confirm(session, dev, case.id, "entry", "query")
    [check] = wf.dispatch(session, dev, entry.id)
    return case, check


def test_accept_refusals(db):
    session, world = db
    mine, other = add_applicant(session, world, "m"), add_applicant(session, world, "o", org_key="dev_b")
    with pytest.raises(PermissionDenied, match="您没有受理“用户入网”业务的权限"):
        wf.accept(session, world.p["op_a"], "network_access", subject_id=mine.id)
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.accept(session, world.p["dev_a"], "network_access", subject_id=other.id)  # another developer's user
    with pytest.raises(UserError, match="请选择用户") as exc:
        wf.accept(session, world.p["dev_a"], "network_access")
    assert exc.value.field == "subject"
    with pytest.raises(UserError, match="业务类型不存在"):
        wf.accept(session, world.p["dev_a"], "no_such_flow", subject_id=mine.id)
    # Typed data: a value of the wrong shape is refused when saved, with a Chinese message per field.
    with pytest.raises(ValidationFailed) as bad:
        wf.accept(session, world.p["dev_a"], LoanReviewTestFlow.code, subject_id=mine.id, data={"bank_ids": ["x"]})
    assert bad.value.errors == {"bank_ids": "贷款银行应为整数"}
    with pytest.raises(ValidationFailed, match="不能填写"):
        wf.accept(session, world.p["dev_a"], LoanReviewTestFlow.code, subject_id=mine.id, data={"bank": 1})
    assert session.exec(select(Case)).all() == []


def test_acceptance_checks_refuse_at_the_subject_field(db):
    session, world = db

    def only_zhang(ctx):
        return None if ctx.subject.username == "new_zhang" else "只受理张三的申请"

    class Checked(NoReturnTestFlow, register=False):
        code = "test_checked"
        start = NoReturnTestFlow.nodes["start"].__class__((Role.DEVELOPER_ADMIN,), subject="user", checks=(only_zhang,))

    with temporary_flows(Checked):
        other = add_applicant(session, world, "li")
        with pytest.raises(UserError, match="只受理张三的申请") as exc:
            wf.accept(session, world.p["dev_a"], "test_checked", subject_id=other.id)
        assert exc.value.field == "subject"
        zhang = add_applicant(session, world, "zhang")
        assert wf.accept(session, world.p["dev_a"], "test_checked", subject_id=zhang.id).status == "active"


def test_claim_refusals(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    with pytest.raises(PermissionDenied, match="您的角色不能办理“初审”环节"):
        wf.claim(session, world.p["dev_a"], check.id)  # sees the case, wrong role
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.claim(session, world.p["dev_b"], check.id)  # another developer: cannot even see it
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.claim(session, world.p["reg"], 424242)
    wf.claim(session, world.p["reg"], check.id)
    with pytest.raises(UserError, match="该任务已被他人接件或已办结"):
        wf.claim(session, world.p["reg2"], check.id)
    [bank_task] = wf.decide(session, world.p["reg"], check.id, decision="approve")
    assert bank_task.org_id == world.orgs["bank_a"].id
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.claim(session, world.p["bank_b"], bank_task.id)  # the other bank never sees it
    stray = principal_of(session, add_user(session, "stray", "错配银行角色", Role.MORTGAGE_BANK, world.orgs["dev_a"]))
    with pytest.raises(PermissionDenied, match="该任务须由指定机构办理"):
        wf.claim(session, stray, bank_task.id)  # right role, sees the case, wrong organisation


def test_owner_only_verbs(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    wf.claim(session, world.p["reg"], check.id)
    for verb in (
        lambda p: wf.decide(session, p, check.id, decision="approve"),
        lambda p: wf.release(session, p, check.id),
        lambda p: wf.sign_opinion(session, p, check.id, "同意"),
        lambda p: wf.return_case(session, p, check.id, target_stage="entry", reason="x"),
    ):
        with pytest.raises(PermissionDenied, match="该任务不在您的在手业务中"):
            verb(world.p["reg2"])
    with pytest.raises(UserError, match="本环节不能退件"):
        wf.return_case(session, world.p["reg"], check.id, target_stage="entry", reason="x")
    with pytest.raises(UserError, match="本环节为审核环节，请选择审核结论"):
        wf.dispatch(session, world.p["reg"], check.id)
    with pytest.raises(UserError, match="请填写意见"):
        wf.sign_opinion(session, world.p["reg"], check.id, "")
    wf.sign_opinion(session, world.p["reg"], check.id, "拟同意")
    assert check.opinion == "拟同意"
    wf.release(session, world.p["reg"], check.id)
    assert check.owner_id is None and wf.claim(session, world.p["reg2"], check.id).owner_id == world.users["reg2"].id


def test_required_sub_tasks_before_dispatch(db):
    session, world = db
    case, dev = accept_case(session, world, LoanReviewTestFlow, data={"bank_ids": []})
    entry = _open(session, case)
    with pytest.raises(UserError, match="请先完成待办任务：合同信息查询$") as exc:
        wf.dispatch(session, dev, entry.id)  # 订购合同盖章 is optional: not named
    assert exc.value.field == "subtasks"
    with pytest.raises(PermissionDenied, match="不在您的在手业务中"):
        subtask_service.confirm(session, world.p["dev_a2"], case.id, "entry", "query")  # not the holder
    subtask_service.confirm(session, dev, case.id, "entry", "query")
    [check] = wf.dispatch(session, dev, entry.id)
    with pytest.raises(PermissionDenied, match="信息只读"):
        subtask_service.confirm(session, dev, case.id, "entry", "seal")  # dispatched: read-only
    wf.claim(session, world.p["reg"], check.id)
    [back] = wf.decide(session, world.p["reg"], check.id, decision="reject", opinion="合同金额有误")
    assert back.stage == "entry" and back.owner_id == dev.user_id
    subtask_service.confirm(session, dev, case.id, "entry", "seal")  # editable again after the return
    views = {v.stage: v for v in subtask_service.stage_views(session, dev, case)}
    assert views["entry"].editable and [s.done for s in views["entry"].subtasks] == [True, True]


def test_dispatch_to_a_named_handler(db):
    session, world = db
    case, dev = accept_case(session, world, LoanReviewTestFlow, data={"bank_ids": []})
    entry = _open(session, case)
    subtask_service.confirm(session, dev, case.id, "entry", "query")
    with pytest.raises(UserError, match="指定的办理人员不能办理“初审”环节"):
        wf.dispatch(session, dev, entry.id, next_handler_id=world.users["bank_b"].id)
    [check] = wf.dispatch(session, dev, entry.id, next_handler_id=world.users["reg2"].id)
    assert (check.owner_id, check.dispatched_by_id) == (world.users["reg2"].id, dev.user_id)
    assert [r.task_id for r in inbox(session, world.p["reg2"]).rows] == [check.id]


def test_review_rules(db):
    session, world = db
    case = apply_network_access(session, world.p["dev_a"], [add_applicant(session, world, "x").id])[0]
    review = wf.claim(session, world.p["reg"], _open(session, case).id)
    with pytest.raises(UserError, match="本环节为审核环节"):
        wf.dispatch(session, world.p["reg"], review.id)
    with pytest.raises(UserError, match="请选择审核结论"):
        wf.decide(session, world.p["reg"], review.id, decision=None)
    with pytest.raises(UserError, match="审核结论无效"):
        wf.decide(session, world.p["reg"], review.id, decision="maybe")
    with pytest.raises(UserError, match="审核结论为“驳回”时，请填写原因") as exc:
        wf.decide(session, world.p["reg"], review.id, decision="reject", opinion=" ")
    assert exc.value.field == "opinion"
    wf.decide(session, world.p["reg"], review.id, decision="reject", opinion="身份证号有误")
    for verb, message in (
        (lambda: wf.claim(session, world.p["reg2"], review.id), "业务已办结，不能再操作"),
        (lambda: wf.decide(session, world.p["reg"], review.id, decision="approve"), "业务已办结"),
        (lambda: wf.cancel(session, world.p["reg"], case.id, reason="x"), "业务已办结"),
        (lambda: wf.sign_opinion(session, world.p["reg"], review.id, "x"), "业务已办结"),
    ):
        with pytest.raises(UserError, match=message):
            verb()
    assert wf.available_actions(session, world.p["reg"], case) == []
    assert case.decision == "reject" and case.status == "archived"


def test_cancel_rules(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.cancel(session, world.p["dev_b"], case.id, reason="x")
    with pytest.raises(PermissionDenied, match="您没有取消受理该业务的权限"):
        wf.cancel(session, world.p["window"], case.id, reason="x")
    with pytest.raises(UserError, match="请填写取消受理原因"):
        wf.cancel(session, world.p["op_a"], case.id, reason="")
    wf.cancel(session, world.p["op_a"], case.id, reason="客户放弃购买")
    assert (case.status, case.cancel_reason, case.current_stage) == ("cancelled", "客户放弃购买", "")
    assert session.get(Task, check.id).status == "cancelled"
    with pytest.raises(UserError, match="业务已取消受理"):
        wf.claim(session, world.p["reg"], check.id)
    assert timeline(session, case.id)[-1].line.endswith("（原因：客户放弃购买）")

    after, dev = accept_case(session, world, NoReturnTestFlow)
    [check2] = wf.dispatch(session, dev, _open(session, after).id)
    wf.claim(session, world.p["reg"], check2.id)
    wf.dispatch(session, world.p["reg"], check2.id)  # past the point of no return 审查
    for who in ("dev_a", "reg", "sysadmin"):
        with pytest.raises(UserError, match="业务已过“审查”环节，不能取消受理"):
            wf.cancel(session, world.p[who], after.id, reason="x")
    assert "cancel" not in wf.available_actions(session, world.p["reg"], after)


def test_visibility_follows_routing(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    seen = {k for k, p in world.p.items() if wf.can_view_case(session, p, case)}
    assert seen == {"reg", "reg2", "sysadmin", "window", "dev_a", "dev_a2", "op_a"}  # no bank yet
    wf.claim(session, world.p["reg"], check.id)
    [bank_task] = wf.decide(session, world.p["reg"], check.id, decision="approve")
    assert wf.can_view_case(session, world.p["bank_a"], case)
    assert not wf.can_view_case(session, world.p["bank_b"], case)
    wf.claim(session, world.p["bank_a"], bank_task.id)
    wf.decide(session, world.p["bank_a"], bank_task.id, decision="approve")
    assert wf.can_view_case(session, world.p["bank_a"], case)  # it handled a task
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.require_case_access(session, world.p["bank_b"], case.id)
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.require_case_access(session, world.p["reg"], 9999)
    assert wf.require_case_access(session, world.p["bank_a"], case.id) is case


def test_available_actions(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    assert wf.available_actions(session, world.p["reg"], case) == ["claim", "cancel"]
    assert wf.available_actions(session, world.p["dev_a"], case) == ["cancel"]
    assert wf.available_actions(session, world.p["bank_a"], case) == []
    wf.claim(session, world.p["reg"], check.id)
    assert wf.available_actions(session, world.p["reg"], case) == ["release", "opinion", "decide", "cancel"]
    assert wf.available_actions(session, world.p["reg2"], case) == ["cancel"]
    [bank_task] = wf.decide(session, world.p["reg"], check.id, decision="approve")
    assert wf.available_actions(session, world.p["bank_a"], case) == ["claim"]
    wf.claim(session, world.p["bank_a"], bank_task.id)
    assert wf.available_actions(session, world.p["bank_a"], case) == ["release", "opinion", "decide", "return"]
    [filing] = wf.decide(session, world.p["bank_a"], bank_task.id, decision="approve")
    wf.claim(session, world.p["sysadmin"], filing.id)
    assert wf.available_actions(session, world.p["sysadmin"], case) == [
        "release", "opinion", "dispatch", "return", "cancel"]
    assert wf.rules.ends_case(session, LoanReviewTestFlow, case, filing)


# ----- split, join, switch --------------------------------------------------------------------


def test_split_opens_one_review_per_bank_and_the_join_waits_for_all(db):
    session, world = db
    case, check = _loan_at_check(session, world, banks=("bank_a", "bank_b"))
    wf.claim(session, world.p["reg"], check.id)
    reviews = wf.decide(session, world.p["reg"], check.id, decision="approve")
    assert sorted(t.org_id for t in reviews) == sorted([world.orgs["bank_a"].id, world.orgs["bank_b"].id])
    assert len({t.split_id for t in reviews}) == 1 and reviews[0].split_id == check.id
    assert case.current_stage == "bank_review"
    a = next(t for t in reviews if t.org_id == world.orgs["bank_a"].id)
    b = next(t for t in reviews if t.org_id == world.orgs["bank_b"].id)
    # Each bank sees only its own task in its inbox.
    assert [r.task_id for r in inbox(session, world.p["bank_a"]).rows] == [a.id]
    assert [r.task_id for r in inbox(session, world.p["bank_b"]).rows] == [b.id]
    wf.claim(session, world.p["bank_b"], b.id)
    assert wf.decide(session, world.p["bank_b"], b.id, decision="approve", opinion="同意") == []  # waits
    assert [t.id for t in _opens(session, case)] == [a.id]
    wf.claim(session, world.p["bank_a"], a.id)
    [filing] = wf.decide(session, world.p["bank_a"], a.id, decision="approve")
    assert filing.stage == "filing" and case.current_stage == "filing"


def test_a_return_from_the_second_review_withdraws_the_other_branch(db):
    session, world = db
    case, check = _loan_at_check(session, world, banks=("bank_a", "bank_b"))
    wf.claim(session, world.p["reg"], check.id)
    a, b = sorted(wf.decide(session, world.p["reg"], check.id, decision="approve"), key=lambda t: t.org_id)
    wf.claim(session, world.p["bank_b"], b.id)
    entry = wf.return_case(session, world.p["bank_b"], b.id, target_stage="entry", reason="评估价不足")
    assert entry.stage == "entry" and entry.split_id is None
    assert session.get(Task, a.id).status == "withdrawn"
    assert _opens(session, case) == [entry]
    dev = world.p["dev_a"]
    with pytest.raises(UserError, match="该任务已被他人接件或已办结"):
        wf.claim(session, world.p["bank_a"], a.id)  # withdrawn: nothing left to claim
    statuses = {r.task_status for r in done_list(session, world.p["bank_b"]).rows}
    assert "退件" in statuses
    # Round again: a fresh split instance with both banks.
    subtask_service.confirm(session, dev, case.id, "entry", "query")
    [check2] = wf.dispatch(session, dev, entry.id)
    wf.claim(session, world.p["reg"], check2.id)
    again = wf.decide(session, world.p["reg"], check2.id, decision="approve")
    assert len(again) == 2 and {t.split_id for t in again} == {check2.id}
    # A 不通过 from one bank also sends the case back and withdraws the other.
    one = next(t for t in again if t.org_id == world.orgs["bank_a"].id)
    wf.claim(session, world.p["bank_a"], one.id)
    [back] = wf.decide(session, world.p["bank_a"], one.id, decision="reject", opinion="抵押物价值不足")
    assert back.stage == "entry" and len(_opens(session, case)) == 1
    line = timeline(session, case.id)[-1].line
    assert "审核不通过" in line and "退回至“合同录入”" in line and "抵押物价值不足" in line


def test_the_switch_skips_the_split_without_banks(db):
    session, world = db
    case, check = _loan_at_check(session, world, banks=())
    wf.claim(session, world.p["reg"], check.id)
    [filing] = wf.decide(session, world.p["reg"], check.id, decision="approve")
    assert filing.stage == "filing"


def test_update_data_is_typed_and_held_by_the_task_holder(db):
    session, world = db
    case, dev = accept_case(session, world, LoanReviewTestFlow, data={"bank_ids": []})
    entry = _open(session, case)
    with pytest.raises(ValidationFailed) as exc:
        wf.update_data(session, dev, entry.id, {"bank_ids": "工商银行"})
    assert exc.value.errors == {"bank_ids": "贷款银行格式不正确"}
    with pytest.raises(PermissionDenied):
        wf.update_data(session, world.p["dev_a2"], entry.id, {"bank_ids": [world.orgs["bank_a"].id]})
    wf.update_data(session, dev, entry.id, {"bank_ids": [world.orgs["bank_a"].id]})
    assert LoanReviewTestFlow.data_of(case).bank_ids == [world.orgs["bank_a"].id]


# ----- the audit trail (issue 12: every verb, with who, what, before and after) ----------------


def test_every_verb_is_in_the_audit_log(db):
    session, world = db
    applicant = add_applicant(session, world, "audit")
    [case] = apply_network_access(session, world.p["dev_a"], [applicant.id])
    task = wf.claim(session, world.p["reg"], _open(session, case).id)
    wf.release(session, world.p["reg"], task.id)
    wf.claim(session, world.p["reg"], task.id)
    wf.sign_opinion(session, world.p["reg"], task.id, "拟同意")
    wf.decide(session, world.p["reg"], task.id, decision="approve", opinion="同意")
    rows = session.exec(select(AuditLog).where(AuditLog.model == "case_record", AuditLog.record_id == str(case.id))
                        .order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["case_accept", "case_dispatch", "case_claim", "case_release", "case_claim",
                                       "case_opinion", "case_archive"]
    assert all(r.changes["case_number"] == [None, case.number] for r in rows)
    claim = rows[2]
    assert (claim.user_name, claim.changes["owner"]) == ("审核员甲", [None, "审核员甲"])
    assert rows[3].changes["owner"] == ["审核员甲", None]
    assert rows[-1].changes["decision"] == [None, "通过"]


# ----- inbox, done list, timeline -------------------------------------------------------------


def test_inbox_filters_and_paging(db):
    session, world = db
    reg = world.p["reg"]
    applicants = [add_applicant(session, world, f"p{i}") for i in range(5)]
    cases = apply_network_access(session, world.p["dev_a"], [u.id for u in applicants])
    _loan_at_check(session, world)
    assert inbox_count(session, reg) == 6
    first = inbox(session, reg, page_size=4, count=True)
    second = inbox(session, reg, page=2, page_size=4)
    assert (len(first.rows), first.has_next, first.total, len(second.rows), second.has_next) == (4, True, 6, 2, False)
    assert not {r.task_id for r in first.rows} & {r.task_id for r in second.rows}
    assert all(not r.mine for r in first.rows)
    wf.claim(session, reg, _open(session, cases[0]).id)
    assert len(inbox(session, reg, filters={"case_type": "network_access"}).rows) == 5
    # 办理阶段 by the stage name people see, not an internal code.
    assert len(inbox(session, reg, filters=InboxFilters(stage="初审")).rows) == 1
    assert len(inbox(session, reg, filters=InboxFilters(stage="入网审核")).rows) == 5
    assert inbox(session, reg, filters=InboxFilters(stage="check")).rows == []
    mine = inbox(session, reg, filters={"status": "mine"}).rows
    assert [r.case_id for r in mine] == [cases[0].id] and mine[0].handler_name == "审核员甲"
    assert len(inbox(session, reg, filters={"status": "queue"}).rows) == 5
    assert len(inbox(session, reg, filters={"handler": "审核员"}).rows) == 1  # 当前办理人
    assert len(inbox(session, reg, filters={"initiator": "星城管理员"}).rows) == 6  # 经办人员 = who accepted
    assert inbox(session, reg, filters={"initiator": "审核员"}).rows == []
    assert inbox(session, reg, filters={"org_id": world.orgs["dev_b"].id}).rows == []
    assert len(inbox(session, reg, filters={"org_name": "星城"}).rows) == 6
    assert len(inbox(session, reg, filters={"created_from": date(2000, 1, 1), "created_to": date(2999, 1, 1)}).rows) == 6
    assert inbox(session, reg, filters={"created_to": date(2000, 1, 1)}).rows == []
    assert inbox(session, world.p["bank_a"]).rows == [] and inbox_count(session, world.p["dev_b"]) == 0
    assert inbox(session, reg).rows[0].case_type_title.startswith("【长沙市】")


def test_done_list_columns(db):
    session, world = db
    reg = world.p["reg"]
    case, check = _loan_at_check(session, world, banks=())
    wf.claim(session, reg, check.id)
    [entry] = wf.decide(session, reg, check.id, decision="reject", opinion="缺合同")
    [check2] = wf.dispatch(session, world.p["dev_a"], entry.id)
    wf.claim(session, reg, check2.id)
    wf.decide(session, reg, check2.id, decision="approve")
    rows = done_list(session, reg).rows
    assert [r.task_status for r in rows] == ["正常完成", "退件"]
    row = rows[0]
    assert row.case_number == case.number and row.case_type_title == "【长沙市】测试贷款审核"
    assert (row.stage_title, row.previous_dispatcher, row.case_status) == ("初审", "星城管理员", "未办结")
    assert re.fullmatch(TIME, row.operated_at) and re.fullmatch(TIME, row.finished_at)
    assert len(done_list(session, reg, search=case.number[-7:]).rows) == 2
    assert len(done_list(session, reg, search="贷款").rows) == 2  # by case type title
    assert done_list(session, reg, search="不存在").rows == []
    other, _ = accept_case(session, world, LoanReviewTestFlow)
    wf.cancel(session, world.p["dev_a"], other.id, reason="撤回")
    statuses = {(r.case_number, r.task_status, r.case_status) for r in done_list(session, world.p["dev_a"]).rows}
    assert (other.number, "取消", "已取消") in statuses


def test_timeline_lines(db):
    session, world = db
    applicant = add_applicant(session, world, "t")
    [case] = apply_network_access(session, world.p["dev_a"], [applicant.id])
    review = wf.claim(session, world.p["reg"], _open(session, case).id)
    wf.sign_opinion(session, world.p["reg"], review.id, "材料不全")
    back = wf.return_case(session, world.p["reg"], review.id, target_stage="apply", reason="身份证复印件不清晰")
    [review2] = wf.dispatch(session, world.p["dev_a"], back.id)
    wf.claim(session, world.p["reg"], review2.id)
    wf.decide(session, world.p["reg"], review2.id, decision="approve", opinion="同意入网")
    events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
    t = [format_local(e.created_at) for e in events]
    assert [r.line for r in timeline(session, case.id)] == [
        "开始 星城管理员发起业务",
        f"星城管理员操作 {t[0]}",
        f"星城管理员派工 {t[1]}",
        f"审核员甲操作 {t[2]}",
        f"审核员甲签署意见 {t[3]}（材料不全）",
        f"审核员甲退件 {t[4]}（退回至“入网申请”，原因：身份证复印件不清晰）",
        f"星城管理员操作 {t[5]}",  # the return put it straight back in their inbox
        f"星城管理员派工 {t[5]}",
        f"审核员甲操作 {t[6]}",
        f"审核员甲归档 {t[7]}（审核结论：通过，意见：同意入网）",
    ]
    assert all(re.fullmatch(TIME, x) for x in t)
    assert timeline(session, 9999) == []


# ----- case numbers ---------------------------------------------------------------------------


def _at(y, m, d, h=12, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=timezone.utc)


def test_case_numbers_shared_daily_and_local(db):
    session, world = db
    day1 = _at(2026, 3, 29, 2)
    numbers = [next_case_number(session, p, day1) for p in "YFCWZ"]
    assert numbers == [f"{p}20260329000000{i}" for i, p in enumerate("YFCWZ", 1)]
    assert next_case_number(session, "F", _at(2026, 3, 30, 2)) == "F202603300000001"  # restarts daily
    # 16:30 UTC is already the next day in Changsha.
    assert next_case_number(session, "Y", _at(2026, 3, 29, 16, 30)) == "Y202603300000002"
    assert split_case_number("F202203290000015") == ("F", "20220329", 15)
    with pytest.raises(ValueError):
        next_case_number(session, "FF", day1)


def test_a_rolled_back_case_gives_its_number_back(db):
    session, world = db
    now = _at(2026, 11, 21)
    case, _ = accept_case(session, world, NetworkAccess, now=now)
    session.commit()
    accept_case(session, world, NetworkAccess, now=now)
    session.rollback()
    again, _ = accept_case(session, world, NetworkAccess, now=now)
    assert (case.number, again.number) == ("N202611210000001", "N202611210000002")
    assert session.get(CaseNumberSequence, date(2026, 11, 21)).last_value == 2


# ----- flow versions (STOCK-07) ---------------------------------------------------------------


class PinV1(LoanReviewTestFlow, register=False):
    code = "pin_test"
    accept_until = date(2026, 5, 25)


class PinV2(PinV1, register=False):
    """测试贷款审核（新流程）"""

    version = 2
    accept_from = date(2026, 5, 26)
    accept_until = None
    check = Review("初审", (Role.REGULATOR,), on_reject="entry")  # straight to filing: no bank reviews any more
    route = banks = bank_review = reviewed = None


def test_a_case_finishes_on_the_version_it_was_accepted_on(db):
    session, world = db
    data = {"bank_ids": [world.orgs["bank_a"].id]}
    with temporary_flows(PinV1):
        old, dev = accept_case(session, world, PinV1, data=data, now=_at(2026, 5, 20))
        assert old.flow_version == 1
    assert PinV1 not in all_flows()
    with temporary_flows(PinV1, PinV2):
        new, _ = accept_case(session, world, PinV2, data=data, now=_at(2026, 5, 27))
        assert new.flow_version == 2
        for case, expected in ((old, "bank_review"), (new, "filing")):
            entry = _open(session, case)
            subtask_service.confirm(session, dev, case.id, "entry", "query")
            [check] = wf.dispatch(session, dev, entry.id)
            wf.claim(session, world.p["reg"], check.id)
            assert wf.decide(session, world.p["reg"], check.id, decision="approve")[0].stage == expected
    with temporary_flows(PinV1):
        with pytest.raises(UserError, match="“测试贷款审核”业务当前不受理新业务"):
            accept_case(session, world, PinV1, now=_at(2026, 5, 27))
