"""The console's form fields for the actions (each action's form is made from the action registry's inputs,
in suban.console.actions; every one carries the version the page showed), and the inbox's filters. Units and
matters are typed or picked (suban.console.pickers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.actions import MAX_CO_UNITS, NOTE
from suban.cases.models import Nature, Status
from suban.catalogue.models import CaseType
from suban.form_errors import NamedErrors


def text_field(label: Any, *, required: bool, rows: int = 2, max_length: int = NOTE) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def yes_no_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


def days_field(label: Any, *, initial: Decimal | None = None, max_value: int = 10) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        initial=initial,
        min_value=Decimal("0.5"),
        max_value=max_value,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
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

    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            key: gettext_lazy("The page was out of date: reload it and try again.")
            for key in ("required", "invalid", "min_value")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bad_values: dict[str, str] = {}  # a refused value of a field of several inputs (co-handlers)

    @property
    def hidden_errors(self) -> list[str]:
        """Refusals of the inputs the page carries (the version, the order a button stands for): said above the
        form, since there is no field to put them next to."""
        return [str(e) for field in self.hidden_fields() for e in field.errors]


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
        label=gettext_lazy("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    created_to = forms.DateField(
        label=gettext_lazy("Created until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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


class ArticleForm(NamedErrors, forms.Form):
    """A knowledge article as its author writes it (suban.knowledge.services.Content)."""

    use_required_attribute = False

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=200,
        help_text=gettext_lazy("As citizens ask it."),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    questions = forms.CharField(
        label=gettext_lazy("Other wordings of the question"),
        required=False,
        max_length=10000,
        help_text=gettext_lazy("One per line: how else people ask the same thing."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer = forms.CharField(label=gettext_lazy("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    basis = forms.CharField(
        label=gettext_lazy("Policy basis"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 2})
    )
    basis_url = forms.CharField(label=gettext_lazy("Link to the policy"), required=False, max_length=500)
    matters = forms.CharField(
        label=gettext_lazy("Matters"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Matter names or codes of the catalogue, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"), required=False, max_length=200, help_text=gettext_lazy("Separated by commas.")
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_to = forms.DateField(
        label=gettext_lazy("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    public = forms.BooleanField(label=gettext_lazy("Shown to citizens"), required=False, initial=True)


class ArticleStepForm(NamedErrors, forms.Form):
    use_required_attribute = False

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
