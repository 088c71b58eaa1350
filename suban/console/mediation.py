"""What the console's mediation pages share: whose places a person works on, a dispute's step forms with the
choices each needs, and its history as staff read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.console.mediation_forms import STEP_FORMS, AgreeForm, AssignForm, SessionForm, StepForm
from suban.console.timeline import choice_label
from suban.mediation.lifecycle import BUTTONS, Step, mediator_of
from suban.mediation.models import AgreementKind, Dispute, DisputeEvent, DisputeStatus, Referral, Source
from suban.mediation.selectors import desks_for, mediators_for, rooms_for
from suban.org.models import GRID_KINDS, Unit, UnitKind

# Steps whose button ends the mediation without an agreement, drawn as a warning.
DANGER = frozenset({Step.DECLINE, Step.FAIL})


def reach_path(user: User) -> str | None:
    """Whose places a person works on: a mediator's room's area, anyone else's unit's."""
    mediator = mediator_of(user)
    if mediator is not None:
        return mediator.room.unit.path
    return user.unit.path if user.unit is not None else None


def places(user: User) -> QuerySet[Unit]:
    """The places a dispute registered by `user` may be at: the streets and communities (and their grids, which
    stand for their community) within their room's area."""
    path = reach_path(user)
    if path is None:
        return Unit.objects.none()
    kinds = [UnitKind.STREET, UnitKind.COMMUNITY, *GRID_KINDS]
    return Unit.objects.filter(is_active=True, kind__in=kinds, path__startswith=path)


def grids_of(user: User) -> list[Unit]:
    """The grids under a person's unit: where they may report a risk found in a sweep."""
    if user.unit is None:
        return []
    grids = Unit.objects.filter(is_active=True, kind__in=list(GRID_KINDS), path__startswith=user.unit.path)
    return list(grids.order_by("path")[:1000])


@dataclass
class StepPanel:
    step: str
    label: str
    form: StepForm
    open: bool = False
    stale: bool = False  # refused because the dispute changed: reload
    gone: bool = False  # refused because the step is no longer this person's to take

    @property
    def danger(self) -> bool:
        return self.step in DANGER


def step_form(step: str, dispute: Dispute, user: User, data: Any = None) -> StepForm:
    """The form of one step, blank (with the page's version) or bound to what was posted."""
    form_class = STEP_FORMS[step]
    initial: dict[str, Any] = {"version": dispute.version}
    auto_id = f"id_{step}_%s"
    if form_class is AssignForm:
        rooms = rooms_for(user, dispute)
        lead = next((a.mediator_id for a in dispute.assignments.all() if a.lead), None)
        joint = [a.mediator_id for a in dispute.assignments.all() if not a.lead]
        room = dispute.room_id if dispute.room_id in {r.pk for r in rooms} else None
        if room is None and len(rooms) == 1:
            room = rooms[0].pk
        initial.update(room=room, lead=lead, joint=joint)
        return AssignForm(data, initial=initial, auto_id=auto_id, rooms=rooms, mediators=mediators_for(rooms))
    if form_class is SessionForm:
        if dispute.room is not None:
            initial["place"] = dispute.room.address or dispute.room.name
        return SessionForm(data, initial=initial, auto_id=auto_id, desks=desks_for(dispute))
    if form_class is AgreeForm:
        initial.update(kind=AgreementKind.WRITTEN, signed_on=timezone.localdate())
    return form_class(data, initial=initial, auto_id=auto_id)


def step_panels(dispute: Dispute, user: User, steps: list[str], bound: StepPanel | None = None) -> list[StepPanel]:
    panels = [StepPanel(s, str(BUTTONS[s]), step_form(s, dispute, user)) for s in steps if s in STEP_FORMS]
    if bound is not None:
        for i, panel in enumerate(panels):
            if panel.step == bound.step:
                panels[i] = bound
                break
        else:
            bound.gone = True
            panels.insert(0, bound)
    return panels


@dataclass
class HistoryRow:
    event: DisputeEvent
    label: str
    actor: str
    to_label: str
    details: list[str]


def _details(event: DisputeEvent) -> list[str]:
    d = event.data or {}
    out: list[str] = []
    if event.action == Step.REGISTER and d.get("source"):
        out.append(choice_label(Source, d["source"]))
    if event.action == Step.ASSIGN:
        if d.get("room"):
            out.append(_("Room: %(room)s") % {"room": d["room"]})
        if d.get("lead"):
            out.append(_("Lead: %(name)s") % {"name": d["lead"]})
        if d.get("joint"):
            out.append(_("Joint: %(names)s") % {"names": "、".join(str(n) for n in d["joint"])})
    if event.action == Step.SESSION and d.get("place"):
        out.append(str(d["place"]))
    if event.action == Step.EXTEND and d.get("days"):
        out.append(_("%(days)s more days") % {"days": d["days"]})
    if event.action == Step.AGREE and d.get("kind"):
        out.append(choice_label(AgreementKind, d["kind"]))
    if event.action in (Step.FAIL, Step.DECLINE) and (d.get("referral") or d.get("channel")):
        out.append(
            _("Guided to: %(channel)s") % {"channel": choice_label(Referral, d.get("referral") or d.get("channel"))}
        )
    if event.action == Step.VISIT and "fulfilled" in d:
        out.append(_("Agreement kept") if d["fulfilled"] else _("Agreement not kept"))
    return out


def history(events: list[DisputeEvent]) -> list[HistoryRow]:
    rows = []
    for e in events:
        label = choice_label(Step, e.action)
        to_label = choice_label(DisputeStatus, e.to_status) if e.to_status != e.from_status else ""
        rows.append(
            HistoryRow(
                event=e,
                label=label,
                actor=str(e.actor) if e.actor is not None else _("The system"),
                to_label="" if to_label == label else to_label,  # "Registered → Registered" says it twice
                details=_details(e),
            )
        )
    return rows
