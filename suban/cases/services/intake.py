"""A case comes in: submit, accept or decline, merge duplicates, dispatch."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suban import crypto
from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import can_reach_unit
from suban.cases import deadlines
from suban.cases.models import Case, CaseEvent, Channel, CoHandler, Nature, Status, Urgency
from suban.cases.reach import refuse_complained
from suban.cases.routing import district_of, level_of, route
from suban.cases.selectors import cases_visible_to
from suban.cases.services.core import (
    check,
    collecting,
    commit,
    composite,
    insert_case,
    is_unwritten,
    next_case_number,
    next_case_numbers,
    record,
    set_co_handlers,
    step,
    write_collected,
)
from suban.catalogue.models import CaseType, Matter
from suban.errors import Conflict, DomainError, Forbidden, Invalid, full_clean
from suban.org.address import match_address
from suban.org.coords import CoordinateSystem, checked_system, to_wgs84
from suban.org.directory import directory
from suban.org.grid_index import lookup_point
from suban.org.models import GRID_KINDS, Unit, UnitKind

SOURCE_REF_LENGTH = Case._meta.get_field("source_ref").max_length or 64


class DeclineReason(models.TextChoices):
    """Beijing 接诉即办 regulation, Art. 11: what the platform does not take, and where it belongs."""

    EMERGENCY = "emergency", gettext_lazy("Emergency: call 110, 119 or 120")
    LEGAL_CHANNEL = "legal_channel", gettext_lazy("Litigation, arbitration, petition or another legal channel")
    REPEAT = "repeat", gettext_lazy("Repeat with no new facts: the existing answer stands")
    SECRET = "secret", gettext_lazy("State secrets, trade secrets or others' privacy")
    OUTSIDE_DUTY = "outside_duty", gettext_lazy("Outside any unit's duty: market or social channels")
    UNLAWFUL = "unlawful", gettext_lazy("Unlawful or unreasonable demand")
    OTHER = "other", gettext_lazy("Other")


class CaseFields(TypedDict, total=False):
    """What a submission says about the case: the keyword arguments case_submit passes on to _new_case, whose
    signature holds their defaults."""

    title: Required[str]
    text: str
    case_type: str
    nature: str
    channel: str
    matter: Matter | None
    urgency: str
    longitude: float | None
    latitude: float | None
    coordinate_system: str
    address: str
    contact_name: str
    contact_phone: str
    anonymous: bool
    confidential: bool
    citizen: User | None
    source_ref: str
    complained_unit: Unit | None


def case_submit(*, by: User | None, number: str = "", **fields: Unpack[CaseFields]) -> Case:
    """A new request. A citizen submits their own; staff enter one for a citizen or for themselves.

    `number` is one taken beforehand with next_case_number (case_intake takes it before its transaction)."""
    case = _new_case(by=by, **fields)
    case.number = number or next_case_number(timezone.now())
    _submitted(case, by=by)
    return case


def _same_words(text: str) -> str:
    """What a repeat is recognised by: the words without their spacing, letter case or full-width forms."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


same_words = _same_words  # for the other repeats recognised by their words (suban.h5.services)


def repeat_of(
    *,
    citizen: User | None = None,
    title: str,
    text: str = "",
    now: datetime | None = None,
    reporter: User | None = None,
) -> Case | None:
    """The citizen's own request that this one repeats: the first of theirs with the same title and text (see
    _same_words) submitted within the last REPEAT_WINDOW_MINUTES, on any channel and whatever its status since.
    A citizen who goes back after sending and sends the same words again (with a new form key) gets that case
    rather than a second one; different words, or the same ones later, are a new request. With `reporter`
    instead of `citizen`: the same among the cases that member of staff entered (a grid worker's report)."""
    minutes = settings.REPEAT_WINDOW_MINUTES
    if (citizen is None and reporter is None) or minutes <= 0:
        return None
    since = (now or timezone.now()) - timedelta(minutes=minutes)
    wanted = (_same_words(title.strip()[:200]), _same_words(text))
    # The person's cases of the last minutes, by the (citizen, created_at) index or the reporter's: a handful.
    mine = {"citizen": citizen} if citizen is not None else {"reporter": reporter}
    recent = Case.objects.filter(**mine, created_at__gte=since).order_by("created_at", "pk")
    return next((c for c in recent if (_same_words(c.title), _same_words(c.text)) == wanted), None)


def _new_case(
    *,
    by: User | None,
    title: str,
    text: str = "",
    case_type: str = CaseType.LIVELIHOOD,
    nature: str = Nature.HELP,
    channel: str = Channel.H5,
    matter: Matter | None = None,
    urgency: str = Urgency.NORMAL,
    longitude: float | None = None,
    latitude: float | None = None,
    coordinate_system: str = CoordinateSystem.WGS84,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    citizen: User | None = None,
    source_ref: str = "",
    complained_unit: Unit | None = None,
) -> Case:
    """The case a submission makes, checked, in memory, without its number.

    `complained_unit`: a complaint (or a report) about the staff of that unit: see complain_about.

    The point (longitude, latitude) is given in `coordinate_system` ("wgs84", "gcj02" from WeChat, Amap or
    Tencent maps, "bd09" from Baidu maps) and stored, and looked up on the grids, in WGS-84."""
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
    longitude, latitude = _in_wgs84(longitude, latitude, coordinate_system)
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
    if complained_unit is not None:
        complain_about(case, complained_unit)
    if len(source_ref) > SOURCE_REF_LENGTH:
        raise Invalid(
            _("The source reference has at most %(max)d characters.") % {"max": SOURCE_REF_LENGTH}, field="source_ref"
        )
    # The reference's uniqueness is the database's to keep (case_intake and intake_many look it up first):
    # checking it here would cost a query per case.
    full_clean(
        case,
        exclude=[
            "number",
            "matter",
            "grid",
            "unit",
            "citizen",
            "reporter",
            "merged_into",
            "handler",
            "source_ref",
            "complained_unit",
        ],
    )
    return case


# What may be about a unit's staff: a complaint, or a report of misconduct.
COMPLAINT_NATURES = frozenset({Nature.COMPLAINT, Nature.REPORT})


def complain_about(case: Case, unit: Unit) -> None:
    """Mark `case` (in memory) as a complaint about the staff of `unit`: from now on neither that unit nor any
    unit under it reaches the case (suban.cases.reach), and no step sends it to them. Any unit of the case's
    district but the district itself; only for a complaint or a report."""
    if case.nature not in COMPLAINT_NATURES:
        raise Invalid(
            _("Only a complaint or a report names the unit whose staff it is about."), field="complained_unit"
        )
    if unit.kind == UnitKind.DISTRICT or unit.path.split("/")[:2] != case.unit_path.split("/")[:2]:
        raise Invalid(
            _("Name a street, community, grid or department of the district, not the district itself."),
            field="complained_unit",
        )
    case.complained_unit, case.complained_path = unit, unit.path


def _submitted(case: Case, *, by: User | None) -> None:
    """Write the new case (inside composite(): with the unit's end) and its first event."""
    now = timezone.now()
    with step():
        case.version = 1
        insert_case(case)
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
                data={"channel": case.channel}
                | ({"complained_unit": case.complained_unit.code} if case.complained_unit is not None else {}),
            )
        )


def case_intake(
    *,
    by: User | None,
    dispatch: bool = False,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    dispatch_note: str = "",
    **submit: Any,
) -> Case:
    """A request taken in by the dispatch centre (a 12345 call, a hotline system's push): submitted, and with
    `dispatch`, accepted and dispatched (to `unit`, or by the responsibility list) in one transaction, three
    events. Any refusal leaves nothing behind.

    A request with a `source_ref` (the sender's own id of the work order) that a case of the same channel
    already has is not taken in twice: that case is returned (a hotline that retries). So is the first case of
    a citizen's repeat of their own request (repeat_of). intake_one says, besides, whether the case is new."""
    taken = intake_one(by=by, dispatch=dispatch, unit=unit, co_units=co_units, dispatch_note=dispatch_note, **submit)
    return taken.case


def intake_one(
    *,
    by: User | None,
    dispatch: bool = False,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    dispatch_note: str = "",
    **submit: Any,
) -> Taken:
    """case_intake, with whether this call made the case (created=False: the work order's source_ref was taken
    in before, or a citizen sent the same request again within REPEAT_WINDOW_MINUTES)."""
    co_units = list(co_units)
    if not dispatch:
        if unit is not None or co_units:
            raise Invalid(_("Choose a unit only when the request is dispatched at once."), field="unit")
    elif by is None or by.is_citizen or Role.DISPATCHER not in by.roles:
        raise Forbidden(_("Only the dispatch centre dispatches a request as it takes it in."))
    source_ref = submit.get("source_ref") or ""
    if source_ref:
        existing = _existing_by_ref(by, [(_channel_of(by, submit), source_ref)])
        if existing:
            return Taken(_seen_case(by, existing[0]), created=False)
    if by is not None and by.is_authenticated and by.is_citizen:
        first = repeat_of(citizen=by, title=str(submit.get("title") or ""), text=str(submit.get("text") or ""))
        if first is not None:
            return Taken(first, created=False)
    try:
        if not dispatch:
            return Taken(case_submit(by=by, **submit), created=True)
        number = next_case_number(timezone.now())  # before the transaction: see next_case_number
        with composite():
            case = case_submit(by=by, number=number, **submit)
            case_accept(case=case, by=by)
            case_dispatch(case=case, by=by, unit=unit, co_units=co_units, note=dispatch_note)
            return Taken(case, created=True)
    except IntegrityError:
        # The same work order, sent twice at once: the other request took it in.
        existing = _existing_by_ref(by, [(_channel_of(by, submit), source_ref)]) if source_ref else []
        if not existing:
            raise
        return Taken(_seen_case(by, existing[0]), created=False)


def _channel_of(by: User | None, submit: dict[str, Any] | Any) -> str:
    """The channel a submission ends up with (a citizen's is always H5 or the app): see _new_case."""
    channel = str(submit.get("channel") or Channel.H5)
    if by is not None and getattr(by, "is_citizen", False):
        return channel if channel in (Channel.H5, Channel.APP) else Channel.H5
    return channel


def _existing_by_ref(by: User | None, keys: list[tuple[str, str]]) -> list[Case]:
    """The cases that already carry these (channel, source_ref) pairs."""
    wanted = {k for k in keys if k[1]}
    if not wanted:
        return []
    refs = {ref for _channel, ref in wanted}
    found = (
        Case.objects.filter(source_ref__in=refs)
        .exclude(source_ref="")
        .select_related("unit", "matter", "grid", "handler")
    )
    return [c for c in found if (c.channel, c.source_ref) in wanted]


def _seen_case(by: User | None, case: Case) -> Case:
    """A case found by its source reference, for someone who sent the same work order again."""
    if not cases_visible_to(by).filter(pk=case.pk).exists():
        raise Conflict(_ref_taken(case.source_ref), field="source_ref")
    return case


def _ref_taken(ref: str) -> str:
    return _("The work order %(ref)s was taken in already, as a case outside your reach.") % {"ref": ref}


# --- Many work orders at once (a 12345 hotline pushes them in batches) ---

MAX_ORDERS = 500
# What one order may hold: the keyword arguments of case_intake, but `by`.
ORDER_FIELDS = frozenset({"dispatch", "unit", "co_units", "dispatch_note", *CaseFields.__annotations__})


@dataclass(frozen=True)
class OrderError:
    """What is wrong with one order of a batch: its position (from 0), the error's code ("invalid",
    "forbidden", "conflict"), the field when one is to blame, and a message for people."""

    index: int
    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "field": self.field, "message": self.message}


class OrdersInvalid(Invalid):
    """A batch with orders that cannot be taken in; nothing of the batch was written. `errors` (and `details`,
    their dicts) list every problem found, by order."""

    status = 422
    code = "invalid_orders"

    def __init__(self, errors: list[OrderError]) -> None:
        count = len({e.index for e in errors})
        message = ngettext(
            "%(count)d order cannot be taken in, so none was.",
            "%(count)d orders cannot be taken in, so none was.",
            count,
        ) % {"count": count}
        super().__init__(message, field="orders", details=[e.as_dict() for e in errors])
        self.errors = errors


@dataclass(frozen=True)
class Taken:
    """One order's outcome: its case, and whether this call made it (False: the order's source_ref was
    taken in before, by an earlier call or an earlier order of the same batch)."""

    case: Case
    created: bool


def intake_many(*, by: User | None, orders: Sequence[Mapping[str, Any]]) -> list[Taken]:
    """Take in many work orders at once (a 12345 hotline's batch): each order is a dict of case_intake's
    keyword arguments but `by` (title, text, case_type, nature, channel, matter, urgency, longitude,
    latitude, coordinate_system, address, contact_name, contact_phone, anonymous, confidential, citizen,
    source_ref; and dispatch, unit, co_units, dispatch_note: with "dispatch": True the order is accepted and
    dispatched, to `unit` or, without one, by the responsibility list). Model objects, not codes (matter, unit,
    co_units).

    Every order is checked first, with the same rules, the same reach of `by` and the same deadlines as
    case_intake; if any cannot be taken in, OrdersInvalid (status 422) lists the problems of every order
    and nothing is written. Otherwise the case numbers are taken in one statement, and the cases, their
    events (submit; with dispatch also accept and dispatch), co-handlers and notifications are written in
    one transaction, one INSERT each; the events are announced by one events_recorded signal. The rows are
    those case_intake would write for each order.

    An order whose (channel, source_ref) a case has already is not taken in again: its result is that case
    with created=False (a hotline that retries a batch); so is a repeat of a source_ref within the batch.
    Returns one Taken per order, in the orders' order. At most MAX_ORDERS orders.

    Raises Forbidden when `by` may not take requests in (or dispatch them), Invalid for a batch too big,
    OrdersInvalid for bad orders, Conflict when the numbers cannot be taken.
    """
    if len(orders) > MAX_ORDERS:
        raise Invalid(
            _("Send at most %(max)d orders at once.") % {"max": MAX_ORDERS}, field="orders", details={"max": MAX_ORDERS}
        )
    if by is None or not by.is_authenticated or by.is_citizen or by.admin_role or not by.roles:
        raise Forbidden(_("Only staff with a work role take in work orders."))
    if any(order.get("dispatch") for order in orders) and Role.DISPATCHER not in by.roles:
        raise Forbidden(_("Only the dispatch centre dispatches a request as it takes it in."))
    if not orders:
        return []
    for attempt in range(3):
        try:
            return _intake_many(by, orders)
        except IntegrityError:
            # Another call took in some of the same work orders meanwhile: look them up again.
            if attempt == 2:
                raise Conflict(_("The same work orders are being taken in by another request; try again.")) from None
    raise AssertionError("unreachable")


def _intake_many(by: User | None, orders: Sequence[Mapping[str, Any]]) -> list[Taken]:
    keys = [(_channel_of(by, order), str(order.get("source_ref") or "")) for order in orders]
    existing = {(c.channel, c.source_ref): c for c in _existing_by_ref(by, keys)}
    visible = (
        set(cases_visible_to(by).filter(pk__in=[c.pk for c in existing.values()]).values_list("pk", flat=True))
        if existing
        else set()
    )
    errors: list[OrderError] = []
    results: list[Taken | None] = []
    first: dict[tuple[str, str], Case] = {}
    with collecting() as unit:
        for index, order in enumerate(orders):
            key = keys[index]
            found = existing.get(key) if key[1] else None
            if found is not None:
                if found.pk not in visible:
                    errors.append(OrderError(index, Conflict.code, _ref_taken(key[1]), "source_ref"))
                results.append(Taken(found, created=False))
                continue
            if key[1] and key in first:
                results.append(Taken(first[key], created=False))
                continue
            try:
                case = _take(by, order)
            except DomainError as exc:
                errors.append(OrderError(index, exc.code, exc.message, exc.field))
                results.append(None)
                continue
            if key[1]:
                first[key] = case
            results.append(Taken(case, created=True))
        if errors:
            raise OrdersInvalid(errors)
        made = [t.case for t in results if t is not None and t.created]
        # After the checks and before the transaction: see next_case_numbers.
        for case, number in zip(made, next_case_numbers(timezone.now(), len(made)), strict=True):
            case.number = number
        with transaction.atomic():
            write_collected(unit)
    return [t for t in results if t is not None]


def _take(by: User | None, order: Mapping[str, Any]) -> Case:
    """One order's steps, in memory (inside collecting()), exactly as case_intake takes them."""
    unknown = sorted(set(order) - ORDER_FIELDS)
    if unknown:
        raise Invalid(_("There is no such field: %(field)s.") % {"field": ", ".join(unknown)}, field=unknown[0])
    submit = dict(order)
    dispatch = bool(submit.pop("dispatch", False))
    unit = submit.pop("unit", None)
    co_units = list(submit.pop("co_units", None) or ())
    note = str(submit.pop("dispatch_note", "") or "")
    if "title" not in submit:
        raise Invalid(_("A request needs a title."), field="title")
    if not dispatch and (unit is not None or co_units):
        raise Invalid(_("Choose a unit only when the request is dispatched at once."), field="unit")
    case = _new_case(by=by, **submit)
    _submitted(case, by=by)
    if dispatch:
        case_accept(case=case, by=by)
        case_dispatch(case=case, by=by, unit=unit, co_units=co_units, note=note)
    return case


def _in_wgs84(longitude: float | None, latitude: float | None, system: str) -> tuple[float | None, float | None]:
    checked = checked_system(system, field="coordinate_system")
    if longitude is None or latitude is None:
        return longitude, latitude
    return to_wgs84(longitude, latitude, checked)


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


def case_accept(*, case: Case, by: User | None, note: str = "", expected_version: int | None = None) -> Case:
    check(case, "accept", by, expected_version=expected_version)
    commit(case, by=by, action="accept", note=note)
    return case


def case_decline(
    *, case: Case, by: User | None, reason: str, note: str = "", expected_version: int | None = None
) -> Case:
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
    by: User | None,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    note: str = "",
    complained_unit: Unit | None = None,
    expected_version: int | None = None,
) -> Case:
    """Send the case to a lead unit (by hand, or by the responsibility list when `unit` is None). With
    `complained_unit` the dispatch centre says whose staff the complaint is about (complain_about) as it sends
    it: neither the lead nor a co-handler may then be that unit or one under it."""
    check(case, "dispatch", by, expected_version=expected_version)
    if unit is not None and by is not None and not can_reach_unit(by, unit):
        raise Invalid(_("%(unit)s is outside your reach.") % {"unit": unit.name}, field="unit")
    extra: dict[str, Any] = {}
    if complained_unit is not None:
        complain_about(case, complained_unit)
        extra["complained_unit"] = complained_unit.code
    lead = unit if unit is not None else route(case)
    return send_to_unit(
        case, by=by, action="dispatch", lead=lead, co_units=co_units, note=note, by_list=unit is None, **extra
    )


def send_to_unit(
    case: Case, *, by: User | None, action: str, lead: Unit, co_units: Iterable[Unit] = (), note: str = "", **extra: Any
) -> Case:
    """Put the case in `lead`'s hands with a fresh deadline (dispatch, escalation, raising the level)."""
    if lead.kind == UnitKind.DISTRICT and action == "dispatch":
        raise Invalid(_("Dispatch to a street, community, grid or department."), field="unit")
    if not lead.is_active:
        raise Invalid(_("%(unit)s is not active.") % {"unit": lead.name}, field="unit")
    co_list = [u for u in co_units if u.pk != lead.pk]
    refuse_complained(case, lead)
    for co in co_list:
        refuse_complained(case, co, field="co_units")
    now = timezone.now()
    previous = case.unit
    case.unit, case.unit_path, case.level = lead, lead.path, level_of(lead)
    case.handler = None
    if previous is None or previous.pk != lead.pk:
        # A unit may return a case within its first working days; the dispatch centre's ruling on a
        # return binds the unit that returned it, not the next one.
        case.return_final = False
    deadlines.start_clock(case, now)
    fields = (
        "unit",
        "unit_path",
        "level",
        "handler",
        "return_final",
        "escalation_count",
        "complained_unit",
        "complained_path",
        *deadlines.CLOCK_FIELDS,
    )
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
        set_co_handlers(case, lead, co_list)
        if case.complained_path and not is_unwritten(case):
            # Named only now (a returned case): a co-handler inside the unit complained about leaves the case.
            CoHandler.objects.filter(case=case, unit_path__startswith=case.complained_path).delete()
    return case


def case_merge(*, case: Case, by: User | None, into: Case, note: str = "", expected_version: int | None = None) -> Case:
    """Merge a duplicate into an open case: one more reporter there, and this one follows its answer."""
    check(case, "merge", by, expected_version=expected_version)
    if into.pk == case.pk or into.merged_into_id is not None:
        raise Invalid(_("Merge into another case that is itself not merged."), field="into")
    try:
        check(into, "absorb", by)
    except Conflict:
        if into.status != Status.NEW:
            raise
        # Not the page's fault but the number typed: said next to it, with what to do.
        raise Invalid(
            _("Case %(number)s is new: accept it first, then merge this one into it.") % {"number": into.number},
            field="into",
        ) from None
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
