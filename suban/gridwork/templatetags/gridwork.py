"""Template helpers: the console's case link and the deadline badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from suban.cases import deadlines
from suban.cases.models import WITH_UNIT, Alert, Case
from suban.gridwork import access

register = template.Library()


@register.filter
def case_url(number: str) -> str:
    return access.case_url(number)


@register.inclusion_tag("gridwork/_deadline.html")
def deadline_badge(case: Case) -> dict[str, Any]:
    """Yellow from a working day before the deadline, red from the deadline on; computed now, so the badge
    is right even when the clock has not yet looked at the case."""
    alert = ""
    running = case.status in WITH_UNIT and case.due_at is not None
    if running:
        alert = deadlines.current_alert(case, timezone.now())
    return {"case": case, "alert": alert, "label": Alert(alert).label if alert else "", "running": running}
