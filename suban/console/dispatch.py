"""The dispatch centre's rows: a new, accepted or returned case with the unit the responsibility list
suggests, its possible duplicates, and the forms a dispatcher uses on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.lifecycle import allowed
from suban.cases.models import Case, CaseEvent, Status
from suban.cases.routing import route
from suban.cases.selectors import cases_visible_to
from suban.console.actions import SPECS, Outcome, blank_form
from suban.console.forms import ActionForm
from suban.console.pickers import matter_choice, unit_choice
from suban.errors import Invalid
from suban.intel.duplicates import Duplicate, possible_duplicates
from suban.intel.routing import Advice, advice_for
from suban.intel.suggest import Suggestion
from suban.org.models import Unit

INTAKE = (Status.NEW, Status.ACCEPTED)


@dataclass
class Row:
    case: Case
    suggestion: Unit | None = None
    no_suggestion: str = ""  # why the responsibility list gives no unit
    duplicates: list[Duplicate] = field(default_factory=list)
    return_event: CaseEvent | None = None
    forms: dict[str, ActionForm] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)  # form key → action
    merge_into: list[tuple[Duplicate, str]] = field(default_factory=list)  # (duplicate, form key)
    open: str = ""  # the form shown open: the one that was refused
    stale: bool = False
    refusal: list[str] = field(default_factory=list)  # why a form that is no longer offered was refused
    typed: list[tuple[str, str]] = field(default_factory=list)  # (label, text) a refused form held: not lost
    done: str = ""  # what was done, once the row is finished
    advice: Advice | None = None  # the model's suggestions (None: the person cannot dispatch it)
    model_forms: list[tuple[Suggestion, str]] = field(default_factory=list)  # (suggestion, form key or "")

    @property
    def quick_label(self) -> str:
        name = self.suggestion.name if self.suggestion is not None else ""
        if self.actions.get("quick") == "accept_dispatch":
            return _("Accept and send to %(unit)s") % {"unit": name}
        return _("Send to %(unit)s") % {"unit": name}


def model_choices(case: Case, send: str, advice: Advice) -> list[tuple[Suggestion, str, dict[str, Any]]]:
    """The model's suggestions a dispatcher can send the case to in one click: (suggestion, form key, the
    form's initial values). A returned case is not offered back to the unit that returned it."""
    choices: list[tuple[Suggestion, str, dict[str, Any]]] = []
    for i, s in enumerate(advice.suggestions):
        complained = bool(case.complained_path) and s.unit is not None and s.unit.path.startswith(case.complained_path)
        if not send or s.unit is None or complained or (case.status == Status.RETURNED and s.unit.pk == case.unit_id):
            choices.append((s, "", {}))  # shown, without a button
            continue
        initial = {"unit": unit_choice(s.unit), "matter": matter_choice(s.matter) if s.matter is not None else ""}
        choices.append((s, f"model-{i}", initial))
    return choices


def intake_cases(user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(status__in=INTAKE)
        .select_related("matter", "grid", "unit")
        .order_by("created_at", "pk")
    )


def returned_cases(user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(status=Status.RETURNED)
        .select_related("matter", "grid", "unit")
        .order_by("updated_at", "pk")
    )


def suggest(case: Case) -> tuple[Unit | None, str]:
    try:
        return route(case), ""
    except Invalid as exc:
        return None, exc.message


def _form_actions(case: Case, user: User, suggestion: Unit | None) -> dict[str, str]:
    """Form key → action, for what `user` may do to `case` now."""
    keys: dict[str, str] = {}
    if case.status == Status.NEW and allowed(case, "accept", user):
        send = "accept_dispatch"
    elif allowed(case, "dispatch", user):
        send = "dispatch"
    else:
        send = ""
    if send:
        # Re-dispatching a returned case to the unit that returned it is what "reject the return" is for.
        if suggestion is not None and suggestion.pk != (case.unit_id if case.status == Status.RETURNED else None):
            keys["quick"] = send
        keys["other"] = send
    for action in ("accept", "decline", "reject_return"):
        if allowed(case, action, user):
            keys[action] = action
    return keys


def build_row(case: Case, user: User, *, bound: tuple[str, Outcome] | None = None, done: str = "") -> Row:
    row = Row(case=case, done=done)
    if done:
        return row
    row.suggestion, row.no_suggestion = suggest(case)
    if case.status == Status.RETURNED:
        row.return_event = case.events.filter(action="return").select_related("actor", "actor_unit").last()
    row.actions = _form_actions(case, user, row.suggestion)
    model_initial: dict[str, dict[str, Any]] = {}
    send = row.actions.get("other", "")
    if send:
        row.advice = advice_for(case)
        for suggestion, key, values in model_choices(case, send, row.advice):
            row.model_forms.append((suggestion, key))
            if key:
                row.actions[key] = send
                model_initial[key] = values
    if allowed(case, "merge", user):
        row.duplicates = possible_duplicates(case, among=cases_visible_to(user))
        for dup in row.duplicates:
            if allowed(dup.case, "absorb", user):
                key = f"merge-{dup.case.number}"
                row.actions[key] = "merge"
                row.merge_into.append((dup, key))
    for key, action in row.actions.items():
        initial: dict[str, Any] = {}
        if key == "quick" and row.suggestion is not None:
            initial["unit"] = unit_choice(row.suggestion)
        if key.startswith("merge-"):
            initial["into"] = key.removeprefix("merge-")
        initial.update(model_initial.get(key, {}))
        row.forms[key] = blank_form(SPECS[action], case, prefix_id=f"{case.number}_{key}", initial=initial)
    if bound is not None:
        key, outcome = bound
        row.open, row.stale = key, outcome.stale
        if key in row.actions:
            row.forms[key] = outcome.form
        else:  # the form is gone (the case moved on, or it never was this person's): keep its message
            row.refusal = [str(e) for errors in outcome.form.errors.values() for e in errors]
            # Where the case is now, and what the person typed, so that nothing they wrote is lost.
            row.refusal.append(
                _("The case is now %(status)s%(unit)s.")
                % {
                    "status": Status(case.status).label,
                    "unit": _(", with %(unit)s") % {"unit": case.unit.name} if case.unit is not None else "",
                }
            )
            form = outcome.form
            row.typed = [
                (str(f.label), str(form.data.get(form.add_prefix(name), "")).strip())
                for name, f in form.fields.items()
                if not f.widget.is_hidden and str(form.data.get(form.add_prefix(name), "")).strip()
            ]
    return row
