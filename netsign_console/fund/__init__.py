"""预售资金监管 services (FUND-01 to FUND-12): who sees what (`scope`), the key amount under the
city's rule (`key`), an agreement's figures kept on its row (`figures`), and an agreement as
its page and the withdrawal screen show it (`view`). The flows are workflow/flows/fund_*.py."""

from netsign_console.fund import signing_check  # noqa: E402,F401  (registers the signing condition)
