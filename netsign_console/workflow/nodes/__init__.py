"""The node types a flow is made of, one small module each (DESIGN.md §3):

    Start    受理: who accepts, the subject picked on the start page, acceptance checks
    Stage    a human task with its sub-tasks (待办任务)
    Review   通过 / 不通过 with an opinion, anywhere in the flow
    Switch   a branch on the case's typed data
    Split    several tasks at once (one per stage, or one per item such as a bank) ...
    Join     ... and the point where the case continues once all of them are done
    End      归档, with the flow's on_archive hook
"""

from netsign_console.workflow.nodes.base import HumanNode, Node
from netsign_console.workflow.nodes.end import End
from netsign_console.workflow.nodes.review import APPROVE, REJECT, Review
from netsign_console.workflow.nodes.split import Join, Split
from netsign_console.workflow.nodes.stage import Stage
from netsign_console.workflow.nodes.start import AcceptContext, Start
from netsign_console.workflow.nodes.switch import Switch

__all__ = ["APPROVE", "REJECT", "AcceptContext", "End", "HumanNode", "Join", "Node", "Review", "Split", "Stage",
           "Start", "Switch"]
