"""Two more sub-task kinds (re-exported by workflow/subtasks.py):

    RecordListStep("买受人及共有人", admin="contract-buyers", parent=lambda ctx: {"contract_id": ...},
                   fields=("role", "name", ...), min_rows=1, locked=..., finish=...)
        rows of one admin's model that belong to the case's entity: add / edit / remove, each
        row through the admin's own form and validation; 完成 runs `finish` (a whole-set rule)
    CodeStep("买受人签署确认", signers=..., purpose="contract_signing", subject=..., on_complete=...)
        each signer confirms with a one-time code sent to their phone (sms/codes.py)

Services: workflow/record_list.py and workflow/code_confirm.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from netsign_console.workflow.subtasks import SubTask, SubtaskContext


class RecordListStep(SubTask):
    """A list of records of the case (buyers and co-owners, payments, instalments, ledger rows).

    `parent(ctx)` gives the columns every row of the case has (the contract it belongs to); they
    are fixed on new rows and select the list, so no row of another case is ever reachable.
    `min_rows` (an int or ctx -> int: 0 when the payment method needs no schedule); `locked(ctx)`
    a reason the rows can no longer change (SIGN-06: the buyer set once saved); `removable` /
    `editable` whether rows may be removed / edited before that; `after_add(ctx, obj)` what a new
    row means elsewhere (a payment is a fund-ledger deposit); `finish(ctx, rows)` the rule over the
    whole set checked at 完成 (shares add up to 100 %), raising ValidationFailed / UserError;
    `done(ctx, rows)` a further condition for done (paid == due); `figures(ctx, rows)` the
    (label, value) lines shown above the list (应缴 / 已缴 / 尚差)."""

    kind = "list"
    kind_label = "信息列表"

    def __init__(
        self,
        title: str,
        *,
        admin: Any,
        parent: Callable[[SubtaskContext], dict[str, Any]],
        fields: Sequence[str],
        min_rows: "int | Callable[[SubtaskContext], int]" = 1,
        locked: Callable[[SubtaskContext], "str | None"] | None = None,
        editable: bool = True,
        removable: bool = True,
        after_add: Callable[[SubtaskContext, Any], None] | None = None,
        finish: Callable[[SubtaskContext, list], None] | None = None,
        done: Callable[[SubtaskContext, list], bool] | None = None,
        figures: Callable[[SubtaskContext, list], list[tuple[str, str]]] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.admin_ref = admin
        super().__init__(title, code=code, required=required)
        self.parent = parent
        self.fields = tuple(fields)
        self._min_rows = min_rows
        self.locked = locked
        self.editable = editable
        self.removable = removable
        self.after_add = after_add
        self.finish = finish
        self.done = done
        self.figures = figures

    def default_code(self) -> str:
        slug = self.admin_ref if isinstance(self.admin_ref, str) else getattr(self.admin_ref, "slug", "")
        return f"list-{slug}"

    @property
    def admin(self):
        import netsign_console.admin.admins  # noqa: F401  (the admin classes register on import)
        from netsign_console.admin.base import admin_for

        return admin_for(self.admin_ref)

    def declared_columns(self) -> tuple[str, ...]:
        return self.fields

    def min_rows(self, ctx: SubtaskContext) -> int:
        return self._min_rows(ctx) if callable(self._min_rows) else int(self._min_rows)

    def rows(self, ctx: SubtaskContext) -> list:
        from sqlmodel import select

        admin = self.admin
        stmt = select(admin.model)
        for column, value in self.parent(ctx).items():
            stmt = stmt.where(getattr(admin.model, column) == value)
        return list(ctx.session.exec(stmt.order_by(getattr(admin.model, admin.pk))).all())

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        rows = self.rows(ctx)
        return len(rows) >= self.min_rows(ctx) and (self.done is None or self.done(ctx, rows))


@dataclass(frozen=True)
class Signer:
    key: str  # stable within the step: "party-3", "seal-company"
    label: str  # 买受人 张三, 公司章授权人 李四
    phone: str


class CodeStep(SubTask):
    """Confirmation by one-time codes: each signer gets a code on their phone (获取验证码 → the SMS
    sender, the outbox locally) and the holder enters it; a wrong code counts (5 lock it), so
    the service commits whatever the verdict. Done when every signer has confirmed;
    `on_complete(ctx)` then runs once, in the transaction of the last confirmation (the seals are
    stamped, the contract becomes 已签署).

    `signers(ctx)` who must confirm; `purpose` the SMS purpose (models/sms.py); `subject(ctx)`
    (type, id) the codes are about; `about(ctx)` the words the message names it with."""

    kind = "codes"
    kind_label = "短信验证"

    def __init__(
        self,
        title: str,
        *,
        signers: Callable[[SubtaskContext], list[Signer]],
        purpose: str,
        subject: Callable[[SubtaskContext], tuple[str, int]],
        about: Callable[[SubtaskContext], str] | None = None,
        on_complete: Callable[[SubtaskContext], None] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.purpose = purpose
        super().__init__(title, code=code, required=required)
        self.signers = signers
        self.subject = subject
        self.about = about
        self.on_complete = on_complete

    def default_code(self) -> str:
        return f"codes-{self.purpose}"

    @staticmethod
    def confirmed(row: Any) -> dict[str, str]:
        """signer key -> when (ISO text) they confirmed."""
        return dict(((row.data or {}).get("confirmed") or {}) if row is not None else {})

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        confirmed = self.confirmed(row)
        return all(s.key in confirmed for s in self.signers(ctx))
