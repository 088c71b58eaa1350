"""Reads of the assessment: figures, rankings, trends and matter mixes from the roll-ups (units × days rows,
never one row per case), and the drill-down from a figure to its cases. Every function takes the person who
reads and keeps to their reach: a street sees itself and what lies under it, the district sees everything."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.accounts.models import User
from suban.accounts.scope import can_reach_unit, reach_of, scope
from suban.assess.models import MATTER_COUNTERS, UNIT_COUNTERS, CaseAssessment, MatterDay, UnitDay
from suban.assess.periods import Span, previous, span, year_before
from suban.assess.rates import Figures, Weights, current_weights
from suban.cases.models import TERMINAL, Case, Status
from suban.cases.selectors import DUE_SOON_NOW, OVERDUE_NOW
from suban.catalogue.models import Matter
from suban.errors import Invalid, NotFound
from suban.org.models import GRID_KINDS, Unit, UnitKind

# The kinds units are ranked by; a grid ranks with the special grids, a department without its sections.
RANK_KINDS: dict[str, Any] = {
    "street": gettext_lazy("Streets"),
    "community": gettext_lazy("Communities"),
    "grid": gettext_lazy("Grids"),
    "department": gettext_lazy("Departments"),
}
BOTTOM = 2  # the monthly ranking names the bottom two


def _sums() -> dict[str, Any]:
    return {name: Sum(name) for name in UNIT_COUNTERS}


def visible_units(user: Any) -> QuerySet[Unit]:
    return scope(Unit.objects.filter(is_active=True), user, path_fields=("path",))


def units_of_kind(user: Any, kind: str) -> QuerySet[Unit]:
    units = visible_units(user)
    if kind == "grid":
        return units.filter(kind__in=GRID_KINDS)
    if kind == "department":
        return units.filter(kind=UnitKind.DEPARTMENT, parent__kind=UnitKind.DISTRICT)
    if kind in (UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.DISTRICT):
        return units.filter(kind=kind)
    raise Invalid(_("Choose streets, communities, grids or departments."), field="kind")


def reachable_unit(user: User, unit_id: int) -> Unit:
    """A unit the reader may see, or NotFound exactly as for one that does not exist."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    return unit


def home_unit(user: User) -> Unit | None:
    """The unit whose figures a reader sees first: their own."""
    reach = reach_of(user)
    if reach.unit_path is None:
        return None
    unit: Unit | None = user.unit
    return unit


def unit_figures(user: Any, unit: Unit, s: Span, weights: Weights | None = None) -> Figures:
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    sums = UnitDay.objects.filter(unit=unit, day__range=(s.start, s.end)).aggregate(**_sums())
    return Figures.of(sums, weights or current_weights())


@dataclass
class RankRow:
    unit: Unit
    figures: Figures
    rank: int | None = None  # None: nothing assessed in the period
    bottom: bool = False


def ranking(user: Any, kind: str, s: Span, weights: Weights | None = None) -> list[RankRow]:
    """Every unit of `kind` within reach, best composite score first; units with nothing assessed last, unranked.
    The last two ranked units are flagged (bottom) when more than two are ranked."""
    weights = weights or current_weights()
    units = {u.pk: u for u in units_of_kind(user, kind).order_by("sort_order", "path")}
    sums = (
        UnitDay.objects.filter(unit_id__in=list(units), day__range=(s.start, s.end))
        .values("unit_id")
        .annotate(**_sums())
        .order_by()
    )
    by_unit: dict[int, dict[str, Any]] = {row["unit_id"]: dict(row) for row in sums}
    rows = [RankRow(unit, Figures.of(by_unit.get(pk, {}), weights)) for pk, unit in units.items()]
    ranked = sorted(
        (r for r in rows if r.figures.assessed and r.figures.composite is not None),
        key=lambda r: (-(r.figures.composite or 0), r.unit.sort_order, r.unit.path),
    )
    unranked = [r for r in rows if r not in ranked]
    previous_score: float | None = None
    for position, row in enumerate(ranked, start=1):
        score = round(row.figures.composite or 0, 6)
        row.rank = ranked[position - 2].rank if score == previous_score else position  # ties share a rank
        previous_score = score
    if len(ranked) > BOTTOM:
        for row in ranked[-BOTTOM:]:
            row.bottom = True
    return ranked + unranked


@dataclass
class TrendPoint:
    span: Span
    figures: Figures


def trend(user: Any, unit: Unit, period: str, count: int, anchor: date) -> list[TrendPoint]:
    """The unit's figures over the last `count` periods up to the one holding `anchor`, oldest first."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    count = max(1, min(count, 60))
    spans = [span(period, anchor)]
    for _i in range(count - 1):
        spans.insert(0, previous(spans[0]))
    weights = current_weights()
    points = [TrendPoint(s, Figures(weights=weights)) for s in spans]
    rows = UnitDay.objects.filter(unit=unit, day__range=(spans[0].start, spans[-1].end)).values("day", *UNIT_COUNTERS)
    for row in rows:
        for point in points:
            if point.span.start <= row["day"] <= point.span.end:
                point.figures.add(row)
                break
    return points


# --- Matters


def _visible_streets(user: Any) -> QuerySet[Unit]:
    """The rows of the matter roll-up a reader may see: streets (and the district's own row) in reach."""
    return visible_units(user).filter(kind__in=(UnitKind.STREET, UnitKind.DISTRICT))


@dataclass
class MatterCount:
    matter: Matter
    received: int
    completed: int = 0
    unsatisfied: int = 0
    previous: int | None = None  # the period before (month on month ...)
    year_before: int | None = None  # the same period a year earlier
    share: float | None = None

    @staticmethod
    def _change(now: int, then: int | None) -> float | None:
        return None if not then else (now - then) / then

    @property
    def change_previous(self) -> float | None:
        return self._change(self.received, self.previous)

    @property
    def change_year(self) -> float | None:
        return self._change(self.received, self.year_before)


def _top_level(matters: Iterable[int]) -> dict[int, int]:
    """matter id -> its first-level ancestor's id (the catalogue is a few hundred rows: walked in memory)."""
    parents = dict(Matter.objects.values_list("pk", "parent_id"))
    result: dict[int, int] = {}
    for pk in matters:
        current, seen = pk, 0
        while parents.get(current) is not None and seen < 10:
            current, seen = parents[current], seen + 1
        result[pk] = current
    return result


def _matter_days(user: Any, s: Span, street: Unit | None) -> QuerySet[MatterDay]:
    rows = MatterDay.objects.filter(day__range=(s.start, s.end), street__in=_visible_streets(user))
    return rows if street is None else rows.filter(street=street)


def _matter_counts(user: Any, s: Span, street: Unit | None, top_level: bool) -> dict[int, dict[str, int]]:
    rows = _matter_days(user, s, street)
    grouped = rows.values("matter_id").annotate(**{n: Sum(n) for n in MATTER_COUNTERS}).order_by()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MATTER_COUNTERS, 0))
    found: list[dict[str, Any]] = [dict(row) for row in grouped]
    mapping = _top_level([r["matter_id"] for r in found]) if top_level else {}
    for row in found:
        key = mapping.get(row["matter_id"], row["matter_id"])
        for name in MATTER_COUNTERS:
            counts[key][name] += int(row[name] or 0)
    return counts


def matter_mix(
    user: Any, s: Span, *, top: int = 10, street: Unit | None = None, top_level: bool = False, compare: bool = True
) -> list[MatterCount]:
    """The most frequent matters of the period (received requests), with the period before and a year before."""
    if street is not None and not can_reach_unit(user, street):
        raise NotFound(_("No such unit."))
    now = _matter_counts(user, s, street, top_level)
    total = sum(c["received"] for c in now.values())
    leaders = sorted(now.items(), key=lambda item: (-item[1]["received"], item[0]))[: max(1, min(top, 100))]
    matters = Matter.objects.in_bulk([pk for pk, _c in leaders])
    before = _matter_counts(user, previous(s), street, top_level) if compare else {}
    last_year = _matter_counts(user, year_before(s), street, top_level) if compare else {}
    return [
        MatterCount(
            matter=matters[pk],
            received=c["received"],
            completed=c["completed"],
            unsatisfied=c["unsatisfied"],
            previous=before.get(pk, {}).get("received", 0) if compare else None,
            year_before=last_year.get(pk, {}).get("received", 0) if compare else None,
            share=c["received"] / total if total else None,
        )
        for pk, c in leaders
        if pk in matters
    ]


def _subtree(matter: Matter) -> list[int]:
    """The matter and every matter below it (the catalogue is a few hundred rows: walked in memory)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Matter.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, frontier = [matter.pk], [matter.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        found += frontier
    return found


def matter_drilldown(
    user: User, s: Span, matter: Matter, *, street: Unit | None = None
) -> tuple[int, QuerySet[CaseAssessment]]:
    """The requests behind a matter's figure of the matter mix (matter_mix with top_level: the matter and every
    matter below it; the streets of the place within reach, or one of them), newest first, and their count
    from the roll-up (the figure itself)."""
    if street is not None and not can_reach_unit(user, street):
        raise NotFound(_("No such unit."))
    matters = _subtree(matter)
    total = _matter_days(user, s, street).filter(matter_id__in=matters).aggregate(n=Sum("received"))["n"] or 0
    streets = [street] if street is not None else _visible_streets(user)
    rows = CaseAssessment.objects.filter(day__range=(s.start, s.end), matter_id__in=matters, area_street__in=streets)
    return int(total), rows.select_related("case", "unit", "matter").order_by("-day", "-case_id")


# --- Drill-down: the cases behind a figure


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    condition: Q = field(default_factory=Q)


A = Q(excluded=False)
MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("received", gettext_lazy("Received"), Q()),
        Measure("assessed", gettext_lazy("Assessed"), A),
        Measure("excluded", gettext_lazy("Excluded from assessment"), Q(excluded=True)),
        Measure("dispatched", gettext_lazy("Dispatched"), A & Q(dispatched=True)),
        Measure("responded_in_time", gettext_lazy("Responded in time"), A & Q(responded_in_time=True)),
        Measure(
            "not_responded_in_time",
            gettext_lazy("Not responded in time"),
            A & Q(dispatched=True, responded_in_time=False),
        ),
        Measure("reply_due", gettext_lazy("Reply due"), A & Q(reply_due=True)),
        Measure("replied_in_time", gettext_lazy("Replied in time"), A & Q(replied_in_time=True)),
        Measure(
            "not_replied_in_time", gettext_lazy("Not replied in time"), A & Q(reply_due=True, replied_in_time=False)
        ),
        Measure("completed", gettext_lazy("Completed"), A & Q(completed=True)),
        Measure("not_completed", gettext_lazy("Not completed"), A & Q(completed=False)),
        Measure("rated", gettext_lazy("Rated"), A & Q(rated=True)),
        Measure("satisfied", gettext_lazy("Satisfied"), A & Q(satisfaction="satisfied")),
        Measure("basically", gettext_lazy("Basically satisfied"), A & Q(satisfaction="basically")),
        Measure("unsatisfied", gettext_lazy("Unsatisfied"), A & Q(satisfaction="unsatisfied")),
        Measure("resolved", gettext_lazy("Resolved"), A & Q(rated=True, resolved=True)),
        Measure("unresolved", gettext_lazy("Not resolved"), A & Q(rated=True, resolved=False)),
        Measure("overdue", gettext_lazy("Ever overdue"), A & Q(overdue=True)),
        Measure("returned", gettext_lazy("Returned"), A & Q(returns__gt=0)),
        Measure("escalated", gettext_lazy("Escalated"), A & Q(escalations__gt=0)),
        Measure("supervised", gettext_lazy("Supervised"), A & Q(supervisions__gt=0)),
        Measure("reopened", gettext_lazy("Reopened"), A & Q(reopened__gt=0)),
    )
}


def drilldown(
    user: User, unit: Unit, s: Span, measure: str, *, matter: Matter | None = None
) -> QuerySet[CaseAssessment]:
    """The cases counted in `unit`'s figure `measure` over the period, newest first (the same conditions as the
    counters: tests/assess/test_selectors.py checks the count against the roll-up)."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    chosen = MEASURES.get(measure)
    if chosen is None:
        raise Invalid(_("Unknown figure."), field="measure")
    rows = CaseAssessment.objects.filter(chosen.condition, unit_path__startswith=unit.path, day__range=(s.start, s.end))
    if matter is not None:
        rows = rows.filter(matter=matter)
    return rows.select_related("case", "unit", "matter").order_by("-day", "-case_id")


OPEN_STATUSES = [s for s in Status.values if s not in TERMINAL]


# --- Live load: not rolled up (an alert changes without an event), counted on the cases through their indexes.


def live_counts(user: Any, unit: Unit) -> dict[str, int]:
    """Open cases led by units in `unit`'s subtree now, and how many of them are due soon now and overdue now
    (suban.cases.selectors.DUE_SOON_NOW, OVERDUE_NOW: the inbox's piles)."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    # By the open statuses first (the case_status_created index holds them; closed history is most rows), then
    # the subtree. A replied or closed case may keep its last alert: the piles count the cases a unit holds only.
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES, unit_path__startswith=unit.path)
    counts = open_cases.aggregate(
        open=Count("pk"),
        yellow=Count("pk", filter=DUE_SOON_NOW),
        red=Count("pk", filter=OVERDUE_NOW),
    )
    return {k: int(v or 0) for k, v in counts.items()}


__all__ = [
    "BOTTOM",
    "MEASURES",
    "RANK_KINDS",
    "MatterCount",
    "RankRow",
    "TrendPoint",
    "drilldown",
    "home_unit",
    "live_counts",
    "matter_drilldown",
    "matter_mix",
    "ranking",
    "reachable_unit",
    "trend",
    "unit_figures",
    "units_of_kind",
    "visible_units",
]
