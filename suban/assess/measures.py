"""What one case counts for (一诉一考), computed from the case as it is and its event log.

The same function serves every event (suban.assess.services.reassess) and the rebuild of a whole history,
so the two cannot drift apart; docs/assessment.md states the definitions in words. A case contributes its
counters to every unit on its lead unit's path (the lead unit, its community and street or its department,
and the district), on the day it was received; COUNTERS below pairs each counter's Python rule with the SQL
aggregate the rebuild uses, so both read from one table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from suban.assess.models import MATTER_COUNTERS, UNIT_COUNTERS, ExclusionRule
from suban.cases.models import Action as A
from suban.cases.models import Alert, Case, Satisfaction, Status
from suban.catalogue.models import Matter
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.org.directory import Directory, directory
from suban.org.models import GRID_KINDS, UnitKind
from suban.workdays.calendar import CalendarUnknown, OfficeClock, WorkCalendar, work_calendar

DEFAULT_RESPONSE = timedelta(hours=4)  # of office time
WORKING_DAY_UNITS = 86400  # handling_seconds per working day (see docs/assessment.md)
# A case is put in a unit's hands (a new round: the response is that unit's).
ROUND_STARTS = frozenset({A.DISPATCH, A.ESCALATE, A.RAISE_LEVEL, A.HANDLE_ON_SPOT})
# The lead unit's first act in a round: it takes the case, sends it back, or handles it where it is.
RESPONSES = frozenset({A.CLAIM, A.RETURN, A.HANDLE_ON_SPOT})
ESCALATIONS = frozenset({A.ESCALATE, A.RAISE_LEVEL})

Values = dict[str, Any]  # the columns of a CaseAssessment row, foreign keys as <name>_id


class EventLike(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def data(self) -> Any: ...


@dataclass(frozen=True)
class _ColumnReply:
    at: datetime
    data: dict[str, Any]
    action: str = "reply"


@dataclass(frozen=True)
class Rule:
    pk: int
    field: str
    value: str


@dataclass
class Context:
    """What assessing needs besides the case: loaded once for a batch of cases."""

    units: Directory
    calendar: WorkCalendar
    rules: tuple[Rule, ...]
    matter_codes: Mapping[int, str] = field(default_factory=dict)


def _load_rules() -> tuple[Rule, ...]:
    return tuple(Rule(r.pk, r.field, r.value) for r in ExclusionRule.objects.filter(is_active=True).order_by("pk"))


_rules: FingerprintCache[tuple[Rule, ...]] = FingerprintCache(_load_rules, lambda: rows_fingerprint(ExclusionRule))


def _matter_fingerprint() -> Hashable:
    return rows_fingerprint(Matter)


_matter_codes: FingerprintCache[dict[int, str]] = FingerprintCache(
    lambda: dict(Matter.objects.values_list("pk", "code")), _matter_fingerprint
)


def context() -> Context:
    rules = _rules.get()
    codes = _matter_codes.get() if any(r.field == ExclusionRule.Field.MATTER for r in rules) else {}
    return Context(units=directory(), calendar=work_calendar(), rules=rules, matter_codes=codes)


def _excluded_by(case: Case, ruling: str | None, ctx: Context, first: Mapping[str, Any] | None) -> str:
    if first is not None and first.get("historical") and not first.get("assessable"):
        # Imported from a past system (suban.exchange.history) without being mapped to count.
        return f"historical:{first.get('source', '')}"
    if case.status == Status.DECLINED:
        return f"declined:{case.decline_reason or 'other'}"
    if case.status == Status.MERGED:
        return "merged"
    if ruling:
        return f"ruling:{ruling}"
    for rule in ctx.rules:
        if rule.field == ExclusionRule.Field.MATTER:
            code = ctx.matter_codes.get(case.matter_id) if case.matter_id is not None else None
            if code is not None and code.startswith(rule.value):
                return f"rule:{rule.pk}"
        elif getattr(case, rule.field, None) == rule.value:
            return f"rule:{rule.pk}"
    return ""


def _path_units(path: str, ctx: Context) -> list[Any]:
    return [u for u in (ctx.units.by_code.get(code) for code in path.split("/") if code) if u is not None]


def _responded_in_time(
    case: Case, round_start: datetime | None, responded_at: datetime | None, clock: OfficeClock
) -> bool:
    """Whether the lead unit responded within the round's response limit (office hours)."""
    if responded_at is None or round_start is None:
        return False
    if case.response_due_at is not None and case.dispatched_at == round_start:
        return responded_at <= case.response_due_at
    # A round the case's clock did not start (the clock restarted on reopening; a history without clock
    # columns): the same office time from the round's start.
    start, due = case.dispatched_at, case.response_due_at
    try:
        limit = clock.between(start, due) if start is not None and due is not None else DEFAULT_RESPONSE
        return clock.between(round_start, responded_at) <= limit
    except CalendarUnknown:  # a year nobody entered: natural time
        window = due - start if start is not None and due is not None else DEFAULT_RESPONSE
        return responded_at - round_start <= window


def assess(case: Case, events: Iterable[EventLike], ctx: Context, *, ruling: str | None = None) -> Values | None:
    """The assessment row of `case` given its events in order; None for a case with no lead unit at all."""
    if case.unit_id is None or not case.unit_path:
        return None
    lead_path = _path_units(case.unit_path, ctx)
    if not lead_path:
        return None
    by_kind: dict[str, int] = {}
    for unit in lead_path:
        kind = UnitKind.GRID if unit.kind in GRID_KINDS else unit.kind
        by_kind.setdefault(kind, unit.pk)  # the topmost of a kind: a department, not its section
    area_street = next((u.pk for u in _path_units(case.area_path, ctx) if u.kind == UnitKind.STREET), None)

    first_dispatch: datetime | None = None
    round_start: datetime | None = None
    responded_at: datetime | None = None
    last_reply: EventLike | None = None
    overdue = False
    returns = escalations = supervisions = reopened = 0
    events = list(events)
    if not events:
        # A history written in bulk without its event log (a benchmark's, an old system's): the case's own
        # columns stand for the log.
        first_dispatch = round_start = case.dispatched_at
        responded_at = case.claimed_at if case.dispatched_at is not None else None
        if case.replied_at is not None:
            in_time = case.due_at is not None and case.replied_at <= case.due_at
            last_reply = _ColumnReply(case.replied_at, {"in_time": in_time})
        overdue = case.alert == Alert.RED or bool(last_reply is not None and not last_reply.data["in_time"])
        returns, escalations = case.return_count, case.escalation_count
        supervisions, reopened = case.supervision_count, case.reopen_count
    for event in events:
        action = event.action
        if action in ROUND_STARTS:
            round_start, responded_at = event.at, None
            first_dispatch = first_dispatch or event.at
        if action in RESPONSES and responded_at is None and round_start is not None:
            responded_at = event.at
        if action == A.REPLY:
            last_reply = event
        elif action == A.OVERDUE:
            overdue = True
        elif action == A.RETURN:
            returns += 1
        elif action in ESCALATIONS:
            escalations += 1
        elif action == A.SUPERVISE:
            supervisions += 1
        elif action == A.REOPEN:
            reopened += 1

    clock = ctx.calendar.office(case.unit_path)
    responded_in_time = _responded_in_time(case, round_start, responded_at, clock)
    replied_in_time = False
    handling_seconds: int | None = None
    if last_reply is not None:
        flag = (last_reply.data or {}).get("in_time")
        if flag is None:  # a history imported without the engine's verdict
            flag = case.due_at is not None and last_reply.at <= case.due_at
        replied_in_time = bool(flag)
        if first_dispatch is not None:
            try:
                span = clock.between(first_dispatch, last_reply.at)
            except CalendarUnknown:
                handling_seconds = None
            else:
                # Office time in working days of the district's office hours, kept in 86,400ths of a working day:
                # sums over districts with different office hours stay sums of working days.
                handling_seconds = max(0, round(span / clock.day * WORKING_DAY_UNITS))
    rated = bool(case.satisfaction)
    return {
        "case_id": case.pk,
        "day": timezone.localdate(case.created_at),
        "unit_id": case.unit_id,
        "unit_path": case.unit_path,
        "street_id": by_kind.get(UnitKind.STREET),
        "community_id": by_kind.get(UnitKind.COMMUNITY),
        "grid_id": by_kind.get(UnitKind.GRID),
        "department_id": by_kind.get(UnitKind.DEPARTMENT),
        "area_street_id": area_street or by_kind.get(UnitKind.STREET) or lead_path[0].pk,
        "matter_id": case.matter_id,
        "channel": case.channel,
        "case_type": case.case_type,
        "nature": case.nature,
        "excluded": bool(reason := _excluded_by(case, ruling, ctx, events[0].data if events else None)),
        "exclusion_reason": reason,
        "dispatched": first_dispatch is not None,
        "responded": responded_at is not None,
        "responded_in_time": responded_in_time,
        "reply_due": last_reply is not None or overdue,
        "replied": last_reply is not None,
        "replied_in_time": replied_in_time,
        "completed": case.status == Status.CLOSED,
        "rated": rated,
        "satisfaction": case.satisfaction if rated else "",
        "resolved": case.resolved if rated else None,
        "overdue": overdue,
        "returns": returns,
        "escalations": escalations,
        "supervisions": supervisions,
        "reopened": reopened,
        "handling_seconds": handling_seconds,
    }


VALUE_FIELDS: tuple[str, ...] = (
    "day",
    "unit_id",
    "unit_path",
    "street_id",
    "community_id",
    "grid_id",
    "department_id",
    "area_street_id",
    "matter_id",
    "channel",
    "case_type",
    "nature",
    "excluded",
    "exclusion_reason",
    "dispatched",
    "responded",
    "responded_in_time",
    "reply_due",
    "replied",
    "replied_in_time",
    "completed",
    "rated",
    "satisfaction",
    "resolved",
    "overdue",
    "returns",
    "escalations",
    "supervisions",
    "reopened",
    "handling_seconds",
)


# Each counter: (its value for one case's row, the SQL aggregate over rows). Excluded cases count only
# in received and excluded.
def _on(flag: str) -> tuple[Callable[[Values], int], Any]:
    return (lambda v: int(not v["excluded"] and bool(v[flag]))), Count("pk", filter=Q(excluded=False, **{flag: True}))


def _sat(level: str) -> tuple[Callable[[Values], int], Any]:
    return (lambda v: int(not v["excluded"] and v["satisfaction"] == level)), Count(
        "pk", filter=Q(excluded=False, satisfaction=level)
    )


def _sum(name: str) -> tuple[Callable[[Values], int], Any]:
    return (lambda v: 0 if v["excluded"] else int(v[name] or 0)), Coalesce(Sum(name, filter=Q(excluded=False)), 0)


COUNTERS: dict[str, tuple[Callable[[Values], int], Any]] = {
    "received": ((lambda v: 1), Count("pk")),
    "assessed": ((lambda v: int(not v["excluded"])), Count("pk", filter=Q(excluded=False))),
    "excluded": ((lambda v: int(v["excluded"])), Count("pk", filter=Q(excluded=True))),
    "dispatched": _on("dispatched"),
    "responded": _on("responded"),
    "responded_in_time": _on("responded_in_time"),
    "reply_due": _on("reply_due"),
    "replied": _on("replied"),
    "replied_in_time": _on("replied_in_time"),
    "completed": _on("completed"),
    "rated": _on("rated"),
    "satisfied": _sat(Satisfaction.SATISFIED),
    "basically": _sat(Satisfaction.BASICALLY),
    "unsatisfied": _sat(Satisfaction.UNSATISFIED),
    "resolved": (
        (lambda v: int(not v["excluded"] and v["rated"] and v["resolved"] is True)),
        Count("pk", filter=Q(excluded=False, rated=True, resolved=True)),
    ),
    "handled": (
        (lambda v: int(not v["excluded"] and v["handling_seconds"] is not None)),
        Count("pk", filter=Q(excluded=False, handling_seconds__isnull=False)),
    ),
    "handling_seconds": _sum("handling_seconds"),
    "returns": _sum("returns"),
    "escalations": _sum("escalations"),
    "supervisions": _sum("supervisions"),
    "supervised": (
        (lambda v: int(not v["excluded"] and v["supervisions"] > 0)),
        Count("pk", filter=Q(excluded=False, supervisions__gt=0)),
    ),
    "supervised_completed": (
        (lambda v: int(not v["excluded"] and v["supervisions"] > 0 and v["completed"])),
        Count("pk", filter=Q(excluded=False, supervisions__gt=0, completed=True)),
    ),
    "overdue": _on("overdue"),
    "reopened": _sum("reopened"),
}
assert tuple(COUNTERS) == UNIT_COUNTERS, "every roll-up counter needs its rule"

MATTER_RULES: dict[str, str] = {
    "received": "received",
    "assessed": "assessed",
    "completed": "completed",
    "unsatisfied": "unsatisfied",
}
assert tuple(MATTER_RULES) == MATTER_COUNTERS


def counters(values: Values) -> Counter[str]:
    return Counter({name: rule(values) for name, (rule, _agg) in COUNTERS.items()})


UnitKey = tuple[int, date]
MatterKey = tuple[date, int, int]


def unit_keys(values: Values, units: Directory) -> list[UnitKey]:
    """The (unit, day) roll-up rows a case counts in: every unit on its lead unit's path."""
    day = values["day"]
    return [(u.pk, day) for u in (units.by_code.get(c) for c in values["unit_path"].split("/") if c) if u is not None]


def contribute(
    values: Values | None,
    sign: int,
    units: Directory,
    unit_deltas: dict[UnitKey, Counter[str]],
    matter_deltas: dict[MatterKey, Counter[str]],
) -> None:
    """Add (sign=1) or take away (sign=-1) one case's row to the deltas of the roll-ups."""
    if values is None:
        return
    mine = counters(values)
    for key in unit_keys(values, units):
        target = unit_deltas.setdefault(key, Counter())
        for name, value in mine.items():
            if value:
                target[name] += sign * value
    if values["matter_id"] is not None:
        mkey = (values["day"], values["area_street_id"], values["matter_id"])
        target = matter_deltas.setdefault(mkey, Counter())
        for name, source in MATTER_RULES.items():
            if mine[source]:
                target[name] += sign * mine[source]
