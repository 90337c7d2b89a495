"""商品房现售许可初始审批 (PERMIT-04)."""

from models.permit import PermitKind
from netsign_console.workflow.flows import _permit
from netsign_console.workflow.nodes import End


class SpotSalePermit(_permit.PermitFlow):
    """商品房现售许可初始审批"""

    code = "spot_sale_permit"
    prefix = "X"
    permit_kind = PermitKind.SPOT_SALE
    change = False

    start = _permit.start(PermitKind.SPOT_SALE, change=False)
    project, building = _permit.supplements(PermitKind.SPOT_SALE)
    review = _permit.review()
    generate = _permit.generate(PermitKind.SPOT_SALE, change=False)
    end = End()
