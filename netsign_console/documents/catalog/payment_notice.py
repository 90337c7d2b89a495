"""资金缴款通知单 (SIGN-07): printed for the buyer during contract entry; the payee is the
supervision account of the building's filed agreement. The signing flow passes
(contracts/flow_steps.notice_data): case_number, agreement_number, payer, seller, project_name,
house_address, building_number, room_number, total_price, payment_method, amount_due (Decimal),
account_name, account_number, opening_branch, bank_name, notice_date (date).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from netsign_console.documents.kinds import DocumentKind, register_kind


def sample() -> dict:
    return {
        "case_number": "F202612020000001", "agreement_number": "JG2026-0001", "payer": "张三、李四",
        "seller": "湖南星城置业有限公司", "project_name": "星城·湘江府",
        "house_address": "长沙市天心区湘府中路288号D001栋", "building_number": "D001", "room_number": "1-1001",
        "total_price": Decimal("1052748.00"), "payment_method": "组合贷", "amount_due": Decimal("322748.00"),
        "account_name": "湖南星城置业有限公司星城·湘江府预售资金监管专户", "account_number": "731900123410801",
        "opening_branch": "招商银行股份有限公司长沙分行营业部", "bank_name": "招商银行股份有限公司长沙分行",
        "notice_date": date(2026, 12, 2),
    }


PAYMENT_NOTICE = register_kind(DocumentKind(
    code="fund_payment_notice",
    title="商品房预售资金缴款通知单",
    sample=sample,
    templates={"": "fund_payment_notice.html"},
    description="购房合同录入时开具，买受人凭此将房价款存入预售资金监管账户",
    order=22,
))
