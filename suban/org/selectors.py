"""Reads of the unit tree shared by every face."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from suban.errors import Invalid
from suban.org.models import Unit


def unit_by_code(code: str, *, field: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Invalid(_("There is no unit with the code %(code)s.") % {"code": code}, field=field)
    return unit


def units_by_code(codes: Iterable[str], *, field: str) -> list[Unit]:
    wanted = list(dict.fromkeys(codes))
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise Invalid(
            _("There is no unit with the code %(code)s.") % {"code": ", ".join(missing)},
            field=field,
            details={"unknown": missing},
        )
    return [found[c] for c in wanted]
