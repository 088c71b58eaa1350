"""The service definition's attributes, the same for every service of the catalogue: they carry what a case
needs beyond the spec's fields (a title, nature, urgency, type, anonymity, confidentiality). Values a client
sends are checked against each attribute's datatype as the spec defines it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.cases.models import Nature, Urgency
from suban.catalogue.models import CaseType

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
BOOLEAN = (("true", gettext_lazy("Yes")), ("false", gettext_lazy("No")))
STRING_LENGTH = 200  # a string attribute is one line; a text attribute may run to the spec's 4,000
TEXT_LENGTH = 4000


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    description: Promise
    required: bool = False
    datatype_description: Promise | str = ""
    values: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for key, _name in self.values)


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "title",
        "string",
        gettext_lazy("A short title of the request; the service's name when left out."),
        datatype_description=gettext_lazy("One line, at most 200 characters."),
    ),
    Attribute(
        "nature",
        "singlevaluelist",
        gettext_lazy("What kind of request this is."),
        required=True,
        values=tuple(Nature.choices),
    ),
    Attribute(
        "urgency",
        "singlevaluelist",
        gettext_lazy("How urgent it is; normal when left out."),
        values=tuple(Urgency.choices),
    ),
    Attribute(
        "case_type",
        "singlevaluelist",
        gettext_lazy("Whether it concerns daily life, business or law enforcement; daily life when left out."),
        values=tuple(CaseType.choices),
    ),
    Attribute(
        "anonymous",
        "singlevaluelist",
        gettext_lazy("Hide the reporter's name and phone from the units handling it."),
        values=BOOLEAN,
    ),
    Attribute(
        "confidential",
        "singlevaluelist",
        gettext_lazy(
            "Keep the reporter from the unit complained about; the request is then published without its "
            "description, place or photo."
        ),
        values=BOOLEAN,
    ),
)
BY_CODE = {a.code: a for a in ATTRIBUTES}


def definition(service_code: str) -> dict[str, Any]:
    """The spec's service_definition of a service."""
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": str(a.datatype_description) or None,
                "order": order,
                "description": str(a.description),
                "values": [{"key": key, "name": str(name)} for key, name in a.values],
            }
            for order, a in enumerate(ATTRIBUTES, start=1)
        ],
    }


def parse_datetime_w3(raw: str) -> datetime | None:
    """A W3C/ISO 8601 date-time with its offset (Z or ±HH:MM), or None. A date alone is midnight UTC."""
    text = raw.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        if len(text) == 10:  # YYYY-MM-DD
            return value.replace(tzinfo=UTC)
        return None  # the spec requires the offset
    return value


def check_value(attribute: Attribute, values: list[str]) -> tuple[Any, str]:
    """The value of `attribute` from what the client sent, and "" or the problem to report."""
    kind = attribute.datatype
    if kind == "multivaluelist":
        unknown = [v for v in values if v not in attribute.keys]
        if unknown:
            return None, _("%(code)s: %(value)s is not one of its values.") % {
                "code": attribute.code,
                "value": ", ".join(unknown),
            }
        return values, ""
    if len(values) > 1:
        return None, _("%(code)s takes one value.") % {"code": attribute.code}
    value = values[0]
    if kind == "singlevaluelist":
        if value not in attribute.keys:
            return None, _("%(code)s: %(value)s is not one of its values.") % {"code": attribute.code, "value": value}
        return value, ""
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return None, _("%(code)s must be a number.") % {"code": attribute.code}
        if number != number or number in (float("inf"), float("-inf")):
            return None, _("%(code)s must be a number.") % {"code": attribute.code}
        return number, ""
    if kind == "datetime":
        moment = parse_datetime_w3(value)
        if moment is None:
            return None, _("%(code)s must be a date and time such as 2026-11-30T09:30:00+08:00.") % {
                "code": attribute.code
            }
        return moment.isoformat(), ""
    if kind == "string":
        if "\n" in value or "\r" in value:
            return None, _("%(code)s must be one line.") % {"code": attribute.code}
        if len(value) > STRING_LENGTH:
            return None, _("%(code)s is longer than %(n)d characters.") % {"code": attribute.code, "n": STRING_LENGTH}
        return value.strip(), ""
    if len(value) > TEXT_LENGTH:  # text
        return None, _("%(code)s is longer than %(n)d characters.") % {"code": attribute.code, "n": TEXT_LENGTH}
    return value.strip(), ""


def check_attributes(
    sent: dict[str, list[str]], attributes: tuple[Attribute, ...] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The attribute values by code (of `attributes`, by default the services' own), and every problem
    found: unknown codes, missing required ones, values that do not fit their datatype."""
    attributes = ATTRIBUTES if attributes is None else attributes
    known = {a.code: a for a in attributes}
    problems = [_("There is no attribute %(code)s.") % {"code": code} for code in sent if code not in known]
    values: dict[str, Any] = {}
    for attribute in attributes:
        given = [v for v in sent.get(attribute.code, []) if v.strip()]
        if not given:
            if attribute.required:
                problems.append(_("The attribute %(code)s is required.") % {"code": attribute.code})
            continue
        value, problem = check_value(attribute, given)
        if problem:
            problems.append(problem)
        else:
            values[attribute.code] = value
    return values, problems
