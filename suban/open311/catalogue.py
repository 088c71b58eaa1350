"""Open311 services are the matter catalogue: every active matter is a service (its code the service_code),
grouped under its top-level matter. One more service, "other", takes what fits no matter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from suban.catalogue.models import Matter

OTHER = "other"


def _group_names(matters: list[Matter]) -> dict[int, str]:
    """Each matter's top-level ancestor's name, by matter id."""
    by_id = {m.pk: m for m in matters}
    groups: dict[int, str] = {}
    for matter in matters:
        node, hops = matter, 0
        while node.parent_id is not None and node.parent_id in by_id and hops < 10:
            node, hops = by_id[node.parent_id], hops + 1
        groups[matter.pk] = node.name
    return groups


def other_service() -> dict[str, Any]:
    return {
        "service_code": OTHER,
        "service_name": _("Other"),
        "description": _("Anything that fits none of the other services."),
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": _("Other"),
    }


def service_list() -> list[dict[str, Any]]:
    matters = list(Matter.objects.only("pk", "code", "name", "full_name", "keywords", "parent_id", "is_active"))
    groups = _group_names(matters)
    services = [
        {
            "service_code": m.code,
            "service_name": m.name,
            "description": m.full_name or m.name,
            # Every service has a definition: its attributes carry the case's nature, urgency and the rest.
            "metadata": True,
            "type": "realtime",
            "keywords": m.keywords.replace("，", ", "),
            "group": groups[m.pk],
        }
        for m in sorted(matters, key=lambda m: m.code)
        if m.is_active
    ]
    services.append(other_service())
    return services


def matter_for(code: str) -> tuple[bool, Matter | None]:
    """(whether the service exists, its matter: None for "other")."""
    if code == OTHER:
        return True, None
    matter = Matter.objects.filter(code=code, is_active=True).first()
    return matter is not None, matter
