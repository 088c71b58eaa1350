"""The demo district 崂山区（演示）: an approximation of Qingdao's Laoshan district, with made-up people.

Place and unit names follow the real district; outlines, phone numbers and every person are invented.
Office phones are 0532 numbers of a made-up 8899 block; mobiles come from the fake 1390000xxxx block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from suban.accounts.roles import AdminRole, Role
from suban.org.models import PlaceKind, SpecialGridKind

PASSWORD = "Suban@2026"  # noqa: S105 - the published demo password
SEED = 2026

DISTRICT_CODE = "370212"
DISTRICT_NAME = "崂山区（演示）"
DISTRICT_ALIASES = "崂山区,崂山"

# The land outline, clockwise from 麦岛 on the south-west coast: up the border with 市南/李沧, along
# 城阳 and 即墨 in the north, down the Yellow Sea coast (仰口, 崂山头) and back west along the south
# coast (太清湾, 流清河, 沙子口, 石老人). (longitude, latitude), WGS84, hand-drawn.
OUTLINE: tuple[tuple[float, float], ...] = (
    (120.425, 36.058),
    (120.418, 36.075),
    (120.422, 36.095),
    (120.430, 36.115),
    (120.438, 36.140),
    (120.446, 36.165),
    (120.452, 36.190),
    (120.462, 36.215),
    (120.470, 36.240),
    (120.484, 36.262),
    (120.500, 36.285),
    (120.522, 36.305),
    (120.548, 36.318),
    (120.575, 36.326),
    (120.605, 36.330),
    (120.635, 36.328),
    (120.658, 36.318),
    (120.672, 36.296),
    (120.666, 36.272),
    (120.678, 36.248),
    (120.690, 36.225),
    (120.694, 36.198),
    (120.700, 36.172),
    (120.698, 36.148),
    (120.684, 36.132),
    (120.668, 36.140),
    (120.650, 36.126),
    (120.628, 36.113),
    (120.604, 36.106),
    (120.580, 36.101),
    (120.560, 36.098),
    (120.540, 36.105),
    (120.520, 36.096),
    (120.498, 36.092),
    (120.478, 36.088),
    (120.460, 36.080),
    (120.445, 36.068),
)

P = PlaceKind
XY = tuple[float, float]


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    hint: XY  # roughly where it is: the community gets the cell nearest this point
    aliases: str
    places: tuple[tuple[str, str], ...]  # (name, PlaceKind), spread over the community's grids


@dataclass(frozen=True)
class StreetSpec:
    name: str
    aliases: str
    phone: str
    seeds: tuple[XY, ...]  # points that together shape the street's area
    communities: tuple[CommunitySpec, ...] = field(default_factory=tuple)


C = CommunitySpec

STREETS: tuple[StreetSpec, ...] = (
    StreetSpec(
        "中韩街道",
        "中韩",
        "0532-88990100",
        ((120.440, 36.115), (120.462, 36.130), (120.455, 36.160), (120.480, 36.150), (120.470, 36.190)),
        (
            C(
                "张村社区",
                (120.452, 36.125),
                "张村",
                (("张村河花园", P.COMPOUND), ("海尔路", P.ROAD), ("张村河北路", P.ROAD)),
            ),
            C(
                "埠西社区",
                (120.440, 36.110),
                "埠西",
                (("埠西新村", P.COMPOUND), ("株洲路", P.ROAD), ("青岛科技街", P.LANDMARK)),
            ),
            C(
                "刘家下河社区",
                (120.470, 36.175),
                "刘家下河",
                (("刘家下河小区", P.COMPOUND), ("苗岭路", P.ROAD), ("银川东路", P.ROAD)),
            ),
            C(
                "午山社区",
                (120.480, 36.140),
                "午山,午山村",
                (("午山村", P.VILLAGE), ("中国海洋大学崂山校区", P.LANDMARK), ("梅岭东路", P.ROAD)),
            ),
        ),
    ),
    StreetSpec(
        "沙子口街道",
        "沙子口",
        "0532-88990200",
        ((120.520, 36.115), (120.550, 36.118), (120.580, 36.122), (120.610, 36.135), (120.600, 36.170)),
        (
            C(
                "沙子口社区",
                (120.550, 36.110),
                "沙子口",
                (("沙子口渔港", P.LANDMARK), ("崂山路", P.ROAD), ("沙子口集市", P.LANDMARK)),
            ),
            C(
                "南窑社区",
                (120.520, 36.120),
                "南窑,南窑村",
                (("南窑村", P.VILLAGE), ("南窑新苑", P.COMPOUND), ("南窑路", P.ROAD)),
            ),
            C(
                "段家埠社区",
                (120.585, 36.120),
                "段家埠,段家埠村",
                (("段家埠村", P.VILLAGE), ("滨海大道", P.ROAD), ("段家埠广场", P.LANDMARK)),
            ),
            C(
                "登瀛社区",
                (120.600, 36.160),
                "登瀛,登瀛村",
                (("登瀛村", P.VILLAGE), ("登瀛梨雪", P.LANDMARK), ("登瀛路", P.ROAD)),
            ),
        ),
    ),
    StreetSpec(
        "王哥庄街道",
        "王哥庄",
        "0532-88990300",
        ((120.640, 36.300), (120.650, 36.260), (120.670, 36.220), (120.680, 36.175), (120.665, 36.148)),
        (
            C(
                "王哥庄社区",
                (120.640, 36.290),
                "王哥庄,王哥庄村",
                (("王哥庄村", P.VILLAGE), ("王哥庄大集", P.LANDMARK), ("王哥庄路", P.ROAD)),
            ),
            C(
                "港东社区",
                (120.660, 36.250),
                "港东,港东村",
                (("港东村", P.VILLAGE), ("仰口路", P.ROAD), ("港东码头", P.LANDMARK)),
            ),
            C(
                "青山社区",
                (120.680, 36.200),
                "青山,青山渔村",
                (("青山渔村", P.VILLAGE), ("试金石湾", P.LANDMARK), ("环山路", P.ROAD)),
            ),
            C(
                "黄山社区",
                (120.670, 36.160),
                "黄山,黄山村",
                (("黄山村", P.VILLAGE), ("黄山口", P.LANDMARK), ("太清宫路", P.ROAD)),
            ),
        ),
    ),
    StreetSpec(
        "北宅街道",
        "北宅",
        "0532-88990400",
        ((120.500, 36.240), (120.530, 36.280), (120.575, 36.300), (120.530, 36.210), (120.580, 36.250)),
        (
            C(
                "北宅社区",
                (120.530, 36.230),
                "北宅,北宅村",
                (("北宅村", P.VILLAGE), ("北宅樱桃谷", P.LANDMARK), ("北宅路", P.ROAD)),
            ),
            C(
                "东乌衣社区",
                (120.570, 36.290),
                "东乌衣,东乌衣村",
                (("东乌衣村", P.VILLAGE), ("九水东路", P.ROAD), ("乌衣巷", P.ROAD)),
            ),
            C(
                "我乐社区",
                (120.500, 36.260),
                "我乐,我乐村",
                (("我乐村", P.VILLAGE), ("崂山水库", P.LANDMARK), ("我乐路", P.ROAD)),
            ),
            C(
                "卧龙社区",
                (120.575, 36.230),
                "卧龙,卧龙村",
                (("卧龙村", P.VILLAGE), ("北九水", P.LANDMARK), ("卧龙路", P.ROAD)),
            ),
        ),
    ),
    StreetSpec(
        "金家岭街道",
        "金家岭",
        "0532-88990500",
        ((120.432, 36.072), (120.450, 36.085), (120.475, 36.095), (120.500, 36.102)),
        (
            C(
                "麦岛社区",
                (120.432, 36.068),
                "麦岛,大麦岛",
                (("麦岛金岸", P.COMPOUND), ("东海东路", P.ROAD), ("麦岛公园", P.LANDMARK)),
            ),
            C(
                "辽阳东路社区",
                (120.430, 36.090),
                "辽阳东路",
                (("浮山军苑", P.COMPOUND), ("辽阳东路", P.ROAD), ("青岛大剧院", P.LANDMARK)),
            ),
            C(
                "金家岭社区",
                (120.455, 36.092),
                "金家岭",
                (("金家岭小区", P.COMPOUND), ("香港东路", P.ROAD), ("金家岭金融区", P.LANDMARK)),
            ),
            C(
                "松岭路社区",
                (120.490, 36.100),
                "松岭路,石老人",
                (("松岭路", P.ROAD), ("石老人", P.VILLAGE), ("青岛大学城", P.COMPOUND)),
            ),
        ),
    ),
)

GRIDS_PER_COMMUNITY = 4
CN_NUMBERS = "一二三四五六七八九十"


def street_code(s: int) -> str:
    return f"{DISTRICT_CODE}{s + 1:03d}"


def community_code(s: int, c: int) -> str:
    return f"{street_code(s)}{c + 1:03d}"


def grid_code(s: int, c: int, g: int) -> str:
    return f"{community_code(s, c)}G{g + 1:02d}"


def grid_name(community: str, g: int) -> str:
    return f"{community}第{CN_NUMBERS[g]}网格"


@dataclass(frozen=True)
class SpecialGridSpec:
    name: str
    kind: str
    street: str
    community: str  # the community whose basic grid holds it
    grid: int  # which of that community's grids (0-based)
    under_street: bool = False  # hang it under the street rather than the community
    size: float = 0.002  # radius in degrees of latitude (0.001 is about 110 m)


K = SpecialGridKind

SPECIAL_GRIDS: tuple[SpecialGridSpec, ...] = (
    SpecialGridSpec("金家岭金融区写字楼", K.OFFICE_BUILDING, "金家岭街道", "金家岭社区", 1, size=0.0025),
    SpecialGridSpec("青岛第二中学", K.SCHOOL, "金家岭街道", "松岭路社区", 0),
    SpecialGridSpec("石老人海水浴场", K.SCENIC, "金家岭街道", "松岭路社区", 2, size=0.003),
    SpecialGridSpec("崂山区实验小学", K.SCHOOL, "中韩街道", "张村社区", 2, size=0.0015),
    SpecialGridSpec("崂山区行政中心", K.AGENCY, "中韩街道", "埠西社区", 1, size=0.0015),
    SpecialGridSpec("海尔工业园", K.ENTERPRISE, "中韩街道", "张村社区", 0, size=0.003),
    SpecialGridSpec("沙子口供电所", K.UTILITY, "沙子口街道", "沙子口社区", 1, under_street=True, size=0.001),
    SpecialGridSpec("崂山水库水厂", K.UTILITY, "北宅街道", "我乐社区", 1, under_street=True, size=0.0015),
    SpecialGridSpec("崂山风景区太清游览区", K.SCENIC, "王哥庄街道", "黄山社区", 3, under_street=True, size=0.006),
    SpecialGridSpec("王哥庄农贸市场", K.MARKET, "王哥庄街道", "王哥庄社区", 0, size=0.0015),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    label: str  # the role as the login table shows it
    unit: str  # a unit name, or "grid" for the named grid
    role: str = ""
    admin_role: str = ""


# The grid the named grid worker and specialist share.
NAMED_GRID = ("沙子口街道", "南窑社区", 0)

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "孙志远", "系统管理员", DISTRICT_NAME, admin_role=AdminRole.SYSTEM),
    DemoAccount("secadmin", "刘晓敏", "安全管理员", DISTRICT_NAME, admin_role=AdminRole.SECURITY),
    DemoAccount("auditor", "赵倩文", "审计管理员", DISTRICT_NAME, admin_role=AdminRole.AUDIT),
    DemoAccount("dispatcher", "于海燕", "派单员", DISTRICT_NAME, role=Role.DISPATCHER),
    DemoAccount("supervisor", "姜文涛", "督办员", DISTRICT_NAME, role=Role.SUPERVISOR),
    DemoAccount("leader", "王建华", "领导", DISTRICT_NAME, role=Role.LEADER),
    DemoAccount("street", "曲明亮", "街道处置人员", "沙子口街道", role=Role.STREET_HANDLER),
    DemoAccount("community", "隋丽娟", "社区处置人员", "南窑社区", role=Role.COMMUNITY_HANDLER),
    DemoAccount("department", "林志强", "部门处置人员", "区城市管理局", role=Role.DEPARTMENT_HANDLER),
    DemoAccount("gridworker", "宋海波", "网格员", grid_name("南窑社区", NAMED_GRID[2]), role=Role.GRID_WORKER),
    DemoAccount("specialist", "高振东", "专业网格员", grid_name("南窑社区", NAMED_GRID[2]), role=Role.SPECIALIST),
)

# The mediation centre's named mediators (suban/demo/seed_mediation.py creates them with their rooms): the
# centre's head, the head of every street's room, a department's mediator at the centre's desk, and a village
# mediator. Their surnames are none of suban.demo.names', so no made-up name can take theirs.
MEDIATOR_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("tiaojie", "程淑华", "调解中心主任", DISTRICT_NAME, role=Role.MEDIATOR),
    DemoAccount("tiaojie1", "马国庆", "街道调解室主任", "中韩街道", role=Role.MEDIATOR),
    DemoAccount("tiaojie2", "许桂兰", "街道调解室主任", "沙子口街道", role=Role.MEDIATOR),
    DemoAccount("tiaojie3", "贺成林", "街道调解室主任", "王哥庄街道", role=Role.MEDIATOR),
    DemoAccount("tiaojie4", "田秀英", "街道调解室主任", "北宅街道", role=Role.MEDIATOR),
    DemoAccount("tiaojie5", "方明德", "街道调解室主任", "金家岭街道", role=Role.MEDIATOR),
    DemoAccount("tiaojie_desk", "丁卫东", "派驻窗口调解员", "区人力资源和社会保障局", role=Role.MEDIATOR),
    DemoAccount("tiaojie_village", "葛玉珍", "村居调解员", "南窑社区", role=Role.MEDIATOR),
)

# (username, role label, unit name): the README and the tests read the same list.
DEMO_LOGINS: list[tuple[str, str, str]] = [(a.username, a.label, a.unit) for a in DEMO_ACCOUNTS + MEDIATOR_ACCOUNTS]

# Specialists placed in busy grids: police officers (sp01-03) and market regulators (sp04-06).
# (username, street, community, grid)
SPECIALISTS: tuple[tuple[str, str, str, int], ...] = (
    ("sp01", "金家岭街道", "金家岭社区", 0),
    ("sp02", "中韩街道", "张村社区", 1),
    ("sp03", "沙子口街道", "沙子口社区", 0),
    ("sp04", "金家岭街道", "麦岛社区", 2),
    ("sp05", "王哥庄街道", "王哥庄社区", 1),
    ("sp06", "北宅街道", "北宅社区", 0),
)
