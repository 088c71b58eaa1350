"""A case's events as staff read them: who (visibility.actor_for), what, and the step's particulars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suban.accounts.models import User
from suban.cases.labels import RETURN_VISIT, is_return_visit
from suban.cases.models import Attachment, Case, CaseEvent, Channel, Satisfaction, Status
from suban.cases.services import DeclineReason
from suban.cases.visibility import actor_for, reply_for
from suban.console.labels import event_label
from suban.errors import NotFound
from suban.mediation.models import Category, DisputeStatus, Referral
from suban.mediation.selectors import dispute_for
from suban.org.models import Unit

# A case's steps to and back from the mediation centre name their dispute.
MEDIATION_STEPS = ("to_mediation", "mediated")


@dataclass
class Step:
    event: CaseEvent
    label: str
    actor: dict[str, Any]
    details: list[str]
    attachments: list[Attachment]
    from_label: str
    to_label: str
    reply: str = ""  # the text the unit replied with (each reply, the drafts sent back too)
    dispute: str = ""  # the dispute a step to or back from mediation names
    dispute_url: str = ""  # its page, for a viewer who may read it


def _when(text: Any) -> str:
    moment = parse_datetime(text) if isinstance(text, str) else None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""


def _days(value: Any) -> str:
    """Working days as a person writes them: 2, 1.5 (a decision stored 2.00)."""
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except InvalidOperation:
        return str(value)


def choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def details(event: CaseEvent, unit_names: dict[str, str]) -> list[str]:
    d = event.data or {}
    out: list[str] = []

    def unit(code: Any) -> str:
        return unit_names.get(code, str(code))

    if d.get("unit") and event.action in ("dispatch", "escalate", "raise_level"):
        out.append(_("To %(unit)s") % {"unit": unit(d["unit"])})
        if d.get("by_list"):
            out.append(_("by the responsibility list"))
    if d.get("co_units"):
        out.append(_("Co-handlers: %(units)s") % {"units": "、".join(unit(c) for c in d["co_units"])})
    if event.action == "whistle" and d.get("unit"):
        who = unit(d["unit"]) + (f"（{d['person']}）" if d.get("person") else "")
        out.append(_("Whistled in: %(who)s") % {"who": who})
    if event.action == "decline" and d.get("reason"):
        out.append(choice_label(DeclineReason, d["reason"]))
    if event.action == "merge" and d.get("into"):
        out.append(_("Into case %(number)s") % {"number": d["into"]})
    if event.action == "absorb" and d.get("from"):
        out.append(_("From case %(number)s") % {"number": d["from"]})
    if d.get("days") and event.action in ("request_extension", "approve_extension", "reject_extension"):
        out.append(_("%(days)s working days") % {"days": _days(d["days"])})
    if d.get("due_at") and event.action != "approve_reply":
        out.append(_("Due %(when)s") % {"when": _when(d["due_at"])})
    if event.action == "rate" and d.get("satisfaction"):
        out.append(choice_label(Satisfaction, d["satisfaction"]))
        out.append(_("Resolved") if d.get("resolved") else _("Not resolved"))
    if event.action == "submit" and d.get("channel"):
        out.append(choice_label(Channel, d["channel"]))
    if event.action in ("claim", "reply") and d.get("in_time") is False:
        out.append(_("late"))
    if d.get("automatic"):
        out.append(_("opened by the clock"))
    if event.action == "to_mediation" and d.get("category"):
        out.append(choice_label(Category, d["category"]))
    if event.action == "mediated" and d.get("outcome"):
        out.append(choice_label(DisputeStatus, d["outcome"]))
        if d.get("referral"):
            out.append(_("Guided to: %(channel)s") % {"channel": choice_label(Referral, d["referral"])})
    if d.get("settled_orders"):
        n = len(d["settled_orders"])
        out.append(
            ngettext("%(n)d open supervision order ended with it", "%(n)d open supervision orders ended with it", n)
            % {"n": n}
        )
    return out


def timeline(case: Case, viewer: User) -> list[Step]:
    events = list(case.events.select_related("actor", "actor_unit").prefetch_related("attachments").order_by("seq"))
    codes: set[str] = set()
    for e in events:
        d = e.data or {}
        codes.update(c for c in [d.get("unit"), *(d.get("co_units") or [])] if isinstance(c, str))
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    steps = [
        Step(
            event=e,
            # A rating staff took down on the phone is a return visit, as the citizen's own timeline says.
            label=str(RETURN_VISIT) if is_return_visit(e) else event_label(e.action),
            actor=actor_for(e, viewer),
            details=details(e, names),
            attachments=list(e.attachments.all()),
            from_label=choice_label(Status, e.from_status) if e.from_status else "",
            to_label=choice_label(Status, e.to_status) if e.to_status != e.from_status else "",
            # On the unit's step; its release says the same again and is not repeated.
            reply=reply_for(e, viewer) if e.action == "reply" else "",
        )
        for e in events
    ]
    _link_disputes(steps, viewer)
    for step in steps:
        if step.to_label == step.label:  # "已受理 → 已受理" says it twice
            step.to_label = ""
    return steps


def _link_disputes(steps: list[Step], viewer: User) -> None:
    """The dispute each mediation step names, linked for a viewer who may read it (the centre, its room and
    its mediators); everyone else sees its number only."""
    urls: dict[str, str] = {}
    for step in steps:
        number = (step.event.data or {}).get("dispute") if step.event.action in MEDIATION_STEPS else None
        if not isinstance(number, str) or not number:
            continue
        if number not in urls:
            try:
                urls[number] = reverse("console:dispute", args=[dispute_for(viewer, number).number])
            except NotFound:
                urls[number] = ""
        step.dispute, step.dispute_url = number, urls[number]
