"""Random walks: people of several organisations and roles fire random verbs, allowed or not.

After every step: an active case has exactly one open task (a closed case none), a refused
verb raised and changed nothing, no case's timeline shrank, a closed case never changed
again, and the engine agreed with available_actions() about what was allowed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from models.user import User
from models.workflow import Case, CaseEvent, Task
from netsign_console.errors import UserError
from netsign_console.errors import PermissionDenied
from netsign_console.workflow import temporary_flows
from netsign_console.workflow import engine as wf
from netsign_console.workflow.flows.network_access import NetworkAccess
from tests.unit.workflow_fixtures import (
    PEOPLE,
    LoanReviewTestFlow,
    add_applicant,
    seed_world,
    sqlite_engine,
)

VERBS = ("accept", "claim", "release", "dispatch", "return", "cancel", "opinion", "archive")
# accept variants: which flow, and for the loan flow which bank (if any) reviews it
ACCEPT_VARIANTS = ((NetworkAccess, None), (LoanReviewTestFlow, "bank_a"), (LoanReviewTestFlow, "bank_b"),
                   (LoanReviewTestFlow, None))
DECISIONS = (None, "approve", "reject", "maybe")
PROGRESS = {"claim": 4, "dispatch": 4, "archive": 4, "return": 3}

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


def _check_invariants(before, after) -> None:
    cases, tasks, events, _ = after
    open_by_case: dict[int, list] = {}
    for case_id, stage, status, *_ in tasks.values():
        if status == "open":
            open_by_case.setdefault(case_id, []).append(stage)
    for case_id, (status, current_stage, *_rest) in cases.items():
        open_stages = open_by_case.get(case_id, [])
        if status == "active":
            assert open_stages == [current_stage], (case_id, open_stages, current_stage)
        else:
            assert open_stages == [] and current_stage == ""
    old_cases, old_tasks, old_events, _ = before
    for case_id, count in old_events.items():
        assert events.get(case_id, 0) >= count, "a timeline shrank"
    for case_id, row in old_cases.items():
        if row[0] != "active":
            assert cases[case_id] == row, "a closed case changed"
            assert _tasks_of(tasks, case_id) == _tasks_of(old_tasks, case_id), "a closed case's tasks changed"


def _tasks_of(tasks: dict, case_id: int) -> dict:
    return {task_id: row for task_id, row in tasks.items() if row[0] == case_id}


def _valid_args(verb, stage, text, target, decision) -> bool:
    """Would the verb's arguments pass, given that the principal is allowed?"""
    if verb in ("opinion", "cancel"):
        return text
    if verb == "return":
        return text and target in stage.returns_to
    if verb == "archive":
        if decision in stage.opinion_required_for and not text:
            return False
        return (decision in stage.decisions) if stage.decisions else decision is None
    return True


def _choose(session: Session, world, who, verb, pick, variant, smart):
    """(principal, verb, case, task) for one step.

    Not smart: anybody tries anything on any task, mostly live ones, sometimes closed ones.
    Smart: one of the (person, verb) pairs the engine offers on a live case, so walks get
    deep into the flows; every live case must offer somebody something (no dead ends).
    """
    cases = session.exec(select(Case).order_by(Case.id)).all()
    active = [c for c in cases if c.status == "active"]
    if smart and (not active or pick % 6 == 5):
        return world.p[("dev_a", "dev_b", "dev_a2")[variant % 3]], "accept", None, None
    if smart:
        case = active[pick % len(active)]
        offered: dict[str, list] = {}
        for p in world.principals():
            for v in wf.available_actions(session, p, case):
                offered.setdefault(v, []).append(p)
        assert offered, f"case {case.number} at {case.current_stage} is stuck: nobody may act"
        # Weighted by verb, not by head count, and towards progress so walks reach the archive.
        weighted = [v for v in sorted(offered) for _ in range(PROGRESS.get(v, 1))]
        verb = weighted[variant % len(weighted)]
        principal = offered[verb][pick % len(offered[verb])]
        return principal, verb, case, wf.open_task(session, case.id)
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
        flow = wf.rules.flow_for_case(case) if case is not None else None
        stage = flow.stage(task.stage) if task is not None else None
        codes = list(flow.stages) if flow else []
        target = (stage.returns_to[arg % len(stage.returns_to)]
                  if stage is not None and stage.returns_to and arg % 4 != 3 else
                  (codes[arg % len(codes)] if codes else ""))
        decision = DECISIONS[arg % len(DECISIONS)] if arg % 5 == 4 else None
        if stage is not None and stage.decisions and arg % 5 != 4:
            decision = list(stage.decisions)[arg % len(stage.decisions)]
        handler = world.users[sorted(PEOPLE)[arg % len(PEOPLE)]].id if arg % 3 == 2 else None
        if smart:  # offered verbs: mostly with good arguments, sometimes not
            text = text or arg % 7 != 6
        words = "补正材料" if text else "  "
        if verb == "accept":
            flow_cls, bank = ACCEPT_VARIANTS[variant % len(ACCEPT_VARIANTS)]
            subject = add_applicant(session, world, f"s{len(world.users)}")

        actions = wf.available_actions(session, principal, case) if case is not None else []
        is_current = task is not None and task.status == "open" and case.status == "active"
        before = _snapshot(session)
        try:
            if verb == "accept":
                wf.accept(session, principal, flow_cls.code, subject_type="user", subject_id=subject.id,
                          org_id=principal.org_id, title=None,
                          data={"bank_id": world.orgs[bank].id} if bank else {})
            elif verb == "claim":
                wf.claim(session, principal, task.id)
            elif verb == "release":
                wf.release(session, principal, task.id)
            elif verb == "dispatch":
                wf.dispatch(session, principal, task.id, opinion=words, next_handler_id=handler)
            elif verb == "return":
                wf.return_case(session, principal, task.id, target_stage=target, reason=words)
            elif verb == "cancel":
                wf.cancel(session, principal, case.id, reason=words)
            elif verb == "opinion":
                wf.sign_opinion(session, principal, task.id, words)
            else:
                wf.archive(session, principal, task.id, decision=decision, opinion=words)
        except (PermissionDenied, UserError):
            event(f"refused: {verb}")
            assert _snapshot(session) == before, f"refused {verb} changed something"
            if verb == "accept":
                assert str(principal.role) not in flow_cls.accept_roles, "an allowed accept was refused"
            elif verb == "cancel":
                assert not ("cancel" in actions and text), "cancel was offered but refused"
            elif is_current and (verb != "dispatch" or handler is None):
                assert not (verb in actions and _valid_args(verb, stage, text, target, decision)), \
                    f"{verb} was offered but refused"
            continue
        event(f"ok: {verb}")  # --hypothesis-show-statistics shows how deep the walks get
        after = _snapshot(session)
        _check_invariants(before, after)
        assert sum(after[2].values()) > sum(before[2].values()), "a verb left no event"
        _check_permission(principal, verb, case, task, before, flow_cls if verb == "accept" else flow)
        if verb == "cancel":
            assert "cancel" in actions
        elif verb != "accept":
            assert is_current, f"{verb} worked on a closed task"
            assert verb in actions, f"{verb} succeeded but was not offered {actions}"


def _check_permission(principal, verb, case, task, before, flow) -> None:
    """An oracle written from the rules, independent of the engine's code: who may do what."""
    role = str(principal.role)
    if verb == "accept":
        assert role in flow.accept_roles
    elif verb == "cancel":
        initiator = principal.org_id is not None and principal.org_id == case.org_id
        assert role in ("regulator", "system_admin") or (initiator and role in flow.accept_roles)
    elif verb == "claim":
        _case_id, _stage, status, owner_id, *_ = before[1][task.id]
        assert status == "open" and owner_id is None
        assert role in task.roles.split(",") and task.org_id in (None, principal.org_id)
    else:
        assert before[1][task.id][3] == principal.user_id, f"{verb} by someone not holding the task"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=5, max_size=50))
def test_random_walks_keep_the_invariants(engine, steps):
    with engine.connect() as connection, temporary_flows(LoanReviewTestFlow):
        transaction = connection.begin()
        session = Session(bind=connection)
        try:
            _run_walk(session, steps)
        finally:
            session.close()
            transaction.rollback()
