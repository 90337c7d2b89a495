"""A generated city, as rows: organisations, users, projects, buildings, rooms, and
network-access cases with their tasks.

Everything is deterministic (one seeded Random, a fixed "now"), so SQLite and PostgreSQL
hold identical data and two runs measure the same thing. Each generator yields plain
tuples in the order of its COLUMNS; ids are given explicitly so child rows need no
round-trip to learn them.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterator

from models.enums import OrgType, Role, TradeStatus
from netsign_console.domain.validators import _credit_check_char, _org_code_check_char

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)  # fixed, so reruns are identical
LOCAL = timedelta(hours=8)  # case numbers use the local (Asia/Shanghai) day
ROOMS_PER_BUILDING = 200  # 25 floors x 4 units x 2 rooms
FLOORS, UNITS, PER_FLOOR = 25, 4, 2
BUILDINGS_PER_PROJECT = 10
PROJECTS_PER_DEVELOPER = 10

DISTRICTS = [("芙蓉区", "430102"), ("天心区", "430103"), ("岳麓区", "430104"), ("开福区", "430105"),
             ("雨花区", "430111"), ("望城区", "430112"), ("长沙县", "430121"), ("浏阳市", "430181"),
             ("宁乡市", "430182")]
ROADS = ["湘府中路", "芙蓉中路", "麓山南路", "韶山北路", "五一大道", "人民东路", "岳麓大道", "万家丽路",
         "金星中路", "东二环", "劳动西路", "潇湘北路", "桐梓坡路", "黄兴南路", "星沙大道"]
TRADE_NAMES = ["星城", "麓山", "湘江", "橘洲", "岳麓", "芙蓉", "天心", "开福", "雨花", "望城", "梅溪", "洋湖",
               "浏河", "沩江", "金霞", "松雅", "洞井", "暮云", "黄花", "捞刀", "月湖", "北辰", "华远", "湘府",
               "潇湘", "楚天", "洞庭", "衡岳", "韶峰", "沩水", "靳江", "圭塘", "桃花", "白沙", "天马", "岳华",
               "含浦", "坪塘", "湘龙", "星沙", "榔梨", "金洲", "沙坪", "丁字", "霞凝", "高塘", "谷山", "尖山",
               "象鼻", "莲花"]
COMPANY_KINDS = ["置业有限公司", "房地产开发有限公司", "地产集团有限公司", "实业发展有限公司"]
PROJECT_NAMES = ["湘江府", "雅苑", "华庭", "公馆", "御园", "名邸", "花园", "壹号院", "天境", "悦府"]
BANKS = ["中国建设银行", "中国工商银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "中信银行",
         "兴业银行", "上海浦东发展银行", "长沙银行"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "秀英", "建华",
         "志强", "海燕", "晓东", "丽娟", "文博", "子涵", "思远", "雨萱"]


@dataclass
class City:
    """What was generated, so later tables can point at earlier rows."""

    rooms: int
    tasks: int
    archived: int
    rng: random.Random = field(default_factory=lambda: random.Random(20260115))
    regulator_org: int = 1
    developer_orgs: list[int] = field(default_factory=list)
    dev_users: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)  # org -> (id, username, name)
    reviewers: list[int] = field(default_factory=list)
    projects: list[tuple[int, int, int, float]] = field(default_factory=list)  # id, org, district idx, age 0..1

    @property
    def n_buildings(self) -> int:
        return math.ceil(self.rooms / ROOMS_PER_BUILDING)

    @property
    def n_projects(self) -> int:
        return math.ceil(self.n_buildings / BUILDINGS_PER_PROJECT)

    @property
    def n_developers(self) -> int:
        return math.ceil(self.n_projects / PROJECTS_PER_DEVELOPER)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)


def _stamp(d: datetime) -> datetime:
    return d.replace(microsecond=0)


def credit_code(rng: random.Random, kind: str, region: str) -> str:
    """A unified social credit code that passes both check characters (GB 32100 / GB 11714)."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = kind + region + body + _org_code_check_char(body)
    return first17 + _credit_check_char(first17)


# ---------------------------------------------------------------- organisations and users
ORG_COLUMNS = ("id", "org_type", "name", "credit_code", "enterprise_type", "legal_rep", "region", "status",
               "is_valid", "established_on", "registered_capital", "registered_address", "contact_phone",
               "created_at", "updated_at")
USER_COLUMNS = ("id", "username", "phone", "display_name", "password_hash", "role", "organization_id",
                "is_active", "network_access_status", "failed_login_count", "created_at", "updated_at")


def organizations(city: City) -> Iterator[tuple]:
    rng, created = city.rng, _stamp(NOW - timedelta(days=900))

    def org(oid, org_type, name, kind, region, etype, capital):
        district = next((d for d, code in DISTRICTS if code == region), "长沙市")
        return (oid, org_type.value, name, credit_code(rng, kind, region), etype, city.person(), district, "正常",
                True, date(2000 + rng.randrange(20), rng.randrange(1, 13), rng.randrange(1, 28)),
                Decimal(capital), f"长沙市{district}{rng.choice(ROADS)}{rng.randrange(1, 400)}号",
                f"0731-8{rng.randrange(1000000, 9999999)}", created, created)

    yield org(1, OrgType.REGULATOR, "长沙市住房和城乡建设局", "11", "430100", "机关", "0.00")
    next_id = 2
    for n in range(city.n_developers):
        word = TRADE_NAMES[n % len(TRADE_NAMES)] + ("" if n < len(TRADE_NAMES) else str(n // len(TRADE_NAMES)))
        name = f"{'湖南' if n % 2 else '长沙'}{word}{COMPANY_KINDS[n % len(COMPANY_KINDS)]}"
        region = DISTRICTS[n % len(DISTRICTS)][1]
        yield org(next_id, OrgType.DEVELOPER, name, "91", region, "有限责任公司",
                  f"{rng.randrange(2, 50) * 10_000_000}.00")
        city.developer_orgs.append(next_id)
        next_id += 1
    for bank in BANKS:
        name = "长沙银行股份有限公司" if bank == "长沙银行" else f"{bank}股份有限公司长沙分行"
        yield org(next_id, OrgType.BANK, name, "91", "430102", "股份有限公司（分公司）", "0.00")
        next_id += 1
    yield org(next_id, OrgType.PROVIDENT_FUND_CENTER, "长沙住房公积金管理中心", "12", "430100", "事业单位", "0.00")


def users(city: City, password_hash: str) -> Iterator[tuple]:
    """A few accounts per organisation; all share one (unusable) password hash."""
    created = _stamp(NOW - timedelta(days=800))
    seq = 0

    def user(username, role, org_id):
        nonlocal seq
        seq += 1
        name = city.person()
        row = (seq, username, f"139{seq:08d}", name, password_hash, role.value, org_id, True, "approved", 0,
               created, created)
        return row, (seq, username, name)

    for username, role in (("reg_admin", Role.SYSTEM_ADMIN), ("reg_review01", Role.REGULATOR),
                           ("reg_review02", Role.REGULATOR), ("reg_review03", Role.REGULATOR),
                           ("reg_survey", Role.SURVEY_OFFICE), ("reg_window", Role.SERVICE_WINDOW)):
        row, ident = user(username, role, city.regulator_org)
        if role == Role.REGULATOR:
            city.reviewers.append(ident[0])
        yield row
    for n, org_id in enumerate(city.developer_orgs, start=1):
        city.dev_users[org_id] = []
        for suffix, role in (("admin", Role.DEVELOPER_ADMIN), ("op1", Role.OPERATOR), ("op2", Role.OPERATOR)):
            row, ident = user(f"dev{n:02d}_{suffix}", role, org_id)
            city.dev_users[org_id].append(ident)
            yield row
    first_bank = city.developer_orgs[-1] + 1
    for n in range(len(BANKS)):
        yield user(f"bank{n + 1:02d}_mortgage", Role.MORTGAGE_BANK, first_bank + n)[0]
        yield user(f"bank{n + 1:02d}_op", Role.OPERATOR, first_bank + n)[0]
    yield user("fund_center", Role.PROVIDENT_FUND_CENTER, first_bank + len(BANKS))[0]


# ---------------------------------------------------------------- projects, buildings, rooms
PROJECT_COLUMNS = ("id", "developer_org_id", "name", "location", "district", "land_area", "planned_gross_area",
                   "total_investment", "start_date", "planned_completion_date", "status", "created_at", "updated_at")
BUILDING_COLUMNS = ("id", "project_id", "developer_org_id", "building_number", "survey_code", "name", "address",
                    "total_units", "gross_area", "structure", "height", "floors_above", "floors_below",
                    "unit_count", "created_at", "updated_at")
ROOM_COLUMNS = ("id", "building_id", "project_id", "developer_org_id", "room_number", "unit", "actual_floor",
                "nominal_floor", "gross_area", "inner_area", "shared_area", "structure", "room_type", "usage",
                "nature", "has_elevator", "layout", "decoration", "shell_price", "decoration_price", "sale_price",
                "trade_status", "designation", "version", "created_at", "updated_at")


def projects(city: City) -> Iterator[tuple]:
    """Projects are numbered by start date, developers interleaved, as a city fills up over
    time: one developer's rooms are spread over the table, not one contiguous block."""
    rng = city.rng
    slots = [(org, k) for org in city.developer_orgs for k in range(PROJECTS_PER_DEVELOPER)][: city.n_projects]
    rng.shuffle(slots)
    first_day, span = date(2018, 3, 1), (NOW.date() - date(2018, 3, 1)).days - 120
    for pid, (org, k) in enumerate(slots, start=1):
        age = 1 - (pid - 1) / max(1, len(slots) - 1)  # 1 = oldest
        start = first_day + timedelta(days=int(span * (1 - age)))
        district_idx = rng.randrange(len(DISTRICTS))
        district = DISTRICTS[district_idx][0]
        word = next(n for n, o in enumerate(city.developer_orgs) if o == org)
        name = f"{TRADE_NAMES[word % len(TRADE_NAMES)]}·{PROJECT_NAMES[k]}"
        status = "completed" if age > 0.45 else "under_construction" if age > 0.05 else "planning"
        created = _stamp(datetime.combine(start, datetime.min.time(), timezone.utc) - timedelta(days=30))
        city.projects.append((pid, org, district_idx, age))
        yield (pid, org, name, f"长沙市{district}{rng.choice(ROADS)}{rng.randrange(1, 600)}号", district,
               Decimal(rng.randrange(20_000, 60_000)), Decimal(rng.randrange(60_000, 200_000)),
               Decimal(rng.randrange(300, 2000) * 1_000_000), start, start + timedelta(days=900), status,
               created, created)


def _area(ten_thousandths: int) -> Decimal:
    return Decimal(ten_thousandths).scaleb(-4)


def buildings_and_rooms(city: City) -> tuple[Iterator[tuple], Iterator[tuple]]:
    """Two generators over one walk of the city; buildings must be consumed first (FKs)."""
    plan = []  # (building id, project row, number in project, stacks, ratio, base price)
    rng = city.rng
    remaining = city.rooms
    bid = 0
    for pid, org, district_idx, age in city.projects:
        base_price = rng.randrange(800, 1800) * 10  # yuan per m², Changsha new homes
        decorated = rng.random() < 0.4
        for n in range(1, BUILDINGS_PER_PROJECT + 1):
            if remaining <= 0:
                break
            bid += 1
            # 8 stacks (unit x position) per building; a stack has the same areas on every floor.
            stacks = {(u, r): rng.randrange(880_000, 1_050_000) if r == 1 else rng.randrange(680_000, 780_000)
                      for u in range(1, UNITS + 1) for r in range(1, PER_FLOOR + 1)}
            ratio = rng.randrange(180, 260) / 1000
            plan.append((bid, pid, org, district_idx, age, n, stacks, ratio, base_price, decorated,
                         min(ROOMS_PER_BUILDING, remaining)))
            remaining -= ROOMS_PER_BUILDING

    def building_rows():
        for bid, pid, org, district_idx, age, n, stacks, ratio, *_ , count in plan:
            gross = sum(inner + round(inner * ratio) for inner in stacks.values()) * FLOORS
            created = _stamp(NOW - timedelta(days=int(2500 * age) + 60))
            yield (bid, pid, org, f"{n}栋", f"{DISTRICTS[district_idx][1]}{pid:05d}{n:03d}",
                   f"{n}栋", f"{DISTRICTS[district_idx][0]}{n}栋", count, _area(gross), "3",
                   Decimal("75.6000"), FLOORS, 2, UNITS, created, created)

    def room_rows():
        rid = 0
        rand = rng.random
        for bid, pid, org, _d, age, n, stacks, ratio, base_price, decorated, count in plan:
            created = _stamp(NOW - timedelta(days=int(2500 * age) + 30))
            sold_share = 0.15 + 0.83 * age  # old projects are nearly sold out
            areas = {k: (inner, round(inner * ratio)) for k, inner in stacks.items()}
            made = 0
            for floor in range(1, FLOORS + 1):
                for unit in range(1, UNITS + 1):
                    for r in range(1, PER_FLOOR + 1):
                        if made == count:
                            break
                        made += 1
                        rid += 1
                        inner, shared = areas[(unit, r)]
                        shop = floor == 1 and n == 1  # the first building's ground floor is shops
                        status, version = _trade_status(rand(), rand(), sold_share, age)
                        priced = status != TradeStatus.NOT_FOR_SALE.value
                        shell = base_price + 30 * floor + (3000 if shop else 0)
                        deco = 2000 if decorated and not shop else 0
                        yield (rid, bid, pid, org, f"{unit}-{floor:02d}{r:02d}", str(unit), floor, str(floor),
                               _area(inner + shared), _area(inner), _area(shared), "3", "2" if shop else "1",
                               "30" if shop else "11", "0", True,
                               None if shop else ("三室两厅两卫" if r == 1 else "两室两厅一卫"),
                               "精装" if deco else "毛坯",
                               Decimal(shell) if priced else None, Decimal(deco) if priced else None,
                               Decimal(shell + deco) if priced else None, status,
                               "retained" if status == TradeStatus.NOT_FOR_SALE.value else None, version,
                               created, created)

    return building_rows(), room_rows()


def _trade_status(x: float, y: float, sold_share: float, age: float) -> tuple[str, int]:
    """About 8% held back; of the rest, older projects are mostly filed or registered."""
    if x < 0.08:
        return TradeStatus.NOT_FOR_SALE.value, 1
    if y >= sold_share:
        return TradeStatus.SALEABLE.value, 1
    z = y / sold_share  # uniform again within the sold part
    if z < 0.03:
        return TradeStatus.SIGNING.value, 2
    if z < 0.12:
        return TradeStatus.SIGNED.value, 3
    if z < 0.12 + 0.88 * age * 0.5:
        return TradeStatus.REGISTERED.value, 5
    return TradeStatus.FILED.value, 4


# ---------------------------------------------------------------- network-access cases and tasks
CASE_COLUMNS = ("id", "number", "case_type", "flow_version", "title", "status", "current_stage", "subject_type",
                "subject_id", "org_id", "created_by_id", "created_at", "updated_at", "archived_at", "decision",
                "data")
TASK_COLUMNS = ("id", "case_id", "stage", "stage_title", "roles", "org_id", "owner_id", "status", "created_at",
                "claimed_at", "finished_at", "dispatched_by_id", "previous_task_id", "opinion", "split_id",
                "branch_key")
# One active case in eleven has two open tasks at once, as after a split (a second review in
# parallel, routed to a bank): of `tasks` open tasks, tasks // 11 are such second branches.
SPLIT_SHARE = 11
SEQUENCE_COLUMNS = ("day", "last_value")


def cases_and_tasks(city: City, review_roles: str) -> tuple[list[tuple], Iterator[tuple], list[tuple]]:
    """`tasks` open tasks in review plus `archived` decided cases, as the engine leaves them
    after accept + dispatch: a done apply task (held by the developer admin) and a review task
    (open and unowned, or archived and held by a reviewer). One active case in eleven was split:
    besides the regulator's review it has a parallel open review routed to a bank, so the
    open tasks include split branches the regulator's inbox must skip.

    Case events (the timeline) are not generated: neither benchmark reads them."""
    rng = city.rng
    splits = city.tasks // SPLIT_SHARE
    stamps = sorted(
        [(NOW - timedelta(seconds=rng.randrange(120 * 86400)), True) for _ in range(city.tasks - splits)]
        + [(NOW - timedelta(seconds=rng.randrange(120 * 86400, 730 * 86400)), False) for _ in range(city.archived)]
    )
    per_day: dict[date, int] = {}
    cases = []
    for cid, (created, active) in enumerate(stamps, start=1):
        created = _stamp(created)
        day = (created + LOCAL).date()
        per_day[day] = per_day.get(day, 0) + 1
        org = rng.choice(city.developer_orgs)
        admin, *operators = city.dev_users[org]
        subject_id, username, name = rng.choice(operators)
        decision = None if active else ("approve" if rng.random() < 0.9 else "reject")
        archived_at = None if active else created + timedelta(hours=rng.randrange(2, 72))
        cases.append((cid, f"N{day:%Y%m%d}{per_day[day]:07d}", "network_access", 1, f"{name}（{username}）用户入网",
                      "active" if active else "archived", "review", "user", subject_id, org, admin[0], created,
                      archived_at or created + timedelta(minutes=1), archived_at, decision,
                      json.dumps({"username": username, "display_name": name, "role": "operator"})))

    first_bank = city.developer_orgs[-1] + 1
    banks = [first_bank + n for n in range(len(BANKS))]

    def task_rows():
        split_left, extra_id, active_seen = splits, 2 * len(cases), 0
        for cid, _n, _t, _v, _title, status, _s, _st, _sid, org, admin_id, created, _u, archived_at, decision, _d \
                in cases:
            dispatched = created + timedelta(minutes=1)
            yield (2 * cid - 1, cid, "apply", "入网申请", Role.DEVELOPER_ADMIN.value, org, admin_id, "done",
                   created, created, dispatched, None, None, None, None, None)
            if status == "active":
                active_seen += 1
                split = split_left > 0 and active_seen % 10 == 0
                split_id = 2 * cid - 1 if split else None
                yield (2 * cid, cid, "review", "入网审核", review_roles, None, None, "open", dispatched,
                       None, None, admin_id, 2 * cid - 1, None, split_id, "review" if split else None)
                if split:
                    split_left -= 1
                    extra_id += 1
                    bank = rng.choice(banks)
                    yield (extra_id, cid, "bank_review", "银行审核", Role.MORTGAGE_BANK.value, bank, None, "open",
                           dispatched, None, None, admin_id, 2 * cid - 1, None, split_id, str(bank))
            else:
                yield (2 * cid, cid, "review", "入网审核", review_roles, None, rng.choice(city.reviewers),
                       "archived", dispatched, dispatched + timedelta(minutes=30), archived_at, admin_id,
                       2 * cid - 1, "同意" if decision == "approve" else "资料不全", None, None)

    return cases, task_rows(), sorted(per_day.items())
