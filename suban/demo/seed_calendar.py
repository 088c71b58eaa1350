"""The demo's stand-in for a holiday notice nobody has entered yet.

A deadline is never computed on a guessed calendar: for a year that chinesecalendar does not know and no
admin has entered, dispatching refuses. That is right for a real district, but it would stop `make run` in the
last days of a year, when the demo's deadlines reach into the next one. So the demo, and only the demo, enters
such a year itself: Monday to Friday plus New Year's Day, marked in the admin as provisional, for the admin
to correct when the State Council's notice is out.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from suban.workdays.calendar import forget_calendar, package_knows
from suban.workdays.models import CalendarDay, CalendarYear

NOTE = "演示用临时日历：仅周一至周五及元旦，待国务院放假通知发布后修正"


def ensure_demo_calendar(today: date | None = None) -> list[int]:
    """Enter this year and the next as provisional years when nobody knows them. Returns the years entered."""
    today = today or timezone.localdate()
    entered = []
    for year in (today.year, today.year + 1):
        if package_knows(year) or CalendarYear.objects.filter(year=year).exists():
            continue
        CalendarYear.objects.create(year=year, published=True, note=NOTE)
        CalendarDay.objects.get_or_create(date=date(year, 1, 1), defaults={"is_workday": False, "name": "元旦"})
        entered.append(year)
    if entered:
        forget_calendar()
    return entered
