"""预售签约 (SIGN-01 to SIGN-16, prefix F): a room under a valid 预售许可证 of a building with a
filed fund-supervision agreement, from 受理 to 备案归档 (workflow/flows/_contract.py)."""

from __future__ import annotations

from netsign_console.workflow.flows import _contract


class PresaleContractSigning(_contract.ContractFlow):
    """预售签约"""

    code = _contract.PRESALE
    prefix = "F"
    sale_kind = "presale"
