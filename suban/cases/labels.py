"""Words for the lifecycle's actions, as buttons and as steps of a timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from suban.cases.models import CaseEvent

# The button that performs an action.
ACTION_LABELS: dict[str, Promise] = {
    "accept": _("Accept"),
    "decline": _("Decline"),
    "merge": _("Merge into another case"),
    "dispatch": _("Dispatch"),
    "claim": _("Claim"),
    "handle_on_spot": _("Handle on the spot"),
    "return": _("Return to the dispatch centre"),
    "reject_return": _("Reject the return"),
    "escalate": _("Escalate"),
    "whistle": _("Whistle in a unit"),
    "note": _("Progress note"),
    "request_extension": _("Ask for an extension"),
    "approve_extension": _("Approve the extension"),
    "reject_extension": _("Reject the extension"),
    "hold": _("Put on hold"),
    "resume": _("Resume"),
    "reply": _("Reply"),
    "approve_reply": _("Release the reply"),
    "send_back": _("Send the reply back"),
    "rate": _("Record the return visit"),
    "reopen": _("Reopen for rectification"),
    "close": _("Close the case"),
    "supervise": _("Supervision order"),
    "supervision_feedback": _("Answer the supervision order"),
    "supervision_done": _("Close the supervision order"),
    "raise_level": _("Raise the level"),
    "accept_dispatch": _("Accept and dispatch"),
    "absorb": _("Take in a duplicate"),
    "add_info": _("Add information"),
    "warn": _("Warn of the deadline"),
    "overdue": _("Mark overdue"),
}

# A step of the timeline, in the past tense.
EVENT_LABELS: dict[str, Promise] = {
    "submit": _("Submitted"),
    "accept": _("Accepted"),
    "decline": _("Declined"),
    "merge": _("Merged"),
    "absorb": _("A duplicate was merged in"),
    "dispatch": _("Dispatched"),
    "claim": _("Claimed"),
    "handle_on_spot": _("Taken on the spot by the grid worker"),
    "return": _("Returned"),
    "reject_return": _("Return rejected"),
    "escalate": _("Escalated"),
    "whistle": _("Whistled in a unit"),
    "note": _("Progress note"),
    "request_extension": _("Extension requested"),
    "approve_extension": _("Extension approved"),
    "reject_extension": _("Extension rejected"),
    "hold": _("Put on hold"),
    "resume": _("Resumed"),
    "reply": _("Replied"),
    "approve_reply": _("Reply released"),
    "send_back": _("Reply sent back"),
    "rate": _("Rated"),
    "reopen": _("Reopened"),
    "close": _("Closed"),
    "supervise": _("Supervision order"),
    "supervision_feedback": _("Supervision answered"),
    "supervision_done": _("Supervision order closed"),
    "raise_level": _("Level raised"),
    "add_info": _("Citizen added information"),
    "warn": _("Due soon"),
    "overdue": _("Overdue"),
}


# A rating that staff took down on the phone: the step is a return visit, not the citizen rating it herself.
RETURN_VISIT = _("Return visit recorded")


def is_return_visit(event: CaseEvent) -> bool:
    """Whether a step is a rating someone other than the citizen recorded (labelled RETURN_VISIT)."""
    return event.action == "rate" and not (event.actor is not None and event.actor.is_citizen)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
