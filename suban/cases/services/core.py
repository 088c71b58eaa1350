"""The two steps every case action takes: check the table, then commit with a compare-and-swap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.labels import action_label
from suban.cases.lifecycle import BY_ACTION, SAME, Transition, relations
from suban.cases.models import TERMINAL, Case, CaseEvent, CaseNumberCounter, CoHandler, Status, SupervisionOrder
from suban.cases.signals import events_recorded
from suban.errors import Conflict, Forbidden, Invalid


class _Composite:
    """What the actions inside composite() changed: each case's first seen version and status, the fields
    they set, and their events; written at the end in one UPDATE per case and one INSERT of the events.

    A case submitted inside the unit (`new`) is not written at once: it is inserted at the end with its
    final state, all such cases in one INSERT, with their co-handlers in another."""

    def __init__(self, *, in_memory: bool = False) -> None:
        self.in_memory = in_memory  # collecting(): nothing is written until write_collected
        self.cases: dict[int, tuple[Case, int, str, set[str]]] = {}
        self.new: dict[int, Case] = {}
        self.events: list[CaseEvent] = []
        self.co_handlers: list[CoHandler] = []

    def touch(self, case: Case, fields: tuple[str, ...]) -> None:
        if id(case) in self.new:
            return  # inserted whole at the end
        entry = self.cases.setdefault(id(case), (case, case.version, case.status, set()))
        entry[3].update(fields)

    def flush(self) -> None:
        if self.new:
            Case.objects.bulk_create(list(self.new.values()))
        for case, version, status, fields in self.cases.values():
            values = {name: getattr(case, name) for name in fields}
            updated = Case.objects.filter(pk=case.pk, version=version, status=status).update(
                status=case.status, version=case.version, updated_at=case.updated_at, **values
            )
            if updated != 1:
                raise Conflict(_("Someone else acted on this case at the same moment; reload it and try again."))
        CaseEvent.objects.bulk_create(self.events)
        if self.co_handlers:
            CoHandler.objects.bulk_create(self.co_handlers)
        if self.events:
            events_recorded.send(sender=CaseEvent, events=list(self.events))


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


@contextmanager
def collecting() -> Iterator[_Composite]:
    """The steps of many new cases taken in memory, with no transaction and no write (intake_many): the
    caller checks them all, then writes them with write_collected() in a transaction of its own."""
    unit = _Composite(in_memory=True)
    token = _composite.set(unit)
    try:
        yield unit
    finally:
        _composite.reset(token)


def write_collected(unit: _Composite) -> None:
    """Write what collecting() gathered: one INSERT of the cases, one of the events, one of the co-handlers,
    then events_recorded for all the events. Runs in the caller's transaction."""
    unit.flush()


def insert_case(case: Case) -> None:
    """Write a case just submitted: inside composite() or collecting() with the unit's end, else now."""
    unit = _composite.get()
    if unit is not None:
        unit.new[id(case)] = case
    else:
        case.save(force_insert=True)


def forget_case(case: Case) -> None:
    """Drop a case (and its events and co-handlers) that a refused step left in collecting()'s memory."""
    unit = _composite.get()
    if unit is None:
        return
    unit.new.pop(id(case), None)
    unit.cases.pop(id(case), None)
    unit.events = [e for e in unit.events if e.case is not case]
    unit.co_handlers = [c for c in unit.co_handlers if c.case is not case]


def set_co_handlers(case: Case, lead: Any, co_units: list[Any]) -> None:
    """The case's co-handling units after a hand-over to `lead`: the lead is no longer one, `co_units` are
    added. A case not yet written (inside composite()) gets its rows with the unit's end."""
    unit = _composite.get()
    if unit is not None and id(case) in unit.new:
        taken = {c.unit_id for c in unit.co_handlers if c.case is case}
        for co in co_units:
            if co.pk != lead.pk and co.pk not in taken:
                taken.add(co.pk)
                unit.co_handlers.append(CoHandler(case=case, unit=co, unit_path=co.path))
        unit.co_handlers = [c for c in unit.co_handlers if c.case is not case or c.unit_id != lead.pk]
        return
    # The lead unit answers for the case alone: a co-handler that becomes the lead is no longer one.
    CoHandler.objects.filter(case=case, unit=lead).delete()
    for co in co_units:
        CoHandler.objects.get_or_create(case=case, unit=co, defaults={"unit_path": co.path})


def is_unwritten(case: Case) -> bool:
    """Whether the case is one submitted inside the current composite() and not yet inserted."""
    unit = _composite.get()
    return unit is not None and id(case) in unit.new


def step() -> AbstractContextManager[Any]:
    """The transaction block of one action: a savepoint when nested, none inside composite(), and no
    transaction at all inside collecting() (the steps are taken in memory and write_collected writes them in
    the caller's transaction; an empty transaction per step would only cost round trips)."""
    unit = _composite.get()
    if unit is not None and unit.in_memory and not connection.in_atomic_block:
        return nullcontext()
    return transaction.atomic(savepoint=unit is None)


def own_step(action: str) -> AbstractContextManager[Any]:
    """The transaction of an action that writes rows of its own beside the case and its event (a co-handler
    whistled in, a supervision order): those rows go to the database at once, so such an action cannot be
    taken inside composite() or collecting(), whose writes wait for the unit's end (a batch would write them
    before, or without, their case). Taken there, it fails loudly instead of writing out of order."""
    if _composite.get() is not None:
        raise RuntimeError(f"{action} writes rows of its own: it cannot be taken inside composite() or collecting()")
    return transaction.atomic()


def record(event: CaseEvent) -> CaseEvent:
    """Write an event (inside composite(): with the others at its end) and tell the listeners."""
    unit = _composite.get()
    if unit is not None:
        unit.events.append(event)
        return event
    event.save(force_insert=True)
    events_recorded.send(sender=CaseEvent, events=[event])
    return event


def check(case: Case, action: str, by: User | None, *, expected_version: int | None = None) -> Transition:
    """Refuse an action the table does not allow to this person in this state, or on a stale view."""
    transition = BY_ACTION[action]
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("The case has changed since you loaded it; reload it and try again."))
    if not transition.actors & relations(case, by):
        raise Forbidden(_("You may not take the action “%(action)s” on this case.") % {"action": action_label(action)})
    if case.status not in transition.sources:
        raise Conflict(
            _("A case that is %(status)s cannot be given the action %(action)s.")
            % {"status": Status(case.status).label, "action": action_label(action)}
        )
    return transition


# How a case's open supervision orders end when the case does.
SETTLED_BY = {
    Status.CLOSED: SupervisionOrder.Outcome.CASE_CLOSED,
    Status.DECLINED: SupervisionOrder.Outcome.CASE_DECLINED,
    Status.MERGED: SupervisionOrder.Outcome.CASE_MERGED,
}


def settle_orders(case: Case, *, by: User | None, target: str, now: datetime) -> list[int]:
    """End the case's open supervision orders as the case ends (`target`), when and by whom it does; their ids.

    Runs inside the step's transaction before the case's compare-and-swap, so that it locks the orders before
    the case as supervision_feedback and supervision_done do (two transactions taking them in the opposite
    order could deadlock); a step refused after it rolls it back. A case never supervised has no order to
    read (supervision_count counts every order made)."""
    if not case.supervision_count or case.pk is None:
        return []
    unit = _composite.get()
    if unit is not None and unit.in_memory:
        raise RuntimeError(
            "a case with supervision orders cannot end inside collecting(): its orders are rows of their own"
        )
    open_orders = SupervisionOrder.objects.filter(case_id=case.pk, state=SupervisionOrder.State.OPEN)
    ids = sorted(open_orders.values_list("pk", flat=True))
    if ids:
        open_orders.filter(pk__in=ids).update(
            state=SupervisionOrder.State.DONE, outcome=SETTLED_BY[Status(target)], done_at=now, done_by=by
        )
    return ids


def commit(
    case: Case,
    *,
    by: User | None,
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
    A step that ends the case (closed, declined, merged) settles its open supervision orders with it.
    """
    transition = BY_ACTION[action]
    now = now or timezone.now()
    before = case.status
    if before not in transition.sources:  # callers check(); the clock and imports must obey the table too
        raise Conflict(
            _("A case that is %(status)s cannot be given the action %(action)s.")
            % {"status": Status(before).label, "action": action_label(action)}
        )
    target = before if SAME in transition.targets else (to or next(iter(transition.targets)))
    if target != before and target not in transition.targets:
        raise Invalid(f"{action} cannot lead to {target}")
    unit = _composite.get()
    data = dict(data or {})
    with step():
        if target in TERMINAL and before not in TERMINAL:
            settled = settle_orders(case, by=by, target=target, now=now)
            if settled:
                data["settled_orders"] = settled
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
                data=data,
                public=public,
                at=now,
            )
        )


def next_case_number(now: datetime) -> str:
    """Today's date and the day's sequence: 2026112200123. See next_case_numbers."""
    return next_case_numbers(now, 1)[0]


def next_case_numbers(now: datetime, count: int) -> list[str]:
    """`count` consecutive numbers of the day, taken in one statement (a batch of work orders).

    One statement takes the numbers (UPDATE ... RETURNING), so outside a transaction the day's counter row is
    locked for that statement only; callers take the numbers before they open the cases' transaction, or
    every intake of the district would queue behind that row until the previous one commits. Numbers are
    unique and increase; a request refused after taking its numbers leaves a gap.
    """
    if count < 1:
        return []
    day = timezone.localdate(now)
    table = connection.ops.quote_name(CaseNumberCounter._meta.db_table)
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + %s WHERE day = %s RETURNING last",  # noqa: S608 (our table)
                [count, connection.ops.adapt_datefield_value(day)],
            )
            row = cursor.fetchone()
        if row is not None:
            last = int(row[0])
            return [f"{day:%Y%m%d}{n:05d}" for n in range(last - count + 1, last + 1)]
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(day=day, last=count)
            return [f"{day:%Y%m%d}{n:05d}" for n in range(1, count + 1)]
        except IntegrityError:
            continue  # another process created the day's row first; count on it
    raise Conflict(_("Could not give the case a number; try again."))
