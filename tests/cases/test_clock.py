"""The deadline clock on the real Chinese calendar: Spring Festival 2026 (15–23 February off, Saturdays
14 and 28 February worked) and National Day 2025 (1–8 October off, Sunday 28 September and Saturday
11 October worked), in the default office hours (08:30–12:00, 13:30–17:30: 7.5 hours a working day)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from suban.cases import clock as clock_module
from suban.cases import deadlines
from suban.cases.clock import run_clock
from suban.cases.models import Alert, Case, CaseEvent, Status, SupervisionOrder
from suban.cases.services import (
    case_accept,
    case_claim,
    case_decide_extension,
    case_dispatch,
    case_hold,
    case_note,
    case_request_extension,
    case_resume,
    case_submit,
)
from suban.cases.services.core import commit
from suban.errors import Conflict, Invalid
from suban.workdays.calendar import work_calendar
from tests.conftest import Cast
from tests.timing import FrozenTime, at


def dispatch_at(frozen: FrozenTime, cast: Cast, moment: Any, **submit: Any) -> Case:
    """Cindy's street light (S1C1G1), accepted and dispatched by the list at `moment`."""
    frozen.set(moment)
    fields = {"title": "路灯不亮", "longitude": 120.005, "latitude": 36.005, **submit}
    case = case_submit(by=cast.cindy, **fields)
    case_accept(case=case, by=cast.dora)
    return case_dispatch(case=case, by=cast.dora)


def actions(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def festival(frozen: FrozenTime, cast: Cast) -> Case:
    """Dispatched to 东一社区 (2 working days) on Friday 13 February 2026 at 10:00, before Spring Festival."""
    return dispatch_at(frozen, cast, at(2026, 2, 13, 10))


# --- the instants ---------------------------------------------------------------------------------------


def test_the_deadline_runs_over_spring_festival_on_the_worked_saturday(festival, org):
    # Friday, the day of dispatch, does not count: the worked Saturday 14 February is the first working day,
    # Tuesday 24 February the second, to its close of office.
    assert festival.unit == org["S1C1"] and festival.limit_days == 2
    assert festival.due_at == at(2026, 2, 24, 17, 30)
    # Yellow from one working day (7.5 office hours) before: back over the holiday to Saturday's close.
    assert festival.warn_at == at(2026, 2, 14, 17, 30)
    # 4 office hours: 10:00–12:00 and 13:30–15:30.
    assert festival.response_due_at == at(2026, 2, 13, 15, 30)
    assert festival.next_check_at == festival.warn_at


def test_a_case_dispatched_on_a_monday_evening_is_due_in_office_hours(frozen, cast):
    """The issue's case: dispatched on Monday at 20:46, it was due to respond at 00:46 and to be handled by
    Wednesday 20:46. The response limit counts office hours; the handling limit ends at a close of office."""
    case = dispatch_at(frozen, cast, at(2026, 11, 23, 20, 46))
    assert case.response_due_at == at(2026, 11, 24, 14)  # Tuesday 08:30–12:00 and 13:30–14:00
    assert case.due_at == at(2026, 11, 25, 17, 30)  # Tuesday and Wednesday, to Wednesday's close
    assert case.warn_at == at(2026, 11, 24, 17, 30)
    # Claimed at Tuesday's opening: in time (it was late from 00:46 on).
    frozen.set(at(2026, 11, 24, 8, 45))
    claim = case_claim(case=case, by=cast.carol)
    assert CaseEvent.objects.get(case=claim, action="claim").data["in_time"] is True


def test_the_deadline_runs_over_national_day(frozen, cast, org):
    # A development case goes to the street (3 working days) on Tuesday 30 September 2025: 9 and 10 October,
    # and the worked Saturday 11 October to its close.
    case = dispatch_at(frozen, cast, at(2025, 9, 30, 15), case_type="development")
    assert case.unit == org["S1"] and case.limit_days == 3
    assert case.due_at == at(2025, 10, 11, 17, 30)
    assert case.warn_at == at(2025, 10, 10, 17, 30)


def test_a_case_dispatched_on_a_holiday_starts_its_clock_on_the_next_working_day(frozen, cast):
    case = dispatch_at(frozen, cast, at(2026, 2, 21, 10))
    assert case.due_at == at(2026, 2, 25, 17, 30)  # Tuesday 24 and Wednesday 25 (was midnight on the 26th)
    assert case.warn_at == at(2026, 2, 24, 17, 30)


def test_a_very_urgent_case_is_yellow_from_the_start(frozen, cast):
    # Half a working day (3 h 45 min of office time) from Friday 13 February 20:00, a limit under one day
    # running from the dispatch: the worked Saturday 08:30–12:00 and 13:30–13:45.
    case = dispatch_at(frozen, cast, at(2026, 2, 13, 20), urgency="critical")
    assert case.due_at == at(2026, 2, 14, 13, 45)
    assert case.response_due_at == at(2026, 2, 14, 9, 30)  # one office hour
    assert case.warn_at is not None and case.dispatched_at is not None
    assert case.warn_at < case.dispatched_at
    assert case.next_check_at == case.dispatched_at
    run = run_clock()
    assert run.warned == 1 and fresh(case).alert == Alert.YELLOW


# --- yellow, red, supervision ----------------------------------------------------------------------------


def test_yellow_comes_exactly_one_working_day_before_the_deadline(festival, frozen):
    frozen.set(at(2026, 2, 14, 17, 29))
    assert run_clock().checked == 0
    assert fresh(festival).alert == Alert.NONE

    frozen.set(at(2026, 2, 14, 17, 30))
    run = run_clock()
    assert (run.checked, run.warned, run.overdue) == (1, 1, 0)
    case = fresh(festival)
    assert case.alert == Alert.YELLOW and case.next_check_at == case.due_at
    assert actions(case)[-1] == "warn"
    warn = CaseEvent.objects.get(case=case, action="warn")
    assert warn.actor is None and not warn.public and warn.from_status == warn.to_status == Status.DISPATCHED


def test_red_after_the_deadline_opens_an_automatic_supervision_order(festival, frozen, org):
    frozen.set(at(2026, 2, 14, 18))
    run_clock()
    frozen.set(at(2026, 2, 24, 17, 29))  # the whole holiday passes: still yellow
    assert run_clock().checked == 0

    frozen.set(at(2026, 2, 24, 17, 30))
    run = run_clock()
    assert (run.warned, run.overdue) == (0, 1)
    case = fresh(festival)
    assert case.alert == Alert.RED and case.next_check_at is None
    assert actions(case)[-3:] == ["warn", "overdue", "supervise"]
    order = SupervisionOrder.objects.get(case=case)
    assert order.automatic and order.unit == org["S1C1"] and order.by is None
    assert order.state == SupervisionOrder.State.OPEN
    assert order.due_at == at(2026, 2, 25, 17, 30)  # one working day, to its close
    assert case.supervision_count == 1


def test_a_clock_that_first_looks_after_the_deadline_goes_straight_to_red(festival, frozen):
    frozen.set(at(2026, 3, 2, 8))
    run = run_clock()
    assert (run.warned, run.overdue) == (0, 1)
    assert actions(fresh(festival))[-2:] == ["overdue", "supervise"]


def test_running_the_clock_twice_warns_once_and_supervises_once(festival, frozen):
    frozen.set(at(2026, 2, 14, 18))
    assert run_clock().warned == 1
    again = run_clock()
    assert (again.checked, again.warned) == (0, 0)
    frozen.set(at(2026, 2, 24, 18))
    assert run_clock().overdue == 1
    assert run_clock().checked == 0
    frozen.advance(days=3)
    assert run_clock().checked == 0
    case = fresh(festival)
    assert actions(case).count("warn") == 1 and actions(case).count("overdue") == 1
    assert SupervisionOrder.objects.filter(case=case).count() == 1


def test_the_clock_uses_its_own_instant_for_the_supervision_order(festival, frozen):
    """run_clock(now) as a catch-up run: the order's deadline and the events follow `now`, not the wall clock."""
    frozen.set(at(2026, 3, 20, 9))  # the wall clock, weeks later
    run_clock(at(2026, 2, 24, 17, 30))
    order = SupervisionOrder.objects.get(case=festival)
    assert order.due_at == at(2026, 2, 25, 17, 30)
    assert {e.at for e in CaseEvent.objects.filter(case=festival, action__in=["overdue", "supervise"])} == {
        at(2026, 2, 24, 17, 30)
    }


# --- hold ------------------------------------------------------------------------------------------------


def test_a_hold_stops_the_clock_and_gives_back_the_held_working_time(festival, frozen, cast):
    frozen.set(at(2026, 2, 13, 12))
    case_claim(case=festival, by=cast.carol)
    frozen.set(at(2026, 2, 13, 16))
    case_hold(case=festival, by=cast.sam, reason="等待第三方鉴定")
    assert festival.status == Status.ON_HOLD and festival.next_check_at is None

    # Past the old warning and the old deadline: no warning while on hold.
    for moment in (at(2026, 2, 14, 18), at(2026, 2, 24, 18)):
        frozen.set(moment)
        assert run_clock().checked == 0
    assert fresh(festival).alert == Alert.NONE
    assert "warn" not in actions(festival)

    frozen.set(at(2026, 2, 25, 9))
    case_resume(case=festival, by=cast.sam)
    # 16.5 office hours were left at 16:00 on Friday 13 (1.5 h + Saturday 14 + Tuesday 24); from Wednesday 25
    # 09:00 they end on Friday 27 at 10:30 (7 h on Wednesday, 7.5 h on Thursday, 2 h on Friday).
    office = work_calendar().office()
    held = office.between(at(2026, 2, 13, 16), at(2026, 2, 25, 9))
    assert held == timedelta(hours=17)
    assert festival.due_at == at(2026, 2, 27, 10, 30) == office.add(at(2026, 2, 24, 17, 30), held)
    assert festival.warn_at == at(2026, 2, 26, 10, 30)
    assert festival.held_at is None and festival.next_check_at == festival.warn_at

    frozen.set(at(2026, 2, 26, 10, 30))
    assert run_clock().warned == 1
    assert fresh(festival).alert == Alert.YELLOW


def test_a_case_held_after_its_deadline_stays_overdue_by_the_same_working_time(festival, frozen, cast):
    frozen.set(at(2026, 2, 13, 12))
    case_claim(case=festival, by=cast.carol)
    frozen.set(at(2026, 2, 25, 10))
    run_clock()
    case_hold(case=Case.objects.get(pk=festival.pk), by=cast.sam, reason="等待鉴定")
    frozen.set(at(2026, 3, 2, 9))
    case = case_resume(case=Case.objects.get(pk=festival.pk), by=cast.sam)
    # 1.5 office hours late when held (Wednesday 08:30–10:00); 1.5 office hours late on resuming (Monday
    # 08:30–09:00 and the worked Saturday 28 February 16:30–17:30).
    assert case.due_at == at(2026, 2, 28, 16, 30)
    assert case.alert == Alert.RED and case.next_check_at is None
    assert run_clock().checked == 0


# --- extensions -------------------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_deadline_by_working_days(festival, frozen, cast):
    frozen.set(at(2026, 2, 13, 12))
    case_claim(case=festival, by=cast.carol)
    case_request_extension(case=festival, by=cast.carol, days="1.5", reason="需协调供电公司")
    assert festival.pending_extension_days == Decimal("1.5") and festival.due_at == at(2026, 2, 24, 17, 30)
    case_decide_extension(case=festival, by=cast.sam, approve=True)
    # 1.5 office days (11 h 15 min) after Tuesday's close: Wednesday, then Thursday 08:30–12:00, 13:30–13:45.
    assert festival.due_at == at(2026, 2, 26, 13, 45)
    assert festival.warn_at == at(2026, 2, 25, 13, 45)
    assert festival.extension_days == Decimal("1.5") and festival.pending_extension_days is None


def test_a_rejected_extension_keeps_the_deadline(festival, frozen, cast):
    case_claim(case=festival, by=cast.carol)
    case_request_extension(case=festival, by=cast.carol, days=3, reason="需协调")
    case_decide_extension(case=festival, by=cast.dora, approve=False, note="期限内可完成")
    assert festival.due_at == at(2026, 2, 24, 17, 30) and festival.extension_days == 0
    assert festival.pending_extension_days is None
    with pytest.raises(Invalid):
        case_decide_extension(case=festival, by=cast.dora, approve=True)


def test_extensions_add_at_most_ten_working_days_in_all(festival, frozen, cast):
    case_claim(case=festival, by=cast.carol)
    with pytest.raises(Invalid):
        case_request_extension(case=festival, by=cast.carol, days=11, reason="工程量大")
    for days in (6, 4):
        case_request_extension(case=festival, by=cast.carol, days=days, reason="工程量大")
        case_decide_extension(case=festival, by=cast.sam, approve=True)
    assert festival.extension_days == deadlines.MAX_EXTENSION_DAYS
    office = work_calendar().office()
    assert festival.due_at == office.add(at(2026, 2, 24, 17, 30), office.days(10)) == at(2026, 3, 9, 17, 30)
    version = festival.version
    with pytest.raises(Invalid):
        case_request_extension(case=festival, by=cast.carol, days="0.5", reason="还要半天")
    assert fresh(festival).version == version


def test_one_request_at_a_time_and_in_halves(festival, cast):
    case_claim(case=festival, by=cast.carol)
    for days in ("1.3", 0, -1, "NaN", "Infinity", "1e300", "abc", True):
        with pytest.raises(Invalid):
            case_request_extension(case=festival, by=cast.carol, days=days, reason="需协调")
    case_request_extension(case=festival, by=cast.carol, days=1, reason="需协调")
    with pytest.raises(Invalid):
        case_request_extension(case=festival, by=cast.carol, days=1, reason="再加一天")


def test_an_extension_after_red_clears_the_alert_and_the_clock_warns_again(festival, frozen, cast):
    case_claim(case=festival, by=cast.carol)
    frozen.set(at(2026, 2, 25, 9))
    run_clock()
    assert fresh(festival).alert == Alert.RED
    case = fresh(festival)
    case_request_extension(case=case, by=cast.carol, days=3, reason="需协调")
    case_decide_extension(case=case, by=cast.sam, approve=True)
    assert case.due_at == at(2026, 2, 27, 17, 30) and case.alert == Alert.NONE
    assert case.next_check_at == case.warn_at == at(2026, 2, 26, 17, 30)
    frozen.set(at(2026, 2, 26, 17, 30))
    assert run_clock().warned == 1
    frozen.set(at(2026, 2, 27, 17, 30))
    assert run_clock().overdue == 1
    assert SupervisionOrder.objects.filter(case=case, automatic=True).count() == 2


# --- the clock against people ------------------------------------------------------------------------------


def test_a_case_changed_by_a_person_while_the_clock_runs_is_skipped_not_overwritten(
    festival, frozen, cast, monkeypatch
):
    frozen.set(at(2026, 2, 14, 18))
    original = clock_module.deadlines.current_alert

    def carol_writes_first(case: Case, now: Any) -> str:
        # The clock has loaded the case; carol's note lands before the clock writes.
        case_note(case=Case.objects.get(pk=case.pk), by=cast.carol, note="已到现场查看")
        monkeypatch.setattr(clock_module.deadlines, "current_alert", original)
        return original(case, now)

    monkeypatch.setattr(clock_module.deadlines, "current_alert", carol_writes_first)
    run = run_clock()
    assert (run.checked, run.warned, run.skipped) == (1, 0, 1)
    case = fresh(festival)
    assert actions(case)[-1] == "note" and case.alert == Alert.NONE
    assert case.next_check_at == case.warn_at  # left for the next run

    run = run_clock()
    assert run.warned == 1
    assert actions(fresh(festival))[-2:] == ["note", "warn"]


def test_the_clock_only_acts_where_the_table_lets_it(festival, cast):
    case_claim(case=festival, by=cast.carol)
    case = fresh(festival)
    Case.objects.filter(pk=case.pk).update(status=Status.VISITING)
    case.status = Status.VISITING
    with pytest.raises(Conflict):
        commit(case, by=None, action="overdue", fields=("alert",))
    assert fresh(festival).version == case.version


@pytest.mark.parametrize("moment", [at(2026, 2, 14, 18), at(2026, 2, 24, 18)], ids=["yellow", "red"])
def test_the_clock_does_not_act_on_a_case_that_left_the_unit(festival, frozen, moment):
    """A next check left behind on a closed case (by an import, by hand) is dropped, not acted on."""
    Case.objects.filter(pk=festival.pk).update(status=Status.CLOSED)
    frozen.set(moment)
    run = run_clock()
    assert (run.warned, run.overdue, run.skipped) == (0, 0, 1)
    case = fresh(festival)
    assert actions(case)[-1] == "dispatch" and case.alert == Alert.NONE
    assert case.next_check_at is None and case.version == festival.version
    assert not SupervisionOrder.objects.filter(case=festival).exists()
    assert run_clock().checked == 0


def test_a_deadline_moved_away_only_reschedules(festival, frozen):
    """The clock looks, finds nothing to say, and writes only the alert and the next check."""
    later = at(2026, 3, 5, 10)
    Case.objects.filter(pk=festival.pk).update(
        due_at=later, warn_at=deadlines.warning_for(work_calendar().office(), later), next_check_at=at(2026, 2, 14, 10)
    )
    frozen.set(at(2026, 2, 14, 11))
    run = run_clock()
    assert (run.checked, run.warned, run.overdue, run.skipped) == (1, 0, 0, 0)
    case = fresh(festival)
    assert case.version == festival.version and case.next_check_at == case.warn_at == at(2026, 3, 4, 10)
