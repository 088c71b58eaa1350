"""An article's steps, as a table: from which state each starts, and who may take it.

A state is the article's status and its pending revision's state (or none). Who: an author is staff with a
writing role (a handler of a community, street or department, or a dispatcher) whose unit's subtree holds the
article's owning unit; a reviewer is a dispatcher or supervisor of the district. The district reviews what
is published, and nobody publishes what they wrote themselves (checked in the service).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.knowledge.models import Article, ArticleStatus, VersionState
from suban.org.models import UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Viewer = User | AnonymousUser | None

AUTHOR_ROLES = frozenset({Role.COMMUNITY_HANDLER, Role.STREET_HANDLER, Role.DEPARTMENT_HANDLER, Role.DISPATCHER})
REVIEWER_ROLES = frozenset({Role.DISPATCHER, Role.SUPERVISOR})

AUTHOR, REVIEWER = "author", "reviewer"
NONE = ""  # no pending revision


class Step(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    PUBLISH = "publish"
    SEND_BACK = "send_back"
    REVISE = "revise"
    DISCARD = "discard"
    RETIRE = "retire"
    RESTORE = "restore"


LABELS: dict[str, StrOrPromise] = {
    Step.EDIT: _("Edit"),
    Step.SUBMIT: _("Submit for review"),
    Step.PUBLISH: _("Publish"),
    Step.SEND_BACK: _("Send back"),
    Step.REVISE: _("Write a new version"),
    Step.DISCARD: _("Discard the revision"),
    Step.RETIRE: _("Retire"),
    Step.RESTORE: _("Publish again"),
}


@dataclass(frozen=True)
class Rule:
    step: Step
    statuses: frozenset[str]  # the article's
    pending: frozenset[str]  # the pending revision's state, NONE for none
    who: frozenset[str]


def _rule(step: Step, statuses: set[str], pending: set[str], who: set[str]) -> Rule:
    return Rule(step, frozenset(statuses), frozenset(pending), frozenset(who))


D, P, R = ArticleStatus.DRAFT, ArticleStatus.PUBLISHED, ArticleStatus.RETIRED
TABLE: tuple[Rule, ...] = (
    _rule(Step.EDIT, {D, P}, {VersionState.DRAFT}, {AUTHOR}),
    _rule(Step.SUBMIT, {D, P}, {VersionState.DRAFT}, {AUTHOR}),
    _rule(Step.PUBLISH, {D, P}, {VersionState.REVIEWING}, {REVIEWER}),
    _rule(Step.SEND_BACK, {D, P}, {VersionState.REVIEWING}, {REVIEWER}),
    _rule(Step.REVISE, {P}, {NONE}, {AUTHOR}),
    _rule(Step.DISCARD, {P}, {VersionState.DRAFT}, {AUTHOR}),
    _rule(Step.RETIRE, {P}, {NONE, VersionState.DRAFT}, {AUTHOR, REVIEWER}),
    _rule(Step.RESTORE, {R}, {NONE}, {REVIEWER}),
)
BY_STEP = {r.step: r for r in TABLE}


def staff_member(user: Viewer) -> User | None:
    """`user` when they are staff with a work role, else None (citizens, the anonymous, admin accounts)."""
    if isinstance(user, User) and user.is_authenticated and not user.is_citizen and user.roles:
        return user
    return None


def is_reviewer(user: Viewer) -> bool:
    staff = staff_member(user)
    return bool(
        staff is not None
        and staff.roles & REVIEWER_ROLES
        and staff.unit is not None
        and staff.unit.kind == UnitKind.DISTRICT
    )


def is_author_of_unit(user: Viewer, unit_path: str) -> bool:
    staff = staff_member(user)
    return bool(
        staff is not None
        and staff.roles & AUTHOR_ROLES
        and staff.unit is not None
        and unit_path.startswith(staff.unit.path)
    )


def relations(article: Article, user: Viewer) -> set[str]:
    found = set()
    if is_reviewer(user):
        found.add(REVIEWER)
    if is_author_of_unit(user, article.owner.path):
        found.add(AUTHOR)
    return found


def pending_state(article: Article) -> str:
    return article.pending.state if article.pending is not None else NONE


def allowed(article: Article, step: str, user: Viewer) -> bool:
    rule = BY_STEP[Step(step)]
    return (
        article.status in rule.statuses
        and pending_state(article) in rule.pending
        and bool(rule.who & relations(article, user))
    )


def allowed_steps(article: Article, user: Viewer) -> list[Step]:
    return [r.step for r in TABLE if allowed(article, r.step, user)]
