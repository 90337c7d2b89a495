"""商品房现售许可变更审批 (PERMIT-04 with PERMIT-02)."""

from models.permit import PermitKind
from netsign_console.workflow.flows import _permit
from netsign_console.workflow.nodes import End


class SpotSalePermitChange(_permit.PermitFlow):
    """商品房现售许可变更审批"""

    code = "spot_sale_permit_change"
    prefix = "X"
    permit_kind = PermitKind.SPOT_SALE
    change = True

    start = _permit.start(PermitKind.SPOT_SALE, change=True)
    original = _permit.original()
    project, building = _permit.supplements(PermitKind.SPOT_SALE)
    review = _permit.review()
    generate = _permit.generate(PermitKind.SPOT_SALE, change=True)
    end = End()
