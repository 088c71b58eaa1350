"""The mediation centre's desk (/console/mediation/): the queues, a dispute's page with one form per step it may
take now, a party added later, and the agreement's PDF. Every write goes through suban.mediation.services; what
a person may read comes from suban.mediation.selectors (a dispute they may not read does not exist for them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting, staff_required
from suban.cases.selectors import cases_visible_to
from suban.console.mediation import StepPanel, history, step_form, step_panels
from suban.console.mediation_forms import STEP_FORMS, PartyAddForm, StepForm
from suban.errors import Conflict, DomainError, Forbidden, NotFound
from suban.mediation import services
from suban.mediation.agreement import agreement_pdf
from suban.mediation.lifecycle import BUTTONS, Step, Who, allowed_steps, mediator_of, relations
from suban.mediation.lifecycle import may_add_party as lifecycle_may_add_party
from suban.mediation.models import Dispute, DisputeStatus, RoomLevel
from suban.mediation.selectors import (
    QUEUES,
    dispute_for,
    events_for,
    parties_for,
    queue,
    queue_counts,
    sessions_for,
)

PAGE_SIZE = 30
TABS = {
    "intake": gettext_lazy("Intake"),
    "mine": gettext_lazy("Assigned to me"),
    "room": gettext_lazy("My room"),
    "visits": gettext_lazy("Visits due"),
    "ended": gettext_lazy("Ended"),
    "all": gettext_lazy("All"),
}


def _dispute(request: HttpRequest, number: str) -> Dispute:
    try:
        return dispute_for(request.user, number)
    except NotFound:
        raise Http404 from None


@require_GET
@staff_required
def queue_page(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    mediator = mediator_of(user)
    if mediator is None:
        # Staff who mediate nowhere see the centre's figures, not its disputes.
        return render(request, "console/mediation/queue.html", {"mediator": None})
    takes_intake = mediator.head or (mediator.room.level == RoomLevel.CENTRE and mediator.desk_id is None)
    tab = request.GET.get("tab", "")
    if tab not in QUEUES:
        tab = "intake" if takes_intake else "mine"
    request._mediation_tab = tab  # type: ignore[attr-defined]  # the navigation marks the tab shown
    rows = queue(user, tab)
    rows = rows.order_by("visit_on", "pk") if tab == "visits" else rows.order_by("-registered_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queue_counts(user)
    context = {
        "mediator": mediator,
        "tab": tab,
        "tabs": [(key, TABS[key], counts.get(key)) for key in QUEUES],
        "page": page,
        "may_register": services.may_register(user),
    }
    return render(request, "console/mediation/queue.html", context)


def dispute_context(
    request: HttpRequest, dispute: Dispute, *, bound: StepPanel | None = None, party_form: PartyAddForm | None = None
) -> dict[str, Any]:
    user = acting(request)
    may_add_party = lifecycle_may_add_party(dispute, user)
    if may_add_party and party_form is None:
        party_form = PartyAddForm(initial={"version": dispute.version}, auto_id="id_party_%s")
    case_link = dispute.case is not None and cases_visible_to(user).filter(pk=dispute.case.pk).exists()
    return {
        "dispute": dispute,
        "parties": parties_for(dispute, user),
        "assignments": list(dispute.assignments.all()),
        "sessions": sessions_for(dispute),
        "history": history(events_for(dispute, user)),
        "panels": step_panels(dispute, user, allowed_steps(dispute, user), bound),
        "party_form": party_form if may_add_party else None,
        "case_link": case_link,
    }


@require_GET
@staff_required
def dispute_page(request: HttpRequest, number: str) -> HttpResponse:
    dispute = _dispute(request, number)
    return render(request, "console/mediation/dispute.html", dispute_context(request, dispute))


def _refused(form: StepForm | PartyAddForm, exc: DomainError) -> None:
    """A service's refusal next to the field it names, or above the form."""
    named = form.fields.get(exc.field or "")
    field = exc.field if named is not None and not named.widget.is_hidden else None
    form.add_error(field, exc.message)


def _status(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 400


@require_POST
@staff_required
def dispute_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    user = acting(request)
    dispute = _dispute(request, number)
    if step not in STEP_FORMS:
        raise Http404(step)
    form = step_form(step, dispute, user, request.POST)
    panel = StepPanel(step, str(BUTTONS[step]), form, open=True)
    status = 400
    if form.is_valid():
        service: Any = services.STEP_SERVICES[Step(step)]  # each takes the dispute, who, the version and its form's
        try:
            service(dispute=dispute, by=user, expected_version=form.cleaned_data["version"], **form.arguments())
        except DomainError as exc:
            _refused(form, exc)
            panel.stale = isinstance(exc, Conflict)
            status = _status(exc)
        else:
            messages.success(
                request,
                _("%(step)s: dispute %(number)s is now %(status)s.")
                % {"step": BUTTONS[step], "number": dispute.number, "status": DisputeStatus(dispute.status).label},
            )
            try:
                dispute_for(user, number)
            except NotFound:
                return redirect("console:mediation")
            return redirect("console:dispute", number=number)
    fresh = _dispute(request, number)
    context = dispute_context(request, fresh, bound=panel)
    return render(request, "console/mediation/dispute.html", context, status=status)


@require_POST
@staff_required
def party_add(request: HttpRequest, number: str) -> HttpResponse:
    user = acting(request)
    dispute = _dispute(request, number)
    form = PartyAddForm(request.POST, auto_id="id_party_%s")
    status = 400
    if form.is_valid():
        try:
            services.party_add(
                dispute=dispute, by=user, party=form.party(), expected_version=form.cleaned_data["version"]
            )
        except DomainError as exc:
            _refused(form, exc)
            status = _status(exc)
        else:
            messages.success(request, _("The party is added."))
            return redirect("console:dispute", number=number)
    context = dispute_context(request, _dispute(request, number), party_form=form)
    context["party_stale"] = status == 409
    if context["party_form"] is None:  # no longer this person's to change: say why anyway
        context["party_form"] = form
    return render(request, "console/mediation/dispute.html", context, status=status)


@require_GET
@staff_required
def agreement(request: HttpRequest, number: str) -> HttpResponse:
    user = acting(request)
    dispute = _dispute(request, number)
    if not dispute.agreement:
        raise Http404
    # The dispute's own mediators print the copy the parties sign, with their identity numbers.
    pdf = agreement_pdf(dispute, show_numbers=Who.ASSIGNED in relations(dispute, user))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{dispute.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
