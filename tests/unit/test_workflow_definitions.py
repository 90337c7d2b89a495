"""Flow definitions are checked when they are declared: every real flow validates, and each
kind of broken definition is refused with its stable code and a message naming the problem;
all problems of a flow come together."""

from __future__ import annotations

from datetime import date

import pytest

from models.enums import Role
from netsign_console.errors import ConfigurationError
from netsign_console.workflow import (
    End,
    Flow,
    FlowDefinitionError,
    Join,
    Review,
    Split,
    Stage,
    Start,
    Switch,
    UnknownFlow,
    all_flows,
    branch_org,
    check_flows,
    get_flow,
    org_from_data,
    temporary_flows,
    validate_all,
)
from netsign_console.workflow.__main__ import document, write_diagrams
from netsign_console.workflow.flows.network_access import NetworkAccess
from netsign_console.workflow.flows.room_backfill import RoomBackfill
from netsign_console.workflow.subtasks import ConfirmStep, FormStep
from tests.unit.workflow_fixtures import TEST_FLOWS, LoanReviewTestFlow

R, D, B = Role.REGULATOR, Role.DEVELOPER_ADMIN, Role.MORTGAGE_BANK


def test_every_registered_flow_validates():
    flows = all_flows()
    assert NetworkAccess in flows and RoomBackfill in flows
    for flow in flows:
        flow.validate()
    validate_all()
    assert check_flows() == []


def test_the_test_flows_validate_and_stay_out_of_the_registry():
    for flow in TEST_FLOWS:
        flow.validate()
        assert flow not in all_flows()
    with temporary_flows(*TEST_FLOWS):
        assert LoanReviewTestFlow in all_flows()
    assert LoanReviewTestFlow not in all_flows()


def test_network_access_reads_like_the_diagram():
    assert NetworkAccess.title == "用户入网"
    assert list(NetworkAccess.nodes) == ["start", "apply", "review", "end"]
    assert list(NetworkAccess.stages()) == ["apply", "review"]
    assert NetworkAccess.first_stage().code == "apply"
    assert NetworkAccess.targets("apply") == ("review",)
    review = NetworkAccess.stage("review")
    assert review.decisions == {"approve": "通过", "reject": "驳回"}
    assert review.opinion_required_for == ("reject",) and not review.rejects_by_return(NetworkAccess)
    assert NetworkAccess.accept_roles() == ("developer_admin",)
    assert NetworkAccess.category == "用户入网" and NetworkAccess.subject_kind().code == "user"
    assert get_flow("network_access") is NetworkAccess


def test_room_backfill_is_one_stage_with_three_sub_tasks():
    entry = RoomBackfill.stage("entry")
    assert [s.title for s in entry.subtasks] == ["项目信息补录", "栋信息补录", "户室信息补录"]
    assert all(s.required for s in entry.subtasks)
    assert RoomBackfill.stage("review").rejects_by_return(RoomBackfill)
    assert RoomBackfill.stage("review").on_reject == "entry"


def test_node_order_and_defaults():
    flow = LoanReviewTestFlow
    assert list(flow.stages()) == ["entry", "check", "bank_review", "filing"]
    assert flow.targets("entry") == ("check",)  # next=None: the following node
    assert flow.targets("route") == ("banks", "filing")
    assert flow.node("check").forward(flow) == ("route",)  # 不通过 back to entry is not "forward"
    assert flow.targets("banks") == ("bank_review",)
    assert flow.targets("end") == ()
    assert flow.stage("entry").roles_code == "developer_admin,operator"
    assert flow.roles() == {"developer_admin", "operator", "regulator", "mortgage_bank", "system_admin"}


def _broken(**nodes) -> type[Flow]:
    body = {"__doc__": "坏流程", "code": "broken", "prefix": "K", "category": "测试业务", **nodes}
    return type("Broken", (Flow,), body, register=False)


def _codes(**nodes) -> dict[str, str]:
    """code -> every message with it."""
    with pytest.raises(FlowDefinitionError) as exc:
        _broken(**nodes).validate()
    out: dict[str, str] = {}
    for problem in exc.value.problems:
        out[problem.code] = out.get(problem.code, "") + str(problem) + "\n"
    return out


def _start(**kw):
    return Start([D], **kw)


def test_unknown_target():
    codes = _codes(s=_start(), a=Stage("受理", [D], next="nowhere"), e=End())
    assert "F009" in codes and "unknown node 'nowhere'" in codes["F009"]


def test_unknown_return_target():
    codes = _codes(s=_start(), a=Stage("受理", [D]), b=Review("审核", [R], on_reject="e", returns_to=("x",)), e=End())
    assert "F010" in codes and "returns to 'x'" in codes["F010"]


def test_stage_without_role_and_unknown_role():
    codes = _codes(s=_start(), a=Stage("受理", []), b=Stage("审核", ["landlord"]), e=End())
    assert "'a'" in codes["F008"] or ".a:" in codes["F008"]
    assert "unknown roles ['landlord']" in codes["F007"]


def test_exactly_one_start_and_one_end_at_least():
    assert "F006" in _codes(a=Stage("受理", [D]), e=End())
    codes = _codes(s=_start(), a=Stage("受理", [D], next="s"))
    assert "F011" in codes


def test_start_must_lead_to_a_stage():
    codes = _codes(s=_start(), w=Switch(("a", lambda d: True), default="a"), a=Stage("受理", [D]), e=End())
    assert "F017" in codes


def test_forward_cycle_and_no_way_to_an_end():
    codes = _codes(
        s=_start(),
        a=Stage("受理", [D], next="b"),
        b=Stage("初审", [R], next="c"),
        c=Stage("复审", [R], returns_to=("b",), next="b"),  # b -> c -> b: a loop with no way out
        d=End(),
    )
    assert "can move forward back to itself" in codes["F012"]
    assert "no End is reachable" in codes["F013"]
    assert "cannot be reached" in codes["F014"]  # d


def test_last_node_must_end_or_go_somewhere():
    codes = _codes(s=_start(), a=Stage("受理", [D]), e=End(), b=Stage("审核", [R]))
    assert "F032" in codes


def test_return_past_a_point_of_no_return():
    codes = _codes(
        s=_start(),
        a=Stage("受理", [D]),
        b=Stage("缴费", [R], point_of_no_return=True),
        c=Stage("审核", [R], returns_to=("a",)),
        d=Review("复核", [R], on_reject="b", returns_to=("b",)),  # back to the point itself is fine
        e=End(),
    )
    assert "'c' returns to 'a', past the point of no return 'b'" in codes["F016"] or \
        "returns to 'a', past the point of no return 'b'" in codes["F016"]
    assert ".d:" not in codes["F016"]


def test_a_review_rejecting_past_a_point_of_no_return():
    codes = _codes(
        s=_start(), a=Stage("受理", [D]), b=Stage("缴费", [R], point_of_no_return=True),
        c=Review("审核", [R], on_reject="a"), e=End(),
    )
    assert "F016" in codes


def test_return_must_go_backwards():
    codes = _codes(s=_start(), a=Stage("受理", [D], returns_to=("b",)), b=Stage("审核", [R]), e=End())
    assert "does not come before it" in codes["F015"]


def test_review_declarations():
    codes = _codes(
        s=_start(), a=Stage("受理", [D]),
        b=Review("审核", [R], on_reject="zz", decisions={"ok": "好"}, opinion_required_for=("later",)), e=End(),
    )
    assert "F027" in codes and "F028" in codes and "F029" in codes


def test_split_needs_a_join_and_branches_end_there():
    codes = _codes(s=_start(), a=Stage("受理", [D]), p=Split("b", join="a"), b=Stage("审核", [R]), e=End())
    assert "F018" in codes
    codes = _codes(
        s=_start(), a=Stage("受理", [D]), p=Split("b", "c", join="j"),
        b=Stage("审核一", [R], next="j"), c=Stage("审核二", [R], next="e"), j=Join(), e=End(),
    )
    assert "F020" in codes  # branch c runs into the End
    codes = _codes(
        s=_start(), a=Stage("受理", [D]), p=Split("b", "c", per=lambda d: [], join="j"),
        b=Stage("审核一", [R], next="j"), c=Stage("审核二", [R], next="j"), j=Join(), e=End(),
    )
    assert "F021" in codes


def test_a_return_into_another_branch():
    codes = _codes(
        s=_start(), a=Stage("受理", [D]), p=Split("b", "c", join="j"),
        b=Stage("审核一", [R], next="j"), c=Stage("审核二", [R], next="j", returns_to=("b",)), j=Join(), e=End(),
    )
    assert "F034" in codes or "F015" in codes


def test_routing_reads_declared_data_fields():
    codes = _codes(s=_start(), a=Stage("受理", [D], org=org_from_data("bank_org_id")), e=End())
    assert "F023" in codes and "bank_org_id" in codes["F023"]
    codes = _codes(s=_start(), a=Stage("受理", [D], org=lambda case, session: 1), e=End())
    assert "F022" in codes


def test_sub_task_declarations_are_checked():
    codes = _codes(
        s=_start(), a=Stage("受理", [D], subtasks=(ConfirmStep("一"), ConfirmStep("二"))), e=End(),
    )
    assert "F025" in codes  # two confirmations need explicit codes
    codes = _codes(
        s=_start(), a=Stage("受理", [D], subtasks=(ConfirmStep("一", code="same"),)),
        b=Stage("复核", [R], subtasks=(ConfirmStep("二", code="same"),)), e=End(),
    )
    assert "F041" in codes and "'a'" in codes["F041"]  # one code in two stages
    codes = _codes(
        s=_start(),
        a=Stage("受理", [D], subtasks=(FormStep("项目", admin="projects", record=lambda c: 1, fields=("nope",)),
                                     FormStep("无此页", admin="no-such-admin", record=lambda c: 1))),
        e=End(),
    )
    assert "has no columns ['nope']" in codes["F026"] and "unknown admin 'no-such-admin'" in codes["F026"]


def test_unknown_subject_kind():
    codes = _codes(s=_start(subject="spaceship"), a=Stage("受理", [D]), e=End())
    assert "F031" in codes and "spaceship" in codes["F031"]


def test_a_node_hiding_a_flow_attribute():
    codes = _codes(s=_start(), a=Stage("受理", [D]), code=End())
    assert "hides Flow.code" in codes["F038"]


def test_bad_header():
    flow = type("Bad", (Flow,), {"code": "Bad-Code", "prefix": "ab", "version": 0, "data_model": dict,
                                 "s": _start(), "a": Stage("受理", [D]), "e": End()}, register=False)
    problems = {p.code for p in pytest.raises(FlowDefinitionError, flow.validate).value.problems}
    assert {"F001", "F002", "F003", "F004", "F024", "F036"} <= problems


def test_every_problem_of_every_flow_is_reported_together():
    bad_one = _broken(s=_start(), a=Stage("受理", []), e=End())
    bad_two = type("BadTwo", (Flow,), {"__doc__": "坏二", "code": "broken_two", "prefix": "K", "category": "测试业务",
                                       "s": _start(), "a": Stage("受理", [D], next="x"), "e": End()}, register=False)
    from netsign_console.workflow.validation import flow_problems

    problems = flow_problems(bad_one) + flow_problems(bad_two)
    assert {p.code for p in problems} >= {"F008", "F009"}
    error = ConfigurationError(problems)
    assert "[F008]" in str(error) and "[F009]" in str(error)


def test_a_broken_flow_fails_when_it_registers():
    with pytest.raises(FlowDefinitionError):
        with temporary_flows():
            type("Broken", (Flow,), {"__doc__": "坏", "code": "broken", "prefix": "K", "category": "测试业务",
                                     "s": _start(), "a": Stage("受理", [])})
    assert all(f.code != "broken" for f in all_flows())


def test_duplicate_version_is_refused():
    twin = type("Twin", (NetworkAccess,), {}, register=False)
    with pytest.raises(FlowDefinitionError, match="already registers"):
        with temporary_flows(twin):
            pass
    assert get_flow("network_access") is NetworkAccess


def test_get_flow_versions_and_accept_windows():
    v1 = type("V1", (LoanReviewTestFlow,), {"accept_until": date(2026, 5, 25)}, register=False)
    v2 = type("V2", (LoanReviewTestFlow,), {"version": 2, "accept_from": date(2026, 5, 26)}, register=False)
    with temporary_flows(v1, v2):
        assert get_flow("test_loan_review", on=date(2026, 5, 25)) is v1
        assert get_flow("test_loan_review", on=date(2026, 5, 26)) is v2
        assert get_flow("test_loan_review", 1) is v1
        with pytest.raises(UnknownFlow):
            get_flow("test_loan_review", 3)
    with pytest.raises(UnknownFlow):
        get_flow("test_loan_review")


def test_a_later_version_can_drop_and_add_nodes():
    v2 = type(
        "V2", (LoanReviewTestFlow,),
        {"version": 2, "route": None, "banks": None, "bank_review": None, "reviewed": None,
         "check": Review("初审", [R], on_reject="entry")},
        register=False,
    )
    v2.validate()
    assert list(v2.stages()) == ["entry", "check", "filing"]
    assert v2.node("check").forward(v2) == ("filing",)


def test_diagrams_cover_every_flow_and_node_type(tmp_path):
    paths = write_diagrams(tmp_path, all_flows() + list(TEST_FLOWS))
    names = {p.name for p in paths}
    assert {f"{f.code}_v{f.version}.md" for f in all_flows()} <= names
    text = (tmp_path / "test_loan_review_v1.md").read_text(encoding="utf-8")
    assert "```mermaid" in text and "flowchart TD" in text
    assert "bank_review -. 不通过 .-> entry" in text  # a reject back to a stage is dashed
    assert "route -->|条件| banks" in text and "route -->|否则| filing" in text  # the switch
    assert 'banks[/"并行办理（每项一个任务）"\\]' in text and 'reviewed[\\"汇合"/]' in text  # split and join
    assert "check{{" in text and "entry[" in text and 'end((("归档")))' in text
    assert "filing -. 退件 .-> check" in text
    assert "银行抵押审核" in text and "按揭银行" in text and "分支对应机构办理" in text
    no_return = (tmp_path / "test_no_return_v1.md").read_text(encoding="utf-8")
    assert "⛔ 不可撤回" in no_return and "class check pnr" in no_return
    network = document(NetworkAccess)
    assert "review -->|通过| end" in network and "review -- 驳回 --> end" in network
