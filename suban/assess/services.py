"""Writes of the assessment: keep the rows of some cases current (on their events), rule a case out of the
assessment or withdraw the ruling, and rebuild everything from the cases for a history imported in bulk."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import reach_of
from suban.assess import measures
from suban.assess.measures import VALUE_FIELDS, Context, MatterKey, UnitKey, Values
from suban.assess.models import (
    MATTER_COUNTERS,
    UNIT_COUNTERS,
    CaseAssessment,
    MatterDay,
    Ruling,
    RulingReason,
    UnitDay,
)
from suban.assess.rollups import apply_matter_deltas, apply_unit_deltas
from suban.audit.services import audit_record
from suban.cases.models import Case, CaseEvent
from suban.errors import Conflict, Forbidden, Invalid

logger = logging.getLogger(__name__)

EVENT_FIELDS = ("case_id", "seq", "action", "at", "data")


def _events_by_case(case_ids: Sequence[int]) -> dict[int, list[CaseEvent]]:
    found: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "seq").only(*EVENT_FIELDS):
        found[event.case_id].append(event)
    return found


def _row_values(row: CaseAssessment) -> Values:
    return {name: getattr(row, name) for name in VALUE_FIELDS}


def reassess(
    cases: Iterable[Case], ctx: Context | None = None, *, made: dict[int, list[CaseEvent]] | None = None
) -> int:
    """Bring the assessment rows of `cases` (as they are in memory, their events as written) and the roll-ups
    up to date by deltas, in the caller's transaction. Returns how many rows changed.

    `made`: cases created in the caller's step, with all their events (in order): they have no row and no
    ruling yet, so nothing of theirs is read back from the database."""
    latest: dict[int, Case] = {}
    for case in cases:
        latest[case.pk] = case  # a batch may name a case twice; its last object is its state
    if not latest:
        return 0
    ctx = ctx or measures.context()
    ids = sorted(latest)
    made = made or {}
    existing = [pk for pk in ids if pk not in made]
    events: dict[int, list[CaseEvent]] = {**_events_by_case(existing), **made} if existing else dict(made)
    rulings = dict(Ruling.objects.filter(case_id__in=existing).values_list("case_id", "reason")) if existing else {}
    old = (
        {row.case_id: _row_values(row) for row in CaseAssessment.objects.filter(case_id__in=existing)}
        if existing
        else {}
    )
    unit_deltas: dict[UnitKey, Counter[str]] = {}
    matter_deltas: dict[MatterKey, Counter[str]] = {}
    write: list[CaseAssessment] = []
    drop: list[int] = []
    for pk in ids:
        new = measures.assess(latest[pk], events.get(pk, []), ctx, ruling=rulings.get(pk))
        before = old.get(pk)
        if new is not None:
            new.pop("case_id")
        if new == before:
            continue
        measures.contribute(before, -1, ctx.units, unit_deltas, matter_deltas)
        measures.contribute(new, 1, ctx.units, unit_deltas, matter_deltas)
        if new is None:
            drop.append(pk)
        else:
            write.append(CaseAssessment(case_id=pk, **new))
    if not write and not drop:
        return 0
    with transaction.atomic(savepoint=False):
        if drop:
            CaseAssessment.objects.filter(case_id__in=drop).delete()
        _save_rows(write)
        apply_unit_deltas(unit_deltas, ctx.units)
        apply_matter_deltas(matter_deltas)
    return len(write) + len(drop)


def _save_rows(rows: list[CaseAssessment]) -> None:
    if rows:
        CaseAssessment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=[f.removesuffix("_id") if f.endswith("_id") else f for f in VALUE_FIELDS] + ["updated_at"],
        )


# --- Rulings: a supervisor takes a case out of the assessment (unreasonable, untrue, another channel ...).


def check_ruler(case: Case, by: User | None) -> None:
    reach = reach_of(by)
    if by is None or getattr(by, "is_citizen", True) or Role.SUPERVISOR not in by.roles:
        raise Forbidden(_("Only a supervisor rules a case out of the assessment."))
    if reach.unit_path is None or not (
        case.unit_path.startswith(reach.unit_path) or case.area_path.startswith(reach.unit_path)
    ):
        raise Forbidden(_("The case is outside your reach."))


def assessment_rule_out(*, case: Case, by: User, reason: str, note: str = "") -> Ruling:
    """Exclude `case` from the assessment, with an Art. 11 reason; its figures leave the roll-ups at once."""
    check_ruler(case, by)
    if reason not in RulingReason.values:
        raise Invalid(_("Choose a reason."), field="reason")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if Ruling.objects.filter(case=locked).exists():
            raise Conflict(_("The case is already ruled out of the assessment."))
        ruling = Ruling.objects.create(case=locked, reason=reason, note=note.strip()[:500], by=by)
        audit_record(action="assessment.rule_out", actor=by, target=locked, detail={"reason": reason})
        reassess([locked])
    return ruling


def assessment_withdraw_ruling(*, case: Case, by: User, note: str = "") -> None:
    check_ruler(case, by)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        deleted, _rows = Ruling.objects.filter(case=locked).delete()
        if not deleted:
            raise Conflict(_("The case is not ruled out of the assessment."))
        audit_record(action="assessment.withdraw_ruling", actor=by, target=locked, detail={"note": note[:200]})
        reassess([locked])


# --- Rebuild: every row from the cases, then the roll-ups set-based.


@dataclass
class RebuildResult:
    cases: int = 0
    unit_rows: int = 0
    matter_rows: int = 0


CASE_FIELDS = (
    "id",
    "created_at",
    "status",
    "decline_reason",
    "unit_id",
    "unit_path",
    "area_path",
    "matter_id",
    "channel",
    "case_type",
    "nature",
    "satisfaction",
    "resolved",
    "response_due_at",
    "dispatched_at",
    "due_at",
    # The columns that stand for the event log of a case written without one.
    "claimed_at",
    "replied_at",
    "alert",
    "return_count",
    "escalation_count",
    "supervision_count",
    "reopen_count",
)


def rebuild_rows(*, chunk: int = 2000) -> int:
    """Recompute every case's assessment row (in chunks of cases by id), without touching the roll-ups."""
    ctx = measures.context()
    done, last = 0, 0
    while True:
        cases = list(Case.objects.filter(pk__gt=last).order_by("pk").only(*CASE_FIELDS)[:chunk])
        if not cases:
            break
        last = cases[-1].pk
        ids = [c.pk for c in cases]
        events = _events_by_case(ids)
        rulings = dict(Ruling.objects.filter(case_id__in=ids).values_list("case_id", "reason"))
        rows, none = [], []
        for case in cases:
            values = measures.assess(case, events.get(case.pk, []), ctx, ruling=rulings.get(case.pk))
            if values is None:
                none.append(case.pk)
            else:
                values.pop("case_id")
                rows.append(CaseAssessment(case_id=case.pk, **values))
        with transaction.atomic():
            CaseAssessment.objects.filter(case_id__in=none).delete()
            _save_rows(rows)
        done += len(rows)
    return done


def rebuild_rollups() -> RebuildResult:
    """The roll-ups from the assessment rows, set-based: one GROUP BY (unit, day) over the rows, spread up
    each unit's path (units × days rows, not cases), and one GROUP BY (day, street, matter). Writers wait
    while it runs (the tables are locked on PostgreSQL), so no delta is lost in between."""
    ctx = measures.context()
    result = RebuildResult()
    # Annotations get a prefix: several counters share their name with a column of the rows (excluded ...).
    aggregates = {f"n_{name}": agg for name, (_rule, agg) in measures.COUNTERS.items()}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (UnitDay, MatterDay))
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        UnitDay.objects.all().delete()
        MatterDay.objects.all().delete()
        spread: dict[UnitKey, Counter[str]] = {}
        groups = CaseAssessment.objects.order_by().values("unit_id", "unit_path", "day").annotate(**aggregates)
        for found in groups.iterator(chunk_size=5000):
            group: dict[str, Any] = dict(found)
            sums = Counter({name: int(group[f"n_{name}"] or 0) for name in UNIT_COUNTERS})
            for key in measures.unit_keys(group, ctx.units):
                spread.setdefault(key, Counter()).update(sums)
        unit_rows = [
            UnitDay(
                unit_id=unit_id,
                day=day,
                kind=unit.kind if (unit := ctx.units.get(unit_id)) is not None else "",
                **{name: sums.get(name, 0) for name in UNIT_COUNTERS},
            )
            for (unit_id, day), sums in sorted(spread.items())
        ]
        UnitDay.objects.bulk_create(unit_rows, batch_size=2000)
        matter_aggregates = {f"n_{name}": aggregates[f"n_{source}"] for name, source in measures.MATTER_RULES.items()}
        matter_groups = (
            CaseAssessment.objects.filter(matter__isnull=False)
            .order_by()
            .values("day", "area_street_id", "matter_id")
            .annotate(**matter_aggregates)
        )
        matter_rows = [
            MatterDay(
                day=g["day"],
                street_id=g["area_street_id"],
                matter_id=g["matter_id"],
                **{name: int(g[f"n_{name}"] or 0) for name in MATTER_COUNTERS},
            )
            for g in _as_dicts(matter_groups.iterator(chunk_size=5000))
        ]
        MatterDay.objects.bulk_create(matter_rows, batch_size=2000)
    result.unit_rows, result.matter_rows = len(unit_rows), len(matter_rows)
    return result


def _as_dicts(rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield dict(row)


def rebuild(*, rows: bool = True) -> RebuildResult:
    """Everything from the cases (rows=False: the roll-ups from the rows as they are)."""
    cases = rebuild_rows() if rows else CaseAssessment.objects.count()
    result = rebuild_rollups()
    result.cases = cases
    return result


def rebuild_assessment(*, cases: Iterable[int] | None = None, chunk: int = 2000) -> int:
    """After writes that sent no signal (a bulk import, the demo's history): `cases` (ids) are brought up to date
    by deltas like any event would; None rebuilds everything. Returns how many cases were looked at."""
    if cases is None:
        return rebuild().cases
    ids = sorted(set(cases))
    ctx = measures.context()
    for start in range(0, len(ids), chunk):
        part = list(Case.objects.filter(pk__in=ids[start : start + chunk]).only(*CASE_FIELDS, "version"))
        reassess(part, ctx)
    return len(ids)


def reassess_moved(path: str, *, chunk: int = 2000) -> int:
    """After a unit moved: the cases now under `path` count in their new ancestors (their old rows' paths still
    name the old ones by code, so the deltas take them away from there)."""
    ctx = measures.context()
    changed, last = 0, 0
    while True:
        cases = list(
            Case.objects.filter(Q(unit_path__startswith=path) | Q(area_path__startswith=path), pk__gt=last)
            .order_by("pk")
            .only(*CASE_FIELDS, "version")[:chunk]
        )
        if not cases:
            return changed
        last = cases[-1].pk
        changed += reassess(cases, ctx)
