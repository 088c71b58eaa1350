"""The labelled citizen messages the history is made of, the replies to them, and the matter each one gets."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from suban.catalogue.models import Matter
from suban.demo.seed_cases import Message

HISTORY = Path(__file__).resolve().parent.parent / "data" / "history.csv"
REPLIES: dict[str, str] = {
    "城乡建设": "经现场核实，已协调物业及施工单位整改，相关设施已修复，后续将加强巡查。感谢您的监督。",
    "环境保护": "经执法人员现场检查，已责令相关单位整改并依法处理，后续将持续监测。感谢您的反映。",
    "教育文体": "经与区教体局及学校核实，已按政策作出解释并妥善处理，如有疑问可致电学校咨询。",
    "劳动和社会保障": "经劳动监察大队调查，已督促用人单位依法支付工资、补缴社保，请保持联系。",
    "商贸旅游": "经市场监管部门调查，已责令商户整改，相关款项已退还，并加强景区经营秩序检查。",
    "卫生计生": "经卫生健康部门核实，已督促医疗机构规范服务，您反映的问题已作答复处理。",
    "交通运输": "经交通运输部门核实，已调整线路运营并加强站点管理，感谢您的宝贵意见。",
}


@dataclass(frozen=True)
class Labelled:
    message: Message
    label: str


def read_history(path: Path = HISTORY) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Labelled(Message(r["title"], r["text"], REPLIES.get(r["label"], "")), r["label"]) for r in csv.DictReader(f)
        ]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def matter_picker(matters: list[Matter]) -> Callable[[Labelled], Matter | None]:
    """The second-level matter under the message's label whose names share the most with the message (the
    first-level one when none does): a plain stand-in for the classifier, so the matter mix is the text's."""
    by_name = {m.name: m for m in matters if m.level == 1}
    children: dict[int, list[tuple[Matter, set[str]]]] = defaultdict(list)
    grandchildren: dict[int, list[str]] = defaultdict(list)
    for m in matters:
        if m.level == 3 and m.parent_id is not None:
            grandchildren[m.parent_id].append(m.name)
    for m in matters:
        if m.level == 2 and m.parent_id is not None:
            words = _bigrams(m.name) | {b for name in grandchildren[m.pk] for b in _bigrams(name)}
            children[m.parent_id].append((m, words))

    def pick(item: Labelled) -> Matter | None:
        top = by_name.get(item.label)
        if top is None:
            return None
        words = _bigrams(item.message.title + item.message.text)
        best, score = top, 0
        for child, names in children[top.pk]:
            hits = len(words & names)
            if hits > score:
                best, score = child, hits
        return best

    return pick
