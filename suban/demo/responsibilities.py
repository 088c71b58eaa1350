"""The demo district's responsibility list (责任清单): which unit starts on each matter of the catalogue.

Every first-level category has a row; notable second- and third-level matters override it. What a community
can settle itself (property management, sanitation, greenery, residents' facilities, village affairs) starts
at the community of the case's place; what needs the street's coordination starts at the street; law
enforcement, licensing and sector supervision start at the competent department. A street- or
community-level row may still name the competent department, for the dispatcher's information.
Matters are named by their path in the taxonomy, "一级/二级/三级".
"""

from __future__ import annotations

from dataclasses import dataclass

from suban.catalogue.models import Level


@dataclass(frozen=True)
class Duty:
    matter: str
    department: str = ""
    level: str = ""  # empty: the department when one is named

    @property
    def start_level(self) -> str:
        return self.level or (Level.DEPARTMENT if self.department else "")


COMMUNITY, STREET = Level.COMMUNITY, Level.STREET
MUNICIPAL = "城乡建设/城市建设和市政管理"

DUTIES: tuple[Duty, ...] = (
    # 城乡建设
    Duty("城乡建设", "区住房城乡建设局"),
    Duty("城乡建设/安全生产", "区应急管理局"),
    Duty(MUNICIPAL, "区城市管理局", STREET),
    Duty(f"{MUNICIPAL}/小区管理", "区住房城乡建设局", COMMUNITY),
    Duty(f"{MUNICIPAL}/环境卫生", "区城市管理局", COMMUNITY),
    Duty(f"{MUNICIPAL}/园林绿化", "区城市管理局", COMMUNITY),
    Duty(f"{MUNICIPAL}/园林绿化环卫", "区城市管理局", COMMUNITY),
    Duty(f"{MUNICIPAL}/居民服务设施", "", COMMUNITY),
    Duty(f"{MUNICIPAL}/城管执法", "区城市管理局"),
    Duty(f"{MUNICIPAL}/燃气供应", "华润燃气崂山公司"),
    Duty(f"{MUNICIPAL}/电力供应", "国网崂山供电公司"),
    Duty(f"{MUNICIPAL}/自来水供应", "崂山水务集团"),
    Duty(f"{MUNICIPAL}/冬季采暖", "崂山热电公司"),
    Duty(f"{MUNICIPAL}/公共汽车", "区交通运输局"),
    Duty(f"{MUNICIPAL}/地铁城铁", "区交通运输局"),
    Duty("城乡建设/城乡规划", "自然资源局崂山分局"),
    Duty("城乡建设/城乡规划/违章建筑", "区城市管理局", STREET),
    Duty("城乡建设/村镇建设", "区住房城乡建设局", STREET),
    Duty("城乡建设/集体土地上房屋拆迁与补偿", "自然资源局崂山分局", STREET),
    Duty("城乡建设/住房保障与房地产/物业服务", "区住房城乡建设局", COMMUNITY),
    # 党务政务: the street's party working committee first
    Duty("党务政务", "", STREET),
    Duty("党务政务/群众团体/妇联工作", "区妇联"),
    # 国土资源
    Duty("国土资源", "自然资源局崂山分局"),
    Duty("国土资源/海洋气象地震", "区应急管理局"),
    # 环境保护
    Duty("环境保护", "区生态环境分局"),
    # 纪检监察: received by the petition bureau and passed to the discipline commission
    Duty("纪检监察", "区信访局"),
    # 交通运输
    Duty("交通运输", "区交通运输局"),
    # 经济管理
    Duty("经济管理", "区发展和改革局"),
    Duty("经济管理/安全生产", "区应急管理局"),
    Duty("经济管理/金融财税", "区财政局"),
    Duty("经济管理/金融财税/税收征管", "区税务局"),
    # 科技与信息产业
    Duty("科技与信息产业", "区发展和改革局"),
    Duty("科技与信息产业/知识产权", "区市场监督管理局"),
    # 民政
    Duty("民政", "区民政局"),
    Duty("民政/复退安置", "区退役军人事务局"),
    Duty("民政/优抚", "区退役军人事务局"),
    Duty("民政/基层选举和社区建设", "区民政局", STREET),
    Duty("民政/社会救助", "区民政局", STREET),
    # 农村农业
    Duty("农村农业", "区农业农村局"),
    Duty("农村农业/村务管理", "区农业农村局", COMMUNITY),
    Duty("农村农业/土地承包经营", "区农业农村局", STREET),
    Duty("农村农业/林业管理", "自然资源局崂山分局"),
    Duty("农村农业/水利水电", "区水务局"),
    # 商贸旅游
    Duty("商贸旅游", "区商务局"),
    Duty("商贸旅游/旅游管理", "区文化和旅游局"),
    Duty("商贸旅游/市场监管", "区市场监督管理局"),
    Duty("商贸旅游/质监检验检疫", "区市场监督管理局"),
    # 卫生计生
    Duty("卫生计生", "区卫生健康局"),
    Duty("卫生计生/食品药品监管", "区市场监督管理局"),
    # 政法 (公安司法)
    Duty("政法", "公安崂山分局"),
    Duty("政法/法律服务", "区司法局"),
    Duty("政法/法制建设", "区司法局"),
    Duty("政法/行政复议", "区司法局"),
    Duty("政法/诉讼", "区司法局"),
    Duty("政法/刑罚执行", "区司法局"),
    Duty("政法/仲裁与调解", "区司法局"),
    Duty("政法/仲裁与调解/劳动仲裁", "区人力资源和社会保障局"),
    Duty("政法/交通管理", "交警崂山大队"),
    Duty("政法/社会治安/消防安全", "区消防救援大队"),
    # 教育文体
    Duty("教育文体", "区教育和体育局"),
    Duty("教育文体/文化", "区文化和旅游局"),
    Duty("教育文体/文物管理", "区文化和旅游局"),
    # 劳动和社会保障
    Duty("劳动和社会保障", "区人力资源和社会保障局"),
    Duty("劳动和社会保障/城镇居民社会保险/城镇居民医疗保险", "区医疗保障局"),
    Duty("劳动和社会保障/城镇居民社会保险/新农村合作医疗", "区医疗保障局"),
    Duty("劳动和社会保障/城镇职工社会保险/职工医疗保险", "区医疗保障局"),
    Duty("劳动和社会保障/城镇职工社会保险/职工生育保险", "区医疗保障局"),
)
