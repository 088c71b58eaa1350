"""A request's timeline as the citizen who asked sees it: the public steps only (suban.cases.visibility's
rules), in plain words, with the unit that acted and the files of each step."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.accounts.models import User
from suban.cases.attachments import attachments_visible_to
from suban.cases.labels import RETURN_VISIT, is_return_visit
from suban.cases.models import Attachment, Case, CaseEvent, Satisfaction, Status
from suban.cases.services import DeclineReason
from suban.cases.visibility import actor_for, note_for, reply_for, reply_released
from suban.org.models import Unit

STEP_LABELS: dict[str, Promise] = {
    "submit": gettext_lazy("Request submitted"),
    "accept": gettext_lazy("Accepted by the platform"),
    "decline": gettext_lazy("Not accepted"),
    "merge": gettext_lazy("Merged with an earlier request about the same thing"),
    "dispatch": gettext_lazy("Sent to the handling unit"),
    "claim": gettext_lazy("The handling unit took it on"),
    "escalate": gettext_lazy("Handed up to a higher unit"),
    "raise_level": gettext_lazy("Raised to a higher level"),
    "whistle": gettext_lazy("Another unit joined the handling"),
    "note": gettext_lazy("Progress update"),
    "approve_extension": gettext_lazy("The handling time was extended"),
    "reject_extension": gettext_lazy("The handling time stays as it was"),
    "hold": gettext_lazy("Handling paused"),
    "resume": gettext_lazy("Handling resumed"),
    "approve_reply": gettext_lazy("Reply released"),
    "answer": gettext_lazy("Answered by the service centre"),
    "to_mediation": gettext_lazy("Sent to the mediation centre"),
    "mediated": gettext_lazy("Mediation ended"),
    "rate": gettext_lazy("You rated the answer"),
    "reopen": gettext_lazy("Reopened to be put right"),
    "close": gettext_lazy("Closed"),
    "add_info": gettext_lazy("You added information"),
}
# How a dispute the case went to ended (suban.mediation writes the `mediated` step with its outcome).
MEDIATION_OUTCOMES: dict[str, Promise] = {
    "agreed": gettext_lazy("agreement reached"),
    "failed": gettext_lazy("no agreement: other channels"),
    "declined": gettext_lazy("not taken for mediation"),
}
# Steps whose data names the unit the case went to.
TARGET_UNIT = frozenset({"dispatch", "escalate", "raise_level", "whistle"})


@dataclass
class Step:
    seq: int
    action: str
    at: datetime
    label: str
    by: str  # the unit that acted, or "" for the citizen and the system
    detail: str  # the unit the case went to, a reason, a rating
    note: str
    reply: str = ""  # the reply this step released to the citizen
    files: list[Attachment] = field(default_factory=list)


def _detail(event: CaseEvent, case: Case, units: dict[str, str]) -> str:
    data = event.data or {}
    if event.action in TARGET_UNIT and data.get("unit"):
        return units.get(data["unit"], "")
    if event.action == "decline" and data.get("reason") in DeclineReason.values:
        return str(DeclineReason(data["reason"]).label)
    if event.action == "to_mediation" and data.get("dispute"):
        return _("Dispute %(number)s") % {"number": data["dispute"]}
    if event.action == "mediated" and data.get("outcome") in MEDIATION_OUTCOMES:
        return f"{data.get('dispute', '')} · {MEDIATION_OUTCOMES[data['outcome']]}"
    if event.action == "rate" and data.get("satisfaction") in Satisfaction.values:
        resolved = _("resolved") if data.get("resolved") else _("not resolved")
        return f"{Satisfaction(data['satisfaction']).label} · {resolved}"
    return ""


def public_steps(case: Case, viewer: User) -> list[Step]:
    """Every step of `case` that `viewer` (the citizen who asked) may see, oldest first."""
    events = list(case.events.filter(public=True).select_related("actor", "actor_unit").order_by("seq"))
    codes = {e.data.get("unit") for e in events if e.action in TARGET_UNIT and isinstance(e.data, dict)}
    units = dict(Unit.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    files: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in attachments_visible_to(viewer, case).exclude(event=None):
        files[attachment.event_id].append(attachment)  # type: ignore[index]
    steps = []
    for event in events:
        actor = actor_for(event, viewer)
        label = STEP_LABELS.get(event.action, gettext_lazy("Case updated"))
        if is_return_visit(event):
            label = RETURN_VISIT
        steps.append(
            Step(
                seq=event.seq,
                action=event.action,
                at=event.at,
                label=str(label),
                by=(actor["unit"] or {}).get("name", "") if actor["kind"] == "staff" else "",
                detail=_detail(event, case, units),
                note=note_for(event, viewer),
                reply=reply_for(event, viewer),
                files=files.get(event.pk, []),
            )
        )
    return steps


def released_reply(case: Case) -> str:
    """The reply, once the district has released it; "" before. A request merged into another one (the same
    problem, reported first by someone else) gets that case's reply: every reporter gets the answer."""
    for _hop in range(5):  # a case that absorbed others may itself have been merged; follow a short chain
        if case.status != Status.MERGED or case.merged_into is None:
            break
        case = case.merged_into
    return case.reply if reply_released(case) else ""
