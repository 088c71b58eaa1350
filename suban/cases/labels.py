"""Words for the lifecycle's actions, as buttons and as steps of a timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Action

if TYPE_CHECKING:
    from suban.cases.models import CaseEvent

# The dispatch centre's one click (accept, then dispatch): a button of the console, not a step of its own.
ACCEPT_DISPATCH = "accept_dispatch"

# The button that performs an action.
ACTION_LABELS: dict[str, Promise] = {
    Action.ACCEPT: _("Accept"),
    Action.DECLINE: _("Decline"),
    Action.MERGE: _("Merge into another case"),
    Action.DISPATCH: _("Dispatch"),
    Action.CLAIM: _("Claim"),
    Action.HANDLE_ON_SPOT: _("Handle on the spot"),
    Action.RETURN: _("Return to the dispatch centre"),
    Action.REJECT_RETURN: _("Reject the return"),
    Action.ESCALATE: _("Escalate"),
    Action.WHISTLE: _("Whistle in a unit"),
    Action.NOTE: _("Progress note"),
    Action.REQUEST_EXTENSION: _("Ask for an extension"),
    Action.APPROVE_EXTENSION: _("Approve the extension"),
    Action.REJECT_EXTENSION: _("Reject the extension"),
    Action.HOLD: _("Put on hold"),
    Action.RESUME: _("Resume"),
    Action.REPLY: _("Reply"),
    Action.APPROVE_REPLY: _("Release the reply"),
    Action.SEND_BACK: _("Send the reply back"),
    Action.RATE: _("Record the return visit"),
    Action.REOPEN: _("Reopen for rectification"),
    Action.CLOSE: _("Close the case"),
    Action.SUPERVISE: _("Supervision order"),
    Action.SUPERVISION_FEEDBACK: _("Answer the supervision order"),
    Action.SUPERVISION_DONE: _("Close the supervision order"),
    Action.RAISE_LEVEL: _("Raise the level"),
    ACCEPT_DISPATCH: _("Accept and dispatch"),
    Action.ABSORB: _("Take in a duplicate"),
    Action.ADD_INFO: _("Add information"),
    Action.ANSWER: _("Answer directly"),
    Action.TO_MEDIATION: _("Send to the mediation centre"),
    Action.MEDIATED: _("Record the mediation's outcome"),
    Action.WARN: _("Warn of the deadline"),
    Action.OVERDUE: _("Mark overdue"),
}

# A step of the timeline, in the past tense: the actions' own labels.
EVENT_LABELS: dict[str, Promise] = {action.value: action.label for action in Action}


# A rating that staff took down on the phone: the step is a return visit, not the citizen rating it herself.
RETURN_VISIT = _("Return visit recorded")


def is_return_visit(event: CaseEvent) -> bool:
    """Whether a step is a rating someone other than the citizen recorded (labelled RETURN_VISIT)."""
    return event.action == Action.RATE and not (event.actor is not None and event.actor.is_citizen)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
