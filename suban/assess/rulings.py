"""The supervisor's ruling on the case page: whether the case counts in the assessment, and the form that
rules it out (or withdraws the ruling). The console's case page shows it; suban.assess.views takes the form."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.assess.models import CaseAssessment, Ruling, RulingReason
from suban.assess.services import check_ruler
from suban.cases.models import Case
from suban.errors import Forbidden


class RulingForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RulingReason.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@dataclass
class RulingPanel:
    row: CaseAssessment | None  # the case's assessment row (None: not assessed yet)
    ruling: Ruling | None
    form: RulingForm


def ruling_panel(case: Case, user: User) -> RulingPanel | None:
    """The panel for a supervisor whose reach holds the case; None for anyone else."""
    if getattr(user, "is_citizen", True) or Role.SUPERVISOR not in user.roles:
        return None
    try:
        check_ruler(case, user)
    except Forbidden:
        return None
    return RulingPanel(
        row=CaseAssessment.objects.filter(case=case).first(),
        ruling=Ruling.objects.filter(case=case).select_related("by").first(),
        form=RulingForm(prefix="ruling"),
    )
