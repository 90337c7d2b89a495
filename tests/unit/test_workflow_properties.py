"""Random walks: people of several organisations and roles fire random verbs, allowed or not,
on flows with sub-tasks, reviews in the middle, a switch, and a split into parallel reviews.

After every step: an active case's derived current stage is exactly its open tasks' stages
(several after a split), a closed case has none; every open task has somebody who may hold
it; a refused verb raised and changed nothing; no case's timeline shrank; a closed case never
changed again; and the engine agreed with task_verbs()/available_actions() about what was
allowed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from models.user import User
from models.workflow import Case, CaseEvent, Task
from netsign_console.errors import PermissionDenied, UserError
from netsign_console.workflow import rules, subtask_service, temporary_flows
from netsign_console.workflow import engine as wf
from netsign_console.workflow.flows.network_access import NetworkAccess
from netsign_console.workflow.nodes import Review
from tests.unit.workflow_fixtures import (
    PEOPLE,
    TEST_FLOWS,
    LoanReviewTestFlow,
    NoReturnTestFlow,
    add_applicant,
    seed_world,
    sqlite_engine,
)

VERBS = ("accept", "claim", "release", "dispatch", "decide", "return", "cancel", "opinion", "confirm")
# accept variants: which flow, and for the loan flow which banks (if any) review it
# (hypothesis favours 0: the deepest flow, with a split into two banks' reviews, comes first)
ACCEPT_VARIANTS = ((LoanReviewTestFlow, ("bank_a", "bank_b")), (NetworkAccess, None), (LoanReviewTestFlow, ("bank_a",)),
                   (LoanReviewTestFlow, ()), (NoReturnTestFlow, None))
DECISIONS = (None, "approve", "reject", "maybe")
PROGRESS = {"claim": 6, "dispatch": 6, "decide": 6, "confirm": 5, "return": 2}

step = st.tuples(
    st.sampled_from(sorted(PEOPLE)),  # who acts
    st.sampled_from(VERBS),
    st.integers(0, 40),  # which task / case
    st.integers(0, 40),  # variant: which flow to accept, which offered verb
    st.integers(0, 40),  # arguments: return target, decision, next handler
    st.booleans(),  # text given (reason / opinion) or left empty
    st.integers(0, 3),  # 0-2 "smart": an offered verb, to get deep into flows; 3: anything
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = sqlite_engine(tmp_path_factory.mktemp("walk") / "walk.db")
    yield engine
    engine.dispose()


def _snapshot(session: Session):
    session.flush()
    cases = {
        c.id: (c.status, c.current_stage, c.decision, c.cancel_reason, c.updated_at, dict(c.data))
        for c in session.exec(select(Case).execution_options(populate_existing=True)).all()
    }
    tasks = {
        t.id: (t.case_id, t.stage, t.status, t.owner_id, t.opinion, t.return_reason, t.finished_at)
        for t in session.exec(select(Task).execution_options(populate_existing=True)).all()
    }
    events: dict[int, int] = {}
    for case_id in session.exec(select(CaseEvent.case_id)).all():
        events[case_id] = events.get(case_id, 0) + 1
    users = dict(session.exec(select(User.id, User.network_access_status)).all())
    return cases, tasks, events, users


def _check_invariants(session: Session, before, after) -> None:
    cases, tasks, events, _ = after
    open_by_case: dict[int, list] = {}
    for task_id in sorted(tasks):
        case_id, stage, status, *_ = tasks[task_id]
        if status == "open":
            open_by_case.setdefault(case_id, []).append(stage)
    for case_id, (status, current_stage, *_rest) in cases.items():
        open_stages = open_by_case.get(case_id, [])
        if status == "active":
            assert open_stages, f"active case {case_id} has no open task"
            assert current_stage == ",".join(dict.fromkeys(open_stages)), (case_id, open_stages, current_stage)
        else:
            assert open_stages == [] and current_stage == ""
    # No open task without a permitted handler: somebody approved holds its role in its organisation.
    users = session.exec(select(User).where(User.network_access_status == "approved")).all()
    for task in session.exec(select(Task).where(Task.status == "open")).all():
        assert any(u.role in task.roles.split(",") and task.org_id in (None, u.organization_id) for u in users), \
            f"open task {task.id} at {task.stage} has nobody who may hold it"
    old_cases, old_tasks, old_events, _ = before
    for case_id, count in old_events.items():
        assert events.get(case_id, 0) >= count, "a timeline shrank"
    for case_id, row in old_cases.items():
        if row[0] != "active":
            assert cases[case_id] == row, "a closed case changed"
            assert _tasks_of(tasks, case_id) == _tasks_of(old_tasks, case_id), "a closed case's tasks changed"


def _tasks_of(tasks: dict, case_id: int) -> dict:
    return {task_id: row for task_id, row in tasks.items() if row[0] == case_id}


def _valid_args(session, verb, case, stage, text, target, decision) -> bool:
    """Would the verb's arguments pass, given that the principal is allowed?"""
    flow = rules.flow_for_case(case)
    missing = subtask_service.missing_required(session, flow, case, stage) if stage is not None else []
    if verb in ("opinion", "cancel"):
        return text
    if verb == "return":
        return text and target in stage.returns_to
    if verb == "dispatch":
        return not missing
    if verb == "decide":
        if decision not in getattr(stage, "decisions", {}):
            return False
        if decision in stage.opinion_required_for and not text:
            return False
        return decision != "approve" or not missing
    return True


def _confirmations(stage) -> list[str]:
    return [s.code for s in getattr(stage, "subtasks", ()) if s.kind == "confirm"]


def _pending_confirmations(session, case, stage) -> list[str]:
    return [s.code for s in getattr(stage, "subtasks", ())
            if s.kind == "confirm" and not subtask_service.is_done(session, case, stage, s)]


def _choose(session: Session, world, who, verb, pick, variant, smart):
    """(principal, verb, case, task) for one step.

    Not smart: anybody tries anything on any task, mostly live ones, sometimes closed ones.
    Smart: one of the (person, verb, task) triples the engine offers on a live case, so walks
    get deep into the flows; every live case must offer somebody something (no dead ends).
    """
    cases = session.exec(select(Case).order_by(Case.id)).all()
    active = [c for c in cases if c.status == "active"]
    if smart and (not active or pick % 10 == 9):
        return world.p[("dev_a", "dev_b", "dev_a2")[variant % 3]], "accept", None, None
    if smart:
        case = active[pick % len(active)]
        flow = rules.flow_for_case(case)
        offered: dict[str, list] = {}
        for task in wf.open_tasks(session, case.id):
            for p in world.principals():
                verbs = list(rules.task_verbs(session, p, flow, task))
                if task.owner_id == p.user_id and _pending_confirmations(session, case, flow.stage(task.stage)):
                    verbs.append("confirm")
                for v in verbs:
                    offered.setdefault(v, []).append((p, task))
        for p in world.principals():
            if "cancel" in wf.available_actions(session, p, case):
                offered.setdefault("cancel", []).append((p, None))
        assert offered, f"case {case.number} at {case.current_stage} is stuck: nobody may act"
        # Weighted by verb, not by head count, and towards progress so walks reach the End.
        # Hypothesis favours 0, so the verbs that move a case forward come first.
        order = ("confirm", "claim", "dispatch", "decide", "return", "opinion", "release", "cancel")
        weighted = [v for v in sorted(offered, key=order.index) for _ in range(PROGRESS.get(v, 1))]
        verb = weighted[variant % len(weighted)]
        principal, task = offered[verb][pick % len(offered[verb])]
        return principal, verb, case, task
    principal = world.p[who]
    if verb == "accept":
        return principal, verb, None, None
    if verb == "cancel":
        return principal, verb, (cases[pick % len(cases)] if cases else None), None
    all_tasks = session.exec(select(Task).order_by(Task.id)).all()
    candidates = [t for t in all_tasks if t.status == "open"] * 3 + all_tasks
    if not candidates:
        return principal, verb, None, None
    task = candidates[pick % len(candidates)]
    return principal, verb, session.get(Case, task.case_id), task


def _run_walk(session: Session, steps) -> None:
    world = seed_world(session)
    # Hypothesis favours 0: every "0" below means the well-formed choice, so walks go deep.
    for who, verb, pick, variant, arg, text, mode in steps:
        smart = mode != 3
        principal, verb, case, task = _choose(session, world, who, verb, pick, variant, smart)
        if verb != "accept" and case is None:
            continue
        flow = rules.flow_for_case(case) if case is not None else None
        stage = flow.stage(task.stage) if task is not None else None
        codes = list(flow.stages()) if flow else []
        target = (stage.returns_to[arg % len(stage.returns_to)]
                  if stage is not None and stage.returns_to and arg % 4 != 3 else
                  (codes[arg % len(codes)] if codes else ""))
        decision = DECISIONS[arg % len(DECISIONS)] if arg % 5 == 4 else None
        if isinstance(stage, Review) and arg % 5 != 4:
            decision = list(stage.decisions)[arg % len(stage.decisions)]
        handler = world.users[sorted(PEOPLE)[arg % len(PEOPLE)]].id if arg % 3 == 2 else None
        confirmations = _confirmations(stage)
        pending = _pending_confirmations(session, case, stage) if stage is not None else []
        pool = pending or confirmations
        code = pool[arg % len(pool)] if pool else "query"
        if smart:  # offered verbs: mostly with good arguments, sometimes not
            text = text or arg % 7 != 6
        words = "补正材料" if text else "  "
        if verb == "accept":
            flow_cls, banks = ACCEPT_VARIANTS[variant % len(ACCEPT_VARIANTS)]
            # The subject belongs to the accepting organisation (another's would be invisible to it).
            org_key = next((k for k, o in world.orgs.items() if o.id == principal.org_id), "dev_a")
            subject = add_applicant(session, world, f"s{len(world.users)}", org_key=org_key)
            data = {"bank_ids": [world.orgs[b].id for b in banks]} if banks is not None else {}

        actions = wf.available_actions(session, principal, case) if case is not None else []
        verbs = list(rules.task_verbs(session, principal, flow, task)) if task is not None and task.status == "open" \
            and case.status == "active" else []
        is_current = task is not None and task.status == "open" and case.status == "active"
        before = _snapshot(session)
        try:
            if verb == "accept":
                wf.accept(session, principal, flow_cls.code, subject_id=subject.id, data=data)
            elif verb == "claim":
                wf.claim(session, principal, task.id)
            elif verb == "release":
                wf.release(session, principal, task.id)
            elif verb == "dispatch":
                wf.dispatch(session, principal, task.id, opinion=words, next_handler_id=handler)
            elif verb == "decide":
                wf.decide(session, principal, task.id, decision=decision, opinion=words)
            elif verb == "return":
                wf.return_case(session, principal, task.id, target_stage=target, reason=words)
            elif verb == "cancel":
                wf.cancel(session, principal, case.id, reason=words)
            elif verb == "confirm":
                subtask_service.confirm(session, principal, case.id, task.stage, code)
            else:
                wf.sign_opinion(session, principal, task.id, words)
        except (PermissionDenied, UserError):
            event(f"refused: {verb}")
            assert _snapshot(session) == before, f"refused {verb} changed something"
            if verb == "accept":
                assert str(principal.role) not in flow_cls.accept_roles(), "an allowed accept was refused"
            elif verb == "cancel":
                assert not ("cancel" in actions and text), "cancel was offered but refused"
            elif verb == "confirm":
                assert not (is_current and task.owner_id == principal.user_id and confirmations), \
                    "a confirmation by the holder was refused"
            elif is_current and (verb != "dispatch" or handler is None):
                assert not (verb in verbs and _valid_args(session, verb, case, stage, text, target, decision)), \
                    f"{verb} was offered but refused"
            continue
        event(f"ok: {verb}")  # --hypothesis-show-statistics shows how deep the walks get
        after = _snapshot(session)
        if case is not None and len(wf.open_tasks(session, case.id)) > 1:
            event("reached: parallel tasks")
        if case is not None and case.status == "archived":
            event("reached: archived")
        _check_invariants(session, before, after)
        assert sum(after[2].values()) > sum(before[2].values()), "a verb left no event"
        _check_permission(principal, verb, case, task, before, flow_cls if verb == "accept" else flow)
        if verb == "cancel":
            assert "cancel" in actions
        elif verb == "confirm":
            assert is_current and task.owner_id == principal.user_id
        elif verb != "accept":
            assert is_current, f"{verb} worked on a closed task"
            assert verb in verbs, f"{verb} succeeded but was not offered {verbs}"


def _check_permission(principal, verb, case, task, before, flow) -> None:
    """An oracle written from the rules, independent of the engine's code: who may do what."""
    role = str(principal.role)
    if verb == "accept":
        assert role in flow.accept_roles()
    elif verb == "cancel":
        initiator = principal.org_id is not None and principal.org_id == case.org_id
        assert role in ("regulator", "system_admin") or (initiator and role in flow.accept_roles())
    elif verb == "claim":
        _case_id, _stage, status, owner_id, *_ = before[1][task.id]
        assert status == "open" and owner_id is None
        assert role in task.roles.split(",") and task.org_id in (None, principal.org_id)
    else:
        assert before[1][task.id][3] == principal.user_id, f"{verb} by someone not holding the task"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=5, max_size=80))
def test_random_walks_keep_the_invariants(engine, steps):
    with engine.connect() as connection, temporary_flows(*TEST_FLOWS):
        transaction = connection.begin()
        session = Session(bind=connection)
        try:
            _run_walk(session, steps)
        finally:
            session.close()
            transaction.rollback()
