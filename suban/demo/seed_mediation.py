"""The demo district's mediation centre (矛盾纠纷调解): the one-stop centre at the district with the desks of
the departments seated there, a room at every street and at two villages, their mediators, and a year of
disputes made of real citizen messages (suban/demo/data/disputes.csv, see MESSAGES.md), with the grid
workers' risk reports and disputes escalated from (or registered for) the demo's cases.

Every dispute goes through the mediation services, each step at its own moment of the past year: the services
run on a demo clock as in seed_cases (`timezone.now` answers the moment of the step), so events, audit entries,
numbers, deadlines and the figures tell a plausible year. Each dispute is planned to stop at a stage (a few
just registered, some being mediated, a few overdue, most closed long ago), its steps spaced as a centre works
(acceptance within a day or two, sessions a few days apart, the agreement within the 30 days or after an
extension, the fulfilment visit a month after signing). The deadline clock runs last, in the order of time,
and warns or marks overdue what it would have. Nobody is told: the mediation services queue their messages
whatever suban.cases.notices.muted says, so the demo mutes them here as well (`quiet`).

The sessions' records, the agreements' terms and the visits' notes are the centre's words, made up per
category; what a dispute is about (its summary and facts) is always a real message, or the demo case it came
from.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Min
from django.utils import timezone

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.services import citizen_for_phone, staff_create
from suban.cases.models import Case, Nature, Status
from suban.cases.notices import muted
from suban.demo import data
from suban.demo.departments import DEPARTMENTS
from suban.demo.names import NameMaker
from suban.demo.seed_catalogue import DEMO_PATH
from suban.demo.seed_staff import password_hash
from suban.errors import DomainError
from suban.mediation import services as mediation
from suban.mediation.models import (
    AgreementKind,
    Category,
    Desk,
    Dispute,
    DisputeStatus,
    Mediator,
    MediatorKind,
    Party,
    PartyKind,
    Risk,
    RiskReport,
    Room,
    RoomLevel,
    Side,
    Source,
)
from suban.mediation.services import DisputeIn, PartyIn
from suban.org.models import GRID_KINDS, Place, Unit, UnitKind

DISPUTES = Path(__file__).resolve().parent / "data" / "disputes.csv"
SEED = 2027
DAYS = 360  # how far back the oldest dispute was registered

C = Category
S = DisputeStatus
K = MediatorKind

# ------------------------------------------------------------------------------------------------ the centre

CENTRE = "崂山区一站式矛盾纠纷调解中心"
CENTRE_ADDRESS = "崂山区社会治理服务中心一楼"
CENTRE_PHONE = "0532-88993000"
VILLAGES = ("南窑社区", "北宅社区")  # the communities with a village room of their own


@dataclass(frozen=True)
class DeskSpec:
    department: str  # its name in suban/demo/departments.py
    name: str
    categories: tuple[str, ...]  # what its mediator is good at
    kind: str  # of its mediator


DESKS: tuple[DeskSpec, ...] = (
    DeskSpec("区人民法院", "法院诉调对接窗口", (C.FAMILY, C.TRAFFIC, C.OTHER), K.PROFESSIONAL),
    DeskSpec("区司法局", "司法局人民调解窗口", (C.NEIGHBOURS, C.FAMILY, C.OTHER), K.PEOPLE),
    DeskSpec("公安崂山分局", "公安治安调解窗口", (C.NEIGHBOURS,), K.ADMINISTRATIVE),
    DeskSpec("区人力资源和社会保障局", "劳动人事争议调解窗口", (C.LABOUR,), K.ADMINISTRATIVE),
    DeskSpec("区住房城乡建设局", "物业纠纷调解窗口", (C.PROPERTY,), K.ADMINISTRATIVE),
    DeskSpec("区市场监督管理局", "消费纠纷调解窗口", (C.CONSUMER,), K.ADMINISTRATIVE),
    DeskSpec("区卫生健康局", "医疗纠纷调解窗口", (C.MEDICAL,), K.PROFESSIONAL),
    DeskSpec("交警崂山大队", "道路交通事故调解窗口", (C.TRAFFIC,), K.ADMINISTRATIVE),
    DeskSpec("区农业农村局", "农村土地承包纠纷调解窗口", (C.LAND,), K.ADMINISTRATIVE),
    DeskSpec("区妇联", "婚姻家庭纠纷调解窗口", (C.FAMILY,), K.PEOPLE),
    DeskSpec("区信访局", "信访接待窗口", (C.OTHER,), K.ADMINISTRATIVE),
)
# The desk whose mediator leads or joins a dispute of each category at the centre.
DESK_FOR: dict[str, str] = {
    C.NEIGHBOURS: "区司法局",
    C.PROPERTY: "区住房城乡建设局",
    C.LABOUR: "区人力资源和社会保障局",
    C.CONSUMER: "区市场监督管理局",
    C.MEDICAL: "区卫生健康局",
    C.TRAFFIC: "交警崂山大队",
    C.LAND: "区农业农村局",
    C.FAMILY: "区妇联",
    C.OTHER: "区信访局",
}
COURT = "区人民法院"  # its desk takes the court's referrals (诉前委派)
_DEPARTMENT_NAMES = {d.name for d in DEPARTMENTS}
assert all(d.department in _DEPARTMENT_NAMES for d in DESKS)
assert set(DESK_FOR.values()) | {COURT} <= {d.department for d in DESKS}
NAMED = {a.username: a for a in data.MEDIATOR_ACCOUNTS}
NAMED_DESK = "区人力资源和社会保障局"  # where `tiaojie_desk` sits
assert NAMED["tiaojie_desk"].unit == NAMED_DESK and NAMED["tiaojie_village"].unit == VILLAGES[0]

# What the mediators of a room are good at, in turn.
SPECIALITIES: tuple[str, ...] = (
    "neighbours,property,family",
    "labour,consumer",
    "land,traffic,other",
    "neighbours,land",
)


@dataclass(frozen=True)
class MediatorSpec:
    username: str
    name: str  # empty: a made-up one
    unit: str  # the account's unit
    room: str  # the room's name
    desk: str = ""
    kind: str = K.PEOPLE
    specialities: str = ""
    head: bool = False


def street_room_name(street: str) -> str:
    return f"{street}人民调解委员会调解室"


def village_room_name(community: str) -> str:
    return f"{community}人民调解委员会调解室"


def mediator_specs() -> list[MediatorSpec]:
    """Every mediator of the demo, the named ones (data.MEDIATOR_ACCOUNTS) among them."""
    district = data.DISTRICT_NAME
    specs = [
        MediatorSpec(
            "tiaojie", NAMED["tiaojie"].name, district, CENTRE, specialities="family,neighbours,other", head=True
        ),
        MediatorSpec("tjzx1", "", district, CENTRE, kind=K.PROFESSIONAL, specialities="labour,consumer,medical"),
        MediatorSpec("tjzx2", "", district, CENTRE, specialities="neighbours,property,land"),
    ]
    index = {d.name: i for i, d in enumerate(DEPARTMENTS)}
    for desk in DESKS:
        named = desk.department == NAMED_DESK
        username = "tiaojie_desk" if named else f"tjd{index[desk.department] + 1:02d}"
        name = NAMED["tiaojie_desk"].name if named else ""
        specs.append(
            MediatorSpec(username, name, desk.department, CENTRE, desk.name, desk.kind, ",".join(desk.categories))
        )
    for s, street in enumerate(data.STREETS):
        head = NAMED[f"tiaojie{s + 1}"]
        room = street_room_name(street.name)
        specs.append(MediatorSpec(head.username, head.name, street.name, room, specialities=SPECIALITIES[0], head=True))
        for k in (1, 2):
            specs.append(MediatorSpec(f"tj{s + 1}{k}", "", street.name, room, specialities=SPECIALITIES[k]))
        for c, community in enumerate(street.communities):
            if community.name not in VILLAGES:
                continue
            room = village_room_name(community.name)
            first = community.name == VILLAGES[0]
            specs.append(
                MediatorSpec(
                    "tiaojie_village" if first else f"tjc{s + 1}{c + 1}1",
                    NAMED["tiaojie_village"].name if first else "",
                    community.name,
                    room,
                    specialities=SPECIALITIES[3],
                    head=True,
                )
            )
            specs.append(
                MediatorSpec(f"tjc{s + 1}{c + 1}2", "", community.name, room, specialities="family,neighbours,other")
            )
    return specs


@dataclass
class Centre:
    """The demo's rooms and mediators, as the dispute lives use them."""

    centre: Room
    head: Mediator
    intake: list[Mediator]
    by_category: dict[str, Mediator]  # the desk mediator of each category (DESK_FOR)
    court: Mediator  # the court's desk mediator
    rooms_of: dict[int, Room]  # street or village unit id -> its room
    staff: dict[int, list[Mediator]]  # room id -> its mediators, the head first
    mediators: list[Mediator] = field(default_factory=list)

    def room_for(self, unit: Unit) -> Room:
        """The room nearest the place: its village's, else its street's."""
        node: Unit | None = unit
        while node is not None:
            if node.pk in self.rooms_of:
                return self.rooms_of[node.pk]
            node = node.parent
        return self.centre

    def head_of(self, room: Room) -> Mediator:
        return self.staff[room.pk][0]


def seat_centre(names: NameMaker) -> Centre:
    """The rooms, the desks and the mediators with their accounts (the demo password, hashed once)."""
    district = Unit.objects.get(code=data.DISTRICT_CODE)
    units = {
        u.name: u
        for u in Unit.objects.filter(path__startswith=district.path)
        .exclude(kind__in=GRID_KINDS)
        .select_related("parent")
    }
    centre = Room.objects.create(
        name=CENTRE, level=RoomLevel.CENTRE, unit=district, address=CENTRE_ADDRESS, phone=CENTRE_PHONE
    )
    rooms: dict[str, Room] = {CENTRE: centre}
    rooms_of: dict[int, Room] = {}
    for s, street in enumerate(data.STREETS):
        unit = units[street.name]
        room = Room.objects.create(
            name=street_room_name(street.name),
            level=RoomLevel.TOWNSHIP,
            unit=unit,
            address=f"{street.name}社会治理服务中心",
            phone=f"0532-8899{(s + 1) * 100 + 10:04d}",
        )
        rooms[room.name] = rooms_of[unit.pk] = room
        for c, community in enumerate(street.communities):
            if community.name in VILLAGES:
                unit = units[community.name]
                room = Room.objects.create(
                    name=village_room_name(community.name),
                    level=RoomLevel.VILLAGE,
                    unit=unit,
                    address=f"{community.name}党群服务中心",
                    phone=f"0532-88991{s + 1}{c + 1}1",
                )
                rooms[room.name] = rooms_of[unit.pk] = room
    desks = {d.name: Desk.objects.create(room=centre, unit=units[d.department], name=d.name) for d in DESKS}
    specs = mediator_specs()
    mediators: list[Mediator] = []
    for n, spec in enumerate(specs):
        user = staff_create(
            by=None,
            username=spec.username,
            name=spec.name or names(),
            unit=units[spec.unit],
            roles=[Role.MEDIATOR],
            phone=f"1390000{3001 + n:04d}",  # the fake block, beside the staff's 2xxx
            password=None,
        )
        mediators.append(
            Mediator.objects.create(
                user=user,
                room=rooms[spec.room],
                desk=desks[spec.desk] if spec.desk else None,
                kind=spec.kind,
                specialities=spec.specialities,
                head=spec.head,
            )
        )
    User.objects.filter(username__in=[s.username for s in specs]).update(password=password_hash())
    staff: dict[int, list[Mediator]] = {}
    for m in mediators:
        staff.setdefault(m.room_id, []).append(m)
    for people in staff.values():
        people.sort(key=lambda m: not m.head)
    at_desk = {m.desk.unit.name: m for m in mediators if m.desk is not None}
    return Centre(
        centre=centre,
        head=staff[centre.pk][0],
        intake=[m for m in staff[centre.pk] if m.desk_id is None],
        by_category={category: at_desk[department] for category, department in DESK_FOR.items()},
        court=at_desk[COURT],
        rooms_of=rooms_of,
        staff=staff,
        mediators=mediators,
    )


# --------------------------------------------------------------------------------------------- the stories


@dataclass(frozen=True)
class Story:
    """A real message a dispute is made of: its category, title and text."""

    category: str
    title: str
    text: str


def read_disputes(path: Path = DISPUTES) -> list[Story]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Story(r["category"], r["title"], r["text"]) for r in csv.DictReader(f)]


# Words of a case's message → the category of the dispute it makes (cases that are none of these stay cases).
CASE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (C.LABOUR, ("拖欠工资", "欠薪", "农民工工资", "工资", "劳动合同", "加班费", "工伤")),
    (C.NEIGHBOURS, ("噪音", "扰民", "漏水", "渗水", "邻居", "楼上", "楼下", "油烟", "养狗", "广场舞")),
    (C.PROPERTY, ("物业", "业委会", "业主委员会", "停车费", "车位", "开发商", "电梯")),
    (C.CONSUMER, ("退款", "退费", "押金", "消费者", "扣费", "霸王条款", "营业厅")),
    (C.LAND, ("宅基地", "承包地", "土地流转", "责任田", "山林")),
    (C.TRAFFIC, ("交通事故", "车祸", "肇事")),
    (C.MEDICAL, ("医疗纠纷", "医疗事故", "误诊")),
    (C.FAMILY, ("离婚", "赡养", "抚养费", "继承")),
)


def category_of_case(title: str, text: str) -> str | None:
    words = f"{title} {text}"
    for category, keys in CASE_WORDS:
        if any(k in words for k in keys):
            return category
    return None


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?\s*元")
DEFAULT_AMOUNTS: dict[str, tuple[int, int]] = {
    C.NEIGHBOURS: (500, 8000),
    C.PROPERTY: (800, 12000),
    C.LABOUR: (4000, 60000),
    C.CONSUMER: (300, 20000),
    C.LAND: (2000, 30000),
    C.MEDICAL: (5000, 120000),
    C.TRAFFIC: (3000, 80000),
}


def amount_in(text: str) -> Decimal | None:
    """The largest sum of money the message names (100 yuan to 5 million), if any."""
    found = []
    for number, wan in _AMOUNT.findall(text):
        value = Decimal(number) * (10000 if wan else 1)
        if 100 <= value <= 5_000_000:
            found.append(value)
    return max(found) if found else None


_ORGANISATION = re.compile(
    r"([\u4e00-\u9fa5A-Z0-9]{2,16}?(?:物业管理有限公司|物业服务有限公司|物业公司|物业|有限公司|公司|项目部|驾校|"
    r"健身房|健身俱乐部|健身会所|会所|医院|诊所|酒店|超市|药房|学校|幼儿园|亲子园|车行|宠物店|旅行社|餐饮|营业厅))"
)
_LEADING = re.compile(r"^(投诉|举报|反映|关于|请求|强烈要求|在)+")


def organisation_in(title: str) -> str:
    """The organisation a message's title complains of (its name as the message gives it), or ''."""
    m = _ORGANISATION.search(title)
    return _LEADING.sub("", m.group(1)) if m else ""


GENERIC_RESPONDENTS: dict[str, str] = {
    C.PROPERTY: "{community}物业服务中心",
    C.LABOUR: "青岛{word}建筑劳务有限公司",
    C.CONSUMER: "青岛{word}商贸有限公司",
    C.MEDICAL: "青岛{word}医院",
}
COMPANY_WORDS = ("宏达", "鑫源", "华建", "恒信", "盛邦", "海润", "金诚", "瑞丰")

# ------------------------------------------------------------------------------------------ the centre's words

SAID: dict[str, tuple[str, ...]] = {
    C.NEIGHBOURS: (
        "调解员分别听取双方陈述。申请人反映“{summary}”，已影响正常生活；被申请人承认存在问题，但认为对方要求过高。"
        "调解员释明《民法典》关于相邻关系的规定，引导双方互谅互让。",
        "调解员会同社区网格员到现场查看，确认问题属实。双方就整改方式和费用分担交换意见，被申请人同意先行整改，补偿数额待下次商定。",
        "双方情绪平稳。调解员提出折中方案：被申请人限期整改并适当补偿，申请人不再追究其他责任。申请人表示可以接受，被申请人要求回去与家人商量。",
    ),
    C.PROPERTY: (
        "申请人与物业服务企业项目经理到场。申请人反映“{summary}”；物业方解释了收费依据和维修进度。"
        "调解员对照物业服务合同逐项核对，指出物业方存在服务不到位的情况。",
        "住建局派驻调解员参加。双方对整改时限达成初步一致，对费用减免仍有分歧，约定三日内物业方拿出书面方案。",
        "物业方提交了整改方案和维修计划，业主代表提出补充意见，双方逐条确认。",
    ),
    C.LABOUR: (
        "申请人陈述用工经过及欠薪数额，提供了考勤记录和微信聊天记录；被申请人认可欠薪事实，但对数额有异议，称部分款项已支付。"
        "调解员讲解《劳动合同法》和《保障农民工工资支付条例》的相关规定。",
        "人社局派驻调解员参加，双方逐月核对工资明细，确认欠付数额；被申请人提出分期支付，申请人要求一次付清。",
        "总包单位负责人到场，同意从工程款中先行垫付，双方就支付时间达成一致意见。",
    ),
    C.CONSUMER: (
        "申请人出示合同和付款凭证，要求退款；经营者称已提供部分服务，只同意按比例退还。"
        "调解员讲解《消费者权益保护法》关于预付式消费的规定。",
        "市场监管局派驻调解员参加，双方对已消费部分的折算方式达成一致，对违约金仍有分歧。",
    ),
    C.LAND: (
        "调解员到现场查看地界，听取双方及村民小组长意见，查阅土地承包合同和确权登记资料。双方对边界认定分歧较大。",
        "村两委成员参加调解，对照确权图纸重新指界，双方基本认可，约定由村民小组负责埋设界桩。",
    ),
    C.FAMILY: (
        "调解员分别与双方谈话，了解家庭情况，双方情绪较为激动。调解员从亲情出发做疏导工作，建议双方冷静后再谈。",
        "妇联派驻调解员参加，双方就子女抚养和财产分配交换意见，初步达成一致。",
    ),
    C.MEDICAL: (
        "患方陈述诊疗经过，认为医院存在过错；院方代表说明诊疗过程，同意提交医疗纠纷人民调解委员会评估。调解员告知双方可申请医疗损害鉴定。",
        "卫健局派驻调解员参加，参考专家咨询意见，双方就补偿数额进行协商。",
    ),
    C.TRAFFIC: (
        "双方对交警出具的事故认定书无异议。双方就医疗费、误工费、护理费等赔偿项目逐项核对，保险公司理赔员到场说明理赔范围。",
        "双方对误工费计算标准分歧较大，调解员依照本省上一年度相关行业收入标准提出计算方案。",
    ),
    C.OTHER: (
        "调解员听取双方陈述，查阅相关材料，向双方释明法律规定，引导双方理性协商。",
        "双方各自提出解决方案，调解员归纳争议焦点，建议双方在下次调解前与家人充分商量。",
    ),
}
NEXT_STEPS = (
    "约定一周后再次调解。",
    "请双方补充提交相关证据材料。",
    "待被申请人与负责人商量后答复。",
    "由社区网格员跟进现场整改情况。",
    "",
)
# An agreement's clauses, per category.
TERMS: dict[str, tuple[str, ...]] = {
    C.NEIGHBOURS: (
        "一、被申请人于{deadline}前完成整改，消除对申请人的影响；",
        "二、{money}",
        "三、双方今后互谅互让、和睦相处，不再就此事发生争执。",
    ),
    C.PROPERTY: (
        "一、物业服务企业于{deadline}前完成整改并书面告知业主；",
        "二、{money}",
        "三、双方按照物业服务合同履行各自义务。",
    ),
    C.LABOUR: (
        "一、被申请人于{deadline}前一次性支付申请人劳动报酬{amount}元；",
        "二、申请人收到上述款项后，双方劳动争议一次性了结，申请人不再就本争议主张其他权利；",
        "三、如被申请人逾期未付，申请人可依法申请支付令或申请劳动仲裁。",
    ),
    C.CONSUMER: (
        "一、被申请人于{deadline}前退还申请人{amount}元；",
        "二、申请人收到退款后退回相关卡证；",
        "三、双方就本次消费纠纷再无其他争议。",
    ),
    C.LAND: (
        "一、双方以村民小组重新指认的界址为准，于{deadline}前埋设界桩；",
        "二、{money}",
        "三、双方今后不得越界耕种、建设。",
    ),
    C.FAMILY: (
        "一、双方同意子女随申请人生活，被申请人按月支付抚养费；",
        "二、双方共有财产按本协议附件所列分割，于{deadline}前办理完毕；",
        "三、双方今后互相尊重，妥善处理家庭事务。",
    ),
    C.MEDICAL: (
        "一、医方一次性补偿患方医疗费、护理费等各项费用共计{amount}元，于{deadline}前支付；",
        "二、患方收到款项后，双方就本次医疗纠纷再无其他争议。",
    ),
    C.TRAFFIC: (
        "一、被申请人（含保险理赔部分）赔偿申请人医疗费、误工费、护理费等共计{amount}元，于{deadline}前付清；",
        "二、申请人收到赔偿款后，双方就本次交通事故的赔偿再无其他争议。",
    ),
    C.OTHER: (
        "一、双方就“{summary}”一事达成和解；",
        "二、被申请人于{deadline}前履行约定义务；",
        "三、双方再无其他争议。",
    ),
}
MONEY = "被申请人一次性补偿申请人{amount}元，于协议签订之日起十日内付清；"
NO_MONEY = "整改完成后由社区网格员会同双方现场确认；"
ORAL_TERMS = (
    "双方当场达成口头协议：被申请人当日整改，申请人不再追究。",
    "双方当场达成口头协议：互相赔礼道歉，今后和睦相处。",
    "双方当场达成口头协议：被申请人三日内付清欠款，申请人撤回投诉。",
)
FAILURES: dict[str, tuple[str, str]] = {
    C.LABOUR: (
        "arbitration",
        "被申请人不认可欠薪数额，双方分歧较大，调解不成。已告知申请人向劳动人事争议仲裁委员会申请仲裁，并告知可申请法律援助。",
    ),
    C.CONSUMER: (
        "administrative",
        "经营者坚持不予退款，调解不成。已引导申请人向市场监管部门投诉，或依法向人民法院起诉。",
    ),
    C.PROPERTY: (
        "litigation",
        "物业服务企业与业主对收费依据分歧较大，多次调解未能达成一致。已告知双方可依法向人民法院起诉。",
    ),
    C.NEIGHBOURS: (
        "litigation",
        "被申请人拒绝承担维修费用，经多次调解未能达成一致。已告知申请人可向人民法院提起诉讼。",
    ),
    C.LAND: ("arbitration", "双方对承包地界址各执一词，调解不成。已告知当事人向农村土地承包仲裁委员会申请仲裁。"),
    C.FAMILY: ("litigation", "双方对财产分割分歧较大，调解不成，已告知当事人可向人民法院起诉。"),
    C.MEDICAL: ("litigation", "双方对医疗过错及赔偿数额分歧较大，调解不成，已告知患方可申请医疗损害鉴定后依法起诉。"),
    C.TRAFFIC: ("litigation", "双方对误工费、后续治疗费分歧较大，调解不成，已告知申请人可向人民法院起诉。"),
    C.OTHER: ("petition", "双方各执己见，调解不成。已告知申请人可通过信访渠道反映诉求。"),
}
DECLINES: tuple[tuple[str, str], ...] = (
    ("litigation", "该纠纷已由人民法院立案受理，依照《人民调解法》不再受理。"),
    ("administrative", "该事项属行政执法范围，不属人民调解受理范围，已告知申请人向主管部门反映。"),
    ("", "被申请人明确表示不同意调解，调解无法进行，已告知申请人可通过其他途径解决。"),
)
LABOUR_DECLINE = ("arbitration", "双方争议已进入劳动仲裁程序，不再受理，已告知申请人等候仲裁结果。")
KEPT = (
    "电话回访申请人，协议约定事项已按期履行，双方关系已缓和。",
    "上门回访，整改已完成，款项已付清，申请人表示满意。",
    "回访双方当事人，协议已全部履行，未再发生争执。",
)
NOT_KEPT = (
    "回访得知被申请人仅履行了部分义务，剩余款项至今未付。已告知申请人可依法申请强制执行或向人民法院起诉。",
    "回访得知被申请人未按期整改，申请人意见较大。已督促被申请人履行，并告知申请人可依法起诉。",
)
CLOSED_UNKEPT = "协议未完全履行，已引导当事人依法维权，本纠纷结案。"
ESCALATION_NOTE = "双方多次协商未果，诉求人同意转矛盾纠纷调解中心调解。"

# -------------------------------------------------------------------------------------------- the lives

# Where the disputes made of messages stop, per hundred: a little of every status, most closed long ago.
STAGES: tuple[tuple[str, int], ...] = (
    (S.REGISTERED, 4),
    (S.ACCEPTED, 3),
    (S.ASSIGNED, 4),
    (S.MEDIATING, 7),
    ("overdue", 3),  # mediating past (or near) its due date: the clock warns and marks it
    (S.AGREED, 8),
    (S.FAILED, 3),
    (S.DECLINED, 3),
    (S.FULFILLED, 4),
    (S.UNFULFILLED, 2),
    (S.CLOSED, 59),
)
# How a closed one ended, per hundred.
CLOSED_AS: tuple[tuple[str, int], ...] = ((S.FULFILLED, 68), (S.UNFULFILLED, 7), (S.FAILED, 17), (S.DECLINED, 8))
SOURCES: tuple[tuple[str, int], ...] = (
    (Source.WALK_IN, 30),
    (Source.CALL, 12),
    (Source.HOTLINE, 16),
    (Source.COURT, 10),
    (Source.SWEEP, 12),
    (Source.H5, 12),
)
ESCALATED = 6  # at most this many in-progress cases are sent to mediation
LINKED = 24  # at most this many other cases have a dispute registered for them
# The status each step leads to (extend and confirm leave it as it is).
LEADS_TO = {
    "accept": S.ACCEPTED,
    "assign": S.ASSIGNED,
    "session": S.MEDIATING,
    "agree": S.AGREED,
    "fail": S.FAILED,
    "decline": S.DECLINED,
    "visit": "visited",
    "close": S.CLOSED,
}


def shares(table: Sequence[tuple[str, int]], count: int, rng: random.Random, *, rest: str) -> list[str]:
    """`count` values in the shares of `table` (value, per hundred), shuffled: every value at least once when
    there are 20 or more, the remainder made up with `rest`; fewer than 20 are drawn at random."""
    if count < 20:
        return rng.choices([v for v, _n in table], [n for _v, n in table], k=count)
    total = sum(n for _v, n in table)
    plan = [value for value, n in table for _ in range(max(1, round(n * count / total)))]
    while len(plan) > count:
        plan.remove(rest)
    plan += [rest] * (count - len(plan))
    rng.shuffle(plan)
    return plan


@dataclass
class Life:
    """What happens to one dispute: its path to an outcome and when each step comes, in days after it was
    registered."""

    path: str  # agreed, failed or declined
    kept: bool = True  # an agreement's fulfilment
    overdue: bool = False  # open past the warning: no end in sight
    extension: int = 0  # days more, by the parties' agreement
    steps: list[tuple[str, float]] = field(default_factory=list)

    def at(self, step: str) -> float:
        return next(t for s, t in self.steps if s == step)

    def window(self, stage: str) -> tuple[float, float]:
        """When the dispute is in `stage`: from the step that leads to it to the next step that leads on."""
        changes = [(0.0, S.REGISTERED)] + [(t, LEADS_TO[s]) for s, t in self.steps if s in LEADS_TO]
        wanted = "visited" if stage in (S.FULFILLED, S.UNFULFILLED) else stage
        for i, (t, status) in enumerate(changes):
            if status == wanted:
                later = [u for u, st in changes[i + 1 :] if st != status]
                return t, (later[0] if later else t + DAYS)
        raise ValueError(stage)


def plan_life(rng: random.Random, path: str, *, overdue: bool = False, quick: bool = False) -> Life:
    """The steps of a dispute on `path`, spaced as a centre works: within the 30 days, or extended before its
    warning. `quick`: a simple one, settled within days (a case's escalation)."""
    life = Life(path=path, overdue=overdue, kept=rng.random() < 0.88)
    u = rng.uniform
    accept = u(0.05, 0.6) if quick else u(0.05, 1.6)
    if path == S.DECLINED:
        life.steps = [("decline", accept), ("close", accept + u(0.5, 5))]
        return life
    assign = accept + (u(0.05, 0.5) if quick else u(0.1, 2.5))
    steps: list[tuple[str, float]] = [("accept", accept), ("assign", assign)]
    count = rng.choice((1, 1, 2, 2, 3)) if not quick else 1
    slow = not quick and rng.random() < 0.2  # the parties take their time
    t = assign
    sessions = []
    for _ in range(count):
        t += u(0.2, 1.5) if quick else u(6, 15) if slow else u(1, 7)
        sessions.append(t)
    end = t + (u(0.0, 0.5) if quick else u(0.0, 2.0))
    last_allowed = accept + 26.5  # the clock warns 27 days after acceptance
    if end > last_allowed and not overdue and rng.random() < 0.6:
        # More time by the parties' agreement, asked before the warning (and so before the end).
        life.extension = rng.choice((10, 15, 20, 30))
        steps.append(("extend", accept + u(18, 25)))
        last_allowed += life.extension
    if end > last_allowed:  # squeeze the sessions into the time the dispute has
        scale = (last_allowed - assign) / (end - assign)
        sessions = [assign + (s - assign) * scale for s in sessions]
        end = last_allowed
    steps += [("session", s) for s in sessions]
    if overdue:
        life.steps = sorted(steps, key=lambda x: x[1])
        return life
    if path == S.AGREED:
        steps.append(("agree", end))
        if rng.random() < 0.3:
            steps.append(("confirm", end + u(1, 6)))
        visit = end + 30 + u(0, 4)
        steps += [("visit", visit), ("close", visit + u(0.5, 6))]
    else:
        steps += [("fail", end), ("close", end + u(1, 6))]
    life.steps = sorted(steps, key=lambda x: x[1])
    return life


def life_for(stage: str, rng: random.Random) -> tuple[Life, float, tuple[float, float]]:
    """A life that stands in `stage` now, its age (days since registration), and the ages at which it would
    still stand there."""
    if stage == "overdue":
        life = plan_life(rng, S.AGREED, overdue=True)
        warned = life.at("accept") + 27.1
        return life, warned + rng.uniform(0.2, 21), (warned, warned + DAYS)
    if stage == S.CLOSED:
        ended = rng.choices([s for s, _n in CLOSED_AS], [n for _s, n in CLOSED_AS])[0]
        path = S.AGREED if ended in (S.FULFILLED, S.UNFULFILLED) else ended
        life = plan_life(rng, path)
        life.kept = ended != S.UNFULFILLED
        close = life.at("close")
        return life, close + rng.uniform(0.5, max(1.0, DAYS - close)), (close, DAYS + close)
    if stage in (S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING):
        path = rng.choice((S.AGREED, S.AGREED, S.AGREED, S.FAILED))  # where it is heading
    else:
        path = stage if stage in (S.FAILED, S.DECLINED) else S.AGREED
    life = plan_life(rng, path)
    life.kept = stage != S.UNFULFILLED
    start, end = life.window(stage)
    return life, start + (end - start) * rng.uniform(0.15, 0.85), (start, end)


# ------------------------------------------------------------------------------------------------- helpers


@contextmanager
def demo_clock(now: datetime) -> Iterator[Callable[[datetime], None]]:
    """Run the services as if it were the moment set (never past `now`): timezone.now answers the demo clock,
    as in seed_cases.backdated."""
    moment = [now]
    real_now = timezone.now

    def set_to(when: datetime) -> None:
        # In UTC, as timezone.now answers (the audit log seals the moment as written).
        moment[0] = min(when, now).astimezone(UTC)

    timezone.now = lambda: moment[0]
    try:
        yield set_to
    finally:
        timezone.now = real_now


@contextmanager
def quiet() -> Iterator[None]:
    """Nobody hears of the demo's past: suban.cases.notices.muted mutes the case steps of an escalation and the
    mediation services' own messages."""
    with muted():
        yield


def _office(moment: datetime, rng: random.Random, now: datetime) -> datetime:
    """The moment moved into office hours (the next morning when it falls in the evening or the night), unless
    that would pass `now`."""
    local = timezone.localtime(moment)
    if time(8, 30) <= local.time() <= time(17, 45):
        return moment
    day = local.date() if local.time() < time(8, 30) else local.date() + timedelta(days=1)
    moved = timezone.make_aware(datetime.combine(day, time(8 + rng.randint(1, 3), rng.randint(0, 59))))
    return moved if moved < now else moment


@dataclass
class Parties:
    applicant: PartyIn
    respondents: tuple[PartyIn, ...]

    @property
    def names(self) -> tuple[str, str]:
        return self.applicant.name, "、".join(r.name for r in self.respondents) or "被申请人"


class Seeder:
    """Takes the disputes through the services, one life after another, on the demo clock."""

    def __init__(self, centre: Centre, now: datetime, rng: random.Random, set_clock: Callable[[datetime], None]):
        self.centre = centre
        self.now = now
        self.rng = rng
        self.set_clock = set_clock
        self.names = NameMaker(SEED)
        self.n = 0  # disputes made, for the parties' phones
        district = centre.centre.unit
        communities = list(
            Unit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=district.path, is_active=True)
            .select_related("parent")
            .order_by("path")
        )
        self.communities = communities
        # Disputes come more often from the villages with a room of their own (their rooms have work).
        self.community_weights = [3.0 if c.name in VILLAGES else 1.0 for c in communities]
        self.places: dict[int, list[str]] = {}
        for name, community_id in Place.objects.filter(unit__parent__in=communities).values_list(
            "name", "unit__parent_id"
        ):
            if community_id is not None:
                self.places.setdefault(community_id, []).append(name)
        self.grids: dict[int, list[Unit]] = {}
        for grid in Unit.objects.filter(kind=UnitKind.GRID, parent__in=communities).order_by("path"):
            assert grid.parent_id is not None
            self.grids.setdefault(grid.parent_id, []).append(grid)
        self.grid_workers: dict[int, User] = {}
        for user in User.objects.filter(
            unit__kind=UnitKind.GRID, unit__parent__in=communities, staff_roles__role=Role.GRID_WORKER
        ).order_by("username"):
            assert user.unit_id is not None
            self.grid_workers.setdefault(user.unit_id, user)
        self.reports = 0
        self.parties_of: dict[int, list[Party]] = {}  # of the dispute being lived

    # -- who and where

    def community(self) -> Unit:
        return self.rng.choices(self.communities, self.community_weights)[0]

    def address(self, community: Unit) -> str:
        place = self.rng.choice(self.places.get(community.pk) or [community.name])
        return f"{place}{self.rng.randint(1, 28)}号"

    def parties(self, category: str, title: str, community: Unit, applicant_phone: str = "") -> Parties:
        self.n += 1
        applicant = PartyIn(
            side=Side.APPLICANT,
            name=self.names(),
            phone=applicant_phone or f"1390000{5000 + self.n:04d}",
            address=self.address(community),
        )
        organisation = organisation_in(title)
        if not organisation and category in GENERIC_RESPONDENTS:
            organisation = GENERIC_RESPONDENTS[category].format(
                community=community.name.removesuffix("社区"), word=self.rng.choice(COMPANY_WORDS)
            )
        if organisation:
            respondent = PartyIn(side=Side.RESPONDENT, kind=PartyKind.ORGANISATION, name=organisation[:100])
        else:
            respondent = PartyIn(
                side=Side.RESPONDENT,
                name=self.names(),
                phone=f"1390000{7000 + self.n:04d}",
                address=self.address(community),
            )
        return Parties(applicant, (respondent,))

    def lead_in(self, room: Room, category: str) -> Mediator:
        people = self.centre.staff[room.pk]
        good = [m for m in people if category in m.speciality_list()]
        return self.rng.choice(good or people)

    # -- the steps

    def at(self, moment: datetime) -> None:
        self.set_clock(moment)

    def live(self, dispute: Dispute, life: Life, registered: datetime, age: float, registrar: Mediator | None) -> None:
        """Take `dispute` through the steps of `life` that came before now."""
        rng, centre = self.rng, self.centre
        category = dispute.category
        # Who accepts: the room it was brought to, else the centre.
        if registrar is not None and dispute.room_id is not None and registrar.room.level != RoomLevel.CENTRE:
            boss = centre.head_of(registrar.room)
        else:
            boss = centre.head if rng.random() < 0.7 else rng.choice(centre.intake)
        lead: Mediator | None = None
        joint: list[Mediator] = []
        held = 0  # sessions
        last = registered
        taken = sum(1 for _s, t in life.steps if t <= age)  # the steps that came before now
        for step, offset in life.steps:
            if offset > age:
                break
            moment = registered + timedelta(days=offset)
            moment = _office(moment, rng, self.now)
            moment = max(moment, last + timedelta(minutes=rng.randint(5, 40)))
            moment = min(moment, self.now - timedelta(minutes=taken))
            last = moment
            self.at(moment)
            # (The services keep `dispute` up to date: its status, version and fields after each step.)
            if step == "accept":
                mediation.dispute_accept(dispute=dispute, by=boss.user)
            elif step == "decline":
                channel, reason = (
                    LABOUR_DECLINE if category == C.LABOUR and rng.random() < 0.5 else rng.choice(DECLINES)
                )
                mediation.dispute_decline(dispute=dispute, by=boss.user, reason=reason, channel=channel)
            elif step == "assign":
                room, lead, joint = self.assignment(dispute, boss)
                mediation.dispute_assign(dispute=dispute, by=boss.user, room=room, lead=lead, joint=joint)
            elif step == "session":
                assert lead is not None
                self.session(dispute, lead, joint, moment, held)
                held += 1
            elif step == "extend":
                assert lead is not None
                days = life.extension
                mediation.dispute_extend(
                    dispute=dispute, by=lead.user, days=days, note=f"经双方当事人同意，调解期限延长{days}日。"
                )
            elif step == "agree":
                assert lead is not None
                self.agree(dispute, lead, moment)
            elif step == "confirm":  # asked of a written agreement with a sum to pay
                assert lead is not None
                if dispute.agreement == AgreementKind.WRITTEN and (dispute.amount or 0) >= 5000:
                    mediation.dispute_confirm(dispute=dispute, by=lead.user, note="双方共同向人民法院申请司法确认。")
            elif step == "fail":
                assert lead is not None
                referral, reason = FAILURES.get(category, FAILURES[C.OTHER])
                mediation.dispute_fail(dispute=dispute, by=lead.user, referral=referral, reason=reason)
            elif step == "visit":
                assert lead is not None
                note = rng.choice(KEPT if life.kept else NOT_KEPT)
                mediation.dispute_visit(dispute=dispute, by=lead.user, fulfilled=life.kept, note=note)
            elif step == "close":
                note = CLOSED_UNKEPT if dispute.status == S.UNFULFILLED else ""
                mediation.dispute_close(dispute=dispute, by=boss.user, note=note)

    def assignment(self, dispute: Dispute, boss: Mediator) -> tuple[Room, Mediator, list[Mediator]]:
        """The room at the right level and its mediators: the room that took it in keeps it; the centre keeps
        labour, medical and traffic disputes and the court's referrals at its desks more often than not, and
        sends the rest to the room nearest the place. A desk joins (联合调解) now and then."""
        rng, centre = self.rng, self.centre
        category = dispute.category
        desk = centre.by_category.get(category)
        if boss.room.level != RoomLevel.CENTRE:
            room = boss.room
        elif desk is not None and (
            dispute.source == Source.COURT or (category in (C.LABOUR, C.MEDICAL, C.TRAFFIC) and rng.random() < 0.6)
        ):
            lead = centre.court if dispute.source == Source.COURT else desk
            return centre.centre, lead, [rng.choice(centre.intake)]
        else:
            room = centre.room_for(dispute.unit)
        lead = self.lead_in(room, category)
        joint = [desk] if desk is not None and rng.random() < 0.3 else []
        return room, lead, joint

    def session(self, dispute: Dispute, lead: Mediator, joint: Sequence[Mediator], moment: datetime, held: int) -> None:
        rng = self.rng
        if dispute.pk not in self.parties_of:
            self.parties_of = {dispute.pk: list(dispute.parties.all())}
        parties = self.parties_of[dispute.pk]
        applicants = "、".join(p.name for p in parties if p.side == Side.APPLICANT)
        respondents = "、".join(p.name for p in parties if p.side == Side.RESPONDENT) or "被申请人（未到场）"
        mediators = "、".join(
            f"{m.user.name}（{m.desk.name}）" if m.desk is not None else m.user.name for m in (lead, *joint)
        )
        room = dispute.room or self.centre.centre
        on_site = dispute.category in (C.NEIGHBOURS, C.LAND) and rng.random() < 0.35
        place = f"现场（{parties[0].address or dispute.unit.name}）" if on_site else room.name
        desks = [m.desk for m in (lead, *joint) if m.desk is not None]
        # The first sitting hears both sides; later ones go on (with the words of a desk when one sits in).
        lines = SAID.get(dispute.category, SAID[C.OTHER])
        plain = [line for line in lines if "派驻" not in line]
        if held == 0:
            said = plain[0]
        else:
            sits_in = self.centre.by_category.get(dispute.category) in (lead, *joint)
            said = rng.choice([line for line in lines[1:] if sits_in or "派驻" not in line] or plain)
        said = said.format(summary=dispute.summary[:40])
        mediation.dispute_session(
            dispute=dispute,
            by=lead.user,
            held_at=moment,
            place=place[:200],
            attended=f"申请人：{applicants}；被申请人：{respondents}；调解员：{mediators}",
            said=said,
            next_step=rng.choice(NEXT_STEPS),
            desks=desks,
        )

    def agree(self, dispute: Dispute, lead: Mediator, moment: datetime) -> None:
        rng = self.rng
        oral = dispute.category in (C.NEIGHBOURS, C.OTHER) and rng.random() < 0.3
        if oral:
            mediation.dispute_agree(
                dispute=dispute, by=lead.user, kind=AgreementKind.ORAL, terms=rng.choice(ORAL_TERMS)
            )
            return
        deadline = timezone.localdate(moment) + timedelta(days=rng.choice((7, 10, 15, 20)))
        amount = dispute.amount
        if amount is not None:
            amount = (amount * Decimal(rng.choice(("0.5", "0.6", "0.7", "0.8", "1")))).quantize(Decimal("1"))
        clauses = "".join(TERMS.get(dispute.category, TERMS[C.OTHER]))
        if amount is None and "{amount}" in clauses:
            clauses = "".join(TERMS[C.OTHER])  # (a sum to pay, and nobody named one)
        terms = clauses.format(
            deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日",
            amount=f"{amount:,}" if amount is not None else "",
            money=MONEY.format(amount=f"{amount:,}") if amount is not None else NO_MONEY,
            summary=dispute.summary[:40],
        )
        mediation.dispute_agree(
            dispute=dispute,
            by=lead.user,
            kind=AgreementKind.WRITTEN,
            terms=terms,
            signed_on=timezone.localdate(moment),
        )

    # -- taking disputes in

    def register(
        self,
        story: Story,
        source: str,
        registered: datetime,
        *,
        risk: str = Risk.GENERAL,
        escalating: bool = False,
    ) -> tuple[Dispute, Mediator | None]:
        """The dispute of a real message, taken in as its source says; returns it and who registered it."""
        rng, centre = self.rng, self.centre
        community = self.community()
        parties = self.parties(story.category, story.title, community)
        amount = amount_in(story.text)
        if amount is None and story.category in DEFAULT_AMOUNTS and rng.random() < 0.6:
            low, high = DEFAULT_AMOUNTS[story.category]
            amount = Decimal(rng.randrange(low, high, 100))
        report = None
        if source == Source.SWEEP:
            report = self.risk(story, community, parties, registered - timedelta(days=rng.uniform(0.5, 3)), risk)
        self.at(registered)
        registrar: Mediator | None
        by: User
        if source == Source.H5:
            registrar, by = None, citizen_for_phone(parties.applicant.phone)
        elif source in (Source.COURT, Source.HOTLINE):  # a court's referral too: a desk registers none
            registrar = rng.choice(centre.intake)
            by = registrar.user
        elif rng.random() < 0.6:  # brought to the room nearest the place
            room = centre.room_for(community)
            registrar = rng.choice(centre.staff[room.pk])
            by = registrar.user
        else:
            registrar = rng.choice(centre.intake)
            by = registrar.user
        dispute = mediation.dispute_register(
            by=by,
            data=DisputeIn(
                category=story.category,
                summary=story.title[:200],
                source=source,
                unit=community,
                parties=(parties.applicant, *parties.respondents),
                facts=story.text,
                amount=amount,
                risk=risk,
                escalating=escalating,
            ),
            risk_report=report,
        )
        return dispute, registrar

    def risk(self, story: Story, community: Unit, parties: Parties, moment: datetime, level: str) -> RiskReport | None:
        """A grid worker's risk report from a sweep of one of the community's grids."""
        grids = [g for g in self.grids.get(community.pk, []) if g.pk in self.grid_workers]
        if not grids:
            return None
        grid = self.rng.choice(grids)
        self.at(moment)
        applicant, respondent = parties.names
        report = mediation.risk_report(
            by=self.grid_workers[grid.pk],
            grid=grid,
            category=story.category,
            level=level,
            parties=f"{applicant}与{respondent}"[:300],
            place=(parties.applicant.address or grid.name)[:200],
            what=f"{story.title.rstrip('。！？!?')}。{story.text[:300]}",
        )
        self.reports += 1
        return report

    def from_case(self, case: Case, category: str, registered: datetime) -> tuple[Dispute, Mediator]:
        """A dispute registered by the centre for a case that was not sent to mediation by its own step (it was
        not in progress): source "case", with its link, its caller the applicant."""
        self.at(registered)
        registrar = self.rng.choice(self.centre.intake)
        data = mediation.dispute_of_case(case, category=category, name=self.names())
        dispute = mediation.dispute_register(
            by=registrar.user,
            data=data,
            case=case,
        )
        return dispute, registrar


# ----------------------------------------------------------------------------------------------- the year


@dataclass(frozen=True)
class MediationCounts:
    rooms: int
    mediators: int
    disputes: int
    risk_reports: int
    escalated: int  # cases sent to mediation by their own step


def seed_mediation(disputes: int, *, now: datetime | None = None) -> MediationCounts:
    """The centre, its rooms and mediators, and `disputes` disputes made of real messages (plus those of the
    demo's cases). Runs inside the caller's transaction."""
    now = now or timezone.now()
    taken = set(User.objects.filter(unit__path__startswith=DEMO_PATH).values_list("name", flat=True)) | {
        a.name for a in data.DEMO_ACCOUNTS + data.MEDIATOR_ACCOUNTS
    }
    centre = seat_centre(NameMaker(data.SEED + 1, taken=taken))
    made = escalated = reports = 0
    if disputes > 0:
        rng = random.Random(SEED)
        stories = read_disputes()
        rng.shuffle(stories)
        # The first messages become disputes; sweeps found the next ones as risks (the same again when the
        # disputes took them all).
        kept, left = stories[:disputes], stories[disputes:] or stories
        with quiet(), demo_clock(now) as set_clock:
            seeder = Seeder(centre, now, rng, set_clock)
            made = _from_messages(seeder, kept)
            linked, escalated = _from_cases(seeder)
            made += linked
            reports = seeder.reports + _risks_only(seeder, left[: max(3, len(kept) // 8)])
            _run_clock(set_clock, now)
    rooms = Room.objects.filter(unit__path__startswith=DEMO_PATH).count()
    return MediationCounts(
        rooms=rooms, mediators=len(centre.mediators), disputes=made, risk_reports=reports, escalated=escalated
    )


def _from_messages(seeder: Seeder, stories: list[Story]) -> int:
    rng, now = seeder.rng, seeder.now
    plan = shares(STAGES, len(stories), rng, rest=S.CLOSED)
    lives = []
    for story, stage in zip(stories, plan, strict=True):
        life, age, (youngest, oldest) = life_for(stage, rng)
        registered = now - timedelta(days=age)
        in_office = _office(registered, rng, now)
        # Taken in during office hours when that leaves the dispute where it is planned to stand now.
        if youngest < (now - in_office).total_seconds() / 86400 < oldest:
            registered = in_office
        age = (now - registered).total_seconds() / 86400
        lives.append((registered, story, life, age, stage))
    lives.sort(key=lambda x: x[0])  # the oldest first: each day's numbers follow the order they came in
    sources = shares(SOURCES, len(lives), rng, rest=Source.WALK_IN)
    made = 0
    for (registered, story, life, age, stage), source in zip(lives, sources, strict=True):
        level = rng.choices([Risk.GENERAL, Risk.MAJOR, Risk.SERIOUS], [85, 12, 3])[0]
        escalating = level != Risk.GENERAL and (stage == "overdue" or rng.random() < 0.4)
        dispute, registrar = seeder.register(story, source, registered, risk=level, escalating=escalating)
        seeder.live(dispute, life, registered, age, registrar)
        made += 1
    return made


def _from_cases(seeder: Seeder) -> tuple[int, int]:
    """Disputes of the demo's cases whose messages are disputes between people: an in-progress case goes to
    mediation by its own step (the dispatcher's), the case on hold until the outcome comes back; for other
    cases the centre registers a dispute with the case's link. Returns (disputes, escalated)."""
    rng, now = seeder.rng, seeder.now
    # The cases whose messages are disputes: the first in-progress ones, and others spread over the year.
    found: dict[int, str] = {}
    in_progress: list[int] = []
    others: list[int] = []
    cases = (
        Case.objects.filter(area_path__startswith=DEMO_PATH, merged_into=None)
        .exclude(nature__in=(Nature.CONSULTATION, Nature.SUGGESTION))
        .exclude(status__in=(Status.NEW, Status.DECLINED, Status.MERGED))
        .filter(created_at__gte=now - timedelta(days=DAYS - 7))  # their disputes within the past year
        .order_by("created_at", "pk")
    )
    for pk, status, title, text in cases.values_list("pk", "status", "title", "text").iterator(chunk_size=2000):
        category = category_of_case(title, text)
        if category is not None:
            found[pk] = category
            (in_progress if status == Status.IN_PROGRESS else others).append(pk)
    picked = in_progress[:ESCALATED] + others[:: max(1, len(others) // LINKED)][:LINKED]
    chosen = Case.objects.filter(pk__in=picked).select_related("grid", "unit", "citizen").order_by("created_at", "pk")
    escalating = [(case, found[case.pk]) for case in chosen if case.pk in in_progress]
    linking = [(case, found[case.pk]) for case in chosen if case.pk not in in_progress]
    dispatcher = User.objects.get(username="dispatcher")
    escalated = 0
    made = 0
    for case, category in escalating:
        last = case.events.order_by("-seq").values_list("at", flat=True).first() or case.created_at
        moment = min(last + timedelta(hours=rng.uniform(2, 20)), now - timedelta(minutes=30))
        if moment <= last:
            continue
        seeder.at(moment)
        try:
            mediation.case_to_mediation(case=case, by=dispatcher, category=category, note=ESCALATION_NOTE)
        except DomainError:
            continue
        dispute = Dispute.objects.get(case=case)
        escalated += 1
        made += 1
        # Some are settled within days and the case goes on; most are still being mediated, the case on hold.
        life = plan_life(rng, rng.choice((S.AGREED, S.AGREED, S.FAILED)), quick=escalated % 3 == 1)
        seeder.live(dispute, life, moment, (now - moment).total_seconds() / 86400, None)
    for case, category in linking:
        registered = _office(case.created_at + timedelta(days=rng.uniform(1, 6)), rng, now)
        if registered >= now - timedelta(hours=6):
            continue
        dispute, registrar = seeder.from_case(case, category, registered)
        path = rng.choices((S.AGREED, S.FAILED, S.DECLINED), (75, 17, 8))[0]
        life = plan_life(rng, path)
        seeder.live(dispute, life, registered, (now - registered).total_seconds() / 86400, registrar)
        made += 1
    return made, escalated


def _risks_only(seeder: Seeder, stories: list[Story]) -> int:
    """Risks the sweeps found that did not (yet) become disputes."""
    rng, now = seeder.rng, seeder.now
    made = 0
    for story in stories:
        community = seeder.community()
        parties = seeder.parties(story.category, story.title, community)
        moment = _office(now - timedelta(days=rng.uniform(0.2, DAYS)), rng, now)
        level = rng.choices([Risk.GENERAL, Risk.MAJOR, Risk.SERIOUS], [70, 25, 5])[0]
        if seeder.risk(story, community, parties, moment, level) is not None:
            made += 1
    return made


def _run_clock(set_clock: Callable[[datetime], None], now: datetime) -> None:
    """The deadline clock, as the worker would have run it: at each moment a demo dispute was due a warning
    or passed its due date, in the order of time."""
    demo = Dispute.objects.filter(unit_path__startswith=DEMO_PATH)
    for _ in range(10000):
        moment = demo.filter(next_check_at__lte=now).aggregate(m=Min("next_check_at"))["m"]
        if moment is None:
            return
        set_clock(moment)
        mediation.dispute_clock(moment)


# ----------------------------------------------------------------------------------------------- removing


def clear_mediation() -> int:
    """Delete the demo district's mediation records, children first: risk reports, disputes (with their
    parties, assignments, sessions and events), mediators, desks and rooms. Returns how many disputes went."""
    demo = Dispute.objects.filter(unit_path__startswith=DEMO_PATH) | Dispute.objects.filter(
        room__unit__path__startswith=DEMO_PATH
    )
    RiskReport.objects.filter(unit_path__startswith=DEMO_PATH).delete()
    removed = demo.count()
    Dispute.objects.filter(pk__in=list(demo.values_list("pk", flat=True))).delete()
    rooms = Room.objects.filter(unit__path__startswith=DEMO_PATH)
    Mediator.objects.filter(room__in=rooms).delete()
    Mediator.objects.filter(user__unit__path__startswith=DEMO_PATH).delete()
    Desk.objects.filter(room__in=rooms).delete()
    Desk.objects.filter(unit__path__startswith=DEMO_PATH).delete()
    rooms.delete()
    return removed
