"""Each case action as the console offers it: a button of the action registry (suban.actions), with a form
made from the entry's inputs.

The buttons a case page shows are derived from the lifecycle table (suban.cases.lifecycle.allowed_actions);
this module only says how the console asks for each kind of input. `accept_dispatch` is the dispatch
centre's one click: accept a new case and dispatch it, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms as django_forms

from suban.accounts.models import User
from suban.actions import BUTTONS, Button, CaseAction, Finders, Input, Kind, perform
from suban.cases.lifecycle import ORDER_ACTIONS, allowed
from suban.cases.models import Action, Case
from suban.cases.selectors import open_supervision
from suban.cases.visibility import actions_for
from suban.console import forms as f
from suban.console.pickers import dispatchable_units, find_matter, find_unit
from suban.errors import Conflict, DomainError, NotFound

# Units and matters are typed by name or code, or picked from the suggestions.
FINDERS = Finders(
    unit=lambda text, field: find_unit(text, field=field, qs=dispatchable_units()),
    units=lambda texts, field: [find_unit(text, field=field, qs=dispatchable_units()) for text in texts],
    matter=lambda text, field: find_matter(text, field=field),
)


def _field(i: Input) -> django_forms.Field:
    """An input as a field of the console's form."""
    if i.kind is Kind.TEXT:
        return f.text_field(i.label, required=i.required, rows=i.rows, max_length=i.max_length or f.NOTE)
    if i.kind is Kind.CHOICE:
        assert i.choices is not None
        if i.radio:
            return django_forms.ChoiceField(
                label=i.label, required=i.required, choices=i.choices.choices, widget=django_forms.RadioSelect
            )
        return django_forms.ChoiceField(label=i.label, required=i.required, choices=[("", "—"), *i.choices.choices])
    if i.kind is Kind.FLAG:
        return f.yes_no_field(i.label) if i.required else django_forms.BooleanField(label=i.label, required=False)
    if i.kind is Kind.DAYS:
        return f.days_field(i.label, initial=i.default, max_value=i.max_days)
    if i.kind in (Kind.UNIT, Kind.MATTER):
        return f.PickerField(str(i.kind), label=i.label, required=i.required, help_text=i.help)
    if i.kind is Kind.UNITS:
        return f.ManyUnitsField(label=i.label, required=i.required)
    if i.kind is Kind.PERSON:
        return django_forms.CharField(label=i.label, required=i.required, max_length=i.max_length, help_text=i.help)
    if i.kind is Kind.CASE:
        return django_forms.CharField(
            label=i.label,
            required=i.required,
            max_length=i.max_length,
            widget=django_forms.TextInput(attrs={"inputmode": "numeric"}),
        )
    if i.kind is Kind.ORDER:
        return django_forms.IntegerField(widget=django_forms.HiddenInput)
    if i.kind is Kind.ARTICLE:
        return django_forms.IntegerField(widget=django_forms.HiddenInput, required=False, min_value=1)
    raise TypeError(f"the console cannot ask {i.kind} ({i.name})")


@cache
def _form_class(name: str) -> type[f.ActionForm]:
    entry, button = BUTTONS[name]
    fields = {i.name: _field(i) for i in entry.inputs_for(button)}
    return type(f"{name.title().replace('_', '')}Form", (f.ActionForm,), fields)


@dataclass(frozen=True)
class Spec:
    """A button of the console: the registry's entry and button, and the form that asks for its inputs."""

    name: str
    entry: CaseAction
    button: Button

    @property
    def form(self) -> type[f.ActionForm]:
        return _form_class(self.name)

    @property
    def danger(self) -> bool:
        return self.button.danger

    def perform(self, case: Case, user: User, data: Mapping[str, Any]) -> object:
        return perform(self.entry, case, user, data, find=FINDERS, button=self.button)


# Adding information is the citizen's own action, asked on the H5.
SPECS: dict[str, Spec] = {
    name: Spec(name, entry, button) for name, (entry, button) in BUTTONS.items() if name != Action.ADD_INFO
}

# Actions on the case's open supervision order (the earliest due), offered only while one is open.
ON_SUPERVISION = frozenset(ORDER_ACTIONS)


def page_actions(case: Case, user: User) -> list[str]:
    """The actions the case page offers `user` now: the table's, less those that have no form (absorbing is
    the other half of a merge; the clock alone warns)."""
    actions = [a for a in actions_for(case, user) if a in SPECS]
    on_order = [a for a in ORDER_ACTIONS if allowed(case, a, user)]
    if on_order and open_supervision(case) is not None:
        actions += on_order
    return actions


def may(case: Case, action: str, user: User) -> bool:
    """Whether the console should offer `action` (accept_dispatch stands for accept, then dispatch)."""
    return allowed(case, "accept" if action == "accept_dispatch" else action, user)


@dataclass
class Outcome:
    form: f.ActionForm
    done: bool = False
    stale: bool = False  # the case changed since the page was drawn: reload


def blank_form(spec: Spec, case: Case, *, prefix_id: str, initial: dict[str, Any] | None = None) -> f.ActionForm:
    return spec.form(initial={"version": case.version, **(initial or {})}, auto_id=f"id_{prefix_id}_%s")


def run(spec: Spec, case: Case, user: User, data: Any, *, prefix_id: str) -> Outcome:
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
        if field and isinstance(exc.details, dict) and exc.details.get("value"):
            form.bad_values[field] = str(exc.details["value"])  # which of several inputs of one name it was
    else:
        return Outcome(form, done=True)
    return Outcome(form)
