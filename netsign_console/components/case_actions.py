"""The verb forms of the case page: each shown only when the engine offers the verb now.

`S` is the case page's state class (pages/case_page.py CaseState); the forms post to its
handlers, which call the engine (the gate). Element ids are what the browser tests use.
"""

from __future__ import annotations

import reflex as rx


def _error(S, field: str) -> rx.Component:
    return rx.cond(S.errors.contains(field), rx.text(S.errors[field], color="red", size="2", id=f"error-{field}"))


def _select(options, label_prefix: str, **props) -> rx.Component:
    return rx.el.select(
        rx.foreach(options, lambda o: rx.el.option(label_prefix + o[1], value=o[0])),
        style={"padding": "6px", "minWidth": "280px"}, **props,
    )


def _form(S, verb: str, title, handler, *fields: rx.Component, button: rx.Component, reset: bool = False) -> rx.Component:
    return rx.cond(
        S.verbs.contains(verb),
        rx.form(
            rx.vstack(rx.text(title, weight="bold"), *fields, button, width="100%"),
            on_submit=handler, reset_on_submit=reset, width="100%",
        ),
    )


def action_forms(S) -> rx.Component:
    # A decision that ends the case is an archive (归档); the ids follow, so the review of a
    # one-review flow (用户入网) keeps the archive form's ids it always had.
    decide_button = rx.cond(S.ends_case, "act-archive", "act-decide")
    return rx.vstack(
        rx.hstack(
            rx.cond(S.verbs.contains("claim"), rx.button("接件", on_click=S.claim, id="act-claim", color_scheme="orange")),
            rx.cond(S.verbs.contains("release"), rx.button("释放任务", on_click=S.release, variant="soft", id="act-release")),
            spacing="2",
        ),
        _form(
            S, "opinion", "意见签署", S.sign_opinion,
            rx.text_area(name="opinion", placeholder="请输入审核/办理意见", default_value=S.task_opinion,
                         id="opinion-text", width="100%"),
            _error(S, "opinion"),
            button=rx.button("签署意见", type="submit", variant="soft", id="act-opinion"),
        ),
        _form(
            S, "dispatch", rx.cond(S.ends_case, "归档", "派工"), S.dispatch,
            rx.cond(S.next_handlers.length() > 1, _select(S.next_handlers, "", name="next_handler", id="next-handler")),
            rx.text_area(name="opinion", placeholder=rx.cond(S.ends_case, "归档意见（可选）", "派工意见（可选）"),
                         id="dispatch-opinion", width="100%"),
            _error(S, "next_handler_id"),
            button=rx.button(rx.cond(S.ends_case, "归档", "派工"), type="submit", id="act-dispatch",
                             color_scheme=rx.cond(S.ends_case, "green", "blue")),
            reset=True,
        ),
        _form(
            S, "decide", rx.cond(S.ends_case, "审核归档", "审核"), S.decide,
            rx.radio_group.root(
                rx.hstack(rx.foreach(S.decisions, lambda d: rx.radio_group.item(d[1], value=d[0], id="decision-" + d[0]))),
                name="decision", id="decision",
            ),
            _error(S, "decision"),
            rx.text_area(name="opinion", placeholder="审核意见（不通过时请写明原因）", id="archive-opinion", width="100%"),
            _error(S, "archive_opinion"),
            button=rx.button(rx.cond(S.ends_case, "归档", "提交审核"), type="submit", color_scheme="green",
                             id=decide_button),
        ),
        _form(
            S, "return", "退件", S.return_case,
            _select(S.return_targets, "退回至：", name="target", id="return-target"),
            rx.text_area(name="reason", placeholder="退件原因（必填）", id="return-reason", width="100%"),
            _error(S, "reason"),
            button=rx.button("退件", type="submit", color_scheme="red", variant="soft", id="act-return"),
        ),
        rx.cond(
            S.can_cancel,
            rx.form(
                rx.vstack(
                    rx.text("取消受理", weight="bold"),
                    rx.input(name="reason", placeholder="取消受理原因（必填）", id="cancel-reason", width="320px"),
                    _error(S, "cancel_reason"),
                    rx.button("取消受理", type="submit", color_scheme="gray", variant="outline", id="act-cancel"),
                    width="100%",
                ),
                on_submit=S.cancel, width="100%",
            ),
        ),
        rx.cond((S.verbs.length() == 0) & ~S.can_cancel,
                rx.text("当前没有您可以执行的操作", color="gray", size="2", id="no-actions")),
        _error(S, "form"),
        spacing="4",
        width="100%",
    )
