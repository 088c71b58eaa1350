"""Units and matters named in a form by a person: a pick from the list ("东一社区（S1C1）"), a code, or a
name that fits exactly one. The unit and matter pickers offer the first kind."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from suban.catalogue.models import Matter
from suban.errors import Invalid
from suban.org.models import Unit, UnitKind

PICK_LIMIT = 20
_CODE_AT_END = re.compile(r"[（(]\s*([A-Za-z0-9_.-]{1,40})\s*[)）]\s*$")


def unit_choice(unit: Unit) -> str:
    return f"{unit.name}（{unit.code}）"


def matter_choice(matter: Matter) -> str:
    return f"{matter.full_name or matter.name}（{matter.code}）"


def _code_in(text: str) -> str | None:
    found = _CODE_AT_END.search(text)
    return found.group(1) if found else None


def dispatchable_units() -> QuerySet[Unit]:
    """Units a case can be sent to: every active unit but the district itself."""
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.DISTRICT)


def find_unit(text: str, *, field: str, qs: QuerySet[Unit] | None = None) -> Unit:
    """The one unit `text` names, or Invalid on `field` saying what went wrong."""
    text = text.strip()
    pool = Unit.objects.all() if qs is None else qs
    code = _code_in(text)
    candidates = [code] if code else []
    candidates.append(text)
    for candidate in candidates:
        unit = pool.filter(code=candidate).first()
        if unit is not None:
            return unit
    by_name = list(pool.filter(name=text)[:2])
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise Invalid(
            _("Several units are called %(name)s: pick one from the list.") % {"name": text},
            field=field,
            details={"value": text},
        )
    raise Invalid(
        _("No unit is called %(name)s: pick one from the list.") % {"name": text}, field=field, details={"value": text}
    )


def find_matter(text: str, *, field: str) -> Matter:
    text = text.strip()
    pool = Matter.objects.filter(is_active=True)
    code = _code_in(text)
    for candidate in [code, text] if code else [text]:
        matter = pool.filter(code=candidate).first()
        if matter is not None:
            return matter
    found = list(pool.filter(Q(full_name=text) | Q(name=text))[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise Invalid(_("Several matters are called %(name)s: pick one from the list.") % {"name": text}, field=field)
    raise Invalid(_("No matter is called %(name)s: pick one from the list.") % {"name": text}, field=field)


def search_units(words: str, qs: QuerySet[Unit] | None = None) -> list[Unit]:
    words = words.strip()
    pool = dispatchable_units() if qs is None else qs
    if words:
        code = _code_in(words)
        pool = pool.filter(Q(name__icontains=words) | Q(code__iexact=code or words) | Q(aliases__icontains=words))
    return list(pool.order_by("depth", "sort_order", "path")[:PICK_LIMIT])


def search_matters(words: str) -> list[Matter]:
    words = words.strip()
    pool = Matter.objects.filter(is_active=True)
    if words:
        pool = pool.filter(Q(full_name__icontains=words) | Q(keywords__icontains=words) | Q(code__iexact=words))
    return list(pool.order_by("level", "sort_order", "code")[:PICK_LIMIT])
