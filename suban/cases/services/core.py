"""The two steps every case action takes: check the table, then commit with a compare-and-swap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.cases.lifecycle import BY_ACTION, SAME, Transition, relations
from suban.cases.models import Case, CaseEvent, CaseNumberCounter, Status
from suban.errors import Conflict, Forbidden, Invalid


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
    values = {name: getattr(case, name) for name in fields}
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=case.version, status=before).update(
            status=target, version=F("version") + 1, updated_at=now, **values
        )
        if updated != 1:
            raise Conflict(_("Someone else acted on this case at the same moment; reload it and try again."))
        case.version += 1
        case.status = target
        case.updated_at = now
        event = CaseEvent.objects.create(
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
    return event


def next_case_number(now: datetime) -> str:
    """Today's date and the day's sequence: 2026112200123. The counter row is locked while it counts."""
    day = timezone.localdate(now)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                updated = CaseNumberCounter.objects.filter(day=day).update(last=F("last") + 1)
                if not updated:
                    CaseNumberCounter.objects.create(day=day, last=1)
                last = CaseNumberCounter.objects.filter(day=day).values_list("last", flat=True).get()
            return f"{day:%Y%m%d}{last:05d}"
        except IntegrityError:
            continue  # another process created the day's row first; count on it
    raise Conflict(_("Could not give the case a number; try again."))
