"""The console's forms: one per lifecycle action (what its service needs, and the version the page showed),
and the inbox's filters. Units and matters are typed or picked (suban.console.pickers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.cases.models import Nature, Satisfaction, Status
from suban.cases.services import DeclineReason
from suban.catalogue.models import CaseType
from suban.form_errors import NamedErrors

NOTE = 5000
MAX_CO_UNITS = 20


def _text(label: Any, *, required: bool, rows: int = 2, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PickerField(forms.CharField):
    """A unit or matter typed by name or code, with a list of suggestions as one types."""

    def __init__(self, picker: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)
        self.picker = picker


class ManyInputs(forms.Widget):
    """Several inputs of one name (co-handling units); the template draws them."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        return [str(v) for v in values]


class ManyUnitsField(forms.Field):
    widget = ManyInputs

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.picker = "units"

    def to_python(self, value: Any) -> list[str]:
        items = [v.strip() for v in (value or []) if v and v.strip()]
        if len(items) > MAX_CO_UNITS:
            raise forms.ValidationError(_("At most %(n)d co-handling units.") % {"n": MAX_CO_UNITS})
        return list(dict.fromkeys(items))


class ActionForm(NamedErrors, forms.Form):
    # The server says what is missing, next to the field, in the page's language; no browser bubbles.
    use_required_attribute = False

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NoteOptionalForm(ActionForm):
    note = _text(gettext_lazy("Note"), required=False)


class NoteRequiredForm(ActionForm):
    note = _text(gettext_lazy("Note"), required=True)


class ReasonForm(ActionForm):
    reason = _text(gettext_lazy("Reason"), required=True)


class ClaimForm(ActionForm):
    pass


class DeclineForm(ActionForm):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=[("", "—"), *DeclineReason.choices])
    note = _text(gettext_lazy("Note"), required=False)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=gettext_lazy("Case number it duplicates"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    note = _text(gettext_lazy("Note"), required=False)


class DispatchForm(ActionForm):
    unit = PickerField(
        "unit",
        label=gettext_lazy("Lead unit"),
        required=False,
        help_text=gettext_lazy("Empty: the unit the responsibility list gives."),
    )
    co_units = ManyUnitsField(label=gettext_lazy("Co-handling units"), required=False)
    complained_unit = PickerField(
        "unit",
        label=gettext_lazy("Complaint about the staff of"),
        required=False,
        help_text=gettext_lazy("A complaint about a unit's staff: that unit and the units under it never see it."),
    )
    matter = PickerField(
        "matter",
        label=gettext_lazy("Matter"),
        required=False,
        help_text=gettext_lazy("What the request is about, if the suggestions missed it: the next model learns it."),
    )
    note = _text(gettext_lazy("Note"), required=False)


class EscalateForm(ActionForm):
    to_unit = PickerField(
        "unit",
        label=gettext_lazy("To unit"),
        required=False,
        help_text=gettext_lazy("Empty: one level up. Or a department."),
    )
    note = _text(gettext_lazy("Why a higher level is needed"), required=True)


class WhistleForm(ActionForm):
    unit = PickerField("unit", label=gettext_lazy("Unit whistled in"))
    person = forms.CharField(
        label=gettext_lazy("Specialist (user name)"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Optional: a specialist of that unit."),
    )
    note = _text(gettext_lazy("Note"), required=False)


class NoteForm(ActionForm):
    note = _text(gettext_lazy("Progress note"), required=True, rows=3)
    public = forms.BooleanField(label=gettext_lazy("Show it to the citizen"), required=False)


def _days(label: Any, *, initial: Decimal | None = None, max_value: int = 10) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        initial=initial,
        min_value=Decimal("0.5"),
        max_value=max_value,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class ExtensionForm(ActionForm):
    days = _days(gettext_lazy("Working days"))
    reason = _text(gettext_lazy("Why more time is needed"), required=True)


class ReplyForm(ActionForm):
    reply = _text(gettext_lazy("Reply to the citizen"), required=True, rows=5)


class RateForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=gettext_lazy("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    resolved = forms.TypedChoiceField(
        label=gettext_lazy("Resolved"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("What the citizen said"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuperviseForm(ActionForm):
    note = _text(gettext_lazy("What the unit must do"), required=True)
    days = _days(gettext_lazy("Working days to act"), initial=Decimal(1), max_value=30)


class SupervisionFeedbackForm(ActionForm):
    order = forms.IntegerField(widget=forms.HiddenInput)
    feedback = _text(gettext_lazy("What the unit has done"), required=True)


class SupervisionDoneForm(ActionForm):
    order = forms.IntegerField(widget=forms.HiddenInput)
    note = _text(gettext_lazy("Note"), required=False)


class RaiseLevelForm(ActionForm):
    unit = PickerField("unit", label=gettext_lazy("Higher unit or department"))
    note = _text(gettext_lazy("Why the level is raised"), required=True)


class InboxFilters(NamedErrors, forms.Form):
    """The inbox's search and filters (GET). A wrong value is reported next to its field and ignored."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    case_type = forms.ChoiceField(label=gettext_lazy("Type"), required=False, choices=[("", "—"), *CaseType.choices])
    nature = forms.ChoiceField(label=gettext_lazy("Nature"), required=False, choices=[("", "—"), *Nature.choices])
    matter = PickerField("matter", label=gettext_lazy("Matter"), required=False)
    unit = PickerField("unit", label=gettext_lazy("Lead unit"), required=False)
    place = PickerField("unit", label=gettext_lazy("Place of the request"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", "—"),
            ("open", gettext_lazy("All open cases")),
            ("waiting", gettext_lazy("Waiting for dispatch")),
            *Status.choices,
        ],
    )
    created_from = forms.DateField(
        label=gettext_lazy("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=gettext_lazy("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.ChoiceField(
        label=gettext_lazy("Deadline"),
        required=False,
        choices=[
            ("", "—"),
            ("yes", gettext_lazy("Overdue only")),
            ("soon", gettext_lazy("Due soon only")),
            ("no", gettext_lazy("Not overdue")),
        ],
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[
            ("-created_at", gettext_lazy("Newest first")),
            ("created_at", gettext_lazy("Oldest first")),
            ("due_at", gettext_lazy("Deadline first")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("created_from")
        end: date | None = data.get("created_to")
        if start and end and end < start:
            self.add_error("created_to", _("The end lies before the start."))
        return data
