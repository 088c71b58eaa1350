"""Office hours: hour limits count only office time of working days, day limits end at the close of office.

The district's hours are an admin row (default 08:30–12:00, 13:30–17:30); the clock is per district."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from suban.org.models import UnitKind
from suban.org.services import unit_create
from suban.workdays.calendar import (
    DEFAULT_OFFICE_DAY,
    CalendarUnknown,
    OfficeClock,
    OfficeDay,
    WorkCalendar,
    work_calendar,
)
from suban.workdays.models import OfficeHours
from tests.conftest import Cast

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SH)


@pytest.fixture
def office() -> OfficeClock:
    return WorkCalendar({}, frozenset()).office()


# --- hours ------------------------------------------------------------------------------------------------


def test_four_hours_from_a_monday_evening_end_on_tuesday_afternoon(office):
    # The case: dispatched Monday 23 November 2026 at 20:46; 08:30–12:00 and 13:30–14:00 on Tuesday.
    assert office.add_hours(at(2026, 11, 23, 20, 46), 4) == at(2026, 11, 24, 14)


def test_hours_skip_the_lunch_break_and_the_night(office):
    assert office.add_hours(at(2026, 11, 23, 10), 4) == at(2026, 11, 23, 15, 30)
    assert office.add_hours(at(2026, 11, 23, 12, 30), 1) == at(2026, 11, 23, 14, 30)  # dispatched over lunch
    assert office.add_hours(at(2026, 11, 23, 16), 4) == at(2026, 11, 24, 11)
    # Used up at noon: due at 12:00, not at 13:30.
    assert office.add_hours(at(2026, 11, 23, 8, 30), "3.5") == at(2026, 11, 23, 12)


def test_hours_from_a_friday_evening_wait_for_monday_and_for_holidays(office):
    assert office.add_hours(at(2026, 11, 20, 18), 4) == at(2026, 11, 23, 14)
    # Friday 13 February 2026, 17:00: half an hour on Friday, then the worked Saturday 14 February.
    assert office.add_hours(at(2026, 2, 13, 17), 2) == at(2026, 2, 14, 10)
    # Saturday 14 February 17:00, then Spring Festival: Tuesday 24 February.
    assert office.add_hours(at(2026, 2, 14, 17), 2) == at(2026, 2, 24, 10)


# --- days -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dispatched", "due"),
    [
        (at(2026, 11, 23, 7), at(2026, 11, 25, 17, 30)),  # before opening: Monday still does not count
        (at(2026, 11, 23, 8, 30), at(2026, 11, 25, 17, 30)),
        (at(2026, 11, 23, 10), at(2026, 11, 25, 17, 30)),
        (at(2026, 11, 23, 17, 30), at(2026, 11, 25, 17, 30)),
        (at(2026, 11, 23, 20, 46), at(2026, 11, 25, 17, 30)),  # the case: was Wednesday 20:46
        (at(2026, 11, 21, 11), at(2026, 11, 24, 17, 30)),  # a Saturday: Monday is the first day
        (at(2026, 11, 26, 23, 59), at(2026, 11, 30, 17, 30)),  # Thursday night: Friday, Monday
    ],
)
def test_two_working_days_end_at_the_close_of_the_second_working_day_after_the_day_of_dispatch(office, dispatched, due):
    assert office.add_days(dispatched, 2) == due


def test_half_days_are_half_an_office_day_of_office_time(office):
    # 7.5 office hours a day: half a day is 3 h 45 min.
    assert office.days(Decimal("0.5")) == timedelta(hours=3, minutes=45)
    # 1.5 days from Monday: Tuesday to its close, then 3 h 45 min of Wednesday (08:30–12:00, 13:30–13:45).
    assert office.add_days(at(2026, 11, 23, 10), Decimal("1.5")) == at(2026, 11, 25, 13, 45)
    # Under one day the limit runs from the dispatch: Monday 10:00–12:00 and 13:30–15:15.
    assert office.add_days(at(2026, 11, 23, 10), Decimal("0.5")) == at(2026, 11, 23, 15, 15)
    assert office.add_days(at(2026, 11, 23, 20, 46), Decimal("0.5")) == at(2026, 11, 24, 13, 45)


def test_an_extension_adds_office_days_to_the_deadline_in_force(office):
    due = office.add_days(at(2026, 11, 23, 10), 2)
    assert office.add(due, office.days(1)) == at(2026, 11, 26, 17, 30) == office.add_days(at(2026, 11, 23, 10), 3)
    assert office.add(due, office.days(Decimal("0.5"))) == at(2026, 11, 26, 13, 45)


def test_measured_back_and_forth(office):
    due = at(2026, 11, 25, 17, 30)
    assert office.subtract(due, office.days(1)) == at(2026, 11, 24, 17, 30)  # yellow from Tuesday's close
    assert office.between(at(2026, 11, 23, 20, 46), due) == timedelta(hours=15)
    assert office.between(due, at(2026, 11, 23, 20, 46)) == -timedelta(hours=15)
    assert office.is_open(at(2026, 11, 24, 12)) and not office.is_open(at(2026, 11, 24, 12, 1))
    assert not office.is_open(at(2026, 11, 22, 10))  # a Sunday


def test_a_day_without_a_lunch_break():
    office = WorkCalendar({}, frozenset()).office()
    straight = OfficeClock(office.calendar, OfficeDay(((time(9), time(17)),)))
    assert straight.day == timedelta(hours=8)
    assert straight.add_hours(at(2026, 11, 23, 20, 46), 4) == at(2026, 11, 24, 13)
    assert straight.add_days(at(2026, 11, 23, 10), 1) == at(2026, 11, 24, 17)


# --- per district, from the admin's row -------------------------------------------------------------------


def test_each_district_counts_in_its_own_office_hours(org: dict[str, Any], settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    other = unit_create(by=None, code="D2", name="别区", kind=UnitKind.DISTRICT, parent=None)
    OfficeHours.objects.create(district=org["D"], opens=time(9), lunch_starts=None, lunch_ends=None, closes=time(17))
    calendar = work_calendar()
    assert str(calendar.office(org["S1C1"].path).office_day) == "09:00–17:00"
    assert calendar.office(org["S1C1"].path).add_hours(at(2026, 11, 23, 20, 46), 4) == at(2026, 11, 24, 13)
    assert calendar.office(other.path).office_day == DEFAULT_OFFICE_DAY
    assert calendar.office(other.path).add_hours(at(2026, 11, 23, 20, 46), 4) == at(2026, 11, 24, 14)
    # An admin's change is seen at the next fingerprint check.
    row = OfficeHours.objects.get(district=org["D"])
    row.closes = time(18)
    row.save()
    assert work_calendar().office(org["S1C1"].path).add_days(at(2026, 11, 23, 10), 1) == at(2026, 11, 24, 18)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"opens": time(17, 30), "closes": time(8, 30)}, "closes"),
        ({"lunch_starts": time(12), "lunch_ends": None}, "lunch_ends"),
        ({"lunch_starts": time(13, 30), "lunch_ends": time(12)}, "lunch_starts"),
        ({"lunch_starts": time(7), "lunch_ends": time(9)}, "lunch_starts"),
        ({"opens": time(9), "closes": time(9, 30), "lunch_starts": None, "lunch_ends": None}, "closes"),
        ({"opens": time(8, 30, 15)}, "__all__"),
    ],
)
def test_bad_office_hours_are_named(org: dict[str, Any], fields: dict[str, Any], field: str) -> None:
    row = OfficeHours(district=org["D"], **fields)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert field in refused.value.message_dict


def test_office_hours_belong_to_a_district(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        OfficeHours(district=org["S1"]).full_clean()
    assert "district" in refused.value.message_dict
    OfficeHours(district=org["D"]).full_clean()  # the defaults are valid


def test_the_database_refuses_office_hours_that_close_before_they_open(org: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(
            district=org["D"], opens=time(17), closes=time(9), lunch_starts=None, lunch_ends=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(district=org["D"], lunch_starts=time(12), lunch_ends=None)


def test_the_system_admin_sets_a_districts_office_hours_in_the_admin(cast: Cast, org: dict[str, Any]) -> None:
    admin = Client()
    admin.force_login(cast.sysadmin, backend="suban.accounts.backends.RoleBackend")
    listing = admin.get("/admin/workdays/officehours/").content.decode()
    assert "08:30–12:00, 13:30–17:30" in listing and "7.5" in listing
    assert 'data-testid="default-districts"' in listing and "演示区" in listing

    bad = {"district": org["D"].pk, "opens": "17:30", "closes": "08:30", "lunch_starts": "", "lunch_ends": ""}
    refused = admin.post("/admin/workdays/officehours/add/", bad)
    assert refused.status_code == 200 and not OfficeHours.objects.exists()
    assert "errorlist" in refused.content.decode()

    good = {
        "district": org["D"].pk,
        "opens": "09:00",
        "closes": "17:00",
        "lunch_starts": "12:00",
        "lunch_ends": "13:00",
    }
    assert admin.post("/admin/workdays/officehours/add/", good).status_code == 302
    listing = admin.get("/admin/workdays/officehours/").content.decode()
    assert "09:00–12:00, 13:00–17:00" in listing and 'data-testid="default-districts"' not in listing
    street = admin.post("/admin/workdays/officehours/add/", {**good, "district": org["S1"].pk})
    assert street.status_code == 200 and OfficeHours.objects.count() == 1


# --- properties -------------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(SH))


@st.composite
def office_days(draw: Any) -> OfficeDay:
    """Any valid office hours, on the quarter hour: with or without a lunch break."""
    quarters = sorted(draw(st.sets(st.integers(6 * 4, 21 * 4), min_size=4, max_size=4)))
    as_time = [time(q // 4, q % 4 * 15) for q in quarters]
    if draw(st.booleans()):
        return OfficeDay(((as_time[0], as_time[1]), (as_time[2], as_time[3])))
    return OfficeDay(((as_time[0], as_time[3]),))


def clock_for(day: OfficeDay) -> OfficeClock:
    # Short office days run long limits into the next years: those entered as Monday to Friday.
    return OfficeClock(WorkCalendar({}, frozenset({2027, 2028})), day)


@settings(max_examples=200, deadline=None)
@given(day=office_days(), start=moments, minutes=st.integers(1, 15 * 8 * 60))
def test_adding_office_time_then_measuring_it_gives_it_back_and_lands_in_office_hours(day, start, minutes):
    clock = clock_for(day)
    span = timedelta(minutes=minutes)
    end = clock.add(start, span)
    assert end > start
    assert clock.between(start, end) == span
    assert clock.is_open(end)
    # Counting back from the end gives the earliest moment with that much left: never after the start.
    back = clock.subtract(end, span)
    assert back <= start and clock.between(back, end) == span
    assert clock.add(back, span) == end


@settings(max_examples=200, deadline=None)
@given(day=office_days(), start=moments, halves=st.integers(1, 30))
def test_day_limits_end_at_a_close_and_count_working_days_after_the_day_of_dispatch(day, start, halves):
    clock = clock_for(day)
    days = Decimal(halves) / 2
    due = clock.add_days(start, days)
    assert clock.is_open(due) and due > start
    if days >= 1:
        # The office time from the end of the day of dispatch is exactly the limit.
        midnight = datetime.combine(start.date() + timedelta(days=1), time(0), SH)
        assert clock.between(midnight, due) == clock.days(days)
    if days == days.to_integral_value():
        assert due.timetz().replace(tzinfo=None) == day.sessions[-1][1]  # at the close of office
        worked = [
            start.date() + timedelta(days=n)
            for n in range(1, (due.date() - start.date()).days + 1)
            if clock.calendar.is_workday(start.date() + timedelta(days=n))
        ]
        assert len(worked) == days and worked[-1] == due.date()


@settings(max_examples=200, deadline=None)
@given(day=office_days(), first=moments, second=moments, halves=st.integers(1, 20), minutes=st.integers(1, 2000))
def test_a_later_start_never_gives_an_earlier_deadline(day, first, second, halves, minutes):
    clock = clock_for(day)
    early, late = sorted((first, second))
    assert clock.add_days(early, Decimal(halves) / 2) <= clock.add_days(late, Decimal(halves) / 2)
    assert clock.add(early, timedelta(minutes=minutes)) <= clock.add(late, timedelta(minutes=minutes))


@settings(max_examples=100, deadline=None)
@given(day=office_days(), start=moments, halves=st.integers(1, 19))
def test_a_longer_limit_never_gives_an_earlier_deadline(day, start, halves):
    clock = clock_for(day)
    assert clock.add_days(start, Decimal(halves) / 2) < clock.add_days(start, Decimal(halves + 1) / 2)


@settings(max_examples=100, deadline=None)
@given(day=office_days(), a=moments, b=moments, c=moments)
def test_office_time_adds_up(day, a, b, c):
    clock = clock_for(day)
    assert clock.between(a, b) + clock.between(b, c) == clock.between(a, c)


def test_the_office_day_of_a_date_in_an_unknown_year_is_refused(office):
    with pytest.raises(CalendarUnknown):
        office.sessions(date(2027, 3, 1))


def test_office_time_up_to_the_last_midnight_of_a_known_year_needs_nothing_of_the_next(office):
    assert office.between(at(2026, 12, 31, 10), at(2027, 1, 1)) == timedelta(hours=6)
