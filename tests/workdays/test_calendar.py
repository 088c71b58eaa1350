"""Working days around Spring Festival and National Day 2025–2026, 调休 Saturdays and Sundays included."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from suban.workdays.calendar import CalendarUnknown, WorkCalendar, forget_calendar, work_calendar
from suban.workdays.models import CalendarDay, CalendarYear

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=SH)


@pytest.fixture
def cal():
    return WorkCalendar({}, frozenset())


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (date(2025, 1, 26), True),  # Sunday worked before Spring Festival 2025
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),  # Saturday worked after it
        (date(2025, 9, 28), True),  # Sunday worked before National Day 2025
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),  # Saturday worked after it
        (date(2026, 2, 14), True),  # Saturday worked before Spring Festival 2026
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        (date(2026, 9, 20), True),  # Sunday worked before National Day 2026
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
    ],
)
def test_it_knows_the_holidays_and_the_adjusted_working_days(cal, day, works):
    assert cal.is_workday(day) is works


def test_two_working_days_skip_a_weekend(cal):
    # Friday's day of dispatch does not count: Monday and Tuesday, to Tuesday's close of office.
    assert cal.office().add_days(at(2026, 11, 20, 10), 2) == at(2026, 11, 24, 17, 30)


def test_a_case_before_spring_festival_2026_lands_after_it(cal):
    # Friday 13 Feb + 3: Sat 14 Feb is worked, then 15–23 Feb off, then Tue 24 and Wed 25 Feb.
    assert cal.office().add_days(at(2026, 2, 13, 10), 3) == at(2026, 2, 25, 17, 30)


def test_a_case_in_the_national_day_holiday_starts_counting_after_it(cal):
    assert cal.office().add_days(at(2025, 10, 3, 15), 1) == at(2025, 10, 9, 17, 30)
    assert cal.office().add_days(at(2026, 10, 2, 9), 2) == at(2026, 10, 9, 17, 30)  # Thu 8, Fri 9 worked


def test_an_adjusted_saturday_counts(cal):
    assert cal.office().add_days(at(2025, 10, 10, 12), 1) == at(2025, 10, 11, 17, 30)


def test_warnings_count_back_from_the_deadline(cal):
    office = cal.office()
    # One working day before Wednesday's close is Tuesday's close; before Tuesday 24 Feb 2026, the worked
    # Saturday before Spring Festival.
    assert office.subtract(at(2026, 2, 25, 17, 30), office.days(1)) == at(2026, 2, 24, 17, 30)
    assert office.subtract(at(2026, 2, 24, 17, 30), office.days(1)) == at(2026, 2, 14, 17, 30)
    assert office.subtract(at(2026, 2, 24, 10), office.days(1)) == at(2026, 2, 14, 10)


def test_working_time_between_skips_holidays_nights_and_lunch(cal):
    office = cal.office()
    # Fri 13 Feb 10:00–17:30 (6 h without lunch), Sat 14 (7.5 h), Tue 24 (7.5 h), Wed 25 until 10:00 (1.5 h).
    assert office.between(at(2026, 2, 13, 10), at(2026, 2, 25, 10)) == timedelta(hours=22, minutes=30)
    assert office.working_days_between(at(2026, 2, 13, 17, 30), at(2026, 2, 25, 17, 30)) == 3


def test_a_year_nobody_entered_is_an_error_not_a_guess(cal):
    with pytest.raises(CalendarUnknown, match="2027"):
        cal.office().add_days(at(2026, 12, 31, 10), 2)
    # A deadline at the last close of 2026 needs nothing of 2027.
    assert cal.office().add_days(at(2026, 12, 30, 10), 1) == at(2026, 12, 31, 17, 30)


def test_an_admin_enters_next_years_calendar(db):
    CalendarYear.objects.create(year=2027, published=True, note="国务院办公厅通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    forget_calendar()
    cal = work_calendar()
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 4))
    # Thu 31 Dec 2026 + 2: Fri 1 Jan off, weekend off → Mon 4 and Tue 5 Jan, to Tuesday's close.
    assert cal.office().add_days(at(2026, 12, 31, 10), 2) == at(2027, 1, 5, 17, 30)


def test_an_admin_correction_overrides_the_package(db):
    CalendarDay.objects.create(date=date(2026, 11, 23), is_workday=False, name="台风停工")
    forget_calendar()
    assert not work_calendar().is_workday(date(2026, 11, 23))
