"""商品房买卖合同（预售） and （现售） (SIGN-09, SIGN-13, SIGN-17), each in an electronic and a paper
layout: the electronic one takes effect with every party's e-signature and its e-text prevails
over any printout; the paper one is signed by hand, sealed and uploaded as a scan.

The signing flow passes data of this shape (contracts/document_data.py builds it from the
contract's rows; the contract itself carries full personal data, only lists mask it):
    contract_number, sale_kind "presale" | "spot_sale",
    seller {name, credit_code, legal_rep, address, phone},
    buyers [{role, name, id_type, id_number, phone, address, share (Decimal %), signed_at (datetime|None)}],
    project_name, location, house_address (the building's 坐落), building_number, unit, actual_floor, nominal_floor, room_number, usage,
    layout, structure, decoration, gross_area, inner_area, shared_area (Decimal m²),
    permit_number, permit_authority, land_use_certificate, construction_planning_certificate,
    construction_certificate,
    unit_price, computed_total, agreed_total (Decimal|None), total_price, price_gap (Decimal),
    payment_method (label), payment_method_code, down_payment, commercial_loan_amount,
    fund_loan_amount, mortgage_bank, fund_center, mortgagor, instalments [{ordinal, due_date, amount}],
    supervision_account {bank, name, number} | None, delivery_date (date|None),
    area_limit_percent (N13: 3), filing_authority, consultant, agent, brokerage, broker, signed_on

The signature page prints "出卖人（盖章）" and "法定代表人（签章）": the seals are stamped at those
words (contracts/signing.py finds them in the PDF), so a template must keep them.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from netsign_console.documents.kinds import DocumentKind, register_kind

SEAL_MARKERS = {"company": "出卖人（盖章）", "legal_rep": "法定代表人（签章）"}
TEMPLATES = {"electronic": "commodity_contract_e.html", "paper": "commodity_contract_p.html"}


def sample(sale_kind: str = "presale") -> dict:
    total = Decimal("1052748.00")
    return {
        "contract_number": "YS430100-2026-000017" if sale_kind == "presale" else "XS430100-2026-000018",
        "sale_kind": sale_kind,
        "seller": {"name": "湖南星城置业有限公司", "credit_code": "91430100MA4L0001XA", "legal_rep": "王建国",
                   "address": "长沙市天心区芙蓉南路一段88号", "phone": "0731-85550001"},
        "buyers": [
            {"role": "买受人", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
             "phone": "13800138000", "address": "长沙市天心区湘府中路1号", "share": Decimal("60.00"),
             "signed_at": datetime(2026, 12, 2, 2, 30, tzinfo=timezone.utc)},
            {"role": "共有人", "name": "李四", "id_type": "居民身份证", "id_number": "430102198001011233",
             "phone": "13907310001", "address": "长沙市岳麓区麓山南路9号", "share": Decimal("40.00"), "signed_at": None},
        ],
        "project_name": "星城·湘江府",
        "location": "长沙市天心区湘府中路288号",
        "house_address": "长沙市天心区湘府中路288号D001栋",
        "building_number": "D001",
        "unit": "1单元",
        "actual_floor": 10,
        "nominal_floor": "10",
        "room_number": "1-1001",
        "usage": "住宅",
        "layout": "三室两厅",
        "structure": "钢筋混凝土结构",
        "decoration": "毛坯",
        "gross_area": Decimal("118.5600"),
        "inner_area": Decimal("97.2192"),
        "shared_area": Decimal("21.3408"),
        "permit_number": "2026-0001",
        "permit_authority": "长沙市住房和城乡建设局",
        "land_use_certificate": "湘(2023)长沙市不动产权第0123456号",
        "construction_planning_certificate": "建字第430100202400031号",
        "construction_certificate": "430103202403180101",
        "unit_price": Decimal("8880.00"),
        "computed_total": total,
        "agreed_total": None,
        "total_price": total,
        "price_gap": Decimal("0.00"),
        "payment_method": "组合贷",
        "payment_method_code": "combined_loan",
        "down_payment": Decimal("322748.00"),
        "commercial_loan_amount": Decimal("300000.00"),
        "fund_loan_amount": Decimal("430000.00"),
        "mortgage_bank": "中国建设银行股份有限公司长沙分行",
        "fund_center": "长沙住房公积金管理中心",
        "mortgagor": "张三、李四",
        "instalments": [],
        "supervision_account": {"bank": "招商银行股份有限公司长沙分行", "name": "湖南星城置业有限公司预售资金监管户",
                                "number": "731900012310001"},
        "delivery_date": date(2028, 6, 30),
        "area_limit_percent": Decimal("3"),
        "filing_authority": "长沙市住房和城乡建设局",
        "consultant": "刘置业",
        "agent": "",
        "brokerage": "",
        "broker": "",
        "signed_on": date(2026, 12, 2),
    }


def _contract_rows(session, doc) -> list[tuple[str, str]]:
    """The contract's state now: 已备案 with its filing number, 已退房, or still in signing."""
    from netsign_console.contracts.document_data import filing_state_rows

    return filing_state_rows(session, doc)


PRESALE_CONTRACT = register_kind(DocumentKind(
    code="presale_contract",
    title="商品房买卖合同（预售）",
    sample=sample,
    templates=dict(TEMPLATES),
    verify_rows=lambda session, doc: _contract_rows(session, doc),
    description="预售签约生成；电子合同各方电子签名后生效，纸质合同签字盖章后扫描上传",
    order=30,
))

SPOT_SALE_CONTRACT = register_kind(DocumentKind(
    code="spot_sale_contract",
    title="商品房买卖合同（现售）",
    sample=lambda: sample("spot_sale"),
    templates=dict(TEMPLATES),
    verify_rows=lambda session, doc: _contract_rows(session, doc),
    description="现房签约生成；电子合同各方电子签名后生效，纸质合同签字盖章后扫描上传",
    order=31,
))

KIND_OF_SALE = {"presale": PRESALE_CONTRACT.code, "spot_sale": SPOT_SALE_CONTRACT.code}
