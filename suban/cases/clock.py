"""The deadline clock: a periodic job finds the cases whose next check is due by an indexed timestamp,
claims each with the case's compare-and-swap, warns (yellow), marks overdue (red) and opens supervision.
Several workers may run it at once: a case another worker or a person just changed is skipped, and the
next run looks at it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from suban.cases import deadlines
from suban.cases.lifecycle import BY_ACTION
from suban.cases.models import Alert, Case
from suban.cases.services.core import commit
from suban.cases.services.handling import case_supervise
from suban.errors import DomainError

logger = logging.getLogger(__name__)

# The statuses in which the table lets the clock warn, mark overdue and open supervision.
CLOCKED = BY_ACTION["warn"].sources & BY_ACTION["overdue"].sources & BY_ACTION["supervise"].sources

# The note of the supervision order the clock opens; the demo's history writes the same words.
OVERDUE_NOTE = gettext_lazy("Overdue: the deadline has passed.")


@dataclass
class ClockRun:
    checked: int = 0
    warned: int = 0
    overdue: int = 0
    skipped: int = 0


def run_clock(now: datetime | None = None, *, batch: int = 500) -> ClockRun:
    now = now or timezone.now()
    result = ClockRun()
    due = list(
        Case.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        case = Case.objects.select_related("unit").filter(pk=pk).first()
        if case is None or case.next_check_at is None or case.next_check_at > now:
            result.skipped += 1
            continue
        result.checked += 1
        try:
            _tick(case, now, result)
        except DomainError as exc:  # changed meanwhile, or no longer in a state the clock acts on
            logger.info("clock skipped case %s: %s", case.number, exc.message)
            result.skipped += 1
    return result


def _tick(case: Case, now: datetime, result: ClockRun) -> None:
    if case.status not in CLOCKED or case.held_at is not None:
        # A check left on a case the clock may not act on (closed, on hold, changed by an import or by
        # hand): drop it, with the compare-and-swap, rather than look again every minute.
        Case.objects.filter(pk=case.pk, version=case.version).update(next_check_at=None)
        result.skipped += 1
        return
    alert = deadlines.current_alert(case, now)
    previous = case.alert
    case.alert = alert
    deadlines.schedule(case, now)
    with transaction.atomic():
        if alert == Alert.RED and previous != Alert.RED:
            commit(
                case,
                by=None,
                action="overdue",
                fields=("alert", "next_check_at"),
                now=now,
                public=False,
                data={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
            case_supervise(case=case, by=None, note=str(OVERDUE_NOTE), automatic=True, now=now)
            result.overdue += 1
        elif alert == Alert.YELLOW and previous == Alert.NONE:
            commit(
                case,
                by=None,
                action="warn",
                fields=("alert", "next_check_at"),
                now=now,
                public=False,
                data={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
            result.warned += 1
        else:
            # Nothing to say (a deadline moved): just set the alert and the next check, with the same
            # compare-and-swap.
            updated = Case.objects.filter(pk=case.pk, version=case.version).update(
                alert=case.alert, next_check_at=case.next_check_at
            )
            if not updated:
                result.skipped += 1
