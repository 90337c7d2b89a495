"""Chinese replacements for Reflex's English connection banner, toasts and error page.

The connection banner: while the websocket is down, a red banner says so and a transparent
layer over the page takes every click (keys and paste are swallowed too), so nothing is typed
into a form that cannot be sent; when the connection is back, a green banner says so for a
few seconds.
"""

import reflex as rx
from reflex_base.constants import Hooks, Imports
from reflex_base.vars import Var, VarData
from reflex_base.vars.number import BooleanVar
from reflex_components_core.core.banner import has_connection_errors
from reflex_components_sonner.toast import Toaster

BACK_FOR_MS = 4000

_RECONNECT_EFFECT = """
useEffect(() => {
  if (connectErrors.length > 0) {
    setNetsignWasDown(true);
    setNetsignBack(false);
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    const swallow = (event) => { event.preventDefault(); event.stopPropagation(); };
    window.addEventListener("keydown", swallow, true);
    window.addEventListener("paste", swallow, true);
    return () => {
      window.removeEventListener("keydown", swallow, true);
      window.removeEventListener("paste", swallow, true);
    };
  }
  if (netsignWasDown) {
    setNetsignWasDown(false);
    setNetsignBack(true);
    const timer = window.setTimeout(() => setNetsignBack(false), %d);
    return () => window.clearTimeout(timer);
  }
}, [connectErrors.length > 0]);
""" % BACK_FOR_MS

# True for a few seconds after the connection came back (the hooks keep the memory of "it was down").
reconnected = Var(
    _js_expr="netsignBack",
    _var_data=VarData(
        imports={**Imports.CONNECT_ERRORS, "react": ["useContext", "useState", "useEffect"]},
        hooks={
            Hooks.CONNECT_ERRORS: None,
            "const [netsignWasDown, setNetsignWasDown] = useState(false);": None,
            "const [netsignBack, setNetsignBack] = useState(false);": None,
            _RECONNECT_EFFECT: None,
        },
    ),
).to(BooleanVar)


def _banner(text: str, color: str, elem_id: str) -> rx.Component:
    return rx.box(
        rx.text(text, color="white", size="2", weight="medium"),
        position="fixed",
        top="0",
        left="0",
        width="100vw",
        padding="6px",
        text_align="center",
        background=color,
        z_index="10000",
        role="status",
        aria_live="polite",
        id=elem_id,
    )


def chinese_overlay() -> rx.Component:
    return rx.fragment(
        rx.cond(
            has_connection_errors,
            rx.fragment(
                rx.box(
                    position="fixed",
                    top="0",
                    left="0",
                    width="100vw",
                    height="100vh",
                    background="rgba(255,255,255,0.35)",
                    cursor="not-allowed",
                    z_index="9999",
                    id="connection-blocker",
                ),
                _banner("连接已断开，正在重新连接…（恢复前无法输入和提交）", "#c0392b", "connection-banner"),
            ),
        ),
        rx.cond(reconnected & ~has_connection_errors, _banner("已重新连接", "#2e7d32", "connection-restored")),
    )


class ChineseToaster(Toaster):
    """Sonner's toaster with its accessibility labels in Chinese ("Notifications alt+T")."""

    custom_aria_label: rx.Var[str]


def chinese_toaster() -> rx.Component:
    return ChineseToaster.create(custom_aria_label="通知", close_button=False)


def chinese_error_boundary(*children, **props) -> rx.Component:
    """Reflex's error boundary with a Chinese fallback page instead of its English one."""
    from reflex_base.vars.function import ArgsFunctionOperation
    from reflex_components_core.base.error_boundary import ErrorBoundary

    fallback = rx.center(
        rx.vstack(
            rx.heading("页面出现错误", size="6"),
            rx.text("页面显示时发生了错误，请刷新页面后重试；如问题仍然存在，请联系系统管理员。"),
            rx.button("刷新页面", on_click=rx.call_script("window.location.reload()")),
            align="center",
            spacing="3",
        ),
        height="100vh",
    )
    props.setdefault("fallback_render", ArgsFunctionOperation.create(("event_args",), Var.create(fallback)))
    return ErrorBoundary.create(*children, **props)
