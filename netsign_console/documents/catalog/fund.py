"""新建商品房预售资金监管协议书 (FUND-03) and 一般资金支取申请表 (FUND-09). The flows pass data of
these shapes (workflow/flows/_fund.py document_data, fund_withdrawal.application_data):

agreement: agreement_number, developer_name (甲方), bank_name (乙方), project_name, location,
    building_number, account_name, account_number, opening_branch, construction_progress,
    presale_total (Decimal), key_amount (Decimal), key_rule (text), supervised_count,
    room_count, supervised_area (Decimal m²), sign_date (date),
    rooms: [{unit, room_number, gross_area, supervised (bool)}]
withdrawal: case_number, agreement_number, developer_name, project_name, building_number,
    location, bank_name, account_name, account_number, opening_branch, construction_progress,
    total_supervised, balance, key_amount, disbursable, amount (Decimals), purpose, apply_date
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from netsign_console.documents.kinds import DocumentKind, register_kind


def agreement_sample() -> dict:
    rooms = []
    for floor in range(1, 13):
        for unit, suffix in (("1单元", "01"), ("1单元", "02"), ("2单元", "01"), ("2单元", "02")):
            area = Decimal("96.3521") if suffix == "01" else Decimal("128.4470")
            rooms.append({"unit": unit, "room_number": f"{floor}{suffix}", "gross_area": area,
                          "supervised": not (floor == 1 and suffix == "01")})
    area = sum((r["gross_area"] for r in rooms if r["supervised"]), Decimal("0"))
    return {
        "agreement_number": "JG2026-0001",
        "developer_name": "湖南星城置业有限公司",
        "bank_name": "招商银行股份有限公司长沙分行",
        "project_name": "星城·湘江府",
        "location": "长沙市天心区湘府中路288号D001栋",
        "building_number": "D001",
        "account_name": "湖南星城置业有限公司星城·湘江府预售资金监管专户",
        "account_number": "731900123410801",
        "opening_branch": "招商银行股份有限公司长沙分行营业部",
        "construction_progress": "主体结构施工至第12层",
        "presale_total": Decimal("486523000.00"),
        "key_amount": (area * Decimal("1500")).quantize(Decimal("0.01")),
        "key_rule": "监管户室建筑面积×1500.00元/m²",
        "supervised_count": sum(1 for r in rooms if r["supervised"]),
        "room_count": len(rooms),
        "supervised_area": area,
        "sign_date": date(2026, 12, 2),
        "rooms": rooms,
    }


FUND_AGREEMENT = register_kind(DocumentKind(
    code="fund_supervision_agreement",
    title="新建商品房预售资金监管协议书",
    sample=agreement_sample,
    templates={"": "fund_supervision_agreement.html"},
    description="资金监管协议签订、变更时生成；附监管户室明细",
    order=20,
))


def withdrawal_sample() -> dict:
    return {
        "case_number": "Q202612020000001",
        "agreement_number": "JG2026-0001",
        "developer_name": "湖南星城置业有限公司",
        "project_name": "星城·湘江府",
        "building_number": "D001",
        "location": "长沙市天心区湘府中路288号D001栋",
        "bank_name": "招商银行股份有限公司长沙分行",
        "account_name": "湖南星城置业有限公司星城·湘江府预售资金监管专户",
        "account_number": "731900123410801",
        "opening_branch": "招商银行股份有限公司长沙分行营业部",
        "construction_progress": "主体结构施工至第12层",
        "total_supervised": Decimal("36500000.00"),
        "balance": Decimal("12860000.00"),
        "key_amount": Decimal("7200000.00"),
        "disbursable": Decimal("5660000.00"),
        "amount": Decimal("3000000.00"),
        "purpose": "支付主体结构工程进度款",
        "apply_date": date(2026, 12, 2),
    }


FUND_WITHDRAWAL = register_kind(DocumentKind(
    code="fund_withdrawal_application",
    title="预售资金一般支取申请表",
    sample=withdrawal_sample,
    templates={"": "fund_withdrawal_application.html"},
    description="一般资金支取申请信息录入后生成，开发企业盖章后报主管部门审核",
    order=21,
))
