"""The lead unit works the case: claim, return, escalate, whistle, notes, extensions, holds, reply."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases import deadlines
from suban.cases.lifecycle import held_for_mediation
from suban.cases.models import Case, CoHandler, SupervisionOrder
from suban.cases.reach import refuse_complained
from suban.cases.routing import level_of, next_up
from suban.cases.services.core import check, commit, own_step
from suban.cases.services.intake import send_to_unit
from suban.errors import Conflict, Forbidden, Invalid
from suban.org.models import Unit, UnitKind

RETURN_LIMIT_DAYS = 2  # a unit may return a case within 2 working days of receiving it
SUPERVISION_DAYS = 1


def _need(text: str, field: str, message: str) -> str:
    if not text or not text.strip():
        raise Invalid(message, field=field)
    return text.strip()


def case_handle_on_spot(*, case: Case, by: User, note: str = "", expected_version: int | None = None) -> Case:
    """即报即办: the grid worker who reported the case from their own grid takes it as the first receiver,
    in their grid's name and with the grid's deadline, and works on it at once (the reply is reviewed)."""
    check(case, "handle_on_spot", by, expected_version=expected_version)
    unit = by.unit  # the finder's grid: check() found them reaching the case from it
    if unit is None:
        raise Forbidden(_("Your account has no work role or unit yet; ask the security admin."))
    refuse_complained(case, unit)
    now = timezone.now()
    case.unit, case.unit_path, case.level = unit, unit.path, level_of(unit)
    deadlines.start_clock(case, now)
    case.claimed_at, case.handler = now, by
    commit(
        case,
        by=by,
        action="handle_on_spot",
        fields=("unit", "unit_path", "level", "handler", *deadlines.CLOCK_FIELDS),
        note=note,
        now=now,
        data={"unit": unit.code, "due_at": case.due_at.isoformat() if case.due_at else None},
    )
    return case


def case_claim(*, case: Case, by: User | None, expected_version: int | None = None) -> Case:
    check(case, "claim", by, expected_version=expected_version)
    now = timezone.now()
    case.claimed_at, case.handler = now, by
    commit(
        case,
        by=by,
        action="claim",
        fields=("claimed_at", "handler"),
        now=now,
        data={"in_time": bool(case.response_due_at and now <= case.response_due_at)},
    )
    return case


def case_return(*, case: Case, by: User | None, reason: str, expected_version: int | None = None) -> Case:
    check(case, "return", by, expected_version=expected_version)
    reason = _need(reason, "reason", _("Say why the case does not belong to your unit."))
    if case.return_final:
        raise Invalid(_("The dispatch centre has decided: this case cannot be returned again."))
    now = timezone.now()
    assert case.dispatched_at is not None
    if now > deadlines.office_clock(case).add_days(case.dispatched_at, RETURN_LIMIT_DAYS):
        raise Invalid(
            _("The return limit of %(days)d working days has passed.") % {"days": RETURN_LIMIT_DAYS}, field="reason"
        )
    case.return_count += 1
    commit(case, by=by, action="return", fields=("return_count",), note=reason, now=now, public=False)
    return case


def case_reject_return(*, case: Case, by: User | None, note: str, expected_version: int | None = None) -> Case:
    """The dispatch centre rules the return unfounded: the unit keeps the case and cannot return it again."""
    check(case, "reject_return", by, expected_version=expected_version)
    note = _need(note, "note", _("Say why the unit must handle the case."))
    case.return_final = True
    commit(case, by=by, action="reject_return", fields=("return_final",), note=note, public=False)
    return case


def case_escalate(
    *, case: Case, by: User | None, to_unit: Unit | None = None, note: str, expected_version: int | None = None
) -> Case:
    """吹哨报到: grid → community → street → district, or to a department."""
    check(case, "escalate", by, expected_version=expected_version)
    note = _need(note, "note", _("Say why the case needs a higher level."))
    assert case.unit is not None
    target = to_unit or next_up(case.unit)
    if to_unit is not None and to_unit.kind != UnitKind.DEPARTMENT and not to_unit.contains(case.unit):
        raise Invalid(_("Escalate to a unit above yours, or to a department."), field="to_unit")
    if target.pk == case.unit_id:
        raise Invalid(_("The case is already with %(unit)s.") % {"unit": target.name}, field="to_unit")
    case.escalation_count += 1
    return send_to_unit(case, by=by, action="escalate", lead=target, note=note)


def case_whistle(
    *,
    case: Case,
    by: User | None,
    unit: Unit,
    person: User | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Whistle a specialist or a department in beside the lead unit (a co-handler)."""
    check(case, "whistle", by, expected_version=expected_version)
    if unit.pk == case.unit_id:
        raise Invalid(_("The lead unit is already on the case."), field="unit")
    if person is not None and person.unit_id != unit.pk:
        raise Invalid(_("The person does not belong to that unit."), field="person")
    refuse_complained(case, unit)
    with own_step("whistle"):
        commit(
            case,
            by=by,
            action="whistle",
            note=note,
            data={"unit": unit.code, "person": person.username if person else None},
        )
        row, created = CoHandler.objects.get_or_create(
            case=case, unit=unit, defaults={"unit_path": unit.path, "person": person}
        )
        if not created and person is not None and row.person_id != person.pk:
            # The unit co-handles already: the specialist whistled in now is the one it sends.
            row.person = person
            row.save(update_fields=["person"])
    return case


def case_note(
    *, case: Case, by: User | None, note: str, public: bool = False, expected_version: int | None = None
) -> Case:
    check(case, "note", by, expected_version=expected_version)
    commit(case, by=by, action="note", note=_need(note, "note", _("Write the progress note.")), public=public)
    return case


MAX_DAYS = Decimal(100)  # no order or extension runs longer; a larger number is a typing error
MAX_SUPERVISION_DAYS = Decimal(30)


def _days(value: Any, maximum: Decimal = MAX_DAYS) -> Decimal:
    """A positive number of working days in halves (1, 1.5, 2 ...), at most `maximum`."""
    if isinstance(value, bool):
        raise Invalid(_("Give the number of working days."), field="days")
    try:
        days = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(_("Give the number of working days."), field="days") from None
    # NaN and infinities are not numbers of days (and NaN would raise on comparison).
    if not days.is_finite() or days <= 0 or days > maximum or (days * 2) != (days * 2).to_integral_value():
        raise Invalid(
            _("Give a positive number of working days, in halves, at most %(max)s.") % {"max": maximum},
            field="days",
        )
    return days


def case_request_extension(
    *, case: Case, by: User | None, days: Any, reason: str, expected_version: int | None = None
) -> Case:
    check(case, "request_extension", by, expected_version=expected_version)
    reason = _need(reason, "reason", _("Say why the case needs more time."))
    if case.pending_extension_days is not None:
        raise Invalid(_("An extension request is already waiting for a decision."))
    requested = _days(days, deadlines.MAX_EXTENSION_DAYS)
    if case.extension_days + requested > deadlines.MAX_EXTENSION_DAYS:
        raise Invalid(
            _("Extensions may add at most %(max)s working days in all.") % {"max": deadlines.MAX_EXTENSION_DAYS},
            field="days",
        )
    case.pending_extension_days = requested
    commit(
        case,
        by=by,
        action="request_extension",
        fields=("pending_extension_days",),
        note=reason,
        data={"days": str(requested)},
        public=False,
    )
    return case


def case_decide_extension(
    *, case: Case, by: User | None, approve: bool, note: str = "", expected_version: int | None = None
) -> Case:
    action = "approve_extension" if approve else "reject_extension"
    check(case, action, by, expected_version=expected_version)
    days = case.pending_extension_days
    if days is None:
        raise Invalid(_("No extension request is waiting."))
    now = timezone.now()
    case.pending_extension_days = None
    fields: tuple[str, ...] = ("pending_extension_days",)
    if approve:
        deadlines.extend(case, days)
        deadlines.schedule(case, now)
        if deadlines.current_alert(case, now) != case.alert and case.alert:
            case.alert = deadlines.current_alert(case, now)
        fields += ("extension_days", "due_at", "warn_at", "next_check_at", "alert")
    commit(
        case,
        by=by,
        action=action,
        fields=fields,
        note=note,
        now=now,
        data={"days": str(days), "due_at": case.due_at.isoformat() if case.due_at else None},
    )
    return case


def case_hold(*, case: Case, by: User | None, reason: str, expected_version: int | None = None) -> Case:
    check(case, "hold", by, expected_version=expected_version)
    reason = _need(reason, "reason", _("Say which rule requires the hold."))
    now = timezone.now()
    deadlines.pause(case, now)
    commit(case, by=by, action="hold", fields=("held_at", "next_check_at"), note=reason, now=now)
    return case


def case_resume(*, case: Case, by: User | None, note: str = "", expected_version: int | None = None) -> Case:
    check(case, "resume", by, expected_version=expected_version)
    if held_for_mediation(case):
        raise Conflict(_("The case waits for the mediation centre: it resumes when the dispute ends."))
    now = timezone.now()
    deadlines.resume(case, now)
    commit(case, by=by, action="resume", fields=("held_at", "due_at", "warn_at", "next_check_at"), note=note, now=now)
    return case


def case_to_mediation(*, case: Case, by: User | None, note: str, expected_version: int | None = None) -> Case:
    """The case's step to the mediation centre: on hold, its clock stopped, until case_mediated. The dispute
    itself is registered by suban.mediation.services.case_to_mediation, in the same transaction."""
    check(case, "to_mediation", by, expected_version=expected_version)
    note = _need(note, "note", _("Say why the case needs mediation."))
    now = timezone.now()
    deadlines.pause(case, now)
    commit(case, by=by, action="to_mediation", fields=("held_at", "next_check_at"), note=note, now=now)
    return case


def case_mediated(*, case: Case, note: str, data: dict[str, Any]) -> Case:
    """The mediation's outcome back on the case (by the system, as the dispute ends): the clock runs again
    with the time it had left, and the lead unit replies to the citizen."""
    check(case, "mediated", None)
    now = timezone.now()
    deadlines.resume(case, now)
    commit(
        case,
        by=None,
        action="mediated",
        fields=("held_at", "due_at", "warn_at", "next_check_at", "alert"),
        note=note,
        data=data,
        now=now,
    )
    return case


def case_reply(*, case: Case, by: User | None, reply: str, expected_version: int | None = None) -> Case:
    check(case, "reply", by, expected_version=expected_version)
    case.reply = _need(reply, "reply", _("Write the reply to the citizen."))
    case.replied_at = now = timezone.now()
    case.next_check_at = None
    # The text goes into the step too: a reply sent back, or one a reopened case replaces, stays in the record.
    data: dict[str, Any] = {"reply": case.reply, "in_time": bool(case.due_at and case.replied_at <= case.due_at)}
    note = ""
    if case.pending_extension_days is not None:
        # The unit has answered: the more time it asked for is no longer needed, and no one is left to decide it.
        data["extension_withdrawn"] = str(case.pending_extension_days)
        note = _("The reply withdraws the request for %(n)s more working days.") % {
            "n": f"{case.pending_extension_days.normalize():f}"
        }
        case.pending_extension_days = None
    commit(
        case,
        by=by,
        action="reply",
        fields=("reply", "replied_at", "next_check_at", "pending_extension_days"),
        note=note,
        now=now,
        public=False,
        data=data,
    )
    return case


def case_supervise(
    *,
    case: Case,
    by: User | None,
    note: str,
    days: Any = SUPERVISION_DAYS,
    expected_version: int | None = None,
    automatic: bool = False,
    now: datetime | None = None,
) -> SupervisionOrder:
    """督办: an order to the lead unit with a deadline of its own. `now`: the clock's instant (default: now)."""
    check(case, "supervise", by, expected_version=expected_version)
    note = _need(note, "note", _("Write what the unit must do."))
    now = now or timezone.now()
    due = deadlines.office_clock(case).add_days(now, _days(days, MAX_SUPERVISION_DAYS))
    case.supervision_count += 1
    with own_step("supervise"):
        # The order first, so that its step names it (the id its answer and its closing take).
        order = SupervisionOrder.objects.create(
            case=case, unit=case.unit, by=by, note=note, due_at=due, automatic=automatic
        )
        commit(
            case,
            by=by,
            action="supervise",
            fields=("supervision_count",),
            note=note,
            now=now,
            data={"order": order.pk, "due_at": due.isoformat(), "automatic": automatic},
            public=False,
        )
    return order


def supervision_feedback(
    *, order: SupervisionOrder, by: User | None, feedback: str, expected_version: int | None = None
) -> SupervisionOrder:
    """办理反馈: the lead unit says what it has done about an open supervision order (again: the latest
    feedback stands, every one is in the timeline)."""
    case = order.case
    check(case, "supervision_feedback", by, expected_version=expected_version)
    feedback = _need(feedback, "feedback", _("Write what the unit has done."))
    now = timezone.now()
    with own_step("supervision_feedback"):
        updated = SupervisionOrder.objects.filter(pk=order.pk, state=SupervisionOrder.State.OPEN).update(
            feedback=feedback, feedback_at=now, feedback_by=by
        )
        if updated != 1:
            raise Conflict(_("This supervision order is closed already."))
        commit(
            case,
            by=by,
            action="supervision_feedback",
            note=feedback,
            now=now,
            data={"order": order.pk},
            public=False,
        )
    order.feedback, order.feedback_at, order.feedback_by = feedback, now, by
    return order


def supervision_done(
    *, order: SupervisionOrder, by: User | None, note: str = "", expected_version: int | None = None
) -> SupervisionOrder:
    """A supervisor (or leader) in reach closes a supervision order: done, with when."""
    case = order.case
    check(case, "supervision_done", by, expected_version=expected_version)
    now = timezone.now()
    with own_step("supervision_done"):
        updated = SupervisionOrder.objects.filter(pk=order.pk, state=SupervisionOrder.State.OPEN).update(
            state=SupervisionOrder.State.DONE, outcome=SupervisionOrder.Outcome.DONE, done_at=now, done_by=by
        )
        if updated != 1:
            raise Conflict(_("This supervision order is closed already."))
        commit(
            case,
            by=by,
            action="supervision_done",
            note=note.strip(),
            now=now,
            data={"order": order.pk, "feedback": bool(order.feedback)},
            public=False,
        )
    order.state, order.outcome = SupervisionOrder.State.DONE, SupervisionOrder.Outcome.DONE
    order.done_at, order.done_by = now, by
    return order


def case_raise_level(
    *, case: Case, by: User | None, unit: Unit, note: str, expected_version: int | None = None
) -> Case:
    """提级办理: a supervisor or the dispatch centre hands the case to a higher unit."""
    check(case, "raise_level", by, expected_version=expected_version)
    note = _need(note, "note", _("Say why the level is raised."))
    if case.dispatched_at is None:
        # Answered by the service centre and rated unsatisfied: any unit may take it from here.
        case.escalation_count += 1
        return send_to_unit(case, by=by, action="raise_level", lead=unit, note=note)
    assert case.unit is not None
    if unit.pk == case.unit_id:
        raise Invalid(_("The case is already with %(unit)s.") % {"unit": unit.name}, field="unit")
    if unit.kind != UnitKind.DEPARTMENT and not unit.contains(case.unit):
        raise Invalid(_("Raise the case to a unit above its lead unit, or to a department."), field="unit")
    case.escalation_count += 1
    return send_to_unit(case, by=by, action="raise_level", lead=unit, note=note)


def case_add_info(*, case: Case, by: User | None, text: str, expected_version: int | None = None) -> Case:
    check(case, "add_info", by, expected_version=expected_version)
    commit(case, by=by, action="add_info", note=_need(text, "text", _("Write what you want to add.")))
    return case
