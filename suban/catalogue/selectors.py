"""Reads of the matter catalogue shared by every face."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from suban.catalogue.models import Matter
from suban.errors import Invalid


def matter_by_code(code: str, *, field: str) -> Matter:
    matter = Matter.objects.filter(code=code, is_active=True).first()
    if matter is None:
        raise Invalid(_("There is no matter with the code %(code)s.") % {"code": code}, field=field)
    return matter


def matters_by_code(codes: Iterable[str], *, field: str) -> list[Matter]:
    wanted = list(dict.fromkeys(codes))
    found = {m.code: m for m in Matter.objects.filter(code__in=wanted, is_active=True)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise Invalid(
            _("There is no matter with the code %(code)s.") % {"code": ", ".join(missing)},
            field=field,
            details={"unknown": missing},
        )
    return [found[c] for c in wanted]


def matter_subtree_ids(matter: Matter) -> list[int]:
    """The matter and every matter below it (the catalogue is a few levels deep)."""
    ids, frontier = [matter.pk], [matter.pk]
    for _level in range(5):
        frontier = list(Matter.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids
