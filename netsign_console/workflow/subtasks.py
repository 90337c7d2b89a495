"""Sub-tasks (待办任务) a stage declares; each kind has its screen on the case page.

    FormStep("栋信息补录", admin="buildings", record=building_of_case)
        the generator's form of one record of the case, embedded, editable by the task holder
    RoomBatchStep("户室信息补录", rooms=rooms_of_case, fields=("usage", "layout", ...))
        select rooms (all / unit / floor / room-number pattern) and set fields in one transaction
    DocumentStep("编辑协议书", kind="fund_agreement", data=..., number=...)
        choose a template, preview, generate (the document layer)
    RecordPickStep("物业信息", admin="property-managers", data_field="property_manager_id", choices=...)
        pick master-data records (one, or one per slot), or add one on the spot
    UploadStep("上传资料", kinds={"proof": "退房证明"})
        upload files of named kinds
    ConfirmStep("栋项目信息确认", text="已核对楼栋、项目与开发企业信息")
        a confirmation by the task holder

A required sub-task must be done before the stage is dispatched (workflow/subtask_service.py
says which are missing). What "done" means is the kind's `is_done`, read live, so data changed
elsewhere is seen at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from models.workflow import Case
    from netsign_console.auth.principal import Principal


@dataclass
class SubtaskContext:
    session: "Session"
    case: "Case"
    data: Any  # the flow's typed case data
    principal: "Principal | None" = None


class SubTask:
    kind: ClassVar[str] = ""
    kind_label: ClassVar[str] = ""

    def __init__(self, title: str, *, code: str = "", required: bool = True) -> None:
        self.title = title
        self.code = code or self.default_code()
        self.required = required

    def default_code(self) -> str:
        return self.kind

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        """`row` is the stored CaseSubtask (None if never saved). Default: saved once."""
        return row is not None and row.done_at is not None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.title!r})"


class FormStep(SubTask):
    """The admin form of one record of the case (project, building, agreement ...)."""

    kind = "form"
    kind_label = "信息填写"

    def __init__(
        self,
        title: str,
        *,
        admin: Any,
        record: Callable[[SubtaskContext], Any],
        fields: Sequence[str] | None = None,
        required_fields: Sequence[str] | None = None,
        only_empty: bool = False,
        derive: Callable[[SubtaskContext, Any], dict[str, Any]] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.admin_ref = admin
        super().__init__(title, code=code, required=required)
        self.record = record  # ctx -> the record's primary key
        # ctx, saved record -> typed-data fields the save implies (a Switch later reads them).
        self.derive = derive
        self._fields = tuple(fields) if fields is not None else None
        self._required_fields = tuple(required_fields) if required_fields is not None else None
        # SURV-02: values that are already there (came from the survey) stay read-only.
        self.only_empty = only_empty

    def default_code(self) -> str:
        slug = self.admin_ref if isinstance(self.admin_ref, str) else getattr(self.admin_ref, "slug", "")
        return f"form-{slug}"

    @property
    def admin(self):
        import netsign_console.admin.admins  # noqa: F401  (the admin classes register on import)
        from netsign_console.admin.base import admin_for

        return admin_for(self.admin_ref)

    @property
    def fields(self) -> tuple[str, ...]:
        admin = self.admin
        return self._fields if self._fields is not None else tuple(admin.form_fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields that must hold a value for the step to count as done (default: the form's * fields)."""
        if self._required_fields is not None:
            return self._required_fields
        admin = self.admin
        return tuple(f for f in self.fields if admin.is_required(f))

    def declared_columns(self) -> tuple[str, ...]:
        """The columns the declaration names (validation checks they exist)."""
        return (*(self._fields or ()), *(self._required_fields or ()))

    def missing(self, obj: Any) -> list[str]:
        return [f for f in self.required_fields if getattr(obj, f, None) in (None, "")]

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        obj = ctx.session.get(self.admin.model, self.record(ctx))
        return obj is not None and not self.missing(obj)


class RoomBatchStep(SubTask):
    """Batch edit of the case's rooms: select, preview how many change, set in one transaction.

    `only_empty`: a value that came from the survey (the room's survey row has it) stays as it is
    (SURV-02); `price_tools`: the floor-by-floor price generator and the 价格核对 grid (SURV-05,
    SURV-06); `quick_fields`: the fields 快速设置 edits room by room (SURV-04)."""

    kind = "rooms"
    kind_label = "户室批量设置"

    def __init__(
        self,
        title: str,
        *,
        rooms: Callable[[SubtaskContext], Any],
        fields: Sequence[str],
        required_fields: Sequence[str] = (),
        only_empty: bool = False,
        price_tools: bool = False,
        quick_fields: Sequence[str] = (),
        code: str = "",
        required: bool = True,
    ) -> None:
        super().__init__(title, code=code, required=required)
        self.rooms = rooms  # ctx -> a SQL condition on Room selecting the case's rooms
        self.fields = tuple(fields)
        self.required_fields = tuple(required_fields)
        self.only_empty = only_empty
        self.price_tools = price_tools
        self.quick_fields = tuple(quick_fields)

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        from netsign_console.workflow.room_batch import count_missing

        return count_missing(ctx.session, self, ctx) == 0


class RoomPickStep(SubTask):
    """Pick rooms of the case (on the building grid) into a list field of the case's typed data:
    the permit's scope, the agreement's supervised rooms, a building's 物管用房. Nothing changes on
    the rooms until the case is archived; the flow's on_archive applies the choice.

    `eligible(ctx, room) -> str | None` refuses a room with a Chinese reason; `allow_none(ctx) ->
    bool` lets the step be done with no room picked (PMR-02: another building already has them);
    `keep(ctx) -> {room id: reason}` names rooms that may not be left out; `figures(ctx, ids) ->
    [(label, value)]` what the selection amounts to, shown as it changes (an agreement's 重点监管资金
    computed from the rooms being picked)."""

    kind = "pick"
    kind_label = "选择户室"

    def __init__(
        self,
        title: str,
        *,
        rooms: Callable[[SubtaskContext], Any],
        data_field: str,
        action: str = "选定",
        eligible: Callable[[SubtaskContext, Any], "str | None"] | None = None,
        allow_none: Callable[[SubtaskContext], bool] | None = None,
        keep: Callable[[SubtaskContext], dict[int, str]] | None = None,
        figures: Callable[[SubtaskContext, list[int]], list[tuple[str, str]]] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.data_field = data_field
        self.figures = figures
        super().__init__(title, code=code, required=required)
        self.rooms = rooms
        self.action = action  # the verb on the screen: "设为物管用房", "纳入预售范围"
        self.eligible = eligible
        self.allow_none = allow_none
        # ctx -> {room id: why it must stay picked} (a signed room cannot leave a permit's scope)
        self.keep = keep

    def default_code(self) -> str:
        return f"pick-{self.data_field}"

    def picked(self, ctx: SubtaskContext) -> list[int]:
        return list(getattr(ctx.data, self.data_field) or [])

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        return bool(self.picked(ctx)) or bool(self.allow_none and self.allow_none(ctx))


class RecordPickStep(SubTask):
    """Pick records of master data into the case's typed data, adding one on the spot when the
    list lacks it: the permit's 物业公司 (SYS-10), its four certificates (SYS-08), an agreement's
    supervision account. The records stay where they are; the case names them by id.

    `choices(ctx)` is a SQL condition on the admin's model (the records this case may name);
    `slots` {code: label} asks for one record per slot, matched on the model's `slot_field`
    (the four certificate kinds), else one record is picked; `add_fields` are the admin's
    fields the inline form asks for and `defaults(ctx)` the columns it fixes (the project);
    `label(ctx, record)` names a record in the list when its own columns do not (a bank link is
    named by its bank); `derive(ctx, {slot: record})` returns further typed-data fields the
    pick implies, saved with it (the bank organisation a later stage is routed to)."""

    kind = "records"
    kind_label = "信息选择"

    def __init__(
        self,
        title: str,
        *,
        admin: Any,
        data_field: str,
        choices: Callable[[SubtaskContext], Any],
        slots: dict[str, str] | None = None,
        slot_field: str | None = None,
        add_fields: Sequence[str] = (),
        defaults: Callable[[SubtaskContext], dict] | None = None,
        label: Callable[[SubtaskContext, Any], str] | None = None,
        derive: Callable[[SubtaskContext, dict[str, Any]], dict[str, Any]] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.data_field = data_field
        super().__init__(title, code=code, required=required)
        self.admin_ref = admin
        self.choices = choices
        self.label = label
        self.derive = derive
        self.slots = dict(slots) if slots else {"": title}
        self.slot_field = slot_field
        self.add_fields = tuple(add_fields)
        self.defaults = defaults

    def default_code(self) -> str:
        return f"records-{self.data_field}"

    @property
    def admin(self):
        import netsign_console.admin.admins  # noqa: F401  (the admin classes register on import)
        from netsign_console.admin.base import admin_for

        return admin_for(self.admin_ref)

    @property
    def multi(self) -> bool:
        return self.slot_field is not None

    def declared_columns(self) -> tuple[str, ...]:
        return (*self.add_fields, *((self.slot_field,) if self.slot_field else ()))

    def picked(self, ctx: SubtaskContext) -> dict[str, int]:
        """slot -> record id ("" is the only slot of a single pick)."""
        value = getattr(ctx.data, self.data_field)
        if self.multi:
            return {k: int(v) for k, v in (value or {}).items() if v}
        return {"": int(value)} if value else {}

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        return set(self.picked(ctx)) >= set(self.slots)


class MappingStep(SubTask):
    """户室关系对照 (SURV-09, SURV-10): which as-built room(s) follow each forecast room. Identical
    rooms are matched automatically; the rest are split, merged, added or deleted by hand. The
    links are kept in the case's typed data (`data_field`); the flow applies them on archive."""

    kind = "mapping"
    kind_label = "户室关系对照"

    def __init__(self, title: str, *, forecast: Callable[[SubtaskContext], list], as_built: Callable[[SubtaskContext], list],
                 data_field: str = "mapping", code: str = "", required: bool = True) -> None:
        super().__init__(title, code=code, required=required)
        self.forecast = forecast  # ctx -> [(id, room_number, unit, actual_floor)] of the rooms on the grid
        self.as_built = as_built  # ctx -> the same of the as-built survey's rooms
        self.data_field = data_field

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        if row is None or row.done_at is None:
            return False
        from netsign_console.workflow.room_mapping_service import mapping_of

        return not mapping_of(self, ctx).check_complete()


class DocumentStep(SubTask):
    """Choose a template, preview, generate: the document layer issues the PDF (许可证生成,
    编辑协议书, 合同生成).

    `data(ctx)` is the document's data (plain values; the template sees nothing else);
    `number(ctx)` its number, called once when generating (it may take the next number of a
    sequence and keep it in the case's data, so a regeneration keeps it); `version_of(ctx)`
    the document it changes (a permit change: the permit's current PDF); `summary(ctx)` what
    the public verify page may show, masked; `owner(ctx)` whose document it is (default: the
    case's organisation); the issuer is the generating user's organisation."""

    kind = "document"
    kind_label = "文书生成"

    def __init__(
        self,
        title: str,
        *,
        document_kind: str,
        data: Callable[[SubtaskContext], dict],
        number: Callable[[SubtaskContext], str],
        version_of: Callable[[SubtaskContext], "int | None"] | None = None,
        summary: Callable[[SubtaskContext], dict] | None = None,
        owner: Callable[[SubtaskContext], "int | None"] | None = None,
        subject: Callable[[SubtaskContext], "tuple[str, int | None]"] | None = None,
        sign: bool = False,
        on_issue: Callable[[SubtaskContext, Any, str], None] | None = None,
        code: str = "",
        required: bool = True,
    ) -> None:
        self.document_kind = document_kind
        # ctx, the issued Document, the chosen variant -> None: what the issue means for the case's
        # entity (the contract keeps its PDF and layout), in the same transaction.
        self.on_issue = on_issue
        super().__init__(title, code=code, required=required)
        self.data = data
        self.number = number
        self.version_of = version_of
        self.summary = summary
        self.owner = owner
        self.subject = subject
        self.sign = sign

    def default_code(self) -> str:
        return f"document-{self.document_kind}"

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        return row is not None and row.done_at is not None and bool((row.data or {}).get("document_id"))


class UploadStep(SubTask):
    """Files of named kinds (扫描件, 证明 ...); done when each required kind has a file."""

    kind = "upload"
    kind_label = "资料上传"

    def __init__(self, title: str, *, kinds: dict[str, str], required_kinds: Iterable[str] | None = None,
                 code: str = "", required: bool = True) -> None:
        super().__init__(title, code=code, required=required)
        self.kinds = dict(kinds)
        self.required_kinds = tuple(required_kinds) if required_kinds is not None else tuple(self.kinds)

    def is_done(self, ctx: SubtaskContext, row: Any) -> bool:
        from sqlmodel import select

        from models.attachment import CaseAttachment

        present = set(ctx.session.exec(
            select(CaseAttachment.kind).where(CaseAttachment.case_id == ctx.case.id, CaseAttachment.kind.in_(self.kinds))
        ).all())
        return all(k in present for k in self.required_kinds)


@dataclass(frozen=True)
class Table:
    """What a confirmation shows: headers, rows of display strings, and an optional note."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


class ConfirmStep(SubTask):
    """A confirmation by the task holder (核对 ... 无误), optionally of a table the flow builds:
    原测绘信息查看 (the survey as filed), a before/after comparison, the other buildings' 物管用房."""

    kind = "confirm"
    kind_label = "确认"

    def __init__(self, title: str, *, text: str = "", table: Callable[[SubtaskContext], Table] | None = None,
                 code: str = "", required: bool = True) -> None:
        super().__init__(title, code=code, required=required)
        self.text = text or f"本人已完成“{title}”"
        self.table = table


# The list and code kinds live in their own module (this one stays readable); import them from here.
from netsign_console.workflow.subtasks_more import CodeStep, RecordListStep, Signer  # noqa: E402,F401
