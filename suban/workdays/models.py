"""The admin-editable side of the working-day calendar: corrections, years the package does not know, and each
district's office hours."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holiday notice an admin has entered in full as CalendarDay rows.

    For such a year a day is a working day on Monday to Friday unless a CalendarDay row says otherwise.
    A year neither published here nor known to chinesecalendar has no working days at all: asking
    for one is an error, never a guess.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published = models.BooleanField(
        _("complete"), default=False, help_text=_("Tick once every holiday and adjusted working day is entered.")
    )
    note = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day that differs from the default: a holiday on a weekday, or a weekend day worked (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("e.g. 春节, 国庆节调休上班"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


DEFAULT_OPENS, DEFAULT_CLOSES = time(8, 30), time(17, 30)
DEFAULT_LUNCH = (time(12, 0), time(13, 30))
MIN_OFFICE_MINUTES = 60


class OfficeHours(models.Model):
    """A district's office hours on its working days: hour limits count only these, day limits end at the close.

    A district without a row keeps the default, 08:30–12:00 and 13:30–17:30. One schedule the whole year:
    summer and winter hours are not modelled yet.
    """

    district = models.OneToOneField(
        "org.Unit",
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="office_hours",
        limit_choices_to={"kind": "district", "parent": None},
    )
    opens = models.TimeField(_("office opens"), default=DEFAULT_OPENS)
    lunch_starts = models.TimeField(
        _("lunch break from"), null=True, blank=True, default=DEFAULT_LUNCH[0], help_text=_("Empty: no lunch break.")
    )
    lunch_ends = models.TimeField(_("lunch break until"), null=True, blank=True, default=DEFAULT_LUNCH[1])
    closes = models.TimeField(_("office closes"), default=DEFAULT_CLOSES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="workdays_office_opens_before_closing"),
            models.CheckConstraint(
                condition=Q(lunch_starts__isnull=True, lunch_ends__isnull=True)
                | Q(
                    # NOT NULL spelled out: a comparison with NULL would let the row through.
                    lunch_starts__isnull=False,
                    lunch_ends__isnull=False,
                    lunch_starts__gt=F("opens"),
                    lunch_ends__gt=F("lunch_starts"),
                    closes__gt=F("lunch_ends"),
                ),
                name="workdays_office_lunch_inside",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.sessions_display()}"

    def sessions(self) -> tuple[tuple[time, time], ...]:
        if self.lunch_starts is None or self.lunch_ends is None:
            return ((self.opens, self.closes),)
        return ((self.opens, self.lunch_starts), (self.lunch_ends, self.closes))

    def sessions_display(self) -> str:
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.sessions())

    def clean(self) -> None:
        if self.district_id is not None and (self.district.kind != "district" or self.district.parent_id is not None):
            raise ValidationError(
                {"district": _("Office hours are set for a district (a unit at the top of the tree).")}
            )
        if self.opens is None or self.closes is None:
            return  # the field's own error says it
        if any(t is not None and (t.second or t.microsecond) for t in (self.opens, *self._lunch(), self.closes)):
            raise ValidationError(_("Give the times in whole minutes."))
        if self.opens >= self.closes:
            raise ValidationError({"closes": _("The office closes after it opens, on the same day.")})
        lunch = self._lunch()
        if (lunch[0] is None) != (lunch[1] is None):
            raise ValidationError({"lunch_ends": _("Give both ends of the lunch break, or neither.")})
        if lunch[0] is not None and lunch[1] is not None and not self.opens < lunch[0] < lunch[1] < self.closes:
            raise ValidationError(
                {"lunch_starts": _("The lunch break lies between opening and closing, and ends after it starts.")}
            )
        if office_minutes(self.sessions()) < MIN_OFFICE_MINUTES:
            raise ValidationError({"closes": _("A working day has at least one office hour.")})

    def _lunch(self) -> tuple[time | None, time | None]:
        return self.lunch_starts, self.lunch_ends


def office_minutes(sessions: tuple[tuple[time, time], ...]) -> int:
    return sum((b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in sessions)
