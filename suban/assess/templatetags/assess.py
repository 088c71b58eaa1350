from __future__ import annotations

from typing import Any

from django import template

from suban.assess.rates import percent

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return percent(value)


@register.filter
def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def attr(obj: Any, name: str) -> Any:
    """obj.<name> for a name held in a variable (a rate's key)."""
    return getattr(obj, name, None)


@register.filter
def change(value: float | None) -> str:
    """A change as a signed percentage: +12.50%, −3.00%."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + percent(value)
