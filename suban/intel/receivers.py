"""Routing by the model on acceptance: once the step that accepted a case commits, the worker dispatches it
(suban.intel.routing.auto_dispatch) unless someone did in the same breath."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from suban.cases.models import Case, CaseEvent, Status
from suban.intel.suggest import auto_route_threshold, model_file
from suban.intel.tasks import auto_dispatch_case


def enqueue_if_waiting(case_id: int) -> None:
    if not Case.objects.filter(pk=case_id, status=Status.ACCEPTED).exists():
        return  # dispatched in the same breath (accept and dispatch in one click, a hotline intake)
    auto_dispatch_case(case_id)


def on_events_recorded(sender: Any, events: list[CaseEvent], **kwargs: Any) -> None:
    accepted = [e for e in events if e.action == "accept"]
    if not accepted or auto_route_threshold() >= 1.0 or model_file() is None:
        return
    # A batch that accepts and dispatches a case in the same breath leaves nothing for the model.
    dispatched = {e.case.pk for e in events if e.action == "dispatch"}
    for event in accepted:
        if event.case.pk not in dispatched:
            transaction.on_commit(partial(enqueue_if_waiting, event.case.pk), robust=True)
