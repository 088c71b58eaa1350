"""巡查 / 工作日志: a grid worker starts and stops patrols and keeps a log; the units above read them."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting
from suban.accounts.scope import scope
from suban.errors import DomainError
from suban.gridwork.access import GRID_ROLES, OVERSEER_ROLES, is_grid_worker, roles_required
from suban.gridwork.forms import PatrolStartForm, PatrolStopForm, WorkLogForm, apply_error
from suban.gridwork.models import Patrol
from suban.gridwork.selectors import logs_visible_to, patrols_visible_to
from suban.gridwork.services import open_patrol, patrol_start, patrol_stop, worklog_add
from suban.org.models import GRID_KINDS, Unit

SUMMARY_DAYS = 7


def _day(request: HttpRequest) -> Date:
    today = timezone.localdate()
    try:
        picked = parse_date(request.GET.get("date", ""))
    except ValueError:  # well-formed but impossible, like 2026-02-30
        picked = None
    return picked if picked is not None and picked <= today else today


def _day_bounds(day: Date) -> tuple[Any, Any]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _worker_page(request: HttpRequest, log_form: WorkLogForm | None = None, status: int = 200) -> HttpResponse:
    user = acting(request)
    day = _day(request)
    start, end = _day_bounds(day)
    running = open_patrol(user)
    since = timezone.localdate() - timedelta(days=SUMMARY_DAYS - 1)
    logs = logs_visible_to(user)
    per_day = {row["date"]: row["n"] for row in logs.filter(date__gte=since).values("date").annotate(n=Count("pk"))}
    summary = [
        {"date": d, "entries": per_day.get(d, 0)}
        for d in (timezone.localdate() - timedelta(days=k) for k in range(SUMMARY_DAYS))
    ]
    context = {
        "day": day,
        "today": timezone.localdate(),
        "running": running,
        "start_form": PatrolStartForm(),
        "stop_form": PatrolStopForm(auto_id="stop-%s"),
        "log_form": log_form or WorkLogForm(initial={"date": day}),
        "patrols": patrols_visible_to(user).filter(started_at__gte=start, started_at__lt=end),
        "entries": logs.filter(date=day),
        "summary": summary,
    }
    return render(request, "gridwork/patrol.html", context, status=status)


def _overseer_page(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    day = _day(request)
    start, end = _day_bounds(day)
    grids = scope(Unit.objects.filter(kind__in=GRID_KINDS, is_active=True), user, path_fields=("path",))
    grid = grids.filter(code=request.GET.get("grid", "")).first() if request.GET.get("grid") else None
    patrols = patrols_visible_to(user).filter(started_at__gte=start, started_at__lt=end)
    entries = logs_visible_to(user).filter(date=day)
    if grid is not None:
        patrols = patrols.filter(grid__path__startswith=grid.path)
        entries = entries.filter(grid__path__startswith=grid.path)
    by_worker = (
        patrols.values("worker__name", "worker__username", "grid__name")
        .annotate(n=Count("pk"), metres=Sum("distance_m"))
        .order_by("grid__name", "worker__name")
    )
    context = {
        "day": day,
        "today": timezone.localdate(),
        "grids": grids.order_by("path")[:500],
        "grid": grid,
        "patrols": patrols.order_by("grid__path", "started_at")[:200],
        "entries": entries.order_by("grid__path", "worker__name", "created_at")[:500],
        "by_worker": by_worker,
    }
    return render(request, "gridwork/patrol_overview.html", context)


@roles_required(GRID_ROLES | OVERSEER_ROLES)
@require_GET
def patrol(request: HttpRequest) -> HttpResponse:
    if is_grid_worker(acting(request)):
        return _worker_page(request)
    return _overseer_page(request)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("gridwork:patrol"))


@roles_required(GRID_ROLES)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = PatrolStartForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        patrol_start(by=acting(request), note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Patrol started. Stop it when you are back."))
    return _back(request)


@roles_required(GRID_ROLES)
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting(request)
    patrol = Patrol.objects.filter(pk=pk, worker=user).first()
    if patrol is None:
        raise Http404
    form = PatrolStopForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The patrol track cannot be read."))
        return _back(request)
    try:
        patrol_stop(patrol=patrol, by=acting(request), note=form.cleaned_data["note"], track=form.cleaned_data["track"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Patrol ended."))
    return _back(request)


@roles_required(GRID_ROLES)
@require_POST
def log_add(request: HttpRequest) -> HttpResponse:
    form = WorkLogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = worklog_add(
                by=acting(request), kind=data["kind"], text=data["text"], date=data["date"], case_number=data["case"]
            )
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Log entry saved."))
            return redirect(f"{reverse('gridwork:patrol')}?date={entry.date:%Y-%m-%d}")
    # Refused: drawn again with 200 (a 4xx page is an error in the browser's console).
    return _worker_page(request, log_form=form)
