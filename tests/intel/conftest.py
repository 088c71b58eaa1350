"""Tiny labelled and unlabelled messages, written as the CSVs the commands read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

TRAFFIC = [
    ("公交车站台被拆除", "我们小区门口的公交站台被拆除了，坐公交车很不方便，希望恢复公交站。"),
    ("出租车拒载", "晚上在火车站打出租车，司机拒载还要求加价，请交通部门查处。"),
    ("道路红绿灯时间太短", "路口红绿灯时间太短，行人过马路来不及，车辆太多很危险。"),
    ("长途客车超载", "每天的长途客车严重超载，乘客站在过道里，存在安全隐患。"),
    ("公交线路调整", "公交线路调整后，我们村没有公交车了，出行困难，请求恢复线路。"),
    ("网约车违规运营", "网约车在机场违规揽客，出租车司机也在拉客，交通秩序混乱。"),
    ("驾驶证换证", "驾驶证到期换证，车管所要求重新体检，请问流程是什么。"),
    ("高速收费站拥堵", "高速公路收费站每天拥堵，车辆排队一公里，建议增加收费通道。"),
]
SCHOOL = [
    ("学校乱收费", "孩子所在的小学要求家长交补课费，学校乱收费，请教育局查处。"),
    ("幼儿园学位不足", "小区配套幼儿园一直没开，孩子上幼儿园要跑很远，学位不足。"),
    ("中学强制补课", "中学周末强制学生补课，老师收取费用，学生负担太重。"),
    ("教师工资拖欠", "乡村教师的绩效工资拖欠半年，教育局一直不发，老师很有意见。"),
    ("学生校服质量差", "学校统一订购的校服质量很差，价格却很高，家长不满意。"),
    ("小学入学划片", "小学入学划片不合理，我们小区的孩子被划到很远的学校读书。"),
    ("体育馆不开放", "新建的体育馆一直不对市民开放，学生和群众没有地方锻炼。"),
    ("高考加分政策", "咨询高考加分政策，少数民族学生能否加分，教育考试院怎么规定。"),
]
POLLUTION = [
    ("工厂排放废气", "村边的化工厂晚上排放刺鼻废气，村民呼吸困难，请环保局查处污染。"),
    ("河道污水直排", "养殖场的污水直接排进河道，河水发黑发臭，鱼都死了，环境污染严重。"),
    ("搅拌站粉尘污染", "水泥搅拌站粉尘很大，周边居民家里全是灰，空气污染严重。"),
    ("垃圾焚烧污染", "垃圾站露天焚烧垃圾，浓烟污染空气，居民不敢开窗。"),
    ("噪音污染扰民", "工厂机器噪音通宵不停，严重污染环境，周边居民无法休息。"),
    ("砂石场破坏环境", "河边砂石场乱采乱挖，破坏生态环境，污水排进河里。"),
    ("养猪场臭气", "养猪场臭气熏天，粪便污水乱排，污染周边水源和环境。"),
    ("电镀厂偷排废水", "电镀厂偷偷排放含重金属的废水，地下水被污染，请环保部门检测。"),
]
LABELLED = (
    [(t, x, "交通运输") for t, x in TRAFFIC]
    + [(t, x, "教育文体") for t, x in SCHOOL]
    + [(t, x, "环境保护") for t, x in POLLUTION]
)


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Path:
    rows = [
        [str(100 + k), title, f"2019/7/{k % 28 + 1} 17:00:34", f"\t{text}\n", label]
        for k, (title, text, label) in enumerate(LABELLED)
    ]
    header = ["留言编号", "留言主题", "留言时间", "留言详情", "一级标签"]
    return write_csv(tmp_path / "labelled.csv", header, rows, bom=True)


@pytest.fixture
def unlabelled_csv(tmp_path: Path) -> Path:
    rows = [
        ["1", "公交车太挤", "2019-07-21 10:29:36", "早高峰公交车太挤，希望增加公交车班次。"],
        ["2", "学校食堂卫生差", "2019-07-22", "学校食堂卫生很差，学生吃了拉肚子。"],
        ["3", "化工厂污水", "2019/7/23", "化工厂污水排进河里，河水发臭，污染严重。"],
    ]
    return write_csv(tmp_path / "new.csv", ["留言编号", "留言主题", "留言时间", "留言详情"], rows)
