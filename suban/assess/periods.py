"""Periods of the assessment: a day, an ISO week (Monday to Sunday), a month, a quarter, a year; all inclusive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from suban.errors import Invalid


class Period(models.TextChoices):
    DAY = "day", pgettext_lazy("period", "Day")
    WEEK = "week", gettext_lazy("Week")
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


@dataclass(frozen=True)
class Span:
    period: str
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.period == Period.DAY and self.start == self.end:
            return self.start.isoformat()
        if self.period in (Period.DAY, Period.WEEK):  # a week, or a range of days
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        if self.period == Period.MONTH:
            return f"{self.start:%Y-%m}"
        if self.period == Period.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def span(period: str, anchor: date) -> Span:
    """The period of kind `period` that holds `anchor`."""
    if period == Period.DAY:
        return Span(period, anchor, anchor)
    if period == Period.WEEK:
        start = anchor - timedelta(days=anchor.weekday())
        return Span(period, start, start + timedelta(days=6))
    if period == Period.MONTH:
        return Span(period, anchor.replace(day=1), _month_end(anchor.year, anchor.month))
    if period == Period.QUARTER:
        first = 3 * ((anchor.month - 1) // 3) + 1
        return Span(period, date(anchor.year, first, 1), _month_end(anchor.year, first + 2))
    if period == Period.YEAR:
        return Span(period, date(anchor.year, 1, 1), date(anchor.year, 12, 31))
    raise Invalid(_("Choose a day, week, month, quarter or year."), field="period")


def previous(s: Span) -> Span:
    """The period just before (month on month, week on week ...)."""
    return span(s.period, s.start - timedelta(days=1))


def year_before(s: Span) -> Span:
    """The same period a year earlier (year on year); a week: the ISO week of the same number."""
    if s.period == Period.WEEK:
        return span(s.period, s.start - timedelta(weeks=52))
    try:
        anchor = s.start.replace(year=s.start.year - 1)
    except ValueError:  # 29 February
        anchor = s.start.replace(year=s.start.year - 1, day=28)
    return span(s.period, anchor)


def parse_month(text: str) -> Span:
    try:
        year, month = (int(part) for part in text.split("-"))
        return span(Period.MONTH, date(year, month, 1))
    except (ValueError, TypeError):
        raise Invalid(_("Give the month as YYYY-MM."), field="month") from None


def parse_anchor(text: str | None, today: date) -> date:
    if not text:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("Give the date as YYYY-MM-DD."), field="date") from None
