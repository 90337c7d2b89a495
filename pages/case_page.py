"""业务详情 (WF-05), the screen every stage is handled on: summary, the entity, attachments,
the open tasks with the verbs the engine allows now, each stage's sub-tasks (待办任务) with
their screens, and the 业务进度 timeline (WF-04). Everything is rendered from the flow's
declarations (workflow/view.py): no page code per case type.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.case_actions import action_forms
from netsign_console.components.case_screens import subtask_screen
from netsign_console.components.page import console_page
from netsign_console.db import session_scope
from netsign_console.errors import UserError, ValidationFailed
from netsign_console.state.app_state import AppState, pending_count_for
from netsign_console.workflow import engine, subtask_service
from netsign_console.workflow.view import case_view, find_case
from pages.case_documents import CaseDocumentState
from pages.case_codes import CaseCodesState
from pages.case_form import CaseFormState
from pages.case_lists import CaseListState
from pages.case_records import CaseRecordsState
from pages.case_rooms import CaseMappingState, CaseRoomsState


@dataclasses.dataclass
class PanelRow:
    task_id: int
    title: str
    holder_name: str
    is_review: bool
    has_verbs: bool
    branch_label: str


@dataclasses.dataclass
class SubRow:
    stage: str
    code: str
    title: str
    kind: str
    kind_label: str
    required: bool
    done: bool
    summary: str


@dataclasses.dataclass
class StageRow:
    stage: str
    title: str
    open: bool
    holder_name: str
    editable: bool
    subtasks: list[SubRow]


class CaseState(AppState):
    found: bool = False
    number: str = ""
    case_id: int = 0
    case_type_title: str = ""
    title: str = ""
    stage_title: str = ""
    status_label: str = ""
    created_at: str = ""
    creator_name: str = ""
    org_name: str = ""
    holder_name: str = ""
    decision_label: str = ""
    subject: list[list[str]] = []
    panels: list[PanelRow] = []
    active_task_id: int = 0
    verbs: list[str] = []
    ends_case: bool = False
    is_review: bool = False
    return_targets: list[list[str]] = []
    decisions: list[list[str]] = []
    next_handlers: list[list[str]] = []
    task_opinion: str = ""
    can_cancel: bool = False
    stages: list[StageRow] = []
    timeline: list[str] = []
    attachments: list[list[str]] = []
    errors: dict[str, str] = {}
    # the open sub-task screen
    screen_stage: str = ""
    screen_code: str = ""
    screen_kind: str = ""
    screen_title: str = ""
    screen_editable: bool = False
    confirm_text: str = ""
    confirm_headers: list[str] = []
    confirm_rows: list[list[str]] = []
    confirm_note: str = ""
    upload_kinds: list[list[str]] = []
    upload_kind: str = ""

    # ----- loading ------------------------------------------------------------------------------

    def _refresh(self, number: str | None = None) -> None:
        with session_scope() as session:
            view = case_view(session, current_principal(), number or self.number)
        self.found = True
        for name in ("number", "case_id", "case_type_title", "title", "stage_title", "status_label", "created_at",
                     "creator_name", "org_name", "holder_name", "decision_label", "timeline", "can_cancel"):
            setattr(self, name, getattr(view, name))
        self.subject = [list(x) for x in view.subject]
        self.attachments = [list(x) for x in view.attachments]
        self.panels = [PanelRow(p.task_id, p.title, p.holder_name, p.is_review, bool(p.verbs), p.branch_label)
                       for p in view.tasks]
        actionable = [p for p in view.tasks if p.verbs]
        active = next((p for p in actionable if p.task_id == self.active_task_id), actionable[0] if actionable else None)
        self.active_task_id = active.task_id if active else 0
        self.verbs = list(active.verbs) if active else []
        self.ends_case = bool(active and active.ends_case)
        self.is_review = bool(active and active.is_review)
        self.return_targets = [list(x) for x in active.return_targets] if active else []
        self.decisions = [list(x) for x in active.decisions] if active else []
        self.next_handlers = [["", "（不指定，由具备权限的人员接件）"]] + (
            [list(x) for x in active.next_handlers] if active else [])
        self.task_opinion = active.opinion if active else ""
        self.stages = [
            StageRow(s.stage, s.title, s.open, s.holder_name, s.editable,
                     [SubRow(x.stage, x.code, x.title, x.kind, x.kind_label, x.required, x.done, x.summary)
                      for x in s.subtasks])
            for s in view.stages
        ]
        self.errors = {}

    @guarded(Perm.CASE_INBOX, page_load=True)
    def load(self):
        self.found = False
        self.active_task_id = 0
        self._close_screen()
        self._refresh(self.router.page.params.get("number", ""))

    @guarded(Perm.CASE_INBOX)
    def reload(self):
        self._refresh()

    @guarded(Perm.CASE_HANDLE)
    def choose_task(self, task_id: int):
        self.active_task_id = int(task_id)
        self._refresh()

    # ----- the verbs ---------------------------------------------------------------------------

    def _run(self, verb, success: str, rename: dict[str, str] | None = None):
        """Run one engine verb in one transaction; a refusal tied to a field shows at the field
        (`rename` maps the engine's field name to this form's, where two forms share one)."""
        try:
            with session_scope() as session:
                verb(session)
        except UserError as exc:
            field = (rename or {}).get(exc.field, exc.field) or "form"
            self.errors = {field: str(exc)}
            return rx.toast.error(str(exc))
        self._refresh()
        if self.screen_kind:
            self._open_screen(self.screen_stage, self.screen_code)
        self.pending_count = pending_count_for(current_principal())
        return rx.toast.success(success)

    def _task(self) -> int:
        if not self.active_task_id:
            raise UserError("业务当前没有您可以办理的环节")
        return self.active_task_id

    @guarded(Perm.CASE_HANDLE)
    def claim(self):
        return self._run(lambda s: engine.claim(s, current_principal(), self._task()), "接件成功")

    @guarded(Perm.CASE_HANDLE)
    def release(self):
        return self._run(lambda s: engine.release(s, current_principal(), self._task()), "已释放，任务回到待接件队列")

    @guarded(Perm.CASE_HANDLE)
    def sign_opinion(self, form: dict):
        text = str(form.get("opinion", "")).strip()
        if not text:
            self.errors = {"opinion": "请填写意见"}
            return
        return self._run(lambda s: engine.sign_opinion(s, current_principal(), self._task(), text), "意见已签署")

    @guarded(Perm.CASE_HANDLE)
    def dispatch(self, form: dict):
        handler = str(form.get("next_handler", "")).strip()
        return self._run(
            lambda s: engine.dispatch(
                s, current_principal(), self._task(), opinion=str(form.get("opinion", "")),
                next_handler_id=int(handler) if handler.isdigit() else None,
            ),
            "已归档，业务办结" if self.ends_case else "已派工",
        )

    @guarded(Perm.CASE_HANDLE)
    def decide(self, form: dict):
        decision = str(form.get("decision", "")).strip() or None
        return self._run(
            lambda s: engine.decide(s, current_principal(), self._task(), decision=decision,
                                    opinion=str(form.get("opinion", ""))),
            "审核完成" if not self.ends_case else "已归档，业务办结",
            # The opinion form and the decision form both have an opinion box: keep errors apart.
            rename={"opinion": "archive_opinion"},
        )

    @guarded(Perm.CASE_HANDLE)
    def return_case(self, form: dict):
        return self._run(
            lambda s: engine.return_case(
                s, current_principal(), self._task(), target_stage=str(form.get("target", "")),
                reason=str(form.get("reason", "")),
            ),
            "已退件",
        )

    @guarded(Perm.CASE_HANDLE)
    def cancel(self, form: dict):
        def run(s):
            case = find_case(s, current_principal(), self.number)
            engine.cancel(s, current_principal(), case.id, reason=str(form.get("reason", "")))

        return self._run(run, "已取消受理", rename={"reason": "cancel_reason"})

    @guarded(Perm.CASE_HANDLE)
    async def upload(self, files: list[rx.UploadFile]):
        try:
            with session_scope() as session:
                case = find_case(session, current_principal(), self.number)
                for f in files:
                    from netsign_console.workflow.attachments import add_attachment

                    add_attachment(session, current_principal(), case.id, f.name or f.filename, await f.read())
        except UserError as exc:
            self.errors = {"attachment": str(exc)}
            return rx.toast.error(str(exc))
        self._refresh()
        return rx.toast.success("附件已上传")

    # ----- sub-task screens --------------------------------------------------------------------

    def _close_screen(self) -> None:
        self.screen_stage = self.screen_code = self.screen_kind = self.screen_title = ""
        self.screen_editable = False

    def _open_screen(self, stage: str, code: str):
        with session_scope() as session:
            sub = subtask_service.subtask_of(session, current_principal(), self.case_id, stage, code)
        row = next((s for st in self.stages if st.stage == stage for s in st.subtasks if s.code == code), None)
        editable = any(st.stage == stage and st.editable for st in self.stages)
        self.screen_stage, self.screen_code, self.screen_kind = stage, code, sub.kind
        self.screen_title = row.title if row else sub.title
        self.screen_editable = editable and self.status_label == "未办结"
        if sub.kind == "confirm":
            self.confirm_text = sub.text
            with session_scope() as session:
                table = subtask_service.confirm_table(session, current_principal(), self.case_id, stage, code)
            self.confirm_headers = list(table.headers) if table else []
            self.confirm_rows = [list(r) for r in table.rows] if table else []
            self.confirm_note = table.note if table else ""
        elif sub.kind == "upload":
            self.upload_kinds = [[k, v] for k, v in sub.kinds.items()]
            self.upload_kind = next(iter(sub.kinds), "")
        elif sub.kind in ("rooms", "pick"):
            return CaseRoomsState.open_rooms(self.case_id, stage, code)
        elif sub.kind == "mapping":
            return CaseMappingState.open_mapping(self.case_id, stage, code)
        elif sub.kind == "form":
            return CaseFormState.open_form(self.case_id, stage, code)
        elif sub.kind == "records":
            return CaseRecordsState.open_records(self.case_id, stage, code)
        elif sub.kind == "document":
            return CaseDocumentState.open_document(self.case_id, stage, code)
        elif sub.kind == "list":
            return CaseListState.open_list(self.case_id, stage, code)
        elif sub.kind == "codes":
            return CaseCodesState.open_codes(self.case_id, stage, code)

    @guarded(Perm.CASE_INBOX)
    def open_subtask(self, stage: str, code: str):
        return self._open_screen(str(stage), str(code))

    @guarded(Perm.CASE_HANDLE)
    def choose_upload_kind(self, kind: str):
        """Which material the next upload is; the service checks it against the step's kinds."""
        self.upload_kind = str(kind)

    @guarded(Perm.CASE_INBOX)
    def close_subtask(self):
        self._close_screen()

    @guarded(Perm.CASE_HANDLE)
    def confirm_subtask(self):
        return self._subtask_write(
            lambda s: subtask_service.confirm(s, current_principal(), self.case_id, self.screen_stage, self.screen_code),
            "已确认")

    @guarded(Perm.CASE_HANDLE)
    async def upload_subtask(self, kind: str, files: list[rx.UploadFile]):
        try:
            with session_scope() as session:
                for f in files:
                    subtask_service.upload(session, current_principal(), self.case_id, self.screen_stage,
                                           self.screen_code, str(kind), f.name or f.filename, await f.read())
        except UserError as exc:
            self.errors = {"attachment": str(exc)}
            return rx.toast.error(str(exc))
        self._refresh()
        return rx.toast.success("材料已上传")

    def _subtask_write(self, write, success: str):
        try:
            with session_scope() as session:
                write(session)
        except (UserError, ValidationFailed) as exc:
            errors = getattr(exc, "errors", None) or {getattr(exc, "field", "") or "screen": str(exc)}
            self.errors = errors
            return rx.toast.error(str(exc))
        self._refresh()
        return rx.toast.success(success)


def _kv(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _summary() -> rx.Component:
    S = CaseState
    return rx.card(
        rx.data_list.root(
            _kv("业务编号", rx.text(S.number, id="case-number")),
            _kv("业务类型", S.case_type_title),
            _kv("业务摘要", S.title),
            _kv("办理阶段", rx.text(S.stage_title, id="case-stage")),
            _kv("业务状态", rx.badge(S.status_label, id="case-status")),
            _kv("审核结论", S.decision_label),
            _kv("创建时间", S.created_at),
            _kv("经办人员", rx.text(S.creator_name, id="case-initiator")),
            _kv("发起机构", S.org_name),
            _kv("当前办理人", rx.text(S.holder_name, id="case-holder")),
            orientation="horizontal",
        ),
        width="100%",
    )


def _attachments() -> rx.Component:
    S = CaseState
    return rx.vstack(
        rx.cond(
            S.attachments.length() > 0,
            rx.vstack(rx.foreach(S.attachments, lambda a: rx.hstack(
                rx.link(a[1], href="/api/case-file/" + a[0], is_external=True), rx.text(a[2], size="1", color="gray"))),
                spacing="1"),
            rx.text("暂无附件", color="gray", size="2"),
        ),
        rx.cond(
            S.verbs.contains("dispatch") | S.verbs.contains("decide"),
            rx.hstack(
                rx.upload(rx.button("选择文件", variant="soft", size="1"), id="case-upload", multiple=True,
                          accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                          max_files=5, border="1px dashed #ccc", padding="6px"),
                rx.foreach(rx.selected_files("case-upload"), lambda f: rx.text(f, size="1")),
                rx.button("上传附件", size="1", on_click=S.upload(rx.upload_files(upload_id="case-upload")),
                          id="act-upload"),
                align="center",
            ),
        ),
        rx.cond(S.errors.contains("attachment"), rx.text(S.errors["attachment"], color="red", size="2",
                                                          id="error-attachment")),
        width="100%",
    )


def _subtask_item(sub: SubRow) -> rx.Component:
    return rx.hstack(
        rx.cond(sub.done, rx.icon("circle_check", color="green", size=16), rx.icon("circle", color="gray", size=16)),
        rx.text(sub.title, size="2", weight="medium", white_space="nowrap"),
        rx.cond(sub.required, rx.text("*", color="red", size="2")),
        rx.badge(sub.kind_label, variant="soft", size="1", flex_shrink="0"),
        # One line: a long summary (four certificate numbers) is cut, the whole of it on hover.
        rx.text(sub.summary, size="1", color="gray", title=sub.summary, white_space="nowrap", overflow="hidden",
                text_overflow="ellipsis", min_width="0", flex="1"),
        rx.button("打开", size="1", variant="soft", on_click=CaseState.open_subtask(sub.stage, sub.code),
                  id="subtask-" + sub.code),
        align="center",
        width="100%",
        class_name=rx.cond(sub.done, "subtask done", "subtask"),
    )


def _stage_block(stage: StageRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(stage.title, weight="bold"),
            rx.cond(stage.open, rx.badge("办理中", color_scheme="orange"), rx.badge("已派工（只读）", color_scheme="gray")),
            rx.cond(stage.editable, rx.badge("可编辑", color_scheme="green")),
            rx.text(stage.holder_name, size="1", color="gray"),
            align="center",
        ),
        rx.vstack(rx.foreach(stage.subtasks, _subtask_item), spacing="2", width="100%"),
        spacing="2",
        width="100%",
        padding="8px",
        border="1px solid #e5e7eb",
        border_radius="6px",
    )


def _panels() -> rx.Component:
    S = CaseState
    return rx.cond(
        S.panels.length() > 1,
        rx.vstack(
            rx.text("并行办理中的环节", size="2", color="gray"),
            rx.foreach(S.panels, lambda p: rx.hstack(
                rx.text(p.title, size="2", weight="medium"),
                rx.text(p.branch_label, size="2"),
                rx.text(p.holder_name, size="1", color="gray"),
                rx.cond(p.has_verbs & (p.task_id != S.active_task_id),
                        rx.button("办理此环节", size="1", variant="soft", on_click=S.choose_task(p.task_id))),
                align="center",
            )),
            spacing="1",
            id="parallel-tasks",
        ),
    )


@console_page("/case/[number]", "业务详情", Perm.CASE_INBOX, on_load=CaseState.load)
def case_page() -> rx.Component:
    S = CaseState
    return rx.cond(
        S.found,
        rx.vstack(
            subtask_screen(S, CaseFormState, CaseRoomsState, CaseMappingState, CaseRecordsState, CaseDocumentState,
                           CaseListState, CaseCodesState),
            rx.grid(
                rx.vstack(
                    _summary(),
                    rx.card(rx.heading("业务对象", size="3"),
                            rx.data_list.root(rx.foreach(S.subject, lambda kv: _kv(kv[0], kv[1]))), width="100%"),
                    rx.card(rx.heading("附件", size="3"), _attachments(), width="100%"),
                    spacing="4",
                ),
                rx.vstack(
                    rx.card(
                        rx.heading("待办任务", size="3"),
                        _panels(),
                        rx.cond(S.stages.length() > 0,
                                rx.vstack(rx.foreach(S.stages, _stage_block), spacing="3", width="100%",
                                          id="stage-subtasks"),
                                rx.text("本业务无需填写待办任务", size="2", color="gray")),
                        rx.cond(S.errors.contains("subtasks"),
                                rx.callout(S.errors["subtasks"], icon="triangle_alert", color_scheme="red", size="1",
                                           id="error-subtasks")),
                        rx.divider(),
                        action_forms(S),
                        width="100%",
                    ),
                    rx.card(
                        rx.heading("业务进度", size="3"),
                        rx.vstack(rx.foreach(S.timeline, lambda line: rx.hstack(
                            rx.icon("circle_dot", size=14, color="#3b6ea5"), rx.text(line, size="2"))),
                            spacing="2", id="timeline"),
                        width="100%",
                    ),
                    spacing="4",
                ),
                columns="2",
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        rx.text("正在加载…", color="gray"),
    )
