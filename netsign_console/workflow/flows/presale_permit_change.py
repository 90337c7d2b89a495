"""商品房预售许可变更审批 (PERMIT-02, PERMIT-03)."""

from models.permit import PermitKind
from netsign_console.workflow.flows import _permit
from netsign_console.workflow.nodes import End


class PresalePermitChange(_permit.PermitFlow):
    """商品房预售许可变更审批"""

    code = "presale_permit_change"
    prefix = "Y"
    permit_kind = PermitKind.PRESALE
    change = True

    start = _permit.start(PermitKind.PRESALE, change=True)
    original = _permit.original()
    project, building = _permit.supplements(PermitKind.PRESALE)
    review = _permit.review()
    generate = _permit.generate(PermitKind.PRESALE, change=True)
    end = End()
