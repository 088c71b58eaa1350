"""The two steps every case action takes: check the table, then commit with a compare-and-swap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.cases.lifecycle import BY_ACTION, SAME, Transition, relations
from suban.cases.models import Case, CaseEvent, CaseNumberCounter, Status
from suban.cases.signals import event_recorded
from suban.errors import Conflict, Forbidden, Invalid


class _Composite:
    """What the actions inside composite() changed: each case's first seen version and status, the fields
    they set, and their events; written at the end in one UPDATE per case and one INSERT of the events."""

    def __init__(self) -> None:
        self.cases: dict[int, tuple[Case, int, str, set[str]]] = {}
        self.events: list[CaseEvent] = []

    def touch(self, case: Case, fields: tuple[str, ...]) -> None:
        entry = self.cases.setdefault(id(case), (case, case.version, case.status, set()))
        entry[3].update(fields)

    def flush(self) -> None:
        for case, version, status, fields in self.cases.values():
            values = {name: getattr(case, name) for name in fields}
            updated = Case.objects.filter(pk=case.pk, version=version, status=status).update(
                status=case.status, version=case.version, updated_at=case.updated_at, **values
            )
            if updated != 1:
                raise Conflict(_("Someone else acted on this case at the same moment; reload it and try again."))
        CaseEvent.objects.bulk_create(self.events)
        for event in self.events:
            event_recorded.send(sender=CaseEvent, case=event.case, event=event)


_composite: ContextVar[_Composite | None] = ContextVar("case_composite", default=None)


@contextmanager
def composite() -> Iterator[None]:
    """Several actions as one unit (case_intake) in one transaction. The steps open no savepoints; their case
    changes and events are written together at the end, with the same compare-and-swap on the version the
    case had when the unit first touched it. A refusal anywhere rolls all of it back."""
    unit = _Composite()
    with transaction.atomic():
        token = _composite.set(unit)
        try:
            yield
        finally:
            _composite.reset(token)
        unit.flush()


def step() -> transaction.Atomic:
    """The transaction block of one action: a savepoint when nested, unless inside composite()."""
    return transaction.atomic(savepoint=_composite.get() is None)


def record(event: CaseEvent) -> CaseEvent:
    """Write an event (inside composite(): with the others at its end) and tell the listeners."""
    unit = _composite.get()
    if unit is not None:
        unit.events.append(event)
        return event
    event.save(force_insert=True)
    event_recorded.send(sender=CaseEvent, case=event.case, event=event)
    return event


def check(case: Case, action: str, by: Any, *, expected_version: int | None = None) -> Transition:
    """Refuse an action the table does not allow to this person in this state, or on a stale view."""
    transition = BY_ACTION[action]
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("The case has changed since you loaded it; reload it and try again."))
    if not transition.actors & relations(case, by):
        raise Forbidden(_("You may not %(action)s this case.") % {"action": action})
    if case.status not in transition.sources:
        raise Conflict(
            _("A case that is %(status)s cannot be given the action %(action)s.")
            % {"status": Status(case.status).label, "action": action}
        )
    return transition


def commit(
    case: Case,
    *,
    by: Any,
    action: str,
    fields: tuple[str, ...] = (),
    to: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    now: datetime | None = None,
) -> CaseEvent:
    """Write the case's changed `fields` and the new status if nobody changed the case meanwhile, and the
    event, in one transaction. Exactly one of two concurrent actions on a case wins; the other gets Conflict.
    """
    transition = BY_ACTION[action]
    now = now or timezone.now()
    before = case.status
    if before not in transition.sources:  # callers check(); the clock and imports must obey the table too
        raise Conflict(
            _("A case that is %(status)s cannot be given the action %(action)s.")
            % {"status": Status(before).label, "action": action}
        )
    target = before if SAME in transition.targets else (to or next(iter(transition.targets)))
    if target != before and target not in transition.targets:
        raise Invalid(f"{action} cannot lead to {target}")
    unit = _composite.get()
    with step():
        if unit is not None:
            unit.touch(case, fields)  # written with the rest of the unit, compare-and-swap included
        else:
            values = {name: getattr(case, name) for name in fields}
            updated = Case.objects.filter(pk=case.pk, version=case.version, status=before).update(
                status=target, version=F("version") + 1, updated_at=now, **values
            )
            if updated != 1:
                raise Conflict(_("Someone else acted on this case at the same moment; reload it and try again."))
        case.version += 1
        case.status = target
        case.updated_at = now
        return record(
            CaseEvent(
                case=case,
                seq=case.version,
                action=action,
                actor=by,
                actor_unit=getattr(by, "unit", None) if by is not None and not by.is_citizen else None,
                from_status=before,
                to_status=target,
                note=note,
                data=data or {},
                public=public,
                at=now,
            )
        )


def next_case_number(now: datetime) -> str:
    """Today's date and the day's sequence: 2026112200123.

    One statement takes the number (UPDATE ... RETURNING), so outside a transaction the day's counter row is
    locked for that statement only; callers take the number before they open the case's transaction, or every
    intake of the district would queue behind that row until the previous one commits. Numbers are unique and
    increase; a request refused after taking its number leaves a gap.
    """
    day = timezone.localdate(now)
    table = connection.ops.quote_name(CaseNumberCounter._meta.db_table)
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE day = %s RETURNING last",  # noqa: S608 (our table)
                [connection.ops.adapt_datefield_value(day)],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{day:%Y%m%d}{row[0]:05d}"
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(day=day, last=1)
            return f"{day:%Y%m%d}00001"
        except IntegrityError:
            continue  # another process created the day's row first; count on it
    raise Conflict(_("Could not give the case a number; try again."))
