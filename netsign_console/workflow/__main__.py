"""`python -m netsign_console.workflow diagram [--out DIR]`: one Mermaid diagram per flow version.

The diagrams are generated from the flow classes, so the documentation cannot drift from
the code: regenerate them whenever a flow changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.enums import Role
from netsign_console.settings import PROJECT_ROOT
from netsign_console.workflow import all_flows
from netsign_console.workflow.flow import Flow, initiating_org

DEFAULT_OUT = PROJECT_ROOT / "docs" / "flows"


def _esc(text: str) -> str:
    return text.replace('"', "#quot;")


def _roles(codes: tuple[str, ...]) -> str:
    return " / ".join(Role.label_of(code) for code in codes)


def _org(stage) -> str:
    if stage.org is None:
        return ""
    if stage.org is initiating_org:
        return "<br/>（受理机构办理）"
    return "<br/>（指定机构办理）"


def mermaid(flow: type[Flow]) -> str:
    """The flowchart: solid arrows dispatch, dashed arrows return, ⛔ marks a point of no return."""
    lines = ["flowchart TD", '    start(("受理"))', '    done(("归档"))']
    for code, stage in flow.stages.items():
        mark = "⛔ 不可撤回<br/>" if stage.point_of_no_return else ""
        todo = "<br/>待办：" + "、".join(stage.todo) if stage.todo else ""
        label = f"{mark}<b>{stage.title}</b><br/>{_roles(stage.roles)}{_org(stage)}{todo}"
        lines.append(f'    {code}["{_esc(label)}"]')
        if stage.point_of_no_return:
            lines.append(f"    class {code} pnr")
    lines.append(f"    start --> {flow.accept_stage().code}")
    for code, stage in flow.stages.items():
        if stage.archive:
            decisions = " / ".join((stage.decisions or {}).values())
            lines.append(f"    {code} -->|{_esc(decisions)}| done" if decisions else f"    {code} --> done")
        branched = callable(stage.next)
        for target in flow.next_targets(code):
            lines.append(f"    {code} -->|分支| {target}" if branched else f"    {code} --> {target}")
        for target in stage.returns_to:
            lines.append(f"    {code} -. 退件 .-> {target}")
    lines.append("    classDef pnr stroke:#c00,stroke-width:3px")
    return "\n".join(lines)


def document(flow: type[Flow]) -> str:
    window = "不限"
    if flow.accept_from or flow.accept_until:
        window = f"{flow.accept_from or '…'} 至 {flow.accept_until or '…'}"
    return (
        f"# {flow.title}（{flow.code} 第{flow.version}版）\n\n"
        f"由 `python -m netsign_console.workflow diagram` 根据 `{flow.__module__}.{flow.__name__}` 生成，请勿手工修改。\n\n"
        f"- 业务编号前缀：{flow.prefix}\n"
        f"- 受理角色：{_roles(flow.accept_roles)}\n"
        f"- 受理期限：{window}\n\n"
        f"```mermaid\n{mermaid(flow)}\n```\n"
    )


def write_diagrams(out: Path = DEFAULT_OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for flow in all_flows():
        path = out / f"{flow.code}_v{flow.version}.md"
        path.write_text(document(flow), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netsign_console.workflow")
    commands = parser.add_subparsers(dest="command", required=True)
    diagram = commands.add_parser("diagram", help="write docs/flows/<code>_v<version>.md for every flow")
    diagram.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for path in write_diagrams(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
