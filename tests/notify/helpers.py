"""Reading the outbox in tests."""

from __future__ import annotations

from typing import Any

from suban.notify.models import Outbox


def messages(template: str | None = None, **filters: Any) -> list[Outbox]:
    qs = Outbox.objects.order_by("pk")
    if template is not None:
        qs = qs.filter(template=template)
    return list(qs.filter(**filters))


def addresses(template: str) -> list[str]:
    """Where the messages of `template` go, sorted."""
    return sorted(row.to for row in messages(template))
