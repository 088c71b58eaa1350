"""Figures, rankings, drill-down, matters and reach, read from the roll-ups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from suban.assess import selectors
from suban.assess.models import AssessmentConfig, CaseAssessment, ExclusionRule, RulingReason, UnitDay
from suban.assess.periods import Period, previous, span, year_before
from suban.assess.services import assessment_rule_out, assessment_withdraw_ruling, rebuild_assessment
from suban.cases import services
from suban.cases.models import Case, Channel
from suban.errors import Forbidden, NotFound
from suban.org.services import unit_move
from tests.assess.conftest import assert_rebuild_agrees
from tests.conftest import Cast
from tests.timing import FrozenTime, at

MONTH = span(Period.MONTH, date(2026, 2, 9))


def handled(
    people: dict[str, Any],
    handlers: dict[str, Any],
    org: dict[str, Any],
    code: str,
    *,
    claim_hours: float = 1,
    satisfaction: str | None = "satisfied",
    resolved: bool = True,
    matter: Any = None,
    frozen: FrozenTime,
) -> Case:
    """A case of `code` taken through claim, reply, review and a rating (None: left after the reply)."""
    start = frozen.moment
    case = services.case_intake(by=people["dora"], dispatch=True, unit=org[code], title="路面破损", matter=matter)
    frozen.advance(hours=claim_hours)
    services.case_claim(case=case, by=handlers[code])
    frozen.advance(hours=2)
    services.case_reply(case=case, by=handlers[code], reply="已修复")
    services.case_review_reply(case=case, by=people["dora"], approve=True)
    if satisfaction:
        services.case_rate(case=case, by=people["sam"], satisfaction=satisfaction, resolved=resolved)
    frozen.set(start)
    return case


@pytest.fixture
def month(cast: Cast, handlers: dict[str, Any], org: dict[str, Any], frozen: FrozenTime) -> dict[str, Any]:
    """February 2026: S1C1 good (2), S1C2 one late response and unsatisfied, S2C1 unresolved, DEPT1 good."""
    kw = {"frozen": frozen}
    handled(cast, handlers, org, "S1C1", **kw)
    handled(cast, handlers, org, "S1C1", **kw)
    handled(cast, handlers, org, "S1C2", claim_hours=6, satisfaction="unsatisfied", resolved=False, **kw)
    handled(cast, handlers, org, "S2C1", satisfaction="basically", resolved=False, **kw)
    handled(cast, handlers, org, "DEPT1", **kw)
    return {}


def test_rates_follow_their_definitions(cast: Cast, org: dict[str, Any], month: Any) -> None:
    s1 = selectors.unit_figures(cast.leo, org["S1"], MONTH)
    assert (s1.assessed, s1.dispatched, s1.responded_in_time) == (3, 3, 2)
    assert s1.response_rate == pytest.approx(2 / 3)
    assert s1.on_time_reply_rate == 1.0
    assert s1.completion_rate == pytest.approx(2 / 3)  # the unsatisfied case is not closed
    assert s1.satisfaction_rate == pytest.approx(2 / 3)
    assert s1.resolution_rate == pytest.approx(2 / 3)
    assert s1.avg_handling_days is not None and s1.avg_handling_days > 0
    # Equal weights: the mean of the five rates.
    assert s1.composite == pytest.approx(100 * (2 / 3 + 1 + 2 / 3 + 2 / 3 + 2 / 3) / 5)


def test_the_weights_and_basically_satisfied_are_configurable(cast: Cast, org: dict[str, Any], month: Any) -> None:
    s2 = selectors.unit_figures(cast.leo, org["S2"], MONTH)
    assert s2.satisfaction_rate == 1.0  # basically satisfied counts in full by default
    AssessmentConfig.objects.create(
        pk=1,
        response_weight=Decimal(0),
        on_time_reply_weight=Decimal(0),
        completion_weight=Decimal(0),
        resolution_weight=Decimal(0),
        satisfaction_weight=Decimal(1),
        basically_weight=Decimal("0.5"),
    )
    s2 = selectors.unit_figures(cast.leo, org["S2"], MONTH)
    assert s2.satisfaction_rate == 0.5
    assert s2.composite == pytest.approx(50)


def test_the_monthly_ranking_names_the_bottom_two(cast: Cast, org: dict[str, Any], month: Any) -> None:
    rows = selectors.ranking(cast.leo, "community", MONTH)
    assert [r.unit.code for r in rows] == ["S1C1", "S2C1", "S1C2"]
    assert [r.rank for r in rows] == [1, 2, 3]
    assert [r.unit.code for r in rows if r.bottom] == ["S2C1", "S1C2"]
    departments = selectors.ranking(cast.leo, "department", MONTH)
    assert [(r.unit.code, r.rank) for r in departments] == [("DEPT1", 1), ("DEPT2", None)]
    assert not any(r.bottom for r in departments)  # two units ranked: nobody is named


def test_a_street_sees_itself_and_its_communities_only(cast: Cast, org: dict[str, Any], month: Any) -> None:
    alice = cast.alice
    assert [r.unit.code for r in selectors.ranking(alice, "street", MONTH)] == ["S1"]
    assert {r.unit.code for r in selectors.ranking(alice, "community", MONTH)} == {"S1C1", "S1C2"}
    assert selectors.ranking(alice, "department", MONTH) == []
    with pytest.raises(NotFound):
        selectors.unit_figures(alice, org["S2"], MONTH)
    with pytest.raises(NotFound):
        selectors.drilldown(alice, org["D"], MONTH, "assessed")


def test_every_figure_drills_down_to_as_many_cases(cast: Cast, org: dict[str, Any], month: Any) -> None:
    leo = cast.leo
    for measure, code in ((m, c) for m in sorted(selectors.MEASURES) for c in ("D", "S1", "S1C2", "DEPT1")):
        cases = selectors.drilldown(leo, org[code], MONTH, measure)
        figures = selectors.unit_figures(leo, org[code], MONTH)
        expected = {
            "not_responded_in_time": figures.dispatched - figures.responded_in_time,
            "not_replied_in_time": figures.reply_due - figures.replied_in_time,
            "not_completed": figures.assessed - figures.completed,
            "unresolved": figures.rated - figures.resolved,
            "returned": None,
            "escalated": None,
            "reopened": None,
        }.get(measure, figures.counts.get(measure))
        if expected is not None:
            assert cases.count() == expected, (code, measure)
        assert all(row.unit_path.startswith(org[code].path) for row in cases)


def test_periods_and_their_neighbours() -> None:
    assert span(Period.WEEK, date(2026, 2, 11)).start == date(2026, 2, 9)
    assert span(Period.QUARTER, date(2026, 5, 20)).end == date(2026, 6, 30)
    assert previous(span(Period.MONTH, date(2026, 3, 31))).start == date(2026, 2, 1)
    assert year_before(span(Period.MONTH, date(2024, 2, 29))).start == date(2023, 2, 1)
    assert span(Period.YEAR, date(2026, 7, 1)).days == 365


def test_matters_with_month_on_month_and_year_on_year(
    cast: Cast, handlers: dict[str, Any], org: dict[str, Any], matters: dict[str, Any], frozen: FrozenTime
) -> None:
    for moment, count in ((at(2025, 2, 10, 9), 1), (at(2026, 1, 12, 9), 4), (at(2026, 2, 10, 9), 2)):
        frozen.set(moment)
        for _i in range(count):
            services.case_submit(
                by=cast.cindy, title="路灯不亮", matter=matters["light"], longitude=120.008, latitude=36.008
            )
    frozen.set(at(2026, 2, 11, 9))
    services.case_submit(by=cast.cindy, title="噪音", matter=matters["noise"], longitude=119.985, latitude=36.005)
    mix = selectors.matter_mix(cast.leo, MONTH)
    assert [(m.matter.code, m.received, m.previous, m.year_before) for m in mix] == [
        ("T0101", 2, 4, 1),
        ("T02", 1, 0, 0),
    ]
    assert mix[0].change_previous == pytest.approx(-0.5) and mix[0].change_year == pytest.approx(1.0)
    assert [m.matter.code for m in selectors.matter_mix(cast.leo, MONTH, top_level=True)] == ["T01", "T02"]
    # A street sees the matters of its own places only.
    assert [m.matter.code for m in selectors.matter_mix(cast.bob, MONTH)] == ["T02"]


def test_live_counts_are_the_open_cases_of_the_subtree(
    cast: Cast, org: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    from suban.cases.clock import run_clock

    # Dispatched Monday 09:00 with 2 working days: due Wednesday 17:30, yellow from Tuesday's close.
    frozen.advance(days=1, hours=9)
    run_clock()
    assert selectors.live_counts(cast.alice, org["S1"]) == {"open": 1, "yellow": 1, "red": 0}
    assert selectors.live_counts(cast.bob, org["S2"]) == {"open": 0, "yellow": 0, "red": 0}


def test_a_supervisor_rules_a_case_out_and_back(
    cast: Cast, org: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    with pytest.raises(Forbidden):
        assessment_rule_out(case=dispatched, by=cast.alice, reason=RulingReason.MALICIOUS)
    assessment_rule_out(case=dispatched, by=cast.sam, reason=RulingReason.MALICIOUS, note="恶意重复")
    row = CaseAssessment.objects.get(case=dispatched)
    assert row.excluded and row.exclusion_reason == "ruling:malicious"
    assert UnitDay.objects.get(unit=org["S1"]).excluded == 1
    assessment_withdraw_ruling(case=dispatched, by=cast.sam)
    assert not CaseAssessment.objects.get(case=dispatched).excluded
    assert_rebuild_agrees()


def test_an_exclusion_rule_applies_to_new_events_and_to_a_rebuild(
    cast: Cast, org: dict[str, Any], frozen: FrozenTime
) -> None:
    first = services.case_intake(
        by=cast.dora, dispatch=True, unit=org["S1C1"], title="转来的诉求", channel=Channel.CITY
    )
    ExclusionRule.objects.create(field="channel", value=Channel.CITY, reason="市平台考核")
    second = services.case_intake(by=cast.dora, dispatch=True, unit=org["S1C1"], title="又一件", channel=Channel.CITY)
    assert CaseAssessment.objects.get(case=second).excluded
    assert not CaseAssessment.objects.get(case=first).excluded  # until the history is recomputed
    rebuild_assessment()
    assert CaseAssessment.objects.get(case=first).exclusion_reason.startswith("rule:")
    assert UnitDay.objects.get(unit=org["S1C1"]).excluded == 2


def test_a_moved_community_counts_in_its_new_street(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> None:
    services.case_intake(by=cast.dora, dispatch=True, unit=org["S1C2"], title="井盖缺失")
    unit_move(by=None, unit=org["S1C2"], parent=org["S2"])
    s = span(Period.DAY, date(2026, 2, 9))
    assert selectors.unit_figures(cast.leo, org["S2"], s).received == 1
    assert selectors.unit_figures(cast.leo, org["S1"], s).received == 0
    assert_rebuild_agrees()
