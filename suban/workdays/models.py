"""The admin-editable side of the working-day calendar: corrections, and years the package does not know."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
