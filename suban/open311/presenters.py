"""What Open311 publishes of a case. Only public information leaves: never the complainant (the spec's
output has no contact), phone and ID numbers and e-mail addresses masked inside free text (crypto.mask_in_text),
and of a confidential case only its service, status, unit and dates: no description, place, photo or reply.

Photos a citizen sent through the H5 or staff attached are not published (they were given to the
platform, not to the public); only media an Open311 client sent with its request are."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from suban.cases.models import TERMINAL, Case, CaseEvent, Status
from suban.cases.services import DeclineReason
from suban.cases.timeline import STEP_LABELS, TARGET_UNIT
from suban.crypto import mask_in_text
from suban.open311.catalogue import OTHER
from suban.open311.render import w3c
from suban.org.directory import Directory

DESCRIPTION_LENGTH = 4000  # the spec's limit


def open_or_closed(status: str) -> str:
    return "closed" if status in TERMINAL else "open"


def _area(case: Case, units: Directory, *, coarse: bool) -> str:
    """The place from most specific to most general, as the spec asks: the grid's units up to the district,
    or only the street and district when `coarse`."""
    codes = [c for c in case.area_path.strip("/").split("/") if c]
    names = []
    for code in reversed(codes):
        unit = units.by_code.get(code)
        if unit is None:
            continue
        if coarse and unit.kind not in ("street", "district"):
            continue
        names.append(unit.name)
    return ", ".join(names)


def _status_notes(case: Case) -> str:
    if case.status == Status.DECLINED and case.decline_reason in DeclineReason.values:
        return f"{Status(case.status).label}: {DeclineReason(case.decline_reason).label}"
    if case.status == Status.MERGED and case.merged_into is not None:
        return _("Merged with an earlier request about the same thing: %(number)s") % {
            "number": case.merged_into.number
        }
    if case.status in (Status.VISITING, Status.UNSATISFIED, Status.CLOSED) and case.reply and not case.confidential:
        return mask_in_text(case.reply)  # the reply, once the district has released it
    return str(Status(case.status).label)


# The columns of a step that Open311 reads: rows of .values(*STEP_FIELDS), not models (a page of a thousand
# cases has several thousand steps).
STEP_FIELDS = ("id", "case_id", "case__number", "seq", "action", "data", "to_status", "at")
Step = dict[str, Any]


def public_steps(case_ids: Iterable[int]) -> QuerySet[CaseEvent, Step]:
    return (
        CaseEvent.objects.filter(case_id__in=list(case_ids), public=True)
        .order_by("case_id", "seq")
        .values(*STEP_FIELDS)
    )


def _step(step: Step, units: dict[str, str]) -> str:
    action = step["action"]
    label = str(STEP_LABELS.get(action, _("Case updated")))
    data = step["data"] if isinstance(step["data"], dict) else {}
    if action in TARGET_UNIT and units.get(data.get("unit", "")):
        return f"{label}: {units[data['unit']]}"
    if action == "decline" and data.get("reason") in DeclineReason.values:
        return f"{label}: {DeclineReason(data['reason']).label}"
    if action == "rate":
        return _("Rated")
    if action == "add_info":
        return _("Information added")
    return label


def unit_names(steps: Iterable[Step], units: Directory) -> dict[str, str]:
    names = {}
    for step in steps:
        code = step["data"].get("unit") if isinstance(step["data"], dict) else None
        if code and code in units.by_code:
            names[code] = units.by_code[code].name
    return names


def note(step: Step, units: dict[str, str]) -> dict[str, Any]:
    """A step of the public timeline as the "notes" extension has it. Only the step and the unit that took
    it over: a step's note was written for the citizen who asked, not for the public."""
    return {"datetime": w3c(step["at"]), "description": _step(step, units), "type": step["action"]}


def update(step: Step, units: dict[str, str]) -> dict[str, Any]:
    """A public step as a request_update (the servicerequestupdates extension)."""
    return {
        "update_id": f"{step['case__number']}-{step['seq']}",
        "service_request_id": step["case__number"],
        "status": open_or_closed(step["to_status"]),
        "updated_datetime": w3c(step["at"]),
        "description": _step(step, units),
        "media_url": "",
    }


def _description(case: Case) -> str:
    text = case.text if case.text.startswith(case.title) else f"{case.title}\n{case.text}".strip()
    return mask_in_text(text)[:DESCRIPTION_LENGTH]


def request(
    case: Case, *, units: Directory, media_url: Callable[[Case], str], notes: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A case as the spec's request. `units` is the unit directory (taken once a page); `media_url(case)` gives
    the published media of a case, or ""."""
    closed = case.status in TERMINAL
    hidden = case.confidential
    matter = case.matter
    out: dict[str, Any] = {
        "service_request_id": case.number,
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(case),
        "service_name": matter.name if matter is not None else _("Other"),
        "service_code": matter.code if matter is not None else OTHER,
        "description": None if hidden else _description(case),
        "agency_responsible": case.unit.name if case.unit is not None else None,
        "service_notice": (
            _("To be handled within %(days)s working days.") % {"days": f"{case.limit_days.normalize():f}"}
            if case.limit_days
            else None
        ),
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.closed_at if closed and case.closed_at else case.updated_at),
        "expected_datetime": w3c(case.due_at),
        "address": _area(case, units, coarse=True)
        if hidden
        else (mask_in_text(case.address) or _area(case, units, coarse=False)),
        "address_id": None,
        "zipcode": None,
        "lat": None if hidden else case.latitude,
        "long": None if hidden else case.longitude,
        "media_url": None if hidden else (media_url(case) or None),
    }
    if notes is not None:
        out["notes"] = notes
    return out
