"""The lifecycle as one table: state × action → state, and who may act. The table is the documentation;
the services check it, and the console's buttons and the API's allowed actions are derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from suban.accounts.models import User
from suban.accounts.roles import HANDLER_ROLES, Role
from suban.accounts.scope import reach_of
from suban.cases.models import Action, Case, Status
from suban.cases.reach import hidden_from, holds

S = Status
SAME = "same"  # the action leaves the status as it is


class Actor(StrEnum):
    """How a person relates to a case. One person may be several at once."""

    DISPATCHER = "dispatcher"  # a dispatcher whose reach holds the case
    SUPERVISOR = "supervisor"
    LEADER = "leader"
    LEAD = "lead"  # a handler of the lead unit
    CO = "co"  # a handler of a co-handling unit
    OWNER = "owner"  # the citizen who asked
    FINDER = "finder"  # the grid worker who reported it from their own grid (即报即办)
    SYSTEM = "system"  # the deadline clock, imports, commands


GRID_ROLES = frozenset({Role.GRID_WORKER, Role.SPECIALIST})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    targets: frozenset[str]  # SAME, or the statuses the service may choose among
    actors: frozenset[Actor]


def t(action: Action, sources: set[str], targets: set[str] | str, actors: set[Actor]) -> Transition:
    target_set = {targets} if isinstance(targets, str) else targets
    return Transition(action, frozenset(sources), frozenset(target_set), frozenset(actors))


D, SUP, LDR, LEAD, CO, OWN, SYS, FND = (
    Actor.DISPATCHER,
    Actor.SUPERVISOR,
    Actor.LEADER,
    Actor.LEAD,
    Actor.CO,
    Actor.OWNER,
    Actor.SYSTEM,
    Actor.FINDER,
)
HANDLING: set[str] = {S.DISPATCHED, S.RETURNED, S.IN_PROGRESS, S.ON_HOLD, S.UNSATISFIED}
OPEN: set[str] = {s for s in Status.values if s not in {S.CLOSED, S.DECLINED, S.MERGED}}

TABLE: tuple[Transition, ...] = (
    # Intake: the dispatch centre accepts, or declines with a reason (Beijing Art. 11).
    t(Action.ACCEPT, {S.NEW}, S.ACCEPTED, {D, SYS}),
    t(Action.DECLINE, {S.NEW, S.ACCEPTED}, S.DECLINED, {D}),
    t(Action.MERGE, {S.NEW, S.ACCEPTED}, S.MERGED, {D, SYS}),
    # The case another one was merged into counts one more reporter.
    t(Action.ABSORB, OPEN - {S.NEW, S.MERGED}, SAME, {D, SYS}),
    # The simplest rung of the ladder: the grid worker who found it in their grid handles it on the spot,
    # as the first receiver; the reply still goes through the district's review.
    t(Action.HANDLE_ON_SPOT, {S.NEW}, S.IN_PROGRESS, {FND}),
    # 直接答复: the dispatch centre answers a consultation on the spot (from the knowledge base, typically);
    # the citizen gets the answer and rates it like any reply, and no unit is charged with it. Rated
    # unsatisfied, it is raised to a unit (raise_level), not reopened: there is no unit to reopen it to.
    t(Action.ANSWER, {S.NEW, S.ACCEPTED}, S.VISITING, {D}),
    # Dispatch to a lead unit (and co-handlers), by the responsibility list or by hand.
    t(Action.DISPATCH, {S.ACCEPTED, S.RETURNED}, S.DISPATCHED, {D, SYS}),
    t(Action.CLAIM, {S.DISPATCHED}, S.IN_PROGRESS, {LEAD}),
    # Return within the limit; the dispatch centre re-dispatches or rejects it, and then it is final.
    t(Action.RETURN, {S.DISPATCHED, S.IN_PROGRESS}, S.RETURNED, {LEAD}),
    t(Action.REJECT_RETURN, {S.RETURNED}, S.DISPATCHED, {D}),
    # 吹哨报到: hand it up the ladder, or whistle a specialist or a department in beside.
    t(Action.ESCALATE, {S.DISPATCHED, S.IN_PROGRESS}, S.DISPATCHED, {LEAD}),
    t(Action.WHISTLE, {S.IN_PROGRESS}, SAME, {LEAD}),
    t(Action.NOTE, {S.DISPATCHED, S.IN_PROGRESS, S.ON_HOLD, S.UNSATISFIED}, SAME, {LEAD, CO, SUP, LDR}),
    t(Action.REQUEST_EXTENSION, {S.IN_PROGRESS}, SAME, {LEAD}),
    t(Action.APPROVE_EXTENSION, {S.IN_PROGRESS}, SAME, {D, SUP}),
    t(Action.REJECT_EXTENSION, {S.IN_PROGRESS}, SAME, {D, SUP}),
    t(Action.HOLD, {S.IN_PROGRESS}, S.ON_HOLD, {D, SUP}),
    t(Action.RESUME, {S.ON_HOLD}, S.IN_PROGRESS, {D, SUP}),
    # The ladder's top rung (疑难 → 矛调中心): a dispute between people goes to the mediation centre as a dispute
    # of its own (suban.mediation), and the case waits on hold, its clock stopped, until the dispute ends
    # (agreed, failed with a referral, or declined): that outcome comes back as a step, and the lead unit
    # replies. A case held for mediation is not resumed by hand.
    t(Action.TO_MEDIATION, {S.IN_PROGRESS}, S.ON_HOLD, {LEAD, D, SUP}),
    t(Action.MEDIATED, {S.ON_HOLD}, S.IN_PROGRESS, {SYS}),
    # Reply, reviewed by the district before it is released (一门进一门出).
    t(Action.REPLY, {S.IN_PROGRESS}, S.REVIEWING, {LEAD}),
    t(Action.APPROVE_REPLY, {S.REVIEWING}, S.VISITING, {D}),
    t(Action.SEND_BACK, {S.REVIEWING}, S.IN_PROGRESS, {D}),
    # Return visit and rating; unsatisfied → reopen for rectification, or close with a note.
    t(Action.RATE, {S.VISITING}, {S.CLOSED, S.UNSATISFIED}, {OWN, SUP}),
    t(Action.REOPEN, {S.UNSATISFIED}, S.IN_PROGRESS, {SUP, D}),
    t(Action.CLOSE, {S.VISITING, S.UNSATISFIED}, S.CLOSED, {SUP, D}),
    # Supervision and raising the level.
    t(Action.SUPERVISE, HANDLING, SAME, {SUP, LDR, SYS}),
    # The lead unit answers an open supervision order; a supervisor or leader closes it (also once the case
    # has been replied to). The services also need an open order. The step that ends the case (close, rate,
    # decline, merge) ends its open orders with it (services.core.settle_orders).
    t(Action.SUPERVISION_FEEDBACK, HANDLING | {S.REVIEWING}, SAME, {LEAD}),
    t(Action.SUPERVISION_DONE, HANDLING | {S.REVIEWING, S.VISITING}, SAME, {SUP, LDR}),
    t(Action.RAISE_LEVEL, {S.DISPATCHED, S.RETURNED, S.IN_PROGRESS, S.UNSATISFIED}, S.DISPATCHED, {SUP, D, LDR}),
    # The citizen adds information while the case is open.
    t(Action.ADD_INFO, OPEN, SAME, {OWN}),
    # The deadline clock.
    t(Action.WARN, HANDLING | {S.REVIEWING}, SAME, {SYS}),
    t(Action.OVERDUE, HANDLING | {S.REVIEWING}, SAME, {SYS}),
)

BY_ACTION: dict[str, Transition] = {tr.action: tr for tr in TABLE}

# Table actions no person takes by themselves: absorbing is the other half of a merge, and the deadline
# clock alone warns and marks cases overdue. No face offers them.
NOT_EXPOSED = frozenset({Action.ABSORB} | {a for a, t in BY_ACTION.items() if t.actors == {Actor.SYSTEM}})
ACTIONS = tuple(BY_ACTION)


def relations(case: Case, user: User | None) -> frozenset[Actor]:
    """Every way `user` relates to `case`. `user=None` is the system."""
    if user is None:
        return frozenset({Actor.SYSTEM})
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_citizen:
        return frozenset({Actor.OWNER}) if case.citizen_id == user.pk else frozenset()
    found: set[Actor] = set()
    roles = user.roles
    path = reach_of(user).unit_path
    if path is not None and hidden_from(case, path):
        return frozenset()  # a complaint about the staff of their unit, or of one above it
    if path is not None and holds(case, path):
        if Role.DISPATCHER in roles:
            found.add(Actor.DISPATCHER)
        if Role.SUPERVISOR in roles:
            found.add(Actor.SUPERVISOR)
        if Role.LEADER in roles:
            found.add(Actor.LEADER)
    if case.reporter_id == user.pk and roles & GRID_ROLES and path is not None and case.area_path.startswith(path):
        found.add(Actor.FINDER)
    if roles & HANDLER_ROLES and user.unit_id is not None:
        if case.unit_id == user.unit_id:
            found.add(Actor.LEAD)
        elif case.pk is not None and any(co.unit_id == user.unit_id for co in case.co_handlers.all()):
            # (a case not yet written, inside an intake, has no co-handlers)
            found.add(Actor.CO)
    return frozenset(found)


def allowed(case: Case, action: str, user: User | None) -> bool:
    transition = BY_ACTION.get(action)
    if transition is None or case.status not in transition.sources:
        return False
    return bool(transition.actors & relations(case, user))


def held_for_mediation(case: Case) -> bool:
    """Whether the case's hold is the mediation centre's (its last hold was a step to mediation)."""
    if case.status != S.ON_HOLD or case.pk is None:
        return False
    last = case.events.filter(action__in=(Action.HOLD, Action.TO_MEDIATION)).order_by("-seq").first()
    return last is not None and last.action == Action.TO_MEDIATION


# Actions on one of the case's supervision orders rather than on the case: the table says who may take them
# and when, but they are offered only beside an open order (the console's supervision block, the API's
# order endpoints), not among the case's actions.
ORDER_ACTIONS = ("supervision_feedback", "supervision_done")


def allowed_actions(case: Case, user: User | None) -> list[str]:
    """The actions `user` may take on `case` now, in table order (the console's buttons), less those the case's
    extension request rules out: a decision while no request waits, a second request while one does (the
    services refuse both)."""
    if user is None:
        return []
    mine = relations(case, user)
    waiting = case.pending_extension_days is not None
    moot = {"request_extension"} if waiting else {"approve_extension", "reject_extension"}
    if case.status == S.ON_HOLD and held_for_mediation(case):
        moot.add("resume")  # the mediation centre's outcome resumes it
    if case.dispatched_at is None:
        moot.add("reopen")  # answered by the service centre, never sent to a unit: raised to one instead
    return [
        tr.action
        for tr in TABLE
        if case.status in tr.sources and tr.actors & mine and tr.action not in ORDER_ACTIONS and tr.action not in moot
    ]
