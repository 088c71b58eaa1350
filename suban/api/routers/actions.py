"""One endpoint per action of the lifecycle table, each with its own body. Every one finds the case within
the caller's reach (404 otherwise), calls one service, and answers with the case as it is now."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja import Router

from suban.accounts.selectors import staff_by_username
from suban.api.auth import caller
from suban.api.presenters import case_out
from suban.api.schemas.actions import (
    ActionIn,
    AddInfoIn,
    DecisionIn,
    DeclineIn,
    DispatchIn,
    EscalateIn,
    ExtensionIn,
    MergeIn,
    NoteIn,
    NoteOptionalIn,
    NoteRequiredIn,
    RaiseLevelIn,
    RateIn,
    ReasonIn,
    ReplyIn,
    SuperviseIn,
    SupervisionDoneIn,
    SupervisionFeedbackIn,
    WhistleIn,
)
from suban.api.schemas.cases import CaseOut
from suban.api.schemas.common import errors
from suban.api.table import ENDPOINTS
from suban.api.throttles import reads, writes
from suban.cases import services
from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.models import Case
from suban.cases.selectors import other_case, reload_case, supervision_order, visible_case
from suban.intel.routing import case_dispatch_chosen
from suban.org.selectors import unit_by_code, units_by_code

router = Router(tags=["case actions"])

F = TypeVar("F", bound=Callable[..., Any])


def _describe(table_actions: tuple[str, ...]) -> str:
    lines = []
    for name in table_actions:
        t = BY_ACTION[name]
        target = "unchanged" if SAME in t.targets else " or ".join(sorted(t.targets))
        lines.append(f"`{name}`: from {', '.join(sorted(t.sources))} to {target}; by {', '.join(sorted(t.actors))}.")
    return "\n\n".join(lines)


def action(slug: str, *table_actions: str, summary: str) -> Callable[[F], F]:
    unknown = [a for a in table_actions if a not in BY_ACTION]
    if unknown:
        raise ImproperlyConfigured(f"/actions/{slug} names actions the lifecycle table lacks: {unknown}")
    ENDPOINTS[slug] = table_actions
    return router.post(
        f"/{{number}}/actions/{slug}",
        response={200: CaseOut, **errors(403, 404, 409)},
        summary=summary,
        description=_describe(table_actions),
        operation_id=f"case_{slug.replace('-', '_')}",
        throttle=[reads, writes],
    )


def _done(request: HttpRequest, case: Case) -> Any:
    return case_out(reload_case(case), caller(request))


def _case(request: HttpRequest, number: str) -> Case:
    return visible_case(caller(request), number)


@action("accept", "accept", summary="Accept a new request")
def accept(request: HttpRequest, number: str, payload: NoteOptionalIn) -> Any:
    case = _case(request, number)
    services.case_accept(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("decline", "decline", summary="Decline a request, with the reason")
def decline(request: HttpRequest, number: str, payload: DeclineIn) -> Any:
    case = _case(request, number)
    services.case_decline(
        case=case, by=caller(request), reason=payload.reason, note=payload.note, expected_version=payload.version
    )
    return _done(request, case)


@action("merge", "merge", summary="Merge a duplicate into another case")
def merge(request: HttpRequest, number: str, payload: MergeIn) -> Any:
    case = _case(request, number)
    into = other_case(caller(request), payload.into, field="into")
    services.case_merge(case=case, by=caller(request), into=into, note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("dispatch", "dispatch", summary="Dispatch to a lead unit (and co-handlers)")
def dispatch(request: HttpRequest, number: str, payload: DispatchIn) -> Any:
    case = _case(request, number)
    case_dispatch_chosen(
        case=case,
        by=caller(request),
        unit=unit_by_code(payload.unit, field="unit") if payload.unit else None,
        co_units=units_by_code(payload.co_units, field="co_units"),
        note=payload.note,
        complained_unit=unit_by_code(payload.complained_unit, field="complained_unit")
        if payload.complained_unit
        else None,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("claim", "claim", summary="Claim a dispatched case for your unit")
def claim(request: HttpRequest, number: str, payload: ActionIn) -> Any:
    case = _case(request, number)
    services.case_claim(case=case, by=caller(request), expected_version=payload.version)
    return _done(request, case)


@action("handle-on-spot", "handle_on_spot", summary="Handle on the spot a case you reported from your own grid")
def handle_on_spot(request: HttpRequest, number: str, payload: NoteOptionalIn) -> Any:
    case = _case(request, number)
    services.case_handle_on_spot(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("return", "return", summary="Return a case that does not belong to your unit")
def return_(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    case = _case(request, number)
    services.case_return(case=case, by=caller(request), reason=payload.reason, expected_version=payload.version)
    return _done(request, case)


@action("reject-return", "reject_return", summary="Rule a return unfounded")
def reject_return(request: HttpRequest, number: str, payload: NoteRequiredIn) -> Any:
    case = _case(request, number)
    services.case_reject_return(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("escalate", "escalate", summary="Escalate to a higher unit or a department")
def escalate(request: HttpRequest, number: str, payload: EscalateIn) -> Any:
    case = _case(request, number)
    services.case_escalate(
        case=case,
        by=caller(request),
        to_unit=unit_by_code(payload.to_unit, field="to_unit") if payload.to_unit else None,
        note=payload.note,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("whistle", "whistle", summary="Whistle a unit or specialist in beside the lead unit")
def whistle(request: HttpRequest, number: str, payload: WhistleIn) -> Any:
    case = _case(request, number)
    services.case_whistle(
        case=case,
        by=caller(request),
        unit=unit_by_code(payload.unit, field="unit"),
        person=staff_by_username(payload.person, field="person") if payload.person else None,
        note=payload.note,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("note", "note", summary="Write a progress note")
def note(request: HttpRequest, number: str, payload: NoteIn) -> Any:
    case = _case(request, number)
    services.case_note(
        case=case, by=caller(request), note=payload.note, public=payload.public, expected_version=payload.version
    )
    return _done(request, case)


@action("extension", "request_extension", summary="Ask for more working days")
def request_extension(request: HttpRequest, number: str, payload: ExtensionIn) -> Any:
    case = _case(request, number)
    services.case_request_extension(
        case=case, by=caller(request), days=payload.days, reason=payload.reason, expected_version=payload.version
    )
    return _done(request, case)


@action("extension-decision", "approve_extension", "reject_extension", summary="Approve or reject an extension")
def decide_extension(request: HttpRequest, number: str, payload: DecisionIn) -> Any:
    case = _case(request, number)
    services.case_decide_extension(
        case=case, by=caller(request), approve=payload.approve, note=payload.note, expected_version=payload.version
    )
    return _done(request, case)


@action("hold", "hold", summary="Put the case on hold (the clock stops)")
def hold(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    case = _case(request, number)
    services.case_hold(case=case, by=caller(request), reason=payload.reason, expected_version=payload.version)
    return _done(request, case)


@action("resume", "resume", summary="Resume a case on hold")
def resume(request: HttpRequest, number: str, payload: NoteOptionalIn) -> Any:
    case = _case(request, number)
    services.case_resume(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("reply", "reply", summary="Reply to the citizen (reviewed before release)")
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> Any:
    case = _case(request, number)
    services.case_reply(case=case, by=caller(request), reply=payload.reply, expected_version=payload.version)
    return _done(request, case)


@action("review", "approve_reply", "send_back", summary="Release the reply, or send it back")
def review(request: HttpRequest, number: str, payload: DecisionIn) -> Any:
    case = _case(request, number)
    services.case_review_reply(
        case=case, by=caller(request), approve=payload.approve, note=payload.note, expected_version=payload.version
    )
    return _done(request, case)


@action("rate", "rate", summary="Rate the answer (the citizen, or the return visit)")
def rate(request: HttpRequest, number: str, payload: RateIn) -> Any:
    case = _case(request, number)
    services.case_rate(
        case=case,
        by=caller(request),
        satisfaction=payload.satisfaction,
        resolved=payload.resolved,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("reopen", "reopen", summary="Reopen an unsatisfied case for rectification")
def reopen(request: HttpRequest, number: str, payload: NoteRequiredIn) -> Any:
    case = _case(request, number)
    services.case_reopen(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("close", "close", summary="Close the case")
def close(request: HttpRequest, number: str, payload: NoteOptionalIn) -> Any:
    case = _case(request, number)
    services.case_close(case=case, by=caller(request), note=payload.note, expected_version=payload.version)
    return _done(request, case)


@action("supervise", "supervise", summary="Order the lead unit to act (督办)")
def supervise(request: HttpRequest, number: str, payload: SuperviseIn) -> Any:
    case = _case(request, number)
    services.case_supervise(
        case=case, by=caller(request), note=payload.note, days=payload.days, expected_version=payload.version
    )
    return _done(request, case)


@action("supervision-feedback", "supervision_feedback", summary="Answer a supervision order (办理反馈)")
def supervision_feedback(request: HttpRequest, number: str, payload: SupervisionFeedbackIn) -> Any:
    case = _case(request, number)
    services.supervision_feedback(
        order=supervision_order(case, payload.order),
        by=caller(request),
        feedback=payload.feedback,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("supervision-done", "supervision_done", summary="Close a supervision order as done")
def supervision_done(request: HttpRequest, number: str, payload: SupervisionDoneIn) -> Any:
    case = _case(request, number)
    services.supervision_done(
        order=supervision_order(case, payload.order),
        by=caller(request),
        note=payload.note,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("raise-level", "raise_level", summary="Hand the case to a higher unit (提级办理)")
def raise_level(request: HttpRequest, number: str, payload: RaiseLevelIn) -> Any:
    case = _case(request, number)
    services.case_raise_level(
        case=case,
        by=caller(request),
        unit=unit_by_code(payload.unit, field="unit"),
        note=payload.note,
        expected_version=payload.version,
    )
    return _done(request, case)


@action("add-info", "add_info", summary="Add information to your request")
def add_info(request: HttpRequest, number: str, payload: AddInfoIn) -> Any:
    case = _case(request, number)
    services.case_add_info(case=case, by=caller(request), text=payload.text, expected_version=payload.version)
    return _done(request, case)
