"""商品房预售许可初始审批 (PERMIT-01)."""

from models.permit import PermitKind
from netsign_console.workflow.flows import _permit
from netsign_console.workflow.nodes import End


class PresalePermit(_permit.PermitFlow):
    """商品房预售许可初始审批"""

    code = "presale_permit"
    prefix = "Y"
    permit_kind = PermitKind.PRESALE
    change = False

    start = _permit.start(PermitKind.PRESALE, change=False)
    project, building = _permit.supplements(PermitKind.PRESALE)
    review = _permit.review()
    generate = _permit.generate(PermitKind.PRESALE, change=False)
    end = End()
