"""Flow definitions are checked when they are declared: every real flow validates, and each
kind of broken definition is refused with a message naming the problem."""

from __future__ import annotations

from datetime import date

import pytest

from models.enums import Role
from netsign_console.workflow import (
    Flow,
    FlowDefinitionError,
    Stage,
    UnknownFlow,
    all_flows,
    get_flow,
    temporary_flows,
    validate_all,
)
from netsign_console.workflow.__main__ import document, write_diagrams
from netsign_console.workflow.flows.network_access import NetworkAccess
from tests.unit.workflow_fixtures import LoanReviewTestFlow

R, D, B = Role.REGULATOR, Role.DEVELOPER_ADMIN, Role.MORTGAGE_BANK


def test_every_registered_flow_validates():
    flows = all_flows()
    assert NetworkAccess in flows
    for flow in flows:
        flow.validate()
    validate_all()


def test_the_test_flow_validates_and_stays_out_of_the_registry():
    LoanReviewTestFlow.validate()
    assert LoanReviewTestFlow not in all_flows()
    with temporary_flows(LoanReviewTestFlow):
        assert LoanReviewTestFlow in all_flows()
    assert LoanReviewTestFlow not in all_flows()


def test_network_access_reads_like_the_diagram():
    assert NetworkAccess.title == "用户入网"
    assert list(NetworkAccess.stages) == ["apply", "review"]
    assert NetworkAccess.accept_stage().code == "apply"
    assert NetworkAccess.next_targets("apply") == ("review",)
    assert NetworkAccess.stage("review").decisions == {"approve": "通过", "reject": "驳回"}
    assert NetworkAccess.accept_roles == ("developer_admin",)
    assert get_flow("network_access") is NetworkAccess


def test_stage_order_and_defaults():
    assert list(LoanReviewTestFlow.stages) == ["entry", "check", "bank_review", "filing"]
    assert LoanReviewTestFlow.next_targets("entry") == ("check",)  # next=None: the following stage
    assert LoanReviewTestFlow.next_targets("check") == ("bank_review", "filing")
    assert LoanReviewTestFlow.next_targets("filing") == ()
    assert LoanReviewTestFlow.stage("entry").roles_code == "developer_admin,operator"


def _broken(**stages) -> type[Flow]:
    body = {"__doc__": "坏流程", "code": "broken", "prefix": "K", **stages}
    return type("Broken", (Flow,), body, register=False)


def _message(**stages) -> str:
    with pytest.raises(FlowDefinitionError) as exc:
        _broken(**stages).validate()
    return str(exc.value)


def test_missing_next_target():
    msg = _message(a=Stage("受理", [D], accept=True, next="nowhere"), b=Stage("审核", [R], archive=True))
    assert "unknown stage 'nowhere'" in msg


def test_missing_return_target():
    msg = _message(a=Stage("受理", [D], accept=True), b=Stage("审核", [R], archive=True, returns_to=("x",)))
    assert "returns to unknown stage 'x'" in msg


def test_callable_next_must_declare_branches():
    msg = _message(
        a=Stage("受理", [D], accept=True, next=lambda case: "b"), b=Stage("审核", [R], archive=True)
    )
    assert "branches" in msg


def test_branch_to_missing_stage():
    msg = _message(
        a=Stage("受理", [D], accept=True, next=lambda case: "b", branches=("b", "zz")),
        b=Stage("审核", [R], archive=True),
    )
    assert "branches to unknown stage 'zz'" in msg


def test_stage_without_role():
    msg = _message(a=Stage("受理", [], accept=True), b=Stage("审核", [R], archive=True))
    assert "stage 'a' has no role" in msg


def test_unknown_role():
    msg = _message(a=Stage("受理", ["landlord"], accept=True), b=Stage("审核", [R], archive=True))
    assert "unknown roles ['landlord']" in msg


def test_exactly_one_accept_stage():
    assert "exactly one accept stage" in _message(a=Stage("受理", [D]), b=Stage("审核", [R], archive=True))
    assert "exactly one accept stage" in _message(
        a=Stage("受理", [D], accept=True), b=Stage("审核", [R], accept=True, archive=True)
    )


def test_archive_unreachable_behind_a_loop():
    msg = _message(
        a=Stage("受理", [D], accept=True, next="b"),
        b=Stage("初审", [R], next="c"),
        c=Stage("复审", [R], returns_to=("b",), next="b"),  # b -> c -> b: a loop with no way out
        d=Stage("归档", [R], archive=True),
    )
    assert "no archive stage is reachable from stage 'a'" in msg
    assert "stage 'b' can dispatch back to itself (a cycle)" in msg


def test_archive_unreachable_from_a_dead_end():
    msg = _message(
        a=Stage("受理", [D], accept=True, next=lambda case: "b", branches=("b", "c")),
        b=Stage("归档", [R], archive=True),
        c=Stage("死胡同", [R], next="a"),
    )
    assert "stage 'c' can dispatch back to itself (a cycle)" in msg


def test_no_archive_stage_at_all():
    msg = _message(a=Stage("受理", [D], accept=True, next="b"), b=Stage("审核", [R], next="a"))
    assert "no archive stage" in msg


def test_last_stage_must_archive_or_go_somewhere():
    msg = _message(a=Stage("受理", [D], accept=True), b=Stage("审核", [R]))
    assert "last stage" in msg


def test_return_past_a_point_of_no_return():
    msg = _message(
        a=Stage("受理", [D], accept=True),
        b=Stage("缴费", [R], point_of_no_return=True),
        c=Stage("审核", [R], returns_to=("a",)),
        d=Stage("归档", [R], archive=True, returns_to=("b",)),  # back to the point itself is fine
    )
    assert "stage 'c' returns to 'a', past the point of no return 'b'" in msg
    assert "'d'" not in msg


def test_the_point_of_no_return_itself_may_return():
    _broken(
        a=Stage("受理", [D], accept=True),
        b=Stage("缴费", [R], point_of_no_return=True, returns_to=("a",)),
        c=Stage("归档", [R], archive=True, returns_to=("b",)),
    ).validate()


def test_return_must_go_backwards():
    msg = _message(
        a=Stage("受理", [D], accept=True, returns_to=("b",)), b=Stage("审核", [R], archive=True)
    )
    assert "does not come before it" in msg


def test_decisions_only_on_archive_stages():
    msg = _message(
        a=Stage("受理", [D], accept=True, decisions={"approve": "通过"}), b=Stage("审核", [R], archive=True)
    )
    assert "decisions but is not an archive stage" in msg


def test_unreachable_stage():
    msg = _message(
        a=Stage("受理", [D], accept=True, next="c"), b=Stage("孤岛", [R], next="c"), c=Stage("归档", [R], archive=True)
    )
    assert "cannot be reached from the accept stage" in msg


def test_bad_header():
    flow = type(
        "Bad", (Flow,),
        {"code": "Bad-Code", "prefix": "ab", "version": 0,
         "a": Stage("受理", [D], accept=True), "b": Stage("审核", [R], archive=True)},
        register=False,
    )
    msg = str(pytest.raises(FlowDefinitionError, flow.validate).value)
    assert "code" in msg and "prefix" in msg and "version" in msg and "title" in msg


def test_accept_roles_must_hold_the_accept_stage():
    flow = type(
        "Bad", (Flow,),
        {"__doc__": "坏", "code": "bad", "prefix": "K", "accept_roles": (B,),
         "a": Stage("受理", [D], accept=True), "b": Stage("审核", [R], archive=True)},
        register=False,
    )
    assert "cannot hold the accept stage" in str(pytest.raises(FlowDefinitionError, flow.validate).value)


def test_a_broken_flow_fails_when_it_registers():
    with pytest.raises(FlowDefinitionError):
        with temporary_flows():
            type("Broken", (Flow,), {"__doc__": "坏", "code": "broken", "prefix": "K",
                                     "a": Stage("受理", [], accept=True)})
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


def test_a_later_version_can_drop_and_add_stages():
    v2 = type(
        "V2", (LoanReviewTestFlow,),
        {"version": 2, "bank_review": None, "check": Stage("初审", [R], returns_to=("entry",))},
        register=False,
    )
    v2.validate()
    assert list(v2.stages) == ["entry", "check", "filing"]
    assert v2.next_targets("check") == ("filing",)


def test_diagrams_cover_every_flow(tmp_path):
    with temporary_flows(LoanReviewTestFlow):
        paths = write_diagrams(tmp_path)
    names = {p.name for p in paths}
    assert {f"{f.code}_v{f.version}.md" for f in all_flows()} <= names
    assert "test_loan_review_v1.md" in names
    text = (tmp_path / "test_loan_review_v1.md").read_text(encoding="utf-8")
    assert "```mermaid" in text and "flowchart TD" in text
    assert "check -. 退件 .-> entry" in text  # returns are dashed
    assert "⛔ 不可撤回" in text and "class check pnr" in text
    assert "check -->|分支| bank_review" in text
    assert "银行抵押审核" in text and "按揭银行" in text
    assert "入网审核" in document(NetworkAccess) and "review -->|通过 / 驳回| done" in document(NetworkAccess)


def test_opinion_required_only_for_declared_decisions():
    import pytest as _pytest

    from models.enums import Role
    from netsign_console.workflow.flow import Flow, FlowDefinitionError, Stage

    with _pytest.raises(FlowDefinitionError, match="unknown decisions"):

        class Broken(Flow, register=False):
            """坏流程"""

            code = "broken_opinion"
            prefix = "Q"
            start = Stage("受理", (Role.OPERATOR,), accept=True)
            end = Stage("审核", (Role.REGULATOR,), archive=True, decisions={"ok": "通过"},
                        opinion_required_for=("reject",))

        Broken.validate()
