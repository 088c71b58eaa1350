"""The district's departments and utilities, each with its 1+1+1 (leader, section, contact person).

Department names follow the real district; every person and number below is made up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    aliases: str
    section: str  # the responsible section (责任科室) of its 1+1+1


D = DepartmentSpec

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    D("区住房城乡建设局", "住建局,区住建局,住房城乡建设局", "物业管理科"),
    D("区城市管理局", "城管局,区城管局,综合行政执法局", "市容环境卫生科"),
    D("区生态环境分局", "环保局,生态环境局", "生态环境保护综合执法大队"),
    D("区市场监督管理局", "市场监管局,工商局", "消费者权益保护科"),
    D("公安崂山分局", "公安局,公安分局,派出所", "指挥中心"),
    D("区教育和体育局", "教育局,教体局", "基础教育科"),
    D("区卫生健康局", "卫健局,卫生局", "医政医管科"),
    D("区人力资源和社会保障局", "人社局,劳动局", "劳动保障监察大队"),
    D("区民政局", "民政局", "社会救助科"),
    D("区交通运输局", "交通局,交通运输局", "公共交通科"),
    D("区水务局", "水务局", "供排水管理科"),
    D("区应急管理局", "应急局,安监局", "安全生产综合监管科"),
    D("自然资源局崂山分局", "自然资源局,国土局,规划局", "执法监察科"),
    D("区农业农村局", "农业农村局,农业局", "农村经营管理科"),
    D("区文化和旅游局", "文旅局,旅游局,文化局", "旅游市场管理科"),
    D("区医疗保障局", "医保局", "待遇保障科"),
    D("区财政局", "财政局", "综合科"),
    D("区发展和改革局", "发改局,发展改革局", "价格管理科"),
    D("区商务局", "商务局", "市场运行科"),
    D("区信访局", "信访局", "来访接待科"),
    D("区司法局", "司法局", "人民调解科"),
    D("区退役军人事务局", "退役军人局", "优抚科"),
    D("区消防救援大队", "消防,消防大队,消防救援", "防火监督科"),
    D("交警崂山大队", "交警,交警大队", "秩序科"),
    D("区行政审批服务局", "审批局,行政审批局,政务服务中心", "综合受理科"),
    D("区税务局", "税务局", "纳税服务科"),
    D("国网崂山供电公司", "供电公司,供电,电力", "客户服务中心"),
    D("崂山水务集团", "供水,自来水,水务集团", "供水服务部"),
    D("华润燃气崂山公司", "燃气,天然气,华润燃气", "客户服务部"),
    D("崂山热电公司", "供热,暖气,热电", "供热服务部"),
    D("区残联", "残联,残疾人联合会", "康复就业部"),
    D("区妇联", "妇联,妇女联合会", "权益部"),
    # Not a government department, but it takes the district's dispatches (as Beijing's courts do in 接诉即办)
    # and seats its 诉调对接 desk at the one-stop mediation centre (suban/demo/seed_mediation.py).
    D("区人民法院", "法院,人民法院,崂山法院", "诉讼服务中心"),
)

# The deputy who is the department's leader in charge, by how the department's name ends.
_LEADER_TITLES = (
    ("残联", "副理事长"),
    ("妇联", "副主席"),
    ("法院", "副院长"),
    ("大队", "副大队长"),
    ("公司", "副总经理"),
    ("集团", "副总经理"),
    ("局", "副局长"),
)


def leader_title(name: str) -> str:
    return next((title for ending, title in _LEADER_TITLES if name.endswith(ending)), "分管负责人")


def department_code(d: int) -> str:
    return f"370212D{d + 1:02d}"


def office_phone(d: int, line: int) -> str:
    """Made-up office lines: 0532-8899 2dd0 for the department, ...1 its leader, ...2 its section."""
    return f"0532-8899{2000 + 10 * (d + 1) + line}"


def contact_mobile(d: int) -> str:
    """The contact person's mobile, from the fake 1390000xxxx block."""
    return f"1390000{1000 + d + 1:04d}"
