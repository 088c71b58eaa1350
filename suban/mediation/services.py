"""Writes to the mediation centre. Each checks the table (suban.mediation.lifecycle) and who acts, changes the
dispute with a compare-and-swap, and writes its event, its audit entry and its messages in one transaction.
A case sent to mediation and the dispute registered from it are one transaction too; so are a dispute's end
and the step that gives its outcome back to the case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban import crypto
from suban.accounts.models import AccountKind, User
from suban.accounts.roles import Role
from suban.audit.services import audit_record
from suban.cases.models import Case
from suban.cases.notices import is_muted
from suban.cases.services import case_mediated
from suban.cases.services import case_to_mediation as case_step_to_mediation
from suban.errors import Conflict, Forbidden, Invalid
from suban.mediation.lifecycle import (
    BUTTONS,
    BY_STEP,
    MAX_EXTENDED_DAYS,
    MAX_EXTENSION_DAYS,
    SAME,
    Step,
    Viewer,
    is_centre,
    mediator_of,
    relations,
)
from suban.mediation.models import (
    TEXT_LENGTH,
    AgreementKind,
    Alert,
    Assignment,
    Category,
    Desk,
    Dispute,
    DisputeCounter,
    DisputeEvent,
    DisputeStatus,
    Mediator,
    Party,
    PartyKind,
    Referral,
    Risk,
    RiskReport,
    Room,
    RoomLevel,
    Session,
    Side,
    Source,
)
from suban.notify.models import TemplateCode
from suban.notify.services import Recipient, is_mobile
from suban.notify.services import outbox_add as _outbox_add
from suban.org.models import GRID_KINDS, Unit, UnitKind

LIMIT_DAYS = 30  # People's Mediation Law practice: a dispute is mediated within 30 days of acceptance
WARN_DAYS = 3  # warned this many days before
VISIT_AFTER_DAYS = 30  # the fulfilment visit, this long after signing
MAX_PARTIES = 20
MAX_AMOUNT = Decimal("1000000000000")
NOTE_LENGTH = 5000
_ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")  # 统一社会信用代码 of an organisation


@dataclass(frozen=True)
class PartyIn:
    side: str
    name: str
    kind: str = PartyKind.PERSON
    phone: str = ""
    id_number: str = ""
    address: str = ""


@dataclass(frozen=True)
class DisputeIn:
    """What registering a dispute takes. `unit`: the place (a street or community); `room`: where it was
    brought (a walk-in or a call), else the centre assigns one."""

    category: str
    summary: str
    source: str
    unit: Unit | None
    parties: Sequence[PartyIn] = field(default_factory=tuple)
    facts: str = ""
    amount: Any = None
    risk: str = Risk.GENERAL
    escalating: bool = False
    room: Room | None = None


# ---------------------------------------------------------------------------------------------- the basics


def _text(value: str, name: str, label: str, maximum: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Invalid(_("Fill in “%(field)s”.") % {"field": label}, field=name)
    if len(text) > maximum:
        raise Invalid(
            _("“%(field)s” is at most %(max)d characters, it has %(n)d.")
            % {"field": label, "max": maximum, "n": len(text)},
            field=name,
        )
    return text


def _choice(value: str, choices: Any, name: str, label: str) -> str:
    if value not in choices.values:
        raise Invalid(_("Choose a valid “%(field)s”.") % {"field": label}, field=name)
    return value


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(_("Give the amount as a number of yuan."), field="amount") from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise Invalid(_("Give the amount as a number of yuan."), field="amount")
    return amount.quantize(Decimal("0.01"))


def _parties(parties: Sequence[PartyIn], *, respondent_needed: bool) -> list[Party]:
    if not parties or not any(p.side == Side.APPLICANT for p in parties):
        raise Invalid(_("Name at least one applicant."), field="parties")
    if respondent_needed and not any(p.side == Side.RESPONDENT for p in parties):
        raise Invalid(_("Name at least one respondent."), field="parties")
    if len(parties) > MAX_PARTIES:
        raise Invalid(_("A dispute has at most %(n)d parties.") % {"n": MAX_PARTIES}, field="parties")
    return [_party(p) for p in parties]


def _party(given: PartyIn) -> Party:
    party = Party(
        side=_choice(given.side, Side, "parties", _("Side")),
        kind=_choice(given.kind or PartyKind.PERSON, PartyKind, "parties", _("Kind")),
        name=_text(given.name, "parties", _("Party's name"), 100, required=True),
        address=_text(given.address, "parties", _("Address"), 200),
    )
    phone = (given.phone or "").strip()
    if phone:
        try:
            phone = crypto.normalize_phone(phone)
        except Invalid:
            raise Invalid(
                _("%(phone)s is not a valid phone number.") % {"phone": phone[:30]}, field="parties"
            ) from None
        party.phone_encrypted, party.phone_hash = crypto.encrypt(phone), crypto.lookup_hash(phone)
    number = (given.id_number or "").strip().upper()
    if number:
        pattern = _ID_NUMBER if party.kind == PartyKind.PERSON else _CREDIT_CODE
        if not pattern.match(number):
            message = (
                _("The identity number must have 15 or 18 characters.")
                if party.kind == PartyKind.PERSON
                else _("The unified social credit code must have 18 characters.")
            )
            raise Invalid(message, field="parties")
        party.id_number_encrypted = crypto.encrypt(number)
    return party


def next_number(now: datetime) -> str:
    """TJ, the day, and the day's sequence: TJ2026120800012."""
    day = timezone.localdate(now)
    with transaction.atomic():
        counter, _created = DisputeCounter.objects.select_for_update().get_or_create(day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"TJ{day:%Y%m%d}{counter.last:05d}"


def _check(dispute: Dispute, step: str, by: Viewer, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != dispute.version:
        raise Conflict(_("The dispute has changed since you opened it; reload it and try again."))
    rule = BY_STEP[step]
    label = BUTTONS.get(step, Step(step).label)
    if not rule.who & relations(dispute, by):
        raise Forbidden(_("You may not take the step “%(step)s” on this dispute.") % {"step": label})
    if dispute.status not in rule.sources:
        raise Conflict(
            _("A dispute that is %(status)s cannot take the step “%(step)s”.")
            % {"status": DisputeStatus(dispute.status).label, "step": label}
        )


def _commit(
    dispute: Dispute,
    *,
    by: User | None,
    step: str,
    fields: tuple[str, ...] = (),
    to: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> DisputeEvent:
    """The dispute's changed `fields` and new status, if nobody changed it meanwhile, and its event and audit
    entry. Called inside the step's transaction."""
    rule = BY_STEP[step]
    now = now or timezone.now()
    before = dispute.status
    target = before if rule.target == SAME else (to or rule.target)
    values = {name: getattr(dispute, name) for name in fields}
    updated = Dispute.objects.filter(pk=dispute.pk, version=dispute.version, status=before).update(
        status=target, version=F("version") + 1, updated_at=now, **values
    )
    if updated != 1:
        raise Conflict(_("Someone else acted on this dispute at the same moment; reload it and try again."))
    dispute.version += 1
    dispute.status = target
    event = DisputeEvent.objects.create(
        dispute=dispute,
        seq=dispute.version,
        action=step,
        actor=by,
        from_status=before,
        to_status=target,
        note=note,
        data=data or {},
        at=now,
    )
    audit_record(action=audit_action(step), actor=by, target=dispute, detail={"number": dispute.number, **(data or {})})
    return event


def audit_action(step: str) -> str:
    """The audit log's action for a step (its words: suban.audit.labels)."""
    return f"mediation.{step}"


# ------------------------------------------------------------------------------------------------- messages


def _tell_parties(dispute: Dispute, template: str, **context: Any) -> None:
    seen: set[str] = set()
    for party in dispute.parties.all():
        phone = party.phone
        if is_mobile(phone) and phone not in seen:
            seen.add(phone)
            values = {"number": dispute.number, "title": dispute.summary, **context}
            outbox_add(template=template, to=Recipient(phone=phone), context=values)


def _tell_staff(people: Sequence[User], template: str, dispute: Dispute, **context: Any) -> None:
    for user in {u.pk: u for u in people}.values():
        values = {"number": dispute.number, "title": dispute.summary, "due": dispute.due_at, **context}
        outbox_add(template=template, to=Recipient(phone=user.phone, email=user.email, user=user), context=values)


def street_of(unit: Unit) -> Unit | None:
    """The street (town) a place belongs to, or None for a place above streets or beside them."""
    node: Unit | None = unit
    while node is not None and node.kind != UnitKind.STREET:
        node = node.parent
    return node


def street_staff(unit: Unit) -> list[User]:
    """Who at the street hears of an escalating risk at once: its leaders and handlers."""
    street = street_of(unit)
    if street is None:
        return []
    roles = (Role.LEADER, Role.STREET_HANDLER, Role.SUPERVISOR)
    staff = User.objects.filter(unit=street, kind=AccountKind.STAFF, is_active=True, admin_role="")
    return list(staff.filter(staff_roles__role__in=roles).distinct())


def outbox_add(**message: Any) -> None:
    """A message of the mediation centre, unless the steps are muted (suban.cases.notices.muted: the demo's
    history tells nobody)."""
    if not is_muted():
        _outbox_add(**message)


def _zh(label: Any) -> str:
    with translation.override("zh-hans"):
        return str(label)


def _result_words(dispute: Dispute) -> str:
    with translation.override("zh-hans"):
        if dispute.status == DisputeStatus.AGREED:
            return str(AgreementKind(dispute.agreement).label) if dispute.agreement else str(_("Agreement reached"))
        if dispute.status == DisputeStatus.FAILED:
            return _("no agreement; referred to %(channel)s") % {"channel": Referral(dispute.referral).label}
        if dispute.status == DisputeStatus.DECLINED:
            return _("not taken for mediation: %(reason)s") % {"reason": dispute.decline_reason}
    return ""


def _back_to_case(dispute: Dispute, note: str) -> None:
    """The dispute ended: its outcome goes back to the case it came from, which resumes."""
    if dispute.case_id is None:
        return
    case = Case.objects.get(pk=dispute.case_id)
    if case.status != "on_hold":
        return  # (a case closed or declined meanwhile keeps its state; the dispute keeps its link)
    case_mediated(
        case=case,
        note=note,
        data={"dispute": dispute.number, "outcome": dispute.status, "referral": dispute.referral},
    )


# ------------------------------------------------------------------------------------------------ registering


def may_register(user: Viewer) -> bool:
    """Staff who take disputes in: the mediators of a centre or a room (not a department's desk at the centre)."""
    mediator = mediator_of(user)
    return mediator is not None and mediator.desk_id is None


def dispute_register(
    *, by: User | None, data: DisputeIn, case: Case | None = None, risk_report: RiskReport | None = None
) -> Dispute:
    """一口受理: a new dispute, registered. By a centre's or a room's mediator (a walk-in, a call, a court's
    referral, a risk found in a sweep), by a citizen on the H5 (who is its applicant), or by the system (a
    case's escalation, through case_to_mediation)."""
    citizen = by is not None and by.is_citizen
    mediator = mediator_of(by)
    if by is not None and not citizen and not may_register(by):
        raise Forbidden(_("Only the mediation centre and the mediation rooms take disputes in."))
    source = _choice(data.source, Source, "source", _("Source"))
    if citizen and source != Source.H5:
        raise Invalid(_("Choose a valid “%(field)s”.") % {"field": _("Source")}, field="source")
    if not citizen and source == Source.H5:
        raise Invalid(_("Choose a valid “%(field)s”.") % {"field": _("Source")}, field="source")
    category = _choice(data.category, Category, "category", _("Category"))
    risk = _choice(data.risk or Risk.GENERAL, Risk, "risk", _("Risk level"))
    summary = " ".join(_text(data.summary, "summary", _("Summary"), 200, required=True).split())
    facts = _text(data.facts, "facts", _("Facts"), TEXT_LENGTH)
    amount = _amount(data.amount)
    unit = data.unit
    if unit is None or not unit.is_active or unit.kind in GRID_KINDS or unit.kind == UnitKind.DEPARTMENT:
        if unit is not None and unit.kind in GRID_KINDS and unit.parent is not None:
            unit = unit.parent  # a grid's dispute is its community's
        else:
            raise Invalid(_("Choose the street or community where the dispute is."), field="unit")
    room = data.room
    if mediator is not None:
        if is_centre(mediator, unit.path):
            if room is not None and (not room.active or not unit.path.startswith(room.unit.path)):
                raise Invalid(_("That room does not serve the dispute's place."), field="room")
        else:
            room = mediator.room  # a room takes in what is brought to it, within its reach
            if not unit.path.startswith(room.unit.path):
                raise Forbidden(_("Your room takes in disputes of its own area only."))
    elif citizen:
        room = None
        # A citizen says what happened; how grave it is, the centre judges (its alerts go to the street).
        risk, data = Risk.GENERAL, DisputeIn(**{**data.__dict__, "escalating": False})
    if risk_report is not None and (
        mediator is None
        or not (risk_report.unit_path.startswith(mediator.room.unit.path) or is_centre(mediator, risk_report.unit_path))
    ):
        raise Forbidden(_("That risk report is not one your room may take in."))
    parties = _parties(data.parties, respondent_needed=source not in (Source.CASE,))
    if (
        citizen
        and by is not None
        and by.phone_hash
        and any(p.side == Side.RESPONDENT and p.phone_hash == by.phone_hash for p in parties)
    ):
        raise Invalid(_("The other side's phone is your own."), field="parties")
    now = timezone.now()
    number = next_number(now)
    with transaction.atomic():
        dispute = Dispute.objects.create(
            number=number,
            category=category,
            summary=summary,
            facts=facts,
            amount=amount,
            risk=risk,
            escalating=bool(data.escalating),
            source=source,
            case=case,
            unit=unit,
            unit_path=unit.path,
            room=room,
            applicant=by if citizen else None,
            registered_by=by,
            registered_at=now,
        )
        for party in parties:
            party.dispute = dispute
        Party.objects.bulk_create(parties)
        DisputeEvent.objects.create(
            dispute=dispute,
            seq=0,
            action=Step.REGISTER,
            actor=by,
            to_status=DisputeStatus.REGISTERED,
            data={"source": source, **({"case": case.number} if case is not None else {})},
            at=now,
        )
        audit_record(action="mediation.register", actor=by, target=dispute, detail={"number": number, "source": source})
        taken = risk_report is not None and RiskReport.objects.filter(pk=risk_report.pk, dispute__isnull=True)
        if taken is not False and taken.update(dispute=dispute) != 1:
            raise Conflict(_("That risk has become a dispute already."))
        # 可能激化, or a major or serious risk: the street hears at once (once: a risk report told it already).
        flagged = risk_report is not None and risk_report.level in (Risk.MAJOR, Risk.SERIOUS)
        if (dispute.escalating or risk in (Risk.MAJOR, Risk.SERIOUS)) and not flagged:
            _tell_staff(
                street_staff(unit), TemplateCode.STAFF_RISK_ALERT, dispute, unit=unit.name, reason=_zh(Risk(risk).label)
            )
    return dispute


def dispute_of_case(
    case: Case, *, category: str, note: str = "", risk: str = Risk.GENERAL, name: str = ""
) -> DisputeIn:
    """What a dispute registered from a case holds: its place (the case's grid, else its lead unit), its title as
    the summary, its text and `note` as the facts, its caller (`name` when the case has no contact name) as the
    applicant, with the phone of the case."""
    unit = case.grid or case.unit
    if unit is None:
        raise Invalid(_("The case has no place: it cannot go to mediation."), field="note")
    with translation.override("zh-hans"):  # stored: in the district's words, whoever's language the request had
        caller = _("The caller of case %(number)s") % {"number": case.number}
    applicant = PartyIn(
        side=Side.APPLICANT,
        name=(case.contact_name or "").strip()[:100] or name or caller,
        phone=case.contact_phone or (case.citizen.phone if case.citizen_id and case.citizen else ""),
    )
    return DisputeIn(
        category=category,
        summary=case.title[:200],
        source=Source.CASE,
        unit=unit,
        parties=(applicant,),
        facts=case.text.strip()[:TEXT_LENGTH],
        risk=risk or Risk.GENERAL,
    )


def case_to_mediation(
    *,
    case: Case,
    by: User | None,
    category: str,
    note: str,
    risk: str = Risk.GENERAL,
    expected_version: int | None = None,
) -> Case:
    """The case's step to the mediation centre (the ladder's top rung) and the dispute registered from it, in
    one transaction: the case's contact is the applicant, its text and the note are the facts."""
    data = dispute_of_case(case, category=category, risk=risk)
    with transaction.atomic():
        case_step_to_mediation(case=case, by=by, note=note, expected_version=expected_version)
        dispute = dispute_register(
            by=None,
            data=data,
            case=case,
        )
        # Why the unit asks for mediation stays inside: the register step's note, not the facts the parties read.
        DisputeEvent.objects.filter(dispute=dispute, seq=0).update(actor=by, note=note.strip())
        # The case's step names its dispute (the case page links it).
        case.events.filter(seq=case.version).update(data={"dispute": dispute.number, "category": category})
    return case


def party_add(*, dispute: Dispute, by: User, party: PartyIn, expected_version: int | None = None) -> Party:
    """A party named later (a respondent the case's caller named, a second applicant): a step of its own."""
    _check(dispute, Step.PARTY, by, expected_version)
    if dispute.parties.count() >= MAX_PARTIES:
        raise Invalid(_("A dispute has at most %(n)d parties.") % {"n": MAX_PARTIES}, field="parties")
    row = _party(party)
    row.dispute = dispute
    with transaction.atomic():
        _commit(dispute, by=by, step=Step.PARTY, data={"side": row.side, "name": row.name})
        row.save()
    return row


# ------------------------------------------------------------------------------------------------- the steps


def dispute_accept(*, dispute: Dispute, by: User, note: str = "", expected_version: int | None = None) -> Dispute:
    """受理: the 30 days start."""
    _check(dispute, Step.ACCEPT, by, expected_version)
    note = _text(note, "note", _("Note"), NOTE_LENGTH)
    now = timezone.now()
    dispute.accepted_at = now
    dispute.due_at = now + timedelta(days=LIMIT_DAYS)
    dispute.next_check_at = dispute.due_at - timedelta(days=WARN_DAYS)
    dispute.alert = Alert.NONE
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.ACCEPT,
            fields=("accepted_at", "due_at", "next_check_at", "alert"),
            note=note,
            now=now,
        )
        _tell_parties(dispute, TemplateCode.DISPUTE_ACCEPTED, due=dispute.due_at)
    return dispute


def _end_mediation(
    dispute: Dispute,
    *,
    by: User,
    step: Step,
    fields: tuple[str, ...],
    data: dict[str, Any],
    note: str = "",
    case_note: str,
) -> None:
    """The steps that end the mediation (declined, agreed, failed): its clock stops, the parties hear the
    outcome, and the case it came from gets it back, in one transaction."""
    dispute.ended_at = now = timezone.now()
    dispute.ended_as = BY_STEP[step].target
    dispute.next_check_at, dispute.alert = None, Alert.NONE
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=step,
            fields=(*fields, "ended_at", "ended_as", "next_check_at", "alert"),
            note=note,
            data=data,
            now=now,
        )
        _tell_parties(dispute, TemplateCode.DISPUTE_RESULT, reason=_result_words(dispute))
        _back_to_case(dispute, case_note)


def dispute_decline(
    *, dispute: Dispute, by: User, reason: str, channel: str = "", expected_version: int | None = None
) -> Dispute:
    """Not for mediation: said why, and where it belongs (litigation, arbitration, …)."""
    _check(dispute, Step.DECLINE, by, expected_version)
    dispute.decline_reason = _text(reason, "reason", _("Why it is declined"), 500, required=True)
    dispute.referral = _choice(channel, Referral, "channel", _("Channel")) if channel else ""
    _end_mediation(
        dispute,
        by=by,
        step=Step.DECLINE,
        fields=("decline_reason", "referral"),
        note=dispute.decline_reason,
        data={"channel": dispute.referral},
        case_note=dispute.decline_reason,
    )
    return dispute


def dispute_assign(
    *,
    dispute: Dispute,
    by: User,
    room: Room,
    lead: Mediator,
    joint: Sequence[Mediator] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Dispute:
    """指派: the room at the right level and its mediators (the lead, and joint ones: desks of the centre)."""
    _check(dispute, Step.ASSIGN, by, expected_version)
    me = mediator_of(by)
    if not room.active or not (dispute.unit_path.startswith(room.unit.path)):
        raise Invalid(_("That room does not serve the dispute's place."), field="room")
    if not is_centre(me, dispute.unit_path) and room.pk != dispute.room_id:
        raise Forbidden(_("Only the centre sends a dispute to another room."))
    centre_rooms = set(Room.objects.filter(level=RoomLevel.CENTRE, active=True).values_list("pk", flat=True))

    def usable(m: Mediator, field_name: str) -> Mediator:
        if not m.active or not m.user.is_active or (m.room_id != room.pk and m.room_id not in centre_rooms):
            raise Invalid(
                _("%(name)s does not mediate in that room or at the centre.") % {"name": str(m)}, field=field_name
            )
        return m

    lead = usable(lead, "lead")
    joint_list = [usable(m, "joint") for m in dict.fromkeys(joint) if m.pk != lead.pk]
    if len(joint_list) > 10:
        raise Invalid(_("At most 10 joint mediators."), field="joint")
    note = _text(note, "note", _("Note"), NOTE_LENGTH)
    dispute.room = room
    before = {a.mediator_id for a in dispute.assignments.all()}
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.ASSIGN,
            fields=("room",),
            note=note,
            data={"room": room.name, "lead": str(lead), "joint": [str(m) for m in joint_list]},
        )
        Assignment.objects.filter(dispute=dispute).delete()
        Assignment.objects.bulk_create(
            [Assignment(dispute=dispute, mediator=lead, lead=True)]
            + [Assignment(dispute=dispute, mediator=m, lead=False) for m in joint_list]
        )
        new = [m.user for m in [lead, *joint_list] if m.pk not in before and m.user_id != by.pk]
        _tell_staff(new, TemplateCode.STAFF_NEW_DISPUTE, dispute, unit=room.name)
    return dispute


def dispute_session(
    *,
    dispute: Dispute,
    by: User,
    held_at: datetime,
    place: str,
    attended: str,
    said: str,
    next_step: str = "",
    desks: Sequence[Desk] = (),
    expected_version: int | None = None,
) -> Session:
    """调解会: one sitting, held or set (a date ahead is an appointment: the parties are told of it)."""
    _check(dispute, Step.SESSION, by, expected_version)
    now = timezone.now()
    if held_at is None:
        raise Invalid(_("Give the session's date and time."), field="held_at")
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at < dispute.registered_at - timedelta(days=1) or held_at > now + timedelta(days=90):
        raise Invalid(_("The session's date must fall between the registration and 90 days ahead."), field="held_at")
    session = Session(
        dispute=dispute,
        held_at=held_at,
        place=_text(place, "place", _("Place"), 200, required=True),
        attended=_text(attended, "attended", _("Who attended"), 2000, required=True),
        said=_text(said, "said", _("What was said"), TEXT_LENGTH, required=True),
        next_step=_text(next_step, "next_step", _("Next step"), 2000),
        recorded_by=by,
    )
    given = {d.pk for d in desks}
    seated = Desk.objects.filter(pk__in=given, active=True, room__level=RoomLevel.CENTRE).values_list("pk", flat=True)
    if given - set(seated):
        raise Invalid(_("Choose departments seated at the centre."), field="desks")
    with transaction.atomic():
        _commit(
            dispute, by=by, step=Step.SESSION, data={"held_at": held_at.isoformat(), "place": session.place}, now=now
        )
        session.save()
        session.desks.set(list(dict.fromkeys(desks)))
        if held_at > now:
            _tell_parties(dispute, TemplateCode.DISPUTE_SESSION, due=held_at, unit=session.place)
    return session


def dispute_extend(*, dispute: Dispute, by: User, days: Any, note: str, expected_version: int | None = None) -> Dispute:
    """延期: by the parties' agreement, recorded in the note."""
    _check(dispute, Step.EXTEND, by, expected_version)
    try:
        n = int(str(days).strip())
    except (TypeError, ValueError):
        raise Invalid(_("Give the extension as a whole number of days."), field="days") from None
    if not 1 <= n <= MAX_EXTENSION_DAYS:
        raise Invalid(_("An extension is 1 to %(max)d days.") % {"max": MAX_EXTENSION_DAYS}, field="days")
    if dispute.extended_days + n > MAX_EXTENDED_DAYS:
        raise Invalid(
            _("A dispute is extended by at most %(max)d days in all.") % {"max": MAX_EXTENDED_DAYS}, field="days"
        )
    note = _text(note, "note", _("The parties' agreement"), NOTE_LENGTH, required=True)
    now = timezone.now()
    assert dispute.due_at is not None
    dispute.due_at += timedelta(days=n)
    dispute.extended_days += n
    dispute.next_check_at = max(now, dispute.due_at - timedelta(days=WARN_DAYS))
    dispute.alert = Alert.NONE if dispute.due_at - timedelta(days=WARN_DAYS) > now else dispute.alert
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.EXTEND,
            fields=("due_at", "extended_days", "next_check_at", "alert"),
            note=note,
            data={"days": n, "due_at": dispute.due_at.isoformat()},
            now=now,
        )
    return dispute


def dispute_agree(
    *,
    dispute: Dispute,
    by: User,
    kind: str,
    terms: str,
    signed_on: date | None = None,
    expected_version: int | None = None,
) -> Dispute:
    """调解成功: a written agreement (its PDF is made from the terms and the parties) or an oral one, recorded."""
    _check(dispute, Step.AGREE, by, expected_version)
    kind = _choice(kind, AgreementKind, "kind", _("Agreement"))
    terms = _text(terms, "terms", _("Terms agreed"), TEXT_LENGTH, required=True)
    today = timezone.localdate()
    signed_on = signed_on or (today if kind == AgreementKind.ORAL else None)
    if signed_on is None:
        raise Invalid(_("Give the date the agreement was signed."), field="signed_on")
    if signed_on > today or signed_on < timezone.localdate(dispute.registered_at):
        raise Invalid(_("The agreement is signed between the registration and today."), field="signed_on")
    dispute.agreement, dispute.terms, dispute.signed_on = kind, terms, signed_on
    dispute.visit_on = signed_on + timedelta(days=VISIT_AFTER_DAYS)
    _end_mediation(
        dispute,
        by=by,
        step=Step.AGREE,
        fields=("agreement", "terms", "signed_on", "visit_on"),
        data={"kind": kind, "signed_on": signed_on.isoformat()},
        case_note=_("Agreement reached: %(terms)s") % {"terms": terms[:500]},
    )
    return dispute


def dispute_confirm(*, dispute: Dispute, by: User, note: str = "", expected_version: int | None = None) -> Dispute:
    """司法确认: the parties ask the court to confirm the written agreement (asked once)."""
    _check(dispute, Step.CONFIRM, by, expected_version)
    if dispute.agreement != AgreementKind.WRITTEN:
        raise Conflict(_("Only a written agreement is confirmed by a court."))
    if dispute.judicial_confirmation_on is not None:
        raise Conflict(_("Judicial confirmation was asked already."))
    dispute.judicial_confirmation_on = timezone.localdate()
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.CONFIRM,
            fields=("judicial_confirmation_on",),
            note=_text(note, "note", _("Note"), NOTE_LENGTH),
        )
    return dispute


def dispute_fail(
    *, dispute: Dispute, by: User, referral: str, reason: str, expected_version: int | None = None
) -> Dispute:
    """调解不成: the reason, and the channel the parties are guided to."""
    _check(dispute, Step.FAIL, by, expected_version)
    dispute.referral = _choice(referral, Referral, "referral", _("Referred to"))
    dispute.failure_reason = _text(reason, "reason", _("Why it failed"), NOTE_LENGTH, required=True)
    _end_mediation(
        dispute,
        by=by,
        step=Step.FAIL,
        fields=("referral", "failure_reason"),
        note=dispute.failure_reason,
        data={"referral": dispute.referral},
        case_note=dispute.failure_reason,
    )
    return dispute


def dispute_visit(
    *, dispute: Dispute, by: User, fulfilled: bool, note: str, expected_version: int | None = None
) -> Dispute:
    """回访履行: whether the agreement was kept."""
    _check(dispute, Step.VISIT, by, expected_version)
    dispute.visit_note = _text(note, "note", _("What the visit found"), NOTE_LENGTH, required=True)
    target = DisputeStatus.FULFILLED if fulfilled else DisputeStatus.UNFULFILLED
    dispute.ended_as = target
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.VISIT,
            fields=("visit_note", "ended_as"),
            to=target,
            note=dispute.visit_note,
            data={"fulfilled": bool(fulfilled)},
        )
    return dispute


def dispute_close(*, dispute: Dispute, by: User, note: str = "", expected_version: int | None = None) -> Dispute:
    """结案."""
    _check(dispute, Step.CLOSE, by, expected_version)
    if dispute.status == DisputeStatus.UNFULFILLED and not (note or "").strip():
        raise Invalid(_("Say why the dispute closes although its agreement was not kept."), field="note")
    dispute.closed_at = now = timezone.now()
    with transaction.atomic():
        _commit(
            dispute,
            by=by,
            step=Step.CLOSE,
            fields=("closed_at",),
            note=_text(note, "note", _("Note"), NOTE_LENGTH),
            now=now,
        )
    return dispute


def dispute_supervise(*, dispute: Dispute, by: User, note: str, expected_version: int | None = None) -> Dispute:
    """督办: the centre urges the dispute's mediators (or its room's head, before assignment), with what it wants
    done; they hear of it at once."""
    _check(dispute, Step.SUPERVISE, by, expected_version)
    note = _text(note, "note", _("What must be done"), NOTE_LENGTH, required=True)
    with transaction.atomic():
        _commit(dispute, by=by, step=Step.SUPERVISE, note=note)
        _tell_staff(
            _holders(dispute),
            TemplateCode.STAFF_DISPUTE_DUE,
            dispute,
            reason=_zh(gettext_lazy("supervised: %(note)s")) % {"note": note[:60]},
        )
    return dispute


def _holders(dispute: Dispute) -> list[User]:
    """Who holds the dispute now: its assigned mediators, else its room's head."""
    people = [a.mediator.user for a in dispute.assignments.select_related("mediator__user")]
    if not people and dispute.room_id is not None:
        heads = Mediator.objects.filter(room_id=dispute.room_id, head=True, active=True).select_related("user")
        people = [m.user for m in heads]
    return people


STEP_SERVICES = {
    Step.ACCEPT: dispute_accept,
    Step.DECLINE: dispute_decline,
    Step.ASSIGN: dispute_assign,
    Step.SESSION: dispute_session,
    Step.EXTEND: dispute_extend,
    Step.AGREE: dispute_agree,
    Step.CONFIRM: dispute_confirm,
    Step.FAIL: dispute_fail,
    Step.VISIT: dispute_visit,
    Step.CLOSE: dispute_close,
    Step.SUPERVISE: dispute_supervise,
}


# --------------------------------------------------------------------------------------------- the clock


def dispute_clock(now: datetime | None = None, *, batch: int = 500) -> dict[str, int]:
    """Warn the mediators of a dispute due within WARN_DAYS, and mark it overdue when its time is up."""
    now = now or timezone.now()
    warned = overdue = 0
    due = Dispute.objects.filter(next_check_at__lte=now).order_by("next_check_at")[:batch]
    for dispute in due:
        if dispute.due_at is None or dispute.status not in BY_STEP[Step.WARN].sources:
            Dispute.objects.filter(pk=dispute.pk, version=dispute.version).update(next_check_at=None)
            continue
        try:
            with transaction.atomic():
                if now >= dispute.due_at:
                    dispute.alert, dispute.next_check_at = Alert.RED, None
                    _commit(dispute, by=None, step=Step.OVERDUE, fields=("alert", "next_check_at"), now=now)
                    overdue += 1
                    words = _zh(gettext_lazy("overdue"))
                else:
                    dispute.alert, dispute.next_check_at = Alert.YELLOW, dispute.due_at
                    _commit(dispute, by=None, step=Step.WARN, fields=("alert", "next_check_at"), now=now)
                    warned += 1
                    words = _zh(gettext_lazy("due soon"))
                _tell_staff(_holders(dispute), TemplateCode.STAFF_DISPUTE_DUE, dispute, reason=words)
        except Conflict:
            continue  # acted on meanwhile: looked at again on the next run
    return {"warned": warned, "overdue": overdue}


# ----------------------------------------------------------------------------------------- risk sweeps


def may_report_risk(user: Viewer, grid: Unit) -> bool:
    return bool(
        isinstance(user, User)
        and not user.is_citizen
        and user.roles & {Role.GRID_WORKER, Role.SPECIALIST, Role.COMMUNITY_HANDLER, Role.STREET_HANDLER}
        and user.unit is not None
        and grid.path.startswith(user.unit.path)
    )


def risk_report(*, by: User, grid: Unit, category: str, level: str, parties: str, place: str, what: str) -> RiskReport:
    """矛盾纠纷排查: a risk a sweep found. A major or serious one is flagged to the street at once."""
    if grid.kind not in GRID_KINDS or not grid.is_active:
        raise Invalid(_("Choose the grid where the risk was found."), field="grid")
    if not may_report_risk(by, grid):
        raise Forbidden(_("You report risks of your own grids only."))
    report = RiskReport(
        grid=grid,
        unit_path=grid.path,
        reporter=by,
        category=_choice(category, Category, "category", _("Category")),
        level=_choice(level, Risk, "level", _("Risk level")),
        parties=_text(parties, "parties", _("Who is involved"), 300, required=True),
        place=_text(place, "place", _("Place"), 200, required=True),
        what=_text(what, "what", _("What was found"), 5000, required=True),
    )
    with transaction.atomic():
        report.save()
        audit_record(action="mediation.risk", actor=by, target=report, detail={"level": report.level})
        if report.level in (Risk.MAJOR, Risk.SERIOUS):
            for user in street_staff(grid):
                values = {
                    "title": report.what,
                    "unit": grid.name,
                    "reason": _zh(Risk(report.level).label),
                    "number": "",
                }
                outbox_add(
                    template=TemplateCode.STAFF_RISK_ALERT,
                    to=Recipient(phone=user.phone, email=user.email, user=user),
                    context=values,
                )
    return report
