"""possible_duplicates (suban.intel.duplicates): open cases near in time and place, alike in what they say."""

from __future__ import annotations

from suban.cases.services import case_decline
from suban.intel.duplicates import MIN_SCORE, distance_m, possible_duplicates, similarities, similarity
from tests.console.conftest import IN_S1C1G1, IN_S2C1G1


def numbers(found):
    return [d.case.number for d in found]


def test_likeness_ignores_punctuation_and_tells_things_apart(report):
    one = report("路灯，不亮！")
    assert similarity(one, report("路灯不亮")) > 0.4
    assert similarity(one, report("垃圾桶满了")) == 0.0
    assert similarity(one, report("！！")) == 0.0


def test_two_problems_of_the_same_road_are_told_apart():
    # Real messages (teddy2020c) about one road: its titles share the road's name and little else, which was
    # enough (0.32) while the titles were compared on their own.
    widen = (
        "A7县楚龙西路加宽请求",
        "A7县委县政府好，请问A7县楚龙西路有没有道路拓宽的计划，目前这条路承载着山水湾小区，保利香槟国际小区，"
        "龙塘安置区的居民出行，每天上下班高峰期，天天堵，日日堵，目前只有单向两车道，能否加宽，方便居民出行。",
    )
    lights = (
        "A7县楚龙西路南沿线什么时间装路灯？",
        "楚龙街道楚龙西路南沿线（靠龙塘安置区这边）的临时电线和变压器已拆除，请问什么时间可以安装路灯？"
        "路灯安装好后绿化带是否补种大树？",
    )
    assert similarities(widen, [lights])[0] < MIN_SCORE


def test_likeness_hardly_depends_on_how_many_others_are_near():
    # A pair alone in a quiet grid scored 0.22 and the same pair among fifteen others 0.33 while the IDF was
    # learned on the candidates alone: the few words two lone requests share all looked common.
    one = ("小区门口井盖没了", "东一社区3号楼前面的井盖不见了，晚上很危险")
    again = ("井盖缺失", "东一社区3号楼前井盖缺失，夜间有行人跌落风险")
    neighbours = [("路灯不亮", "晚上很黑"), ("垃圾没人清理", "垃圾桶满了"), ("楼道堆放杂物", "有消防隐患")] * 5
    alone = similarities(one, [again])[0]
    among = similarities(one, [again, *neighbours])[0]
    assert alone >= MIN_SCORE and abs(alone - among) < 0.05


def test_distance_is_in_metres():
    # One thousandth of a degree of latitude is about 111 m.
    assert 105 < distance_m(120.0, 36.0, 120.0, 36.001) < 116


def test_it_finds_the_same_complaint_in_the_same_grid(report):
    first = report("东一社区门口路灯不亮", text="晚上路灯全黑")
    again = report("路灯不亮，门口很黑", text="东一社区门口的路灯坏了")
    other = report("垃圾桶满了没人清理", text="小区垃圾没人收")
    found = possible_duplicates(again)
    assert numbers(found) == [first.number]
    assert found[0].same_grid and found[0].distance_m is not None and found[0].score >= 0.25
    assert other.number not in numbers(possible_duplicates(first))


def test_it_finds_a_case_within_300_metres_outside_the_grid(report):
    near = report("路灯不亮", where={"longitude": 120.0099, "latitude": 36.005})  # S1C1G1, by its east edge
    across = report("路灯不亮", where={"longitude": 120.0105, "latitude": 36.005})  # S1C1G2, ~50 m east
    assert near.grid_id != across.grid_id
    found = possible_duplicates(across)
    assert numbers(found) == [near.number] and not found[0].same_grid


def test_it_ignores_cases_far_away_closed_or_older_than_a_week(report, cast, frozen):
    old = report("路灯不亮")
    frozen.advance(days=8)
    report("路灯不亮", where=IN_S2C1G1)  # another street
    closed = report("路灯不亮")
    case_decline(case=closed, by=cast.dora, reason="repeat")
    fresh = report("路灯不亮", where=IN_S1C1G1)
    assert numbers(possible_duplicates(fresh)) == []
    frozen.advance(days=-8 + 3)  # three days after the old one: it counts again
    assert old.number in numbers(possible_duplicates(report("路灯又不亮")))


def test_it_looks_only_among_the_cases_it_is_given(report, cast):
    from suban.cases.selectors import cases_visible_to

    first = report("路灯不亮")
    again = report("路灯不亮了")
    assert numbers(possible_duplicates(again, among=cases_visible_to(cast.bob))) == []
    assert numbers(possible_duplicates(again, among=cases_visible_to(cast.dora))) == [first.number]


def test_a_case_without_a_place_has_no_duplicates(report):
    report("路灯不亮")
    lost = report("路灯不亮", where={})
    assert possible_duplicates(lost) == []


def test_most_alike_comes_first_and_the_limit_holds(report):
    target = report("东一社区三号楼门口路灯不亮")
    for i in range(6):
        report(f"三号楼门口路灯不亮{i}")
    report("东一社区三号楼门口路灯不亮了")
    found = possible_duplicates(target, limit=3)
    assert len(found) == 3 and found[0].case.title == "东一社区三号楼门口路灯不亮了"
    assert found[0].score >= found[1].score >= found[2].score
