"""The reply goes out and comes back rated: review, rate, reopen, close."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases import deadlines
from suban.cases.models import Case, Satisfaction, Status
from suban.cases.services.core import check, commit
from suban.errors import Conflict, Invalid


def case_review_reply(
    *, case: Case, by: User | None, approve: bool, note: str = "", expected_version: int | None = None
) -> Case:
    """The district checks the reply before release; sent back, the unit works on (its deadline runs on)."""
    action = "approve_reply" if approve else "send_back"
    check(case, action, by, expected_version=expected_version)
    if not approve and not note.strip():
        raise Invalid(_("Say what the reply lacks."), field="note")
    now = timezone.now()
    fields: tuple[str, ...] = ()
    if not approve:
        deadlines.schedule(case, now)
        fields = ("next_check_at",)
    commit(
        case,
        by=by,
        action=action,
        fields=fields,
        note=note.strip(),
        now=now,
        public=approve,
        data={"reply": case.reply} if approve else {},
    )
    return case


def case_rate(
    *,
    case: Case,
    by: User | None,
    satisfaction: str,
    resolved: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> Case:
    """The citizen rates, or the supervisor records the return visit. Unsatisfied waits for a decision."""
    check(case, "rate", by, expected_version=expected_version)
    if satisfaction not in Satisfaction.values:
        raise Invalid(_("Choose satisfied, basically satisfied or unsatisfied."), field="satisfaction")
    now = timezone.now()
    case.satisfaction, case.resolved, case.rating_comment = satisfaction, bool(resolved), comment.strip()[:500]
    fields: tuple[str, ...] = ("satisfaction", "resolved", "rating_comment")
    if satisfaction == Satisfaction.UNSATISFIED:
        to = Status.UNSATISFIED
    else:
        to = Status.CLOSED
        case.closed_at = now
        fields += ("closed_at",)
    commit(
        case,
        by=by,
        action="rate",
        to=to,
        fields=fields,
        note=case.rating_comment,
        now=now,
        data={"satisfaction": satisfaction, "resolved": bool(resolved)},
    )
    return case


def case_answer(
    *, case: Case, by: User | None, reply: str, expected_version: int | None = None, data: dict[str, Any] | None = None
) -> Case:
    """直接答复: the dispatch centre answers a request on the spot (a consultation the knowledge base answers).
    The answer goes to the citizen at once, who rates it like a released reply; no unit holds the case."""
    check(case, "answer", by, expected_version=expected_version)
    text = reply.strip()
    if not text:
        raise Invalid(_("Write the answer to the citizen."), field="reply")
    case.reply = text
    case.replied_at = now = timezone.now()
    case.next_check_at = None
    commit(
        case,
        by=by,
        action="answer",
        fields=("reply", "replied_at", "next_check_at"),
        now=now,
        data={**(data or {}), "reply": text},
    )
    return case


def case_reopen(*, case: Case, by: User | None, note: str, expected_version: int | None = None) -> Case:
    """重办: back to the lead unit for rectification, with a fresh deadline."""
    check(case, "reopen", by, expected_version=expected_version)
    if case.dispatched_at is None:
        raise Conflict(
            _("The service centre answered this case itself: raise it to a unit (提级办理) to have it handled.")
        )
    if not note.strip():
        raise Invalid(_("Say what must be put right."), field="note")
    now = timezone.now()
    deadlines.start_clock(case, now)
    case.claimed_at = now  # the unit holds it already: no new claim
    case.reopen_count += 1
    # The round's rating stays in its event; the case holds none until the next one.
    case.satisfaction, case.resolved, case.rating_comment = "", None, ""
    commit(
        case,
        by=by,
        action="reopen",
        note=note.strip(),
        now=now,
        fields=(
            "dispatched_at",
            "response_due_at",
            "claimed_at",
            "due_at",
            "warn_at",
            "limit_days",
            "extension_days",
            "pending_extension_days",
            "held_at",
            "alert",
            "next_check_at",
            "reopen_count",
            "satisfaction",
            "resolved",
            "rating_comment",
        ),
    )
    return case


def case_close(*, case: Case, by: User | None, note: str = "", expected_version: int | None = None) -> Case:
    check(case, "close", by, expected_version=expected_version)
    if case.status == Status.UNSATISFIED and not note.strip():
        raise Invalid(_("Say why the case closes although the citizen is unsatisfied."), field="note")
    case.closed_at = now = timezone.now()
    case.next_check_at = None
    commit(case, by=by, action="close", fields=("closed_at", "next_check_at"), note=note.strip(), now=now)
    return case
