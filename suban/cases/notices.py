"""Which step of a case tells whom what. Called in the step's transaction; the messages wait in the outbox
until it commits.

Citizens hear of acceptance, of the reply once the district released it, and of the closing; every reporter
of a duplicate merged into the case hears of its reply and closing too. Staff hear of a case handed to
their unit, of the yellow warning and of the deadline passing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import translation

from suban.accounts.models import AccountKind, User
from suban.accounts.roles import HANDLER_ROLES
from suban.cases.models import Action as A
from suban.cases.models import Case, CaseEvent, Status
from suban.cases.services import DeclineReason
from suban.cases.visibility import RELEASED
from suban.notify.models import Outbox, TemplateCode
from suban.notify.services import Recipient, is_mobile, outbox_add_many, outbox_row
from suban.org.models import Unit

logger = logging.getLogger(__name__)

# The actions that put a case (or a share of it) in a unit's hands.
HANDED_OVER = frozenset({A.DISPATCH, A.ESCALATE, A.RAISE_LEVEL, A.REJECT_RETURN, A.REOPEN, A.WHISTLE})
TELLING = HANDED_OVER | {A.ACCEPT, A.DECLINE, A.APPROVE_REPLY, A.ANSWER, A.MERGE, A.CLOSE, A.RATE, A.WARN, A.OVERDUE}
MERGE_DEPTH = 5  # a case that absorbed others may itself be merged; follow the chain this far

_muted: ContextVar[bool] = ContextVar("notify_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Steps taken inside tell nobody (loading a demo history is not news)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Whether the steps taken now tell nobody (inside muted())."""
    return _muted.get()


def on_events_recorded(sender: Any, events: list[CaseEvent], **kwargs: Any) -> None:
    """The steps of an intake or a batch of intakes, set-based: the messages of all of them are rendered
    (templates from the cache, each unit's handlers read once) and written in one INSERT. An event whose
    messages cannot be made loses only its own; if the INSERT fails, the batch's messages are lost (logged),
    never its steps."""
    if _muted.get():
        return
    telling = [e for e in events if e.action in TELLING]
    if not telling:
        return
    try:
        with transaction.atomic():
            rows: list[Outbox] = []
            handlers: dict[int, list[User]] = {}
            for event in telling:
                try:
                    rows += event_messages(event.case, event, handlers)
                except Exception:
                    logger.exception("no messages for event %s of case %s", event.action, event.case.number)
            outbox_add_many(rows)
    except Exception:
        if len(telling) == 1:
            logger.exception("no messages for event %s of case %s", telling[0].action, telling[0].case.number)
        else:
            logger.exception("no messages for %d case events", len(telling))


def event_messages(case: Case, event: CaseEvent, handlers: dict[int, list[User]]) -> list[Outbox]:
    """The outbox rows (not yet written) that `event` of `case` makes. `handlers`: each unit's handlers
    already read by the caller (unit id -> people), filled as units are met."""
    action = event.action
    if action == A.ACCEPT:
        return _tell_citizens(TemplateCode.CASE_ACCEPTED, reporters(case, merged=False))
    if action == A.DECLINE:
        # Art. 11: the citizen is told that the request is not taken, and why (where it belongs instead).
        with translation.override("zh-hans"):
            reason = str(DeclineReason(case.decline_reason).label) if case.decline_reason else ""
        return _tell_citizens(TemplateCode.CASE_DECLINED, reporters(case, merged=False), reason=reason)
    if action in (A.APPROVE_REPLY, A.ANSWER):
        return _tell_citizens(TemplateCode.CASE_REPLIED, reporters(case))
    if action == A.MERGE and case.merged_into is not None and case.merged_into.status in RELEASED:
        # Merged into a case whose reply is out already: the new reporter hears of it at once.
        return _tell_citizens(TemplateCode.CASE_REPLIED, reporters(case))
    if action == A.CLOSE or (action == A.RATE and event.to_status == Status.CLOSED):
        # A citizen who rated (and so closed) the case knows it; everyone else who reported it is told.
        told = [(r, c) for r, c in reporters(case) if r.user is None or r.user != event.actor]
        return _tell_citizens(TemplateCode.CASE_CLOSED, told)
    if action in HANDED_OVER:
        return _tell_staff(case, TemplateCode.STAFF_NEW_CASE, _receivers(case, event, handlers), exclude=event.actor)
    if action == A.WARN:
        return _tell_staff(case, TemplateCode.STAFF_DEADLINE_YELLOW, _holders(case, handlers), exclude=None)
    if action == A.OVERDUE:
        return _tell_staff(case, TemplateCode.STAFF_OVERDUE, _holders(case, handlers), exclude=None)
    return []


def reporters(case: Case, *, merged: bool = True) -> list[tuple[Recipient, Case]]:
    """Everyone who reported the case and can get an SMS, each with the case they reported (the number
    they know): its contact (or its citizen's phone), and with `merged` the reporters of the duplicates
    merged into it. One message per phone number."""
    cases = [case]
    if merged:
        frontier = [case.pk]
        for _depth in range(MERGE_DEPTH):
            found = list(Case.objects.filter(merged_into_id__in=frontier).select_related("citizen").order_by("pk"))
            if not found:
                break
            cases += found
            frontier = [c.pk for c in found]
    seen: set[str] = set()
    result = []
    for c in cases:
        citizen = c.citizen if c.citizen_id else None
        phone = c.contact_phone or (citizen.phone if citizen is not None else "")
        if is_mobile(phone) and phone not in seen:
            seen.add(phone)
            result.append((Recipient(phone=phone, user=citizen), c))
    return result


def _tell_citizens(template: str, recipients: list[tuple[Recipient, Case]], **extra: Any) -> list[Outbox]:
    rows = []
    for recipient, reported in recipients:
        context = {"number": reported.number, "title": reported.title, **extra}
        row = outbox_row(template=template, to=recipient, context=context, case=reported)
        if row is not None:
            rows.append(row)
    return rows


def _handlers_of(unit: Unit, handlers: dict[int, list[User]]) -> list[User]:
    if unit.pk not in handlers:
        handlers[unit.pk] = unit_handlers(unit)
    return handlers[unit.pk]


def unit_handlers(unit: Unit) -> list[User]:
    """The active staff of `unit` who handle cases; a unit without handlers (the district) is told
    through whoever has a work role there."""
    staff = User.objects.filter(unit=unit, kind=AccountKind.STAFF, is_active=True, admin_role="")
    handlers = list(staff.filter(staff_roles__role__in=HANDLER_ROLES).distinct())
    return handlers or list(staff.filter(staff_roles__isnull=False).distinct())


def _receivers(case: Case, event: CaseEvent, handlers: dict[int, list[User]]) -> list[tuple[User, Unit]]:
    """Who was handed the case by `event`: the lead unit's handlers; with a whistle, the whistled unit (or
    the person named); with a dispatch, the co-handling units' handlers too."""
    data = event.data or {}
    if event.action == A.WHISTLE:
        unit = Unit.objects.filter(code=data.get("unit")).first()
        if unit is None:
            return []
        person = User.objects.filter(username=data.get("person"), unit=unit, is_active=True).first()
        return [(person, unit)] if person is not None else [(u, unit) for u in _handlers_of(unit, handlers)]
    assert case.unit is not None
    result = [(u, case.unit) for u in _handlers_of(case.unit, handlers)]
    co_codes = data.get("co_units") or []
    for co in Unit.objects.filter(code__in=co_codes) if co_codes else []:
        result += [(u, co) for u in _handlers_of(co, handlers)]
    return result


def _holders(case: Case, handlers: dict[int, list[User]]) -> list[tuple[User, Unit]]:
    """Whoever holds the case now: its handler once claimed, else the lead unit's handlers."""
    if case.unit is None:
        return []
    handler = case.handler if case.handler_id else None
    if handler is not None and handler.is_active and handler.unit_id == case.unit_id:
        return [(handler, case.unit)]
    return [(u, case.unit) for u in _handlers_of(case.unit, handlers)]


def _tell_staff(case: Case, template: str, people: list[tuple[User, Unit]], *, exclude: Any) -> list[Outbox]:
    rows = []
    told: set[int] = set()
    for user, unit in people:
        if user.pk in told or (exclude is not None and user.pk == exclude.pk):
            continue
        told.add(user.pk)
        context = {"number": case.number, "title": case.title, "unit": unit.name, "due": case.due_at}
        to = Recipient(phone=user.phone, email=user.email, user=user)
        row = outbox_row(template=template, to=to, context=context, case=case)
        if row is not None:
            rows.append(row)
    return rows
