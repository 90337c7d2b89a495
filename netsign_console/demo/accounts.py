"""Demo organisations and one account per role (the README's table is printed from this)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.enums import OrgType, Role

DEMO_PASSWORD = "Netsign@2026"

# name -> fields; credit codes carry valid GB 32100 check characters.
ORGANIZATIONS: list[dict] = [
    dict(name="长沙市住房和城乡建设局", org_type=OrgType.REGULATOR, credit_code="11430100MB1L0001X2",
         region="长沙市", registered_address="长沙市岳麓区岳麓大道218号", contact_phone="0731-88665000"),
    dict(name="湖南星城置业有限公司", org_type=OrgType.DEVELOPER, credit_code="91430100MA4L0001XA",
         enterprise_type="有限责任公司", legal_rep="王建国", legal_rep_id_number="430102198001011233",
         legal_rep_phone="13807310001", region="长沙市天心区", established_on=date(2008, 6, 18),
         business_reg_number="430100000012345", registered_capital=Decimal("50000000.00"),
         paid_in_capital=Decimal("50000000.00"), taxpayer_id="91430100MA4L0001XA",
         registered_address="长沙市天心区芙蓉南路一段88号", business_scope="房地产开发经营；物业管理；建筑材料销售。"),
    dict(name="长沙麓山房地产开发有限公司", org_type=OrgType.DEVELOPER, credit_code="91430100MA4L0002XB",
         enterprise_type="有限责任公司", legal_rep="李志强", legal_rep_id_number="430102198505052346",
         legal_rep_phone="13807310002", region="长沙市岳麓区", established_on=date(2012, 3, 1),
         registered_capital=Decimal("20000000.00"), registered_address="长沙市岳麓区麓山南路9号"),
    dict(name="中国建设银行股份有限公司长沙分行", org_type=OrgType.BANK, credit_code="91430100MA4L0003XC",
         region="长沙市", registered_address="长沙市芙蓉区五一大道1号"),
    dict(name="招商银行股份有限公司长沙分行", org_type=OrgType.BANK, credit_code="91430100MA4L0004XD",
         region="长沙市", registered_address="长沙市开福区芙蓉中路一段766号"),
    dict(name="长沙住房公积金管理中心", org_type=OrgType.PROVIDENT_FUND_CENTER, credit_code="12430100MB1L0007X5",
         region="长沙市", registered_address="长沙市岳麓区金星中路428号"),
    dict(name="长沙链家房地产经纪有限公司", org_type=OrgType.BROKERAGE, credit_code="91430100MA4L0005XE",
         region="长沙市", registered_address="长沙市雨花区劳动东路139号"),
    dict(name="长沙星城物业服务有限公司", org_type=OrgType.PROPERTY_MANAGER, credit_code="91430100MA4L0006XF",
         region="长沙市", registered_address="长沙市天心区书院路66号"),
]

REGULATOR = "长沙市住房和城乡建设局"
DEVELOPER = "湖南星城置业有限公司"
DEVELOPER_2 = "长沙麓山房地产开发有限公司"

# username, display name, phone, role, organisation (None for public users)
ACCOUNTS: list[tuple[str, str, str, Role, str | None]] = [
    ("admin", "系统管理员", "13900000001", Role.SYSTEM_ADMIN, REGULATOR),
    ("regulator", "张审核", "13900000002", Role.REGULATOR, REGULATOR),
    ("survey", "刘测绘", "13900000003", Role.SURVEY_OFFICE, REGULATOR),
    ("window", "陈窗口", "13900000004", Role.SERVICE_WINDOW, REGULATOR),
    ("dev_admin", "王管理", "13900000005", Role.DEVELOPER_ADMIN, DEVELOPER),
    ("dev_operator", "赵经办", "13900000006", Role.OPERATOR, DEVELOPER),
    ("dev2_admin", "李管理", "13900000007", Role.DEVELOPER_ADMIN, DEVELOPER_2),
    ("mortgage_bank", "孙按揭", "13900000008", Role.MORTGAGE_BANK, "中国建设银行股份有限公司长沙分行"),
    ("supervising_bank", "周监管", "13900000009", Role.SUPERVISING_BANK, "招商银行股份有限公司长沙分行"),
    ("fund_center", "吴公积金", "13900000010", Role.PROVIDENT_FUND_CENTER, "长沙住房公积金管理中心"),
    ("broker", "郑经纪", "13900000011", Role.BROKERAGE, "长沙链家房地产经纪有限公司"),
    ("buyer", "钱购房", "13900000012", Role.BUYER, None),
    ("seller", "冯出卖", "13900000013", Role.SELLER, None),
]
