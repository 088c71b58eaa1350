"""Writing the lives in bulk: the cases, their events, supervision orders, grid reports and case numbers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, Model

from suban.accounts.models import User
from suban.cases.models import Case, CaseEvent, CaseNumberCounter, Status, SupervisionOrder
from suban.cases.services.core import SETTLED_BY
from suban.demo.history.lives import Life
from suban.gridwork.models import GridReport


@contextmanager
def own_timestamps(*models_fields: tuple[type[Model], str]) -> Iterator[None]:
    """bulk_create stamps auto_now(_add) fields with the present; the history brings its own instants."""
    saved: list[tuple[DateTimeField[Any, Any], bool, bool]] = []
    for model, name in models_fields:
        f = model._meta.get_field(name)
        assert isinstance(f, DateTimeField)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now_, add in saved:
            f.auto_now, f.auto_now_add = now_, add


def write_lives(lives: list[Life], numbers: dict[date, int], reports: list[tuple[Life, User]], today: date) -> None:
    with (
        transaction.atomic(),
        own_timestamps(
            (Case, "created_at"), (Case, "updated_at"), (SupervisionOrder, "created_at"), (GridReport, "created_at")
        ),
    ):
        cases = [life.case for life in lives]
        Case.objects.bulk_create(cases, batch_size=500)
        events, orders = [], []
        for life in lives:
            for event in life.events:
                event.case = life.case
                events.append(event)
            case = life.case
            for order in life.orders:
                order.case = case
                if case.replied_at is not None and case.replied_at > order.created_at:
                    # A supervisor closed it once the unit had replied.
                    order.state, order.outcome = SupervisionOrder.State.DONE, SupervisionOrder.Outcome.DONE
                    order.done_at = case.replied_at
                elif case.status in SETTLED_BY:
                    # Still open when the case ended: ended with it, by whoever ended the case (its last step).
                    order.state, order.outcome = SupervisionOrder.State.DONE, SETTLED_BY[Status(case.status)]
                    order.done_at, order.done_by = life.events[-1].at, life.events[-1].actor
                orders.append(order)
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        SupervisionOrder.objects.bulk_create(orders, batch_size=1000)
        GridReport.objects.bulk_create(
            [
                GridReport(
                    case=life.case,
                    worker=worker,
                    grid=life.case.grid,
                    located_by=GridReport.Located.GPS,
                    created_at=life.case.created_at,
                )
                for life, worker in reports
            ],
            batch_size=1000,
        )
        existing = set(CaseNumberCounter.objects.filter(day__in=list(numbers)).values_list("day", flat=True))
        for day in existing:
            CaseNumberCounter.objects.filter(day=day, last__lt=numbers[day]).update(last=numbers[day])
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(day=d, last=n) for d, n in numbers.items() if d not in existing and d < today]
        )
