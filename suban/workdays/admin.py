from __future__ import annotations

import calendar as month_calendar
import hashlib
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.adminsite import AuditedAdmin
from suban.errors import Invalid
from suban.org.models import Unit, UnitKind
from suban.workdays.calendar import DEFAULT_OFFICE_DAY, OfficeDay, package_knows
from suban.workdays.models import CalendarDay, CalendarYear, OfficeHours
from suban.workdays.notice import NOTICE_PERMISSIONS, Notice, read_notice
from suban.workdays.services import calendar_enter_notice


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=gettext_lazy("source"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=gettext_lazy("e.g. the State Council notice"),
    )
    text = forms.CharField(
        label=gettext_lazy("the notice"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text=gettext_lazy(
            "Paste the notice's numbered sections as published, e.g. “二、春节：2月5日（周五）至11日（周四）放假调休，"
            "共7天。2月14日（周日）上班。” The days are checked against the weekdays the notice gives."
        ),
    )

    # The digest of the year and text last shown: "enter" saves only what the admin has seen read.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)


def _digest(year: int, text: str) -> str:
    return hashlib.sha256(f"{year}\n{text}".encode()).hexdigest()


def _default_source(year: int) -> str:
    return _("State Council notice on the holidays of %(year)d") % {"year": year}


def _month_grid(year: int, month: int, notice: Notice) -> list[list[dict[str, Any] | None]]:
    weeks: list[list[dict[str, Any] | None]] = []
    for week in month_calendar.Calendar().monthdatescalendar(year, month):
        row: list[dict[str, Any] | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
            elif day in notice.worked:
                row.append({"day": day.day, "kind": "worked", "name": notice.worked[day]})
            elif day in notice.days_off:
                row.append({"day": day.day, "kind": "off", "name": notice.days_off[day]})
            else:
                row.append({"day": day.day, "kind": "weekend" if day.weekday() >= 5 else "workday", "name": ""})
        weeks.append(row)
    return weeks


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "published", "note", "updated_at"]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path("notice/", self.admin_site.admin_view(self.notice_view), name="workdays_calendaryear_notice"),
            *super().get_urls(),
        ]

    def notice_view(self, request: HttpRequest) -> HttpResponse:
        """Paste the State Council's notice, see the year it gives, enter it in one step."""
        if not all(request.user.has_perm(p) for p in NOTICE_PERMISSIONS):
            raise PermissionDenied
        next_year = timezone.localdate().year + 1
        notice: Notice | None = None
        if request.method == "POST":
            form = NoticeForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                seen = data["previewed"] == _digest(data["year"], data["text"])
                text = data["text"]
                try:
                    notice = read_notice(text, data["year"])
                except Invalid as refused:
                    form.add_error(refused.field or None, str(refused))
                if "enter" in request.POST and not seen:
                    messages.warning(request, _("The notice changed since it was read: check the days again."))
                if notice is not None and not notice.errors and "enter" in request.POST and seen:
                    source = data["source"] or _default_source(notice.year)
                    removed, _written = calendar_enter_notice(
                        by=request.user, notice=notice, source=source, request=request
                    )
                    messages.success(
                        request,
                        _(
                            "The working days of %(year)d are entered: %(off)d days off and %(worked)d days worked "
                            "(%(removed)d earlier rows of the year replaced)."
                        )
                        % {
                            "year": notice.year,
                            "off": len(notice.days_off),
                            "worked": len(notice.worked),
                            "removed": removed,
                        },
                    )
                    return HttpResponseRedirect(reverse("admin:workdays_calendaryear_changelist"))
        else:
            form = NoticeForm(
                initial={
                    "year": next_year,
                    "source": _default_source(next_year),
                }
            )
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Enter a year's holidays from the State Council notice"),
            "opts": self.model._meta,
            "form": form,
            "notice": notice,
        }
        if notice is not None:
            shown = request.POST.copy()
            shown["previewed"] = _digest(notice.year, text)
            form.data = shown
            existing = CalendarDay.objects.filter(date__year=notice.year).order_by("date")
            context |= {
                "months": [
                    (date(notice.year, month, 1), _month_grid(notice.year, month, notice)) for month in range(1, 13)
                ],
                "replaced": [row for row in existing if notice.days.get(row.date) != row.is_workday],
                "package_knows": package_knows(notice.year),
            }
        return TemplateResponse(request, "admin/workdays/notice.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]


def _hours(span: timedelta) -> str:
    return f"{span / timedelta(hours=1):g}"


@admin.register(OfficeHours)
class OfficeHoursAdmin(AuditedAdmin):
    list_display = ["district", "sessions", "day_length", "updated_at"]
    fields = ["district", "opens", "lunch_starts", "lunch_ends", "closes"]
    change_list_template = "admin/workdays/officehours/change_list.html"

    @admin.display(description=gettext_lazy("office hours"))
    def sessions(self, obj: OfficeHours) -> str:
        return obj.sessions_display()

    @admin.display(description=gettext_lazy("hours a working day"))
    def day_length(self, obj: OfficeHours) -> str:
        return _hours(OfficeDay(obj.sessions()).length)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        on_default = Unit.objects.filter(kind=UnitKind.DISTRICT, parent=None, office_hours=None).order_by("code")
        extra = {
            "default_day": str(DEFAULT_OFFICE_DAY),
            "default_length": _hours(DEFAULT_OFFICE_DAY.length),
            "default_districts": [u.name for u in on_default],
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})
