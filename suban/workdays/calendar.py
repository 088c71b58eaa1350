"""Working time on the Chinese calendar: the office hours of working days.

Which days are working days: the admin's CalendarDay rows first, then the chinesecalendar package for the
years it knows (2004–2026 in 1.11), then Monday–Friday for years an admin has marked complete. Any other year
raises CalendarUnknown, so a deadline is never computed on a guessed calendar.

When a working day's office is open: each district's OfficeHours (08:30–12:00 and 13:30–17:30 without a row).
Working time is office time: the minutes inside those sessions on working days. An OfficeClock (one per
district, `work_calendar().office(unit_path)`) measures it and counts limits in it:

- an hour limit (the response limit) is reached when that many office hours have passed: dispatched on
  Monday at 20:46 with 4 hours, the response is due on Tuesday at 14:00 (08:30–12:00 and 13:30–14:00);
- a day limit of N working days (N ≥ 1) runs to the close of office of the Nth working day after the day of
  dispatch, the day of dispatch not counted whatever the hour (as the Civil Code counts periods, Art. 201 and
  203): dispatched on Monday, at 07:00 or at 20:46, with 2 working days, the case is due on Wednesday at
  17:30. A fraction of a day is that share of the office day in office time after the whole days: 1.5 days
  from Monday are due on Wednesday at 13:45 (3 h 45 min of Wednesday's office time). A limit under one day
  runs from the dispatch itself: half a day from Monday 10:00 is Monday 15:15;
- time added to a deadline (an extension) or given back (a hold) is office time added to the deadline in
  force: one working day more is one office day more.

Every search walks day by day over the calendar (O(days), each day's sessions computed once per process), and
the instant it returns is the earliest one that answers: a limit used up exactly at a close is due at that
close, not at the next opening; one working day before a deadline at Wednesday's close is Tuesday's close.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.errors import Invalid
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.workdays.models import DEFAULT_CLOSES, DEFAULT_LUNCH, DEFAULT_OPENS, CalendarDay, CalendarYear, OfficeHours

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
    def __init__(
        self,
        overrides: dict[date, bool],
        published_years: frozenset[int],
        office_days: Mapping[str, OfficeDay] | None = None,
    ) -> None:
        self.overrides = overrides
        self.published_years = published_years
        self.office_days = dict(office_days or {})
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self._clocks: dict[str, OfficeClock] = {}
        self._workdays: dict[date, bool] = {}

    def knows_year(self, year: int) -> bool:
        """Whether the year's working days are known: entered in full by an admin, or in chinesecalendar."""
        return year in self.published_years or _package_knows(year)

    def is_workday(self, day: date) -> bool:
        known = self._workdays.get(day)
        if known is None:
            known = self._workdays[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: date) -> bool:
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

    def office(self, path: str = "") -> OfficeClock:
        """The office clock of the district at the root of a unit's `path` ("/370212/…/"), or of its `code`;
        the default office hours for a district without its own (and for "")."""
        district = path.split("/", 2)[1] if path.startswith("/") else path
        clock = self._clocks.get(district)
        if clock is None:
            day = self.office_days.get(district, DEFAULT_OFFICE_DAY)
            clock = self._clocks[district] = OfficeClock(self, day)
        return clock


@dataclass(frozen=True)
class OfficeDay:
    """When the office is open on a working day: one session, or two around a lunch break (local times)."""

    sessions: tuple[tuple[time, time], ...]

    @property
    def length(self) -> timedelta:
        return sum((_clock_time(b) - _clock_time(a) for a, b in self.sessions), timedelta(0))

    def __str__(self) -> str:
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.sessions)


def _clock_time(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


DEFAULT_OFFICE_DAY = OfficeDay(((DEFAULT_OPENS, DEFAULT_LUNCH[0]), (DEFAULT_LUNCH[1], DEFAULT_CLOSES)))

Session = tuple[datetime, datetime]


class OfficeClock:
    """Office time of one district's working days (see the module's docstring for how limits count)."""

    def __init__(self, calendar: WorkCalendar, day: OfficeDay) -> None:
        self.calendar = calendar
        self.office_day = day
        self.day = day.length  # one working day of office time
        self.tz = calendar.tz
        self._sessions: dict[date, tuple[Session, ...]] = {}
        self._spans: dict[str, timedelta] = {}

    def sessions(self, day: date) -> tuple[Session, ...]:
        """The office sessions of `day` as instants; none on a day off. Raises CalendarUnknown for an unknown year."""
        found = self._sessions.get(day)
        if found is None:
            found = ()
            if self.calendar.is_workday(day):
                found = tuple(
                    (datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
                    for a, b in self.office_day.sessions
                )
            self._sessions[day] = found
        return found

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("working time needs an aware datetime")
        return moment.astimezone(self.tz)

    def is_open(self, moment: datetime) -> bool:
        """Whether `moment` lies in an office session (its close included)."""
        local = self._local(moment)
        return any(start <= local <= end for start, end in self.sessions(local.date()))

    def days(self, days: Decimal | float | int) -> timedelta:
        """`days` working days as office time (half a day: half the office day)."""
        key = str(days)
        span = self._spans.get(key)
        if span is None:  # a handful of limits, each converted once
            micro = Decimal(key) * (self.day // timedelta(microseconds=1))
            span = self._spans[key] = timedelta(microseconds=int(micro.to_integral_value()))
        return span

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The earliest moment at which `span` of office time has passed since `start`."""
        if span < timedelta(0):
            return self.subtract(start, -span)
        moment = self._local(start)
        if not span:
            return moment
        remaining, day = span, moment.date()
        for _step in range(MAX_SPAN_DAYS):
            for begin, end in self.sessions(day):
                if end <= moment:
                    continue
                begin = max(begin, moment)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
            day += DAY
        raise CalendarUnknown(_("No deadline within ten years: the calendar has no working days."))

    def subtract(self, end: datetime, span: timedelta) -> datetime:
        """The earliest moment from which only `span` of office time remains until `end`."""
        if span < timedelta(0):
            return self.add(end, -span)
        moment = self._local(end)
        if not span:
            return moment
        remaining, day = span, moment.date()
        for _step in range(MAX_SPAN_DAYS):
            for begin, finish in reversed(self.sessions(day)):
                if begin >= moment:
                    continue
                finish = min(finish, moment)
                if not remaining:
                    return finish  # used up at the next session's opening: back to this one's close
                if remaining < finish - begin:
                    return finish - remaining
                remaining -= finish - begin
            day -= DAY
        raise CalendarUnknown(_("No such moment within ten years: the calendar has no working days."))

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Office time from `start` to `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.between(end, start)
        start, end = self._local(start), self._local(end)
        total, day = timedelta(0), start.date()
        last = (end - timedelta(microseconds=1)).date()  # an end at midnight needs nothing of that day
        while day <= last:
            for begin, finish in self.sessions(day):
                begin, finish = max(begin, start), min(finish, end)
                if finish > begin:
                    total += finish - begin
            day += DAY
        return total

    def add_hours(self, start: datetime, hours: Decimal | float | int) -> datetime:
        """An hour limit: the moment `hours` office hours after `start`."""
        return self.add(start, timedelta(hours=float(hours)))

    def add_days(self, start: datetime, days: Decimal | float | int) -> datetime:
        """A day limit: `days` working days after `start`, ending at a close of office for whole days; the day of
        `start` is not counted, unless the limit is under one day (then it runs from `start` itself)."""
        if days < 1:
            return self.add(start, self.days(days))
        local = self._local(start)
        return self.add(datetime.combine(local.date() + DAY, time(0), self.tz), self.days(days))

    def working_days_between(self, start: datetime, end: datetime) -> float:
        """Office time from `start` to `end` in working days (office days)."""
        return self.between(start, end) / self.day


def _fingerprint() -> Hashable:
    return rows_fingerprint(CalendarDay, CalendarYear, OfficeHours)


def _load() -> WorkCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    published = frozenset(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    office = {row.district.code: OfficeDay(row.sessions()) for row in OfficeHours.objects.select_related("district")}
    return WorkCalendar(overrides, published, office)


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
