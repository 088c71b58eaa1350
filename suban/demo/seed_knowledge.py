"""The demo district's knowledge base: real questions and the official answers to them
(suban/demo/data/knowledge.csv, see MESSAGES.md), taken through the knowledge base's services: written by
the dispatcher (or the department's handler), reviewed by the supervisor, published; a few left as drafts
and under review. And the synonyms citizens use most."""

from __future__ import annotations

import csv
from pathlib import Path

from suban.accounts.models import User
from suban.demo import data
from suban.demo.departments import DEPARTMENTS
from suban.knowledge.models import Synonym
from suban.knowledge.services import Content, article_create, article_review, article_submit
from suban.org.models import Unit

KNOWLEDGE = Path(__file__).resolve().parent / "data" / "knowledge.csv"
DRAFTS, UNDER_REVIEW = 3, 5  # the last rows stay unpublished

SYNONYMS = (
    "社会保险,社保",
    "医疗保险,医保",
    "住房公积金,公积金",
    "居住证,暂住证",
    "户籍,户口",
    "最低生活保障,低保",
    "义务教育,上学,入学",
    "物业服务企业,物业公司,物业",
    "城市管理,城管",
    "人力资源和社会保障,人社",
    "不动产权证,房产证,房本",
    "机动车,汽车,车辆",
)

# Words of a question → the department whose answer it is (its name in suban/demo/departments.py).
OWNERS = (
    (("社保", "养老", "就业", "工资", "职称", "劳动", "公益性岗位", "失业"), "区人力资源和社会保障局"),
    (("医保", "医疗保险"), "区医疗保障局"),
    (("公积金", "购房", "房屋", "物业", "安置房", "住房", "拆迁", "棚改"), "区住房城乡建设局"),
    (("小学", "初中", "学校", "入学", "学位", "教育", "幼儿园"), "区教育和体育局"),
    (("落户", "户口", "居住证", "身份证"), "公安崂山分局"),
    (("公交", "出租", "交通", "地铁"), "区交通运输局"),
    (("医院", "卫生", "疫苗", "医生"), "区卫生健康局"),
    (("低保", "救助", "养老院", "残疾"), "区民政局"),
    (("餐饮", "食品", "市场", "价格"), "区市场监督管理局"),
)
assert all(name in {d.name for d in DEPARTMENTS} for _words, name in OWNERS)


def _owner(title: str, units: dict[str, Unit], district: Unit) -> Unit:
    for words, name in OWNERS:
        if any(w in title for w in words) and name in units:
            return units[name]
    return district


def seed_knowledge() -> int:
    """Load the demo's articles; returns how many were published."""
    district = Unit.objects.get(code=data.DISTRICT_CODE)
    writer = User.objects.get(username="dispatcher")
    reviewer = User.objects.get(username="supervisor")
    units = {u.name: u for u in Unit.objects.filter(name__in=[name for _w, name in OWNERS])}
    for words in SYNONYMS:
        Synonym.objects.get_or_create(words=words)
    with KNOWLEDGE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    published = 0
    for n, row in enumerate(rows):
        content = Content(title=row["title"], questions=row["question"], answer=row["answer"])
        article = article_create(by=writer, content=content, owner=_owner(row["title"], units, district))
        left = len(rows) - n
        if left <= DRAFTS:
            continue
        article_submit(article=article, by=writer)
        if left <= DRAFTS + UNDER_REVIEW:
            continue
        article_review(article=article, by=reviewer, approve=True)
        published += 1
    return published
