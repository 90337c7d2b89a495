"""`python -m netsign_console.workflow diagram [--out DIR]`: one Mermaid diagram per flow version.

The diagrams are generated from the flow classes, so the documentation cannot drift from
the code: regenerate them whenever a flow changes. Node types have their own shapes:

    ((受理))  Start        [环节]  Stage (with its 待办任务)      {{审核}}  Review
    {条件}    Switch       [/并行\\] Split   [\\汇合/] Join       (((归档))) End
    solid arrows move forward; dashed arrows are returns (退件) and 不通过 back to a stage
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.enums import Role
from netsign_console.settings import PROJECT_ROOT
from netsign_console.workflow import all_flows
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import End, HumanNode, Join, Review, Split, Start, Switch

DEFAULT_OUT = PROJECT_ROOT / "docs" / "flows"


def _esc(text: str) -> str:
    return text.replace('"', "#quot;")


def _roles(codes: tuple[str, ...]) -> str:
    return " / ".join(Role.label_of(code) for code in codes)


def _node_line(code: str, node) -> str:
    if isinstance(node, Start):
        return f'    {code}(("{_esc(node.title)}<br/>{_esc(_roles(node.roles))}"))'
    if isinstance(node, HumanNode):
        mark = "⛔ 不可撤回<br/>" if node.point_of_no_return else ""
        org = f"<br/>（{node.org.label}）" if node.org is not None else ""
        todo = "<br/>待办：" + "、".join(node.todo) if node.todo else ""
        label = _esc(f"{mark}<b>{node.title}</b><br/>{_roles(node.roles)}{org}{todo}")
        return f'    {code}{{{{"{label}"}}}}' if isinstance(node, Review) else f'    {code}["{label}"]'
    if isinstance(node, Switch):
        return f'    {code}{{"{_esc(node.title)}"}}'
    if isinstance(node, Split):
        per = "（每项一个任务）" if node.per is not None else ""
        return f'    {code}[/"{_esc(node.title + per)}"\\]'
    if isinstance(node, Join):
        return f'    {code}[\\"{_esc(node.title)}"/]'
    if isinstance(node, End):
        return f'    {code}((("{_esc(node.title)}")))'
    return f'    {code}["{_esc(node.title)}"]'


def _edges(flow: type[Flow], code: str, node) -> list[str]:
    lines = []
    if isinstance(node, Review):
        approve, reject = node.decisions["approve"], node.decisions["reject"]
        for target in node.forward(flow):
            lines.append(f"    {code} -->|{_esc(approve)}| {target}")
        arrow = "-." if node.rejects_by_return(flow) else "--"
        end = ".->" if node.rejects_by_return(flow) else "-->"
        lines.append(f"    {code} {arrow} {_esc(reject)} {end} {node.on_reject}")
    elif isinstance(node, Switch):
        for target, _ in node.branches:
            lines.append(f"    {code} -->|条件| {target}")
        lines.append(f"    {code} -->|否则| {node.default}")
    else:
        for target in node.targets(flow):
            lines.append(f"    {code} --> {target}")
    for target in getattr(node, "returns_to", ()):
        lines.append(f"    {code} -. 退件 .-> {target}")
    return lines


def mermaid(flow: type[Flow]) -> str:
    lines = ["flowchart TD"]
    for code, node in flow.nodes.items():
        lines.append(_node_line(code, node))
        if isinstance(node, HumanNode) and node.point_of_no_return:
            lines.append(f"    class {code} pnr")
    for code, node in flow.nodes.items():
        lines.extend(_edges(flow, code, node))
    lines.append("    classDef pnr stroke:#c00,stroke-width:3px")
    return "\n".join(lines)


def document(flow: type[Flow]) -> str:
    window = "不限"
    if flow.accept_from or flow.accept_until:
        window = f"{flow.accept_from or '…'} 至 {flow.accept_until or '…'}"
    kind = flow.subject_kind()
    return (
        f"# {flow.title}（{flow.code} 第{flow.version}版）\n\n"
        f"由 `python -m netsign_console.workflow diagram` 根据 `{flow.__module__}.{flow.__name__}` 生成，请勿手工修改。\n\n"
        f"- 业务编号前缀：{flow.prefix}\n"
        f"- 业务受理分类：{flow.category}\n"
        f"- 受理对象：{kind.label if kind is not None else '无'}\n"
        f"- 受理角色：{_roles(flow.accept_roles())}\n"
        f"- 受理期限：{window}\n"
        f"- 业务数据：`{flow.data_model.__name__}`（{'、'.join(f.title or n for n, f in flow.data_model.model_fields.items()) or '无'}）\n\n"
        f"```mermaid\n{mermaid(flow)}\n```\n"
    )


def write_diagrams(out: Path = DEFAULT_OUT, flows=None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for flow in flows if flows is not None else all_flows():
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
