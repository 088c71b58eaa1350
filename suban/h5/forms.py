"""The H5's forms. Files are checked by content here (suban.cases.attachments), so a wrong file is named
next to its field before anything is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.cases.attachments import MAX_PHOTOS, check_upload
from suban.cases.models import Attachment, Nature, Satisfaction
from suban.catalogue.models import CaseType
from suban.crypto import normalize_phone
from suban.errors import Invalid
from suban.form_errors import NamedErrors
from suban.h5.services import H5Fields
from suban.mediation.models import TEXT_LENGTH, Category, PartyKind
from suban.org.coords import CoordinateSystem, to_wgs84
from suban.org.models import Unit, UnitKind

Kind = Attachment.Kind

# The natures a citizen chooses from, in the order a 12345 form lists them.
CITIZEN_NATURES = [
    (Nature.HELP, Nature.HELP.label),
    (Nature.COMPLAINT, Nature.COMPLAINT.label),
    (Nature.REPORT, Nature.REPORT.label),
    (Nature.CONSULTATION, Nature.CONSULTATION.label),
    (Nature.SUGGESTION, Nature.SUGGESTION.label),
    (Nature.PRAISE, Nature.PRAISE.label),
]


# One line under each type, so that a resident knows which to pick.
TYPE_HINTS: dict[str, Any] = {
    CaseType.LIVELIHOOD: gettext_lazy("Daily life: water, power, heating, sanitation, property, neighbours."),
    CaseType.DEVELOPMENT: gettext_lazy("Business: permits, policies, hiring, the business environment."),
    CaseType.ENFORCEMENT: gettext_lazy("Breaking the rules: illegal building, blocked roads, noise, pollution."),
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def _photos(files: list[UploadedFile]) -> list[UploadedFile]:
    if len(files) > MAX_PHOTOS:
        raise forms.ValidationError(
            _("You chose %(count)d photos; attach at most %(max)d.") % {"count": len(files), "max": MAX_PHOTOS}
        )
    for upload in files:
        try:
            kind = check_upload(upload)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None
        if kind != Kind.PHOTO:
            raise forms.ValidationError(
                _("%(name)s is not a photo; put a voice recording or video in the field below.") % {"name": upload.name}
            )
    return files


class ComplainedUnitField(forms.ModelChoiceField):
    """The office whose staff a complaint is about: a street, a community or a department, named with its
    street when it is a community."""

    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent
        return f"{parent.name} · {obj.name}" if obj.kind == UnitKind.COMMUNITY and parent is not None else obj.name


def complainable_units() -> Any:
    kinds = [UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.DEPARTMENT]
    return Unit.objects.filter(is_active=True, kind__in=kinds).select_related("parent").order_by("path")


class SubmitForm(NamedErrors, forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    case_type = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=CaseType.choices, initial=CaseType.LIVELIHOOD, widget=forms.RadioSelect
    )
    nature = forms.ChoiceField(label=gettext_lazy("Nature"), choices=CITIZEN_NATURES, initial=Nature.HELP)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    text = forms.CharField(label=gettext_lazy("What happened"), max_length=5000, widget=forms.Textarea)
    photos = MultipleFileField(label=gettext_lazy("Photos"), required=False)
    recording = forms.FileField(label=gettext_lazy("Voice recording or video"), required=False)
    longitude = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    # The system of longitude and latitude. The page's own locating (the browser's position, a tap on our grid
    # map) is WGS-84, the default; a page around it that fills the point from WeChat's wx.getLocation (type
    # gcj02) or a Chinese map sets "gcj02" or "bd09". clean() turns the point into WGS-84.
    coordinate_system = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    contact_name = forms.CharField(label=gettext_lazy("How to address you"), max_length=60, required=False)
    anonymous = forms.BooleanField(label=gettext_lazy("Anonymous"), required=False)
    confidential = forms.BooleanField(label=gettext_lazy("Confidential"), required=False)
    complained_unit = ComplainedUnitField(
        label=gettext_lazy("A complaint about the staff of"),
        queryset=complainable_units(),
        required=False,
        empty_label=gettext_lazy("No, it is not about an office's staff"),
    )
    # The "already reported" step: `proceed` sends the citizen's own request after it was shown; `me_too` is
    # the number of the open request the citizen follows instead.
    proceed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    me_too = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def type_choices(self) -> list[tuple[str, Any, Any, bool]]:
        """(value, label, hint, checked) of each type, for the radio cards."""
        chosen = str(self["case_type"].value() or "")
        return [(value, label, TYPE_HINTS.get(value, ""), value == chosen) for value, label in CaseType.choices]

    def clean_photos(self) -> list[UploadedFile]:
        return _photos(self.cleaned_data.get("photos") or [])

    def clean_recording(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("recording")
        if not upload:
            return None
        try:
            kind = check_upload(upload)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None
        if kind not in (Kind.VOICE, Kind.VIDEO):
            raise forms.ValidationError(
                _("%(name)s is a photo; put photos in the photo field above.") % {"name": upload.name}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        longitude, latitude = data.get("longitude"), data.get("latitude")
        if (longitude is None) != (latitude is None):
            self.add_error("address", _("The location was incomplete; locate again or type the address."))
        system = data.get("coordinate_system") or CoordinateSystem.WGS84
        if system not in set(CoordinateSystem):
            self.add_error("address", _("The location could not be read; locate again or type the address."))
        elif longitude is not None and latitude is not None:
            # cleaned_data holds WGS-84 from here on: the "already reported" search and the case both use it.
            data["longitude"], data["latitude"] = to_wgs84(longitude, latitude, system)
            data["coordinate_system"] = CoordinateSystem.WGS84
        return data

    def files_to_store(self) -> list[UploadedFile]:
        recording = self.cleaned_data.get("recording")
        return [*self.cleaned_data.get("photos", []), *([recording] if recording else [])]

    def case_fields(self) -> H5Fields:
        """What the valid form says about the request, for h5_submit and h5_me_too."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "case_type": data["case_type"],
            "nature": data["nature"],
            "longitude": data["longitude"],
            "latitude": data["latitude"],
            "address": data["address"],
            "contact_name": data["contact_name"],
            "anonymous": data["anonymous"],
            "complained_unit": data["complained_unit"],
        }


class AddInfoForm(NamedErrors, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("What you want to add"), max_length=2000, widget=forms.Textarea)
    photos = MultipleFileField(label=gettext_lazy("Photos"), required=False)

    def clean_photos(self) -> list[UploadedFile]:
        return _photos(self.cleaned_data.get("photos") or [])


RESOLVED_CHOICES = [("yes", gettext_lazy("Yes, it is resolved")), ("no", gettext_lazy("No, it is not resolved"))]


class RateForm(NamedErrors, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    satisfaction = forms.ChoiceField(
        label=gettext_lazy("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    resolved = forms.ChoiceField(
        label=gettext_lazy("Was your problem resolved?"), choices=RESOLVED_CHOICES, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=500, required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("satisfaction") == Satisfaction.UNSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is still wrong: the district reviews your objection with it."))
        return data


class ProxyForm(NamedErrors, forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=60)
    contact_phone = forms.CharField(label=gettext_lazy("Phone to call you back"), max_length=20, required=False)
    address = forms.CharField(label=gettext_lazy("Where you live"), max_length=300, required=False)
    note = forms.CharField(
        label=gettext_lazy("Anything we should know"), max_length=1000, required=False, widget=forms.Textarea
    )


class LoginForm(NamedErrors, forms.Form):
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20)
    code = forms.CharField(label=gettext_lazy("SMS code"), max_length=8, required=False)


class PlaceField(forms.ModelChoiceField):
    """A street or a community, a community named with its street."""

    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent
        return f"{parent.name} · {obj.name}" if obj.kind == UnitKind.COMMUNITY and parent is not None else obj.name


def dispute_places() -> Any:
    kinds = [UnitKind.STREET, UnitKind.COMMUNITY]
    return Unit.objects.filter(is_active=True, kind__in=kinds).select_related("parent").order_by("path")


class MediationForm(NamedErrors, forms.Form):
    """Applying for mediation (申请调解): what the dispute is, where, and who the other side is. The applicant is
    the citizen, with the phone of their account."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=gettext_lazy("What kind of dispute"), choices=Category.choices)
    summary = forms.CharField(label=gettext_lazy("In a few words"), max_length=200)
    facts = forms.CharField(label=gettext_lazy("What happened"), max_length=TEXT_LENGTH, widget=forms.Textarea)
    place = PlaceField(
        label=gettext_lazy("Where"),
        queryset=dispute_places(),
        empty_label=gettext_lazy("Choose the street or community"),
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=100)
    other_kind = forms.ChoiceField(
        label=gettext_lazy("The other side is"),
        choices=[
            (PartyKind.PERSON, gettext_lazy("A person")),
            (PartyKind.ORGANISATION, gettext_lazy("A company or organisation")),
        ],
        initial=PartyKind.PERSON,
        widget=forms.RadioSelect,
    )
    other_name = forms.CharField(label=gettext_lazy("Their name"), max_length=100)
    other_phone = forms.CharField(label=gettext_lazy("Their phone (if you know it)"), max_length=30, required=False)

    def clean_other_phone(self) -> str:
        phone = self.cleaned_data.get("other_phone", "").strip()
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None
