"""What the leaders' big screen (智治大脑) shows, each a small query within the reader's reach.

Figures over periods come from the assessment roll-ups (suban.assess.selectors: units × days rows, never
one row per case); what changes by the minute is counted on the cases through their indexes: the open,
yellow and red piles, and the open cases per grid of the map. Grid work (patrols, the work log, the reports
filed from a grid) is counted per grid and worker over the period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import can_reach_unit, reach_of
from suban.assess import selectors as assess
from suban.assess.periods import Period, Span, span
from suban.cases import reach
from suban.cases.models import TERMINAL, WAITING_FOR_DISPATCH, Case, Status
from suban.cases.selectors import DUE_SOON_NOW, OVERDUE_NOW
from suban.errors import Forbidden, Invalid, NotFound
from suban.gridwork import activity
from suban.gridwork.activity import GridActivity
from suban.knowledge.figures import figures as knowledge_figures
from suban.mediation.figures import figures as mediation_figures
from suban.org.models import GRID_KINDS, Unit, UnitKind

# Who sees the big screen: the leaders, and those who watch the whole of their reach.
DASHBOARD_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER})
OPEN_STATUSES = tuple(s for s in Status.values if s not in TERMINAL)
TREND_DAYS = (30, 90)


def may_see_dashboard(user: User) -> bool:
    return bool(
        user.is_authenticated
        and not user.is_citizen
        and not user.admin_role
        and user.unit_id is not None
        and user.roles & DASHBOARD_ROLES
    )


def dashboard_unit(user: User, code: str | None = None) -> Unit:
    """The unit the screen looks at: the reader's own, or one below it picked by code (drilling down)."""
    if not may_see_dashboard(user):
        raise Forbidden(_("The dashboard is for leaders, supervisors and the dispatch centre."))
    if not code:
        home: Unit = user.unit  # type: ignore[assignment]  # may_see_dashboard: the reader has a unit
        return home
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."), field="unit")
    return unit


def _today() -> date:
    return timezone.localdate()


def window(days: int) -> tuple[date, date]:
    """The last `days` days, today included: the period of the panels over 30 or 90 days."""
    today = _today()
    return today - timedelta(days=days_arg(days) - 1), today


def _since(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(window(days)[0], time.min))


def days_arg(days: int) -> int:
    if days not in TREND_DAYS:
        raise Invalid(_("Choose 30 or 90 days."), field="days")
    return days


def grid_activity(user: User, unit: Unit, days: int) -> list[GridActivity]:
    return activity.grid_activity(user, unit, days_arg(days))


def patrols_per_day(user: User, unit: Unit, days: int) -> list[dict[str, Any]]:
    return activity.patrols_per_day(user, unit, days_arg(days))


def _open_cases(unit: Unit) -> Any:
    """Open cases led by units in `unit`'s subtree: entries of the partial index dashboard_case_open only."""
    qs = Case.objects.exclude(status__in=TERMINAL)
    return qs if unit.kind == UnitKind.DISTRICT else qs.filter(unit_path__startswith=unit.path)


def live(user: User, unit: Unit) -> dict[str, Any]:
    """Open / due soon now / overdue now (the inbox's piles, suban.cases.selectors), and today's intake and
    completions from the roll-up."""
    # Counting a column of the index (not the id) lets the database read the index alone.
    counts = _open_cases(unit).aggregate(
        open=Count("status"),
        yellow=Count("status", filter=DUE_SOON_NOW),
        red=Count("status", filter=OVERDUE_NOW),
        new=Count("status", filter=Q(status__in=sorted(WAITING_FOR_DISPATCH))),
    )
    today = assess.unit_figures(user, unit, span(Period.DAY, _today()))
    month = assess.unit_figures(user, unit, span(Period.MONTH, _today()))
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "open": int(counts["open"] or 0),
        "yellow": int(counts["yellow"] or 0),
        "red": int(counts["red"] or 0),
        "new": int(counts["new"] or 0),
        "today_received": today.received,
        "today_completed": today.completed,
        "month_received": month.received,
        "month_satisfaction": month.satisfaction_rate,
        "month_on_time": month.on_time_reply_rate,
        "at": timezone.now().isoformat(),
    }


def intake(user: User, unit: Unit, days: int) -> list[dict[str, Any]]:
    """Requests received and completed per day over the last `days` days, oldest first."""
    points = assess.trend(user, unit, Period.DAY, days_arg(days), _today())
    return [
        {"day": p.span.start.isoformat(), "received": p.figures.received, "completed": p.figures.completed}
        for p in points
    ]


def matters(user: User, unit: Unit, days: int, top: int = 10) -> dict[str, Any]:
    """The matters most asked about over the last `days` days (first-level), in the unit's street (by the place)
    or, above a street, in every street within reach; with the days and the street the figures cover."""
    s = Span(Period.DAY, *window(days))
    street = unit if unit.kind == UnitKind.STREET else None
    rows = assess.matter_mix(user, s, top=top, street=street, top_level=True, compare=False)
    return {
        "from": s.start.isoformat(),
        "to": s.end.isoformat(),
        "street": street.code if street else None,
        "matters": [
            {"matter": r.matter.name, "code": r.matter.code, "received": r.received, "share": r.share} for r in rows
        ],
    }


RANK_KINDS = ("street", "community", "department", "grid")


def rates(user: User, kind: str, month: date | None = None) -> dict[str, Any]:
    """The monthly ranking of `kind` units within reach: composite score and its rates, best first."""
    if kind not in RANK_KINDS:
        raise Invalid(_("Choose streets, communities, departments or grids."), field="kind")
    s = span(Period.MONTH, month or _today())
    rows = assess.ranking(user, kind, s)
    return {
        "period": s.label,
        "from": s.start.isoformat(),
        "rows": [
            {
                "id": r.unit.pk,
                "code": r.unit.code,
                "name": r.unit.name,
                "rank": r.rank,
                "bottom": r.bottom,
                "assessed": r.figures.assessed,
                "composite": r.figures.composite,
                "response_rate": r.figures.response_rate,
                "on_time_reply_rate": r.figures.on_time_reply_rate,
                "completion_rate": r.figures.completion_rate,
                "satisfaction_rate": r.figures.satisfaction_rate,
            }
            for r in rows
        ],
    }


def grids(user: User, unit: Unit) -> dict[str, Any]:
    """The grids within `unit` as GeoJSON, drawn by the screen's map (fetched once; no tile server)."""
    qs = Unit.objects.filter(kind__in=GRID_KINDS, is_active=True, path__startswith=unit.path).exclude(boundary=None)
    features = [
        {
            "type": "Feature",
            "geometry": g.boundary,
            "properties": {"code": g.code, "name": g.name, "parent": g.parent.name if g.parent else ""},
        }
        for g in qs.select_related("parent").order_by("path")
    ]
    return {"type": "FeatureCollection", "features": features}


def grid_load(user: User, unit: Unit, days: int) -> list[dict[str, Any]]:
    """Per grid of the place (where the request is, not who handles it): open cases now, red among them,
    and requests received over the last `days` days."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    since = _since(days_arg(days))
    # By grid id rather than by the place's path: both indexes (migration 0001) carry the grid, not the path.
    located = Case.objects.filter(grid__isnull=False)
    if unit.kind != UnitKind.DISTRICT:
        grids_within = Unit.objects.filter(kind__in=GRID_KINDS, path__startswith=unit.path)
        located = located.filter(grid_id__in=list(grids_within.values_list("pk", flat=True)))
    path = reach_of(user).unit_path or ""
    hidden = reach.complaint_hidden(path)
    if hidden is not None:
        # Below the district a place's cases count once dispatched, and never a complaint about the reader's
        # unit or one above it (suban.cases.reach).
        located = located.exclude(status__in=list(reach.UNSENT)).exclude(hidden)
    received: dict[int, int] = dict(
        located.filter(created_at__gte=since).values_list("grid_id").annotate(n=Count("grid_id")).order_by()
    )
    open_rows = (
        located.exclude(status__in=TERMINAL)
        .values("grid_id")
        .annotate(n=Count("grid_id"), red=Count("grid_id", filter=OVERDUE_NOW))
        .order_by()
    )
    open_by = {r["grid_id"]: (r["n"], r["red"]) for r in open_rows}
    codes = dict(
        Unit.objects.filter(pk__in=set(received) | set(open_by), path__startswith=unit.path).values_list("pk", "code")
    )
    return [
        {
            "code": code,
            "received": int(received.get(pk, 0)),
            "open": open_by.get(pk, (0, 0))[0],
            "red": open_by.get(pk, (0, 0))[1],
        }
        for pk, code in codes.items()
    ]


def hotspots(user: User, unit: Unit, top: int = 8) -> list[dict[str, Any]]:
    """The nightly job's hotspots (suban.intel) within the reader's reach and the unit, hottest first."""
    from suban.intel.daily import hotspots_visible_to

    qs = hotspots_visible_to(user)
    if unit.kind != UnitKind.DISTRICT:
        qs = qs.filter(area_path__startswith=unit.path)
    return [
        {
            "id": h.pk,
            "title": h.title,
            "place": h.place,
            "score": round(h.score, 2),
            "size": h.size,
            "reporters": h.reporters,
            "keywords": list(h.keywords)[:5],
            "last_at": h.last_at.isoformat(),
        }
        for h in qs.order_by("-score", "rank")[:top]
    ]


def beyond(user: User, unit: Unit, days: int) -> dict[str, Any]:
    """Resolution beyond dispatch over the last `days`: consultations the knowledge base answered, citizens it
    answered on the H5 before they wrote (deflection), and the mediation centre's disputes (counts only: a
    dispute's content is the centre's)."""
    start, end = window(days)
    narrowed = None if unit.kind == UnitKind.DISTRICT else unit.path
    k = knowledge_figures(user, _since(days), timezone.now(), unit_path=narrowed, gaps=False)
    m = mediation_figures(unit.path, start, end)
    return {
        "days": days,
        "knowledge": {
            "consultations": k.consultations,
            "answered_from_base": k.answered_from_base,
            "answered_share": k.answered_share,
            "self_served": k.self_served,
            "deflection": k.deflection,
        },
        "mediation": {
            **{key: m.total.as_dict()[key] for key in ("taken_in", "mediated", "agreed", "success_rate", "visited")},
            "fulfilment_rate": m.total.fulfilment_rate,
            "open": m.total.open,
            "escalating_open": m.escalating_open,
            "risks": m.risks,
            "average_days": m.total.average_days,
        },
    }
