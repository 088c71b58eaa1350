"""The reports (日统计, 周分析, 月报告 / 工作简报): what each holds, for one reader's unit and a period, read from the
roll-ups. The faces (a printable page, xlsx, PDF) render the same Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from suban.assess import selectors
from suban.assess.periods import Period, Span, previous, span, year_before
from suban.assess.rates import Figures
from suban.assess.selectors import MatterCount, RankRow, TrendPoint
from suban.mediation.figures import Figures as MediationFigures
from suban.mediation.figures import figures as mediation_figures
from suban.org.models import Unit, UnitKind

KINDS = {"daily": Period.DAY, "weekly": Period.WEEK, "monthly": Period.MONTH}


@dataclass
class HotspotLine:
    title: str
    place: str
    size: int
    reporters: int
    score: float


@dataclass
class Report:
    kind: str  # daily, weekly, monthly
    unit: Unit
    span: Span
    figures: Figures
    previous: Figures
    year_before: Figures
    rankings: dict[str, list[RankRow]] = field(default_factory=dict)
    matters: list[MatterCount] = field(default_factory=list)
    top_matters: list[MatterCount] = field(default_factory=list)
    breakdown: list[TrendPoint] = field(default_factory=list)  # days of the week, weeks of the month
    hotspots: list[HotspotLine] | None = None  # None: the hotspot store is not there
    # The mediation centre over the period (weekly, monthly): its totals and its rooms ranked by success rate.
    mediation: MediationFigures | None = None
    live: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        names = {
            "daily": _("Daily statistics"),
            "weekly": _("Weekly analysis"),
            "monthly": _("Monthly report"),
        }
        return f"{self.unit.name} {names[self.kind]} {self.span.label}"

    @property
    def ranking_sections(self) -> list[tuple[Any, list[RankRow]]]:
        return [(selectors.RANK_KINDS[kind], rows) for kind, rows in self.rankings.items()]

    @property
    def bottom(self) -> list[RankRow]:
        return [row for rows in self.rankings.values() for row in rows if row.bottom]


def _ranked_kinds(unit: Unit) -> list[str]:
    """The kinds ranked under `unit`: the district ranks its streets and departments, a street its communities,
    a community its grids."""
    if unit.kind == UnitKind.DISTRICT:
        return ["street", "department"]
    if unit.kind == UnitKind.STREET:
        return ["community"]
    if unit.kind == UnitKind.COMMUNITY:
        return ["grid"]
    return []


def _hotspots(user: Any, unit: Unit, s: Span) -> list[HotspotLine] | None:
    try:
        model = apps.get_model("intel", "Hotspot")
    except LookupError:
        return None
    rows = (
        model.objects.filter(last_at__date__gte=s.start, first_at__date__lte=s.end)
        .filter(Q(area_path__startswith=unit.path) | Q(area_path="", district__path__startswith=unit.path))
        .order_by("rank")[:10]
    )
    return [HotspotLine(r.title, r.place, r.size, r.reporters, r.score) for r in rows]


def build(user: Any, unit: Unit, kind: str, anchor: date) -> Report:
    period = KINDS[kind]
    s = span(period, anchor)
    report = Report(
        kind=kind,
        unit=unit,
        span=s,
        figures=selectors.unit_figures(user, unit, s),
        previous=selectors.unit_figures(user, unit, previous(s)),
        year_before=selectors.unit_figures(user, unit, year_before(s)),
        live=selectors.live_counts(user, unit),
    )
    if kind in ("weekly", "monthly"):
        for rank_kind in _ranked_kinds(unit):
            report.rankings[rank_kind] = selectors.ranking(user, rank_kind, s)
        street = unit if unit.kind == UnitKind.STREET else None  # the district: all its streets
        report.matters = selectors.matter_mix(user, s, top=10, street=street)
        report.top_matters = selectors.matter_mix(user, s, top=10, street=street, top_level=True)
        report.mediation = mediation_figures(unit.path, s.start, s.end)
    if kind == "weekly":
        report.breakdown = selectors.trend(user, unit, Period.DAY, 7, s.end)
    if kind == "monthly":
        report.breakdown = selectors.trend(user, unit, Period.MONTH, 12, s.end)
        report.hotspots = _hotspots(user, unit, s)
    return report


@dataclass(frozen=True)
class UnitReader:
    """A reader whose reach is one unit's subtree: the command line's stand-in for a leader of that unit."""

    unit: Unit
    is_authenticated: bool = True
    is_active: bool = True
    is_citizen: bool = False
    admin_role: str = ""
    roles: frozenset[str] = frozenset({"leader"})

    @property
    def unit_id(self) -> int:
        return int(self.unit.pk)

    @property
    def pk(self) -> None:
        return None
