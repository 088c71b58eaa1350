"""{% calendar_warning %}: a notice on the console and the admin when a year ahead has no working days entered."""

from __future__ import annotations

from typing import Any

from django import template

from suban.workdays.calendar import calendar_gap

register = template.Library()


@register.inclusion_tag("workdays/_calendar_warning.html", takes_context=True)
def calendar_warning(context: template.Context, *, admin: bool = False) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_citizen", False):
        return {"gap": None}
    return {"gap": calendar_gap(), "admin": admin}
