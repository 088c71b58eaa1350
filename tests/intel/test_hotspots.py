from __future__ import annotations

from datetime import datetime, timedelta

from suban.intel.hotspots import Report, find_hotspots

DAY = datetime(2019, 7, 1, 9, 0)


def _report(k: int, title: str, text: str, *, days: float = 0, support: float = 0, reporter: str = "") -> Report:
    return Report(
        id=str(k),
        title=title,
        text=f"{title} {text}",
        time=DAY + timedelta(days=days),
        support=support,
        reporter=reporter or f"u{k}",
    )


NOISE = [
    ("路灯不亮", "幸福路的路灯坏了一个月没人修"),
    ("学校补课", "中学周末强制补课收费"),
    ("出租车拒载", "火车站出租车拒载加价"),
    ("医院排队", "人民医院挂号排队三个小时"),
    ("社保转移", "外地社保转移到本市怎么办理"),
    ("噪音扰民", "广场舞音响声音太大影响休息"),
]


def _reports() -> list[Report]:
    found = [
        _report(1, "伊景园滨河苑捆绑销售车位", "开发商伊景园滨河苑强制捆绑销售车位，不买车位不给交房", days=0),
        _report(2, "伊景园滨河苑车位捆绑销售", "伊景园滨河苑开发商捆绑销售车位，侵害业主权益", days=2, support=5),
        _report(3, "投诉伊景园滨河苑捆绑车位", "伊景园滨河苑要求购房必须购买车位，捆绑销售", days=5, support=3),
        _report(4, "金港河黑臭", "金港河河水黑臭，夏天臭气熏天，请尽快治理金港河", days=1),
        _report(5, "金港河又黑又臭", "金港河黑臭多年没有治理，周边居民苦不堪言", days=3),
    ]
    found += [_report(10 + k, t, x, days=k) for k, (t, x) in enumerate(NOISE)]
    return found


def test_obvious_duplicates_are_grouped_and_the_rest_left_alone() -> None:
    found = find_hotspots(_reports(), top=10)
    groups = sorted(sorted(h.ids) for h in found)
    assert groups == [["1", "2", "3"], ["4", "5"]]


def test_the_bigger_and_more_supported_group_is_hotter() -> None:
    found = find_hotspots(_reports(), top=10)
    assert found[0].ids == ["1", "2", "3"]  # in time order
    assert found[0].score > found[1].score
    assert "伊景园滨河苑" in found[0].title
    assert found[0].start == DAY and found[0].end == DAY + timedelta(days=5)
    assert found[0].support == 8


def test_one_person_repeating_a_request_is_no_hotspot() -> None:
    reports = [
        _report(1, "金港河黑臭", "金港河河水黑臭请治理", reporter="same"),
        _report(2, "金港河又黑又臭", "金港河黑臭多年没有治理", reporter="same", days=1),
    ]
    assert find_hotspots(reports) == []


def test_requests_far_apart_in_time_are_not_linked_within_a_window() -> None:
    reports = _reports()
    reports[4] = Report(**{**reports[4].__dict__, "time": DAY + timedelta(days=400)})
    assert ["4", "5"] not in [h.ids for h in find_hotspots(reports, window_days=60)]
    assert ["4", "5"] in [h.ids for h in find_hotspots(reports, window_days=None)]


def test_the_json_shape_is_the_one_the_command_writes() -> None:
    found = find_hotspots(_reports(), top=1)
    assert len(found) == 1
    assert set(found[0].as_json()) == {"title", "ids", "score", "start", "end"}
    assert found[0].as_json()["start"] == "2019-07-01 09:00:00"


def test_no_reports_no_hotspots() -> None:
    assert find_hotspots([]) == []
