"""A dispute's steps, as a table: from which statuses each starts, where it leads, and who may take it.
The table is the documentation; the services check it, and the console's buttons and the API's allowed
steps are derived from it.

Who, as a dispute sees them: the centre (a mediator of a one-stop centre whose unit holds the dispute's
place), the head of the dispute's room, any mediator of its room, its assigned mediators, its lead mediator,
a party (the citizen who applied, or whose phone is a party's), and the system (the clock, a case's
escalation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.accounts.models import User
from suban.mediation.models import Dispute, DisputeStatus, Mediator, RoomLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Viewer = User | AnonymousUser | None
S = DisputeStatus
SAME = "same"


class Step(models.TextChoices):
    """Every step a dispute can take, labelled as a step of its history (the buttons' words are BUTTONS)."""

    REGISTER = "register", _("Registered")
    ACCEPT = "accept", _("Accepted")
    DECLINE = "decline", _("Declined")
    ASSIGN = "assign", _("Assigned")
    SESSION = "session", _("Mediation session")
    EXTEND = "extend", _("Time limit extended")
    AGREE = "agree", _("Agreement reached")
    CONFIRM = "confirm", _("Judicial confirmation asked")
    FAIL = "fail", _("Mediation failed")
    VISIT = "visit", _("Fulfilment visited")
    CLOSE = "close", _("Closed")
    PARTY = "party", _("Party added")
    SUPERVISE = "supervise", _("Supervised")  # 督办: the centre urges the mediators of a dispute in time trouble
    WARN = "warn", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


BUTTONS: dict[str, StrOrPromise] = {
    Step.ACCEPT: _("Accept for mediation"),
    Step.DECLINE: _("Decline"),
    Step.ASSIGN: _("Assign"),
    Step.SESSION: _("Record a session"),
    Step.EXTEND: _("Extend the time limit"),
    Step.AGREE: _("Record the agreement"),
    Step.CONFIRM: _("Ask for judicial confirmation"),
    Step.FAIL: _("Mediation failed"),
    Step.VISIT: _("Record the fulfilment visit"),
    Step.CLOSE: _("Close"),
    Step.SUPERVISE: _("Supervise (督办)"),
}


class Who(StrEnum):
    CENTRE = "centre"
    HEAD = "head"
    ROOM = "room"
    ASSIGNED = "assigned"
    LEAD = "lead"
    PARTY = "party"
    SYSTEM = "system"


@dataclass(frozen=True)
class Rule:
    step: str
    sources: frozenset[str]
    target: str  # a status, or SAME; VISIT chooses between FULFILLED and UNFULFILLED
    who: frozenset[Who]


def _r(step: Step, sources: Iterable[str], target: str, who: set[Who]) -> Rule:
    return Rule(step, frozenset(sources), target, frozenset(who))


MAX_EXTENSION_DAYS = 30  # one extension, by the parties' agreement
MAX_EXTENDED_DAYS = 60  # all extensions together
CLOCKED = {S.ACCEPTED, S.ASSIGNED, S.MEDIATING}  # the 30 days run while the dispute is in these
ENDED = {S.FULFILLED, S.UNFULFILLED, S.FAILED, S.DECLINED}
TABLE: tuple[Rule, ...] = (
    _r(Step.ACCEPT, {S.REGISTERED}, S.ACCEPTED, {Who.CENTRE, Who.HEAD}),
    _r(Step.DECLINE, {S.REGISTERED}, S.DECLINED, {Who.CENTRE, Who.HEAD}),
    _r(Step.ASSIGN, {S.ACCEPTED, S.ASSIGNED}, S.ASSIGNED, {Who.CENTRE, Who.HEAD}),
    _r(Step.SESSION, {S.ASSIGNED, S.MEDIATING}, S.MEDIATING, {Who.ASSIGNED}),
    _r(Step.EXTEND, {S.ASSIGNED, S.MEDIATING}, SAME, {Who.LEAD}),
    _r(Step.AGREE, {S.MEDIATING}, S.AGREED, {Who.LEAD}),
    _r(Step.CONFIRM, {S.AGREED, S.FULFILLED}, SAME, {Who.LEAD}),
    _r(Step.FAIL, {S.ASSIGNED, S.MEDIATING}, S.FAILED, {Who.LEAD}),
    _r(Step.VISIT, {S.AGREED}, S.FULFILLED, {Who.CENTRE, Who.HEAD, Who.LEAD}),
    _r(Step.CLOSE, ENDED, S.CLOSED, {Who.CENTRE, Who.HEAD}),
    _r(Step.SUPERVISE, CLOCKED, SAME, {Who.CENTRE}),
    # A party named later (a respondent the case's caller named, a second applicant), while the dispute lives.
    _r(Step.PARTY, set(S.values) - {S.CLOSED, S.DECLINED}, SAME, {Who.CENTRE, Who.HEAD, Who.ROOM, Who.ASSIGNED}),
    _r(Step.WARN, CLOCKED, SAME, {Who.SYSTEM}),
    _r(Step.OVERDUE, CLOCKED, SAME, {Who.SYSTEM}),
)
BY_STEP: dict[str, Rule] = {r.step: r for r in TABLE}
# Steps no person takes: the clock's.
NOT_EXPOSED = frozenset({Step.WARN, Step.OVERDUE})
# Steps offered beside the dispute's parties rather than among its steps (may_add_party).
BESIDE = frozenset({Step.PARTY})
# A party follows these steps on the H5; the others (assignments' names, extensions' notes) stay inside.
PUBLIC_STEPS = frozenset(
    {Step.REGISTER, Step.ACCEPT, Step.DECLINE, Step.ASSIGN, Step.SESSION, Step.EXTEND, Step.AGREE, Step.FAIL}
    | {Step.VISIT, Step.CLOSE, Step.CONFIRM}
)


def mediator_of(user: Viewer) -> Mediator | None:
    """The active mediator record of a staff account, or None."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active or user.is_citizen:
        return None
    try:
        mediator = user.mediator
    except Mediator.DoesNotExist:
        return None
    return mediator if mediator.active and mediator.room.active else None


def is_centre(mediator: Mediator | None, unit_path: str) -> bool:
    """A mediator of the centre's own staff (not one a department seats at a desk) whose unit holds the place."""
    return bool(
        mediator is not None
        and mediator.room.level == RoomLevel.CENTRE
        and mediator.desk_id is None
        and unit_path.startswith(mediator.room.unit.path)
    )


def relations(dispute: Dispute, user: Viewer) -> frozenset[Who]:
    """Every way `user` relates to `dispute`. `user=None` is the system."""
    if user is None:
        return frozenset({Who.SYSTEM})
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_citizen:
        return frozenset({Who.PARTY}) if is_party(dispute, user) else frozenset()
    mediator = mediator_of(user)
    if mediator is None:
        return frozenset()
    found: set[Who] = set()
    if is_centre(mediator, dispute.unit_path):
        found.add(Who.CENTRE)
    # A desk's mediator (a department's, seated at the centre) acts on the disputes assigned to them only.
    if dispute.room_id is not None and dispute.room_id == mediator.room_id and mediator.desk_id is None:
        found.add(Who.ROOM)
        if mediator.head:
            found.add(Who.HEAD)
    if dispute.pk is not None:
        for assignment in dispute.assignments.all():
            if assignment.mediator_id == mediator.pk:
                found.add(Who.ASSIGNED)
                if assignment.lead:
                    found.add(Who.LEAD)
    return frozenset(found)


# A respondent follows the dispute once the centre has taken it in: naming someone's phone on an application
# shows them nothing until then (nor ever, when it is declined).
RESPONDENT_SEES = frozenset(set(S.values) - {S.REGISTERED, S.DECLINED})


def is_party(dispute: Dispute, user: User) -> bool:
    if dispute.applicant_id is not None and dispute.applicant_id == user.pk:
        return True
    if not user.phone_hash:
        return False
    return any(
        p.phone_hash == user.phone_hash and (p.side == "applicant" or dispute.status in RESPONDENT_SEES)
        for p in dispute.parties.all()
    )


def may_read_content(dispute: Dispute, user: Viewer) -> bool:
    """Whether `user` may read the dispute's content (facts, parties, sessions, terms): the centre, its room,
    its mediators and its parties. Everyone else with reach over the place sees counts only."""
    return bool(relations(dispute, user) - {Who.SYSTEM})


def allowed(dispute: Dispute, step: str, user: Viewer) -> bool:
    rule = BY_STEP.get(step)
    return bool(rule is not None and dispute.status in rule.sources and rule.who & relations(dispute, user))


def allowed_steps(dispute: Dispute, user: Viewer) -> list[str]:
    if user is None:
        return []
    mine = relations(dispute, user)
    moot = set()
    if dispute.judicial_confirmation_on is not None or dispute.agreement != "written":
        moot.add(Step.CONFIRM)  # asked once, and only of a written agreement
    if dispute.extended_days >= MAX_EXTENDED_DAYS:
        moot.add(Step.EXTEND)  # extended as far as it goes
    return [
        r.step
        for r in TABLE
        if r.step not in NOT_EXPOSED | BESIDE and dispute.status in r.sources and r.who & mine and r.step not in moot
    ]


def may_add_party(dispute: Dispute, user: Viewer) -> bool:
    return allowed(dispute, Step.PARTY, user)
