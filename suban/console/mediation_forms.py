"""The mediation centre's forms in the console: registering a dispute with its parties, one form per step of a
dispute (each carrying the version the page showed), a party added later, a risk report and the figures'
period. The forms check what a browser sends (lengths, choices, dates); the rules are the services'
(suban.mediation.services), whose refusals land next to the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.console.forms import PickerField, text_field, yes_no_field
from suban.console.pickers import unit_choice
from suban.form_errors import NamedErrors
from suban.mediation.lifecycle import Step
from suban.mediation.models import (
    TEXT_LENGTH,
    AgreementKind,
    Category,
    Desk,
    Mediator,
    PartyKind,
    Referral,
    Risk,
    Room,
    Side,
    Source,
)
from suban.mediation.services import MAX_EXTENSION_DAYS, MAX_PARTIES, NOTE_LENGTH, PartyIn
from suban.org.models import Unit

# A dispute is brought to the console in person, by a call, by the hotline, by a court or by a sweep; an H5
# application and a case's escalation register themselves.
CONSOLE_SOURCES = (Source.WALK_IN, Source.CALL, Source.HOTLINE, Source.COURT, Source.SWEEP)
PARTY_ROWS = 4  # rows the register form starts with: two applicants' and two respondents'
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ISO_DATE = "%Y-%m-%d"  # what a date input reads and sends, whatever the page's language writes dates as


class DisputeForm(NamedErrors, forms.Form):
    """A dispute as the intake desk types it (services.DisputeIn); its parties are PartyFormSet's rows."""

    use_required_attribute = False

    category = forms.ChoiceField(label=gettext_lazy("Kind of dispute"), choices=[("", "—"), *Category.choices])
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=200, widget=forms.TextInput(attrs={"size": 60}))
    facts = forms.CharField(
        label=gettext_lazy("Facts"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What happened, and what each side asks."),
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount at stake (yuan)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    risk = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=Risk.choices, initial=Risk.GENERAL)
    escalating = forms.BooleanField(label=gettext_lazy("May escalate (the street is told at once)"), required=False)
    source = forms.ChoiceField(
        label=gettext_lazy("How it came"),
        choices=[("", "—"), *[(s.value, s.label) for s in CONSOLE_SOURCES]],
    )
    unit = PickerField(
        "place",
        label=gettext_lazy("Where it happened"),
        help_text=gettext_lazy("The street or community: type its name and pick it from the list."),
    )
    room = forms.ChoiceField(label=gettext_lazy("Room"), required=False)
    risk_report = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rooms: Sequence[Room] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rooms:
            room_field = self.fields["room"]
            assert isinstance(room_field, forms.ChoiceField)
            room_field.choices = [("", _("Not yet: the centre assigns it")), *[(str(r.pk), r.name) for r in rooms]]
            room_field.help_text = _("The room it was brought to, if not the centre.")
        else:
            del self.fields["room"]


class PartyForm(NamedErrors, forms.Form):
    """One party: a row of the register form, or a party added later. A row left empty is no party."""

    use_required_attribute = False

    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=Side.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Person or organisation"), choices=PartyKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    id_number = forms.CharField(label=gettext_lazy("Identity number or credit code"), max_length=30, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix:  # a row of the register form's table, whose inputs have no label of their own
            for field in self.fields.values():
                field.widget.attrs["aria-label"] = str(field.label)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any((data.get(k) or "").strip() for k in ("name", "phone", "id_number", "address"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.is_blank() and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the party's name."))
        return data

    def party(self) -> PartyIn:
        d = self.cleaned_data
        return PartyIn(
            side=d["side"],
            kind=d["kind"],
            name=d["name"],
            phone=d["phone"],
            id_number=d["id_number"],
            address=d["address"],
        )


class BasePartyFormSet(forms.BaseFormSet):
    def parties(self) -> list[PartyIn]:
        """The rows filled in, after is_valid()."""
        return [f.party() for f in self.forms if not f.is_blank()]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, max_num=MAX_PARTIES, absolute_max=MAX_PARTIES, validate_max=True
)


def party_rows(n: int = PARTY_ROWS) -> list[dict[str, str]]:
    """Empty rows, half applicants', half respondents'."""
    half = max(1, n // 2)
    return [{"side": Side.APPLICANT if i < half else Side.RESPONDENT, "kind": PartyKind.PERSON} for i in range(n)]


def typed_rows(data: Any, prefix: str = "parties") -> list[dict[str, str]]:
    """The rows as typed (for drawing the form again with one more row, without judging it yet)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    fields = ("side", "kind", "name", "phone", "id_number", "address")
    return [
        {k: str(data.get(f"{prefix}-{i}-{k}", ""))[:200] for k in fields}
        for i in range(min(max(total, 0), MAX_PARTIES))
    ]


# -------------------------------------------------------------------------------------------- the steps


def version_field() -> forms.IntegerField:
    """The dispute's version the page showed: a step taken on an older one is refused (compare-and-swap)."""
    return forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            key: gettext_lazy("The page was out of date: reload it and try again.")
            for key in ("required", "invalid", "min_value")
        },
    )


class StepForm(NamedErrors, forms.Form):
    use_required_attribute = False

    version = version_field()

    @property
    def hidden_errors(self) -> list[str]:
        return [str(e) for field in self.hidden_fields() for e in field.errors]

    def arguments(self) -> dict[str, Any]:
        """The step's service's keyword arguments (besides dispute, by and expected_version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _note(label: Any, *, required: bool = False) -> forms.CharField:
    return text_field(label, required=required, rows=2, max_length=NOTE_LENGTH)


class AcceptForm(StepForm):
    note = _note(gettext_lazy("Note"))


class DeclineForm(StepForm):
    reason = forms.CharField(
        label=gettext_lazy("Why it is not for mediation"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Where it belongs"), required=False, choices=[("", "—"), *Referral.choices]
    )


def _mediator_label(m: Mediator) -> str:
    specialities = "、".join(str(Category(s).label) for s in m.speciality_list() if s in Category.values)
    words = _("%(name)s · %(room)s · %(load)d open") % {
        "name": str(m),
        "room": m.desk.name if m.desk is not None else m.room.name,
        "load": getattr(m, "load", 0),
    }
    return f"{words} · {specialities}" if specialities else words


class AssignForm(StepForm):
    room = forms.TypedChoiceField(label=gettext_lazy("Room"), coerce=int)
    lead = forms.TypedChoiceField(label=gettext_lazy("Lead mediator"), coerce=int)
    joint = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Joint mediators"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Departments seated at the centre, or other mediators, who mediate with the lead."),
    )
    note = _note(gettext_lazy("Note"))

    def __init__(
        self, *args: Any, rooms: Sequence[Room] = (), mediators: Sequence[Mediator] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {r.pk: r for r in rooms}
        self.mediators = {m.pk: m for m in mediators}
        choices = [(m.pk, _mediator_label(m)) for m in mediators]
        self._choices("room", [("", "—"), *[(r.pk, r.name) for r in rooms]])
        self._choices("lead", [("", "—"), *choices])
        self._choices("joint", choices)

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "room": self.rooms[d["room"]],
            "lead": self.mediators[d["lead"]],
            "joint": [self.mediators[pk] for pk in d["joint"]],
            "note": d["note"],
        }


class SessionForm(StepForm):
    held_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=gettext_lazy("A time ahead sets the next session: the parties are told of it."),
    )
    place = forms.CharField(label=gettext_lazy("Where"), max_length=200)
    attended = text_field(gettext_lazy("Who attended"), required=True, rows=2, max_length=2000)
    said = text_field(gettext_lazy("What was said"), required=True, rows=4, max_length=TEXT_LENGTH)
    next_step = text_field(gettext_lazy("Next step"), required=False, rows=2, max_length=2000)
    desks = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Departments present"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, desks: Sequence[Desk] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desk_map = {d.pk: d for d in desks}
        if desks:
            field = self.fields["desks"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(d.pk, d.name) for d in desks]
        else:
            del self.fields["desks"]

    def arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "held_at": d["held_at"],
            "place": d["place"],
            "attended": d["attended"],
            "said": d["said"],
            "next_step": d["next_step"],
            "desks": [self.desk_map[pk] for pk in d.get("desks", [])],
        }


class ExtendForm(StepForm):
    days = forms.IntegerField(
        label=gettext_lazy("Days"), min_value=1, max_value=MAX_EXTENSION_DAYS, widget=forms.NumberInput()
    )
    note = _note(gettext_lazy("The parties' agreement"), required=True)


class AgreeForm(StepForm):
    kind = forms.ChoiceField(label=gettext_lazy("Agreement"), choices=AgreementKind.choices, widget=forms.RadioSelect)
    terms = text_field(gettext_lazy("Terms agreed"), required=True, rows=5, max_length=TEXT_LENGTH)
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text=gettext_lazy("An oral agreement is dated today if left empty."),
    )


class ConfirmForm(StepForm):
    note = _note(gettext_lazy("Note"))


class FailForm(StepForm):
    referral = forms.ChoiceField(label=gettext_lazy("Guided to"), choices=[("", "—"), *Referral.choices])
    reason = text_field(gettext_lazy("Why it failed"), required=True, rows=3, max_length=NOTE_LENGTH)


class VisitForm(StepForm):
    fulfilled = yes_no_field(gettext_lazy("Was the agreement kept?"))
    note = _note(gettext_lazy("What the visit found"), required=True)


class CloseForm(StepForm):
    note = _note(gettext_lazy("Note"))


class SuperviseForm(StepForm):
    note = _note(gettext_lazy("What must be done"), required=True)


STEP_FORMS: dict[str, type[StepForm]] = {
    Step.ACCEPT: AcceptForm,
    Step.DECLINE: DeclineForm,
    Step.ASSIGN: AssignForm,
    Step.SESSION: SessionForm,
    Step.EXTEND: ExtendForm,
    Step.AGREE: AgreeForm,
    Step.CONFIRM: ConfirmForm,
    Step.FAIL: FailForm,
    Step.VISIT: VisitForm,
    Step.CLOSE: CloseForm,
    Step.SUPERVISE: SuperviseForm,
}


class PartyAddForm(PartyForm):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True

    @property
    def hidden_errors(self) -> list[str]:
        return [str(e) for field in self.hidden_fields() for e in field.errors]


# ----------------------------------------------------------------------------------- risks and figures


class RiskForm(NamedErrors, forms.Form):
    use_required_attribute = False

    grid = forms.TypedChoiceField(label=gettext_lazy("Grid"), coerce=int)
    category = forms.ChoiceField(label=gettext_lazy("Kind of dispute"), choices=[("", "—"), *Category.choices])
    level = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=Risk.choices, initial=Risk.GENERAL)
    parties = forms.CharField(label=gettext_lazy("Who is involved"), max_length=300)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    what = text_field(gettext_lazy("What was found"), required=True, rows=4, max_length=5000)

    def __init__(self, *args: Any, grids: Sequence[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grids = {g.pk: g for g in grids}
        field = self.fields["grid"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *[(g.pk, unit_choice(g)) for g in grids]]
        if len(grids) == 1:
            field.initial = grids[0].pk


MAX_PERIOD_DAYS = 3 * 366


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # the platform's calendar, as the API's


class PeriodForm(NamedErrors, forms.Form):
    use_required_attribute = False

    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    end = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
                return data
        if start and end:
            if end < start:
                self.add_error("end", _("The end lies before the start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of at most three years."))
        return data
