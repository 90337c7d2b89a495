"""现房签约 (SIGN-17, prefix H): the same chain as 预售签约 on a room under a valid 现售许可证,
with the 现售 model contract; no fund-supervision agreement is needed to sign, but the payment
notice is paid into the building's supervision account where it has one."""

from __future__ import annotations

from netsign_console.workflow.flows import _contract
from netsign_console.workflow.nodes import Start


class SpotContractSigning(_contract.ContractFlow):
    """现房签约"""

    code = _contract.SPOT
    prefix = "H"
    sale_kind = "spot_sale"

    start = Start(_contract.DEVELOPER, subject=_contract.SPOT_ROOM.code, checks=(_contract.signable("spot_sale"),),
                  initial_data=_contract.room_data, hint=_contract.PRESALE_HINT.replace("预售许可证", "现售许可证"))
    entry = _contract.entry_stage("spot_sale_contract")
