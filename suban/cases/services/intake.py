"""A case comes in: submit, accept or decline, merge duplicates, dispatch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban import crypto
from suban.accounts.roles import Role
from suban.cases import deadlines
from suban.cases.models import Case, CaseEvent, Channel, CoHandler, Nature, Status, Urgency
from suban.cases.routing import district_of, level_of, route
from suban.cases.services.core import check, commit, composite, next_case_number, record, step
from suban.catalogue.models import CaseType, Matter
from suban.errors import Forbidden, Invalid, full_clean
from suban.org.address import match_address
from suban.org.directory import directory
from suban.org.grid_index import lookup_point
from suban.org.models import GRID_KINDS, Unit, UnitKind


class DeclineReason(models.TextChoices):
    """Beijing 接诉即办 regulation, Art. 11: what the platform does not take, and where it belongs."""

    EMERGENCY = "emergency", gettext_lazy("Emergency: call 110, 119 or 120")
    LEGAL_CHANNEL = "legal_channel", gettext_lazy("Litigation, arbitration, petition or another legal channel")
    REPEAT = "repeat", gettext_lazy("Repeat with no new facts: the existing answer stands")
    SECRET = "secret", gettext_lazy("State secrets, trade secrets or others' privacy")
    OUTSIDE_DUTY = "outside_duty", gettext_lazy("Outside any unit's duty: market or social channels")
    UNLAWFUL = "unlawful", gettext_lazy("Unlawful or unreasonable demand")
    OTHER = "other", gettext_lazy("Other")


def case_submit(
    *,
    by: Any,
    title: str,
    text: str = "",
    case_type: str = CaseType.LIVELIHOOD,
    nature: str = Nature.HELP,
    channel: str = Channel.H5,
    matter: Matter | None = None,
    urgency: str = Urgency.NORMAL,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    citizen: Any = None,
    source_ref: str = "",
    number: str = "",
) -> Case:
    """A new request. A citizen submits their own; staff enter one for a citizen or for themselves.

    `number` is one taken beforehand with next_case_number (case_intake takes it before its transaction)."""
    if by is not None and not by.is_authenticated:
        raise Forbidden(_("Log in to submit a request."))
    if by is not None and by.is_citizen:
        citizen = by
        channel = channel if channel in (Channel.H5, Channel.APP) else Channel.H5
    elif by is not None and (by.admin_role or not by.roles):
        raise Forbidden(_("Only citizens and staff with a work role submit requests."))
    if not title.strip():
        raise Invalid(_("A request needs a title."), field="title")
    if (longitude is None) != (latitude is None):
        raise Invalid(_("Give both longitude and latitude, or neither."), field="longitude")
    now = timezone.now()
    case = Case(
        title=title.strip()[:200],
        text=text.strip(),
        case_type=case_type,
        nature=nature,
        channel=channel,
        matter=matter,
        urgency=urgency,
        longitude=longitude,
        latitude=latitude,
        address=address.strip()[:300],
        contact_name=contact_name.strip()[:60],
        anonymous=anonymous,
        confidential=confidential,
        citizen=citizen,
        reporter=by if by is not None and not by.is_citizen else None,
        source_ref=source_ref,
    )
    phone = contact_phone or (citizen.phone if citizen is not None else "")
    if phone:
        case.contact_phone_encrypted = crypto.encrypt(crypto.normalize_phone(phone))
    case.grid = _locate(longitude, latitude, case.address)
    case.area_path = case.grid.path if case.grid is not None else ""
    # First receiver is responsible: until dispatch the district's dispatch centre holds the case.
    district = district_of(case.grid)
    case.unit, case.unit_path, case.level = district, district.path, level_of(district)
    full_clean(case, exclude=["number", "matter", "grid", "unit", "citizen", "reporter", "merged_into", "handler"])
    case.number = number or next_case_number(now)
    with step():
        case.version = 1
        case.save()
        record(
            CaseEvent(
                case=case,
                seq=1,
                action="submit",
                actor=by,
                from_status="",
                to_status=Status.NEW,
                at=now,
                actor_unit=getattr(by, "unit", None) if by is not None and not by.is_citizen else None,
                data={"channel": channel},
            )
        )
    return case


def case_intake(
    *,
    by: Any,
    dispatch: bool = False,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    dispatch_note: str = "",
    **submit: Any,
) -> Case:
    """A request taken in by the dispatch centre (a 12345 call, a hotline system's push): submitted, and with
    `dispatch`, accepted and dispatched (to `unit`, or by the responsibility list) in one transaction, three
    events. Any refusal leaves nothing behind."""
    if not dispatch:
        if unit is not None or any(True for _u in co_units):
            raise Invalid(_("Choose a unit only when the request is dispatched at once."), field="unit")
        return case_submit(by=by, **submit)
    if by is None or by.is_citizen or Role.DISPATCHER not in by.roles:
        raise Forbidden(_("Only the dispatch centre dispatches a request as it takes it in."))
    number = next_case_number(timezone.now())  # before the transaction: see next_case_number
    with composite():
        case = case_submit(by=by, number=number, **submit)
        case_accept(case=case, by=by)
        return case_dispatch(case=case, by=by, unit=unit, co_units=co_units, note=dispatch_note)


def _locate(longitude: float | None, latitude: float | None, address: str) -> Unit | None:
    if longitude is not None and latitude is not None:
        hit = lookup_point(longitude, latitude)
        if hit is not None:
            return directory().get(hit.grid_id) or Unit.objects.get(pk=hit.grid_id)
    if address:
        match = match_address(address)
        if match is not None and match.unit.kind in (*GRID_KINDS, UnitKind.COMMUNITY, UnitKind.STREET):
            return match.unit
    return None


def case_accept(*, case: Case, by: Any, note: str = "", expected_version: int | None = None) -> Case:
    check(case, "accept", by, expected_version=expected_version)
    commit(case, by=by, action="accept", note=note)
    return case


def case_decline(*, case: Case, by: Any, reason: str, note: str = "", expected_version: int | None = None) -> Case:
    check(case, "decline", by, expected_version=expected_version)
    if reason not in DeclineReason.values:
        raise Invalid(_("Choose a reason for declining."), field="reason")
    case.decline_reason = reason
    case.closed_at = now = timezone.now()
    commit(
        case,
        by=by,
        action="decline",
        fields=("decline_reason", "closed_at"),
        note=note,
        data={"reason": reason},
        now=now,
    )
    return case


def case_dispatch(
    *,
    case: Case,
    by: Any,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Send the case to a lead unit (by hand, or by the responsibility list when `unit` is None)."""
    check(case, "dispatch", by, expected_version=expected_version)
    lead = unit if unit is not None else route(case)
    return _send(case, by=by, action="dispatch", lead=lead, co_units=co_units, note=note, by_list=unit is None)


def _send(
    case: Case, *, by: Any, action: str, lead: Unit, co_units: Iterable[Unit] = (), note: str = "", **extra: Any
) -> Case:
    """Put the case in `lead`'s hands with a fresh deadline (dispatch, escalation, raising the level)."""
    if lead.kind == UnitKind.DISTRICT and action == "dispatch":
        raise Invalid(_("Dispatch to a street, community, grid or department."), field="unit")
    if not lead.is_active:
        raise Invalid(_("%(unit)s is not active.") % {"unit": lead.name}, field="unit")
    co_list = [u for u in co_units if u.pk != lead.pk]
    now = timezone.now()
    previous = case.unit
    case.unit, case.unit_path, case.level = lead, lead.path, level_of(lead)
    case.handler = None
    if previous is None or previous.pk != lead.pk:
        # A unit may return a case within its first working days; the dispatch centre's ruling on a
        # return binds the unit that returned it, not the next one.
        case.return_final = False
    deadlines.start_clock(case, now)
    fields = ("unit", "unit_path", "level", "handler", "return_final", "escalation_count", *deadlines.CLOCK_FIELDS)
    with step():
        commit(
            case,
            by=by,
            action=action,
            fields=fields,
            note=note,
            now=now,
            data={
                "unit": lead.code,
                "from_unit": previous.code if previous else None,
                "co_units": [u.code for u in co_list],
                "due_at": case.due_at.isoformat() if case.due_at else None,
                **extra,
            },
        )
        # The lead unit answers for the case alone: a co-handler that becomes the lead is no longer one.
        CoHandler.objects.filter(case=case, unit=lead).delete()
        for co in co_list:
            CoHandler.objects.get_or_create(case=case, unit=co, defaults={"unit_path": co.path})
    return case


def case_merge(*, case: Case, by: Any, into: Case, note: str = "", expected_version: int | None = None) -> Case:
    """Merge a duplicate into an open case: one more reporter there, and this one follows its answer."""
    check(case, "merge", by, expected_version=expected_version)
    if into.pk == case.pk or into.merged_into_id is not None:
        raise Invalid(_("Merge into another case that is itself not merged."), field="into")
    check(into, "absorb", by)
    with transaction.atomic():
        case.merged_into = into
        case.closed_at = now = timezone.now()
        commit(
            case,
            by=by,
            action="merge",
            fields=("merged_into", "closed_at"),
            note=note,
            data={"into": into.number},
            now=now,
        )
        into.support_count += case.support_count
        commit(
            into, by=by, action="absorb", fields=("support_count",), data={"from": case.number}, public=False, now=now
        )
    return case
