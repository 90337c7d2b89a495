"""The workflow engine (DESIGN.md §3): flow definitions, the verbs, case numbers, inbox, timeline.

    from netsign_console.workflow import engine, inbox
    with session_scope() as session:
        case = engine.accept(session, principal, "network_access", ...)

Importing the package registers every flow in `flows/` and validates all of them, so a
broken definition stops the application at start-up.
"""

from netsign_console.workflow.flow import Flow, Stage, initiating_org
from netsign_console.errors import FlowDefinitionError
from netsign_console.workflow.registry import (
    UnknownFlow,
    all_flows,
    get_flow,
    temporary_flows,
    validate_all,
)
from netsign_console.workflow import flows  # noqa: E402,F401  (registers the flows)

__all__ = [
    "Flow",
    "FlowDefinitionError",
    "Stage",
    "UnknownFlow",
    "all_flows",
    "get_flow",
    "initiating_org",
    "temporary_flows",
    "validate_all",
]

validate_all()
