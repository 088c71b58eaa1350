"""{% login_alerts %}: the accounts under attack now, where the security admin works (the admin's index and
its lockouts page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from suban.accounts.lockout import window
from suban.accounts.models import LoginAlert

register = template.Library()


@register.inclusion_tag("accounts/_login_alerts.html", takes_context=True)
def login_alerts(context: template.Context) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("accounts.view_loginalert"):
        return {"alerts": []}
    since = timezone.now() - window()
    return {"alerts": list(LoginAlert.objects.filter(ended_at=None, last_attempt_at__gte=since)[:20])}
