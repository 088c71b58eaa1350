"""The State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知), read into calendar days.

Each year in November the notice gives, section by section, the days off (放假) and the weekend days worked
instead (调休上班), e.g.::

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

chinesecalendar learns a year only when a new release comes out; a district cannot wait for it, because from
mid-December deadlines run into the new year. `read_notice` turns the text an admin pastes into the days to
enter, and checks it as it goes: every weekday written beside a date (周二, 星期二) must be that date's, and
every "共N天" the number of days in its span, so a wrong year or a typo shows before anything is saved.
Sentences that hold a date but neither give days off nor say 上班 (鼓励…在除夕（2月9日）休息) are reported,
not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from suban.errors import Invalid
from suban.workdays.models import CalendarDay, CalendarYear

# What entering a notice does to the tables: it adds, replaces and deletes the year's days and marks the year.
NOTICE_PERMISSIONS = (
    "workdays.add_calendarday",
    "workdays.delete_calendarday",
    "workdays.add_calendaryear",
    "workdays.change_calendaryear",
)

WEEKDAYS = "一二三四五六日"
_NUMERALS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^\s*[{_NUMERALS}]+\s*[、.．]\s*(?P<name>[^：:]+?)\s*[：:]\s*(?P<body>.*)$")
_DATE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日")
_NOTE = re.compile(r"\s*[（(](?P<note>[^）)]*)[）)]")
_WEEKDAY = re.compile(r"(?:周|星期)(?P<day>[一二三四五六日天])")
_WEEKDAY_NUMBER = {name: number for number, name in enumerate(WEEKDAYS)} | {"天": 6}
_DAYS_OFF = re.compile(r"(?:共|放假)\s*(?P<count>\d+)\s*天")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_TITLE_YEAR = re.compile(r"关于\s*(?P<year>\d{4})\s*年\s*部分节假日安排")
_SPAN_JOIN = re.compile(r"\s*(?:至|到|—|－|-|~|～)\s*")


@dataclass
class Notice:
    year: int
    days_off: dict[date, str] = field(default_factory=dict)  # every day of each span, weekends included
    worked: dict[date, str] = field(default_factory=dict)  # weekend days worked (调休上班)
    errors: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # sentences with a date that give no day off or worked

    @property
    def days(self) -> dict[date, bool]:
        """date -> is a working day, for every day the notice names."""
        return {**dict.fromkeys(self.days_off, False), **dict.fromkeys(self.worked, True)}

    def __len__(self) -> int:
        return len(self.days_off) + len(self.worked)


@dataclass(frozen=True)
class _Date:
    day: date
    end: int  # where the date and its bracketed note end in the sentence


def _weekday_name(day: date) -> str:
    return "周" + WEEKDAYS[day.weekday()]


def _dates(sentence: str, year: int, notice: Notice) -> list[_Date]:
    """The dates of a sentence in order; a date without a month takes the month of the one before it."""
    found: list[_Date] = []
    month: int | None = None
    for match in _DATE.finditer(sentence):
        if match.group("month"):
            month = int(match.group("month"))
        if month is None:
            notice.errors.append(_("“%(text)s”: a date without its month.") % {"text": match.group(0)})
            continue
        the_year = int(match.group("year") or year)
        try:
            day = date(the_year, month, int(match.group("day")))
        except ValueError:
            notice.errors.append(_("“%(text)s” is not a date.") % {"text": match.group(0)})
            continue
        end = match.end()
        note = _NOTE.match(sentence, end)
        if note:
            end = note.end()
            said = _WEEKDAY.search(note.group("note"))
            if said and _WEEKDAY_NUMBER[said.group("day")] != day.weekday():
                notice.errors.append(
                    _("%(date)s is a %(actual)s, the notice says %(said)s: is the year right?")
                    % {"date": day.isoformat(), "actual": _weekday_name(day), "said": said.group(0)}
                )
        found.append(_Date(day, end))
    return found


def _read_sentence(name: str, sentence: str, year: int, notice: Notice) -> None:
    dates = _dates(sentence, year, notice)
    if not dates:
        return
    if "放假" in sentence:
        first = dates[0]
        last = first
        if len(dates) > 1 and _SPAN_JOIN.match(sentence, first.end):
            last = dates[1]
        if last.day < first.day:
            notice.errors.append(
                _("%(name)s: the days off end (%(end)s) before they begin (%(start)s).")
                % {"name": name, "start": first.day.isoformat(), "end": last.day.isoformat()}
            )
            return
        span = (last.day - first.day).days + 1
        count = _DAYS_OFF.search(sentence)
        if count and int(count.group("count")) != span:
            notice.errors.append(
                _("%(name)s: %(start)s to %(end)s is %(span)d days, the notice says %(count)s.")
                % {
                    "name": name,
                    "start": first.day.isoformat(),
                    "end": last.day.isoformat(),
                    "span": span,
                    "count": count.group("count"),
                }
            )
        for offset in range(span):
            notice.days_off[first.day + timedelta(days=offset)] = name
        return
    if sentence.rstrip("，,。 ").endswith("上班"):
        for found in dates:
            if found.day.weekday() < 5:
                notice.errors.append(
                    _("%(name)s: %(date)s (%(weekday)s) is a working day anyway; a day worked is a weekend day.")
                    % {"name": name, "date": found.day.isoformat(), "weekday": _weekday_name(found.day)}
                )
            notice.worked[found.day] = name
        return
    notice.unread.append(sentence.strip())


def read_notice(text: str, year: int | None = None) -> Notice:
    """Read a pasted notice. `year` is the year it is for; the notice's title, when pasted, says it too."""
    text = text.translate(_FULL_WIDTH_DIGITS)
    title = _TITLE_YEAR.search(text)
    titled = int(title.group("year")) if title else None
    if year is None and titled is None:
        raise Invalid(_("Which year is this notice for? Give the year or paste the notice with its title."))
    if year is not None and titled is not None and year != titled:
        raise Invalid(_("The notice is for %(titled)d, not %(year)d.") % {"titled": titled, "year": year}, field="year")
    the_year = year if year is not None else titled
    assert the_year is not None
    notice = Notice(the_year)
    for line in text.splitlines():
        section = _SECTION.match(line)
        if not section:
            continue
        name = section.group("name").strip()
        for sentence in re.split(r"(?<=[。；;])", section.group("body")):
            if sentence.strip():
                _read_sentence(name, sentence, the_year, notice)
    both = sorted(set(notice.days_off) & set(notice.worked))
    for day in both:
        notice.errors.append(_("%(date)s is both a day off and a day worked.") % {"date": day.isoformat()})
    if not len(notice) and not notice.errors:
        notice.errors.append(
            _("No holiday found. Paste the notice's numbered sections, e.g. “二、春节：2月5日至11日放假调休，共7天。”")
        )
    return notice


def enter_notice(notice: Notice, *, source: str = "") -> tuple[int, int]:
    """Replace the year's calendar rows by the notice's days and mark the year complete, in one transaction.

    Returns (rows removed, rows written). Refuses a notice with errors."""
    if notice.errors:
        raise Invalid(_("The notice has errors; nothing was entered."))
    if not len(notice):
        raise Invalid(_("The notice names no day; nothing was entered."))
    days = notice.days
    with transaction.atomic():
        outside = [d for d in days if d.year != notice.year]  # e.g. 2026年12月31日 in the notice of 2027
        removed, _by_model = CalendarDay.objects.filter(Q(date__year=notice.year) | Q(date__in=outside)).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(
                date=day,
                is_workday=worked,
                name=_("%(name)s (day worked)") % {"name": notice.worked[day]} if worked else notice.days_off[day],
            )
            for day, worked in sorted(days.items())
        )
        CalendarYear.objects.update_or_create(year=notice.year, defaults={"published": True, "note": source[:200]})
    return removed, len(days)
