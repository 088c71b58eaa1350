"""{% calendar_warning %}: a notice on the console and the admin when a year ahead has no working days entered."""

from __future__ import annotations

from typing import Any

from django import template

from suban.workdays.calendar import calendar_gap
from suban.workdays.notice import NOTICE_PERMISSIONS

register = template.Library()


@register.inclusion_tag("workdays/_calendar_warning.html", takes_context=True)
def calendar_warning(context: template.Context, *, admin: bool = False) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_citizen", False):
        return {"gap": None}
    gap = calendar_gap()
    # In the admin, the link to the notice page for whoever may enter it; the others are told who can.
    can_enter = gap is not None and admin and all(user.has_perm(p) for p in NOTICE_PERMISSIONS)
    return {"gap": gap, "admin": admin, "can_enter": can_enter}
