"""The verbs, replayed as scripts on SQLite: the happy paths of every flow, every refusal,
the inbox, the done list, the timeline, case numbers and flow-version pinning."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session, select

from models.enums import NetworkAccessStatus, Role
from models.workflow import Case, CaseEvent, CaseNumberSequence, Task
from netsign_console.errors import UserError
from netsign_console.errors import PermissionDenied
from netsign_console.workflow import Stage, all_flows, temporary_flows
from netsign_console.workflow import engine as wf
from netsign_console.workflow.flows.network_access import NetworkAccess, apply_network_access
from netsign_console.workflow.inbox import InboxFilters, done_list, inbox, inbox_count, timeline
from netsign_console.workflow.numbers import next_case_number, split_case_number
from netsign_console.workflow.times import format_local
from tests.unit.workflow_fixtures import (
    LoanReviewTestFlow,
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
    with Session(engine, expire_on_commit=False) as session, temporary_flows(LoanReviewTestFlow):
        world = seed_world(session)
        session.commit()
        yield session, world
    engine.dispose()


def _open(session, case) -> Task:
    return wf.open_task(session, case.id)


def _by_id(world, user_id):
    return next(p for p in world.principals() if p.user_id == user_id)


# ----- every flow, scripted -------------------------------------------------------------------

FLOWS = [(f, {}) for f in all_flows()] + [
    (LoanReviewTestFlow, {"bank": "bank_a"}),
    (LoanReviewTestFlow, {}),
]


@pytest.mark.parametrize("flow,data", FLOWS, ids=lambda v: getattr(v, "code", None) or str(v))
def test_scripted_walk(db, flow, data):
    """accept -> dispatch -> claim -> return -> (back in the inbox with the reason) -> ... -> archive."""
    session, world = db
    data = {"bank_id": world.orgs[data["bank"]].id} if data else {}
    case, initiator = accept_case(session, world, flow, data=data)
    assert re.fullmatch(rf"{flow.prefix}\d{{8}}\d{{7}}", case.number)
    assert (case.flow_version, case.current_stage) == (flow.version, flow.accept_stage().code)
    first = _open(session, case)
    assert first.owner_id == initiator.user_id and first.claimed_at is not None

    returned = False
    for _ in range(20):
        task = _open(session, case)
        stage = flow.stage(task.stage)
        if task.owner_id is None:
            holder = claimer_for(world, task)
            assert wf.claim(session, holder, task.id).owner_id == holder.user_id
        holder = _by_id(world, task.owner_id)
        if stage.returns_to and not returned:
            returned = True
            target = stage.returns_to[0]
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
            continue
        if stage.archive:
            decision = next(iter(stage.decisions)) if stage.decisions else None
            wf.archive(session, holder, task.id, opinion="同意", decision=decision)
            break
        wf.dispatch(session, holder, task.id, opinion="同意")
    session.refresh(case)
    assert case.status == "archived" and case.current_stage == "" and case.archived_at is not None
    assert _open(session, case) is None
    lines = [r.line for r in timeline(session, case.id)]
    assert lines[0] == f"开始 {initiator.display_name}发起业务"
    assert any("退件" in line and "原因：材料不全，请补正" in line for line in lines)
    assert "归档" in lines[-1]
    for verb in ("派工", "操作"):
        assert any(re.fullmatch(rf"\S+{verb} {TIME}", line) for line in lines)
    session.commit()


# ----- network access (SYS-09) ----------------------------------------------------------------


def test_network_access_as_specified(db):
    session, world = db
    applicant = add_applicant(session, world, "zhang")
    dev, reg = world.p["dev_a"], world.p["reg"]
    [case] = apply_network_access(session, dev, [applicant.id])
    assert applicant.network_access_status == "pending"
    assert case.title == "新用户zhang（new_zhang）用户入网" and case.subject_id == applicant.id
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
    again = wf.dispatch(session, dev, apply_task.id)
    wf.claim(session, world.p["reg2"], again.id)
    wf.archive(session, world.p["reg2"], again.id, decision="approve", opinion="材料齐全")
    assert applicant.network_access_status == "approved" and case.decision == "approve"


def test_network_access_batch_each_decided_alone(db):
    session, world = db
    a, b = add_applicant(session, world, "a"), add_applicant(session, world, "b")
    dev, reg = world.p["dev_a"], world.p["reg"]
    cases = apply_network_access(session, dev, [a.id, b.id, a.id])
    assert [c.subject_id for c in cases] == [a.id, b.id]
    for case, decision in zip(cases, ("approve", "reject")):
        task = wf.claim(session, reg, _open(session, case).id)
        wf.archive(session, reg, task.id, decision=decision, opinion="材料不全" if decision == "reject" else None)
    assert (a.network_access_status, b.network_access_status) == ("approved", "rejected")
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


def _loan_at_check(session, world, bank="bank_a"):
    data = {"bank_id": world.orgs[bank].id} if bank else {}
    case, dev = accept_case(session, world, LoanReviewTestFlow, data=data)
    return case, wf.dispatch(session, dev, _open(session, case).id)


def test_accept_refusals(db):
    session, world = db
    kw = dict(subject_type="user", subject_id=None, title=None, data={})
    with pytest.raises(PermissionDenied, match="您没有受理“用户入网”业务的权限"):
        wf.accept(session, world.p["op_a"], "network_access", org_id=world.orgs["dev_a"].id, **kw)
    with pytest.raises(PermissionDenied, match=NOT_FOUND):
        wf.accept(session, world.p["dev_a"], "network_access", org_id=world.orgs["dev_b"].id, **kw)
    with pytest.raises(UserError, match="业务类型不存在"):
        wf.accept(session, world.p["dev_a"], "no_such_flow", org_id=world.orgs["dev_a"].id, **kw)
    assert session.exec(select(Case)).all() == []


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
    bank_task = wf.dispatch(session, world.p["reg"], check.id)
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
        lambda p: wf.dispatch(session, p, check.id),
        lambda p: wf.release(session, p, check.id),
        lambda p: wf.sign_opinion(session, p, check.id, "同意"),
        lambda p: wf.return_case(session, p, check.id, target_stage="entry", reason="x"),
    ):
        with pytest.raises(PermissionDenied, match="该任务不在您的在手业务中"):
            verb(world.p["reg2"])
    with pytest.raises(UserError, match="请填写退件原因") as exc:
        wf.return_case(session, world.p["reg"], check.id, target_stage="entry", reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(UserError, match="不能退回到该环节"):
        wf.return_case(session, world.p["reg"], check.id, target_stage="filing", reason="x")
    with pytest.raises(UserError, match="本环节不是归档环节"):
        wf.archive(session, world.p["reg"], check.id)
    with pytest.raises(UserError, match="请填写意见"):
        wf.sign_opinion(session, world.p["reg"], check.id, "")
    wf.sign_opinion(session, world.p["reg"], check.id, "拟同意")
    assert check.opinion == "拟同意"
    wf.release(session, world.p["reg"], check.id)
    assert check.owner_id is None and wf.claim(session, world.p["reg2"], check.id).owner_id == world.users["reg2"].id


def test_dispatch_to_a_named_handler(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    wf.claim(session, world.p["reg"], check.id)
    with pytest.raises(UserError, match="指定的办理人员不能办理“银行抵押审核”环节"):
        wf.dispatch(session, world.p["reg"], check.id, next_handler_id=world.users["bank_b"].id)
    with pytest.raises(UserError):
        wf.dispatch(session, world.p["reg"], check.id, next_handler_id=world.users["reg2"].id)
    task = wf.dispatch(session, world.p["reg"], check.id, next_handler_id=world.users["bank_a"].id)
    assert (task.owner_id, task.dispatched_by_id) == (world.users["bank_a"].id, world.users["reg"].id)
    assert [r.task_id for r in inbox(session, world.p["bank_a"]).rows] == [task.id]


def test_archive_stage_rules(db):
    session, world = db
    case = apply_network_access(session, world.p["dev_a"], [add_applicant(session, world, "x").id])[0]
    review = wf.claim(session, world.p["reg"], _open(session, case).id)
    with pytest.raises(UserError, match="本环节为归档环节，请使用归档"):
        wf.dispatch(session, world.p["reg"], review.id)
    with pytest.raises(UserError, match="请选择审核结论"):
        wf.archive(session, world.p["reg"], review.id)
    with pytest.raises(UserError, match="审核结论无效"):
        wf.archive(session, world.p["reg"], review.id, decision="maybe")
    wf.archive(session, world.p["reg"], review.id, decision="reject", opinion="身份证号有误")
    for verb, message in (
        (lambda: wf.claim(session, world.p["reg2"], review.id), "业务已办结，不能再操作"),
        (lambda: wf.archive(session, world.p["reg"], review.id, decision="approve"), "业务已办结"),
        (lambda: wf.cancel(session, world.p["reg"], case.id, reason="x"), "业务已办结"),
        (lambda: wf.sign_opinion(session, world.p["reg"], review.id, "x"), "业务已办结"),
    ):
        with pytest.raises(UserError, match=message):
            verb()
    assert wf.available_actions(session, world.p["reg"], case) == []


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

    after, check2 = _loan_at_check(session, world)
    wf.claim(session, world.p["reg"], check2.id)
    wf.dispatch(session, world.p["reg"], check2.id)  # past the point of no return 初审
    for who in ("dev_a", "reg", "sysadmin"):
        with pytest.raises(UserError, match="业务已过“初审”环节，不能取消受理"):
            wf.cancel(session, world.p[who], after.id, reason="x")
    assert "cancel" not in wf.available_actions(session, world.p["reg"], after)


def test_visibility(db):
    session, world = db
    case, check = _loan_at_check(session, world)
    seen = {k for k, p in world.p.items() if wf.can_view_case(session, p, case)}
    assert seen == {"reg", "reg2", "sysadmin", "window", "dev_a", "dev_a2", "op_a"}
    wf.claim(session, world.p["reg"], check.id)
    bank_task = wf.dispatch(session, world.p["reg"], check.id)
    assert wf.can_view_case(session, world.p["bank_a"], case)
    assert not wf.can_view_case(session, world.p["bank_b"], case)
    wf.claim(session, world.p["bank_a"], bank_task.id)
    wf.dispatch(session, world.p["bank_a"], bank_task.id)
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
    assert wf.available_actions(session, world.p["reg"], case) == ["release", "opinion", "dispatch", "return", "cancel"]
    assert wf.available_actions(session, world.p["reg2"], case) == ["cancel"]
    bank_task = wf.dispatch(session, world.p["reg"], check.id)
    assert wf.available_actions(session, world.p["bank_a"], case) == ["claim"]
    assert wf.available_actions(session, world.p["dev_a"], case) == []  # past the point of no return
    wf.claim(session, world.p["bank_a"], bank_task.id)
    filing = wf.dispatch(session, world.p["bank_a"], bank_task.id)
    wf.claim(session, world.p["sysadmin"], filing.id)
    assert wf.available_actions(session, world.p["sysadmin"], case) == ["release", "opinion", "return", "archive"]


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
    assert len(inbox(session, reg, filters=InboxFilters(stage="check")).rows) == 1
    mine = inbox(session, reg, filters={"status": "mine"}).rows
    assert [r.case_id for r in mine] == [cases[0].id] and mine[0].handler_name == "审核员甲"
    assert len(inbox(session, reg, filters={"status": "queue"}).rows) == 5
    assert len(inbox(session, reg, filters={"handler": "审核员"}).rows) == 1
    assert inbox(session, reg, filters={"org_id": world.orgs["dev_b"].id}).rows == []
    assert len(inbox(session, reg, filters={"created_from": date(2000, 1, 1), "created_to": date(2999, 1, 1)}).rows) == 6
    assert inbox(session, reg, filters={"created_to": date(2000, 1, 1)}).rows == []
    assert inbox(session, world.p["bank_a"]).rows == [] and inbox_count(session, world.p["dev_b"]) == 0
    assert inbox(session, reg).rows[0].case_type_title.startswith("【长沙市】")


def test_done_list_columns(db):
    session, world = db
    reg = world.p["reg"]
    case, check = _loan_at_check(session, world)
    wf.claim(session, reg, check.id)
    entry = wf.return_case(session, reg, check.id, target_stage="entry", reason="缺合同")
    check2 = wf.dispatch(session, world.p["dev_a"], entry.id)
    wf.claim(session, reg, check2.id)
    wf.dispatch(session, reg, check2.id)
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
    review2 = wf.dispatch(session, world.p["dev_a"], back.id)
    wf.claim(session, world.p["reg"], review2.id)
    wf.archive(session, world.p["reg"], review2.id, decision="approve", opinion="同意入网")
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
    check = Stage("初审", (Role.REGULATOR,), returns_to=("entry",))  # no bank review any more
    bank_review = None


def test_a_case_finishes_on_the_version_it_was_accepted_on(db):
    session, world = db
    data = {"bank_id": world.orgs["bank_a"].id}
    with temporary_flows(PinV1):
        old, dev = accept_case(session, world, PinV1, data=data, now=_at(2026, 5, 20))
        assert old.flow_version == 1
    assert PinV1 not in all_flows()
    with temporary_flows(PinV1, PinV2):
        new, _ = accept_case(session, world, PinV2, data=data, now=_at(2026, 5, 27))
        assert new.flow_version == 2
        check = wf.dispatch(session, dev, _open(session, old).id)
        wf.claim(session, world.p["reg"], check.id)
        assert wf.dispatch(session, world.p["reg"], check.id).stage == "bank_review"  # v1's route
        check = wf.dispatch(session, dev, _open(session, new).id)
        wf.claim(session, world.p["reg"], check.id)
        assert wf.dispatch(session, world.p["reg"], check.id).stage == "filing"  # v2's route
    with temporary_flows(PinV1):
        with pytest.raises(UserError, match="“测试贷款审核”业务当前不受理新业务"):
            accept_case(session, world, PinV1, now=_at(2026, 5, 27))
