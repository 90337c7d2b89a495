"""Demo master data: projects, certificates, bank links, a supervision account, property
companies and the six Changsha service windows (S0 §三.3). Upserted by natural keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import inspect
from sqlmodel import Session, select

from models.bank import BankLink, SupervisionAccount
from models.project import Project, ProjectCertificate
from models.property_manager import PropertyManager
from models.service_point import ServicePoint
from netsign_console.demo.accounts import DEVELOPER, DEVELOPER_2
from netsign_console.demo.loader import org_id, seed_step

CCB = "中国建设银行股份有限公司长沙分行"
CMB = "招商银行股份有限公司长沙分行"

PROJECTS = [
    dict(developer=DEVELOPER, name="星城·湘江府", location="长沙市天心区湘府中路288号", district="天心区",
         land_area=Decimal("45210.3500"), planned_gross_area=Decimal("168530.2100"),
         total_investment=Decimal("1250000000.00"), start_date=date(2024, 3, 18),
         planned_completion_date=date(2026, 12, 31), status="under_construction"),
    dict(developer=DEVELOPER, name="星城·麓谷雅苑", location="长沙市岳麓区文轩路27号", district="岳麓区",
         land_area=Decimal("30588.6000"), planned_gross_area=Decimal("98650.4500"),
         total_investment=Decimal("680000000.00"), start_date=date(2025, 5, 6),
         planned_completion_date=date(2027, 10, 30), status="planning"),
    dict(developer=DEVELOPER_2, name="麓山·桃李苑", location="长沙市岳麓区麓山南路9号", district="岳麓区",
         land_area=Decimal("21876.0000"), planned_gross_area=Decimal("65210.8800"),
         total_investment=Decimal("420000000.00"), start_date=date(2024, 9, 1),
         planned_completion_date=date(2026, 8, 31), status="under_construction"),
]

# project name -> (kind, number, issue date, area, authority)
CERTIFICATES = {
    "星城·湘江府": [
        ("land_use", "湘(2023)长沙市不动产权第0123456号", date(2023, 11, 2), Decimal("45210.3500"), "长沙市自然资源和规划局"),
        ("land_planning", "地字第430100202300087号", date(2023, 12, 8), Decimal("45210.3500"), "长沙市自然资源和规划局"),
        ("construction_planning", "建字第430100202400031号", date(2024, 1, 22), Decimal("168530.2100"), "长沙市自然资源和规划局"),
        ("construction", "430103202403180101", date(2024, 3, 15), Decimal("168530.2100"), "长沙市住房和城乡建设局"),
    ],
    "麓山·桃李苑": [
        ("land_use", "湘(2024)长沙市不动产权第0208811号", date(2024, 4, 10), Decimal("21876.0000"), "长沙市自然资源和规划局"),
        ("land_planning", "地字第430100202400112号", date(2024, 5, 16), Decimal("21876.0000"), "长沙市自然资源和规划局"),
    ],
}

# (developer, bank, kind)
BANK_LINKS = [(DEVELOPER, CCB, "mortgage"), (DEVELOPER, CMB, "mortgage"), (DEVELOPER, CCB, "loan"),
              (DEVELOPER_2, CMB, "mortgage")]

ACCOUNTS = [
    dict(developer=DEVELOPER, bank=CMB, account_name="湖南星城置业有限公司星城·湘江府预售资金监管专户",
         account_number="731900123410801", opening_branch="招商银行股份有限公司长沙分行营业部"),
]

PROPERTY_MANAGERS = [
    dict(developer=DEVELOPER, name="长沙星城物业服务有限公司", credit_code="91430100MA4L0006XF", contact_person="刘敏",
         contact_phone="0731-85201234", address="长沙市天心区书院路66号"),
]

# From S0 §三.3 (Changsha resale filing windows).
SERVICE_POINTS = [
    ("芙蓉点", "芙蓉区", "芙蓉区人民东路189号芙蓉区政务服务中心二楼", "201、202", "84529160"),
    ("市府点", "岳麓区", "岳麓区金星路长沙市服务中心一楼B厅", "B25、B26", "88665171"),
    ("天心点", "天心区", "天心区湘府中路298号天心区政务服务中心二楼", "31、32", "84662600"),
    ("麓谷点", "高新区", "高新区文轩路麓谷企业广场A4栋大厅", "13、14", "85061180"),
    ("开福点", "开福区", "开福区芙蓉北路盛世路1号开福区政府大院东北角", "20、21", "84661972"),
    ("雨花点", "雨花区", "雨花区香樟路592号雨花市民之家3楼", "F32-F33", "84662686"),
]


def _exists(session: Session, stmt) -> bool:
    return session.exec(stmt).first() is not None


TABLES = ("project", "project_certificate", "bank_link", "supervision_account", "property_manager", "service_point")


@seed_step("项目与基础信息")
def seed_master_data(session: Session) -> int:
    # Until the Alembic revision for these tables exists, a migrated database lacks them: skip.
    inspector = inspect(session.connection())
    if not all(inspector.has_table(t) for t in TABLES):
        return 0
    added = 0
    project_ids: dict[str, int] = {}
    for spec in PROJECTS:
        spec = dict(spec)
        developer_id = org_id(session, spec.pop("developer"))
        found = session.exec(select(Project).where(Project.developer_org_id == developer_id, Project.name == spec["name"])).first()
        if found is None:
            found = Project(developer_org_id=developer_id, **spec)
            session.add(found)
            session.flush()
            added += 1
        project_ids[found.name] = found.id
    for project_name, certificates in CERTIFICATES.items():
        pid = project_ids[project_name]
        for kind, number, issued_on, area, authority in certificates:
            stmt = select(ProjectCertificate.id).where(ProjectCertificate.project_id == pid,
                                                       ProjectCertificate.kind == kind, ProjectCertificate.number == number)
            if not _exists(session, stmt):
                session.add(ProjectCertificate(project_id=pid, kind=kind, number=number, issued_on=issued_on, area=area,
                                               issuing_authority=authority))
                added += 1
    for developer, bank, kind in BANK_LINKS:
        dev_id, bank_id = org_id(session, developer), org_id(session, bank)
        stmt = select(BankLink.id).where(BankLink.organization_id == dev_id, BankLink.bank_org_id == bank_id,
                                         BankLink.kind == kind)
        if not _exists(session, stmt):
            session.add(BankLink(organization_id=dev_id, bank_org_id=bank_id, kind=kind))
            added += 1
    for spec in ACCOUNTS:
        if not _exists(session, select(SupervisionAccount.id).where(SupervisionAccount.account_number == spec["account_number"])):
            spec = dict(spec)
            session.add(SupervisionAccount(organization_id=org_id(session, spec.pop("developer")),
                                           bank_org_id=org_id(session, spec.pop("bank")), **spec))
            added += 1
    for spec in PROPERTY_MANAGERS:
        spec = dict(spec)
        dev_id = org_id(session, spec.pop("developer"))
        stmt = select(PropertyManager.id).where(PropertyManager.organization_id == dev_id, PropertyManager.name == spec["name"])
        if not _exists(session, stmt):
            session.add(PropertyManager(organization_id=dev_id, **spec))
            added += 1
    for order, (name, district, address, windows, phone) in enumerate(SERVICE_POINTS, start=1):
        if not _exists(session, select(ServicePoint.id).where(ServicePoint.name == name)):
            session.add(ServicePoint(name=name, channel="center_window", district=district, address=address,
                                     windows=windows, phone=phone,
                                     sort_order=order))
            added += 1
    session.flush()
    return added
