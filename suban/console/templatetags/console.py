from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from suban.cases.models import Alert, Case, Status
from suban.cases.selectors import alert_now
from suban.console.labels import action_label, event_label
from suban.console.nav import build_nav
from suban.console.pickers import unit_choice

register = template.Library()


@register.inclusion_tag("console/_nav.html", takes_context=True)
def console_nav(context: template.Context, here: str | None = None) -> dict[str, Any]:
    request = context.get("request")
    return {"groups": build_nav(request, here=here) if request is not None else []}


@register.filter(name="alert_now")
def alert_now_filter(case: Case) -> str:
    """The case's alert as the inbox's tabs count it (suban.cases.selectors.alert_now)."""
    return alert_now(case)


@register.simple_tag
def alert_badge(alert: str) -> SafeString | str:
    if alert == Alert.RED:
        return format_html('<span class="badge red" data-testid="alert-red">{}</span>', Alert.RED.label)
    if alert == Alert.YELLOW:
        return format_html('<span class="badge yellow" data-testid="alert-yellow">{}</span>', Alert.YELLOW.label)
    return ""


@register.simple_tag
def status_badge(case: Case) -> SafeString:
    return format_html(
        '<span class="status s-{}" data-testid="status">{}</span>', case.status, Status(case.status).label
    )


@register.filter
def action_name(action: str) -> str:
    return action_label(action)


@register.filter
def event_name(action: str) -> str:
    return event_label(action)


@register.filter
def unit_text(unit: Any) -> str:
    return unit_choice(unit) if unit is not None else ""


@register.filter
def percent(share: float | None) -> str:
    """A share (0.5) as a percentage with one decimal (50.0%), or a dash when there is nothing to divide."""
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.inclusion_tag("console/actions/_form.html", takes_context=True)
def action_form(
    context: template.Context,
    case: Case,
    action: str,
    form: Any,
    *,
    ctx: str = "case",
    key: str = "",
    target: str = "#case-actions",
    label: str = "",
    stale: bool = False,
    danger: bool = False,
    compact: bool = False,
    ghost: bool = False,
) -> dict[str, Any]:
    """One action's form, posted by htmx into `target`, or as a plain form without JavaScript. `compact`: a
    single button, the fields' values carried hidden (their errors shown above it)."""
    key = key or action
    fid = f"{case.number}-{key}" if ctx == "dispatch" else key
    return {
        "case": case,
        "action": action,
        "form": form,
        "ctx": ctx,
        "key": key,
        "fid": fid,
        "target": target,
        "label": label or action_label(action),
        "stale": stale,
        "danger": danger,
        "compact": compact,
        "ghost": ghost,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, param: str, number: int) -> str:
    """This page's query string with `param` set to `number` (a pager link keeps the filters)."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return query.urlencode()
