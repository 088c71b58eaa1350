"""Mediation on the H5 (申请调解): a citizen applies for the mediation of a dispute and follows it — its status,
its public steps (no staff names, no notes), its sessions' dates and places, and its outcome: the agreement's
terms with its PDF (identity numbers masked), a failure's referral and reason, or why it was declined.

A dispute is the citizen's when she applied for it or her phone is a party's (suban.mediation.selectors); any
other number is a 404. A form shown again with its errors answers 200, as the request form does."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from suban.accounts.access import acting
from suban.errors import DomainError, NotFound
from suban.h5.access import citizen_required
from suban.h5.forms import MediationForm
from suban.mediation.agreement import agreement_pdf
from suban.mediation.lifecycle import CLOCKED, Step
from suban.mediation.models import Dispute, DisputeStatus, Side, Source
from suban.mediation.selectors import dispute_for, disputes_visible_to, events_for, parties_for, sessions_for
from suban.mediation.services import DisputeIn, PartyIn, dispute_register

PER_PAGE = 20
APPLIED = "mediation_applied"  # the session's form keys already sent, each with the dispute it made
KEPT_KEYS = 20
# The service's names for what it refuses, as the form names them.
FIELDS = {"category": "category", "summary": "summary", "facts": "facts", "unit": "place"}


def my_dispute(request: HttpRequest, number: str) -> Dispute:
    try:
        return dispute_for(acting(request), number)
    except NotFound:
        raise Http404(_("There is no dispute %(number)s among yours.") % {"number": number}) from None


@citizen_required
@require_GET
def my_disputes(request: HttpRequest) -> HttpResponse:
    qs = disputes_visible_to(acting(request)).select_related("unit", "room").order_by("-registered_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "h5/mediation.html", {"page": page})


def _fresh_key(data: QueryDict) -> QueryDict:
    data = data.copy()
    data["key"] = str(uuid.uuid4())
    return data


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "h5/mediation_apply.html", {"form": MediationForm(initial={"key": uuid.uuid4()})})
    form = MediationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        key = str(data["key"])
        sent: dict[str, str] = request.session.get(APPLIED, {})
        if key in sent and Dispute.objects.filter(number=sent[key]).exists():
            # The same form again (a second tap, back and send): the dispute it made the first time.
            messages.info(request, _("This application was received already; it was not sent a second time."))
            return HttpResponseRedirect(reverse("h5:dispute", args=[sent[key]]))
        citizen = acting(request)
        application = DisputeIn(
            category=data["category"],
            summary=data["summary"],
            facts=data["facts"],
            source=Source.H5,
            unit=data["place"],
            parties=(
                PartyIn(side=Side.APPLICANT, name=data["name"], phone=citizen.phone),
                PartyIn(
                    side=Side.RESPONDENT, kind=data["other_kind"], name=data["other_name"], phone=data["other_phone"]
                ),
            ),
        )
        try:
            dispute = dispute_register(by=citizen, data=application)
        except DomainError as exc:
            form.add_error(FIELDS.get(exc.field or ""), exc.message)
        else:
            request.session[APPLIED] = dict(list({**sent, key: dispute.number}.items())[-KEPT_KEYS:])
            messages.success(
                request,
                _(
                    "Your application %(number)s was received. The mediation centre tells you by SMS whether it "
                    "takes the dispute on."
                )
                % {"number": dispute.number},
            )
            return HttpResponseRedirect(reverse("h5:dispute", args=[dispute.number]))
    if "key" in form.errors:
        form = MediationForm(_fresh_key(request.POST))
        form.is_valid()
    return render(request, "h5/mediation_apply.html", {"form": form})


def _outcome(dispute: Dispute) -> str:
    """How the dispute ended, as far as a party is told: agreed, failed, declined, or "" while it runs."""
    ended = dispute.ended_as if dispute.status == DisputeStatus.CLOSED else dispute.status
    if dispute.agreement and ended in (DisputeStatus.AGREED, DisputeStatus.FULFILLED, DisputeStatus.UNFULFILLED):
        return "agreed"
    if ended == DisputeStatus.FAILED:
        return "failed"
    if ended == DisputeStatus.DECLINED:
        return "declined"
    return ""


@citizen_required
@require_GET
def dispute_detail(request: HttpRequest, number: str) -> HttpResponse:
    citizen = acting(request)
    dispute = my_dispute(request, number)
    now, running = timezone.now(), dispute.status in CLOCKED
    # Public steps only, each with its date: who acted and their notes stay with the centre.
    steps: list[dict[str, Any]] = [
        {"action": e.action, "label": Step(e.action).label if e.action in Step.values else e.action, "at": e.at}
        for e in events_for(dispute, citizen)
    ]
    # A session set for a day ahead is shown as coming while the dispute is still being mediated.
    sessions = [
        {"held_at": s.held_at, "place": s.place, "ahead": running and s.held_at > now} for s in sessions_for(dispute)
    ]
    context = {
        "dispute": dispute,
        "steps": steps,
        "sessions": sessions,
        "parties": parties_for(dispute, citizen),
        "outcome": _outcome(dispute),
        "running": running,
    }
    return render(request, "h5/dispute.html", context)


@citizen_required
@require_GET
def dispute_agreement(request: HttpRequest, number: str) -> HttpResponse:
    dispute = my_dispute(request, number)
    if not dispute.agreement:
        raise Http404(_("This dispute has no agreement."))
    response = HttpResponse(agreement_pdf(dispute, show_numbers=False), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dispute.number}.pdf"'
    return response
