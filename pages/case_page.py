"""业务详情 (WF-05) with the review screen: summary, the entity, attachments, the stage's
to-do list, the actions the engine allows now, and the 业务进度 timeline (WF-04)."""

from __future__ import annotations

import reflex as rx

from netsign_console.auth.guard import guarded
from netsign_console.errors import UserError
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.db import session_scope
from netsign_console.state.app_state import AppState, pending_count_for
from netsign_console.workflow import engine
from netsign_console.workflow.attachments import add_attachment
from netsign_console.workflow.view import case_view, find_case

ACTION_LABELS = {
    "claim": "接件", "release": "释放", "opinion": "意见签署", "dispatch": "派工",
    "return": "退件", "archive": "归档", "cancel": "取消受理",
}


class CaseState(AppState):
    found: bool = False
    number: str = ""
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
    todo: list[str] = []
    actions: list[str] = []
    return_targets: list[list[str]] = []
    decisions: list[list[str]] = []
    next_handlers: list[list[str]] = []
    timeline: list[str] = []
    attachments: list[list[str]] = []
    task_opinion: str = ""
    errors: dict[str, str] = {}

    def _refresh(self, number: str | None = None) -> None:
        with session_scope() as session:
            view = case_view(session, current_principal(), number or self.number)
        self.found = True
        for name in ("number", "case_type_title", "title", "stage_title", "status_label", "created_at",
                     "creator_name", "org_name", "holder_name", "decision_label", "todo", "actions",
                     "timeline", "task_opinion"):
            setattr(self, name, getattr(view, name))
        self.subject = [list(x) for x in view.subject]
        self.return_targets = [list(x) for x in view.return_targets]
        self.decisions = [list(x) for x in view.decisions]
        self.next_handlers = [["", "（不指定，由具备权限的人员接件）"]] + [list(x) for x in view.next_handlers]
        self.attachments = [list(x) for x in view.attachments]
        self.errors = {}

    def _task_id(self, session) -> int:
        case = find_case(session, current_principal(), self.number)
        task = engine.open_task(session, case.id)
        if task is None:
            raise UserError("业务当前没有待办环节")
        return task.id

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
        self.pending_count = pending_count_for(current_principal())
        return rx.toast.success(success)

    @guarded(Perm.CASE_INBOX, page_load=True)
    def load(self):
        self.found = False
        self._refresh(self.router.page.params.get("number", ""))

    @guarded(Perm.CASE_HANDLE)
    def claim(self):
        return self._run(lambda s: engine.claim(s, current_principal(), self._task_id(s)), "接件成功")

    @guarded(Perm.CASE_HANDLE)
    def release(self):
        return self._run(lambda s: engine.release(s, current_principal(), self._task_id(s)), "已释放，任务回到待接件队列")

    @guarded(Perm.CASE_HANDLE)
    def sign_opinion(self, form: dict):
        text = str(form.get("opinion", "")).strip()
        if not text:
            self.errors = {"opinion": "请填写意见"}
            return
        return self._run(lambda s: engine.sign_opinion(s, current_principal(), self._task_id(s), text), "意见已签署")

    @guarded(Perm.CASE_HANDLE)
    def dispatch(self, form: dict):
        handler = str(form.get("next_handler", "")).strip()
        return self._run(
            lambda s: engine.dispatch(
                s, current_principal(), self._task_id(s), opinion=str(form.get("opinion", "")),
                next_handler_id=int(handler) if handler.isdigit() else None,
            ),
            "已派工",
        )

    @guarded(Perm.CASE_HANDLE)
    def return_case(self, form: dict):
        return self._run(
            lambda s: engine.return_case(
                s, current_principal(), self._task_id(s), target_stage=str(form.get("target", "")),
                reason=str(form.get("reason", "")),
            ),
            "已退件",
        )

    @guarded(Perm.CASE_HANDLE)
    def archive(self, form: dict):
        decision = str(form.get("decision", "")).strip() or None
        return self._run(
            lambda s: engine.archive(
                s, current_principal(), self._task_id(s), opinion=str(form.get("opinion", "")), decision=decision,
            ),
            "已归档，业务办结",
            # The opinion form and the archive form both have an opinion box: keep errors apart.
            rename={"opinion": "archive_opinion"},
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
                    add_attachment(session, current_principal(), case.id, f.name or f.filename, await f.read())
        except UserError as exc:
            self.errors = {"attachment": str(exc)}
            return rx.toast.error(str(exc))
        self._refresh()
        return rx.toast.success("附件已上传")


def _kv(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _error(field: str) -> rx.Component:
    return rx.cond(CaseState.errors.contains(field), rx.text(CaseState.errors[field], color="red", size="2", id=f"error-{field}"))


def _has(action: str):
    return CaseState.actions.contains(action)


def _select(options, label_prefix: str, **props) -> rx.Component:
    return rx.el.select(
        rx.foreach(options, lambda o: rx.el.option(label_prefix + o[1], value=o[0])),
        style={"padding": "6px", "minWidth": "280px"}, **props,
    )


def _action_form(action: str, title: str, handler, *fields: rx.Component, button: rx.Component,
                 reset: bool = False) -> rx.Component:
    """One verb's form, shown only when the engine offers the verb to this user now."""
    return rx.cond(
        _has(action),
        rx.form(
            rx.vstack(rx.text(title, weight="bold"), *fields, button, width="100%"),
            on_submit=handler, reset_on_submit=reset, width="100%",
        ),
    )


def _action_forms() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(_has("claim"), rx.button("接件", on_click=CaseState.claim, id="act-claim", color_scheme="orange")),
            rx.cond(_has("release"), rx.button("释放任务", on_click=CaseState.release, variant="soft", id="act-release")),
            spacing="2",
        ),
        _action_form(
            "opinion", "意见签署", CaseState.sign_opinion,
            rx.text_area(name="opinion", placeholder="请输入审核/办理意见", default_value=CaseState.task_opinion,
                         id="opinion-text", width="100%"),
            _error("opinion"),
            button=rx.button("签署意见", type="submit", variant="soft", id="act-opinion"),
        ),
        _action_form(
            "dispatch", "派工", CaseState.dispatch,
            _select(CaseState.next_handlers, "", name="next_handler", id="next-handler"),
            rx.text_area(name="opinion", placeholder="派工意见（可选）", id="dispatch-opinion", width="100%"),
            _error("next_handler_id"),
            button=rx.button("派工", type="submit", id="act-dispatch"),
            reset=True,
        ),
        _action_form(
            "archive", "审核归档", CaseState.archive,
            rx.cond(
                CaseState.decisions.length() > 0,
                rx.radio_group.root(
                    rx.hstack(rx.foreach(CaseState.decisions,
                                         lambda d: rx.radio_group.item(d[1], value=d[0], id="decision-" + d[0]))),
                    name="decision", id="decision",
                ),
            ),
            _error("decision"),
            rx.text_area(name="opinion", placeholder="审核意见（驳回时请写明原因）", id="archive-opinion", width="100%"),
            _error("archive_opinion"),
            button=rx.button("归档", type="submit", color_scheme="green", id="act-archive"),
        ),
        _action_form(
            "return", "退件", CaseState.return_case,
            _select(CaseState.return_targets, "退回至：", name="target", id="return-target"),
            rx.text_area(name="reason", placeholder="退件原因（必填）", id="return-reason", width="100%"),
            _error("reason"),
            button=rx.button("退件", type="submit", color_scheme="red", variant="soft", id="act-return"),
        ),
        _action_form(
            "cancel", "取消受理", CaseState.cancel,
            rx.input(name="reason", placeholder="取消受理原因（必填）", id="cancel-reason", width="320px"),
            _error("cancel_reason"),
            button=rx.button("取消受理", type="submit", color_scheme="gray", variant="outline", id="act-cancel"),
        ),
        rx.cond(CaseState.actions.length() == 0, rx.text("当前没有您可以执行的操作", color="gray", size="2", id="no-actions")),
        _error("form"),
        spacing="4",
        width="100%",
    )


def _attachments() -> rx.Component:
    return rx.vstack(
        rx.cond(
            CaseState.attachments.length() > 0,
            rx.vstack(
                rx.foreach(
                    CaseState.attachments,
                    lambda a: rx.hstack(
                        rx.link(a[1], href="/api/case-file/" + a[0], is_external=True),
                        rx.text(a[2], size="1", color="gray"),
                    ),
                ),
                spacing="1",
            ),
            rx.text("暂无附件", color="gray", size="2"),
        ),
        rx.cond(
            _has("dispatch") | _has("archive"),
            rx.hstack(
                rx.upload(
                    rx.button("选择文件", variant="soft", size="1"),
                    id="case-upload", multiple=True,
                    accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                    max_files=5, border="1px dashed #ccc", padding="6px",
                ),
                rx.foreach(rx.selected_files("case-upload"), lambda f: rx.text(f, size="1")),
                rx.button("上传附件", size="1", on_click=CaseState.upload(rx.upload_files(upload_id="case-upload")), id="act-upload"),
                align="center",
            ),
        ),
        _error("attachment"),
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.card(
        rx.data_list.root(
            _kv("业务编号", rx.text(CaseState.number, id="case-number")),
            _kv("业务类型", CaseState.case_type_title),
            _kv("业务摘要", CaseState.title),
            _kv("办理阶段", rx.text(CaseState.stage_title, id="case-stage")),
            _kv("业务状态", rx.badge(CaseState.status_label, id="case-status")),
            _kv("审核结论", CaseState.decision_label),
            _kv("创建时间", CaseState.created_at),
            _kv("经办人员", CaseState.creator_name),
            _kv("发起机构", CaseState.org_name),
            _kv("当前办理人", CaseState.holder_name),
            orientation="horizontal",
        ),
        width="100%",
    )


@console_page("/case/[number]", "业务详情", Perm.CASE_INBOX, on_load=CaseState.load)
def case_page() -> rx.Component:
    return rx.cond(
        CaseState.found,
        rx.grid(
            rx.vstack(
                _summary(),
                rx.card(rx.heading("业务对象", size="3"),
                        rx.data_list.root(rx.foreach(CaseState.subject, lambda kv: _kv(kv[0], kv[1]))), width="100%"),
                rx.card(rx.heading("附件", size="3"), _attachments(), width="100%"),
                spacing="4",
            ),
            rx.vstack(
                rx.card(
                    rx.heading("待办任务", size="3"),
                    rx.ordered_list(rx.foreach(CaseState.todo, lambda t: rx.list_item(t))),
                    rx.divider(),
                    _action_forms(),
                    width="100%",
                ),
                rx.card(
                    rx.heading("业务进度", size="3"),
                    rx.vstack(
                        rx.foreach(CaseState.timeline, lambda line: rx.hstack(rx.icon("circle_dot", size=14, color="#3b6ea5"), rx.text(line, size="2"))),
                        spacing="2",
                        id="timeline",
                    ),
                    width="100%",
                ),
                spacing="4",
            ),
            columns="2",
            spacing="4",
            width="100%",
        ),
        rx.text("正在加载…", color="gray"),
    )
