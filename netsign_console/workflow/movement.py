"""How a case moves through its nodes: opening tasks, passing automatic nodes, splits and joins.

The verbs in engine.py decide *that* a case moves (a dispatch, a decision, a return); this
module decides *where it lands*. Entering a human node opens a task; a Switch picks its
branch from the typed data; a Split opens one task per branch (or per item) sharing a
split id; a Join lets the case continue once no task of its split is open; an End archives.
Nothing here checks permissions (the verbs did) and nothing commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from models.workflow import Case, CaseStatus, Task, TaskStatus
from netsign_console.errors import FlowDefinitionError
from netsign_console.workflow.nodes import End, HumanNode, Join, Split, Switch
from netsign_console.workflow.routing import RouteContext


@dataclass
class Move:
    """Where one move of a case ended: the tasks it opened and whether it reached an End."""

    opened: list[Task] = field(default_factory=list)
    archived_at: str | None = None  # the End node's code

    @property
    def stage_codes(self) -> str:
        return ",".join(dict.fromkeys(t.stage for t in self.opened))


def sync_current_stage(session: Session, case: Case) -> None:
    """Case.current_stage is derived: the stages of its open tasks, for lists."""
    session.flush()
    codes = session.exec(
        select(Task.stage).where(Task.case_id == case.id, Task.status == TaskStatus.OPEN).order_by(Task.id)
    ).all()
    case.current_stage = ",".join(dict.fromkeys(codes))[:200]
    session.add(case)


def open_tasks(session: Session, case_id: int) -> list[Task]:
    return list(session.exec(
        select(Task).where(Task.case_id == case_id, Task.status == TaskStatus.OPEN).order_by(Task.id)
    ).all())


def new_task(session: Session, flow, case: Case, node: HumanNode, now: datetime, *, owner_id: int | None = None,
             dispatched_by_id: int | None = None, previous: Task | None = None, split_id: int | None = None,
             branch_key: str | None = None) -> Task:
    data = flow.data_of(case)
    org_id = node.org(RouteContext(session, case, data, branch_key)) if node.org is not None else None
    task = Task(
        case_id=case.id,
        stage=node.code,
        stage_title=node.title,
        roles=node.roles_code,
        org_id=org_id,
        owner_id=owner_id,
        status=TaskStatus.OPEN,
        created_at=now,
        claimed_at=now if owner_id is not None else None,
        dispatched_by_id=dispatched_by_id,
        previous_task_id=previous.id if previous is not None else None,
        split_id=split_id,
        branch_key=branch_key,
    )
    session.add(task)
    case.updated_at = now
    session.add(case)
    session.flush()
    return task


def same_branch(flow, task: Task, target: str) -> bool:
    """Is `target` inside the branch `task` runs in (so a return stays within the split)?"""
    if task.split_id is None:
        return False
    for node in flow.nodes.values():
        if isinstance(node, Split):
            for members in node.branch_members(flow).values():
                if task.stage in members:
                    return target in members
    return False


def withdraw_siblings(session: Session, task: Task, now: datetime) -> int:
    """Close the other open tasks of the task's split: the case leaves the split."""
    if task.split_id is None:
        return 0
    siblings = session.exec(
        select(Task).where(Task.case_id == task.case_id, Task.split_id == task.split_id,
                           Task.status == TaskStatus.OPEN, Task.id != task.id)
    ).all()
    for sibling in siblings:
        sibling.status = TaskStatus.WITHDRAWN
        sibling.finished_at = now
        session.add(sibling)
    return len(siblings)


class Mover:
    """One move of one case, starting from the task that finished (None on acceptance)."""

    MAX_AUTOMATIC = 50  # a guard against a mis-declared loop of automatic nodes

    def __init__(self, session: Session, flow, case: Case, principal, now: datetime, *, via: Task | None,
                 decision: str | None = None) -> None:
        self.session, self.flow, self.case, self.principal, self.now = session, flow, case, principal, now
        self.via = via
        self.decision = decision
        self.move = Move()
        self._steps = 0

    def enter(self, code: str, *, owner_id: int | None = None, split_id: int | None = None,
              branch_key: str | None = None) -> Move:
        self._steps += 1
        if self._steps > self.MAX_AUTOMATIC:
            raise FlowDefinitionError(f"{self.flow.label()}: too many automatic nodes in one move (a loop?)")
        node = self.flow.node(code)
        if isinstance(node, HumanNode):
            task = new_task(
                self.session, self.flow, self.case, node, self.now, owner_id=owner_id,
                dispatched_by_id=self.principal.user_id if self.via is not None else None,
                previous=self.via, split_id=split_id, branch_key=branch_key,
            )
            self.move.opened.append(task)
        elif isinstance(node, Switch):
            self.enter(node.choose(self.flow.data_of(self.case)), owner_id=owner_id)
        elif isinstance(node, Split):
            items = node.items(self.flow.data_of(self.case))
            if not items:  # nothing to do in parallel (e.g. no bank named): straight on
                self._after_join(node.join)
            # The split's id is the task whose completion reached it (unique per activation).
            activation = self.via.id if self.via is not None else None
            for stage, key in items:
                self.enter(stage, split_id=activation, branch_key=key)
        elif isinstance(node, Join):
            waiting = self.via is not None and self.via.split_id is not None and self.session.exec(
                select(Task.id).where(Task.case_id == self.case.id, Task.split_id == self.via.split_id,
                                      Task.status == TaskStatus.OPEN).limit(1)
            ).first()
            if not waiting:
                self._after_join(code)
        elif isinstance(node, End):
            self._archive(node)
        else:
            raise FlowDefinitionError(f"{self.flow.label()}: a case cannot enter {node!r}")
        return self.move

    def _after_join(self, join_code: str) -> None:
        targets = self.flow.targets(join_code)
        self.enter(targets[0])

    def _archive(self, end: End) -> None:
        case = self.case
        case.status = CaseStatus.ARCHIVED
        case.archived_at = self.now
        case.decision = self.decision
        case.updated_at = self.now
        self.session.add(case)
        self.move.archived_at = end.code
        self.flow(self.principal).on_archive(self.session, case, self.decision)
