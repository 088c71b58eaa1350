"""What a person may see of a case: the complainant (masked, or hidden), the reply, the actions, the actors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.lifecycle import NOT_EXPOSED, Actor, allowed_actions, relations
from suban.cases.models import Case, CaseEvent, Status

# Who may see the complainant of a confidential case: the district, not the unit complained about.
SEE_CONFIDENTIAL = frozenset({Actor.DISPATCHER, Actor.SUPERVISOR, Actor.LEADER})
# The public steps whose note is written for the citizen: their own words (the request, added information, a
# rating), a progress note staff chose to make public, and the reasons the rules say the citizen is owed (why
# it was not accepted, why handling is paused). Every other step is shown to the citizen without its note: a
# dispatcher's merge remark, a reviewer's "同意" or a whistle's "请城管局协同" are staff talking to staff.
CITIZEN_NOTES = frozenset({"submit", "add_info", "rate", "note", "decline", "hold"})
# The steps that carry a reply's text (in data["reply"]): the unit's reply, and the district's release of it.
REPLY_STEPS = frozenset({"reply", "approve_reply", "answer"})
# The steps that give the citizen an answer: a released reply, or the service centre's direct answer.
RELEASING_STEPS = frozenset({"approve_reply", "answer"})
# The reply reaches the citizen once the district has released it.
RELEASED = frozenset({Status.VISITING, Status.UNSATISFIED, Status.CLOSED})


class Seen:
    """A case or an event as one person sees it. The response schemas read the object's fields through it,
    and their resolvers ask this module what `viewer` may see; `view` picks the case schema."""

    def __init__(self, subject: Any, viewer: User) -> None:
        self.subject, self.viewer = subject, viewer
        self.view = "public" if viewer.is_citizen else "staff"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.subject, name)


def contact_for(case: Case, viewer: User) -> dict[str, Any]:
    """The complainant as `viewer` may see them. The phone number only ever leaves masked."""
    if viewer.is_citizen:
        return {"name": case.contact_name, "phone": case.masked_contact_phone, "hidden": False}
    if case.anonymous:
        return {"name": _("Anonymous"), "phone": "", "hidden": True}
    if case.confidential and not relations(case, viewer) & SEE_CONFIDENTIAL:
        return {"name": _("Confidential"), "phone": "", "hidden": True}
    return {"name": case.contact_name, "phone": case.masked_contact_phone, "hidden": False}


def actions_for(case: Case, viewer: User) -> list[str]:
    """The table's actions `viewer` may take now that have an endpoint (absorb is the other half of a merge)."""
    return [a for a in allowed_actions(case, viewer) if a not in NOT_EXPOSED]


def reply_released(case: Case) -> bool:
    return case.status in RELEASED


def unit_dict(unit: Any) -> dict[str, Any] | None:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit is not None else None


def actor_for(event: CaseEvent, viewer: User) -> dict[str, Any]:
    """Who took a step. Citizens learn which unit acted, not who; nobody learns a citizen's identity here."""
    return person_for(event.actor, viewer, unit=event.actor_unit)


def person_for(person: User | None, viewer: User, *, unit: Any) -> dict[str, Any]:
    """Someone who acted (None: the system), with the unit they acted for, as `viewer` may know them."""
    if person is None:
        return {"kind": "system", "name": _("System"), "username": None, "unit": None}
    if person.is_citizen:
        return {"kind": "citizen", "name": _("Citizen"), "username": None, "unit": None}
    if viewer.is_citizen:
        return {"kind": "staff", "name": "", "username": None, "unit": unit_dict(unit)}
    return {
        "kind": "staff",
        "name": person.name or person.username,
        "username": person.username,
        "unit": unit_dict(unit),
    }


def orders_for(case: Case, viewer: User) -> list[dict[str, Any]]:
    """The case's supervision orders, oldest first, for staff: each with how it ended, when and by whom."""
    if viewer.is_citizen or not case.supervision_count:  # every order counts in supervision_count
        return []
    orders = case.supervisions.select_related("unit", "done_by", "done_by__unit").order_by("created_at", "pk")
    return [
        {
            "id": o.pk,
            "unit": unit_dict(o.unit),
            "note": o.note,
            "automatic": o.automatic,
            "due_at": o.due_at,
            "created_at": o.created_at,
            "state": o.state,
            "outcome": o.outcome,
            "feedback": o.feedback,
            "done_at": o.done_at,
            "done_by": person_for(o.done_by, viewer, unit=o.done_by.unit) if o.done_by is not None else None,
        }
        for o in orders
    ]


def reply_for(event: CaseEvent, viewer: User) -> str:
    """The reply a step carries as `viewer` may read it: staff read the unit's every reply (a draft the district
    sent back too) and each release; the citizen the replies released to her, on their release."""
    if event.action not in REPLY_STEPS or (
        viewer.is_citizen and (event.action not in RELEASING_STEPS or not event.public)
    ):
        return ""
    text = (event.data or {}).get("reply")
    return text if isinstance(text, str) else ""


def note_for(event: CaseEvent, viewer: User) -> str:
    """The note of a step as `viewer` may read it: staff read every note; the citizen those of CITIZEN_NOTES."""
    if viewer.is_citizen and event.action not in CITIZEN_NOTES:
        return ""
    return event.note
