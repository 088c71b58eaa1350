"""The mediation centre (矛盾纠纷调解) over HTTP: disputes (list, register, read, every step of the lifecycle table,
parties, the agreement PDF), the figures, risk reports and rooms.

A dispute one may not read is a 404, exactly as one that does not exist (suban.mediation.selectors.dispute_for):
the centre, its room, its mediators and its parties read it. A party (a citizen) reads the party's view: no
staff, no notes, the sessions' dates and places. Citizens list their own disputes and apply (source "h5");
the rest is for staff.
"""

import inspect
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from suban import crypto
from suban.accounts.models import User
from suban.api.auth import caller
from suban.api.pagination import LimitOffset
from suban.api.schemas.common import Input, errors
from suban.api.schemas.mediation import (
    DisputeAcceptIn,
    DisputeAgreeIn,
    DisputeAssignIn,
    DisputeCloseIn,
    DisputeConfirmIn,
    DisputeCreateIn,
    DisputeDeclineIn,
    DisputeExtendIn,
    DisputeFailIn,
    DisputeFilters,
    DisputeNoteIn,
    DisputeOut,
    DisputePartyAddIn,
    DisputePartyIn,
    DisputeRow,
    DisputeSessionIn,
    DisputeVisitIn,
    MediationFiguresFilters,
    MediationFiguresOut,
    MediationRiskFilters,
    MediationRiskIn,
    MediationRiskOut,
    MediationRoomFilters,
    MediationRoomOut,
)
from suban.api.throttles import reads, writes
from suban.cases.visibility import unit_dict
from suban.errors import Forbidden, Invalid, NotFound
from suban.mediation.agreement import agreement_pdf
from suban.mediation.figures import figures
from suban.mediation.lifecycle import BUTTONS, BY_STEP, SAME, Rule, Step, mediator_of
from suban.mediation.models import Desk, Dispute, DisputeEvent, Mediator, RiskReport, Room, Session, Side
from suban.mediation.selectors import (
    dispute_for,
    events_for,
    may_see_phones,
    mediators_for,
    parties_for,
    queue,
    reach_for_figures,
    risks_visible_to,
    rooms_for,
    rooms_of,
    sessions_for,
    steps_for,
)
from suban.mediation.services import STEP_SERVICES, DisputeIn, PartyIn, dispute_register, party_add, risk_report
from suban.org.models import Unit
from suban.org.selectors import unit_by_code

router = Router(tags=["mediation"])

FIGURES_MAX_DAYS = 5 * 366  # a longer span is a report, not a figure


# ------------------------------------------------------------------------------------------ what is shown


def _person(user: User | None) -> dict[str, str] | None:
    return {"username": user.username, "name": user.name} if user is not None else None


def _room(room: Room | None) -> dict[str, Any] | None:
    return {"id": room.pk, "name": room.name, "level": room.level} if room is not None else None


def _session(session: Session, staff: bool) -> dict[str, Any]:
    return {
        "held_at": session.held_at,
        "place": session.place,
        "attended": session.attended if staff else "",
        "said": session.said if staff else "",
        "next_step": session.next_step if staff else "",
        "desks": [{"id": d.pk, "name": d.name} for d in session.desks.all()] if staff else [],
        "recorded_by": _person(session.recorded_by) if staff else None,
    }


def _event(event: DisputeEvent, staff: bool) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "label": str(Step(event.action).label) if event.action in Step.values else event.action,
        "at": event.at,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": _person(event.actor) if staff else None,
        "note": event.note if staff else "",
        "data": event.data if staff else {},
    }


def dispute_out(dispute: Dispute, viewer: User) -> dict[str, Any]:
    """The dispute as `viewer` (one who may read it) sees it; `dispute` as dispute_for loads it."""
    staff = not viewer.is_citizen
    return {
        "view": "staff" if staff else "party",
        "number": dispute.number,
        "category": dispute.category,
        "category_label": str(dispute.get_category_display()),
        "summary": dispute.summary,
        "facts": dispute.facts,
        "amount": f"{dispute.amount:.2f}" if dispute.amount is not None else None,
        "risk": dispute.risk if staff else None,
        "escalating": dispute.escalating if staff else None,
        "source": dispute.source,
        "case": dispute.case.number if staff and dispute.case is not None else None,
        "unit": unit_dict(dispute.unit),
        "room": _room(dispute.room),
        "status": dispute.status,
        "status_label": str(dispute.get_status_display()),
        "version": dispute.version,
        "registered_at": dispute.registered_at,
        "accepted_at": dispute.accepted_at,
        "due_at": dispute.due_at,
        "extended_days": dispute.extended_days,
        "alert": dispute.alert,
        "decline_reason": dispute.decline_reason,
        "agreement": dispute.agreement,
        "terms": dispute.terms,
        "signed_on": dispute.signed_on,
        "judicial_confirmation_on": dispute.judicial_confirmation_on,
        "referral": dispute.referral,
        "failure_reason": dispute.failure_reason,
        "ended_at": dispute.ended_at,
        "ended_as": dispute.ended_as,
        "visit_on": dispute.visit_on,
        "visit_note": dispute.visit_note if staff else "",
        "closed_at": dispute.closed_at,
        "agreement_pdf": (
            reverse("api:mediation_agreement_pdf", kwargs={"number": dispute.number}) if dispute.agreement else None
        ),
        "parties": [asdict(p) for p in parties_for(dispute, viewer)],
        "assignments": [
            {
                "mediator": {
                    "id": a.mediator.pk,
                    "username": a.mediator.user.username,
                    "name": str(a.mediator),
                    "room": a.mediator.room.name,
                    "desk": a.mediator.desk.name if a.mediator.desk is not None else None,
                },
                "lead": a.lead,
                "added_at": a.added_at,
            }
            for a in dispute.assignments.all()
        ]
        if staff
        else [],
        "sessions": [_session(s, staff) for s in sessions_for(dispute)],
        "events": [_event(e, staff) for e in events_for(dispute, viewer)],
        "allowed_steps": [str(s) for s in steps_for(dispute, viewer)],
    }


def _reloaded(viewer: User, number: str) -> dict[str, Any]:
    return dispute_out(dispute_for(viewer, number), viewer)


# ------------------------------------------------------------------------------------------- lookups by id


def _room_by_id(pk: int, field: str = "room") -> Room:
    room = Room.objects.select_related("unit").filter(pk=pk).first()
    if room is None:
        raise Invalid(_("There is no mediation room %(id)s.") % {"id": pk}, field=field)
    return room


def _mediators(ids: list[int], field: str) -> list[Mediator]:
    found = {m.pk: m for m in Mediator.objects.select_related("user", "room").filter(pk__in=ids)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise Invalid(_("There is no mediator %(id)s.") % {"id": ", ".join(missing)}, field=field)
    return [found[pk] for pk in ids]


def _desks(ids: list[int]) -> list[Desk]:
    found = {d.pk: d for d in Desk.objects.filter(pk__in=ids, active=True)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise Invalid(_("There is no desk %(id)s at the centre.") % {"id": ", ".join(missing)}, field="desks")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _party(given: DisputePartyIn) -> PartyIn:
    return PartyIn(
        side=str(given.side),
        kind=str(given.kind),
        name=given.name,
        phone=given.phone,
        id_number=given.id_number,
        address=given.address,
    )


# ------------------------------------------------------------------------------------------------ disputes


@router.get(
    "/disputes",
    response={200: list[DisputeRow], **errors()},
    summary="List the disputes you may read (a citizen: their own)",
    operation_id="mediation_disputes",
)
@paginate(LimitOffset)
def list_disputes(request: HttpRequest, filters: Query[DisputeFilters]) -> QuerySet[Dispute]:
    qs = queue(caller(request), filters.queue).select_related("room", "unit")
    if filters.status:
        qs = qs.filter(status__in=[str(s) for s in filters.status])
    return qs.order_by("-registered_at", "-pk")


def _citizens_application(viewer: User, payload: DisputeCreateIn, parties: list[PartyIn]) -> list[PartyIn]:
    """A citizen applies for themselves: the place, the story and the other side are theirs to give; the room,
    the risk and a sweep's report are the centre's. The first applicant's phone is the account's."""
    for name, chosen in (("room", payload.room), ("risk_report", payload.risk_report)):
        if chosen is not None:
            raise Invalid(_("The mediation centre chooses this, not the applicant."), field=name)
    if payload.risk != "general" or payload.escalating:
        raise Invalid(
            _("The mediation centre assesses the risk, not the applicant."),
            field="risk" if payload.risk != "general" else "escalating",
        )
    for given in parties:
        if given.side == Side.APPLICANT and given.phone:
            try:
                own = crypto.lookup_hash(crypto.normalize_phone(given.phone)) == viewer.phone_hash
            except Invalid:
                own = False
            if not own:
                raise Invalid(
                    _("As the applicant, give your own phone number (your account's) or none."), field="parties"
                )
    first = next((i for i, p in enumerate(parties) if p.side == Side.APPLICANT), None)
    if first is not None and not parties[first].phone:
        parties[first] = PartyIn(**{**asdict(parties[first]), "phone": viewer.phone})
    return parties


@router.post(
    "/disputes",
    response={201: DisputeOut, **errors(403)},
    summary="Register a dispute (一口受理), or apply for mediation as a citizen",
    description="Staff: the centre's and the rooms' mediators (a room takes in disputes of its own area). A "
    'citizen applies with `source` "h5", names no room, risk or risk report, and is the applicant (their '
    "account's phone is the first applicant's).",
    operation_id="mediation_dispute_register",
    throttle=[reads, writes],
)
def register_dispute(request: HttpRequest, payload: DisputeCreateIn) -> Any:
    viewer = caller(request)
    parties = [_party(p) for p in payload.parties]
    if viewer.is_citizen:
        parties = _citizens_application(viewer, payload, parties)
    unit = unit_by_code(payload.unit, field="unit")
    room = _room_by_id(payload.room) if payload.room is not None else None
    report = None
    if payload.risk_report is not None:
        report = risks_visible_to(viewer).filter(pk=payload.risk_report).first()
        if report is None:
            raise Invalid(
                _("There is no risk report %(id)s among those you see.") % {"id": payload.risk_report},
                field="risk_report",
            )
    data = DisputeIn(
        category=str(payload.category),
        summary=payload.summary,
        source=str(payload.source),
        unit=unit,
        parties=parties,
        facts=payload.facts,
        amount=payload.amount,
        risk=str(payload.risk),
        escalating=payload.escalating,
        room=room,
    )
    dispute = dispute_register(by=viewer, data=data, risk_report=report)
    return Status(201, _reloaded(viewer, dispute.number))


@router.get(
    "/disputes/{number}",
    response={200: DisputeOut, **errors(404)},
    summary="One dispute: its parties, assignments, sessions, history and the steps you may take",
    operation_id="mediation_dispute",
)
def get_dispute(request: HttpRequest, number: str) -> Any:
    return _reloaded(caller(request), number)


@router.post(
    "/disputes/{number}/parties",
    response={201: DisputeOut, **errors(403, 404, 409)},
    summary="Name a further party (a respondent named later, a second applicant)",
    operation_id="mediation_dispute_party_add",
    throttle=[reads, writes],
)
def add_party(request: HttpRequest, number: str, payload: DisputePartyAddIn) -> Any:
    viewer = caller(request)
    dispute = dispute_for(viewer, number)
    party_add(dispute=dispute, by=viewer, party=_party(payload), expected_version=payload.expected_version)
    return Status(201, _reloaded(viewer, number))


@router.get(
    "/disputes/{number}/agreement.pdf",
    response={200: None, **errors(404)},
    summary="The agreement (人民调解协议书) as a PDF",
    description="Identity numbers are masked, except in the copy the dispute's mediators and its room's head print "
    "for the parties to sign.",
    operation_id="mediation_agreement_pdf",
    url_name="mediation_agreement_pdf",
)
def get_agreement(request: HttpRequest, number: str) -> Any:
    viewer = caller(request)
    dispute = dispute_for(viewer, number)
    if not dispute.agreement:
        raise NotFound(_("This dispute has no agreement."))
    pdf = agreement_pdf(dispute, show_numbers=may_see_phones(dispute, viewer))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dispute.number}.pdf"'
    return response


# ------------------------------------------------------------------------------------------------ the steps


@dataclass(frozen=True)
class StepEndpoint:
    """A step's endpoint: its body, its summary, and the service's keyword arguments made from the body."""

    body: type[Input]
    summary: str
    arguments: Callable[[Any], dict[str, Any]]


def _note(body: Any) -> dict[str, Any]:
    return {"note": body.note}


STEPS: dict[Step, StepEndpoint] = {
    Step.ACCEPT: StepEndpoint(DisputeAcceptIn, "Accept a dispute for mediation (its 30 days start)", _note),
    Step.DECLINE: StepEndpoint(
        DisputeDeclineIn,
        "Decline a dispute, saying why and where it belongs",
        lambda b: {"reason": b.reason, "channel": str(b.channel)},
    ),
    Step.ASSIGN: StepEndpoint(
        DisputeAssignIn,
        "Assign the room and the mediators (the lead, and joint ones)",
        lambda b: {
            "room": _room_by_id(b.room),
            "lead": _mediators([b.lead], "lead")[0],
            "joint": _mediators(b.joint, "joint"),
            "note": b.note,
        },
    ),
    Step.SESSION: StepEndpoint(
        DisputeSessionIn,
        "Record a mediation session (调解会), held or set for a day ahead",
        lambda b: {
            "held_at": b.held_at,
            "place": b.place,
            "attended": b.attended,
            "said": b.said,
            "next_step": b.next_step,
            "desks": _desks(b.desks),
        },
    ),
    Step.EXTEND: StepEndpoint(
        DisputeExtendIn, "Extend the time limit, by the parties' agreement", lambda b: {"days": b.days, "note": b.note}
    ),
    Step.AGREE: StepEndpoint(
        DisputeAgreeIn,
        "Record the agreement: written (its PDF follows) or oral",
        lambda b: {"kind": str(b.kind), "terms": b.terms, "signed_on": b.signed_on},
    ),
    Step.CONFIRM: StepEndpoint(DisputeConfirmIn, "Record that judicial confirmation (司法确认) was asked", _note),
    Step.FAIL: StepEndpoint(
        DisputeFailIn,
        "Record that mediation failed, and the channel the parties are guided to",
        lambda b: {"referral": str(b.referral), "reason": b.reason},
    ),
    Step.VISIT: StepEndpoint(
        DisputeVisitIn,
        "Record the fulfilment visit: was the agreement kept?",
        lambda b: {"fulfilled": b.fulfilled, "note": b.note},
    ),
    Step.CLOSE: StepEndpoint(DisputeCloseIn, "Close an ended dispute", _note),
}


def _note_only(step: Step) -> StepEndpoint | None:
    """The endpoint of a step the table above does not name, when its service takes a note at most (a step added
    to the core later, such as an urging): a note as its body. None when it takes more: it needs its own row
    (tests/mediation/test_api.py checks that every step has its endpoint)."""
    service: Any = STEP_SERVICES[step]
    taken = set(inspect.signature(service).parameters) - {"dispute", "by", "expected_version"}
    if not taken <= {"note"}:
        return None
    with translation.override("en"):
        summary = str(BUTTONS.get(step, step))
    return StepEndpoint(DisputeNoteIn, summary, _note)


WHO_WORDS = {
    "centre": "the centre",
    "head": "the head of its room",
    "room": "its room",
    "assigned": "its mediators",
    "lead": "its lead mediator",
    "party": "its parties",
    "system": "the system",
}


def _describe(rule: Rule) -> str:
    target = "unchanged" if rule.target == SAME else rule.target
    if rule.step == Step.VISIT:
        target = "fulfilled or unfulfilled"
    who = ", ".join(WHO_WORDS[w] for w in sorted(rule.who))
    return f"From {', '.join(sorted(rule.sources))} to {target}; by {who}. Answers with the dispute as it is now."


def _step_endpoint(step: Step, spec: StepEndpoint) -> None:
    body = spec.body
    service: Any = STEP_SERVICES[step]  # (each takes its own keyword arguments)

    def take(request: HttpRequest, number: str, payload: body) -> Any:  # type: ignore[valid-type]
        viewer = caller(request)
        dispute = dispute_for(viewer, number)
        values: Any = payload
        service(dispute=dispute, by=viewer, expected_version=values.expected_version, **spec.arguments(values))
        return _reloaded(viewer, number)

    take.__name__ = f"mediation_dispute_{step}"
    router.post(
        f"/disputes/{{number}}/{step}",
        response={200: DisputeOut, **errors(403, 404, 409)},
        summary=spec.summary,
        description=_describe(BY_STEP[step]),
        operation_id=take.__name__,
        throttle=[reads, writes],
    )(take)


for _step in STEP_SERVICES:
    _spec = STEPS.get(_step) or _note_only(_step)
    if _spec is not None:
        _step_endpoint(_step, _spec)


# --------------------------------------------------------------------------------- figures, risks, rooms


def _staff(viewer: User) -> None:
    if viewer.is_citizen:
        raise Forbidden(_("This is for the staff of the mediation centre and the places it serves."))


@router.get(
    "/figures",
    response={200: MediationFiguresOut, **errors(403)},
    summary="The centre's figures for your places: counts and rates, no content",
    description="Disputes registered between `start` and `end` (local days, both included) at places under "
    "your reach (a mediator: under their room's unit), and where each stands now.",
    operation_id="mediation_figures",
)
def get_figures(request: HttpRequest, filters: Query[MediationFiguresFilters]) -> Any:
    viewer = caller(request)
    _staff(viewer)
    path = reach_for_figures(viewer)
    if path is None:
        raise Forbidden(_("Your account has no reach over any place."))
    end = filters.end or timezone.localdate()
    start = filters.start or end - timedelta(days=29)
    if start > end:
        raise Invalid(_("The start comes after the end."), field="start")
    if (end - start).days >= FIGURES_MAX_DAYS:
        raise Invalid(_("Ask for at most five years at once."), field="start")
    unit = Unit.objects.filter(path=path).first()
    return {"unit": unit_dict(unit), **figures(path, start, end).as_dict()}


@router.get(
    "/risks",
    response={200: list[MediationRiskOut], **errors(403)},
    summary="Risk reports of sweeps (矛盾纠纷排查) in your places, the latest first",
    operation_id="mediation_risks",
)
@paginate(LimitOffset)
def list_risks(request: HttpRequest, filters: Query[MediationRiskFilters]) -> QuerySet[RiskReport]:
    viewer = caller(request)
    _staff(viewer)
    qs = risks_visible_to(viewer).order_by("-reported_at", "-pk")
    if filters.level is not None:
        qs = qs.filter(level=str(filters.level))
    if filters.became_dispute is not None:
        qs = qs.filter(dispute__isnull=not filters.became_dispute)
    return qs


@router.post(
    "/risks",
    response={201: MediationRiskOut, **errors(403)},
    summary="Report a risk found in a sweep (a major or serious one is flagged to the street at once)",
    operation_id="mediation_risk_report",
    throttle=[reads, writes],
)
def report_risk(request: HttpRequest, payload: MediationRiskIn) -> Any:
    viewer = caller(request)
    _staff(viewer)
    report = risk_report(
        by=viewer,
        grid=unit_by_code(payload.grid, field="grid"),
        category=str(payload.category),
        level=str(payload.level),
        parties=payload.parties,
        place=payload.place,
        what=payload.what,
    )
    return Status(201, RiskReport.objects.select_related("grid", "reporter", "dispute").get(pk=report.pk))


@router.get(
    "/rooms",
    response={200: list[MediationRoomOut], **errors(403, 404)},
    summary="The rooms you work with, their desks and mediators with their loads (mediators only)",
    description="With `dispute`, the rooms you may assign that dispute to. The centre's mediators, who may join "
    "any dispute, are listed under the centre's room.",
    operation_id="mediation_rooms",
)
def list_rooms(request: HttpRequest, filters: Query[MediationRoomFilters]) -> Any:
    viewer = caller(request)
    if mediator_of(viewer) is None:
        raise Forbidden(_("Only mediators see the rooms and their mediators."))
    assignable = rooms_for(viewer, dispute_for(viewer, filters.dispute)) if filters.dispute else rooms_of(viewer)
    mediators = mediators_for(assignable)
    ids = list(dict.fromkeys([r.pk for r in assignable] + [m.room_id for m in mediators]))
    rooms = {r.pk: r for r in Room.objects.filter(pk__in=ids).select_related("unit")}
    desks = Desk.objects.filter(room_id__in=ids, active=True).order_by("name")
    open_to = {r.pk for r in assignable}
    return [
        {
            "id": room.pk,
            "name": room.name,
            "level": room.level,
            "unit": unit_dict(room.unit),
            "address": room.address,
            "phone": room.phone,
            "assignable": room.pk in open_to,
            "desks": [{"id": d.pk, "name": d.name} for d in desks if d.room_id == room.pk],
            "mediators": [
                {
                    "id": m.pk,
                    "username": m.user.username,
                    "name": str(m),
                    "kind": m.kind,
                    "desk": m.desk.name if m.desk is not None else None,
                    "head": m.head,
                    "specialities": m.speciality_list(),
                    "load": getattr(m, "load", 0),
                }
                for m in mediators
                if m.room_id == room.pk
            ],
        }
        for room in (rooms[pk] for pk in ids if pk in rooms)
    ]
