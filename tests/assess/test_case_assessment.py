"""One case through its life: what it counts for, and where."""

from __future__ import annotations

from typing import Any

from suban.assess.models import CaseAssessment, UnitDay
from suban.cases.models import Case
from suban.cases.services import (
    DeclineReason,
    case_accept,
    case_claim,
    case_decline,
    case_dispatch,
    case_rate,
    case_reopen,
    case_reply,
    case_review_reply,
    case_submit,
)
from tests.assess.conftest import assert_rebuild_agrees
from tests.conftest import Cast
from tests.timing import FrozenTime


def unit_day(code: str) -> UnitDay:
    return UnitDay.objects.get(unit__code=code)


def test_a_case_answered_in_time_counts_for_its_community_street_and_district(
    cast: Cast, handlers: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    assert dispatched.unit.code == "S1C1"
    frozen.advance(hours=1)
    case_claim(case=dispatched, by=cast.carol)
    frozen.advance(hours=20)
    case_reply(case=dispatched, by=cast.carol, reply="已修复")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction="satisfied", resolved=True)

    row = CaseAssessment.objects.get(case=dispatched)
    assert (row.unit.code, row.community.code, row.street.code, row.grid, row.department) == (
        "S1C1",
        "S1C1",
        "S1",
        None,
        None,
    )
    assert row.dispatched and row.responded and row.responded_in_time
    assert row.replied and row.replied_in_time and row.reply_due and row.completed
    assert row.rated and row.satisfaction == "satisfied" and row.resolved is True
    # Monday 09:00 to Tuesday 06:00: 7 office hours (09:00–12:00, 13:30–17:30), 7/7.5 of a working day, kept in
    # 86,400ths of a working day.
    handling = 7 * 86400 * 2 // 15
    assert row.handling_seconds == handling == 80640
    for code in ("S1C1", "S1", "D"):
        day = unit_day(code)
        assert (day.received, day.assessed, day.completed, day.satisfied, day.handling_seconds) == (
            1,
            1,
            1,
            1,
            handling,
        )
    assert not UnitDay.objects.filter(unit__code__in=["S2", "S1C2", "DEPT1"]).exists()
    assert_rebuild_agrees()


def test_a_late_claim_is_not_a_response_in_time(cast: Cast, dispatched: Case, frozen: FrozenTime) -> None:
    # 4 office hours from Monday 09:00 end at 14:30 (09:00–12:00, 13:30–14:30): 15:00 is late.
    frozen.advance(hours=6)
    case_claim(case=dispatched, by=cast.carol)
    row = CaseAssessment.objects.get(case=dispatched)
    assert row.responded and not row.responded_in_time
    day = unit_day("S1C1")
    assert (day.dispatched, day.responded, day.responded_in_time) == (1, 1, 0)


def test_a_reopening_keeps_the_verdict_on_the_response_in_office_hours(
    cast: Cast, dispatched: Case, frozen: FrozenTime
) -> None:
    # Dispatched Monday 09:00: 4 office hours end at 14:30. Claimed at 15:00: 4.5 office hours, late.
    frozen.advance(hours=6)
    case_claim(case=dispatched, by=cast.carol)
    assert not CaseAssessment.objects.get(case=dispatched).responded_in_time
    frozen.advance(hours=1)
    case_reply(case=dispatched, by=cast.carol, reply="已修复")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction="unsatisfied", resolved=False)
    # Reopening restarts the clock (a response limit from now: Tuesday), not the round: Monday's claim is
    # still measured against 4 office hours from Monday 09:00.
    frozen.advance(hours=1)
    reopened = case_reopen(case=dispatched, by=cast.sam, note="灯还是不亮")
    assert reopened.response_due_at is not None and reopened.response_due_at > reopened.claimed_at
    row = CaseAssessment.objects.get(case=dispatched)
    assert row.reopened == 1 and row.responded and not row.responded_in_time
    assert unit_day("S1C1").responded_in_time == 0
    assert_rebuild_agrees()


def test_a_declined_case_is_excluded_with_its_reason(cast: Cast, submitted: Case) -> None:
    case_decline(case=submitted, by=cast.dora, reason=DeclineReason.LEGAL_CHANNEL)
    row = CaseAssessment.objects.get(case=submitted)
    assert row.excluded and row.exclusion_reason == "declined:legal_channel"
    day = unit_day("D")
    assert (day.received, day.excluded, day.assessed, day.dispatched) == (1, 1, 0, 0)


def test_dispatch_moves_the_case_from_the_district_to_the_unit(cast: Cast, submitted: Case, frozen: FrozenTime) -> None:
    case_accept(case=submitted, by=cast.dora)
    assert unit_day("D").received == 1
    assert not UnitDay.objects.filter(unit__code="S1C1").exists()
    case_dispatch(case=submitted, by=cast.dora)
    assert unit_day("S1C1").received == 1
    assert unit_day("S1").dispatched == 1
    assert unit_day("D").received == 1  # still one case in the district, not two
    assert_rebuild_agrees()


def test_intake_in_one_step_is_assessed(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> None:
    from suban.cases.services import case_intake

    case = case_intake(by=cast.dora, dispatch=True, unit=org["DEPT1"], title="占道经营", text="市场门口占道")
    row = CaseAssessment.objects.get(case=case)
    assert row.department.code == "DEPT1" and row.dispatched and not row.responded
    assert unit_day("DEPT1").dispatched == 1
    assert_rebuild_agrees()


def test_a_citizen_case_stays_assessed_when_submitted_unlocated(cast: Cast, frozen: FrozenTime) -> None:
    case = case_submit(by=cast.cindy, title="咨询政策")
    row = CaseAssessment.objects.get(case=case)
    assert row.unit.code == "D" and row.area_street.code == "D" and not row.excluded


def test_a_batch_of_work_orders_is_assessed_in_one_go(
    cast: Cast, org: dict[str, Any], matters: dict[str, Any], frozen: FrozenTime
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suban.cases.services import intake_many

    orders = [
        {
            "title": f"热线工单 {i}",
            "dispatch": True,
            "unit": org[code],
            "matter": matters["light"],
            "source_ref": f"R{i}",
        }
        for i, code in enumerate(["S1C1", "S1C2", "S2C1", "DEPT1", "S1C1"])
    ]
    orders.append({"title": "只受理不派单", "source_ref": "R9"})
    with CaptureQueriesContext(connection) as queries:
        intake_many(by=cast.dora, orders=orders)
    assert CaseAssessment.objects.count() == 6
    assert unit_day("D").received == 6 and unit_day("D").dispatched == 5
    assert unit_day("S1").dispatched == 3
    # Set-based: the assessment's reads and writes for the whole batch are a handful of statements.
    # (The exclusion rules come from a per-process cache, checked on every call in the tests only.)
    ours = [q["sql"] for q in queries.captured_queries if "assess_" in q["sql"] and "exclusionrule" not in q["sql"]]
    assert len(ours) <= 5, ours
    assert_rebuild_agrees()
