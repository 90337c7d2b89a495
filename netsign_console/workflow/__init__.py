"""The workflow engine (DESIGN.md §3): flow definitions, node types, the verbs, case numbers,
inbox, timeline, sub-tasks.

    from netsign_console.workflow import engine, inbox
    with session_scope() as session:
        case = engine.accept(session, principal, "room_backfill", subject_id=building.id)

Importing the package registers every flow in `flows/` and validates all of them, so a
broken definition stops the application at start-up (with every problem listed).
"""

from netsign_console.errors import FlowDefinitionError
from netsign_console.workflow.flow import Flow
from netsign_console.workflow.nodes import End, Join, Review, Split, Stage, Start, Switch
from netsign_console.workflow.registry import (
    UnknownFlow,
    all_flows,
    check_flows,
    get_flow,
    temporary_flows,
    validate_all,
)
from netsign_console.workflow.routing import branch_org, fixed_org, initiating_org, org_from_data
from netsign_console.workflow import flows  # noqa: E402,F401  (registers the flows)

__all__ = [
    "End",
    "Flow",
    "FlowDefinitionError",
    "Join",
    "Review",
    "Split",
    "Stage",
    "Start",
    "Switch",
    "UnknownFlow",
    "all_flows",
    "branch_org",
    "check_flows",
    "fixed_org",
    "get_flow",
    "initiating_org",
    "org_from_data",
    "temporary_flows",
    "validate_all",
]

validate_all()


def _derive_permissions_and_menu() -> None:
    """Who may accept and handle cases, and the 业务受理 menu, follow from the flows: the roles
    a flow names are the roles that may act on it."""
    from netsign_console.auth.permissions import Perm, derive_permission
    from netsign_console.navigation import register_menu_provider
    from netsign_console.workflow.acceptance import menu_entries
    from netsign_console.workflow.registry import accepting_flows, flows_acting_role

    derive_permission(Perm.CASE_ACCEPT, lambda p: bool(accepting_flows(p.role)))
    for perm in (Perm.CASE_INBOX, Perm.CASE_DONE, Perm.CASE_HANDLE):
        derive_permission(perm, lambda p: bool(flows_acting_role(p.role)))
    register_menu_provider("业务受理", menu_entries)


_derive_permissions_and_menu()
