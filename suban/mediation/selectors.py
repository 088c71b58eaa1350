"""What each person may read of the mediation centre. A dispute's content (facts, parties, sessions, terms) is
read by the centre, its room, its mediators and its parties only (lifecycle.may_read_content); everyone else
with reach over the place sees counts (suban.mediation.figures). Every face reads through these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.scope import reach_of
from suban.errors import NotFound
from suban.mediation.lifecycle import (
    PUBLIC_STEPS,
    RESPONDENT_SEES,
    Step,
    Viewer,
    Who,
    allowed_steps,
    is_centre,
    mediator_of,
    relations,
)
from suban.mediation.models import (
    Assignment,
    Desk,
    Dispute,
    DisputeEvent,
    DisputeStatus,
    Mediator,
    Party,
    RiskReport,
    Room,
    RoomLevel,
    Session,
)

OPEN = (DisputeStatus.REGISTERED, DisputeStatus.ACCEPTED, DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING)


def disputes_visible_to(user: Viewer) -> QuerySet[Dispute]:
    """The disputes whose content `user` may read."""
    none = Dispute.objects.none()
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return none
    if user.is_citizen:
        mine = Q(applicant=user)
        if user.phone_hash:
            named = Party.objects.filter(phone_hash=user.phone_hash)
            mine |= Q(pk__in=named.filter(side="applicant").values("dispute_id"))
            mine |= Q(pk__in=named.filter(side="respondent").values("dispute_id"), status__in=RESPONDENT_SEES)
        return Dispute.objects.filter(mine)
    mediator = mediator_of(user)
    if mediator is None:
        return none
    seen = Q(pk__in=Assignment.objects.filter(mediator=mediator).values("dispute_id"))
    if mediator.desk_id is None:  # a desk's mediator: only what is assigned to them
        seen |= Q(room_id=mediator.room_id)
        if mediator.room.level == RoomLevel.CENTRE:
            seen |= Q(unit_path__startswith=mediator.room.unit.path)
    return Dispute.objects.filter(seen)


def dispute_for(user: Viewer, number: str) -> Dispute:
    """The dispute `number` when `user` may read it; NotFound otherwise (a dispute one may not read does not
    exist for them)."""
    dispute = (
        Dispute.objects.select_related("room__unit", "unit", "case", "applicant")
        .prefetch_related("parties", "assignments__mediator__user", "assignments__mediator__desk")
        .filter(number=number)
        .first()
    )
    if dispute is None or not relations(dispute, user) - {Who.SYSTEM}:
        raise NotFound(_("There is no such dispute, or it is not yours to read."))
    return dispute


def may_see_phones(dispute: Dispute, user: Viewer) -> bool:
    """Who calls the parties: the dispute's mediators and its room's head. Everyone else sees them masked."""
    return bool(relations(dispute, user) & {Who.ASSIGNED, Who.HEAD})


@dataclass(frozen=True)
class PartyView:
    side: str
    side_label: str
    kind_label: str
    name: str
    phone: str
    id_number: str
    address: str
    kind: str = ""


def parties_for(dispute: Dispute, user: Viewer) -> list[PartyView]:
    full = may_see_phones(dispute, user)
    return [
        PartyView(
            side=p.side,
            side_label=str(p.get_side_display()),
            kind_label=str(p.get_kind_display()),
            name=p.name,
            phone=(p.phone if full else p.masked_phone) if p.phone_encrypted else "",
            id_number=p.masked_id_number if p.id_number_encrypted else "",
            address=p.address if full else "",
            kind=p.kind,
        )
        for p in dispute.parties.all()
    ]


def events_for(dispute: Dispute, user: Viewer) -> list[DisputeEvent]:
    """The dispute's history: a party sees its public steps, without who inside acted."""
    events = list(dispute.events.select_related("actor").order_by("seq"))
    if relations(dispute, user) == {Who.PARTY}:
        return [e for e in events if e.action in PUBLIC_STEPS]
    return events


def sessions_for(dispute: Dispute) -> list[Session]:
    return list(dispute.sessions.prefetch_related("desks").order_by("held_at", "pk"))


def steps_for(dispute: Dispute, user: Viewer) -> list[str]:
    return allowed_steps(dispute, user)


QUEUES = ("intake", "mine", "room", "visits", "ended", "all")


def queue(user: Viewer, name: str) -> QuerySet[Dispute]:
    """A mediator's lists: the intake (registered, to accept or decline), mine (assigned to me, open), my room's
    open ones, fulfilment visits due within a week, the ended ones, and all they may read."""
    seen = disputes_visible_to(user).select_related("room", "unit")
    mediator = mediator_of(user)
    if name == "intake":
        return seen.filter(status=DisputeStatus.REGISTERED)
    if name == "mine":
        if mediator is None:
            return seen.none()
        return seen.filter(assignments__mediator=mediator, status__in=OPEN).distinct()
    if name == "room":
        if mediator is None:
            return seen.none()
        return seen.filter(room_id=mediator.room_id, status__in=OPEN)
    if name == "visits":
        return seen.filter(status=DisputeStatus.AGREED, visit_on__lte=timezone.localdate() + timedelta(days=7))
    if name == "ended":
        return seen.exclude(status__in=OPEN)
    return seen


def queue_counts(user: Viewer) -> dict[str, int]:
    return {name: queue(user, name).count() for name in ("intake", "mine", "room", "visits")}


def rooms_for(user: Viewer, dispute: Dispute) -> list[Room]:
    """The rooms `user` may send `dispute` to: any active room serving its place for the centre, its own for
    a room's head."""
    mediator = mediator_of(user)
    if mediator is None:
        return []
    rooms = [
        r for r in Room.objects.filter(active=True).select_related("unit") if dispute.unit_path.startswith(r.unit.path)
    ]
    if not is_centre(mediator, dispute.unit_path):
        rooms = [r for r in rooms if r.pk == dispute.room_id]
    return rooms


def mediators_for(rooms: list[Room]) -> list[Mediator]:
    """The mediators who may be assigned in `rooms` (and the centre's desks), each with their load (open
    disputes assigned)."""
    centre = Room.objects.filter(level=RoomLevel.CENTRE, active=True).values_list("pk", flat=True)
    return list(
        Mediator.objects.filter(active=True, user__is_active=True)
        .filter(Q(room__in=rooms) | Q(room__in=list(centre)))
        .select_related("user", "room", "desk")
        .annotate(load=Count("assignments", filter=Q(assignments__dispute__status__in=OPEN)))
        .order_by("room__level", "room__name", "-head", "user__username")
    )


def nav_counts(user: Viewer) -> dict[str, int] | None:
    """For the console's navigation, in two queries: None for someone who mediates nowhere; else how many
    disputes wait in their intake and how many open ones are assigned to them. The mediator is read with its
    room and unit in one query and kept on the account, so that mediator_of asks nothing more."""
    if not isinstance(user, User) or not user.is_authenticated or user.is_citizen:
        return None
    cache = User.mediator.related  # the account's reverse one-to-one, as Django caches it
    if user.pk is not None and not cache.is_cached(user):
        cache.set_cached_value(user, Mediator.objects.select_related("room__unit").filter(user=user).first())
    mediator = mediator_of(user)
    if mediator is None:
        return None
    counts = disputes_visible_to(user).aggregate(
        intake=Count("pk", filter=Q(status=DisputeStatus.REGISTERED), distinct=True),
        mine=Count("pk", filter=Q(assignments__mediator=mediator, status__in=OPEN), distinct=True),
    )
    return {"intake": counts["intake"] or 0, "mine": counts["mine"] or 0}


def intake_rooms(user: Viewer) -> list[Room]:
    """The rooms a centre's mediator may bring a new dispute to (any active room under the centre); none for a
    room's mediator, whose room takes what is brought to it."""
    mediator = mediator_of(user)
    if mediator is None or mediator.room.level != RoomLevel.CENTRE or mediator.desk_id is not None:
        return []
    rooms = Room.objects.filter(active=True, unit__path__startswith=mediator.room.unit.path)
    return list(rooms.select_related("unit").order_by("level", "name"))


def desks_for(dispute: Dispute) -> list[Desk]:
    """The departments seated at a centre serving the dispute's place: who may sit in its sessions."""
    desks = Desk.objects.filter(active=True, room__active=True, room__level=RoomLevel.CENTRE)
    return [d for d in desks.select_related("room__unit") if dispute.unit_path.startswith(d.room.unit.path)]


def risks_visible_to(user: Viewer) -> QuerySet[RiskReport]:
    """Risk reports: staff see those of grids under their unit; mediators those their room serves."""
    if not isinstance(user, User) or not user.is_authenticated or user.is_citizen:
        return RiskReport.objects.none()
    mediator = mediator_of(user)
    paths = []
    if mediator is not None:
        paths.append(mediator.room.unit.path)
    path = reach_of(user).unit_path
    if path is not None:
        paths.append(path)
    if not paths:
        return RiskReport.objects.none()
    q = Q()
    for p in paths:
        q |= Q(unit_path__startswith=p)
    return RiskReport.objects.filter(q).select_related("grid", "reporter", "dispute")


def rooms_of(user: Viewer) -> list[Room]:
    """The rooms a mediator works with, without a dispute in view: a centre's mediator every active room under
    the centre's unit, a room's mediator their own room."""
    mediator = mediator_of(user)
    if mediator is None or mediator.desk_id is not None:
        return []
    if mediator.room.level != RoomLevel.CENTRE:
        return [mediator.room]
    under = mediator.room.unit.path
    return list(
        Room.objects.filter(active=True, unit__path__startswith=under).select_related("unit").order_by("level", "name")
    )


def reach_for_figures(user: Viewer) -> str | None:
    """Whose figures `user` reads (counts only): a mediator their room's unit, other staff their reach; None for
    citizens and accounts without reach."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active or user.is_citizen:
        return None
    mediator = mediator_of(user)
    if mediator is not None:
        return mediator.room.unit.path
    return reach_of(user).unit_path


def due_state(dispute: Dispute, now: datetime | None = None) -> str:
    """ "red", "yellow" or "" for the time limit."""
    return dispute.alert or ""


__all__ = [
    "OPEN",
    "QUEUES",
    "PartyView",
    "Step",
    "desks_for",
    "dispute_for",
    "disputes_visible_to",
    "due_state",
    "events_for",
    "intake_rooms",
    "may_see_phones",
    "mediators_for",
    "nav_counts",
    "parties_for",
    "queue",
    "queue_counts",
    "reach_for_figures",
    "risks_visible_to",
    "rooms_for",
    "rooms_of",
    "sessions_for",
    "steps_for",
]
