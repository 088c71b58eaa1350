"""Each lifecycle action as the console offers it: its form and the one service it calls.

The buttons a case page shows are derived from the lifecycle table (suban.cases.lifecycle.allowed_actions);
this module only says how to ask for each action's input. `accept_dispatch` is the dispatch centre's one
click: accept a new case and dispatch it, in one transaction (suban.intel.routing.case_dispatch_chosen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from suban.accounts.selectors import staff_by_username
from suban.cases import services
from suban.cases.lifecycle import ORDER_ACTIONS, allowed
from suban.cases.models import Case
from suban.cases.selectors import open_supervision, other_case, supervision_order
from suban.cases.visibility import actions_for
from suban.catalogue.models import Matter
from suban.console import forms as f
from suban.console.pickers import dispatchable_units, find_matter, find_unit
from suban.errors import Conflict, DomainError, NotFound
from suban.intel.routing import case_dispatch_chosen
from suban.org.models import Unit

Perform = Callable[[Case, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class Spec:
    name: str
    form: type[f.ActionForm]
    perform: Perform
    danger: bool = False  # drawn as a secondary, cautionary button


def _unit(data: dict[str, Any], field: str) -> Unit | None:
    text = data.get(field) or ""
    return find_unit(text, field=field, qs=dispatchable_units()) if text.strip() else None


def _units(data: dict[str, Any], field: str) -> list[Unit]:
    return [find_unit(text, field=field, qs=dispatchable_units()) for text in data.get(field) or []]


def _merge(case: Case, by: Any, d: dict[str, Any]) -> None:
    into = other_case(by, d["into"].strip(), field="into")
    services.case_merge(case=case, by=by, into=into, note=d["note"], expected_version=d["version"])


def _matter(data: dict[str, Any]) -> Matter | None:
    text = data.get("matter") or ""
    return find_matter(text, field="matter") if text.strip() else None


def _dispatch(case: Case, by: Any, d: dict[str, Any], *, accept: bool = False) -> None:
    # Look everything up first, so that a typing error refuses before anything is written.
    unit, co_units, matter = _unit(d, "unit"), _units(d, "co_units"), _matter(d)
    case_dispatch_chosen(
        case=case,
        by=by,
        unit=unit,
        co_units=co_units,
        note=d["note"],
        complained_unit=_unit(d, "complained_unit"),
        matter=matter,
        accept=accept,
        expected_version=d["version"],
    )


def _accept_dispatch(case: Case, by: Any, d: dict[str, Any]) -> None:
    _dispatch(case, by, d, accept=True)


def _escalate(case: Case, by: Any, d: dict[str, Any]) -> None:
    services.case_escalate(case=case, by=by, to_unit=_unit(d, "to_unit"), note=d["note"], expected_version=d["version"])


def _whistle(case: Case, by: Any, d: dict[str, Any]) -> None:
    unit = _unit(d, "unit")
    assert unit is not None  # a required field
    services.case_whistle(
        case=case,
        by=by,
        unit=unit,
        person=staff_by_username(d["person"], field="person") if d["person"].strip() else None,
        note=d["note"],
        expected_version=d["version"],
    )


# Actions on the case's open supervision order (the earliest due), offered only while one is open.
ON_SUPERVISION = frozenset(ORDER_ACTIONS)


def _raise_level(case: Case, by: Any, d: dict[str, Any]) -> None:
    unit = _unit(d, "unit")
    assert unit is not None
    services.case_raise_level(case=case, by=by, unit=unit, note=d["note"], expected_version=d["version"])


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec(
            "accept",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_accept(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec(
            "decline",
            f.DeclineForm,
            lambda c, by, d: services.case_decline(
                case=c, by=by, reason=d["reason"], note=d["note"], expected_version=d["version"]
            ),
            danger=True,
        ),
        Spec("merge", f.MergeForm, _merge),
        Spec("dispatch", f.DispatchForm, _dispatch),
        Spec("accept_dispatch", f.DispatchForm, _accept_dispatch),
        Spec("claim", f.ClaimForm, lambda c, by, d: services.case_claim(case=c, by=by, expected_version=d["version"])),
        Spec(
            "handle_on_spot",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_handle_on_spot(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec(
            "return",
            f.ReasonForm,
            lambda c, by, d: services.case_return(case=c, by=by, reason=d["reason"], expected_version=d["version"]),
            danger=True,
        ),
        Spec(
            "reject_return",
            f.NoteRequiredForm,
            lambda c, by, d: services.case_reject_return(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec("escalate", f.EscalateForm, _escalate),
        Spec("whistle", f.WhistleForm, _whistle),
        Spec(
            "note",
            f.NoteForm,
            lambda c, by, d: services.case_note(
                case=c, by=by, note=d["note"], public=d["public"], expected_version=d["version"]
            ),
        ),
        Spec(
            "request_extension",
            f.ExtensionForm,
            lambda c, by, d: services.case_request_extension(
                case=c, by=by, days=d["days"], reason=d["reason"], expected_version=d["version"]
            ),
        ),
        Spec(
            "approve_extension",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_decide_extension(
                case=c, by=by, approve=True, note=d["note"], expected_version=d["version"]
            ),
        ),
        Spec(
            "reject_extension",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_decide_extension(
                case=c, by=by, approve=False, note=d["note"], expected_version=d["version"]
            ),
            danger=True,
        ),
        Spec(
            "hold",
            f.ReasonForm,
            lambda c, by, d: services.case_hold(case=c, by=by, reason=d["reason"], expected_version=d["version"]),
            danger=True,
        ),
        Spec(
            "resume",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_resume(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec(
            "reply",
            f.ReplyForm,
            lambda c, by, d: services.case_reply(case=c, by=by, reply=d["reply"], expected_version=d["version"]),
        ),
        Spec(
            "approve_reply",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_review_reply(
                case=c, by=by, approve=True, note=d["note"], expected_version=d["version"]
            ),
        ),
        Spec(
            "send_back",
            f.NoteRequiredForm,
            lambda c, by, d: services.case_review_reply(
                case=c, by=by, approve=False, note=d["note"], expected_version=d["version"]
            ),
            danger=True,
        ),
        Spec(
            "rate",
            f.RateForm,
            lambda c, by, d: services.case_rate(
                case=c,
                by=by,
                satisfaction=d["satisfaction"],
                resolved=d["resolved"],
                comment=d["comment"],
                expected_version=d["version"],
            ),
        ),
        Spec(
            "reopen",
            f.NoteRequiredForm,
            lambda c, by, d: services.case_reopen(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec(
            "close",
            f.NoteOptionalForm,
            lambda c, by, d: services.case_close(case=c, by=by, note=d["note"], expected_version=d["version"]),
        ),
        Spec(
            "supervise",
            f.SuperviseForm,
            lambda c, by, d: services.case_supervise(
                case=c, by=by, note=d["note"], days=d["days"], expected_version=d["version"]
            ),
        ),
        Spec(
            "supervision_feedback",
            f.SupervisionFeedbackForm,
            lambda c, by, d: services.supervision_feedback(
                order=supervision_order(c, d["order"]), by=by, feedback=d["feedback"], expected_version=d["version"]
            ),
        ),
        Spec(
            "supervision_done",
            f.SupervisionDoneForm,
            lambda c, by, d: services.supervision_done(
                order=supervision_order(c, d["order"]), by=by, note=d["note"], expected_version=d["version"]
            ),
        ),
        Spec("raise_level", f.RaiseLevelForm, _raise_level),
    )
}


def page_actions(case: Case, user: Any) -> list[str]:
    """The actions the case page offers `user` now: the table's, less those that have no form (absorbing is
    the other half of a merge; the clock alone warns)."""
    actions = [a for a in actions_for(case, user) if a in SPECS]
    on_order = [a for a in ORDER_ACTIONS if allowed(case, a, user)]
    if on_order and open_supervision(case) is not None:
        actions += on_order
    return actions


def may(case: Case, action: str, user: Any) -> bool:
    """Whether the console should offer `action` (accept_dispatch stands for accept, then dispatch)."""
    return allowed(case, "accept" if action == "accept_dispatch" else action, user)


@dataclass
class Outcome:
    form: f.ActionForm
    done: bool = False
    stale: bool = False  # the case changed since the page was drawn: reload


def blank_form(spec: Spec, case: Case, *, prefix_id: str, initial: dict[str, Any] | None = None) -> f.ActionForm:
    return spec.form(initial={"version": case.version, **(initial or {})}, auto_id=f"id_{prefix_id}_%s")


def run(spec: Spec, case: Case, user: Any, data: Any, *, prefix_id: str) -> Outcome:
    """Validate the form, call the service; a refusal lands next to its field (or above the form)."""
    form = spec.form(data, auto_id=f"id_{prefix_id}_%s")
    if not form.is_valid():
        return Outcome(form)
    try:
        spec.perform(case, user, form.cleaned_data)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return Outcome(form, stale=True)
    except NotFound as exc:
        form.add_error(None, exc.message)
    except DomainError as exc:
        # A refusal of a hidden input (the version, the order a button stands for) is said above the form.
        named = form.fields.get(exc.field or "")
        field = exc.field if named is not None and not named.widget.is_hidden else None
        form.add_error(field, exc.message)
    else:
        return Outcome(form, done=True)
    return Outcome(form)
