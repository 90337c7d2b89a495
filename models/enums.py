"""Code lists with their Chinese labels.

Codes are glossary English (what the database and code see); labels are what people see.
"""

from __future__ import annotations

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label: Member = ("code", "标签")."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        if value is None or value == "":
            return ""
        try:
            return cls(value).label
        except ValueError:
            return str(value)


class OrgType(LabeledEnum):
    DEVELOPER = ("developer", "开发企业")
    BANK = ("bank", "银行")
    PROVIDENT_FUND_CENTER = ("provident_fund_center", "公积金中心")
    BROKERAGE = ("brokerage", "经纪机构")
    REGULATOR = ("regulator", "主管部门")
    PROPERTY_MANAGER = ("property_manager", "物业公司")


class KeyAmountRule(LabeledEnum):
    """How 重点监管资金 is computed (FUND-02, N12): the city's rule (domain/fund.py computes it)."""

    AREA = ("area", "监管户室建筑面积×每平方米标准金额")
    RATIO = ("ratio", "项目预售总额×监管比例")


class LedgerKind(LabeledEnum):
    """A movement of a pre-sale fund supervision account (FUND-10): what the figures sum by."""

    DEPOSIT = ("deposit", "入账")
    DISBURSEMENT = ("disbursement", "拨付")
    REFUND = ("refund", "退款")


class Role(LabeledEnum):
    SYSTEM_ADMIN = ("system_admin", "系统管理员")
    DEVELOPER_ADMIN = ("developer_admin", "开发企业管理员")
    OPERATOR = ("operator", "经办人")
    REGULATOR = ("regulator", "主管部门审核人员")
    SURVEY_OFFICE = ("survey_office", "测绘科")
    MORTGAGE_BANK = ("mortgage_bank", "按揭银行")
    SUPERVISING_BANK = ("supervising_bank", "监管银行")
    PROVIDENT_FUND_CENTER = ("provident_fund_center", "公积金中心")
    BROKERAGE = ("brokerage", "经纪机构")
    SERVICE_WINDOW = ("service_window", "交易中心窗口")
    BUYER = ("buyer", "购房人")
    SELLER = ("seller", "出卖人")


# Which roles a user of each kind of organisation may hold; public users have none.
ROLES_BY_ORG_TYPE: dict[OrgType, tuple[Role, ...]] = {
    OrgType.DEVELOPER: (Role.DEVELOPER_ADMIN, Role.OPERATOR),
    OrgType.BANK: (Role.MORTGAGE_BANK, Role.SUPERVISING_BANK, Role.OPERATOR),
    OrgType.PROVIDENT_FUND_CENTER: (Role.PROVIDENT_FUND_CENTER, Role.OPERATOR),
    OrgType.BROKERAGE: (Role.BROKERAGE, Role.OPERATOR),
    OrgType.REGULATOR: (Role.SYSTEM_ADMIN, Role.REGULATOR, Role.SURVEY_OFFICE, Role.SERVICE_WINDOW),
    OrgType.PROPERTY_MANAGER: (Role.OPERATOR,),
}
PUBLIC_ROLES = (Role.BUYER, Role.SELLER)


class NetworkAccessStatus(LabeledEnum):
    """入网 status of an enterprise user (SYS-09): only APPROVED users may log in."""

    DRAFT = ("draft", "未申请")
    PENDING = ("pending", "待审核")
    APPROVED = ("approved", "已入网")
    REJECTED = ("rejected", "已驳回")
    REVOKED = ("revoked", "已停用")


class TradeStatus(LabeledEnum):
    """A room's trade status (FEATURES §1.17): mutually exclusive, one at a time."""

    NOT_FOR_SALE = ("not_for_sale", "不可售")
    SALEABLE = ("saleable", "可售")
    SIGNING = ("signing", "签约中")
    SIGNED = ("signed", "已签约")
    FILED = ("filed", "已备案")
    REGISTERED = ("registered", "已登记")


class PaymentMethod(LabeledEnum):
    """付款方式 (SIGN-05); domain/loan.py routes the loan reviews by it (SIGN-15)."""

    LUMP_SUM = ("lump_sum", "一次性付款")
    INSTALMENT = ("instalment", "分期付款")
    COMMERCIAL_LOAN = ("commercial_loan", "商业贷款")
    PROVIDENT_FUND_LOAN = ("provident_fund_loan", "公积金贷款")
    COMBINED_LOAN = ("combined_loan", "组合贷")


class RestrictionKind(LabeledEnum):
    """Restrictions stack on a room (FEATURES §1.17, N15 查封类型)."""

    SEIZURE = ("seizure", "查封")
    WAITING_SEIZURE = ("waiting_seizure", "轮候查封")
    PRE_SEIZURE = ("pre_seizure", "预查封")
    WAITING_PRE_SEIZURE = ("waiting_pre_seizure", "轮候预查封")
    ADMINISTRATIVE = ("administrative", "行政限制")
    MORTGAGE = ("mortgage", "抵押")
    CONSTRUCTION_MORTGAGE = ("construction_mortgage", "在建工程抵押")
    ADVANCE_NOTICE = ("advance_notice", "预告登记")
    OBJECTION = ("objection", "异议登记")


class SurveyKind(LabeledEnum):
    """测绘类型: a forecast (预测) from the drawings, or the as-built survey (实测) after completion."""

    FORECAST = ("forecast", "预测")
    AS_BUILT = ("as_built", "实测")


class SurveyResultStatus(LabeledEnum):
    """Where a survey result (测绘成果) of the survey office's library stands."""

    AVAILABLE = ("available", "待备案")
    FILING = ("filing", "备案中")
    FILED = ("filed", "已备案")
    SUPERSEDED = ("superseded", "已变更")


class LineageKind(LabeledEnum):
    """How an as-built room follows a forecast room (SURV-09, SURV-10)."""

    MATCH = ("match", "对照")
    SPLIT = ("split", "拆分")
    MERGE = ("merge", "合并")
    ADD = ("add", "新增")
    DELETE = ("delete", "删除")


class Designation(LabeledEnum):
    """A room's designation (FEATURES §1.17 用途标记), separate from its trade status."""

    PROPERTY_MGMT = ("property_mgmt", "物管用房")
    RESETTLEMENT = ("resettlement", "安置房")
    RESERVED = ("reserved", "保留房")
    NON_ORDINARY = ("non_ordinary", "非普通住宅")


class HouseStructure(LabeledEnum):
    """房屋结构 (N15)."""

    STEEL = ("1", "钢结构")
    STEEL_CONCRETE = ("2", "钢和钢筋混凝土结构")
    REINFORCED_CONCRETE = ("3", "钢筋混凝土结构")
    MIXED = ("4", "混合结构")
    BRICK_WOOD = ("5", "砖木结构")
    OTHER = ("6", "其它结构")


class HouseNature(LabeledEnum):
    """房屋性质 (N15)."""

    MARKET = ("0", "市场化商品房")
    RELOCATION = ("1", "动迁房")
    SUPPORTING = ("2", "配套商品房")
    PUBLIC_RENTAL = ("3", "公共租赁住房")
    LOW_RENT = ("4", "廉租住房")
    PRICE_LIMITED = ("5", "限价普通商品住房")
    AFFORDABLE = ("6", "经济适用住房")
    DIRECTED_SALE = ("7", "定销商品房")
    FUND_RAISED = ("8", "集资建房")
    WELFARE = ("9", "福利房")
    OTHER = ("99", "其它")


class HouseType(LabeledEnum):
    """房屋类型 (N15)."""

    RESIDENTIAL = ("1", "住宅")
    COMMERCIAL = ("2", "商业用房")
    OFFICE = ("3", "办公用房")
    INDUSTRIAL = ("4", "工业用房")
    STORAGE = ("5", "仓储用房")
    GARAGE = ("6", "车库")
    OTHER = ("99", "其它")


class HouseUsage(LabeledEnum):
    """规划用途 (N15, the top-level codes plus the ones the seeds use)."""

    RESIDENTIAL = ("10", "住宅")
    APARTMENT = ("11", "成套住宅")
    INDUSTRIAL = ("20", "工业交通仓储")
    COMMERCIAL = ("30", "商业金融信息")
    OFFICE = ("60", "办公")
    PROPERTY_MGMT = ("84", "物管用房")
    PARKING = ("85", "车位")
    OTHER = ("80", "其它")
