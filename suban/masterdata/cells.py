"""Reading one cell's meaning: kinds and roles by Chinese or English name, lists, office phones, boundaries."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from suban import crypto
from suban.accounts.roles import Role
from suban.errors import Invalid
from suban.org.geometry import parse_boundary, to_geojson
from suban.org.models import SpecialGridKind, UnitKind

# Words people write in the sheets, beyond the values and the English and Chinese labels of the choices.
UNIT_KIND_WORDS: dict[str, str] = {
    "区": UnitKind.DISTRICT,
    "县": UnitKind.DISTRICT,
    "区县": UnitKind.DISTRICT,
    "街道": UnitKind.STREET,
    "镇": UnitKind.STREET,
    "乡": UnitKind.STREET,
    "乡镇": UnitKind.STREET,
    "社区": UnitKind.COMMUNITY,
    "村": UnitKind.COMMUNITY,
    "网格": UnitKind.GRID,
    "专属网格": UnitKind.SPECIAL_GRID,
    "部门": UnitKind.DEPARTMENT,
    "科室": UnitKind.DEPARTMENT,
}
SPECIAL_KIND_WORDS: dict[str, str] = {
    "写字楼": SpecialGridKind.OFFICE_BUILDING,
    "楼宇": SpecialGridKind.OFFICE_BUILDING,
    "机关": SpecialGridKind.AGENCY,
    "公用事业": SpecialGridKind.UTILITY,
    "市场": SpecialGridKind.MARKET,
    "商圈": SpecialGridKind.MARKET,
    "景区": SpecialGridKind.SCENIC,
    "保护区": SpecialGridKind.SCENIC,
    "其它": SpecialGridKind.OTHER,
}
ROLE_WORDS: dict[str, str] = {
    "社区处置员": Role.COMMUNITY_HANDLER,
    "街道处置员": Role.STREET_HANDLER,
    "部门处置员": Role.DEPARTMENT_HANDLER,
    "派单": Role.DISPATCHER,
    "督办": Role.SUPERVISOR,
}

_LIST_SEPARATORS = re.compile(r"[、,，;；\r\n]+")
_EXTENSION = re.compile(r"^(?P<main>.+?)\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$", re.IGNORECASE)
_LOCAL_NUMBER = re.compile(r"^\d{3,8}$")  # a local line without area code, or a short service number


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@cache
def _choice_lookup(choices: type[models.TextChoices], extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[_key(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    lookup.update((_key(word), value) for word, value in extra)
    return lookup


def parse_choice(text: str, choices: type[models.TextChoices], extra: dict[str, str]) -> str | None:
    """The choice's value for its value, English or Chinese label or a known synonym; None if none fits."""
    return _choice_lookup(choices, tuple(sorted(extra.items()))).get(_key(text))


def parse_unit_kind(text: str) -> str | None:
    return parse_choice(text, UnitKind, UNIT_KIND_WORDS)


def parse_special_kind(text: str) -> str | None:
    return parse_choice(text, SpecialGridKind, SPECIAL_KIND_WORDS)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def parse_roles(text: str) -> list[str]:
    """Role values for a cell like '网格员、专业网格员'; raises Invalid naming the first unknown role."""
    roles = []
    for word in split_list(text):
        role = parse_choice(word, Role, ROLE_WORDS)
        if role is None:
            raise Invalid(_("%(role)s is not a role.") % {"role": word}, field="roles")
        roles.append(role)
    return sorted(set(roles))


def parse_aliases(text: str) -> str:
    return ",".join(split_list(text))


def check_office_phone(text: str) -> str:
    """An office phone cell: one or more numbers, each a mobile, a landline or a local line, maybe with 转 extension."""
    for number in re.split(r"[/、,，;；]", text):
        number = number.strip()
        match = _EXTENSION.match(number)
        main = match.group("main") if match else number
        digits = re.sub(r"[\s\-()（）]", "", main)
        if _LOCAL_NUMBER.match(digits):
            continue
        try:
            crypto.normalize_phone(main)
        except Invalid:
            raise Invalid(_("%(phone)s is not a valid phone number.") % {"phone": number}, field="phone") from None
    return text


def parse_boundary_text(text: str) -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon (or a Feature holding one) as text, checked and normalised."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # exc.msg is Python's English; the place is what helps the user find the mistake.
        where = {"line": exc.lineno, "column": exc.colno}
        raise Invalid(
            _("The boundary is not GeoJSON text (line %(line)s, column %(column)s).") % where, field="boundary"
        ) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    return to_geojson(parse_boundary(data))
