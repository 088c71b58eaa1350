"""The grid-work forms. Each widget carries a data-testid for the browser tests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suban import crypto
from suban.actions import BY_SLUG, NOTE
from suban.cases.models import Nature, Satisfaction, Urgency
from suban.catalogue.models import CaseType
from suban.errors import DomainError, Invalid
from suban.form_errors import NamedErrors
from suban.gridwork.models import WorkKind
from suban.gridwork.services import MAX_PHOTOS, Decision


def attrs(testid: str, **extra: Any) -> dict[str, Any]:
    return {"data-testid": testid, **extra}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; the phone opens its camera (capture=environment)."""

    def __init__(self, *, testid: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs=attrs(testid, accept="image/*", capture="environment", multiple=True)),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Up to %(n)d photos; on a phone the camera opens.") % {"n": MAX_PHOTOS})
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def apply_error(form: forms.Form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """Put a domain error next to its field (renamed through `fields`), or on top of the form."""
    name = (fields or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


class ReportForm(NamedErrors, forms.Form):
    case_type = forms.ChoiceField(
        label=_("Type"),
        choices=CaseType.choices,
        initial=CaseType.LIVELIHOOD,
        widget=forms.Select(attrs("report-type")),
    )
    nature = forms.ChoiceField(
        label=_("Nature"), choices=Nature.choices, initial=Nature.HELP, widget=forms.Select(attrs("report-nature"))
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.Select(attrs("report-urgency")),
    )
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs("report-title")))
    text = forms.CharField(
        label=_("What you found"),
        required=False,
        widget=forms.Textarea(attrs("report-text", rows=4)),
    )
    photos = PhotosField(label=_("Photos"), testid="report-photos")
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs("report-address")),
        help_text=_("Road, compound, building: helps the handler find the place."),
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput(attrs("report-longitude"))
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput(attrs("report-latitude"))
    )
    contact_name = forms.CharField(
        label=_("Resident's name"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs("report-contact-name")),
        help_text=_("If a resident raised it: whom the return visit calls."),
    )
    contact_phone = forms.CharField(
        label=_("Resident's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs("report-contact-phone", type="tel", inputmode="tel")),
    )
    solved_on_spot = forms.BooleanField(
        label=_("Solved on the spot (即报即办)"), required=False, widget=forms.CheckboxInput(attrs("report-solved"))
    )
    solution = forms.CharField(
        label=_("What you did on the spot"),
        required=False,
        widget=forms.Textarea(attrs("report-solution", rows=3)),
    )

    def clean_contact_phone(self) -> str:
        raw: str = self.cleaned_data.get("contact_phone", "").strip()
        if not raw:
            return ""
        try:
            return crypto.normalize_phone(raw)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            raise forms.ValidationError(_("The phone's position came incomplete; locate again or leave it out."))
        if data.get("solved_on_spot") and not (data.get("solution") or "").strip():
            self.add_error("solution", _("Say what you did on the spot."))
        return data


class SolveForm(NamedErrors, forms.Form):
    """The reply of a case solved on the spot, with photos of the result."""

    reply = forms.CharField(
        label=_("Reply: what was done"), max_length=NOTE, widget=forms.Textarea(attrs("solve-reply", rows=3))
    )
    photos = PhotosField(label=_("Photos of the result"), testid="solve-photos")
    version = forms.IntegerField(widget=forms.HiddenInput())


class PatrolStartForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label=_("Route or purpose"), max_length=200, required=False, widget=forms.TextInput(attrs("patrol-start-note"))
    )


class PatrolStopForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label=_("What you saw"), required=False, widget=forms.Textarea(attrs("patrol-stop-note", rows=2))
    )
    track = forms.JSONField(required=False, widget=forms.HiddenInput(attrs("patrol-track")))


class WorkLogForm(NamedErrors, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs("log-date", type="date"), format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind of work"), choices=WorkKind.choices, widget=forms.Select(attrs("log-kind")))
    text = forms.CharField(label=_("What you did"), widget=forms.Textarea(attrs("log-text", rows=3)))
    case = forms.CharField(
        label=_("Case number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs("log-case", inputmode="numeric")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate(), "kind": WorkKind.PATROL})
        super().__init__(*args, **kwargs)


class VisitForm(NamedErrors, forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("The citizen is"), choices=Satisfaction.choices, widget=forms.RadioSelect(attrs("visit-satisfaction"))
    )
    resolved = forms.TypedChoiceField(
        label=_("Was the problem solved?"),
        choices=[("yes", _("Solved")), ("no", _("Not solved"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs("visit-resolved")),
    )
    comment = forms.CharField(
        label=_("What the citizen said"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs("visit-comment", rows=2)),
    )
    decision = forms.ChoiceField(
        label=_("If unsatisfied"),
        choices=[
            (Decision.LATER, _("Decide later")),
            (Decision.REOPEN, _("Reopen: back to the unit to put right")),
            (Decision.CLOSE, _("Close anyway")),
        ],
        required=False,
        widget=forms.Select(attrs("visit-decision")),
    )
    decision_note = forms.CharField(
        label=_("What must be put right, or why it closes"),
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs("visit-decision-note", rows=2)),
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


class DecideForm(NamedErrors, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.REOPEN, _("Reopen: back to the unit to put right")),
            (Decision.CLOSE, _("Close anyway")),
        ],
        widget=forms.Select(attrs("decide-decision")),
    )
    note = forms.CharField(
        label=_("What must be put right, or why it closes"), widget=forms.Textarea(attrs("decide-note", rows=2))
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


# The board's supervision order asks what the registry's entry takes (suban.actions), in the board's words.
_SUPERVISE = {i.name: i for i in BY_SLUG["supervise"].inputs}


class SuperviseForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label=_("What the unit must do"),
        max_length=_SUPERVISE["note"].max_length,
        widget=forms.Textarea(attrs("supervise-note", rows=2)),
    )
    days = forms.DecimalField(
        label=_("Within (working days)"),
        initial=_SUPERVISE["days"].default,
        min_value=0.5,
        max_value=_SUPERVISE["days"].max_days,
        decimal_places=1,
        widget=forms.NumberInput(attrs("supervise-days", step="0.5")),
    )
    version = forms.IntegerField(widget=forms.HiddenInput())
