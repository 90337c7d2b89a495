"""Stage: a human task with its sub-tasks (待办任务), handled by roles in a routed organisation.

    entry = Stage("户室信息补录", DEVELOPER, org=initiating_org, subtasks=(
        FormStep("项目信息补录", admin="projects", record=project_of_case),
        RoomBatchStep("户室信息补录", rooms=rooms_of_case, fields=ROOM_FIELDS),
    ))

Dispatching (派工) is refused while a required sub-task is not done, naming what is missing;
the stage's data is editable only by the holder of its open task, so it is read-only once
dispatched and editable again after a return (SURV-07).
"""

from __future__ import annotations

from netsign_console.workflow.nodes.base import HumanNode


class Stage(HumanNode):
    kind = "stage"
