"""Working time on the Chinese calendar.

Deadlines are measured in working time: N working days after a moment is the moment reached when N × 24
hours of working days have passed, hours of holidays and weekends not counting. Dispatched on Monday at
10:00 with 2 working days: Wednesday 10:00. Dispatched on Saturday: the clock starts on the next working
day at 00:00. This measure is monotone, pauses cleanly, and counts backwards for the warnings.

Which days are working days: the admin's CalendarDay rows first, then the chinesecalendar package for
the years it knows (2004–2026 in 1.11), then Monday–Friday for years an admin has marked complete.
Any other year raises CalendarUnknown, so a deadline is never computed on a guessed calendar.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.errors import Invalid
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.workdays.models import CalendarDay, CalendarYear

DAY = timedelta(days=1)
# The longest deadline in calendar days that a policy and an extension usually give (about 10 working days over
# a holiday): how long before an unknown year the first deadlines start to fall into it.
MAX_LIMIT_DAYS = 21
MAX_SPAN_DAYS = 3660  # a search that runs past ten years is a bug, not a deadline


class CalendarUnknown(Invalid):
    code = "calendar_unknown"


@lru_cache(maxsize=256)
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_knows(year: int) -> bool:
    """Whether chinesecalendar has the State Council's notice for `year`."""
    return _package_knows(year)


class WorkCalendar:
    def __init__(self, overrides: dict[date, bool], published_years: frozenset[int]) -> None:
        self.overrides = overrides
        self.published_years = published_years
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def knows_year(self, year: int) -> bool:
        """Whether the year's working days are known: entered in full by an admin, or in chinesecalendar."""
        return year in self.published_years or _package_knows(year)

    def is_workday(self, day: date) -> bool:
        known = self.overrides.get(day)
        if known is not None:
            return known
        if day.year in self.published_years:
            return day.weekday() < 5
        if _package_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        raise CalendarUnknown(
            _("The working-day calendar for %(year)d has not been entered. Enter that year's holidays in the admin.")
            % {"year": day.year}
        )

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("working time needs an aware datetime")
        return moment.astimezone(self.tz)

    def _midnight(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=self.tz)

    def add(self, start: datetime, days: float) -> datetime:
        """The moment `days` working days after `start`."""
        if days < 0:
            return self.subtract(start, -days)
        remaining = timedelta(days=days)
        moment = self._local(start)
        if not remaining:
            return moment
        for _step in range(MAX_SPAN_DAYS):
            day_end = self._midnight(moment.date() + DAY)
            if self.is_workday(moment.date()):
                available = day_end - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
            moment = day_end
        raise CalendarUnknown(_("No deadline within ten years: the calendar has no working days."))

    def subtract(self, end: datetime, days: float) -> datetime:
        """The moment from which `days` working days remain until `end`."""
        remaining = timedelta(days=days)
        moment = self._local(end)
        if not remaining:
            return moment
        for _step in range(MAX_SPAN_DAYS):
            day_start = self._midnight(moment.date())
            if day_start == moment:
                day_start = self._midnight(moment.date() - DAY)
            if self.is_workday(day_start.date()):
                available = moment - day_start
                if remaining <= available:
                    return moment - remaining
                remaining -= available
            moment = day_start
        raise CalendarUnknown(_("No such moment within ten years: the calendar has no working days."))

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.between(end, start)
        moment, total = self._local(start), timedelta(0)
        end = self._local(end)
        while moment < end:
            day_end = min(self._midnight(moment.date() + DAY), end)
            if self.is_workday(moment.date()):
                total += day_end - moment
            moment = day_end
        return total

    def working_days_between(self, start: datetime, end: datetime) -> float:
        return self.between(start, end) / DAY


def _fingerprint() -> Hashable:
    return rows_fingerprint(CalendarDay, CalendarYear)


def _load() -> WorkCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    published = frozenset(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    return WorkCalendar(overrides, published)


_calendar_cache: FingerprintCache[WorkCalendar] = FingerprintCache(_load, _fingerprint)


def work_calendar() -> WorkCalendar:
    """This process's calendar, reloaded when an admin changed a row (checked every few seconds)."""
    return _calendar_cache.get()


@dataclass(frozen=True)
class CalendarGap:
    """A year ahead that nobody has entered: deadlines that run into it cannot be set, so from about
    `refusals_from` on, dispatches and extensions whose deadline would reach it are refused."""

    year: int
    refusals_from: date


def calendar_gap(today: date | None = None, *, days_ahead: int | None = None) -> CalendarGap | None:
    """The first unknown year that begins within `days_ahead` days (settings.CALENDAR_WARN_DAYS) of `today`,
    or None. Deadlines run a few working days at most, an extension some more: MAX_LIMIT_DAYS before the new
    year the first ones begin to fall into it."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CALENDAR_WARN_DAYS if days_ahead is None else days_ahead)
    calendar = work_calendar()
    for year in range(today.year, horizon.year + 1):
        if not calendar.knows_year(year):
            return CalendarGap(year, max(today, date(year, 1, 1) - timedelta(days=MAX_LIMIT_DAYS)))
    return None


def forget_calendar() -> None:
    _calendar_cache.invalidate()
